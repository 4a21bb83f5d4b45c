"""Glossary entries from authoritative alias lists (sanctions lists).

* :mod:`resolver.importers.un_sc`: the UN Security Council Consolidated List (XML);
* :mod:`resolver.importers.ofac_sdn`: the US Treasury OFAC SDN list (legacy CSV);
* :mod:`resolver.importers.common`: the imported record, house-style names, ids;
* :mod:`resolver.importers.plan`: choosing records and planning what they add to
  a glossary, without duplicates, and merging through :mod:`resolver.writer`.

>>> from resolver.importers import house_style
>>> house_style("LASHKAR-E-TAYYIBA")
'Lashkar-e-Tayyiba'
"""

from . import ofac_sdn, un_sc
from .common import ImportedAlias, ImportedRecord, ListFormatError, house_style, make_id
from .plan import Plan, Selection, merge_into, plan, select

__all__ = [
    "ImportedAlias",
    "ImportedRecord",
    "ListFormatError",
    "Plan",
    "Selection",
    "house_style",
    "make_id",
    "merge_into",
    "ofac_sdn",
    "plan",
    "select",
    "un_sc",
]
