"""Lexical anchors for alignment: numbers/dates, Latin tokens/acronyms, pinyin names, dictionary, glossary."""

from __future__ import annotations

import itertools
import re
from itertools import compress
from dataclasses import dataclass, field
from functools import lru_cache

from glossary.align.dictionary import cedict, en_stems, zh_words

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: v for m, v in list(MONTHS.items())})
MONTHS.pop("may", None)  # too ambiguous as an English word; 'May 5' still matches through its digits
EN_NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
EN_NUMBERS.update({"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                   "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "thirty": 30, "forty": 40,
                   "fifty": 50, "hundred": 100, "thousand": 1000})
ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

_NUM_RE = re.compile(r"\d+(?:[.,]\d+)*")
_ZH_ORD_RE = re.compile(r"第([一二三四五六七八九十]{1,3})|([一二两三四五六七八九十]{1,3})(?=[个项场批名家届次月日年周])")
_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9&+-]*[A-Za-z0-9]|[A-Za-z]")
_EN_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:[.,]\d+)*")
_CAP_RE = re.compile(r"[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?")


def _num_key(s: str) -> str:
    s = s.replace(",", "")
    if "." in s:
        s = s.rstrip("0").rstrip(".") or "0"
    return s.lstrip("0") or "0"


def _zh_numeral(s: str) -> int | None:
    if s in ZH_DIGITS:
        return ZH_DIGITS[s]
    if len(s) == 2 and s[0] == "十" and s[1] in ZH_DIGITS:
        return 10 + ZH_DIGITS[s[1]]
    if len(s) == 2 and s[1] == "十" and s[0] in ZH_DIGITS:
        return ZH_DIGITS[s[0]] * 10
    if len(s) == 3 and s[1] == "十" and s[0] in ZH_DIGITS and s[2] in ZH_DIGITS:
        return ZH_DIGITS[s[0]] * 10 + ZH_DIGITS[s[2]]
    return None


def zh_numbers(norm: str) -> set[str]:
    """Digit strings in Chinese text plus small Chinese numerals used as counts/ordinals (第七 → 7)."""
    out = {"n:" + _num_key(m) for m in _NUM_RE.findall(norm)}
    for m in _ZH_ORD_RE.finditer(norm):
        v = _zh_numeral(m.group(1) or m.group(2))
        if v is not None:
            out.add(f"w:{v}")
    return out


_ORD_RE = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b")
# whole letter-runs (as [A-Za-z]+ would split them) that are month names or number words, any case
_EN_NUM_WORD_RE = re.compile(r"(?<![A-Za-z])(?:" + "|".join(sorted(set(MONTHS) | set(EN_NUMBERS), key=len,
                                                                      reverse=True)) + r")(?![A-Za-z])",
                             re.IGNORECASE | re.ASCII)


_LETTER_RUN_RE = re.compile(r"[A-Za-z]+")
_EN_NUM_WORDS = frozenset(MONTHS) | frozenset(EN_NUMBERS)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def en_numbers(text: str, low: str | None = None) -> set[str]:
    """Digit strings, month names (March → 3), ordinals (3rd → 3) and number words in English text.

    `low` = text with ASCII letters lower-cased (en_features has it already)."""
    out = set()
    digits = _NUM_RE.findall(text)
    for m in digits:
        out.add("n:" + _num_key(m))
    if digits:  # ordinals need digits
        for m in _ORD_RE.findall(text):
            out.add("n:" + _num_key(m))
    if low is None:
        low = text.translate(_ASCII_LOWER)
    if _EN_NUM_WORDS.isdisjoint(_LETTER_RUN_RE.findall(low)):  # the usual case: no month or number word
        return out
    for w in _LETTER_RUN_RE.findall(text):  # = _EN_NUM_WORD_RE.findall(text), without the slow alternation
        lw = w.lower()
        if lw not in _EN_NUM_WORDS:
            continue
        if lw in MONTHS and (w[0].isupper()):
            out.add(f"n:{MONTHS[lw]}")
        if lw in EN_NUMBERS:
            out.add(f"w:{EN_NUMBERS[lw]}")
            out.add(f"n:{EN_NUMBERS[lw]}")
    return out


