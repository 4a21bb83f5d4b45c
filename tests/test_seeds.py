"""The seed articles with the bundled glossary: hand annotations and byte-exact rewriting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import resolver

ROOT = Path(__file__).parent.parent
ANNOTATIONS = yaml.safe_load((Path(__file__).parent / "cases" / "seed_mentions.yaml").read_text(encoding="utf-8"))
ANNOTATED_TYPES = {"organization", "person"}


def _annotated(r: resolver.Resolver, m: resolver.Mention) -> bool:
    return all(r.glossary[c].type in ANNOTATED_TYPES for c in m.candidates)


@pytest.mark.parametrize("item", ANNOTATIONS, ids=[a["file"].split("/")[-1] for a in ANNOTATIONS])
def test_seed_annotations(item: dict[str, Any], bundled: resolver.Resolver) -> None:
    text = (ROOT / item["file"]).read_text(encoding="utf-8")
    got = []
    for m in bundled.find(text):
        if not _annotated(bundled, m):
            continue
        if len(m.candidates) > 1 and m.status != "resolved" or m.status == "ambiguous":
            got.append({"surface": m.surface, "ambiguous": sorted(m.candidates)})
        else:
            got.append({"surface": m.surface, "entity": m.candidates[0] if m.status != "resolved" else m.entity_id})
    want = []
    for a in item["mentions"]:
        if "ambiguous" in a:
            want.append(a)
        else:
            want.append({"surface": a["surface"], "entity": a["entity"]})
    # Ambiguous aliases settled by an earlier full name come back resolved: compare the surface
    # and the set of admissible entities.
    assert [g["surface"] for g in got] == [w["surface"] for w in want]
    for g, w in zip(got, want):
        admissible = set(w.get("ambiguous", [w.get("entity")]))
        found = set(g.get("ambiguous", [g.get("entity")]))
        assert found <= admissible, (g, w)


@pytest.mark.parametrize("path", sorted((ROOT / "seeds").glob("*.txt")), ids=lambda p: p.name)
def test_seed_normalize_changes_only_mentions(path: Path, bundled: resolver.Resolver) -> None:
    text = path.read_text(encoding="utf-8")
    mentions = bundled.find(text)
    out = bundled.normalize(text)
    edits = list(bundled.replacements(text, mentions))
    assert out == resolver.core.splice(text, edits)
    # every byte outside the rewritten spans is identical, in order
    prev = 0
    pos = 0
    for s, e, new in edits:
        gap = text[prev:s]
        assert out[pos : pos + len(gap)] == gap
        pos += len(gap) + len(new)
        prev = e
    assert out[pos:] == text[prev:]
    # and no variant is left: normalizing again changes nothing, every resolved name is canonical
    assert bundled.normalize(out) == out
    for m in bundled.find(out):
        if m.status == "resolved":
            assert m.name_surface == m.canonical, m


def test_seed_variants_are_rewritten(bundled: resolver.Resolver) -> None:
    text = (ROOT / "seeds" / "003_3f99f3cee2f99754.txt").read_text(encoding="utf-8")
    out = bundled.normalize(text)
    assert "Jaish-e-Mohammad" not in out and "Jaish-e-Mohammed" in out
    for m in bundled.find(out):
        if m.status == "resolved":
            assert m.name_surface == m.canonical, m
