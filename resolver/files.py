"""The files a command works on: finding them, reading them, processing them.

* :func:`expand` turns the paths a person typed into an ordered list of
  :class:`Source` s: files as given, directories walked recursively (sorted,
  hidden entries and VCS/cache folders skipped, ``include``/``exclude`` globs
  applied, files that are not text by their name left out), ``-`` for
  standard input. A missing path, or a directory without ``recursive``, raises
  :class:`~resolver.textio.TextInputError` before anything is processed.
* :func:`process` reads and analyses every source with a :class:`Job`, in
  parallel worker processes when ``jobs > 1``, and yields one
  :class:`FileResult` per source **in the order of the sources**, so that
  ``--jobs 4`` prints exactly what ``--jobs 1`` prints.
* :func:`rewrite` writes a result back in place, atomically and only when
  something changed (:func:`resolver.textio.write_atomic`).

A file found by walking a directory that turns out not to be text (NUL bytes,
undecodable, over the size limit) is *skipped*: its result carries the
problem and ``skipped`` is true. The same problem with a file named
explicitly is an *error* the command line turns into an exit status.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "b.txt").write_text("JeM"); _ = (d / "a.md").write_text("ISI")
>>> _ = (d / "logo.png").write_bytes(b"\\x89PNG"); (d / ".git").mkdir()
>>> [pathlib.Path(s.path).name for s in expand([str(d)], recursive=True)]
['a.md', 'b.txt']
>>> [pathlib.Path(s.path).name for s in expand([str(d)], recursive=True, include=["*.txt"])]
['b.txt']
>>> import shutil; shutil.rmtree(d)
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .textio import DEFAULT_MAX_BYTES, Document, ErrorKind, TextInputError, decode, too_large, write_atomic

if TYPE_CHECKING:  # pragma: no cover
    from .core import Resolver, Style
    from .model import Mention

__all__ = [
    "STDIN",
    "FileResult",
    "Job",
    "Source",
    "expand",
    "is_text_name",
    "process",
    "read_source",
    "rewrite",
    "with_stdin",
]

#: How standard input is named on the command line.
STDIN = "-"

#: Directories never entered when walking (besides every hidden one).
SKIP_DIRS = frozenset({"__pycache__", "node_modules", "CVS"})

#: File name endings that are never text; such files are left out of walks
#: without a warning (a folder of drafts with pictures is not an error).
BINARY_SUFFIXES = frozenset(
    {
        ".7z", ".a", ".avi", ".bin", ".bmp", ".bz2", ".class", ".db", ".dll", ".doc", ".docx", ".dylib", ".eot",
        ".exe", ".flac", ".gif", ".gz", ".ico", ".jar", ".jpeg", ".jpg", ".lz", ".m4a", ".mkv", ".mov", ".mp3",
        ".mp4", ".o", ".odp", ".ods", ".odt", ".ogg", ".otf", ".pdf", ".png", ".ppt", ".pptx", ".pyc", ".pyo",
        ".rar", ".so", ".sqlite", ".tar", ".tgz", ".tif", ".tiff", ".ttf", ".wav", ".webm", ".webp", ".whl",
        ".woff", ".woff2", ".xls", ".xlsx", ".xz", ".zip", ".zst",
    }
)  # fmt: skip

#: Bytes read to decide whether a walked file is binary before reading it all.
SNIFF_BYTES = 8192

_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file path, or standard input (``stdin`` true, ``data`` its
    bytes, ``path`` the name to show in reports). ``explicit`` is false for a
    file found by walking a directory."""

    path: str
    explicit: bool = True
    stdin: bool = False
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class FileResult:
    """What :class:`Job` found in one source.

    On success ``text`` is the decoded text, ``encoding`` how to encode it
    back, ``mentions`` every mention and ``edits`` the ``(start, end, new)``
    rewrites of the chosen style. On failure ``error`` is a one-line reason
    (without the path) and ``error_kind`` its
    :class:`~resolver.textio.TextInputError` kind. ``stamp`` is the file's
    ``(mtime_ns, size)`` when read, to detect a change before rewriting.
    """

    source: Source
    text: str | None = None
    encoding: str | None = None
    mentions: tuple[Mention, ...] = ()
    edits: tuple[tuple[int, int, str], ...] = ()
    error: str | None = None
    error_kind: ErrorKind | None = None
    stamp: tuple[int, int] | None = None

    @property
    def ok(self) -> bool:
        """True when the source was read and analysed."""
        return self.error is None

    @property
    def skipped(self) -> bool:
        """True for a walked file that was not text: warn and go on."""
        return self.error is not None and not self.source.explicit

    @property
    def changed(self) -> bool:
        """True when rewriting would change the text."""
        return bool(self.edits)

    def new_text(self) -> str:
        """The text with every edit applied."""
        from .core import splice

        assert self.text is not None, "no text: the source could not be read"
        return splice(self.text, self.edits)

    def exception(self) -> TextInputError:
        """The failure as the library's exception (for the command line)."""
        assert self.error is not None and self.error_kind is not None
        return TextInputError(self.source.path, self.error, self.error_kind)


