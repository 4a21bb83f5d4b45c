"""Reusable Hypothesis strategies: glossaries and texts built around them."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

import resolver
from resolver.folding import fold
from resolver.glossary import dumps, loads

LATIN = "abcdefghijklmnopqrstuvwxyzàéîõüçñ"
WORD_ALPHABETS = [LATIN, "ابتثجحخدرزسشصطعغفقكلمنهوي", "कखगघचछजझटडतथदनपफबमयरलवशसह"]

#: Separators, punctuation and odd characters placed between and inside mentions.
NOISE = [" ", "  ", "\n", "\u00a0", "-", "—", ", ", ". ", "(", ")", "[", "]", "’", "'", "\u200b", "\u0301", "😀", "\u202e", "İ", "ß"]


@st.composite
def words(draw: Any) -> str:
    alphabet = draw(st.sampled_from(WORD_ALPHABETS))
    w = draw(st.text(alphabet=alphabet, min_size=2, max_size=8))
    return w.capitalize() if draw(st.booleans()) else w


@st.composite
def names(draw: Any) -> str:
    if draw(st.integers(0, 4)) == 0:  # an acronym, sometimes mixed case (JeM)
        letters = draw(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=5))
        if len(letters) >= 3 and draw(st.booleans()):
            letters = letters[0] + letters[1].lower() + letters[2:]
        return letters
    parts = draw(st.lists(words(), min_size=1, max_size=3))
    seps = [draw(st.sampled_from([" ", "-", "-e-", "'"])) for _ in parts[1:]]
    out = parts[0]
    for s, p in zip(seps, parts[1:]):
        out += s + p
    return out


@st.composite
def glossaries(draw: Any, min_entities: int = 1, max_entities: int = 6) -> resolver.Glossary:
    """Random valid glossaries, with shared (ambiguous) aliases and aliases
    that are prefixes of others."""
    n = draw(st.integers(min_entities, max_entities))
    ents = []
    pool: list[str] = []
    for i in range(n):
        canonical = draw(names())
        aliases = draw(st.lists(names(), max_size=3))
        if pool and draw(st.integers(0, 3)) == 0:
            aliases.append(draw(st.sampled_from(pool)))  # shared alias
        if draw(st.integers(0, 3)) == 0:
            aliases.append(canonical.split(" ")[0].split("-")[0])  # a prefix of the canonical name
        seen: set[str] = {canonical}
        uniq = []
        for a in aliases:
            if a not in seen and fold(a):
                seen.add(a)
                uniq.append(a)
        pool.extend(uniq)
        ents.append({"id": f"e{i}", "type": draw(st.sampled_from(["organization", "person", "place"])), "canonical": canonical, "aliases": uniq})
    data = {"version": 1, "entities": [e for e in ents if fold(e["canonical"])]}
    import yaml

    return loads(yaml.safe_dump(data, allow_unicode=True))


@st.composite
def texts_for(draw: Any, glossary: resolver.Glossary) -> str:
    """Text made of the glossary's names (random case for case-insensitive
    ones, possessives, brackets, line breaks) embedded in random Unicode."""
    names_ = [n for e in glossary.values() for n in e.names]
    pieces = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 3))
        if kind == 0 and names_:
            n = draw(st.sampled_from(names_))
            if draw(st.booleans()):
                n = n.upper() if draw(st.booleans()) else n.lower()
            if draw(st.booleans()):
                n = n.replace(" ", draw(st.sampled_from(["\n", "  ", "\u00a0", "-"])))
            n += draw(st.sampled_from(["", "’s", "'s", ""]))
            pieces.append(n)
        elif kind == 1:
            pieces.append(draw(st.sampled_from(NOISE)))
        elif kind == 2:
            pieces.append(draw(st.text(max_size=6)))
        else:
            pieces.append(draw(words()))
        pieces.append(draw(st.sampled_from([" ", " ", "\n", ", ", " (", ") ", ""])))
    return "".join(pieces)


def dump_shuffled(g: resolver.Glossary, rnd: Any) -> resolver.Glossary:
    ents = list(g.entities)
    rnd.shuffle(ents)
    ents = [resolver.Entity(e.id, e.type, e.canonical, tuple(rnd.sample(e.aliases, len(e.aliases))), e.short, e.meta) for e in ents]
    return loads(dumps(resolver.Glossary(tuple(ents), g.titles, g.spelling, g.types)))
