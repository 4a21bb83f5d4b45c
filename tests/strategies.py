"""Reusable Hypothesis strategies: glossaries and the texts built around them.

* :func:`glossary_data` draws the plain data of a random *valid* glossary
  (what ``yaml.safe_load`` of an ``aliases.yaml`` returns) and
  :func:`glossaries` loads it. Names come from realistic alphabets: Latin
  with diacritics, apostrophes inside words (``Jama’at``), hyphens and
  connectors (``Jaish-e-Mohammed``), digits (``Brigade 313``), Arabic-script
  and Devanagari names (with their combining marks), acronyms (``JeM``,
  ``PML-N``). Entities share aliases (ambiguous names) and have aliases that
  are prefixes of other names; aliases may be exact-case, weak, ambiguous or
  need context words; glossaries may have titles, declared types, spelling
  rules and free metadata with arbitrary strings (for the YAML round trip).
* :func:`texts_for` draws a text around a glossary: its names in random
  case, with other apostrophe forms, possessives, brackets and quotes, line
  breaks, odd spacing, zero-width characters and combining marks *inside*
  the mention, titles before person names, spelling variants, context
  words, embedded in random Unicode (combining marks, zero-width characters,
  emoji sequences, right-to-left text and controls, compatibility characters
  that expand when folded, arbitrary surrogate-free code points).
"""

from __future__ import annotations

import random
from typing import Any

import yaml
from hypothesis import strategies as st

import resolver
from resolver.folding import fold
from resolver.glossary import dumps, is_acronym, loads

# --------------------------------------------------------------------------
# Alphabets

LATIN = "abcdefghijklmnopqrstuvwxyz"
#: Latin letters with diacritics, including ones whose case mapping is not
#: one-to-one (``ß`` upper-cases to ``SS``, ``ı`` has no lower-case pair).
DIACRITICS = "àáâãäåāăçćčďéèêëēėęěğîïíīłñńňóôõöøōőřśşšţťúûüūůűýÿźżžßı"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "پچژگکیہےٹڈڑں"
#: Arabic short vowels and shadda (combining marks, dropped when folding).
HARAKAT = "\u064e\u064f\u0650\u0651\u0652"
DEVANAGARI_CONSONANTS = "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह"
DEVANAGARI_VOWELS = "अआइईउऊएऐओऔ"
#: Vowel signs (spacing and non-spacing), virama, anusvara and nukta.
DEVANAGARI_SIGNS = "ािीुूेैोौ्ंँ़"
DIGITS = "0123456789"

#: Apostrophe forms that fold to one (``'``).
APOSTROPHES = ("'", "’", "ʼ", "‘", "`")
#: Connectors between name parts in this domain.
CONNECTORS = ("-e-", "-i-", "-ul-", " al-", " bin ", "-")
#: Name parts that spelling rules relate (see :data:`SPELLING_RULES`).
RULE_WORDS = ("Mohammed", "Muhammad", "Mohammad", "Tehreek", "Tehrik")
SPELLING_RULES = [
    {"name": "Mohammed-class", "members": ["Mohammed", "Muhammad", "Mohammad"]},
    {"name": "Tehreek-class", "members": ["Tehreek", "Tehrik"]},
    {"name": "connector", "members": ["e", "i", "ul"], "scope": "connector"},
]
TITLES = ("Maulana", "Dr", "Lt Gen", "Sheikh")
TYPES = ("organization", "person", "place")
#: Words used as ``context: near`` words and sprinkled in texts.
CONTEXT_WORDS = ("newspaper", "army", "reported", "group")

#: Characters and sequences placed inside and around mentions.
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
COMBINING = ("\u0301", "\u0308", "\u0327", "\u20dd", "\u0651")
EMOJI = ("😀", "👨\u200d👩\u200d👧", "🇵🇰", "👍🏽", "❤\ufe0f", "🏳\ufe0f\u200d🌈")
RTL = ("\u202eJeM\u202c", "\u200fשלום\u200f", "مرحبا بالعالم", "\u202b(اردو)\u202c", "\u2067ف\u2069")
#: Characters whose fold is longer or shorter than themselves, or odd in case.
ODD = ("İ", "ß", "ẞ", "ﬁ", "ǅ", "Ⅻ", "㎏", "ＪｅＭ", "…", "ŉ", "ΐ", "\u0130stanbul", "K\u0301", "½")
SEPARATORS = (" ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u2009", "\u3000", "-", "–", "—", " - ", "-\n", "\u2028")
BRACKETS = (("(", ")"), ("[", "]"), ("“", "”"), ("«", "»"), ('"', '"'), ("'", "'"), ("<", ">"), ("*", "*"))
JOINERS = (" ", " ", " ", "\n", "\n\n", ", ", ". ", "; ", " (", ") ", "", "\r\n", "\t", "… ", " — ")
#: Near misses after a name: possessives, a bare apostrophe, a plural.
SUFFIXES = ("", "", "", "’s", "'s", "’", "s", "'")

