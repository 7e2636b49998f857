"""Worker processes for mining: how many, a forked (or spawned) pool, each process's English tokens, and the
units of work they run — jieba cutting, pairing blocks, English facts, the co-occurrence fallback."""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from multiprocessing import get_context
from typing import Callable

from glossary.mine import en_candidates as enc
from glossary.mine import dictionary, pairing
from glossary.mine import zh_candidates as zhc
from glossary.pool import JOBS_ENV, usable_cores

MAX_OCC_SCORED = 20  # occurrences per zh term scored span by span (the rest only count)
BLOCKS_PER_WORKER = 12  # pairing work units per worker (segment ranges): balance vs. token re-use
MIN_BLOCK = 1000  # segments
TOKEN_CACHE = 200_000  # segments whose English tokens one process keeps (cleared when full)
WORKER_TOKEN_CACHE = 40_000  # the same in each worker (two of them: memory, not re-tokenising, is what counts)


def jobs() -> int:
    """Worker processes for a large corpus: $GLOSSARY_JOBS, else the usable cores where workers can be forked
    (they inherit jieba, CC-CEDICT and the corpus: no start-up, pages shared), else 1 (serial).

    Forked, at 100k generated pairs, same code back to back (2 cores, load 2.5-3.7): serial 83.6 s wall,
    68.3 CPU-s; two workers 49.1 s wall, 29.5 + 42.3 CPU-s; process tree 1.8-2.0 GB PSS (summed RSS 2.2-2.7 GB
    counts the pages the workers share with the parent twice). Spawned workers (no fork) measured on an idle
    machine: serial 63 s wall, 64 CPU-s, 1.76 GB; two workers 56 s, 82 CPU-s, 2.48 GB, so without fork mining
    stays serial.
    """
    env = os.environ.get(JOBS_ENV, "").strip()
    if env.isdigit():
        return max(1, min(8, int(env)))
    if not _can_fork():
        return 1
    return max(1, min(8, usable_cores()))


def _can_fork() -> bool:
    """Fork is there (POSIX) and is the safe choice: Linux (macOS system libraries are not fork-safe)."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


class EnTokens:
    """English tokens (and valid spans) per segment, tokenised on first use; at most `cap` segments are kept."""

    def __init__(self, texts: list[str], cap: int = TOKEN_CACHE):
        self.texts = texts
        self.cap = cap
        self.toks: dict[int, list] = {}
        self.valid: dict[int, int] = {}  # valid spans as en_candidates.valid_span_bits

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, si: int) -> list:
        toks = self.toks.get(si)
        if toks is None:
            if len(self.toks) >= self.cap:
                self.toks.clear()
                self.valid.clear()
            toks = self.toks[si] = enc.tokenize(self.texts[si])
        return toks

    def spans(self, si: int) -> set:
        got = self.valid.get(si)
        if got is None:
            got = enc.valid_span_bits(self[si])
            self.valid[si] = got
        return got


_WORKER: dict = {}  # per worker process: the corpus's English (EnTokens)
_FORK: dict = {}  # set in the parent just before forking: what forked workers inherit instead of receiving


def _init_worker(user_words: list[str], en_text: list[str], parent: int) -> None:
    """Pool initializer (spawned process): jieba user words, the English texts; exit when the parent dies."""
    import threading

    zhc.add_user_words(user_words)
    _WORKER["en"] = EnTokens(en_text, WORKER_TOKEN_CACHE)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _init_forked(parent: int) -> None:
    """Pool initializer (forked process): jieba with the user words, CC-CEDICT and the English texts are
    inherited from the parent; exit when the parent dies."""
    import threading

    _WORKER["en"] = EnTokens(_FORK.pop("en_text"), WORKER_TOKEN_CACHE)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A killed `glossary mine` (SIGKILL) or test worker must not leave mining workers behind."""
    import time

    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def make_pool(workers: int, user_words: list[str], en_text: list[str]):
    """A pool of forked workers (Linux) that inherit the loaded jieba and CC-CEDICT, else freshly spawned ones.

    Forked workers run pure-Python mining only (no I/O, no locks another thread of the parent may hold) and are
    terminated, not flushed, at the end; the parent's objects are frozen out of the collector first so the
    workers' collections do not write to (and copy) every shared page.
    The workers need nothing from the caller's __main__, so it is hidden while spawned ones start: spawn would
    otherwise re-run the calling script in each worker (and fail in one without a __main__ guard)."""
    if _can_fork():
        import gc

        _warm()
        _FORK["en_text"] = en_text
        gc.freeze()
        try:
            return get_context("fork").Pool(workers, _init_forked, (os.getpid(),))
        finally:
            gc.unfreeze()
            _FORK.clear()
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main is not None and k in main.__dict__}
    try:
        for k in saved:
            setattr(main, k, None) if k == "__spec__" else delattr(main, k)
        return get_context("spawn").Pool(workers, _init_worker, (user_words, en_text, os.getpid()))
    finally:
        for k, v in saved.items():
            setattr(main, k, v)


