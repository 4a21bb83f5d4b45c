"""The automaton's whole-word scan (``Matcher.hits``) and the fused ``find``
loop, on the edge cases of reading a possessive's apostrophe as a space."""

from __future__ import annotations

import resolver
from resolver.glossary import loads

GLOSSARY = loads(
    """
version: 1
entities:
  - {id: jem, type: organization, canonical: Jaish-e-Mohammed, aliases: [{name: JeM, case: exact}]}
  - {id: s_chief, type: person, canonical: S Chief}
  - {id: lloyds, type: organization, canonical: Lloyd's Register}
  - {id: lloyd, type: person, canonical: Lloyd's}
"""
)


def _found(text: str) -> list[tuple[str, str | None]]:
    return [(m.surface, m.entity_id) for m in resolver.Resolver(GLOSSARY).find(text)]


def test_a_possessive_ends_a_name() -> None:
    assert _found("JeM's camps and JeM’s men") == [("JeM", "jem"), ("JeM", "jem")]


def test_the_s_of_a_possessive_never_starts_a_name() -> None:
    # the scan reads "jem's chief" as "jem s chief"; "S Chief" must not match there
    assert _found("JeM's chief spoke") == [("JeM", "jem")]
    assert _found("JeM s chief spoke") == [("JeM", "jem"), ("s chief", "s_chief")]


def test_a_name_with_an_apostrophe_s_inside_or_at_its_end() -> None:
    assert _found("Lloyd's Register and Lloyd’s register, Lloyd's.") == [
        ("Lloyd's Register", "lloyds"),
        ("Lloyd’s register", "lloyds"),
        ("Lloyd's", "lloyd"),
    ]


def test_one_possessive_only() -> None:
    # "'s's" is no possessive: the name is not followed by a space or "'s "
    assert _found("Lloyd's's rules, JeM's's men") == []
    assert _found("Lloyd's’s rules") == []
