"""Load, validate, merge and dump glossaries (``aliases.yaml``).

Loading is a pure function from YAML text to an immutable :class:`Glossary`.
Every defect is a :class:`~resolver.errors.GlossaryError` naming the file,
the line and the entity id, with a stable code:

====  ==========================================================
G001  YAML syntax error, or the file cannot be read / decoded
G002  a value has the wrong type (mapping, list, string, bool…)
G003  unknown key (typo such as ``alias:``)
G004  a required field is missing or empty
G005  an id is not snake_case
G006  duplicate id within one file
G007  a name folds to nothing (only punctuation or spaces)
G008  YAML anchors/aliases are refused (no billion laughs)
G009  unsupported ``version``
G010  invalid value (``case`` not exact/insensitive, bad window…)
G011  entity type not declared in ``types``
G012  the same alias spelling twice in one entity
====  ==========================================================

>>> g = loads('''
... version: 1
... entities:
...   - id: jaish_e_mohammed
...     type: organization
...     canonical: Jaish-e-Mohammed
...     aliases: [Jaish-e-Mohammad, JeM]
... ''')
>>> len(g), g["jaish_e_mohammed"].aliases[1].case
(1, 'exact')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import GlossaryError
from .folding import fold
from .model import Alias, CaseMode, Context, Entity, SpellingRule

if TYPE_CHECKING:  # at run time imported by _load_yaml, on first use
    import yaml  # noqa: TC004  # (a global that _load_yaml binds: yaml costs start-up)

__all__ = ["Glossary", "bundled_path", "dumps", "is_acronym", "load_glossary", "loads", "merge"]

SUPPORTED_VERSIONS = (1,)
TOP_KEYS = ("version", "types", "titles", "spelling", "entities")
ENTITY_KEYS = (
    "id", "type", "canonical", "short", "aliases", "description", "note",
    "sources", "links", "examples",
)
META_KEYS = ("description", "note", "sources", "links", "examples")
ALIAS_KEYS = ("name", "case", "weak", "ambiguous", "note", "context")
CONTEXT_KEYS = ("near", "not_near", "window")
SPELLING_KEYS = ("name", "members", "scope", "types")
_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")

_STR_TAG = "tag:yaml.org,2002:str"
# First characters that PyYAML's implicit resolvers look at (bool, int, float, null, …).
_IMPLICIT_FIRST = frozenset("-+.0123456789yYnNtTfFoO~<=")

# PyYAML's loader, a scalar constructor and the dumper: built by _load_yaml.
_Loader: Any = None
_SCALAR_CONSTRUCTOR: Any = None
_Dumper: Any = None


def _load_yaml() -> None:
    """Import PyYAML and build the loader, the scalar constructor and the
    dumper, once. Only parsing or writing a glossary needs them, and
    importing PyYAML is a tenth of the command line's start-up, spent for
    nothing when the compiled glossary comes from the cache
    (:mod:`resolver.cache`)."""
    global _Loader, _SCALAR_CONSTRUCTOR, _Dumper
    if _Loader is not None:
        return
    import yaml

    globals()["yaml"] = yaml  # the module-level name every parsing helper uses
    try:  # the C loader is ~10x faster on large glossaries
        base: Any = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - depends on libyaml
        base = yaml.SafeLoader

    class Loader(base):  # type: ignore[misc]
        """The safe loader, with a fast path for plain strings that cannot be
        anything else (PyYAML resolves every scalar's tag in Python)."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is yaml.ScalarNode and implicit[0] and value and value[0] not in _IMPLICIT_FIRST:
                return _STR_TAG
            return super().resolve(kind, value, implicit)

    class Dumper(yaml.SafeDumper):
        """Safe dumper that double-quotes strings holding characters YAML reads
        as line breaks (NEL, LS, PS), which would not survive a round trip."""

    Dumper.add_representer(str, _represent_str)
    _SCALAR_CONSTRUCTOR = yaml.SafeLoader("")
    _Dumper = Dumper
    _Loader = Loader  # last: it says the others are ready


def is_acronym(name: str) -> bool:
    """Acronym-shaped: no spaces, at least two capitals, more capitals than
    lower-case letters. Such aliases match exact case by default.

    >>> [is_acronym(x) for x in ("ISI", "JeM", "PML-N", "IS-K", "Al-Qaeda", "McCain", "Taliban")]
    [True, True, True, True, False, False, False]
    """
    if " " in name or not name.isprintable() and any(map(str.isspace, name)):
        return False
    upper = sum(map(str.isupper, name))
    return upper >= 2 and upper > sum(map(str.islower, name))


@dataclass(frozen=True)
class Glossary(Mapping[str, Entity]):
    """An immutable, read-only mapping of entity id → :class:`Entity`.

    ``titles`` are honorifics that may precede a person's name, ``spelling``
    the spelling rules, ``types`` the declared entity types (empty: any),
    ``paths`` the files it was loaded from, and ``digest`` a content hash of
    those files (the key of the compiled-matcher cache).
    """

    entities: tuple[Entity, ...]
    titles: tuple[str, ...] = ()
    spelling: tuple[SpellingRule, ...] = ()
    types: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    digest: str = ""
    _index: dict[str, Entity] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update((e.id, e) for e in self.entities)

    def __getitem__(self, key: str) -> Entity:
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"no entity with id {key!r} in the glossary") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


