"""``resolver validate``: lint rules, schema/loader agreement, examples,
output formats, pre-commit hooks, ``resolver diff`` — and the bundled glossary.

Every file in ``tests/data/lint/`` is a glossary with a header that says what
it checks: ``# expect: CODE@LINE …`` (or ``none``) lists *every* finding the
file must produce, ``# config: …`` turns on optional rules. ``Lnnn_*.yaml``
shows rule Lnnn firing, ``Lnnn_*_ok.yaml`` the same situation done right;
``Gnnn_*.yaml`` are glossaries the loader rejects.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given

import resolver
from resolver import glossary as glossary_module
from resolver.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, main
from resolver.examples import Example, check_example, run_examples
from resolver.gdiff import blast_radius, diff_glossaries, render_text
from resolver.glossary import dumps, is_acronym
from resolver.lint import LOADER_RULES, RULES, Finding, LintConfig, common_words, fails, lint, lint_texts, render

from .strategies import glossaries

TESTS = Path(__file__).parent
ROOT = TESTS.parent
LINT = TESTS / "data" / "lint"
FIXTURES = sorted(LINT.glob("*.yaml"))
SCHEMA = json.loads((ROOT / "resolver" / "schema" / "glossary.schema.json").read_text(encoding="utf-8"))


def _header(path: Path) -> tuple[list[str], LintConfig]:
    text = path.read_text(encoding="utf-8")
    expect = re.search(r"^# expect: (.*)$", text, re.MULTILINE)
    assert expect, f"{path.name} has no '# expect:' line"
    config = re.search(r"^# config: (.*)$", text, re.MULTILINE)
    flags = config.group(1).split() if config else []
    return [x for x in expect.group(1).split() if x != "none"], LintConfig(**{f: True for f in flags})


# --------------------------------------------------------------------------
# One fixture per rule, positive and negative


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture(path: Path) -> None:
    expected, config = _header(path)
    findings = lint([path], config)
    assert [f"{f.code}@{f.line}" for f in findings] == expected, render(findings)
    for f in findings:
        assert f.path == str(path) and f.col is not None and f.col >= 1
        assert f.severity == (RULES.get(f.code) or LOADER_RULES[f.code]).severity
        assert f.hint and "\n" not in f.hint


def test_every_rule_has_a_positive_and_a_negative_fixture() -> None:
    for code in RULES:
        pos = [p for p in FIXTURES if p.stem.startswith(code) and not p.stem.endswith("_ok")]
        neg = [p for p in FIXTURES if p.stem.startswith(code) and p.stem.endswith("_ok")]
        assert pos and neg, f"{code} needs tests/data/lint/{code}_*.yaml and {code}_*_ok.yaml"
        assert all(any(x.startswith(code + "@") for x in _header(p)[0]) for p in pos)
        assert all(not _header(p)[0] for p in neg)


def test_every_loader_code_is_a_rule_with_a_fixture() -> None:
    documented = set(re.findall(r"^(G\d{3})\s", glossary_module.__doc__ or "", re.MULTILINE))
    assert documented == set(LOADER_RULES)
    for code in documented:
        assert any(p.stem.startswith(code) for p in FIXTURES), f"no fixture for {code}"


def test_finding_points_at_the_alias() -> None:
    text = "version: 1\nentities:\n  - {id: swat, type: place, canonical: Swat Valley, aliases: [Mingora, Swat]}\n"
    (f,) = [f for f in lint_texts({"g.yaml": text}) if f.code == "L005"]
    assert text.splitlines()[f.line - 1][f.col - 1 :].startswith("Swat]")


def test_exact_case_alias_shadowed_by_a_case_insensitive_one() -> None:
    # "LeT" (exact) is matched by another entity's case-insensitive "Let" too.
    text = """\
version: 1
entities:
  - {id: lashkar_e_taiba, type: organization, canonical: Lashkar-e-Taiba, aliases: [{name: LeT, ambiguous: true}]}
  - {id: let_industries, type: organization, canonical: Let Industries, aliases: [{name: Let, case: insensitive}]}
