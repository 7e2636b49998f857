"""Pipeline benchmark: ingest+clean+align pairs/s and ingest+align+mine end to end, at 10k/100k/1M generated pairs.

Every measurement runs in a fresh worker subprocess (`--worker STAGE`) so that peak RSS (resource.ru_maxrss,
children included) belongs to that stage alone; the parent takes the median of --runs runs.

Stages (a stage whose code or CLI command does not exist yet is skipped with a note, never estimated):
  align           glossary.ingest.read_aligned over generated mixed documents (read, detect, clean, split, align)
  align-baseline  same reading/cleaning, then a length-only Gale–Church DP written here (the baseline)
  ingest-tsv      glossary.ingest.read_aligned(stream=True) over zh<TAB>en bitext files (read, clean, score in
                  batches, as `glossary ingest` does)
  ingest-cli      `glossary init` + `glossary ingest <mixed dir>` only (process pool of $GLOSSARY_JOBS workers,
                  default the usable cores): wall-clock pairs/s with the database
  mine            glossary.mine.miner.mine over the TSV pairs (pairs loaded before the clock starts)
  e2e             align (glossary.pool.read_files: the pool `glossary ingest` uses) + mine, library entry points
                  (no database)
  cli             `glossary init`, `glossary ingest <mixed dir>`, `glossary mine` in subprocesses (with the database);
                  steps_cpu: each command's CPU with its workers, steps_parent_cpu: its own process alone

Usage: python benchmarks/bench_pipeline.py [--smoke | --quick | --full] [--sizes 10000,100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402
import generate  # noqa: E402

STAGES = ("align", "align-baseline", "ingest-tsv", "mine", "e2e", "cli", "ingest-cli")
ALIGN_GOAL = benchlib.goal(">=", 3000)  # pairs/s
MINE_SECONDS_GOAL = 60.0  # at 100k pairs, end to end, 2 cores
RSS_GOAL_MB = 2048.0
SEED = 1

# --------------------------------------------------------------------------- availability


def missing(stage: str) -> str | None:
    """Why `stage` cannot run yet (None when it can)."""
    need = {
        "align": ["glossary.ingest"], "align-baseline": ["glossary.ingest"], "ingest-tsv": ["glossary.ingest"],
        "mine": ["glossary.ingest", "glossary.mine.miner"], "e2e": ["glossary.ingest", "glossary.mine.miner"],
        "cli": ["glossary.commands.ingest", "glossary.commands.mine"],
        "ingest-cli": ["glossary.commands.ingest"],
    }[stage]
    import importlib.util

    for mod in need:
        try:
            if importlib.util.find_spec(mod) is None:
                return f"{mod} does not exist yet"
        except ModuleNotFoundError:
            return f"{mod} does not exist yet"
    return None


# --------------------------------------------------------------------------- the baseline aligner


def _gc_cost(lz: int, le: int, ratio: float) -> float:
    """Gale–Church: -log P(length delta) for one bead (chars), variance 6.8 per zh char scaled by the ratio."""
    if lz == 0 and le == 0:
        return 0.0
    mean = (lz + le / ratio) / 2
    delta = (le / ratio - lz) / math.sqrt(6.8 * max(mean, 1) / ratio)
    p = max(math.erfc(abs(delta) / math.sqrt(2)), 1e-12)
    return -math.log(p)


_GC_BEADS = {(1, 1): 0.0, (1, 0): 4.6, (0, 1): 4.6, (2, 1): 2.4, (1, 2): 2.4, (2, 2): 5.0}


def gale_church(zh: list[int], en: list[int]) -> list[tuple[list[int], list[int]]]:
    """Length-only alignment (sentence lengths in chars) → beads of unit indices."""
    ratio = (sum(en) / sum(zh)) if sum(zh) and sum(en) else 2.5
    n, m = len(zh), len(en)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, arg = inf, None
            for (a, b), prior in _GC_BEADS.items():
                if i >= a and j >= b and cost[i - a][j - b] < inf:
                    c = cost[i - a][j - b] + prior + _gc_cost(sum(zh[i - a:i]), sum(en[j - b:j]), ratio)
                    if c < best:
                        best, arg = c, (a, b)
            cost[i][j], back[i][j] = best, arg
    beads, i, j = [], n, m
    while i or j:
        a, b = back[i][j]
        beads.append((list(range(i - a, i)), list(range(j - b, j))))
        i, j = i - a, j - b
    return beads[::-1]


def baseline_align_file(path: Path) -> int:
    """Read and clean like ingest does, align by length only; returns the number of 1+/1+ beads."""
    from glossary.ingest import clean_document, units_of
    from glossary.read.detect import read_raw

    raw = read_raw(path)
    clean, cleaned = clean_document(raw)
    zh = [len(u.text) for u in units_of(clean.blocks, cleaned, "zh")]
    en = [len(u.text) for u in units_of(clean.blocks, cleaned, "en")]
    if not zh or not en:
        return 0
    return sum(1 for z, e in gale_church(zh, en) if z and e)


# --------------------------------------------------------------------------- workers (one stage, one process)


def _mixed_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "mixed").rglob("*.txt"))


def _tsv_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "tsv").glob("*.tsv"))


def _load_pairs(corpus: Path) -> list:
    from glossary.ingest import read_aligned

    out = []
    for f in _tsv_files(corpus):
        out.extend(read_aligned(f).pairs)
    return out


# `glossary` as its entry point runs it, plus a last line on stderr with the CPU time of the command's own
# process (its workers excluded): the database side of ingest/mine runs there, competing with the workers
PARENT_CPU_TAG = "bench-parent-cpu"
_CLI_WITH_PARENT_CPU = (
    "import atexit, resource, sys\n"
    "def _cpu():\n"
    "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
    f"    print('{PARENT_CPU_TAG}', round(u.ru_utime + u.ru_stime, 3), file=sys.stderr)\n"
    "atexit.register(_cpu)\n"
    "sys.argv[0] = 'glossary'\n"
    "from glossary.cli import main\n"
    "main()\n"
)


def _parent_cpu(stderr: str) -> float | None:
    for line in reversed(stderr.splitlines()):
        if line.startswith(PARENT_CPU_TAG):
            return float(line.split()[1])
    return None


def warm_up(stage: str) -> float:
    """Load dictionaries/models once on a tiny document so per-stage throughput is steady-state; returns seconds."""
    t0 = time.perf_counter()
    docs = generate.documents(12, seed=SEED + 1000)
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "warm.txt"
        f.write_text(generate.mixed_text(docs[0], generate.random.Random(0)), encoding="utf-8")
        t = Path(tmp) / "warm.tsv"
        t.write_text("".join(f"{z}\t{e}\n" for z, e in docs[0]), encoding="utf-8")
        if stage == "align-baseline":
            baseline_align_file(f)
        elif stage in ("align", "ingest-tsv", "mine"):
            from glossary.ingest import read_aligned

            pairs = read_aligned(f).pairs + read_aligned(t).pairs
            for seed_file in sorted(generate.SEEDS.glob("*.txt")):  # mojibake/Traditional code paths too
                try:
                    pairs += read_aligned(seed_file).pairs
                except Exception:  # noqa: BLE001 - warm-up only; the measured run reports real failures
                    pass
            if stage == "mine":
                from glossary.mine.miner import mine

                mine(pairs)
    return time.perf_counter() - t0


class Fingerprint:
    """sha256 over every aligned pair (texts, matching form, bead, score, lines, position): an optimisation that
    claims the same output must leave it unchanged. `cpu` = the CPU seconds spent hashing."""

    def __init__(self):
        self._h = hashlib.sha256()
        self.cpu = 0.0

    def add(self, pairs) -> None:
        t = time.process_time()
        for p in pairs:
            self._h.update(repr((p.document, p.position, p.zh, p.en, p.zh_norm, p.bead, round(p.score, 9),
                                 p.zh_line, p.en_line)).encode())
        self.cpu += time.process_time() - t

    def hexdigest(self) -> str:
        return self._h.hexdigest()[:16]


def worker(stage: str, corpus: Path, size: int) -> dict:
    """Run one stage once; returns seconds (stage clock), items, and extra facts.

    align / align-baseline / ingest-tsv / mine are measured warm (after `warm_up`, reported as warmup_s);
    e2e and cli are measured cold: the clock includes loading everything, as a user would see it.
    """
    out: dict = {"stage": stage, "size": size}
    out["warmup_s"] = warm_up(stage) if stage not in ("e2e", "cli", "ingest-cli") else 0.0
    tree = None
    if stage in ("mine", "e2e", "cli"):  # worker pools: also the summed memory of the process tree
        from bench_mine import TreeRss

        tree = TreeRss().__enter__()
    cpu0 = benchlib.cpu_seconds()
    hash_cpu = 0.0
    if stage in ("align", "e2e"):
        from glossary.ingest import read_aligned
        from glossary.pool import read_files

        files = _mixed_files(corpus)
        t0 = time.perf_counter()
        aligned = []
        if stage == "e2e":  # as `glossary ingest` reads them: a pool of $GLOSSARY_JOBS workers (default: cores)
            for doc in read_files(files):
                aligned.extend(doc.pairs)
                for b in doc.batches or ():
                    aligned.extend(b)
        else:  # the per-process align rate
            for f in files:
                aligned.extend(read_aligned(f).pairs)
        t_align = time.perf_counter() - t0
        out.update(seconds=t_align, items=len(aligned), files=len(files))
        if stage == "e2e":
            from glossary.mine.miner import mine

            t1 = time.perf_counter()
            cands = mine(aligned)
            out.update(seconds=time.perf_counter() - t0, align_seconds=t_align,
                       mine_seconds=time.perf_counter() - t1, candidates=len(cands))
    elif stage == "align-baseline":
        files = _mixed_files(corpus)
        t0 = time.perf_counter()
        n = sum(baseline_align_file(f) for f in files)
        out.update(seconds=time.perf_counter() - t0, items=n, files=len(files))
    elif stage == "ingest-tsv":
        from glossary.ingest import read_aligned

        t0 = time.perf_counter()
        n = 0
        fingerprint = Fingerprint()
        for f in _tsv_files(corpus):
            doc = read_aligned(f, stream=True)
            fingerprint.add(doc.pairs)
            n += len(doc.pairs)
            for b in doc.batches or ():
                fingerprint.add(b)  # its own CPU time is taken off the stage's below
                n += len(b)
        out.update(seconds=time.perf_counter() - t0, items=n)
        hash_cpu = fingerprint.cpu
    elif stage == "mine":
        from glossary.mine.miner import mine

        pairs = _load_pairs(corpus)
        t0 = time.perf_counter()
        cands = mine(pairs)
        out.update(seconds=time.perf_counter() - t0, items=len(pairs), candidates=len(cands))
    elif stage in ("cli", "ingest-cli"):
        work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
        try:
            db = work / "bench.db"
            cmd = [sys.executable, "-c", _CLI_WITH_PARENT_CPU, "--db", str(db)]
            t0 = time.perf_counter()
            steps, steps_cpu, parent_cpu = {}, {}, {}
            todo = (("init", ["init"]), ("ingest", ["ingest", str(corpus / "mixed")]), ("mine", ["mine"]))
            for name, args in todo[:2] if stage == "ingest-cli" else todo:
                t, c = time.perf_counter(), benchlib.cpu_seconds()
                p = subprocess.run(cmd + args, capture_output=True, text=True)
                if p.returncode != 0:
                    raise SystemExit(f"`glossary {' '.join(args)}` failed ({p.returncode}): "
                                     f"{(p.stderr or p.stdout).strip()[-400:]}")
                steps[name] = round(time.perf_counter() - t, 2)
                steps_cpu[name] = round(benchlib.cpu_seconds() - c, 2)  # the waited-for child's user+sys
                parent_cpu[name] = _parent_cpu(p.stderr)  # of that, the command's own process
            out.update(seconds=time.perf_counter() - t0, items=size, steps=steps, steps_cpu=steps_cpu,
                       steps_parent_cpu=parent_cpu, jobs=os.environ.get("GLOSSARY_JOBS", "auto"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    else:
        raise SystemExit(f"unknown stage {stage!r}")
    out["rss_mb"] = benchlib.peak_rss_mb()
    out["cpu_s"] = benchlib.cpu_seconds() - cpu0 - hash_cpu
    if stage in ("align", "e2e"):  # after the clock: identity of the output across code changes
        fp = Fingerprint()
        fp.add(aligned)
        out["fingerprint"] = fp.hexdigest()
    elif stage == "ingest-tsv":
        out["fingerprint"] = fingerprint.hexdigest()
    if tree is not None:
        tree.__exit__(None, None, None)
        out["tree_rss_mb"] = tree.peak_mb
        out["tree_pss_mb"] = tree.peak_pss_mb  # shared (forked) pages split between processes
    return out


def measure(stage: str, corpus: Path, size: int, runs: int, timeout: float) -> dict:
    """Median over `runs` fresh worker processes; also the process wall time (interpreter start included)."""
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.run([sys.executable, __file__, "--worker", stage, "--corpus", str(corpus),
                            "--sizes", str(size)], capture_output=True, text=True, timeout=timeout)
        wall = time.perf_counter() - t
        if p.returncode != 0:
            return {"error": (p.stderr or p.stdout).strip().splitlines()[-1][:300] if (p.stderr or p.stdout)
                    else f"exit {p.returncode}"}
        s = json.loads(p.stdout.strip().splitlines()[-1])
        s["wall"] = wall
        samples.append(s)
    med = sorted(samples, key=lambda s: s["seconds"])[len(samples) // 2]
    med["samples"] = [round(s["seconds"], 3) for s in samples]
    med["rss_mb"] = max(s["rss_mb"] for s in samples)
    med["cpu_samples"] = [round(s.get("cpu_s", 0.0), 2) for s in samples]
    if len({s.get("fingerprint") for s in samples}) > 1:
        return {"error": f"runs gave different output: {sorted({s.get('fingerprint') for s in samples})}"}
    if any("tree_rss_mb" in s for s in samples):
        med["tree_rss_mb"] = max(s.get("tree_rss_mb", 0.0) for s in samples)
        med["tree_pss_mb"] = max(s.get("tree_pss_mb", 0.0) for s in samples)
    return med


# --------------------------------------------------------------------------- result rows


def rows_for(stage: str, size: int, m: dict, base: dict | None) -> list[dict]:
    r = benchlib.run
    if "error" in m:
        return [r(size, f"{stage}", None, "", None, note=f"failed: {m['error']}")]
    common = {"samples_s": m["samples"], "runs": len(m["samples"]), "wall_s": round(m["wall"], 2),
              "warmup_s": round(m.get("warmup_s", 0.0), 2), "cpu_s": round(m.get("cpu_s", 0.0), 2)}
    rss = r(size, f"{stage} peak RSS", m["rss_mb"], "MB",
            benchlib.goal("<=", RSS_GOAL_MB) if stage in ("mine", "e2e", "cli") else None)
    if stage == "ingest-cli":
        cpu_rate = round(size / m["cpu_s"], 1) if m.get("cpu_s") else None
        return [r(size, f"{stage} throughput", round(size / m["seconds"], 1), "pairs/s", ALIGN_GOAL,
                  pairs_per_cpu_s=cpu_rate, jobs=m.get("jobs"), steps=m.get("steps"),
                  steps_parent_cpu=m.get("steps_parent_cpu"), **common), rss]
    if stage in ("align", "ingest-tsv", "align-baseline"):
        rate = size / m["seconds"]
        b = None
        if stage == "align" and base and "error" not in base:
            brate = size / base["seconds"]
            b = benchlib.baseline("length-only Gale–Church", round(brate, 1), round(rate / brate, 3))
        cpu_rate = round(size / m["cpu_s"], 1) if m.get("cpu_s") else None
        fp = {"fingerprint": m["fingerprint"]} if m.get("fingerprint") else {}
        if m.get("cpu_samples"):  # the machine is shared: the least CPU time of the runs is the steadiest figure
            fp["pairs_per_cpu_s_best"] = round(size / min(m["cpu_samples"]), 1) if min(m["cpu_samples"]) else None
            fp["cpu_samples"] = m["cpu_samples"]
        rows = [r(size, f"{stage} throughput", round(rate, 1), "pairs/s",
                  ALIGN_GOAL if stage != "align-baseline" else None, b, pairs_out=m["items"],
                  pairs_per_cpu_s=cpu_rate, **fp, **common)]
        return rows + [rss]
    goal = benchlib.goal("<=", MINE_SECONDS_GOAL) if size == 100_000 and stage in ("e2e", "cli") else None
    extra = {k: round(m[k], 2) if isinstance(m[k], float) else m[k]
             for k in ("align_seconds", "mine_seconds", "candidates", "steps", "steps_cpu", "steps_parent_cpu")
             if k in m}
    if m.get("tree_rss_mb"):
        rss["tree_rss_mb"] = m["tree_rss_mb"]  # main + workers summed (rss value: the largest single process)
        rss["tree_pss_mb"] = m.get("tree_pss_mb")  # the same with pages shared by forked workers counted once
    return [r(size, f"{stage} time", round(m["seconds"], 2), "s", goal, **extra, **common), rss]


def growth_rows(rows: list[dict]) -> list[dict]:
    """Time growth factor between consecutive sizes per stage (linear growth = the size factor)."""
    out = []
    by: dict[str, list[dict]] = {}
    for row in rows:
        if row["value"] is not None and row["unit"] in ("s", "pairs/s"):
            by.setdefault(row["metric"], []).append(row)
    for metric, rs in by.items():
        rs.sort(key=lambda x: x["size"])
        for a, b in zip(rs, rs[1:]):
            ta = a["size"] / a["value"] if a["unit"] == "pairs/s" else a["value"]
            tb = b["size"] / b["value"] if b["unit"] == "pairs/s" else b["value"]
            cpu = round(b["cpu_s"] / a["cpu_s"], 2) if a.get("cpu_s") and b.get("cpu_s") else None
            out.append(benchlib.run(b["size"], f"{metric.split()[0]} time growth {a['size']}→{b['size']}",
                                    round(tb / ta, 2), "x", None, size_factor=round(b["size"] / a["size"], 2),
                                    cpu_growth=cpu))
    return out


def merged(rows: list[dict], path: Path, sizes: list[int]) -> list[dict]:
    """Rows of this run plus the existing file's rows for sizes not measured now (growth rows are recomputed)."""
    try:
        old = json.loads(path.read_text(encoding="utf-8")).get("runs", [])
    except (OSError, json.JSONDecodeError):
        return rows
    keep = [r for r in old if r.get("size") not in sizes and " growth " not in str(r.get("metric"))]
    return sorted(keep + rows, key=lambda r: (r["size"], STAGE_ORDER.get(str(r["metric"]).split()[0], 99)))


