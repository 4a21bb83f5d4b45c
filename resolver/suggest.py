"""Did-you-mean: the glossary entries closest to a name the glossary lacks.

A name a writer spelled differently from every glossary spelling is most often
a *transliteration* variant (``Mohamad``/``Mohammed``, ``Tehrik``/``Tehreek``,
``Tayyiba``/``Taiba``, ``Jalaluddin``/``Jalal-ud-Din``) or a typo (a dropped,
doubled or swapped letter). Plain edit distance scores those poorly, and a
whole-string scorer cannot see that ``Ratcliff`` is the surname of ``John
Ratcliffe``. So scoring happens on a *transliteration key* and token by token.

**Keys.** Both sides go through :func:`light_key`: the resolver's
:func:`~resolver.folding.fold` (case, diacritics, apostrophes, hyphens), the
glossary's word spelling rules (``Muhammad`` → ``Mohammed``), connector
unification (``-e-``/``-i-``/``-ul-``/``-al-``/``-ud-``… between two name
parts all become ``e``) and doubled letters collapsed (``Sirajjudin`` →
``sirajudin``). :func:`skeleton` then maps each token further: ``ph``→``f``,
``q``→``k``, ``kh``/``gh``/``dh``/``th``→``k``/``g``/``d``/``t``, ``w``→``v``,
``y`` after a letter counts as a vowel, and every run of vowels becomes one
``a`` — so ``Mohammed``, ``Muhammad`` and ``Mohamad`` share the skeleton
``mahamad``, and ``Taiba``, ``Tayyiba``, ``Toiba`` share ``taba``.

**Scorer.** The similarity of two tokens is rapidfuzz's normalized Indel
similarity (:func:`rapidfuzz.fuzz.ratio`) on the light keys, raised to the
skeleton similarity less :data:`SKELETON_PENALTY` when that is higher (equal
skeletons score 94, not 100: a skeleton loses information). The tokens of the
term are then paired one-to-one with the tokens of a glossary name, best pairs
first, in any order (token-aware, so ``Haqqani Sirajuddin`` finds ``Sirajuddin
Haqqani``). The score is

    explained × (1 − COVERAGE_WEIGHT × (1 − covered))

where *explained* is the length-weighted mean similarity of the term's tokens
(a term token with no counterpart scores 0: ``Pakistan Air Force`` is not a
variant of ``Pakistan``) and *covered* the share of the glossary name's
letters that were paired (``Ratcliff`` covers most of ``John Ratcliffe`` and
still scores ~ 89: a surname alone is a likely short form). rapidfuzz's
C scorers (:func:`rapidfuzz.process.extract`) preselect the candidate tokens,
so only a few names are scored in Python whatever the glossary's size.

**Acronyms** (``DGISI``, ``PTI``) are compared only with acronym spellings and
with the initials of multi-word names (``PTI`` ~ ``Pakistan Tehreek-e-Insaf``),
and reach a *likely variant* score only when equal to one of them once dots and
hyphens are ignored: one letter apart is usually another organization.

>>> from resolver.glossary import loads
>>> g = loads('''
... version: 1
... spelling:
...   - {name: Mohammed-class, members: [Mohammed, Mohammad, Muhammad, Mohamad]}
... entities:
...   - {id: jem, type: organization, canonical: Jaish-e-Mohammed, aliases: [JeM]}
...   - {id: let, type: organization, canonical: Lashkar-e-Taiba, aliases: [LeT]}
...   - {id: ratcliffe, type: person, canonical: John Ratcliffe}
... ''')
>>> s = Suggester(g)
>>> [(x.entity_id, round(x.score)) for x in s.suggest("Jaish-i-Mohamad")]
[('jem', 100)]
>>> [(x.entity_id, x.alias) for x in s.suggest("Lashkar-e-Tayyiba")]
[('let', 'Lashkar-e-Taiba')]
>>> top = s.suggest("Ratcliff")[0]; top.entity_id, top.score >= DEFAULT_VARIANT_THRESHOLD
('ratcliffe', True)
>>> s.suggest("Pakistan Air Force")
()
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .folding import fold
from .glossary import Glossary, is_acronym


def _words(text: str) -> frozenset[str]:
    """The space-separated words of ``text`` (word lists written as prose)."""
    return frozenset(text.split())


__all__ = [
    "CONNECTORS",
    "DEFAULT_CUTOFF",
    "DEFAULT_LIMIT",
    "DEFAULT_VARIANT_THRESHOLD",
    "Suggester",
    "Suggestion",
    "acronym_key",
    "joined_key",
    "light_key",
    "skeleton",
]

#: Suggestions scoring below this (0–100) are not listed.
DEFAULT_CUTOFF = 60.0
#: A top suggestion at or above this makes an unknown term a *likely variant*.
DEFAULT_VARIANT_THRESHOLD = 85.0
#: How many suggestions are listed at most.
DEFAULT_LIMIT = 3
#: Names scored in full per term: those sharing the most similar words with it.
MAX_CANDIDATES = 64

#: Equal skeletons score 100 minus this: a skeleton drops the vowels.
SKELETON_PENALTY = 6.0
#: How much an unpaired part of the glossary name lowers the score (0: not at all).
COVERAGE_WEIGHT = 0.25
#: Score of an acronym equal to the initials of a multi-word name.
INITIALS_SCORE = 88.0
#: Acronym similarity is scaled by this unless the letters are equal.
ACRONYM_SCALE = 0.8

#: Short words that join the parts of a name in this domain (Urdu/Arabic/Persian
#: ``-e-``, ``-i-``, ``-ul-``, ``-ud-``, ``-al-``…). Between two other parts
#: they all fold to ``e`` before scoring.
CONNECTORS = _words("e i ul ud ur us un ut ush ash as ad an ar at az al el il wal wa o")

_DOUBLE = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]+")
_DIGRAPHS = (
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("th", "t"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
    ("'", ""),
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A glossary entity a term probably means: ``alias`` is the entity's
    spelling closest to the term, ``score`` the similarity from 0 to 100."""

    entity_id: str
    canonical: str
    alias: str
    score: float

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "entity_id": self.entity_id,
            "canonical": self.canonical,
            "alias": self.alias,
            "score": round(self.score, 1),
        }


