"""Score a paired zh–en candidate: termhood adjustments, name evidence and one calibrated logistic score 0–1."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from glossary.mine import dictionary, transliteration
from glossary.mine import zh_candidates as zhc

NAME_TERMHOOD = 0.7  # termhood floor of a zh string the English renders as a name (names need not recur)


def name_like(z: str, st: zhc.Termhood) -> bool:
    """Worth pairing even with low termhood: a name-tagged word, a dictionary proper name or a run that reads
    as a transliteration (its pairing must still find name evidence before it scores)."""
    if not (2 <= len(z) <= 8) or not all("\u3400" <= c <= "\u9fff" for c in z) or "fragment" in st.tags:
        return False
    if st.words == 1 and st.tags.keys() & (zhc.NAME_TAGS | {"oov"}):
        return True
    if dictionary.is_proper_name(z):
        return True
    return len(z) >= 3 and sum(c in transliteration.TRANSLIT_CHARS for c in z) >= 0.75 * len(z)


@dataclass(slots=True)
class Signals:
    """The evidence of one candidate, as the calibrated score sees it."""

    local: float  # dictionary/pinyin/transliteration coverage of the English span, mean over occurrences
    dice: float  # co-occurrence of zh term and English over segments
    joint: int  # segments with both
    acronym: bool  # the English has an acronym in the corpus
    termhood: float  # zh termhood after the adjustments below
    name: bool  # the English renders the zh as a name (pinyin, transliteration, dictionary proper name)
    generic: bool  # one lower-case English word (general vocabulary)
    freq: int
    partial: bool = False  # the English name runs on into a word the zh neighbour transliterates (向|琼花)
    cut: float = 0.0  # share of occurrences where a capitalised word follows the span (Élysée | Palace)
    lexical: bool = False  # the whole zh string is a dictionary word
    capitalised: bool = False  # the English is written as a proper name (Qinzhou Port Area, Smart China Expo)
    demonym: bool = False  # the English is the adjective of the zh place name (Israeli for 以色列)
    overrun: bool = False  # the English runs on into the translation of the next zh word (President Xi Jinping)

    def vector(self) -> list[float]:
        return [self.local, self.dice * self.joint / (self.joint + 1.0), self.termhood, float(self.acronym),
                float(self.name), float(self.generic), math.log2(1 + self.freq) / 4.0, self.cut,
                float(self.lexical), float(self.capitalised)]


def signals(z: str, st: zhc.Termhood, best_surface: str, surfaces, local: float, d: float, joint: int,
            acronym: bool, partial: bool = False, cut: float = 0.0, overrun: float = 0.0,
            left_cut: float = 0.0) -> Signals:
    """Termhood with the miner's corrections (names floored, generic phrases and mis-tagged names cut)."""
    th = 0.0 if "fragment" in st.tags else st.score()
    if overrun >= 0.5:
        th = min(th, 0.1)  # the English takes in the next word's translation: 'President Xi Jinping' for 国家主席
    lower = any(s[:1].islower() for s in surfaces)
    key = best_surface.lower()
    if st.freq == 1 and st.tags.keys() & zhc.PERSON_TAGS and transliteration.sound_similarity(z, key) < 0.5:
        th = min(th, 0.45 if st.lexical else 0.1)  # tagged as a person name, but not translated as one
    elif st.freq == 1 and st.words == 1 and st.tags.keys() & zhc.NAME_TAGS and lower:
        th = min(th, 0.45 if st.lexical else 0.1)  # a 'name' whose English is not a name: 新格局 new pattern
    if st.words >= 3 and st.freq <= 2 and lower:
        th *= 0.4  # a rare phrase of three or more words is a term when it is a name, rarely otherwise
    generic = " " not in best_surface.strip() and lower
    if generic:
        th *= 0.3  # one lower-case word ('foreign', 'deepening'): general vocabulary, rarely a term
    name = transliteration.name_evidence(z, best_surface, _dictionary_name(z, best_surface, local))
    dem = demonym(z, best_surface)
    if dem:
        name = False  # 以色列 ~ 'Israeli': the adjective, not the country's name
        th *= 0.3
    partial = partial and name  # only a name can be a piece of a longer name
    if partial:
        th = min(th, 0.1)  # a piece of a longer name (琼花 of 向琼花 Xiang Qionghua)
    elif name and local >= 0.6:
        th = max(th, NAME_TERMHOOD)
    lexical = z in dictionary.cedict()
    cap = title_form(best_surface)
    if st.nominal and not name:  # a one-off compound: a name only when the English says exactly it, as a name
        if cap and local >= 0.8 and cut == 0.0 and left_cut == 0.0 and one_off_name(z, best_surface):
            name = True
            th = max(th, NAME_TERMHOOD)
        else:
            th = min(th, 0.45 if st.lexical else 0.1)  # as any one-off phrase (a dictionary word keeps its floor)
    if st.freq == 1 and st.lexical and st.words >= 2 and not name and specialised_word(z, best_surface, local):
        th = max(th, SPECIALISED_TERMHOOD)
    return Signals(local, d, joint, acronym, th, name, generic, st.freq, partial, cut, lexical, cap, dem,
                   overrun >= 0.5)


