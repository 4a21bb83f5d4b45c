"""Spelling rules and document context rules on the bundled glossary (issue 3).

Data: ``tests/cases/spelling_variants.yaml`` (variants no entry lists, matched only through a
spelling rule, and near-misses that must not match) and ``tests/cases/ambiguity_texts.yaml``
(news-style texts whose ambiguous and weak short forms are annotated with the outcome the context
rules must give). ``bench/rules_quality.py`` prints the same measures as numbers.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import resolver
from resolver.core import STYLES
from resolver.folding import fold
from resolver.glossary import loads, merge

CASES = Path(__file__).parent / "cases"
SPELLING = yaml.safe_load((CASES / "spelling_variants.yaml").read_text(encoding="utf-8"))
VARIANTS: list[dict[str, Any]] = SPELLING["variants"]
NEGATIVES: list[dict[str, Any]] = SPELLING["negatives"]
TEXTS: list[dict[str, Any]] = yaml.safe_load((CASES / "ambiguity_texts.yaml").read_text(encoding="utf-8"))
OUTCOMES = ("ambiguous", "unconfirmed")

#: Share of the short-form mentions of ambiguity_texts.yaml (known failures left out) that the
#: context rules settle on the annotated entity: 43 of 68 measured when the set was written; the
#: other 25 must stay ambiguous or unconfirmed. Raise it when the set or the rules improve.
SETTLED_FLOOR = 0.632


def _params(cases: list[dict[str, Any]]) -> list[Any]:
    out = []
    for c in cases:
        marks = [pytest.mark.xfail(strict=True, reason=c["reason"])] if c.get("expect") == "fail" else []
        out.append(pytest.param(c, id=c["label"], marks=marks))
    return out


def _regular(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in cases if c.get("expect") != "fail"]


@pytest.fixture(scope="module")
def extended(bundled: resolver.Resolver) -> resolver.Resolver:
    """The bundled glossary plus the test-only entities of ``extended_glossary``."""
    extra = loads(SPELLING["extended_glossary"], "spelling_variants.yaml#extended_glossary")
    return resolver.Resolver(merge(bundled.glossary, extra))


def _outcome(m: resolver.Mention) -> str:
    return m.entity_id if m.status == "resolved" and m.entity_id else m.status


def _is_short_form(r: resolver.Resolver, m: resolver.Mention) -> bool:
    """A mention whose status the document decides: its spelling (after the rules) is a weak
    alias, or an alias shared by several entities."""
    refs = r.matcher.lookup(m.name_surface)
    return len({x.entity_id for x in refs}) > 1 or any(x.weak or x.ambiguous for x in refs)


def _short_forms(r: resolver.Resolver, text: str) -> list[list[str]]:
    return [[m.name_surface, _outcome(m)] for m in r.find(text) if _is_short_form(r, m)]


def _variant_mentions(r: resolver.Resolver, case: dict[str, Any]) -> list[resolver.Mention]:
    start = case["text"].index(case["variant"])
    return [m for m in r.find(case["text"]) if m.start + len(m.title) == start and m.name_surface == case["variant"]]


# ---- the data itself ----------------------------------------------------------------------


def test_case_files_are_large_enough_and_labels_unique() -> None:
    assert len(VARIANTS) >= 60
    assert len(NEGATIVES) >= 15
    assert len(_regular(TEXTS)) >= 20
    labels = [c["label"] for c in VARIANTS + NEGATIVES + TEXTS]
    assert len(labels) == len(set(labels))


def test_variants_are_not_listed_in_the_glossary(bundled: resolver.Resolver) -> None:
    g = bundled.glossary
    listed = {fold(n) for e in g.values() for n in e.names}
    assert [c["variant"] for c in VARIANTS if fold(c["variant"]) in listed] == []


def test_case_files_name_real_entities_and_rules(bundled: resolver.Resolver) -> None:
    g = bundled.glossary
    rules = {r.name for r in g.spelling}
    for c in VARIANTS:
        assert c["entity"] in g, c["label"]
        assert set(c["rules"]) <= rules, c["label"]
        assert c["text"].count(c["variant"]) == 1, c["label"]
    for c in NEGATIVES:
        assert c["not_entity"] in g or c.get("glossary") == "extended", c["label"]
    for c in TEXTS:
        for _, outcome in c["short_forms"]:
            assert outcome in OUTCOMES or outcome in g, (c["label"], outcome)


# ---- spelling variants ----------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(VARIANTS))
def test_variant(case: dict[str, Any], bundled: resolver.Resolver) -> None:
    found = _variant_mentions(bundled, case)
    assert [(m.status, m.entity_id) for m in found] == [("resolved", case["entity"])]
    m = found[0]
    assert m.method == "spelling-rule"
    assert sorted(m.rules) == sorted(case["rules"])


def test_variant_recall(bundled: resolver.Resolver) -> None:
    """Every variant is found as one resolved mention of its entity (known failures included:
    they resolve correctly and only misreport how)."""
    missed = [
        c["label"]
        for c in VARIANTS
        if [(m.status, m.entity_id) for m in _variant_mentions(bundled, c)] != [("resolved", c["entity"])]
    ]
    assert missed == []


@pytest.mark.parametrize("case", _params(NEGATIVES))
def test_negative(case: dict[str, Any], bundled: resolver.Resolver, extended: resolver.Resolver) -> None:
    r = extended if case.get("glossary") == "extended" else bundled
    found = r.find(case["text"])
    assert [m.surface for m in found if m.status == "resolved" and m.entity_id == case["not_entity"]] == []
    if "mentions" in case:
        got = [[m.surface, m.status, m.entity_id if m.status == "resolved" else list(m.candidates)] for m in found]
        assert got == case["mentions"]


def test_extended_glossary_matches_its_own_variants(extended: resolver.Resolver) -> None:
    """The scope negatives fail for the right reason: the same entities do match through a rule
    without a type scope, and by their own names."""
    m = extended.find("Al-Umar Mujahidin fighters in Hafizabad")
    assert [(x.entity_id, x.method, x.rules) for x in m] == [
        ("al_umar_mujahideen", "spelling-rule", ("Mujahideen-class",)),
        ("hafizabad", "canonical", ()),
    ]


# ---- document context --------------------------------------------------------------------


@pytest.mark.parametrize("case", _params(TEXTS))
def test_ambiguity_text(case: dict[str, Any], bundled: resolver.Resolver) -> None:
    assert _short_forms(bundled, case["text"]) == case["short_forms"]


def _tally(r: resolver.Resolver, cases: list[dict[str, Any]]) -> dict[str, int]:
    n = {"total": 0, "correct": 0, "unsettled": 0, "wrong": 0}
    for c in cases:
        got = _short_forms(r, c["text"])
        assert [s for s, _ in got] == [s for s, _ in c["short_forms"]], c["label"]
        for (_, outcome), (_, want) in zip(got, c["short_forms"]):
            n["total"] += 1
            if outcome in OUTCOMES:
                n["unsettled"] += 1
            elif outcome == want:
                n["correct"] += 1
            else:
                n["wrong"] += 1
    return n


def test_no_short_form_is_wrongly_settled(bundled: resolver.Resolver) -> None:
    assert _tally(bundled, _regular(TEXTS))["wrong"] == 0


def test_share_settled_correctly_floor(bundled: resolver.Resolver) -> None:
    n = _tally(bundled, _regular(TEXTS))
    assert n["correct"] / n["total"] >= SETTLED_FLOOR, n


def test_unsettled_short_forms_are_never_rewritten(bundled: resolver.Resolver) -> None:
    for c in TEXTS:
        text = c["text"]
        edits = {(s, e) for s, e, _ in bundled.replacements(text, bundled.find(text))}
        for m in bundled.find(text):
            if m.status != "resolved":
                assert not any(s < m.end and m.start < e for s, e in edits), (c["label"], m.surface)


def test_reasons_name_the_earlier_mention(bundled: resolver.Resolver) -> None:
    text = TEXTS[0]["text"]
    first = text.index("Masood Azhar")
    by_surface = {m.name_surface: m for m in bundled.find(text)}
    assert by_surface["Azhar"].reason == f"ambiguous alias settled by an earlier mention at offset {first}"
    assert by_surface["Jaish"].reason.startswith("weak alias confirmed by an earlier mention at offset")


# ---- context words (an inline glossary: the bundled one declares none) ------------------------

CONTEXT_GLOSSARY = """
version: 1
entities:
  - id: mastung
    type: place
    canonical: Mastung
    aliases:
      - name: Mustang
        case: exact
        context: {near: [district, Balochistan], not_near: [Ford], window: 6}
  - id: dawn
    type: organization
    canonical: Dawn
    aliases:
      - name: Dawn
        case: exact
        context: {near: [Leaks, newspaper], window: 2}
