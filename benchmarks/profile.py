"""Profile one pipeline stage with pyinstrument on a generated corpus; writes HTML + text reports and top hotspots.

Usage: python benchmarks/profile.py --stage align|align-baseline|ingest-tsv|mine|e2e [--pairs 10000] [--top 15]
Writes benchmarks/results/profile-<stage>-<pairs>.html, .txt and .json (hotspots by self time with file:line).
Warm stages (align, ingest-tsv, mine) are warmed up first, so the profile shows steady-state work.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_pipeline  # noqa: E402
import benchlib  # noqa: E402
import generate  # noqa: E402


def hotspots(session, top: int = 15) -> list[dict]:
    """Functions by self time (summed over the call tree), with file:line and % of total."""
    total = session.duration or 1e-9
    acc: dict[tuple, float] = {}
    stack = [session.root_frame()]
    while stack:
        f = stack.pop()
        if f is None:
            continue
        stack.extend(f.children)
        if f.is_synthetic:  # "[self]" / "[await]" leaves: their time is in the parent's total_self_time
            continue
        key = (f.function, f.file_path_short or f.file_path or "", f.line_no)
        acc[key] = acc.get(key, 0.0) + f.total_self_time
    rows = sorted(acc.items(), key=lambda kv: -kv[1])[:top]
    return [{"function": fn, "where": f"{path}:{line}", "self_s": round(t, 3), "pct": round(100 * t / total, 1)}
            for (fn, path, line), t in rows]


def main(argv: list[str] | None = None) -> int:
    from pyinstrument import Profiler

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stage", default="align", choices=[s for s in bench_pipeline.STAGES if s != "cli"])
    ap.add_argument("--pairs", type=int, default=10_000)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--interval", type=float, default=0.001, help="sampling interval in seconds")
    ap.add_argument("--out", default=str(benchlib.RESULTS), help="report directory")
    ap.add_argument("--cache", help="corpus cache directory (default benchmarks/.cache)")
    a = ap.parse_args(argv)
    why = bench_pipeline.missing(a.stage)
    if why:
        print(f"{a.stage}: cannot profile — {why}", file=sys.stderr)
        return 2
    corpus = generate.cached_corpus(a.pairs, bench_pipeline.SEED, ("tsv", "mixed"), a.cache)
    if a.stage != "e2e":
        bench_pipeline.warm_up(a.stage)  # the worker warms up again inside the profile, cheaply once warm
    prof = Profiler(interval=a.interval)
    prof.start()
    result = bench_pipeline.worker(a.stage, corpus, a.pairs)
    prof.stop()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"profile-{a.stage}-{a.pairs}"
    Path(f"{stem}.html").write_text(prof.output_html(), encoding="utf-8")
    Path(f"{stem}.txt").write_text(prof.output_text(unicode=True, color=False), encoding="utf-8")
    spots = hotspots(prof.last_session, a.top)
    Path(f"{stem}.json").write_text(json.dumps({"stage": a.stage, "pairs": a.pairs, "result": result,
                                                "seconds": prof.last_session.duration, "hotspots": spots,
                                                "env": benchlib.env()}, indent=1, ensure_ascii=False),
                                    encoding="utf-8")
    print(f"{a.stage} @ {a.pairs} pairs: {prof.last_session.duration:.1f} s profiled; top self time:")
    for s in spots:
        print(f"  {s['pct']:5.1f}%  {s['self_s']:8.2f}s  {s['function']}  {s['where']}")
    print(f"wrote {stem}.html, .txt, .json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