SPECIALISED_TERMHOOD = 0.7  # as a name's floor: a one-off dictionary compound of specialised vocabulary


def specialised_word(z: str, en: str, local: float) -> bool:
    """A dictionary compound seen once is a term, not a free collocation, when it is specialised vocabulary: one
    of the words it is built of is rare in general Chinese (jieba's dictionary counts, zh_candidates.rarest_part:
    居民消费|价格指数, 存款|准备金率), where a collocation of everyday words is not (经济|发展 'economic
    development', 世界|和平 'world peace', 外国|媒体 'foreign media' are dictionary words too). Its English must
    be the exact lower-case phrase (two or more words, every word explained both ways), as for a name."""
    words = en.split()
    if local < 0.8 or len(words) < 2 or not all(w[:1].islower() for w in words):
        return False
    return zhc.rarest_part(z) <= zhc.GENERAL_RARE and dictionary.exact_cover(z, en)


def one_off_name(z: str, en: str) -> bool:
    """A compound seen once is lexicalised (a name, not a free phrase) when its English is a fixed title-case name
    that says exactly the zh, both ways (dictionary.exact_cover: 亚洲基础设施投资银行 'Asian Infrastructure
    Investment Bank', 世界互联网大会 'World Internet Conference'), and is not one of the compositional patterns a
    one-off phrase of names usually is:
    - a thing located in a place, 'X in Y' (越南胡志明市 'Ho Chi Minh City in Vietnam');
    - a place name + one common dictionary word (巴西总统 'Brazilian President', 老挝总理 'Lao Prime Minister',
      南宁国际 'Nanning International'): the place's X, a description rather than a name of its own;
    - fewer than one English content word per three zh characters: the English says less than the zh (two nouns
      juxtaposed, 总领事馆总领事 'consuls general of the consulates general' → 'Consulates General')."""
    words = en.split()
    content = [w for w in words if w.lower() not in dictionary.EN_STOPWORDS]
    if len(words) < 2 or "in" in words[1:-1] or len(z) > 3 * len(content):
        return False  # 'X in Y'; or an English that says less than the zh (总领事馆总领事 'Consulates General')
    if not dictionary.exact_cover(z, en):
        return False
    index = dictionary.cedict()
    for k in range(len(z) - 1, 1, -1):  # the longest proper-name head of the compound
        if dictionary.is_proper_name(z[:k]):
            return z[k:] not in index
    return True


def left_cut_share(en_places: list[tuple], en_text) -> float:
    """Share of the English occurrences of a span preceded directly by a capitalised word inside the sentence:
    the span starts inside a longer name (论坛年会 'Forum Annual Meeting' of 'World Economic Forum Annual
    Meeting')."""
    if not en_places:
        return 0.0
    n = 0
    for seg, _, _, start, _ in en_places:
        before = en_text[seg][:start].rstrip()
        prev = before.split()[-1:] or [""]
        if before and prev[0][:1].isupper() and not before.endswith((".", ":", ";", "!", "?", '"', "“")) \
                and len(before.split()) > 1:
            n += 1
    return n / len(en_places)


_TITLE_LINKS = frozenset({"of", "for", "the", "on", "in", "with", "to", "against", "and"})


def title_form(en: str, max_words: int = 8) -> bool:
    """`en` is written as a proper name, title case allowing inner function words ('Secretary of State',
    'Conference of the Parties', 'Development and Reform Commission'); the first and last word capitalised; not
    two names joined by 'and' ('Municipal Government and District Government': a word on both sides)."""
    words = en.split()
    if not words or not words[0][:1].isupper():
        return False
    if "and" in words[1:-1]:
        k = words.index("and")
        if set(words[:k]) & set(words[k + 1 :]):
            return False
    inner = [w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and w in _TITLE_LINKS)]
    return transliteration.name_form(" ".join(inner), max_words)


def _dictionary_name(z: str, en: str, local: float) -> bool:
    """The dictionary lists z only as a proper name and the English holds every word of one of its senses
    ('Foreign Affairs' is not all of 外交部 'Ministry of Foreign Affairs')."""
    if local < 0.8 or not dictionary.only_proper_name(z):
        return False
    return dictionary.matches_name_sense(z, en)


_DEMONYM_ENDS = (("i", 1), ("n", 1), ("ian", 3), ("ese", 3), ("ish", 3))


