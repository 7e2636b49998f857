"""Benchmark the term miner: mine() on N synthetic sentence pairs cut from the seed dev pairs (JSON result)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import benchlib  # noqa: E402

from glossary.data import SegmentPair  # noqa: E402
from glossary.mine.miner import mine  # noqa: E402

DATA = ROOT / "tests" / "data" / "mine" / "seed_pairs.tsv"
GOAL_SIZE = 100_000  # the time goal is stated for 100k pairs
TIME_GOAL = benchlib.goal("<=", 60)  # seconds
RSS_GOAL = benchlib.goal("<=", 2048)  # MB


def generated_pairs(n: int) -> list[SegmentPair] | None:
    """benchmarks/generate.py corpus (many documents, names, terms) when it is there."""
    try:
        import generate  # benchmarks/generate.py
    except ImportError:
        return None
    return [SegmentPair(zh=zh, en=en, position=i, document=f"gen{i // 200}")
            for i, (zh, en) in enumerate(generate.pairs(n, 1)[:n])]


def synthetic_pairs(n: int) -> list[SegmentPair]:
    """Sentence-sized windows over the seed pairs (zh ~60 chars, en ~180 chars), rotating offsets."""
    seeds = [line.split("\t") for line in DATA.read_text(encoding="utf-8").splitlines()]
    out = []
    for i in range(n):
        doc, _, zh, en = seeds[i % len(seeds)]
        k = (i // len(seeds)) * 37
        zs = k % max(1, len(zh) - 60)
        es = int(zs / max(1, len(zh)) * len(en))
        out.append(SegmentPair(zh=zh[zs : zs + 60], en=en[es : es + 180], position=i, document=doc))
    return out


def _tree_pids(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc; just `pid` elsewhere)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return out


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants now (Linux /proc; 0 elsewhere). Pages a forked
    worker shares with its parent count once per process here."""
    total = 0
    for p in _tree_pids(pid):
        try:
            total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError):
            continue
    return total


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process and its descendants (shared pages split between the processes that
    share them: the physical memory the tree uses); 0 where /proc/PID/smaps_rollup is missing."""
    total = 0
    for p in _tree_pids(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total


class TreeRss:
    """Peak summed RSS (and PSS) of this process and its worker processes, sampled every `every` seconds."""

    def __init__(self, every: float = 0.25):
        self.peak_kb = 0
        self.peak_pss_kb = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, args=(every,), daemon=True)

    PSS_EVERY = 2.0  # seconds: reading smaps_rollup of a 1 GB process costs milliseconds of kernel time

    def _run(self, every: float) -> None:
        last_pss = 0.0
        while not self._stop.is_set():
            pid = os.getpid()
            rss = _tree_rss_kb(pid)
            now = time.monotonic()
            if rss > self.peak_kb or now - last_pss >= self.PSS_EVERY:  # PSS <= RSS: read it near RSS peaks
                self.peak_pss_kb = max(self.peak_pss_kb, _tree_pss_kb(pid))
                last_pss = now
            self.peak_kb = max(self.peak_kb, rss)
            self._stop.wait(every)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak_kb / 1024, 1)

    @property
    def peak_pss_mb(self) -> float:
        return round(self.peak_pss_kb / 1024, 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pairs", type=int, default=100_000)
    ap.add_argument("--seed-windows", action="store_true", help="windows over the seed pairs, not generate.py")
    ap.add_argument("--smoke", action="store_true", help="2,000 pairs, quick check")
    ap.add_argument("--jobs", type=int, help="worker processes (default: as mine() decides: $GLOSSARY_JOBS or the "
                    "usable cores from 20k pairs, else 1)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "mine.json")
    args = ap.parse_args(argv)
    n = 2000 if args.smoke else args.pairs
    pairs = None if args.seed_windows else generated_pairs(n)
    corpus = "generate.pairs"
    if not pairs:  # asked for, or benchmarks/generate.py is not importable
        pairs, corpus = synthetic_pairs(n), "seed windows"
    cpu0 = benchlib.cpu_seconds()
    t = time.perf_counter()
    with TreeRss() as tree:
        cands = mine(pairs, workers=args.jobs)
    secs = time.perf_counter() - t
    cpu = benchlib.cpu_seconds() - cpu0
    rss_mb = benchlib.peak_rss_mb()
    common = {"corpus": corpus, "smoke": args.smoke, "jobs": args.jobs or "auto"}
    runs = [
        benchlib.run(n, "mine time", round(secs, 2), "s", TIME_GOAL if n == GOAL_SIZE else None,
                     wall_s=round(secs, 2), cpu_s=round(cpu, 2), candidates=len(cands), **common),
        benchlib.run(n, "mine throughput", round(n / secs), "pairs/s", None, **common),
        benchlib.run(n, "mine peak RSS", rss_mb, "MB", None,
                     note="largest single process (main or one worker), corpus generation included", **common),
        benchlib.run(n, "mine peak RSS (process tree)", tree.peak_mb, "MB", RSS_GOAL,
                     note="main process + workers summed, sampled every 0.25 s", **common),
        benchlib.run(n, "mine peak PSS (process tree)", tree.peak_pss_mb, "MB", RSS_GOAL,
                     note="main process + workers, shared pages split between them (physical memory used)",
                     **common),
        benchlib.run(n, "mine candidates", len(cands), "candidates", None, **common),
    ]
    out = benchlib.write_results("mine", runs, args.out)
    print(json.dumps({r["metric"]: r["value"] for r in runs}, ensure_ascii=False))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