def is_text_name(name: str) -> bool:
    """False for a file name whose ending says it is not text.

    >>> is_text_name("draft.txt"), is_text_name("notes"), is_text_name("Photo.JPG")
    (True, True, False)
    """
    suffix = os.path.splitext(name)[1].lower()
    return suffix not in BINARY_SUFFIXES


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    """fnmatch-style: a pattern matches the file name or the relative path.

    >>> _matches("drafts/old/a.txt", ["*.txt"]), _matches("drafts/old/a.txt", ["drafts/old/*"])
    (True, True)
    >>> _matches("drafts/a.md", ["old/*", "*.txt"])
    False
    """
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(rel, p) for p in patterns)


def _walk(root: str, include: Sequence[str], exclude: Sequence[str]) -> Iterator[str]:
    base = Path(root)
    here = os.path.normpath(root) == "."  # "./a.txt" reads better as "a.txt"
    for dirpath, dirnames, filenames in os.walk(root, onerror=None, followlinks=False):
        reldir = Path(dirpath).relative_to(base).as_posix()
        prefix = "" if reldir == "." else reldir + "/"
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and d not in SKIP_DIRS and not (exclude and _matches(prefix + d, exclude))
        )
        for f in sorted(filenames):
            rel = prefix + f
            if f.startswith(".") or not is_text_name(f):
                continue
            if include and not _matches(rel, include):
                continue
            if exclude and _matches(rel, exclude):
                continue
            yield rel if here else os.path.join(dirpath, f)


def expand(
    paths: Iterable[str],
    *,
    recursive: bool = False,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    stdin_name: str = "<stdin>",
) -> list[Source]:
    """The sources named by ``paths``, in order, each file once.

    Globs filter only what a walk finds: a file named explicitly is always
    processed. Raises :class:`~resolver.textio.TextInputError` (kind
    ``"unreadable"``) for a missing path, a directory without ``recursive``,
    or ``-`` given twice.

    >>> expand(["-"], stdin_name="draft.txt")
    [Source(path='draft.txt', explicit=True, stdin=True, data=None)]
    >>> expand(["/nonexistent/draft.txt"])
    Traceback (most recent call last):
    ...
    resolver.textio.TextInputError: /nonexistent/draft.txt: no such file or directory
    """
    out: list[Source] = []
    seen: set[str] = set()
    stdin_seen = False

    def add(path: str, explicit: bool) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(Source(path, explicit))

    for p in paths:
        if p == STDIN:
            if stdin_seen:
                raise TextInputError(p, "standard input can be read only once", "unreadable")
            stdin_seen = True
            out.append(Source(stdin_name, True, True))
        elif os.path.isdir(p):
            if not recursive:
                raise TextInputError(p, "is a directory; pass -r/--recursive to process the files in it", "unreadable")
            for f in _walk(p, include, exclude):
                add(f, False)
        elif os.path.lexists(p):
            add(p, True)
        else:
            raise TextInputError(p, "no such file or directory", "unreadable")
    return out


def _looks_binary(head: bytes) -> bool:
    return b"\x00" in head and not head.startswith(_UTF16_32_BOMS)