def demonym(z: str, en: str) -> bool:
    """`en` ends with the adjective of a name the dictionary gives for `z` (Israel-i, Cambodia-n, Egypt-ian)."""
    last = en.split()[-1] if en.split() else ""
    if not last[:1].isupper():
        return False
    low = last.lower()
    if low == "".join(transliteration.syllables(z)) or dictionary.fold_word(low) in dictionary.name_words(z):
        return False  # the pinyin itself (Guangxi) or the name as the dictionary spells it (Washington)
    stems = {s for i, j, ss in dictionary.pieces(z) if (i, j) == (0, len(z)) for s in ss}
    return any(low.endswith(suf) and len(low) - k >= 4 and dictionary.stem(low[:-k]) in stems
               and dictionary.stem(low[:-k]) == low[:-k][:6] for suf, k in _DEMONYM_ENDS)


def acronym_local(local: float, pr, keys: list[str], zh_places: list[tuple[int, int, int]], en_toks: list,
                  acronyms: list[str]) -> float:
    """Local coverage with the occurrences whose English uses the acronym the corpus introduced for the chosen
    translation ('Regional Comprehensive Economic Partnership (RCEP)' elsewhere, 'RCEP' here) counted as
    translated: the same translation in its short form."""
    if not acronyms:
        return local
    have = {seg for k in keys for seg, *_ in pr.places.get(k, ())}
    acr = set(acronyms)
    n = max(1, pr.n_occ)
    extra = sum(1 for si, _, _ in zh_places[:n] if si not in have and any(t.text in acr for t in en_toks[si]))
    return min(1.0, local + extra / n)


def names_follow(stats: dict, occ: dict) -> None:
    """A term always followed by the same word is usually a piece of a longer unit, but not when that word is
    a person's name (联合国秘书长|古特雷斯, 外交部发言人|毛宁): Chinese puts the title before the name. Such
    occurrences count as varied right contexts."""
    persons = [z for z, st in stats.items() if _person_like(z, st)]
    starts = {(si, a) for z in persons for si, a, _ in occ[z]}
    nominal = [z for z, st in stats.items() if st.nominal]
    if nominal:
        titled = starts | {(si, a) for z, st in stats.items() if st.words > 1 and _person_like(z, st, 3)
                           for si, a, _ in occ[z]}
        titled |= {(si, b) for z in persons for si, _, b in occ[z]}
        for z in nominal:
            if (occ[z][0][0], occ[z][0][2]) in titled:
                stats[z].nominal = False  # a one-off compound before or ending in a person's name: a title
                # (乌克兰总统|泽连斯基, 俄罗斯总统|普京): title and name are two entries
    for z, st in stats.items():
        if st.freq < 2 or len(st.right) >= 2 or "fragment" in st.tags:
            continue
        named = [i for i, (si, _, b) in enumerate(occ[z]) if (si, b) in starts]
        if len(named) >= st.freq / 2:
            st.right = Counter({f"<name{i}>": 1 for i in range(len(named))} | {"<other>": st.freq - len(named)})


def _person_like(z: str, st: zhc.Termhood, max_words: int = 1) -> bool:
    """A person name candidate: tagged so by jieba, or a transliteration run / dictionary person (added as nz);
    max_words > 1 admits a transliteration jieba cut into pieces (泽连|斯基)."""
    if not (2 <= len(z) <= 8) or st.words > max_words:
        return False
    return bool(st.tags.keys() & zhc.PERSON_TAGS) or bool(dictionary.surname_stems(z)) or \
        (len(z) >= 3 and sum(c in transliteration.TRANSLIT_CHARS for c in z) >= 0.75 * len(z))


def cut_share(en_places: list[tuple], en_text, zh_places: list[tuple[int, int, int]] = (), zh_text=None) -> float:
    """Share of the English occurrences of a capitalised span followed directly by a capitalised word: the span
    stops inside a name ('Élysée | Palace'); a lower-case term before a name ('inspector Zhang') is not cut, nor
    is a span whose next word translates or transliterates the zh text right after the term (国务卿|布林肯
    'Secretary of State | Blinken', 世界卫生组织|总干事 'World Health Organization | Director-General')."""
    if not en_places:
        return 0.0
    after = {}
    if zh_text is not None:
        for si, _, b in zh_places:
            after.setdefault(si, b)
    n = 0
    for seg, _, _, start, end in en_places:
        text = en_text[seg]
        rest = text[end:]
        last = text[start:end].split()[-1:] or [""]
        if last[0][:1].isupper() and rest[:1] == " " and rest[1:2].isupper():
            b = after.get(seg)
            nxt = [w for w in rest.split()[:3]]
            nxt = nxt[: next((i for i, w in enumerate(nxt) if not w[:1].isupper()), len(nxt))]
            if b is None or not any(_next_explained(zh_text(seg)[b : b + 4], w) for w in nxt):
                n += 1
    return n / len(en_places)


