"""Benchmark resolver against its peers on the same glossaries and corpora.

    python bench/run.py            # full: 1k/10k/100k entities, 5 MB real + 10 MB synthetic
    python bench/run.py --quick    # CI: 1k entities, 1 MB corpora (under a minute)

Both end with the start-up measurement of ``bench/startup.py`` (``resolver
check small.md`` ÷ ``python -c "import yaml, click, rapidfuzz"``; 15
interleaved runs, 5 with ``--quick``, ``--startup-runs 0`` to skip it).

Every measurement is a fresh process (``bench/contenders.py NAME GLOSSARY
CORPUS``), 5 per cell (3 with ``--quick``); repeats are interleaved (all
contenders once, then again…) so that a noisy neighbour hurts every contender
alike, and the medians are reported.
A full run writes ``bench/results.md`` and ``bench/throughput.png``; a quick
run writes them under ``bench/.data/quick/`` (``--out`` to choose). The raw
measurements go to ``bench/.data/results[-quick].json`` (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import report, startup
from bench.contenders import CONTENDERS
from bench.generate import BENCH_DIR, ROOT, Config, Dataset, add_data_args, config_from_args, prepare

CONTENDERS_PY = BENCH_DIR / "contenders.py"


@dataclass
class Cell:
    """All runs of one contender on one glossary size and corpus."""

    contender: str
    size: int
    corpus: str
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> list[dict[str, Any]]:
        return [r for r in self.runs if r.get("status") == "ok"]

    @property
    def done(self) -> bool:
        """No more runs needed: skipped, failed or timed out once."""
        return any(r.get("status") in ("skipped", "error", "timeout") for r in self.runs)

    def summary(self) -> dict[str, Any]:
        ok = self.ok
        base = {"contender": self.contender, "size": self.size, "corpus": self.corpus}
        if not ok:
            last = self.runs[-1] if self.runs else {"status": "not run"}
            return base | {"status": last.get("status"), "reason": last.get("reason", "")}
        search = [r["search_s"] for r in ok]
        matches = {r["matches"] for r in ok}
        return base | {
            "status": "ok",
            "runs": len(ok),
            "corpus_bytes": ok[0]["corpus_bytes"],
            "build_s": median(r["build_s"] for r in ok),
            "first_build_s": ok[0]["build_s"],
            "search_s": median(search),
            "mb_s": ok[0]["corpus_bytes"] / 1e6 / median(search),
            "wall_mb_s": ok[0]["corpus_bytes"] / 1e6 / median(r["search_wall_s"] for r in ok),
            "spread": (max(search) - min(search)) / median(search),
            "peak_rss_mb": median(r["peak_rss_mb"] for r in ok),
            "matches": ok[0]["matches"] if len(matches) == 1 else f"varies: {sorted(map(str, matches))}",
        }


def run_one(name: str, glossary: Path, corpus: Path, timeout: float) -> dict[str, Any]:
    env = os.environ | {"PYTHONHASHSEED": "0"}
    cmd = [sys.executable, str(CONTENDERS_PY), name, str(glossary), str(corpus)]
    try:
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"contender": name, "status": "timeout", "reason": f"over {timeout:.0f} s"}
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"contender": name, "status": "error", "reason": f"exit {proc.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def measure(ds: Dataset, names: list[str], repeats: int, timeout: float) -> list[Cell]:
    cells = [Cell(c, size, kind) for size in sorted(ds.glossaries) for kind in ds.corpora[size] for c in names]
    for rep in range(repeats):
        for cell in cells:
            if cell.done:
                continue
            t0 = time.perf_counter()
            r = run_one(cell.contender, ds.glossaries[cell.size], ds.corpora[cell.size][cell.corpus], timeout)
            cell.runs.append(r | {"repeat": rep})
            what = f"{r['mb_s']:8.2f} MB/s" if r.get("status") == "ok" else f"{r.get('status')}: {r.get('reason', '')}"
            print(
                f"[run {rep + 1}/{repeats}] {cell.contender:<20} n={cell.size:<7} {cell.corpus:<10} "
                f"{what}  ({time.perf_counter() - t0:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
    return cells


def measure_startup(runs: int) -> dict[str, Any] | None:
    """The start-up measurement (bench/startup.py); None when ``runs`` is 0."""
    if runs <= 0:
        return None
    print(f"[start-up] {runs} interleaved runs of each command", file=sys.stderr, flush=True)
    try:
        res = startup.measure(runs)
    except RuntimeError as exc:
        return {"status": "error", "reason": str(exc)}
    for line in startup.summary_lines(res):
        print(f"[start-up] {line}", file=sys.stderr, flush=True)
    return {"status": "ok", **res}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_data_args(ap)
    ap.add_argument(
        "--repeats",
        type=int,
        help="fresh-process runs per cell (median; default 5: the median of 3 followed one busy neighbour; 3 quick)",
    )
    ap.add_argument("--contenders", help=f"comma-separated subset of: {', '.join(CONTENDERS)}")
    ap.add_argument("--timeout", type=float, help="seconds per process (default 120 quick, 1800 full)")
    ap.add_argument(
        "--startup-runs",
        type=int,
        help="fresh-process runs of the start-up measurement (default 5 quick, 15 full; 0: skip)",
    )
    ap.add_argument(
        "--out", type=Path, help="directory for results.md/throughput.png (default bench/, quick: bench/.data/quick/)"
    )
    args = ap.parse_args(argv)

    names = args.contenders.split(",") if args.contenders else list(CONTENDERS)
    unknown = [n for n in names if n not in CONTENDERS]
    if unknown:
        ap.error(f"unknown contender(s): {', '.join(unknown)}")
    cfg: Config = config_from_args(args)
    out: Path = args.out or (cfg.data_dir / "quick" if args.quick else BENCH_DIR)
    timeout = args.timeout or (120.0 if args.quick else 1800.0)

    t0 = time.perf_counter()
    ds = prepare(cfg)
    repeats = max(1, args.repeats or (3 if args.quick else 5))
    cells = measure(ds, names, repeats, timeout)
    summaries = [c.summary() for c in cells]
    paired = report.paired_ratios(cells_runs={(c.contender, c.size, c.corpus): c.ok for c in cells})
    startup_runs = args.startup_runs if args.startup_runs is not None else (5 if args.quick else 15)
    start = measure_startup(startup_runs)
    meta = report.environment(cfg, ds, repeats, time.perf_counter() - t0)

    out.mkdir(parents=True, exist_ok=True)
    own = report.own_ratios({(c.contender, c.size, c.corpus): c.ok for c in cells})
    md = report.markdown(summaries, paired, meta, start, own)
    (out / "results.md").write_text(md, encoding="utf-8")
    report.plot(summaries, out / "throughput.png")
    raw = {"meta": meta, "summaries": summaries, "runs": [r for c in cells for r in c.runs], "startup": start}
    raw_path = cfg.data_dir / ("results-quick.json" if args.quick else "results.json")
    raw_path.write_text(json.dumps(raw, indent=1, default=str) + "\n", encoding="utf-8")
    print(md)
    print(f"wrote {out / 'results.md'}, {out / 'throughput.png'} and {raw_path}", file=sys.stderr)
    failed = [s for s in summaries if s["status"] in ("error", "timeout")]
    return 1 if failed or (start is not None and start.get("status") == "error") else 0


if __name__ == "__main__":
    sys.exit(main())
