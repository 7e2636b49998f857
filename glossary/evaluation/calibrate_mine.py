"""`python -m glossary.evaluation.calibrate_mine`: fit the miner's logistic score on judged proposals.

Mines the seeds and the held-out news corpus at a low threshold, labels every candidate whose (zh, English) was
judged (seed dev gold + tests/data/mine/judged_pairs.tsv; held-out gold + tests/data/mine/heldout/judged.tsv),
fits p = sigmoid(W·x + B) on glossary.mine.scoring.Signals.vector() by L2-regularised Newton steps, and prints
the coefficients to paste into glossary/mine/scoring.py, with a reliability table (is a score s right ~s?).
--unjudged lists candidates that still need a judgement (zh, English, score) instead."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from glossary.evaluation.mine import DEFAULT_GOLD, DEFAULT_JUDGED, ROOT, load_gold, load_judged, norm_en
from glossary.text.normalize import norm_key

HELDOUT = ROOT / "tests" / "data" / "mine" / "heldout"
HELDOUT2 = ROOT / "tests" / "data" / "mine" / "heldout2"
FEATURES = ["local", "cooc", "termhood", "acronym", "name", "generic", "log_freq", "cut", "lexical", "capitalised"]


def mine_dir(path: Path, min_score: float):
    """DB-free: read every aligned file under path and mine it (the CLI's path without the store)."""
    from glossary.ingest import iter_input_files, read_aligned
    from glossary.mine.miner import mine

    pairs = []
    for p in iter_input_files([path]):
        pairs.extend(read_aligned(p).pairs)
    return mine(pairs, min_score=min_score)


def labels(gold_path: Path, judged_path: Path) -> dict[tuple[str, str], bool]:
    """(zh key, en key) → correct?: gold pairs are right with any listed English form; a gold zh with another
    English is wrong unless judged; other pairs as judged."""
    out = dict(load_judged(judged_path))
    for zh, forms, _ in load_gold(gold_path):
        for f in forms:
            out[(zh, f)] = True
    return out


def label_of(c, lab: dict, gold_zh: set[str]) -> bool | None:
    k = (norm_key(c.zh, "zh"), norm_en(c.en))
    if k in lab:
        return lab[k]
    if k[0] in gold_zh:
        return False  # a gold term with an English the gold does not list
    return None


def fit(xs: list[list[float]], ys: list[int], l2: float = 0.5, steps: int = 50) -> tuple[list[float], float]:
    """Logistic regression by Newton's method (tiny dense problem, no numpy needed)."""
    d = len(xs[0]) + 1
    w = [0.0] * d
    for _ in range(steps):
        g = [0.0] * d
        h = [[0.0] * d for _ in range(d)]
        for x, y in zip(xs, ys):
            v = x + [1.0]
            p = 1.0 / (1.0 + math.exp(-sum(a * b for a, b in zip(w, v))))
            for i in range(d):
                g[i] += (p - y) * v[i]
                for j in range(d):
                    h[i][j] += p * (1 - p) * v[i] * v[j]
        for i in range(d - 1):  # no penalty on the bias
            g[i] += l2 * w[i]
            h[i][i] += l2
        step = _solve(h, g)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return w[:-1], w[-1]


def _p(w: list[float], b: float, x: list[float]) -> float:
    return 1.0 / (1.0 + math.exp(-(sum(a * v for a, v in zip(w, x)) + b)))


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(n):
            if r != c and m[c][c]:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


def reliability(ps: list[float], ys: list[int], bins=(0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)) -> list[str]:
    rows = []
    for lo, hi in zip(bins, bins[1:]):
        got = [y for p, y in zip(ps, ys) if lo <= p < hi]
        mean = [p for p in ps if lo <= p < hi]
        if got:
            rows.append(f"  score {lo:.1f}–{min(hi, 1):.1f}: n={len(got):3d}  mean score {sum(mean)/len(mean):.2f}"
                        f"  right {sum(got)/len(got):.2f}")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-score", type=float, default=0.15)
    ap.add_argument("--unjudged", action="store_true", help="list candidates without a judgement and stop")
    args = ap.parse_args(argv)
    sets = [("seeds", ROOT / "seeds", DEFAULT_GOLD, DEFAULT_JUDGED),
            ("heldout", HELDOUT / "corpus", HELDOUT / "gold.tsv", HELDOUT / "judged.tsv"),
            ("heldout2", HELDOUT2 / "corpus", HELDOUT2 / "gold.tsv", HELDOUT2 / "judged.tsv")]
    xs, ys, ps, src = [], [], [], []
    for name, corpus, gold, judged in sets:
        lab = labels(gold, judged)
        gold_zh = {g[0] for g in load_gold(gold)}
        n = 0
        for c in mine_dir(corpus, args.min_score):
            sig = getattr(c, "signals", None)
            y = label_of(c, lab, gold_zh)
            if args.unjudged:
                if y is None:
                    print(f"{name}\t{c.zh}\t{c.en}\t{c.score}")
                continue
            if sig is None or y is None:
                continue
            xs.append(sig.vector())
            ys.append(int(y))
            ps.append(c.score)
            src.append(name)
            n += 1
        if not args.unjudged:
            print(f"{name}: {n} labelled candidates", file=sys.stderr)
    if args.unjudged:
        return 0
    print("current score:")
    print("\n".join(reliability(ps, ys)))
    for held in ("seeds", "heldout", "heldout2"):  # honest check: fit on the other corpora, score this one
        tr = [i for i, s in enumerate(src) if s != held]
        wt, bt = fit([xs[i] for i in tr], [ys[i] for i in tr])
        te = [i for i, s in enumerate(src) if s == held]
        pt = [_p(wt, bt, xs[i]) for i in te]
        print(f"fitted on the other corpus, scored on {held}:")
        print("\n".join(reliability(pt, [ys[i] for i in te])))
    w, b = fit(xs, ys)
    print("fitted: W = [" + ", ".join(f"{v:.3f}" for v in w) + f"]  B = {b:.3f}   # {', '.join(FEATURES)}")
    new = [_p(w, b, x) for x in xs]
    print("fitted score (in-sample):")
    print("\n".join(reliability(new, ys)))
    for t in (0.5, 0.6, 0.7):
        for name in ("seeds", "heldout", "heldout2"):
            got = [y for p, y, s in zip(new, ys, src) if p >= t and s == name]
            print(f"  {name} at >= {t}: {len(got)} labelled above, precision {sum(got) / max(1, len(got)):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
