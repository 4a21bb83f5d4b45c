"""Lint a glossary: what a reviewer cannot see by eye in a pull request.

:func:`lint` loads one or more glossary files and returns :class:`Finding`
objects, each with a stable code, a severity, ``path:line:col`` and a
one-line fix hint. What the loader rejects (``G001`` … ``G012``, see
:mod:`resolver.glossary`) comes back as a finding too, so one command reports
everything. The rules:

====  ========  =============================================================
code  severity  what it reports
====  ========  =============================================================
L001  error     the same alias (once folded) under two entities, not marked
                ``ambiguous: true`` under each of them
L002  error     an alias equal to another entity's canonical name (or two
                entities with the same canonical name)
L003  warning   two spellings of one entity that fold alike (case,
                apostrophe, hyphen, space) with the same options: redundant
                (unless a ``note`` says why it is listed)
L004  error     two spellings of one entity that fold alike with different
                options (weak, ambiguous, case, context): one cancels the other
L005  warning   a case-insensitive name that is an ordinary word ("Swat",
                "Dawn", "Let"), without a context rule
L006  warning   an acronym set ``case: insensitive`` without a ``note``
L007  warning   a name that is not an acronym set ``case: exact`` without a
                ``note`` (ordinary words excepted: exact case is their fix)
L008  warning   near-duplicate entities of one type (names within the
                rapidfuzz similarity threshold): probably one entry twice
L009  error     an entity without ``sources`` (only with ``require_sources``)
L010  warning   an id that does not derive from the entity's names
L011  warning   the file is not in the canonical layout of ``resolver fmt``
L012  error     spelling rules make aliases of two entities read alike
L013  error     an example that fails (run against the whole glossary)
L014  error     malformed metadata: examples, sources, links, description,
                note of the wrong shape
L015  warning   an acronym or ambiguous alias that no example uses (only with
                ``require_examples``)
====  ========  =============================================================

Intended ambiguity is declared, never guessed: an alias shared on purpose
carries ``ambiguous: true`` under *every* entity that lists it.

>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "g.yaml").write_text('''version: 1
... entities:
...   - {id: masood_azhar, type: person, canonical: Masood Azhar, aliases: [Azhar]}
...   - {id: ibrahim_azhar, type: person, canonical: Ibrahim Azhar, aliases: [{name: Azhar, ambiguous: true}]}
... ''')
>>> for f in lint([d / "g.yaml"]):
...     print(f.code, f.severity, f.line, f.col, f.entity_id)
L011 warning 3 3 None
L001 error 3 73 masood_azhar
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from rapidfuzz import fuzz, process

from .core import Resolver
from .errors import GlossaryError
from .examples import parse_examples, run_examples
from .fmt import compose, first_difference, format_text
from .folding import fold, fold_key
from .glossary import Glossary, is_acronym, load_glossary, loads, merge
from .matcher import Matcher
from .model import Alias, Entity, SpellingRule
from .report import gh_escape

__all__ = [
    "FORMATS",
    "LOADER_RULES",
    "RULES",
    "Finding",
    "LintConfig",
    "Rule",
    "common_words",
    "fails",
    "lint",
    "lint_texts",
    "render",
]

Severity = Literal["error", "warning"]
Format = Literal["text", "json", "github", "sarif"]
FORMATS: tuple[Format, ...] = ("text", "json", "github", "sarif")


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: stable code, short name, severity, what it reports and
    the generic fix."""

    code: str
    name: str
    severity: Severity
    summary: str
    fix: str


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule(
            "L001",
            "shared-alias",
            "error",
            "the same alias under two entities without `ambiguous: true` on each",
            "mark it `ambiguous: true` under every entity that shares it, or remove it where it does not belong",
        ),
        Rule(
            "L002",
            "alias-is-canonical",
            "error",
            "an alias equal to another entity's canonical name",
            "remove the alias, or declare the sharing with `ambiguous: true` on both names",
        ),
        Rule(
            "L003",
            "redundant-alias",
            "warning",
            "two spellings of one entity that fold alike (case, apostrophe, hyphen)",
            "remove the redundant spelling (`resolver fmt` drops it when it has no comment)",
        ),
        Rule(
            "L004",
            "conflicting-alias",
            "error",
            "two spellings of one entity that fold alike but have different options",
            "keep one spelling with the options you mean",
        ),
        Rule(
            "L005",
            "common-word",
            "warning",
            "a case-insensitive name that is also an ordinary word",
            "set `case: exact`, or add a `context:` rule",
        ),
        Rule(
            "L006",
            "acronym-insensitive",
            "warning",
            "an acronym set `case: insensitive` without a note",
            "remove `case: insensitive` (acronyms match exact case), or say why in a `note`",
        ),
        Rule(
            "L007",
            "exact-without-note",
            "warning",
            "a name set `case: exact` without a note",
            "say why in a `note`, or remove `case: exact`",
        ),
        Rule(
            "L008",
            "near-duplicate",
            "warning",
            "two entities of one type with nearly the same names",
            "merge them if they are one; if not, name the other id in a `note` saying how they differ",
        ),
        Rule(
            "L009",
            "missing-sources",
            "error",
            "an entity without `sources`",
            "add `sources:` with at least one citation or URL",
        ),
        Rule(
            "L010",
            "id-not-derived",
            "warning",
            "an id that does not derive from the entity's names",
            "derive the id from the canonical name (words or initials, in order)",
        ),
        Rule("L011", "layout", "warning", "the file is not in canonical layout", "run `resolver fmt` on the file"),
        Rule(
            "L012",
            "spelling-collision",
            "error",
            "spelling rules make aliases of two entities read alike",
            "limit the rule with `types:`, mark both aliases `ambiguous: true`, or remove one",
        ),
        Rule(
            "L013",
            "failing-example",
            "error",
            "an example whose expectation does not hold",
            "fix the glossary (or the example, if it expected the wrong thing)",
        ),
        Rule(
            "L014",
            "malformed-metadata",
            "error",
            "examples, sources, links, description or note of the wrong shape",
            "see the schema: resolver/schema/glossary.schema.json",
        ),
        Rule(
            "L015",
            "missing-example",
            "warning",
            "an acronym or ambiguous alias that no example uses",
            "add an example whose text uses it",
        ),
    )
}