def _rules_map(g: Glossary) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in g.spelling:
        if r.scope != "word":
            continue
        members = [fold(m) for m in r.members]
        for m in members:
            out.setdefault(m, members[0])
    return out


def light_key(name: str, rules: dict[str, str] | None = None) -> tuple[str, ...]:
    """The tokens of ``name`` after folding, spelling rules, connector
    unification and collapsing of doubled letters.

    >>> light_key("Harkat-ul-Mujahideen"), light_key("Sirajjudin Haqqani")
    (('harkat', 'e', 'mujahiden'), ('sirajudin', 'haqani'))
    >>> light_key("Jaish-e Muhammad", {"muhammad": "mohammed"})
    ('jaish', 'e', 'mohamed')
    """
    toks = fold(name).replace("'", "").split()
    out = []
    for i, t in enumerate(toks):
        if rules and t in rules:
            t = rules[t]
        if 0 < i < len(toks) - 1 and t in CONNECTORS:
            t = "e"
        out.append(_DOUBLE.sub(r"\1", t))
    return tuple(out)


def joined_key(name: str, rules: dict[str, str] | None = None) -> tuple[str, ...]:
    """Like :func:`light_key`, but a connector and the two parts around it
    make one token, as some writers spell them (``Jalal-ud-Din`` ~
    ``Jalaluddin``, ``Harkat-ul-Mujahideen`` ~ ``Harkatul Mujahideen``).

    >>> joined_key("Jalal-ud-Din Haqqani"), joined_key("Taliban")
    (('jalaludin', 'haqani'), ('taliban',))
    """
    toks = fold(name).replace("'", "").split()
    out: list[str] = []
    glue = False
    for i, t in enumerate(toks):
        if rules and t in rules:
            t = rules[t]
        if 0 < i < len(toks) - 1 and t in CONNECTORS and out:
            out[-1] += t
            glue = True
        elif glue:
            out[-1] += t
            glue = False
        else:
            out.append(t)
    return tuple(_DOUBLE.sub(r"\1", t) for t in out)


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """A light-key token reduced to its consonants, every vowel run one ``a``.

    >>> [skeleton(t) for t in ("mohamed", "muhamad", "tayiba", "toiba", "tehrek", "tahrik")]
    ['mahamad', 'mahamad', 'taba', 'taba', 'tahrak', 'tahrak']
    """
    s = token
    for a, b in _DIGRAPHS:
        if a in s:
            s = s.replace(a, b)
    if len(s) > 1 and "y" in s[1:]:
        s = s[0] + s[1:].replace("y", "a")
    return _DOUBLE.sub(r"\1", _VOWELS.sub("a", s))


