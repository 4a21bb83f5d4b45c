#!/usr/bin/env python3
"""Measure the memory and time of streaming a large file through the resolver.

    python scripts/stream_memory.py 1024                 # a 1 GB run (the issue's number)
    python scripts/stream_memory.py 64 --json            # what the test suite runs on CI
    python scripts/stream_memory.py 32 --text unpunctuated --limit-mb 200

The script writes a UTF-8 file of SIZE_MB megabytes (10**6 bytes) into
``--dir`` (default: a new temporary directory, removed afterwards unless
``--keep``), made of one block repeated: a paragraph of news prose with
mentions of the bundled glossary's entities (acronyms, possessives, titles,
a name broken across a line, shared and weak aliases, curly apostrophes and
accents), then filler prose. It then reads the file through
``Resolver.find_iter(open(path, encoding="utf-8", newline=""))`` and checks
every mention against what ``find`` reports for the block (for the first
block alone, and for a block preceded by another one, since document
context carries over), so a name split between two reads, a missed or an
extra mention fails the run.

It prints (``--json``: one JSON object) the file size, the number of
mentions, the time spent generating and streaming, and the peak resident
memory of the process (``VmHWM`` on Linux, else ``ru_maxrss``) after loading
the glossary and at the end. Exit status: 0 when every mention is right and the peak is under
``--limit-mb`` (when given), 1 otherwise.

``--text unpunctuated`` writes prose without punctuation next to white
space (words, spaces and line breaks only), the input on which the stream
reader finds no place to cut.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

import resolver
from resolver.model import Mention

NEWS = (
    "ISLAMABAD — Officials said on Sunday that the Jaish-e-Mohammad (JeM) had regrouped near Bahawalpur. "
    "The JeM’s chief, Maulana Masood Azhar, was not seen; Azhar’s brother spoke instead. Analysts at the "
    "Inter Services Intelligence (ISI) declined to comment, and the Tehrik-i-Taliban Pakistan denied any "
    "link to the Lashkar-e-Taiba. “Jaish is weaker than it looks,” one café owner said. The Jaish-e-\n"
    "Mohammed statement, in Français and Urdu, named the Haqqani Network too.\n\n"
)
FILLER_WORDS = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
    "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "they", "you",
    "were", "her", "she", "there", "been", "one", "all", "we", "their", "has", "would", "when", "if", "so",
    "no", "out", "up", "said", "what", "its", "about", "than", "into", "them", "can", "only", "other", "new",
    "some", "could", "time", "these", "two", "may", "first", "then", "do", "any", "like", "my", "now", "over",
    "such", "our",
]


def filler(chars: int, punctuated: bool, seed: int = 7) -> str:
    """Deterministic prose of about ``chars`` characters with no glossary name."""
    import random

    rnd = random.Random(seed)
    out: list[str] = []
    n = 0
    while n < chars:
        words = [rnd.choice(FILLER_WORDS) for _ in range(rnd.randint(6, 24))]
        if punctuated:
            words[0] = words[0].capitalize()
            s = " ".join(words) + rnd.choice([". ", ". ", "; ", ", and ", "? "])
        else:
            s = " ".join(words) + rnd.choice([" ", " ", "\n"])
        out.append(s)
        n += len(s)
    return "".join(out)


def block(kind: str) -> str:
    """The unit the file repeats."""
    if kind == "unpunctuated":
        news = "officials said the Jaish-e-Mohammed had regrouped and Masood Azhar was not seen while the ISI said nothing\n"
        return news + filler(20_000, punctuated=False) + "\n"
    return NEWS + filler(20_000, punctuated=True) + "\n\n"


def expected(r: resolver.Resolver, unit: str) -> tuple[list[Mention], list[Mention]]:
    """Mentions of the first block, and of any later block (relative to it)."""
    first = r.find(unit)
    n = len(unit)
    later = [m._replace(start=m.start - n, end=m.end - n) for m in r.find(unit + unit) if m.start >= n]
    return first, later


def write(path: Path, unit: str, size_bytes: int) -> int:
    """Write whole blocks until ``size_bytes``; return the number of blocks."""
    data = unit.encode("utf-8")
    count = max(1, -(-size_bytes // len(data)))
    with path.open("wb") as fh:
        for _ in range(count):
            fh.write(data)
    return count


def verify(stream: Iterator[Mention], first: list[Mention], later: list[Mention], unit_len: int, blocks: int) -> int:
    """Compare the streamed mentions with the expected ones; return the count."""
    n = 0

    def want() -> Iterator[Mention]:
        for b in range(blocks):
            for m in first if b == 0 else later:
                yield m._replace(start=m.start + b * unit_len, end=m.end + b * unit_len)

    expect = want()
    for got in stream:
        exp = next(expect, None)
        if got != exp:
            raise AssertionError(f"mention {n}: streamed {got!r}, expected {exp!r}")
        n += 1
    rest = next(expect, None)
    if rest is not None:
        raise AssertionError(f"mention {n} missing from the stream: {rest!r}")
    return n


def peak_mb() -> float:
    """Peak resident memory of this process in MB: ``VmHWM`` on Linux (the
    high-water mark of this program's own memory; ``ru_maxrss`` would also
    count the parent's pages copied by fork before exec), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, kB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("size_mb", type=float, help="file size in MB (10**6 bytes)")
    p.add_argument("--chunk-size", type=int, default=1 << 20, help="characters per read (default 1 MiB)")
    p.add_argument("--text", choices=("news", "unpunctuated"), default="news")
    p.add_argument("--dir", type=Path, help="where to write the file (default: a temporary directory)")
    p.add_argument("--keep", action="store_true", help="keep the generated file")
    p.add_argument("--limit-mb", type=float, help="fail when the peak memory is over this")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)

    r = resolver.Resolver(resolver.load_glossary())
    unit = block(args.text)
    first, later = expected(r, unit)
    baseline = peak_mb()
    d = args.dir or Path(tempfile.mkdtemp(prefix="resolver-stream-"))
    path = d / f"stream-{args.text}-{args.size_mb:g}MB.txt"
    ok, error = True, ""
    try:
        t0 = time.perf_counter()
        blocks = write(path, unit, int(args.size_mb * 1e6))
        t1 = time.perf_counter()
        try:
            with path.open(encoding="utf-8", newline="") as fh:
                count = verify(r.find_iter(fh, chunk_size=args.chunk_size), first, later, len(unit), blocks)
        except AssertionError as exc:
            ok, error, count = False, str(exc), -1
        t2 = time.perf_counter()
        size = path.stat().st_size
    finally:
        if args.dir is None and not args.keep:
            shutil.rmtree(d, ignore_errors=True)
        elif not args.keep:
            path.unlink(missing_ok=True)
    peak = peak_mb()
    if args.limit_mb is not None and peak >= args.limit_mb:
        ok = False
        error = error or f"peak memory {peak:.0f} MB is over the {args.limit_mb:g} MB limit"
    result = {
        "ok": ok,
        "error": error,
        "text": args.text,
        "bytes": size,
        "chars": blocks * len(unit),
        "blocks": blocks,
        "chunk_size": args.chunk_size,
        "mentions": count,
        "generate_s": round(t1 - t0, 2),
        "stream_s": round(t2 - t1, 2),
        "mb_per_s": round(size / 1e6 / max(t2 - t1, 1e-9), 2),
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(peak, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{size / 1e6:.0f} MB ({args.text}), {count} mentions, chunk {args.chunk_size}: streamed in "
            f"{result['stream_s']} s ({result['mb_per_s']} MB/s); peak RSS {peak:.0f} MB "
            f"(after loading the glossary: {baseline:.0f} MB)" + ("" if ok else f"\nFAILED: {error}")
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