STAGE_ORDER = {s: i for i, s in enumerate(STAGES)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--smoke", action="store_true", help="tiny corpus (120 pairs), one run, in-process: checks the script")
    g.add_argument("--quick", action="store_true", help="10k pairs only")
    g.add_argument("--full", action="store_true", help="10k, 100k and 1M pairs")
    ap.add_argument("--sizes", help="comma-separated pair counts (overrides the size flags)")
    ap.add_argument("--runs", type=int, help="runs per measurement (default 3 up to 10k pairs, 1 above)")
    ap.add_argument("--stages", help=f"comma-separated subset of {','.join(STAGES)} (default all; --smoke: all but cli)")
    ap.add_argument("--out", help="result file (default benchmarks/results/pipeline.json)")
    ap.add_argument("--cache", help="corpus cache directory (default benchmarks/.cache)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per worker run")
    ap.add_argument("--merge", action="store_true",
                    help="keep rows for other sizes from the existing result file (e.g. add 1M to a 10k/100k run)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a.worker:
        print(json.dumps(worker(a.worker, Path(a.corpus), int(a.sizes))))
        return 0

    if a.sizes:
        sizes = [int(s) for s in a.sizes.split(",")]
    elif a.smoke:
        sizes = [120]
    elif a.quick:
        sizes = [10_000]
    elif a.full:
        sizes = [10_000, 100_000, 1_000_000]
    else:
        sizes = [10_000, 100_000]
    stages = [s for s in (a.stages or ",".join(s for s in STAGES if not (a.smoke and s in ("cli", "ingest-cli"))))
              .split(",") if s]
    for s in stages:
        if s not in STAGES:
            ap.error(f"unknown stage {s!r}")
    cache = Path(a.cache) if a.cache else None
    if a.smoke and not a.cache:
        cache = Path(tempfile.mkdtemp(prefix="bench-smoke-"))

    rows: list[dict] = []
    notes: list[str] = []
    for s in stages:
        why = missing(s)
        if why:
            msg = f"{s}: skipped — {why}"
            notes.append(msg)
            print(msg, file=sys.stderr)
            rows.append(benchlib.run(sizes[0], s, None, "", None, note=f"skipped: {why}"))
    todo = [s for s in stages if not missing(s)]
    for size in sizes:
        runs = a.runs or (1 if a.smoke or size > 10_000 else 3)
        corpus = generate.cached_corpus(size, SEED, ("tsv", "mixed"), cache)
        results = {}
        for s in todo:
            print(f"[pipeline] {s} @ {size} pairs × {runs} run(s) ...", file=sys.stderr, flush=True)
            if a.smoke:  # in-process: checks the code paths without paying interpreter start-up per stage
                t = time.perf_counter()
                results[s] = dict(worker(s, corpus, size), wall=time.perf_counter() - t)
                results[s]["samples"] = [round(results[s]["seconds"], 3)]
            else:
                results[s] = measure(s, corpus, size, runs, a.timeout)
            print(f"[pipeline]   {json.dumps({k: v for k, v in results[s].items() if k != 'stage'})}",
                  file=sys.stderr, flush=True)
        for s in todo:
            rows.extend(rows_for(s, size, results[s], results.get("align-baseline")))
    if a.merge:
        rows = merged(rows, Path(a.out) if a.out else benchlib.RESULTS / "pipeline.json", sizes)
    rows.extend(growth_rows(rows))
    path = benchlib.write_results("pipeline", rows, a.out, notes=notes, seed=SEED,
                                  corpus={"generator": "benchmarks/generate.py", "version": generate.VERSION})
    print(f"wrote {path}", file=sys.stderr)
    if a.smoke and not a.cache:
        shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
