"""Add entities and aliases to a glossary file without reformatting it.

A glossary is a file people curate: its comments, blank lines, key order,
quoting and the flow or block style of each entry are theirs. Loading it and
dumping it again — even with ruamel.yaml's round-trip mode, which keeps
comments — re-indents sequences and re-wraps long lines, so a one-alias change
would show as a diff of the whole file. This module therefore **never re-emits
the existing text**. It parses the file with ruamel.yaml's composer, whose
nodes carry exact character offsets, and inserts the new text at the right
places; every byte outside the insertions is kept. New text follows the style
of its neighbours:

* an alias joins the entity's ``aliases`` list — as a new ``- item`` line at
  the list's indentation when the list is in block style, as ``, item`` before
  the closing ``]`` when it is a flow list; an entity without ``aliases`` gets
  an ``aliases: [...]`` key (a line in a block mapping, ``, aliases: [...]``
  in a ``{...}`` one);
* a new entity is appended after the last entity, as a one-line ``- {...}``
  when the last entity is written that way and as a block mapping otherwise,
  at the same indentation, with its comment (if any) on the line above.

A file kept in ``resolver fmt``'s canonical layout (:mod:`resolver.fmt`)
stays in it: the result is then formatted too, which moves the new entities
and aliases to their places in its order (entities by type, then id; aliases
by their folded form) and changes nothing else, so ``resolver fmt --check``
passes after an import or ``resolver unknown --add-to``. The example below
is not in that layout (its aliases are not sorted): the alias is appended.

Scalars are written plain when YAML reads them back as the same string and
double-quoted otherwise (``"Jama'at: 1"``, ``"yes"``, ``"#1"``). The result
is checked with :func:`resolver.glossary.loads` — the same validation as
every glossary — before it is returned, so a caller can diff it or write it
atomically (:func:`resolver.textio.write_atomic`) knowing it is valid.

This is the module the sanctions-list importer uses too: its API is
:func:`add_to_glossary` and :class:`GlossaryEditError`.

>>> text = '''version: 1  # the house glossary
... entities:
...   - id: jem
...     type: organization
...     canonical: Jaish-e-Mohammed
...     aliases:
...       - JeM   # the usual acronym
...       - Jaish-e-Muhammad
... '''
>>> print(add_to_glossary(text, [{"id": "quint", "type": "organization", "canonical": "The Quint"}],
...                       {"jem": ["Jaish-e-Mohamad"]}), end="")
version: 1  # the house glossary
entities:
  - id: jem
    type: organization
    canonical: Jaish-e-Mohammed
    aliases:
      - JeM   # the usual acronym
      - Jaish-e-Muhammad
      - Jaish-e-Mohamad
  - id: quint
    type: organization
    canonical: The Quint
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RuamelYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import ResolverError
from .fmt import ENTITY_ORDER, format_text
from .glossary import loads

__all__ = ["ENTITY_KEY_ORDER", "GlossaryEditError", "add_to_glossary", "flow_value", "yaml_scalar"]

#: Keys of a new entity are written in this order (``resolver fmt``'s);
#: others follow in theirs.
ENTITY_KEY_ORDER = ENTITY_ORDER


class GlossaryEditError(ResolverError):
    """The requested change cannot be made to this glossary text (the
    message says why and what to do)."""


def yaml_scalar(value: Any) -> str:
    """``value`` as a YAML scalar that reads back as itself, plain when
    possible (in block and in flow context alike).

    >>> [yaml_scalar(x) for x in ("Jaish-e-Mohammed", "Jama'at-ud-Dawa", "yes", "a: b", "[x]", True, 3)]
    ['Jaish-e-Mohammed', "Jama'at-ud-Dawa", '"yes"', '"a: b"', '"[x]"', 'true', '3']
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise GlossaryEditError(f"cannot write {value!r} as a YAML scalar (a string, number or true/false is needed)")
    if (
        value
        and value == value.strip()
        and "\n" not in value
        and not any(c in value for c in ',[]{}#&*!|>%@`"')
        and ": " not in value
        and not value.endswith(":")
    ):
        try:
            if yaml.safe_load(f"[{value}]") == [value] and yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def flow_value(value: Any) -> str:
    """A value (scalar, list or mapping) in YAML flow style, on one line.

    >>> flow_value(["JeM", {"name": "Jaish", "weak": True}])
    '[JeM, {name: Jaish, weak: true}]'
    """
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{yaml_scalar(str(k))}: {flow_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow_value(v) for v in value) + "]"
    return yaml_scalar(value)


def _compose(text: str, path: str) -> Node | None:
    try:
        node = YAML(typ="rt").compose(text)
    except RuamelYAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        raise GlossaryEditError(
            f"{where}: cannot edit: YAML syntax error: {getattr(exc, 'problem', None) or exc}"
        ) from None
    return node  # type: ignore[no-any-return]


