"""Start-up time of ``resolver check`` on a small Markdown file, against a baseline.

    python bench/startup.py                # 15 interleaved fresh-process runs, medians
    python bench/startup.py -n 5 --json    # fewer runs, one JSON object
    python bench/startup.py --importtime   # what ``check small.md`` imports, by own time

The goal (issue 4): with the compiled glossary in the cache, ``resolver check
small.md`` on the bundled glossary takes at most 1.5× the time of
``python -c "import yaml, click, rapidfuzz"`` (the imports any command of a
tool like this pays anyway). ``small.md`` is the start of the first seed
article (about 4 KB of prose with names and a pasted ``<div>`` line).

Every command is run with the real interpreter (``sys.executable``) and the
``resolver`` console script beside it, never through a shim (pyenv's bash
shims alone add ~100 ms), with ``PYTHONPATH`` set to this source tree so that
it is the code measured, not an older installed copy, and with byte code
written to a private directory (an installed copy has its byte code; with
``PYTHONDONTWRITEBYTECODE`` every run would compile the sources again). The
glossary cache lives in a temporary ``RESOLVER_CACHE_DIR`` filled by a first
run, so the user's cache does not matter.

Rows besides the goal's, for information: ``markdown.md`` (``small.md`` under
a heading, a link and inline code: Markdown that markdown-it must parse,
where ``small.md`` is read without it) and ``RESOLVER_NO_CACHE=1`` (the
glossary parsed and compiled in the process).

Each round runs every command once, in an order that alternates between
rounds, so that a noisy neighbour hurts each alike; the medians of wall time
are reported, with the ratio of the medians, the median of the per-round
ratios, the ratio of the fastest runs and the ratio of the median CPU times
(user + system: what a busy machine disturbs least).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SEEDS_DIR = ROOT / "seeds"

#: The start-up goal of issue 4: check ÷ baseline.
GOAL = 1.5
BASELINE = "import yaml, click, rapidfuzz"
#: Size of the small document (cut at a line end).
SMALL_BYTES = 4096
#: What ``markdown.md`` adds before ``small.md``: constructs only markdown-it reads.
MARKDOWN_HEAD = "# Notes on the JeM\n\nSee [the report](https://example.org/jem) and `resolver check`.\n\n"


def interpreter() -> Path:
    """The real interpreter running this script (a shim execs it, so
    ``sys.executable`` is never the shim)."""
    return Path(sys.executable)


def check_command(py: Path) -> list[str]:
    """The ``resolver`` console script installed beside ``py``; without one,
    the same entry point run by ``py``."""
    script = py.parent / "resolver"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [str(py), "-c", "import sys; from resolver.cli import main; sys.exit(main())"]


def small_document(dest: Path, size: int = SMALL_BYTES, name: str = "small.md", head: str = "") -> Path:
    """``dest/name``: ``head``, then the start of the first seed article (up
    to ``size`` bytes, cut at a line end)."""
    seed = min(SEEDS_DIR.glob("*.txt")).read_text(encoding="utf-8")
    cut = seed.encode("utf-8")[:size].decode("utf-8", "ignore")
    text = cut[: cut.rfind("\n") + 1] or cut
    path = dest / name
    path.write_text(head + text, encoding="utf-8")
    return path


def environment(cache_dir: Path, no_cache: bool = False) -> dict[str, str]:
    """The environment of every run: this source tree first on the path, a
    private cache, no glossary or cache setting inherited from the caller, and
    byte code written to a private directory (the source tree is left alone)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESOLVER_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache_dir.parent / "pycache")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["RESOLVER_CACHE_DIR"] = str(cache_dir)
    if no_cache:
        env["RESOLVER_NO_CACHE"] = "1"
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run ``cmd``; return its wall time and CPU time (user + system), in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):  # 1: check found names to fix
        tail = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {tail}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def _resolver_origin(py: Path, env: dict[str, str]) -> str:
    out = subprocess.run(
        [str(py), "-c", "import resolver; print(resolver.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return str(Path(out.stdout.strip()).parent) if out.returncode == 0 else "not importable"


@dataclass
class _Command:
    label: str
    argv: list[str]
    env: dict[str, str]
    wall: list[float]
    cpu: list[float]


def measure(runs: int = 15, workdir: Path | None = None) -> dict[str, Any]:
    """Run the baseline and the ``check`` rows ``runs`` times each,
    interleaved; return the medians (ms) and the ratios to the baseline.
    Raises RuntimeError when a command fails."""
    py = interpreter()
    check = check_command(py)
    name = Path(check[0]).name if len(check) == 1 else "python -c <resolver.cli:main>"
    runs = max(1, runs)
    with tempfile.TemporaryDirectory(prefix="resolver-startup-", dir=workdir) as tmp:
        d = Path(tmp)
        doc = small_document(d)
        rich = small_document(d, name="markdown.md", head=MARKDOWN_HEAD)
        warm, cold = environment(d / "cache"), environment(d / "cache", no_cache=True)
        cmds = {
            "baseline": _Command(f"python -c {BASELINE!r}", [str(py), "-c", BASELINE], warm, [], []),
            "check": _Command(f"{name} check {doc.name}", [*check, "check", doc.name], warm, [], []),
            "check_markdown": _Command(f"{name} check {rich.name}", [*check, "check", rich.name], warm, [], []),
            "check_no_cache": _Command(
                f"{name} check {doc.name}, RESOLVER_NO_CACHE=1", [*check, "check", doc.name], cold, [], []
            ),
        }
        for c in cmds.values():  # fill the cache, write the byte code, warm the disk
            _run(c.argv, d, c.env)
        for i in range(runs):
            for c in list(cmds.values()) if i % 2 == 0 else reversed(cmds.values()):
                wall, cpu = _run(c.argv, d, c.env)
                c.wall.append(wall)
                c.cpu.append(cpu)
        origin = _resolver_origin(py, warm)
        size = doc.stat().st_size
    base = cmds["baseline"]
    rows: list[dict[str, Any]] = []
    for key, c in cmds.items():
        rows.append(
            {
                "name": key,
                "command": c.label,
                "ms": 1000 * median(c.wall),
                "cpu_ms": 1000 * median(c.cpu),
                "ratio": median(c.wall) / median(base.wall),
                "paired_ratio": median(a / b for a, b in zip(c.wall, base.wall)),
                "min_ratio": min(c.wall) / min(base.wall),
                "cpu_ratio": median(c.cpu) / median(base.cpu) if median(base.cpu) else float("nan"),
                "times_ms": [round(1000 * t, 1) for t in c.wall],
            }
        )
    goal = rows[1]
    return {
        "runs": runs,
        "python": str(py),
        "resolver": origin,
        "document_bytes": size,
        "goal": GOAL,
        "ratio": goal["ratio"],
        "met": goal["ratio"] <= GOAL,
        "rows": rows,
    }


def importtime(limit: int = 25) -> list[tuple[str, int, int]]:
    """``-X importtime`` of one warm ``check small.md``: the ``limit``
    modules with the largest own import time, as ``(module, self µs,
    cumulative µs)``."""
    py = interpreter()
    check = check_command(py)
    with tempfile.TemporaryDirectory(prefix="resolver-startup-") as tmp:
        d = Path(tmp)
        doc = small_document(d)
        env = environment(d / "cache")
        _run([*check, "check", doc.name], d, env)
        cmd = [str(py), "-X", "importtime", *(check if len(check) == 1 else check[1:]), "check", doc.name]
        proc = subprocess.run(cmd, cwd=d, env=env, capture_output=True, text=True, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((m.group(4), int(m.group(1)), int(m.group(2))))
    return sorted(rows, key=lambda r: -r[1])[:limit]


def summary_lines(res: dict[str, Any]) -> list[str]:
    """A few lines for a person."""
    out = [
        (
            f"python {res['python']}; resolver from {res['resolver']}; small.md {res['document_bytes']:,} bytes; "
            f"{res['runs']} interleaved runs"
        ),
        f"{'command':<60} {'median ms':>9} {'ratio':>6} {'paired':>6} {'fastest':>7} {'CPU ms':>6} {'CPU ratio':>9}",
    ]
    for r in res["rows"]:
        out.append(
            f"{r['command']:<60} {r['ms']:9.1f} {r['ratio']:5.2f}× {r['paired_ratio']:5.2f}× {r['min_ratio']:6.2f}× "
            f"{r['cpu_ms']:6.0f} {r['cpu_ratio']:8.2f}×"
        )
    verdict = "met" if res["met"] else "NOT met"
    out.append(f"goal: check small.md ≤ {res['goal']}× the baseline (medians): {res['ratio']:.2f}×, {verdict}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--runs", type=int, default=15, help="fresh-process runs of each command (default 15)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    ap.add_argument("--importtime", action="store_true", help="list what check small.md imports, by own time")
    args = ap.parse_args(argv)
    if args.importtime:
        print(f"{'module':<50} {'self ms':>8} {'cumul ms':>9}")
        for mod, own, cum in importtime():
            print(f"{mod:<50} {own / 1000:8.1f} {cum / 1000:9.1f}")
        return 0
    res = measure(args.runs)
    print(json.dumps(res, indent=1) if args.json else "\n".join(summary_lines(res)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