"""


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("A blast in the Mustang district of Balochistan killed four.", [("Mustang", "mastung")]),
        ("He drove a Mustang to Quetta.", []),
        ("A Ford Mustang was parked in the district.", []),
        ("They sold the Mustang. The district office was closed.", []),
        ("The Dawn Leaks inquiry ended in 2017.", [("Dawn", "dawn")]),
        ("The Dawn newspaper refused.", [("Dawn", "dawn")]),
        ("Dawn broke over Kabul.", []),
    ],
    ids=["near", "no-context", "not-near", "sentence-end", "leaks", "newspaper", "the-word"],
)
def test_context_words(text: str, want: list[tuple[str, str]]) -> None:
    r = resolver.Resolver(loads(CONTEXT_GLOSSARY))
    assert [(m.surface, m.entity_id) for m in r.find(text)] == want


# ---- output styles -----------------------------------------------------------------------------

STYLE_EXAMPLES = [
    pytest.param(
        "Lashkar-i-Toiba claimed the attack. LeT denied it; Laskar-e-Taiba later confirmed.",
        {
            "canonical": "Lashkar-e-Taiba claimed the attack. Lashkar-e-Taiba denied it; Lashkar-e-Taiba later confirmed.",
            "first-full": "Lashkar-e-Taiba (LeT) claimed the attack. LeT denied it; LeT later confirmed.",
            "keep-short": "Lashkar-e-Taiba claimed the attack. LeT denied it; Lashkar-e-Taiba later confirmed.",
        },
        id="variants-and-acronym",
    ),
    pytest.param(
        "Tahrik-i-Taliban Pakistan (TTP) attacked. TTP fighters fled.",
        {
            "canonical": "Tehreek-e-Taliban Pakistan (Tehreek-e-Taliban Pakistan) attacked. Tehreek-e-Taliban Pakistan fighters fled.",
            "first-full": "Tehreek-e-Taliban Pakistan (TTP) attacked. TTP fighters fled.",
            "keep-short": "Tehreek-e-Taliban Pakistan (TTP) attacked. TTP fighters fled.",
        },
        id="already-introduced",
    ),
    pytest.param(
        "JEM said on Sunday. Jaysh-e-Mohammed later denied it. JEM fighters left.",
        {
            "canonical": "JEM said on Sunday. Jaish-e-Mohammed later denied it. Jaish-e-Mohammed fighters left.",
            "first-full": "JEM said on Sunday. Jaish-e-Mohammed (JeM) later denied it. JeM fighters left.",
            "keep-short": "JEM said on Sunday. Jaish-e-Mohammed later denied it. JeM fighters left.",
        },
        id="weak-acronym",
    ),
    pytest.param(
        "Harakat-al-Mujahidin (HUM) said. HuM denied.",
        {
            "canonical": "Harkat-ul-Mujahideen (Harkat-ul-Mujahideen) said. Harkat-ul-Mujahideen denied.",
            "first-full": "Harkat-ul-Mujahideen (HuM) said. HuM denied.",
            "keep-short": "Harkat-ul-Mujahideen (HuM) said. HuM denied.",
        },
        id="acronym-case-fixed",
    ),
    pytest.param(
        "Maulana Masoud Azhar spoke. Azhar left; Ibrahim Athar stayed. Azhar wept.",
        {
            "canonical": "Maulana Masood Azhar spoke. Masood Azhar left; Ibrahim Azhar stayed. Azhar wept.",
            "first-full": "Maulana Masood Azhar spoke. Masood Azhar left; Ibrahim Azhar stayed. Azhar wept.",
            "keep-short": "Maulana Masood Azhar spoke. Masood Azhar left; Ibrahim Azhar stayed. Azhar wept.",
        },
        id="no-short-form-and-ambiguous",
    ),
]


@pytest.mark.parametrize(("text", "want"), STYLE_EXAMPLES)
@pytest.mark.parametrize("style", STYLES)
def test_style_examples(text: str, want: dict[str, str], style: Any, bundled: resolver.Resolver) -> None:
    assert bundled.normalize(text, style=style) == want[style]


@pytest.mark.parametrize("style", STYLES)
def test_styles_are_idempotent_on_the_case_texts(style: Any, bundled: resolver.Resolver) -> None:
    texts = [c["text"] for c in TEXTS + VARIANTS + NEGATIVES]
    texts += [str(p.values[0]) for p in STYLE_EXAMPLES]
    changed = []
    for text in texts:
        once = bundled.normalize(text, style=style)
        if bundled.normalize(once, style=style) != once:
            changed.append(text)
    assert changed == []


# ---- the README section ------------------------------------------------------------------------


def _readme_section() -> str:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("\n## Spelling and context rules\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def test_readme_style_table_is_what_normalize_does(bundled: resolver.Resolver) -> None:
    section = _readme_section()
    header = re.search(r"^\| style \| `([^`]+)` \|$", section, re.MULTILINE)
    assert header is not None
    rows = dict(re.findall(r"^\| `([\w-]+)`(?: \(default\))? \| `([^`]+)` \|$", section, re.MULTILINE))
    assert set(rows) == set(STYLES)
    for style, want in rows.items():
        assert bundled.normalize(header.group(1), style=style) == want


def test_readme_example_runs(bundled: resolver.Resolver) -> None:
    block = re.search(r"```python\n(.*?)```", _readme_section(), re.DOTALL)
    assert block is not None
    test = doctest.DocTestParser().get_doctest(block.group(1), {"r": bundled}, "README", None, 0)
    assert test.examples
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_readme_counts_match_the_case_files(bundled: resolver.Resolver) -> None:
    section = " ".join(_readme_section().split())
    regular = _regular(TEXTS)
    n = _tally(bundled, regular)
    assert f"holds {len(VARIANTS)} variant spellings" in section
    assert f"and {len(NEGATIVES)} near-misses" in section
    assert f"holds {len(regular)} multi-paragraph" in section
    assert f"whose {n['total']} short forms" in section
    assert f"{n['correct']}/{n['total']}" in section
    assert f"| short forms wrongly settled | {n['wrong']}/{n['total']} |" in section