#: The loader's error codes (see :mod:`resolver.glossary`), as lint rules.
LOADER_RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule(
            "G001",
            "yaml-syntax",
            "error",
            "YAML syntax error, or the file cannot be read or decoded",
            "fix the YAML at this line (a bracket, a tab, an unquoted ': ') or save the file as UTF-8",
        ),
        Rule(
            "G002", "wrong-type", "error", "a value has the wrong type", "give the value the type the schema asks for"
        ),
        Rule(
            "G003",
            "unknown-key",
            "error",
            "unknown key",
            "rename or remove the key (the message lists the allowed ones)",
        ),
        Rule("G004", "missing", "error", "a required field is missing or empty", "add the missing field or value"),
        Rule(
            "G005",
            "id-not-snake-case",
            "error",
            "an id is not snake_case",
            "use lower-case letters, digits and single underscores",
        ),
        Rule(
            "G006", "duplicate-id", "error", "duplicate id within one file", "rename one of the entries, or merge them"
        ),
        Rule(
            "G007", "empty-name", "error", "a name folds to nothing", "write a name with at least one letter or digit"
        ),
        Rule(
            "G008",
            "yaml-anchor",
            "error",
            "YAML anchors/aliases are refused",
            "write the entry out in full, without & and *",
        ),
        Rule("G009", "version", "error", "unsupported version", "use `version: 1`"),
        Rule("G010", "invalid-value", "error", "invalid value", "use one of the values the message names"),
        Rule(
            "G011",
            "undeclared-type",
            "error",
            "entity type not declared in `types`",
            "add the type to `types:` or fix its spelling",
        ),
        Rule("G012", "alias-twice", "error", "the same alias spelling twice in one entity", "remove the second copy"),
    )
}