def overrun_share(en_places: list[tuple], en_text, zh_places: list[tuple[int, int, int]], zh_text) -> float:
    """Share of occurrences whose English span ends with a capitalised word that renders the zh text right after
    the term (国家主席|习近平 ~ 'President Xi Jinping'): the span ran on into the neighbour's translation."""
    if not en_places:
        return 0.0
    after = {}
    for si, _, b in zh_places:
        after.setdefault(si, b)
    n = 0
    for seg, _, _, start, end in en_places:
        words = en_text[seg][start:end].split()
        b = after.get(seg)
        if b is not None and len(words) >= 2 and words[-1][:1].isupper() \
                and _next_explained(zh_text(seg)[b : b + 4], words[-1]):
            n += 1
    return n / len(en_places)


def _next_explained(zh_next: str, word: str) -> bool:
    """The English word is the translation (dictionary) or the sound (pinyin, transliteration) of a word that
    starts the zh text `zh_next`: the zh neighbour of the term, so the English name boundary is the term's own."""
    letters = "".join(c for c in word.lower() if c.isalpha())
    if len(letters) >= 2 and zh_next and letters in transliteration.readings(zh_next[0]):
        return True  # a family name (毛|宁 ~ Mao Ning): the surname comes first
    for part in word.split("-"):
        w = "".join(c for c in part if c.isalpha())
        if len(w) < 2:
            continue
        st = dictionary.stem(w)
        for k in range(len(zh_next), 1, -1):
            head = zh_next[:k]
            if st in dictionary.cedict().get(head, ()) or st in dictionary.surname_stems(head) \
                    or transliteration.translit_similarity(head, w) >= 0.75 \
                    or transliteration.sound_similarity(head, w) >= 0.8:
                return True
    return False


def partial_name(zh_places: list[tuple[int, int, int]], en_places: list[tuple], zh_text, en_text) -> bool:
    """Some occurrence's English span is next to a capitalised word that the zh character next to the term
    reads as (zh 向[琼花] ~ en Xiang [Qionghua]): the term is part of a longer name. zh_text(si)/en_text[si]."""
    spans = {}
    for seg, _, _, start, end in en_places:
        spans.setdefault(seg, (start, end))
    for si, a, b in zh_places:
        got = spans.get(si)
        if got is None:
            continue
        zh, en = zh_text(si), en_text[si]
        before = en[: got[0]].split()[-1:] or [""]
        after = en[got[1] :].split()[:1] or [""]
        for ch, word in ((zh[a - 1] if a > 0 else "", before[0]), (zh[b] if b < len(zh) else "", after[0])):
            w = "".join(c for c in word.lower() if c.isalpha())
            if ch and word[:1].isupper() and w and w in transliteration.readings(ch):
                return True
    return False


# Logistic calibration: p = sigmoid(W · signals.vector() + B), fitted by glossary/evaluation/calibrate_mine.py
# on the hand-judged seed proposals and the held-out news corpus (see that script for the data and the fit).
# Fitted before the acronym-occurrence signal (acronym_local, acronym co-occurrence); a refit after it
# (W≈[1.04, 2.39, 2.21, 0.26, 2.32, -2.17, 1.03, -1.98, 1.34, 1.30], B≈-4.87) had the same reliability table but
# lower recall at every threshold that keeps precision ≥ 0.85 on both corpora, so these were kept.
# features: local, cooc, termhood, acronym, name, generic, log_freq, cut, lexical, capitalised (Signals.vector)
W = [0.765, 2.407, 1.951, -0.345, 2.337, -2.108, 0.952, -1.788, 1.277, 1.223]
B = -4.371
DEMONYM_FACTOR = 0.5
OVERRUN_FACTOR = 0.5
PARTIAL_FACTOR = 0.5


def score(sig: Signals) -> float:
    """Probability-like 0..1 score that the pair is a correct glossary entry."""
    if W is None:
        from glossary.mine.pairing import combine

        bonus = 0.3 if sig.name else 0.0
        return combine(sig.local, sig.dice, sig.joint, sig.acronym, sig.termhood, bonus)
    x = sum(w * v for w, v in zip(W, sig.vector())) + B
    p = 1.0 / (1.0 + math.exp(-x))
    if sig.demonym:  # a hand rule, too few judged cases to fit: 'Israeli' is not the name of 以色列
        p *= DEMONYM_FACTOR
    if sig.overrun:  # hand rule: the English holds another term's translation too, so it is not this term's
        p *= OVERRUN_FACTOR
    if sig.partial:  # hand rule: a piece of a longer name (亚东 of 何亚东 'He Yadong') is not an entry
        p *= PARTIAL_FACTOR
    return round(p, 4)