def zh_latin(norm: str) -> set[str]:
    """Latin tokens inside Chinese text (RCEP, APEC, COVID-19), case-folded."""
    return {"l:" + t.lower() for t in _LATIN_RE.findall(norm) if len(t) >= 2}


@lru_cache(maxsize=65536)
def _char_readings(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin

    from glossary.text.normalize import to_simplified

    r = pinyin(to_simplified(ch), heteronym=True, style=Style.NORMAL, errors="ignore")
    return tuple(dict.fromkeys(x.replace("ü", "v") for x in (r[0] if r else []) if x.isalpha()))[:3]


def zh_pinyin_grams(norm: str) -> set[str]:
    """Toneless pinyin of every 2- and 3-character Han run (all readings), e.g. 王雯 → wangwen."""
    out: set[str] = set()
    han = [(_char_readings(c) if "\u4e00" <= c <= "\u9fff" else ()) for c in norm]
    n = len(norm)
    for i in range(n):
        if not han[i]:
            continue
        for k in (2, 3):
            if i + k > n or not all(han[i:i + k]):
                break
            for combo in itertools.islice(itertools.product(*han[i:i + k]), 12):
                out.add("".join(combo))
    return out


class _Readings(dict):
    """char -> toneless readings, filled on first use (plain indexing, so map() stays in C)."""

    def __missing__(self, ch: str) -> tuple[str, ...]:
        v = self[ch] = _char_readings(ch)
        return v


_READINGS = _Readings()


def _readings_of(ch: str) -> tuple[str, ...]:
    return _READINGS[ch]


class _Starts(dict):
    """char -> whether a name may start there: a Han character with a reading among `prefixes` (filled lazily)."""

    def __init__(self, prefixes: frozenset[str]):
        super().__init__()
        self.prefixes = prefixes

    def __missing__(self, ch: str) -> bool:
        r = _READINGS[ch]
        v = self[ch] = bool(r) and not self.prefixes.isdisjoint(r) and "\u4e00" <= ch <= "\u9fff"
        return v


class NameIndex(tuple):
    """(keys, prefixes) of a document's English names; `starts` remembers per character whether a name may start
    there, so zh_name_hits visits only those positions."""

    def __new__(cls, keys: frozenset[str], prefixes: frozenset[str]):
        self = super().__new__(cls, (keys, prefixes))
        self.starts = _Starts(prefixes)
        return self


def zh_name_hits(norm: str, keys: frozenset[str], prefixes: frozenset[str], starts: _Starts | None = None) -> set[str]:
    """Pinyin of 2–3 character runs that equal one of `keys` (walk pruned by `prefixes`; all readings).

    `starts` (NameIndex.starts for these prefixes): the same hits, visiting only the positions it allows."""
    out: set[str] = set()
    if not keys:
        return out
    if starts is not None:
        rd = _READINGS
        n = len(norm)
        for i in compress(range(n - 1), map(starts.__getitem__, norm)):
            for r1 in rd[norm[i]]:
                if r1 not in prefixes:
                    continue
                for r2 in rd[norm[i + 1]]:
                    s2 = r1 + r2
                    if s2 in keys:
                        out.add(s2)
                    if s2 in prefixes and i + 2 < n:
                        for r3 in rd[norm[i + 2]]:
                            if s2 + r3 in keys:
                                out.add(s2 + r3)
        return out
    rd = list(map(_READINGS.__getitem__, norm))
    n = len(norm)
    for i in range(n - 1):
        r1s = rd[i]
        if not r1s or prefixes.isdisjoint(r1s) or not ("\u4e00" <= norm[i] <= "\u9fff"):
            continue
        for r1 in r1s:
            if r1 not in prefixes:
                continue
            for r2 in rd[i + 1]:
                s2 = r1 + r2
                if s2 in keys:
                    out.add(s2)
                if s2 in prefixes and i + 2 < n:
                    for r3 in rd[i + 2]:
                        if s2 + r3 in keys:
                            out.add(s2 + r3)
    return out


class _KeyPrefixes(dict):
    """name key -> its proper prefixes (bounded memo: emptied at 65536 keys)."""

    def __missing__(self, key: str) -> tuple[str, ...]:
        if len(self) >= 65536:
            self.clear()
        v = self[key] = tuple(key[:i] for i in range(1, len(key)))
        return v


_KEY_PREFIXES = _KeyPrefixes()


def name_index(en_feats) -> NameIndex:
    """All English name keys of a document and their proper prefixes (for zh_name_hits), as a NameIndex."""
    keys = frozenset().union(*(f.names for f in en_feats)) if en_feats else frozenset()
    return NameIndex(keys, frozenset().union(*map(_KEY_PREFIXES.__getitem__, keys)))


def name_keys(names: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Name keys of one English sentence and their proper prefixes (zh_name_hits against one counterpart)."""
    return names, frozenset({k[:i] for k in names for i in range(1, len(k))})


def en_name_keys(text: str) -> set[str]:
    """Capitalised words and word pairs as toneless pinyin candidates (Chongqing, Wang Wen → wangwen)."""
    out = {c for c in (m.lower().replace("-", "") for m in _CAP_RE.findall(text)) if len(c) >= 4}
    prev = None  # the previous token when it is a capitalised all-letter word
    for t in _EN_TOKEN_RE.findall(text):
        if t[0].isupper() and t.isalpha():
            if prev is not None:
                out.add((prev + t).lower())
            prev = t
        else:
            prev = None
    return out


@dataclass
class GlossaryAnchors:
    """Approved zh/en term pairs used as anchors (matched by substring on normalised text)."""

    pairs: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self):
        from glossary.text.normalize import norm_key

        self._zh = {}
        self._en = {}
        for k, (zh, en) in enumerate(self.pairs):
            zk, ek = norm_key(zh, "zh"), norm_key(en, "en")
            if len(zk) >= 2 and len(ek) >= 2:
                self._zh.setdefault(zk, set()).add(k)
                self._en.setdefault(ek, set()).add(k)
        self._zh_auto = _automaton(self._zh)
        self._en_auto = _automaton(self._en)
        self.memo = FeatureMemo()  # sentence features found with these anchors (see zh_features_memo)

    def zh(self, norm: str) -> set[str]:
        return _find(self._zh_auto, norm.casefold())

    def en(self, text: str) -> set[str]:
        from glossary.text.normalize import fold_punct

        return _find(self._en_auto, fold_punct(text).casefold())


def _automaton(keys: dict[str, set[int]]):
    if not keys:
        return None
    import ahocorasick

    a = ahocorasick.Automaton()
    for key, ids in keys.items():
        a.add_word(key, ids)
    a.make_automaton()
    return a


def _find(auto, text: str) -> set[str]:
    if auto is None:
        return set()
    out: set[str] = set()
    for _, ids in auto.iter(text):
        out.update(f"g:{i}" for i in ids)
    return out


@dataclass
class Features:
    """What the aligner knows about one sentence (or block)."""

    length: int  # characters (zh: non-space chars; en: characters)
    anchors: frozenset[str]
    words: list[frozenset[str]] = field(default_factory=list)  # zh: gloss stems per dictionary word
    stems: frozenset[str] = frozenset()  # en: content stems
    names: frozenset[str] = frozenset()  # zh: pinyin grams / en: name keys
    numbers: frozenset[str] = frozenset()
    size: int = 0  # number of content words

    @property
    def is_empty(self) -> bool:
        return self.length == 0


_SPACE_RE = re.compile(r"\s+")


def zh_features(norm: str, glossary: GlossaryAnchors | None = None, lexicon=None,
                names: tuple[frozenset[str], frozenset[str]] | None = None) -> Features:
    """Features of a Chinese sentence (pass its Simplified matching form).

    `names` = name_index(english features): only pinyin runs matching those English names are kept (fast).
    """
    words = [g for _, g in zh_words(norm, lexicon)]
    nums = zh_numbers(norm)
    anchors = set(nums) | zh_latin(norm)
    if glossary is not None:
        anchors |= glossary.zh(norm)
    return Features(
        length=len(_SPACE_RE.sub("", norm)),
        anchors=frozenset(anchors),
        words=words,
        names=frozenset(zh_pinyin_grams(norm) if names is None else zh_name_hits(norm, *names)),
        numbers=frozenset(nums),
        size=len(words),
    )


class FeatureMemo:
    """Per-process memo of sentence features by text: repeated sentences (boilerplate, recurring titles and
    datelines) are analysed once. Bounded: emptied when it reaches `limit` entries per language. Frequent
    sentences come back right after a clear: on 100k generated pairs 4096 entries give hit rates of 28%/36%
    (zh/en) against 32%/40% with 32768, for ~1/8 of the memory (32768 cost ~170 MB of peak RSS there)."""

    def __init__(self, limit: int = 4096):
        self.limit = limit
        self.zh: dict[str, tuple] = {}  # Simplified text -> (length, anchors, words, numbers): all but names
        self.en: dict[str, Features] = {}

    def put(self, table: dict, key: str, value):
        if len(table) >= self.limit:
            table.clear()
        table[key] = value
        return value


_MEMO = FeatureMemo()  # features without glossary anchors (a GlossaryAnchors carries its own memo)


def _zh_base(norm: str, glossary: GlossaryAnchors | None) -> tuple:
    """(length, anchors, words, numbers) of a Chinese sentence: everything zh_features finds except names."""
    words = [g for _, g in zh_words(norm)]
    nums = zh_numbers(norm)
    anchors = set(nums) | zh_latin(norm)
    if glossary is not None:
        anchors |= glossary.zh(norm)
    return len(_SPACE_RE.sub("", norm)), frozenset(anchors), words, frozenset(nums)


def zh_features_memo(norm: str, glossary: GlossaryAnchors | None,
                     names: tuple[frozenset[str], frozenset[str]]) -> Features:
    """= zh_features(norm, glossary, names=names), with the name-independent part memoised by text.

    The returned Features shares its (read-only) word list with other sentences of the same text."""
    memo = _MEMO if glossary is None else glossary.memo
    base = memo.zh.get(norm)
    if base is None:
        base = memo.put(memo.zh, norm, _zh_base(norm, glossary))
    length, anchors, words, nums = base
    hits = zh_name_hits(norm, names[0], names[1], getattr(names, "starts", None))
    return Features(length=length, anchors=anchors, words=words, names=frozenset(hits),
                    numbers=nums, size=len(words))


def en_features_memo(text: str, glossary: GlossaryAnchors | None = None) -> Features:
    """= en_features(text, glossary), memoised by text (the same read-only Features object is returned)."""
    memo = _MEMO if glossary is None else glossary.memo
    f = memo.en.get(text)
    if f is None:
        f = memo.put(memo.en, text, en_features(text, glossary))
    return f


def en_features(text: str, glossary: GlossaryAnchors | None = None) -> Features:
    """Features of an English sentence."""
    low = text.translate(_ASCII_LOWER)  # Latin tokens are ASCII: lower-casing first finds the same tokens, lowered
    nums = en_numbers(text, low)
    anchors = {"l:" + t for t in _LATIN_RE.findall(low) if len(t) >= 2}
    anchors.update(nums)
    if glossary is not None:
        anchors |= glossary.en(text)
    stems = en_stems(text)
    return Features(
        length=len(text),
        anchors=frozenset(anchors),
        stems=frozenset(stems),
        names=frozenset(en_name_keys(text)),
        numbers=frozenset(nums),
        size=len(stems),
    )


__all__ = ["Features", "GlossaryAnchors", "zh_features", "en_features", "cedict"]