def _warm() -> None:
    """Load what every worker needs (jieba, CC-CEDICT and its derived tables) once, before forking."""
    zhc.cut_words("中国")
    dictionary.cedict()
    dictionary.pieces("中国")


def _cut_chunk(chunk: list[str]) -> list[list[str]]:
    return [zhc.cut_words(z) for z in chunk]


def zh_segments(zh: list[str], pool, tick: Callable[[int], None] | None = None):
    """(words, POS tags) per segment, streamed in order: jieba runs in the pool (when there is one, the chunks
    queued at once, ahead of later pool work) while the caller consumes; tags are looked up here, once per
    distinct word."""
    step = 1000
    chunks = [zh[i : i + step] for i in range(0, len(zh), step)]
    cut = pool.imap(_cut_chunk, chunks) if pool is not None else map(_cut_chunk, chunks)
    tag = zhc.word_tag

    def stream():
        for got in cut:
            for ws in got:
                yield ws, [tag(w)[0] for w in ws]
            if tick:
                tick(len(got))

    return stream()


def _pair_one(z: str, n_places: int, segs: tuple[int, ...], en: EnTokens):
    """Pair one zh term: its first MAX_OCC_SCORED occurrence segments `segs` of `n_places` in all."""
    prof = pairing.profile(z, n_places >= 2)  # an abbreviation reading needs repeated evidence
    pr = pairing.Pairing(z)
    pr.n_occ = min(n_places, MAX_OCC_SCORED)
    texts = en.texts
    for oi, si in enumerate(segs):
        toks = en[si]
        spans = pairing.local_spans(prof, toks, en.spans(si))
        if spans:
            pr.add(oi, si, texts[si], toks, spans)
    best, competing, local = pr.choose()
    if not best:
        return None
    best = pairing.extend(pr, best, en, texts)
    competing = [k for k in competing if k not in best]
    pr.surfaces = {k: pr.surfaces[k] for k in [best, *competing]}
    pr.places = {k: pr.places[k] for k in [best, *competing]}
    pr.support = Counter()
    pr.best_local = {}
    return pr, best, competing, local


def _segment_facts(en: EnTokens, lo: int, hi: int) -> tuple:
    """Corpus-wide English facts of segments lo..hi-1: whole-word key texts (for co-occurrence counting),
    parenthesised acronyms [(expansion key, acronym)], acronym counts, capitalised-word segment counts."""
    keys: dict[str, str] = {}
    lower: list[str] = []
    paren: list[tuple[str, str]] = []
    seen_acr: Counter = Counter()
    df: Counter = Counter()
    for si in range(lo, hi):
        toks = en[si]
        text = en.texts[si]
        if "(" in text:  # the only place an acronym is introduced
            paren.extend((enc.en_key(exp), acr) for exp, acr in enc.parenthesised_acronyms(text, toks))
        for t in toks:
            if t.acronym:
                seen_acr[t.text] += 1
        lower.append(" " + " ".join([keys.get(t.text) or keys.setdefault(t.text, enc.token_key(t.text))
                                     for t in toks]) + " ")
        df.update({t.text.lower() for t in toks if t.cap and not t.stop and t.text[:1].isalpha()})
    return lower, paren, seen_acr, df


