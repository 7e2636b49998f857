"""Chinese candidates: jieba words + tags, multi-word assembly, termhood (frequency, nesting, boundary variety)."""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

NAME_TAGS = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg"})
PERSON_TAGS = frozenset({"nr", "nrfg", "nrt"})  # a compound ending in a person's name is title + name, two entries
# Tags a term may not end with / start with (jieba/ICTCLAS tag set).
_BAD_END_TAGS = frozenset({"u", "uj", "ul", "ug", "uv", "uz", "ud", "p", "c", "d", "r", "q", "x", "y", "e", "o",
                           "ad", "zg", "rr", "rz", "ry", "k"})
_BAD_START_TAGS = frozenset({"v", "vd", "u", "uj", "ul", "ug", "uv", "uz", "ud", "p", "c", "d", "r", "y", "e", "o", "q",
                             "x", "zg", "rr", "rz", "ry", "k", "ad"})
ZH_STOPWORDS = frozenset(
    """的 了 和 与 及 以及 或 在 对 为 等 是 将 也 都 并 而 从 以 把 被 由 于 向 到 上 下 中 之 其 各 该 这 那 此
    我 我们 你 他 她 它 他们 有 要 就 还 又 着 过 所 者 个 位 些 更 最 很 不 没 已 已经 正在 进一步 一行 方面 相关 有关
    期间 以来 今年 同时 通过 进行 开展 推动 推进 加强 持续 积极 深入 充分 一系列 多 新 大 全 各类 一 两 三 作为 如何
    表示 认为 指出 强调 希望 主要 重要 共同 继续 不断 全面 实现 提升 促进 助力 发挥 支持 参加 出席 举行 举办""".split()
)
_HAN = re.compile(r"[\u3400-\u9fff]")
_PUNCT = re.compile(r"^[\s\W_]+$")
MAX_WORDS = 6
MAX_CHARS = 14


@dataclass(slots=True)
class ZhToken:
    word: str
    tag: str
    start: int
    oov: bool = False


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba, jieba.posseg.dt.word_tag_tab


_RE_HAN = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")  # jieba's block pattern (re_han_default)
_CACHE_MAX = 400_000
_BLOCKS: dict[str, tuple[str, ...]] = {}  # jieba block → its words (jieba cuts each block independently)
_TAGS: dict[str, tuple[str, bool]] = {}  # word → (tag, oov)


def add_user_words(words, tag: str = "nz", freq: int | None = None) -> int:
    """Add recognised terms to jieba's user dictionary (this process) so they are not split again."""
    jieba, tags = _jieba()
    n = 0
    for w in words:
        if len(w) >= 2 and _HAN.search(w) and w not in tags:
            jieba.add_word(w, freq=freq, tag=tag)
            tags[w] = tag
            n += 1
    if n:  # the dictionary (and its total frequency) changed: cached cuts and tags are stale
        _BLOCKS.clear()
        _TAGS.clear()
    return n


# jieba's dictionary counts words in a general corpus of ~60M words; below ~1,000 (≈ 17 per million) a word is
# specialised vocabulary (准备金率 18, 价格指数 3, 储能 8) rather than everyday language (经济 48,718, 和平 7,998).
GENERAL_RARE = 1000


@lru_cache(maxsize=50_000)
def rarest_part(zh: str) -> int:
    """General-language count of the rarest word in the most probable split of `zh` into two or more words of
    jieba's dictionary (jieba's own unigram model, the whole string excluded); a large number when there is no
    such split (no evidence of rarity)."""
    jieba, _ = _jieba()
    freq = jieba.dt.FREQ
    logt = math.log(jieba.dt.total)
    n = len(zh)
    best: list[tuple[float, int] | None] = [None] * (n + 1)  # (log probability, rarest count) reaching i
    best[0] = (0.0, 1 << 30)
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, n + 1):
            if j - i == n:
                continue
            f = freq.get(zh[i:j])
            if not f:
                continue
            got = (best[i][0] + math.log(f) - logt, min(best[i][1], f))
            if best[j] is None or got[0] > best[j][0]:
                best[j] = got
    return best[n][1] if best[n] is not None else 1 << 30


