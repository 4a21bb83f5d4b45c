"""Unknown terms: the names in a text that the glossary does not know.

:func:`find_unknown` reports every name-like span of a text that no glossary
entry covers, once per distinct name (grouped by :func:`~resolver.folding.fold`)
with its count, every position, the closest glossary entries
(:mod:`resolver.suggest`) and a classification: ``likely-variant`` (the top
suggestion scores at least ``variant_threshold``: probably a misspelling or a
new spelling of a known entity) or ``new`` (probably an entity to add).

Detection is rule-based, so every report can be explained:

1. **Candidates** are runs of capitalised words found by one regular
   expression over the original text (C speed): words starting with a
   capital (any script with case in the Basic Multilingual Plane), joined by
   one or two spaces, by hyphens (also across a line break after a hyphen),
   by the connectors names in this domain use (``Harkat-ul-Mujahideen``,
   ``Markaz Usman-e-Ali``, ``Government of Canada``, ``Osama bin Laden``),
   acronyms of any shape (``JeM``, ``DGISI``, ``PML-N``, ``J&K``, ``U.S.``)
   and names after a lower-case article prefix (``al-Qaeda``). Runs never
   cross a line break or punctuation (but ``Dr.`` and initials: ``B.
   Natale``); a possessive (``Kabul’s``) ends the word before it; words in
   handles and hashtags are skipped.
2. Each run is **split into words** and each word judged:

   * a **title** (:file:`data/titles.txt` and the glossary's ``titles``:
     ``Maulana``, ``Lt Gen``, ``Field Marshal``…) followed by a name is
     dropped, and the words after it are a name whatever else they look
     like; a common word just before a title (``Former``, ``Operational``)
     goes with it; a title that is also a family name ending a name stays
     (``Neelam Irshad Sheikh``);
   * **stop words**, pronouns and their contractions, months, weekdays and a
     few abbreviations that never name anything (``TV``, ``CEO``) are
     dropped and split the run;
   * at the **start of a sentence** and everywhere in a **title-case
     clause** (a headline, also one run into a paragraph or quoted, in which
     only minor words such as "of" and "in" are in lower case), a word that
     also occurs in lower case in the same document, or is a common English
     word (:file:`data/common_english.txt.gz`), is an ordinary word and
     dropped — unless, at the start of a sentence, a name follows it in the
     same run (``World War II``); in an all-capitals clause the same holds
     for words in capitals; elsewhere a word in capitals is an acronym unless
     it is a common English word of four letters or more (``LIVE``);
   * words inside a **known mention** (every mention :meth:`Resolver.find
     <resolver.core.Resolver.find>` reports, whatever its status) are known.
     A name that extends a known one with ordinary words, or a person's name
     around a known part of it, is reported whole (``Pakistan Air Force``,
     ``Abdul Rauf Azhar``); otherwise the known mention splits the run
     (``Pakistan Zalmay Khalilzad``, ``ISKP-Rawalpindi``).

3. What is left are **segments**; one is reported unless it is made only of
   known words or of adjectives and known words (``Afghan Taliban``); is one
   word that also occurs in lower case in the document, a nationality or
   religious adjective (``Afghan``, :file:`data/adjectives.txt`), a roman
   numeral, an acronym or common word before a number (``IC 814``,
   ``Article 370``) or too short (``min_chars``); is a single common English
   word with a capital, unless "the" comes before it (``the West``) or it
   is capitalised so at least twice in the document (``in Mustang``); is
   made only of common English words after a possessive or a dropped stop
   word (``our Special Projects``, ``Most Favored Nation``); is longer than
   ``max_words``; or is a spelling the glossary resolves
   (:meth:`Matcher.lookup <resolver.matcher.Matcher.lookup>`: a name whose
   context or case did not match here is not unknown).

Offsets index the original text: ``text[p.start:p.end] == p.surface`` for
every position, with possessives and surrounding punctuation left out.

>>> import resolver
>>> from resolver.glossary import loads
>>> g = loads('''
... version: 1
... titles: [Maulana]
... entities:
...   - {id: jem, type: organization, canonical: Jaish-e-Mohammed, aliases: [JeM]}
...   - {id: sirajuddin_haqqani, type: person, canonical: Sirajuddin Haqqani}
... ''')
>>> text = "The JeM met in Bahawalpur. Maulana Ammar and Sirajjudin’s men left for Bahawalpur."
>>> for u in find_unknown(resolver.Resolver(g), text):
...     print(u.term, u.count, u.classification, [s.entity_id for s in u.suggestions], u.reason)
Bahawalpur 2 new [] capitalised word
Ammar 1 new [] after the title Maulana
Sirajjudin 1 likely-variant ['sirajuddin_haqqani'] capitalised word
"""

from __future__ import annotations

import gzip
import os
import re
import weakref
from bisect import bisect_right
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from functools import cached_property, lru_cache, partial
from importlib import resources
from itertools import accumulate, chain, repeat
from operator import attrgetter, itemgetter
from typing import Any, Literal

from .core import Resolver, _gc_paused
from .folding import fold
from .glossary import Glossary, is_acronym
from .model import Mention
from .suggest import (
    DEFAULT_CUTOFF,
    DEFAULT_LIMIT,
    DEFAULT_VARIANT_THRESHOLD,
    Suggester,
    Suggestion,
)
from .vocabulary import WORDS, LowerWords, char_class


def _words(text: str) -> frozenset[str]:
    """The space-separated words of ``text`` (word lists written as prose)."""
    return frozenset(text.split())


__all__ = [
    "Classification",
    "Position",
    "Unknown",
    "UnknownOptions",
    "find_unknown",
    "guess_type",
    "propose_id",
    "suggester_for",
    "unknown",
]

Classification = Literal["likely-variant", "new"]


@dataclass(frozen=True, slots=True)
class UnknownOptions:
    """How unknown terms are detected and classified.

    ``cutoff``: suggestions scoring below this (0–100) are not listed
    (default 60). ``variant_threshold``: a top suggestion at or above this
    makes the term a ``likely-variant``, else it is ``new`` (default 85).
    ``limit``: how many suggestions at most (default 3). ``max_words``:
    longer segments (run-on title case) are not reported (default 8).
    ``min_chars``: shorter terms are not reported (default 2).
    ``extend_known``: a name that extends a known mention with ordinary words
    (``Pakistan Air Force``) or a person's name around a known part of it
    (``Abdul Rauf Azhar``) is reported whole, containing the mention; with
    False (the default) no reported span ever overlaps a mention, and only
    the unknown words around it are reported (``Air Force``). A glossary
    maintainer's to-do list reads better with True (``--extend-known``).
    """

    cutoff: float = DEFAULT_CUTOFF
    variant_threshold: float = DEFAULT_VARIANT_THRESHOLD
    limit: int = DEFAULT_LIMIT
    max_words: int = 8
    min_chars: int = 2
    extend_known: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.cutoff <= 100 or not 0 <= self.variant_threshold <= 100:
            raise ValueError("cutoff and variant_threshold are scores from 0 to 100")
        if self.limit < 0 or self.max_words < 1 or self.min_chars < 1:
            raise ValueError("limit must be 0 or more, max_words and min_chars 1 or more")


