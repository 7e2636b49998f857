"""Alignment benchmark: speed (sentence pairs/s, linearity) and F1 on generated bitext, vs length-only Gale–Church.

    python benchmarks/bench_align.py --pairs 20000      # full run, writes benchmarks/results/align.json
    python benchmarks/bench_align.py --smoke            # tiny, fast sanity run

The corpus comes from benchmarks/generate.py (deterministic zh–en pairs). Each document is perturbed the way real
bitext is: ~4% of zh and ~4% of en sentences get no counterpart (untranslated boilerplate), ~8% of English
translations are split into two sentences (1-2 beads) and paragraphs group 1–4 sentences. Timings are for the
alignment itself (CPU time of this process, so other load on the machine does not distort it: features +
block pairing + bead DP), after the dictionary is loaded.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import benchlib  # noqa: E402
import generate  # noqa: E402

from glossary.align.aligner import Unit, align_units  # noqa: E402
from glossary.align.dictionary import cedict  # noqa: E402
from glossary.align.galechurch import gale_church  # noqa: E402
from glossary.evaluation.align import score  # noqa: E402
from glossary.text.clean import match_form  # noqa: E402
from glossary.text.sentences import sentences  # noqa: E402

ALIGN_GOAL = benchlib.goal(">=", 3000)  # pairs/s
BASELINE = "length-only Gale–Church"

FILLER_ZH = ["本文来源于网络,仅供参考。", "责任编辑:李明", "如有侵权请联系删除。", "扫描二维码关注我们。"]
FILLER_EN = ["Click here to subscribe.", "All rights reserved.", "Photo: Xinhua", "Editor: Li Ming"]


def build(n: int, seed: int = 7):
    """zh units, en units and gold beads for n generated pairs, perturbed."""
    rng = random.Random(seed)
    zh: list[Unit] = []
    en: list[Unit] = []
    gold = []
    block = 0
    left = 0
    for z, e in generate.pairs(n, seed=seed):
        if left == 0:
            block += 1
            left = rng.randint(1, 4)
        left -= 1
        if rng.random() < 0.04:
            gold.append(((len(zh),), ()))
            t = rng.choice(FILLER_ZH)
            zh.append(Unit(t, match_form(t), block))
        if rng.random() < 0.04:
            gold.append(((), (len(en),)))
            en.append(Unit(rng.choice(FILLER_EN), block=block))
        es = sentences(e, "en")
        if len(es) == 1 and rng.random() < 0.08 and ", " in e:
            a, b = e.split(", ", 1)
            es = [a + ".", b[:1].upper() + b[1:]]
        zi = len(zh)
        zh.append(Unit(z, match_form(z), block))
        ej = list(range(len(en), len(en) + len(es)))
        en.extend(Unit(s, block=block) for s in es)
        gold.append(((zi,), tuple(ej)))
    return zh, en, gold


def run(n: int) -> dict:
    zh, en, gold = build(n)
    t0 = time.process_time()
    beads = align_units(zh, en)
    t_ours = time.process_time() - t0
    ours = [(tuple(b.zh), tuple(b.en)) for b in beads]
    t0 = time.process_time()
    gc = [(tuple(z), tuple(e)) for z, e in gale_church([len(u.text) for u in zh], [len(u.text) for u in en])]
    t_gc = time.process_time() - t0
    s_ours, s_gc = score(ours, gold), score(gc, gold)
    return {"pairs": n, "zh_sentences": len(zh), "en_sentences": len(en),
            "ours": {"seconds": round(t_ours, 3), "pairs_per_s": round(n / t_ours), **_r(s_ours)},
            "gale_church": {"seconds": round(t_gc, 3), "pairs_per_s": round(n / t_gc), **_r(s_gc)}}


def _r(s: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in s.items()}


def schema_rows(r: dict) -> list[dict]:
    """One measured size as shared-schema rows: throughput and strict/lax F1, each beside Gale–Church."""
    n, ours, gc = r["pairs"], r["ours"], r["gale_church"]
    common = {"zh_sentences": r["zh_sentences"], "en_sentences": r["en_sentences"]}
    rows = [benchlib.run(n, "align throughput", ours["pairs_per_s"], "pairs/s", ALIGN_GOAL,
                         benchlib.baseline(BASELINE, gc["pairs_per_s"],
                                           round(ours["pairs_per_s"] / gc["pairs_per_s"], 3)),
                         cpu_s=ours["seconds"], baseline_cpu_s=gc["seconds"], **common)]
    for kind in ("strict", "lax"):
        key = f"{kind}_f1"
        ratio = round(ours[key] / gc[key], 3) if gc[key] else None
        rows.append(benchlib.run(n, f"align {kind} F1", ours[key], "F1", None,
                                 benchlib.baseline(BASELINE, gc[key], ratio),
                                 precision=ours[f"{kind}_p"], recall=ours[f"{kind}_r"],
                                 baseline_precision=gc[f"{kind}_p"], baseline_recall=gc[f"{kind}_r"],
                                 test_beads=ours["test_beads"], gold_beads=ours["gold_beads"], **common))
    return rows


def growth_row(rows: list[dict]) -> dict | None:
    """CPU-time growth from the smallest to the largest size, relative to linear (1.0 = linear)."""
    if len(rows) < 2:
        return None
    a, b = rows[0], rows[-1]
    growth = (b["ours"]["seconds"] / a["ours"]["seconds"]) / (b["pairs"] / a["pairs"])
    return benchlib.run(b["pairs"], f"align time growth {a['pairs']}→{b['pairs']}", round(growth, 3), "x", None,
                        note="time ratio divided by size ratio; 1.0 = linear")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=20000, help="largest size; also runs 1/4 and 1/2 of it")
    ap.add_argument("--smoke", action="store_true", help="tiny run (300 pairs) for CI")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "align.json")
    args = ap.parse_args(argv)
    t0 = time.process_time()
    cedict()
    load = time.process_time() - t0
    sizes = [300] if args.smoke else sorted({max(100, args.pairs // 4), max(100, args.pairs // 2), args.pairs})
    rows = [run(n) for n in sizes]
    print(f"dictionary load: {load:.2f} s (once per process)")
    print(f"{'pairs':>7} {'system':12} {'seconds':>8} {'pairs/s':>8} {'strict F1':>9} {'lax F1':>7}")
    for r in rows:
        for name in ("ours", "gale_church"):
            m = r[name]
            print(f"{r['pairs']:7d} {name:12} {m['seconds']:8.2f} {m['pairs_per_s']:8d} {m['strict_f1']:9.3f} "
                  f"{m['lax_f1']:7.3f}")
    runs = [row for r in rows for row in schema_rows(r)]
    growth = growth_row(rows)
    if growth:
        runs.append(growth)
        print(f"time growth relative to linear from {rows[0]['pairs']} to {rows[-1]['pairs']} pairs: "
              f"{growth['value']:.2f} (1.0 = linear)")
    out = benchlib.write_results("align", runs, args.out, dictionary_load_s=round(load, 2),
                                 timing="CPU time of this process (time.process_time)", smoke=args.smoke)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