_ALL_RULES = {**LOADER_RULES, **RULES}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a glossary, located at ``path:line:col`` (1-based;
    ``line``/``col`` None when unknown).

    >>> f = Finding("L005", "warning", "'Swat' is also an ordinary word", "set `case: exact`", "g.yaml", 7, 9, "swat")
    >>> str(f)
    "g.yaml:7:9: warning [L005] entity swat: 'Swat' is also an ordinary word"
    """

    code: str
    severity: Severity
    message: str
    hint: str
    path: str
    line: int | None = None
    col: int | None = None
    entity_id: str | None = None

    @property
    def where(self) -> str:
        """``path:line:col``, as far as known."""
        out = self.path
        if self.line is not None:
            out += f":{self.line}"
            if self.col is not None:
                out += f":{self.col}"
        return out

    def __str__(self) -> str:
        who = f"entity {self.entity_id}: " if self.entity_id else ""
        return f"{self.where}: {self.severity} [{self.code}] {who}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "code": self.code,
            "rule": _ALL_RULES[self.code].name if self.code in _ALL_RULES else "",
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "entity_id": self.entity_id,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True, slots=True)
class LintConfig:
    """What :func:`lint` checks.

    ``require_sources``: every entity needs ``sources`` (L009).
    ``require_examples``: every acronym and ambiguous alias needs an example (L015).
    ``examples``: run the entities' examples (L013). ``layout``: compare
    with ``resolver fmt`` (L011). ``similarity``: the rapidfuzz
    ``token_sort_ratio`` (0–100) from which two entities are near-duplicates
    (L008). ``words``: the ordinary words of L005 (None: the bundled list).
    """

    require_sources: bool = False
    require_examples: bool = False
    examples: bool = True
    layout: bool = True
    similarity: float = 90.0
    words: frozenset[str] | None = None


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The bundled list of ordinary words (``resolver/data/common_words.txt``).

    >>> {"swat", "dawn", "let", "bagh"} <= common_words(), "haqqani" in common_words()
    (True, False)
    """
    text = (resources.files("resolver") / "data" / "common_words.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


# --------------------------------------------------------------------------
# Where things are in the file


@dataclass
class _EntitySource:
    loc: tuple[int, int]
    fields: dict[str, tuple[int, int]] = field(default_factory=dict)
    aliases: list[tuple[int, int]] = field(default_factory=list)
    examples: list[tuple[int, int]] = field(default_factory=list)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _source_map(text: str) -> dict[str, _EntitySource]:
    """Line and column (1-based, in characters) of every part of every entity."""
    root = compose(text)
    out: dict[str, _EntitySource] = {}
    if not isinstance(root, yaml.MappingNode):
        return out
    ents = next((v for k, v in root.value if k.value == "entities"), None)
    if not isinstance(ents, yaml.SequenceNode):
        return out
    for node in ents.value:
        if not isinstance(node, yaml.MappingNode):
            continue
        src = _EntitySource(_pos(node))
        eid = ""
        for k, v in node.value:
            src.fields[k.value] = _pos(v)
            if k.value == "id":
                eid = str(v.value)
            elif k.value == "aliases" and isinstance(v, yaml.SequenceNode):
                for a in v.value:
                    name = (
                        next((nv for nk, nv in a.value if nk.value == "name"), a)
                        if isinstance(a, yaml.MappingNode)
                        else a
                    )
                    src.aliases.append(_pos(name))
            elif k.value == "examples" and isinstance(v, yaml.SequenceNode):
                src.examples = [_pos(x) for x in v.value]
        out[eid] = src
    return out


class _Locator:
    def __init__(self, texts: dict[str, str]) -> None:
        self.maps = {p: _source_map(t) for p, t in texts.items()}
        self.order = {p: i for i, p in enumerate(texts)}

    def _src(self, e: Entity) -> _EntitySource | None:
        return self.maps.get(e.path or "", {}).get(e.id)

    def entity(self, e: Entity) -> tuple[int | None, int | None]:
        s = self._src(e)
        return s.loc if s else (e.line, None)

    def field(self, e: Entity, key: str) -> tuple[int | None, int | None]:
        s = self._src(e)
        return s.fields[key] if s and key in s.fields else self.entity(e)

    def name(self, e: Entity, name: str) -> tuple[int | None, int | None]:
        """Where a name is written (for the canonical name: the alias entry
        that sets its options, if any)."""
        s = self._src(e)
        for i, a in enumerate(e.aliases):
            if a.name == name:
                if s and i < len(s.aliases):
                    return s.aliases[i]
                return a.line, None
        return self.field(e, "canonical")

    def example(self, e: Entity, index: int | None) -> tuple[int | None, int | None]:
        s = self._src(e)
        if s and index is not None and index < len(s.examples):
            return s.examples[index]
        return self.field(e, "examples")

    def sort_key(self, f: Finding) -> tuple[int, int, int, str]:
        return (self.order.get(f.path, len(self.order)), f.line or 0, f.col or 0, f.code)


# --------------------------------------------------------------------------
# The names of an entity, with their effective options


@dataclass(frozen=True, slots=True)
class _Name:
    entity: Entity
    alias: Alias  # for the canonical name: its options entry, or the defaults
    canonical: bool
    explicit: bool  # written as an alias entry (options given by hand)


def _names(e: Entity) -> list[_Name]:
    opts = next((a for a in e.aliases if a.name == e.canonical), None)
    canon = opts or Alias(e.canonical, case="exact" if is_acronym(e.canonical) else "insensitive")
    out = [_Name(e, canon, True, opts is not None)]
    out += [_Name(e, a, False, True) for a in e.aliases if a.name != e.canonical]
    return out


# --------------------------------------------------------------------------
# The rules


class _Linter:
    def __init__(self, g: Glossary, texts: dict[str, str], cfg: LintConfig) -> None:
        self.g = g
        self.cfg = cfg
        self.words = cfg.words if cfg.words is not None else common_words()
        self.loc = _Locator(texts)
        self.matcher = Matcher(g)
        self.names = {(e.id, n.alias.name): n for e in g.entities for n in _names(e)}
        self.out: list[Finding] = []

    def add(
        self,
        code: str,
        message: str,
        e: Entity | None,
        where: tuple[int | None, int | None],
        hint: str = "",
        path: str = "",
    ) -> None:
        rule = RULES[code]
        self.out.append(
            Finding(
                code,
                rule.severity,
                message,
                hint or rule.fix,
                (e.path if e else path) or path or "<glossary>",
                where[0],
                where[1],
                e.id if e else None,
            )
        )

    def at(self, e: Entity, name: str) -> str:
        line = self.loc.name(e, name)[0]
        return f"{e.path}:{line}" if line is not None else str(e.path)

    # -- collisions between entities, duplicates within one (L001-L004, L012)

    def collisions(self) -> None:
        # pairs of (entity id, name) that read alike -> the spelling rules
        # that make them alike (None: equal once folded)
        pairs: dict[tuple[tuple[str, str], tuple[str, str]], tuple[str, ...] | None] = {}
        dups: set[tuple[str, str, str]] = set()
        for e in self.g.entities:
            for n in _names(e):
                name, exact = n.alias.name, n.alias.case == "exact"
                key = fold(name)
                for r in self.matcher.lookup(name):
                    if r.plain == key:
                        if exact and r.exact is not None and r.exact != fold(name, casefold=False):
                            continue  # exact-case spellings that differ in case: two names
                        if r.entity_id == e.id:
                            if r.name != name and r.punct == fold_key(name)[1]:  # "PML(N)" is not "PML-N"
                                a, b = sorted((name, r.name), key=lambda x: (x != e.canonical, self._index(e, x)))
                                dups.add((e.id, a, b))
                            continue
                        rules: tuple[str, ...] | None = None
                    else:
                        found = self._rules_between(key, r.plain)
                        if r.entity_id == e.id or found is None or exact or r.exact is not None:
                            continue  # exact-case names never match through rules
                        if any(x.types and not {e.type, r.entity_type} <= set(x.types) for x in found):
                            continue  # a rule limited to types it does not apply to both
                        rules = tuple(x.name for x in found)
                    mine, theirs = (e.id, name), (r.entity_id, r.name)
                    pair = (mine, theirs) if mine < theirs else (theirs, mine)
                    if pair not in pairs or rules is None:
                        pairs[pair] = rules
        earliest: dict[tuple[str, str], str] = {}  # each later spelling is reported once, against the first
        for eid, a, b in sorted(dups, key=lambda d: (d[0], self._index(self.g[d[0]], d[1]))):
            earliest.setdefault((eid, b), a)
        for (eid, b), a in earliest.items():
            self._duplicate(self.g[eid], a, b)
        shared: dict[tuple[str, str], list[tuple[str, str]]] = {}  # unmarked (id, alias) -> the others
        for (x, y), rules in sorted(pairs.items()):
            nx, ny = self.names[x], self.names[y]
            if nx.alias.ambiguous and ny.alias.ambiguous:
                continue
            if rules is not None:
                self._rule_collision(nx, ny, rules)
            elif nx.canonical and ny.canonical:
                later = max((nx, ny), key=lambda n: self.loc.sort_key(self._probe(n)))
                other = ny if later is nx else nx
                self.add(
                    "L002",
                    f"has the same canonical name as {other.entity.id} ({self.at(other.entity, other.alias.name)})",
                    later.entity,
                    self.loc.name(later.entity, later.alias.name),
                    'canonical names must differ: qualify one ("Dawn (newspaper)") or merge the two entries',
                )
            elif nx.canonical or ny.canonical:
                alias, canon = (ny, nx) if nx.canonical else (nx, ny)
                self.add(
                    "L002",
                    f"alias {alias.alias.name!r} is the canonical name of {canon.entity.id} ({self.at(canon.entity, canon.alias.name)})",
                    alias.entity,
                    self.loc.name(alias.entity, alias.alias.name),
                    f"remove it here; if it really names both, mark it `ambiguous: true` here and add it to {canon.entity.id}'s aliases with `ambiguous: true`",
                )
            else:
                for me, them in ((x, y), (y, x)):
                    if not self.names[me].alias.ambiguous:
                        shared.setdefault(me, []).append(them)
        for (eid, name), others in shared.items():
            e = self.g[eid]
            where = ", ".join(f"{o} ({self.at(self.g[o], oname)})" for o, oname in others)
            self.add(
                "L001",
                f"alias {name!r} is also an alias of {where} and is not marked ambiguous here",
                e,
                self.loc.name(e, name),
                f"if {name!r} can mean either, add `ambiguous: true` to it under every entity that lists it (and an example); otherwise remove it where it does not belong",
            )

    def _probe(self, n: _Name) -> Finding:
        line, col = self.loc.name(n.entity, n.alias.name)
        return Finding("", "error", "", "", n.entity.path or "", line, col)

    @staticmethod
    def _index(e: Entity, name: str) -> int:
        return next((i for i, a in enumerate(e.aliases) if a.name == name), -1)

    def _duplicate(self, e: Entity, first: str, second: str) -> None:
        a, b = self.names[(e.id, first)].alias, self.names[(e.id, second)].alias
        diff = [k for k in ("case", "weak", "ambiguous", "context") if getattr(a, k) != getattr(b, k)]
        if diff:
            self.add(
                "L004",
                f"alias {second!r} folds like {first!r} but differs in {', '.join(diff)}: the matcher reads them as one name",
                e,
                self.loc.name(e, second),
                f"keep one of {first!r} and {second!r}, with the options you mean",
            )
        elif b.note is None:  # a note says why the spelling is kept anyway ("form in seed 004")
            self.add(
                "L003",
                f"alias {second!r} folds like {first!r} (case, apostrophes, hyphens and spaces do not count): it adds nothing",
                e,
                self.loc.name(e, second),
            )

    def _rule_collision(self, x: _Name, y: _Name, rules: tuple[str, ...]) -> None:
        unmarked = [n for n in (x, y) if not n.alias.ambiguous]
        later = max(unmarked, key=lambda n: self.loc.sort_key(self._probe(n)))
        other = y if later is x else x
        self.add(
            "L012",
            f"{later.alias.name!r} reads as {other.alias.name!r} of {other.entity.id} ({self.at(other.entity, other.alias.name)}) "
            f"(and so do their other spellings) through spelling rule{'s' if len(rules) > 1 else ''} {', '.join(rules)}",
            later.entity,
            self.loc.name(later.entity, later.alias.name),
        )

    def _rules_between(self, a: str, b: str) -> list[SpellingRule] | None:
        """The spelling rules that turn folded name ``a`` into ``b`` word by
        word, or None when they do not."""
        ta, tb = a.split(" "), b.split(" ")
        if len(ta) != len(tb):
            return None
        out: list[SpellingRule] = []
        for x, y in zip(ta, tb):
            if x == y:
                continue
            rule = next((r for r in self.g.spelling if {x, y} <= self._members(r)), None)
            if rule is None:
                return None
            if rule not in out:
                out.append(rule)
        return out

    @staticmethod
    @cache
    def _members(rule: SpellingRule) -> frozenset[str]:
        return frozenset(fold(m) for m in rule.members)

    # -- one entity at a time (L005-L010, L014)

    def entity(self, e: Entity) -> None:
        for n in _names(e):
            a = n.alias
            key = fold(a.name)
            common = " " not in key and key in self.words
            if common and a.case == "insensitive" and a.context is None:
                self.add(
                    "L005",
                    f"{a.name!r} is also the ordinary word {key!r}, and matches it in any case",
                    e,
                    self.loc.name(e, a.name),
                    f"add `case: exact` (only {a.name!r} as written) or a `context:` rule with words that go with it",
                )
            if n.explicit and a.note is None:
                if is_acronym(a.name) and a.case == "insensitive":
                    self.add(
                        "L006",
                        f"acronym {a.name!r} is set case-insensitive without a note: it will match {a.name.lower()!r} in running text",
                        e,
                        self.loc.name(e, a.name),
                    )
                elif not is_acronym(a.name) and a.case == "exact" and not common:
                    self.add("L007", f"{a.name!r} is set `case: exact` without a note", e, self.loc.name(e, a.name))
        if self.cfg.require_sources and not e.meta.get("sources"):
            self.add("L009", "has no sources", e, self.loc.entity(e))
        self._id(e)
        self._metadata(e)

    def _id(self, e: Entity) -> None:
        names = [e.canonical, *([e.short] if e.short else []), *(a.name for a in e.aliases)]
        if any(_derives(e.id, n) for n in names):
            return
        suggestion = "_".join(_words(e.canonical))
        hint = (
            f"use an id made of the canonical name's words or initials, e.g. `id: {suggestion}`"
            if _ID_RE.match(suggestion)
            else ""
        )
        self.add(
            "L010",
            f"id {e.id!r} does not derive from {e.canonical!r} or the other names",
            e,
            self.loc.field(e, "id"),
            hint,
        )

    def _metadata(self, e: Entity) -> None:
        m = e.meta
        for key in ("description", "note"):
            if key in m and not isinstance(m[key], str):
                self.add("L014", f"{key} must be a string", e, self.loc.field(e, key))
        if "sources" in m and not _str_list(m["sources"]):
            self.add(
                "L014",
                "sources must be a list of non-empty strings (URLs or citations)",
                e,
                self.loc.field(e, "sources"),
            )
        links = m.get("links")
        if "links" in m and not (
            _str_list(links)
            or (isinstance(links, dict) and all(isinstance(k, str) and _text(v) for k, v in links.items()))
        ):
            self.add(
                "L014",
                "links must be a list of URLs or a mapping such as {wikidata: Q123}",
                e,
                self.loc.field(e, "links"),
            )
        for p in parse_examples(e)[1]:
            self.add(
                "L014",
                p.message if p.index is None else f"example {p.index + 1}: {p.message}",
                e,
                self.loc.example(e, p.index),
            )

    # -- near-duplicates (L008)

    def near_duplicates(self) -> None:
        """Compare the strong names of entities of one type, within blocks of
        names that share a word (or the first four letters of one; one-word
        names form one block): two spellings of one name share at least that,
        and the blocks keep this far from quadratic on large glossaries."""
        by_type: dict[str, list[tuple[str, Entity, str]]] = {}
        for e in self.g.entities:
            for n in _names(e):
                a = n.alias
                if a.weak or a.ambiguous or is_acronym(a.name):
                    continue
                key = self.matcher.key(a.name)
                if len(key) >= 6:
                    by_type.setdefault(e.type, []).append((key, e, a.name))
        best: dict[tuple[str, str], tuple[float, Entity, str, Entity, str]] = {}
        for items in by_type.values():
            blocks: dict[str, list[int]] = {}
            for i, (key, _, _) in enumerate(items):
                words = key.split(" ")
                tags = {w for w in words if len(w) >= 3} | {"^" + w[:4] for w in words if len(w) >= 5}
                for tag in tags if len(words) > 1 and tags else {"^^one word"}:
                    blocks.setdefault(tag, []).append(i)
            for block in blocks.values():
                keys = [items[i][0] for i in block]
                for i in block if len(block) > 1 else ():
                    key, e, name = items[i]
                    for _, score, b in process.extract(
                        key, keys, scorer=fuzz.token_sort_ratio, score_cutoff=self.cfg.similarity, limit=None
                    ):
                        k2, e2, name2 = items[block[b]]
                        if block[b] <= i or e2.id == e.id or k2 == key:
                            continue  # equal keys are collisions (L001/L002/L012)
                        pair = (min(e.id, e2.id), max(e.id, e2.id))
                        if pair not in best or score > best[pair][0]:
                            best[pair] = (score, e, name, e2, name2)
        for score, e, name, e2, name2 in best.values():
            if _mentions(e, e2.id) or _mentions(e2, e.id):
                continue
            first, later = sorted(
                ((e, name), (e2, name2)), key=lambda x: self.loc.sort_key(self._probe(self.names[(x[0].id, x[1])]))
            )
            self.add(
                "L008",
                f"looks like a duplicate of {first[0].id} ({self.at(first[0], first[1])}): {later[1]!r} ~ {first[1]!r}, similarity {score:.0f}",
                later[0],
                self.loc.entity(later[0]),
                f"merge the two entries if they name the same {later[0].type}; if not, add a `note` naming {first[0].id} that says how they differ",
            )

    # -- examples (L013, L015)

    def examples(self) -> None:
        run = run_examples(self.g, Resolver(matcher=self.matcher))
        for fail in run.failures:
            e = self.g[fail.example.entity_id]
            self.add(
                "L013",
                f"example {fail.example.index + 1} ({fail.example.text!r}) fails: {fail.message}",
                e,
                self.loc.example(e, fail.example.index),
            )

    def missing_examples(self) -> None:
        texts = [x.text for e in self.g.entities for x in parse_examples(e)[0]]
        folded = [(f" {fold(t)} ", f" {fold(t, casefold=False)} ") for t in texts]
        for e in self.g.entities:
            for n in _names(e):
                a = n.alias
                if not (is_acronym(a.name) or a.ambiguous):
                    continue
                exact = a.case == "exact"
                key = f" {fold(a.name, casefold=not exact)} "
                if any(key in (t[1] if exact else t[0]) for t in folded):
                    continue
                what = "ambiguous alias" if a.ambiguous else "acronym"
                self.add(
                    "L015",
                    f"{what} {a.name!r} is not used by any example",
                    e,
                    self.loc.name(e, a.name),
                    f"add an example under examples: whose text uses {a.name!r} (with normalized:, ambiguous: true or no_match: true)",
                )


_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z]+", fold(name)) if w]