# --------------------------------------------------------------------------
# Names (strategies are built once, at import: building them per draw is slow)

_LATIN_TEXT = st.sampled_from(
    (
        st.text(alphabet=LATIN, min_size=2, max_size=8),
        st.text(alphabet=LATIN + DIACRITICS, min_size=2, max_size=8),
        st.text(alphabet=DIACRITICS, min_size=2, max_size=8),
    )
).flatmap(lambda s: s)
_SHORT_LATIN = st.text(alphabet=LATIN, min_size=1, max_size=4)
_NUMBERS = st.tuples(st.text(alphabet=DIGITS, min_size=1, max_size=3), st.sampled_from(("", "th", "nd"))).map("".join)
_APOSTROPHE = st.sampled_from(APOSTROPHES)


@st.composite
def latin_words(draw: st.DrawFn) -> str:
    """A Latin word, sometimes with diacritics, an inner apostrophe
    (``Jama’at``) or digits (``17th``)."""
    w = draw(_LATIN_TEXT)
    kind = draw(st.integers(0, 9))
    if kind == 0:  # an inner apostrophe
        w += draw(_APOSTROPHE) + draw(_SHORT_LATIN)
    elif kind == 1:  # digits
        w = draw(_NUMBERS)
    if draw(st.booleans()):
        w = w[0].upper() + w[1:]
    return w


_ARABIC_LETTER = st.tuples(st.sampled_from(ARABIC), st.sampled_from(("",) * 4 + tuple(HARAKAT))).map("".join)
_ARABIC_WORDS = st.lists(_ARABIC_LETTER, min_size=2, max_size=7).map("".join)
_DEVANAGARI_SYLLABLE = st.tuples(
    st.sampled_from(DEVANAGARI_CONSONANTS), st.sampled_from(("",) * 9 + tuple(DEVANAGARI_SIGNS))
).map("".join)
_DEVANAGARI_WORDS = st.tuples(
    st.sampled_from(("",) * 3 + tuple(DEVANAGARI_VOWELS)), st.lists(_DEVANAGARI_SYLLABLE, min_size=1, max_size=4).map("".join)
).map("".join)
_WORDS = st.one_of(latin_words(), latin_words(), _ARABIC_WORDS, _DEVANAGARI_WORDS, st.sampled_from(RULE_WORDS))


def words() -> st.SearchStrategy[str]:
    """One name part in one of the realistic scripts (Latin most often)."""
    return _WORDS


_UPPER_TEXT = st.text(alphabet=UPPER, min_size=2, max_size=5)


@st.composite
def acronyms(draw: st.DrawFn) -> str:
    """``ISI``, ``JeM``, ``PML-N``, ``G7``-like short names."""
    letters = draw(_UPPER_TEXT)
    kind = draw(st.integers(0, 5))
    if kind == 0 and len(letters) >= 3:  # mixed case (JeM)
        letters = letters[0] + letters[1].lower() + letters[2:]
    elif kind == 1:
        letters += "-" + draw(st.sampled_from(UPPER))
    elif kind == 2:
        letters += draw(st.text(alphabet=DIGITS, min_size=1, max_size=2))
    return letters


_ACRONYMS = acronyms()
_JOIN_PARTS = st.sampled_from((" ", " ", "-") + CONNECTORS)
_PARTS = st.lists(_WORDS, min_size=1, max_size=3)


@st.composite
def _names(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 4)) == 0:
        return draw(_ACRONYMS)
    parts = draw(_PARTS)
    out = parts[0]
    for p in parts[1:]:
        out += draw(_JOIN_PARTS) + p
    return out


_NAMES = _names()


def names() -> st.SearchStrategy[str]:
    """A canonical name or alias: an acronym, or one to three name parts
    joined by spaces, hyphens or connectors."""
    return _NAMES


# --------------------------------------------------------------------------
# Glossaries


