"""Pair zh candidates with English spans: dictionary/pinyin/latin coverage per aligned segment, co-occurrence
(Dice) across segments, combined into one 0–1 score."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from glossary.mine import dictionary, transliteration
from glossary.mine.en_candidates import MAX_SPAN, EnToken, acronym_matches, en_key, tokenize

_LATIN = re.compile(r"[A-Za-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
MIN_LOCAL = 0.45
FULL_COVER = 0.8
SHORT_TERM = 4  # characters
LONG_COVER = 0.55  # long terms: translators drop redundant words (成渝地区双城经济圈)
NEAR_BEST = 0.8


@dataclass(slots=True)
class ZhProfile:
    """What an English word can match inside one zh term: dictionary pieces and pinyin/Latin bitmasks."""

    text: str
    full: int  # mask of characters that need translating (Han and Latin)
    stems: dict[str, tuple[int, ...]]  # English stem → ids of dictionary pieces it translates
    piece_mask: list[int]
    piece_need: list[int]  # distinct matching words needed before a piece counts as covered
    pinyin: dict[str, int]  # joined pinyin of ≥2 characters
    pinyin1: dict[str, int]  # one-syllable pinyin (only matched by capitalised words)
    latin: dict[str, int]
    abbr: dict[str, int] = field(default_factory=dict)  # stems of words a character may abbreviate (names only)
    translit: tuple[tuple[int, str], ...] = ()  # (mask, run) of runs that read as transliterated foreign names
    translit_memo: dict[str, int] = field(default_factory=dict)  # capitalised word → matched mask


ABBR_MAX_CHARS = 5


def _mask(i: int, j: int) -> int:
    return ((1 << (j - i)) - 1) << i


WHOLE_WORD_MAX = 4


@lru_cache(maxsize=100_000)
def profile(zh: str, abbreviations: bool = True) -> ZhProfile:
    """abbreviations: also let capitalised words match words a character may abbreviate (智 ~ 智能 smart)."""
    full = 0
    for i, c in enumerate(zh):
        if _HAN.match(c) or c.isalnum():
            full |= 1 << i
    stems: dict[str, list[int]] = defaultdict(list)
    masks, need = [], []
    pcs = dictionary.pieces(zh)
    whole = [x for x in pcs if (x[0], x[1]) == (0, len(zh))]
    if whole and 2 <= len(zh) <= WHOLE_WORD_MAX:
        pcs = whole  # a short dictionary word means what the dictionary says, not what its characters say
    sur = dictionary.surname_stems(zh) if whole else frozenset()
    if sur:  # a person is named by the family name alone: one word covers the whole name
        pcs = pcs + [(0, len(zh), sur)]
    pcs = _with_heads(pcs)
    for pid, (i, j, ss) in enumerate(pcs):
        family = bool(sur) and ss is sur  # the family-name piece: one word covers it
        masks.append(_mask(i, j))
        need.append(1 if j - i < 2 or family else max(1, min(2, dictionary.sense_words(zh[i:j]))))
        if j - i >= 2 and not family:
            ss = ss | dictionary.name_initials(zh[i:j])  # 亚投行 ~ AIIB (Asian Infrastructure Investment Bank)
        for s in ss:
            stems[s].append(pid)
    py: dict[str, int] = defaultdict(int)
    py1: dict[str, int] = defaultdict(int)
    for s, spans in transliteration.pinyin_spans(zh).items():
        for i, j in spans:
            (py if j - i >= 2 else py1)[s] |= _mask(i, j)
    latin: dict[str, int] = {}
    for m in _LATIN.finditer(zh):
        latin[m.group().lower()] = _mask(m.start(), m.end())
    for key in numbered_acronyms(zh):
        latin.setdefault(key, full)
    abbr: dict[str, int] = defaultdict(int)
    if abbreviations and 2 <= len(zh) <= ABBR_MAX_CHARS and zh not in dictionary.cedict():
        covered = 0
        for m in masks:
            if bin(m).count("1") >= 2:
                covered |= m
        for i, c in enumerate(zh):
            if not covered >> i & 1:
                for st in dictionary.abbreviation_stems(c) | dictionary.name_abbreviation_stems(c):
                    abbr[st] |= 1 << i
    return ZhProfile(zh, full, {k: tuple(v) for k, v in stems.items()}, masks, need, dict(py), dict(py1), latin,
                     dict(abbr), _translit_runs(zh))


def _with_heads(pcs: list[tuple[int, int, frozenset[str]]]) -> list[tuple[int, int, frozenset[str]]]:
    """A two-character word also means what its head (second) character says, as dictionary.exact_cover reads it:
    电动|汽车 ~ 'electric vehicle' (汽车 is glossed car, automobile, bus; 车 vehicle)."""
    single = {i: ss for i, j, ss in pcs if j - i == 1}
    return [(i, j, ss | single[j - 1]) if j - i == 2 and j - 1 in single else (i, j, ss) for i, j, ss in pcs]


_ZH_UNITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMBERED = re.compile(r"^([一二两三四五六七八九十]{1,3}|[0-9]{1,3})(国|方)?([\u4e00-\u9fff]{2,4})$")


def _zh_number(s: str) -> int | None:
    """1..99 written in Chinese numerals (七, 二十, 二十四) or digits; None otherwise."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, units = s.partition("十")
        if len(tens) > 1 or len(units) > 1 or (tens and tens not in _ZH_UNITS) or (units and units not in _ZH_UNITS):
            return None
        return 10 * (_ZH_UNITS[tens] if tens else 1) + (_ZH_UNITS[units] if units else 0)
    return _ZH_UNITS.get(s) if len(s) == 1 else None


