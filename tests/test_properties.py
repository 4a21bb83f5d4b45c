"""Stability properties, stated as Hypothesis tests (see tests/strategies.py)."""

from __future__ import annotations

import pickle

from hypothesis import example, given
from hypothesis import strategies as st

import resolver
from resolver.glossary import dumps, loads

from .strategies import dump_shuffled, glossaries, texts_for


@st.composite
def glossary_and_text(draw: st.DrawFn) -> tuple[resolver.Glossary, str]:
    g = draw(glossaries())
    return g, draw(texts_for(g))


@given(glossary_and_text())
def test_offsets_index_the_original(gt: tuple[resolver.Glossary, str]) -> None:
    g, text = gt
    for m in resolver.Resolver(g).find(text):
        assert text[m.start : m.end] == m.surface and m.surface


@given(glossary_and_text())
def test_mentions_sorted_and_disjoint(gt: tuple[resolver.Glossary, str]) -> None:
    g, text = gt
    ms = resolver.Resolver(g).find(text)
    for a, b in zip(ms, ms[1:]):
        assert a.end <= b.start


@given(glossary_and_text())
def test_normalize_is_idempotent(gt: tuple[resolver.Glossary, str]) -> None:
    g, text = gt
    r = resolver.Resolver(g)
    once = r.normalize(text)
    assert r.normalize(once) == once


@given(glossary_and_text())
def test_text_outside_mentions_unchanged(gt: tuple[resolver.Glossary, str]) -> None:
    g, text = gt
    r = resolver.Resolver(g)
    ms = [m for m in r.find(text) if m.status == "resolved"]
    out = r.normalize(text)
    # Rebuild the expected output from the untouched gaps and the canonical names.
    pieces, prev = [], 0
    for m in ms:
        pieces.append(text[prev : m.start + len(m.title)])
        pieces.append(m.canonical or "")
        prev = m.end
    pieces.append(text[prev:])
    assert out == "".join(pieces)


@given(glossaries())
def test_canonical_names_are_fixed_points(g: resolver.Glossary) -> None:
    r = resolver.Resolver(g)
    for e in g.values():
        text = f"{e.canonical} ."
        assert r.normalize(text) == text
        ms = r.find(text)
        assert ms and ms[0].surface == e.canonical and e.id in ms[0].candidates


@given(glossary_and_text(), st.randoms(use_true_random=False))
def test_entity_order_does_not_matter(gt: tuple[resolver.Glossary, str], rnd: st.SearchStrategy) -> None:  # type: ignore[type-arg]
    g, text = gt
    assert resolver.Resolver(dump_shuffled(g, rnd)).find(text) == resolver.Resolver(g).find(text)


@given(st.text())
@example("İ" * 3 + "JeM’s")
@example("\u0301JeM\u0301")
def test_no_exception_on_any_text(text: str) -> None:
    r = _core()
    for m in r.find(text):
        assert text[m.start : m.end] == m.surface
    r.normalize(text)


@given(glossaries())
def test_dump_load_round_trip(g: resolver.Glossary) -> None:
    assert loads(dumps(g)).entities == g.entities


@given(glossary_and_text())
def test_pickled_resolver_same_results(gt: tuple[resolver.Glossary, str]) -> None:
    g, text = gt
    r = resolver.Resolver(g)
    assert pickle.loads(pickle.dumps(r)).find(text) == r.find(text)


_CORE: list[resolver.Resolver] = []


def _core() -> resolver.Resolver:
    if not _CORE:
        from .conftest import DATA

        _CORE.append(resolver.Resolver(resolver.load_glossary(DATA / "core.yaml")))
    return _CORE[0]


@given(glossary_and_text())
def test_fast_selection_equals_candidates_then_select(gt: tuple[resolver.Glossary, str]) -> None:
    from resolver.matcher import select_leftmost_longest

    g, text = gt
    m = resolver.Resolver(g).matcher
    assert m.select(text) == select_leftmost_longest(m.candidates(text))


@given(glossary_and_text(), st.lists(st.integers(1, 40), min_size=1, max_size=8), st.integers(4, 64))
def test_streaming_equals_whole_text(gt: tuple[resolver.Glossary, str], cuts: list[int], chunk: int) -> None:
    g, text = gt
    r = resolver.Resolver(g)
    pieces, i = [], 0
    for c in cuts * 50:
        if i >= len(text):
            break
        pieces.append(text[i : i + c])
        i += c
    pieces.append(text[i:])
    assert list(r.find_iter(pieces, chunk_size=chunk)) == r.find(text)
    assert "".join(r.normalize_iter(pieces, chunk_size=chunk)) == r.normalize(text)


@given(st.text())
@example("a''' b")
@example("'x- -'y")
def test_fold_equals_stripped_fold_text(text: str) -> None:
    from resolver.folding import fold, fold_text

    assert fold(text) == fold_text(text).text.strip(" ")
    assert fold(text) == fold(text).strip(" ")
