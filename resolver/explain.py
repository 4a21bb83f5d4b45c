"""Why each mention was found, matched and chosen.

For every mention, :func:`explain_mentions` builds a ``why`` object:

* ``alias``: the glossary spelling that matched, and ``written``: the name as
  written (a title before it excluded);
* ``folding``: the folding steps without which the written name would not
  equal the alias, each found by folding both with every step but that one:
  ``case``, ``apostrophe`` (’ ' ʼ…), ``hyphen/space`` (hyphens, dashes and
  spaces as one separator), ``line break``, ``diacritics``, ``width``
  (fullwidth and other compatibility forms), ``invisible`` (zero-width
  characters); an empty list means the name is written exactly as listed;
* ``rules``: the spelling rules that relate the written parts to the listed
  ones (``Jaish-i-Muhammad`` ← ``Jaish-e-Mohammed``);
* ``possessive``: the ``’s`` after the name, left outside the mention;
  ``title``: the title written before a person's name, kept when rewriting;
* ``beat``: the overlapping candidates the mention won against, each with
  ``lost``: ``"leftmost"`` (it started later, inside this mention) or
  ``"longest"`` (it started at the same place and was shorter), as
  :func:`resolver.matcher.select_leftmost_longest` decides.

>>> import resolver
>>> r = resolver.Resolver(resolver.load_glossary())
>>> w = explain(r, "The Tehreek-e-Taliban Pakistan’s chief")[0]["why"]
>>> w["alias"], w["folding"], w["possessive"], [(b["surface"], b["lost"]) for b in w["beat"]]
('Tehreek-e-Taliban Pakistan', [], True, [('Tehreek-e-Taliban', 'longest'), ('Taliban', 'leftmost'), ('Pakistan', 'leftmost')])
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from .documents import DEFAULT_QUOTES, Format, Quotes, read_document
from .folding import APOSTROPHES, fold
from .report import Finding

if TYPE_CHECKING:  # pragma: no cover
    from .core import Resolver
    from .matcher import Candidate
    from .model import Mention

__all__ = [
    "FOLDING_STEPS",
    "ExplainedFinding",
    "explain",
    "explain_mentions",
    "explain_text",
    "folding_steps",
    "why_lines",
    "with_why",
]

#: The folding steps a ``why`` may name, in the order they are reported.
FOLDING_STEPS = ("case", "apostrophe", "hyphen/space", "line break", "diacritics", "width", "invisible")

_SEPS = re.compile(r"([\s\-\u2010-\u2015\u2212]+)")
_SEP_RUN = re.compile(" {2,}")


def _is_sep(ch: str, cat: str) -> bool:
    return ch.isspace() or cat in ("Zs", "Zl", "Zp", "Pd") or ch == "\u2212"


def _fold_except(s: str, skip: str) -> str:
    """``s`` folded by every step but ``skip`` (see :data:`FOLDING_STEPS`).

    >>> _fold_except("Jaish-e\\nMuhammad’s", "case"), _fold_except("Jaish-e\\nMuhammad’s", "hyphen/space")
    ("Jaish e Muhammad's", "jaish-e muhammad's")
    """
    out: list[str] = []
    for ch in s:
        if ch in APOSTROPHES:
            out.append(ch if skip == "apostrophe" else "'")
            continue
        if ch in "\r\n":
            out.append(ch if skip == "line break" else " ")
            continue
        cat = unicodedata.category(ch)
        if _is_sep(ch, cat):
            out.append(ch if skip == "hyphen/space" else " ")
            continue
        if cat == "Cf":
            out.append(ch if skip == "invisible" else "")
            continue
        x = ch if skip == "width" else unicodedata.normalize("NFKC", ch)
        if skip != "diacritics":
            x = "".join(c for c in unicodedata.normalize("NFD", x) if unicodedata.category(c) not in ("Mn", "Me"))
        out.append(x if skip == "case" else x.casefold())
    folded = "".join(out)
    return folded if skip in ("hyphen/space", "line break") else _SEP_RUN.sub(" ", folded)


def _with_rules(written: str, alias: str) -> str:
    """``alias`` with the parts a spelling rule replaced taken from
    ``written`` (so that only folding differences remain).

    >>> _with_rules("Jaish-i-Muhammad", "Jaish-e-Mohammed")
    'Jaish-i-Muhammad'
    """
    w, a = _SEPS.split(written), _SEPS.split(alias)
    if len(w) != len(a):
        return alias
    return "".join(x if k % 2 == 0 and fold(x) != fold(y) else y for k, (x, y) in enumerate(zip(w, a)))


def folding_steps(written: str, alias: str, rules: Sequence[str] = ()) -> list[str]:
    """The folding steps without which ``written`` would not equal ``alias``.

    >>> folding_steps("JAISH-E MUHAMMAD", "Jaish-e Muhammad"), folding_steps("Jaish-e\\nMohammed", "Jaish-e-Mohammed")
    (['case'], ['hyphen/space', 'line break'])
    >>> folding_steps("Mujāhidīn", "Mujahidin"), folding_steps("Jama’at", "Jama'at"), folding_steps("ISI", "ISI")
    (['diacritics'], ['apostrophe'], [])
    """
    if written == alias:
        return []
    target = _with_rules(written, alias) if rules else alias
    return [step for step in FOLDING_STEPS if _fold_except(written, step) != _fold_except(target, step)]


def _beaten(mentions: Sequence[Mention], candidates: Iterable[Candidate], text: str) -> list[list[dict[str, Any]]]:
    """For each mention, the candidates it beat. A dropped candidate lost to
    the chosen mention whose span contains its start: selection goes left to
    right, so that mention is the one that blocked it."""
    starts = [m.start + len(m.title) for m in mentions]
    chosen = {(s, m.end) for s, m in zip(starts, mentions)}
    out: list[list[dict[str, Any]]] = [[] for _ in mentions]
    for c in candidates:
        if (c.start, c.end) in chosen:
            continue
        i = bisect_right(starts, c.start) - 1
        if i < 0 or not c.start < mentions[i].end:
            continue  # dropped for a reason other than overlap (masked, or a mention not reported)
        out[i].append(
            {
                "start": c.start,
                "end": c.end,
                "surface": text[c.start : c.end],
                "candidates": sorted({r.entity_id for r in c.refs}),
                "lost": "longest" if c.start == starts[i] else "leftmost",
            }
        )
    return out


def explain_mentions(
    resolver: Resolver, text: str, mentions: Sequence[Mention], matched: str | None = None
) -> list[dict[str, Any]]:
    """A ``why`` object for each of ``mentions`` (found in ``text``).
    ``matched``: the text the resolver ran on when it differs from ``text``
    (a document's masked prose, :attr:`resolver.documents.Reading.masked`)."""
    seen = matched if matched is not None else text
    cands = resolver.matcher.candidates(seen)
    beats = _beaten(mentions, cands, text)
    out = []
    for m, beat in zip(mentions, beats):
        written = m.name_surface
        alias = _closest(resolver, m) if m.rules else m.alias
        # as the resolver saw it: a block-quote marker inside a line join is white space
        folded_from = seen[m.start + len(m.title) : m.end]
        out.append(
            {
                "alias": alias,
                "written": written,
                "folding": folding_steps(folded_from, alias, m.rules),
                "rules": list(m.rules),
                "possessive": text[m.end : m.end + 2] in ("’s", "'s", "ʼs", "‘s"),
                "title": m.title,
                "beat": beat,
            }
        )
    return out


def _closest(resolver: Resolver, m: Mention) -> str:
    """For a match through spelling rules: the listed spelling of the
    mention's entities that differs from the written name in fewest parts."""
    written = _SEPS.split(fold(m.name_surface, casefold=True))[::2]
    best, score = m.alias, len(written) + 1
    for eid in m.candidates:
        for name in resolver.glossary[eid].names:
            parts = _SEPS.split(fold(name))[::2]
            if len(parts) == len(written):
                d = sum(a != b for a, b in zip(parts, written))
                if d < score:
                    best, score = name, d
    return best


def explain(
    resolver: Resolver,
    text: str,
    fmt: Format = "text",
    quotes: Quotes = DEFAULT_QUOTES,
    allow: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Every mention of ``text`` (read as ``fmt``, see
    :func:`resolver.documents.read_document`) as a JSON-ready dict with its
    ``why``.

    >>> import resolver
    >>> r = resolver.Resolver(resolver.load_glossary())
    >>> [(x["surface"], x["why"]["alias"], x["why"]["folding"], x["why"]["rules"]) for x in explain(r, "JAISH-I-MUHAMMAD")]
    [('JAISH-I-MUHAMMAD', 'Jaish-e-Muhammad', ['case'], ['e/i connector'])]
    """
    reading = read_document(resolver, text, fmt, quotes, allow)
    whys = explain_mentions(resolver, text, reading.mentions, reading.masked)
    return [{**m.to_dict(), "why": w} for m, w in zip(reading.mentions, whys)]


def explain_text(text: str, items: Sequence[dict[str, Any]], name: str = "") -> str:
    """The explanations of :func:`explain` for a person, one block per
    mention: where, what it became, how it matched and why it won.

    >>> import resolver
    >>> r = resolver.Resolver(resolver.load_glossary())
    >>> t = "Maulana Masood Azhar’s men and the Jaish-e\\nMuhammad"
    >>> print(explain_text(t, explain(r, t)), end="")
    1:1: "Maulana Masood Azhar" resolved: masood_azhar, canonical "Masood Azhar"
        matched the canonical name as written
        title "Maulana" is part of the mention and kept
        possessive ’s left outside the name
        beat "Azhar" (abdul_rauf_asghar, ibrahim_azhar, masood_azhar): it starts later, inside this name
        status: unique alias
    1:36: "Jaish-e\\nMuhammad" resolved: jaish_e_mohammed, canonical "Jaish-e-Mohammed"
        matched the alias "Jaish-e-Muhammad" after folding hyphen/space, line break
        beat "Jaish" (jaish_e_mohammed): it is shorter, from the same start
        status: unique alias
    """
    from .report import LineIndex

    index = LineIndex(text)
    lines: list[str] = []
    for it in items:
        line, col = index.position(it["start"])
        where = f"{name}:{line}:{col}" if name else f"{line}:{col}"
        who = (
            f"{it['entity_id']}, canonical {_q(it['canonical'])}"
            if it["entity_id"]
            else "could be " + ", ".join(it["candidates"])
        )
        lines.append(f"{where}: {_q(it['surface'])} {it['status']}: {who}")
        lines += why_lines(it)
    return "".join(x + "\n" for x in lines)


def why_lines(item: dict[str, Any], indent: str = "    ") -> list[str]:
    """The ``why`` of one explained mention (a dict of :func:`explain`) as
    indented lines for a person."""
    w = item["why"]
    out: list[str] = []
    what = "the canonical name" if w["alias"] == item["canonical"] else f"the alias {_q(w['alias'])}"
    how = "as written" if not w["folding"] else "after folding " + ", ".join(w["folding"])
    if w["rules"]:
        how += "; by spelling rules: " + ", ".join(w["rules"])
    out.append(f"matched {what} {how}")
    if w["title"]:
        out.append(f"title {_q(w['title'].strip())} is part of the mention and kept")
    if w["possessive"]:
        out.append("possessive ’s left outside the name")
    for b in w["beat"]:
        reason = "it is shorter, from the same start" if b["lost"] == "longest" else "it starts later, inside this name"
        out.append(f"beat {_q(b['surface'])} ({', '.join(b['candidates'])}): {reason}")
    out.append(f"status: {item['reason']}")
    return [indent + x for x in out]


@dataclass(frozen=True, slots=True)
class ExplainedFinding(Finding):
    """A ``check`` finding that carries its mention's ``why`` (JSON: a
    ``why`` field next to ``mention``)."""

    why: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        d = Finding.to_dict(self)
        if self.why is not None:
            d["why"] = self.why
        return d


def with_why(items: Iterable[Finding], mentions: Sequence[Mention], whys: Sequence[dict[str, Any]]) -> list[Finding]:
    """``items`` (findings about ``mentions``) with the matching ``whys``."""
    by_span = {(m.start, m.end): w for m, w in zip(mentions, whys)}
    return [
        ExplainedFinding(
            **{k: getattr(f, k) for k in _FINDING_FIELDS}, why=by_span.get((f.mention.start, f.mention.end))
        )
        for f in items
    ]


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


def _q(s: str) -> str:
    return '"' + s.replace("\n", "\\n").replace('"', '\\"') + '"'
