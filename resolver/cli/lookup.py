"""``resolver lookup``, ``show`` and ``stats``: questions about the glossary."""

from __future__ import annotations

import json
from typing import Any

import click

from . import EXIT_FINDINGS, EXIT_USAGE, CliError, glossary_option, load_resolver, main
from ._inputs import header

_FORMAT = click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
_QUIET = click.option("-q", "--quiet", is_flag=True, help="No glossary header on standard error.")


@main.command()
@click.argument("name")
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Closest entries shown when NAME is not in the glossary.",
)
@_FORMAT
@_QUIET
@glossary_option
def lookup(name: str, limit: int, fmt: str, quiet: bool, glossaries: tuple[str, ...]) -> None:
    """Which entity the spelling NAME resolves to, and how: the glossary
    spelling it matched (after folding case, apostrophes, hyphens and
    diacritics, and the spelling rules), whether it is weak, ambiguous or
    exact-case. When NAME is not in the glossary, the closest entries and
    their similarity scores (0-100).

    \b
    Examples:
      resolver lookup "Jaish-i-Muhammad"
      resolver lookup Azhar
      resolver lookup "Jaish Mohamed" --limit 3 --format json

    Exit status: 0 NAME is in the glossary, 1 it is not, 3 glossary error.
    """
    from .. import __version__
    from ..folding import fold
    from ..report import closest, glossary_info

    r = load_resolver(glossaries)
    g = r.glossary
    refs = r.matcher.lookup(name)
    mentions = [m for m in r.find(name) if m.start == 0 and m.end == len(name)]
    how = mentions[0] if mentions else None
    matches = []
    key = fold(name)
    for eid in dict.fromkeys(ref.entity_id for ref in refs):
        mine = [ref for ref in refs if ref.entity_id == eid]
        ref = (
            next((x for x in mine if x.name == name), None)
            or next((x for x in mine if x.plain == key), None)
            or next((x for x in mine if x.canonical), mine[0])
        )
        e = g[eid]
        matches.append(
            {
                "entity_id": e.id,
                "canonical": e.canonical,
                "type": e.type,
                "alias": ref.name,
                "canonical_name": ref.canonical,
                "spellings": [x.name for x in mine],
                "weak": ref.weak,
                "ambiguous": ref.ambiguous,
                "exact_case": ref.exact is not None,
                "case_matches": ref.exact is None or fold(name, casefold=False) == ref.exact,
            }
        )
    suggestions = (
        []
        if refs
        else [
            {"score": round(s, 1), "name": n, "entity_id": e.id, "canonical": e.canonical}
            for s, n, e in closest(name, g, limit)
        ]
    )
    if fmt == "json":
        doc = {
            "query": name,
            "glossary": glossary_info(g),
            "resolver": __version__,
            "method": how.method if how else None,
            "rules": list(how.rules) if how else [],
            "matches": matches,
            "suggestions": suggestions,
        }
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        header(r, quiet)
        click.echo(_lookup_text(name, matches, suggestions, how.rules if how else ()), nl=False)
    if not refs:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _lookup_text(
    name: str, matches: list[dict[str, Any]], suggestions: list[dict[str, Any]], rules: tuple[str, ...]
) -> str:
    q = json.dumps(name, ensure_ascii=False)
    if not matches:
        if not suggestions:
            return f"{q}: not in the glossary, and nothing close\n"
        lines = [f"{q}: not in the glossary; closest entries:\n"]
        width = max(len(s["name"]) for s in suggestions)
        lines += [
            f"  {s['score']:5.1f}  {s['name'].ljust(width)}  [{s['entity_id']}] {s['canonical']}\n" for s in suggestions
        ]
        return "".join(lines)
    ids = list(dict.fromkeys(m["entity_id"] for m in matches))
    lines = []
    if len(ids) > 1:
        lines.append(
            f"{q}: ambiguous, names {len(ids)} entities; in a text it resolves to the one named in full earlier, else it is reported\n"
        )
    for m in matches:
        via = "its canonical name" if m["canonical_name"] else f"alias {json.dumps(m['alias'], ensure_ascii=False)}"
        lines.append(f"{q} → {m['entity_id']}: {m['canonical']} ({m['type']}), via {via}\n")
        if rules:
            lines.append(f"    by spelling rules: {', '.join(rules)}\n")
        if m["weak"]:
            lines.append("    weak: counts only after the entity is named in full earlier in the text\n")
        if m["exact_case"] and not m["case_matches"]:
            lines.append(
                f"    exact case: in a text this spelling matches only as {json.dumps(m['alias'], ensure_ascii=False)}\n"
            )
    return "".join(lines)


@main.command()
@click.argument("entity")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="yaml as in the glossary file, or json.",
)
@_QUIET
@glossary_option
def show(entity: str, fmt: str, quiet: bool, glossaries: tuple[str, ...]) -> None:
    """Print the glossary entry ENTITY (an id, or a spelling that names a
    single entity) as it would be written in the glossary: canonical name,
    short form, aliases with their flags, and all its metadata, preceded by
    the file and line it comes from.

    \b
    Examples:
      resolver show jaish_e_mohammed
      resolver show JeM
      resolver show jaish_e_mohammed --format json | jq .aliases

    Exit status: 0 shown, 2 no such entry, 3 glossary error.
    """
    from ..report import entity_data

    r = load_resolver(glossaries)
    g = r.glossary
    eid = entity
    if eid not in g:
        owners = sorted({ref.entity_id for ref in r.matcher.lookup(entity)})
        if len(owners) != 1:
            raise CliError(_unknown_entity(entity, g, owners), EXIT_USAGE)
        eid = owners[0]
    data = entity_data(g, eid)
    e = g[eid]
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    import yaml

    header(r, quiet)
    where = f"# {e.path}:{e.line}\n" if e.path and e.line else (f"# {e.path}\n" if e.path else "")
    click.echo(where + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), nl=False)


def _unknown_entity(entity: str, g: Any, owners: list[str]) -> str:
    if owners:
        return f"{entity!r} names several entities ({', '.join(owners)}); show one by its id"
    from rapidfuzz import process

    ids = [e.id for e in g.entities]
    near = [i for i, _score, _ in process.extract(entity, ids, limit=3, score_cutoff=60)]
    hint = (
        f"; did you mean {', '.join(near)}?"
        if near
        else "; resolver stats lists the glossary, resolver lookup finds a spelling"
    )
    return f"no entity with id {entity!r} in the glossary{hint}"


@main.command()
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
@glossary_option
def stats(fmt: str, glossaries: tuple[str, ...]) -> None:
    """The glossary at a glance: which files, entities by type, aliases
    (how many are ambiguous — shared by several entities — or weak),
    acronyms, spelling rules and titles.

    \b
    Examples:
      resolver stats
      resolver stats --glossary house.yaml --glossary project.yaml --format json

    Exit status: 0, or 3 for a glossary error.
    """
    from .. import __version__
    from ..report import glossary_stats, stats_text

    r = load_resolver(glossaries)
    data = glossary_stats(r.glossary, r.matcher)
    if fmt == "json":
        click.echo(json.dumps({"resolver": __version__, **data}, ensure_ascii=False, indent=2))
        return
    info = data["glossary"]
    click.echo(f"glossary  {', '.join(info['paths'])} (sha256 {info['digest'][:12]})")
    click.echo(stats_text(data), nl=False)
