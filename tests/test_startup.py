"""Start-up (issue 4): ``resolver check small.md`` imports only what it needs.

No timing is asserted (bench/startup.py measures it). What is asserted is
behaviour that makes start-up fast and that a change could silently undo:

* which modules a warm ``check`` of the benchmark's document imports, in a
  fresh interpreter (no PyYAML, no markdown-it, no other command's modules…),
  and that the probe does see them when they are needed;
* that a command is found without importing every command module, and that
  :data:`resolver.cli.COMMAND_MODULES` names the module of every command;
* that reading plain Markdown without markdown-it
  (:func:`resolver.documents._plain_blocks`) gives exactly the layout
  markdown-it gives, on the seed articles, the document cases and random
  documents.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.startup import MARKDOWN_HEAD, small_document
from resolver import documents
from resolver.cli import COMMAND_MODULES, main

ROOT = Path(__file__).parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "documents" / "cases.yaml").read_text(encoding="utf-8"))

# A fresh interpreter runs the command as the console script does and writes
# down the modules it imported (those imported by `site` before it excluded).
PROBE = """
import os, sys
before = set(sys.modules)
from resolver.cli import main
code = main(sys.argv[1:], prog_name="resolver", standalone_mode=False)
with open(os.environ["PROBE_OUT"], "w", encoding="utf-8") as fh:
    fh.write(repr((code, sorted(set(sys.modules) - before))))
"""

#: Never imported by a warm `check` of the benchmark's document (or the same text as .txt).
NOT_FOR_CHECK: tuple[str, ...] = (
    "yaml",
    "markdown_it",
    "mdurl",
    "rapidfuzz",
    "ruamel",
    "json",
    "hashlib",
    "_hashlib",
    "logging",
    "difflib",
    "importlib.resources",
    "resolver.explain",
    "resolver.lint",
    "resolver.unknown",
    "resolver.suggest",
    "resolver.fmt",
    "resolver.writer",
    "resolver.examples",
    "resolver.gdiff",
    "resolver.importers",
    "resolver.cli.normalize",
    "resolver.cli.find",
    "resolver.cli.lookup",
    "resolver.cli.importer",
    "resolver.cli.validate",
    "resolver.cli.unknown",
    "resolver.cli.explain",
)
if not (importlib.util.find_spec("_sha256") or importlib.util.find_spec("_sha2")):  # no built-in SHA-256
    NOT_FOR_CHECK = tuple(m for m in NOT_FOR_CHECK if m not in ("hashlib", "_hashlib"))


def probe(tmp: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, list[str]]:
    """Run ``resolver ARGS`` in a fresh interpreter in ``tmp`` (glossary cache
    in ``tmp/cache``); return its exit status and the modules it imported."""
    out = tmp / "probe.out"
    base = {k: v for k, v in os.environ.items() if not k.startswith("RESOLVER_")}
    base |= {"PYTHONPATH": str(ROOT), "RESOLVER_CACHE_DIR": str(tmp / "cache"), "PROBE_OUT": str(out)}
    res = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=tmp,
        env=base | (env or {}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    code, modules = ast.literal_eval(out.read_text(encoding="utf-8"))
    return code, modules


def imported(modules: list[str], *names: str) -> list[str]:
    """The modules of ``modules`` that are one of ``names`` or inside one."""
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("startup")
    small_document(d)
    small_document(d, name="markdown.md", head=MARKDOWN_HEAD)
    (d / "small.txt").write_text((d / "small.md").read_text(encoding="utf-8"), encoding="utf-8")
    code, modules = probe(d, "check", "-q", "small.md")  # fills the cache: parses the glossary
    assert code == 1 and "yaml" in modules
    return d


def test_warm_check_of_the_benchmark_document_imports_only_what_it_needs(workdir: Path) -> None:
    code, modules = probe(workdir, "check", "small.md")
    assert code == 1  # it has names to fix: the whole command ran
    assert {"resolver.cli.check", "resolver.documents", "resolver.report", "resolver.cache"} <= set(modules)
    assert imported(modules, *NOT_FOR_CHECK) == []


def test_warm_check_of_a_text_file_imports_only_what_it_needs(workdir: Path) -> None:
    code, modules = probe(workdir, "check", "small.txt")
    assert code == 1
    assert imported(modules, *NOT_FOR_CHECK) == []


def test_the_probe_sees_what_a_command_needs(workdir: Path) -> None:
    # Markdown with a link is parsed by markdown-it; only that is added
    code, modules = probe(workdir, "check", "markdown.md")
    assert code == 1
    assert imported(modules, *NOT_FOR_CHECK) == imported(modules, "markdown_it", "mdurl", "logging")
    assert "markdown_it" in modules
    # the JSON report needs json, --explain its module
    _, modules = probe(workdir, "check", "--format", "json", "--explain", "small.md")
    assert {"json", "resolver.explain"} <= set(modules)
    # without the cache the glossary is parsed
    _, modules = probe(workdir, "check", "small.md", env={"RESOLVER_NO_CACHE": "1"})
    assert "yaml" in modules and "resolver.cli.lookup" not in modules


def test_commands_are_found_without_importing_the_others(workdir: Path) -> None:
    _, modules = probe(workdir, "lookup", "-q", "JeM")
    assert "resolver.cli.lookup" in modules
    assert imported(modules, "resolver.cli.check", "resolver.cli.normalize", "resolver.cli.importer") == []


def test_every_command_is_mapped_to_its_module() -> None:
    registered = {name: cmd.callback.__module__ for name, cmd in main.commands.items() if cmd.callback}
    assert registered, "no command registered"
    for name, module in registered.items():
        assert module == f"resolver.cli.{COMMAND_MODULES.get(name)}", (
            f"command {name!r} is defined in {module}: add it to resolver.cli.COMMAND_MODULES"
        )
    assert set(COMMAND_MODULES) == set(registered)
    assert "no-such-command" not in main.commands and main.commands.get("no-such-command") is None


# --------------------------------------------------------------------------
# plain Markdown without markdown-it


def _same_layout(text: str) -> bool:
    """True when ``text`` is read as plain Markdown; then its layout must be
    markdown-it's."""
    if documents._plain_blocks(text, documents._Lines(text)) is None:
        return False
    assert documents._markdown_layout(text, plain=True) == documents._markdown_layout(text, plain=False)
    return True


