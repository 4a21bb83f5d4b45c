"""Canonical layout for glossary files, every comment kept where it was.

``resolver fmt`` holds a glossary in one layout so that pull requests show
only real changes:

* entities sorted by type (in the order of the top-level ``types:`` list when
  there is one, else alphabetically), then by id;
* keys in schema order: ``version, types, titles, spelling, entities`` at the
  top; ``id, type, canonical, short, description, note, sources, links,
  aliases, examples`` in an entity; ``name, case, weak, ambiguous, note,
  context`` in an alias; ``near, not_near, window`` in a context;
  ``text, normalized, ambiguous, no_match, note`` in an example;
  ``name, members, scope, types`` in a spelling rule;
* aliases sorted by their folded form, and an alias dropped when it is
  redundant: it folds like the canonical name or an earlier alias of the same
  entity and carries the same options (case, weak, ambiguous, context, note).
  An alias named by ``short:`` or carrying a comment is never dropped.

Nothing else changes: quoting, flow or block style, indentation, blank lines
and comments stay byte for byte. The invariant, tested as a property:
``format_text(format_text(t)) == format_text(t)``, and the formatted file
loads to the same glossary (checked on every run before anything is written).

How: the file is parsed once (PyYAML nodes carry exact start and end
offsets), and every entry is moved as a slice of the original text together
with the comment lines written directly above it. A full ruamel.yaml round
trip was tried first and rejected: ruamel attaches a comment to the node
*before* it (``# --- organizations ---`` above an entity belongs, for
ruamel, to the last alias of the previous entity), so reordering moved
section comments to the wrong entries, and its emitter re-wraps long flow
lines. Slicing keeps each comment with the entry it precedes.

>>> text = '''version: 1
... entities:
...   # not the TTP
...   - {id: taliban, type: organization, canonical: Taliban}
...   - id: jaish_e_mohammed
...     canonical: Jaish-e-Mohammed
...     type: organization
...     aliases: [JeM, Jaish-e-Mohammad, Jaish-e Mohammad]
... '''
>>> print(format_text(text), end="")
version: 1
entities:
  - id: jaish_e_mohammed
    type: organization
    canonical: Jaish-e-Mohammed
    aliases: [Jaish-e-Mohammad, JeM]
  # not the TTP
  - {id: taliban, type: organization, canonical: Taliban}
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import ResolverError
from .examples import EXAMPLE_KEYS
from .folding import fold, fold_key
from .glossary import ALIAS_KEYS, CONTEXT_KEYS, ENTITY_KEYS, SPELLING_KEYS, TOP_KEYS, Glossary, is_acronym, loads
from .model import Alias, Entity

__all__ = [
    "ENTITY_ORDER",
    "alias_order",
    "compose",
    "entity_order",
    "first_difference",
    "format_file",
    "format_text",
    "is_formatted",
]

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree of ``text``; every node's marks give exact
    character offsets, lines and columns (0-based).

    >>> compose("a: [b, c]").value[0][1].value[1].start_mark.column
    7
    """
    return yaml.compose(text, Loader=_LOADER)


#: Keys of an entity in the canonical layout: names, then what a reader needs
#: to tell the entity from its namesakes, then the (long) alias list, then
#: the examples that test it. Every key the loader accepts is here.
ENTITY_ORDER = ("id", "type", "canonical", "short", "description", "note", "sources", "links", "aliases", "examples")
assert sorted(ENTITY_ORDER) == sorted(ENTITY_KEYS)

_KEY_ORDER: dict[str, tuple[str, ...]] = {
    "top": TOP_KEYS,
    "entity": ENTITY_ORDER,
    "alias": ALIAS_KEYS,
    "context": CONTEXT_KEYS,
    "example": EXAMPLE_KEYS,
    "spelling": SPELLING_KEYS,
}
# What the items / values of each kind of node are.
_SEQ_ITEM = {"entities": "entity", "aliases": "alias", "examples": "example", "spelling": "spelling"}
_MAP_VALUE = {
    ("entity", "aliases"): "aliases",
    ("entity", "examples"): "examples",
    ("alias", "context"): "context",
    ("top", "entities"): "entities",
    ("top", "spelling"): "spelling",
}


def entity_order(g: Glossary) -> Callable[[Entity], tuple[int, str, str]]:
    """The sort key of entities in the canonical layout: type (declared
    order of ``types:``, else alphabetical), then id.

    >>> g = loads("version: 1\\ntypes: [person, organization]\\nentities: []\\n")
    >>> key = entity_order(g)
    >>> sorted([Entity("b", "organization", "B"), Entity("a", "organization", "A"), Entity("z", "person", "Z")], key=key)[0].id
    'z'
    """
    rank = {t: i for i, t in enumerate(g.types)}

    def key(e: Entity) -> tuple[int, str, str]:
        return (rank.get(e.type, len(rank)), e.type, e.id)

    return key


