"""Which words a text writes in lower case (:mod:`resolver.vocabulary`): the
scan that answers for a set of keys agrees with the full vocabulary."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import resolver
from resolver import vocabulary
from resolver.folding import fold
from resolver.unknown import UnknownOptions, find_unknown
from resolver.vocabulary import LowerWords, lower_vocabulary

#: letters in both cases, digits, typographic characters, non-ASCII letters
#: (some whose case fold is ASCII: the long s, a ligature), marks, separators
_ALPHABET = "abkKS sz2_-.\n'\u2019\u201c\u2014\u00a0\u00e9\u00c9\u00e7\u017f\ufb01\u0301\u0416\u0436\u00df\u4e00\u0140\u037a\u1e9e"
_ROOT = Path(__file__).resolve().parent.parent


def _keys(text: str) -> set[str]:
    """Every key a word of the text (or a made-up one) could have."""
    words = set(vocabulary.WORDS.findall(text))
    keys = {w.casefold() for w in words} | {w.lower() for w in words} | {"kab", "s", "ss", "fi", "abk", "kass"}
    # keys as unknown-term detection makes them (the fold of a non-ASCII word,
    # which may have a space: "co\u0140legi" -> "col legi"), and two words' keys
    return keys | {fold(w) for w in words} | {a + " " + b for a in sorted(keys)[:5] for b in sorted(keys)[:5]}


@given(st.text(alphabet=_ALPHABET, max_size=80), st.integers(1, 40))
@example("Kab kab\u2019s", 1)
@example("\ufb01 s", 1)
@example("ab\u0301 kab", 2)
@example("kab\u00e9 kab\u0436 \u00e7ab", 1)  # a non-ASCII letter is part of a word
@example("Ka\u00dfe ka\u00dfe kasse", 1)  # a lower-case letter with an ASCII case fold
@example("Co\u0140legi col legi", 1)  # a key with a space is no word's
def test_scan_agrees_with_the_full_vocabulary(text: str, first_round: int) -> None:
    full = lower_vocabulary(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(vocabulary, "_FIRST_ROUND", first_round)  # several rounds in a short text
        mp.setattr(vocabulary, "_DFA_FROM", 8)
        lw = LowerWords(text, _keys(text))
        for key in sorted(_keys(text)) + ["a2", "news18", "j\u00f3zef", "", "ka b", "Kab", "a'b"]:
            assert (key in lw) == (key in full), key


def test_a_long_text_is_scanned_in_rounds() -> None:
    """Keys found in the first round are not looked for again; one written
    in lower case only at the end of a long text is still found."""
    text = "Kabul and kabul. " * 5000 + "Quetta. " * 10000 + "in quetta"
    lw = LowerWords(text, {"kabul", "quetta", "and", "herat"})
    assert ("kabul" in lw, "quetta" in lw, "and" in lw, "herat" in lw) == (True, True, True, False)
    assert lw.complete


def test_unknown_terms_ask_only_about_expected_words(monkeypatch: pytest.MonkeyPatch, core: resolver.Resolver) -> None:
    """Detection says beforehand which words it will ask about, so on the
    seeds the full vocabulary (one string per word of the text) is never made."""

    def full(text: str) -> set[str]:
        raise AssertionError("the full vocabulary was needed")

    monkeypatch.setattr(vocabulary, "lower_vocabulary", full)
    for path in sorted((_ROOT / "seeds").glob("*.txt")):
        assert find_unknown(core, path.read_text(encoding="utf-8"), options=UnknownOptions(limit=0))


def test_lower_case_letters_with_an_ascii_case_fold_fold_to_ascii_words() -> None:
    """What the scan relies on: a lower-case letter whose case fold is ASCII
    folds to letters (so an ASCII key of another shape is no word's)."""
    folds = {chr(c).casefold() for c in range(0x110000) if chr(c).islower() and chr(c).casefold().isascii()}
    assert folds and all(f.isalpha() and f.islower() for f in folds)