def acronym_key(name: str) -> str:
    """The letters of an acronym, upper case, without dots, hyphens, spaces.

    >>> acronym_key("P.M.L-N"), acronym_key("JeM")
    ('PMLN', 'JEM')
    """
    return "".join(c for c in fold(name, casefold=False) if c.isalnum()).upper()


def _initials(tokens: Sequence[str]) -> str:
    return "".join(t[0] for t in tokens if t and t not in CONNECTORS and t not in ("of", "the", "and")).upper()


@dataclass(frozen=True, slots=True)
class _Name:
    entity_id: str
    name: str
    tokens: tuple[str, ...]
    skels: tuple[str, ...]
    weights: tuple[float, ...]


def _weights(tokens: Sequence[str]) -> tuple[float, ...]:
    return tuple(1.0 if t in CONNECTORS or t == "e" else float(len(t)) for t in tokens)


class Suggester:
    """A glossary indexed for did-you-mean. Build once per glossary; it is
    read-only afterwards, and remembers the suggestions it computed.

    ``cutoff``: suggestions below this score are dropped; ``limit``: at most
    this many (one per entity, best first, ties by entity id).
    """

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._rules = _rules_map(glossary)
        self._names: list[_Name] = []
        self._by_token: dict[str, list[int]] = {}
        self._by_skel: dict[str, list[int]] = {}
        self._acronyms: dict[str, list[tuple[str, str]]] = {}  # letters -> (entity id, spelling)
        self._initials: dict[str, list[tuple[str, str]]] = {}
        self._cache: dict[tuple[str, float, int], tuple[Suggestion, ...]] = {}
        for e in glossary.entities:
            for name in dict.fromkeys(e.names):
                if is_acronym(name):
                    self._acronyms.setdefault(acronym_key(name), []).append((e.id, name))
                    continue
                toks = light_key(name, self._rules)
                if not toks:
                    continue
                for key in dict.fromkeys((toks, joined_key(name, self._rules))):
                    idx = len(self._names)
                    self._names.append(_Name(e.id, name, key, tuple(skeleton(t) for t in key), _weights(key)))
                    for t in set(key):
                        if t not in CONNECTORS and t != "e":
                            self._by_token.setdefault(t, []).append(idx)
                            self._by_skel.setdefault(skeleton(t), []).append(idx)
                if len([t for t in toks if t not in CONNECTORS]) >= 2:
                    ini = _initials(toks)
                    if len(ini) >= 2:
                        self._initials.setdefault(ini, []).append((e.id, name))
        self._tokens = list(self._by_token)
        self._skels = list(self._by_skel)
        self._acronym_keys = list(self._acronyms)

    # ------------------------------------------------------------------
    def suggest(
        self, term: str, *, cutoff: float = DEFAULT_CUTOFF, limit: int = DEFAULT_LIMIT
    ) -> tuple[Suggestion, ...]:
        """The entities ``term`` most probably means, best first.

        >>> from resolver.glossary import loads
        >>> g = loads("version: 1\\nentities:\\n  - {id: isi, type: organization, canonical: Inter-Services Intelligence, aliases: [ISI]}")
        >>> [(x.entity_id, x.alias, round(x.score)) for x in Suggester(g).suggest("I.S.I.")]
        [('isi', 'ISI', 100)]
        """
        key = (term, cutoff, limit)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._suggest(term, cutoff, limit)
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[key] = hit
        return hit

    def _suggest(self, term: str, cutoff: float, limit: int) -> tuple[Suggestion, ...]:
        if limit <= 0:
            return ()
        if _acronym_like(term):
            scored = self._acronym_scores(term)
        else:
            scored = self._name_scores(term)
        best: dict[str, tuple[float, str]] = {}
        for eid, name, score in scored:
            if score >= cutoff and (eid not in best or score > best[eid][0]):
                best[eid] = (score, name)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return tuple(
            Suggestion(eid, self.glossary[eid].canonical, name, min(score, 100.0)) for eid, (score, name) in ranked
        )

    def _acronym_scores(self, term: str) -> Iterable[tuple[str, str, float]]:
        letters = acronym_key(term)
        if not letters:
            return
        for eid, name in self._acronyms.get(letters, ()):
            yield eid, name, 100.0
        for eid, name in self._initials.get(letters, ()):
            yield eid, name, INITIALS_SCORE
        for key, score, _ in process.extract(letters, self._acronym_keys, scorer=fuzz.ratio, score_cutoff=50, limit=20):
            if key != letters:
                for eid, name in self._acronyms[key]:
                    yield eid, name, score * ACRONYM_SCALE

    def _name_scores(self, term: str) -> Iterable[tuple[str, str, float]]:
        for toks in dict.fromkeys((light_key(term, self._rules), joined_key(term, self._rules))):
            if not toks:
                continue
            skels = tuple(skeleton(t) for t in toks)
            weights = _weights(toks)
            # Candidates: names sharing a similar word or skeleton; in a big
            # glossary a common word ("Khan") is in thousands of names, so
            # only the MAX_CANDIDATES that share the most are scored in full.
            hits: Counter[int] = Counter()
            for t, s in zip(toks, skels):
                if t in CONNECTORS or t == "e":
                    continue
                for key, _, _ in process.extract(t, self._tokens, scorer=fuzz.ratio, score_cutoff=60, limit=40):
                    hits.update(self._by_token[key])
                for key, _, _ in process.extract(s, self._skels, scorer=fuzz.ratio, score_cutoff=75, limit=40):
                    hits.update(self._by_skel[key])
            cands = [i for i, _ in hits.most_common(MAX_CANDIDATES)] if len(hits) > MAX_CANDIDATES else list(hits)
            for i in cands:
                n = self._names[i]
                yield n.entity_id, n.name, _score(toks, skels, weights, n)