def _get(node: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return k, v
    return None


def _content_end(node: Node) -> int:
    """Offset just after the last character of ``node``'s own text (block
    collections end where the next token starts, after comments and blank
    lines; their last descendant ends where the content really ends)."""
    if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _content_end(last[1] if isinstance(last, tuple) else last)
    return int(node.end_mark.index)


def _after_line(text: str, pos: int) -> int:
    """Offset of the start of the line after the one ``pos`` is on."""
    nl = text.find("\n", pos)
    return len(text) if nl == -1 else nl + 1


def _dash_column(text: str, item: Node) -> int:
    """Column of the ``-`` that introduces a block sequence item."""
    i = int(item.start_mark.index) - 1
    while i >= 0 and text[i] != "\n":
        if text[i] == "-":
            return int(item.start_mark.column) - (int(item.start_mark.index) - i)
        i -= 1
    return max(int(item.start_mark.column) - 2, 0)


def _closing(text: str, node: Node, bracket: str) -> int:
    """Offset of the closing bracket of a flow collection."""
    end = int(node.end_mark.index)
    if end > 0 and text[end - 1] == bracket:
        return end - 1
    raise GlossaryEditError(
        f"line {node.start_mark.line + 1}: cannot find the closing {bracket!r} of a flow collection"
    )


def _order(entity: Mapping[str, Any]) -> list[tuple[str, Any]]:
    keys = [k for k in ENTITY_KEY_ORDER if k in entity] + [k for k in entity if k not in ENTITY_KEY_ORDER]
    return [(k, entity[k]) for k in keys]


def _entity_block(entity: Mapping[str, Any], dash: int, comment: str | None, flow: bool) -> str:
    pad = " " * dash
    out: list[str] = []
    if comment:
        out.extend(f"{pad}# {line}".rstrip() for line in comment.splitlines())
    pairs = _order(entity)
    if flow:
        out.append(f"{pad}- " + flow_value(dict(pairs)))
    else:
        for n, (k, v) in enumerate(pairs):
            lead = f"{pad}- " if n == 0 else f"{pad}  "
            out.append(f"{lead}{yaml_scalar(str(k))}: {flow_value(v)}")
    return "".join(line + "\n" for line in out)


def _alias_inserts(text: str, ent: MappingNode, eid: str, names: Sequence[Any], comment: str | None) -> tuple[int, str]:
    """Where and what to insert to add ``names`` to one entity."""
    items = ", ".join(flow_value(n) for n in names)
    found = _get(ent, "aliases")
    if found is None:
        if ent.flow_style:
            return _closing(text, ent, "}"), f", aliases: [{items}]"
        col = int(ent.value[0][0].start_mark.column)
        pos = _after_line(text, _content_end(ent))
        tail = f"  # {comment}" if comment else ""
        return pos, (
            "\n" if pos == len(text) and not text.endswith("\n") else ""
        ) + f"{' ' * col}aliases: [{items}]{tail}\n"
    key, seq = found
    if isinstance(seq, SequenceNode) and seq.flow_style:
        return _closing(text, seq, "]"), (", " if seq.value else "") + items
    if isinstance(seq, SequenceNode) and seq.value:
        dash = _dash_column(text, seq.value[-1])
        pos = _after_line(text, _content_end(seq))
        lines = [f"{' ' * dash}- {flow_value(n)}" for n in names]
        if comment:
            lines[0] += f"  # {comment}"
        return pos, ("\n" if pos == len(text) and not text.endswith("\n") else "") + "".join(x + "\n" for x in lines)
    if isinstance(seq, ScalarNode) and seq.value in ("", "~", "null"):
        colon = text.index(":", int(key.end_mark.index))
        return colon + 1, f" [{items}]"
    raise GlossaryEditError(f"line {key.start_mark.line + 1}: entity {eid}: aliases must be a list to add to it")


def add_to_glossary(
    text: str,
    new_entities: Sequence[Mapping[str, Any]] = (),
    new_aliases: Mapping[str, Sequence[str | Mapping[str, Any]]] | None = None,
    *,
    comments: Mapping[str, str] | None = None,
    path: str = "<glossary>",
) -> str:
    """The glossary ``text`` with ``new_entities`` appended and
    ``new_aliases`` (entity id → alias names or alias mappings such as
    ``{"name": "Jaish", "weak": True}``) added to existing entities.

    ``comments`` (entity id → text) puts a comment above a new entity, or
    after the first alias added to an existing one in a block list. An alias
    the entity already lists (same spelling) is skipped, so running the same
    addition twice changes nothing. Everything else in ``text`` is kept byte
    for byte. Raises :class:`GlossaryEditError` when an alias names an entity
    the file does not define, a new entity's id is already used, or the text
    is not a glossary mapping; :class:`~resolver.errors.GlossaryError` when
    the result would not be a valid glossary (the message names the line).

    >>> print(add_to_glossary("version: 1\\nentities:\\n  - {id: a, type: place, canonical: Abbottabad}\\n",
    ...                       [{"id": "b", "type": "place", "canonical": "Bahawalpur"}], {"a": ["Abbotabad"]}), end="")
    version: 1
    entities:
      - {id: a, type: place, canonical: Abbottabad, aliases: [Abbotabad]}
      - {id: b, type: place, canonical: Bahawalpur}
    """
    new_aliases = dict(new_aliases or {})
    comments = dict(comments or {})
    root = _compose(text, path)
    if not isinstance(root, MappingNode):
        raise GlossaryEditError(
            f"{path}: is not a glossary (its top level must be a mapping with version and entities)"
        )
    found = _get(root, "entities")
    entities_node = found[1] if found is not None else None
    if (
        entities_node is not None
        and not isinstance(entities_node, SequenceNode)
        and not (isinstance(entities_node, ScalarNode) and entities_node.value in ("", "~", "null"))
    ):
        raise GlossaryEditError(f"{path}:{entities_node.start_mark.line + 1}: entities must be a list to add to it")
    by_id: dict[str, MappingNode] = {}
    if isinstance(entities_node, SequenceNode):
        for item in entities_node.value:
            if isinstance(item, MappingNode):
                idn = _get(item, "id")
                if idn is not None and isinstance(idn[1], ScalarNode):
                    by_id.setdefault(str(idn[1].value), item)
    existing_names = _existing_names(text, path)
    edits: list[tuple[int, str]] = []
    for eid, names in new_aliases.items():
        if eid not in by_id:
            raise GlossaryEditError(
                f"{path}: no entity with id {eid!r} to add aliases to; add the entity first (or check the id)"
            )
        have = existing_names.get(eid, set())
        todo: list[Any] = []
        for n in names:
            spelled = n.get("name") if isinstance(n, Mapping) else n
            if not isinstance(spelled, str) or not spelled.strip():
                raise GlossaryEditError(f"alias for {eid}: {n!r} has no name")
            if spelled not in have:
                have.add(spelled)
                todo.append(dict(n) if isinstance(n, Mapping) else n)
        if todo:
            edits.append(_alias_inserts(text, by_id[eid], eid, todo, comments.get(eid)))
    ids = set(by_id)
    for ent in new_entities:
        for req in ("id", "type", "canonical"):
            if not ent.get(req):
                raise GlossaryEditError(f"a new entity needs {req!r}: {dict(ent)!r}")
        if ent["id"] in ids:
            raise GlossaryEditError(
                f"{path}: an entity with id {ent['id']!r} already exists; choose another id or add aliases to it instead"
            )
        ids.add(str(ent["id"]))
    if new_entities:
        edits.append(_entity_inserts(text, root, entities_node, new_entities, comments))
    if not edits:
        return text
    out = text
    # Back to front, so offsets stay valid; at the same offset the later edit
    # goes in first and so ends up after the earlier one.
    for _, (pos, ins) in sorted(enumerate(edits), key=lambda ie: (ie[1][0], ie[0]), reverse=True):
        out = out[:pos] + ins + out[pos:]
    g = loads(out, path)  # raises GlossaryError naming the line if the result is not a valid glossary
    if _formatted(text, path):
        # a file kept in resolver fmt's layout stays in it: the new entities
        # go to their place in the order, the new aliases into theirs
        out = format_text(out, path, glossary=g)
    return out


def _formatted(text: str, path: str) -> bool:
    """Whether ``text`` is in ``resolver fmt``'s canonical layout."""
    try:
        return format_text(text, path) == text
    except ResolverError:
        return False


def _existing_names(text: str, path: str) -> dict[str, set[str]]:
    """Every spelling (canonical and aliases) of every entity in ``text``."""
    try:
        g = loads(text, path)
    except ResolverError:
        return {}
    return {e.id: set(e.names) for e in g.entities}


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _entity_inserts(
    text: str, root: MappingNode, node: Node | None, ents: Sequence[Mapping[str, Any]], comments: Mapping[str, str]
) -> tuple[int, str]:
    if isinstance(node, SequenceNode) and node.flow_style:
        pos = _closing(text, node, "]")
        return pos, (", " if node.value else "") + ", ".join(flow_value(dict(_order(e))) for e in ents)
    if isinstance(node, SequenceNode) and node.value:
        last = node.value[-1]
        dash = _dash_column(text, last)
        flow = bool(isinstance(last, MappingNode) and last.flow_style)
        pos = _after_line(text, _content_end(node))
        lead = "\n" if pos == len(text) and not text.endswith("\n") else ""
        # entities set apart by blank lines get one too
        gap = "\n" if len(node.value) > 1 and _BLANK_LINE.search(
            text, _content_end(node.value[-2]), node.value[-1].start_mark.index
        ) else ""
        return pos, lead + "".join(gap + _entity_block(e, dash, comments.get(str(e["id"])), flow) for e in ents)
    body = "".join(_entity_block(e, 2, comments.get(str(e["id"])), False) for e in ents)
    if node is not None:  # "entities:" with no value
        key = _get(root, "entities")
        assert key is not None
        pos = _after_line(text, int(key[0].end_mark.index))
        return pos, ("\n" if pos == len(text) and not text.endswith("\n") else "") + body
    lead = "" if not text or text.endswith("\n") else "\n"
    return len(text), lead + "entities:\n" + body
