"""The command line, as editors, CI and other programs use it.

Through click's CliRunner (exit code, stdout and stderr checked separately)
and through real subprocesses of ``python -m resolver`` (works without
installing). Reports are validated against their schemas: our own
``resolver/schema/*.schema.json`` and the SARIF 2.1.0 schema.

Provenance of ``tests/data/sarif-2.1.0.json``: the SARIF 2.1.0 JSON schema
("Static Analysis Results Format (SARIF) Version 2.1.0-rtm.5 JSON Schema", the
release schema published by Microsoft and SchemaStore), copied unchanged from
``lib/schemas/sarif-2.1.0-rtm.5.json`` of the npm package
``@microsoft/jest-sarif`` 1.0.0-beta.0 (MIT); sha256 in ``SARIF_SHA256``.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

import resolver
from resolver.cli import main
from resolver.documents import normalize_document
from resolver.report import TSV_COLUMNS, LineIndex, unified_diff

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
CORE = DATA / "core.yaml"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
#: The seed articles are checked with the curated glossary when it is there.
GLOSSARY = ROOT / "aliases.yaml" if (ROOT / "aliases.yaml").is_file() else CORE
SCHEMA_DIR = ROOT / "resolver" / "schema"
SARIF_SHA256 = "2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()


def run(*args: str | Path, input: bytes | str | None = None, glossary: Path | None = CORE) -> Result:
    argv = [str(a) for a in args]
    if glossary is not None:
        argv += ["--glossary", str(glossary)]
    return _runner().invoke(main, argv, input=input, catch_exceptions=False)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESOLVER_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "resolver-cache"))
    monkeypatch.delenv("RESOLVER_GLOSSARY", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    raw = (DATA / "sarif-2.1.0.json").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == SARIF_SHA256, "the vendored SARIF schema was modified"
    schema = json.loads(raw)
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    """A copy of the seed articles (commands must not touch the repo's)."""
    d = tmp_path / "seeds"
    d.mkdir()
    for s in SEEDS:
        (d / s.name).write_bytes(s.read_bytes())
    return d


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


# --------------------------------------------------------------------------
# help


def test_every_command_has_help_with_a_real_example() -> None:
    assert main.commands, "no command registered"
    for name, cmd in main.commands.items():
        help_text = cmd.help or ""
        assert "\b" in help_text and "Example" in help_text, f"{name}: help needs a \\b block with examples"
        examples = [
            ln.strip() for ln in help_text.split("Example", 1)[1].splitlines() if ln.strip().startswith("resolver ")
        ]
        assert any(ln.split()[1] == name for ln in examples), f"{name}: no example line runs 'resolver {name} ...'"
        res = _runner().invoke(main, [name, "--help"])
        assert res.exit_code == 0, name
        assert "Example" in res.stdout and f"resolver {name}" in res.stdout


def test_group_help_documents_the_exit_codes() -> None:
    res = _runner().invoke(main, ["--help"])
    assert res.exit_code == 0
    for cmd in ("normalize", "check", "find", "lookup", "show", "stats"):
        assert cmd in res.stdout
    assert "1  findings" in res.stdout and "4  input is not text" in res.stdout


def test_version_names_the_glossary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESOLVER_GLOSSARY", str(CORE))
    res = _runner().invoke(main, ["--version"])
    assert res.exit_code == 0
    assert resolver.__version__ in res.stdout and str(CORE) in res.stdout


# --------------------------------------------------------------------------
# check


def test_check_text_line_format_and_exit_1(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Intro.\nThe Jaish-e Muhammad said.\n")
    res = run("check", f)
    assert res.exit_code == 1
    assert res.stdout == f'{f}:2:5: found "Jaish-e Muhammad", canonical "Jaish-e-Mohammed" [jaish_e_mohammed]\n'
    assert str(CORE) in res.stderr.splitlines()[0]  # the glossary header
    assert "1 to fix" in res.stderr


def test_check_clean_exit_0(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Jaish-e-Mohammed and the Inter-Services Intelligence.\n")
    res = run("check", f)
    assert (res.exit_code, res.stdout) == (0, "")
    assert "clean" in res.stderr


def test_check_names_spelling_rules(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Jaish-i-Mohamad")
    res = run("check", f)
    assert res.exit_code == 1
    assert 'found "Jaish-i-Mohamad", canonical "Jaish-e-Mohammed" [jaish_e_mohammed] (spelling rules: ' in res.stdout
    assert "Mohammed-class" in res.stdout and "e/i connector" in res.stdout


def test_check_ambiguous_is_a_warning_with_candidates(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Azhar spoke.")
    res = run("check", f)
    assert res.exit_code == 1
    assert res.stdout.startswith(
        f'{f}:1:1: warning: ambiguous "Azhar": could be ibrahim_azhar ("Ibrahim Azhar"), masood_azhar ("Masood Azhar")'
    )
    assert run("check", "--fail-on", "error", f).exit_code == 0


def test_check_unconfirmed_weak_alias_is_info(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Jaish claimed it.")
    res = run("check", f)
    assert res.exit_code == 0
    assert (
        res.stdout
        == f'{f}:1:1: info: unconfirmed "Jaish": weak alias of jaish_e_mohammed ("Jaish-e-Mohammed"), not named in full earlier in the document\n'
    )
    assert run("check", "--fail-on", "info", f).exit_code == 1


def test_check_style_agrees_with_normalize(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "JeM said. Jaish-e Muhammad denied.")
    res = run("check", "--style", "keep-short", f)
    assert res.exit_code == 1
    assert [ln.split(": ", 1)[1] for ln in res.stdout.splitlines()] == [
        'found "Jaish-e Muhammad", canonical "Jaish-e-Mohammed" [jaish_e_mohammed]'
    ]


def test_check_line_col_count_characters_after_bom_and_crlf(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "\ufeffÉté\r\nLe JeM".encode("utf-8"))
    res = run("check", f)
    assert res.stdout.startswith(f'{f}:2:4: found "JeM"')


def test_check_json_and_jsonl_validate(tmp_path: Path, seeds: Path) -> None:
    v = validator("check.schema.json")
    res = run("check", "-r", seeds, "--format", "json", glossary=GLOSSARY)
    doc = json.loads(res.stdout)
    v.validate(doc)
    assert doc["glossary"]["paths"] == [str(GLOSSARY)] and doc["version"] == 1
    assert len(doc["files"]) == len(SEEDS)
    assert res.exit_code == (1 if doc["summary"]["error"] + doc["summary"]["warning"] else 0)
    lines = run("check", "-r", seeds, "--format", "jsonl", glossary=GLOSSARY).stdout.splitlines()
    recs = [json.loads(ln) for ln in lines]
    for r in recs:
        v.validate(r)
    assert recs[0]["record"] == "header" and recs[0]["glossary"] == doc["glossary"]
    assert [{k: v for k, v in r.items() if k != "record"} for r in recs[1:]] == doc["findings"]
    for f in doc["findings"]:  # every offset indexes the decoded text
        text = resolver.textio.read_text(f["path"]).text
        assert text[f["mention"]["start"] : f["mention"]["end"]] == f["mention"]["surface"]
        assert LineIndex(text).position(f["start"]) == (f["line"], f["column"])


def test_unknown_json_and_jsonl_validate(seeds: Path) -> None:
    """unknown --format json/jsonl against resolver/schema/unknown.schema.json;
    every position indexes its file's decoded text."""
    v = validator("unknown.schema.json")
    doc = json.loads(run("unknown", "-r", seeds, "--format", "json", glossary=GLOSSARY).stdout)
    v.validate(doc)
    assert doc["terms"] and len(doc["files"]) == len(SEEDS)
    assert doc["summary"]["terms"] == len(doc["terms"])
    recs = [json.loads(ln) for ln in run("unknown", "-r", seeds, "--format", "jsonl", glossary=GLOSSARY).stdout.splitlines()]
    for r in recs:
        v.validate(r)
    assert [{k: x for k, x in r.items() if k != "record"} for r in recs] == doc["terms"]
    with pytest.raises(jsonschema.ValidationError):
        v.validate({**doc["terms"][0], "record": "term", "classification": "maybe"})
    for t in doc["terms"]:
        for fc in t["files"]:
            text = resolver.textio.read_text(fc["path"]).text
            for p in fc["positions"]:
                assert text[p["start"] : p["end"]] == p["surface"] and p["surface"] in t["surfaces"]
                assert LineIndex(text).position(p["start"]) == (p["line"], p["column"])


def test_check_sarif_validates_against_sarif_2_1_0(
    seeds: Path, sarif_validator: jsonschema.protocols.Validator
) -> None:
    write(seeds / "sub" / "image.txt", b"\x89PNG\x00\x00")  # skipped: a notification
    res = run("check", "-r", seeds, "--format", "sarif", glossary=GLOSSARY)
    log = json.loads(res.stdout)
    sarif_validator.validate(log)
    run_ = log["runs"][0]
    assert run_["properties"]["glossary"]["paths"] == [str(GLOSSARY)]
    assert run_["columnKind"] == "unicodeCodePoints"
    assert len(run_["artifacts"]) == len(SEEDS)
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == [
        (seeds / "sub" / "image.txt").as_uri()
    ]
    for r in run_["results"]:
        if r["ruleId"] == "non-canonical":
            (change,) = r["fixes"][0]["artifactChanges"]
            assert change["replacements"][0]["insertedContent"]["text"]


def test_check_sarif_small_file_details(tmp_path: Path, sarif_validator: jsonschema.protocols.Validator) -> None:
    f = write(tmp_path / "a b.txt", "x\nThe JeM; Azhar.\n")
    log = json.loads(run("check", "--format", "sarif", f).stdout)
    sarif_validator.validate(log)
    fix, amb = log["runs"][0]["results"]
    region = fix["locations"][0]["physicalLocation"]["region"]
    assert (fix["ruleId"], fix["level"], region["startLine"], region["startColumn"], region["endColumn"]) == (
        "non-canonical",
        "error",
        2,
        5,
        8,
    )
    assert fix["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("a%20b.txt")
    assert (amb["ruleId"], amb["level"]) == ("ambiguous", "warning")
    assert amb["properties"]["candidates"] == ["ibrahim_azhar", "masood_azhar"]
    assert all("why" not in r["properties"] for r in log["runs"][0]["results"])
    explained = json.loads(run("check", "--format", "sarif", "--explain", f).stdout)
    sarif_validator.validate(explained)
    fix_why = explained["runs"][0]["results"][0]["properties"]["why"]
    assert fix_why == json.loads(run("check", "--format", "json", "--explain", f).stdout)["findings"][0]["why"]
    assert fix_why["alias"] == "JeM"


def test_check_github_annotations(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Jaish, Azhar,\nJeM 100%")
    res = run("check", "--format", "github", f)
    assert res.stdout.splitlines() == [
        f'::notice file={f},line=1,col=1,endLine=1,endColumn=6,title=resolver unconfirmed::unconfirmed "Jaish": weak alias of jaish_e_mohammed ("Jaish-e-Mohammed"), not named in full earlier in the document',
        f'::warning file={f},line=1,col=8,endLine=1,endColumn=13,title=resolver ambiguous::ambiguous "Azhar": could be ibrahim_azhar ("Ibrahim Azhar"), masood_azhar ("Masood Azhar"); shared alias; no candidate named earlier',
        f'::error file={f},line=2,col=1,endLine=2,endColumn=4,title=resolver non-canonical::found "JeM", canonical "Jaish-e-Mohammed" [jaish_e_mohammed]',
    ]
    assert str(CORE) in res.stderr


def test_github_escapes_commas_colons_and_percent_in_properties(tmp_path: Path) -> None:
    f = write(tmp_path / "a,b:100%.txt", "JeM")
    line = run("check", "--format", "github", f).stdout
    assert f"file={str(f).replace('%', '%25').replace(':', '%3A').replace(',', '%2C')},line=1," in line


def test_check_stdin_with_a_name(tmp_path: Path) -> None:
    res = run("check", "--stdin-filename", "draft.md", "-", input="The JeM.")
    assert res.exit_code == 1
    assert res.stdout.startswith('draft.md:1:5: found "JeM"')


def test_no_colour_when_piped_or_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from resolver.cli._inputs import use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    assert use_color(Tty())  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(Tty())  # type: ignore[arg-type]
    monkeypatch.delenv("NO_COLOR")
    assert not use_color(sys.stdout) or sys.stdout.isatty()


def test_text_output_has_no_escape_codes_when_piped(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "JeM, Azhar")
    assert "\x1b[" not in run("check", f).stdout


def test_color_always_and_never(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--color always colours a piped report (for less -R), whatever
    NO_COLOR says; --color never does not colour, even on a terminal."""
    from resolver.cli._inputs import use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    assert not use_color(Tty(), "never")  # type: ignore[arg-type]
    f = write(tmp_path / "a.txt", "JeM, Azhar and Pak Army met Ghulam Rasool Qadri.")
    monkeypatch.setenv("NO_COLOR", "1")
    for cmd in ("check", "unknown"):
        always, never = run(cmd, "--color", "always", f), run(cmd, "--color", "never", f)
        assert "\x1b[" in always.stdout and "\x1b[" not in never.stdout, cmd
        assert click.unstyle(always.stdout) == never.stdout, cmd


# --------------------------------------------------------------------------
# find


def _find_json(*paths: Path | str, glossary: Path = GLOSSARY, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    res = run("find", *paths, "--format", "json", *extra, glossary=glossary)
    assert res.exit_code == 0, res.stderr
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def test_find_json_validates_and_indexes_the_text(seeds: Path) -> None:
    v = validator("find.schema.json")
    doc = _find_json("-r", seeds)
    v.validate(doc)
    assert (doc["format"], doc["version"], doc["glossary"]["paths"]) == ("resolver-find", 1, [str(GLOSSARY)])
    assert [f["path"] for f in doc["files"]] == [str(seeds / s.name) for s in SEEDS]
    assert doc["mentions"], "the seed articles mention glossary entities"
    texts = {p: p_text for p, p_text in ((str(seeds / s.name), s.read_text(encoding="utf-8")) for s in SEEDS)}
    r = resolver.Resolver(resolver.load_glossary(GLOSSARY))
    expected = [m.to_dict() for s in SEEDS for m in r.find(texts[str(seeds / s.name)])]
    assert [
        {k: v for k, v in m.items() if k not in ("path", "line", "column", "end_line", "end_column")}
        for m in doc["mentions"]
    ] == expected
    for m in doc["mentions"]:
        text = texts[m["path"]]
        assert text[m["start"] : m["end"]] == m["surface"]
        idx = LineIndex(text)
        assert idx.position(m["start"]) == (m["line"], m["column"])
        assert idx.position(m["end"]) == (m["end_line"], m["end_column"])


def test_find_jsonl_and_tsv_carry_the_same_mentions(seeds: Path) -> None:
    v = validator("find.schema.json")
    doc = _find_json("-r", seeds)
    lines = run("find", "-r", seeds, "--format", "jsonl", glossary=GLOSSARY).stdout.splitlines()
    recs = [json.loads(ln) for ln in lines]
    for rec in recs:
        v.validate(rec)
    assert recs[0]["record"] == "header" and recs[0]["version"] == 1 and recs[0]["glossary"] == doc["glossary"]
    assert [{k: v for k, v in r.items() if k != "record"} for r in recs if r["record"] == "mention"] == doc["mentions"]
    assert [{k: v for k, v in r.items() if k != "record"} for r in recs if r["record"] == "file"] == doc["files"]
    res = run("find", "-r", seeds, "--format", "tsv", glossary=GLOSSARY)
    rows = [ln.split("\t") for ln in res.stdout.splitlines()]
    assert rows[0] == list(TSV_COLUMNS)
    assert len(rows) - 1 == len(doc["mentions"])
    for row, m in zip(rows[1:], doc["mentions"]):
        assert all(len(r) == len(TSV_COLUMNS) for r in rows)
        cell = dict(zip(TSV_COLUMNS, row))
        assert (cell["path"], int(cell["start"]), cell["status"], cell["candidates"]) == (
            m["path"],
            m["start"],
            m["status"],
            "|".join(m["candidates"]),
        )
    assert str(GLOSSARY) in res.stderr


def test_find_tsv_escapes_tabs_and_newlines(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "The Jaish-e\nMuhammad said.")
    res = run("find", "--format", "tsv", f)
    row = dict(zip(TSV_COLUMNS, res.stdout.splitlines()[1].split("\t")))
    assert row["surface"] == "Jaish-e\\nMuhammad" and (row["line"], row["end_line"]) == ("1", "2")


def test_find_reports_skipped_files_as_problems(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "JeM")
    write(tmp_path / "d" / "b.txt", b"\x00\x01")
    doc = _find_json("-r", tmp_path / "d", glossary=CORE)
    validator("find.schema.json").validate(doc)
    assert [f["path"] for f in doc["files"]] == [str(tmp_path / "d" / "a.txt")]
    assert doc["problems"] == [
        {"path": str(tmp_path / "d" / "b.txt"), "message": "skipped: not a text file (contains NUL bytes)"}
    ]


def test_find_exit_0_even_with_mentions_and_empty_file(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "")
    doc = _find_json(f, glossary=CORE)
    assert doc["mentions"] == [] and doc["files"][0]["chars"] == 0


# --------------------------------------------------------------------------
# normalize


def test_normalize_stdout_matches_the_library(seeds: Path) -> None:
    r = resolver.Resolver(resolver.load_glossary(GLOSSARY))
    for s in SEEDS:
        res = run("normalize", seeds / s.name, glossary=GLOSSARY)
        assert res.exit_code == 0
        # files are read as documents: a domain name (brighterkashmir.com) is never rewritten
        assert res.stdout == normalize_document(r, s.read_text(encoding="utf-8"), "text")


def test_normalize_stdin_keeps_bom_and_crlf_bytes() -> None:
    data = "\ufeffThe JeM\r\nand ISI.\r\n".encode("utf-8")
    res = run("normalize", "-", input=data)
    assert res.exit_code == 0
    assert res.stdout_bytes == "\ufeffThe Jaish-e-Mohammed\r\nand Inter-Services Intelligence.\r\n".encode("utf-8")


@pytest.mark.parametrize(
    "style,expected",
    [("first-full", "Jaish-e-Mohammed (JeM) said. JeM denied."), ("keep-short", "JeM said. Jaish-e-Mohammed denied.")],
)
def test_normalize_styles(style: str, expected: str) -> None:
    res = run("normalize", "--style", style, "-", input="JeM said. Jaish-e-Mohammad denied.")
    assert res.stdout == expected


def test_normalize_diff(tmp_path: Path) -> None:
    f = write(tmp_path / "d.txt", "one\nThe JeM said\nthree")
    res = run("normalize", "--diff", f)
    assert res.exit_code == 1
    assert res.stdout == unified_diff(str(f), "one\nThe JeM said\nthree", "one\nThe Jaish-e-Mohammed said\nthree")
    assert res.stdout.splitlines()[:2] == [f"--- a/{f}", f"+++ b/{f}"]
    assert "-The JeM said" in res.stdout and "+The Jaish-e-Mohammed said" in res.stdout
    assert f.read_text() == "one\nThe JeM said\nthree"  # --diff never writes
    clean = write(tmp_path / "c.txt", "Nothing here.")
    res = run("normalize", "--diff", clean)
    assert (res.exit_code, res.stdout) == (0, "")


def test_unified_diff_marks_a_missing_final_newline() -> None:
    assert unified_diff("d", "JeM", "Jaish-e-Mohammed").endswith(
        "-JeM\n\\ No newline at end of file\n+Jaish-e-Mohammed\n\\ No newline at end of file\n"
    )


def test_in_place_is_idempotent_and_keeps_mtime_and_mode(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "The JeM and ISI.\n")
    os.chmod(f, 0o640)
    res = run("normalize", "--in-place", f)
    assert res.exit_code == 0 and res.stdout == ""
    assert f.read_text() == "The Jaish-e-Mohammed and Inter-Services Intelligence.\n"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    past = 1_000_000_000_000_000_000
    os.utime(f, ns=(past, past))
    before = f.read_bytes()
    res = run("normalize", "--in-place", f)
    assert res.exit_code == 0
    assert f.read_bytes() == before and f.stat().st_mtime_ns == past
    assert "rewrote 0 of 1 file" in res.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary file left


def test_in_place_crlf_and_bom_round_trip(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "\ufeffJaish-e Muhammad\r\nline two, ISI\r\n".encode("utf-8"))
    assert run("normalize", "-i", f).exit_code == 0
    assert f.read_bytes() == "\ufeffJaish-e-Mohammed\r\nline two, Inter-Services Intelligence\r\n".encode("utf-8")
    g = write(tmp_path / "b.txt", "JeM\n".encode("utf-16"))
    assert run("normalize", "-i", g).exit_code == 0
    assert g.read_bytes() == "Jaish-e-Mohammed\n".encode("utf-16")


def test_in_place_given_encoding(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Café JeM\n".encode("latin-1"))
    res = run("normalize", "-i", f)
    assert res.exit_code == 4 and "--encoding" in res.stderr
    assert run("normalize", "-i", "--encoding", "latin-1", f).exit_code == 0
    assert f.read_bytes() == "Café Jaish-e-Mohammed\n".encode("latin-1")


def test_in_place_read_only_file_is_an_error_and_left_intact(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "The JeM.")
    os.chmod(f, 0o444)
    res = run("normalize", "--in-place", f)
    assert res.exit_code == 2
    assert "read-only" in res.stderr and "Traceback" not in res.stderr
    assert f.read_bytes() == b"The JeM." and stat.S_IMODE(f.stat().st_mode) == 0o444


def test_in_place_follows_symlinks(tmp_path: Path) -> None:
    target = write(tmp_path / "real.txt", "The JeM.")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert run("normalize", "-i", link).exit_code == 0
    assert link.is_symlink() and target.read_text() == "The Jaish-e-Mohammed."


def test_ctrl_c_while_writing_leaves_the_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = write(tmp_path / "a.txt", "The JeM.")

    def interrupted(src: Any, dst: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    res = run("normalize", "-i", f)
    assert res.exit_code == 130 and "interrupted" in res.stderr
    assert f.read_bytes() == b"The JeM."
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_rewrite_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    from resolver.files import Job, Source, rewrite

    f = write(tmp_path / "a.txt", "The JeM.")
    res = Job(resolver.Resolver(resolver.load_glossary(CORE)))(Source(str(f)))
    write(f, "The JeM, edited meanwhile.")
    with pytest.raises(resolver.InputError, match="changed on disk"):
        rewrite(res)
    assert f.read_text() == "The JeM, edited meanwhile."


def test_in_place_and_diff_and_stdin_in_place_are_usage_errors(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "JeM")
    assert run("normalize", "-i", "--diff", f).exit_code == 2
    res = run("normalize", "-i", "-", input="JeM")
    assert res.exit_code == 2 and "standard input" in res.stderr


# --------------------------------------------------------------------------
# files: directories, globs, binary, errors


def test_directory_needs_recursive(tmp_path: Path) -> None:
    write(tmp_path / "d" / "a.txt", "JeM")
    for cmd in ("normalize", "check", "find"):
        res = run(cmd, tmp_path / "d")
        assert res.exit_code == 2, cmd
        assert "is a directory; pass -r/--recursive" in res.stderr and res.stdout == ""


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    res = run("check", tmp_path / "nope.txt")
    assert res.exit_code == 2
    assert res.stderr.strip() == f"resolver: error: {tmp_path / 'nope.txt'}: no such file or directory"


def test_walk_skips_binary_with_a_warning_and_errors_on_named_binary(tmp_path: Path) -> None:
    d = tmp_path / "d"
    write(d / "a.txt", "The JeM.")
    write(d / "blob.dat", b"JeM\x00\x01\x02")
    write(d / "latin.txt", "caf\xe9 JeM".encode("latin-1"))
    write(d / "photo.png", b"\x89PNG JeM")  # not text by its name: silently left out
    write(d / ".hidden.txt", "JeM")
    res = run("check", "-r", d)
    assert res.exit_code == 1
    assert [ln.split(":")[0] for ln in res.stdout.splitlines()] == [str(d / "a.txt")]
    warnings = [ln for ln in res.stderr.splitlines() if "warning" in ln]
    assert warnings == [
        f"resolver: warning: {d / 'blob.dat'}: not a text file (contains NUL bytes) (skipped)",
        f"resolver: warning: {d / 'latin.txt'}: not valid utf-8 (line 1, byte 3); pass --encoding if the file uses another one (skipped)",
    ]
    for name in ("blob.dat", "latin.txt"):
        res = run("check", d / name)
        assert res.exit_code == 4 and "Traceback" not in res.stderr
        assert res.stderr.splitlines()[-2].startswith(f"resolver: error: {d / name}: not ")


def test_named_binary_does_not_stop_the_other_files(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", "The JeM.")
    b = write(tmp_path / "b.bin", b"\x00\x00")
    res = run("check", b, a)
    assert res.exit_code == 4  # the input error wins over findings
    assert res.stdout.startswith(f"{a}:1:5:")


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    d = tmp_path / "d"
    for rel in ("a.txt", "b.md", "old/c.txt", "new/d.txt"):
        write(d / rel, "JeM")
    doc = _find_json("-r", d, glossary=CORE, extra=("--include", "*.txt", "--exclude", "old"))
    assert [Path(f["path"]).relative_to(d).as_posix() for f in doc["files"]] == ["a.txt", "new/d.txt"]
    doc = _find_json("-r", d, glossary=CORE, extra=("--exclude", "*/c.txt", "--exclude", "*.md"))
    assert [Path(f["path"]).relative_to(d).as_posix() for f in doc["files"]] == ["a.txt", "new/d.txt"]


def test_max_size(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "JeM " * 300)
    res = run("check", "--max-size", "1k", f)
    assert res.exit_code == 5 and "--max-size" in res.stderr
    assert "over the 1k limit" in res.stderr  # (a limit under 1M used to read "0 MB")
    assert run("check", "--max-size", "nonsense", f).exit_code == 2


def test_glossary_error_is_exit_3(tmp_path: Path) -> None:
    bad = write(tmp_path / "g.yaml", "version: 1\nentities: [\n")
    f = write(tmp_path / "a.txt", "JeM")
    res = run("check", f, glossary=bad)
    assert res.exit_code == 3 and "[G001]" in res.stderr


def _many_files(d: Path) -> None:
    for i, s in enumerate(SEEDS * 3):
        write(d / f"{i:02d}_{s.name}", s.read_bytes())
    write(d / "zz.bin", b"\x00binary")


@pytest.mark.parametrize(
    "cmd", [("check", "--format", "text"), ("check", "--format", "sarif"), ("find", "--format", "jsonl")]
)
def test_jobs_2_equals_jobs_1(tmp_path: Path, cmd: tuple[str, ...]) -> None:
    _many_files(tmp_path / "d")
    one = run(*cmd, "-r", tmp_path / "d", "--jobs", "1", glossary=GLOSSARY)
    two = run(*cmd, "-r", tmp_path / "d", "--jobs", "2", glossary=GLOSSARY)
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert one.stdout


def test_jobs_2_in_place_equals_jobs_1(tmp_path: Path) -> None:
    _many_files(tmp_path / "a")
    _many_files(tmp_path / "b")
    assert run("normalize", "-i", "-r", tmp_path / "a", "-j", "1").exit_code == 0
    assert run("normalize", "-i", "-r", tmp_path / "b", "-j", "2").exit_code == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()} == {
        p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()
    }


def test_progress_bar_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from resolver.cli import _inputs
    from resolver.files import Job, expand

    _many_files(tmp_path / "d")
    sources = expand([str(tmp_path / "d")], recursive=True)
    job = Job(resolver.Resolver(resolver.load_glossary(CORE)))

    class TtyErr(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = TtyErr()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", err)
    assert len(list(_inputs.run(sources, job, 1, False, "checking", prints=False))) == len(sources)
    assert "checking" in err.getvalue()
    err.truncate(0)
    list(_inputs.run(sources, job, 1, True, "checking", prints=False))  # --quiet
    assert err.getvalue() == ""
    list(_inputs.run(sources, job, 1, False, "checking", prints=True))  # results scroll on the terminal
    assert err.getvalue() == ""


# --------------------------------------------------------------------------
# lookup, show, stats


def test_lookup_found_and_not_found() -> None:
    res = run("lookup", "Jaish-i-Mohamad")
    assert res.exit_code == 0
    assert res.stdout.startswith('"Jaish-i-Mohamad" → jaish_e_mohammed: Jaish-e-Mohammed (organization)')
    assert "spelling rules" in res.stdout
    res = run("lookup", "Jaish Mohamed")
    assert res.exit_code == 1
    assert "not in the glossary; closest entries" in res.stdout and "[jaish_e_mohammed]" in res.stdout
    doc = json.loads(run("lookup", "Azhar", "--format", "json").stdout)
    assert [m["entity_id"] for m in doc["matches"]] == ["ibrahim_azhar", "masood_azhar"]
    assert doc["glossary"]["paths"] == [str(CORE)]
    assert "exact case" in run("lookup", "let").stdout


def test_show_prints_the_entry_as_yaml() -> None:
    res = run("show", "jaish_e_mohammed")
    assert res.exit_code == 0
    assert res.stdout.startswith(f"# {CORE}:")
    data = yaml.safe_load(res.stdout)
    g = resolver.load_glossary(CORE)
    assert data["canonical"] == "Jaish-e-Mohammed" and data["short"] == "JeM"
    assert [a if isinstance(a, str) else a["name"] for a in data["aliases"]] == [
        a.name for a in g["jaish_e_mohammed"].aliases
    ]
    assert run("show", "JeM").stdout == res.stdout  # a spelling naming one entity
    res = run("show", "jaish_e_mohamed")
    assert res.exit_code == 2 and "did you mean jaish_e_mohammed" in res.stderr
    assert "several entities" in run("show", "Azhar").stderr


def test_show_includes_metadata(tmp_path: Path) -> None:
    g = write(
        tmp_path / "g.yaml",
        "version: 1\nentities:\n  - id: jem\n    type: organization\n    canonical: Jaish-e-Mohammed\n"
        "    description: Militant group.\n    sources: [https://example.org/jem]\n",
    )
    data = json.loads(run("show", "jem", "--format", "json", glossary=g).stdout)
    assert data["description"] == "Militant group." and data["sources"] == ["https://example.org/jem"]


def test_stats() -> None:
    doc = json.loads(run("stats", "--format", "json").stdout)
    g = resolver.load_glossary(CORE)
    assert doc["entities"] == len(g) and sum(doc["by_type"].values()) == len(g)
    assert doc["aliases"] == sum(len(e.aliases) for e in g.entities)
    assert doc["ambiguous_aliases"] == 2  # Azhar, Haqqani
    assert doc["weak_aliases"] == 3 and doc["spelling_rules"] == 3
    assert doc["glossary"]["paths"] == [str(CORE)]
    text = run("stats").stdout
    assert text.startswith(f"glossary  {CORE}") and "organization" in text


# --------------------------------------------------------------------------
# a real process: python -m resolver, without installing


def proc(*args: str | Path, input: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("RESOLVER_GLOSSARY", "NO_COLOR")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "resolver", *map(str, args)],
        check=False,
        input=input,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    d = tmp_path_factory.mktemp("seeds")
    for s in SEEDS:
        (d / s.name).write_bytes(s.read_bytes())
    yield d


def test_subprocess_check_sarif_on_the_seeds(seed_dir: Path, sarif_validator: jsonschema.protocols.Validator) -> None:
    p = proc("check", "-r", seed_dir, "--format", "sarif", "-g", GLOSSARY)
    log = json.loads(p.stdout)
    sarif_validator.validate(log)
    assert p.returncode == (1 if log["runs"][0]["results"] else 0)
    assert b"Traceback" not in p.stderr


def test_subprocess_normalize_stdin_to_stdout() -> None:
    p = proc("normalize", "-g", CORE, "-", input="\ufeffThe JeM\r\n".encode("utf-8"))
    assert (p.returncode, p.stdout, p.stderr) == (0, "\ufeffThe Jaish-e-Mohammed\r\n".encode("utf-8"), b"")


def test_subprocess_find_jsonl_validates(seed_dir: Path) -> None:
    v = validator("find.schema.json")
    p = proc("find", "--format", "jsonl", "-g", GLOSSARY, *sorted(seed_dir.iterdir()))
    assert p.returncode == 0
    for line in p.stdout.decode("utf-8").splitlines():
        v.validate(json.loads(line))


def test_subprocess_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    b = write(tmp_path / "b.bin", b"\x00\x01")
    p = proc("check", "-g", CORE, b)
    assert p.returncode == 4
    assert p.stderr.decode().splitlines()[-2:] == [
        f"resolver: error: {b}: not a text file (contains NUL bytes)",
        "resolver: 0 files checked: clean",
    ]
    p = proc("normalize", "-g", CORE, tmp_path)
    assert p.returncode == 2 and b"Traceback" not in p.stderr
    p = proc("lookup", "-g", CORE, "-q", "JeM")
    assert p.returncode == 0 and p.stdout.startswith(b'"JeM" \xe2\x86\x92 jaish_e_mohammed')


def test_subprocess_in_place_diff_then_apply(seed_dir: Path) -> None:
    d = seed_dir.parent / "apply"
    d.mkdir()
    for s in SEEDS:
        (d / s.name).write_bytes(s.read_bytes())
    diff = proc("normalize", "--diff", "-r", d, "-g", GLOSSARY)
    assert diff.returncode in (0, 1)
    applied = proc("normalize", "--in-place", "-r", d, "-g", GLOSSARY, "--jobs", "2")
    assert applied.returncode == 0
    again = proc("normalize", "--diff", "-r", d, "-g", GLOSSARY)
    assert (again.returncode, again.stdout) == (0, b"")
