"""`python -m glossary.evaluation.mine`: run init → ingest → mine on seeds/ and score proposals against gold."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path

from glossary.text.normalize import fold_punct, norm_key

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "seed_dev_gold.tsv"
DEFAULT_JUDGED = ROOT / "tests" / "data" / "mine" / "judged_pairs.tsv"
HELDOUT = ROOT / "tests" / "data" / "mine" / "heldout"  # other genre: line-aligned international news
HELDOUT2 = ROOT / "tests" / "data" / "mine" / "heldout2"  # a third genre: economic/technical news


def norm_en(text: str) -> str:
    """Case, quotes, apostrophes and spacing folded (the comparison rule for gold English forms)."""
    t = fold_punct(text).casefold().replace("'", "").replace('"', "")
    return " ".join(t.split())


def load_gold(path: Path) -> list[tuple[str, list[str], str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        out.append((norm_key(f[0], "zh"), [norm_en(x) for x in f[1].split("|") if x.strip()],
                    f[2] if len(f) > 2 else ""))
    return out


def load_judged(path: Path) -> dict[tuple[str, str], bool]:
    """Hand-checked pairs: zh <TAB> en <TAB> y|n (is this a plausible glossary pair?)."""
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            f = line.split("\t")
            if len(f) >= 3 and not line.startswith("#"):
                out[(norm_key(f[0], "zh"), norm_en(f[1]))] = f[2].strip().lower().startswith("y")
    return out


def entry_view(e) -> dict:
    """zh terms, proposed translation and all en forms of an exported entry (dict) or EntryData."""
    terms = e["terms"] if isinstance(e, dict) else [
        {"lang": t.lang, "text": t.text, "status": t.status} for t in e.terms]
    zh = [t["text"] for t in terms if t["lang"] == "zh"]
    en = [t for t in terms if t["lang"] == "en"]
    pref = next((t["text"] for t in en if t.get("status") == "preferred"), en[0]["text"] if en else "")
    return {"zh": zh, "en": pref, "en_all": [t["text"] for t in en],
            "score": e["score"] if isinstance(e, dict) else e.score}


def evaluate(entries: list[dict], gold, judged) -> dict:
    by_zh: dict[str, list[dict]] = {}
    for e in entries:
        for z in e["zh"][:1]:  # an entry's zh term = its first (preferred) zh term
            by_zh.setdefault(norm_key(z, "zh"), []).append(e)
    found_pref = found_any = 0
    rows = []
    for zh, forms, kind in gold:
        es = by_zh.get(zh, [])
        pref = any(norm_en(e["en"]) in forms for e in es)
        anyv = any(norm_en(x) in forms for e in es for x in e["en_all"])
        found_pref += pref
        found_any += anyv
        rows.append({"zh": zh, "kind": kind, "preferred_hit": pref, "any_variant_hit": anyv,
                     "proposed": es[0]["en"] if es else None})
    gold_zh = {g[0] for g in gold}
    on_gold = [e for e in entries if norm_key(e["zh"][0], "zh") in gold_zh]
    gold_prec = sum(norm_en(e["en"]) in next(g[1] for g in gold if g[0] == norm_key(e["zh"][0], "zh"))
                    for e in on_gold) / max(1, len(on_gold))
    checked = [(e, judged[(norm_key(e["zh"][0], "zh"), norm_en(e["en"]))]) for e in entries
               if (norm_key(e["zh"][0], "zh"), norm_en(e["en"])) in judged]
    plausible = sum(ok for _, ok in checked)
    # every proposal with a verdict: a gold zh is right iff its English is a gold form; others as judged
    gold_forms = {g[0]: g[1] for g in gold}
    verdicts = []
    for e in entries:
        zh, en = norm_key(e["zh"][0], "zh"), norm_en(e["en"])
        if zh in gold_forms:
            verdicts.append(en in gold_forms[zh])
        elif (zh, en) in judged:
            verdicts.append(judged[(zh, en)])
    unjudged = [(e["zh"][0], e["en"], e["score"]) for e in entries
                if norm_key(e["zh"][0], "zh") not in gold_forms and (norm_key(e["zh"][0], "zh"), norm_en(e["en"]))
                not in judged]
    return {
        "proposals": len(entries),
        "gold_pairs": len(gold),
        "recall_preferred": round(found_pref / max(1, len(gold)), 3),
        "recall_any_variant": round(found_any / max(1, len(gold)), 3),
        "precision_on_gold_zh": round(gold_prec, 3),
        "judged_proposals": len(checked),
        "unjudged_proposals": len(entries) - len(checked),
        "precision_judged": round(plausible / max(1, len(checked)), 3),
        "precision_all_verdicts": round(sum(verdicts) / max(1, len(verdicts)), 3),
        "verdicts": len(verdicts),
        "gold": rows,
        "unjudged": unjudged,
    }


def run_pipeline(seeds: Path, db: Path, min_score: float) -> tuple[list[dict], dict]:
    """glossary init + ingest + mine (+ export jsonl when that command exists)."""
    from click.testing import CliRunner

    from glossary.cli import app

    runner = CliRunner()
    url = ["--db", str(db)]
    timings = {}
    t = time.perf_counter()
    r = runner.invoke(app, url + ["init"])
    if r.exit_code:
        raise SystemExit(f"init failed: {r.output}")
    t0 = time.perf_counter()
    if "ingest" in app.commands:
        r = runner.invoke(app, url + ["ingest", str(seeds)])
        if r.exit_code:
            raise SystemExit(f"ingest failed: {r.output}")
    else:  # ingest command not there yet: same library path it will use
        from glossary.ingest import iter_input_files, read_aligned
        from glossary.store.service import GlossaryService

        svc = GlossaryService.open(f"sqlite:///{db}", user="eval")
        for p in iter_input_files([seeds]):
            svc.store_document(read_aligned(p))
        svc.close()
    timings["ingest_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    r = runner.invoke(app, url + ["mine", "--min-score", str(min_score)])
    if r.exit_code:
        raise SystemExit(f"mine failed: {r.output}")
    timings["mine_s"] = round(time.perf_counter() - t0, 2)
    entries: list[dict] = []
    if "export" in app.commands:
        out = db.with_suffix(".jsonl")
        r = runner.invoke(app, url + ["export", "--format", "jsonl", "-o", str(out), "--status", "all"])
        if r.exit_code == 0 and out.exists():
            entries = [entry_view(json.loads(x)) for x in out.read_text(encoding="utf-8").splitlines() if x]
            timings["via"] = "export jsonl"
    if not entries:
        from glossary.store.service import GlossaryService

        svc = GlossaryService.open(f"sqlite:///{db}", user="eval")
        entries = [entry_view(e) for e in svc.iter_entries()]
        svc.close()
        timings["via"] = "service.iter_entries"
    timings["total_s"] = round(time.perf_counter() - t, 2)
    return entries, timings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--judged", type=Path, default=DEFAULT_JUDGED)
    ap.add_argument("--min-score", type=float, default=None,
                    help="proposal threshold (default: the miner's DEFAULT_MIN_SCORE, as `glossary mine` uses)")
    ap.add_argument("--dump", type=Path, help="write proposals as TSV (zh, en, score) for hand-checking")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--heldout", type=Path, action="append",
                    help="held-out genre directory (corpus/, gold.tsv, judged.tsv) also evaluated, repeatable "
                         "(default: heldout/ and heldout2/); '' to skip")
    args = ap.parse_args(argv)
    if args.min_score is None:
        from glossary.mine.miner import DEFAULT_MIN_SCORE

        args.min_score = DEFAULT_MIN_SCORE
    report = _run(args.seeds, args.gold, args.judged, args.min_score)
    held = [HELDOUT, HELDOUT2] if args.heldout is None else [h for h in args.heldout if str(h) not in ("", ".")]
    for h in held:
        if (h / "corpus").is_dir():
            report[h.name] = _run(h / "corpus", h / "gold.tsv", h / "judged.tsv", args.min_score)
    if args.dump:
        with open(args.dump, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t", lineterminator="\n")
            for e in sorted(report["_entries"], key=lambda e: -(e["score"] or 0)):
                w.writerow([e["zh"][0], e["en"], e["score"]])
    report.pop("_entries")
    for h in held:
        report.get(h.name, {}).pop("_entries", None)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"min-score {args.min_score}")
    _print(report, "seeds (dev gold + judged_pairs.tsv)")
    for h in held:
        if h.name in report:
            _print(report[h.name], f"held-out genre ({h.name}: gold.tsv + judged.tsv)", misses_only=True)
    return 0


def _run(corpus: Path, gold: Path, judged: Path, min_score: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        entries, timings = run_pipeline(corpus, Path(tmp) / "eval.db", min_score)
    report = evaluate(entries, load_gold(gold), load_judged(judged))
    report["timings"] = timings
    report["_entries"] = entries
    return report


def _print(report: dict, title: str, misses_only: bool = False) -> None:
    print(f"== {title}")
    for row in report["gold"]:
        mark = "ok " if row["preferred_hit"] else ("var" if row["any_variant_hit"] else "MISS")
        if not (misses_only and row["preferred_hit"]):
            print(f"  {mark}  {row['zh']}\t→ {row['proposed']}")
    for k, v in report.items():
        if k not in ("gold", "unjudged", "_entries") and not k.startswith("heldout"):
            print(f"{k}: {v}")
    if report["unjudged"]:
        print(f"unjudged proposals ({len(report['unjudged'])}): " +
              "; ".join(f"{z} → {e} ({s})" for z, e, s in report["unjudged"]))


if __name__ == "__main__":
    sys.exit(main())