def numbered_acronyms(zh: str) -> tuple[str, ...]:
    """Lower-case acronyms of a numbered group name: number (+ 国 'nations' / 方 'parties') + a dictionary noun
    is written as the noun's initial and the number (二十国集团 'Group of Twenty' → g20, 七国集团 → g7,
    77国集团 → g77); the English word of the noun comes from the dictionary, never from a list of names."""
    m = _NUMBERED.match(zh)
    if not m:
        return ()
    n = _zh_number(m.group(1))
    noun = dictionary.cedict().get(m.group(3))
    if not n or not noun:
        return ()
    return tuple(sorted({f"{st[0]}{n}" for st in noun if st[:1].isalpha()}))


TRANSLIT_MIN = 0.75  # sound similarity from which a capitalised word counts as the transliterated name


def _translit_runs(zh: str) -> tuple[tuple[int, str], ...]:
    """The whole term and its maximal runs of transliteration characters (国务卿|布林肯), ≥ 2 characters."""
    runs: dict[tuple[int, int], None] = {}
    if 2 <= len(zh) <= 8 and _HAN.match(zh[0]):
        runs[(0, len(zh))] = None
    i = 0
    while i < len(zh):
        j = i
        while j < len(zh) and zh[j] in transliteration.TRANSLIT_CHARS:
            j += 1
        if j - i >= 2:
            runs[(i, j)] = None
        i = max(j, i + 1)
    return tuple((_mask(i, j), zh[i:j]) for i, j in runs)


def _translit_match(p: ZhProfile, part: str) -> int:
    """Mask of the zh run a capitalised word transliterates (布林肯 ← Blinken), 0 if none."""
    m = p.translit_memo.get(part)
    if m is None:
        m = 0
        if len(part) >= 3 and part.isalpha():
            for mask, run in p.translit:
                if transliteration.translit_similarity(run, part) >= TRANSLIT_MIN:
                    m |= mask
        p.translit_memo[part] = m
    return m


