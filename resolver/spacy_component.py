"""A spaCy pipeline component: resolver's matching inside an ``nlp`` pipeline.

Install with ``pip install "resolver[spacy]"`` (spaCy only; no model is
needed, ``spacy.blank("en")`` is enough). Importing this module registers the
factory ``"resolver"``::

    import spacy
    import resolver.spacy_component  # registers the "resolver" factory

    nlp = spacy.blank("en")
    nlp.add_pipe("resolver", config={"glossary": "aliases.yaml"})
    doc = nlp("The JeM’s chief met ISI officers.")
    [(e.text, e.label_, e.kb_id_) for e in doc.ents]

The component runs :meth:`resolver.Resolver.find` on the *original* text (so
spaCy users get resolver's folding, word boundaries, spelling rules and
ambiguity handling instead of PhraseMatcher's token matching), then aligns
each mention's characters to tokens with ``doc.char_span(...,
alignment_mode="expand")``. What it writes:

* ``doc.ents``: every **resolved** mention, label = the entity's type
  upper-cased (or ``labels[type]``), ``kb_id_`` = the entity id. A mention
  overlapping an entity already in ``doc.ents`` (from an earlier NER
  component) is left out of ``doc.ents`` unless ``overwrite_ents`` is true;
  ``set_ents: false`` leaves ``doc.ents`` alone entirely.
* ``doc.spans[spans_key]`` (default ``"resolver"``): every resolved mention,
  overlapping or not, so nothing is lost when ``doc.ents`` could not take it.
* ``doc.spans[unresolved_key]`` (default ``"resolver_unresolved"``):
  **ambiguous** mentions (label ``AMBIGUOUS``, no ``kb_id_``) and
  **unconfirmed** weak-alias mentions (label ``UNCONFIRMED``); never in
  ``doc.ents``, because resolver does not guess.
* ``span._.resolver_candidates`` (entity ids) and ``span._.resolver_status``
  on those spans, and ``doc._.resolver_mentions``: every mention as a JSON
  dict (:meth:`resolver.Mention.to_dict`), with its exact character offsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

try:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
    from spacy.util import filter_spans
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError('resolver.spacy_component needs spaCy: pip install "resolver[spacy]"') from exc

from .core import Resolver
from .glossary import load_glossary
from .model import Mention

__all__ = ["FACTORY", "ResolverComponent", "make_resolver_component"]

FACTORY = "resolver"

if not Span.has_extension("resolver_candidates"):
    Span.set_extension("resolver_candidates", default=())
if not Span.has_extension("resolver_status"):
    Span.set_extension("resolver_status", default=None)
if not Doc.has_extension("resolver_mentions"):
    Doc.set_extension("resolver_mentions", default=None)


class ResolverComponent:
    """The pipeline component (see the module docstring for what it writes).

    >>> import spacy
    >>> from resolver.glossary import loads
    >>> g = loads('''
    ... version: 1
    ... entities:
    ...   - {id: jem, type: organization, canonical: Jaish-e-Mohammed, aliases: [JeM]}
    ... ''')
    >>> nlp = spacy.blank("en")
    >>> comp = ResolverComponent(nlp.vocab, Resolver(g))
    >>> doc = comp(nlp("The JeM’s chief"))
    >>> [(e.text, e.label_, e.kb_id_) for e in doc.ents]
    [('JeM', 'ORGANIZATION', 'jem')]
    """

    def __init__(
        self,
        vocab: Any,
        resolver: Resolver,
        *,
        name: str = FACTORY,
        set_ents: bool = True,
        overwrite_ents: bool = False,
        spans_key: str = "resolver",
        unresolved_key: str = "resolver_unresolved",
        labels: dict[str, str] | None = None,
    ) -> None:
        self.vocab = vocab
        self.resolver = resolver
        self.name = name
        self.set_ents = set_ents
        self.overwrite_ents = overwrite_ents
        self.spans_key = spans_key
        self.unresolved_key = unresolved_key
        self.labels = dict(labels or {})
        self._types = {e.id: e.type for e in resolver.glossary.entities}

    def label(self, m: Mention) -> str:
        """The span label of a mention: its entity type upper-cased (or as
        configured in ``labels``); ``AMBIGUOUS`` / ``UNCONFIRMED`` otherwise."""
        if m.status != "resolved" or m.entity_id is None:
            return m.status.upper()
        etype = self._types[m.entity_id]
        return self.labels.get(etype, etype.upper())

    def _span(self, doc: Doc, m: Mention) -> Span | None:
        kb = m.entity_id if m.status == "resolved" and m.entity_id else ""
        span: Span | None = doc.char_span(m.start, m.end, label=self.label(m), kb_id=kb, alignment_mode="expand")
        if span is None or not span.text.strip():
            return None
        span._.resolver_status = m.status
        span._.resolver_candidates = tuple(m.candidates)
        return span

    def __call__(self, doc: Doc) -> Doc:
        mentions = self.resolver.find(doc.text)
        doc._.resolver_mentions = [m.to_dict() for m in mentions]
        resolved: list[Span] = []
        unresolved: list[Span] = []
        for m in mentions:
            span = self._span(doc, m)
            if span is not None:
                (resolved if m.status == "resolved" else unresolved).append(span)
        doc.spans[self.spans_key] = resolved
        doc.spans[self.unresolved_key] = unresolved
        if self.set_ents and resolved:
            doc.ents = self._merge_ents(list(doc.ents), resolved)
        return doc

    def _merge_ents(self, existing: list[Span], ours: list[Span]) -> list[Span]:
        """Ours never overlap each other after :func:`filter_spans` (expanding
        to whole tokens can make two mentions share a token: the longer wins);
        against existing entities, ``overwrite_ents`` decides."""
        ours = filter_spans(ours)
        taken: set[int] = set()
        keep_existing = existing
        if self.overwrite_ents:
            covered = {i for s in ours for i in range(s.start, s.end)}
            keep_existing = [e for e in existing if not covered & set(range(e.start, e.end))]
        for e in keep_existing:
            taken.update(range(e.start, e.end))
        added = [s for s in ours if not taken & set(range(s.start, s.end))]
        return sorted(keep_existing + added, key=lambda s: s.start)


def _glossary_paths(glossary: str | Sequence[str] | None) -> tuple[str, ...]:
    if glossary is None:
        return ()
    if isinstance(glossary, str):
        return (glossary,)
    return tuple(glossary)


@Language.factory(
    FACTORY,
    default_config={
        "glossary": None,
        "set_ents": True,
        "overwrite_ents": False,
        "spans_key": "resolver",
        "unresolved_key": "resolver_unresolved",
        "labels": {},
    },
)
def make_resolver_component(
    nlp: Language,
    name: str,
    glossary: str | list[str] | None,
    set_ents: bool,
    overwrite_ents: bool,
    spans_key: str,
    unresolved_key: str,
    labels: dict[str, str],
) -> ResolverComponent:
    """spaCy factory: ``glossary`` is a path or a list of paths (merged in
    order), or null for the glossary bundled with resolver."""
    r = Resolver(load_glossary(*_glossary_paths(glossary)))
    return ResolverComponent(
        nlp.vocab,
        r,
        name=name,
        set_ents=set_ents,
        overwrite_ents=overwrite_ents,
        spans_key=spans_key,
        unresolved_key=unresolved_key,
        labels=labels,
    )
