"""Choose list records and plan what they add to a glossary, without duplicates.

:func:`select` keeps the records a user asked for (by reference, name,
programme, or because they name an entity of a glossary). :func:`plan`
decides, for each selected record, whether it *enriches* an existing entity
(one of its names already resolves to that entity) or becomes a *new* entity,
and which of its names are worth adding. A name is never added when:

* it folds to a name the entity already has, or to one added earlier in the
  same import (a **duplicate**: ``LET`` next to ``LeT``);
* the glossary already matches it to the same entity through a spelling rule
  (**covered**: ``Lashkar-i-Taiba`` by the e/i connector);
* it already names *another* entity (a **collision**, reported like
  ``validate`` reports shared aliases, and left for a person to settle).

A title the glossary lists ("Mullah Baradar Akhund") is dropped from a
person's names, as titles are matched before names, not inside them. A
person's one-word a.k.a. ("Khalifa", "Godane") is added as a weak alias:
a single name is not evidence alone (see the glossary's header on ``weak``).

The result, a :class:`Plan`, is data: new entity entries, aliases per
existing entity id, the provenance lines, and what was skipped and why. It
renders as YAML (:meth:`Plan.to_yaml`) and merges into a glossary file
through the comment-preserving writer (:func:`merge_into`).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import yaml

from ..core import Resolver
from ..errors import ResolverError
from ..folding import fold
from ..glossary import Glossary, is_acronym, loads
from ..matcher import Matcher
from .common import ImportedAlias, ImportedRecord, alias_item, is_abbreviation, make_id, to_entry

__all__ = [
    "Match",
    "Plan",
    "Selection",
    "Skipped",
    "diff",
    "merge_into",
    "name_counts",
    "plan",
    "select",
    "strip_title",
]

SkipReason = Literal["duplicate", "covered", "collision", "uncertain-record", "undeclared-type", "not-in-glossary"]
_LIST_TYPES = frozenset({"person", "organization", "place", "vessel", "aircraft"})


@dataclass(frozen=True)
class Selection:
    """Which records to import. Different criteria must all hold; several
    values of one criterion are alternatives. ``ids`` are list references
    (``QDe.019``, OFAC entry numbers), ``name_contains`` texts looked for in
    any of a record's names (folded: case, accents and hyphens ignored),
    ``programs`` sanctions regimes (``Al-Qaida``, ``SDGT``), ``match`` a
    glossary one of whose entities a record must name."""

    ids: tuple[str, ...] = ()
    name_contains: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    match: Glossary | None = None
    everything: bool = False

    @property
    def empty(self) -> bool:
        """True when no criterion was given (and ``everything`` is false)."""
        return not (self.ids or self.name_contains or self.programs or self.match is not None or self.everything)


def select(records: Iterable[ImportedRecord], selection: Selection) -> list[ImportedRecord]:
    """The records ``selection`` keeps, in list order.

    >>> from resolver.importers.common import ImportedRecord as R
    >>> recs = [R("UN SC", "QDe.019", "organization", "Jaish-i-Mohammed", programs=("Al-Qaida",)),
    ...         R("UN SC", "TAe.012", "organization", "Haqqani Network", programs=("Taliban",))]
    >>> [r.ref for r in select(recs, Selection(ids=("qde.019",)))]
    ['QDe.019']
    >>> [r.ref for r in select(recs, Selection(name_contains=("haqqani",), programs=("Taliban",)))]
    ['TAe.012']
    """
    ids = {i.casefold() for i in selection.ids}
    words = [f" {fold(w)} " for w in selection.name_contains if fold(w)]
    programs = {p.casefold() for p in selection.programs}
    matcher = Matcher(selection.match) if selection.match is not None else None
    records = list(records)
    counts = name_counts(records) if matcher is not None else None
    out = []
    for r in records:
        if ids and r.ref.casefold() not in ids:
            continue
        if programs and not programs & {p.casefold() for p in r.programs}:
            continue
        if words:
            names = [f" {fold(n)} " for n in r.names()]
            if not any(w.strip() in n for w in words for n in names):
                continue
        if matcher is not None:
            found = _match(r, matcher, counts)
            if found.entity_id is None and not found.suspects:
                continue  # names nothing; a record with suspects is kept, for plan() to report
        out.append(r)
    return out


@dataclass(frozen=True)
class Skipped:
    """A name (or a whole record) left out, and why; ``others`` are the
    entities it collides with, ``existing`` the glossary spelling it equals."""

    ref: str
    name: str
    reason: SkipReason
    entity_id: str | None = None
    others: tuple[str, ...] = ()
    existing: str = ""

    def message(self) -> str:
        """One line for a person.

        >>> print(Skipped("QDe.118", "Jamaat-ud-Dawa", "collision", "lashkar_e_taiba", ("jamaat_ud_dawa",), "Jama'at-ud-Dawa").message())
        QDe.118: 'Jamaat-ud-Dawa' not added to lashkar_e_taiba: already a name of jamaat_ud_dawa ("Jama'at-ud-Dawa"); list it under one entity, or mark it ambiguous in both
        """
        who = f" to {self.entity_id}" if self.entity_id else ""
        if self.reason == "collision":
            return (
                f"{self.ref}: {self.name!r} not added{who}: already a name of {', '.join(self.others)} ({self.existing!r}); "
                "list it under one entity, or mark it ambiguous in both"
            )
        if self.reason == "duplicate":
            return f"{self.ref}: {self.name!r} not added{who}: same as existing {self.existing!r} after folding"
        if self.reason == "covered":
            return f"{self.ref}: {self.name!r} not added{who}: the glossary already matches it ({self.existing})"
        if self.reason == "uncertain-record":
            return (
                f"{self.ref}: {self.name!r} may be {' or '.join(self.others)}, but the names are not conclusive "
                "(shared a.k.a.s, one a.k.a. of a person, or a tie); not imported: compare the records and edit by hand"
            )
        if self.reason == "undeclared-type":
            return f"{self.ref}: {self.name!r} not imported: type {self.existing!r} is not declared in the glossary's types"
        return f"{self.ref}: {self.name!r} not imported: it names no entity of the glossary"


@dataclass(frozen=True)
class Match:
    """A record that enriches an existing entity, and how it was recognized."""

    ref: str
    entity_id: str
    how: str
    added: int


@dataclass
class Plan:
    """What an import adds: ``entities`` (new entries, glossary dicts),
    ``aliases`` (entity id → new alias items), ``sources`` (entity id →
    provenance lines for enriched entities), ``matches`` and ``skipped``."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    aliases: dict[str, list[str | dict[str, Any]]] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def collisions(self) -> list[Skipped]:
        """The skipped names a person must look at (collisions, uncertain records)."""
        return [s for s in self.skipped if s.reason in ("collision", "uncertain-record")]

    @property
    def empty(self) -> bool:
        """Nothing to add."""
        return not self.entities and not any(self.aliases.values())

    def extend(self, other: Plan) -> Plan:
        """Add another plan's additions (e.g. OFAC's after the UN's, planned
        against the glossary with the UN's merged); returns self."""
        self.entities.extend(other.entities)
        for k, items in other.aliases.items():
            self.aliases.setdefault(k, []).extend(items)
        for k, lines in other.sources.items():
            srcs = self.sources.setdefault(k, [])
            srcs.extend(x for x in lines if x not in srcs)
        self.matches.extend(other.matches)
        self.skipped.extend(other.skipped)
        return self

    def to_data(self) -> dict[str, Any]:
        """``{"entities": [...], "aliases": {...}, "sources": {...}}`` without empty parts."""
        out: dict[str, Any] = {}
        if self.entities:
            out["entities"] = self.entities
        aliases = {k: v for k, v in self.aliases.items() if v}
        if aliases:
            out["aliases"] = aliases
        sources = {k: v for k, v in self.sources.items() if k in aliases}
        if sources:
            out["sources"] = sources
        return out

    def to_yaml(self, header: str = "") -> str:
        """The plan as YAML; ``header`` lines become leading comments."""
        lines = [f"# {h}".rstrip() for h in header.splitlines()]
        if self.entities or self.aliases:
            lines.append("# entities: new glossary entries; aliases: additions to existing entities (by id);")
            lines.append("# sources: where the additions come from")
        body = (
            yaml.safe_dump(self.to_data(), sort_keys=False, allow_unicode=True, width=1000)
            if not self.empty
            else "{}\n"
        )
        return "\n".join(lines + [body.rstrip("\n")]) + "\n"

    def report(self, verbose: bool = False) -> list[str]:
        """Lines for standard error: what matched, what was added, collisions
        always, duplicates and covered names only when ``verbose``."""
        out = [
            f"{m.ref} -> {m.entity_id} ({m.how}): {m.added} new name{'s' if m.added != 1 else ''}" for m in self.matches
        ]
        for e in self.entities:
            out.append(f"new entity {e['id']} ({e['canonical']}): {len(e.get('aliases', []))} aliases")
        quiet = Counter(s.reason for s in self.skipped if s.reason in ("duplicate", "covered"))
        for s in self.skipped:
            if verbose or s.reason not in quiet:
                out.append(s.message())
        if quiet and not verbose:
            parts = [
                f"{n} {'already in the glossary' if r == 'duplicate' else 'already matched by a spelling rule'}"
                for r, n in quiet.items()
            ]
            out.append(f"skipped names: {'; '.join(parts)} (--verbose lists them)")
        return out