@dataclass(frozen=True, slots=True)
class Position:
    """One occurrence: ``text[start:end] == surface``; ``line`` and
    ``column`` are 1-based, the column counted in characters."""

    start: int
    end: int
    line: int
    column: int
    surface: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"start": self.start, "end": self.end, "line": self.line, "column": self.column, "surface": self.surface}


@dataclass(frozen=True, slots=True)
class Unknown:
    """A name in one document that the glossary does not know.

    ``term`` is its most frequent spelling, ``key`` the folded form the
    occurrences are grouped by, ``surfaces`` every spelling seen (first seen
    first), ``reason`` why it is a candidate, ``titles`` the titles written
    before it, ``type_guess`` the entity type a new entry would probably have
    (``type_reason`` says why; a maintainer confirms it).
    """

    term: str
    key: str
    classification: Classification
    count: int
    positions: tuple[Position, ...]
    surfaces: tuple[str, ...]
    suggestions: tuple[Suggestion, ...]
    reason: str
    titles: tuple[str, ...] = ()
    type_guess: str = "organization"
    type_reason: str = ""

    @property
    def acronym(self) -> bool:
        """True for an acronym-shaped term (``DGISI``, ``PML-N``)."""
        return is_acronym(self.term)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "term": self.term,
            "key": self.key,
            "classification": self.classification,
            "count": self.count,
            "surfaces": list(self.surfaces),
            "suggestions": [s.to_dict() for s in self.suggestions],
            "reason": self.reason,
            "titles": list(self.titles),
            "type_guess": self.type_guess,
            "type_reason": self.type_reason,
            "positions": [p.to_dict() for p in self.positions],
        }


# --------------------------------------------------------------------------
# Word lists (resolver/data)


