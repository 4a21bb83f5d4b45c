"""``resolver unknown``: the names a draft uses that the glossary lacks."""

from __future__ import annotations

import sys
from typing import Any

import click

from . import EXIT_FINDINGS, EXIT_OK, glossary_option, load_resolver, main, translate
from ._inputs import Outcome, collect, color_option, guarded, header, input_options, run, use_color, warn

FORMATS = ("text", "json", "jsonl", "yaml")


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: two piles (likely variants, new) for people; json/jsonl: for programs (schema: resolver/schema/unknown.schema.json); yaml: ready-to-paste glossary entries.",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    metavar="N",
    help="Only terms seen at least N times across all PATHS.",
)
@click.option(
    "--cutoff",
    type=click.FloatRange(0, 100),
    default=60.0,
    show_default=True,
    help="Lowest score (0-100) of a did-you-mean suggestion that is listed.",
)
@click.option(
    "--variant-threshold",
    type=click.FloatRange(0, 100),
    default=85.0,
    show_default=True,
    help="A top suggestion scoring at least this makes a term a likely variant; below, it is new.",
)
@click.option(
    "--suggestions",
    "limit",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    metavar="N",
    help="Suggestions listed per term.",
)
@click.option(
    "--add-to",
    "add_to",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="GLOSSARY",
    help="Add the terms to this glossary file (aliases under the suggested entity, stub entries for new terms), keeping its comments and layout.",
)
@click.option(
    "--dry-run", is_flag=True, help="With --add-to: print the change as a unified diff instead of writing it."
)
@click.option(
    "--extend-known",
    is_flag=True,
    help="Report a name that extends a known mention whole ('Pakistan Air Force' around 'Pakistan') instead of only its unknown words.",
)
@color_option
@input_options
@glossary_option
def unknown(
    paths: tuple[str, ...],
    fmt: str,
    min_count: int,
    cutoff: float,
    variant_threshold: float,
    extend_known: bool,
    limit: int,
    add_to: str | None,
    dry_run: bool,
    recursive: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    encoding: str | None,
    max_size: int,
    jobs: int,
    stdin_filename: str,
    quiet: bool,
    glossaries: tuple[str, ...],
    color_mode: str,
) -> None:
    """List the names in PATHS that the glossary does not know: the
    glossary maintainer's to-do list. Each term is reported once with its
    count and positions, in two piles: likely variants (a did-you-mean
    suggestion scores at least --variant-threshold: probably a misspelling or
    a new spelling of a known entity) and new names (probably entities to
    add). Across several files (-r DIR) the terms are merged and sorted by
    frequency.

    Candidates are runs of capitalised words (with the connectors of names
    such as Harkat-ul-Mujahideen or Government of Canada), acronyms and names
    after titles; ordinary words at the start of a sentence or in a
    headline, stop words, months, pronouns and anything the glossary already
    resolves are left out.

    \b
    Examples:
      resolver unknown draft.txt
      resolver unknown -r drafts/ --min-count 3            # the frequent ones first
      resolver unknown -r drafts/ --format yaml > new-entries.yaml
      resolver unknown draft.txt --add-to aliases.yaml --dry-run
      resolver unknown draft.txt --add-to aliases.yaml

    With --add-to nothing else is printed: the diff with --dry-run,
    otherwise a one-line summary on standard error.

    Exit status: 0 no unknown term, 1 unknown terms reported, 2 usage error
    or unreadable file, 3 glossary error (also when --add-to would make the
    glossary invalid), 4 a named file is not text, 5 a file is over
    --max-size.
    """
    from .. import __version__
    from ..errors import ResolverError
    from ..files import Job
    from ..unknown import UnknownOptions, find_unknown
    from ..unknown_report import aggregate, glossary_snippet, report_json, report_jsonl, report_text

    if dry_run and add_to is None:
        raise click.UsageError("--dry-run needs --add-to GLOSSARY")
    sources = collect(paths, recursive, include, exclude, stdin_filename)
    r = load_resolver(glossaries)
    if fmt == "text" and add_to is None:
        header(r, quiet)
    opts = UnknownOptions(cutoff=cutoff, variant_threshold=variant_threshold, limit=limit, extend_known=extend_known)
    outcome = Outcome()
    per_file: list[tuple[str, Any]] = []
    files: list[dict[str, Any]] = []
    with guarded():
        for res in run(sources, Job(r, encoding=encoding, max_bytes=max_size), jobs, quiet, "reading"):
            if not outcome.usable(res):
                continue
            assert res.text is not None
            found = find_unknown(r, res.text, options=opts, mentions=res.mentions)
            per_file.append((res.source.path, found))
            files.append(
                {"path": res.source.path, "encoding": res.encoding, "chars": len(res.text), "terms": len(found)}
            )
        terms = aggregate(per_file, min_count=min_count)
        if add_to is not None:
            try:
                _add(r, terms, add_to, dry_run, quiet)
            except ResolverError as exc:
                raise translate(exc) from None
        elif fmt == "text":
            color = use_color(sys.stdout, color_mode)
            click.echo(report_text(terms, color=color), nl=False, color=color)
        elif fmt == "json":
            from ..report import glossary_info

            click.echo(report_json(terms, files, glossary_info(r.glossary), __version__, outcome.notes), nl=False)
        elif fmt == "jsonl":
            click.echo(report_jsonl(terms), nl=False)
        else:
            click.echo(glossary_snippet(terms, r.glossary), nl=False)
    if fmt == "text" and add_to is None and not quiet:
        v = sum(1 for t in terms if t.unknown.classification == "likely-variant")
        n = len(files)
        extra = f" ({outcome.skipped} skipped)" if outcome.skipped else ""
        verdict = (
            f"{len(terms)} unknown terms ({v} likely variants, {len(terms) - v} new)" if terms else "no unknown terms"
        )
        click.echo(f"resolver: {n} file{'s' if n != 1 else ''} read{extra}: {verdict}", err=True)
    if outcome.exit_code != EXIT_OK:
        raise click.exceptions.Exit(outcome.exit_code)
    if terms:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _add(r: Any, terms: Any, target: str, dry_run: bool, quiet: bool) -> None:
    """Add ``terms`` to the glossary file ``target`` (or print the diff)."""
    from ..glossary import loads
    from ..report import unified_diff
    from ..textio import read_text, write_atomic
    from ..unknown_report import glossary_additions
    from ..writer import add_to_glossary

    doc = read_text(target)
    own = loads(doc.text, target)
    new_entities, new_aliases, comments = glossary_additions(terms, r.glossary, taken=own.keys())
    for eid in [e for e in new_aliases if e not in own]:
        names = ", ".join(new_aliases.pop(eid))
        warn(
            f"not added: {names} (a likely variant of {eid}, which {target} does not define; add it to the file that does)"
        )
    new_text = add_to_glossary(doc.text, new_entities, new_aliases, comments=comments, path=target)
    if dry_run:
        click.echo(unified_diff(target, doc.text, new_text), nl=False)
        return
    changed = write_atomic(target, new_text.encode(doc.encoding))
    if not quiet:
        n_alias = sum(len(v) for v in new_aliases.values())
        what = f"{n_alias} alias{'es' if n_alias != 1 else ''} to {len(new_aliases)} entit{'ies' if len(new_aliases) != 1 else 'y'} and {len(new_entities)} new entit{'ies' if len(new_entities) != 1 else 'y'}"
        click.echo(f"resolver: {target}: {'added ' + what if changed else 'nothing to add'}", err=True)