def token_masks(p: ZhProfile, tokens: list[EnToken]) -> list[tuple]:
    """Per token: (dictionary piece ids, pinyin/Latin mask, content parts, explained parts, an acronym naming the
    whole term, parts of an acronym the term does not explain — no content, see span_score)."""
    out = []
    for t in tokens:
        if t.stop:
            out.append(((), 0, 0, 0, False, 0))
            continue
        pids: list[int] = []  # one entry per matching part: Chengdu-Chongqing gives 成渝 both of its words
        tm, expl = 0, 0
        whole = False  # an acronym that names the whole term by itself
        for part, st in zip(t.parts, t.stems):
            ids = p.stems.get(st, ()) or p.stems.get(part, ())
            m = p.pinyin.get(part, 0) | p.latin.get(part, 0)
            if t.cap:
                m |= p.pinyin1.get(part, 0) | _abbr_match(p.abbr, st)
                if not m and not ids and p.translit and not t.acronym:
                    m = _translit_match(p, part)
            if m or ids:
                expl += 1
                tm |= m
                pids.extend(i for i in ids if i not in pids or len(t.parts) > 1)
                if t.acronym:  # an acronym stands for the whole dictionary word (WTO, APEC): no second gloss word
                    pids.extend(i for i in ids for _ in range(p.piece_need[i] - 1))
                    whole = any(p.piece_mask[i] & p.full == p.full for i in ids)
        # an acronym the term does not explain names something else: it fills no gap of the zh term
        content = len(t.parts) if not (t.acronym and not expl) else 0
        out.append((tuple(pids), tm, content, expl, whole, len(t.parts) - content))
    for k in range(len(tokens) - 1):  # a name the dictionary writes as one word, English as two (Viet Nam)
        t, u = tokens[k], tokens[k + 1]
        if t.cap and u.cap and not t.stop and not u.stop and not t.acronym and not u.acronym:
            joined = dictionary.stem(t.parts[-1] + u.parts[0])  # stems are clipped: 'Viet' must not fill it alone
            ids = p.stems.get(joined, ()) if 3 <= len(t.parts[-1]) < len(joined) and len(u.parts[0]) >= 3 else ()
            if ids:
                out[k], out[k + 1] = _explained_by(out[k], ids), _explained_by(out[k + 1], ids)
    return out


def _explained_by(mask: tuple, ids: tuple[int, ...]) -> tuple:
    """A token's token_masks entry with the dictionary pieces `ids` added and one more part explained."""
    pids, m, content, expl, whole, alien = mask
    return pids + tuple(i for i in ids if i not in pids), m, content, min(content, expl + 1), whole, alien


def _abbr_match(abbr: dict[str, int], st: str) -> int:
    """Mask of characters a capitalised word may stand for through an abbreviated dictionary word; clipped
    English words count too (Expo ~ exposition)."""
    if not abbr:
        return 0
    m = abbr.get(st)
    if m is None:
        m = 0
        if len(st) >= 4:
            for k, v in list(abbr.items()):
                if k.startswith(st):
                    m |= v
        abbr[st] = m  # memo: the profile is cached per term
    return m


def span_score(p: ZhProfile, masks, a: int, b: int, tokens: list[EnToken]) -> float:
    """Local translation score of tokens a..b for the zh term: geometric mean of how much of the zh term is
    covered and how much of the span is explained, with credit for unexplained words filling zh gaps.
    A dictionary word of 3+ characters needs two of its gloss words before it counts as covered."""
    cov = content = expl = alien = 0
    hits: dict[int, int] = {}
    need = p.piece_need
    acronym = False
    for k in range(a, b + 1):
        pids, m, c, e, w, x = masks[k]
        acronym |= w
        cov |= m
        content += c
        expl += e
        alien += x
        for pid in pids:
            n = hits.get(pid, 0) + 1
            hits[pid] = n
            if n == need[pid]:
                cov |= p.piece_mask[pid]
    if alien:  # an acronym fills a gap when its letters can spell the gap's dictionary words (FAO ~ 外办)
        back = _spelling_acronyms(p, cov, tokens, a, b)
        content, alien = content + back, alien - back
    if not cov or not content:
        return 0.0
    n = bin(p.full).count("1") or 1
    covered = bin(cov & p.full).count("1")
    u = n - covered
    filler = min(content - expl, math.ceil(u / 2))
    zc = (covered + 0.5 * min(u, 2 * filler)) / n
    ec = (expl + 0.5 * filler) / (content + alien)
    score = math.sqrt(zc * ec)
    full = FULL_COVER if n <= SHORT_TERM else LONG_COVER
    if zc < full:  # the English must carry the whole zh meaning ('countries' is not 两国)
        score *= (zc / full) ** 2
    if acronym and b > a:
        score *= 0.9  # 'APEC | Economic': the acronym alone is the term, more words only repeat it
    if _cuts_name(tokens, a, b):
        score *= 0.85
    if _inside_name(tokens, a, b):
        score *= 0.9
    return score


