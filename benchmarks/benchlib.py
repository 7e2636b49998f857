"""Shared helpers for bench scripts: result schema (see benchmarks/README.md), environment, peak RSS, medians."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
RESULTS = BENCH_DIR / "results"
SIZE_FLAGS = ("--smoke", "--quick", "--full")


def goal(op: str, value: float) -> dict:
    """A machine-checkable goal: {"op": ">=" | "<=", "value": number}."""
    assert op in (">=", "<=", ">", "<")
    return {"op": op, "value": value}


def run(size: int, metric: str, value: float | None, unit: str, goal: dict | None = None,
        baseline: dict | None = None, **extra) -> dict:
    """One result row in the shared schema; value None means 'not measured' (say why in extra['note'])."""
    row = {"size": size, "metric": metric, "value": value, "unit": unit, "goal": goal}
    if baseline is not None:
        row["baseline"] = baseline
    row.update(extra)
    return row


def baseline(name: str, value: float, ratio: float | None) -> dict:
    """Side-by-side baseline measured in the same run; ratio > 1 means ours is better (faster / smaller)."""
    return {"name": name, "value": value, "ratio": ratio}


def peak_rss_mb() -> float:
    """Peak resident set size of this process and of its largest waited-for child, in MB (Linux: ru_maxrss KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1 / 1024 / 1024 if sys.platform == "darwin" else 1 / 1024
    return round(max(own, kids) * scale, 1)


def cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children (robust to a busy machine)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def median(values: list[float]) -> float:
    return statistics.median(values)


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, timeout=5).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def env() -> dict:
    """Where the numbers were measured."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpus": cpus,
        "commit": _git_commit(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def write_results(stage: str, runs: list[dict], path: str | Path | None = None, **extra) -> Path:
    """Write {"stage", "runs", "env", ...} to benchmarks/results/<stage>.json (or `path`)."""
    path = Path(path) if path else RESULTS / f"{stage}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"stage": stage, "runs": runs, "env": env(), **extra}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


def validate(doc: dict) -> list[str]:
    """Problems with a result document (empty list when it follows the schema)."""
    errs = []
    if not isinstance(doc, dict):
        return ["not a JSON object"]
    if not isinstance(doc.get("stage"), str) or not doc.get("stage"):
        errs.append("'stage' must be a non-empty string")
    if not isinstance(doc.get("env"), dict):
        errs.append("'env' must be an object")
    runs = doc.get("runs")
    if not isinstance(runs, list):
        return errs + ["'runs' must be a list"]
    for i, r in enumerate(runs):
        if not isinstance(r, dict):
            errs.append(f"runs[{i}] is not an object")
            continue
        for key in ("size", "metric", "value", "unit"):
            if key not in r:
                errs.append(f"runs[{i}] lacks {key!r}")
        if "value" in r and r["value"] is not None and not isinstance(r["value"], (int, float)):
            errs.append(f"runs[{i}].value must be a number or null")
        if not isinstance(r.get("metric", ""), str) or not isinstance(r.get("unit", ""), str):
            errs.append(f"runs[{i}]: metric and unit must be strings")
        b = r.get("baseline")
        if b is not None and not isinstance(b, dict):
            errs.append(f"runs[{i}].baseline must be an object")
    return errs
