"""Glossary examples that test themselves (what prh calls ``specs``).

An entity may carry ``examples:``, short sentences with the outcome a
maintainer expects, run against the *whole* merged glossary, so that an alias
added to one entity that breaks another entity's reading shows up in review:

.. code-block:: yaml

    examples:
      - text: "The JeM’s chief"
        normalized: "The Jaish-e-Mohammed’s chief"   # resolver normalize gives exactly this
      - text: "Azhar said"
        ambiguous: true      # a mention of this entity that stays unsettled (ambiguous or unconfirmed)
      - text: "let them go"
        no_match: true       # no mention of this entity at all

Each example has ``text`` and exactly one of ``normalized``, ``ambiguous:
true``, ``no_match: true`` (and an optional ``note``).

>>> from resolver.glossary import loads
>>> g = loads('''
... version: 1
... entities:
...   - id: lashkar_e_taiba
...     type: organization
...     canonical: Lashkar-e-Taiba
...     aliases: [LeT]
...     examples:
...       - {text: "LeT cadres", normalized: "Lashkar-e-Taiba cadres"}
...       - {text: "let them go", no_match: true}
...       - {text: "LeT cadres", no_match: true}
... ''')
>>> run = run_examples(g)
>>> run.passed, [(f.example.index, f.message) for f in run.failures]
(2, [(2, "expected no mention of lashkar_e_taiba; found 'LeT' at 0 (resolved lashkar_e_taiba)")])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .core import Resolver
from .glossary import Glossary
from .model import Entity, Mention

__all__ = [
    "EXAMPLE_KEYS",
    "Example",
    "ExampleFailure",
    "ExampleProblem",
    "ExampleRun",
    "check_example",
    "parse_examples",
    "run_examples",
]

Expect = Literal["normalized", "ambiguous", "no_match"]
#: Keys of one example, in schema order.
EXAMPLE_KEYS = ("text", "normalized", "ambiguous", "no_match", "note")
_EXPECT: tuple[Expect, ...] = ("normalized", "ambiguous", "no_match")


@dataclass(frozen=True, slots=True)
class Example:
    """One example of an entity: ``index`` is its position in the entity's
    ``examples:`` list, ``expect`` what must happen to ``text``."""

    entity_id: str
    index: int
    text: str
    expect: Expect
    normalized: str | None = None


@dataclass(frozen=True, slots=True)
class ExampleProblem:
    """A malformed example (``index`` None: the ``examples`` value itself)."""

    entity_id: str
    index: int | None
    message: str


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """An example whose expectation does not hold, and what happened."""

    example: Example
    message: str


@dataclass(frozen=True, slots=True)
class ExampleRun:
    """The outcome of :func:`run_examples`."""

    passed: int
    failures: tuple[ExampleFailure, ...]
    problems: tuple[ExampleProblem, ...]


def _one(eid: str, i: int, item: Any) -> Example | ExampleProblem:
    if not isinstance(item, dict):
        return ExampleProblem(
            eid, i, "an example must be a mapping with text and normalized, ambiguous: true or no_match: true"
        )
    unknown = [k for k in item if k not in EXAMPLE_KEYS]
    if unknown:
        return ExampleProblem(eid, i, f"unknown key {unknown[0]!r} in an example; allowed: {', '.join(EXAMPLE_KEYS)}")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        return ExampleProblem(eid, i, "an example needs a non-empty text")
    given = [k for k in _EXPECT if k in item]
    if len(given) != 1:
        return ExampleProblem(eid, i, "an example needs exactly one of normalized, ambiguous: true, no_match: true")
    expect = given[0]
    if expect == "normalized" and not isinstance(item["normalized"], str):
        return ExampleProblem(eid, i, "normalized must be a string")
    if expect != "normalized" and item[expect] is not True:
        return ExampleProblem(eid, i, f"{expect} must be true")
    if "note" in item and not isinstance(item["note"], str):
        return ExampleProblem(eid, i, "note must be a string")
    return Example(eid, i, text, expect, item.get("normalized"))


def parse_examples(entity: Entity) -> tuple[list[Example], list[ExampleProblem]]:
    """The well-formed examples of an entity, and the problems of the others.

    >>> e = Entity("jem", "organization", "JeM", meta={"examples": [{"text": "JeM", "no_match": True}, {"text": "x"}]})
    >>> ok, bad = parse_examples(e)
    >>> [x.expect for x in ok], [p.message for p in bad]
    (['no_match'], ['an example needs exactly one of normalized, ambiguous: true, no_match: true'])
    """
    raw = entity.meta.get("examples")
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [ExampleProblem(entity.id, None, "examples must be a list")]
    good: list[Example] = []
    bad: list[ExampleProblem] = []
    for i, item in enumerate(raw):
        x = _one(entity.id, i, item)
        (good if isinstance(x, Example) else bad).append(x)  # type: ignore[arg-type]
    return good, bad


def _describe(m: Mention) -> str:
    if m.status == "resolved":
        return f"{m.surface!r} at {m.start} (resolved {m.entity_id})"
    return f"{m.surface!r} at {m.start} ({m.status}: {', '.join(m.candidates)})"


def _summary(ms: Sequence[Mention]) -> str:
    return "; ".join(_describe(m) for m in ms) if ms else "no mention at all"


def check_example(resolver: Resolver, example: Example) -> str | None:
    """None when the example holds, else what happened instead.

    >>> from resolver.glossary import loads
    >>> r = Resolver(loads('''
    ... version: 1
    ... entities:
    ...   - {id: isi, type: organization, canonical: Inter-Services Intelligence, aliases: [ISI]}
    ...   - {id: masood_azhar, type: person, canonical: Masood Azhar, aliases: [{name: Azhar, ambiguous: true}]}
    ...   - {id: ibrahim_azhar, type: person, canonical: Ibrahim Azhar, aliases: [{name: Azhar, ambiguous: true}]}
    ... '''))
    >>> check_example(r, Example("masood_azhar", 0, "Azhar said", "ambiguous")) is None
    True
    >>> check_example(r, Example("isi", 0, "the isi", "normalized", "the Inter-Services Intelligence"))
    "normalizes to 'the isi', expected 'the Inter-Services Intelligence'"
    """
    eid = example.entity_id
    if example.expect == "normalized":
        got = resolver.normalize(example.text)
        return None if got == example.normalized else f"normalizes to {got!r}, expected {example.normalized!r}"
    mentions = resolver.find(example.text)
    if example.expect == "ambiguous":
        if any(m.status != "resolved" and eid in m.candidates for m in mentions):
            return None
        return f"expected a mention left unsettled with {eid} among its candidates; found {_summary(mentions)}"
    hits = [m for m in mentions if m.entity_id == eid or eid in m.candidates]
    return None if not hits else f"expected no mention of {eid}; found {_summary(hits)}"


def run_examples(glossary: Glossary, resolver: Resolver | None = None) -> ExampleRun:
    """Run every example of every entity against ``glossary`` as a whole."""
    r = resolver if resolver is not None else Resolver(glossary)
    passed = 0
    failures: list[ExampleFailure] = []
    problems: list[ExampleProblem] = []
    for e in glossary.entities:
        good, bad = parse_examples(e)
        problems.extend(bad)
        for x in good:
            msg = check_example(r, x)
            if msg is None:
                passed += 1
            else:
                failures.append(ExampleFailure(x, msg))
    return ExampleRun(passed, tuple(failures), tuple(problems))
