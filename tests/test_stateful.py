"""A glossary built step by step, checked against a plain-dict model.

The system under test is the way real glossaries grow: layers of YAML
(``--glossary base.yaml --glossary project.yaml``) loaded with
:func:`resolver.loads` and merged with :func:`resolver.merge`, where a later
entity with the same id replaces the earlier one *in its position*; now and
then the merged glossary is dumped and loaded back as a single file. The
model is an insertion-ordered ``dict`` of id → (type, canonical, aliases),
where assigning to an existing key keeps its position.

After every step the merged glossary must hold exactly the model's entities
in the model's order, and ``find`` must report, for a text made of one name,
one mention spanning that name whose candidates are the model's owners of
that name (resolved when there is one, ambiguous otherwise); for the text of
all canonical names, one resolved mention per entity, in order; and
``normalize`` must turn the text of all unshared aliases into the text of
their canonical names.

Names are drawn so that no two of them fold alike unless the machine shares
one on purpose, so the model needs no knowledge of folding or matching.
"""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, precondition, rule

import resolver
from resolver.folding import fold
from resolver.glossary import dumps, loads

from .strategies import TYPES, names, to_yaml

#: Between names: punctuation (names never join across it) and a
#: lower-case word no name contains, so that no line is "shouted" (all
#: capitals) and no name starts a sentence: normalize keeps the writer's
#: case in both places (``resolver.core.match_case``).
SEP = "; ω; "
LEAD = "See: "


