"""Alignment quality against hand-checked gold (tests/data/align): strict and lax bead F1, plus a Gale–Church baseline.

Run: ``python -m glossary.evaluation.align [--gold DIR] [--json FILE]`` (``make eval-align``).
Beads with an empty side (1-0, 0-1) are left out of precision/recall, as in the usual strict/lax scoring;
strict = identical bead, lax = overlapping a gold bead on both sides.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from glossary.align.aligner import Unit, align_units
from glossary.align.cost import Params
from glossary.align.galechurch import gale_church
from glossary.text.clean import match_form

GOLD_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "align"
_LINK = re.compile(r"\[([\d,]*)\]:\[([\d,]*)\]")

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def parse_link(s: str) -> Bead:
    m = _LINK.fullmatch(s.strip())
    if not m:
        raise ValueError(f"bad link {s!r}")
    side = lambda t: tuple(int(x) for x in t.split(",") if x)  # noqa: E731
    return side(m.group(1)), side(m.group(2))


def score(test: list[Bead], gold: list[Bead]) -> dict[str, float]:
    """Strict and lax precision/recall/F1 over non-empty beads."""
    t = [b for b in test if b[0] and b[1]]
    g = [b for b in gold if b[0] and b[1]]
    gs = set(g)
    strict_ok = sum(1 for b in t if b in gs)

    def overlaps(x: Bead, y: Bead) -> bool:
        return bool(set(x[0]) & set(y[0])) and bool(set(x[1]) & set(y[1]))

    lax_p = sum(1 for b in t if any(overlaps(b, y) for y in g))
    lax_r = sum(1 for y in g if any(overlaps(b, y) for b in t))

    def f(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    sp = strict_ok / len(t) if t else 0.0
    sr = strict_ok / len(g) if g else 0.0
    lp = lax_p / len(t) if t else 0.0
    lr = lax_r / len(g) if g else 0.0
    return {"strict_p": sp, "strict_r": sr, "strict_f1": f(sp, sr), "lax_p": lp, "lax_r": lr,
            "lax_f1": f(lp, lr), "test_beads": len(t), "gold_beads": len(g), "strict_correct": strict_ok}


def load_gold(path: Path) -> dict:
    d = json.loads(path.read_text(encoding="utf-8"))
    d["gold"] = [parse_link(x) for x in d["links"]]
    return d


def run_ours(d: dict, params: Params | None = None) -> list[Bead]:
    zh = [Unit(t, match_form(t), block=b) for t, b in zip(d["zh"], d["zh_block"])]
    en = [Unit(t, t, block=b) for t, b in zip(d["en"], d["en_block"])]
    return [(tuple(b.zh), tuple(b.en)) for b in align_units(zh, en, params=params)]


def run_gale_church(d: dict) -> list[Bead]:
    return [(tuple(z), tuple(e)) for z, e in gale_church([len(t) for t in d["zh"]], [len(t) for t in d["en"]])]


def evaluate(gold_dir: Path = GOLD_DIR, params: Params | None = None) -> dict:
    """Per-seed and overall (micro-averaged) scores for our aligner and the Gale–Church baseline."""
    results: dict = {"seeds": {}, "overall": {}}
    totals: dict[str, list] = {"ours": [[], []], "gale_church": [[], []]}
    offset = 0
    for path in sorted(gold_dir.glob("*.json")):
        d = load_gold(path)
        row = {}
        for name, fn in (("ours", lambda x: run_ours(x, params)), ("gale_church", run_gale_church)):
            test = fn(d)
            row[name] = score(test, d["gold"])
            shift = lambda bs: [(tuple(i + offset for i in z), tuple(j + offset for j in e)) for z, e in bs]  # noqa
            totals[name][0].extend(shift(test))
            totals[name][1].extend(shift(d["gold"]))
        offset += 100000
        results["seeds"][d["seed"]] = row
    for name, (t, g) in totals.items():
        results["overall"][name] = score(t, g)
    return results


def print_table(res: dict) -> None:
    print(f"{'seed':28} {'system':12} {'strict P':>8} {'R':>6} {'F1':>6} {'lax P':>7} {'R':>6} {'F1':>6}")
    rows = [(s, r) for s, r in res["seeds"].items()] + [("OVERALL", res["overall"])]
    for seed, row in rows:
        for name, m in row.items():
            print(f"{seed:28} {name:12} {m['strict_p']:8.3f} {m['strict_r']:6.3f} {m['strict_f1']:6.3f} "
                  f"{m['lax_p']:7.3f} {m['lax_r']:6.3f} {m['lax_f1']:6.3f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD_DIR)
    ap.add_argument("--json", type=Path, help="also write the scores as JSON")
    args = ap.parse_args(argv)
    res = evaluate(args.gold)
    print_table(res)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
