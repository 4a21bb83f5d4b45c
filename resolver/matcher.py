"""Compile a glossary into an automaton and find every candidate mention.

The matcher follows spaCy's split: :meth:`Matcher.candidates` finds *every*
whole-word match of every alias (overlapping ones included), and
:func:`select_leftmost_longest`, a separate pure function, decides which win.

How it stays fast: the text is folded once (:mod:`resolver.folding`), at C
speed for the common case, into a string where every word is preceded by a
space. Every alias key is stored in one Aho-Corasick automaton (the Rust
``aho-corasick`` crate through ``ahocorasick_rs``) as ``" " + key``, so the
automaton can only match at the start of a word and the scan costs the same
per character whatever the number of aliases. Python code
runs only for the rare hits, to check the end boundary, exact case,
punctuation inside multi-word names, spelling-rule scope and context words.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

import ahocorasick_rs

from .folding import APOSTROPHES, PUNCT, SEP, Folded, edge_word, fold, fold_key, fold_text
from .glossary import Glossary
from .model import Context, Entity, SpellingRule

__all__ = ["AliasRef", "Candidate", "Matcher", "select_leftmost_longest"]

#: Flags of a key's plan (see ``Matcher.plan``).
PLAN_FAST, PLAN_EXACT, PLAN_MULTI, PLAN_REP = 1, 2, 4, 8
#: ... and two set with the rewrite checks' tables (``Matcher.build_all``):
#: the entity's canonical name is shared with another entity, or could join
#: a neighbouring word (``Matcher.extendable``).
PLAN_SHARED, PLAN_JOIN = 16, 32

#: An entity's facts for the join test (see ``Matcher._build_join_tables``).
JoinFacts = tuple[str, "str | None", str, bool, bool, bool, str, str]

#: Largest number of connector variants compiled for one alias.
MAX_CONNECTOR_VARIANTS = 256


class AliasRef(NamedTuple):
    """One glossary spelling stored under a folded key."""

    entity_id: str
    entity_type: str
    name: str
    plain: str  # fold(name): the key before spelling rules
    exact: str | None  # case-keeping fold, for exact-case aliases
    weak: bool
    ambiguous: bool
    canonical: bool
    context: Context | None
    punct: bool  # the spelling itself has punctuation inside
    tail: str = ""  # punctuation ending the spelling ("." of "U.S.", ")" of "PML(N)")


class Candidate(NamedTuple):
    """A whole-word match of one folded key: ``refs`` are the glossary
    spellings that accept this surface (case, punctuation, scope, context
    already checked)."""

    start: int
    end: int
    refs: tuple[AliasRef, ...]
    rules: tuple[str, ...] = ()
    fstart: int = 0  # span in the folded text
    fend: int = 0
    kid: int = -1  # the compiled key, when ``refs`` are all of its spellings


def select_leftmost_longest(cands: Iterable[Candidate]) -> list[Candidate]:
    """Choose non-overlapping candidates: leftmost first, then longest.

    Tie-break: among candidates starting at the same offset the longest wins;
    a candidate overlapping one already chosen is dropped. Candidates with
    the same span are merged by the matcher before this point, so the result
    does not depend on glossary order.

    >>> a = Candidate(0, 7, ()); b = Candidate(0, 26, ()); c = Candidate(20, 26, ())
    >>> [(x.start, x.end) for x in select_leftmost_longest([c, a, b])]
    [(0, 26)]
    """
    chosen: list[Candidate] = []
    last_end = -1
    for c in sorted(cands, key=lambda c: (c.start, -c.end)):
        if c.start >= last_end and c.end > c.start:
            chosen.append(c)
            last_end = c.end
    return chosen


def _utf8(s: str) -> bytes:
    return s.encode("utf-8", "surrogatepass")


def _matches(ac: ahocorasick_rs.BytesAhoCorasick, t: str, overlapping: bool = False) -> list[tuple[int, int, int]]:
    """``(pattern, start, end)`` of ``ac``'s matches in ``t``, in character
    offsets.

    The automata scan bytes: given a ``str``, the library would keep a
    byte-to-character table of eight bytes per character during the scan
    (80 MB for a 10 MB text). Folded text is nearly always ASCII, where the
    offsets are the same; otherwise the UTF-8 offsets of the matches (always
    character boundaries: patterns and text are valid UTF-8) are converted
    by decoding the text between them once.

    >>> ac = ahocorasick_rs.BytesAhoCorasick([_utf8(" né "), _utf8(" b ")])
    >>> _matches(ac, " a né b ", True), _matches(ac, " a ne b ", True)
    ([(0, 2, 6), (1, 5, 8)], [(1, 5, 8)])
    """
    if t.isascii():
        return ac.find_matches_as_indexes(t.encode("ascii"), overlapping=overlapping)
    b = _utf8(t)
    found = ac.find_matches_as_indexes(b, overlapping=overlapping)
    chars: dict[int, int] = {}
    at = n = 0
    for o in sorted({o for _, s, e in found for o in (s, e)}):
        n += len(b[at:o].decode("utf-8", "surrogatepass"))
        at = o
        chars[o] = n
    return [(i, chars[s], chars[e]) for i, s, e in found]


def _key_words(k: str) -> list[list[str]]:
    """The words of a key of more than one word as written and, where it has
    a possessive, as the automaton reads it (``"ab's x"``: ``ab's x`` and
    ``ab s x``).

    >>> _key_words("ab's x"), _key_words("ab's"), _key_words("ab")
    ([["ab's", 'x'], ['ab', 's', 'x']], [['ab', 's']], [])
    """
    out = [k.split(SEP)] if SEP in k else []
    if "'s" in k:
        scanned = _POSSESSIVE_SCAN(SEP + k + SEP).strip(SEP)
        if scanned != k:
            out.append(scanned.split(SEP))
    return out


def _POSSESSIVE_SCAN(t: str) -> str:
    """``t`` with a possessive's apostrophe read as a space (same length).

    >>> _POSSESSIVE_SCAN(" jem's chief ")
    ' jem s chief '
    """
    return t.replace("'s ", " s ") if "'s " in t else t


_START = itemgetter(1)

#: Name parts: split at spaces and before a possessive "'s" ("muhammad's" -> "muhammad", "s").
_TOKEN_SPLIT = re.compile(r" |'(?=s(?: |$))")


class _Rules:
    """Spelling rules compiled for keys and text."""

    def __init__(self, rules: Sequence[SpellingRule]) -> None:
        self.word: dict[str, tuple[str, SpellingRule]] = {}
        self.connector: dict[str, tuple[tuple[str, ...], SpellingRule]] = {}
        for r in sorted(rules, key=lambda r: r.name):
            members = tuple(dict.fromkeys(fold(m) for m in r.members))
            if r.scope == "word":
                rep = members[0]
                for m in members:
                    self.word.setdefault(m, (rep, r))
            else:
                for m in members:
                    self.connector.setdefault(m, (members, r))
        # Members to rewrite to their class representative, found in folded
        # text as " member" followed by a space or an apostrophe.
        self._subst = sorted(m for m, (rep, _) in self.word.items() if m != rep)
        self.text_ac = (
            ahocorasick_rs.BytesAhoCorasick([_utf8(SEP + m) for m in self._subst], matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)
            if self._subst
            else None
        )

    def __getstate__(self) -> dict[str, object]:
        return {"word": self.word, "connector": self.connector}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(())  # type: ignore[misc]
        self.__dict__.update(state)
        self._subst = sorted(m for m, (rep, _) in self.word.items() if m != rep)
        self.text_ac = (
            ahocorasick_rs.BytesAhoCorasick([_utf8(SEP + m) for m in self._subst], matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)
            if self._subst
            else None
        )

    def substitutions(self, t: str) -> list[tuple[int, int, str]]:
        """Whole-token class members in folded text ``t`` (padded with spaces)
        as ``(start, end, representative)``; a token may carry ``'s``."""
        if self.text_ac is None:
            return []
        out = []
        word, subst = self.word, self._subst
        for i, a, b in _matches(self.text_ac, t):
            c = t[b : b + 1]
            if c == SEP or c == "'":
                m = subst[i]
                out.append((a + 1, b, word[m][0]))
        return out

    def canon(self, key: str) -> str:
        """``key`` with every class member replaced by its representative."""
        if self.text_ac is None:
            return key
        t = SEP + key + SEP
        pieces: list[str] = []
        prev = 0
        for a, b, rep in self.substitutions(t):
            pieces += (t[prev:a], rep)
            prev = b
        if not pieces:
            return key
        pieces.append(t[prev:])
        return "".join(pieces)[1:-1]

    def connector_variants(self, key: str) -> list[str]:
        toks = key.split(" ")
        choices: list[tuple[str, ...]] = []
        for i, t in enumerate(toks):
            if 0 < i < len(toks) - 1 and t in self.connector and toks[i - 1] and toks[i + 1]:
                choices.append(self.connector[t][0])
            else:
                choices.append((t,))
        n = 1
        for c in choices:
            n *= len(c)
        if n == 1 or n > MAX_CONNECTOR_VARIANTS:
            return [key]
        return [" ".join(p) for p in itertools.product(*choices)]

    def explain(self, written: str, listed: str) -> tuple[SpellingRule, ...] | None:
        """Rules that turn ``listed`` into ``written`` token by token, or None."""
        a, b = _TOKEN_SPLIT.split(written), _TOKEN_SPLIT.split(listed)
        if len(a) != len(b):
            return None
        used: list[SpellingRule] = []
        for i, (x, y) in enumerate(zip(a, b)):
            if x == y:
                continue
            wx, wy = self.word.get(x), self.word.get(y)
            if wx and wy and wx[0] == wy[0]:
                used.append(wx[1])
                continue
            cx, cy = self.connector.get(x), self.connector.get(y)
            if cx and cy and cx[1] is cy[1] and 0 < i < len(a) - 1:
                used.append(cx[1])
                continue
            return None
        return tuple(dict.fromkeys(used))


