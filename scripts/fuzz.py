#!/usr/bin/env python3
"""Fuzz ``Resolver.find`` / ``normalize`` (and their streaming forms) with the
bundled glossary, for a fixed time.

    python scripts/fuzz.py --seconds 60                      # atheris if installed, else Hypothesis
    python scripts/fuzz.py --engine hypothesis --seconds 10  # what the test suite runs
    python scripts/fuzz.py --engine atheris --seconds 600 --corpus /tmp/corpus
    python scripts/fuzz.py --reproduce crash-1a2b3c.bin      # re-run one saved input

Engines: ``atheris`` (coverage-guided libFuzzer, ``pip install atheris``;
the ``resolver`` package is instrumented) or ``hypothesis`` (random inputs
through Hypothesis' ``fuzz_one_input``). Both feed bytes to the same target:
:func:`build_text` turns them into a text (the first byte chooses between
plain UTF-8 and a recipe of glossary names in disguise — case, apostrophes,
line breaks, possessives, brackets, zero-width characters — mixed with
noise and raw code points; the second byte chooses a chunk size), and
:func:`check` asserts the stability properties:

* every mention indexes the text (``text[start:end] == surface``), mentions
  are sorted and do not overlap;
* ``normalize`` only rewrites the names of resolved mentions, into a
  spelling that folds like the canonical name, and is idempotent; so is
  one of the other styles (``keep-short`` or ``first-full``, by the chunk
  size), which also equals its edits;
* streaming in chunks (``find_iter`` / ``normalize_iter``) equals the whole text;
* the unknown terms' positions index the text, and the compiled front end of
  unknown-term detection (``_resolver_scan``, when installed) finds the same
  terms as its pure-Python specification.

A failing input is saved as ``crash-<sha1>.bin`` in ``--artifacts`` (atheris
saves its own) and the script exits with status 1; with no failure it exits 0
and prints how many inputs ran.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import random
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

#: Pieces placed around and inside names (zero-width, combining, emoji, RTL,
#: characters whose fold changes length, separators, punctuation).
NOISE = (
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u0301", "\u0308", "\u20dd", "😀",
    "👨\u200d👩\u200d👧", "🇵🇰", "\u202eJeM\u202c", "\u200fשלום\u200f", "مرحبا", "İ", "ß", "ﬁ", "ǅ", "Ⅻ", "…",
    "ＪｅＭ", "K\u0301", "Maulana", "Lt Gen", "newspaper", "reported", "’s", "'s", "'", "’", "(", ")", "[", "]",
    ", ", ". ", "; ", "“", "”", "-", "—", "&", "\x00",
)  # fmt: skip
SEPARATORS = (" ", "  ", "\n", "\r\n", "\n\n", "\t", "\u00a0", "\u3000", "-", "–", "-\n", "\u2028", "")
INSIDE = ("\u200b", "\u00ad", "\u0301", "\u200d")


class Reader:
    """Reads small integers from the input bytes (zeros once exhausted)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.i = 0

    def more(self) -> bool:
        return self.i < len(self.data)

    def byte(self) -> int:
        b = self.data[self.i] if self.i < len(self.data) else 0
        self.i += 1
        return b

    def int(self, n: int) -> int:
        v = 0
        for _ in range(n):
            v = v << 8 | self.byte()
        return v


def disguise(name: str, flags: int) -> str:
    """A glossary name as a writer might have typed it (``flags`` bits)."""
    if flags & 1:
        name = name.upper()
    elif flags & 2:
        name = name.lower()
    if flags & 4:
        name = name.replace("'", "’")
    if flags & 8:
        name = name.replace(" ", "\n").replace("-", " ")
    if flags & 16 and len(name) > 1:
        name = name[:1] + INSIDE[flags >> 6] + name[1:]
    if flags & 32:
        name += "’s"
    if flags & 64:
        name = "(" + name + ")"
    return name


def build_text(data: bytes, names: Sequence[str]) -> tuple[str, int]:
    """The text and chunk size that ``data`` describes (see the module doc).

    >>> build_text(b"\\x00\\x01JeM", ["x"])
    ('JeM', 8)
    >>> build_text(b"\\x01\\x00\\x00\\x00\\x00\\x20", ["JeM"])
    ('JeM’s', 1)
    """
    rd = Reader(data)
    mode = rd.byte() % 4
    chunk = 1 + (rd.byte() * 7) % 300
    if mode == 0:  # plain UTF-8 (seed files, dictionaries)
        return data[2:].decode("utf-8", "replace"), chunk
    pieces: list[str] = []
    while rd.more():
        op = rd.byte() % 8
        if op <= 2:
            pieces.append(disguise(names[rd.int(2) % len(names)], rd.byte()))
        elif op == 3:
            pieces.append(NOISE[rd.byte() % len(NOISE)])
        elif op == 4:  # any code point but a surrogate
            cp = rd.int(3) % 0x110000
            pieces.append(chr(cp + 0x800 if 0xD800 <= cp <= 0xDFFF else cp))
        elif op == 5:
            n = rd.byte() % 16
            pieces.append(bytes(rd.byte() for _ in range(n)).decode("latin-1"))
        elif op == 6:
            pieces.append(SEPARATORS[rd.byte() % len(SEPARATORS)])
        else:
            n = rd.byte() % 16
            pieces.append(bytes(rd.byte() for _ in range(n)).decode("utf-8", "replace"))
    return "".join(pieces), chunk