def _acronym_like(term: str) -> bool:
    """Acronym-shaped, dots allowed (``U.S.``, ``P.T.I``)."""
    return is_acronym(term.replace(".", "")) and " " not in term.strip()


def _token_sim(a: str, sa: str, b: str, sb: str) -> float:
    if a == b:
        return 100.0
    r = fuzz.ratio(a, b)
    rs = fuzz.ratio(sa, sb) - SKELETON_PENALTY
    return max(r, rs)


def _score(toks: Sequence[str], skels: Sequence[str], weights: Sequence[float], n: _Name) -> float:
    """Pair the term's tokens with the name's, best pairs first; see the
    module documentation for the formula."""
    pairs = []
    for i, (a, sa) in enumerate(zip(toks, skels)):
        for j, (b, sb) in enumerate(zip(n.tokens, n.skels)):
            s = _token_sim(a, sa, b, sb)
            if s > 0:
                pairs.append((s, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_i: set[int] = set()
    used_j: set[int] = set()
    got = 0.0
    covered = 0.0
    for s, i, j in pairs:
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        got += s * weights[i]
        if s >= 50:
            covered += n.weights[j]
    explained = got / sum(weights)
    cover = covered / sum(n.weights)
    return explained * (1.0 - COVERAGE_WEIGHT * (1.0 - cover))
