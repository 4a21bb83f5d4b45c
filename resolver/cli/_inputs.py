"""What ``normalize``, ``check`` and ``find`` share: the options that select
and read files, the loop that runs them (progress bar, warnings, errors,
Ctrl-C, a closed pipe) and the glossary header."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from ..errors import ResolverError
from ..files import FileResult, Job
from ..textio import DEFAULT_MAX_BYTES, TextInputError
from . import EXIT_OK, EXIT_USAGE, CliError, translate

if TYPE_CHECKING:  # pragma: no cover
    from ..core import Resolver
    from ..files import Source

F = TypeVar("F", bound=Callable[..., Any])

#: More files than this get a progress bar (on a terminal, without --quiet).
PROGRESS_MIN_FILES = 8
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024**2, "mb": 1024**2, "g": 1024**3, "gb": 1024**3}


def parse_size(ctx: click.Context | None, param: click.Parameter | None, value: Any) -> int:
    """A byte size: ``500000``, ``512k``, ``64M``, ``1G`` (binary units).

    >>> parse_size(None, None, "64M"), parse_size(None, None, "1.5k")
    (67108864, 1536)
    """
    if isinstance(value, int):
        return value
    s = str(value).strip().lower()
    num = s.rstrip("kmgb")
    try:
        n = float(num) * _UNITS[s[len(num) :]]
    except (ValueError, KeyError):
        raise click.BadParameter(f"{value!r} is not a size (examples: 500000, 512k, 64M, 1G)", ctx, param) from None
    if n <= 0:
        raise click.BadParameter(f"{value!r} must be larger than 0", ctx, param)
    return int(n)


def style_option(f: F) -> F:
    """``--style``: how mentions are rewritten (normalize) or judged (check)."""
    return click.option(
        "--style",
        type=click.Choice(["canonical", "first-full", "keep-short"]),
        default="canonical",
        show_default=True,
        help="canonical: canonical names everywhere; first-full: 'Canonical (SHORT)' on first mention, "
        "then SHORT; keep-short: acronyms stay acronyms (spelled as the entity's short form).",
    )(f)


def input_options(f: F) -> F:
    """The options that select, read and process input files."""
    for deco in reversed(
        [
            click.option(
                "-r", "--recursive", is_flag=True, help="Process the files in directories given as PATHS, recursively."
            ),
            click.option(
                "--include",
                multiple=True,
                metavar="GLOB",
                help="With -r: only files whose name or relative path matches GLOB (repeatable).",
            ),
            click.option(
                "--exclude",
                multiple=True,
                metavar="GLOB",
                help="With -r: leave out files and directories matching GLOB (repeatable).",
            ),
            click.option(
                "--encoding",
                default=None,
                metavar="NAME",
                help="Encoding of the input files. Default: from the BOM, else UTF-8.",
            ),
            click.option(
                "--max-size",
                callback=parse_size,
                default=f"{DEFAULT_MAX_BYTES // 1024**2}M",
                show_default=True,
                metavar="SIZE",
                help="Largest input file accepted.",
            ),
            click.option(
                "-j",
                "--jobs",
                type=click.IntRange(min=0),
                default=1,
                show_default=True,
                help="Files processed in parallel (0: one per CPU). Output is the same for any value.",
            ),
            click.option(
                "--stdin-filename",
                default="<stdin>",
                show_default=True,
                metavar="NAME",
                help="Name standard input (-) has in reports.",
            ),
            click.option(
                "-q", "--quiet", is_flag=True, help="No progress bar, glossary header or summary on standard error."
            ),
        ]
    ):
        f = deco(f)
    return f


def document_options(f: F) -> F:
    """``--input-format``, ``--quotes`` and ``--allow``: how files are read
    as documents (:mod:`resolver.documents`)."""
    for deco in reversed(
        [
            click.option(
                "--input-format",
                type=click.Choice(["auto", "text", "markdown", "html"]),
                default="auto",
                show_default=True,
                help="How to read the files: auto chooses by extension (.md/.markdown: markdown, .html/.htm: html, "
                "else text). Markdown and HTML: only prose is matched (never code, link targets, tags, attributes, "
                "front matter); every format protects URLs, domain names and e-mail addresses.",
            ),
            click.option(
                "--quotes",
                type=click.Choice(["normalize", "keep"]),
                default="normalize",
                show_default=True,
                help="keep: names inside quotation marks stay as written, reported as quoted (info).",
            ),
            click.option(
                "--allow",
                "allow_file",
                type=click.Path(dir_okay=False),
                default=None,
                metavar="FILE",
                help="Allow-list: entity ids or spellings (one a line, # comments) never reported or rewritten. "
                "Default: .resolver-allow in this directory or a parent.",
            ),
        ]
    ):
        f = deco(f)
    return f


def load_allow_list(r: Resolver, allow_file: str | None) -> tuple[str, ...]:
    """The allow-list named by ``--allow``, else the one found by discovery,
    checked against the glossary (exit 2 with file:line on an entry it does
    not know)."""
    from ..documents import find_allow_file, load_allow

    path = allow_file if allow_file is not None else find_allow_file()
    if path is None:
        return ()
    try:
        return load_allow(path, r)
    except ResolverError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


@dataclass(frozen=True, slots=True)
class DocumentResult(FileResult):
    """A :class:`~resolver.files.FileResult` with the input format the file
    was read as, and each mention's ``why`` when asked."""

    input_format: str = "text"
    whys: tuple[dict[str, Any], ...] | None = None