def _read_list(name: str) -> list[str]:
    res = resources.files("resolver") / "data" / name
    raw = res.read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    out = []
    for line in raw.decode("utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return out


@dataclass(frozen=True)
class _Lexicon:
    stop: frozenset[str]
    non_names: frozenset[str]
    adjectives: frozenset[str]
    common: frozenset[str]
    titles: dict[tuple[str, ...], bool]  # folded title words -> also a family name


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    stop: set[str] = set()
    for name in ("stopwords.txt", "pronouns.txt", "months.txt", "weekdays.txt"):
        stop.update(fold(w) for w in _read_list(name))
    titles: dict[tuple[str, ...], bool] = {}
    for line in _read_list("titles.txt"):
        surname = line.endswith("*")
        words = tuple(fold(line.rstrip("* ")).split())
        if words:
            titles[words] = surname
    return _Lexicon(
        frozenset(stop),
        frozenset(fold(w) for w in _read_list("non_names.txt")),
        frozenset(fold(w) for w in _read_list("adjectives.txt")),
        frozenset(_read_list("common_english.txt.gz")),
        titles,
    )


# --------------------------------------------------------------------------
# The candidate regular expressions


_HYPHENS = "-\u2010\u2011"
_APOS = "'\u2019\u02bc"
#: Connectors inside a hyphenated name (``-e-``, ``-ul-``) and between spaced words.
_CONN_HYPHEN = "e|i|ul|ud|ur|us|un|ut|ush|ash|as|ad|an|ar|at|az|al|el|il|wal|wa|o|bin|ibn|bint|abu|ka|ki|ke"
_CONN_WORD = "of|the|bin|ibn|bint|abu|al|el|ul|ud|e|i|de|da|du|van|von|der|den|la|le|y|ka|ki"
_PREFIX = "al|el|ul|ad|an|ar|as|ash|at|az"
_CONNECTOR_WORDS = frozenset(_CONN_HYPHEN.split("|")) | frozenset(_CONN_WORD.split("|"))
_ABBREVIATIONS = "Dr|Mr|Mrs|Ms|Gen|Lt|Col|Maj|Capt|Sgt|Brig|Adm|Cdr|Prof|Rev|St|Sen|Rep|Gov|Jr|Sr|Mt|Ft"


def _trie(words: str) -> str:
    """A regex for the ``|``-separated ``words``, factored by common prefixes
    (``a(?:bu|d|l|…)``): ``re`` tries the alternatives of a group one by one,
    so a flat list of 28 connectors costs 28 tries wherever a space or hyphen
    follows a word; the factored one, a few. It matches the same strings; the
    order of its alternatives differs, which does not matter where every
    alternative is followed by a character that is not a letter (as the
    connectors are): then at most one of them can match.

    >>> _trie("us|ush|ul|e")
    '(?:e|u(?:l|s(?:h)?))'
    """
    tree: dict[str, Any] = {}
    for w in words.split("|"):
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return body + ("?" if "" in node else "")

    return emit(tree)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The run and token expressions. The run expression starts with the
    capital-letter class, so ``re`` skips everything else at C speed; the
    check that the capital starts a word comes right after it.

    Where a run may go on (the ``join`` between two words), the alternatives
    are grouped by their first character (hyphen, space, full stop), each
    group keeping the order its alternatives had, so a word followed by a
    space and a lower-case word (the commonest case) tries one group, not
    every alternative; the connectors are factored (:func:`_trie`), and the
    abbreviation test of ``Dr.`` is made after the full stop, not before
    every space. The runs found are those of the unfactored expression
    (alternatives that cannot start at the same character need no order)."""
    up = "[" + char_class(lambda c: c.isupper() or c.istitle()) + "]"
    w = r"[^\W_]"
    apos = f"[{_APOS}]"
    hy = f"[{_HYPHENS}]"
    sp = "[ \u00a0]"
    not_poss = r"(?!s(?![^\W_]))"  # a possessive 's ends the word before it
    # after the capital: U.S., J&K, or the rest of a word. Possessive
    # quantifiers (*+, ++) never give back what they took: what follows each
    # (an ampersand, an apostrophe, a join, or the end of the run, which
    # always matches) cannot start with what they take, so giving back could
    # not make another match; it would only be tried, character by character.
    rest = rf"(?:\.(?:{up}\.)+|{up}*+&{up}++|{w}*+(?:{apos}{not_poss}{w}++)*+)"
    first = rf"{up}(?<![\w@#].){rest}"  # a capital that starts a word (not in a handle or hashtag)
    part = rf"{up}{rest}"
    abbrs = sorted(_ABBREVIATIONS.split("|"), key=len)
    by_len = {n: [a for a in abbrs if len(a) == n] for n in {len(a) for a in abbrs}}
    dotted = "|".join(rf"(?<=\b(?:{'|'.join(v)})\.)" for v in by_len.values()) + rf"|(?<=\b{up}\.)"
    conn_hy, conn_word = _trie(_CONN_HYPHEN), _trie(_CONN_WORD)
    join = (
        rf"(?:{hy}(?:{conn_hy}{hy}\n?"  # Usman-e-Ali (also broken after the connector)
        rf"|{conn_hy}{sp}"  # Jaish-e Muhammad
        rf"|\n?)"  # Al-Qaeda, and a name hyphenated across a line break
        rf"|{sp}(?:{conn_hy}{hy}"  # Usman e-Ali
        rf"|(?:{conn_word}{sp}){{1,2}}"  # Government of Canada
        rf"|{sp}?)"  # Masood Azhar
        rf"|\.(?:{dotted}){sp}{{1,2}})"  # Dr. Baloch; B. Natale
    )
    run = rf"{first}(?:{join}{part})*"
    token = rf"(?:{up}\.)+|{w}+(?:(?:{apos}{not_poss}|&){w}+)*"
    return re.compile(run), re.compile(token)


_START, _END = attrgetter("start"), attrgetter("end")
_HIT_TITLE = itemgetter(4)  # of a hit (_HitRow)
_PREFIX_BEFORE = re.compile(rf"(?<![^\W_])(?:{_PREFIX})[{_HYPHENS}]$")
_ROMAN = re.compile(r"^(?=[IVXLC])(?:X{0,3})(?:IX|IV|V?I{0,3})$|^(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
_SKIP_BEFORE = frozenset(" \t\r\u00a0\ufeff\u200b\"'“”‘’«»([{*•·–—-")
_SENTENCE_END = frozenset("\n.!?:;…|")
#: Words a title-case headline leaves in lower case: articles, short prepositions and
#: conjunctions, and the connectors of names. Any other lower-case word makes a clause a sentence.
_TITLE_MINOR = _words(
    "a an the and but or nor for so yet of in on at to by as from with into onto up via per vs off over "
    "out e i ul ud al el bin ibn de da du la le ka ki ke o y"
)
_CLAUSE_SCAN = 400  # a clause is looked for this far around a word (longer ones are cut)
#: A line break, sentence punctuation followed by a space, or a double quotation
#: mark. Written to start with one character class, which ``re`` scans for at C
#: speed (an alternation would be tried at every position); the lookbehind
#: lets anything but the punctuation stand alone.
_CLAUSE_BOUNDARY = re.compile('[\n.?!:;"\u201c\u201d\u00ab\u00bb](?:(?<![.?!:;])|[ \u00a0])')
#: The same searched in the reversed text, to find the last boundary before a
#: word in one step (boundaries cannot overlap, so they are the same whichever
#: way the text is read): a line break or quotation mark, or sentence
#: punctuation with a space before it in the reversed text (after it in the
#: text). It starts with the class of the rare characters, not with the
#: space, so that ``re`` does not stop at every space; where the punctuation
#: matched, the boundary ends one character later in the text.
_CLAUSE_BOUNDARY_REVERSED = re.compile('[\n"\u201c\u201d\u00ab\u00bb.?!:;](?:(?<=[ \u00a0][.?!:;])|(?<![.?!:;]))')
_CODE_AFTER = re.compile(r"[ \u00a0-]?\d")
_POSSESSIVE_BEFORE = re.compile(
    r"(?:(?<![^\W_])(?:[Oo]ur|[Yy]our|[Tt]heir|[Hh]is|[Hh]er|[Ii]ts|[Mm]y)|['\u2019]s)[ \u00a0]+$"
)
_THE_BEFORE = re.compile(r"(?:^|\W)[Tt]he[ \u00a0]$")

#: The version of the run expression and of the filter that the compiled
#: front end (``_resolver_scan``, from :file:`resolver/_resolver_scan.c`)
#: must implement to be used: change :func:`_patterns`, :func:`_runs_py`,
#: :func:`_walk_py`, :func:`_collate_py`, the clause boundaries,
#: ``_THE_BEFORE``, ``_CODE_AFTER``, ``_POSSESSIVE_BEFORE`` or
#: ``_PREFIX_BEFORE``, change the C code to match and raise both numbers (the
#: word lists and character sets pass to it at start-up: see
#: :func:`_load_accelerator`).
_GRAMMAR = 1
#: Set to False to use the pure-Python front end whatever is installed (as the
#: environment variable ``RESOLVER_PURE_PYTHON=1`` does at start-up).
use_accelerator = not os.environ.get("RESOLVER_PURE_PYTHON")


def _accelerator() -> Any:
    """The compiled front end when it is installed, is of this grammar and
    may be used; else None (the pure-Python one, same answers, is used)."""
    if not use_accelerator:
        return None
    return _load_accelerator()


@lru_cache(maxsize=1)
def _load_accelerator() -> Any:
    try:
        import _resolver_scan as accel  # type: ignore[import-not-found]
    except ImportError:
        return None
    if getattr(accel, "GRAMMAR", None) != _GRAMMAR or getattr(accel, "CLAUSE_SCAN", None) != _CLAUSE_SCAN:
        return None  # built from another version of this file
    accel.configure(
        tuple(_CONN_HYPHEN.split("|")),
        tuple(_CONN_WORD.split("|")),
        tuple(_ABBREVIATIONS.split("|")),
        tuple(_PREFIX.split("|")),
        _HYPHENS,
        _APOS,
        "".join(sorted(_SKIP_BEFORE)),
        "".join(sorted(_SENTENCE_END)),
    )
    return accel


# --------------------------------------------------------------------------
# Per-glossary state, cached per resolver


class _Detector:
    def __init__(self, r: Resolver) -> None:
        self.resolver = r
        lex = _lexicon()
        self.lex = lex
        titles = dict(lex.titles)
        for t in r.glossary.titles:
            words = tuple(fold(t).split())
            if words:
                titles.setdefault(words, False)
        self.titles = titles
        self.title_len = max((len(k) for k in titles), default=0)
        self.title_first = frozenset(k[0] for k in titles)
        self.suggester = Suggester(r.glossary)
        self.run_re, self.token_re = _patterns()


_DETECTORS: weakref.WeakKeyDictionary[Resolver, _Detector] = weakref.WeakKeyDictionary()


def _detector(r: Resolver) -> _Detector:
    d = _DETECTORS.get(r)
    if d is None:
        d = _DETECTORS[r] = _Detector(r)
    return d


def suggester_for(r: Resolver) -> Suggester:
    """The (cached) :class:`~resolver.suggest.Suggester` of a resolver's glossary."""
    return _detector(r).suggester


# --------------------------------------------------------------------------
# Detection

# word classes
_NAME, _ORD, _WEAK, _KNOWN, _CONN, _PREFIXW, _DROP, _TITLE, _ROMANW = range(9)


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    key: str
    hyphen_before: bool
    cls: int = _NAME
    mention: int = -1


@dataclass(slots=True)
class _Seg:
    toks: list[_Tok]
    title: str = ""
    after_drop: bool = False  # a dropped word (not a title) comes right before it in the run


@dataclass(slots=True)
class _Hit:
    start: int
    end: int
    reason: str
    title: str
    weak: bool = False  # one common English word: reported only when capitalised twice or more


class _Doc:
    """Per-document facts: lower-case vocabulary, mentions, line kinds.

    While a run ``[lo, hi)`` is judged, ``outside`` records whether the
    verdict read anything of the text outside the run (see :func:`_hits`)."""

    def __init__(self, text: str, mentions: Sequence[Mention], lex: _Lexicon) -> None:
        self.text = text
        self.lex = lex
        self._lower: LowerWords | None = None
        self.lo = self.hi = 0
        self.outside = False
        ms = list(mentions)
        starts = list(map(_START, ms))
        if starts != sorted(starts):
            ms.sort(key=lambda m: (m.start, m.end))
            starts = list(map(_START, ms))
        self.m_starts = starts
        self.m_ends = list(map(_END, ms))
        self.mentions = ms
        self.line_starts: list[int] | None = None
        self.clause_kinds: dict[int, int] = {}  # by where the clause starts
        self._reversed: str | None = None  # the text backwards, made on first use

    @cached_property
    def end_at(self) -> dict[int, int]:
        """Where a mention starts → where it ends."""
        return dict(zip(self.m_starts, self.m_ends))

    @property
    def lower(self) -> LowerWords:
        """The keys of the words written in lower case somewhere in the text
        (``key in doc.lower``); :meth:`expect_lower` says which keys will be
        asked about."""
        if self._lower is None:
            self._lower = LowerWords(self.text)
        return self._lower

    def expect_lower(self, keys: Iterable[str], accel: Any = None) -> None:
        """The keys ``doc.lower`` will be asked about (others are answered
        too, more slowly: see :class:`~resolver.vocabulary.LowerWords`);
        ``accel``: the compiled front end, which scans for them faster."""
        self._lower = LowerWords(self.text, keys, None if accel is None else accel.lower_words)

    # The tests that read the text just before or after a place: each notes
    # when what it reads reaches outside the run being judged.

    def the_before(self, s: int) -> bool:
        """Whether "the" comes right before ``s`` (it reads ``text[s - 5 : s]``)."""
        if s - 5 <= self.lo:
            self.outside = True
        return _THE_BEFORE.search(self.text, max(0, s - 5), s) is not None

    def code_after(self, e: int) -> bool:
        """A digit right after ``e`` (``Article 370``; it reads ``text[e : e + 2]``)."""
        if e + 2 > self.hi:
            self.outside = True
        return _CODE_AFTER.match(self.text, e) is not None

    def possessive_before(self, s: int) -> bool:
        """A possessive right before ``s`` (it reads ``text[s - 9 : s]``)."""
        if s - 9 < self.lo:
            self.outside = True
        return _POSSESSIVE_BEFORE.search(self.text, max(0, s - 8), s) is not None

    def covering(self, s: int, e: int) -> int:
        """Index of a mention overlapping ``[s, e)``, or -1."""
        i = bisect_right(self.m_starts, s) - 1
        if i >= 0 and self.m_ends[i] > s:
            return i
        j = i + 1
        if j < len(self.m_starts) and self.m_starts[j] < e:
            return j
        return -1

    def run_known(self, s: int, e: int) -> bool:
        """True when one mention covers all of ``[s, e)``."""
        i = bisect_right(self.m_starts, s) - 1
        return i >= 0 and self.m_ends[i] >= e

    def clause_kind(self, s: int) -> int:
        """0 ordinary clause, 1 title case (a headline, also one run into a
        paragraph, or a quoted title), 2 shouted (all capitals). Clauses end
        at line breaks, sentence punctuation followed by a space, and double
        quotation marks. ``s`` is where a run starts (a letter)."""
        t = self.text
        n = len(t)
        lo = max(0, s - _CLAUSE_SCAN)
        # the end of the last boundary in t[lo:s] is where the clause starts:
        # the first boundary in the reversed text from n - s to n - lo
        if self._reversed is None:
            self._reversed = t[::-1]
        m = _CLAUSE_BOUNDARY_REVERSED.search(self._reversed, n - s, n - lo)
        a = n - m.start() + (m.group() in ".?!:;") if m is not None else lo
        j = a  # clauses are cached by where they start
        kind = self.clause_kinds.get(j)
        if kind is None:
            after = _CLAUSE_BOUNDARY.search(t, s, s + _CLAUSE_SCAN)
            kind = _clause_kind(t[a : after.start() if after is not None else s + _CLAUSE_SCAN])
            self.clause_kinds[j] = kind
        return kind

    def lines(self) -> list[int]:
        """Where each line starts: line ``n`` (from 1) at ``lines()[n - 1]``."""
        if self.line_starts is None:
            # each line's length plus its line break, summed (at C speed)
            ends = accumulate(map((1).__add__, map(len, self.text.split("\n"))), initial=0)
            self.line_starts = list(ends)[:-1]
        return self.line_starts

    def position(self, s: int) -> tuple[int, int]:
        """1-based line and column of ``s``."""
        starts = self.lines()
        line = bisect_right(starts, s)
        return line, s - starts[line - 1] + 1


def _initial(t: str, s: int) -> bool:
    """True when ``s`` starts a sentence, a line or the text ``t``."""
    j = s - 1
    while j >= 0 and t[j] in _SKIP_BEFORE:
        j -= 1
    return j < 0 or t[j] in _SENTENCE_END


def _key(word: str) -> str:
    """The lookup form of a word: case-folded; folded fully (apostrophes,
    diacritics) only when it is not ASCII, which is rare and slower."""
    k = word.rstrip(".").casefold()
    return k if k.isascii() else fold(k)


@lru_cache(maxsize=4096)
def _clause_kind(clause: str) -> int:
    """0 ordinary, 1 title case, 2 all capitals (see :meth:`_Doc.clause_kind`).

    >>> _clause_kind("Pakistan Remains Unaffected by Threat of FATF"), _clause_kind("SCROLL FOR NEXT"), _clause_kind("Kabul fell")
    (1, 2, 0)
    """
    words = [w for w in WORDS.findall(clause) if len(w) > 1 or w.isupper()]
    caps = sum(1 for w in words if w[0].isupper())
    # in title case only minor words ("the", "of", "in", "and") stay in lower case
    lower = sum(1 for w in words if not w[0].isupper() and w not in _TITLE_MINOR)
    if len(words) >= 2 and all(w.isupper() for w in words):
        return 2
    return 1 if caps >= 2 and lower == 0 else 0


def _contraction(key: str, stop: frozenset[str]) -> bool:
    """``didn't``, ``I'll``, ``we'd``: a stop word with a contracted ending."""
    if "'" not in key:
        return False
    base, _, suffix = key.partition("'")
    if suffix == "t" and base.endswith("n"):
        return base in stop or base[:-1] in stop
    return suffix in ("ll", "m", "d", "ve", "re") and base in stop


def _tokens(d: _Detector, doc: _Doc, a: int, b: int) -> list[_Tok]:
    text = doc.text
    out: list[_Tok] = []
    prev = a
    for m in d.token_re.finditer(text, a, b):
        s, e = m.start(), m.end()
        out.append(_Tok(s, e, m.group(), _key(m.group()), any(c in _HYPHENS for c in text[prev:s])))
        prev = e
    return out


def _classify(
    d: _Detector, doc: _Doc, toks: list[_Tok], run_initial: Callable[[], bool], kind: Callable[[], int]
) -> list[_Seg]:
    """Judge every word of a run (see the module documentation) and split it
    into segments. ``run_initial()`` (the run starts a sentence) and
    ``kind()`` (the run's clause kind) are asked for only when needed."""
    lex = d.lex
    n = len(toks)
    # 1. titles (longest first); a title needs a capitalised word after it
    title_at: dict[int, str] = {}
    i = 0
    while i < n:
        matched = 0
        if toks[i].key in d.title_first and toks[i].text[:1].isupper():
            for L in range(min(d.title_len, n - i), 0, -1):
                words = tuple(t.key for t in toks[i : i + L])
                if words in d.titles:
                    matched = L
                    break
        if not matched:
            i += 1
            continue
        nxt = toks[i + matched] if i + matched < n else None
        surname = d.titles[tuple(t.key for t in toks[i : i + matched])]
        if nxt is not None and nxt.text[:1].isupper() and nxt.key not in lex.stop:
            for t in toks[i : i + matched]:
                t.cls = _TITLE
            title_at[i + matched] = doc.text[toks[i].start : toks[i + matched - 1].end]
            # a common word right before a title qualifies it ("Former", "Operational")
            if i > 0 and toks[i - 1].key in lex.common and not toks[i - 1].text.isupper():
                toks[i - 1].cls = _DROP
        elif nxt is None and surname and i > 0 and toks[i - 1].cls == _NAME and toks[i - 1].text[:1].isupper():
            pass  # a family name ending a name: "Neelam Irshad Sheikh"
        else:
            for t in toks[i : i + matched]:
                t.cls = _DROP
        i += matched
    # 2. every other word
    for k, t in enumerate(toks):
        if t.cls != _NAME:
            continue
        first = t.text[:1]
        key = t.key
        if not first.isupper():
            t.cls = _PREFIXW if k == 0 else _CONN
            continue
        if key in _CONNECTOR_WORDS and not first.isupper() and 0 < k < n - 1:
            t.cls = _CONN
            continue
        mi = doc.covering(t.start, t.end)
        if mi >= 0:
            t.cls, t.mention = _KNOWN, mi
            continue
        if key in lex.non_names or _contraction(key, lex.stop):
            t.cls = _DROP
            continue
        upper = t.text.isupper() and len(t.text.rstrip(".")) >= 2
        if upper:
            if (key in lex.common or key in lex.stop) and (len(key) >= 4 or kind() == 2):
                t.cls = _DROP
                continue
            if _ROMAN.match(t.text):
                t.cls = _ROMANW
            continue
        if key in lex.stop:
            t.cls = _DROP
            continue
        if k in title_at:
            continue  # a name after a title is a name
        if (key in doc.lower or key in lex.common) and (
            (k == 0 and run_initial() and not _name_follows(d, doc, toks)) or kind() == 1
        ):
            t.cls = _DROP
            continue
        if key in lex.adjectives:
            t.cls = _WEAK
        elif key in doc.lower:
            t.cls = _ORD
    # 3. segments: split at dropped words and titles, and at a hyphen between
    # a known mention and another word
    segs: list[_Seg] = []
    cur: list[_Tok] = []
    cur_title = ""
    cur_after_drop = False
    prev_cls = -1
    for k, t in enumerate(toks):
        split = t.cls in (_DROP, _TITLE)
        if (
            not split
            and cur
            and t.hyphen_before
            and (t.cls == _KNOWN) != (cur[-1].cls == _KNOWN)
            and _CONN not in (t.cls, cur[-1].cls)
        ):
            segs.append(_Seg(cur, cur_title, cur_after_drop))
            cur, cur_title, cur_after_drop = [], "", False
        if split:
            if cur:
                segs.append(_Seg(cur, cur_title, cur_after_drop))
            cur, cur_title, cur_after_drop = [], "", False
            prev_cls = t.cls if t.key != "the" else -1
            continue
        if not cur:
            cur_title = title_at.get(k, "")
            cur_after_drop = prev_cls == _DROP
        cur.append(t)
        prev_cls = t.cls
    if cur:
        segs.append(_Seg(cur, cur_title, cur_after_drop))
    return segs


def _name_follows(d: _Detector, doc: _Doc, toks: list[_Tok]) -> bool:
    """True when the second word of a run is a capitalised word that is not
    known, a stop word, a title or an adjective: then an ordinary first word
    at the start of a sentence is part of a name ("World War II")."""
    if len(toks) < 2 or toks[1].cls != _NAME:
        return False
    t = toks[1]
    lex = d.lex
    return (
        t.text[:1].isupper()
        and t.key not in lex.stop
        and t.key not in lex.adjectives
        and doc.covering(t.start, t.end) < 0
    )


def _accept(d: _Detector, doc: _Doc, seg: _Seg, opts: UnknownOptions) -> list[_Hit]:
    """The names a segment holds (none, itself, or parts of it)."""
    toks = seg.toks
    weak = False
    # trim connectors at the ends (a leading article prefix stays: al-Qaeda)
    while toks and toks[-1].cls in (_CONN, _PREFIXW):
        toks = toks[:-1]
    while toks and toks[0].cls == _CONN:
        toks = toks[1:]
    if not toks:
        return []
    s, e = toks[0].start, toks[-1].end
    known = [k for k, t in enumerate(toks) if t.cls == _KNOWN]
    for k in known:
        m = doc.mentions[toks[k].mention]
        # a known mention that does not lie inside the segment cannot be part
        # of it; one joined to words that are themselves a name is a separate
        # name ("Afghanistan Zalmay Khalilzad"), unless it is a person's name
        # and the words around it the rest of that name ("Abdul Rauf Azhar")
        if (
            m.start < s
            or m.end > e
            or ((not opts.extend_known or not _extends(d, doc, toks, m)) and len(known) < len(toks))
        ):
            return _split(d, doc, seg, toks, k, opts)
    words = [t for t in toks if t.cls not in (_CONN, _PREFIXW)]
    if not words or len(words) > opts.max_words:
        return []
    classes = {t.cls for t in words}
    if classes <= {_KNOWN}:
        return []
    if not classes & {_NAME, _ORD, _ROMANW} and not seg.title:
        return []  # only adjectives and known names: "Afghan Taliban"
    if len(words) == 1 and not seg.title:
        w = words[0]
        if w.cls in (_ORD, _WEAK, _ROMANW):
            return []
        if w.key in d.lex.common and not w.text.isupper() and not doc.the_before(s):
            if doc.code_after(e):
                return []  # a label or unit before a number: "Rupees 50", "Article 370"
            weak = True  # "Damocles’ Sword" once is not a name; "in Mustang" twice is
        if w.text.isupper() and doc.code_after(e):
            return []  # a code, not a name: "IC 814"
    elif (
        not seg.title
        and all(t.cls == _ORD or (t.cls == _NAME and t.key in d.lex.common) for t in words)
        and (seg.after_drop or doc.possessive_before(s))
    ):
        return []  # common words after a possessive or a stop word: "our Special Projects", "Most Favored Nation"
    surface = doc.text[s:e]
    if len(surface) < opts.min_chars or not any(ch.isalpha() for ch in surface):
        return []
    if d.resolver.matcher.lookup(surface):
        return []
    reasons = []
    if seg.title:
        reasons.append(f"after the title {seg.title}")
    elif len(words) == 1 and is_acronym(surface) and len(surface) <= 8:
        reasons.append("acronym")
    elif len(words) == 1 and surface.isupper():
        reasons.append("word in capitals")
    elif any(t.hyphen_before for t in toks[1:]):
        reasons.append("hyphenated compound")
    else:
        reasons.append("capitalised words" if len(words) > 1 else "capitalised word")
    ms = [doc.mentions[t.mention] for t in words if t.cls == _KNOWN]
    if ms:
        ids = dict.fromkeys(m.entity_id or "/".join(m.candidates) for m in ms)
        reasons.append("extends the known " + ", ".join(ids))
    if weak:
        reasons = ["common English word, capitalised (reported when seen twice or more)"]
    return [_Hit(s, e, "; ".join(reasons), seg.title, weak)]


def _split(d: _Detector, doc: _Doc, seg: _Seg, toks: list[_Tok], k: int, opts: UnknownOptions) -> list[_Hit]:
    m = doc.mentions[toks[k].mention]
    left = [t for t in toks[:k] if t.end <= m.start]
    right = [t for t in toks[k + 1 :] if t.start >= m.end]
    out = _accept(d, doc, _Seg(left, seg.title), opts) if left else []
    return out + (_accept(d, doc, _Seg(right), opts) if right else [])


def _extends(d: _Detector, doc: _Doc, toks: list[_Tok], m: Mention) -> bool:
    """True when the words around known mention ``m`` extend it into a longer
    name: they are ordinary words (``Pakistan Army``, ``Dawn Leaks``) or the
    mention is (part of) a person's name."""
    g = d.resolver.glossary
    if m.candidates and all(c in g and g[c].type == "person" for c in m.candidates):
        return True
    lex = d.lex
    return all(t.cls in (_KNOWN, _CONN, _PREFIXW, _ORD, _WEAK) or t.key in lex.common for t in toks)


# what the word lists say about a run on its own (see _by_lists)
_OPEN, _SETTLED, _COMMON = range(3)


def _by_lists(d: _Detector, doc: _Doc, word: str) -> int:
    """A run that is one word, not an acronym, is mostly settled by the word
    lists (the same rules as in _classify and _accept, in short): _SETTLED
    when it is never reported, _COMMON when it is not reported at the start
    of a sentence unless "the" comes before it, else _OPEN (judged in full)."""
    if word.isupper() or not d.token_re.fullmatch(word):
        return _OPEN
    key = _key(word)
    lex = d.lex
    if key in lex.stop or key in doc.lower or key in lex.adjectives or key in lex.non_names:
        return _SETTLED
    return _COMMON if key in lex.common else _OPEN


#: A hit as _hits reports it: start, end, surface, reason, title, weak.
_HitRow = tuple[int, int, str, str, str, bool]


def _hits(
    d: _Detector, text: str, mentions: Sequence[Mention], opts: UnknownOptions, accel: Any
) -> tuple[_Doc, list[_HitRow]]:
    """Every hit in ``text``, in order (hits never overlap, so their starts
    increase); ``accel``: the compiled front end, or None (see
    :func:`_accelerator`)."""
    doc = _Doc(text, mentions, d.lex)
    out: list[_HitRow] = []
    # A run's verdict depends only on its text and a few facts about its
    # context (listed in the key below), so a name repeated in a document is
    # judged once. Verdicts are offsets relative to the run's start.
    memo: dict[tuple[Any, ...], Any] = {}
    m_starts, m_ends, ms = doc.m_starts, doc.m_ends, doc.mentions
    # The verdict on a spelling where no mention overlaps the run, when it
    # depends on the run's text alone: its first judgement read nothing of
    # the text outside the run, nor whether the run starts a sentence, nor
    # the clause kind (tracked by _Doc.outside and the two callbacks below).
    # Judging is deterministic, so every such run of that spelling gets the
    # same verdict: the facts of the memo key need not be worked out for it.
    # False: the verdict depends on the context (the memo key decides).
    alone: dict[str, tuple[_HitRow, ...] | bool] = {}
    # First the runs that are not known mentions, and their spellings: the
    # judging asks whether the words of these are written in lower case
    # elsewhere, which is answered for all of them at once.
    if accel is not None:
        words, packed = accel.runs(text, m_starts, m_ends)
        spellings: Iterable[str] = words
    else:
        runs = _runs_py(d, text, doc.end_at)
        spellings = {w for _, _, w in runs}
    doc.expect_lower({_key(w) for w in set(WORDS.findall(" ".join(spellings)))} - d.lex.stop, accel)

    def judge(a: int, b: int, word: str, initial: bool, key: tuple[Any, ...]) -> tuple[_HitRow, ...]:
        """Judge the run ``text[a:b]``, whose memo key is ``key``; its
        verdict, which is remembered."""
        used: list[int] = []

        def kind() -> int:
            k = doc.clause_kind(a)
            used.append(k)
            return k

        def run_initial() -> bool:
            doc.outside = True
            return initial

        doc.lo, doc.hi, doc.outside = a, b, False
        rel = []
        toks = _tokens(d, doc, a, b)
        for seg in _classify(d, doc, toks, run_initial, kind):
            for h in _accept(d, doc, seg, opts):
                rel.append((h.start - a, h.end - a, text[h.start : h.end], h.reason, h.title, h.weak))
        verdict = tuple(rel)
        if not key[-1] and word not in alone:  # the first judgement of this spelling alone
            alone[word] = False if used or doc.outside else verdict
        if used:
            slot = memo.setdefault(key, {})
            if isinstance(slot, dict):
                slot[used[0]] = verdict
        else:
            memo[key] = verdict
        return verdict

    verdict_of = partial(_by_lists, d, doc)
    if accel is not None:
        accel.walk(
            text, words, packed, verdict_of, alone, memo, doc.clause_kinds, _clause_kind, m_starts, m_ends, ms, out, judge
        )
    else:
        _walk_py(text, runs, verdict_of, alone, memo, doc.clause_kind, m_starts, m_ends, ms, out, judge)
    return doc, out


def _runs_py(d: _Detector, text: str, end_at: dict[int, int]) -> list[tuple[int, int, str]]:
    """The runs of the run expression in ``text`` as ``(start, end, word)``,
    an article prefix before a hyphen included (``al-Qaeda``), but for those
    that are known mentions (``end_at``: a mention's start → its end)."""
    runs: list[tuple[int, int, str]] = []
    for m in d.run_re.finditer(text):
        a, b = m.span()
        if a >= 3 and text[a - 1] in _HYPHENS:
            pm = _PREFIX_BEFORE.search(text, max(0, a - 5), a)
            if pm is not None:
                a = pm.start()  # al-Qaeda
        if end_at.get(a, -1) < b:  # (else the run is a known mention)
            runs.append((a, b, text[a:b]))
    return runs


def _walk_py(
    text: str,
    runs: list[tuple[int, int, str]],
    verdict_of: Callable[[str], int],
    alone: dict[str, tuple[_HitRow, ...] | bool],
    memo: dict[tuple[Any, ...], Any],
    clause_kind: Callable[[int], int],
    m_starts: list[int],
    m_ends: list[int],
    mentions: list[Mention],
    out: list[_HitRow],
    judge: Callable[[int, int, str, bool, tuple[Any, ...]], tuple[_HitRow, ...]],
) -> None:
    """The hits of ``runs`` (from :func:`_runs_py`), appended to ``out``:
    what needs no judging is settled here, the rest goes to ``judge(start,
    end, word, initial, key)``, which returns the run's verdict (hits as
    offsets from the run's start) and remembers it in ``memo`` under ``key``
    (and in ``alone``: see :func:`_hits`).

    A run needs no judging when the word lists settle its spelling
    (``verdict_of``, asked once per spelling), when it is a common word
    starting a sentence, when a run of its spelling was judged alone and none
    of the mentions overlaps it (``alone``), and when a run with the same
    memo key was judged: the memo key is the spelling, whether it starts a
    sentence, "the" before it, a number after it, a possessive before it and
    the mentions overlapping it (offsets from its start); under a key whose
    verdict depended on the clause kind, the memo holds the verdict of each
    kind (``clause_kind(start)``)."""
    n_mentions = len(m_starts)
    append = out.append
    # What the word lists say about a run by its text alone (most runs are
    # one word, and the same few words recur): worked out once per spelling.
    verdicts: dict[str, int] = {}
    for a, b, word in runs:
        verdict = verdicts.get(word)
        if verdict is None:
            verdict = verdicts[word] = verdict_of(word)
        if verdict == _SETTLED:
            continue
        # "the" before the run; the slice test rules most runs out before the regex
        the_before = (
            a >= 4
            and text[a - 4 : a - 1] in ("the", "The")
            and _THE_BEFORE.search(text, max(0, a - 5), a) is not None
        )
        initial = _initial(text, a)
        if verdict == _COMMON and not the_before and initial:
            continue
        # the mentions overlapping the run
        i = bisect_right(m_starts, a) - 1
        if i < 0 or m_ends[i] <= a:
            i += 1
        if i >= n_mentions or m_starts[i] >= b:
            rows = alone.get(word)
            if rows.__class__ is tuple:
                for rs, re_, surface, reason, title, weak in rows:
                    append((a + rs, a + re_, surface, reason, title, weak))
                continue
            sig: tuple[Any, ...] = ()
        else:
            sig_list = []
            while i < n_mentions and m_starts[i] < b:
                x = mentions[i]
                sig_list.append((x.start - a, x.end - a, x.entity_id, x.candidates))
                i += 1
            sig = tuple(sig_list)
        key = (
            word,
            initial,
            the_before,
            _CODE_AFTER.match(text, b) is not None,
            _POSSESSIVE_BEFORE.search(text, max(0, a - 8), a) is not None,  # "our Special Projects"
            sig,
        )
        cached = memo.get(key)
        if cached.__class__ is dict:
            cached = cached.get(clause_kind(a))
        if cached is None:
            cached = judge(a, b, word, initial, key)
        for rs, re_, surface, reason, title, weak in cached:
            append((a + rs, a + re_, surface, reason, title, weak))


def find_unknown(
    resolver: Resolver,
    text: str,
    *,
    options: UnknownOptions | None = None,
    mentions: Sequence[Mention] | None = None,
) -> list[Unknown]:
    """Every name in ``text`` the glossary does not know, once per folded
    form, in order of first appearance (see the module documentation).

    ``mentions``: the result of ``resolver.find(text)`` when the caller has
    it already (it is computed otherwise).
    """
    with _gc_paused():  # (see there: no cycles among the objects made)
        return _find_unknown(resolver, text, options or UnknownOptions(), mentions)


def _find_unknown(resolver: Resolver, text: str, opts: UnknownOptions, mentions: Sequence[Mention] | None) -> list[Unknown]:
    d = _detector(resolver)
    if mentions is None:
        mentions = resolver.find(text)
    accel = _accelerator()
    doc, hits = _hits(d, text, mentions, opts, accel)
    # the hits and positions of each spelling, in order, then the spellings of each folded form
    by_surface = accel.collate(text, hits, Position) if accel is not None else _collate_py(doc, hits)
    groups: dict[str, list[str]] = {}
    for surface in by_surface:
        groups.setdefault(fold(surface), []).append(surface)
    out = []
    for key, order in groups.items():
        # the form's hits and positions in order (by start: see _hits)
        if len(order) == 1:
            hs, ps = by_surface[order[0]]
        else:
            hs = sorted(chain.from_iterable(by_surface[s][0] for s in order))
            ps = sorted(chain.from_iterable(by_surface[s][1] for s in order), key=_START)
        if len(hs) < 2 and hs[0][5]:
            continue
        counts = {s: len(by_surface[s][0]) for s in order}
        term = max(order, key=lambda s: (counts[s], -order.index(s)))
        positions = tuple(ps)
        sugg = d.suggester.suggest(term, cutoff=opts.cutoff, limit=opts.limit)
        cls: Classification = "likely-variant" if sugg and sugg[0].score >= opts.variant_threshold else "new"
        titles = tuple(dict.fromkeys(filter(None, map(_HIT_TITLE, hs))))
        etype, why = guess_type(term, titles, resolver.glossary)
        out.append(
            Unknown(
                term=term,
                key=key,
                classification=cls,
                count=len(hs),
                positions=positions,
                surfaces=tuple(order),
                suggestions=sugg,
                reason=hs[0][3],
                titles=titles,
                type_guess=resolver.glossary[sugg[0].entity_id].type if cls == "likely-variant" else etype,
                type_reason=f"the type of {sugg[0].entity_id}" if cls == "likely-variant" else why,
            )
        )
    return out


_POSITION_FIELDS = tuple(f.name for f in fields(Position))
_POSITION_SLOTS = {name: vars(Position)[name] for name in _POSITION_FIELDS}


def _collate_py(doc: _Doc, hits: list[_HitRow]) -> dict[str, tuple[list[_HitRow], list[Position]]]:
    """The hits of ``doc`` (in order of start) by surface, first seen first:
    each surface's hits, and their positions."""
    by_surface: dict[str, list[_HitRow]] = {}
    for h in hits:
        same = by_surface.get(h[2])
        if same is None:
            by_surface[h[2]] = [h]
        else:
            same.append(h)
    line_starts = doc.lines()
    out = {}
    for surface, hs in by_surface.items():
        starts = [h[0] for h in hs]
        lines = list(map(bisect_right, repeat(line_starts), starts))
        columns = [s - line_starts[n - 1] + 1 for s, n in zip(starts, lines)]
        out[surface] = (hs, list(_positions(starts, [h[1] for h in hs], lines, columns, [h[2] for h in hs])))
    return out


def _positions(*columns: list[Any]) -> tuple[Position, ...]:
    """``Position(*row)`` for the rows of these columns, made field by field at
    C speed: a frozen dataclass's ``__init__`` sets each field with
    ``object.__setattr__`` in Python, which over tens of thousands of
    positions costs more than finding them. This sets the same fields, one
    ``map`` per field, through the field's slot (what ``object.__setattr__``
    finds by name for every row).

    >>> _positions([4], [9], [1], [5], ["Kabul"]) == (Position(4, 9, 1, 5, "Kabul"),)
    True
    """
    if len(columns) != len(_POSITION_FIELDS):
        raise TypeError(f"one column per field of Position: {', '.join(_POSITION_FIELDS)}")
    rows = list(map(Position.__new__, repeat(Position, len(columns[0]))))
    for name, values in zip(_POSITION_FIELDS, columns):
        deque(map(_POSITION_SLOTS[name].__set__, rows, values), maxlen=0)  # (run, results dropped)
    return tuple(rows)


def unknown(resolver: Resolver, text: str, options: UnknownOptions | None = None) -> list[Unknown]:
    """What ``Resolver.unknown(text)`` returns: :func:`find_unknown`."""
    return find_unknown(resolver, text, options=options)


# --------------------------------------------------------------------------
# Types and ids for new entries

_ORG_LAST = _words(
    "army force forces party league network front council trust agency office movement group organisation "
    "organization corps brigade battalion committee commission ministry department bank university "
    "college institute foundation society association union assembly parliament court police news times "
    "post press tribune tv radio airlines airways company corporation inc ltd service services "
    "intelligence bureau directorate command government taliban brotherhood jamaat jamiat tanzeem tehreek "
    "tehrik sangh dal"
)
_ORG_FIRST = _words(
    "tehreek tehrik tahrik jaish lashkar harkat hizb hizbul jamaat jamiat jama'at sipah ansar majlis al tanzeem"
)
_PLACE_LAST = _words(
    "valley district province hill hills river city town village camp pass region mountains mountain "
    "airport base lake square road street colony fort masjid mosque madrassa madrasa market bazaar sector "
    "border line island islands sea ocean desert county state"
)
_PLACE_SUFFIXES = (
    "abad",
    "pur",
    "pura",
    "stan",
    "kot",
    "garh",
    "nagar",
    "shahr",
    "ganj",
    "wala",
    "istan",
    "land",
    "ville",
    "burg",
)


def guess_type(term: str, titles: Sequence[str], glossary: Glossary | None = None) -> tuple[str, str]:
    """A probable entity type for a new term and why; a guess for the
    maintainer to confirm. Only a type the glossary declares is proposed
    (when it declares any).

    >>> guess_type("DGISI", ()), guess_type("Qari Zarrar", ("Qari",))[0], guess_type("Tirah Valley", ())[0]
    (('organization', 'an acronym'), 'person', 'place')
    >>> guess_type("Muzaffarabad", ()), guess_type("Aoun Sahi", ())
    (('place', 'one word ending in -abad'), ('person', 'two to four capitalised words'))
    """
    toks = fold(term).split()
    if is_acronym(term):
        t, why = "organization", "an acronym"
    elif titles:
        t, why = "person", f"written after the title {titles[0]}"
    elif toks and toks[-1] in _ORG_LAST:
        t, why = "organization", f"ends in {toks[-1]!r}"
    elif toks and toks[0] in _ORG_FIRST:
        t, why = "organization", f"starts with {toks[0]!r}"
    elif toks and toks[-1] in _PLACE_LAST:
        t, why = "place", f"ends in {toks[-1]!r}"
    elif len(toks) == 1 and toks[0].endswith(_PLACE_SUFFIXES):
        suffix = next(s for s in _PLACE_SUFFIXES if toks[0].endswith(s))
        t, why = "place", f"one word ending in -{suffix}"
    elif 2 <= len(toks) <= 4 and not any(w in _lexicon().common for w in toks if w not in _CONNECTOR_WORDS):
        t, why = "person", "two to four capitalised words"
    elif len(toks) >= 2:
        t, why = "organization", "several words, some of them common English words"
    else:
        t, why = "place", "one capitalised word"
    if glossary is not None and glossary.types and t not in glossary.types:
        fallback = next((x for x in ("organization", "person", "place") if x in glossary.types), glossary.types[0])
        return fallback, f"{why}; {t!r} is not a declared type"
    return t, why


def propose_id(name: str, taken: Iterable[str] = ()) -> str:
    """A snake_case id for a new entity, not among ``taken``.

    >>> propose_id("Markaz Usman-e-Ali"), propose_id("Jama’at-ud-Dawa"), propose_id("DGISI", ["dgisi"])
    ('markaz_usman_e_ali', 'jamaat_ud_dawa', 'dgisi_2')
    """
    base = re.sub(r"[^a-z0-9]+", "_", fold(name).replace("'", "")).strip("_")
    if not base or not base[0].isalpha():
        base = "entity_" + base if base else "entity"
    base = re.sub(r"_+", "_", base)
    taken = set(taken)
    cand, n = base, 2
    while cand in taken:
        cand, n = f"{base}_{n}", n + 1
    return cand


# --------------------------------------------------------------------------
# What comes after detection (across documents, glossary entries, reports)
# lives in resolver.unknown_report; its names stay importable from here.

_REPORT_NAMES = frozenset(
    ["FileCount", "Term", "aggregate", "glossary_additions", "glossary_snippet", "report_json", "report_jsonl", "report_text", "UNKNOWN_FORMAT_VERSION"]
)


def __getattr__(name: str) -> Any:
    if name in _REPORT_NAMES:
        from . import unknown_report

        return getattr(unknown_report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
