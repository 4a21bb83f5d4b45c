"""resolver: find every mention of a glossary's entities in text and spell it one way.

>>> import resolver
>>> g = resolver.load_glossary()              # the bundled aliases.yaml
>>> r = resolver.Resolver(g)
>>> [(m.surface, m.entity_id) for m in r.find("ISPK and LeT met the [ISI].")]
[('ISPK', 'iskp'), ('LeT', 'lashkar_e_taiba'), ('ISI', 'inter_services_intelligence')]
"""

from .core import Resolver, Style
from .errors import GlossaryError, InputError, ResolverError
from .glossary import Glossary, dumps, load_glossary, loads, merge
from .model import Alias, Context, Entity, Mention, SpellingRule

__all__ = [
    "Alias",
    "Context",
    "Entity",
    "Glossary",
    "GlossaryError",
    "InputError",
    "Mention",
    "Resolver",
    "ResolverError",
    "SpellingRule",
    "Style",
    "__version__",
    "dumps",
    "load_glossary",
    "loads",
    "merge",
]

__version__ = "0.1.0"