@dataclass(frozen=True, slots=True)
class DocumentJob(Job):
    """A :class:`~resolver.files.Job` that reads each file as a document
    (:func:`resolver.documents.read_document`): its format chosen by
    ``input_format`` (``auto``: by extension), quotations and the
    allow-list applied, and the ``why`` of every mention when ``explain``."""

    input_format: str = "auto"
    quotes: str = "normalize"
    allow: tuple[str, ...] = ()
    explain: bool = False

    def __call__(self, source: Source) -> FileResult:
        from ..documents import detect_format, read_document, rewrites
        from ..files import read_source

        try:
            doc, stamp = read_source(source, encoding=self.encoding, max_bytes=self.max_bytes)
        except TextInputError as exc:
            return FileResult(source, error=str(exc).removeprefix(f"{source.path}: "), error_kind=exc.kind)
        fmt = detect_format(source.path) if self.input_format == "auto" else self.input_format
        try:
            reading = read_document(self.resolver, doc.text, fmt, self.quotes, self.allow)  # type: ignore[arg-type]
        except ResolverError as exc:  # a suppression comment resolver cannot apply
            return FileResult(source, error=str(exc), error_kind="unreadable")
        whys = None
        if self.explain:
            from ..explain import explain_mentions

            whys = tuple(explain_mentions(self.resolver, doc.text, reading.mentions, reading.masked))
        edits = tuple(rewrites(self.resolver, reading, self.style))
        return DocumentResult(
            source, doc.text, doc.encoding, reading.mentions, edits, stamp=stamp, input_format=fmt, whys=whys
        )


def use_color(stream: IO[Any], mode: str = "auto") -> bool:
    """``--color``: ``always``, ``never``, or (``auto``) only on a terminal
    and never when ``NO_COLOR`` is set."""
    if mode != "auto":
        return mode == "always"
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


color_option = click.option(
    "--color",
    "color_mode",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text report: on a terminal unless NO_COLOR is set (auto), also into a pipe "
    "(always: for 'less -R'), or never.",
)


_bar_active = False


def _echo_err(line: str) -> None:
    # over a progress bar: clear its line first; the bar redraws below
    click.echo(("\r\x1b[K" if _bar_active else "") + line, err=True)


def warn(message: str) -> None:
    """A one-line warning on standard error."""
    _echo_err(f"resolver: warning: {message}")


def header(r: Resolver, quiet: bool) -> None:
    """Say on standard error which glossary a report uses."""
    if not quiet:
        from .. import __version__
        from ..report import glossary_header

        click.echo(glossary_header(r.glossary, __version__), err=True)


def collect(
    paths: Sequence[str], recursive: bool, include: Sequence[str], exclude: Sequence[str], stdin_filename: str
) -> list[Source]:
    """The sources named on the command line (standard input read now)."""
    from ..files import expand, with_stdin

    try:
        sources = expand(paths, recursive=recursive, include=include, exclude=exclude, stdin_name=stdin_filename)
    except ResolverError as exc:
        raise translate(exc) from None
    if any(s.stdin for s in sources):
        sources = with_stdin(sources, sys.stdin.buffer.read())
    return sources


class Outcome:
    """Tracks what went wrong while processing files: skipped files are
    warnings; the first failed file sets the exit status."""

    def __init__(self) -> None:
        self.exit_code = EXIT_OK
        self.notes: list[tuple[str, str]] = []  # (path, message) of skipped or failed files
        self.skipped = 0
        self.failed = 0

    def skip(self, result: FileResult) -> None:
        assert result.error is not None
        self.skipped += 1
        self.notes.append((result.source.path, f"skipped: {result.error}"))
        warn(f"{result.source.path}: {result.error} (skipped)")

    def fail(self, exc: ResolverError) -> None:
        err = translate(exc)
        self.failed += 1
        path = getattr(exc, "path", "")
        self.notes.append((str(path), f"error: {err.format_message()}"))
        _echo_err(f"resolver: error: {err.format_message()}")
        if self.exit_code == EXIT_OK:
            self.exit_code = err.exit_code

    def usable(self, result: FileResult) -> bool:
        """True when ``result`` can be reported; otherwise warn or fail."""
        if result.ok:
            return True
        if result.skipped:
            self.skip(result)
        else:
            self.fail(result.exception())
        return False


def run(
    sources: Sequence[Source], job: Job, jobs: int, quiet: bool, label: str, prints: bool = True
) -> Iterator[FileResult]:
    """Process ``sources`` in order, with a progress bar on standard error
    when it is a terminal, unless the results themselves scroll by on the
    terminal (``prints`` and standard output is a terminal)."""
    from ..files import process

    results = process(sources, job, jobs)
    err = sys.stderr
    scrolling = prints and sys.stdout.isatty()
    if quiet or scrolling or len(sources) <= PROGRESS_MIN_FILES or not err.isatty():
        yield from results
        return
    global _bar_active
    with click.progressbar(length=len(sources), label=label, file=err, color=use_color(err)) as bar:
        try:
            for res in results:
                bar.update(1)
                _bar_active = True
                yield res
        finally:
            _bar_active = False


@contextmanager
def guarded() -> Iterator[None]:
    """Ctrl-C: a one-line message and exit 130 (files being rewritten are
    left whole by the atomic writes). A closed pipe (``| head``): exit
    quietly with 141, as a shell reports a process killed by SIGPIPE."""
    try:
        yield
    except KeyboardInterrupt:
        raise CliError(
            "interrupted; files already rewritten are complete, the others untouched", EXIT_INTERRUPTED
        ) from None
    except BrokenPipeError:
        try:  # keep Python from complaining again when it flushes stdout at exit
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise SystemExit(EXIT_BROKEN_PIPE) from None