"""
    codes = [(f.code, f.entity_id) for f in lint_texts({"g.yaml": text}) if f.code == "L001"]
    assert codes == [("L001", "let_industries")]


def test_exact_case_acronyms_that_differ_in_case_do_not_collide() -> None:
    text = """\
version: 1
entities:
  - {id: jaish_e_mohammed, type: organization, canonical: Jaish-e-Mohammed, aliases: [JeM]}
  - {id: jem_sudan, type: organization, canonical: Justice and Equality Movement Sudan, aliases: [JEM]}
"""
    assert [f.code for f in lint_texts({"g.yaml": text})] == []


def test_collisions_across_merged_files_name_both_files(tmp_path: Path) -> None:
    base = tmp_path / "house.yaml"
    extra = tmp_path / "project.yaml"
    base.write_text(
        "version: 1\nentities:\n  - {id: masood_azhar, type: person, canonical: Masood Azhar, aliases: [Azhar]}\n"
    )
    extra.write_text(
        "version: 1\nentities:\n  - {id: ibrahim_azhar, type: person, canonical: Ibrahim Azhar, aliases: [Azhar]}\n"
    )
    found = [f for f in lint([base, extra]) if f.code == "L001"]
    assert [(Path(f.path).name, f.entity_id) for f in found] == [
        ("house.yaml", "masood_azhar"),
        ("project.yaml", "ibrahim_azhar"),
    ]
    assert str(extra) in found[0].message and str(base) in found[1].message


def test_loader_error_is_a_finding_with_its_location() -> None:
    (f,) = lint([LINT / "G003_unknown_key.yaml"])
    assert (f.code, f.severity, f.line, f.col, f.entity_id) == ("G003", "error", 8, 5, "taliban")
    assert "did you mean 'aliases'" in f.message


def test_missing_file_is_a_g001_finding(tmp_path: Path) -> None:
    (f,) = lint([tmp_path / "nope.yaml"])
    assert f.code == "G001" and "cannot read" in f.message


def test_word_list() -> None:
    words = common_words()
    assert {"let", "bagh", "swat", "mustang", "dawn", "state", "army"} <= words
    assert not {"haqqani", "jaish-e-mohammed", "pakistan", "karachi"} & words
    assert all(w == w.casefold() and " " not in w for w in words)


@given(glossaries())
def test_names_declared_ambiguous_everywhere_never_collide(g: resolver.Glossary) -> None:
    """Metamorphic: mark every name of every entity ambiguous and no
    collision is reported; whatever is reported points inside the file."""
    ents = []
    for e in g.entities:
        aliases = [replace(a, ambiguous=True) for a in e.aliases]
        if all(a.name != e.canonical for a in e.aliases):
            aliases.append(
                resolver.Alias(e.canonical, case="exact" if is_acronym(e.canonical) else "insensitive", ambiguous=True)
            )
        ents.append(replace(e, aliases=tuple(aliases)))
    text = dumps(resolver.Glossary(tuple(ents)))
    findings = lint_texts({"g.yaml": text}, LintConfig(layout=False))
    assert not [f for f in findings if f.code in ("L001", "L002", "L012")], render(findings)
    lines = text.splitlines()
    for f in findings:
        assert (
            f.line is not None
            and f.col is not None
            and 1 <= f.line <= len(lines)
            and 1 <= f.col <= len(lines[f.line - 1])
        )


# --------------------------------------------------------------------------
# Examples


def test_examples_run_against_the_whole_glossary(core: resolver.Resolver) -> None:
    ok = [
        Example("lashkar_e_taiba", 0, "LeT cadres", "normalized", "Lashkar-e-Taiba cadres"),
        Example("masood_azhar", 0, "Azhar spoke", "ambiguous"),
        Example("iskp", 0, "IS-K claimed it", "ambiguous"),  # a weak alias, not confirmed: unsettled
        Example("lashkar_e_taiba", 0, "let them", "no_match"),
    ]
    assert [check_example(core, x) for x in ok] == [None] * 4
    bad = check_example(core, Example("masood_azhar", 0, "Masood Azhar. Azhar spoke", "ambiguous"))
    assert (
        bad
        == "expected a mention left unsettled with masood_azhar among its candidates; found 'Masood Azhar' at 0 (resolved masood_azhar); 'Azhar' at 14 (resolved masood_azhar)"
    )


def test_run_examples_reports_malformed_ones() -> None:
    g = resolver.loads("""\
