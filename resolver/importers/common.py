"""What every list importer shares: the imported record, house-style names, ids.

Sanctions lists write names in ALL CAPS (``JAISH-I-MOHAMMED``), people as
``SURNAME, Given Names``, and pack acronyms into parentheses
(``TEHRIK-E TALIBAN PAKISTAN (TTP)``). The glossary wants the house style:
``Jaish-i-Mohammed``, ``Mohammed Masood Azhar Alvi``, ``Tehrik-e Taliban
Pakistan`` with ``TTP`` as a separate alias. The functions here do that
conversion, derive snake_case ids, and turn an :class:`ImportedRecord` into a
glossary entry (a plain dict in the glossary's schema order).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..folding import fold

__all__ = [
    "KNOWN_ACRONYMS",
    "ImportedAlias",
    "ImportedRecord",
    "ListFormatError",
    "clean_name",
    "house_style",
    "is_abbreviation",
    "make_id",
    "person_order",
    "split_acronyms",
    "to_entry",
]

#: Acronyms kept upper-case wherever they appear (lower-case keys).
KNOWN_ACRONYMS = frozenset(
    {"isil", "isis", "is", "un", "us", "usa", "uk", "eu", "uae", "llc", "plc", "ngo", "dprk", "kpa", "irgc", "ttp"}
)

# Lower-case inside a name (never as its first word): Urdu/Arabic connectors
# and articles, and English/Romance function words.
_CONNECTORS = frozenset(
    {"e", "i", "ul", "ud", "ut", "ur", "us", "un", "al", "el", "wal", "wa", "bin", "bint", "ibn", "fi"}
)
_SMALL_WORDS = frozenset(
    {
        "of",
        "the",
        "and",
        "for",
        "in",
        "on",
        "at",
        "to",
        "by",
        "de",
        "del",
        "la",
        "le",
        "da",
        "do",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "y",
    }
)
_FIXED = {
    "ltd": "Ltd",
    "co": "Co",
    "inc": "Inc",
    "corp": "Corp",
    "jr": "Jr",
    "sr": "Sr",
    "st": "St",
    "mt": "Mt",
    "gmbh": "GmbH",
}
_ROMAN = re.compile(r"^(?:ii|iii|iv|vi|vii|viii|ix|xi|xii)$")
_VOWELS = frozenset("aeiouy")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_PAREN = re.compile(r"\s*\(([^()]*)\)")


class ListFormatError(InputError):
    """A sanctions-list file is not in the format its importer reads.

    >>> str(ListFormatError("sdn.csv", 3, "expected 12 fields, found 2"))
    'sdn.csv:3: expected 12 fields, found 2'
    """

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class ImportedAlias:
    """One a.k.a. of a record: ``weak`` for low-quality names (UN "Low",
    OFAC weak a.k.a.), ``note`` for a qualifier such as "formerly known as"."""

    name: str
    weak: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedRecord:
    """One record of a sanctions list, names already in house style.

    ``source`` names the list (``"UN SC"``, ``"OFAC SDN"``), ``ref`` the
    record's reference on it (``QDe.019``, ``6935``), ``type`` the glossary
    type (``organization``, ``person``, ``vessel``, ``aircraft``),
    ``programs`` the sanctions regimes (``Al-Qaida``, ``SDGT``…),
    ``listed_on`` the listing date and ``list_date`` the date of the list
    file (ISO dates, or None when the file does not say).
    """

    source: str
    ref: str
    type: str
    name: str
    aliases: tuple[ImportedAlias, ...] = ()
    programs: tuple[str, ...] = ()
    listed_on: str | None = None
    list_date: str | None = None
    line: int | None = field(default=None, compare=False)

    def names(self) -> Iterator[str]:
        """The primary name, then every a.k.a.

        >>> list(ImportedRecord("UN SC", "QDe.019", "organization", "Jaish-i-Mohammed", (ImportedAlias("Army of Mohammed"),)).names())
        ['Jaish-i-Mohammed', 'Army of Mohammed']
        """
        yield self.name
        for a in self.aliases:
            yield a.name

    def source_line(self) -> str:
        """The provenance line recorded under ``sources``.

        >>> ImportedRecord("UN SC", "QDe.019", "organization", "X", listed_on="2001-10-17", list_date="2020-03-20").source_line()
        'UN Security Council Consolidated List QDe.019 (listed 2001-10-17; list of 2020-03-20)'
        >>> ImportedRecord("OFAC SDN", "6935", "organization", "X", programs=("FTO", "SDGT")).source_line()
        'US Treasury OFAC SDN List, entry 6935 (programs FTO, SDGT)'
        """
        title = {"UN SC": "UN Security Council Consolidated List", "OFAC SDN": "US Treasury OFAC SDN List, entry"}.get(
            self.source, self.source
        )
        facts = []
        if self.listed_on:
            facts.append(f"listed {self.listed_on}")
        if self.source != "UN SC" and self.programs:
            facts.append(f"programs {', '.join(self.programs)}")
        if self.list_date:
            facts.append(f"list of {self.list_date}")
        return f"{title} {self.ref}" + (f" ({'; '.join(facts)})" if facts else "")

    def short_source(self) -> str:
        """A compact provenance for an alias note.

        >>> ImportedRecord("UN SC", "QDe.019", "organization", "X").short_source()
        'UN SC QDe.019'
        """
        return f"{self.source} {self.ref}"


def clean_name(raw: str) -> str:
    """Whitespace and quotes as a person would write them: line-wrapped
    hyphens rejoined, runs of spaces collapsed, wrapping quotes dropped.

    >>> clean_name('ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-\\nK) ')
    'ISLAMIC STATE IN IRAQ AND THE LEVANT - KHORASAN (ISIL-K)'
    >>> clean_name('"GODANE"')
    'GODANE'
    """
    s = re.sub(r"-[ \t]*\n\s*", "-", raw)
    s = " ".join(s.split())
    while len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        s = s[1:-1].strip()
    return s


def is_abbreviation(short: str, long: str) -> bool:
    """True when ``short`` abbreviates ``long`` (Schwartz & Hearst, 2003:
    its letters appear in order in ``long``, the first at the start of a word).

    >>> is_abbreviation("HQN", "Haqqani Network"), is_abbreviation("ISIL-K", "Islamic State in Iraq and the Levant - Khorasan")
    (True, True)
    >>> is_abbreviation("PVT", "Hamer and Nail Construction"), is_abbreviation("Pakistan", "Al-Haramain Foundation")
    (False, False)
    """
    chars = [c.lower() for c in short if c.isalnum()]
    if len(chars) < 2 or len(short) > 10 or " " in short.strip():
        return False
    low = long.lower()
    j = len(low) - 1
    for i in range(len(chars) - 1, -1, -1):
        c = chars[i]
        while j >= 0 and (low[j] != c or (i == 0 and j > 0 and low[j - 1].isalnum())):
            j -= 1
        if j < 0:
            return False
        j -= 1
    return True


def split_acronyms(name: str) -> tuple[str, tuple[str, ...]]:
    """Split parenthesized abbreviations of a name off it; other parenthesized
    words (a branch, a country) stay part of the name.

    >>> split_acronyms("TEHRIK-E TALIBAN PAKISTAN (TTP)")
    ('TEHRIK-E TALIBAN PAKISTAN', ('TTP',))
    >>> split_acronyms("Falah-i-Insaniat Foundation (FIF)")
    ('Falah-i-Insaniat Foundation', ('FIF',))
    >>> split_acronyms("Al-Haramain Foundation (Pakistan)"), split_acronyms("(TTP)")
    (('Al-Haramain Foundation (Pakistan)', ()), ('(TTP)', ()))
    """
    base = _PAREN.sub("", name).strip()
    if not fold(base):
        return name, ()
    found = [m for m in _PAREN.finditer(name) if is_abbreviation(m.group(1).strip(), base)]
    if not found:
        return name, ()
    out, prev = [], 0
    for m in found:
        out.append(name[prev : m.start()])
        prev = m.end()
    out.append(name[prev:])
    return "".join(out).strip(), tuple(m.group(1).strip() for m in found)


def person_order(name: str) -> str:
    """``SURNAME, Given Names`` → ``Given Names SURNAME`` (one comma only).

    >>> person_order("ALVI, Mohammad Masood Azhar")
    'Mohammad Masood Azhar ALVI'
    >>> person_order("Masood Azhar")
    'Masood Azhar'
    """
    parts = [p.strip() for p in name.split(",")]
    if len(parts) != 2 or not all(parts):
        return name
    return f"{parts[1]} {parts[0]}"


def _is_caps(word: str) -> bool:
    return any(c.isupper() for c in word) and not any(c.islower() for c in word)


def _cap(word: str) -> str:
    """First letter upper, rest lower; after ``O'`` / ``D'`` the next letter too."""
    low = word.lower()
    m = re.match(r"^([od])['’](\w)(.*)$", low)
    if m and len(low) > 3:
        return m.group(1).upper() + word[1] + m.group(2).upper() + m.group(3)
    return low[:1].upper() + low[1:]


def _style_word(word: str, first: bool, acronyms: Collection[str], whole: bool, shouting: bool) -> str:
    if not _is_caps(word):
        return word
    if not shouting and sum(c.isalpha() for c in word) == 1:
        return word  # an initial in a mixed-case name: "A Rahman"
    parts = re.split(r"(['’])", word)
    stem, rest = parts[0], "".join(parts[1:])
    low = stem.lower()
    if rest.lower() in ("'s", "’s") and (low in acronyms or low in KNOWN_ACRONYMS):
        return stem + rest.lower()
    if low in acronyms or low in KNOWN_ACRONYMS:
        return word
    letters = [c for c in low if c.isalpha()]
    if whole and len(letters) <= 4:
        return word
    if low in _FIXED:
        return _FIXED[low] + rest.lower()
    if len(letters) >= 2 and not any(c in _VOWELS for c in letters) and stem.isalpha():
        return word  # HQN, TTP, MML: no vowel, an acronym
    if _ROMAN.match(low) and not rest:
        return word
    if not first and (low in _CONNECTORS or low in _SMALL_WORDS) and not rest:
        return low
    if len(letters) == 1 and not rest:
        return word
    return _cap(word)


def house_style(name: str, acronyms: Iterable[str] = ()) -> str:
    """A list's ALL-CAPS name in the house style; other spellings unchanged.

    Words that are all capitals become capitalized, except: connectors and
    function words inside a name (``e``, ``i``, ``ul``, ``al``, ``of``,
    ``the``…) become lower-case; acronyms stay (the ``acronyms`` given,
    :data:`KNOWN_ACRONYMS`, words without a vowel such as ``HQN``, and a
    whole name of at most four letters such as ``LET``). Mixed-case words are
    the list's own spelling and are kept.

    >>> house_style("JAISH-I-MOHAMMED")
    'Jaish-i-Mohammed'
    >>> house_style("LASHKAR-E-TAYYIBA")
    'Lashkar-e-Tayyiba'
    >>> house_style("TEHRIK UL-FURQAAN"), house_style("KHUDDAM-UL-ISLAM")
    ('Tehrik ul-Furqaan', 'Khuddam-ul-Islam')
    >>> house_style("ISIL'S SOUTH ASIA BRANCH"), house_style("SOUTH ASIAN CHAPTER OF ISIL")
    ("ISIL's South Asia Branch", 'South Asian Chapter of ISIL')
    >>> house_style("ARMY OF THE PURE AND RIGHTEOUS"), house_style("AL MANSOOREEN")
    ('Army of the Pure and Righteous', 'Al Mansooreen')
    >>> house_style("JAMA'AT-UD-DA'AWAH"), house_style("AL-HARAMAIN FOUNDATION (PAKISTAN)")
    ("Jama'at-ud-Da'awah", 'Al-Haramain Foundation (Pakistan)')
    >>> house_style("JUD"), house_style("Pashan-e-ahle Hadis"), house_style("Mohammad Masood Azhar ALVI")
    ('JUD', 'Pashan-e-ahle Hadis', 'Mohammad Masood Azhar Alvi')
    >>> house_style("Mohamad Iqbal A Rahman"), house_style("MOHAMAD IQBAL A RAHMAN")
    ('Mohamad Iqbal A Rahman', 'Mohamad Iqbal A Rahman')
    """
    acr = frozenset(a.lower() for a in acronyms)
    words = list(_WORD.finditer(name))
    whole = len(words) == 1 and words[0].group() == name.strip()
    shouting = not any(c.islower() for c in name)
    out: list[str] = []
    prev = 0
    for i, m in enumerate(words):
        out.append(name[prev : m.start()])
        out.append(_style_word(m.group(), i == 0, acr, whole, shouting))
        prev = m.end()
    out.append(name[prev:])
    return "".join(out)


def make_id(name: str, taken: Collection[str] = (), fallback: str = "entity") -> str:
    """A snake_case id for a new entity, unique among ``taken``.

    Derived from the name's folded ASCII letters; a name without Latin
    letters uses ``fallback`` (e.g. ``un_qde_019``); one starting with a
    digit gets ``e_`` in front; a clash gets ``_2``, ``_3``…

    >>> make_id("Jaish-i-Mohammed")
    'jaish_i_mohammed'
    >>> make_id("Jama'at-ud-Da'awah", taken={"jamaat_ud_daawah"})
    'jamaat_ud_daawah_2'
    >>> make_id("محمد", fallback="un_qdi_422")
    'un_qdi_422'
    """
    folded = unicodedata.normalize("NFKD", fold(name)).replace("'", "")
    base = re.sub(r"[^a-z0-9]+", "_", folded.encode("ascii", "ignore").decode()).strip("_")
    if not base:
        base = re.sub(r"[^a-z0-9]+", "_", fallback.lower()).strip("_") or "entity"
    if not base[0].isalpha():
        base = "e_" + base  # ids start with a letter
    cand, n = base, 2
    while cand in taken:
        cand = f"{base}_{n}"
        n += 1
    return cand


def alias_item(name: str, *, weak: bool = False, note: str | None = None) -> str | dict[str, Any]:
    """An alias as the glossary writes it: a plain string when it has no options.

    >>> alias_item("Army of Mohammed"), alias_item("Masud Azhar", weak=True)
    ('Army of Mohammed', {'name': 'Masud Azhar', 'weak': True})
    """
    d: dict[str, Any] = {"name": name}
    if weak:
        d["weak"] = True
    if note:
        d["note"] = note
    return name if len(d) == 1 else d


def to_entry(record: ImportedRecord, entity_id: str, aliases: Iterable[str | dict[str, Any]]) -> dict[str, Any]:
    """A new glossary entity for ``record`` (schema order: id, type, canonical,
    sources, aliases).

    >>> to_entry(ImportedRecord("UN SC", "QDe.132", "organization", "Tehrik-e Taliban Pakistan"), "ttp", ["TTP"])
    {'id': 'ttp', 'type': 'organization', 'canonical': 'Tehrik-e Taliban Pakistan', 'sources': ['UN Security Council Consolidated List QDe.132'], 'aliases': ['TTP']}
    """
    entry: dict[str, Any] = {
        "id": entity_id,
        "type": record.type,
        "canonical": record.name,
        "sources": [record.source_line()],
    }
    items = list(aliases)
    if items:
        entry["aliases"] = items
    return entry