def cut_words(zh: str) -> list[str]:
    """jieba.cut(zh, HMM=True), each block (run of Han/alphanumerics, or the text between) cut once and cached:
    jieba splits a sentence into such blocks and cuts each on its own, so the words are the same."""
    cache = _BLOCKS
    out: list[str] = []
    for blk in _RE_HAN.split(zh):
        if not blk:
            continue
        ws = cache.get(blk)
        if ws is None:
            if len(cache) >= _CACHE_MAX:
                cache.clear()
            jieba, _ = _jieba()
            ws = cache[blk] = tuple(jieba.cut(blk, HMM=True))
        out.extend(ws)
    return out


def word_tag(w: str) -> tuple[str, bool]:
    """(POS tag, OOV flag) of a jieba word: its dictionary tag, else x (punctuation), m, eng or oov (HMM-found)."""
    got = _TAGS.get(w)
    if got is None:
        _, tags = _jieba()
        tag = tags.get(w)
        oov = tag is None
        if tag is None:
            if _PUNCT.match(w):
                tag = "x"
            elif not _HAN.search(w):
                tag = "m" if w.isdigit() else "eng"
            else:
                tag = "oov"
        if len(_TAGS) >= _CACHE_MAX:
            _TAGS.clear()
        got = _TAGS[w] = (tag, oov and tag == "oov")
    return got


_JOINED_TAGS = frozenset({"ns", "nt", "nz", "j"})
# One-character abbreviations of countries and regions in Chinese diplomatic and news text (中 China, 美 the US,
# 俄 Russia, 欧 Europe, 非 Africa, 东盟 has none): two of them make a pair such as 中越 China-Viet Nam.
COUNTRY_ABBREVIATIONS = frozenset("中美俄日韩朝英法德意西葡荷比瑞挪丹芬波捷匈罗保希土乌白哈吉塔蒙印巴孟尼斯"
                                  "越老柬泰缅新马菲澳加墨阿古智秘委欧非亚拉埃沙伊以叙黎约卡")


@lru_cache(maxsize=1)
def _country_pair_pattern():
    """Pairs of country abbreviations jieba's dictionary lists as one name word (中越, 中俄 ...)."""
    _, known = _jieba()
    pairs = [a + b for a in COUNTRY_ABBREVIATIONS for b in COUNTRY_ABBREVIATIONS
             if known.get(a + b) in _JOINED_TAGS]
    return re.compile("|".join(sorted(pairs))) if pairs else None


def join_texts(texts: list[str]) -> tuple[str, list[int]]:
    """The texts joined by newlines (no match of a pattern without newlines spans two of them) and the offset
    where each one starts; text_at maps a position back."""
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return "\n".join(texts), starts


def text_at(starts: list[int], pos: int) -> int:
    """Index of the text (of join_texts) that holds position `pos` of the joined string."""
    return bisect.bisect_right(starts, pos) - 1


def country_pair_segments(texts: list[str]) -> set[int]:
    """Indices of the texts holding a pair join_split_names may join (one regex pass over all texts)."""
    pat = _country_pair_pattern()
    if pat is None:
        return set()
    joined, starts = join_texts(texts)
    return {text_at(starts, m.start()) for m in pat.finditer(joined)}