def _spelling_acronyms(p: ZhProfile, cov: int, tokens: list[EnToken], a: int, b: int) -> int:
    """Parts of the unexplained acronyms in tokens a..b whose every letter starts an English word of a dictionary
    piece the span leaves uncovered ('Chongqing FAO' for 重庆市政府外办: foreign affairs office)."""
    initials = {st[:1] for st, ids in p.stems.items() if any(not (p.piece_mask[i] & cov) for i in ids)}
    got = 0
    for t in tokens[a : b + 1]:
        if t.acronym and all(c in initials for c in t.text.lower() if c.isalpha()) and not _explained(p, t):
            got += len(t.parts)
    return got


def _explained(p: ZhProfile, t: EnToken) -> bool:
    return any(p.stems.get(st) or p.stems.get(part) for part, st in zip(t.parts, t.stems))


_NAME_LINKS = frozenset({"of", "for", "with", "on"})


def _inside_name(tokens: list[EnToken], a: int, b: int) -> bool:
    """A capitalised span that is the tail or head of a longer name joined by of/for/on ('Association for |
    Friendship with Foreign Countries', 'Chongqing Municipal People's Government' after '... Office of')."""
    def linked(k: int, step: int) -> bool:
        j = k + step
        w = tokens[j] if 0 <= j < len(tokens) else None
        n = tokens[j + step] if 0 <= j + step < len(tokens) else None
        if w is None or n is None or w.text.lower() not in _NAME_LINKS:
            return False
        later = w if step > 0 else tokens[k]
        return n.cap and not n.stop and not later.brk and not (n if step > 0 else w).brk

    return (tokens[a].cap and linked(a, -1)) or (tokens[b].cap and linked(b, 1))


def _cuts_name(tokens: list[EnToken], a: int, b: int) -> bool:
    """The span starts or ends inside a run of capitalised words ('... Municipal | People's Government')."""
    if b + 1 < len(tokens) and tokens[b].cap and tokens[b + 1].cap and not tokens[b + 1].brk \
            and not tokens[b + 1].stop:
        return True
    return a > 0 and tokens[a].cap and tokens[a - 1].cap and not tokens[a].brk and not tokens[a - 1].stop \
        and not tokens[a].acronym


def _name_word(tokens: list[EnToken], k: int) -> bool:
    """An unexplained word may only sit at a span's edge when it is part of a capitalised name."""
    return 0 <= k < len(tokens) and tokens[k].cap and not tokens[k].stop and not tokens[k].text[:1].isdigit()


def _lead_word(tokens: list[EnToken], k: int) -> bool:
    """An unexplained word may lead a span when it is part of a capitalised name and not a possessor
    ("Tesla's Shanghai Gigafactory" is Tesla's factory, not its name)."""
    return _name_word(tokens, k) and not tokens[k].text.endswith(dictionary.POSSESSIVE)