class _Names:
    """The names known so far (glossary + this import), by plain fold."""

    def __init__(self, glossary: Glossary | None) -> None:
        self.glossary = glossary
        self.matcher = Matcher(glossary) if glossary is not None and len(glossary) else None
        self.by_fold: dict[str, dict[str, str]] = {}  # fold -> {entity id: spelling}
        if glossary is not None:
            for e in glossary.entities:
                for n in e.names:
                    self.by_fold.setdefault(fold(n), {}).setdefault(e.id, n)

    def add(self, eid: str, name: str) -> None:
        self.by_fold.setdefault(fold(name), {}).setdefault(eid, name)

    def check(self, eid: str, name: str) -> tuple[SkipReason, tuple[str, ...], str] | None:
        """Why ``name`` must not be added to ``eid``, or None."""
        key = fold(name)
        same = self.by_fold.get(key, {})
        others = tuple(sorted(k for k in same if k != eid))
        if others:
            return ("collision", others, same[others[0]])
        if eid in same:
            return ("duplicate", (), same[eid])
        if self.matcher is not None:
            refs = self.matcher.lookup(name)
            ents = tuple(sorted({r.entity_id for r in refs}))
            foreign = tuple(x for x in ents if x != eid)
            if foreign:
                return ("collision", foreign, next(r.name for r in refs if r.entity_id == foreign[0]))
            if ents:
                return ("covered", (), f"as {refs[0].name!r} through a spelling rule")
        return None


