"""mine(pairs) → Candidates: the DB-free term-mining pipeline (candidates, pairing, scoring, variants)."""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from functools import lru_cache
from multiprocessing import get_context
from typing import Callable, Iterable

from glossary.data import Candidate, Evidence, SegmentPair
from glossary.mine import en_candidates as enc
from glossary.mine import dictionary, pairing, scoring, transliteration, variants
from glossary.mine import zh_candidates as zhc
from glossary.pool import JOBS_ENV, usable_cores
from glossary.text.normalize import norm_key, to_simplified

DEFAULT_MIN_SCORE = 0.55  # meets precision >= 0.85 on the seeds and the held-out news genre (make eval-mine)
MAX_OCC_SCORED = 20  # occurrences per zh term scored span by span (the rest only count)
MIN_TERMHOOD = 0.2
PARALLEL_THRESHOLD = 20_000  # segments; below, workers do not pay (spawned: ~4 CPU-s start-up each; forked: not re-measured)
MERGE_MIN_TERMHOOD = 0.3
MAX_VARIANT_EXTRA = 2  # characters a zh variant may add (重庆市, 西部陆海新通道); more is another term


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


def _pool(workers: int, user_words: list[str], en_text: list[str]):
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


def _noting_crossings(segments, texts: list[str], crossing: dict):
    """Pass (words, tags) per segment through, noting the dictionary words jieba cut across (碳中|和) and joining
    two lone characters jieba's dictionary lists together as a name (中|越 → 中越 China-Vietnam: jieba knows the
    word but with so low a count that it cuts it apart). texts: the segments' texts, searched once up front so
    that only the few segments with a hit are looked at word by word."""
    pairs = zhc.country_pair_segments(texts)
    found = dictionary.word_matches(texts)
    for si, (words, tags) in enumerate(segments):
        if si in pairs:
            words, tags = zhc.join_split_names(words, tags)
        here = found.get(si)
        if here:
            for w, a, b in dictionary.crossing_words(words, here):
                crossing[w].append((si, a, b))
        yield words, tags


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
        lower.append(" " + " ".join([keys.get(t.text) or keys.setdefault(t.text, enc.en_key(t.text))
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


def _segment_docs(en_lower: list[str], keys: Iterable[str]) -> dict[str, set[int]]:
    """{en key: segment indices whose English contains it as whole words} (one Aho–Corasick pass)."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for k in keys:
        if k:
            auto.add_word(f" {k} ", k)
    out: dict[str, set[int]] = defaultdict(set)
    if not len(auto):
        return out
    auto.make_automaton()
    for i, text in enumerate(en_lower):
        for _, k in auto.iter(text):
            out[k].add(i)
    return out


@lru_cache(maxsize=200_000)
def _token_key(surface: str) -> str:
    """An English surface keyed word by word, exactly as the segment texts are for co-occurrence counting
    (en_key of the whole string folds "People's Government" differently from its tokens)."""
    return " ".join(enc.en_key(t.text) for t in enc.tokenize(surface))


def _kind(zh: str, st: zhc.Termhood, en: str) -> str:
    tag = st.tags.most_common(1)[0][0] if st.tags else ""
    if tag in ("nr", "nrfg", "nrt", "oov") and len(zh) <= 4 and en[:1].isupper():
        return "name"
    if tag == "ns":
        return "place"
    if tag in ("nt", "j"):
        return "org"
    return "term"


def mine(
    pairs: list[SegmentPair],
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
    user_words: Iterable[str] = (),
    skip: Iterable[str] = (),
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Candidate]:
    """Mine zh–en term candidates from aligned segment pairs, best first.

    user_words: zh terms already known (added to jieba so they are not split); skip: zh norm keys never to
    propose (e.g. rejected entries). Segment ids in occurrences are `pair.id` when set, else list indices.
    """
    def step(name: str, done: int, total: int) -> None:
        if progress:
            progress(name, done, total)

    n = len(pairs)
    if workers is None:
        workers = jobs() if n >= PARALLEL_THRESHOLD else 1
    seg_ids = [getattr(p, "id", None) if getattr(p, "id", None) is not None else i for i, p in enumerate(pairs)]
    zh_norm = [p.zh_norm or to_simplified(p.zh) for p in pairs]
    en_text = [p.en for p in pairs]
    user_words = list(user_words)
    zhc.add_user_words(user_words)
    pool = _pool(workers, user_words, en_text) if workers > 1 else None
    try:
        done = [0]

        def tick(k: int) -> None:
            done[0] += k
            step("tokenise", done[0], n)

        crossing: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # dictionary words jieba cut across
        segments = _noting_crossings(zh_segments(zh_norm, pool, tick), zh_norm, crossing)  # jieba queued first
        names = pool.apply_async(_name_sources, (zh_norm,)) if pool is not None else None
        facts = early_facts(n, pool) if pool is not None else None
        stats, occ = zhc.collect_words(segments)  # collects while the pool cuts, then finds names and facts
        step("tokenise", n, n)
        _add_name_candidates(zh_norm, stats, occ, names.get() if names is not None else None, crossing)
        scoring.names_follow(stats, occ)
        skip_keys = {norm_key(s, "zh") for s in skip}

        cedict = dictionary.cedict()
        for z, st in stats.items():
            if st.freq == 1:
                st.lexical = z in cedict
                if st.nominal and not (enc.has_title_run(en_text[occ[z][0][0]])
                                       and dictionary.covered_by_capitals(z, en_text[occ[z][0][0]])):
                    st.nominal = False  # a one-off compound scores only as a title-case name: none to pair with
        terms = [z for z, st in stats.items() if (st.score() >= MIN_TERMHOOD or scoring.name_like(z, st))
                 and norm_key(z, "zh") not in skip_keys]
        en_toks = EnTokens(en_text)  # this process tokenises only the few segments it still reads
        # pairing, and the corpus-wide English facts: acronyms in parentheses, acronyms seen, word keys
        chosen, en_lower, paren, seen_acr, df = pair_all(terms, occ, en_toks, pool,
                                                         lambda d, t: step("pair", d, t), facts)
        step("pair", len(terms), len(terms))
        _fallback_pairs(terms, chosen, stats, occ, en_toks, en_text, df, pool)
    finally:
        if pool is not None:  # every result is in (or the run failed): nothing for a worker to finish
            pool.terminate()
            pool.join()

    # co-occurrence of each zh term with its chosen English over all segments
    wanted = {_token_key(s) for pr, best, comp, _ in chosen.values() for k in [best, *comp]
              for s in pr.surfaces[k]}
    wanted |= {_token_key(a) for _, best, _, _ in chosen.values() for a in paren.get(best, ())}
    en_segs = _segment_docs(en_lower, wanted)
    del en_lower

    scored: list[tuple[float, str]] = []
    zh_of = zh_norm.__getitem__  # the simplified zh text of a segment
    for z, (pr, best, competing, local) in chosen.items():
        st = stats[z]
        zsegs = {si for si, _, _ in occ[z]}
        esegs = set().union(*(en_segs.get(_token_key(s), set()) for k in [best, *competing]
                              for s in pr.surfaces[k]),
                            *(en_segs.get(_token_key(a), set()) for a in paren.get(best, ())))  # its acronym
        joint = len(zsegs & esegs)
        d = pairing.dice(joint, len(zsegs), len(esegs))
        forms = [variants.preferred_surface(pr.surfaces[best])]
        acrs = variants.link_acronyms(forms, paren, Counter())
        acr = bool(acrs)
        local = scoring.acronym_local(local, pr, [best, *competing], occ[z], en_toks, acrs)
        partial = scoring.partial_name(occ[z], pr.places[best], zh_of, en_text)
        sig = scoring.signals(z, st, forms[0], pr.surfaces[best], local, d, joint, acr, partial,
                              scoring.cut_share(pr.places[best], en_text, occ[z], zh_of),
                              scoring.overrun_share(pr.places[best], en_text, occ[z], zh_of),
                              scoring.left_cut_share(pr.places[best], en_text) if st.nominal else 0.0)
        score = scoring.score(sig)
        pr.signals = sig
        chosen[z] = (pr, best, competing, local, d, joint, score)
        scored.append((score, z))
    scored.sort(key=lambda x: (-x[0], x[1]))

    accepted = _resolve_nesting([z for s, z in scored if s >= min_score], chosen, stats)
    cands = [_candidate(z, chosen[z], stats[z], occ[z], (), pairs, seg_ids, paren, seen_acr)
             for z in accepted]
    cands = _merge_same_translation(cands)
    dups = variants.near_duplicates([(c.zh, c.en) for c in cands])
    for i, js in dups.items():
        cands[i].near_duplicates = [cands[j].zh for j in js]
    cands.sort(key=lambda c: (-c.score, -c.frequency, c.zh))
    if limit is not None:
        cands = cands[:limit]
    return cands


def _resolve_nesting(zs: list[str], chosen: dict, stats: dict) -> list[str]:
    """Drop compositional candidates: b = a1+a2 whose English contains both parts' English, and b = a +
    productive suffix word (…建设) whose English contains a's English."""
    acc = set(zs)
    en = {z: chosen[z][1] for z in zs}
    named = {z for z in zs if getattr(getattr(chosen[z][0], "signals", None), "name", False)}
    out = []
    for b in zs:
        drop = _title_and_name(b, acc, named, en)
        lexical = b in dictionary.cedict()  # a dictionary word is one unit, not a composition (中国|人民银行)
        for k in range(1, len(b) * (not drop) * (not lexical)):
            a1, a2 = b[:k], b[k:]
            if a1 in acc and a2 in acc and not (_carries(en[b], en[a1]) and _carries(en[b], en[a2])):
                drop = True  # 副主任+王雯 → 'deputy director general': two terms, English for one of them
                break
            if a1 in acc and a2 in acc and variants.contains_key(en[b], en[a1]) and \
                    variants.contains_key(en[b], en[a2]):
                drop = True
                break
            if a1 in acc and a2 not in acc and (variants.contains_key(en[b], en[a1]) or en[b] == en[a1]) \
                    and stats.get(a1) and stats[a1].freq >= stats[b].freq \
                    and not (stats[b].freq >= 3 and stats[b].score() >= 0.9 and en[b] != en[a1]) \
                    and not (en[b] == en[a1] and _translates(en[b], a2)):  # 中美关系; 钦州港|片区 'Area' 
                st_a2 = stats.get(a2)
                if (st_a2 is None or st_a2.words == 1) and not (en[b] != en[a1] and _name_surface(chosen[b])):
                    drop = True
                    break
        if not drop:
            out.append(b)
    return out


def _translates(en_key: str, zh: str) -> bool:
    """Some word of the English key is a dictionary translation of `zh` (片区 ~ area)."""
    stems = {st for _, _, ss in dictionary.pieces(zh) for st in ss}
    return any(dictionary.stem(w) in stems for w in en_key.split() if w not in dictionary.EN_STOPWORDS)


def _name_surface(ch: tuple) -> bool:
    """The chosen English is written as a name ('Qinzhou Port Area', 'China Association of Automobile
    Manufacturers': title case, inner function words allowed): a longer name, not a compositional phrase."""
    pr, best = ch[0], ch[1]
    surf = pr.surfaces.get(best)
    return bool(surf) and scoring.title_form(max(surf, key=surf.get), 6)


def _title_and_name(b: str, acc: set, named: set, en: dict) -> bool:
    """b = title + a name that is a term of its own (国家主席|习近平, 外交部发言人|汪文斌|说) whose English holds the
    name's English: the title and the name are two entries, not one (Chinese puts the head, the name, last)."""
    for k in range(1, len(b) - 1):
        for a in (b[k:], b[k:-1]):
            if len(a) >= 2 and a in named and a in acc and a != b and variants.contains_key(en[b], en[a]):
                return True
    return False


def _carries(longer: str, shorter: str, share: float = 0.6) -> bool:
    """Most content words of the English key `shorter` occur in the English key `longer`."""
    words = [w for w in shorter.split() if w not in dictionary.EN_STOPWORDS]
    have = set(longer.split())
    return bool(words) and sum(w in have for w in words) >= share * len(words)


def _candidate(z, ch, st, places, zh_toks, pairs, seg_ids, paren, seen_acr) -> Candidate:
    pr, best, competing, local, d, joint, score = ch
    forms = [variants.preferred_surface(pr.surfaces[k]) for k in [best, *competing]]
    en_variants = []
    for k in [best, *competing]:
        for s, _ in pr.surfaces[k].most_common():
            if s not in en_variants and s != forms[0]:
                en_variants.append(s)
    acronyms = [a for a in variants.link_acronyms(forms, paren, seen_acr) if enc.en_key(a) != best]
    zh_variants: list[str] = []
    occurrences: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for si, a, b in places:
        orig = pairs[si].zh[a:b]
        occurrences[z].append((seg_ids[si], a, b))
        if orig != z and orig not in zh_variants:
            zh_variants.append(orig)
    en_occ: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for k in [best, *competing]:
        for si, _, _, s, e in pr.places[k]:
            en_occ[pairs[si].en[s:e]].append((seg_ids[si], s, e))
    ev = [Evidence("dict", round(local, 3), f"dictionary/pinyin coverage {local:.2f} over {pr.n_occ} segment(s)"),
          Evidence("cooc", round(d, 3), f"Dice {d:.2f}, {joint} of {st.freq} segment(s) with the English")]
    if acronyms:
        ev.append(Evidence("acronym", 0.3, ", ".join(acronyms)))
    if competing:
        ev.append(Evidence("variants", 0.0, "competing translations: " + " | ".join(forms)))
    c = Candidate(zh=z, en=forms[0], score=score, en_variants=en_variants, zh_variants=zh_variants,
                  acronyms=acronyms, kind=_kind(z, st, forms[0]), evidence=ev,
                  occurrences=dict(occurrences), frequency=st.freq)
    c.en_occurrences = dict(en_occ)
    c.signals = getattr(pr, "signals", None)  # the scored evidence (calibration fits on it)
    c.termhood = round(c.signals.termhood if c.signals else st.score(), 3)  # names floored, fragments cut
    return c


def _merge_same_translation(cands: list[Candidate]) -> list[Candidate]:
    """zh forms nested in one another with the same English become one entry: the longest form the English
    translates whole, unless the shorter one is mostly used on its own (重庆 over 重庆市)."""
    by_en: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        if (c.termhood or 0.0) >= MERGE_MIN_TERMHOOD or c.frequency > 1:
            by_en[enc.en_key(c.en)].append(c)
    out = []
    for group in by_en.values():
        group.sort(key=lambda c: (-len(c.zh), -c.score))
        kept: list[Candidate] = []
        for c in group:
            host = next((k for k in kept if c.zh in k.zh), None)
            if host is None:
                kept.append(c)
                continue
            if len(host.zh) - len(c.zh) > MAX_VARIANT_EXTRA:
                if c.frequency > 2 * host.frequency:  # the longer one's English is only the shorter's: drop it
                    kept[kept.index(host)] = c
                continue
            if c.frequency > 2 * host.frequency:  # the shorter form is the term; the longer a variant
                kept[kept.index(host)] = c
                host, c = c, host
            _absorb(host, c)
        out.extend(kept)
    return out


def _absorb(host: Candidate, c: Candidate) -> None:
    host.zh_variants.append(c.zh)
    host.zh_variants.extend(v for v in c.zh_variants if v not in host.zh_variants and v != host.zh)
    for t, occs in c.occurrences.items():
        host.occurrences.setdefault(t, []).extend(occs)
    host.score = max(host.score, c.score)


def _name_sources(zh_texts: list[str]) -> tuple[dict, dict]:
    """Transliteration runs and dictionary proper names in the texts (a pool task: it needs only the texts)."""
    return transliteration.name_runs(zh_texts), dictionary.proper_name_occurrences(zh_texts)


def _add_name_candidates(zh_texts: list[str], stats: dict, occ: dict, sources: tuple | None = None,
                         crossing: dict | None = None) -> None:
    """Names jieba cuts apart or tags as common words (托|卡耶夫, 基辅/n): transliteration runs and dictionary
    proper names become candidates too (pairing still needs evidence for them); so do the dictionary words jieba
    cut across (`crossing`, {word: [(segment, start, end)]}). sources: _name_sources(zh_texts) when already
    computed."""
    found, proper = sources if sources is not None else _name_sources(zh_texts)
    inside: dict[int, list[tuple[int, int]]] = defaultdict(list)  # segment → transliteration run spans
    for places in found.values():
        for si, a, b in places:
            inside[si].append((a, b))

    def fragment(places) -> bool:  # every occurrence strictly inside a longer run (林肯 of 布林肯)
        return all(any(a <= x and y <= b and (x, y) != (a, b) for a, b in inside.get(si, ())) for si, x, y in places)

    for z, places in proper.items():
        if not fragment(places):
            found.setdefault(z, places)
    for z, places in found.items():
        if z not in stats:
            stats[z] = zhc.Termhood(freq=len(places), tags=Counter({"nz": len(places)}))
            occ[z] = places
    for z, places in (crossing or {}).items():  # 碳中|和: dictionary words jieba cut across
        if z not in stats:
            stats[z] = st = zhc.Termhood(freq=len(places), tags=Counter({"lex": len(places)}), lexical=True)
            occ[z] = places
            for k, (si, a, b) in enumerate(places, 1):  # neighbouring characters as its contexts
                text = zh_texts[si]
                st.left[text[a - 1] if a > 0 and text[a - 1].isalnum() else zhc.edge_mark(k)] += 1
                st.right[text[b] if b < len(text) and text[b].isalnum() else zhc.edge_mark(k)] += 1
            st.entropy = min(zhc.entropy(st.left), zhc.entropy(st.right))
    for z, st in stats.items():
        if st.words <= 2 and len(z) <= 4 and scoring.name_like(z, st) and fragment(occ[z]):
            st.tags["fragment"] += 1  # a jieba piece of a transliterated name (莱恩 of 冯德莱恩)


def _fallback_chunk(work: tuple, en: EnTokens | None = None) -> list:
    """cooc_fallback for a list of (zh, occurrences) (a pool task: the worker's tokens, the shared facts)."""
    todo, df, taken = work
    en = en if en is not None else _WORKER["en"]
    return [pairing.cooc_fallback(z, places, en, en.texts, df, taken) for z, places in todo]


def _fallback_pairs(terms: list[str], chosen: dict, stats: dict, occ: dict, en_toks, en_text: list,
                    df: Counter, pool=None) -> None:
    """Co-occurrence-only pairing for recurring names nothing else explains (石破茂 ↔ Ishiba), in the pool when
    there is one. df: segments each capitalised word occurs in (pairing.name_doc_freq over the corpus)."""
    todo = [z for z in terms if z not in chosen and stats[z].freq >= 2 and scoring.name_like(z, stats[z])]
    if not todo:
        return
    taken = {w for pr, best, comp, _ in chosen.values() for w in best.split()}
    work = [(z, occ[z]) for z in todo]
    if pool is None:
        results = _fallback_chunk((work, df, taken), en_toks)
    else:
        step = -(-len(work) // (2 * pool._processes))
        chunks = [(work[i : i + step], df, taken) for i in range(0, len(work), step)]
        results = [got for part in pool.imap(_fallback_chunk, chunks) for got in part]
    for z, got in zip(todo, results):
        if got:
            pr, best, local = got
            chosen[z] = (pr, best, [], local)
