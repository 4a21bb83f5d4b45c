"""FlashText's own extractor and remover cases, run through the resolver.

Each case's ``keyword_dict`` ({clean name: [variants]}) becomes a glossary:
one entity per clean name, its variants as aliases. The case-insensitive
expectation (``keywords``) runs against the glossary as a person would write
it (our defaults), the case-sensitive one (``keywords_case_sensitive``) with
every name marked ``case: exact``. For remover cases the removed variants are
left out of the glossary (an entity left without variants is dropped, as
FlashText no longer knows it). The result compared is the canonical name of
every resolved mention, in text order.

Where our documented semantics deliberately differ, the case is listed in
``DIFFERENCES`` with the reason and the result we produce instead; that
result is asserted, so the table cannot go stale silently. Cases from
tests/data/external/flashtext/ (MIT, see LICENSE there).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import resolver
from resolver.glossary import loads

DATA = Path(__file__).parent / "data" / "external" / "flashtext"
FILES = {"extractor": "keyword_extractor_test_cases.json", "remover": "keyword_remover_test_cases.json"}
MODES = {"insensitive": "keywords", "sensitive": "keywords_case_sensitive"}

#: Why we differ, by key.
REASONS = {
    "canonical-is-a-name": (
        "the canonical name is itself a name of its entity (README, 'The glossary'); "
        "FlashText's clean name is only an output label and never matches"
    ),
}

#: (file, case index, mode) -> (reason key, what the resolver returns instead).
DIFFERENCES: dict[tuple[str, int, str], tuple[str, list[str]]] = {
    ("extractor", 10, "sensitive"): ("canonical-is-a-name", ["R"]),  # 'I like R also', {R: [r]}
    ("extractor", 11, "sensitive"): ("canonical-is-a-name", ["R", "Java"]),  # 'I like R java'
    ("extractor", 13, "sensitive"): ("canonical-is-a-name", ["R"]),  # 'R', {R: [r]}
    ("extractor", 45, "insensitive"): ("canonical-is-a-name", ["Python"]),  # {Python: [python prog]}
    ("extractor", 47, "sensitive"): ("canonical-is-a-name", ["IRE1", "XBP1s", "UPR"]),  # {UPR: [upr]}, text 'UPR'
    ("remover", 0, "insensitive"): ("canonical-is-a-name", ["Python"]),  # 'python programming' removed, 'Python' stays
    ("remover", 6, "sensitive"): ("canonical-is-a-name", ["XBP1s", "UPR"]),
}


def load_cases() -> list[tuple[str, int, dict[str, Any]]]:
    out = []
    for kind, name in FILES.items():
        for i, case in enumerate(json.loads((DATA / name).read_text(encoding="utf-8"))):
            out.append((kind, i, case))
    return out


CASES = load_cases()


def keyword_dict(case: dict[str, Any]) -> dict[str, list[str]]:
    """The case's keywords after its removals (FlashText removes a variant
    whatever clean name it was added under)."""
    removed = {v for vs in case.get("remove_keyword_dict", {}).values() for v in vs}
    kd = {clean: [v for v in variants if v not in removed] for clean, variants in case["keyword_dict"].items()}
    return {clean: variants for clean, variants in kd.items() if variants}


def glossary_for(kd: dict[str, list[str]], exact: bool) -> resolver.Glossary:
    entities = []
    for i, (clean, variants) in enumerate(kd.items()):
        aliases: list[Any] = [{"name": v, "case": "exact"} if exact else v for v in variants]
        if exact and clean not in variants:
            aliases.append({"name": clean, "case": "exact"})
        entities.append({"id": f"k{i}", "type": "term", "canonical": clean, "aliases": aliases})
    return loads(yaml.safe_dump({"version": 1, "entities": entities}, allow_unicode=True), "<flashtext case>")


def extract(case: dict[str, Any], mode: str) -> list[str | None]:
    g = glossary_for(keyword_dict(case), exact=mode == "sensitive")
    found = resolver.Resolver(g).find(case["sentence"])
    return [m.canonical if m.status == "resolved" else f"<{m.status}: {', '.join(m.candidates)}>" for m in found]


def _params() -> list[Any]:
    out = []
    for kind, i, case in CASES:
        for mode in MODES:
            slug = re.sub(r"\W+", "-", case["sentence"].strip().lower())[:40].strip("-")
            out.append(pytest.param(kind, i, case, mode, id=f"{kind}-{i:02d}-{mode}-{slug}"))
    return out


@pytest.mark.parametrize(("kind", "index", "case", "mode"), _params())
def test_flashtext_case(kind: str, index: int, case: dict[str, Any], mode: str) -> None:
    got = extract(case, mode)
    expected = case[MODES[mode]]
    difference = DIFFERENCES.get((kind, index, mode))
    if difference is None:
        assert got == expected, case.get("explanation", "")
    else:
        reason, ours = difference
        assert reason in REASONS
        assert got != expected, (
            f"listed as a difference ({reason}) but now agrees with FlashText: remove it from DIFFERENCES"
        )
        assert got == ours, REASONS[reason]


def conformance() -> tuple[int, int]:
    """(checks agreeing with FlashText, all checks)."""
    agree = sum(1 for kind, i, case in CASES for mode in MODES if extract(case, mode) == case[MODES[mode]])
    return agree, len(CASES) * len(MODES)


def test_counts_match_readme() -> None:
    agree, total = conformance()
    assert total - agree == len(DIFFERENCES)
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Comparison with FlashText", 1)[1].split("\n## ", 1)[0]
    assert f"{agree} of {total}" in section, f"README's comparison section should say {agree} of {total}"
    assert f"{len(CASES)} cases" in section


def test_differences_name_real_cases() -> None:
    indexes = {(kind, i) for kind, i, _ in CASES}
    for kind, i, mode in DIFFERENCES:
        assert (kind, i) in indexes and mode in MODES


def test_case_files_are_complete() -> None:
    """The copied files are the whole upstream sets (49 extractor, 9 remover cases)."""
    assert sum(1 for k, _, _ in CASES if k == "extractor") == 49
    assert sum(1 for k, _, _ in CASES if k == "remover") == 9
    assert "MIT License" in (DATA / "LICENSE").read_text(encoding="utf-8")
