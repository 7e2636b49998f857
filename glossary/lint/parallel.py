"""Lint a large English-only draft on several cores: chunks cut where no match can cross, forked workers.

Cut points are exact, not heuristic: a chunk ends right after a sentence mark (one of . , ; : ! ?) that no
English key of the glossary contains, followed by white space. No match can contain that character, so no match
crosses the cut and the automaton starts afresh after it: every chunk's matches are exactly the whole text's
matches there. The near-match search looks a few words around each anchor, so each process scans its chunk plus
a margin on both sides (longer than any near-match window could be: see `margin`), and reports only anchors
inside its own chunk. The parent lints the first group of chunks itself while one child per extra core, forked
after the glossary is compiled (automata shared copy-on-write, nothing re-loaded), lints each other group; a
child sends back its findings and only the matches the whole-document checks can use (acronyms,
inconsistency: see _whole_document), which the parent rebuilds in document order. Findings are identical to
the serial run's.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import re
import time

from glossary.lint.concepts import Match, is_acronym
from glossary.lint.matcher import Glossary
from glossary.lint.source import LintDocument, Region
from glossary.pool import usable_cores

_MARKS = ".,;:!?"
MIN_CHUNK_CHARS = 250_000  # below this a process costs more than it saves
_JOB: tuple | None = None  # (document, glossary, threshold, chunks), set before forking
last_run: dict = {}  # the latest run's chunk count and each chunk's CPU seconds (for benchmarks)


def idle_workers() -> int:
    """Processes worth running now: this one plus a child per core the others leave idle (the 1-minute load
    average, rounded). Measured on the shared 2-core machine, 100k terms, 5 MB: with a core idle the second
    process roughly halves the wall time; at a load of 3-4 it only costs 35% more CPU for a slower run."""
    n = usable_cores()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - not Unix
        return n
    return max(1, min(n, 1 + round(n - 1 - load)))


def cut_marks(g: Glossary) -> str:
    """Sentence marks that no English key contains (a cut right after one is exact)."""
    return g.cut_marks


def margin(g: Glossary) -> int:
    """Characters of context each side of a chunk: more than any near-match window (≤ 1.25 × key length
    once the length filter applies) plus the 16-character neighbourhood pre-filter."""
    return max(2_000, 2 * g.max_key_len + 64)


def cuts(text: str, marks: str, parts: int, min_chars: int) -> list[int]:
    """Offsets (after a cut mark) splitting text into up to `parts` chunks of at least min_chars."""
    if not marks or parts < 2 or len(text) < 2 * min_chars:
        return [0, len(text)]
    parts = min(parts, len(text) // min_chars)
    out = [0]
    for k in range(1, parts):
        at = _next_mark(text, marks, max(len(text) * k // parts, out[-1] + 1))
        if at is None or at >= len(text):
            break
        out.append(at)
    out.append(len(text))
    return out


@functools.lru_cache(maxsize=8)
def _mark_rx(marks: str) -> re.Pattern:
    """A cut mark followed by white space (so the next chunk starts on a word boundary, as in the whole)."""
    return re.compile("[" + re.escape(marks) + r"](?=\s)")


def _next_mark(text: str, marks: str, start: int) -> int | None:
    """The offset right after the first cut mark at or after `start` (None if there is none)."""
    m = _mark_rx(marks).search(text, start)
    return m.end() if m else None


def _prev_mark(text: str, marks: str, end: int) -> int:
    """The offset right after the last cut mark that ends at or before `end` (0 if none)."""
    rx = _mark_rx(marks)
    lo = max(0, end - 4096)
    while True:
        found = [m.end() for m in rx.finditer(text, lo, end + 1)]
        found = [x for x in found if x <= end]
        if found:
            return found[-1]
        if lo == 0:
            return 0
        lo = max(0, lo - 65536)


def plan(doc: LintDocument, g: Glossary, workers: int, min_chars: int = MIN_CHUNK_CHARS, per_worker: int = 2
         ) -> list[tuple[int, int, int, int]] | None:
    """(extended start, start, end, extended end) file offsets per chunk (up to workers × per_worker), or None
    to lint serially. Only English-only drafts of one region qualify (bilingual checks need aligned pairs)."""
    if workers < 2 or doc.kind != "en" or len(doc.regions) != 1 or not g.cut_marks \
            or "fork" not in multiprocessing.get_all_start_methods():
        return None  # (without fork every worker would have to unpickle the glossary: not worth it)
    r = doc.regions[0]
    text = r.text
    bounds = cuts(text, g.cut_marks, workers * per_worker, min_chars)
    if len(bounds) < 3:
        return None
    m = margin(g)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        a2 = _prev_mark(text, g.cut_marks, a - m) if a > m else 0
        b2 = len(text) if b + m >= len(text) else (_next_mark(text, g.cut_marks, b + m) or len(text))
        out.append((r.start + a2, r.start + a, r.start + b, r.start + b2))
    return out


def _work(k: int, compact: bool = True):
    """One chunk: status, spelling and near-match findings, plus its matches for the whole-document checks
    (compact: as plain tuples for the pipe, the surface left out as the parent slices it from the text)."""
    from glossary.lint.checks import check_near_misses, check_spelling, check_status

    c0 = time.process_time()
    doc, g, threshold, chunks = _JOB
    x0, a, b, x1 = chunks[k]
    f = doc.regions[0].file
    region = Region(f, x0, x1)
    sc = g.scan_en(region.text, x0, f, lean=True)
    hits = [m for m in sc.matches if a <= m.start < b]
    near = check_near_misses(g, [(region, sc)], threshold, keep=(a, b))
    status, spelling = check_status(hits), check_spelling(hits)
    if compact:
        memo: dict[int, bool] = {}
        hits = [(m.start, m.end, m.concept.index, _term_index(m), m.form, m.acronym) for m in hits
                if _whole_document(m.concept, memo)]
    return status, spelling, near, hits, time.process_time() - c0


def _whole_document(c, memo: dict[int, bool]) -> bool:
    """Whether the whole-document checks can use a match of this concept in an English-only draft:
    acronym-before-expansion only looks at concepts with an acronym, inconsistent-translation only at
    concepts with two or more admitted full forms (missing-term is for bilingual documents only). Other
    matches never reach a finding there, so workers leave them out of what they send."""
    out = memo.get(c.index)
    if out is None:
        full = set()
        out = False
        for t in c.terms("en"):
            if is_acronym(t):
                out = True
                break
            if t.status in ("preferred", "admitted") and t.term_type not in ("abbreviation", "shortForm"):
                full.add(t.text)
        out = memo[c.index] = out or len(full) >= 2
    return out


def _term_index(m: Match) -> int:
    return next(i for i, t in enumerate(m.concept.entry.terms) if t is m.term)


def _child(group: list[int], conn) -> None:
    """A forked worker: its chunks' results down the pipe (or the error, re-raised by the parent)."""
    try:
        c0 = time.process_time()
        parts = [_work(k) for k in group]
        conn.send(("ok", parts, time.process_time() - c0))
    except BaseException as exc:  # pragma: no cover - reported by the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}", 0.0))
    finally:
        conn.close()