class _Substituted(Folded):
    """A folded text after whole-token substitutions (spelling rules)."""

    __slots__ = ("composed", "parent", "substituted")

    def __init__(
        self, text: str, raw: str, starts: list[int], shifts: list[int], parent: Folded, substituted: list[int]
    ) -> None:
        super().__init__(text, raw, starts, shifts, None, None, 0)
        self.parent = parent
        #: Where each substituted word starts in ``text`` (sorted).
        self.substituted = substituted
        #: When the parent maps by one piecewise shift, the two maps composed
        #: into one ``(starts, shifts)``, so an offset costs one bisection.
        self.composed: tuple[list[int], list[int]] | None = None
        if parent._starts1 is None:
            ps, psh = parent._starts, parent._shifts
            # parent breakpoints lie between words, never inside a substituted token
            in_parent = [a + d for a, d in zip(starts, shifts)]  # where each segment starts, in parent offsets
            points = sorted(set(starts) | {p - shifts[bisect_right(in_parent, p) - 1] for p in ps} | {0})
            cs, csh = [], []
            for b in points:
                d = shifts[bisect_right(starts, b) - 1]
                cs.append(b)
                csh.append(d + psh[bisect_right(ps, b + d) - 1])
            self.composed = (cs, csh)

    def direct_map(self) -> tuple[list[int], list[int]] | None:
        return self.composed

    def parent_index(self, i: int) -> int:
        return i + self._shifts[bisect_right(self._starts, i) - 1]

    def orig(self, i: int) -> int:
        if self.composed is not None:
            cs, csh = self.composed
            return min(max(i + csh[bisect_right(cs, i) - 1], 0), self.parent._length)
        return self.parent.orig(i + self._shifts[bisect_right(self._starts, i) - 1])


