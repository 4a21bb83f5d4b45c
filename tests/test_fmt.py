"""``resolver fmt``: canonical layout, idempotent, every comment kept with its entry."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

import resolver
from resolver.cli import EXIT_FINDINGS, EXIT_GLOSSARY, EXIT_OK, main
from resolver.errors import GlossaryError
from resolver.fmt import format_text, is_formatted
from resolver.folding import fold
from resolver.glossary import loads

from .strategies import glossaries

DATA = Path(__file__).parent / "data"
FIXTURES = sorted((DATA / "lint").glob("L*.yaml")) + [DATA / "core.yaml"]


def _comments(text: str) -> list[str]:
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#") or " # " in line)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_idempotent_and_keeps_every_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_text(text, str(path))
    assert format_text(once, str(path)) == once
    assert _comments(once) == _comments(text)
    assert is_formatted(once)


def test_orders_entities_keys_and_aliases() -> None:
    text = """\
# header: stays at the top
entities:
  - canonical: Taliban
    id: taliban
    type: organization
  - id: jaish_e_mohammed
    type: organization
    canonical: Jaish-e-Mohammed
    aliases: [JeM, Jaish-e-Mohammad]
version: 1
"""
    assert (
        format_text(text)
        == """\
# header: stays at the top
version: 1
entities:
  - id: jaish_e_mohammed
    type: organization
    canonical: Jaish-e-Mohammed
    aliases: [Jaish-e-Mohammad, JeM]
  - id: taliban
    type: organization
    canonical: Taliban
"""
    )


def test_types_list_sets_the_order_of_types() -> None:
    text = """\
version: 1
types: [person, organization]
entities:
  - {id: taliban, type: organization, canonical: Taliban}
  - {id: masood_azhar, type: person, canonical: Masood Azhar}
"""
    out = format_text(text)
    assert out.index("masood_azhar") < out.index("taliban")


def test_comments_travel_with_the_entry_below_them() -> None:
    text = """\
version: 1
entities:
  # --- people ---
  - id: masood_azhar   # JeM's founder
    type: person
    canonical: Masood Azhar
    aliases:
      - Masood Azhar Alvi
      # shared with his brother
      - name: Azhar
        ambiguous: true
    # end of Masood Azhar

  # --- organizations ---
  - {id: jaish_e_mohammed, type: organization, canonical: Jaish-e-Mohammed}  # the group
# end of file
"""
    assert (
        format_text(text)
        == """\
version: 1
entities:

  # --- organizations ---
  - {id: jaish_e_mohammed, type: organization, canonical: Jaish-e-Mohammed}  # the group
  # --- people ---
  - id: masood_azhar   # JeM's founder
    type: person
    canonical: Masood Azhar
    aliases:
      # shared with his brother
      - name: Azhar
        ambiguous: true
      - Masood Azhar Alvi
    # end of Masood Azhar
# end of file
"""
    )


def test_first_key_moved_on_the_dash_line_and_its_comment_kept_with_the_entry() -> None:
    text = """\
version: 1
entities:
  - canonical: Taliban
    # the id
    id: taliban
    type: organization
  - type: organization
    id: ttp
    canonical: Tehreek-e-Taliban Pakistan
"""
    out = format_text(text)
    assert (
        out
        == """\
version: 1
entities:
  # the id
  - id: taliban
    type: organization
    canonical: Taliban
  - id: ttp
    type: organization
    canonical: Tehreek-e-Taliban Pakistan
"""
    )
    assert loads(out)["taliban"].canonical == "Taliban"


def test_alias_mapping_keys_and_context_in_schema_order() -> None:
    text = """\
version: 1
entities:
  - id: dawn
    type: organization
    canonical: Dawn
    aliases:
      - context: {window: 5, near: [newspaper]}
        case: exact
        name: Dawn