def strip_title(name: str, titles: Iterable[str]) -> str:
    """``name`` without a leading title of the glossary (titles are matched
    before a person's name, never listed inside it).

    >>> strip_title("Mullah Baradar Akhund", ["Mullah", "Lt Gen"]), strip_title("Lt. Gen. Faiz Hameed", ["Lt Gen"])
    ('Baradar Akhund', 'Faiz Hameed')
    >>> strip_title("Mullah", ["Mullah"])
    'Mullah'
    """
    words = name.split()
    for t in sorted(titles, key=lambda t: -len(t.split())):
        n = len(t.split())
        if len(words) > n and fold(" ".join(words[:n])).split() == fold(t).split():
            return " ".join(words[n:])
    return name


def _compatible(record_type: str, entity_type: str) -> bool:
    """A list's person is never a glossary organization or place (and so on);
    glossary types the lists do not use match anything."""
    return record_type == entity_type or entity_type not in _LIST_TYPES


def name_counts(records: Iterable[ImportedRecord]) -> Counter[str]:
    """How many records of a list use each (folded) name: a name two records
    share (OFAC gives "Hafiz Saeed" to two people) proves nothing.

    >>> from resolver.importers.common import ImportedRecord as R, ImportedAlias as A
    >>> name_counts([R("x", "1", "person", "Hafiz Saeed Khan", (A("Hafiz Saeed"),)), R("x", "2", "person", "Muhammad Saeed", (A("Hafiz Saeed"),))])["hafiz saeed"]
    2
    """
    return Counter(key for r in records for key in {fold(n) for n in r.names()})


