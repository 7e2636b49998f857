"""`make bench`: run every benchmarks/bench_*.py in a subprocess, then print one table and write results/summary.json.

Usage: python benchmarks/run_all.py [--smoke | --quick | --full] [--only pipeline,lint] [--no-run]
Size flags are passed through to every script. --no-run only collects and tabulates existing results.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

_GOAL_TEXT = re.compile(r"^\s*(>=|<=|≥|≤|<|>)\s*([0-9][0-9_,.]*)\s*(\S*)")


def scripts(only: list[str] | None = None) -> list[Path]:
    """benchmarks/bench_*.py, optionally limited to the named stages (bench_<name>.py)."""
    found = sorted(benchlib.BENCH_DIR.glob("bench_*.py"))
    if only:
        found = [p for p in found if p.stem.removeprefix("bench_") in only]
    return found


def parse_goal(goal) -> tuple[str, float] | None:
    """Accept {"op", "value"} (the schema) and, leniently, text like '>= 3000' or '≤ 60 s'."""
    if isinstance(goal, dict) and goal.get("op") in (">=", "<=", ">", "<") and isinstance(goal.get("value"),
                                                                                          (int, float)):
        return goal["op"], float(goal["value"])
    if isinstance(goal, str):
        m = _GOAL_TEXT.match(goal)
        if m:
            op = {"≥": ">=", "≤": "<="}.get(m.group(1), m.group(1))
            return op, float(m.group(2).replace("_", "").replace(",", ""))
    return None


def verdict(value, goal) -> str:
    """'pass' | 'FAIL' | '' (no goal or no value)."""
    g = parse_goal(goal)
    if g is None or not isinstance(value, (int, float)):
        return ""
    op, target = g
    ok = {">=": value >= target, "<=": value <= target, ">": value > target, "<": value < target}[op]
    return "pass" if ok else "FAIL"


def goal_text(goal) -> str:
    g = parse_goal(goal)
    if g:
        return f"{g[0]} {g[1]:g}"
    return "" if goal in (None, "") else str(goal)


def run_scripts(paths: list[Path], flags: list[str], timeout: float) -> dict[str, dict]:
    """Run each script; returns {script name: {"rc", "seconds", "tail"}}."""
    status = {}
    for p in paths:
        source = p.read_text(encoding="utf-8")
        ok = [f for f in flags if f'"{f}"' in source or f"'{f}'" in source]
        if ok != flags:
            print(f"   note: {p.name} has no {' '.join(sorted(set(flags) - set(ok)))} option; running without it",
                  file=sys.stderr)
        print(f"== {p.name} {' '.join(ok)}", file=sys.stderr, flush=True)
        t = time.perf_counter()
        try:
            proc = subprocess.run([sys.executable, str(p), *ok], cwd=benchlib.REPO, timeout=timeout,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            rc, out = proc.returncode, proc.stdout
        except subprocess.TimeoutExpired as exc:
            rc, out = -1, f"timed out after {timeout:.0f} s\n{exc.stdout or ''}"
        status[p.name] = {"rc": rc, "seconds": round(time.perf_counter() - t, 1),
                          "tail": "\n".join(out.strip().splitlines()[-5:])}
        if rc != 0:
            print(f"   {p.name} failed (exit {rc}):\n{status[p.name]['tail']}", file=sys.stderr)
    return status


def collect(results_dir: Path) -> tuple[list[dict], list[str]]:
    """Rows from every results/*.json except summary.json, flattened with their stage; plus schema problems."""
    rows, problems = [], []
    for f in sorted(results_dir.glob("*.json")):
        if f.name == "summary.json":
            continue
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            problems.append(f"{f.name}: unreadable ({exc})")
            continue
        errs = benchlib.validate(doc)
        if errs:
            problems.append(f"{f.name}: " + "; ".join(errs[:3]))
        if not isinstance(doc, dict) or not isinstance(doc.get("runs"), list):
            continue
        for r in doc["runs"]:
            if not isinstance(r, dict):
                continue
            b = r.get("baseline") if isinstance(r.get("baseline"), dict) else None
            rows.append({
                "stage": doc.get("stage", f.stem), "size": r.get("size"), "metric": r.get("metric"),
                "value": r.get("value"), "unit": r.get("unit", ""), "goal": goal_text(r.get("goal")),
                "verdict": verdict(r.get("value"), r.get("goal")),
                "baseline": b.get("name") if b else None, "baseline_value": b.get("value") if b else None,
                "ratio": b.get("ratio") if b else None, "note": r.get("note"), "file": f.name,
            })
    return rows, problems


def _fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 10 else f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.1f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def table(rows: list[dict]):
    from rich.table import Table

    t = Table(title="glossary benchmarks", show_lines=False)
    for col, just in (("stage", "left"), ("size", "right"), ("metric", "left"), ("value", "right"),
                      ("goal", "left"), ("", "left"), ("baseline", "right"), ("ratio", "right")):
        t.add_column(col, justify=just)
    for r in rows:
        v = r["verdict"]
        mark = "[green]pass[/green]" if v == "pass" else "[red]FAIL[/red]" if v == "FAIL" else ""
        value = f"{_fmt(r['value'])} {r['unit']}".strip() if r["value"] is not None else (r["note"] or "—")
        base = f"{_fmt(r['baseline_value'])} ({r['baseline']})" if r["baseline"] else ""
        ratio = f"{r['ratio']:.2f}×" if isinstance(r["ratio"], (int, float)) else ""
        t.add_row(r["stage"], _fmt(r["size"]), r["metric"] or "", value, r["goal"], mark, base, ratio)
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group()
    for flag in benchlib.SIZE_FLAGS:
        g.add_argument(flag, action="store_true", help=f"pass {flag} to every bench script")
    ap.add_argument("--only", help="comma-separated stages (bench_<stage>.py) to run")
    ap.add_argument("--no-run", action="store_true", help="do not run scripts; tabulate existing results")
    ap.add_argument("--results", default=str(benchlib.RESULTS), help="results directory")
    ap.add_argument("--timeout", type=float, default=4 * 3600, help="seconds per script")
    a = ap.parse_args(argv)
    flags = [f for f in benchlib.SIZE_FLAGS if getattr(a, f.lstrip("-"))]
    results = Path(a.results)
    status = {}
    if not a.no_run:
        status = run_scripts(scripts(a.only.split(",") if a.only else None), flags, a.timeout)
    rows, problems = collect(results)
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    console.print(table(rows))
    for p in problems:
        console.print(f"[yellow]schema:[/yellow] {p}")
    failed = [name for name, s in status.items() if s["rc"] != 0]
    for name in failed:
        console.print(f"[red]{name} exited {status[name]['rc']}[/red]")
    summary = {"flags": flags, "scripts": status, "rows": rows, "schema_problems": problems, "env": benchlib.env(),
               "goals": {"pass": sum(r["verdict"] == "pass" for r in rows),
                         "fail": sum(r["verdict"] == "FAIL" for r in rows)}}
    results.mkdir(parents=True, exist_ok=True)
    (results / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    console.print(f"wrote {results / 'summary.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
