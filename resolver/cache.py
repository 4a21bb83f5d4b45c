"""Compiled-matcher cache (placeholder-free minimal version: in-process only)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .core import Resolver
from .glossary import load_glossary

__all__ = ["cached_resolver"]


def cached_resolver(paths: Sequence[Path]) -> Resolver:
    """A :class:`Resolver` for the glossary files ``paths``."""
    return Resolver(load_glossary(*paths))