def local_spans(p: ZhProfile, tokens: list[EnToken], valid: set[tuple[int, int]] | int) -> list[tuple[float, int, int]]:
    """Scored English spans of one aligned segment for one zh term, best first (near-best only).
    valid: the segment's valid spans, as a set of (a, b) or as en_candidates.valid_span_bits."""
    bits = 0
    if isinstance(valid, int):  # a <= b below, and a >= 0 once the filler checks pass
        bits, valid = valid, None
    masks = token_masks(p, tokens)
    hits = [k for k, (ids, m, *_) in enumerate(masks) if m or ids]
    if not hits:
        return []
    seen: dict[tuple[int, int], float] = {}
    for x, k1 in enumerate(hits):
        for k2 in hits[x:]:
            if k2 - k1 >= 10:
                break
            for a in (k1, k1 - 1, k1 - 2):
                if a != k1 and (not all(_lead_word(tokens, k) for k in range(a, k1))
                                or _name_word(tokens, a - 1) and not tokens[a].brk):
                    continue  # filler words extend a name to its start, or not at all
                for b in (k2, k2 + 1, k2 + 2):
                    if b != k2 and (not all(_name_word(tokens, k) for k in range(k2 + 1, b + 1))
                                    or _name_word(tokens, b + 1) and not tokens[b + 1].brk):
                        continue  # 'Bangkok and Chiang': a name across 'and' is another name; 'Hong Kong
                        # Special' stops inside one
                    if ((a, b) in valid if valid is not None else
                            b - a < MAX_SPAN and bits >> (a * MAX_SPAN + b - a) & 1) and (a, b) not in seen:
                        seen[(a, b)] = span_score(p, masks, a, b, tokens)
    if not seen:
        return []
    best = max(seen.values())
    if best < MIN_LOCAL:
        return []
    floor = max(MIN_LOCAL, NEAR_BEST * best)
    return sorted(((s, a, b) for (a, b), s in seen.items() if s >= floor), reverse=True)


@dataclass
class Pairing:
    """Aggregated English evidence for one zh term over all its occurrences."""

    zh: str
    support: Counter = field(default_factory=Counter)  # en key → summed local score
    surfaces: dict = field(default_factory=lambda: defaultdict(Counter))  # en key → surface → count
    places: dict = field(default_factory=lambda: defaultdict(list))  # en key → [(seg, a, b, start, end)]
    best_local: dict = field(default_factory=dict)  # occurrence index → {key: local}
    n_occ: int = 0

    def add(self, occ_index: int, seg: int, text: str, tokens: list[EnToken], spans) -> None:
        per: dict[str, float] = {}
        for s, a, b in spans:
            end = tokens[b].end
            if text[end - 2 : end] in dictionary.POSSESSIVE:
                end -= 2  # possessive: 'Xi Jinping's' → 'Xi Jinping'
            surface = text[tokens[a].start : end]
            k = group_key(surface)
            if s > per.get(k, 0.0):
                per[k] = s
                self.places[k].append((seg, a, b, tokens[a].start, end))
                self.surfaces[k][surface] += 1
        for k, s in per.items():
            self.support[k] += s
        self.best_local[occ_index] = per

    def mean_local(self, k: str) -> float:
        return self.support[k] / max(1, len({s for s, *_ in self.places[k]}))

    def _expansion_first(self, best: str, competing: list[str]) -> tuple[str, list[str]]:
        """An acronym best supported only because it is written alone ('WHO' scores 1.0 where 'World Health
        Organization Director-General' cuts a name) yields to the full form it abbreviates: the full form is the
        preferred term, the acronym its variant."""
        if not competing or not _is_acronym_form(self, best):
            return best, competing
        acr = self.surfaces[best].most_common(1)[0][0]
        for k in competing:
            surface = self.surfaces[k].most_common(1)[0][0]
            if acronym_matches(acr, tokenize(surface)) and len(surface.split()) >= 2:
                return k, [best] + [c for c in competing if c != k]
        return best, competing

    def choose(self) -> tuple[str, list[str], float]:
        """(best key, competing translation keys, local score 0..1 averaged over occurrences)."""
        if not self.support:
            return "", [], 0.0
        best = max(self.support, key=lambda k: (self.support[k], len(k)))
        best_places = {(s, a, b) for s, a, b, _, _ in self.places[best]}
        competing = []
        for k, sup in self.support.most_common():
            if k == best or sup < 0.35 * self.support[best] or k in best or best in k:
                continue
            if sup / len({s for s, *_ in self.places[k]}) < 0.6:
                continue
            if any(s == s2 and not (b < a2 or b2 < a) for s, a, b, _, _ in self.places[k]
                   for s2, a2, b2 in best_places):
                continue  # overlaps the best span somewhere: a sub/super-span, not a competitor
            if not _own_evidence(self, k, best):
                continue
            nested = [c for c in competing if k in c or c in k]
            if nested:  # keep the better-supported span per occurrence (the longest that still fits)
                c = nested[0]
                gain = self.mean_local(k) - self.mean_local(c)
                if gain > 0.05 or (gain >= -0.05 and c in k):  # a tie: 'World Health Organization', not 'World Health'
                    competing[competing.index(c)] = k
                continue
            competing.append(k)
        best, competing = self._expansion_first(best, competing)
        group = [best] + competing
        tot = sum(max((per.get(k, 0.0) for k in group), default=0.0) for per in self.best_local.values())
        return best, competing, tot / max(1, self.n_occ)


