"""Seeded generation of realistic entity names and their aliases.

Names are built from syllable tables in the style of transliterated South Asian
and Arabic names ("Harkat-ul-Zubaideen", "Abdul Rauf Asghar", "Qazigarh"),
with English-style organisation names and acronyms whose case is exact
("HuZ", "TTP", "PML-N"). Everything comes from one ``random.Random``, so the
same seed always gives the same stream of entities, and the first N entities of
a stream do not depend on how many more are drawn after them (the 1k glossary
is a prefix of the 10k one, which is a prefix of the 100k one).

Uniqueness is enforced across the whole stream on a folded key (case, hyphens
and apostrophe forms ignored), and no single-word name may be a word of the
prose vocabulary, so the corpora contain no accidental matches.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["REAL_ENTITIES", "Entity", "NameGenerator", "is_acronym", "name_key"]


@dataclass(frozen=True)
class Entity:
    id: str
    type: str  # organization | person | place
    canonical: str
    aliases: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.canonical, *self.aliases)


def is_acronym(name: str) -> bool:
    """Same rule as the resolver: no spaces, >=2 capitals, more capitals than lower-case."""
    if any(c.isspace() for c in name):
        return False
    upper = sum(c.isupper() for c in name)
    return upper >= 2 and upper > sum(c.islower() for c in name)


_KEY_SEP = re.compile(r"[\s\-\u2010-\u2015]+")


def name_key(name: str) -> str:
    """Folded uniqueness key: case, dash/space runs and apostrophe forms ignored."""
    return _KEY_SEP.sub(" ", name.replace("\u2019", "'")).casefold().strip()


# Entities that occur in the seed articles: every glossary starts with them, so
# the "real" corpus has genuine mentions at every glossary size.
REAL_ENTITIES: tuple[Entity, ...] = (
    Entity("jaish_e_mohammed", "organization", "Jaish-e-Mohammed", ("Jaish-e-Muhammad", "Jaish-e-Mohammad", "JeM")),
    Entity(
        "tehreek_e_taliban_pakistan",
        "organization",
        "Tehreek-e-Taliban Pakistan",
        ("Tehrik-i-Taliban Pakistan", "Pakistani Taliban", "TTP"),
    ),
    Entity("lashkar_e_taiba", "organization", "Lashkar-e-Taiba", ("Lashkar-e-Toiba", "LeT")),
    Entity(
        "islamic_state_khorasan",
        "organization",
        "Islamic State-Khorasan",
        ("Islamic State Khorasan Province", "ISKP", "IS-K", "ISPK"),
    ),
    Entity("haqqani_network", "organization", "Haqqani Network", ("Haqqanis",)),
    Entity("taliban", "organization", "Taliban", ("Afghan Taliban", "Islamic Emirate of Afghanistan")),
    Entity("al_qaeda", "organization", "Al-Qaeda", ("Al-Qaida", "Al-Qa'ida")),
    Entity("inter_services_intelligence", "organization", "Inter-Services Intelligence", ("ISI",)),
    Entity("central_intelligence_agency", "organization", "Central Intelligence Agency", ("CIA",)),
    Entity("pakistan_muslim_league_n", "organization", "Pakistan Muslim League (N)", ("PML-N", "PMLN")),
    Entity("pakistan_tehreek_e_insaf", "organization", "Pakistan Tehreek-e-Insaf", ("Pakistan Tehrik-i-Insaf", "PTI")),
    Entity(
        "masood_azhar", "person", "Masood Azhar", ("Maulana Masood Azhar", "Masood Azhar Alvi", "Mohammed Masood Azhar")
    ),
    Entity("abdul_rauf_azhar", "person", "Abdul Rauf Azhar", ("Abdul Rauf Asghar", "Rauf Azhar")),
    Entity("abdul_ghani_baradar", "person", "Abdul Ghani Baradar", ("Mullah Baradar", "Mullah Abdul Ghani Baradar")),
    Entity("sirajuddin_haqqani", "person", "Sirajuddin Haqqani", ("Siraj Haqqani",)),
    Entity("donald_trump", "person", "Donald Trump", ("President Trump", "President Donald Trump")),
    Entity("kandahar", "place", "Kandahar", ("Qandahar",)),
    Entity("rawalpindi", "place", "Rawalpindi", ("Pindi",)),
    Entity("bahawalpur", "place", "Bahawalpur", ("Bahawalpoor",)),
    Entity("balakot", "place", "Balakot", ("Bala Kot",)),
    Entity("balochistan", "place", "Balochistan", ("Baluchistan",)),
    Entity("kashmir", "place", "Kashmir", ("Kashmir Valley",)),
    Entity("kabul", "place", "Kabul", ("Kabol",)),
    Entity("islamabad", "place", "Islamabad", ("Islamabad Capital Territory",)),
    Entity("pakistan", "place", "Pakistan", ("Islamic Republic of Pakistan",)),
    Entity("afghanistan", "place", "Afghanistan", ("Islamic Republic of Afghanistan",)),
    Entity("india", "place", "India", ("Republic of India", "Bharat")),
)

# --------------------------------------------------------------------------
# Syllable tables

_ONSETS = (
    "b",
    "d",
    "f",
    "g",
    "gh",
    "h",
    "j",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "q",
    "r",
    "s",
    "sh",
    "t",
    "z",
    "w",
    "y",
    "ch",
    "dh",
    "th",
    "",
)
_ONSET_W = (5, 5, 3, 2, 2, 6, 4, 6, 3, 4, 7, 5, 3, 6, 7, 4, 5, 4, 3, 2, 2, 1, 1, 4)
_VOWELS = ("a", "aa", "i", "ee", "u", "oo", "o", "e", "ai", "au")
_VOWEL_W = (14, 2, 9, 3, 7, 2, 5, 3, 1, 1)
_CODAS = ("", "n", "r", "m", "l", "s", "b", "d", "k", "h", "q", "z", "sh", "f")
_CODA_W = (14, 5, 5, 3, 3, 3, 1, 2, 1, 3, 1, 1, 1, 1)
_WORD_ENDS = ("", "", "", "een", "ideen", "iyya", "at", "ullah", "ani", "ar", "ood", "eem", "ir")
_PLACE_ENDS = ("abad", "pur", "kot", "garh", "istan", "shahr", "ganj", "nagar", "wala", "zai", "khel", "dara")
_SURNAME_ENDS = ("", "", "", "i", "zai", "khel", "ani", "ullah", "uddin", "wal")

_ORG_HEADS = (
    "Jaish",
    "Harkat",
    "Lashkar",
    "Hizb",
    "Jamaat",
    "Tehreek",
    "Ansar",
    "Jund",
    "Sipah",
    "Majlis",
    "Tanzeem",
    "Ittehad",
    "Jabhat",
    "Katibat",
    "Liwa",
    "Saraya",
    "Tablighi",
    "Idara",
    "Anjuman",
    "Markaz",
)
_CONNECTORS = ("e", "i", "ul", "ud", "us", "ut", "al", "ur")
_ORG_FORMS = (
    "{P} Liberation Front",
    "{P} Liberation Army",
    "{P} National Movement",
    "Islamic Movement of {P}",
    "Front for the Liberation of {P}",
    "{P} People's Party",
    "{P} Defence Council",
    "{P} Solidarity Forum",
    "{P} Muslim League",
    "United {P} Front",
    "{P} Resistance Force",
    "{P} Awami League",
)
_GIVEN_ROOTS = (
    "Mohammed",
    "Abdul",
    "Masood",
    "Rauf",
    "Ghani",
    "Siraj",
    "Hafiz",
    "Zaki",
    "Imran",
    "Nawaz",
    "Tariq",
    "Yusuf",
    "Khalid",
    "Bilal",
    "Hamid",
    "Rashid",
    "Sajid",
    "Wahid",
    "Javed",
    "Naveed",
    "Asif",
    "Omar",
)
_TITLES = ("Maulana", "Mullah", "Sheikh", "Mufti", "Qari", "Hafiz", "Commander", "General")
_PLACE_FORMS = ("{R}", "{R}", "{R}", "{R} Valley", "{R} District", "North {R}", "South {R}", "Upper {R}", "Dera {R}")

_VOWEL_CHARS = frozenset("aeiou")
# Rejected: 3+ vowels in a row, doubled short vowels, two long vowels, 3+ consonants.
_CLUSTERS = re.compile(r"[aeiou]{3}|ii|uu|(?:aa|ee|oo).*(?:aa|ee|oo)|[^aeiou'\s]{4}")

# Spelling variants of transliterations (applied to one occurrence).
_SUBSTITUTIONS = (
    ("ee", "i"),
    ("oo", "u"),
    ("aa", "a"),
    ("q", "k"),
    ("kh", "k"),
    ("i", "ee"),
    ("u", "oo"),
    ("-e-", "-i-"),
    ("-i-", "-e-"),
    ("-ul-", "-al-"),
    ("-al-", "-ul-"),
    ("Mohammed", "Muhammad"),
    ("Tehreek", "Tehrik"),
    ("sh", "sch"),
    ("z", "dh"),
    ("ph", "f"),
    ("w", "v"),
    ("pur", "poor"),
    ("abad", "abaad"),
)

_ENGLISH = frozenset(
    w for form in (*_ORG_FORMS, *_PLACE_FORMS, *_TITLES, *_CONNECTORS, "Abu") for w in re.findall(r"[A-Za-z']+", form)
)
_YAML_SPECIAL = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def _next_to_vowel(s: str, start: int, end: int) -> bool:
    return (start > 0 and s[start - 1] in _VOWEL_CHARS) or (end < len(s) and s[end] in _VOWEL_CHARS)


def _snake(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")
    return s if s[:1].isalpha() else "e_" + s


class NameGenerator:
    """An infinite, deterministic stream of entities with unique names."""

    def __init__(self, seed: int, forbidden_words: frozenset[str]) -> None:
        self.rng = random.Random(seed)
        self.forbidden = forbidden_words
        self.keys: set[str] = set()
        self.ids: set[str] = set()

    # -- words ---------------------------------------------------------------

    def _syllable(self, first: bool) -> str:
        r = self.rng
        onset = r.choices(_ONSETS, _ONSET_W)[0] if first else r.choices(_ONSETS[:-1], _ONSET_W[:-1])[0]
        return onset + r.choices(_VOWELS, _VOWEL_W)[0] + r.choices(_CODAS, _CODA_W)[0]

    def word(self, ends: tuple[str, ...] = _WORD_ENDS, min_syl: int = 1, max_syl: int = 3) -> str:
        """A capitalised pseudo-word that is not an English prose word."""
        r = self.rng
        while True:
            w = "".join(self._syllable(first=i == 0) for i in range(r.randint(min_syl, max_syl)))
            end = r.choice(ends) if ends else ""
            if end and w[-1] in _VOWEL_CHARS and end[0] in _VOWEL_CHARS:
                w += r.choice("dnrm")  # no vowel pile-ups: "Zooba" + "een" -> "Zoobameen"
            w += end
            if r.random() < 0.03 and len(w) > 4:  # Sa'eed, Jama'at
                i = r.randint(2, len(w) - 2)
                w = w[:i] + "'" + w[i:]
            if 4 <= len(w) <= 14 and w.casefold() not in self.forbidden and not _CLUSTERS.search(w):
                return w[0].upper() + w[1:]

    # -- names ---------------------------------------------------------------

    def _acronym(self, words: list[str], lower_connectors: bool) -> str:
        parts = []
        for w in words:
            if w.casefold() in {"of", "the", "for"}:
                continue
            if w.islower() and lower_connectors:
                parts.append(w[0])
            elif w[:1].isalpha():
                parts.append(w[0].upper())
        return "".join(parts)

    def _organization(self) -> tuple[str, list[str]]:
        r = self.rng
        if r.random() < 0.6:
            head, tail = r.choice(_ORG_HEADS), self.word()
            conn = r.choice(_CONNECTORS)
            name = f"{head}-{conn}-{tail}"
            words = [head, conn, tail]
            if r.random() < 0.3:
                region = self.word(_PLACE_ENDS, 1, 2)
                name += " " + region
                words.append(region)
            acronyms = [self._acronym(words, True), self._acronym(words, False)]
        else:
            place = self.word(_PLACE_ENDS, 1, 2)
            name = r.choice(_ORG_FORMS).format(P=place)
            words = re.split(r"[\s\-]+", name)
            acr = self._acronym(words, False)
            acronyms = [acr]
            if name.endswith("League") and r.random() < 0.5:
                letter = r.choice("NQFZJ")
                name += f" ({letter})"
                acronyms = [f"{acr}-{letter}", f"{acr}{letter}"]
        extra = [self._variant(name), self._variant(name), *acronyms[: r.randint(1, len(acronyms))]]
        return name, extra

    def _person(self) -> tuple[str, list[str]]:
        r = self.rng
        given = r.choice(_GIVEN_ROOTS) if r.random() < 0.35 else self.word((), 2, 2)
        middle = self.word((), 1, 2) if r.random() < 0.5 else ""
        family = self.word(_SURNAME_ENDS, 1, 3)
        if given == "Abdul" and not middle:
            middle = self.word((), 2, 2)
        name = " ".join(p for p in (given, middle, family) if p)
        extra = [self._variant(name), f"{r.choice(_TITLES)} {name}"]
        if middle:
            extra.append(f"{middle} {family}")
        if r.random() < 0.3:
            extra.append(f"Abu {self.word((), 2, 3)}")
        return name, extra

    def _place(self) -> tuple[str, list[str]]:
        r = self.rng
        root = self.word(_PLACE_ENDS, 1, 2)
        name = r.choice(_PLACE_FORMS).format(R=root)
        extra = [self._variant(name), self._variant(name)]
        if r.random() < 0.2:
            extra.append(self.word(_PLACE_ENDS, 1, 2))  # an old or local name
        return name, extra

    def _variant(self, name: str) -> str:
        """One transliteration variant (may equal ``name`` when nothing applies).

        English words ("Liberation", "Valley", titles) are never respelt.
        """
        protected = [m.span() for m in re.finditer(r"[A-Za-z']+", name) if m.group() in _ENGLISH]
        spots = [
            (m.start(), a, b)
            for a, b in _SUBSTITUTIONS
            for m in re.finditer(re.escape(a), name)
            if not any(s <= m.start() < e for s, e in protected)
            and not (a in _VOWEL_CHARS and _next_to_vowel(name, m.start(), m.end()))
        ]
        if not spots:
            return name
        i, a, b = self.rng.choice(spots)
        return name[:i] + b + name[i + len(a) :]

    # -- uniqueness ----------------------------------------------------------

    def _free(self, name: str) -> bool:
        key = name_key(name)
        if not key or key in self.keys or name.casefold() in _YAML_SPECIAL:
            return False
        return " " in key or key not in self.forbidden

    def _claim(self, name: str) -> None:
        self.keys.add(name_key(name))

    def _new_id(self, canonical: str) -> str:
        base = _snake(canonical)
        eid, n = base, 2
        while eid in self.ids:
            eid, n = f"{base}_{n}", n + 1
        self.ids.add(eid)
        return eid

    def accept(self, e: Entity) -> Entity:
        """Register a hand-written entity's names and id (unique, but may be seed words)."""
        for n in e.names:
            if name_key(n) in self.keys:
                raise ValueError(f"name {n!r} of {e.id} is not unique")
            self._claim(n)
        self.ids.add(e.id)
        return e

    def __iter__(self) -> Iterator[Entity]:
        makers = (("organization", self._organization), ("person", self._person), ("place", self._place))
        weights = (40, 45, 15)
        while True:
            etype, make = self.rng.choices(makers, weights)[0]
            canonical, extra = make()
            if not self._free(canonical):
                continue
            self._claim(canonical)
            want = self.rng.randint(1, 4)
            aliases: list[str] = []
            for cand in extra:
                if len(aliases) < want and self._free(cand):
                    self._claim(cand)
                    aliases.append(cand)
            while not aliases:  # every entity has at least one alias
                cand = self._variant(canonical) if self.rng.random() < 0.5 else f"{canonical} {self.word((), 1, 1)}"
                if self._free(cand):
                    self._claim(cand)
                    aliases.append(cand)
            yield Entity(self._new_id(canonical), etype, canonical, tuple(aliases))
