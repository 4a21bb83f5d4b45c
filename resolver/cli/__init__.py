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
from collections.abc import Callable, Iterator, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import __version__
from ..errors import GlossaryError, ResolverError
from ..textio import TextInputError

if TYPE_CHECKING:  # pragma: no cover
    from _collections_abc import dict_items, dict_keys, dict_values

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


#: The module (in this package) that defines each command.
COMMAND_MODULES = {
    "normalize": "normalize",
    "check": "check",
    "find": "find",
    "lookup": "lookup",
    "show": "lookup",
    "stats": "lookup",
    "import": "importer",
    "validate": "validate",
    "fmt": "validate",
    "diff": "validate",
    "unknown": "unknown",
    "explain": "explain",
}


class LazyCommands(dict[str, click.Command]):
    """The commands of :func:`main`, each module imported when it is needed:
    looking a command up (running it) imports the module that defines it,
    listing the commands (``--help``, completion, iterating) imports them all.
    ``resolver check`` thus never pays for the imports of ``import`` or
    ``lookup``. A name :data:`COMMAND_MODULES` does not know (a command
    registered by a module imported some other way, or a typo) is looked up
    after importing every module.

    >>> "check" in main.commands, type(main.commands["check"]).__name__, sorted(main.commands)[:3]
    (True, 'Command', ['check', 'diff', 'explain'])
    """

    _complete = False

    def _load(self, name: str | None = None) -> None:
        if name is not None and name in COMMAND_MODULES:
            import_module(f"{__name__}.{COMMAND_MODULES[name]}")
        elif not self._complete:
            for module in dict.fromkeys(COMMAND_MODULES.values()):
                import_module(f"{__name__}.{module}")
            self._complete = True

    def _lookup(self, name: object) -> None:
        if isinstance(name, str) and not dict.__contains__(self, name):
            self._load(name)
            if not dict.__contains__(self, name):
                self._load()

    def __contains__(self, name: object) -> bool:
        self._lookup(name)
        return dict.__contains__(self, name)

    def __getitem__(self, name: str) -> click.Command:
        self._lookup(name)
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:
        self._lookup(name)
        return dict.get(self, name, default)

    def __iter__(self) -> Iterator[str]:
        self._load()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._load()
        return dict.__len__(self)

    def keys(self) -> dict_keys[str, click.Command]:
        self._load()
        return dict.keys(self)

    def values(self) -> dict_values[str, click.Command]:
        self._load()
        return dict.values(self)

    def items(self) -> dict_items[str, click.Command]:
        self._load()
        return dict.items(self)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, help=__doc__, commands=LazyCommands())
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version, help="Show the version and the glossary files in use.")
def main() -> None:
    pass


# The commands register themselves on `main` when their module is imported:
# LazyCommands imports a command's module when the command is needed.