class Matcher:
    """A glossary compiled for matching. Build once, use for many texts; it is
    immutable, thread-safe for reading, and pickles (the automaton is rebuilt
    on unpickling from the compiled keys).

    >>> from resolver.glossary import loads
    >>> g = loads('''
    ... version: 1
    ... entities:
    ...   - {id: ttp, type: organization, canonical: Tehreek-e-Taliban Pakistan, aliases: [TTP]}
    ...   - {id: taliban, type: organization, canonical: Taliban}
    ... ''')
    >>> m = Matcher(g)
    >>> [(c.start, c.end, c.refs[0].entity_id) for c in select_leftmost_longest(m.candidates("The Tehreek-e-Taliban Pakistan’s chief, not the Taliban."))]
    [(4, 30, 'ttp'), (48, 55, 'taliban')]
    """

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._rules = _Rules(glossary.spelling)
        keys: dict[str, list[AliasRef]] = {}
        rules = self._rules
        canon = rules.canon if rules.word else None
        variants = rules.connector_variants if rules.connector else None
        for e in sorted(glossary.entities, key=lambda e: e.id):
            for ref in _refs(e):
                k = canon(ref.plain) if canon else ref.plain
                for v in variants(k) if variants else (k,):
                    lst = keys.get(v)
                    if lst is None:
                        keys[v] = [ref]
                    else:
                        lst.append(ref)
        for k, lst in keys.items():
            # A canonical name always names its own entity (its owner wins over
            # other entities listing the same spelling), so it is a fixed point.
            owners = {r.entity_id for r in lst if r.canonical}
            if len(owners) == 1 and len({r.entity_id for r in lst}) > 1:
                keys[k] = [r for r in lst if r.entity_id in owners]
        self._keys = sorted(keys)
        self._refs = [
            (lst[0],) if len(lst) == 1 else tuple(sorted(lst, key=lambda r: (r.entity_id, r.name)))
            for lst in map(keys.__getitem__, self._keys)
        ]
        del keys  # before the automaton is built: the peak of a big build
        self._titles = _title_regex(glossary.titles)
        self._build()

    def _build(self) -> None:
        self._build_automaton()
        self._build_tables()

    def _build_automaton(self) -> None:
        # Patterns are whole words: " key " in a scan copy of the folded text
        # where a possessive "'s " reads " s " (same length, see :meth:`hits`).
        self._auto = (
            ahocorasick_rs.BytesAhoCorasick(_utf8(_POSSESSIVE_SCAN(SEP + k + SEP)) for k in self._keys)
            if self._keys
            else None
        )

    def _build_tables(self) -> None:
        """Everything the matcher derives from its keys besides the automaton
        (pickled as it is: a cached resolver loads without rebuilding it)."""
        #: Keys whose first word is "s": a hit of one may not start at a possessive's "s".
        self._s_keys = frozenset(i for i, k in enumerate(self._keys) if k == "s" or k.startswith("s" + SEP))
        self.has_titles = self._titles is not None
        #: Last words of the titles (a cheap test before the title regex).
        self._title_ends = frozenset(fold(t).rsplit(SEP, 1)[-1] for t in self.glossary.titles if fold(t))
        simple, multi = [], []
        windows = []
        # Keys holding a class representative may have matched a substituted
        # spelling: those hits need the check that names the rules.
        reps = {rep for m, (rep, _) in self._rules.word.items() if m != rep}
        for k, refs in zip(self._keys, self._refs):
            # Does a hit need the full check, or only the punctuation test?
            # A hit needs the full check unless every spelling is case-blind,
            # context-free, ends in a letter and folds to this very key (not
            # through spelling rules or connector variants).
            if len(refs) == 1:
                r = refs[0]
                plain = r.exact is None and r.context is None and not r.tail and r.plain == k
                punct = r.punct
                if r.context is not None:
                    windows.append(r.context.window)
            else:
                plain = all(r.exact is None and r.context is None and not r.tail and r.plain == k for r in refs)
                punct = any(r.punct for r in refs)
                windows += [r.context.window for r in refs if r.context is not None]
            if plain and reps and any(tok in reps for tok in _TOKEN_SPLIT.split(k)):
                plain = False
            simple.append(plain)
            multi.append(not punct and SEP in k)
        self._simple, self._multi = simple, multi
        # Per key whose spellings all name one entity in strong form, its
        # plan: (id, canonical, (id,), is a person, first spelling,
        # spellings or None when that is the only one, flags, the entity's
        # join test's tuple or None: see _build_join_tables), flat so that
        # the hot loop reads one tuple per hit (at 100k entities, cache
        # misses are much of its time); the strings and the (id,) tuple are
        # shared by the keys of one entity. Flags: PLAN_FAST (a
        # hit becomes a mention in the hot loop: no context, rules or tail),
        # PLAN_EXACT (there, only if the surface is a listed spelling),
        # PLAN_MULTI (several words: punctuation may not join them), PLAN_REP
        # (it holds a spelling class's representative: a hit in which a rule
        # rewrote a word takes the general path, which names the rules).
        entities: dict[str, tuple[str, str, tuple[str], bool]] = {}
        plan: list[tuple[str, str, tuple[str], bool, str, tuple[str, ...] | None, int, JoinFacts | None] | None] = []
        for refs, k, multi_ in zip(self._refs, self._keys, multi):
            eid = refs[0].entity_id
            flags = PLAN_MULTI if multi_ else 0
            if all(r.entity_id == eid and not r.weak for r in refs) and eid in self.glossary:
                own = refs  # every spelling names one entity in strong form
                if all(r.context is None and not r.tail and r.plain == k for r in refs):
                    flags |= PLAN_FAST
            elif (
                eid in self.glossary
                and all(r.entity_id == eid and r.exact is not None and r.context is None and not r.tail and r.plain == k for r in refs)
                and any(not r.weak for r in refs)
                and not {r.exact for r in refs if r.weak} & {r.exact for r in refs if not r.weak}
            ):
                # exact-case spellings of one entity, some weak ("JeM" strong,
                # "JEM" weak): a surface written as a strong one is that entity
                own = tuple(r for r in refs if not r.weak)
                flags |= PLAN_FAST
            else:
                own = ()
            # A hit written as the key itself (no rule rewrote a word of it)
            # keeps only the spellings listed so (a listed spelling beats one
            # derived by rules): when those name one entity, strong, plainly,
            # the hot loop takes it.
            listed = tuple(r for r in refs if r.plain == k) if not flags & PLAN_FAST else refs
            if not flags & PLAN_FAST and listed and len(listed) < len(refs):
                e0 = listed[0].entity_id
                if e0 in self.glossary and all(
                    r.entity_id == e0 and not r.weak and r.context is None and not r.tail for r in listed
                ):
                    flags |= PLAN_FAST | PLAN_REP
                    eid, own = e0, listed
            if not own:
                plan.append(None)
                continue
            ent = entities.get(eid)
            if ent is None:
                e = self.glossary[eid]
                ent = entities[eid] = (eid, e.canonical, (eid,), e.type == "person")
            if flags & PLAN_FAST:
                if reps and any(tok in reps for tok in _TOKEN_SPLIT.split(k)):
                    flags |= PLAN_REP  # fast only where no spelling rule rewrote a word of the hit
                if any(r.exact is not None for r in own):
                    flags |= PLAN_EXACT
            names = tuple(r.name for r in own) if len(own) > 1 else None
            plan.append((*ent, own[0].name, names, flags, None))
        self.plan = plan
        #: Length of the longest compiled key (the stream reader's margin).
        self.longest_key = max(map(len, self._keys), default=0)
        #: How far (characters) after a mention the context rules may look.
        self.context_reach = 40 * max(windows, default=0)

    #: The tables of the rewrite checks (normalize): built on first use, so
    #: that a matcher that only finds does not hold them (about 30 MB at
    #: 100k entities).
    _JOIN_TABLES = frozenset(
        ["extendable", "canonical_shared", "_apostrophe_words", "_join_pairs", "_joins_left", "_joins_right", "_join_at"]
    )

    def __getattr__(self, name: str) -> Any:
        # only called for an attribute the instance does not have
        if name in Matcher._JOIN_TABLES:
            self._build_join_tables()
            return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def build_all(self) -> None:
        """Build now the tables otherwise built on first use (the rewrite
        checks of ``normalize``): before pickling a matcher for a cache, so
        that whoever loads it does not build them again."""
        if "_join_at" not in self.__dict__:
            self._build_join_tables()

    def _build_join_tables(self) -> None:
        """The tables of :meth:`may_join`, :meth:`may_join_at` and the
        editor's read-back rules (``extendable``, ``canonical_shared``)."""
        # Entities whose canonical name, written in place of another
        # spelling, could be read together with a neighbouring word as (part
        # of) another name: its first word (or, "ab's", the word before its
        # possessive) follows a word in some key, or its last word is
        # followed by one (or is spelled with a possessive) in some key.
        # ("Masood Azhar" of "Masood Azhar Alvi".) Their rewrites are checked.
        # The automaton reads a key's possessive as a word "s" ("ab's x" as
        # "ab s x", see _POSSESSIVE_SCAN), so a key joins its neighbours in
        # both spellings: its words are taken both ways.
        after_a_word: set[str] = set()
        before_a_word: set[str] = set()
        apostrophe_words: set[str] = set()
        for k in self._keys:
            for toks in _key_words(k):
                after_a_word.update(toks[1:])
                before_a_word.update(toks[:-1])
            if "'" in k:
                apostrophe_words.update(t for t in k.split(SEP) if "'" in t)
        self._apostrophe_words = frozenset(apostrophe_words)
        index = {k: i for i, k in enumerate(self._keys)}
        extendable: set[str] = set()
        # For the cheap test of :meth:`may_join`: of those, the ones whose
        # canonical name is a plain key (it reads back as itself), with
        # their first and last words.
        ends: dict[str, tuple[str, str]] = {}
        for e in self.glossary.entities:
            ck = self._rules.canon(fold(e.canonical))
            toks = ck.split(SEP)
            first, last = toks[0], toks[-1]
            if not (
                first in after_a_word
                or (first.endswith("'s") and first[:-2] in after_a_word)
                or last in before_a_word
                or last + "'s" in apostrophe_words
                or last[-2:] == "'s"
            ):
                continue
            extendable.add(e.id)
            kid = index.get(ck, -1)
            p = self.plan[kid] if kid >= 0 else None
            # (a canonical name ending in a possessive, "Lloyd's", reads as
            # ending in the word "s": always read back, it is rare)
            if p is not None and p[6] & PLAN_FAST and not p[6] & PLAN_EXACT and p[0] == e.id and last[-2:] != "'s":
                ends[e.id] = (first, last)
        #: Entities whose canonical name another entity shares (lint's L002):
        #: a rewrite to it must be read back, whatever its neighbours.
        shared: set[str] = set()
        for e in self.glossary.entities:
            kid = index.get(self._rules.canon(fold(e.canonical)), -1)
            if kid >= 0 and any(r.entity_id != e.id for r in self._refs[kid]):
                shared.add(e.id)
        self.canonical_shared = frozenset(shared)
        del index, after_a_word, before_a_word
        self.extendable = frozenset(extendable)
        # ... and every pair of adjacent words in a key that starts or ends
        # next to such a word ("x first", "last y")
        firsts = {a for a, _ in ends.values()} | {a[:-2] for a, _ in ends.values() if a.endswith("'s")}
        lasts = {b for _, b in ends.values()}
        pairs: set[str] = set()
        for k in self._keys:
            for toks in _key_words(k):
                for x, y in itertools.pairwise(toks):
                    if y in firsts or x in lasts:
                        pairs.add(x + SEP + y)
        self._join_pairs = frozenset(pairs)
        # first words some key continues to the left of, last words some key continues after
        self._joins_left = frozenset(y for y in (q.partition(SEP)[2] for q in pairs) if y in firsts)
        self._joins_right = frozenset(x for x in (q.partition(SEP)[0] for q in pairs) if x in lasts)
        # the last letters of the words a pair has before each word, and the
        # first letters of those it has after each word
        ends_before: dict[str, set[str]] = {}
        starts_after: dict[str, set[str]] = {}
        for q in pairs:
            x, _, y = q.partition(SEP)
            ends_before.setdefault(y, set()).add(x[-1:])
            # (an empty word, from punctuation in a key, pairs only with the
            # "'s" of a possessive written apart, which folds to a space)
            starts_after.setdefault(x, set()).add(y[:1])
        letters: dict[str, str] = {}  # (one string per distinct set)

        def spelled(*sets: set[str] | None) -> str:
            chars = "".join(sorted(set().union(*(c for c in sets if c))))
            return letters.setdefault(chars, chars)

        #: per entity of ``ends``: (first word, first word without its "'s", last word,
        #: a key continues it on the left, on the right, with a possessive, the
        #: last letters of the words that may come before it in a key, the first
        #: letters of those that may come after it), for :meth:`may_join` and
        #: :meth:`may_join_at`
        join_at: dict[str, JoinFacts] = {}
        for eid, (first, last) in ends.items():
            bare = first[:-2] if first[-2:] == "'s" else None
            left = first in self._joins_left or first[-2:] == "'s"
            right = last in self._joins_right
            join_at[eid] = (
                first,
                bare,
                last,
                left,
                right,
                last[-2:] == "'s" or last + "'s" in self._apostrophe_words or last + SEP + "s" in pairs,
                spelled(ends_before.get(first), ends_before.get(bare) if bare is not None else None) if left else "",
                spelled(starts_after.get(last)) if right else "",
            )
        # The hot loop of normalize reads these facts from the plan of the
        # key it hit, a tuple it reads anyway: looked up in tables of their
        # own, at 100k entities, they cost a cache miss or two per rewrite
        # (a third of normalize's time over find's, measured).
        plan = self.plan
        for kid, p in enumerate(plan):
            if p is not None:
                bits = (PLAN_SHARED if p[0] in shared else 0) | (PLAN_JOIN if p[0] in extendable else 0)
                if bits:
                    plan[kid] = (*p[:6], p[6] | bits, join_at.get(p[0]))
        # Last: build_all takes the tables as built once this is set, so a
        # thread that finds it set finds the plans marked too (a thread that
        # comes earlier builds them again, to the same result).
        self._join_at = join_at

    def may_join(self, eid: str, before: str, after: str) -> bool:
        """Whether the canonical name of ``eid`` written between ``before``
        and ``after`` could be read as part of a longer name (a cheap,
        conservative test: False is certain, True means "check").

        >>> from resolver.glossary import loads
        >>> m = Matcher(loads("version: 1\\nentities: [{id: m, type: person, canonical: Masood Azhar}, "
        ...                   "{id: a, type: person, canonical: Masood Azhar Alvi}]"))
        >>> m.may_join("m", "said ", " and"), m.may_join("m", "said ", " Alvi")
        (False, True)
        >>> m.may_join("m", "said ", "’s men"), m.may_join("m", "said ", "’t")
        (False, True)
        """
        x = self._join_at.get(eid)
        if x is None:
            return True
        first, bare_first, last, left, right, possessive, _, _ = x
        canon = self._rules.canon if self._rules.word else None
        pairs = self._join_pairs
        # a longer name running on from the left has the pair (word before,
        # first word), or ends at the first word's possessive
        if left:
            b = edge_word(before, True)
            if canon is not None:
                b = canon(b)
            if b and (b + SEP + first in pairs or (bare_first is not None and b + SEP + bare_first in pairs)):
                return True
            if b[-2:] == "'s" and ("s" + SEP + first in pairs or (bare_first is not None and "s" + SEP + bare_first in pairs)):
                return True  # (the word before read as "x s")
        if after[:1] in APOSTROPHES:
            glued = edge_word("x" + after[:8], False)
            if glued != "x":  # the apostrophe joins the name's last word to what follows
                # not a possessive ("’t"), a second one ("Lloyd's’s" ends no
                # name), or a possessive some key spells out
                return glued != "x's" or possessive
        if not right:
            return False
        # ... and to the right, (last word, word after), possessive or not ("Cd Ab’s")
        a = edge_word(after, False)
        bare = a[:-2] if a.endswith("'s") else None
        if canon is not None:
            a = canon(a)
            bare = canon(bare) if bare is not None else None
        return bool(a) and last + SEP + a in pairs or bare is not None and last + SEP + bare in pairs

    def joins_on_left(self, eid: str) -> bool:
        """Whether some key may continue the canonical name of ``eid`` on
        the left (True when the tables do not say): only then does
        :meth:`may_join` read the word before. A rewrite next to an earlier
        one needs the text before as rewritten only then; otherwise the
        folded text answers (:meth:`may_join_at`).

        >>> from resolver.glossary import loads
        >>> m = Matcher(loads("version: 1\\nentities: [{id: m, type: person, canonical: Masood Azhar}, "
        ...                   "{id: a, type: person, canonical: Masood Azhar Alvi}]"))
        >>> m.joins_on_left("m")
        False
        """
        x = self._join_at.get(eid)
        return x is None or x[3]

    def may_join_at(self, eid: str, t: str, s: int, e: int) -> bool:
        """:meth:`may_join` for a mention whose name spans ``t[s:e]`` of the
        folded text ``t`` (``Matcher.fold(text).text``), where the
        neighbouring words are read directly.

        >>> from resolver.glossary import loads
        >>> m = Matcher(loads("version: 1\\nentities: [{id: m, type: person, canonical: Masood Azhar}, "
        ...                   "{id: a, type: person, canonical: Masood Azhar Alvi}]"))
        >>> t = m.fold("M. Azhar and M. Azhar Alvi").text; t
        ' m  azhar and m  azhar alvi '
        >>> m.may_join_at("m", t, 4, 9), m.may_join_at("m", t, 17, 22)
        (False, True)
        """
        return self.join_test()(eid, t, s, e)

    def join_test(self) -> Callable[[str, str, int, int], bool]:
        """:meth:`may_join_at` as a function with the matcher's tables bound
        to it, for a loop that asks once per rewrite."""
        ends = self._join_at
        joins_at = self.join_test_of()

        def may_join_at(eid: str, t: str, s: int, e: int) -> bool:
            x = ends.get(eid)
            return True if x is None else joins_at(x, t, s, e)

        return may_join_at

    def join_test_of(self) -> Callable[[JoinFacts, str, int, int], bool]:
        """:meth:`join_test` for a loop that has the entity's tuple of
        ``_join_at`` already (the last field of its key's plan, see
        :meth:`build_all`): ``test(x, t, s, e)``."""
        self.build_all()
        pairs = self._join_pairs

        def joins_at(x: JoinFacts, t: str, s: int, e: int) -> bool:
            first, bare_first, last, left, right, possessive, before, after = x
            # the folded text is rule-canonical already; a word is adjacent only
            # across one space (punctuation and runs fold to more). Most
            # neighbours are ruled out by a letter: the last one of the word
            # before, the first one of the word after, which no word a key
            # has there ends or starts with ("" when there is none: then the
            # full test reads it).
            if t[s - 2] not in before and t[e] != "'" and t[e + 1 : e + 2] not in after:
                return False
            if left and s >= 2 and t[s - 2] != SEP:
                b = t[t.rfind(SEP, 0, s - 1) + 1 : s - 1]
                if b + SEP + first in pairs or (bare_first is not None and b + SEP + bare_first in pairs):
                    return True
                if b[-2:] == "'s" and ("s" + SEP + first in pairs or (bare_first is not None and "s" + SEP + bare_first in pairs)):
                    return True  # (the word before read as "x s")
            c = t[e]
            if c == "'":  # a possessive (the only other end a hit has)
                return possessive
            if right and t[e + 1 : e + 2] not in (SEP, ""):
                a = t[e + 1 : t.find(SEP, e + 1)]
                return last + SEP + a in pairs or (a[-2:] == "'s" and last + SEP + a[:-2] in pairs)
            return False

        return joins_at

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        del state["_auto"]  # not picklable: rebuilt from the keys
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._build_automaton()

    def __len__(self) -> int:
        """Number of distinct folded keys compiled."""
        return len(self._keys)

    def keys(self) -> list[str]:
        """The compiled folded keys (with spelling rules applied), sorted."""
        return list(self._keys)

    def key(self, name: str) -> str:
        """The folded key of ``name`` after word spelling rules: two names
        with the same key are read as the same name (connector variants
        aside).

        >>> from resolver.glossary import loads
        >>> g = loads("version: 1\\nspelling: [{members: [Mohammed, Muhammad]}]\\nentities: []\\n")
        >>> Matcher(g).key("Jaish-e Muhammad")
        'jaish e mohammed'
        """
        return self._rules.canon(fold(name))

    def lookup(self, name: str) -> tuple[AliasRef, ...]:
        """The glossary spellings a name folds to (spelling rules applied)."""
        key = self.key(name)
        import bisect

        i = bisect.bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            return self._refs[i]
        return ()

    def fold(self, text: str) -> Folded:
        """Fold a text for this matcher (spelling rules applied)."""
        f = fold_text(text)
        subs = self._rules.substitutions(f.text)
        if not subs:
            return f
        t, raw = f.text, f.raw
        pieces: list[str] = []
        raw_pieces: list[str] = []
        starts, shifts = [0], [0]
        prev = 0
        delta = 0
        substituted = []
        for a, b, rep in subs:
            pieces += (t[prev:a], rep)
            raw_pieces += (raw[prev:a], rep)
            substituted.append(a - delta)
            prev = b
            delta += b - a - len(rep)
            starts.append(b - delta)
            shifts.append(delta)
        pieces.append(t[prev:])
        raw_pieces.append(raw[prev:])
        return _Substituted("".join(pieces), "".join(raw_pieces), starts, shifts, f, substituted)

    def hits(self, f: Folded) -> list[tuple[int, int, int]]:
        """Whole-word hits as ``(start, -end, key id)`` in folded offsets, in
        selection order (leftmost, then longest): :meth:`scan` in another shape.
        """
        return [(s + 1, 1 - e, kid) for kid, s, e in self.scan(f)]

    def scan(self, f: Folded) -> list[tuple[int, int, int]]:
        """Whole-word hits as the automaton reports them, ``(key id, start - 1,
        end + 1)`` in folded offsets (the span of ``" key "``), in selection
        order: leftmost, then longest.

        The automaton's patterns are ``" key "``, so every hit is a whole
        word without a check in Python; a possessive ``'s`` is the one end a
        name may have that is not a space, so the scan runs on a copy of the
        folded text where ``"'s "`` reads ``" s "`` (same length, same offsets).

        Overlapping hits come in order of their ends, so for one start the
        shorter first: reversed, then sorted by start alone (a stable sort),
        they come leftmost first and, for one start, longest first, without
        making a tuple per hit to sort on.
        """
        t = f.text
        assert self._auto is not None
        if t.isascii():  # (nearly always) the scan copy is made as bytes: one copy of the text, not two
            b = t.encode("ascii")
            possessive = b"'s " in b
            if possessive:
                b = b.replace(b"'s ", b" s ")
            hits = self._auto.find_matches_as_indexes(b, overlapping=True)
            del b
        else:
            scan = _POSSESSIVE_SCAN(t)
            possessive = scan is not t
            hits = _matches(self._auto, scan, overlapping=True)
        if self._s_keys and possessive:
            s_keys = self._s_keys
            hits = [h for h in hits if h[0] not in s_keys or t[h[1]] != "'"]
        hits.reverse()
        hits.sort(key=_START)
        return hits

    def candidates(self, text: str, folded: Folded | None = None) -> list[Candidate]:
        """Every whole-word match in ``text``, overlapping ones included, each
        checked (case, punctuation, rule scope, context)."""
        if not self._keys:
            return []
        f = folded if folded is not None else self.fold(text)
        out = []
        for s, ne, kid in self.hits(f):
            cand = self.check(text, f, s, -ne, kid)
            if cand is not None:
                out.append(cand)
        return out

    def select(self, text: str, folded: Folded | None = None, min_start: int = 0) -> list[Candidate]:
        """The chosen mentions: ``select_leftmost_longest(candidates(text))``,
        computed without checking candidates that could not be chosen.
        Candidates starting before ``min_start`` are ignored."""
        if not self._keys:
            return []
        f = folded if folded is not None else self.fold(text)
        raw, span, refs, simple, multi = f.raw, f.span, self._refs, self._simple, self._multi
        # Offsets of a plain fold map by one bisection, inlined here (the hot loop).
        dm = f.direct_map()
        direct = dm is not None
        starts, shifts = dm or ([], [])
        out: list[Candidate] = []
        last = -1
        for kid, s, e in self.scan(f):
            s += 1
            if s < last:
                continue
            e -= 1
            if simple[kid]:
                if multi[kid] and PUNCT in raw[s:e]:
                    continue
                if direct:
                    a = s + shifts[bisect_right(starts, s) - 1]
                    b = e + shifts[bisect_right(starts, e) - 1]
                else:
                    a, b = span(text, s, e)
                if b <= a or a < min_start:
                    continue
                cand: Candidate | None = Candidate(a, b, refs[kid], (), s, e, kid)
            else:
                cand = self.check(text, f, s, e, kid)
                if cand is None or cand.start < min_start:
                    continue
            out.append(cand)  # type: ignore[arg-type]
            last = e
        return out

    def check(self, text: str, f: Folded, s: int, e: int, kid: int) -> Candidate | None:
        if self._multi[kid] and PUNCT in f.raw[s:e]:
            return None
        refs = self._refs[kid]
        a, b = f.span(text, s, e)
        if b <= a:
            return None
        surface = text[a:b]
        written = self._keys[kid]
        if isinstance(f, _Substituted):
            written = f.parent.text[f.parent_index(s) : f.parent_index(e)]
        keep: list[AliasRef] = []
        exact_fold: str | None = None
        rules: tuple[str, ...] = ()
        for r in refs:
            if r.exact is not None and surface != r.name:
                if exact_fold is None:
                    exact_fold = fold(surface, casefold=False)
                if exact_fold != r.exact:
                    continue
            if written != r.plain:
                used = self._rules.explain(written, r.plain)
                if used is None or r.exact is not None:
                    continue
                if any(u.types and r.entity_type not in u.types for u in used):
                    continue
                names = tuple(sorted(u.name for u in used))
                if not rules or len(names) < len(rules):  # report the closest listed spelling's rules
                    rules = names
            if r.context is not None and not _context_ok(text, a, b, r.context):
                continue
            keep.append(r)
        if not keep:
            return None
        if rules and any(r.plain == written for r in keep):
            # A spelling listed in the glossary beats one derived by rules.
            rules = ()
            keep = [r for r in keep if r.plain == written]
        same = not rules and len(keep) == len(refs)
        for r in keep:  # "U.S." and "PML(N)": the closing punctuation is part of the name
            if (
                r.tail
                and text.startswith(r.tail, b)
                and not text[b + len(r.tail) : b + len(r.tail) + 1].isalnum()  # "PML(N)Rauf": not a name's end
                and _PUNCT_CHARS.findall(text[a:b] + r.tail) == _PUNCT_CHARS.findall(r.name)
            ):
                b += len(r.tail)
                break
        return Candidate(a, b, refs if same else tuple(keep), rules, s, e, kid if same else -1)

    def titled(self, text: str, f: Folded, cand: Candidate, floor: int) -> int:
        """Start of a title written right before a person mention, or the
        mention's own start. ``floor``: the title may not start before it."""
        if self._titles is None or not any(r.entity_type == "person" for r in cand.refs):
            return cand.start
        return self.titled_at(text, f, cand.fstart, cand.start, floor)

    def titled_at(self, text: str, f: Folded, fstart: int, start: int, floor: int) -> int:
        """:meth:`titled` for a person mention at folded offset ``fstart``
        (original offset ``start``)."""
        t = f.text
        # Cheap test first: the word right before the name (one or two
        # spaces back) must end some title.
        p = fstart - 1
        if t[p - 1 : p] == SEP:
            p -= 1
        if t[t.rfind(SEP, 0, p) + 1 : p] not in self._title_ends:
            return start
        window = t[max(0, fstart - 40) : fstart]
        m = self._titles.search(window) if self._titles is not None else None
        if m is None:
            return start
        ts = f.orig(fstart - len(window) + m.start(1))
        gap = text[ts:start]
        if ts < floor or not _TITLE_GAP.fullmatch(gap[len(gap.rstrip(" \t\n\u00a0-.")) :]):
            return start
        return ts


