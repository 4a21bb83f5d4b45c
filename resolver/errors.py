"""Exceptions raised by :mod:`resolver`.

Every error the library raises is a :class:`ResolverError`; glossary defects are
:class:`GlossaryError` with the file, line and entity id a maintainer needs to
fix them, and a stable code (``G001`` …) that documentation and tests can name.
"""

from __future__ import annotations

__all__ = ["GlossaryError", "InputError", "ResolverError"]


class ResolverError(Exception):
    """Base class of every error raised by resolver."""


class GlossaryError(ResolverError):
    """A glossary file is malformed or inconsistent.

    >>> e = GlossaryError("G004", "missing canonical", path="a.yaml", line=7, entity_id="jem")
    >>> str(e)
    'a.yaml:7: [G004] entity jem: missing canonical'
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        entity_id: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.entity_id = entity_id
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.path or "<glossary>"
        if self.line is not None:
            where += f":{self.line}"
        who = f"entity {self.entity_id}: " if self.entity_id else ""
        return f"{where}: [{self.code}] {who}{self.message}"


class InputError(ResolverError):
    """A text input cannot be processed (not text, undecodable, unreadable)."""
