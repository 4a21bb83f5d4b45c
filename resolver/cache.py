"""On-disk cache of compiled resolvers, so the command line starts instantly.

A compiled :class:`~resolver.core.Resolver` is pickled into the user's cache
directory under a key that hashes the package version and the *content* of
every glossary file, so an entry can never be stale: edit a glossary and the
key changes. Entries are safe to delete at any time.

Pickle runs code on loading, so the cache only ever loads from its own
directory, and only when that directory belongs to the current user and is
not writable by anyone else; every entry also carries its key, checked after
loading. Anything unexpected means a rebuild, never an error.

``RESOLVER_CACHE_DIR`` overrides the location; ``RESOLVER_NO_CACHE=1``
disables the cache.
"""

from __future__ import annotations

import os
import pickle
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .core import Resolver
from .glossary import _read, loads, merge

__all__ = ["cache_dir", "cache_key", "cached_resolver"]

_FORMAT = 11  # 3: derived tables pickled; 4: _join_at; 5: plans of weak+strong exact keys; 6: no _canonical_ends; 7: join tables built on first use; 8: flat plans; 9: letters in _join_at; 10: join tables read possessives as the automaton does; 11: plans carry the join checks
#: Above this many characters of glossary, hash with OpenSSL (see _sha256).
_OPENSSL_FROM = 1_000_000


def _sha256(size: int) -> Any:
    """A SHA-256 object. Importing :mod:`hashlib` loads OpenSSL, ~4 ms of the
    command line's start-up, far more than hashing a glossary of a few
    hundred kB takes with the interpreter's own SHA-256 module; only a large
    glossary (``size`` characters) is worth OpenSSL's faster code.

    >>> import hashlib
    >>> _sha256(10).hexdigest() == _sha256(10**7).hexdigest() == hashlib.sha256().hexdigest()
    True
    """
    if size < _OPENSSL_FROM:
        try:  # CPython's built-in implementation: _sha256 up to 3.11, _sha2 since 3.12
            from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            try:
                from _sha2 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
            except ImportError:
                from hashlib import sha256
        return sha256()
    import hashlib

    return hashlib.sha256()


def cache_dir() -> Path:
    """The cache directory (``$RESOLVER_CACHE_DIR``, else ``$XDG_CACHE_HOME/resolver``,
    else ``~/.cache/resolver``)."""
    if os.environ.get("RESOLVER_CACHE_DIR"):
        return Path(os.environ["RESOLVER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "resolver"


def cache_key(texts: Sequence[tuple[str, str]]) -> str:
    """Key of a compiled glossary: package version + each file's path and content.

    >>> cache_key([("a.yaml", "version: 1")]) == cache_key([("a.yaml", "version: 1")])
    True
    >>> cache_key([("a.yaml", "version: 1")]) == cache_key([("a.yaml", "version: 1 ")])
    False
    """
    h = _sha256(sum(len(t) for _, t in texts))
    h.update(f"resolver {__version__} format {_FORMAT}\n".encode())
    for path, text in texts:
        h.update(f"{len(path)}:{path}\n{len(text)}:".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
    return str(h.hexdigest())


def _trusted(d: Path) -> bool:
    try:
        st = d.stat()
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _load(entry: Path, key: str) -> Resolver | None:
    try:
        with entry.open("rb") as fh:
            obj = pickle.load(fh)
    except Exception:  # noqa: BLE001  # a corrupt or foreign entry, whatever unpickling raises: rebuild
        return None
    if isinstance(obj, tuple) and len(obj) == 2 and obj[0] == key and isinstance(obj[1], Resolver):
        return obj[1]
    return None


def _store(d: Path, entry: Path, key: str, r: Resolver) -> None:
    try:
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _trusted(d):
            return
        import tempfile  # here: only storing needs it

        r.matcher.build_all()  # (what check and normalize need, cached too)
        fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, r), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
    except OSError:
        pass  # a read-only home or a full disk must not break the command


def cached_resolver(paths: Sequence[Path]) -> Resolver:
    """A :class:`Resolver` for the glossary files ``paths``, from the cache
    when an entry for their exact content exists, else compiled and cached."""
    texts = [(str(p), _read(Path(p))) for p in paths]
    if os.environ.get("RESOLVER_NO_CACHE"):
        return Resolver(merge(*(loads(t, p) for p, t in texts)))
    key = cache_key(texts)
    d = cache_dir()
    entry = d / f"{key}.pickle"
    if entry.is_file() and _trusted(d):
        r = _load(entry, key)
        if r is not None:
            return r
    r = Resolver(merge(*(loads(t, p) for p, t in texts)))
    _store(d, entry, key, r)
    return r