class GlossaryMachine(RuleBasedStateMachine):
    ids = Bundle("ids")

    def __init__(self) -> None:
        super().__init__()
        self.layers: list[resolver.Glossary] = []
        self.model: dict[str, dict[str, Any]] = {}
        self.counter = 0
        self._resolver: resolver.Resolver | None = None

    # -- helpers ------------------------------------------------------------

    def used(self) -> set[str]:
        return {fold(n) for e in self.model.values() for n in [e["canonical"], *e["aliases"]]}

    def fresh(self, data: st.DataObject, label: str) -> str:
        used = self.used()
        return data.draw(names().filter(lambda n: bool(fold(n)) and n.strip() == n and fold(n) not in used), label)

    def push(self, *ids: str) -> None:
        """Add a layer redefining ``ids`` as the model now has them."""
        ents = []
        for i in ids:
            e = self.model[i]
            aliases = [{"name": a, "ambiguous": True} if a in e["shared"] else a for a in e["aliases"]]
            ents.append({"id": i, "type": e["type"], "canonical": e["canonical"], **({"aliases": aliases} if aliases else {})})
        self.layers.append(loads(to_yaml({"version": 1, "entities": ents}), f"layer{len(self.layers)}.yaml"))
        self._resolver = None

    def glossary(self) -> resolver.Glossary:
        return resolver.merge(*self.layers) if self.layers else loads("version: 1\nentities: []\n")

    def resolver(self) -> resolver.Resolver:
        if self._resolver is None:
            self._resolver = resolver.Resolver(self.glossary())
        return self._resolver

    def owners(self) -> dict[str, set[str]]:
        """Folded name → ids of the entities listing it (the model's view)."""
        out: dict[str, set[str]] = {}
        for i, e in self.model.items():
            for n in [e["canonical"], *e["aliases"]]:
                out.setdefault(fold(n), set()).add(i)
        return out

    # -- rules ----------------------------------------------------------------

    @rule(target=ids, data=st.data(), etype=st.sampled_from(TYPES), n_aliases=st.integers(0, 3))
    def add_entity(self, data: st.DataObject, etype: str, n_aliases: int) -> str:
        eid = f"e{self.counter}"
        self.counter += 1
        self.model[eid] = {"type": etype, "canonical": "", "aliases": [], "shared": set()}
        self.model[eid]["canonical"] = self.fresh(data, "canonical")
        for k in range(n_aliases):
            self.model[eid]["aliases"].append(self.fresh(data, f"alias {k}"))
        self.push(eid)
        return eid

    @rule(eid=ids, data=st.data(), n_aliases=st.integers(0, 3))
    def replace_entity(self, eid: str, data: st.DataObject, n_aliases: int) -> None:
        old = self.model[eid]
        # Free the old names first (a shared name stays with the other entity).
        self.model[eid] = {"type": old["type"], "canonical": "", "aliases": [], "shared": set()}
        self.model[eid]["canonical"] = self.fresh(data, "canonical")
        for k in range(n_aliases):
            self.model[eid]["aliases"].append(self.fresh(data, f"alias {k}"))
        self.push(eid)

    @rule(a=ids, b=ids, data=st.data())
    def share_alias(self, a: str, b: str, data: st.DataObject) -> None:
        if a == b:
            return
        name = self.fresh(data, "shared alias")
        for i in (a, b):
            self.model[i]["aliases"].append(name)
            self.model[i]["shared"].add(name)
        self.push(a, b)

    @rule(eid=ids)
    def add_prefix_alias(self, eid: str) -> None:
        """An alias that is the first word of the entity's canonical name."""
        e = self.model[eid]
        first = e["canonical"].replace("-", " ").split(" ")[0]
        if not fold(first) or fold(first) in self.used():
            return
        e["aliases"].append(first)
        self.push(eid)

    @precondition(lambda self: bool(self.layers))
    @rule()
    def consolidate(self) -> None:
        """Dump the merged glossary to one file and load it back."""
        self.layers = [loads(dumps(self.glossary()), "merged.yaml")]
        self._resolver = None

    @rule(eid=consumes(ids))
    def forget_id(self, eid: str) -> None:
        """Stop drawing this id in later rules (the entity stays)."""

    # -- invariants -----------------------------------------------------------

    @invariant()
    def glossary_matches_model(self) -> None:
        g = self.glossary()
        assert list(g) == list(self.model)
        for i, e in self.model.items():
            assert (g[i].type, g[i].canonical) == (e["type"], e["canonical"])
            assert [a.name for a in g[i].aliases] == e["aliases"]
            assert {a.name for a in g[i].aliases if a.ambiguous} == e["shared"]

    @invariant()
    def every_name_is_found_alone(self) -> None:
        r = self.resolver()
        owners = self.owners()
        for e in self.model.values():
            for n in [e["canonical"], *e["aliases"]]:
                ms = r.find(n)
                assert [(m.start, m.end) for m in ms] == [(0, len(n))], (n, ms)
                m = ms[0]
                who = tuple(sorted(owners[fold(n)]))
                assert m.candidates == who
                if len(who) == 1:
                    assert (m.status, m.entity_id, m.canonical) == ("resolved", who[0], self.model[who[0]]["canonical"])
                else:
                    assert (m.status, m.entity_id) == ("ambiguous", None)

    @invariant()
    def canonical_text_resolves_in_order(self) -> None:
        if not self.model:
            return
        r = self.resolver()
        text = LEAD + SEP.join(e["canonical"] for e in self.model.values())
        expected, pos = [], len(LEAD)
        for i, e in self.model.items():
            expected.append((pos, pos + len(e["canonical"]), "resolved", i))
            pos += len(e["canonical"]) + len(SEP)
        assert [(m.start, m.end, m.status, m.entity_id) for m in r.find(text)] == expected
        assert r.normalize(text) == text

    @invariant()
    def unshared_aliases_normalize_to_canonical(self) -> None:
        owners = self.owners()
        pairs = [(a, e["canonical"]) for e in self.model.values() for a in e["aliases"] if len(owners[fold(a)]) == 1]
        if not pairs:
            return
        r = self.resolver()
        assert r.normalize(LEAD + SEP.join(a for a, _ in pairs)) == LEAD + SEP.join(c for _, c in pairs)


GlossaryMachine.TestCase.settings = settings(stateful_step_count=15)  # the active profile, shorter runs
TestGlossaryMachine = GlossaryMachine.TestCase
