"""Benchmark the term miner: mine() on N synthetic sentence pairs cut from the seed dev pairs (JSON result)."""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from glossary.data import SegmentPair  # noqa: E402
from glossary.mine.miner import mine  # noqa: E402

DATA = ROOT / "tests" / "data" / "mine" / "seed_pairs.tsv"


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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pairs", type=int, default=100_000)
    ap.add_argument("--seed-windows", action="store_true", help="windows over the seed pairs, not generate.py")
    ap.add_argument("--smoke", action="store_true", help="2,000 pairs, quick check")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "mine.json")
    args = ap.parse_args(argv)
    n = 2000 if args.smoke else args.pairs
    pairs = (None if args.seed_windows else generated_pairs(n)) or synthetic_pairs(n)
    t = time.perf_counter()
    cands = mine(pairs)
    secs = time.perf_counter() - t
    rss_mb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                 resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    result = {"stage": "mine", "pairs": n, "seconds": round(secs, 2), "pairs_per_second": round(n / secs),
              "candidates": len(cands), "corpus": "seed windows" if args.seed_windows else "generate.pairs", "peak_rss_mb": round(rss_mb), "smoke": args.smoke}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
