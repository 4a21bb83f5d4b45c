"""Text folding with exact offsets back into the original text.

Matching never runs on the text a person wrote; it runs on a *folded* copy in
which spelling noise is gone, and every position in that copy maps back to the
original. The same function folds glossary aliases and input text, so the two
always agree (rigour's rule: one normalizer for both sides).

What folding does, character by character:

* Unicode compatibility decomposition (NFKD), then combining marks, zero-width
  and other format characters are dropped: ``Mujāhidīn`` → ``mujahidin``,
  fullwidth ``ＩＳＩ`` → ``isi``.
* Case folding (:meth:`str.casefold`, not ``lower``) unless the caller asks to
  keep case (exact-case aliases are verified on a case-keeping fold).
* Every apostrophe form (``’ ' ʼ ` ‘``) becomes ``'``; it stays only *inside* a
  word (``Jama’at`` → ``jama'at``, ``JeM’s`` → ``jem's``).
* Every whitespace and dash form is a separator; a run made only of
  separators (``"-\\n"``, ``"  "``, a non-breaking space) becomes one space, so
  ``Jaish-e\\nMuhammad`` folds like ``Jaish-e-Muhammad``.
* Any other character (punctuation, symbols, emoji) becomes a space *without*
  merging with its neighbours, so ``Jaish, Mohammed`` never folds like
  ``Jaish Mohammed``.

>>> fold("Jaish-e  Muhammad’s")
"jaish e muhammad's"
>>> fold("[ISI]")
'isi'
>>> fold("Mujāhidīn", casefold=False)
'Mujahidin'

The folded text is padded with one space at each end, so that every word in it
is preceded and followed by a space: a pattern ``" " + key`` can only match at
the start of a word, which is how the matcher gets word boundaries for free.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

__all__ = ["Folded", "edge_word", "fold", "fold_char", "fold_key", "fold_text", "is_word_char"]

SEP = " "
APOS = "'"
PUNCT = "\x00"  # internal: a non-word, non-separator character

#: Characters treated as apostrophes (folded to ``'``).
APOSTROPHES = frozenset("'\u2019\u02bc`\u2018\u02bb\u02bf\u02be\u2032\uff07")

_NONASCII = re.compile(r"[^\x00-\x7f]")
#: Non-ASCII characters common in English prose, commonest first (see _fold_stream).
TYPOGRAPHIC = "\u2019\u201c\u201d\u2018\u2014\u2013\u00a0\u2026\u00e9\u2022\u00a9\u00e7\u00ae\u2122\u00b0\u00a3\u20ac"
_SEP_RUN = re.compile("   *")  # two or more: a literal prefix searches far faster than " {2,}"
_SEP_RUN_SPLIT = re.compile("(   *)").split
#: A longer text is folded this many characters at a time (see _fold_stream).
_STREAM_PIECE = 1 << 18
#: An apostrophe next to a separator or another apostrophe.
_LONE_APOS = re.compile(r"'(?:(?<=[ ']')|(?=[ ']))")


def _is_sep(ch: str, cat: str) -> bool:
    return ch.isspace() or cat in ("Zs", "Zl", "Zp", "Pd") or ch == "\u2212"


def _fold_base(ch: str, casefold: bool) -> str:
    """Fold one NFKD-decomposed character to the folded alphabet."""
    if ch in APOSTROPHES:
        return APOS
    cat = unicodedata.category(ch)
    if _is_sep(ch, cat):
        return SEP
    if cat in ("Mn", "Me", "Cf"):
        return ""
    if cat[0] in "LN" or cat == "Mc":
        if casefold:
            low = ch.casefold()
            if low != ch:
                return "".join(_fold_base(x, False) for x in unicodedata.normalize("NFKD", low))
        return ch
    return PUNCT


@lru_cache(maxsize=65536)
def fold_char(ch: str, casefold: bool = True) -> str:
    r"""Fold a single character; the result may be empty or longer than one.

    Word characters (letters, digits, spacing marks) are decomposed (NFKD),
    stripped of combining marks and case-folded; any other character folds by
    its class alone: separator, apostrophe, ignorable (format characters and
    marks) or punctuation. The result uses the folded alphabet only: word
    characters, ``" "``, ``"'"`` and an internal punctuation marker.

    >>> fold_char("É"), fold_char("’"), fold_char("\u200b"), fold_char("ß"), fold_char("…") == PUNCT
    ('e', "'", '', 'ss', True)
    """
    if ch in APOSTROPHES:
        return APOS
    cat = unicodedata.category(ch)
    if not (cat[0] in "LN" or cat == "Mc"):
        return _fold_base(ch, casefold)
    return "".join(_fold_base(x, casefold) for x in unicodedata.normalize("NFKD", ch))


def is_word_char(ch: str) -> bool:
    """True for characters of the folded alphabet that belong to words.

    >>> is_word_char("a"), is_word_char(" "), is_word_char("'")
    (True, False, False)
    """
    return ch not in (SEP, APOS, PUNCT)


def _ascii_table(casefold: bool) -> list[str]:
    table = []
    for i in range(128):
        ch = chr(i)
        f = fold_char(ch, casefold)
        assert len(f) == 1
        table.append(f)
    return table


_ASCII = {True: _ascii_table(True), False: _ascii_table(False)}
#: The same folds as byte tables (bytes 128-255, parts of longer UTF-8 sequences, unchanged).
_ASCII_TABLE = {k: bytes(ord(c) for c in v) + bytes(range(128, 256)) for k, v in _ASCII.items()}
_ASCII_BYTES = bytes(range(128))


def nonascii_chars(s: str) -> set[str]:
    """The distinct non-ASCII characters of ``s``.

    >>> sorted(nonascii_chars("Jaish’s “JeM” — é")), nonascii_chars("x" * 5000 + "é—é") == {"é", "—"}
    (['é', '—', '’', '“', '”'], True)
    """
    if len(s) < 4096:
        return set(_NONASCII.findall(s))
    # (what is left of the UTF-8 bytes without the ASCII ones: faster on a long text)
    return set(s.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


def _ascii_fold(s: str, casefold: bool) -> str:
    """Fold an ASCII string (a byte table is about twice as fast as
    ``str.translate`` on a long one)."""
    if len(s) < 4096:
        return s.translate(_ASCII[casefold])
    return s.encode("ascii").translate(_ASCII_TABLE[casefold]).decode("ascii")


class Folded:
    """A folded copy of a text with a map from folded to original offsets.

    ``text`` starts and ends with a space sentinel. :meth:`orig` maps an index
    of ``text`` to an index of the original string; a span ``[s, e)`` of
    ``text`` that starts and ends on word boundaries maps to the original span
    :meth:`span` gives.

    >>> f = fold_text("The JeM’s  chief")
    >>> f.text
    " the jem's chief "
    >>> s = f.text.index("chief"); f.orig(s), f.orig(s + 5)
    (11, 16)
    """

    __slots__ = ("_length", "_shifts", "_shifts1", "_starts", "_starts1", "raw", "text")

    def __init__(
        self,
        text: str,
        raw: str,
        starts: list[int],
        shifts: list[int],
        starts1: list[int] | None,
        shifts1: list[int] | None,
        length: int,
    ) -> None:
        self.text = text
        #: ``text`` before punctuation became spaces (same indexing): the
        #: matcher checks it for punctuation inside multi-word names.
        self.raw = raw
        self._starts = starts
        self._shifts = shifts
        self._starts1 = starts1
        self._shifts1 = shifts1
        self._length = length

    def direct_map(self) -> tuple[list[int], list[int]] | None:
        """``(starts, shifts)`` when one piecewise shift maps folded offsets
        to original ones (``orig(i) = i + shifts[bisect_right(starts, i) - 1]``
        for a word's start or end), else None: the hot loops inline that
        bisection instead of calling :meth:`orig`."""
        if self._starts1 is None:
            return self._starts, self._shifts
        return None

    def span(self, text: str, s: int, e: int) -> tuple[int, int]:
        """The span of ``text`` (the string this is the fold of) that the
        word-bounded folded span ``[s, e)`` covers: ``(orig(s), orig(e))``,
        ended before the format characters that follow its last word
        (:func:`trim_format_end`)."""
        a = self.orig(s)
        return a, trim_format_end(text, a, self.orig(e))

    def orig(self, i: int) -> int:
        """Original offset of folded index ``i`` (clamped to the original)."""
        j = i + self._shifts[bisect_right(self._starts, i) - 1]  # index into the un-collapsed fold
        if self._starts1 is not None and self._shifts1 is not None:
            j += self._shifts1[bisect_right(self._starts1, j) - 1]
        return min(max(j, 0), self._length)


def _fold_stream(text: str, casefold: bool) -> tuple[str, list[int] | None, list[int] | None]:
    """Fold character by character (lengths preserved where the fold of a
    character is one character). Returns the fold and, when lengths changed,
    a piecewise map from fold index to original index as ``(starts, shifts)``:
    ``orig = i + shifts[k]`` for the last ``starts[k] <= i``.

    A long text is folded a piece at a time, which gives the same result
    (each character folds on its own): the copies each step makes are then
    small ones, which the allocator reuses, rather than copies of the whole
    text, each of which costs fresh pages of memory (page faults were a
    third of the time ``find`` took on a 5 MB text)."""
    if len(text) > _STREAM_PIECE:
        return _fold_stream_pieces(text, casefold)
    return _fold_stream_piece(text, casefold)


def _fold_stream_pieces(text: str, casefold: bool) -> tuple[str, list[int] | None, list[int] | None]:
    """:func:`_fold_stream` of a long text, piece by piece: the folds joined,
    and the pieces' offset maps moved to where each piece starts."""
    out: list[str] = []
    starts: list[int] | None = None
    shifts: list[int] | None = None
    at = 0  # folded length so far
    for o in range(0, len(text), _STREAM_PIECE):
        s, st, sh = _fold_stream_piece(text[o : o + _STREAM_PIECE], casefold)
        out.append(s)
        if st is not None and sh is not None:
            if starts is None or shifts is None:
                starts, shifts = [0], [0]
            # local (i, shift) is global (i + at, shift + o - at); the local
            # map's first entry (0, 0) says what the map says already there
            starts += map(at.__add__, st[1:])
            shifts += map((o - at).__add__, sh[1:])
        at += len(s)
    return "".join(out), starts, shifts


def _fold_stream_piece(text: str, casefold: bool) -> tuple[str, list[int] | None, list[int] | None]:
    if text.isascii():
        return _ascii_fold(text, casefold), None, None
    folds: dict[str, str] = {}
    s = text
    if len(text) >= 4096:
        # Most prose has a few typographic characters only: replace those
        # that occur (a search for an absent one is a fast memchr scan), and
        # the text is often ASCII after them, without finding out which
        # characters it has (which costs a pass over its UTF-8 bytes).
        for c in TYPOGRAPHIC:
            if c in s:
                f = folds[c] = fold_char(c, casefold)
                if len(f) == 1:
                    s = s.replace(c, f)
                    if s.isascii():
                        break
    if not s.isascii():
        for c in nonascii_chars(s) - folds.keys():
            f = folds[c] = fold_char(c, casefold)
            if len(f) == 1 and f != c:
                s = s.replace(c, f)
    complex_ = [c for c, f in folds.items() if len(f) != 1]
    s = _ascii_fold(s, casefold) if s.isascii() else s.translate(_ASCII[casefold])
    if not complex_:
        return s, None, None
    rx = re.compile("[" + "".join(re.escape(c) for c in complex_) + "]")
    pieces: list[str] = []
    starts, shifts = [0], [0]
    prev = 0
    delta = 0  # original index - fold index after the current point
    for m in rx.finditer(s):
        j = m.start()
        pieces.append(s[prev:j])
        f = folds[m.group()]
        pieces.append(f)
        p = j - delta  # fold index where this character's fold starts
        for k in range(1, len(f)):  # later characters of an expansion map past it
            starts.append(p + k)
            shifts.append(j + 1 - (p + k))
        delta = j + 1 - (p + len(f))
        starts.append(p + len(f))
        shifts.append(delta)
        prev = j + 1
    pieces.append(s[prev:])
    return "".join(pieces).translate(_ASCII[casefold]), starts, shifts


def fold_text(text: str, casefold: bool = True) -> Folded:
    """Fold ``text`` for matching; see the module documentation.

    >>> fold_text("Jaish-e-\\nMohammed (JeM)").text
    ' jaish e mohammed  jem  '
    """
    s, starts1, shifts1 = _fold_stream(text, casefold)
    # Runs made only of separators collapse to one space; remember where.
    starts = [0]
    shifts = [-1]  # folded index 0 is the leading sentinel
    if "  " in s:
        # Split at the runs, then join with one space. After the k-th run
        # (k = 1, 2, ...) the folded index is the length of the pieces
        # before it + k (+1: the sentinel), whatever the runs' lengths; the
        # shift back to the unfolded index grows by each run's length - 1.
        if "   " in s:  # longer runs than two spaces: the regular expression keeps them
            parts = _SEP_RUN_SPLIT(s)
            pieces = parts[::2]
            shifts += map((-1).__add__, accumulate(map((-1).__add__, map(len, parts[1::2]))))
            del parts
        else:  # every run is two spaces (paragraph breaks, mostly): one scan for them
            pieces = s.split("  ")
            shifts += range(len(pieces) - 1)
        starts += map((1).__add__, accumulate(map((1).__add__, map(len, pieces[:-1]))))
        pieces.insert(0, "")  # the sentinels come with the join
        pieces.append("")
        s = SEP.join(pieces)
        del pieces
    else:
        s = SEP + s + SEP
    raw = s
    if PUNCT in s:
        s = s.replace(PUNCT, SEP)
    if APOS in s:
        s = _clean_apostrophes(s)
    return Folded(s, raw, starts, shifts, starts1, shifts1, len(text))


_ASCII_WORDS = {i: (SEP if f == PUNCT else f) for i, f in enumerate(_ASCII[True])}


def trim_format_end(text: str, a: int, b: int) -> int:
    """The end of the span ``text[a:b]`` without the format characters that
    end it (zero-width spaces and joiners, soft hyphens: folding drops them,
    so the offset map puts them inside a name that they only follow). A
    combining mark that ends a name stays: it is part of its last letter.

    >>> t = "Washington\u200b\u00ad said"
    >>> t[: trim_format_end(t, 0, 12)], trim_format_end("Jose\u0301", 0, 5)
    ('Washington', 5)
    """
    while b > a and text[b - 1] >= "\xad" and unicodedata.category(text[b - 1]) == "Cf":
        b -= 1
    return b


def edge_word(text: str, last: bool) -> str:
    """The last (or first) word of ``fold(text)``, or ``""``; faster than
    folding the whole text where it is ASCII.

    >>> edge_word("said the JeM (", True), edge_word(", Jaish-e ", False), edge_word("’s men", False)
    ('jem', 'jaish', 's')
    """
    if text.isascii():
        t = text.translate(_ASCII_WORDS).strip(SEP)
        w = t.rpartition(SEP)[2] if last else t.partition(SEP)[0]
        if APOS not in w:
            return w
    elif len(text) > 24:  # fold a short end first: enough when a separator bounds the word there
        f = fold(text[-24:] if last else text[:24])
        if SEP in f:
            return f.rpartition(SEP)[2] if last else f.partition(SEP)[0]
    f = fold(text)
    return f.rpartition(SEP)[2] if last else f.partition(SEP)[0]


def fold(text: str, casefold: bool = True) -> str:
    """The folded form of a name, without sentinels or outer spaces.

    This is the key under which an alias is stored and compared; it equals
    ``fold_text(text).text.strip()``, computed without the offset map.

    >>> fold("  Tehreek-i-Taliban\u00a0Pakistan ")
    'tehreek i taliban pakistan'
    >>> fold("ＩＳＩ", casefold=False)
    'ISI'
    """
    return fold_key(text, casefold)[0]


def fold_key(text: str, casefold: bool = True) -> tuple[str, bool]:
    """``fold(text)`` and whether ``text`` has punctuation (not separators or
    apostrophes) in it, from one pass.

    >>> fold_key("U.S."), fold_key("Jaish-e Mohammed")
    (('u s', True), ('jaish e mohammed', False))
    """
    s = _fold_stream(text, casefold)[0]
    if "  " in s:
        s = _SEP_RUN.sub(SEP, s)
    punct = PUNCT in s
    if punct:
        s = s.replace(PUNCT, SEP)
    if APOS in s:
        s = _clean_apostrophes(s)
    return s.strip(SEP), punct


def _clean_apostrophes(s: str) -> str:
    """Keep an apostrophe only between two word characters.

    >>> _clean_apostrophes("jem's 'quoted' o''k o'")
    "jem's  quoted  o  k o "
    """
    s = _LONE_APOS.sub(SEP, s)
    if s.startswith(APOS):
        s = SEP + s[1:]
    if s.endswith(APOS):
        s = s[:-1] + SEP
    return s