def _usable(name: str) -> bool:
    """A name the loader accepts (it folds to something)."""
    return bool(fold(name)) and bool(name.strip())


_FREE = st.one_of(
    st.text(min_size=1, max_size=20),
    st.sampled_from(("yes", "No", "null", "~", "1e3", "0x1F", "&a", "*a", "- x", "a: b", "#", "'", '"', "%TAG", "<<")),
).map(lambda s: s if s.strip() else "x" + s)


def free_strings() -> st.SearchStrategy[str]:
    """Metadata text: arbitrary (surrogate-free) Unicode and YAML look-alikes."""
    return _FREE


_USABLE_NAMES = _NAMES.filter(_usable)
_ALIAS_LISTS = st.lists(_NAMES, max_size=3)
_ID_PREFIX = st.text(alphabet=LATIN, min_size=1, max_size=6)
_CONTEXT = st.fixed_dictionaries(
    {"near": st.lists(st.sampled_from(CONTEXT_WORDS), min_size=1, max_size=2, unique=True), "window": st.integers(1, 6)}
)


@st.composite
def glossary_data(draw: st.DrawFn, min_entities: int = 1, max_entities: int = 6) -> dict[str, Any]:
    """The data of a random valid glossary (see the module documentation).
    Aliases are flagged ``ambiguous: true`` mostly when shared, sometimes when
    not (the loader accepts the flag anywhere)."""
    n = draw(st.integers(min_entities, max_entities))
    data: dict[str, Any] = {"version": 1}
    if draw(st.booleans()):
        data["types"] = list(TYPES)
    if draw(st.booleans()):
        data["titles"] = draw(st.lists(st.sampled_from(TITLES), min_size=1, max_size=3, unique=True))
    if draw(st.integers(0, 3)) == 0:
        rules = st.lists(st.sampled_from(range(len(SPELLING_RULES))), min_size=1, max_size=3, unique=True)
        data["spelling"] = [SPELLING_RULES[i] for i in draw(rules)]
    entities: list[dict[str, Any]] = []
    pool: list[str] = []  # names already used, to share
    for i in range(n):
        eid = draw(_ID_PREFIX) + f"_{i}"
        canonical = draw(_USABLE_NAMES)
        raw = draw(_ALIAS_LISTS)
        if pool and draw(st.integers(0, 2)) == 0:
            raw.append(draw(st.sampled_from(pool)))  # a shared alias
        if draw(st.integers(0, 3)) == 0:  # a prefix of this or another name
            source = draw(st.sampled_from([canonical] + pool))
            raw.append(source.replace("-", " ").split(" ")[0])
        aliases: list[Any] = []
        seen = {canonical}
        for a in raw:
            if a in seen or not _usable(a):
                continue
            seen.add(a)
            shared = a in pool
            pool.append(a)
            options: dict[str, Any] = {}
            kind = draw(st.integers(0, 11))
            if kind == 0:
                options["case"] = "insensitive" if is_acronym(a) else "exact"
            elif kind == 1:
                options["weak"] = True
            elif kind == 2 or (shared and kind < 8):
                options["ambiguous"] = True
            elif kind == 3:
                options["context"] = draw(_CONTEXT)
            elif kind == 4:
                options["note"] = draw(_FREE)
            aliases.append({"name": a, **options} if options else a)
        pool.append(canonical)
        ent: dict[str, Any] = {"id": eid, "type": draw(st.sampled_from(TYPES)), "canonical": canonical}
        spellings = [canonical] + [a if isinstance(a, str) else a["name"] for a in aliases]
        if draw(st.integers(0, 3)) == 0:
            ent["short"] = draw(st.sampled_from(spellings))
        if draw(st.integers(0, 3)) == 0:
            ent["description"] = draw(_FREE)
        if draw(st.integers(0, 5)) == 0:
            ent["sources"] = draw(st.lists(_FREE, min_size=1, max_size=2))
        if aliases:
            ent["aliases"] = aliases
        entities.append(ent)
    data["entities"] = entities
    return data