def check(r: Any, text: str, chunk: int) -> None:
    """Assert the stability properties on one text (see the module doc)."""
    from resolver.core import splice
    from resolver.folding import fold

    ms = r.find(text)
    for m in ms:
        assert m.surface and text[m.start : m.end] == m.surface, ("offsets", m)
    for a, b in itertools.pairwise(ms):
        assert a.end <= b.start, ("overlap", a, b)
    out = r.normalize(text)
    edits = list(r.replacements(text, ms))
    spans = {(m.start + len(m.title), m.end): m for m in ms if m.status == "resolved"}
    for s, e, new in edits:
        m = spans.get((s, e))
        assert m is not None, ("edit outside a resolved mention", s, e, new)
        assert fold(new) == fold(m.canonical or ""), ("rewrite is not the canonical name", m, new)
    assert splice(text, edits) == out, "normalize differs from its edits"
    assert r.normalize(out) == out, ("not idempotent", out)
    pieces = [text[i : i + chunk] for i in range(0, len(text), chunk)]
    assert list(r.find_iter(pieces, chunk_size=chunk)) == ms, "streaming find differs"
    assert "".join(r.normalize_iter(pieces, chunk_size=chunk)) == out, "streaming normalize differs"
    # one of the other styles too, chosen by the chunk size (so an input reproduces)
    style = ("keep-short", "first-full")[chunk % 2]
    out = r.normalize(text, style)
    assert splice(text, list(r.replacements(text, ms, style))) == out, ("normalize differs from its edits", style)
    assert r.normalize(out, style) == out, ("not idempotent", style, out)
    assert "".join(r.normalize_iter(pieces, style, chunk_size=chunk)) == out, ("streaming normalize differs", style)
    check_unknown(r, text, ms)


def check_unknown(r: Any, text: str, ms: Sequence[Any]) -> None:
    """Unknown terms: positions index the text; both front ends agree."""
    from resolver import unknown

    found = unknown.find_unknown(r, text, mentions=ms)
    for u in found:
        for p in u.positions:
            assert text[p.start : p.end] == p.surface, ("unknown term's position", u.term, p)
    if unknown._load_accelerator() is None:
        return
    before = unknown.use_accelerator
    try:
        unknown.use_accelerator = not before
        other = unknown.find_unknown(r, text, mentions=ms)
    finally:
        unknown.use_accelerator = before
    assert other == found, ("unknown: the compiled and the Python front ends differ", other, found)


def _target(r: Any, names: Sequence[str], artifacts: Path) -> Callable[[bytes], None]:
    def one(data: bytes) -> None:
        text, chunk = build_text(data, names)
        try:
            check(r, text, chunk)
        except BaseException:
            path = artifacts / f"crash-{hashlib.sha1(data).hexdigest()}.bin"
            artifacts.mkdir(parents=True, exist_ok=True)  # (a failure must not be lost to a missing folder)
            path.write_bytes(data)
            sys.stderr.write(f"fuzz: failing input saved to {path} (text {text!r}, chunk {chunk})\n")
            raise

    return one


def _names(r: Any) -> list[str]:
    return sorted({n for e in r.glossary.values() for n in e.names} | set(r.glossary.titles))


def run_hypothesis(one: Callable[[bytes], None], seconds: float, seed: int) -> int:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=2048))
    def target(data: bytes) -> None:
        one(data)

    rnd = random.Random(seed)
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        target.hypothesis.fuzz_one_input(rnd.randbytes(rnd.randint(0, 4096)))  # type: ignore[attr-defined]
        n += 1
    return n


def run_atheris(args: argparse.Namespace, extra: list[str]) -> None:
    import atheris  # type: ignore[import-untyped,import-not-found,unused-ignore]

    with atheris.instrument_imports(include=["resolver"]):
        import resolver

    r = resolver.Resolver(resolver.load_glossary())
    one = _target(r, _names(r), args.artifacts)
    argv = [sys.argv[0], f"-max_total_time={int(args.seconds)}", f"-artifact_prefix={args.artifacts}/", f"-seed={args.seed}"]
    argv += extra + ([str(args.corpus)] if args.corpus else [])
    atheris.Setup(argv, one)
    atheris.Fuzz()  # exits the process: 0 when the time is up, non-zero on a crash


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=60, help="how long to fuzz (default 60)")
    p.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    p.add_argument("--seed", type=int, default=int(os.environ.get("FUZZ_SEED", "0")) or random.randrange(1, 2**31))
    p.add_argument("--artifacts", type=Path, default=Path("."), help="where failing inputs are saved (default .)")
    p.add_argument("--corpus", type=Path, help="atheris: corpus directory (read and extended)")
    p.add_argument("--reproduce", type=Path, help="run the check on one saved input and exit")
    args, extra = p.parse_known_args(argv)
    extra = [a for a in extra if a != "--"]
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401  # type: ignore[import-untyped,import-not-found,unused-ignore]

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    if args.reproduce is None and engine == "atheris":
        print(f"fuzz: atheris for {args.seconds:g} s, seed {args.seed}", file=sys.stderr)
        run_atheris(args, extra)
        return 0
    import resolver

    r = resolver.Resolver(resolver.load_glossary())
    one = _target(r, _names(r), args.artifacts)
    if args.reproduce is not None:
        try:
            one(args.reproduce.read_bytes())
        except AssertionError:
            traceback.print_exc()
            return 1
        print("fuzz: the input passes", file=sys.stderr)
        return 0
    start = time.monotonic()
    n = run_hypothesis(one, args.seconds, args.seed)  # a failure propagates: traceback, exit status 1
    print(f"fuzz: hypothesis, {n} inputs in {time.monotonic() - start:.1f} s, seed {args.seed}: no failure", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
