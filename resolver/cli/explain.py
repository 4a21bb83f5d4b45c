"""``resolver explain``: why each name in a text was found, matched and chosen."""

from __future__ import annotations

import json
import sys

import click

from ..errors import ResolverError
from . import CliError, glossary_option, load_resolver, main, translate
from ._inputs import document_options, header


@main.command(name="explain")
@click.argument("text", required=False)
@click.option(
    "--file",
    "file_",
    type=click.Path(dir_okay=False, allow_dash=True),
    metavar="PATH",
    help="Explain the mentions of a file (- for standard input) instead of TEXT.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people; json: every mention in the find format with a why object.",
)
@click.option("-q", "--quiet", is_flag=True, help="No glossary header on standard error.")
@document_options
@glossary_option
def explain(
    text: str | None,
    file_: str | None,
    fmt: str,
    quiet: bool,
    input_format: str,
    quotes: str,
    allow_file: str | None,
    glossaries: tuple[str, ...],
) -> None:
    """Explain every mention in TEXT (or in the file given with --file):
    where it is, what it resolved to, the glossary spelling it matched, the
    folding steps (case, apostrophe, hyphen/space, line break, diacritics,
    width, invisible characters) and spelling rules that made it match, the
    possessive or title around it, the overlapping candidates it beat
    (leftmost, then longest wins) and what settled its status.

    \b
    Examples:
      resolver explain "The JAISH-I-MUHAMMAD’s chief met Lt Gen Asim Munir"
      resolver explain --file draft.md
      resolver explain --format json "Tehreek-e-Taliban Pakistan"

    Exit status: 0 done, 2 usage error or unreadable file, 3 glossary error,
    4 the file is not text.
    """
    from .. import __version__
    from ..documents import detect_format
    from ..explain import explain as explain_doc
    from ..explain import explain_text
    from ..report import LineIndex, glossary_info
    from ..textio import decode, read_text

    if (text is None) == (file_ is None):
        raise CliError('give either TEXT or --file PATH (not both): resolver explain "The JeM\'s chief"')
    name = ""
    if file_ is not None:
        try:
            if file_ == "-":
                doc = decode(sys.stdin.buffer.read(), "<stdin>")
            else:
                doc = read_text(file_)
        except ResolverError as exc:
            raise translate(exc) from None
        text, name = doc.text, file_
    assert text is not None
    fmt_in = input_format if input_format != "auto" else detect_format(name or "-")
    r = load_resolver(glossaries)
    from ._inputs import load_allow_list

    allow = load_allow_list(r, allow_file)
    try:
        items = explain_doc(r, text, fmt_in, quotes, allow)  # type: ignore[arg-type]
    except ResolverError as exc:
        raise translate(exc) from None
    if fmt == "json":
        index = LineIndex(text)
        for it in items:
            (it["line"], it["column"]), (it["end_line"], it["end_column"]) = (
                index.position(it["start"]),
                index.position(it["end"]),
            )
        doc_out = {
            "format": "resolver-explain",
            "version": 1,
            "resolver": __version__,
            "glossary": glossary_info(r.glossary),
            "input_format": fmt_in,
            "mentions": items,
        }
        click.echo(json.dumps(doc_out, ensure_ascii=False, indent=2))
        return
    header(r, quiet)
    out = explain_text(text, items, name)
    click.echo(out if out else "no mention of a glossary name\n", nl=False)