def groups(n_chunks: int, procs: int) -> list[list[int]]:
    """Consecutive chunks per process, as even as the counts allow (the parent takes the first group)."""
    size, extra = divmod(n_chunks, procs)
    out, at = [], 0
    for p in range(procs):
        n = size + (1 if p < extra else 0)
        out.append(list(range(at, at + n)))
        at += n
    return out


def run(doc: LintDocument, g: Glossary, threshold: float, chunks: list[tuple[int, int, int, int]], workers: int):
    """(status, spelling, near-match findings, hits in document order): the parent lints the first group of
    chunks itself while workers-1 forked children lint the others (no pool: one fork per child, nothing
    pickled but the children's results, and the parent's own matches are used as they are)."""
    global _JOB
    _JOB = (doc, g, threshold, chunks)
    # the children's collections then never touch (and copy) the parent's pages. No gc.unfreeze() afterwards:
    # it would hand the glossary frozen by matcher.settle back to the collector as well
    gc.freeze()
    ctx = multiprocessing.get_context("fork")
    plan_ = groups(len(chunks), min(workers, len(chunks)))
    children = []
    try:
        for group in plan_[1:]:
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(group, send), daemon=True)
            proc.start()
            send.close()
            children.append((proc, recv))
        c0 = time.process_time()
        parts = [_work(k, compact=False) for k in plan_[0]]
        process_cpu = [time.process_time() - c0]
        errors = []
        for proc, recv in children:
            try:
                state, got, cpu = recv.recv()
            except EOFError:
                state, got, cpu = "error", "a worker exited without a result", 0.0
            recv.close()
            if state != "ok":
                errors.append(got)
            else:
                parts += got
                process_cpu.append(cpu)
    finally:
        _JOB = None
        for proc, recv in children:
            recv.close()  # (already closed unless the parent failed: then a child blocked sending gets EPIPE)
            proc.join()  # reaped: their CPU time shows in RUSAGE_CHILDREN
    if errors:
        raise RuntimeError("lint worker failed: " + "; ".join(errors))
    f = doc.regions[0].file
    text = f.text
    status, spelling, near, hits = [], [], [], []
    seen: set[tuple[int, int]] = set()
    last_run.clear()
    last_run.update(chunks=len(chunks), workers=len(plan_), chunk_cpu=[p[-1] for p in parts],
                    process_cpu=process_cpu, parent_chunks=len(plan_[0]))
    concepts = g.concepts
    for st, sp, nr, got, _ in parts:
        status += st
        spelling += sp
        for x in nr:  # a window straddling a cut can be found from both sides: keep the first, as serially
            if (x.start, x.end) not in seen:
                seen.add((x.start, x.end))
                near.append(x)
        if got and not isinstance(got[0], tuple):
            hits += got
            continue
        for start, end, ci, ti, form, acronym in got:
            c = concepts[ci]
            hits.append(Match(start, end, text[start:end], "en", c, c.entry.terms[ti], form, acronym, f))
    return status, spelling, near, hits