def _derives(ident: str, name: str) -> bool:
    """True when ``ident`` (underscores aside) is spelled by prefixes of the
    words of ``name``, taken in order, words skipped allowed: whole words
    (``jaish_e_mohammed``), initials (``ttp``, ``isi``) or a shortened word
    (``pak_kashmir``).

    >>> [_derives(i, "Tehreek-e-Taliban Pakistan") for i in ("ttp", "tehreek_e_taliban_pakistan", "taliban", "tap", "lashkar")]
    [True, True, True, True, False]
    """
    target = ident.replace("_", "")
    words = _words(name)

    @cache
    def go(i: int, j: int) -> bool:
        if i == len(target):
            return True
        if j == len(words):
            return False
        if go(i, j + 1):
            return True
        w = words[j]
        k = 0
        while k < len(w) and i + k < len(target) and w[k] == target[i + k]:
            k += 1
            if go(i + k, j + 1):
                return True
        return False

    return go(0, 0)


def _text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _str_list(v: Any) -> bool:
    return isinstance(v, list) and all(_text(x) for x in v)


def _mentions(e: Entity, other_id: str) -> bool:
    note = e.meta.get("note")
    return isinstance(note, str) and other_id in note


# --------------------------------------------------------------------------
# Entry points


def _loader_finding(err: GlossaryError, texts: dict[str, str]) -> Finding:
    rule = LOADER_RULES.get(err.code)
    col = None
    text = texts.get(err.path or "")
    if text is not None and err.line is not None:
        lines = text.splitlines()
        ln = lines[err.line - 1] if 0 < err.line <= len(lines) else ""  # past the last line: the end of the file
        col = len(ln) - len(ln.lstrip()) + 1
    return Finding(
        err.code, "error", err.message, rule.fix if rule else "", err.path or "<glossary>", err.line, col, err.entity_id
    )