def to_yaml(data: dict[str, Any]) -> str:
    """Glossary data as YAML text (what a person would save)."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)


def load_data(data: dict[str, Any]) -> resolver.Glossary:
    """Load glossary data through the real loader (YAML text in between)."""
    return loads(to_yaml(data), "<hypothesis>")


_GLOSSARIES = glossary_data().map(load_data)


def glossaries(min_entities: int = 1, max_entities: int = 6) -> st.SearchStrategy[resolver.Glossary]:
    """Random valid glossaries (see :func:`glossary_data`)."""
    if (min_entities, max_entities) == (1, 6):
        return _GLOSSARIES
    return glossary_data(min_entities, max_entities).map(load_data)


# --------------------------------------------------------------------------
# Texts


def _recase(name: str, how: int, rnd: random.Random) -> str:
    if how == 0:
        return name.upper()
    if how == 1:
        return name.lower()
    if how == 2:
        return name.swapcase()
    if how == 3:
        return name.title()
    return "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in name)


_SEPARATOR = st.sampled_from(SEPARATORS)
_INSIDE = st.sampled_from(ZERO_WIDTH + COMBINING)
_TITLE_GAP = st.sampled_from((" ", ". ", "\n", "  "))
_SUFFIX = st.sampled_from(SUFFIXES)
_BRACKET = st.sampled_from(BRACKETS)
_RANDOMS = st.randoms(use_true_random=False)


@st.composite
def mentions_of(draw: st.DrawFn, glossary: resolver.Glossary) -> str:
    """One written mention of a name of ``glossary``, disguised the ways
    writers and editors disguise names."""
    all_names = tuple(n for e in glossary.values() for n in e.names)
    n = draw(st.sampled_from(all_names))
    if draw(st.integers(0, 2)) == 0:  # random case
        n = _recase(n, draw(st.integers(0, 4)), draw(_RANDOMS))
    if draw(st.integers(0, 3)) == 0:  # another apostrophe form
        for a in APOSTROPHES:
            n = n.replace(a, draw(_APOSTROPHE))
    if draw(st.integers(0, 3)) == 0 and glossary.spelling:  # a spelling variant
        for rule in glossary.spelling:
            for m in rule.members:
                if m in n and rule.scope == "word":
                    n = n.replace(m, draw(st.sampled_from(rule.members)))
    if draw(st.integers(0, 2)) == 0:  # odd spacing and line breaks between parts
        n = n.replace(" ", draw(_SEPARATOR)).replace("-", draw(_SEPARATOR))
    if draw(st.integers(0, 4)) == 0 and len(n) > 1:  # an invisible character or a mark inside
        i = draw(st.integers(1, len(n) - 1))
        n = n[:i] + draw(_INSIDE) + n[i:]
    if draw(st.booleans()) and glossary.titles:  # a title before it (kept only before a person's name)
        n = draw(st.sampled_from(glossary.titles)) + draw(_TITLE_GAP) + n
    n += draw(_SUFFIX)  # possessives (and near misses)
    if draw(st.integers(0, 3)) == 0:
        left, right = draw(_BRACKET)
        n = left + n + right
    return n


_NOISE = st.one_of(
    st.sampled_from(ZERO_WIDTH + COMBINING + EMOJI + RTL),
    st.sampled_from(ODD),
    st.text(max_size=6),  # arbitrary surrogate-free code points
    st.text(st.characters(codec="utf-8", categories=["Mn", "Me", "Cf", "Zs", "Pd", "Po", "So", "Lo"]), max_size=4),
    st.sampled_from(CONTEXT_WORDS),
    _SEPARATOR,
    _WORDS,
    _WORDS,
)


def noise() -> st.SearchStrategy[str]:
    """Random Unicode around mentions."""
    return _NOISE


_JOINER = st.sampled_from(JOINERS)


@st.composite
def texts_for(draw: st.DrawFn, glossary: resolver.Glossary, max_pieces: int = 10) -> str:
    """A text made of ``glossary``'s names (see :func:`mentions_of`) and
    noise (see :func:`noise`), joined by spaces, line breaks, punctuation or
    nothing at all."""
    mention = mentions_of(glossary)
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, max_pieces))):
        pieces.append(draw(mention) if draw(st.integers(0, 2)) else draw(_NOISE))
        pieces.append(draw(_JOINER))
    return "".join(pieces)


def dump_shuffled(g: resolver.Glossary, rnd: Any) -> resolver.Glossary:
    """``g`` with its entities and each entity's aliases in another order,
    through a YAML dump and load."""
    ents = list(g.entities)
    rnd.shuffle(ents)
    ents = [resolver.Entity(e.id, e.type, e.canonical, tuple(rnd.sample(e.aliases, len(e.aliases))), e.short, e.meta) for e in ents]
    return loads(dumps(resolver.Glossary(tuple(ents), g.titles, g.spelling, g.types)))
