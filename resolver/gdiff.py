"""What a glossary change does: ``resolver diff OLD.yaml NEW.yaml``.

:func:`diff_glossaries` lists the entities added, removed, renamed (same
canonical name under a new id) and changed (type, canonical name, short form,
aliases added, removed or with new options), the aliases that *moved* from
one entity to another, and the spelling rules added, removed or changed.
:func:`blast_radius` runs both glossaries over a corpus and lists every
mention that would now resolve differently: the reviewer's "what breaks".

Aliases are compared by folded form, the way the matcher compares them:
respelling ``Jaish-e Mohammad`` as ``Jaish-e-Mohammad`` is no change.

>>> from resolver.glossary import loads
>>> old = loads('''version: 1
... entities:
...   - {id: masood_azhar, type: person, canonical: Masood Azhar, aliases: [Azhar]}
...   - {id: ibrahim_azhar, type: person, canonical: Ibrahim Azhar}
... ''')
>>> new = loads('''version: 1
... entities:
...   - {id: masood_azhar, type: person, canonical: Masood Azhar}
...   - {id: ibrahim_azhar, type: person, canonical: Ibrahim Azhar, aliases: [Azhar]}
... ''')
>>> d = diff_glossaries(old, new)
>>> [(m.name, m.old_ids, m.new_ids) for m in d.moved], d.changed
([('Azhar', ('masood_azhar',), ('ibrahim_azhar',))], ())
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .core import Resolver
from .folding import fold, fold_key
from .glossary import Glossary, is_acronym
from .model import Alias, Entity, Mention
from .textio import Document

__all__ = [
    "AliasMove",
    "EntityChange",
    "GlossaryDiff",
    "MentionChange",
    "blast_radius",
    "diff_glossaries",
    "render_text",
    "to_dict",
]


@dataclass(frozen=True, slots=True)
class EntityChange:
    """An entity in both glossaries that changed. ``fields``: ``(field, old,
    new)`` for type, canonical and short; aliases by spelling."""

    id: str
    fields: tuple[tuple[str, str | None, str | None], ...] = ()
    aliases_added: tuple[str, ...] = ()
    aliases_removed: tuple[str, ...] = ()
    aliases_changed: tuple[str, ...] = ()
    renamed_from: str | None = None


@dataclass(frozen=True, slots=True)
class AliasMove:
    """An alias (folded form) whose entities changed: listed under
    ``old_ids`` before, under ``new_ids`` now (both non-empty)."""

    name: str
    old_ids: tuple[str, ...]
    new_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GlossaryDiff:
    """Everything :func:`diff_glossaries` found."""

    added: tuple[Entity, ...] = ()
    removed: tuple[Entity, ...] = ()
    changed: tuple[EntityChange, ...] = ()
    moved: tuple[AliasMove, ...] = ()
    rules_added: tuple[str, ...] = ()
    rules_removed: tuple[str, ...] = ()
    rules_changed: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the two glossaries mean the same."""
        return not any(
            (
                self.added,
                self.removed,
                self.changed,
                self.moved,
                self.rules_added,
                self.rules_removed,
                self.rules_changed,
            )
        )


@dataclass(frozen=True, slots=True)
class MentionChange:
    """A span of a corpus document read differently by the new glossary
    (``old`` or ``new`` None: no mention there on that side)."""

    path: str
    line: int
    col: int
    surface: str
    old: Mention | None
    new: Mention | None


def _options(a: Alias) -> tuple[object, ...]:
    return (a.case, a.weak, a.ambiguous, a.context)


def _key(a: Alias) -> str:
    key, punct = fold_key(a.name, casefold=a.case == "insensitive")
    return key + (" (with punctuation)" if punct else "")


def _alias_keys(e: Entity) -> dict[str, Alias]:
    """Folded form (case kept for exact-case names) → name, the canonical
    name included: an alias that folds like it adds nothing."""
    canon = next((a for a in e.aliases if a.name == e.canonical), None)
    canon = canon or Alias(e.canonical, case="exact" if is_acronym(e.canonical) else "insensitive")
    out = {_key(a): a for a in e.aliases}
    out[_key(canon)] = canon
    return out