def bundled_path() -> Path:
    """Path of the glossary shipped with the package (in a source checkout,
    the top-level ``aliases.yaml``)."""
    # the package's directory, as importlib.resources.files("resolver") finds
    # it for an installed package, without importing importlib.resources
    # (~20 ms of start-up where nothing else has imported it)
    packaged = Path(__file__).parent / "data" / "aliases.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "aliases.yaml"


# --------------------------------------------------------------------------
# Reading YAML with line numbers


class _Ctx:
    def __init__(self, path: str, offset: int = 0) -> None:
        self.path = path
        self.offset = offset  # line offset of the chunk being read

    def line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    def err(self, code: str, msg: str, node: yaml.Node | None, eid: str | None = None) -> GlossaryError:
        line = self.line(node) if node is not None else None
        return GlossaryError(code, msg, path=self.path, line=line, entity_id=eid)


def _scalar(node: yaml.Node) -> Any:
    if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    return _SCALAR_CONSTRUCTOR.construct_object(node, deep=True)


def _pairs(ctx: _Ctx, node: yaml.Node, what: str, eid: str | None = None) -> list[tuple[str, yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise ctx.err("G002", f"{what} must be a mapping", node, eid)
    out = []
    seen: set[str] = set()
    for k, v in node.value:
        key = _scalar(k) if isinstance(k, yaml.ScalarNode) else None
        if not isinstance(key, str):
            raise ctx.err("G002", f"{what}: keys must be strings", k, eid)
        if key in seen:
            raise ctx.err("G002", f"{what}: key {key!r} given twice", k, eid)
        seen.add(key)
        out.append((key, k, v))
    return out


def _check_keys(ctx: _Ctx, pairs: list[tuple[str, yaml.Node, yaml.Node]], allowed: tuple[str, ...], what: str, eid: str | None = None) -> None:
    import difflib

    for key, knode, _ in pairs:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ctx.err("G003", f"unknown key {key!r} in {what}{hint}; allowed: {', '.join(allowed)}", knode, eid)


def _str(ctx: _Ctx, node: yaml.Node, what: str, eid: str | None = None, *, empty_ok: bool = False) -> str:
    val = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(val, str):
        raise ctx.err("G002", f"{what} must be a string", node, eid)
    if not empty_ok and not val.strip():
        raise ctx.err("G004", f"{what} is empty", node, eid)
    return val


def _bool(ctx: _Ctx, node: yaml.Node, what: str, eid: str | None) -> bool:
    val = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(val, bool):
        raise ctx.err("G002", f"{what} must be true or false", node, eid)
    return val


def _str_list(ctx: _Ctx, node: yaml.Node, what: str, eid: str | None = None) -> tuple[str, ...]:
    if not isinstance(node, yaml.SequenceNode):
        raise ctx.err("G002", f"{what} must be a list of strings", node, eid)
    return tuple(_str(ctx, n, f"an item of {what}", eid) for n in node.value)


def _name(ctx: _Ctx, node: yaml.Node, what: str, eid: str | None) -> str:
    name = _str(ctx, node, what, eid)
    if not fold(name):
        raise ctx.err("G007", f"{what} {name!r} folds to nothing (only punctuation or spaces)", node, eid)
    return name


def _context(ctx: _Ctx, node: yaml.Node, eid: str) -> Context:
    pairs = _pairs(ctx, node, "context", eid)
    _check_keys(ctx, pairs, CONTEXT_KEYS, "context", eid)
    near: tuple[str, ...] = ()
    not_near: tuple[str, ...] = ()
    window = 8
    for key, _, v in pairs:
        if key == "near":
            near = _str_list(ctx, v, "context.near", eid)
        elif key == "not_near":
            not_near = _str_list(ctx, v, "context.not_near", eid)
        else:
            w = _scalar(v) if isinstance(v, yaml.ScalarNode) else None
            if not isinstance(w, int) or isinstance(w, bool) or not 1 <= w <= 100:
                raise ctx.err("G010", "context.window must be a whole number from 1 to 100", v, eid)
            window = w
    if not near and not not_near:
        raise ctx.err("G004", "context needs near or not_near words", node, eid)
    return Context(tuple(fold(w) for w in near), tuple(fold(w) for w in not_near), window)


def _case(ctx: _Ctx, node: yaml.Node, eid: str) -> CaseMode:
    val = _str(ctx, node, "case", eid)
    if val not in ("exact", "insensitive"):
        raise ctx.err("G010", f"case must be 'exact' or 'insensitive', not {val!r}", node, eid)
    return "exact" if val == "exact" else "insensitive"


def _alias(ctx: _Ctx, node: yaml.Node, eid: str) -> Alias:
    line = ctx.line(node)
    if isinstance(node, yaml.ScalarNode):
        name = _name(ctx, node, "alias", eid)
        return Alias(name, case="exact" if is_acronym(name) else "insensitive", line=line)
    pairs = _pairs(ctx, node, "an alias", eid)
    _check_keys(ctx, pairs, ALIAS_KEYS, "an alias", eid)
    fields = {k: v for k, _, v in pairs}
    if "name" not in fields:
        raise ctx.err("G004", "an alias mapping needs a name", node, eid)
    name = _name(ctx, fields["name"], "alias", eid)
    return Alias(
        name,
        case=_case(ctx, fields["case"], eid) if "case" in fields else ("exact" if is_acronym(name) else "insensitive"),
        weak=_bool(ctx, fields["weak"], "weak", eid) if "weak" in fields else False,
        ambiguous=_bool(ctx, fields["ambiguous"], "ambiguous", eid) if "ambiguous" in fields else False,
        note=_str(ctx, fields["note"], "note", eid) if "note" in fields else None,
        context=_context(ctx, fields["context"], eid) if "context" in fields else None,
        line=line,
    )


def _entity(ctx: _Ctx, node: yaml.Node, types: tuple[str, ...]) -> Entity:
    pairs = _pairs(ctx, node, "an entity")
    fields = {k: (kn, v) for k, kn, v in pairs}
    eid = None
    if "id" in fields:
        eid = _str(ctx, fields["id"][1], "id")
        if not _ID_RE.match(eid):
            raise ctx.err("G005", f"id {eid!r} is not snake_case (lower-case letters, digits, single underscores)", fields["id"][1], eid)
    _check_keys(ctx, pairs, ENTITY_KEYS, "an entity", eid)
    for req in ("id", "type", "canonical"):
        if req not in fields:
            raise ctx.err("G004", f"missing {req}", node, eid)
    assert eid is not None
    etype = _str(ctx, fields["type"][1], "type", eid)
    if types and etype not in types:
        raise ctx.err("G011", f"type {etype!r} is not declared in types ({', '.join(types)})", fields["type"][1], eid)
    canonical = _name(ctx, fields["canonical"][1], "canonical", eid)
    aliases: list[Alias] = []
    if "aliases" in fields:
        anode = fields["aliases"][1]
        if not isinstance(anode, yaml.SequenceNode):
            raise ctx.err("G002", "aliases must be a list", anode, eid)
        seen: dict[str, yaml.Node] = {}  # an alias equal to the canonical name sets its options
        for item in anode.value:
            a = _alias(ctx, item, eid)
            if a.name in seen:
                raise ctx.err("G012", f"alias {a.name!r} is listed twice (first at line {ctx.line(seen[a.name])})", item, eid)
            seen[a.name] = item
            aliases.append(a)
    short = None
    if "short" in fields:
        short = _str(ctx, fields["short"][1], "short", eid)
        if short != canonical and short not in {a.name for a in aliases}:
            raise ctx.err("G010", f"short form {short!r} must be the canonical name or one of the aliases", fields["short"][1], eid)
    meta: dict[str, Any] = {}
    for key in META_KEYS:
        if key in fields:
            meta[key] = _SCALAR_CONSTRUCTOR.construct_object(fields[key][1], deep=True)
    return Entity(
        id=eid,
        type=etype,
        canonical=canonical,
        aliases=tuple(aliases),
        short=short,
        meta=meta,
        path=ctx.path,
        line=ctx.line(node),
    )


def _spelling(ctx: _Ctx, node: yaml.Node) -> SpellingRule:
    pairs = _pairs(ctx, node, "a spelling rule")
    _check_keys(ctx, pairs, SPELLING_KEYS, "a spelling rule")
    fields = {k: v for k, _, v in pairs}
    if "members" not in fields:
        raise ctx.err("G004", "a spelling rule needs members", node)
    members = _str_list(ctx, fields["members"], "members")
    if len(members) < 2:
        raise ctx.err("G004", "a spelling rule needs at least two members", fields["members"])
    for m in members:
        if not fold(m) or " " in fold(m):
            raise ctx.err("G010", f"spelling member {m!r} must be a single name part", fields["members"])
    scope = _str(ctx, fields["scope"], "scope") if "scope" in fields else "word"
    if scope not in ("word", "connector"):
        raise ctx.err("G010", f"scope must be 'word' or 'connector', not {scope!r}", fields["scope"])
    name = _str(ctx, fields["name"], "name") if "name" in fields else "/".join(members)
    types = _str_list(ctx, fields["types"], "types") if "types" in fields else ()
    return SpellingRule(name, members, "word" if scope == "word" else "connector", types, line=ctx.line(node))


def _refuse_anchors(text: str, path: str, offset: int = 0) -> None:
    _load_yaml()
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 + offset if event.start_mark else None
                raise GlossaryError("G008", "YAML anchors and aliases (& and *) are not allowed in a glossary; write entries out in full", path=path, line=line)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, path, offset) from None


def _syntax_error(exc: yaml.YAMLError, path: str, offset: int = 0) -> GlossaryError:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or exc
    return GlossaryError("G001", f"YAML syntax error: {problem}", path=path, line=mark.line + 1 + offset if mark else None)


def _compose(text: str, path: str, offset: int = 0) -> yaml.Node | None:
    _load_yaml()
    if "&" in text or "*" in text:
        _refuse_anchors(text, path, offset)
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, path, offset) from None


