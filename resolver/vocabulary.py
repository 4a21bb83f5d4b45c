"""Which words a text writes in lower case.

Unknown-term detection drops a capitalised word that the same document
also writes in lower case ("Officials said…" when "officials" occurs too).
The question it asks is about a few thousand words at most, the capitalised
ones, not about every word of the text; :class:`LowerWords` answers it for
those words with one Aho-Corasick scan of the text, without making a string
for each of its words.

A word here is a maximal run of letters (``[^\\W\\d_]``); it is *written in
lower case* when each of its characters is a lower-case letter; the
question is asked of its case fold (``"straße"`` answers for ``"strasse"``).

>>> keys = ["kabul", "fall", "s", "isi", "y", "strasse", "news wire"]
>>> lw = LowerWords("Kabul fell; the fall’s news-wire ISI x2y Straße über straße", keys)
>>> [k for k in keys if k in lw], lw.complete
(['fall', 's', 'y', 'strasse'], True)
>>> "fell" in lw, lw.complete  # not asked about beforehand: the same answer, the slow way
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import ahocorasick_rs

from .folding import TYPOGRAPHIC, nonascii_chars

__all__ = ["WORDS", "LowerWords", "char_class", "lower_vocabulary"]

#: A word: a maximal run of letters.
WORDS = re.compile(r"[^\W\d_]+")
#: ASCII letters stay, any other ASCII byte is a space.
_ASCII_LETTERS = bytes(c if (65 <= c <= 90 or 97 <= c <= 122) else 32 for c in range(256))
#: The scan looks at this much of the text first, then 16 times more each round.
_FIRST_ROUND = 1 << 16
_DFA_FROM = 1 << 20


def char_class(pred: Callable[[str], bool], limit: int = 0x10000) -> str:
    """A regex character class body for every code point below ``limit``
    satisfying ``pred``, as ranges. (Within the Basic Multilingual Plane the
    class compiles to a lookup table that ``re`` scans at C speed; a range
    beyond it makes every search an order of magnitude slower.)

    >>> char_class(lambda c: c in "abcx")
    'a-cx'
    """
    parts: list[str] = []
    start = prev = -2
    for cp in range(limit):
        if pred(chr(cp)):
            if cp != prev + 1:
                if start >= 0:
                    parts.append(_range(start, prev))
                start = cp
            prev = cp
    if start >= 0:
        parts.append(_range(start, prev))
    return "".join(parts)


def _range(a: int, b: int) -> str:
    return re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"


@lru_cache(maxsize=1)
def _lower_word() -> re.Pattern[str]:
    """A word made only of lower-case letters (for ``fullmatch``)."""
    return re.compile("[" + char_class(lambda c: c.islower()) + "]+")


def lower_vocabulary(text: str) -> set[str]:
    r"""The keys of every word ``text`` writes in lower case.

    A letter run never contains white space, so the words of the text are
    those of its distinct white-space separated chunks; prose repeats its
    words, so looking only at the distinct chunks is several times faster
    than one regular expression over the whole text.

    >>> sorted(lower_vocabulary("Kabul fell; the fall’s news-wire ISI x2y Straße\u00a0über"))
    ['fall', 'fell', 'news', 's', 'the', 'wire', 'x', 'y', 'über']
    """
    low = _lower_word().fullmatch
    words = WORDS.findall
    return {w.casefold() for chunk in set(text.split()) for w in words(chunk) if low(w)}


class LowerWords:
    """``key in LowerWords(text, keys)``: whether ``text`` writes in lower
    case a word whose case fold is ``key``.

    The ``keys`` given that are ASCII words (``[a-z]+``) are answered from
    one scan of the text (below). An ASCII key of another shape is the case
    fold of no word written in lower case (the case folds of lower-case
    letters that are ASCII are letters: ``ſ`` → ``s``, ``ß`` → ``ss``,
    ``ﬁ`` → ``fi``), so its answer is no. Any other key is answered from
    :func:`lower_vocabulary`, computed on the first such question: the same
    answer, only slower.

    The scan: every character that is not a letter becomes a space, a
    lower-case letter whose case fold is ASCII becomes that fold, and every
    other non-ASCII letter an upper-case ``Q``; then a word written in lower
    case whose case fold is an ASCII word ``key`` is exactly an occurrence of
    ``" key "``. The text is scanned in rounds, a small part first: a key
    found is not looked for again, so the common words, found early, do not
    report their thousands of occurrences.
    """

    def __init__(
        self, text: str, keys: Iterable[str] = (), scan: Callable[[str, set[str]], set[str]] | None = None
    ) -> None:
        self.text = text
        self._all: set[str] | None = None
        asked = {k for k in keys if _ascii_word(k)}
        # scan: a compiled scan giving the same answers (see resolver._resolver_scan.lower_words)
        present = _scan(text, asked) if scan is None else scan(text, asked)
        if present is None:
            self._asked: frozenset[str] = frozenset()
            self._present: frozenset[str] = frozenset()
        else:
            self._asked, self._present = frozenset(asked), frozenset(present)

    def __contains__(self, key: object) -> bool:
        if key in self._asked:
            return key in self._present
        if isinstance(key, str) and key.isascii() and not _ascii_word(key):
            return False  # (see above: no such word)
        if self._all is None:
            self._all = lower_vocabulary(self.text)
        return key in self._all

    @property
    def complete(self) -> bool:
        """Whether every question so far was answered by the scan."""
        return self._all is None


def _ascii_word(k: str) -> bool:
    """``[a-z]+``"""
    return k.isascii() and k.isalpha() and k.islower()


def _scan(text: str, keys: set[str]) -> set[str] | None:
    """The ``keys`` (ASCII words) that ``text`` writes in lower case, or
    ``None`` when a lower-case letter's case fold is ASCII but not a word
    (Unicode has none: the scan is then not sure of itself)."""
    if not keys:
        return set()
    s = text
    if not s.isascii():
        for c in TYPOGRAPHIC:  # (none is a lower-case letter with an ASCII case fold)
            if c in s:
                s = s.replace(c, "Q" if WORDS.fullmatch(c) else " ")
                if s.isascii():
                    break
        if not s.isascii():
            for c in nonascii_chars(s):
                if not WORDS.fullmatch(c):
                    s = s.replace(c, " ")
                elif c.islower() and c.casefold().isascii():
                    if not _ascii_word(c.casefold()):
                        return None
                    s = s.replace(c, c.casefold())
                else:
                    s = s.replace(c, "Q")
    b = b" " + s.encode("ascii").translate(_ASCII_LETTERS) + b" "
    del s
    left = sorted(keys)
    found: set[str] = set()
    pos, size = 0, _FIRST_ROUND
    while left and pos < len(b) - 1:
        end = b.find(b" ", pos + size)
        end = len(b) if end < 0 else end + 1  # rounds meet at a space, which both scan
        # (a DFA takes longer to build and scans faster: for the long rounds)
        impl = ahocorasick_rs.Implementation.DFA if end - pos > _DFA_FROM else None
        auto = ahocorasick_rs.BytesAhoCorasick([b" " + k.encode("ascii") + b" " for k in left], implementation=impl)
        ids = {kid for kid, _, _ in auto.find_matches_as_indexes(b[pos:end], overlapping=True)}
        found.update(left[i] for i in ids)
        left = [k for i, k in enumerate(left) if i not in ids]
        pos, size = end - 1, size * 16
    return found