def _texts() -> list[str]:
    out = []
    for path in SEEDS:
        seed = path.read_text(encoding="utf-8")
        paras = seed.split("\n\n")
        out += [seed, *("\n\n".join(paras[i : i + 3]) for i in range(len(paras)))]
    out += [c["text"] for c in CASES if isinstance(c, dict) and isinstance(c.get("text"), str)]
    return out


def test_plain_markdown_has_markdown_its_layout(tmp_path: Path) -> None:
    texts = _texts()
    plain = [t for t in texts if _same_layout(t)]
    assert len(plain) > len(texts) / 4  # not vacuous
    # the benchmark's document is read without markdown-it
    assert _same_layout(small_document(tmp_path).read_text(encoding="utf-8"))
    assert not _same_layout(small_document(tmp_path, name="m.md", head=MARKDOWN_HEAD).read_text(encoding="utf-8"))


PLAIN_LINES = [
    "JeM and the ISI met in Kandahar.",
    "Masood Azhar, the Jaish-e-Mohammed chief, said “no”.",
    "Jaish-e",
    "Mohammed denied it; 2019 was *bad* for _them_ ~~really~~!",
    "Ends with two spaces  ",
    "Ends with a tab\t",
    "Mid\tline tab and 1.5 numbers (in brackets) 'quoted'.",
    "",
    "   ",
    "\t",
    '<div class="paragraphs"><p>Jaish-e-Mohammed chief Masood Azhar.</p></div>',
    "<p>ISI",
    "</div>",
    "<DIV>",
    "<section id=x>JeM",
    "<h2>JeM</h2>",
]
OTHER_LINES = [
    "Ends with a no-break space\u00a0",  # plain unless it ends a paragraph (markdown-it versions trim it or not)
    "<span>JeM</span>",
    "<pre>JeM</pre>",
    "<!-- resolver: ignore JeM -->",
    "# JeM",
    "- ISI",
    "* ISI",
    "1. JeM",
    "2019) JeM",
    "> quoted JeM",
    "    indented JeM",
    "  two spaces JeM",
    "\u00a0no-break JeM",
    "```",
    "~~~",
    "---",
    "===",
    "***",
    "a [JeM](https://example.org/jem) link",
    "some `JeM` code",
    "AT&T and &nbsp; JeM",
    "a | table",
    "back\\slash JeM",
    "e-mail jem@example.org and www.example.org",
]


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(
            *[st.sampled_from(PLAIN_LINES)] * 4,  # mostly plain: most documents take the fast path
            st.sampled_from(OTHER_LINES),
            st.text(alphabet="JeM IS-*_<>#1.\t\u00a0&[`|", max_size=12),
        ),
        max_size=12,
    ),
    st.booleans(),
)
@example(["Published:", '<div class="paragraphs"><p>JeM.</p></div>', "i", "", "JeM"], True)
@example(["JeM", "   "], False)
@example(["Masood", "Azhar  ", "", "\t", "<p>"], True)
def test_plain_blocks_agree_with_markdown_it(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    _same_layout(text)


@given(st.lists(st.sampled_from(PLAIN_LINES), max_size=12), st.booleans())
def test_plain_documents_are_read_without_markdown_it(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    assert _same_layout(text), "a document of plain lines is read without markdown-it"


def test_plain_documents_read_the_same(bundled: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Published:\n<div><p>JeM chief.</p></div>\ni\n\nThe JeM and the\nJaish-e Muhammad.  \n"
    assert documents._plain_blocks(text, documents._Lines(text)) is not None
    fast = documents.read_document(bundled, text, "markdown")
    assert [(m.start, m.surface, m.entity_id) for m in fast.mentions] == [
        (19, "JeM", "jaish_e_mohammed"),
        (47, "JeM", "jaish_e_mohammed"),
        (59, "Jaish-e Muhammad", "jaish_e_mohammed"),
    ]
    monkeypatch.setattr(documents, "_plain_blocks", lambda text, lines: None)  # markdown-it reads it
    assert documents.read_document(bundled, text, "markdown") == fast
