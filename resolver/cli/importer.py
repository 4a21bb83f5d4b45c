"""``resolver import``: glossary entries from the UN and OFAC sanctions lists."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from ..errors import ResolverError
from . import EXIT_FINDINGS, EXIT_USAGE, CliError, main, translate

F = TypeVar("F", bound=Callable[..., Any])


@main.group(name="import")
def import_group() -> None:
    """Turn sanctions-list records into glossary entries: canonical names in
    house style (not the lists' ALL CAPS), every a.k.a. as an alias (low
    quality ones weak), the list reference and date as sources.

    Choose records with --id, --name-contains, --program or --match (several
    criteria must all hold). The entries go to standard output as YAML;
    --into merges them into a glossary file instead, keeping its comments,
    never adding a name the glossary already has, and reporting names that
    belong to another entity (exit status 1).

    \b
    Example:
      resolver import un-sc consolidated.xml --id QDe.019
      resolver import ofac-sdn sdn.csv alt.csv --match aliases.yaml --into aliases.yaml --dry-run
    """


def _selection_options(f: F) -> F:
    for opt in reversed(
        [
            click.option(
                "--id",
                "ids",
                multiple=True,
                metavar="REF",
                help="List reference (UN QDe.019, OFAC entry number); repeatable.",
            ),
            click.option(
                "--name-contains",
                multiple=True,
                metavar="TEXT",
                help="Text found in any of the record's names (case, accents and hyphens ignored); repeatable.",
            ),
            click.option(
                "--program",
                "programs",
                multiple=True,
                metavar="NAME",
                help="Sanctions programme (UN: Al-Qaida, Taliban…; OFAC: SDGT, FTO…); repeatable.",
            ),
            click.option(
                "--match",
                "match",
                type=click.Path(dir_okay=False),
                metavar="GLOSSARY",
                help="Only records that name an entity of this glossary (to enrich it).",
            ),
            click.option("--all", "everything", is_flag=True, help="Every record of the list."),
            click.option(
                "--into",
                type=click.Path(dir_okay=False),
                metavar="GLOSSARY",
                help="Merge into this glossary file (comments kept) instead of printing YAML.",
            ),
            click.option("--dry-run", is_flag=True, help="With --into: print the diff, change nothing."),
            click.option("--verbose", "-v", is_flag=True, help="Also list every name skipped as already present."),
        ]
    ):
        f = opt(f)
    return f


@import_group.command(name="un-sc")
@click.argument("xml_file", type=click.Path(dir_okay=False))
@_selection_options
def un_sc_command(xml_file: str, **opts: Any) -> None:
    """Import from the UN Security Council Consolidated List (XML).

    \b
    Example:
      resolver import un-sc consolidated.xml --id QDe.019 --id QDi.422
      resolver import un-sc consolidated.xml --program Taliban --name-contains haqqani
    """
    from ..importers import un_sc

    _run(lambda: un_sc.parse(xml_file), f"resolver import un-sc {xml_file}", **opts)


@import_group.command(name="ofac-sdn")
@click.argument("sdn_csv", type=click.Path(dir_okay=False))
@click.argument("alt_csv", type=click.Path(dir_okay=False), required=False)
@click.option(
    "--list-date", metavar="YYYY-MM-DD", help="Date of the OFAC files, recorded in sources (the CSV has none)."
)
@_selection_options
def ofac_sdn_command(sdn_csv: str, alt_csv: str | None, list_date: str | None, **opts: Any) -> None:
    """Import from the OFAC SDN list, legacy CSV (sdn.csv, and alt.csv for the a.k.a.s).

    \b
    Example:
      resolver import ofac-sdn sdn.csv alt.csv --id 6935
      resolver import ofac-sdn sdn.csv alt.csv --program SDGT --name-contains lashkar
    """
    from ..importers import ofac_sdn

    _run(lambda: ofac_sdn.parse(sdn_csv, alt_csv, list_date=list_date), f"resolver import ofac-sdn {sdn_csv}", **opts)


def _run(
    parse: Callable[[], Sequence[Any]],
    title: str,
    *,
    ids: tuple[str, ...],
    name_contains: tuple[str, ...],
    programs: tuple[str, ...],
    match: str | None,
    everything: bool,
    into: str | None,
    dry_run: bool,
    verbose: bool,
) -> None:
    from ..glossary import load_glossary
    from ..importers.plan import Selection, diff, merge_into, plan, select
    from ..textio import read_text, write_atomic

    if dry_run and not into:
        raise CliError("--dry-run needs --into GLOSSARY (without --into nothing is written anyway)")
    try:
        selection = Selection(ids, name_contains, programs, load_glossary(match) if match else None, everything)
        if selection.empty:
            raise CliError(
                "choose records with --id, --name-contains, --program or --match (or --all for the whole list)"
            )
        everything_listed = parse()
        records = select(everything_listed, selection)
        if not records:
            raise CliError("no record of the list matches the selection", EXIT_USAGE)
        target = load_glossary(into) if into else selection.match
        p = plan(
            records, target, enrich_only=into is None and selection.match is not None, population=everything_listed
        )
        header = f"{title}: {len(records)} record{'s' if len(records) != 1 else ''} selected"
        if into is None:
            sys.stdout.write(p.to_yaml(header))
        else:
            doc = read_text(into)
            new_text = merge_into(doc.text, p, into) if not p.empty else doc.text
            if dry_run:
                sys.stdout.write(diff(doc.text, new_text, into))
            elif new_text != doc.text:
                write_atomic(into, new_text.encode(doc.encoding))
    except ResolverError as exc:
        raise translate(exc) from None
    for line in p.report(verbose):
        click.echo(line, err=True)
    if into is not None and not dry_run:
        click.echo(f"{into}: {'updated' if not p.empty else 'nothing to add'}", err=True)
    if p.collisions:
        raise click.exceptions.Exit(EXIT_FINDINGS)
