"""The spaCy component (optional extra ``resolver[spacy]``), on ``spacy.blank("en")``."""

from __future__ import annotations

from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

import resolver
import resolver.spacy_component

CORE = str(Path(__file__).parent / "data" / "core.yaml")


@pytest.fixture(scope="module")
def nlp() -> object:
    nlp = spacy.blank("en")
    nlp.add_pipe("resolver", config={"glossary": CORE})
    return nlp


def ents(doc: object) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]  # type: ignore[attr-defined]


def test_sets_ents_with_kb_ids_and_type_labels(nlp: object) -> None:
    doc = nlp("The JeM’s chief met [ISI] officers in ISKP-TTP areas of Pakistan.")  # type: ignore[operator]
    assert ents(doc) == [
        ("JeM", "ORGANIZATION", "jaish_e_mohammed"),
        ("ISI", "ORGANIZATION", "isi"),
        ("ISKP", "ORGANIZATION", "iskp"),
        ("TTP", "ORGANIZATION", "ttp"),
        ("Pakistan", "PLACE", "pakistan"),
    ]
    assert [s.text for s in doc.spans["resolver"]] == ["JeM", "ISI", "ISKP", "TTP", "Pakistan"]


def test_uses_resolver_folding_not_token_matching(nlp: object) -> None:
    """A line break and a different spelling inside a name: one entity, the
    same as resolver finds, which spaCy's PhraseMatcher on ORTH/LOWER would miss."""
    text = "Jaish-e\nMuhammad and Jaish-i-Mohammad said"
    doc = nlp(text)  # type: ignore[operator]
    assert ents(doc) == [
        ("Jaish-e\nMuhammad", "ORGANIZATION", "jaish_e_mohammed"),
        ("Jaish-i-Mohammad", "ORGANIZATION", "jaish_e_mohammed"),
    ]
    found = resolver.Resolver(resolver.load_glossary(CORE)).find(text)
    assert [(e.start_char, e.end_char) for e in doc.ents] == [(m.start, m.end) for m in found]


def test_ambiguous_and_unconfirmed_go_to_a_span_group_only(nlp: object) -> None:
    doc = nlp("Azhar spoke. Jaish denied it.")  # type: ignore[operator]
    assert ents(doc) == []
    unresolved = doc.spans["resolver_unresolved"]
    assert [(s.text, s.label_, s.kb_id_) for s in unresolved] == [
        ("Azhar", "AMBIGUOUS", ""),
        ("Jaish", "UNCONFIRMED", ""),
    ]
    assert unresolved[0]._.resolver_candidates == ("ibrahim_azhar", "masood_azhar")
    assert unresolved[0]._.resolver_status == "ambiguous"
    assert unresolved[1]._.resolver_candidates == ("jaish_e_mohammed",)


def test_document_context_settles_ambiguity(nlp: object) -> None:
    doc = nlp("Masood Azhar spoke. Later Azhar left.")  # type: ignore[operator]
    assert ents(doc) == [("Masood Azhar", "PERSON", "masood_azhar"), ("Azhar", "PERSON", "masood_azhar")]
    assert list(doc.spans["resolver_unresolved"]) == []


def test_mentions_keep_exact_character_offsets(nlp: object) -> None:
    text = "The JeM’s chief and ISPK's men"
    doc = nlp(text)  # type: ignore[operator]
    mentions = doc._.resolver_mentions
    assert [(m["start"], m["end"], m["entity_id"]) for m in mentions] == [(4, 7, "jaish_e_mohammed"), (20, 24, "iskp")]
    assert all(text[m["start"] : m["end"]] == m["surface"] for m in mentions)


def test_expand_alignment_inside_one_token(nlp: object) -> None:
    """spaCy keeps "@JeM" and "JeM+ISI" as single tokens: the span expands to
    the token; two mentions in one token make one entity (the other stays in
    the span group)."""
    doc = nlp("@JeM and JeM+ISI")  # type: ignore[operator]
    assert ents(doc) == [("@JeM", "ORGANIZATION", "jaish_e_mohammed"), ("JeM+ISI", "ORGANIZATION", "jaish_e_mohammed")]
    assert [(s.text, s.kb_id_) for s in doc.spans["resolver"]] == [
        ("@JeM", "jaish_e_mohammed"),
        ("JeM+ISI", "jaish_e_mohammed"),
        ("JeM+ISI", "isi"),
    ]


def _with_ruler(**config: object) -> object:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "ISI officers"}])  # type: ignore[attr-defined]
    nlp.add_pipe("resolver", config={"glossary": CORE, **config})
    return nlp


def test_existing_ents_are_kept_by_default() -> None:
    doc = _with_ruler()("JeM met ISI officers")  # type: ignore[operator]
    assert ents(doc) == [("JeM", "ORGANIZATION", "jaish_e_mohammed"), ("ISI officers", "ORG", "")]
    assert [s.text for s in doc.spans["resolver"]] == ["JeM", "ISI"]  # nothing lost


def test_overwrite_ents() -> None:
    doc = _with_ruler(overwrite_ents=True)("JeM met ISI officers")  # type: ignore[operator]
    assert ents(doc) == [("JeM", "ORGANIZATION", "jaish_e_mohammed"), ("ISI", "ORGANIZATION", "isi")]


def test_span_group_only_and_custom_labels() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe(
        "resolver",
        config={"glossary": [CORE], "set_ents": False, "spans_key": "glossary", "labels": {"organization": "ORG"}},
    )
    doc = nlp("JeM and Pakistan")
    assert ents(doc) == []
    assert [(s.text, s.label_, s.kb_id_) for s in doc.spans["glossary"]] == [
        ("JeM", "ORG", "jaish_e_mohammed"),
        ("Pakistan", "PLACE", "pakistan"),
    ]


def test_pipe_serialization_and_reload(tmp_path: Path, nlp: object) -> None:
    docs = list(nlp.pipe(["JeM said.", "ISI denied."]))  # type: ignore[attr-defined]
    assert [ents(d) for d in docs] == [[("JeM", "ORGANIZATION", "jaish_e_mohammed")], [("ISI", "ORGANIZATION", "isi")]]
    again = spacy.tokens.Doc(nlp.vocab).from_bytes(docs[0].to_bytes())  # type: ignore[attr-defined]
    assert ents(again) == ents(docs[0])
    assert again._.resolver_mentions == docs[0]._.resolver_mentions
    nlp.to_disk(tmp_path / "pipeline")  # type: ignore[attr-defined]
    reloaded = spacy.load(tmp_path / "pipeline")
    assert ents(reloaded("JeM said.")) == [("JeM", "ORGANIZATION", "jaish_e_mohammed")]


def test_bad_glossary_is_a_resolver_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nentities:\n  - {id: x, type: t}\n", encoding="utf-8")
    nlp = spacy.blank("en")
    with pytest.raises(resolver.GlossaryError, match=r"bad\.yaml:3: \[G004\] entity x: missing canonical"):
        nlp.add_pipe("resolver", config={"glossary": str(bad)})


def test_readme_snippet_runs_as_written(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import re

    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Use with spaCy\n", 1)[1].split("\n## ", 1)[0]
    [(lang, code), (out_lang, expected)] = re.findall(r"```(\w+)\n(.*?)```", section, re.DOTALL)
    assert (lang, out_lang) == ("python", "text")
    monkeypatch.chdir(root)
    exec(compile(code, "README.md (Use with spaCy)", "exec"), {"__name__": "readme"})  # noqa: S102  (the README snippet, run as written)
    assert capsys.readouterr().out == expected