def _pair_block(block: tuple, en: EnTokens | None = None) -> tuple[list, tuple | None]:
    """One unit of pairing work: the terms first seen in segments lo..hi-1, and (unless already collected)
    those segments' English facts (each segment belongs to exactly one block)."""
    terms, lo, hi, facts = block
    en = en if en is not None else _WORKER["en"]
    out = []
    for z, n_places, segs in terms:
        got = _pair_one(z, n_places, segs, en)
        if got:
            out.append((z, got))
    return out, _segment_facts(en, lo, hi) if facts else None


FACT_BLOCK = 5000  # segments per English-facts task collected while the parent counts n-grams


def _facts_range(rng: tuple[int, int]) -> tuple:
    """_segment_facts of segments lo..hi-1 in a worker (queued behind the jieba chunks: the workers are idle
    while the parent collects n-grams, and the facts need no zh term)."""
    return _segment_facts(_WORKER["en"], *rng)


def early_facts(n: int, pool):
    """English facts of every segment, in segment order, computed in the pool ahead of pairing."""
    return pool.imap(_facts_range, [(lo, min(n, lo + FACT_BLOCK)) for lo in range(0, n, FACT_BLOCK)])


def pair_all(terms: list[str], occ: dict, en: EnTokens, pool, tick: Callable[[int, int], None],
             facts=None) -> tuple:
    """Pair every zh term with its English and collect the English facts of every segment, in segment-range
    blocks (in the pool when there is one). facts: the facts already collected (early_facts), in segment order.
    Returns (chosen {zh: pairing}, en_lower, paren, seen_acr, df)."""
    n = len(en)
    parts = (pool._processes if pool is not None else 1) * BLOCKS_PER_WORKER
    size = max(MIN_BLOCK, -(-n // parts))
    blocks: list[tuple[list, int, int, bool]] = [([], lo, min(n, lo + size), facts is None)
                                                 for lo in range(0, max(n, 1), size)]
    for z in terms:
        places = occ[z]
        blocks[min(len(blocks) - 1, places[0][0] // size)][0].append(
            (z, len(places), tuple(si for si, _, _ in places[:MAX_OCC_SCORED])))
    got: dict[str, tuple] = {}
    en_lower: list[str] = []
    paren: dict[str, set[str]] = defaultdict(set)
    seen_acr: Counter = Counter()
    df: Counter = Counter()
    done = 0
    def merge(lower, par, acr, d) -> None:
        en_lower.extend(lower)
        for k, a in par:
            paren[k].add(a)
        seen_acr.update(acr)
        df.update(d)

    results = pool.imap(_pair_block, blocks) if pool is not None else (_pair_block(b, en) for b in blocks)
    for block, (pairs, fact) in zip(blocks, results):
        got.update(pairs)
        if fact is not None:
            merge(*fact)
        done += len(block[0])
        tick(done, len(terms))
    for fact in facts or ():
        merge(*fact)
    chosen = {z: got[z] for z in terms if z in got}
    return chosen, en_lower, paren, seen_acr, df


def fallback_chunk(work: tuple, en: EnTokens | None = None) -> list:
    """cooc_fallback for a list of (zh, occurrences) (a pool task: the worker's tokens, the shared facts)."""
    todo, df, taken = work
    en = en if en is not None else _WORKER["en"]
    return [pairing.cooc_fallback(z, places, en, en.texts, df, taken) for z, places in todo]
