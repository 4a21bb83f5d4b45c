"""The benchmark must not rot: its quick run (1k names, 1 MB corpora) works end to end.

No timing is asserted (the machines are shared and noisy); the run must finish,
report every contender that is installed, and find the same mentions the
library finds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_quick_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = subprocess.run(
        [
            sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--repeats", "1",
            "--data-dir", str(tmp_path / "data"), "--out", str(out),
            "--contenders", "resolver-find,resolver-normalize,flashtext-extract,pyahocorasick,lower,regex-words",
        ],
        capture_output=True, text=True, timeout=600, check=False,
    )
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    table = (out / "results.md").read_text(encoding="utf-8")
    assert "resolver-find" in table and "÷ flashtext-extract" in table
    (raw,) = (tmp_path / "data").glob("results*.json")
    summaries = json.loads(raw.read_text(encoding="utf-8"))["summaries"]
    ours = {(s["contender"], s["corpus"]): s for s in summaries if s["contender"] == "resolver-find"}
    assert {c for _, c in ours} == {"real", "synthetic"}
    for s in ours.values():
        assert s["status"] == "ok" and s["matches"] > 1000 and s["mb_s"] > 0
    planted = json.loads(next((tmp_path / "data").glob("synthetic-*.meta.json")).read_text(encoding="utf-8"))
    # every planted mention is found (the generator's names are unique, so none is ambiguous)
    assert ours[("resolver-find", "synthetic")]["matches"] == planted["mentions"]
