"""Read the UN Security Council Consolidated Sanctions List (``consolidated.xml``).

The XML is parsed with :mod:`defusedxml` (no entity expansion, no external
entities, so a hostile file cannot blow up or read local files). Each
``INDIVIDUAL`` becomes a ``person`` and each ``ENTITY`` an ``organization``;
the name parts are joined and put in house style, parenthesized
abbreviations and names after " / " become aliases, every ``*_ALIAS`` becomes an alias (quality ``Low`` → weak;
``Good``, ``a.k.a.`` → normal; ``f.k.a.`` → normal, noted "formerly known
as"), and ``NAME_ORIGINAL_SCRIPT`` an alias noted "original script".

>>> xml = b'''<CONSOLIDATED_LIST dateGenerated="2020-03-20T19:09:21.822-04:00"><ENTITIES>
... <ENTITY><FIRST_NAME>JAISH-I-MOHAMMED</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
... <REFERENCE_NUMBER>QDe.019</REFERENCE_NUMBER><LISTED_ON>2001-10-17</LISTED_ON>
... <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Army of Mohammed</ALIAS_NAME></ENTITY_ALIAS>
... </ENTITY></ENTITIES></CONSOLIDATED_LIST>'''
>>> [rec] = parse_bytes(xml)
>>> rec.ref, rec.type, rec.name, [a.name for a in rec.aliases], rec.list_date
('QDe.019', 'organization', 'Jaish-i-Mohammed', ['Army of Mohammed'], '2020-03-20')
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped, unused-ignore]
from defusedxml import DefusedXmlException  # type: ignore[import-untyped, unused-ignore]

from .common import (
    ImportedAlias,
    ImportedRecord,
    ListFormatError,
    clean_name,
    house_style,
    person_order,
    split_acronyms,
)

__all__ = ["SOURCE", "parse", "parse_bytes"]

SOURCE = "UN SC"
_KINDS = {"INDIVIDUAL": "person", "ENTITY": "organization"}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_QUALITY_NOTES = {"f.k.a.": "formerly known as", "n.k.a.": "now known as"}


def parse(path: str | Path) -> list[ImportedRecord]:
    """Every record of a consolidated-list XML file, in file order."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read the UN list: {exc.strerror or exc}") from None
    return parse_bytes(data, str(path))


def parse_bytes(data: bytes, path: str = "<un-sc>") -> list[ImportedRecord]:
    """Every record of consolidated-list XML given as bytes."""
    try:
        root: Any = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise ListFormatError(
            path, None, f"refused: the XML uses {type(exc).__name__} (entity declarations are not allowed)"
        ) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ListFormatError(path, line, f"not well-formed XML: {exc}") from None
    if root.tag != "CONSOLIDATED_LIST":
        raise ListFormatError(
            path, None, f"expected a UN consolidated list (root <CONSOLIDATED_LIST>), found <{root.tag}>"
        )
    list_date = (root.get("dateGenerated") or "")[:10] or None
    out: list[ImportedRecord] = []
    for section in root:
        for el in section:
            kind = _KINDS.get(el.tag)
            if kind is not None:
                out.append(_record(el, kind, list_date, path))
    return out


def _text(el: Any, tag: str) -> str:
    return clean_name(el.findtext(tag) or "")


def _record(el: Any, kind: str, list_date: str | None, path: str) -> ImportedRecord:
    ref = _text(el, "REFERENCE_NUMBER")
    if not ref:
        raise ListFormatError(
            path, None, f"a <{el.tag}> without REFERENCE_NUMBER (DATAID {_text(el, 'DATAID') or '?'})"
        )
    raw = " ".join(p for p in (_text(el, t) for t in _NAME_PARTS) if p)
    if not raw:
        raise ListFormatError(path, None, f"record {ref} has no name")
    raw, *others = [x.strip() for x in raw.split(" / ") if x.strip()]  # "HARAKAT UL-MUJAHIDIN / HUM"
    base, shorts = split_acronyms(raw)
    name = house_style(base, shorts)
    aliases: list[ImportedAlias] = [ImportedAlias(s) for s in shorts]
    aliases += [ImportedAlias(house_style(o, shorts)) for o in others]
    for a in el.iter(f"{el.tag}_ALIAS"):
        quality = _text(a, "QUALITY")
        for piece in _text(a, "ALIAS_NAME").split(";"):
            piece = clean_name(piece)
            if not piece:
                continue
            if kind == "person":
                piece = person_order(piece)
            pbase, pshorts = split_acronyms(piece)
            weak = quality.lower() == "low"
            note = _QUALITY_NOTES.get(quality.lower())
            aliases.append(ImportedAlias(house_style(pbase, shorts + pshorts), weak, note))
            aliases.extend(ImportedAlias(s, weak, note) for s in pshorts)
    script = _text(el, "NAME_ORIGINAL_SCRIPT")
    if script:
        aliases.append(ImportedAlias(script, note="original script"))
    return ImportedRecord(
        source=SOURCE,
        ref=ref,
        type=kind,
        name=name,
        aliases=tuple(aliases),
        programs=tuple(p for p in (_text(el, "UN_LIST_TYPE"),) if p),
        listed_on=_text(el, "LISTED_ON") or None,
        list_date=list_date,
    )