def alias_order(name: str) -> tuple[str, str]:
    """The sort key of aliases: folded form, then the spelling itself.

    >>> sorted(["JeM", "Jaish-e-Mohammad", "jaish"], key=alias_order)
    ['jaish', 'Jaish-e-Mohammad', 'JeM']
    """
    return (fold(name), name)


def _options(a: Alias) -> tuple[object, ...]:
    """What makes two spellings that fold alike behave differently: their
    options, and punctuation inside ("PML(N)" lets a text write the
    parentheses, "PML-N" does not)."""
    return (fold_key(a.name)[1], a.case, a.weak, a.ambiguous, a.context, a.note)


def _redundant(e: Entity) -> set[int]:
    """Indexes of aliases that add nothing: same folded key (under their case
    mode) and same options as the canonical name or an alias kept before.

    >>> _redundant(Entity("pml_n", "organization", "Pakistan Muslim League (N)",
    ...     (Alias("PML-N", "exact"), Alias("PML(N)", "exact"), Alias("PML N", "exact"))))
    {2}
    """
    canon_opts = next((a for a in e.aliases if a.name == e.canonical), None)
    canon = canon_opts or Alias(e.canonical, case="exact" if is_acronym(e.canonical) else "insensitive")
    kept: set[tuple[object, ...]] = {(fold(canon.name, casefold=canon.case == "insensitive"), *_options(canon))}
    order = sorted(range(len(e.aliases)), key=lambda i: e.aliases[i].name != e.short)  # short form first: never dropped
    drop: set[int] = set()
    for i in order:
        a = e.aliases[i]
        if a.name == e.canonical:
            continue
        sig = (fold(a.name, casefold=a.case == "insensitive"), *_options(a))
        if sig in kept and a.name != e.short:
            drop.add(i)
        kept.add(sig)
    return drop


# --------------------------------------------------------------------------
# The source text, as lines


class _Text:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        if self.starts[-1] == len(text):
            self.starts.pop()
        self.nlines = len(self.starts)

    def line(self, index: int) -> int:
        """0-based line of a character offset."""
        return bisect.bisect_right(self.starts, index) - 1

    def at(self, line: int) -> int:
        """Offset of the start of a line (the end of the text past the last)."""
        return self.starts[line] if line < self.nlines else len(self.text)

    def content(self, line: int) -> str:
        return self.text[self.at(line) : self.at(line + 1)].rstrip("\r\n")

    def is_comment_or_blank(self, line: int, max_indent: int | None = None) -> bool:
        s = self.content(line)
        stripped = s.lstrip(" \t")
        if not stripped:
            return True
        if not stripped.startswith("#"):
            return False
        return max_indent is None or len(s) - len(stripped) <= max_indent

    def is_deeper_comment(self, line: int, indent: int) -> bool:
        s = self.content(line)
        stripped = s.lstrip(" \t")
        return stripped.startswith("#") and len(s) - len(stripped) > indent


def _has_comment(text: str) -> bool:
    """True when a YAML comment appears in ``text`` (outside quotes)."""
    if "#" not in text:
        return False
    quote = ""
    prev = "\n"
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                if quote == "'" and text[i + 1 : i + 2] == "'":
                    i += 1
                else:
                    quote = ""
            elif c == "\\" and quote == '"':
                i += 1
        elif c in "'\"" and (prev in " \t\n[{,:"):
            quote = c
        elif c == "#" and prev in " \t\n":
            return True
        prev = c
        i += 1
    return False