def lint_texts(texts: dict[str, str], config: LintConfig | None = None) -> list[Finding]:
    """Lint glossaries given as ``{path: text}`` (merged in that order).

    >>> fs = lint_texts({"g.yaml": "version: 1\\nentities:\\n  - {id: x, type: place, canonical: Swat}\\n"})
    >>> [(f.code, f.line, f.col) for f in fs]
    [('L010', 3, 10), ('L005', 3, 37)]
    """
    cfg = config or LintConfig()
    findings: list[Finding] = []
    loaded: dict[str, Glossary] = {}
    for path, text in texts.items():
        try:
            loaded[path] = loads(text, path)
        except GlossaryError as err:
            findings.append(_loader_finding(err, texts))
    if findings:
        return findings
    g = merge(*loaded.values())
    linter = _Linter(g, texts, cfg)
    linter.collisions()
    for e in g.entities:
        linter.entity(e)
    linter.near_duplicates()
    if cfg.examples:
        linter.examples()
    if cfg.require_examples:
        linter.missing_examples()
    findings = linter.out
    if cfg.layout:
        for path, text in texts.items():
            line = first_difference(text, format_text(text, path, glossary=loaded[path]))
            if line is not None:
                lines = text.splitlines()
                ln = lines[line - 1] if line <= len(lines) else ""
                col = len(ln) - len(ln.lstrip()) + 1
                findings.append(
                    Finding(
                        "L011",
                        "warning",
                        "not in canonical layout (entities by type then id, keys in schema order, aliases sorted); first difference here",
                        f"run `resolver fmt {path}`",
                        path,
                        line,
                        col,
                    )
                )
    return sorted(set(findings), key=linter.loc.sort_key)


