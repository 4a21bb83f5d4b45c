"""Read the US Treasury OFAC SDN list in its legacy CSV form (``sdn.csv`` + ``alt.csv``).

Both files are latin-1 and have no header; ``-0-`` (usually followed by a
space) marks an empty field. ``sdn.csv`` has twelve columns (entry number,
name, type, programs, title, call sign, vessel type, tonnage, GRT, vessel
flag, vessel owner, remarks); ``alt.csv`` five (entry number, alias number,
``aka``/``fka``/``nka``, alias name, remarks). Aliases from ``alt.csv`` are
normal aliases; the *weak* a.k.a.s that OFAC prints only in the remarks
(``a.k.a. 'JUD'``) become weak aliases. Individuals (``SURNAME, Given``)
become ``person`` in natural order, entries without a type ``organization``,
vessels and aircraft keep their type.

>>> sdn = "6935,JAISH-I-MOHAMMED,-0- ,FTO] [SDGT,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,a.k.a. 'JEM'.\\n"
>>> alt = "6935,4914,aka,ARMY OF MOHAMMED,-0- \\n6935,6052,fka,KHUDAMUL ISLAM,-0- \\n"
>>> [rec] = parse_text(sdn, alt)
>>> rec.name, rec.programs, [(a.name, a.weak, a.note) for a in rec.aliases]
('Jaish-i-Mohammed', ('FTO', 'SDGT'), [('Army of Mohammed', False, None), ('Khudamul Islam', False, 'formerly known as'), ('JEM', True, None)])
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from .common import (
    ImportedAlias,
    ImportedRecord,
    ListFormatError,
    clean_name,
    house_style,
    person_order,
    split_acronyms,
)

__all__ = ["ENCODING", "SOURCE", "parse", "parse_text"]

SOURCE = "OFAC SDN"
ENCODING = "latin-1"
SDN_FIELDS = 12
ALT_FIELDS = 5
_KINDS = {"individual": "person", "": "organization", "vessel": "vessel", "aircraft": "aircraft"}
_NOTES = {"fka": "formerly known as", "nka": "now known as", "f": "formerly known as", "n": "now known as"}
_WEAK = re.compile(r"(?:^|;\s*)([afn])\.k\.a\. '(.+?)'(?=\s*;|\.?\s*$)")


def _null(value: str) -> str:
    v = value.strip()
    return "" if v == "-0-" else v


def parse(sdn: str | Path, alt: str | Path | None = None, *, list_date: str | None = None) -> list[ImportedRecord]:
    """Every entry of ``sdn.csv`` with its aliases from ``alt.csv`` (optional).
    OFAC's CSV carries no date: pass ``list_date`` (ISO) to record one."""
    return parse_text(
        _read(sdn), _read(alt) if alt is not None else None, sdn_path=str(sdn), alt_path=str(alt), list_date=list_date
    )


def _read(path: str | Path) -> str:
    try:
        return Path(path).read_bytes().decode(ENCODING)
    except OSError as exc:
        raise ListFormatError(str(path), None, f"cannot read the OFAC file: {exc.strerror or exc}") from None


def _rows(text: str, width: int, path: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip(" \x1a")):
                continue  # blank line, or the DOS end-of-file mark of old OFAC files
            if len(row) != width:
                raise ListFormatError(
                    path,
                    reader.line_num,
                    f"expected {width} comma-separated fields, found {len(row)}; is this the right file?",
                )
            yield reader.line_num, row
    except csv.Error as exc:
        raise ListFormatError(path, reader.line_num, f"not valid CSV: {exc}") from None


def parse_text(
    sdn: str,
    alt: str | None = None,
    *,
    sdn_path: str = "sdn.csv",
    alt_path: str = "alt.csv",
    list_date: str | None = None,
) -> list[ImportedRecord]:
    """Like :func:`parse`, from the files' decoded text."""
    alts: dict[str, list[ImportedAlias]] = {}
    kinds: dict[str, str] = {}
    entries: list[tuple[int, list[str]]] = []
    for line, row in _rows(sdn, SDN_FIELDS, sdn_path):
        ent = row[0].strip()
        if not ent.isdigit():
            raise ListFormatError(sdn_path, line, f"entry number {ent!r} is not a number")
        kind = _null(row[2]).lower()
        if kind not in _KINDS:
            raise ListFormatError(
                sdn_path, line, f"unknown SDN type {kind!r} (expected individual, vessel, aircraft or -0-)"
            )
        kinds[ent] = _KINDS[kind]
        entries.append((line, row))
    if alt is not None:
        for line, row in _rows(alt, ALT_FIELDS, alt_path):
            ent, atype, aname = row[0].strip(), _null(row[2]).lower(), clean_name(_null(row[3]))
            if not aname:
                continue
            person = kinds.get(ent) == "person"
            alts.setdefault(ent, []).extend(_aliases(aname, person, weak=False, note=_NOTES.get(atype)))
    out = []
    for line, row in entries:
        ent = row[0].strip()
        person = kinds[ent] == "person"
        raw = clean_name(_null(row[1]))
        if not raw:
            raise ListFormatError(sdn_path, line, f"entry {ent} has no name")
        base, shorts = split_acronyms(person_order(raw) if person else raw)
        aliases = [ImportedAlias(s) for s in shorts] + alts.get(ent, [])
        for m in _WEAK.finditer(_null(row[11])):
            aliases.extend(_aliases(clean_name(m.group(2)), person, weak=True, note=_NOTES.get(m.group(1))))
        programs = tuple(p.strip(" []") for p in _null(row[3]).split("] [") if p.strip(" []"))
        out.append(
            ImportedRecord(
                source=SOURCE,
                ref=ent,
                type=kinds[ent],
                name=house_style(base, shorts),
                aliases=tuple(aliases),
                programs=programs,
                listed_on=None,
                list_date=list_date,
                line=line,
            )
        )
    return out


def _aliases(name: str, person: bool, *, weak: bool, note: str | None) -> list[ImportedAlias]:
    base, shorts = split_acronyms(person_order(name) if person else name)
    return [ImportedAlias(house_style(base, shorts), weak, note)] + [ImportedAlias(s, weak, note) for s in shorts]
