"""The public entry point: :class:`Resolver` finds mentions and normalizes text.

A :class:`Resolver` wraps a compiled :class:`~resolver.matcher.Matcher` and
adds the document-level rules that decide each mention's status:

* an alias listed under several entities is **ambiguous**; within one
  document it resolves to the one candidate whose strong form (canonical name
  or a non-weak, non-shared alias) appeared *earlier*; with none or several
  such candidates it stays ambiguous, listing the ones that appeared;
* a **weak** alias resolves only when its entity was named in strong form
  earlier in the document, and is otherwise ``unconfirmed``;
* every mention says why in ``reason``.

Normalizing rewrites only resolved mentions; everything else is kept byte for
byte.

>>> import resolver
>>> r = resolver.Resolver(resolver.load_glossary())
>>> r.normalize("The JeM’s chief met ISI officers.")
'The Jaish-e-Mohammed’s chief met Inter-Services Intelligence officers.'
>>> m = r.find("Masood Azhar and his brother. Azhar’s group")[1]
>>> m.surface, m.status, m.entity_id
('Azhar', 'resolved', 'masood_azhar')
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from .glossary import Glossary, is_acronym, load_glossary
from .matcher import AliasRef, Candidate, Matcher
from .model import Mention

__all__ = ["Resolver", "Style"]

Style = Literal["canonical", "first-full", "keep-short"]
STYLES: tuple[Style, ...] = ("canonical", "first-full", "keep-short")


class Resolver:
    """Find and normalize mentions of a glossary's entities.

    Build it once per glossary (compiling is the expensive part) and reuse it;
    it holds no per-document state and is safe to share between threads and
    to pickle to worker processes.
    """

    def __init__(self, glossary: Glossary | None = None, *, matcher: Matcher | None = None) -> None:
        if matcher is None:
            matcher = Matcher(glossary if glossary is not None else load_glossary())
        self.matcher = matcher
        self.glossary = matcher.glossary

    def find(self, text: str) -> list[Mention]:
        """Every mention in ``text``, sorted by start, non-overlapping."""
        f = self.matcher.fold(text)
        chosen = self.matcher.select(text, f)
        out: list[Mention] = []
        seen: dict[str, int] = {}
        prev_end = 0
        for c in chosen:
            start = self.matcher.titled(text, f, c, prev_end)
            m = self._mention(text, c, start, seen)
            out.append(m)
            prev_end = c.end
        return out

    def _mention(self, text: str, c: Candidate, start: int, seen: dict[str, int]) -> Mention:
        ents = tuple(sorted({r.entity_id for r in c.refs}))
        surface = text[start : c.end]
        title = text[start : c.start]
        name = text[c.start : c.end]
        strong = [r for r in c.refs if not r.weak]
        if len(ents) == 1:
            eid = ents[0]
            if strong:
                status, reason = "resolved", "unique alias"
                if not any(r.ambiguous for r in strong):
                    seen.setdefault(eid, c.start)
            elif eid in seen:
                status, reason = "resolved", f"weak alias confirmed by an earlier mention at offset {seen[eid]}"
            else:
                status, reason = "unconfirmed", "weak alias; the entity is not named in full earlier in the document"
            cands = ents
        else:
            appeared = tuple(e for e in ents if e in seen)
            if len(appeared) == 1:
                eid = appeared[0]
                status, reason = "resolved", f"ambiguous alias settled by an earlier mention at offset {seen[eid]}"
                cands = ents
            else:
                status = "ambiguous"
                reason = "several candidates appeared earlier" if appeared else "shared alias; no candidate named earlier"
                cands = appeared or ents
                eid = ""
        ref = _best_ref(c.refs, name, eid)
        canonical = self.glossary[eid].canonical if status == "resolved" else None
        if canonical is not None and name == canonical:
            method = "canonical"
        elif name == ref.name:
            method = "alias"
        elif c.rules:
            method = "spelling-rule"
        else:
            method = "folded"
        return Mention(
            start=start,
            end=c.end,
            surface=surface,
            status=status,  # type: ignore[arg-type]
            entity_id=eid if status == "resolved" else None,
            canonical=canonical,
            candidates=cands,
            alias=ref.name,
            method=method,
            rules=c.rules,
            reason=reason,
            title=title,
        )

    def normalize(self, text: str, style: Style = "canonical") -> str:
        """``text`` with every resolved mention rewritten.

        ``style``: ``"canonical"`` (every mention becomes the canonical name),
        ``"first-full"`` (the first mention of an entity becomes
        ``Canonical (SHORT)`` when the entity has a short form, later ones the
        short form), ``"keep-short"`` (acronyms stay acronyms, spelled as the
        entity's short form; other forms become canonical).

        >>> r = Resolver()
        >>> r.normalize("JeM said. Jaish-e-Mohammad denied.", style="first-full")
        'Jaish-e-Mohammed (JeM) said. JeM denied.'
        >>> r.normalize("JEM and Jaish-e Muhammad: Jaish-e-Mohammed.", style="keep-short")
        'JEM and Jaish-e-Mohammed: Jaish-e-Mohammed.'
        """
        if style not in STYLES:
            raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}")
        return splice(text, self.replacements(text, self.find(text), style))

    def replacements(self, text: str, mentions: Iterable[Mention], style: Style = "canonical") -> Iterator[tuple[int, int, str]]:
        """``(start, end, new text)`` for every mention that changes."""
        mentions = [m for m in mentions if m.status == "resolved" and m.entity_id]
        named: set[str] = set()
        for i, m in enumerate(mentions):
            assert m.entity_id is not None and m.canonical is not None
            e = self.glossary[m.entity_id]
            name = m.name_surface
            if style == "canonical" or e.short is None:
                new = m.canonical
            elif style == "keep-short":
                new = e.short if is_acronym(m.alias) or name == e.short else m.canonical
            else:  # first-full
                nxt = mentions[i + 1] if i + 1 < len(mentions) else None
                introduced = nxt is not None and nxt.entity_id == m.entity_id and text[m.end : nxt.start].strip() == "("
                possessive = text[m.end : m.end + 2] in ("’s", "'s")
                if introduced or possessive:
                    new = m.canonical
                elif m.entity_id in named:
                    new = e.short
                else:
                    new = f"{m.canonical} ({e.short})"
                if not possessive:
                    named.add(m.entity_id)
            if new != name:
                yield (m.start + len(m.title), m.end, new)


def splice(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Apply sorted, non-overlapping ``(start, end, replacement)`` edits."""
    pieces: list[str] = []
    prev = 0
    for s, e, new in edits:
        pieces.append(text[prev:s])
        pieces.append(new)
        prev = e
    if not pieces:
        return text
    pieces.append(text[prev:])
    return "".join(pieces)


def _best_ref(refs: tuple[AliasRef, ...], name: str, eid: str) -> AliasRef:
    for r in refs:
        if r.name == name and (not eid or r.entity_id == eid):
            return r
    for r in refs:
        if not eid or r.entity_id == eid:
            return r
    return refs[0]