COMPETE_LOCAL = 0.75


def _own_evidence(pr: "Pairing", k: str, best: str) -> bool:
    """A competing translation must be the best match in segments where the preferred one is absent, and be
    more than one lower-case word ('visited', 'City' alone are fragments, not translations)."""
    best_segs = {s for s, *_ in pr.places[best]}
    own = {s for s, *_ in pr.places[k]} - best_segs
    if not own:
        return False
    words = k.split()
    if len(words) < 2 and len(best.split()) >= 2 and not _is_acronym_form(pr, k):
        return False
    scores = [per[k] for per in pr.best_local.values() if k in per and max(per.values()) <= per[k] + 1e-9]
    return len(scores) >= 1 and sum(scores) / len(scores) >= COMPETE_LOCAL


def _is_acronym_form(pr: "Pairing", k: str) -> bool:
    return any(s.isupper() and len(s) >= 2 for s in pr.surfaces[k])


def extend(pr: "Pairing", best: str, tokens: list, texts: list[str], min_share: float = 0.6) -> str:
    """Prefer the longest well-supported span: when the preferred English is, in most of its occurrences, followed
    (or preceded) by the same word ('deputy director' + 'general'), the longer span is the translation."""
    surf = pr.surfaces.get(best)
    if surf and (transliteration.name_evidence(pr.zh, max(surf, key=surf.get)) or max(surf, key=surf.get).isupper()):
        return best  # a name read off the zh (Xi Jinping) or an acronym (BRICS): the next word is not part of it
    for _ in range(1):  # one word: a longer run is a phrase around the term, not the term
        places = pr.places[best]
        if len(places) < 3:
            return best
        grown: Counter = Counter()
        spans: dict[str, list] = defaultdict(list)
        for seg, a, b, _, _ in places:
            toks = tokens[seg]
            for na, nb in ((a, b + 1), (a - 1, b)):
                if na < 0 or nb >= len(toks):
                    continue
                edge = toks[nb] if nb > b else toks[na]
                inner = toks[nb] if nb > b else toks[a]
                near = toks[b] if nb > b else toks[a]
                if edge.stop or inner.brk or edge.acronym or edge.cap != near.cap:
                    continue  # casing must run on: 'Belt and Road' does not grow into 'high-quality ...
                surface = texts[seg][toks[na].start : toks[nb].end]
                k = group_key(surface)
                grown[k] += 1
                spans[k].append((seg, na, nb, toks[na].start, toks[nb].end, surface))
        if not grown:
            return best
        k, n = grown.most_common(1)[0]
        if n < 3 or n < min_share * max(len(places), pr.n_occ):
            return best
        for seg, na, nb, st, en, surface in spans[k]:
            pr.places[k].append((seg, na, nb, st, en))
            pr.surfaces[k][surface] += 1
        pr.support[k] = max(pr.support[k], pr.support[best])
        for per in pr.best_local.values():
            if best in per:
                per[k] = max(per.get(k, 0.0), per[best])
        best = k
    return best