"""
    assert "      - name: Dawn\n        case: exact\n        context: {near: [newspaper], window: 5}\n" in format_text(
        text
    )


def test_redundant_aliases_dropped_but_not_the_short_form_nor_commented_ones() -> None:
    text = """\
version: 1
entities:
  - id: isi
    type: organization
    canonical: Inter-Services Intelligence
    short: Inter Services Intelligence
    aliases:
      - Inter Services Intelligence
      - ISI
      - inter-services intelligence   # seen in lower case in the Dawn archive
      - Inter–Services Intelligence
"""
    out = format_text(text)
    names = [a.name for a in loads(out)["isi"].aliases]
    assert names == ["Inter Services Intelligence", "inter-services intelligence", "ISI"]
    assert "# seen in lower case" in out


def test_aliases_that_differ_in_options_or_exact_case_are_kept() -> None:
    text = "version: 1\nentities:\n  - {id: jaish_e_mohammed, type: organization, canonical: Jaish-e-Mohammed, aliases: [JeM, {name: JEM, weak: true}, {name: Jaish, weak: true}]}\n"
    out = format_text(text)
    assert [a.name for a in loads(out)["jaish_e_mohammed"].aliases] == ["Jaish", "JEM", "JeM"]


def test_quoting_and_unicode_kept_byte_for_byte() -> None:
    text = "version: 1\nentities:\n  - {id: z, type: place, canonical: 'Hauptstraße'}\n  - {id: a, type: place, canonical: \"Jama’at\"}\n"
    out = format_text(text)
    assert (
        out
        == "version: 1\nentities:\n  - {id: a, type: place, canonical: \"Jama’at\"}\n  - {id: z, type: place, canonical: 'Hauptstraße'}\n"
    )


def test_crlf_line_endings_kept() -> None:
    text = "version: 1\r\nentities:\r\n  - id: b\r\n    type: place\r\n    canonical: B\r\n  - id: a\r\n    type: place\r\n    canonical: A\r\n"
    out = format_text(text)
    assert (
        out
        == "version: 1\r\nentities:\r\n  - id: a\r\n    type: place\r\n    canonical: A\r\n  - id: b\r\n    type: place\r\n    canonical: B\r\n"
    )


def test_refuses_an_invalid_glossary() -> None:
    with pytest.raises(GlossaryError) as info:
        format_text("version: 1\nentities:\n  - {id: x, type: place, canonical: X, alias: [y]}\n", "g.yaml")
    assert info.value.code == "G003"


# --------------------------------------------------------------------------
# Property: the layout does not depend on the order the file was written in


def _scalar(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _write(g: resolver.Glossary, rnd: random.Random, flow: dict[str, bool]) -> str:
    lines = ["version: 1", "entities:"]
    ents = list(g.entities)
    rnd.shuffle(ents)
    for e in ents:
        fields: list[tuple[str, str]] = [("id", e.id), ("type", e.type), ("canonical", _scalar(e.canonical))]
        if e.aliases:
            aliases = [_scalar(a.name) for a in e.aliases]
            rnd.shuffle(aliases)
            fields.append(("aliases", "[" + ", ".join(aliases) + "]"))
        rnd.shuffle(fields)
        lines.append(f"  # about {e.id}")
        if flow[e.id]:
            lines.append("  - {" + ", ".join(f"{k}: {v}" for k, v in fields) + "}")
        else:
            lines.append(f"  - {fields[0][0]}: {fields[0][1]}")
            lines.extend(f"    {k}: {v}" for k, v in fields[1:])
    return "\n".join(lines) + "\n"


@given(glossaries(), st.randoms(use_true_random=False), st.randoms(use_true_random=False), st.data())
def test_layout_is_independent_of_the_written_order(g: resolver.Glossary, r1: Any, r2: Any, data: Any) -> None:
    for e in g.entities:  # redundant spellings: which one is kept depends on order, by design
        keys = [fold(n) for n in e.names]
        assume(len(set(keys)) == len(keys))
    flow = {e.id: data.draw(st.booleans()) for e in g.entities}
    a, b = _write(g, r1, flow), _write(g, r2, flow)
    fa, fb = format_text(a), format_text(b)
    assert fa == fb
    assert format_text(fa) == fa
    for e in g.entities:  # each comment still sits right above its entry
        assert re.search(rf"# about {e.id}\n  - (id: {e.id}\n|\{{id: {e.id},)", fa)


# --------------------------------------------------------------------------
# Command line


def test_cli_fmt_check_then_fix(tmp_path: Path) -> None:
    p = tmp_path / "aliases.yaml"
    p.write_text(
        "version: 1\nentities:\n  - {id: b, type: place, canonical: B}\n  - {id: a, type: place, canonical: A}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    r = runner.invoke(main, ["fmt", "--check", str(p)])
    assert r.exit_code == EXIT_FINDINGS
    assert r.stdout == f"would reformat {p}\n"
    assert "resolver fmt" in r.stderr
    r = runner.invoke(main, ["fmt", str(p)])
    assert (r.exit_code, r.stdout) == (EXIT_OK, f"reformatted {p}\n")
    before = p.stat().st_mtime_ns
    r = runner.invoke(main, ["fmt", str(p)])
    assert (r.exit_code, r.stdout) == (EXIT_OK, "")
    assert p.stat().st_mtime_ns == before  # the second run writes nothing
    assert runner.invoke(main, ["fmt", "--check", str(p)]).exit_code == EXIT_OK


def test_cli_fmt_invalid_glossary_is_a_glossary_error(tmp_path: Path) -> None:
    p = tmp_path / "aliases.yaml"
    p.write_text("version: 1\nentities:\n  - {id: x, type: place}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["fmt", str(p)])
    assert r.exit_code == EXIT_GLOSSARY
    assert "[G004]" in r.stderr and r.stdout == ""


def test_additions_to_a_formatted_glossary_keep_it_formatted() -> None:
    """resolver import and unknown --add-to write through the writer: a file
    in the canonical layout (the bundled glossary is) stays in it, the new
    entity among its type's in id order, a new alias in folded order; a file
    not in the layout only gets the insertions."""
    from resolver.fmt import format_text
    from resolver.writer import add_to_glossary

    text = (Path(__file__).resolve().parent.parent / "aliases.yaml").read_text(encoding="utf-8")
    assert format_text(text) == text
    ent = {"id": "aaa_front", "type": "organization", "canonical": "Aaa Front", "aliases": ["AF"], "note": "n"}
    out = add_to_glossary(text, [ent], {"jaish_e_mohammed": ["Jaish-e-Mohamad"], "taliban": ["Taleban"]})
    assert format_text(out) == out
    from resolver.glossary import loads

    g = loads(out)
    assert "Jaish-e-Mohamad" in g["jaish_e_mohammed"].names and "Taleban" in g["taliban"].names
    orgs = [e.id for e in g.entities if e.type == "organization"]
    assert "aaa_front" in orgs and orgs.index("aaa_front") == sorted(orgs).index("aaa_front")
    unsorted = "version: 1\nentities:\n  - {id: b, type: place, canonical: Bb}\n  - {id: a, type: place, canonical: Aa}\n"
    assert add_to_glossary(unsorted, [{"id": "c", "type": "place", "canonical": "Cc"}]) == unsorted + "  - {id: c, type: place, canonical: Cc}\n"
    spaced = "version: 1\nentities:\n  - id: b\n    type: place\n    canonical: Bb\n\n  - id: d\n    type: place\n    canonical: Dd\n"
    assert format_text(spaced) == spaced
    assert add_to_glossary(spaced, [{"id": "c", "type": "place", "canonical": "Cc"}]) == spaced.replace(
        "\n\n  - id: d", "\n\n  - id: c\n    type: place\n    canonical: Cc\n\n  - id: d"
    )  # (blank lines between entities: the new one gets one too)
