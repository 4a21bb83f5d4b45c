"""The value types of resolver: glossary entries and the mentions found in text.

All are frozen, slotted dataclasses: cheap to create, hashable where it makes
sense, safe to share between threads and to pickle across processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

__all__ = ["Alias", "CaseMode", "Context", "Entity", "Mention", "SpellingRule", "Status"]

CaseMode = Literal["exact", "insensitive"]
Status = Literal["resolved", "ambiguous", "unconfirmed", "suppressed", "quoted"]


@dataclass(frozen=True, slots=True)
class Context:
    """Words that must (``near``) or must not (``not_near``) occur within
    ``window`` words of a mention for the alias to count."""

    near: tuple[str, ...] = ()
    not_near: tuple[str, ...] = ()
    window: int = 8


@dataclass(frozen=True, slots=True)
class Alias:
    """One spelling of an entity's name.

    >>> Alias("JeM", case="exact").name
    'JeM'
    """

    name: str
    case: CaseMode = "insensitive"
    weak: bool = False
    ambiguous: bool = False
    note: str | None = None
    context: Context | None = None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Entity:
    """A glossary entry: one canonical name and its aliases.

    ``aliases`` does not include the canonical name, which always matches its
    own entity. ``meta`` keeps the free metadata (description, sources, links,
    note, examples…) untouched for reports.
    """

    id: str
    type: str
    canonical: str
    aliases: tuple[Alias, ...] = ()
    short: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, hash=False)
    path: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    def metadata(self) -> dict[str, Any]:
        """The entity's free metadata as a new dict."""
        return dict(self.meta)  # a copy: entities are immutable

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical name first, then every alias spelling."""
        return (self.canonical,) + tuple(a.name for a in self.aliases)


@dataclass(frozen=True, slots=True)
class SpellingRule:
    """An equivalence class of name parts (``Mohammed = Muhammad = …``).

    ``scope`` is ``"word"`` (the part anywhere in a name) or ``"connector"``
    (only between two other parts: ``-e-`` / ``-i-``); ``types`` limits the
    rule to entities of those types (empty: all types).
    """

    name: str
    members: tuple[str, ...]
    scope: Literal["word", "connector"] = "word"
    types: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)


class Mention(NamedTuple):
    """A mention of a glossary entity in a text (an immutable named tuple:
    cheap to create by the hundred thousand, picklable, comparable).

    ``text[start:end] == surface`` always holds for the text it was found in.
    ``status`` is ``"resolved"`` (one entity), ``"ambiguous"`` (several
    candidates, none chosen) or ``"unconfirmed"`` (a weak alias whose entity
    was not named in strong form earlier in the document); document-aware
    reading (:mod:`resolver.documents`) adds ``"suppressed"`` (silenced by a
    suppression comment or the allow-list) and ``"quoted"`` (inside a direct
    quotation kept as written). ``entity_id`` and ``canonical`` are set only
    when resolved; ``candidates`` lists every
    entity the mention may refer to. ``alias`` is the glossary spelling that
    matched, ``method`` how it matched (``"canonical"``, ``"alias"``,
    ``"folded"`` — equal after case/apostrophe/hyphen/diacritic folding —, or
    ``"spelling-rule"``), ``rules`` the spelling rules used, ``reason`` what
    settled the status, and ``title`` a title written before a person's name
    (part of the span, kept on rewriting).
    """

    start: int
    end: int
    surface: str
    status: Status
    entity_id: str | None
    canonical: str | None
    candidates: tuple[str, ...]
    alias: str = ""
    method: str = "alias"
    rules: tuple[str, ...] = ()
    reason: str = ""
    title: str = ""

    @property
    def name_surface(self) -> str:
        """The surface without a leading title."""
        return self.surface[len(self.title) :]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the stable integration format)."""
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "status": self.status,
            "entity_id": self.entity_id,
            "canonical": self.canonical,
            "candidates": list(self.candidates),
            "alias": self.alias,
            "method": self.method,
            "rules": list(self.rules),
            "reason": self.reason,
            "title": self.title,
        }