def read_source(
    source: Source, *, encoding: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[Document, tuple[int, int] | None]:
    """Decode one source; return the document and its ``(mtime_ns, size)``.

    A walked file is sniffed before it is read in full, so that a large
    binary file costs one small read. Raises
    :class:`~resolver.textio.TextInputError`.
    """
    if source.stdin:
        data = source.data or b""
        if len(data) > max_bytes:
            raise too_large(source.path, len(data), max_bytes)
        return decode(data, source.path, encoding), None
    path = source.path
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if stat.S_ISDIR(st.st_mode):
                raise TextInputError(
                    path, "is a directory; pass -r/--recursive to process the files in it", "unreadable"
                )
            head = fh.read(SNIFF_BYTES)
            if encoding in (None, "utf-8", "utf-8-sig") and _looks_binary(head):
                raise TextInputError(path, "not a text file (contains NUL bytes)", "binary")
            if st.st_size > max_bytes:
                raise too_large(path, st.st_size, max_bytes)
            data = head + fh.read()
    except TextInputError:
        raise
    except OSError as exc:
        raise TextInputError(path, f"cannot read: {exc.strerror or exc}", "unreadable") from None
    return decode(data, path, encoding), (st.st_mtime_ns, st.st_size)


@dataclass(frozen=True, slots=True)
class Job:
    """Read one source and find its mentions and the rewrites of ``style``.

    A job is a picklable callable: :func:`process` sends it once to each
    worker process.
    """

    resolver: Resolver
    style: Style = "canonical"
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES

    def __call__(self, source: Source) -> FileResult:
        try:
            doc, stamp = read_source(source, encoding=self.encoding, max_bytes=self.max_bytes)
        except TextInputError as exc:
            return FileResult(source, error=str(exc).removeprefix(f"{source.path}: "), error_kind=exc.kind)
        mentions = tuple(self.resolver.find(doc.text))
        edits = tuple(self.resolver.replacements(doc.text, mentions, self.style))
        return FileResult(source, doc.text, doc.encoding, mentions, edits, stamp=stamp)


_WORKER_JOB: Job | None = None


def _init_worker(job: Job) -> None:
    import signal

    global _WORKER_JOB
    _WORKER_JOB = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def _run_in_worker(source: Source) -> FileResult:
    assert _WORKER_JOB is not None
    return _WORKER_JOB(source)


def process(sources: Sequence[Source], job: Job, jobs: int = 1) -> Iterator[FileResult]:
    """Run ``job`` on every source; yield the results in the sources' order.

    With ``jobs > 1`` the files are spread over that many worker processes
    (``jobs == 0``: one per CPU); the results, and their order, are the same
    as with one job. Closing the iterator early (or Ctrl-C) cancels the work
    not started yet.
    """
    if jobs == 0:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    jobs = min(jobs, len(sources))
    if jobs <= 1:
        for s in sources:
            yield job(s)
        return
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(16, len(sources) // (jobs * 4)))
    ex = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(job,))
    try:
        yield from ex.map(_run_in_worker, sources, chunksize=chunk)
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def rewrite(result: FileResult) -> bool:
    """Write ``result``'s new text over its file; return whether it changed.

    Nothing is written when there is no edit (the file, mtime included, is
    left alone). The file is replaced atomically with its encoding, BOM and
    line endings; a symbolic link is followed, not replaced. Raises
    :class:`~resolver.textio.TextInputError` (kind ``"unreadable"``) for a
    read-only file, or a file that changed on disk since it was read.
    """
    if not result.changed:
        return False
    src = result.source
    if src.stdin or result.text is None or result.encoding is None:
        raise TextInputError(src.path, "cannot be rewritten in place (not a file)", "unreadable")
    target = Path(src.path).resolve()
    try:
        st = target.stat()
    except OSError as exc:
        raise TextInputError(src.path, f"cannot write: {exc.strerror or exc}", "unreadable") from None
    if not st.st_mode & stat.S_IWUSR:
        raise TextInputError(
            src.path, "is read-only; make it writable (chmod u+w) to rewrite it in place", "unreadable"
        )
    if result.stamp is not None and (st.st_mtime_ns, st.st_size) != result.stamp:
        raise TextInputError(
            src.path, "changed on disk while resolver was working on it; run the command again", "unreadable"
        )
    data = result.new_text().encode(result.encoding)
    return write_atomic(target, data)


def with_stdin(sources: Sequence[Source], data: bytes) -> list[Source]:
    """``sources`` with standard input's bytes filled in."""
    return [replace(s, data=data) if s.stdin else s for s in sources]