def _content_end(node: yaml.Node) -> int:
    """Offset just past the last character that belongs to ``node``."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _content_end(node.value[-1])
    return int(node.end_mark.index)


def _scalar(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


@dataclass
class _Elem:
    """One entry of a block collection: its lines, split into the comment
    lines directly above it (``lead``) and the entry itself (``body``)."""

    lead: str
    body: str
    col: int
    sort_key: tuple[object, ...]
    drop: bool = False
    has_comment: bool = False
    group: str | None = None  # entities: the type, for section comments


class _Formatter:
    def __init__(self, text: str, g: Glossary) -> None:
        self.src = _Text(text)
        self.g = g
        self.entity_key = entity_order(g)

    # -- dispatch ---------------------------------------------------------

    def node(self, node: yaml.Node, kind: str, lo: int, hi: int, inline: bool = False) -> str:
        """New text for lines ``[lo, hi)``, which hold ``node`` (a block
        collection) and the comment lines around it."""
        if isinstance(node, yaml.MappingNode):
            return self.block_map(node, kind, lo, hi, inline)
        assert isinstance(node, yaml.SequenceNode)
        return self.block_seq(node, kind, lo, hi)

    def value(self, node: yaml.Node, kind: str, a: int, b: int) -> str:
        """New text for offsets ``[a, b)``, which hold the scalar or flow
        ``node`` and what surrounds it on its lines."""
        t = self.src.text
        return t[a : node.start_mark.index] + self.flow(node, kind) + t[node.end_mark.index : b]

    # -- flow style (one slice of text) ------------------------------------

    def flow(self, node: yaml.Node, kind: str) -> str:
        t = self.src.text
        original = t[node.start_mark.index : node.end_mark.index]
        if isinstance(node, yaml.ScalarNode) or _has_comment(original):
            return original
        # (sort key, new text, original text) of every entry
        parts: list[tuple[tuple[object, ...], str, str]] = []
        if isinstance(node, yaml.MappingNode):
            order = _KEY_ORDER.get(kind, ())
            for i, (k, v) in enumerate(node.value):
                name = _scalar(k)
                text = t[k.start_mark.index : v.start_mark.index] + self.flow(v, _MAP_VALUE.get((kind, name), ""))
                rank = order.index(name) if name in order else len(order) + i
                parts.append(((rank,), text, t[k.start_mark.index : v.end_mark.index]))
            keep = parts
            brackets = "{}"
        else:
            assert isinstance(node, yaml.SequenceNode)
            item_kind = _SEQ_ITEM.get(kind, "")
            keys, drops = self.seq_plan(node, kind)
            for i, item in enumerate(node.value):
                self._enter(kind, item)
                parts.append((keys[i], self.flow(item, item_kind), t[item.start_mark.index : item.end_mark.index]))
            keep = [p for i, p in enumerate(parts) if i not in drops]
            brackets = "[]"
        new = sorted(keep, key=lambda p: p[0])
        if len(new) == len(parts) and all(a is b and a[1] == a[2] for a, b in zip(new, parts)):
            return original
        return brackets[0] + ", ".join(p[1] for p in new) + brackets[1]

    def _enter(self, kind: str, item: yaml.Node) -> None:
        """Remember the entity whose aliases are being formatted (set on
        entering each item of the entities list, whatever its style)."""
        if kind == "entities":
            fields = item.value if isinstance(item, yaml.MappingNode) else []
            eid = next((_scalar(v) for k, v in fields if _scalar(k) == "id"), "")
            self._entity = self.g.get(eid)

    # -- sequences ---------------------------------------------------------

    def seq_plan(self, node: yaml.SequenceNode, kind: str) -> tuple[list[tuple[object, ...]], set[int]]:
        """Sort keys of the items (stable: the position breaks ties) and the
        indexes of items to drop."""
        n = len(node.value)
        if kind == "entities":
            keys: list[tuple[object, ...]] = []
            for i, item in enumerate(node.value):
                fields = {_scalar(k): _scalar(v) for k, v in item.value} if isinstance(item, yaml.MappingNode) else {}
                eid = fields.get("id", "")
                e = self.g.get(eid)
                keys.append((*(self.entity_key(e) if e is not None else (1 << 30, "", eid)), i))
            return keys, set()
        if kind == "aliases" and self._entity is not None:
            names = [a.name for a in self._entity.aliases]
            if len(names) == n:
                return [(*alias_order(names[i]), i) for i in range(n)], _redundant(self._entity)
        return [(i,) for i in range(n)], set()

    _entity: Entity | None = None

    def block_seq(self, node: yaml.SequenceNode, kind: str, lo: int, hi: int) -> str:
        src = self.src
        item_kind = _SEQ_ITEM.get(kind, "")
        keys, drops = self.seq_plan(node, kind)
        elems: list[_Elem] = []
        bounds = self._bounds(
            [self._dash(item) for item in node.value], [_content_end(i) for i in node.value], lo, hi, lead_first=True
        )
        for i, item in enumerate(node.value):
            lead_lo, start, end = bounds[i]
            dash_line, dash_col = start
            a, b = src.at(dash_line), src.at(end)
            self._enter(kind, item)
            if isinstance(item, yaml.MappingNode) and not item.flow_style:
                inline = src.line(item.start_mark.index) == dash_line
                body = self.node(item, item_kind, dash_line, end, inline=inline)
            else:
                body = self.value(item, item_kind, a, b)
            lead = src.text[src.at(lead_lo) : a]
            group = str(keys[i][1]) if kind == "entities" else None
            elems.append(
                _Elem(
                    lead, body, dash_col, keys[i], i in drops, i in drops and _has_comment(lead + src.text[a:b]), group
                )
            )
        return self._assemble(elems, lo, bounds, hi, inline=False)

    def _dash(self, item: yaml.Node) -> tuple[int, int]:
        """Line and column of the ``-`` that introduces a block sequence item."""
        src = self.src
        line = src.line(item.start_mark.index)
        head = src.text[src.at(line) : item.start_mark.index]
        while "-" not in head.split("#")[0] and line > 0:  # "-" alone on an earlier line
            line -= 1
            head = src.content(line)
        col = len(head) - len(head.lstrip(" \t"))
        return line, col

    # -- mappings ----------------------------------------------------------

    def block_map(self, node: yaml.MappingNode, kind: str, lo: int, hi: int, inline: bool) -> str:
        src = self.src
        order = _KEY_ORDER.get(kind, ())
        starts = [(src.line(k.start_mark.index), k.start_mark.column) for k, _ in node.value]
        bounds = self._bounds(starts, [_content_end(v) for _, v in node.value], lo, hi, lead_first=False)
        elems: list[_Elem] = []
        for i, (k, v) in enumerate(node.value):
            lead_lo, (key_line, col), end = bounds[i]
            name = _scalar(k)
            sub = _MAP_VALUE.get((kind, name), "")
            a, b = src.at(key_line), src.at(end)
            if isinstance(v, (yaml.MappingNode, yaml.SequenceNode)) and not v.flow_style and v.value:
                vlo = src.line(k.end_mark.index) + 1
                body = src.text[a : src.at(vlo)] + self.node(v, sub, vlo, end)
            else:
                body = self.value(v, sub, a, b)
            rank = order.index(name) if name in order else len(order) + i
            elems.append(_Elem(src.text[src.at(lead_lo) : a], body, col, (rank,)))
        return self._assemble(elems, lo, bounds, hi, inline=inline)

    # -- shared ------------------------------------------------------------

    def _bounds(
        self, starts: Sequence[tuple[int, int]], ends: Sequence[int], lo: int, hi: int, *, lead_first: bool
    ) -> list[tuple[int, tuple[int, int], int]]:
        """For every entry: the first line of its lead comments, its own
        first line and column, and the line past its last (deeper-indented
        comments after it included)."""
        src = self.src
        out = []
        n = len(starts)
        content_end = [src.line(max(e - 1, 0)) + 1 for e in ends]
        leads = []
        for i, (line, col) in enumerate(starts):
            floor = lo if i == 0 else content_end[i - 1]
            lead = line
            if i > 0 or lead_first:
                while lead > floor and src.is_comment_or_blank(lead - 1, col):
                    lead -= 1
                # Blank lines right after the previous entry stay with the gap, not the comment.
            leads.append(lead)
        for i in range(n):
            if i + 1 < n:
                end = leads[i + 1]
            else:
                end = content_end[i]
                while end < hi and src.is_deeper_comment(end, starts[i][1]):
                    end += 1
            out.append((leads[i], starts[i], end))
        return out

    def _assemble(
        self, elems: list[_Elem], lo: int, bounds: list[tuple[int, tuple[int, int], int]], hi: int, *, inline: bool
    ) -> str:
        src = self.src
        prefix = src.text[src.at(lo) : src.at(bounds[0][0])] if bounds else ""
        suffix = src.text[src.at(bounds[-1][2]) : src.at(hi)] if bounds else src.text[src.at(lo) : src.at(hi)]
        keep = [e for e in elems if not e.drop or e.has_comment]
        new = sorted(keep, key=lambda e: e.sort_key)
        if len(new) == len(elems) and all(a is b for a, b in zip(new, elems)):
            return prefix + "".join(e.lead + e.body for e in elems) + suffix
        if elems and elems[0].group is not None:
            _sections(elems, new)
        hoisted = ""
        if inline and new[0] is not elems[0]:
            # The first key shares the line of the sequence's "-": hand the
            # "- " over to the new first key; comments written above that key
            # move above the "-", at its indentation, so that they stay with
            # this entry when entries are sorted again.
            first, col = elems[0], elems[0].col
            dash = first.body[:col]
            first.body = " " * col + first.body[col:]
            top = new[0]
            top.body = dash + top.body[col:]
            indent = " " * (len(dash) - len(dash.lstrip(" \t")))
            hoisted = "".join(indent + ln.lstrip(" \t") for ln in top.lead.splitlines(keepends=True) if ln.strip())
            top.lead = ""
        return hoisted + prefix + "".join(e.lead + e.body for e in new) + suffix


def _split_lead(lead: str) -> tuple[str, str]:
    """A lead split after its last blank line: (detached, attached)."""
    lines = lead.splitlines(keepends=True)
    last_blank = max((i for i, ln in enumerate(lines) if not ln.strip()), default=-1)
    return "".join(lines[: last_blank + 1]), "".join(lines[last_blank + 1 :])


def _sections(elems: list[_Elem], new: list[_Elem]) -> None:
    """Section comments stay at the head of their type's group.

    A comment block separated from the entity below it by a blank line, above
    the first entity of a type (``# ===== people =====``), heads the section
    of that type: after sorting it goes above whichever entity now comes
    first in that type. Other comments move with the entity below them."""
    detached = {id(e): _split_lead(e.lead) for e in elems}
    blanks = [d for d, _ in detached.values() if not d.strip()]
    sep = max(set(blanks), key=blanks.count) if blanks else ""
    headers: dict[str | None, str] = {}
    seen: set[str | None] = set()
    for e in elems:
        if e.group not in seen:
            seen.add(e.group)
            head, attached = detached[id(e)]
            if head.strip():
                headers[e.group] = head
                e.lead = sep + attached
    seen.clear()
    for e in new:
        if e.group not in seen:
            seen.add(e.group)
            if e.group in headers:
                e.lead = headers[e.group] + _split_lead(e.lead)[1]


def format_text(text: str, path: str = "<string>", *, glossary: Glossary | None = None) -> str:
    """The glossary ``text`` in canonical layout (see the module doc).

    Raises :class:`~resolver.errors.GlossaryError` when the text is not a
    valid glossary: a file is formatted only once it loads (``glossary``:
    ``text`` already loaded by the caller).

    >>> format_text("version: 1\\nentities: [{canonical: Taliban, type: organization, id: taliban}]\\n")
    'version: 1\\nentities: [{id: taliban, type: organization, canonical: Taliban}]\\n'
    """
    g = glossary if glossary is not None else loads(text, path)
    work = text if text.endswith("\n") or not text else text + "\n"
    root = compose(work)
    assert isinstance(root, yaml.MappingNode)
    f = _Formatter(work, g)
    if root.flow_style:
        out = f.value(root, "top", 0, len(work))
    else:
        out = f.node(root, "top", 0, f.src.nlines)
    if out != text:
        _same_meaning(g, loads(out, path), path)
    return out


def _signature(g: Glossary) -> object:
    def names(e: Entity) -> frozenset[tuple[object, ...]]:
        canon = next((a for a in e.aliases if a.name == e.canonical), None) or Alias(
            e.canonical, case="exact" if is_acronym(e.canonical) else "insensitive"
        )
        return frozenset((fold(a.name, casefold=a.case == "insensitive"), *_options(a)) for a in (canon, *e.aliases))

    ents = {e.id: (e.type, e.canonical, e.short, repr(sorted(e.meta.items())), names(e)) for e in g.entities}
    return (ents, g.titles, g.spelling, g.types)


def _same_meaning(old: Glossary, new: Glossary, path: str) -> None:
    if _signature(old) != _signature(new):  # pragma: no cover - a bug in this module
        raise ResolverError(
            f"{path}: internal error: formatting would change the glossary's meaning; the file was left alone (please report this)"
        )


def is_formatted(text: str, path: str = "<string>") -> bool:
    """True when ``text`` is already in canonical layout.

    >>> is_formatted("version: 1\\nentities: []\\n")
    True
    """
    return format_text(text, path) == text


def first_difference(old: str, new: str) -> int | None:
    """1-based number of the first line where ``new`` differs from ``old``
    (None when they are equal).

    >>> first_difference("a\\nb\\nc\\n", "a\\nc\\nb\\n")
    2
    """
    if old == new:
        return None
    a, b = old.splitlines(), new.splitlines()
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i + 1
    return min(len(a), len(b)) + 1


def format_file(path: str | Path, *, check: bool = False) -> bool:
    """Format a glossary file in place (``check``: only report); return True
    when the file is (check: would be) changed."""
    from .textio import read_text, write_atomic

    doc = read_text(path)
    new = format_text(doc.text, str(path))
    if new == doc.text:
        return False
    if not check:
        write_atomic(path, new.encode(doc.encoding))
    return True