_ENTITIES_KEY = re.compile(r"entities:[ \t]*(?:#.*)?\r?\n")
_ITEM = re.compile(r"( +)- ")


def _split_entities(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """Cut a block-style ``entities:`` list into one chunk per entity, so a
    large glossary is parsed entity by entity (PyYAML keeps a whole document's
    node tree in memory: about 35 times the file's size). Returns the rest of
    the document with the entities blanked out (line numbers kept) and the
    ``(line offset, chunk)`` pairs, or None when the layout is not the
    simple one (then the whole document is parsed at once)."""
    lines = text.splitlines(keepends=True)
    try:
        start = next(i for i, ln in enumerate(lines) if _ENTITIES_KEY.fullmatch(ln))
    except StopIteration:
        return None
    end = start + 1
    indent: str | None = None
    chunks: list[tuple[int, str]] = []
    first = -1
    while end < len(lines):
        ln = lines[end]
        if ln[:1] not in (" ", "\t", "#", "\r", "\n", ""):
            break  # the next top-level key
        m = _ITEM.match(ln)
        if m and (indent is None or m.group(1) == indent):
            if indent is None:
                indent = m.group(1)
            if first >= 0:
                chunks.append((first, "".join(lines[first:end])))
            first = end
        elif first < 0 and ln.strip() and not ln.lstrip().startswith("#"):
            return None  # content before the first item: not the simple layout
        end += 1
    if first < 0:
        return None
    chunks.append((first, "".join(lines[first:end])))
    rest = "".join(lines[:start]) + "entities: []\n" + "\n" * (end - start - 1) + "".join(lines[end:])
    return rest, chunks


def loads(text: str, path: str = "<string>") -> Glossary:
    """Parse glossary YAML text into a :class:`Glossary`."""
    import hashlib

    _load_yaml()
    split = _split_entities(text)
    root = _compose(split[0] if split else text, path)
    ctx = _Ctx(path)
    if root is None:
        raise GlossaryError("G004", "the glossary is empty; it needs 'version' and 'entities'", path=path, line=1)
    pairs = _pairs(ctx, root, "the glossary (top level)")
    _check_keys(ctx, pairs, TOP_KEYS, "the glossary (top level)")
    fields = {k: v for k, _, v in pairs}
    if "version" not in fields:
        raise ctx.err("G004", "missing version (use 'version: 1')", root)
    version = _scalar(fields["version"]) if isinstance(fields["version"], yaml.ScalarNode) else None
    if version not in SUPPORTED_VERSIONS:
        raise ctx.err("G009", f"unsupported version {version!r}; this resolver reads version 1", fields["version"])
    types = _str_list(ctx, fields["types"], "types") if "types" in fields else ()
    titles = _str_list(ctx, fields["titles"], "titles") if "titles" in fields else ()
    spelling: tuple[SpellingRule, ...] = ()
    if "spelling" in fields:
        snode = fields["spelling"]
        if not isinstance(snode, yaml.SequenceNode):
            raise ctx.err("G002", "spelling must be a list of rules", snode)
        spelling = tuple(_spelling(ctx, n) for n in snode.value)
    if "entities" not in fields:
        raise ctx.err("G004", "missing entities", root)
    enode = fields["entities"]
    if not isinstance(enode, yaml.SequenceNode):
        raise ctx.err("G002", "entities must be a list", enode)
    entities: list[Entity] = []
    seen: dict[str, Entity] = {}

    def add(ectx: _Ctx, item: yaml.Node) -> None:
        ent = _entity(ectx, item, types)
        if ent.id in seen:
            raise ectx.err("G006", f"duplicate id (first defined at line {seen[ent.id].line})", item, ent.id)
        seen[ent.id] = ent
        entities.append(ent)

    for item in enode.value:
        add(ctx, item)
    for offset, chunk in split[1] if split else ():
        node = _compose(chunk, path, offset)
        assert isinstance(node, yaml.SequenceNode) and len(node.value) == 1, "an entity chunk is one list item"
        add(_Ctx(path, offset), node.value[0])
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Glossary(tuple(entities), titles, spelling, types, (path,), digest)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise GlossaryError("G001", "is a directory, not a glossary file", path=str(path)) from None
    except OSError as exc:
        raise GlossaryError("G001", f"cannot read glossary: {exc.strerror or exc}", path=str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GlossaryError("G001", f"not valid UTF-8 (byte {exc.start})", path=str(path), line=line) from None


def merge(*glossaries: Glossary) -> Glossary:
    """Merge glossaries in order. A later entity with the same id replaces the
    earlier one as a whole (in the earlier one's position); titles, types and
    spelling rules are united, a later rule with the same name replacing the
    earlier.
    """
    if len(glossaries) == 1:
        return glossaries[0]
    import hashlib

    order: dict[str, Entity] = {}
    titles: dict[str, None] = {}
    types: dict[str, None] = {}
    rules: dict[str, SpellingRule] = {}
    for g in glossaries:
        for e in g.entities:
            order[e.id] = e
        titles.update(dict.fromkeys(g.titles))
        types.update(dict.fromkeys(g.types))
        for r in g.spelling:
            rules[r.name] = r
    digest = hashlib.sha256("".join(g.digest for g in glossaries).encode()).hexdigest()
    paths = tuple(p for g in glossaries for p in g.paths)
    return Glossary(tuple(order.values()), tuple(titles), tuple(rules.values()), tuple(types), paths, digest)


def load_glossary(*paths: str | Path) -> Glossary:
    """Load one or more glossary files (merged in order, see :func:`merge`);
    with no argument, the bundled glossary.

    >>> g = load_glossary()
    >>> g["jaish_e_mohammed"].canonical
    'Jaish-e-Mohammed'
    """
    if not paths:
        paths = (bundled_path(),)
    loaded = [loads(_read(Path(p)), str(p)) for p in paths]
    return merge(*loaded)


def _alias_out(a: Alias) -> Any:
    default_case = "exact" if is_acronym(a.name) else "insensitive"
    d: dict[str, Any] = {"name": a.name}
    if a.case != default_case:
        d["case"] = a.case
    if a.weak:
        d["weak"] = True
    if a.ambiguous:
        d["ambiguous"] = True
    if a.note is not None:
        d["note"] = a.note
    if a.context is not None:
        c: dict[str, Any] = {}
        if a.context.near:
            c["near"] = list(a.context.near)
        if a.context.not_near:
            c["not_near"] = list(a.context.not_near)
        c["window"] = a.context.window
        d["context"] = c
    return a.name if len(d) == 1 else d


def to_data(g: Glossary) -> dict[str, Any]:
    """The glossary as plain YAML-ready data (schema order)."""
    out: dict[str, Any] = {"version": 1}
    if g.types:
        out["types"] = list(g.types)
    if g.titles:
        out["titles"] = list(g.titles)
    if g.spelling:
        out["spelling"] = [
            {"name": r.name, "members": list(r.members), "scope": r.scope, **({"types": list(r.types)} if r.types else {})}
            for r in g.spelling
        ]
    ents = []
    for e in g.entities:
        d: dict[str, Any] = {"id": e.id, "type": e.type, "canonical": e.canonical}
        if e.short is not None:
            d["short"] = e.short
        d.update(e.meta)
        if e.aliases:
            d["aliases"] = [_alias_out(a) for a in e.aliases]
        ents.append(d)
    out["entities"] = ents
    return out


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if any(c in data for c in "\x85\u2028\u2029"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_str(data)


def dumps(g: Glossary) -> str:
    r"""Serialize a glossary to YAML; ``loads(dumps(g)) == g``.

    >>> g = loads("version: 1\nentities:\n  - {id: a, type: place, canonical: A, description: \"x\\x85\"}\n")
    >>> loads(dumps(g))["a"].meta["description"] == "x\x85"
    True
    """
    _load_yaml()
    return yaml.dump(to_data(g), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
