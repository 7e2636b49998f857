"""mine(pairs) → Candidates: the DB-free term-mining pipeline (candidates, pairing, scoring, variants)."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import lru_cache
from typing import Callable, Iterable

from glossary.data import Candidate, Evidence, SegmentPair
from glossary.mine import en_candidates as enc
from glossary.mine import dictionary, pairing, scoring, transliteration, variants
from glossary.mine import zh_candidates as zhc
from glossary.mine.workers import EnTokens, early_facts, fallback_chunk, jobs, make_pool, pair_all, zh_segments
from glossary.text.normalize import norm_key, to_simplified

DEFAULT_MIN_SCORE = 0.55  # meets precision >= 0.85 on the seeds and the held-out news genre (make eval-mine)
MIN_TERMHOOD = 0.2
PARALLEL_THRESHOLD = 20_000  # segments; below, workers do not pay (spawned: ~4 CPU-s start-up each; forked: not re-measured)
MERGE_MIN_TERMHOOD = 0.3
MAX_VARIANT_EXTRA = 2  # characters a zh variant may add (重庆市, 西部陆海新通道); more is another term


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
    return " ".join(enc.token_key(t.text) for t in enc.tokenize(surface))


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
    pool = make_pool(workers, user_words, en_text) if workers > 1 else None
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
        results = fallback_chunk((work, df, taken), en_toks)
    else:
        step = -(-len(work) // (2 * pool._processes))
        chunks = [(work[i : i + step], df, taken) for i in range(0, len(work), step)]
        results = [got for part in pool.imap(fallback_chunk, chunks) for got in part]
    for z, got in zip(todo, results):
        if got:
            pr, best, local = got
            chosen[z] = (pr, best, [], local)
