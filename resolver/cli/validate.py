"""``resolver validate``, ``resolver fmt`` and ``resolver diff``: the
maintainer's checks on glossary files."""

from __future__ import annotations

import json

import click

from ..errors import GlossaryError, ResolverError
from . import EXIT_FINDINGS, main, translate


def _paths(given: tuple[str, ...]) -> list[str]:
    """The glossary files named, or the one ``resolver`` would use."""
    if given:
        return list(given)
    from ..discovery import glossary_paths

    return [str(p) for p in glossary_paths()]


@main.command()
@click.argument("glossaries", nargs=-1, type=click.Path(exists=True, dir_okay=False), metavar="[GLOSSARY]...")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for pull-request annotations, sarif for code scanning.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@click.option("--require-sources", is_flag=True, help="Every entity needs `sources:` (L009).")
@click.option(
    "--require-examples", is_flag=True, help="Every acronym and ambiguous alias needs an example that uses it (L015)."
)
@click.option("--no-examples", is_flag=True, help="Do not run the entities' examples (L013).")
@click.option(
    "--similarity",
    type=click.FloatRange(0, 100),
    default=90.0,
    show_default=True,
    help="Similarity (rapidfuzz token_sort_ratio) from which two entities are near-duplicates (L008).",
)
def validate(
    glossaries: tuple[str, ...],
    fmt: str,
    strict: bool,
    require_sources: bool,
    require_examples: bool,
    no_examples: bool,
    similarity: float,
) -> None:
    """Check glossary files: everything the loader rejects, plus the lint
    rules a reviewer needs (shared aliases, ordinary words, near-duplicate
    entities, failing examples…), each reported as path:line:col with a
    stable code and a one-line fix. Several files are checked merged, in
    order, the way --glossary merges them. Without GLOSSARY: the glossary
    resolver would use here. Codes: see CONTRIBUTING.md.

    \b
    Examples:
      resolver validate aliases.yaml
      resolver validate --strict --require-examples aliases.yaml
      resolver validate --format github aliases.yaml    # in CI

    Exit status: 0 no errors (with --strict: no warnings either), 1
    findings, 2 usage error or missing file.
    """
    from ..lint import LintConfig, fails, lint, render

    paths = _paths(glossaries)
    cfg = LintConfig(
        require_sources=require_sources,
        require_examples=require_examples,
        examples=not no_examples,
        similarity=similarity,
    )
    try:
        findings = lint(paths, cfg)
    except ResolverError as exc:
        raise translate(exc) from None
    out = render(findings, fmt, files=len(paths))  # type: ignore[arg-type]
    if out:
        click.echo(out)
    if fails(findings, strict):
        raise click.exceptions.Exit(EXIT_FINDINGS)


@main.command()
@click.argument("glossaries", nargs=-1, type=click.Path(exists=True, dir_okay=False), metavar="[GLOSSARY]...")
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a file is not formatted.")
def fmt(glossaries: tuple[str, ...], check: bool) -> None:
    """Rewrite glossary files in the canonical layout: entities sorted by
    type then id, keys in schema order, aliases deduplicated and sorted.
    Comments, quoting and indentation are kept; running it twice changes
    nothing. Without GLOSSARY: the glossary resolver would use here.

    \b
    Examples:
      resolver fmt aliases.yaml
      resolver fmt --check aliases.yaml     # in CI

    Exit status: 0 formatted (nothing to do, or done), 1 with --check: a
    file needs formatting, 2 usage error, 3 a file is not a valid glossary.
    """
    from ..fmt import format_file

    changed = []
    for p in _paths(glossaries):
        try:
            if format_file(p, check=check):
                changed.append(p)
        except ResolverError as exc:
            raise translate(exc) from None
    for p in changed:
        click.echo(f"would reformat {p}" if check else f"reformatted {p}")
    if check and changed:
        click.echo(
            f"{len(changed)} file{'s' if len(changed) != 1 else ''} not formatted; run: resolver fmt {' '.join(changed)}",
            err=True,
        )
        raise click.exceptions.Exit(EXIT_FINDINGS)


@main.command(name="diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False),
    help="A directory of texts: list every mention the change reads differently.",
)
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(old: str, new: str, corpus: str | None, fmt: str) -> None:
    """Show what a glossary change does: entities added, removed, renamed or
    changed, aliases moved between entities, spelling rules changed, and,
    with --corpus, every mention in those texts that would now resolve
    differently (the reviewer's blast radius).

    \b
    Examples:
      git show main:aliases.yaml > /tmp/old.yaml
      resolver diff /tmp/old.yaml aliases.yaml --corpus seeds/

    Exit status: 0 the glossaries mean the same (and no mention changes), 1
    differences, 2 usage error, 3 glossary error.
    """
    from ..core import Resolver
    from ..files import expand, read_source
    from ..gdiff import blast_radius, diff_glossaries, render_text, to_dict
    from ..glossary import load_glossary

    try:
        g_old, g_new = load_glossary(old), load_glossary(new)
    except GlossaryError as exc:
        raise translate(exc) from None
    d = diff_glossaries(g_old, g_new)
    changes = None
    documents = 0
    if corpus is not None:
        docs = []
        for src in expand([corpus], recursive=True):
            try:
                docs.append(read_source(src)[0])
            except ResolverError:
                continue  # a file in the corpus that is not text
        documents = len(docs)
        changes = blast_radius(Resolver(g_old), Resolver(g_new), docs)
    if fmt == "json":
        click.echo(json.dumps(to_dict(d, changes, documents), indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(d, changes, documents))
    if not d.empty or changes:
        raise click.exceptions.Exit(EXIT_FINDINGS)


__all__ = ["diff_command", "fmt", "validate"]
