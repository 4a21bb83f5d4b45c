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

import gc
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TextIO

from .folding import APOSTROPHES, PUNCT, Folded, fold, fold_char
from .glossary import Glossary, is_acronym, load_glossary
from .matcher import PLAN_EXACT, PLAN_FAST, PLAN_JOIN, PLAN_MULTI, PLAN_REP, PLAN_SHARED, AliasRef, Candidate, Matcher
from .model import Mention

__all__ = ["Resolver", "Style", "match_case"]

Style = Literal["canonical", "first-full", "keep-short"]
STYLES: tuple[Style, ...] = ("canonical", "first-full", "keep-short")

#: Where a stream may be cut: punctuation next to white space.
_SAFE_CUT = re.compile(r"[^\w\s\-\u2010-\u2015\u2212]\s|\s[^\w\s'’\-\u2010-\u2015\u2212]")


class _Seen:
    """Where each entity was first named in the text so far: ``seen[eid]``,
    its offset. Weak and ambiguous spellings ask (an entity named earlier
    settles them); every resolved mention names its entity (:meth:`note`).

    The hot loop names entities by the ten thousand and almost nothing
    asks, so names are noted in two lists and moved into a dict only when
    something asks: a dict of tens of thousands of entities, probed per
    mention, cost a tenth of ``find`` at 100k entities.

    >>> seen = _Seen()
    >>> seen.note("jem", 4); seen.note("isi", 9); seen.note("jem", 30)
    >>> "jem" in seen, seen["jem"], "lashkar" in seen
    (True, 4, False)
    """

    __slots__ = ("_first", "ids", "offsets")

    def __init__(self) -> None:
        self._first: dict[str, int] = {}
        #: the names noted and not yet in ``_first`` (the hot loop appends to these)
        self.ids: list[str] = []
        self.offsets: list[int] = []

    def note(self, eid: str, offset: int) -> None:
        """``eid`` is named at ``offset`` (kept only if it is the first time)."""
        self.ids.append(eid)
        self.offsets.append(offset)

    def settle(self) -> dict[str, int]:
        """Move the names noted into the dict (a stream does after each
        window, so that what it holds is bounded by the entities named)."""
        if self.ids:
            deque(map(self._first.setdefault, self.ids, self.offsets), maxlen=0)
            self.ids.clear()
            self.offsets.clear()
        return self._first

    def __contains__(self, eid: str) -> bool:
        return eid in self.settle()

    def __getitem__(self, eid: str) -> int:
        return self.settle()[eid]


def _mark_after(text: str, end: int) -> bool:
    """Whether a combining mark follows ``text[:end]``: a mention that ends
    with punctuation leaves it out (``U.S.`` of ``U.S.\u20dd``), and its
    rewrite would take it onto its last letter, which a second pass then
    reads as part of the name. Such a mention is left as written.

    >>> _mark_after("U.S.\u20dd x", 4), _mark_after("U.S. x", 4), _mark_after("U.S.", 4)
    (True, False, False)
    """
    c = text[end : end + 1]
    return c >= "\u0300" and unicodedata.category(c)[0] == "M"


def _glues(text: str, start: int, end: int, name: str, new: str) -> bool:
    """Whether ``new`` in place of the name ``text[start:end]`` may be glued
    to a neighbour that the name was not: the name ends (or starts) with
    punctuation and ``new`` with a letter, next to a letter or an apostrophe
    (``Washington D.C.'Abdul`` would become ``Washington'Abdul``, one word).
    Such a rewrite is read back.

    The neighbour is the nearest character that folding keeps: a zero-width
    space or soft hyphen between the two glues them all the same
    (``U.S.\u200bGhani`` would become ``United States\u200bGhani``, read as
    one word ``statesghani``).

    >>> _glues("D.C.'Abdul", 0, 4, "D.C.", "Washington"), _glues("D.C. Abdul", 0, 4, "D.C.", "Washington")
    (True, False)
    >>> _glues("U.S.\u200bGhani", 0, 4, "U.S.", "United States")
    True
    """
    if not name[-1].isalnum() and new[-1].isalnum():
        c = _kept(text, end, 1)
        if c.isalnum() or c in APOSTROPHES:
            return True
    if not name[0].isalnum() and new[0].isalnum():
        c = _kept(text, start - 1, -1)
        return c.isalnum() or c in APOSTROPHES
    return False


