"""The ``resolver`` command line: argument parsing and printing only.

Exit status (the same for every command):

\b
  0  clean: nothing to fix
  1  findings: mentions to fix (check), unknown terms (unknown), lint errors
  2  usage error, or a path that does not exist / cannot be read
  3  glossary error (the message names file, line and entity)
  4  input is not text (NUL bytes, invalid UTF-8 for the encoding)
  5  input is larger than --max-size
  6  input is empty where text is required
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from .. import __version__
from ..errors import GlossaryError, ResolverError
from ..textio import TextInputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_GLOSSARY = 3
EXIT_NOT_TEXT = 4
EXIT_TOO_LARGE = 5
EXIT_EMPTY = 6

_INPUT_EXIT = {"unreadable": EXIT_USAGE, "binary": EXIT_NOT_TEXT, "too-large": EXIT_TOO_LARGE, "empty": EXIT_EMPTY}

F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """A one-line error with its documented exit status."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"resolver: error: {self.format_message()}", err=True)


def translate(exc: ResolverError) -> CliError:
    """Map a library error to the CLI's message and exit status."""
    if isinstance(exc, GlossaryError):
        return CliError(str(exc), EXIT_GLOSSARY)
    if isinstance(exc, TextInputError):
        return CliError(str(exc), _INPUT_EXIT[exc.kind])
    return CliError(str(exc), EXIT_USAGE)


def glossary_option(f: F) -> F:
    """``--glossary PATH`` (repeatable), shared by every command."""
    return click.option(
        "--glossary",
        "-g",
        "glossaries",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="Glossary file (repeatable, merged in order). Default: $RESOLVER_GLOSSARY, "
        "else aliases.yaml in this directory or a parent, else the bundled glossary.",
    )(f)


def load_resolver(glossaries: Sequence[str]) -> Any:
    """Load (from cache when possible) the resolver for the selected glossaries."""
    from ..cache import cached_resolver
    from ..discovery import glossary_paths

    try:
        return cached_resolver(glossary_paths(glossaries))
    except ResolverError as exc:
        raise translate(exc) from None


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from ..discovery import glossary_paths

    paths = ", ".join(str(p) for p in glossary_paths())
    click.echo(f"resolver {__version__} (Python {sys.version.split()[0]}); glossary: {paths}")
    ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, help=__doc__)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version, help="Show the version and the glossary files in use.")
def main() -> None:
    pass


from . import normalize as _normalize  # noqa: E402,F401  (registers commands)
from . import check as _check  # noqa: E402,F401
from . import find as _find  # noqa: E402,F401
from . import lookup as _lookup  # noqa: E402,F401
from . import importer as _importer  # noqa: E402,F401
from . import validate as _validate  # noqa: E402,F401
from . import unknown as _unknown  # noqa: E402,F401
from . import explain as _explain  # noqa: E402,F401