def lint(paths: Sequence[str | Path] = (), config: LintConfig | None = None) -> list[Finding]:
    """Load and lint glossary files (merged in order; none: the bundled
    glossary). Unreadable or invalid files come back as loader findings."""
    from .glossary import bundled_path

    texts: dict[str, str] = {}
    unreadable: list[Finding] = []
    for p in paths or (bundled_path(),):
        try:
            texts[str(p)] = Path(p).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            try:
                load_glossary(p)  # the loader's own words for what is wrong with the file
            except GlossaryError as err:
                unreadable.append(_loader_finding(err, texts))
    return unreadable or lint_texts(texts, config)


def fails(findings: Iterable[Finding], strict: bool = False) -> bool:
    """True when the findings should fail a check: any error, or (``strict``)
    any warning.

    >>> w = Finding("L011", "warning", "m", "h", "g.yaml")
    >>> fails([w]), fails([w], strict=True)
    (False, True)
    """
    return any(f.severity == "error" or strict for f in findings)


# --------------------------------------------------------------------------
# Rendering


def _counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.severity == "error")
    return errors, len(findings) - errors


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(findings: Sequence[Finding], fmt: Format = "text", *, files: int = 1) -> str:
    """Findings as text (one line each, then ``fix:``), JSON, GitHub Actions
    workflow commands, or SARIF 2.1.0.

    >>> f = Finding("L001", "error", "alias 'Azhar' is shared", "mark it", "g.yaml", 3, 9, "masood_azhar")
    >>> print(render([f]))
    g.yaml:3:9: error [L001] entity masood_azhar: alias 'Azhar' is shared
        fix: mark it
    1 error, 0 warnings
    >>> print(render([f], "github"))
    ::error file=g.yaml,line=3,col=9,title=L001 shared-alias::entity masood_azhar: alias 'Azhar' is shared. Fix: mark it
    """
    if fmt == "json":
        errors, warnings = _counts(findings)
        return json.dumps(
            {"findings": [f.to_dict() for f in findings], "errors": errors, "warnings": warnings},
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "sarif":
        return json.dumps(_sarif(findings), indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(_github(f) for f in findings)
    lines = []
    for f in findings:
        lines.append(str(f))
        if f.hint:
            lines.append(f"    fix: {f.hint}")
    errors, warnings = _counts(findings)
    if findings:
        lines.append(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}")
    else:
        lines.append(f"no problems found ({_plural(files, 'file')} checked)")
    return "\n".join(lines)


def _github(f: Finding) -> str:
    props = [f"file={gh_escape(f.path, True)}"]
    if f.line is not None:
        props.append(f"line={f.line}")
        if f.col is not None:
            props.append(f"col={f.col}")
    rule = _ALL_RULES.get(f.code)
    props.append("title=" + gh_escape(f"{f.code} {rule.name}" if rule else f.code, True))
    who = f"entity {f.entity_id}: " if f.entity_id else ""
    msg = f"{who}{f.message}" + (f". Fix: {f.hint}" if f.hint else "")
    return f"::{f.severity} {','.join(props)}::{gh_escape(msg)}"


def _sarif(findings: Sequence[Finding]) -> dict[str, Any]:
    from . import __version__

    rules = list(_ALL_RULES.values())
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for f in findings:
        loc: dict[str, Any] = {"artifactLocation": {"uri": Path(f.path).as_posix()}}
        if f.line is not None:
            loc["region"] = {"startLine": f.line, **({"startColumn": f.col} if f.col is not None else {})}
        res: dict[str, Any] = {
            "ruleId": f.code,
            "level": f.severity,
            "message": {
                "text": (f"entity {f.entity_id}: " if f.entity_id else "")
                + f.message
                + (f". Fix: {f.hint}" if f.hint else "")
            },
            "locations": [{"physicalLocation": loc}],
        }
        if f.code in index:
            res["ruleIndex"] = index[f.code]
        results.append(res)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "resolver",
                        "version": __version__,
                        "rules": [
                            {
                                "id": r.code,
                                "name": r.name,
                                "shortDescription": {"text": r.summary},
                                "help": {"text": r.fix},
                                "defaultConfiguration": {"level": r.severity},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
