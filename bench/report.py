"""Turn the benchmark's measurements into Markdown tables and a plot."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import platform
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from statistics import median
from typing import Any

from bench.generate import Config, Dataset, glossary_counts

RESOLVER = ("resolver-find", "resolver-normalize", "resolver-unknown")
PHYSICAL = ("lower", "regex-words")
CORPORA = ("real", "synthetic")
Key = tuple[str, int, str]  # contender, size, corpus


def paired_ratios(cells_runs: dict[Key, list[dict[str, Any]]]) -> dict[tuple[str, str, int, str], float]:
    """resolver / peer throughput, per repeat of the same run, then the median.

    Repeats are interleaved in time, so pairing run *i* of resolver with run
    *i* of the peer cancels most of a noisy neighbour's drift.
    """
    out: dict[tuple[str, str, int, str], float] = {}
    for (r_name, size, corpus), r_runs in cells_runs.items():
        if r_name not in RESOLVER:
            continue
        r_by_rep = {r["repeat"]: r["mb_s"] for r in r_runs}
        for (p_name, p_size, p_corpus), p_runs in cells_runs.items():
            if p_name in RESOLVER or (p_size, p_corpus) != (size, corpus):
                continue
            ratios = [r_by_rep[p["repeat"]] / p["mb_s"] for p in p_runs if p["repeat"] in r_by_rep and p["mb_s"]]
            if ratios:
                out[(r_name, p_name, size, corpus)] = median(ratios)
    return out


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        pass
    try:  # e.g. resolver run from the source tree, not installed
        return str(getattr(importlib.import_module(dist.lower()), "__version__", "source tree"))
    except Exception:  # noqa: BLE001 - any failure to import: not usable
        return "not installed"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def environment(cfg: Config, ds: Dataset, repeats: int, elapsed: float) -> dict[str, Any]:
    glossaries = {}
    for n, path in ds.glossaries.items():
        entities, names = glossary_counts(path)
        glossaries[n] = {"entities": entities, "names": names}
    corpora: dict[str, dict[str, Any]] = {}
    for n, kinds in ds.corpora.items():
        for kind, path in kinds.items():
            meta_path = path.with_suffix(".meta.json")
            info: dict[str, Any] = {"bytes": path.stat().st_size}
            if meta_path.exists():
                info |= json.loads(meta_path.read_text())
            corpora[kind if kind == "real" else f"{kind} (n={n})"] = info
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "machine": f"{_cpu()}, {platform.system()} {platform.machine()}",
        "packages": {d: _version(d) for d in ("resolver", "flashtext", "pyahocorasick", "spacy", "PyYAML")},
        "seed": cfg.seed,
        "repeats": repeats,
        "elapsed_s": round(elapsed, 1),
        "glossaries": glossaries,
        "corpora": corpora,
    }


# --------------------------------------------------------------------------
# Markdown


def _fmt(x: Any, digits: int = 2) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def _table(header: list[str], rows: Iterable[list[str]], align: str = "") -> str:
    align = align or "l" + "r" * (len(header) - 1)
    sep = ["---:" if a == "r" else ":---" for a in align]
    lines = [header, sep, *rows]
    return "\n".join("| " + " | ".join(r) + " |" for r in lines) + "\n"


def results_table(summaries: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    rows = []
    for s in summaries:
        names = meta["glossaries"].get(s["size"], {}).get("names")
        head = [s["contender"], _fmt(s["size"]), _fmt(names), s["corpus"]]
        if s["status"] != "ok":
            rows.append(head + [f"{s['status']}: {s.get('reason', '')}"[:90]] + [""] * 7)
            continue
        rows.append(
            head
            + [
                _fmt(s["mb_s"]),
                _fmt(s["wall_mb_s"]),
                _fmt(s["search_s"], 3),
                _fmt(s["build_s"], 3),
                _fmt(s["first_build_s"], 3),
                _fmt(s["peak_rss_mb"], 0),
                _fmt(s["matches"]),
                f"{100 * s['spread']:.0f}%",
            ]
        )
    header = [
        "contender",
        "entities",
        "names",
        "corpus",
        "MB/s",
        "wall MB/s",
        "search s",
        "build s",
        "1st build s",
        "peak MB",
        "matches",
        "spread",
    ]
    return _table(header, rows, "lrrlrrrrrrrr")


def ratio_table(paired: dict[tuple[str, str, int, str], float], summaries: list[dict[str, Any]]) -> str:
    peers = list(dict.fromkeys(s["contender"] for s in summaries if s["contender"] not in RESOLVER))
    keys = sorted(
        {(r, n, c) for (r, _, n, c) in paired},
        key=lambda k: (k[1], CORPORA.index(k[2]) if k[2] in CORPORA else 9, k[0]),
    )
    if not keys:
        return "_No ratios: resolver did not run (not importable yet, or skipped)._\n"
    rows = [[r, _fmt(n), c] + [_fmt(paired.get((r, p, n, c)), 3) for p in peers] for (r, n, c) in keys]
    return _table(["resolver", "entities", "corpus", *(f"÷ {p}" for p in peers)], rows, "lrl" + "r" * len(peers))


def own_ratios(cells_runs: dict[Key, list[dict[str, Any]]]) -> dict[tuple[str, int, str], float]:
    """normalize ÷ find and unknown ÷ find throughput per cell: the median
    of the per-repeat ratios (same pairing as :func:`paired_ratios`).

    >>> runs = {("resolver-find", 1, "real"): [{"repeat": 0, "mb_s": 10.0}],
    ...         ("resolver-unknown", 1, "real"): [{"repeat": 0, "mb_s": 6.0}]}
    >>> own_ratios(runs)
    {('resolver-unknown', 1, 'real'): 0.6}
    """
    out: dict[tuple[str, int, str], float] = {}
    for (name, size, corpus), runs in cells_runs.items():
        base = cells_runs.get(("resolver-find", size, corpus))
        if name == "resolver-find" or name not in RESOLVER or not base:
            continue
        find_by_rep = {r["repeat"]: r["mb_s"] for r in base}
        ratios = [r["mb_s"] / find_by_rep[r["repeat"]] for r in runs if find_by_rep.get(r["repeat"])]
        if ratios:
            out[(name, size, corpus)] = median(ratios)
    return out


def own_table(own: dict[tuple[str, int, str], float]) -> str:
    if not own:
        return "_resolver-find did not run with normalize or unknown._\n"
    keys = sorted(own, key=lambda k: (k[0], k[1], CORPORA.index(k[2]) if k[2] in CORPORA else 9))
    rows = [[name, _fmt(size), corpus, _fmt(own[(name, size, corpus)], 3)] for name, size, corpus in keys]
    return _table(["contender", "entities", "corpus", "÷ resolver-find"], rows, "lrlr")


def scaling_table(summaries: list[dict[str, Any]]) -> str:
    ok = {(s["contender"], s["size"], s["corpus"]): s for s in summaries if s["status"] == "ok"}
    sizes = sorted({s["size"] for s in summaries})
    if len(sizes) < 2:
        return "_Needs at least two glossary sizes (not in a --quick run)._\n"
    lo, hi = sizes[0], sizes[-1]
    rows = []
    for c in dict.fromkeys(s["contender"] for s in summaries):
        for corpus in CORPORA:
            a, b = ok.get((c, lo, corpus)), ok.get((c, hi, corpus))
            if a and b:
                rows.append(
                    [
                        c,
                        corpus,
                        _fmt(a["mb_s"]),
                        _fmt(b["mb_s"]),
                        _fmt(b["mb_s"] / a["mb_s"], 3),
                        _fmt(b["build_s"] / max(a["build_s"], 1e-9), 1),
                    ]
                )
    header = ["contender", "corpus", f"MB/s at {lo:,}", f"MB/s at {hi:,}", "flat scaling (hi/lo)", "build growth"]
    return _table(header, rows, "llrrrr")


def startup_table(start: dict[str, Any] | None) -> str:
    """The start-up rows of bench/startup.py: medians and ratios to the baseline."""
    if start is None:
        return "_Not measured (--startup-runs 0)._\n"
    if start.get("status") == "error":
        return f"_Failed: {start.get('reason', '')}_\n"
    rows = [
        [
            f"`{r['command']}`",
            _fmt(r["ms"], 1),
            f"{r['ratio']:.2f}×",
            f"{r['paired_ratio']:.2f}×",
            f"{r['min_ratio']:.2f}×",
            _fmt(r["cpu_ms"], 0),
            f"{r['cpu_ratio']:.2f}×",
        ]
        for r in start["rows"]
    ]
    header = ["command", "median ms", "ratio", "paired", "fastest", "CPU ms", "CPU ratio"]
    verdict = "met" if start["met"] else "**not met**"
    return (
        _table(header, rows)
        + f"\nGoal: `check small.md` ≤ {start['goal']}× the baseline (medians): **{start['ratio']:.2f}×**, {verdict}.\n"
    )


def markdown(
    summaries: list[dict[str, Any]],
    paired: dict[tuple[str, str, int, str], float],
    meta: dict[str, Any],
    startup: dict[str, Any] | None = None,
    own: dict[tuple[str, int, str], float] | None = None,
) -> str:
    pk = ", ".join(f"{k} {v}" for k, v in meta["packages"].items())
    gl = "; ".join(f"{n:,} entities = {g['names']:,} names" for n, g in sorted(meta["glossaries"].items()))
    co = "; ".join(
        f"{k}: {v['bytes'] / 1e6:.2f} MB"
        + (f", {v['mentions']:,} planted mentions in {v['tokens']:,} tokens" if "mentions" in v else "")
        for k, v in meta["corpora"].items()
    )
    return (
        "# Benchmark results\n\n"
        f"Generated by `python bench/run.py` on {meta['date']} in {meta['elapsed_s']:.0f} s "
        f"({meta['repeats']} fresh-process runs per cell, medians; shared, noisy 2-core machine).\n\n"
        f"- Machine: {meta['machine']}; Python {meta['python']}\n"
        f"- Packages: {pk}\n"
        f"- Glossaries (seed {meta['seed']}): {gl}\n"
        f"- Corpora: {co}\n\n"
        "## Throughput, build time, memory, matches\n\n"
        "MB/s = corpus UTF-8 bytes / median search time in CPU seconds of the process, which a busy "
        "neighbour disturbs far less than wall time (wall MB/s: the same with wall-clock time); the corpus is "
        "already in memory. Build (CPU s) = reading the YAML glossary and building the matcher; "
        "1st build = the first run's. Peak MB = the process's peak RSS (VmHWM; corpus and glossary included). "
        "Spread = (max − min) / median of the search times. `regex-words` counts words, not matches.\n\n"
        f"{results_table(summaries, meta)}\n"
        "## Ratios (resolver throughput ÷ peer throughput, same run)\n\n"
        "Median over repeats of the ratio of run *i* to run *i*. Above 1: resolver is faster.\n\n"
        f"{ratio_table(paired, summaries)}\n"
        "## normalize and unknown-term detection ÷ find (same run)\n\n"
        "Median over repeats of the per-run ratio. `resolver-unknown` is detection without did-you-mean "
        "suggestions, whose cost is per distinct term, not per megabyte.\n\n"
        f"{own_table(own or {})}\n"
        "## Flat scaling (throughput at the largest glossary ÷ at the smallest)\n\n"
        "1.0 means the search speed does not depend on the glossary size.\n\n"
        f"{scaling_table(summaries)}\n"
        "## Start-up\n\n"
        "`bench/startup.py`: fresh processes of the real interpreter and the `resolver` console script "
        "beside it (no shim), this source tree, byte code cached, the compiled glossary in a warm private "
        f"cache; {startup['runs'] if startup and 'runs' in startup else 0} interleaved runs, wall-time medians. "
        "`small.md` is the start of the first seed article (prose and a pasted `<div>` line: read without "
        "markdown-it); `markdown.md` adds a heading, a link and inline code (parsed by markdown-it). "
        "Paired = median of the per-run ratios; fastest = ratio of the fastest runs; CPU = user + system time.\n\n"
        f"{startup_table(startup)}"
    )


# --------------------------------------------------------------------------
# Plot


def plot(summaries: list[dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot", flush=True)
        return
    corpora = [c for c in CORPORA if any(s["corpus"] == c for s in summaries)]
    fig, axes = plt.subplots(1, len(corpora), figsize=(6 * len(corpora), 4.5), squeeze=False, sharey=True)
    for ax, corpus in zip(axes[0], corpora):
        for c in dict.fromkeys(s["contender"] for s in summaries):
            pts = sorted(
                (s["size"], s["mb_s"])
                for s in summaries
                if s["contender"] == c and s["corpus"] == corpus and s["status"] == "ok"
            )
            if pts:
                style = ":" if c in PHYSICAL else "-"
                width = 2.5 if c in RESOLVER else 1.2
                ax.plot(*zip(*pts), style, marker="o", linewidth=width, label=c)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{corpus} corpus")
        ax.set_xlabel("glossary size (entities)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("throughput (MB/s, log)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
