"""Which glossary files to use, in the order a user expects.

1. the paths given explicitly (``--glossary``, repeatable, merged in order);
2. else the ``RESOLVER_GLOSSARY`` environment variable (paths separated by
   the platform's path separator);
3. else an ``aliases.yaml`` in the current directory or one of its parents;
4. else the glossary bundled with the package.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from .glossary import bundled_path

__all__ = ["ENV_VAR", "glossary_paths"]

ENV_VAR = "RESOLVER_GLOSSARY"


def glossary_paths(
    explicit: Sequence[str | Path] = (),
    environ: Mapping[str, str] | None = None,
    cwd: str | Path | None = None,
) -> tuple[Path, ...]:
    """The glossary files to load, by the rules above.

    >>> glossary_paths(["a.yaml", "b.yaml"])
    (PosixPath('a.yaml'), PosixPath('b.yaml'))
    >>> glossary_paths(environ={}, cwd="/") == (bundled_path(),)
    True
    """
    if explicit:
        return tuple(Path(p) for p in explicit)
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR):
        return tuple(Path(p) for p in env[ENV_VAR].split(os.pathsep) if p)
    here = Path(cwd) if cwd is not None else Path.cwd()
    for d in (here, *here.resolve().parents):
        cand = d / "aliases.yaml"
        if cand.is_file():
            return (cand,)
    return (bundled_path(),)
