"""Unknown terms after detection: merged across documents, turned into
glossary entries, reported.

:mod:`resolver.unknown` finds the terms of one document
(:func:`~resolver.unknown.find_unknown`); this module is what a tool does
with them: :func:`aggregate` merges the reports of several documents into
:class:`Term` s, :func:`glossary_additions` and :func:`glossary_snippet`
turn terms into glossary entries (for :mod:`resolver.writer`), and
:func:`report_text`, :func:`report_json` and :func:`report_jsonl` render
them (pure functions: they return text). Its names are also importable
from :mod:`resolver.unknown`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .glossary import Glossary
from .unknown import Position, Unknown, propose_id

__all__ = [
    "UNKNOWN_FORMAT_VERSION",
    "FileCount",
    "Term",
    "aggregate",
    "glossary_additions",
    "glossary_snippet",
    "report_json",
    "report_jsonl",
    "report_text",
]


# --------------------------------------------------------------------------
# Across documents


@dataclass(frozen=True, slots=True)
class FileCount:
    """A term's occurrences in one file."""

    path: str
    count: int
    positions: tuple[Position, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"path": self.path, "count": self.count, "positions": [p.to_dict() for p in self.positions]}


@dataclass(frozen=True, slots=True)
class Term:
    """An unknown term across several documents: ``unknown`` is its report
    in the first file it appeared in (suggestions, classification, type),
    ``count`` the total, ``files`` the per-file occurrences."""

    unknown: Unknown
    count: int
    files: tuple[FileCount, ...]
    surfaces: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the per-document fields, plus ``files``)."""
        d = self.unknown.to_dict()
        d.pop("positions")
        d["count"] = self.count
        d["surfaces"] = list(self.surfaces or self.unknown.surfaces)
        d["files"] = [f.to_dict() for f in self.files]
        return d


def aggregate(per_file: Iterable[tuple[str, Sequence[Unknown]]], *, min_count: int = 1) -> list[Term]:
    """Merge per-document reports into one list: one :class:`Term` per
    folded form, with the total count and the files, most frequent first
    (ties: alphabetical), keeping terms seen at least ``min_count`` times.
    """
    merged: dict[str, tuple[Unknown, list[FileCount], dict[str, None]]] = {}
    for path, unknowns in per_file:
        for u in unknowns:
            entry = merged.setdefault(u.key, (u, [], {}))
            entry[1].append(FileCount(path, u.count, u.positions))
            entry[2].update(dict.fromkeys(u.surfaces))
    terms = [Term(u, sum(f.count for f in files), tuple(files), tuple(surf)) for u, files, surf in merged.values()]
    terms = [t for t in terms if t.count >= min_count]
    terms.sort(key=lambda t: (-t.count, t.unknown.key))
    return terms


# --------------------------------------------------------------------------
# Glossary entries


def glossary_additions(
    terms: Sequence[Term | Unknown], glossary: Glossary, *, taken: Iterable[str] = ()
) -> tuple[list[dict[str, Any]], dict[str, list[str]], dict[str, str]]:
    """What adding ``terms`` to ``glossary`` means, as the arguments of
    :func:`resolver.writer.add_to_glossary`: new stub entities (for ``new``
    terms, with ids not in the glossary nor in ``taken``), new aliases by
    entity id (for ``likely-variant`` terms, under the top suggestion), and
    comments explaining each.
    """
    new_entities: list[dict[str, Any]] = []
    new_aliases: dict[str, list[str]] = {}
    comments: dict[str, str] = {}
    taken = set(glossary.keys()) | set(taken)
    for t in terms:
        u = t.unknown if isinstance(t, Term) else t
        surfaces = list(t.surfaces or u.surfaces) if isinstance(t, Term) else list(u.surfaces)
        count = t.count
        if u.classification == "likely-variant" and u.suggestions:
            s = u.suggestions[0]
            have = set(glossary[s.entity_id].names)
            lst = new_aliases.setdefault(s.entity_id, [])
            for x in surfaces:
                if x not in have and x not in lst:
                    lst.append(x)
            note = f"{', '.join(surfaces)}: did you mean {s.canonical}? (score {s.score:.0f}, closest to {s.alias!r})"
            comments[s.entity_id] = f"{comments[s.entity_id]}; {note}" if s.entity_id in comments else note
            if not lst:
                del new_aliases[s.entity_id]
            continue
        eid = propose_id(u.term, taken)
        taken.add(eid)
        ent: dict[str, Any] = {"id": eid, "type": u.type_guess, "canonical": u.term}
        others = [x for x in surfaces if x != u.term]
        if others:
            ent["aliases"] = others
        new_entities.append(ent)
        seen = f"seen {count}×"
        comments[eid] = f"new: type {u.type_guess!r} is a guess ({u.type_reason}): confirm it; {seen}"
    return new_entities, new_aliases, comments


_SNIPPET_HEADER = """\
# Glossary entries for the unknown terms found by `resolver unknown`. Review before use:
# - likely variants: add each alias under the entity with that id in your glossary
#   (the entity's other fields are copied here only so that this file loads on its own);
# - new: stub entries; each type is a guess for you to confirm.
# `resolver unknown --add-to aliases.yaml` adds them for you, keeping the file's comments.
version: 1
"""


def glossary_snippet(terms: Sequence[Term | Unknown], glossary: Glossary) -> str:
    """Ready-to-paste glossary YAML for ``terms``: one entry per suggested
    entity with the aliases to add, and one stub per new term. The text
    loads as a glossary of its own (:func:`resolver.glossary.loads`).
    """
    from .writer import add_to_glossary

    new_entities, new_aliases, comments = glossary_additions(terms, glossary)
    variants = []
    for eid, names in new_aliases.items():
        e = glossary[eid]
        variants.append({"id": e.id, "type": e.type, "canonical": e.canonical, "aliases": names})
    entities = variants + new_entities
    if not entities:
        return _SNIPPET_HEADER + "entities: []\n"
    notes = {eid: ("likely variant: " + c) if eid in new_aliases else c for eid, c in comments.items()}
    return add_to_glossary(_SNIPPET_HEADER + "entities:\n", entities, comments=notes, path="<unknown terms>")


# --------------------------------------------------------------------------
# Reports (pure: they return text)

#: Version of the ``resolver unknown`` JSON/JSONL format.
UNKNOWN_FORMAT_VERSION = 1
_MAX_POSITIONS_SHOWN = 3


def _where(t: Term) -> str:
    places = [f"{f.path}:{p.line}:{p.column}" for f in t.files for p in f.positions]
    more = len(places) - _MAX_POSITIONS_SHOWN
    return ", ".join(places[:_MAX_POSITIONS_SHOWN]) + (f" (+{more} more)" if more > 0 else "")


def report_text(terms: Sequence[Term], *, color: bool = False) -> str:
    """The two piles an editor works through: likely variants (with what
    they probably mean) and new names (with the type a new entry would get).

    >>> from resolver.suggest import Suggestion
    >>> u = Unknown("Jaish-e-Mohamad", "jaish e mohamad", "likely-variant", 1, (Position(4, 19, 1, 5, "Jaish-e-Mohamad"),),
    ...             ("Jaish-e-Mohamad",), (Suggestion("jem", "Jaish-e-Mohammed", "Jaish-e-Mohammed", 100.0),), "hyphenated compound")
    >>> print(report_text(aggregate([("a.txt", [u])])), end="")
    likely variants (1): probably another spelling of a known entity
      Jaish-e-Mohamad  1×  a.txt:1:5
          did you mean: Jaish-e-Mohammed [jem] 100
    """

    def c(code: str, s: str) -> str:
        return f"\x1b[{code}m{s}\x1b[0m" if color else s

    variants = [t for t in terms if t.unknown.classification == "likely-variant"]
    new = [t for t in terms if t.unknown.classification == "new"]
    out: list[str] = []
    if variants:
        out.append(c("1", f"likely variants ({len(variants)}): probably another spelling of a known entity"))
        for t in variants:
            out.append(f"  {c('33', t.unknown.term)}  {t.count}×  {_where(t)}")
            out.append(
                "      did you mean: "
                + ", ".join(f"{s.canonical} [{s.entity_id}] {s.score:.0f}" for s in t.unknown.suggestions)
            )
    if new:
        out.append(c("1", f"new ({len(new)}): probably an entity to add"))
        for t in new:
            u = t.unknown
            extra = (
                f"; closest: {u.suggestions[0].canonical} [{u.suggestions[0].entity_id}] {u.suggestions[0].score:.0f}"
                if u.suggestions
                else ""
            )
            out.append(f"  {c('36', u.term)}  {t.count}×  {_where(t)}")
            out.append(f"      {u.reason}; a new {u.type_guess}?{extra}")
    return "".join(line + "\n" for line in out)


def report_json(
    terms: Sequence[Term],
    files: Sequence[dict[str, Any]],
    glossary: dict[str, Any],
    version: str,
    problems: Sequence[tuple[str, str]] = (),
) -> str:
    """The report as one JSON document (``"format": "resolver-unknown"``)."""
    import json

    from .report import json_envelope  # the fields every whole-document JSON report starts with

    doc = json_envelope("resolver-unknown", UNKNOWN_FORMAT_VERSION, version, glossary, files, problems)
    doc["summary"] = _summary(terms)
    doc["terms"] = [t.to_dict() for t in terms]
    return json.dumps(doc, ensure_ascii=False) + "\n"


def report_jsonl(terms: Sequence[Term]) -> str:
    """JSON Lines: one ``"record": "term"`` line per term."""
    import json

    return "".join(json.dumps({"record": "term", **t.to_dict()}, ensure_ascii=False) + "\n" for t in terms)


def _summary(terms: Sequence[Term]) -> dict[str, int]:
    v = sum(1 for t in terms if t.unknown.classification == "likely-variant")
    return {"terms": len(terms), "likely_variant": v, "new": len(terms) - v, "occurrences": sum(t.count for t in terms)}