version: 1
entities:
  - id: taliban
    type: organization
    canonical: Taliban
    examples: [{text: "the taliban", normalized: "the Taliban"}, {text: "x", ambiguous: false}, "just text"]
""")
    run = run_examples(g)
    assert run.passed == 1 and not run.failures
    assert [(p.index, p.message) for p in run.problems] == [
        (1, "ambiguous must be true"),
        (2, "an example must be a mapping with text and normalized, ambiguous: true or no_match: true"),
    ]


# --------------------------------------------------------------------------
# Schema and loader agree

#: Fixtures the loader rejects for a reason JSON Schema cannot express.
LOADER_ONLY = {
    "G006_duplicate_id": "uniqueness of a field across list items",
    "G007_empty_name": "a name that folds to nothing (Unicode folding)",
    "G008_anchor": "anchors are resolved before the schema sees the data",
    "G010_short_not_a_name": "one field compared with another",
    "G011_undeclared_type": "a value compared with the top-level types list",
    "G012_alias_twice": "uniqueness of names across list items",
}


def _schema_verdict(path: Path) -> bool:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return False
    return not list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))


def _loader_verdict(path: Path) -> bool:
    """Accepted by the loader, with metadata in the shape the linter checks."""
    return not any(
        f.code.startswith("G") or f.code == "L014" for f in lint([path], LintConfig(examples=False, layout=False))
    )


def test_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["version"] == {
        "const": 1,
        "description": SCHEMA["properties"]["version"]["description"],
    }


@pytest.mark.parametrize("path", [*FIXTURES, TESTS / "data" / "core.yaml", ROOT / "aliases.yaml"], ids=lambda p: p.stem)
def test_schema_agrees_with_loader(path: Path) -> None:
    loader, schema = _loader_verdict(path), _schema_verdict(path)
    if path.stem in LOADER_ONLY:
        assert (loader, schema) == (False, True), f"{path.stem}: {LOADER_ONLY[path.stem]}"
    else:
        assert schema == loader


# --------------------------------------------------------------------------
# Output formats and the command line


def _sample() -> list[Finding]:
    return [
        Finding("L001", "error", "alias 'Azhar' is shared", "mark it ambiguous", "g.yaml", 8, 15, "ibrahim_azhar"),
        Finding("L011", "warning", "not in canonical layout", "run `resolver fmt g.yaml`", "g.yaml", 5, 3),
    ]


def test_render_json_and_sarif() -> None:
    data = json.loads(render(_sample(), "json"))
    assert (data["errors"], data["warnings"]) == (1, 1)
    assert data["findings"][0] == {
        "code": "L001",
        "rule": "shared-alias",
        "severity": "error",
        "path": "g.yaml",
        "line": 8,
        "col": 15,
        "entity_id": "ibrahim_azhar",
        "message": "alias 'Azhar' is shared",
        "hint": "mark it ambiguous",
    }
    sarif = json.loads(render(_sample(), "sarif"))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    first = run["results"][0]
    assert rules[first["ruleIndex"]]["id"] == first["ruleId"] == "L001"
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "g.yaml"},
        "region": {"startLine": 8, "startColumn": 15},
    }


def test_render_github_escapes() -> None:
    f = Finding("L005", "warning", "50% of: a\nb", "x", "dir,1/g:a.yaml", 2, 3)
    assert (
        render([f], "github")
        == "::warning file=dir%2C1/g%3Aa.yaml,line=2,col=3,title=L005 common-word::50%25 of: a%0Ab. Fix: x"
    )


def test_fails() -> None:
    err, warn = _sample()
    assert fails([err]) and not fails([warn]) and fails([warn], strict=True) and not fails([], strict=True)


def test_cli_validate_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = LINT / "L011_layout_ok.yaml"
    r = runner.invoke(main, ["validate", str(clean)])
    assert (r.exit_code, r.stdout, r.stderr) == (EXIT_OK, "no problems found (1 file checked)\n", "")
    warn = LINT / "L011_layout.yaml"
    assert runner.invoke(main, ["validate", str(warn)]).exit_code == EXIT_OK
    r = runner.invoke(main, ["validate", "--strict", str(warn)])
    assert r.exit_code == EXIT_FINDINGS and "[L011]" in r.stdout and "1 warning" in r.stdout
    r = runner.invoke(main, ["validate", str(LINT / "L001_shared_alias.yaml"), "-f", "json"])
    assert r.exit_code == EXIT_FINDINGS and json.loads(r.stdout)["findings"][0]["code"] == "L001"
    r = runner.invoke(main, ["validate", str(LINT / "G003_unknown_key.yaml")])
    assert r.exit_code == EXIT_FINDINGS and r.stdout.startswith(
        f"{LINT / 'G003_unknown_key.yaml'}:8:5: error [G003] entity taliban:"
    )
    r = runner.invoke(main, ["validate", str(tmp_path / "missing.yaml")])
    assert r.exit_code == EXIT_USAGE and r.stdout == ""
    r = runner.invoke(main, ["validate", "--require-sources", str(LINT / "L009_missing_sources.yaml")])
    assert r.exit_code == EXIT_FINDINGS and "[L009]" in r.stdout


def test_cli_validate_defaults_to_the_discovered_glossary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(LINT / "L001_shared_alias.yaml", tmp_path / "aliases.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RESOLVER_GLOSSARY", raising=False)
    r = CliRunner().invoke(main, ["validate"])
    assert r.exit_code == EXIT_FINDINGS and r.stdout.startswith(f"{tmp_path / 'aliases.yaml'}:8:15: error [L001]")


# --------------------------------------------------------------------------
# pre-commit hooks: every entry point runs


def _hooks() -> list[dict[str, Any]]:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("hook", _hooks(), ids=lambda h: h["id"])
def test_pre_commit_hook_entry_points(hook: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prog, *args = hook["entry"].split()
    assert prog == "resolver" and hook["language"] == "python"
    assert args[0] in main.commands, f"hook {hook['id']} runs `resolver {args[0]}`, which does not exist"
    glossary = tmp_path / "aliases.yaml"
    shutil.copy(LINT / "L011_layout_ok.yaml", glossary)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("RESOLVER_GLOSSARY", raising=False)
    runner = CliRunner()
    if "files" in hook:  # a glossary hook: passes on a clean glossary, fails on a bad one
        assert re.search(hook["files"], "config/aliases.yaml") and not re.search(hook["files"], "notes.yaml")
        assert runner.invoke(main, [*args, str(glossary)]).exit_code == EXIT_OK
        shutil.copy(LINT / "L011_layout.yaml", glossary)
        assert runner.invoke(main, [*args, str(glossary)]).exit_code == EXIT_FINDINGS
    else:  # a drafts hook: passes on a clean draft, fails on a variant spelling
        draft = tmp_path / "draft.txt"
        draft.write_text("The Taliban and the Tehreek-e-Taliban Pakistan.\n", encoding="utf-8")
        assert runner.invoke(main, [*args, str(draft)]).exit_code == EXIT_OK
        draft.write_text("The Tehrik-i-Taliban Pakistan.\n", encoding="utf-8")
        assert runner.invoke(main, [*args, str(draft)]).exit_code == EXIT_FINDINGS


# --------------------------------------------------------------------------
# resolver diff: the blast radius of a hand-made change on the seeds


def test_diff_corpus_on_the_seeds(tmp_path: Path) -> None:
    old_path = TESTS / "data" / "core.yaml"
    text = old_path.read_text(encoding="utf-8")
    changed = text.replace(
        "aliases: [ISKP, ISPK, {name: IS-K, weak: true}]", "aliases: [ISKP, {name: IS-K, weak: true}]"
    )
    changed = changed.replace("{name: JEM, weak: true}", "{name: JEM, weak: true, ambiguous: true}")
    changed += "  - {id: justice_and_equality_movement, type: organization, canonical: Justice and Equality Movement, aliases: [{name: JEM, ambiguous: true}]}\n"
    assert changed.count("ISPK") == 0 and "justice_and" in changed
    new_path = tmp_path / "new.yaml"
    new_path.write_text(changed, encoding="utf-8")
    old, new = resolver.load_glossary(old_path), resolver.load_glossary(new_path)

    d = diff_glossaries(old, new)
    assert [e.id for e in d.added] == ["justice_and_equality_movement"] and not d.removed and not d.moved
    assert {(c.id, c.aliases_removed, c.aliases_changed) for c in d.changed} == {
        ("iskp", ("ISPK",), ()),
        ("jaish_e_mohammed", (), ("JEM",)),
    }

    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    docs = [resolver.textio.read_text(p) for p in seeds]
    changes = blast_radius(resolver.Resolver(old), resolver.Resolver(new), docs)
    ispk = [c for c in changes if c.surface == "ISPK"]
    assert len(ispk) == sum(len(re.findall(r"\bISPK\b", doc.text)) for doc in docs) > 0
    assert all(c.old is not None and c.old.entity_id == "iskp" and c.new is None for c in ispk)
    jem = [c for c in changes if c.surface == "JEM"]
    assert jem and all(c.new is not None and "justice_and_equality_movement" in c.new.candidates for c in jem)
    assert {c.surface for c in changes} == {"ISPK", "JEM"}
    for c in changes:
        doc = next(d for d in docs if d.path == c.path)
        line = doc.text.splitlines()[c.line - 1]
        assert line[c.col - 1 :].startswith(c.surface)
    assert f"corpus: 5 documents, {len(changes)} mentions read differently" in render_text(d, changes, len(docs))

    r = CliRunner().invoke(main, ["diff", str(old_path), str(new_path), "--corpus", str(ROOT / "seeds")])
    assert r.exit_code == EXIT_FINDINGS
    assert "  + justice_and_equality_movement (organization) 'Justice and Equality Movement'" in r.stdout
    assert "  ~ iskp: aliases -'ISPK'" in r.stdout
    r = CliRunner().invoke(main, ["diff", str(old_path), str(old_path), "--corpus", str(ROOT / "seeds"), "-f", "json"])
    assert r.exit_code == EXIT_OK and json.loads(r.stdout)["corpus"] == {"documents": 5, "changes": []}


# --------------------------------------------------------------------------
# The bundled glossary


def test_bundled_glossary_is_clean() -> None:
    """The bundled aliases.yaml passes what CI asks of every glossary change:
    `resolver validate --strict --require-examples` (no error, no warning,
    every example passing, an example for every acronym and ambiguous alias)
    and `resolver fmt --check` (canonical layout)."""
    path = ROOT / "aliases.yaml"
    assert path.is_file(), "the bundled glossary aliases.yaml is missing"
    runner = CliRunner()
    r = runner.invoke(main, ["validate", "--strict", "--require-examples", str(path)])
    assert r.exit_code == EXIT_OK, r.stdout
    r = runner.invoke(main, ["fmt", "--check", str(path)])
    assert r.exit_code == EXIT_OK, r.stdout + r.stderr
    assert "yaml-language-server: $schema=" in path.read_text(encoding="utf-8").split("\nversion:")[0]
