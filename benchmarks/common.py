"""Small helpers shared by the benchmark sections: percentiles, memory, tables."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"
RESULTS = ROOT / "benchmarks" / "results"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pct(values, q: float) -> float:
    """The q-th percentile (0–100) by nearest rank, so p95 of 50 values is a value that was measured."""
    v = sorted(values)
    if not v:
        return float("nan")
    k = max(0, min(len(v) - 1, int(np.ceil(q / 100 * len(v))) - 1))
    return float(v[k])


def stats_ms(values) -> dict:
    return {
        "n": len(values),
        "p50": pct(values, 50),
        "p95": pct(values, 95),
        "max": max(values) if values else float("nan"),
    }


def rss_mib() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mib() -> float:
    """Peak resident memory of this process (VmHWM; ru_maxrss on Linux carries the parent's peak over
    exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dev_questions() -> list[dict]:
    if not DEV_SET.exists():
        return []
    items = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [i for i in items if "question" in i]


def fallback_questions() -> list[dict]:
    """Used when ../shared/eval/dev.jsonl is not there (a fresh clone): questions in the README's style."""
    qs = [
        "沐曦计划募资多少？",
        "Who backs Enflame?",
        "摩尔线程的估值是多少？",
        "壁仞科技成立于哪一年？",
        "What is Enflame's valuation?",
        "瀚博半导体的创始人是谁？",
        "格兰菲做什么产品？",
        "哪家公司成立得最早？",
        "How much revenue did Moore Threads make in 2024?",
        "燧原科技的总部在哪里？",
    ]
    return [{"question": q} for q in qs]


def table(rows: list[list], header: list[str]) -> str:
    cells = [[str(h) for h in header]] + [[_fmt(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(r):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"

    out = [line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def _fmt(c) -> str:
    if isinstance(c, float):
        if c != c:
            return "–"
        return f"{c:.3f}" if abs(c) < 1 else f"{c:.1f}" if abs(c) < 1000 else f"{c:,.0f}"
    return str(c)


def machine() -> dict:
    import platform

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    return {
        "cores": cores,
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "load_avg_at_start": os.getloadavg(),
    }


def stop_process(proc: subprocess.Popen, grace: float = 20) -> None:
    """Ask a server the benchmark started to stop; kill it if it has not within `grace` seconds."""
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
