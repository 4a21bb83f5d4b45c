"""Which words a text writes in lower case.

Unknown-term detection drops a capitalised word that the same document
also writes in lower case ("Officials said…" when "officials" occurs too).
The question it asks is about a few thousand words at most, the capitalised
ones, not about every word of the text; :class:`LowerWords` answers it for
those words with one Aho-Corasick scan of the text, without making a string
for each of its words.

A word here is a maximal run of letters (``[^\\W\\d_]``); it is *written in
lower case* when each of its characters is a lower-case letter; its key is
its case fold.

>>> lw = LowerWords("Kabul fell; the fall’s news-wire ISI x2y Straße über", ["kabul", "fall", "s", "isi", "y"])
>>> [k for k in ["kabul", "fall", "s", "isi", "y", "fell"] if k in lw]
['fall', 's', 'y', 'fell']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import ahocorasick_rs

from .folding import TYPOGRAPHIC

__all__ = ["LowerWords", "char_class", "lower_vocabulary"]

_LETTERS = re.compile(r"[^\W\d_]+")
#: ASCII letters stay, any other ASCII byte is a space.
_ASCII_LETTERS = bytes(c if (65 <= c <= 90 or 97 <= c <= 122) else 32 for c in range(256))
_NOT_ASCII = bytes(range(128))
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
    words = _LETTERS.findall
    return {w.casefold() for chunk in set(text.split()) for w in words(chunk) if low(w)}


class LowerWords:
    """``key in LowerWords(text, keys)``: whether ``text`` writes in lower
    case a word whose key is ``key``.

    The ``keys`` given are answered from one scan of the text (below); any
    other key from :func:`lower_vocabulary`, computed on the first such
    question: the answer is the same, only slower.

    The scan: every character that is not a letter becomes a space, every
    non-ASCII letter an upper-case ``Q``, so that a word written in lower
    case with an ASCII key is exactly an occurrence of ``" key "``. (A
    non-ASCII letter is in no such word unless its case fold is ASCII, as
    the long s and the ligatures are: a text with one of those, and keys
    that are not ASCII, are answered by :func:`lower_vocabulary`.) The
    text is scanned in rounds, a small part first: a key found is not looked
    for again, so the common words, found early, do not report their
    thousands of occurrences.
    """

    def __init__(self, text: str, keys: Iterable[str] = ()) -> None:
        self.text = text
        self._all: set[str] | None = None
        asked = {k for k in keys if k.isascii()}
        present = _scan(text, asked)
        if present is None:
            self._asked: frozenset[str] = frozenset()
            self._present: frozenset[str] = frozenset()
        else:
            self._asked, self._present = frozenset(asked), frozenset(present)

    def __contains__(self, key: object) -> bool:
        if key in self._asked:
            return key in self._present
        if isinstance(key, str) and key.isascii() and not key.isalpha():
            return False  # the key of a word is letters (an ASCII one: ``[a-z]+``)
        if self._all is None:
            self._all = lower_vocabulary(self.text)
        return key in self._all

    @property
    def complete(self) -> bool:
        """Whether every question so far was answered by the scan."""
        return self._all is None


def _scan(text: str, keys: set[str]) -> set[str] | None:
    """The ASCII ``keys`` that ``text`` writes in lower case, or ``None``
    when the text has a lower-case letter whose case fold is ASCII."""
    if not keys:
        return set()
    s = text
    if not s.isascii():
        for c in TYPOGRAPHIC:  # (the typographic characters are not such letters)
            if c in s:
                s = s.replace(c, "Q" if _LETTERS.fullmatch(c) else " ")
                if s.isascii():
                    break
        if not s.isascii():
            chars = set(s.encode("utf-8", "surrogatepass").translate(None, _NOT_ASCII).decode("utf-8", "surrogatepass"))
            for c in chars:
                if not _LETTERS.fullmatch(c):
                    s = s.replace(c, " ")
                elif c.islower() and c.casefold().isascii():
                    return None
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
