"""Reading and writing the files people edit, safely.

* :func:`read_text` decodes a file exactly (BOM and encoding remembered, line
  endings untouched) or raises :class:`~resolver.errors.InputError` with a
  one-line message and a ``kind`` the command line maps to an exit code.
* :func:`write_atomic` replaces a file through a temporary file in the same
  directory (fsync, then rename), keeps its permissions, and does nothing when
  the content would not change.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import InputError

__all__ = ["DEFAULT_MAX_BYTES", "Document", "decode", "encode", "read_text", "write_atomic"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024

ErrorKind = Literal["unreadable", "binary", "too-large", "empty"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class TextInputError(InputError):
    """An input file cannot be used as text; ``kind`` says why."""

    def __init__(self, path: str, message: str, kind: ErrorKind) -> None:
        self.path = path
        self.kind = kind
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded text and how to write it back the same way."""

    path: str
    text: str
    encoding: str


def decode(data: bytes, path: str = "<stdin>", encoding: str | None = None) -> Document:
    """Decode bytes as text; refuse binary data and undecodable bytes.

    >>> decode(b"\\xef\\xbb\\xbfJeM\\r\\n").encoding, decode(b"JeM\\r\\n").text
    ('utf-8-sig', 'JeM\\r\\n')
    """
    if encoding is None:
        encoding = "utf-8"
        for bom, enc in _BOMS:
            if data.startswith(bom):
                encoding = enc
                break
    if encoding in ("utf-8", "utf-8-sig") and b"\x00" in data:
        raise TextInputError(path, "not a text file (contains NUL bytes)", "binary")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TextInputError(path, f"not valid {encoding} (line {line}, byte {exc.start}); pass --encoding if the file uses another one", "binary") from None
    except LookupError:
        raise TextInputError(path, f"unknown encoding {encoding!r}", "unreadable") from None
    if "\x00" in text:
        raise TextInputError(path, "not a text file (contains NUL characters)", "binary")
    return Document(path, text, encoding)


def encode(doc: Document, text: str) -> bytes:
    """Encode ``text`` the way ``doc`` was encoded (BOM included)."""
    return text.encode(doc.encoding)


def human_size(n: int) -> str:
    """A byte count in the binary units ``--max-size`` reads (``k`` = 1024).

    >>> human_size(102_400), human_size(1_200_000), human_size(64 * 1024**2), human_size(300)
    ('100k', '1.1M', '64M', '300 bytes')
    """
    for unit, size in (("G", 1024**3), ("M", 1024**2), ("k", 1024)):
        if n >= size:
            v = round(n / size, 1)
            return f"{v:.0f}{unit}" if v == int(v) else f"{v:.1f}{unit}"
    return f"{n} bytes"


def too_large(name: str, size: int, max_bytes: int) -> TextInputError:
    """The error for an input of ``size`` bytes over the ``max_bytes`` limit.

    >>> str(too_large("a.md", 1_200_000, 1024**2))
    'a.md: is 1.1M, over the 1M limit (raise it with --max-size)'
    """
    return TextInputError(name, f"is {human_size(size)}, over the {human_size(max_bytes)} limit (raise it with --max-size)", "too-large")


def read_text(path: str | Path, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, allow_empty: bool = True) -> Document:
    """Read a file as a :class:`Document` (see :func:`decode`)."""
    p = Path(path)
    name = str(path)
    try:
        if p.is_dir():
            raise TextInputError(name, "is a directory (pass -r to read the files in it)", "unreadable")
        size = p.stat().st_size
        if size > max_bytes:
            raise too_large(name, size, max_bytes)
        data = p.read_bytes()
    except TextInputError:
        raise
    except OSError as exc:
        raise TextInputError(name, f"cannot read: {exc.strerror or exc}", "unreadable") from None
    if not data.strip() and not allow_empty:
        raise TextInputError(name, "is empty", "empty")
    return decode(data, name, encoding)


def write_atomic(path: str | Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically; return False (and leave the
    file, its mtime included, untouched) when the content is already ``data``.
    """
    p = Path(path)
    try:
        if p.read_bytes() == data:
            return False
        mode = stat.S_IMODE(p.stat().st_mode)
    except FileNotFoundError:
        mode = 0o644
    if not os.access(p.parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise TextInputError(str(path), "cannot write: permission denied", "unreadable")
    import tempfile  # here: only rewriting needs it

    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return True
