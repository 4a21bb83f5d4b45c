"""``resolver normalize``: rewrite mentions to their canonical names."""

from __future__ import annotations

import sys

import click

from ..errors import ResolverError
from ..textio import decode, read_text
from . import glossary_option, load_resolver, main, translate


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--style", type=click.Choice(["canonical", "first-full", "keep-short"]), default="canonical", show_default=True, help="How to rewrite: canonical names everywhere; 'Canonical (SHORT)' on first mention then SHORT; or keep acronyms as acronyms.")
@glossary_option
def normalize(paths: tuple[str, ...], style: str, glossaries: tuple[str, ...]) -> None:
    """Print PATHS (files, or - for standard input) with every variant
    spelling rewritten to its canonical name; nothing else changes.

    \b
    Example:
      resolver normalize draft.txt > draft.fixed.txt
      echo "JeM and the ISI" | resolver normalize -
    """
    r = load_resolver(glossaries)
    out = sys.stdout.buffer
    for p in paths:
        try:
            doc = decode(sys.stdin.buffer.read()) if p == "-" else read_text(p)
        except ResolverError as exc:
            raise translate(exc) from None
        out.write(r.normalize(doc.text, style=style).encode(doc.encoding))
    out.flush()