def _kept(text: str, i: int, step: int) -> str:
    """The first character from ``text[i]`` on (``step`` 1) or back
    (``step`` -1) that folding does not drop, or ``""``: a format character
    (zero-width space, joiner, soft hyphen) or a mark on its own folds to
    nothing, so the characters on both sides of it are read as neighbours.

    >>> _kept("a\u200b\u00adb", 1, 1), _kept("a\u200b", 1, 1), _kept("a\u200b", 1, -1)
    ('b', '', 'a')
    """
    n = len(text)
    while 0 <= i < n:
        c = text[i]
        if c < "\xad" or fold_char(c):
            return c
        i += step
    return ""


#: How far on each side of a rewrite it is read back (see Resolver._rewrite_stays).
_READ_BACK = 80


class _Rewrites:
    """The rewrites one pass of normalizing has made so far, left to right.

    Whether a rewrite is read back as the mention it replaces depends on
    its neighbours, and they may be rewritten too. So that a second pass
    decides as the first did (normalizing is idempotent), a rewrite is read
    back in the text as it will be written on its left (the rewrites before
    it made: :meth:`before`), and as written on its right; a rewrite refused
    because it would join what follows it locks the mentions there, which
    are then left as written too (:attr:`locked`), so that the words it
    would have joined stay as they were.

    >>> rw = _Rewrites("Mo Mo said")
    >>> rw.add(0, 2, "Zed"); rw.before(3), rw.adjacent(3), rw.adjacent(6)
    ('Zed ', True, False)
    >>> rw.add(3, 5, "Zed"); rw.before(9)
    'Zed Zed sai'
    >>> rw = _Rewrites("Mo’s Lu, Mo’t Lu"); rw.add(0, 2, "Zed"); rw.adjacent(5)
    True
    >>> rw.add(9, 11, "Zed"); rw.adjacent(14)
    False
    """

    __slots__ = ("end", "locked", "recent", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        #: (start, end, new text) of the last rewrites, in offsets of the text
        self.recent: deque[tuple[int, int, str]] = deque(maxlen=32)
        #: where the last rewrite ends (-1: none yet)
        self.end = -1
        #: mentions that start before this offset are left as written
        self.locked = 0

    def add(self, start: int, end: int, new: str) -> None:
        """``text[start:end]`` is rewritten as ``new``."""
        self.recent.append((start, end, new))
        self.end = end

    def adjacent(self, start: int) -> bool:
        """Whether the word just before ``start`` may be part of a rewrite:
        one ends within reach with no letter or digit after it but a
        possessive's s. (Otherwise that word is as written, and so is what a
        test of the word before reads.)"""
        e = self.end
        if e < 0 or start - e > _READ_BACK:
            return False
        gap = self.text[e:start]
        if _possessive_at(gap, 0):
            gap = gap[2:]
        return not any(map(str.isalnum, gap))

    def before(self, start: int) -> str:
        """The text before ``start`` as it will be written, at least
        ``_READ_BACK`` characters of it where there are."""
        t = self.text
        if self.end <= start - _READ_BACK:
            return t[max(0, start - _READ_BACK) : start]
        parts: list[str] = []
        need, pos = _READ_BACK, start
        for a, b, new in reversed(self.recent):
            if b <= pos - need:
                break
            parts.append(t[b:pos])
            parts.append(new)
            need -= pos - b + len(new)
            pos = a
            if need <= 0:
                break
        if need > 0:
            parts.append(t[max(0, pos - need) : pos])
        return "".join(reversed(parts))


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
        with _gc_paused():
            f = self.matcher.fold(text)
            return self._scan(text, f)

    def _scan(self, text: str, f: Folded, rewrite: Style | None = None) -> list[Any]:
        """``_resolve(text, f, matcher.select(text, f))`` in one pass: the
        hot loop. A hit of a plain key (one entity, strong, no context or
        rules; see ``Matcher.plan``) becomes a mention right here; any other
        hit takes the general path (``Matcher.check`` and ``_mention``).

        With ``rewrite`` (``"canonical"`` or ``"keep-short"``), the result is
        the pieces of the normalized text (``"".join`` them): the text spliced
        with ``replacements(text, mentions, rewrite)`` as they are found,
        without making the mentions."""
        m = self.matcher
        if not len(m):
            return [text] if rewrite is not None else []
        raw, span, plan, simple, refs = f.raw, f.span, m.plan, m._simple, m._refs
        titled_at = m.titled_at if m.has_titles else None
        rw = _Rewrites(text)
        edit = self._editor(text, rewrite, rw, f.text) if rewrite is not None else None
        rw_add = rw.recent.append
        # (canonical style: the commonest rewrite, a name in lower or mixed
        # case to the canonical name, is made here without calling ``edit``;
        # the tests are the ones ``edit`` makes, in the same order)
        plain_canonical = rewrite == "canonical"
        if plain_canonical:
            # (the join tables, built now if they were not, mark the plans
            # of the entities to check: PLAN_SHARED, PLAN_JOIN)
            ftext, joins_at, may_join = f.text, m.join_test_of(), m.may_join
        subs = getattr(f, "substituted", None)  # words a spelling rule rewrote
        # Offsets of a plain fold map by one shift per segment: the segment
        # of the last hit is remembered (hits come in order), a bisection
        # finds the next one (see Folded.direct_map).
        dm = f.direct_map()
        direct = dm is not None
        starts, shifts = dm or ([], [])
        if direct:
            seg, nxt = 0, (starts[1] if len(starts) > 1 else len(f.text) + 1)
            shift = shifts[0]
        new = tuple.__new__
        seen = _Seen()
        note_id, note_offset = seen.ids.append, seen.offsets.append
        out: list[Any] = []
        append = out.append
        last = -1
        prev_end = 0
        done = 0  # (rewrite) the text before this is in ``out``
        for kid, s, e in m.scan(f):  # the spans of " key ": the name is [s + 1, e - 1)
            s += 1
            if s < last:
                continue
            e -= 1
            p = plan[kid]
            if p is not None and p[6] & PLAN_FAST and not (
                p[6] & PLAN_REP and subs is not None and (i := bisect_left(subs, s)) < len(subs) and subs[i] < e
            ):
                eid, canonical, cands, person, first, names, flags, join = p
                if flags & PLAN_MULTI and PUNCT in raw[s:e]:
                    continue
                if direct:
                    if s >= nxt:
                        seg = bisect_right(starts, s) - 1
                        shift = shifts[seg]
                        nxt = starts[seg + 1] if seg + 1 < len(starts) else len(f.text) + 1
                    a = s + shift
                    b = e + shift if e < nxt else e + shifts[bisect_right(starts, e) - 1]
                else:
                    a, b = span(text, s, e)
                if b <= a:
                    continue
                name = text[a:b]
                # (a name spelled as the plan spells it is kept as the plan's
                # string: one string for all its mentions, not one each)
                if name == canonical:
                    name = alias = canonical
                    method = "canonical"
                elif name == first:
                    name = alias = first
                    method = "alias"
                elif names is not None and name in names:
                    method, alias = "alias", name
                elif flags & PLAN_EXACT:
                    method = ""  # not a listed spelling of an exact-case key: the general path checks it
                else:
                    method, alias = "folded", first
                if method:
                    note_id(eid)
                    note_offset(a)
                    if edit is None:
                        start = titled_at(text, f, s, a, prev_end) if person and titled_at else a
                        append(
                            new(
                                Mention,
                                (start, b, name if start == a else text[start:b], "resolved", eid, canonical, cands,
                                 alias, method, (), "unique alias", "" if start == a else text[start:a]),
                            )
                        )
                    elif method != "canonical" or name[-1] == ".":  # (a canonical name stays, in both styles)
                        if (
                            plain_canonical
                            and name[-1].isalnum()  # (not "U.S.", "PML(N)": see _glues)
                            and name[0].isalnum()
                            # (a name in capitals keeps them, unless the glossary spells it so: see match_case)
                            and (not name.isupper() or alias.isupper())
                            and not flags & PLAN_SHARED  # (m.canonical_shared)
                            and a >= rw.locked
                            and (text[b : b + 1] < "\u0300" or not _mark_after(text, b))  # (no call for the common case)
                            and (
                                not flags & PLAN_JOIN  # (m.extendable; no tuple: always read back)
                                or (
                                    join is not None
                                    and not (
                                        may_join(eid, rw.before(a), text[b : b + _READ_BACK])
                                        # (join[3]: m.joins_on_left(eid))
                                        if join[3] and rw.end > a - _READ_BACK and rw.adjacent(a)
                                        else joins_at(join, ftext, s, e)
                                    )
                                )
                            )
                        ):
                            append(text[done:a])
                            append(canonical)
                            rw_add((a, b, canonical))  # (rw.add, inline)
                            rw.end = b
                            done = b
                            prev_end = b
                            last = e
                            continue
                        change = edit(a, b, name, alias, eid, canonical, s, e)
                        if change is not None:
                            append(text[done:a])
                            append(change)
                            done = b
                    prev_end = b
                    last = e
                    continue
            if simple[kid]:
                if m._multi[kid] and PUNCT in raw[s:e]:
                    continue
                a, b = span(text, s, e)
                if b <= a:
                    continue
                cand: Candidate | None = Candidate(a, b, refs[kid], (), s, e, kid)
            else:
                cand = m.check(text, f, s, e, kid)
                if cand is None:
                    continue
            mention = self._one(text, f, cand, seen, 0, prev_end)  # type: ignore[arg-type]
            if edit is None:
                append(mention)
            elif mention.status == "resolved" and mention.entity_id and (mention.method != "canonical" or mention.surface[-1] == "."):
                assert cand is not None and mention.canonical is not None
                a = mention.start + len(mention.title)
                # (the general path's mention may end past its folded span: PML(N))
                change = edit(a, mention.end, mention.name_surface, mention.alias, mention.entity_id, mention.canonical, -1, -1)
                if change is not None:
                    append(text[done:a])
                    append(change)
                    done = mention.end
            prev_end = cand.end  # type: ignore[union-attr]
            last = e
        if edit is not None:
            append(text[done:])
        return out

    def _editor(self, text: str, style: Style, rw: _Rewrites, folded: str | None = None) -> Callable[..., str | None]:
        """The rewrite of one resolved mention for the styles where it depends
        only on what was written and the entity (``canonical``,
        ``keep-short``): ``edit(start, end, name, alias, entity id,
        canonical, fstart, fend)`` → the new text of ``text[start:end]``, or
        None (no change, or a change that would not read back as this mention).
        ``start``/``end``: the name's span (title excluded); ``fstart``/``fend``:
        the same span in ``folded`` (the matcher's folded text), where the
        neighbouring words are cheap to read, or ``-1`` when there is none
        (closing punctuation in the name, ``PML(N)``, lies past the folded
        span: what follows it is read from the text). The new form is
        computed once per distinct (written name, alias, entity).

        Mentions are edited in order, each once: ``rw`` records the rewrites
        made and the mentions locked (see :class:`_Rewrites`); a locked
        mention is not rewritten."""
        glossary, may_rewrite = self.glossary, self._may_rewrite
        may_join_at = self.matcher.join_test()
        # per (written name, alias, entity): the new form, and whether it is
        # the canonical name (in capitals or not: it folds the same)
        done: dict[tuple[str, str, str], tuple[str, bool]] = {}
        to_canonical = style == "canonical"

        def edit(start: int, end: int, name: str, alias: str, eid: str, canonical: str, fs: int, fe: int) -> str | None:
            if to_canonical:
                new = match_case(name, alias, canonical) if name.isupper() else canonical
                is_canonical = True
            else:
                key = (name, alias, eid)
                hit = done.get(key)
                if hit is None:
                    short = glossary[eid].short
                    if short is None or name == canonical:
                        new = canonical  # (the canonical name stays, a fixed point)
                    elif is_acronym(alias) or fold(name) == fold(short):
                        new = short
                    else:
                        new = canonical
                    hit = done[key] = (match_case(name, alias, new), new == canonical)
                new, is_canonical = hit
            if name[-1] == "." and new[-1] != "." and ends_sentence(text, end):
                new += "."  # "imposed by the U.N." keeps its full stop
            if new == name:
                return None
            return new if may_rewrite(text, start, end, name, new, eid, is_canonical, rw, None, folded if fs >= 0 else None, fs, fe, may_join_at) else None

        return edit

    def _resolve(
        self, text: str, f: Folded, chosen: list[Candidate], seen: _Seen | None = None, shift: int = 0, floor: int = 0
    ) -> list[Mention]:
        if seen is None:
            seen = _Seen()
        out: list[Mention] = []
        prev_end = floor
        for c in chosen:
            out.append(self._one(text, f, c, seen, shift, prev_end))
            prev_end = c.end
        return out

    def _one(self, text: str, f: Folded, c: Candidate, seen: _Seen, shift: int, prev_end: int) -> Mention:
        """The mention of one chosen candidate (``prev_end``: where the
        previous mention ended; a title may not reach back past it)."""
        p = self.matcher.plan[c.kid] if c.kid >= 0 else None
        if p is None:
            return self._mention(text, c, self.matcher.titled(text, f, c, prev_end), seen, shift)
        # the common case: one entity, strong spelling
        eid, canonical, _, person, first, names, _, _ = p
        names = names or (first,)
        name = text[c.start : c.end]
        start = self.matcher.titled(text, f, c, prev_end) if person else c.start
        if name == canonical:
            method, alias = "canonical", name
        elif name in names:
            method, alias = "alias", name
        else:
            method, alias = "folded", first
        seen.note(eid, c.start + shift)
        return Mention(
            start + shift, c.end + shift, text[start : c.end], "resolved", eid, canonical, (eid,),
            alias, method, (), "unique alias", text[start : c.start],
        )

    def find_iter(self, source: Iterable[str] | TextIO, *, chunk_size: int = 1 << 20) -> Iterator[Mention]:
        """Mentions of a text read in chunks (a text file object or any
        iterable of strings), with memory bounded by ``chunk_size`` whatever
        the input's size. Results equal ``find`` on the whole text: a name
        split across two chunks is still one mention, and document-level
        rules carry over.

        >>> r = Resolver()
        >>> [m.surface for m in r.find_iter(["The Jaish-e-", "Mohammed and Ja", "ish."])]
        ['Jaish-e-Mohammed', 'Jaish']
        """
        for _, mentions in self._windows(source, chunk_size):
            yield from mentions

    def normalize_iter(self, source: Iterable[str] | TextIO, style: Style = "canonical", *, chunk_size: int = 1 << 20) -> Iterator[str]:
        """Normalized text of a chunked source, piece by piece (see :meth:`find_iter`).

        >>> "".join(Resolver().normalize_iter(["JeM’s chief; Jaish-e ", "Muhammad."]))
        'Jaish-e-Mohammed’s chief; Jaish-e-Mohammed.'
        """
        named: set[str] = set()
        for piece, mentions in self._windows(source, chunk_size, with_text=True):
            window, wbase, lo, hi = piece
            local = [m._replace(start=m.start - wbase, end=m.end - wbase) for m in mentions]
            # edits are decided on the whole window (a full stop's sentence end
            # looks ahead), then applied to the part this window reports on
            edits = [(a - lo, b - lo, new) for a, b, new in self.replacements(window, local, style, named)]
            yield splice(window[lo:hi], edits)

    def _windows(self, source: Iterable[str] | TextIO, chunk_size: int, with_text: bool = False) -> Iterator[tuple[Any, list[Mention]]]:
        """Read a stream window by window and report each window's mentions.

        A window reports the mentions that start at or after ``report_from``
        (where the previous window stopped) and end before its cut; it cuts
        preferably at punctuation next to white space, which folds to two
        spaces and so cannot lie inside a mention. A mention that crosses the
        cut is left for the next window. Every window also sees some text
        before (titles) and after (context words) the part it reports on.
        """
        chunks: Iterable[str]
        if hasattr(source, "read"):
            reader = source.read
            chunks = iter(lambda: reader(chunk_size), "")
        else:
            chunks = source
        it = iter(chunks)
        seen = _Seen()
        buf, base, report_from = "", 0, 0  # buf holds the text from offset base on
        lookahead = max(64, self.matcher.context_reach)
        longest = self.matcher.longest_key
        last_end = 0  # end of the last mention reported (titles may not reach back past it)
        want = chunk_size
        done = False
        while True:
            while not done and len(buf) - (report_from - base) < want + lookahead:
                piece = next(it, None)
                if piece is None:
                    done = True
                else:
                    buf += piece
            lo = report_from - base
            if done:
                cut = len(buf)
            else:
                limit = len(buf) - lookahead
                cut = -1
                for m in _SAFE_CUT.finditer(buf, max(lo, limit - want // 2), limit):
                    if PUNCT in fold_char(m.group()[0] if not m.group()[0].isspace() else m.group()[1]):
                        cut = m.start() + 1  # a real punctuation mark, not a combining one
                if cut < 0 and want >= 8 * chunk_size:
                    # Text without punctuation for a long stretch: cut at white
                    # space far enough from the end that any name crossing the
                    # cut is seen whole in this window (and left for the next).
                    ws = buf.rfind(" ", lo, max(lo, limit - 2 * longest - 64))
                    cut = ws if ws > lo else -1
                if cut < 0:  # no place to cut yet: read more first
                    want *= 2
                    continue
            window = buf if done else buf[: cut + lookahead]
            f = self.matcher.fold(window)
            chosen = self.matcher.select(window, f, min_start=lo)
            nxt = cut
            for i, c in enumerate(chosen):
                if c.end > cut:
                    nxt = min(c.start, cut)
                    chosen = chosen[:i]
                    break
            mentions = self._resolve(window, f, chosen, seen, shift=base, floor=max(0, last_end - base))
            seen.settle()
            if mentions:
                last_end = mentions[-1].end
            if nxt > lo or done:
                yield ((window, base, lo, nxt) if with_text else None), mentions
                want = chunk_size
            else:  # a mention longer than the window: read more before cutting
                want *= 2
            if done:
                return
            report_from = base + nxt
            keep_from = max(0, min(nxt - 64, last_end - base))
            buf = buf[keep_from:]
            base += keep_from

    def _mention(self, text: str, c: Candidate, start: int, seen: _Seen, shift: int = 0) -> Mention:
        ents = tuple(sorted({r.entity_id for r in c.refs}))
        surface = text[start : c.end]
        title = text[start : c.start]
        name = text[c.start : c.end]
        strong = [r for r in c.refs if not r.weak]
        cands: tuple[str, ...]
        if len(ents) == 1:
            eid = ents[0]
            if strong:
                # Every resolved mention counts as naming its entity: it is
                # rewritten to the canonical name, which would count (this is
                # what keeps normalizing idempotent).
                status, reason = "resolved", "unique alias"
                seen.note(eid, c.start + shift)
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
            start=start + shift,
            end=c.end + shift,
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

    def unknown(self, text: str, options: Any = None) -> list[Any]:
        """Names in ``text`` the glossary does not know, with did-you-mean
        suggestions (see :mod:`resolver.unknown`, which this delegates to).

        >>> [(u.term, u.suggestions[0].entity_id) for u in Resolver().unknown("Sirajjudin Haqqani and Ratclife met.")]
        [('Ratclife', 'john_ratcliffe')]
        """
        from .unknown import find_unknown

        return find_unknown(self, text, options=options)

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
        with _gc_paused():
            if style == "first-full":
                return splice(text, self.replacements(text, self.find(text), style))
            return "".join(self._scan(text, self.matcher.fold(text), rewrite=style))

    def replacements(
        self, text: str, mentions: Iterable[Mention], style: Style = "canonical", named: set[str] | None = None
    ) -> Iterator[tuple[int, int, str]]:
        """``(start, end, new text)`` for every mention that changes.
        ``named``: entities already introduced (``first-full``), updated."""
        if style != "first-full":
            yield from self._context_free_replacements(text, mentions, style)
            return
        mentions = [m for m in mentions if m.status == "resolved" and m.entity_id]
        if named is None:
            named = set()
        rw = _Rewrites(text)  # (what it is for: see there)
        for i, m in enumerate(mentions):
            assert m.entity_id is not None and m.canonical is not None
            e = self.glossary[m.entity_id]
            name = m.name_surface
            # (capitals carry over to the canonical name, not to an acronym:
            # "JAISH-E MUHAMMAD" becomes "JAISH-E-MOHAMMED (JeM)", see match_case)
            new = match_case(name, m.alias, m.canonical)
            if e.short is not None:
                nxt = mentions[i + 1] if i + 1 < len(mentions) else None
                introduced = nxt is not None and nxt.entity_id == m.entity_id and text[m.end : nxt.start].strip() == "("
                possessive = _possessive_at(text, m.end)
                if not (introduced or possessive):
                    short = e.short if is_acronym(e.short) else match_case(name, m.alias, e.short)
                    new = short if m.entity_id in named else f"{new} ({short})"
                if not possessive:
                    named.add(m.entity_id)
            if name.endswith(".") and not new.endswith(".") and ends_sentence(text, m.end):
                new += "."  # "imposed by the U.N." keeps its full stop
            if new == name:
                continue
            start = m.start + len(m.title)
            # the part that must read back as this one mention ("Canonical" of "Canonical (SHORT)")
            head = new.rfind(" (") if new.endswith(")") and not name.endswith(")") else len(new)
            if self._may_rewrite(text, start, m.end, name, new, m.entity_id, new == m.canonical, rw, head):
                yield (start, m.end, new)

    def _context_free_replacements(self, text: str, mentions: Iterable[Mention], style: Style) -> Iterator[tuple[int, int, str]]:
        """:meth:`replacements` for ``canonical`` and ``keep-short`` (see :meth:`_editor`)."""
        edit = self._editor(text, style, _Rewrites(text))
        for start, end, surface, status, eid, canonical, _, alias, method, _, _, title in mentions:
            if status != "resolved" or not eid or (method == "canonical" and surface[-1] != "."):
                continue  # (written as the canonical name: it stays, in both styles)
            assert canonical is not None
            new = edit(start + len(title), end, surface[len(title) :], alias, eid, canonical, 0, 0)
            if new is not None:
                yield (start + len(title), end, new)

    def _may_rewrite(
        self,
        text: str,
        start: int,
        end: int,
        name: str,
        new: str,
        eid: str,
        canonical: bool,
        rw: _Rewrites,
        head: int | None = None,
        folded: str | None = None,
        fs: int = -1,
        fe: int = -1,
        may_join_at: Callable[[str, str, int, int], bool] | None = None,
    ) -> bool:
        """Whether this pass (``rw``) writes ``new`` in place of the name
        ``text[start:end]`` of ``eid``; if it does, the rewrite is recorded
        in ``rw``. ``canonical``: ``new`` is the canonical name (else a short
        form, always read back); ``head``: see :meth:`_rewrite_stays`;
        ``folded``, ``fs``, ``fe``, ``may_join_at``: the folded text, the
        name's span in it and ``Matcher.join_test()``, where the span is
        known, for the cheap join test that reads the folded text (else
        :meth:`Matcher.may_join` reads the text).
        The fused loop of :meth:`_scan` makes the same tests inline for its
        commonest rewrite."""
        if start < rw.locked or _mark_after(text, end):
            return False
        m = self.matcher
        if (
            not canonical  # a short form
            or eid in m.canonical_shared
            or _glues(text, start, end, name, new)
            or (  # a canonical name some key continues, next to a word that may join it
                eid in m.extendable
                and (
                    may_join_at(eid, folded, fs, fe)
                    if folded is not None and may_join_at is not None and not (m.joins_on_left(eid) and rw.adjacent(start))
                    else m.may_join(eid, rw.before(start), text[end : end + _READ_BACK])
                )
            )
        ) and not self._rewrite_stays(text, start, end, new, eid, head, rw):
            return False  # read back, it is not this mention
        rw.add(start, end, new)
        return True

    def _rewrite_stays(
        self,
        text: str,
        start: int,
        end: int,
        new: str,
        eid: str | None = None,
        head: int | None = None,
        rw: _Rewrites | None = None,
    ) -> bool:
        """Whether ``new`` in place of ``text[start:end]`` is read back as
        one mention of exactly that span: a canonical name that is part of a
        longer alias ("Masood Azhar" of "Masood Azhar Alvi") could otherwise
        join the following words. Such a mention is left as written, which
        keeps normalizing idempotent.

        ``eid``: the entity the mention names; what is read back must name
        it alone. ``head``: ``new`` is "Canonical (SHORT)" and its first
        ``head`` characters are the name; then the short form in brackets must
        also read back as a mention of ``eid`` (what introduces it). This is
        the full check: callers rewriting to a canonical name try the cheap
        :meth:`Matcher.may_join` first.

        ``rw``: the rewrites made before this one in the same pass. What comes
        before is then read as they write it, and a refusal because the
        rewrite would run on into what follows locks the mentions there
        (see :class:`_Rewrites`).
        """
        before = rw.before(start) if rw is not None else text[max(0, start - _READ_BACK) : start]
        composite = head is not None and head < len(new)
        window = before + new + text[end : end + _READ_BACK]
        a = len(before)
        b, stop = a + (head if composite else len(new)), a + len(new)  # type: ignore[operator]
        chosen = [c for c in self.matcher.select(window) if c.start < stop and a < c.end]
        stays = self._reads_back(window, chosen, a, b, stop, eid, composite)
        if not stays and rw is not None and chosen:
            reach = max(c.end for c in chosen)
            if reach > stop:  # it runs on into what follows: that stays as written
                rw.locked = max(rw.locked, end + reach - stop)
        return stays

    @staticmethod
    def _reads_back(window: str, chosen: list[Candidate], a: int, b: int, stop: int, eid: str | None, composite: bool) -> bool:
        """:meth:`_rewrite_stays` once the mentions overlapping the rewrite
        ``window[a:stop]`` (its name ``window[a:b]``) are chosen."""
        if not chosen:
            return False  # (it is not read as any mention: not as this one)
        # the mention may stop before a full stop the rewrite kept ("U.S." at a sentence's end)
        if not (chosen[0].start == a and (chosen[0].end == b or window[chosen[0].end : b] == ".")):
            return False
        if eid is not None and not _names_alone(chosen[0], eid):
            return False  # (a short form another entity also uses, or one bound to context words)
        if not composite:
            return True
        short = chosen[1] if len(chosen) > 1 else None
        # ... and names this entity alone, whatever the document says
        return short is not None and (short.start, short.end) == (b + 2, stop - 1) and _names_alone(short, eid)


def _names_alone(c: Candidate, eid: str | None) -> bool:
    """Whether a candidate can only be read as a (strong) mention of ``eid``."""
    return all(r.entity_id == eid for r in c.refs) and any(not r.weak for r in c.refs)


_STARTERS = frozenset(
    (  # noqa: SIM905  # (a list of words reads best as words)
        "The A An He She It They We I You But And Or In On At This That These Those There His Her Their Its Our "
        "After Before When While If As According However Meanwhile Also So Yet Now Then Some Many Most One No Not "
        "What Why How Who Where For With From By To Of Since Although Though Despite Earlier Later Last Next Such "
        "Both Each Every All Other Another Still Even Only Under Over During Until Unless Because"
    ).split()
)
_AFTER = re.compile(r"[ \t]+[\"“‘'(\[]*([A-Z][\w']*)")


def _possessive_at(text: str, i: int) -> bool:
    """Whether a possessive (an apostrophe and an s, ``’s``, ``'S``) starts
    at ``text[i]``.

    >>> _possessive_at("JeM’s men", 3), _possessive_at("JEM'S MEN", 3), _possessive_at("JeM’Shah", 3)
    (True, True, False)
    """
    return text[i : i + 1] in APOSTROPHES and text[i + 1 : i + 2] in ("s", "S") and not text[i + 2 : i + 3].isalnum()


def ends_sentence(text: str, i: int) -> bool:
    """Whether a full stop just before ``text[i]`` also ends the sentence:
    end of text or line, a closing quote or bracket, or a following word
    that usually starts a sentence. ("U.N. Security Council" does not.)

    >>> ends_sentence("imposed by the U.N.", 19), ends_sentence("the U.N. Security Council", 8)
    (True, False)
    >>> ends_sentence("in the U.S. The talks", 11)
    True

    An apostrophe and an s after it make a possessive, not a closing quote
    ("the U.S.’s army" becomes "the United States’s army"):

    >>> ends_sentence("the U.S.’s army", 8), ends_sentence("‘to the U.S.’ he said", 12)
    (False, True)
    """
    if _possessive_at(text, i):
        return False
    rest = text[i : i + 64]
    if not rest.strip() or rest[0] in "\r\n”’\")]":
        return True
    m = _AFTER.match(rest)
    return m is not None and m.group(1) in _STARTERS


def match_case(written: str, alias: str, new: str) -> str:
    """The rewrite ``new`` of the name ``written`` (which matched the glossary
    spelling ``alias``), in capitals when the writer's capitals carry
    meaning: a name written in capitals although the glossary spells the
    alias otherwise (a heading in capitals) becomes the new name in
    capitals. An alias the glossary itself spells in capitals (an acronym:
    ``ISI``, ``JEM``) is not emphasis: its rewrite keeps the glossary's case,
    as does every other written form (names are never title-cased, acronyms
    never change case).

    >>> match_case("JAISH-E MUHAMMAD", "Jaish-e Muhammad", "Jaish-e-Mohammed")
    'JAISH-E-MOHAMMED'
    >>> match_case("ISI", "ISI", "Inter-Services Intelligence"), match_case("jaish-e muhammad", "Jaish-e Muhammad", "Jaish-e-Mohammed")
    ('Inter-Services Intelligence', 'Jaish-e-Mohammed')
    """
    if written.isupper() and not alias.isupper() and sum(map(str.isalpha, written)) > 1:
        upper = new.upper()
        # only when capitals keep the name ("aı" would become "AI"); they
        # always keep an ASCII one, which folding reads case-blind
        if new.isascii() or fold(upper) == fold(new):
            return upper
    return new


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a text is scanned.

    The scan allocates hundreds of thousands of small tuples (hits,
    mentions, edits) that never form cycles, so reference counting frees them
    all; what the collector would add is passes over every young object, and
    over the glossary's million objects in a full collection: a quarter to a
    third of ``find``'s time on a multi-megabyte text. The switch is the
    process's (as in :mod:`timeit`): while a scan runs, no thread's objects
    are collected; memory is still freed by reference counting, and the
    collector is switched back on only by the call that switched it off.
    Objects made meanwhile go to the oldest generation (a cycle among them
    waits for the next full collection).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            # The collector would now pass over every mention made (young
            # objects the caller keeps): move them to the oldest generation
            # instead (freeze, then unfreeze into it), where the next full
            # collection sees them, as it would have. Skipped when the
            # program keeps frozen objects of its own.
            gc.freeze()
            gc.unfreeze()
        gc.enable()


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