@dataclass(frozen=True)
class _Found:
    entity_id: str | None
    how: str = ""
    suspects: tuple[str, ...] = ()  # entities the record may name, too uncertain to merge


def _match(record: ImportedRecord, matcher: Matcher, counts: Counter[str] | None = None) -> _Found:
    """Which glossary entity a record names, by evidence in this order:

    1. its primary name is a name of exactly one entity;
    2. its a.k.a.s name one entity and no other: at least one for an
       organization, two for a person (people share names); an a.k.a. that
       another record of the list also uses does not count, nor does a weak
       one (on either side), nor an acronym unless it abbreviates both names;
    3. a person with one a.k.a. of the entity whose primary name also
       contains a full name (two words or more) of it ("Abdul Ghani Baradar
       Abdul Ahmad Turk", a.k.a. "Abdul Ghani Baradar"); with a weak a.k.a.,
       the contained name must be another one ("Mohammed Masood Azhar
       Alvi", weak a.k.a. "Masud Azhar", contains "Masood Azhar"; but not
       "Mohammed Saeed Odhafa", weak a.k.a. "Mohammed Saeed"). Containment
       alone is not enough ("Hafiz Saeed Khan" is not "Hafiz Saeed").

    Weaker evidence (one a.k.a. of a person, shared a.k.a.s, two entities
    with equal votes) gives ``suspects``: the record is reported, never
    merged and never added as a new entity that would duplicate one.
    """
    types = {e.id: e.type for e in matcher.glossary.entities}
    canon = {e.id: e.canonical for e in matcher.glossary.entities}

    def hits(name: str) -> set[str]:
        refs = [r for r in matcher.lookup(name) if _compatible(record.type, types[r.entity_id])]
        if any(r.weak or r.ambiguous for r in refs):
            return set()  # the glossary itself says the name is not evidence
        return {r.entity_id for r in refs}

    first = hits(record.name)
    if len(first) == 1:
        return _Found(next(iter(first)), f"by its name {record.name!r}")
    suspects = set(first)
    votes: Counter[str] = Counter()
    hints: dict[str, list[str]] = {}  # entity -> a.k.a.s naming it (weak ones included)
    for a in record.aliases:
        h = hits(a.name)
        if is_acronym(a.name):
            # "ISI" is Inter-Services Intelligence and the Islamic State of Iraq: an
            # acronym counts only when it abbreviates both the record's and the entity's name.
            h = {e for e in h if is_abbreviation(a.name, record.name) and is_abbreviation(a.name, canon[e])}
        shared = counts is not None and counts[fold(a.name)] > 1
        if shared or len(h) != 1:
            suspects |= h
            continue
        eid = next(iter(h))
        hints.setdefault(eid, []).append(a.name)
        if a.weak:
            continue  # a low-quality / weak a.k.a. is, by the list's own account, no evidence alone
        votes[eid] += 1
        suspects.add(eid)
    needed = 2 if record.type == "person" else 1
    ranked = votes.most_common()
    if ranked and ranked[0][1] >= needed and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        eid = ranked[0][0]
        return _Found(eid, f"by {ranked[0][1]} of its a.k.a.s, e.g. {hints[eid][0]!r}")
    if record.type == "person" and len(hints) == 1 and len(ranked) <= 1:
        # One a.k.a. and a full name of the same entity inside the primary name:
        # two hints (with only a weak a.k.a., it must not be the contained name itself).
        eid, akas = next(iter(hints.items()))
        for m in Resolver(matcher=matcher).find(record.name):
            full = m.status == "resolved" and m.entity_id == eid and len(m.name_surface.split()) >= 2
            if full and (votes[eid] or any(fold(x) != fold(m.name_surface) for x in akas)):
                return _Found(eid, f"its name contains {m.name_surface!r} and its a.k.a. {akas[0]!r} is a name of it")
        suspects.add(eid)
    return _Found(None, "", tuple(sorted(suspects)))