_TITLE_GAP = re.compile(r"\.?[\s\-]*")


def _title_regex(titles: Sequence[str]) -> re.Pattern[str] | None:
    keys = sorted({fold(t) for t in titles if fold(t)}, key=len, reverse=True)
    if not keys:
        return None
    alts = "|".join(r" +".join(map(re.escape, k.split(" "))) for k in keys)
    return re.compile(rf"(?: |^)({alts}) {{1,2}}$")


_SENTENCE_END = re.compile(r"[.!?;:][\s\"'”’)\]]+|\n\s*\n")


def _context_ok(text: str, a: int, b: int, ctx: Context) -> bool:
    """Context words within ``ctx.window`` words of ``text[a:b]``, without
    crossing a sentence end."""
    before = text[max(0, a - 40 * ctx.window) : a]
    ends = list(_SENTENCE_END.finditer(before))
    if ends:
        before = before[ends[-1].end() :]
    after = text[b : b + 40 * ctx.window]
    if after[:1] in APOSTROPHES and after[1:2] in ("s", "S") and not after[2:3].isalnum():
        after = after[2:]  # a possessive ("JeM’s") is not a word of the context
    m = _SENTENCE_END.search(after)
    if m:
        after = after[: m.start()]
    words = fold(before).split()[-ctx.window :] + fold(after).split()[: ctx.window]
    window = " " + " ".join(words) + " "
    if ctx.near and not any(f" {w} " in window for w in ctx.near):
        return False
    return not any(f" {w} " in window for w in ctx.not_near)


_TAIL = re.compile(r"[^\w\s'’]+$")
_PUNCT_CHARS = re.compile(r"[^\w\s'’\-\u2010-\u2015]")


def _refs(e: Entity) -> list[AliasRef]:
    """The glossary spellings of one entity, canonical name included."""
    from .glossary import is_acronym

    names = [(a.name, a.case, a.weak, a.ambiguous, a.context, a.name == e.canonical) for a in e.aliases]
    if not any(n[5] for n in names):
        names.insert(0, (e.canonical, "exact" if is_acronym(e.canonical) else "insensitive", False, False, None, True))
    out = []
    eid, etype = e.id, e.type
    for name, case, weak, amb, ctx, canon in names:
        plain, punct = fold_key(name)
        exact = fold(name, casefold=False) if case == "exact" else None
        stripped = name.rstrip()
        tail = stripped[len(_TAIL.sub("", stripped)) :] if punct else ""
        out.append(AliasRef(eid, etype, name, plain, exact, weak, amb, canon, ctx, punct, tail))
    return out
