"""Loader: every rejected defect names file, line, entity id and a stable code."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import resolver
from resolver.errors import GlossaryError
from resolver.glossary import dumps, loads, merge

GOOD = """\
version: 1
entities:
  - id: jaish_e_mohammed
    type: organization
    canonical: Jaish-e-Mohammed
    aliases: [JeM]
"""

BAD = [
    # (label, yaml, code, line, entity id)
    ("syntax", "version: 1\nentities: [\n", "G001", 3, None),
    ("top-level-list", "- a\n- b\n", "G002", 1, None),
    ("missing-canonical", "version: 1\nentities:\n  - id: jem\n    type: organization\n", "G004", 3, "jem"),
    ("empty-canonical", "version: 1\nentities:\n  - id: jem\n    type: organization\n    canonical: '  '\n", "G004", 5, "jem"),
    ("duplicate-id", GOOD + "  - id: jaish_e_mohammed\n    type: organization\n    canonical: JeM2\n", "G006", 7, "jaish_e_mohammed"),
    ("unknown-key-typo", "version: 1\nentities:\n  - id: jem\n    type: organization\n    canonical: JeM\n    alias: [x]\n", "G003", 6, "jem"),
    ("alias-folds-to-nothing", "version: 1\nentities:\n  - id: jem\n    type: organization\n    canonical: JeM\n    aliases: ['--’']\n", "G007", 6, "jem"),
    ("wrong-type-aliases", "version: 1\nentities:\n  - id: jem\n    type: organization\n    canonical: JeM\n    aliases: JeM\n", "G002", 6, "jem"),
    ("wrong-type-weak", "version: 1\nentities:\n  - id: jem\n    type: organization\n    canonical: JeM\n    aliases: [{name: x, weak: maybe}]\n", "G002", 6, "jem"),
    ("bad-case-value", "version: 1\nentities:\n  - id: jem\n    type: organization\n    canonical: JeM\n    aliases: [{name: x, case: upper}]\n", "G010", 6, "jem"),
    ("bad-id", "version: 1\nentities:\n  - id: Jaish-e\n    type: organization\n    canonical: JeM\n", "G005", 3, "Jaish-e"),
    ("anchors-refused", "version: 1\nentities:\n  - &a {id: jem, type: organization, canonical: JeM}\n  - *a\n", "G008", 3, None),
    ("bad-version", "version: 2\nentities: []\n", "G009", 1, None),
    ("undeclared-type", "version: 1\ntypes: [person]\nentities:\n  - {id: jem, type: organisation, canonical: JeM}\n", "G011", 4, "jem"),
    ("alias-twice", "version: 1\nentities:\n  - {id: jem, type: organization, canonical: JeM, aliases: [Jaish, Jaish]}\n", "G012", 3, "jem"),
    ("empty-file", "", "G004", 1, None),
]


@pytest.mark.parametrize("text,code,line,eid", [pytest.param(*b[1:], id=b[0]) for b in BAD])
def test_rejected(text: str, code: str, line: int, eid: str | None) -> None:
    with pytest.raises(GlossaryError) as info:
        loads(text, "my.yaml")
    err = info.value
    assert (err.code, err.line, err.entity_id, err.path) == (code, line, eid, "my.yaml")
    msg = str(err)
    assert msg.startswith(f"my.yaml:{line}: [{code}]")
    if eid:
        assert eid in msg


def test_unknown_key_suggests_fix() -> None:
    with pytest.raises(GlossaryError, match="did you mean 'aliases'"):
        loads("version: 1\nentities:\n  - {id: jem, type: organization, canonical: JeM, alias: [x]}\n")


def test_unreadable_and_not_utf8(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read"):
        resolver.load_glossary(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"version: 1\nentities: []\n# \xff\n")
    with pytest.raises(GlossaryError, match="not valid UTF-8") as info:
        resolver.load_glossary(bad)
    assert info.value.line == 3


def test_glossary_is_read_only_mapping() -> None:
    g = loads(GOOD)
    assert len(g) == 1 and list(g) == ["jaish_e_mohammed"]
    e = g["jaish_e_mohammed"]
    assert (e.id, e.type, e.canonical, [a.name for a in e.aliases]) == ("jaish_e_mohammed", "organization", "Jaish-e-Mohammed", ["JeM"])
    with pytest.raises(KeyError, match="no entity"):
        g["nope"]
    with pytest.raises(TypeError):
        g["x"] = e  # type: ignore[index]


def test_default_case_policy() -> None:
    g = loads("version: 1\nentities:\n  - {id: a, type: organization, canonical: Lashkar-e-Taiba, aliases: [LeT, Lashkar, {name: Dawn, case: exact}]}\n")
    assert [a.case for a in g["a"].aliases] == ["exact", "insensitive", "exact"]


def test_merge_later_file_replaces_entity() -> None:
    a = loads(GOOD, "house.yaml")
    b = loads("version: 1\nentities:\n  - {id: jaish_e_mohammed, type: organization, canonical: Jaish-e-Muhammad}\n  - {id: x, type: place, canonical: Xland}\n", "project.yaml")
    m = merge(a, b)
    assert m["jaish_e_mohammed"].canonical == "Jaish-e-Muhammad"
    assert list(m) == ["jaish_e_mohammed", "x"]
    assert m.paths == ("house.yaml", "project.yaml")


def test_dump_round_trip(core_glossary: resolver.Glossary) -> None:
    again = loads(dumps(core_glossary), "x")
    assert again.entities == core_glossary.entities
    assert again.titles == core_glossary.titles and again.spelling == core_glossary.spelling


def test_bundled_round_trip() -> None:
    g = resolver.load_glossary()
    assert loads(dumps(g)).entities == g.entities


def test_shuffled_yaml_same_find(core_glossary: resolver.Glossary) -> None:
    text = "Masood Azhar met JeM, the ISI and the Haqqani Network; Azhar and Haqqani left Pakistan-administered Kashmir."
    base = resolver.Resolver(core_glossary).find(text)
    rng = random.Random(7)
    for _ in range(5):
        ents = list(core_glossary.entities)
        rng.shuffle(ents)
        ents = [resolver.Entity(e.id, e.type, e.canonical, tuple(rng.sample(e.aliases, len(e.aliases))), e.short, e.meta) for e in ents]
        g = resolver.Glossary(tuple(ents), core_glossary.titles, core_glossary.spelling)
        assert resolver.Resolver(loads(dumps(g))).find(text) == base
