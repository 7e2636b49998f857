"""Dump mine() candidates on a corpus to JSON (compare before/after an output-neutral change with `diff`).

Usage: python benchmarks/dump_mine.py CORPUS OUT.json   (CORPUS: seeds | heldout | heldout2 | 10000 | 100000 |
mixed10000: the generated corpus's TSV pairs, or its mixed documents aligned); DUMP_MINE_WORKERS=N forces
mine(workers=N)."""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def pairs_of(corpus: str) -> list:
    from glossary.ingest import iter_input_files, read_aligned

    if corpus in ("seeds", "heldout", "heldout2"):
        where = ROOT / "seeds" if corpus == "seeds" else ROOT / "tests" / "data" / "mine" / corpus / "corpus"
        return [p for f in iter_input_files([where]) for p in read_aligned(f).pairs]
    import bench_pipeline
    import generate

    mixed = corpus.startswith("mixed")
    size = int(corpus.removeprefix("mixed"))
    c = generate.cached_corpus(size, bench_pipeline.SEED, ("tsv", "mixed"), None)
    if mixed:
        return [p for f in bench_pipeline._mixed_files(c) for p in read_aligned(f).pairs]
    return bench_pipeline._load_pairs(c)


def main() -> int:
    from glossary.mine.miner import mine

    corpus, out = sys.argv[1], Path(sys.argv[2])
    pairs = pairs_of(corpus)
    from bench_mine import TreeRss

    c0, t0 = time.process_time(), time.perf_counter()
    w = os.environ.get("DUMP_MINE_WORKERS")  # force a worker count (default: as mine() decides)
    with TreeRss() as tree:
        cands = mine(pairs, workers=int(w) if w else None)
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    out.write_text(json.dumps([dataclasses.asdict(c) for c in cands], ensure_ascii=False, indent=0,
                              sort_keys=True, default=repr), encoding="utf-8")
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"corpus": corpus, "pairs": len(pairs), "candidates": len(cands), "mine_cpu_s": round(cpu, 2),
                      "children_cpu_s": round(ch.ru_utime + ch.ru_stime, 2), "mine_wall_s": round(wall, 2),
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "tree_rss_mb": tree.peak_mb, "tree_pss_mb": tree.peak_pss_mb}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