def join_split_names(words: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
    """Two adjacent one-character country abbreviations whose concatenation jieba's dictionary lists as a place,
    organisation or abbreviation (中|越 → 中越, 中|俄 → 中俄; jieba's count for them is so low that it cuts them
    apart): one word, with that tag."""
    _, known = _jieba()
    out_w: list[str] = []
    out_t: list[str] = []
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        if len(w) == 1 and i + 1 < n and len(words[i + 1]) == 1 and w in COUNTRY_ABBREVIATIONS \
                and words[i + 1] in COUNTRY_ABBREVIATIONS:
            tag = known.get(w + words[i + 1])
            if tag in _JOINED_TAGS:
                out_w.append(w + words[i + 1])
                out_t.append(tag)
                i += 2
                continue
        out_w.append(w)
        out_t.append(tags[i])
        i += 1
    return (out_w, out_t) if len(out_w) < n else (words, tags)


def tokenize(zh: str) -> list[ZhToken]:
    """jieba words with their POS tags (dictionary tags; HMM-discovered words are flagged OOV)."""
    out, pos = [], 0
    for w in cut_words(zh):
        tag, oov = word_tag(w)
        out.append(ZhToken(w, tag, pos, oov))
        pos += len(w)
    return out


DASHES = frozenset("-‐‑–—－")  # joins two names into one (中国-东盟自由贸易区, China-ASEAN Free Trade Area)


def _boundary(tok: ZhToken) -> bool:
    return (tok.tag == "x" and tok.word not in DASHES) or not tok.word.strip()


def _can_start(t: ZhToken, multi: bool = False) -> bool:
    if multi and t.tag == "vn":
        return False  # 服务|国家总体外交, 建设|内陆开放高地: a verbal noun heading a phrase is its predicate
    return t.word not in ZH_STOPWORDS and t.tag not in _BAD_START_TAGS and bool(_HAN.search(t.word))


def _can_end(t: ZhToken) -> bool:
    return t.word not in ZH_STOPWORDS and (t.tag not in _BAD_END_TAGS or t.tag == "eng") \
        and (bool(_HAN.search(t.word)) or t.tag == "eng")


def single_word_candidate(t: ZhToken) -> bool:
    """A lone jieba word is a candidate only when it is a name, an unknown word, a long compound or a noun the
    dictionary renders in several English words."""
    if t.word in ZH_STOPWORDS or not _HAN.search(t.word) or len(t.word) < 2:
        return False
    return t.tag in NAME_TAGS or t.tag in ("j", "oov") or (len(t.word) >= 4 and t.tag in ("n", "nz", "vn", "l")) \
        or (t.tag == "n" and _multiword_noun(t.word))


def _multiword_noun(word: str) -> bool:
    """A dictionary noun whose every English sense needs two or more content words (外长 foreign minister,
    国务卿 secretary of state): a compact unit the English spells out, a glossary entry on its own."""
    from glossary.mine import dictionary

    return dictionary.sense_words(word) >= 2 and word in dictionary.cedict()


def ngrams(tokens: list[ZhToken]):
    """(start_idx, end_idx_exclusive, text) for every candidate word n-gram of a tokenised segment."""
    n = len(tokens)
    for i in range(n):
        ti = tokens[i]
        if _boundary(ti) or not _can_start(ti):
            continue
        text = ""
        for j in range(i, min(n, i + MAX_WORDS)):
            tj = tokens[j]
            if _boundary(tj):
                break
            text += tj.word
            if len(text) > MAX_CHARS:
                break
            if j == i:
                if single_word_candidate(ti):
                    yield i, j + 1, text
            elif _can_end(tj) and len(text) >= 2 and _can_start(ti, True):
                yield i, j + 1, text


@dataclass
class Termhood:
    """Corpus statistics of one zh candidate."""

    freq: int = 0
    left: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    words: int = 1
    tags: Counter = field(default_factory=Counter)
    max_parent: int = 0  # frequency of the most frequent longer candidate containing it
    cvalue: float = 0.0
    entropy: float = 0.0
    loose_edge: bool = False  # a multi-word candidate that starts or ends with a one-character word
    lexical: bool = False  # the whole string is a dictionary word (set by the caller)
    nominal: bool = False  # a one-off run of noun-like words next to punctuation or a function word

    def contexts(self) -> int:
        """Distinct left and right neighbours (the smaller count): branching variety at the boundaries."""
        return min(len(self.left), len(self.right))

    def score(self) -> float:
        """0..1: frequent, not a fragment of a longer term, varied contexts on both sides."""
        if self.freq == 0:
            return 0.0
        if self.loose_edge and (self.freq < 2 or self.contexts() < 2) and not (self.freq == 1 and self.lexical):
            return 0.0  # 好|新加坡, 区|发展建设: the edge character belongs to the neighbouring word (unless the
            # dictionary lists the whole string as one word: 台积|电 is 台积电 TSMC)
        if self.freq > 1 and self.contexts() < 2:
            return 0.45 if self.lexical else 0.1  # always the same neighbour: a piece of a longer unit, not a unit
            # (unless the dictionary lists the string as a word: 实现|碳中和 twice is still one word)
        if self.freq == 1:
            if self.tags.get("ngram", 0) == 0 and self.tags.keys() & NAME_TAGS:
                return 0.8
            if self.lexical:
                return 0.45
            if self.nominal:
                return ONE_OFF_COMPOUND  # worth pairing; the score needs exact translation evidence
            return 0.1  # a one-off phrase assembled from several words is rarely a term
        independence = 1.0 - self.max_parent / self.freq
        f = min(1.0, 0.5 + 0.25 * math.log2(self.freq)) if self.freq > 1 else 0.5
        variety = min(1.0, 0.4 + 0.6 * self.entropy / 1.5) if self.freq > 1 else 0.7
        return max(0.0, independence) * (0.4 + 0.6 * f * variety)


PRODUCTIVE = 4
ONE_OFF_COMPOUND = 0.3  # above the miner's pairing floor (0.2), below a one-off dictionary word (0.45)
# Tags of the words a noun phrase is built from (nouns, names, abbreviations, distinguishing adjectives).
NOMINAL_TAGS = frozenset({"n", "nz", "nr", "ns", "nt", "nrt", "nrfg", "ng", "vn", "b", "an", "oov"})
# Tags of the words that close a phrase off from its neighbours (punctuation, particles, prepositions,
# conjunctions, measure words).
_FUNCTION_TAGS = frozenset({"x", "u", "uj", "ul", "ug", "uv", "uz", "ud", "p", "c", "q", "y"})


def _loose(t: ZhToken) -> bool:
    """A one-character word that is not a name: at a candidate's edge it often belongs to the neighbour."""
    return len(t.word) == 1 and t.tag not in NAME_TAGS


def entropy(c: Counter) -> float:
    """Shannon entropy (bits) of a context distribution."""
    tot = sum(c.values())
    return -sum(v / tot * math.log2(v / tot) for v in c.values()) if tot else 0.0


# per (word, tag): boundary, can start, can start a multi-word candidate, can end, lone-word candidate, loose,
# noun-like (NOMINAL_TAGS), a function word or punctuation (closes a phrase), can start a noun phrase (a noun-like
# word or a two-character adjective: 清洁|能源)
_FLAGS: dict[tuple[str, str], tuple[bool, ...]] = {}
_EDGE_MARKS: list[str] = []  # "<1>", "<2>" ...: one shared string per boundary context number


def _flags(word: str, tag: str) -> tuple[bool, ...]:
    key = (word, tag)
    got = _FLAGS.get(key)
    if got is None:
        t = ZhToken(word, tag, 0)
        start = not _boundary(t) and _can_start(t)
        got = _FLAGS[key] = (_boundary(t), start, start and _can_start(t, True), _can_end(t),
                             single_word_candidate(t), _loose(t),
                             tag in NOMINAL_TAGS and len(word) >= 2 and word not in ZH_STOPWORDS,
                             tag in _FUNCTION_TAGS or word in ZH_STOPWORDS or not word.strip(),
                             len(word) >= 2 and word not in ZH_STOPWORDS and (tag in NOMINAL_TAGS or tag == "a"))
    return got


def edge_mark(k: int) -> str:
    marks = _EDGE_MARKS
    while len(marks) <= k:
        marks.append("<%d>" % len(marks))
    return marks[k]


def collect(segment_tokens: list[list[ZhToken]]) -> tuple[dict[str, Termhood], dict[str, list[tuple[int, int, int]]]]:
    """Termhood statistics and occurrences {text: [(segment index, start, end)]} over the corpus."""
    return collect_words(([t.word for t in toks], [t.tag for t in toks]) for toks in segment_tokens)


def collect_words(segments) -> tuple[dict[str, Termhood], dict[str, list[tuple[int, int, int]]]]:
    """collect() over (words, tags) per segment (offsets are the words' cumulative lengths): the same n-grams
    as ngrams(), with word flags computed once per distinct (word, tag)."""
    stats: dict[str, Termhood] = {}
    occ: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    lefts: dict[str, set] = defaultdict(set)
    rights: dict[str, set] = defaultdict(set)
    flags = _FLAGS
    new = Counter.__new__
    for si, (words, tags) in enumerate(segments):
        n = len(words)
        fl = [flags.get((w, t)) or _flags(w, t) for w, t in zip(words, tags)]
        starts = [0] * (n + 1)
        pos = 0
        for k, w in enumerate(words):
            pos += len(w)
            starts[k + 1] = pos
        for k in range(n - 1):  # productivity: distinct neighbours of each word
            if not fl[k][0] and not fl[k + 1][0]:
                lefts[words[k + 1]].add(words[k])
                rights[words[k]].add(words[k + 1])
        for i in range(n):
            fi = fl[i]
            if not fi[1]:  # a boundary or a word no candidate starts with
                continue
            text = ""
            for j in range(i, min(n, i + MAX_WORDS)):
                fj = fl[j]
                if fj[0]:
                    break
                text += words[j]
                if starts[j + 1] - starts[i] > MAX_CHARS:
                    break
                if j == i:
                    if not fi[4]:
                        continue
                elif not (fj[3] and fi[2] and starts[j + 1] - starts[i] >= 2):
                    continue
                st = stats.get(text)
                if st is None:  # empty Counters without Counter.__init__ (the costly part of a new entry)
                    st = stats[text] = Termhood(words=j + 1 - i, left=new(Counter), right=new(Counter),
                                                tags=new(Counter))
                    if j > i:
                        st.loose_edge = fi[5] or fj[5]
                        if fi[8] and fj[6] and tags[j] not in PERSON_TAGS \
                                and (i == 0 or fl[i - 1][7] or j + 1 == n or fl[j + 1][7]) \
                                and all(fl[k][6] for k in range(i + 1, j)):
                            st.nominal = True  # decided once, at the first occurrence: only one-offs keep it
                st.freq += 1
                st.left[edge_mark(st.freq) if i == 0 or fl[i - 1][0] else words[i - 1]] += 1
                st.right[edge_mark(st.freq) if j + 1 == n or fl[j + 1][0] else words[j + 1]] += 1
                st.tags[tags[i] if j == i else "ngram"] += 1
                occ[text].append((si, starts[i], starts[j + 1]))
        for k in _split_names(words, tags):  # 何|亚东, 刘|爱华: a person's name jieba cut after the surname
            text = words[k] + words[k + 1]
            places = occ[text]
            if any(p[0] == si and p[1] == starts[k] for p in places):
                continue
            st = stats.get(text)
            if st is None:
                st = stats[text] = Termhood(words=1, left=new(Counter), right=new(Counter), tags=new(Counter))
            st.freq += 1
            st.left[edge_mark(st.freq) if k == 0 or fl[k - 1][0] else words[k - 1]] += 1
            st.right[edge_mark(st.freq) if k + 2 == n or fl[k + 2][0] else words[k + 2]] += 1
            st.tags["nr"] += 1
            places.append((si, starts[k], starts[k + 2]))
    before = {w: len(v) for w, v in rights.items()}
    after = {w: len(v) for w, v in lefts.items()}
    del lefts, rights
    _nesting(stats, before, after)
    from glossary.mine.dictionary import composable

    for text, st in stats.items():
        if st.nominal:  # a one-off compound of dictionary words (清洁|能源, 居民|消费|价格|指数)
            st.nominal = st.freq == 1 and composable(text)
        st.entropy = min(entropy(st.left), entropy(st.right))
        st.cvalue = math.log2(1 + len(text)) * (st.freq - st.max_parent)
    return stats, occ


# Common one-character family names (the large majority of the population carries one of these).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_GIVEN_TAGS = NAME_TAGS | {"oov"}


def _split_names(words: list[str], tags: list[str]):
    """Indices k where words[k] is a lone family-name character and words[k + 1] a 1–2 character word tagged as a
    name or unknown (何|亚东, 刘|爱华): jieba cut a person's name after the surname. The joined string becomes a
    name candidate; pairing still needs the English to read it (He Yadong)."""
    for k in range(len(words) - 1):
        w, g = words[k], words[k + 1]
        if len(w) == 1 and w in SURNAMES and 1 <= len(g) <= 2 and tags[k + 1] in _GIVEN_TAGS \
                and all("\u4e00" <= c <= "\u9fff" for c in g) and g not in ZH_STOPWORDS:
            yield k


def _nesting(stats: dict[str, Termhood], before: dict[str, int], after: dict[str, int]) -> None:
    """A candidate that mostly occurs inside one longer candidate is a fragment of it (max_parent), unless the
    longer one only adds a productive word (建设, 发展 ... attach to many different terms)."""
    for text, st in stats.items():
        if len(text) < 3 or st.freq < 2:  # a one-off string makes nothing a fragment
            continue
        for a in range(len(text)):
            for b in range(a + 1, len(text) + 1):
                if (a, b) == (0, len(text)):
                    continue
                sub = stats.get(text[a:b])
                if sub is None or st.freq <= sub.max_parent or st.freq < 2:
                    continue  # a one-off longer string does not make the shorter one a fragment
                if a == 0 and after.get(text[b:], 0) >= PRODUCTIVE:
                    continue
                if b == len(text) and before.get(text[:a], 0) >= PRODUCTIVE:
                    continue
                sub.max_parent = st.freq