def group_key(surface: str) -> str:
    """en_key with a plural last word folded to singular (inspectors ~ inspector)."""
    k = en_key(surface)
    if len(k) > 4 and k.endswith("s") and not k.endswith(("ss", "us", "is")):
        k = k[:-3] + "y" if k.endswith("ies") else k[:-1]
    return k


def dice(joint: int, nx: int, ny: int) -> float:
    return 2.0 * joint / (nx + ny) if nx + ny else 0.0


def combine(local: float, cooc: float, joint: int, acronym: bool, termhood: float, name_bonus: float = 0.0) -> float:
    """One 0..1 score from the evidence (noisy-OR of calibrated pieces, scaled by termhood)."""
    p_local = 0.92 * local ** 1.3
    p_cooc = 0.85 * cooc * joint / (joint + 1.0)
    p = 1.0 - (1.0 - p_local) * (1.0 - p_cooc) * (1.0 - (0.3 if acronym else 0.0)) * (1.0 - name_bonus)
    return round(max(0.0, min(1.0, p * (0.3 + 0.7 * termhood))), 4)


FALLBACK_MIN_DICE = 0.6


def name_doc_freq(en_toks: list[list[EnToken]]) -> Counter:
    """Segments each capitalised word occurs in (lower-cased), for the co-occurrence fallback."""
    df: Counter = Counter()
    for toks in en_toks:
        df.update({t.text.lower() for t in toks if t.cap and not t.stop and t.text[:1].isalpha()})
    return df


def cooc_fallback(z: str, places: list[tuple[int, int, int]], en_toks: list[list[EnToken]], en_text: list[str],
                  df: Counter, taken: set[str]) -> tuple["Pairing", str, float] | None:
    """A name with no dictionary, pinyin or sound evidence (石破茂 ↔ Ishiba): the capitalised word (or run of
    adjacent such words) that occurs in (nearly) every segment of the zh term and rarely elsewhere, by Dice.
    taken: lower-cased words already explained as other terms' English. Returns (pairing, key, local=0)."""
    segs = sorted({si for si, _, _ in places})
    if len(segs) < 2:
        return None
    joint: Counter = Counter()
    for si in segs:
        joint.update({t.text.lower() for t in en_toks[si] if t.cap and not t.stop and t.text[:1].isalpha()
                      and not t.acronym and t.text.lower() not in taken})
    if not joint:
        return None
    dice_of = {w: 2.0 * j / (len(segs) + df[w]) for w, j in joint.items() if j >= max(2, 0.8 * len(segs))}
    if not dice_of:
        return None
    top = max(dice_of.values())
    if top < FALLBACK_MIN_DICE:
        return None
    words = {w for w, v in dice_of.items() if v >= top - 1e-9}
    pr = Pairing(z)
    pr.n_occ = len(segs)
    key = ""
    for oi, si in enumerate(segs):
        toks = en_toks[si]
        idx = [k for k, t in enumerate(toks) if t.text.lower() in words]
        if not idx:
            continue
        a, b = idx[0], idx[0]
        while b + 1 < len(toks) and toks[b + 1].text.lower() in words and not toks[b + 1].brk:
            b += 1
        if any(k > b for k in idx):
            return None  # the top words are not one name: ambiguous
        pr.add(oi, si, en_text[si], toks, [(1e-6, a, b)])
    if not pr.support and not pr.places:
        return None
    key = max(pr.places, key=lambda k: (len(pr.places[k]), len(k)))
    pr.support[key] += 1e-6
    return pr, key, 0.0
