"""Data-driven matching cases (tests/cases/matching.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import resolver

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "matching.yaml").read_text(encoding="utf-8"))


def _params() -> list[Any]:
    out = []
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c.get("comment", ""))] if c.get("expect") == "fail" else []
        out.append(pytest.param(c, id=c["label"], marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_case(case: dict[str, Any], core: resolver.Resolver) -> None:
    text = case["text"]
    found = core.find(text)
    for m in found:
        assert text[m.start : m.end] == m.surface
    got = [[m.surface, m.status, m.entity_id if m.status == "resolved" else list(m.candidates)] for m in found]
    assert got == case["mentions"]
    if "normalized" in case:
        assert core.normalize(text) == case["normalized"]