def _holders(g: Glossary, renames: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in g.entities:
        for key in _alias_keys(e):
            out.setdefault(key, set()).add(renames.get(e.id, e.id))
    return out


def diff_glossaries(old: Glossary, new: Glossary) -> GlossaryDiff:
    """What changed from ``old`` to ``new`` (see the module doc)."""
    added = [e for e in new.entities if e.id not in old]
    removed = [e for e in old.entities if e.id not in new]
    # an entity whose id changed but whose canonical name did not: a rename
    by_canon = {fold(e.canonical): e for e in removed}
    renames: dict[str, str] = {}  # old id -> new id
    for e in list(added):
        o = by_canon.get(fold(e.canonical))
        if o is not None and o.id not in renames:
            renames[o.id] = e.id
            added.remove(e)
            removed.remove(o)
    old_holders = _holders(old, renames)
    new_holders = _holders(new, {})
    moved: list[AliasMove] = []
    moved_keys: set[str] = set()
    for key in sorted(old_holders.keys() & new_holders.keys()):
        a, b = old_holders[key], new_holders[key]
        if a != b and a - b and b - a:
            name = next(x.name for e in new.entities if e.id in b for k, x in _alias_keys(e).items() if k == key)
            moved.append(AliasMove(name, tuple(sorted(a)), tuple(sorted(b))))
            moved_keys.add(key)
    changed: list[EntityChange] = []
    back = {v: k for k, v in renames.items()}
    for e in new.entities:
        oid = back.get(e.id, e.id)
        if oid not in old:
            continue
        o = old[oid]
        fields = tuple(
            (f, getattr(o, f), getattr(e, f)) for f in ("type", "canonical", "short") if getattr(o, f) != getattr(e, f)
        )
        ka, kb = _alias_keys(o), _alias_keys(e)
        plus = tuple(kb[k].name for k in kb if k not in ka and k not in moved_keys and kb[k].name != e.canonical)
        minus = tuple(ka[k].name for k in ka if k not in kb and k not in moved_keys and ka[k].name != o.canonical)
        opts = tuple(kb[k].name for k in kb if k in ka and _options(kb[k]) != _options(ka[k]))
        if fields or plus or minus or opts or oid != e.id:
            changed.append(EntityChange(e.id, fields, plus, minus, opts, oid if oid != e.id else None))
    old_rules = {r.name: r for r in old.spelling}
    new_rules = {r.name: r for r in new.spelling}
    return GlossaryDiff(
        tuple(added),
        tuple(removed),
        tuple(changed),
        tuple(moved),
        tuple(n for n in new_rules if n not in old_rules),
        tuple(n for n in old_rules if n not in new_rules),
        tuple(n for n in new_rules if n in old_rules and new_rules[n] != old_rules[n]),
    )


def _reading(m: Mention | None) -> tuple[object, ...] | None:
    return None if m is None else (m.status, m.entity_id, m.candidates)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def blast_radius(old: Resolver, new: Resolver, docs: Iterable[Document]) -> list[MentionChange]:
    """Every span of ``docs`` where the two resolvers disagree (a mention
    appeared, disappeared, or changed status, entity or candidates).

    >>> from resolver.glossary import loads
    >>> from resolver.textio import Document
    >>> a = Resolver(loads("version: 1\\nentities: [{id: isi, type: organization, canonical: Inter-Services Intelligence}]\\n"))
    >>> b = Resolver(loads("version: 1\\nentities: [{id: isi, type: organization, canonical: Inter-Services Intelligence, aliases: [ISI]}]\\n"))
    >>> [(c.line, c.col, c.surface, c.old, c.new.entity_id) for c in blast_radius(a, b, [Document("d.txt", "The\\nISI said", "utf-8")])]
    [(2, 1, 'ISI', None, 'isi')]
    """
    out: list[MentionChange] = []
    for doc in docs:
        before = {(m.start, m.end): m for m in old.find(doc.text)}
        after = {(m.start, m.end): m for m in new.find(doc.text)}
        for span in sorted(before.keys() | after.keys()):
            a, b = before.get(span), after.get(span)
            if _reading(a) != _reading(b):
                line, col = _line_col(doc.text, span[0])
                out.append(MentionChange(doc.path, line, col, doc.text[span[0] : span[1]], a, b))
    return out


def _show(m: Mention | None) -> str:
    if m is None:
        return "no mention"
    if m.status == "resolved":
        others = [c for c in m.candidates if c != m.entity_id]
        return f"{m.entity_id}" + (f" (settled; also {', '.join(others)})" if others else "")
    return f"{m.status} [{', '.join(m.candidates)}]"


def render_text(d: GlossaryDiff, changes: Sequence[MentionChange] | None = None, documents: int = 0) -> str:
    """The diff for a person (``changes``: from :func:`blast_radius`, over
    ``documents`` documents).

    >>> print(render_text(GlossaryDiff(moved=(AliasMove("Azhar", ("masood_azhar",), ("ibrahim_azhar",)),))))
    entities: 0 added, 0 removed, 0 changed; 1 alias moved
      > alias 'Azhar': masood_azhar -> ibrahim_azhar
    """
    head = f"entities: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed; "
    lines = [head + f"{len(d.moved)} alias{'es' if len(d.moved) != 1 else ''} moved"]
    for e in d.added:
        lines.append(
            f"  + {e.id} ({e.type}) {e.canonical!r}"
            + (f" aliases: {', '.join(a.name for a in e.aliases)}" if e.aliases else "")
        )
    for e in d.removed:
        lines.append(f"  - {e.id} ({e.type}) {e.canonical!r}")
    for c in d.changed:
        parts = []
        if c.renamed_from:
            parts.append(f"id was {c.renamed_from}")
        parts += [f"{f} {a!r} -> {b!r}" for f, a, b in c.fields]
        if c.aliases_added:
            parts.append("aliases +" + ", +".join(repr(x) for x in c.aliases_added))
        if c.aliases_removed:
            parts.append("aliases -" + ", -".join(repr(x) for x in c.aliases_removed))
        if c.aliases_changed:
            parts.append("options changed: " + ", ".join(repr(x) for x in c.aliases_changed))
        lines.append(f"  ~ {c.id}: " + "; ".join(parts))
    for m in d.moved:
        lines.append(f"  > alias {m.name!r}: {', '.join(m.old_ids)} -> {', '.join(m.new_ids)}")
    for label, names in (("added", d.rules_added), ("removed", d.rules_removed), ("changed", d.rules_changed)):
        if names:
            lines.append(f"  spelling rules {label}: {', '.join(names)}")
    if changes is not None:
        lines.append(
            f"corpus: {documents} document{'s' if documents != 1 else ''}, {len(changes)} mention{'s' if len(changes) != 1 else ''} read differently"
        )
        for ch in changes:
            lines.append(f"  {ch.path}:{ch.line}:{ch.col}: {ch.surface!r}: {_show(ch.old)} -> {_show(ch.new)}")
    return "\n".join(lines)


def to_dict(d: GlossaryDiff, changes: Sequence[MentionChange] | None = None, documents: int = 0) -> dict[str, Any]:
    """The diff as JSON-ready data."""
    out: dict[str, Any] = {
        "added": [{"id": e.id, "type": e.type, "canonical": e.canonical} for e in d.added],
        "removed": [{"id": e.id, "type": e.type, "canonical": e.canonical} for e in d.removed],
        "changed": [
            {
                "id": c.id,
                "renamed_from": c.renamed_from,
                "fields": [{"field": f, "old": a, "new": b} for f, a, b in c.fields],
                "aliases_added": list(c.aliases_added),
                "aliases_removed": list(c.aliases_removed),
                "aliases_changed": list(c.aliases_changed),
            }
            for c in d.changed
        ],
        "moved": [{"alias": m.name, "from": list(m.old_ids), "to": list(m.new_ids)} for m in d.moved],
        "spelling": {"added": list(d.rules_added), "removed": list(d.rules_removed), "changed": list(d.rules_changed)},
    }
    if changes is not None:
        out["corpus"] = {
            "documents": documents,
            "changes": [
                {
                    "path": c.path,
                    "line": c.line,
                    "col": c.col,
                    "surface": c.surface,
                    "old": c.old.to_dict() if c.old else None,
                    "new": c.new.to_dict() if c.new else None,
                }
                for c in changes
            ],
        }
    return out