def plan(
    records: Sequence[ImportedRecord],
    glossary: Glossary | None = None,
    *,
    enrich_only: bool = False,
    note_sources: bool = True,
    population: Iterable[ImportedRecord] | None = None,
) -> Plan:
    """Plan the additions of ``records`` to ``glossary`` (None: every record
    becomes a new entity).

    ``enrich_only``: records that name no entity are reported, not added.
    ``note_sources``: aliases added to an existing entity carry the list
    reference as their ``note`` (the writer adds aliases, not sources).
    ``population``: the whole list the records were selected from (default:
    the records), to tell distinctive a.k.a.s from shared ones.
    """
    counts = name_counts(population if population is not None else records)
    p = Plan()
    names = _Names(glossary)
    taken = set(glossary.keys()) if glossary is not None else set()
    for r in records:
        eid: str | None = None
        how = ""
        if names.matcher is not None:
            found = _match(r, names.matcher, counts)
            eid, how = found.entity_id, found.how
            if eid is None and found.suspects:
                p.skipped.append(Skipped(r.ref, r.name, "uncertain-record", others=found.suspects))
                continue
        if eid is None and enrich_only:
            p.skipped.append(Skipped(r.ref, r.name, "not-in-glossary"))
            continue
        if eid is None and glossary is not None and glossary.types and r.type not in glossary.types:
            p.skipped.append(Skipped(r.ref, r.name, "undeclared-type", existing=r.type))
            continue
        new = eid is None
        if eid is None:
            eid = make_id(r.name, taken, fallback=f"{r.source}_{r.ref}")
            taken.add(eid)
            names.add(eid, r.name)
            candidates = list(r.aliases)
        else:
            candidates = [ImportedAlias(r.name)] + list(r.aliases)
        items: list[str | dict[str, Any]] = []
        if r.type == "person" and glossary is not None and glossary.titles:
            candidates = [replace(a, name=strip_title(a.name, glossary.titles)) for a in candidates]
        for a in candidates:
            why = names.check(eid, a.name)
            if why is not None:
                reason, others, existing = why
                p.skipped.append(Skipped(r.ref, a.name, reason, eid, others, existing))
                continue
            names.add(eid, a.name)
            weak, note = a.weak, a.note
            if r.type == "person" and not weak and len(a.name.split()) == 1 and not is_acronym(a.name):
                weak, note = True, ", ".join(x for x in (note, "a single name is not evidence alone") if x)
            if not new and note_sources:
                note = f"{r.short_source()}" + (f", {note}" if note else "")
            items.append(alias_item(a.name, weak=weak, note=note))
        if new:
            p.entities.append(to_entry(r, eid, items))
        else:
            p.aliases.setdefault(eid, []).extend(items)
            srcs = p.sources.setdefault(eid, [])
            if r.source_line() not in srcs:
                srcs.append(r.source_line())
            p.matches.append(Match(r.ref, eid, how, len(items)))
    return p


def merge_into(text: str, p: Plan, path: str = "<glossary>") -> str:
    """``text`` (a glossary file) with the plan's entities and aliases added by
    the comment-preserving writer (:mod:`resolver.writer`); the provenance of
    the aliases added to an existing entity goes in a comment after the first
    of them (the aliases' notes name the list reference too). The result is
    validated before it is returned, so a bad merge never reaches the disk."""
    try:
        from ..writer import add_to_glossary  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:  # pragma: no cover - the writer ships with the package
        raise ResolverError(
            f"{path}: cannot merge: the glossary writer (resolver.writer) is not available: {exc}"
        ) from None
    aliases = {k: v for k, v in p.aliases.items() if v}
    comments = {k: "; ".join(p.sources[k]) for k in aliases if p.sources.get(k)}
    new_text: str = add_to_glossary(text, p.entities, aliases, comments=comments, path=path)
    loads(new_text, path)  # raises GlossaryError naming the line if the merge broke the file
    return new_text


def diff(old: str, new: str, path: str) -> str:
    """A unified diff of a glossary file before and after a merge.

    >>> print(diff("a\\n", "a\\nb\\n", "g.yaml"), end="")
    --- g.yaml
    +++ g.yaml (with the import)
    @@ -1 +1,2 @@
     a
    +b
    """
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), path, f"{path} (with the import)"
        )
    )
