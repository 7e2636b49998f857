"""Pinyin transliteration of Chinese names (王雯 → Wang Wen, 钦州 → Qinzhou) and pinyin span matching."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

# Common compound surnames; everything else is treated as a one-character surname.
_COMPOUND_SURNAMES = frozenset("欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木".split())


@lru_cache(maxsize=200_000)
def syllables(zh: str) -> tuple[str, ...]:
    """Toneless pinyin per character (surname readings for names where pypinyin knows them)."""
    from pypinyin import lazy_pinyin

    out = lazy_pinyin(zh, errors=lambda chars: ["" for _ in chars])
    if len(out) != len(zh):  # non-Han runs collapse: fall back to char by char
        out = [(lazy_pinyin(c, errors=lambda x: [""]) or [""])[0] for c in zh]
    return tuple(s.lower().replace("ü", "v") for s in out)


def romanize_name(zh: str) -> str:
    """Person name in pinyin order surname + given name: 王雯 → 'Wang Wen', 张娅茜 → 'Zhang Yaxi'."""
    syl = syllables(zh)
    k = 2 if zh[:2] in _COMPOUND_SURNAMES else 1
    sur, given = "".join(syl[:k]), "".join(syl[k:])
    return " ".join(p.capitalize() for p in (sur, given) if p)


def romanize_place(zh: str) -> str:
    """Place name as one word: 钦州 → 'Qinzhou'."""
    return "".join(syllables(zh)).capitalize()


@lru_cache(maxsize=100_000)
def readings(ch: str) -> tuple[str, ...]:
    """All toneless readings of one character (heteronyms: 茜 → qian, xi)."""
    from pypinyin import Style, pinyin

    if not ("\u3400" <= ch <= "\u9fff"):
        return ()
    got = pinyin(ch, style=Style.NORMAL, heteronym=True)
    return tuple(dict.fromkeys(r.lower().replace("ü", "v") for r in got[0] if r.isalpha())) if got else ()


@lru_cache(maxsize=200_000)
def pinyin_spans(zh: str, max_chars: int = 4) -> dict[str, tuple[tuple[int, int], ...]]:
    """{'wangwen': ((0, 2),), 'wang': ((0, 1),), ...}: each run of ≤ max_chars characters as joined pinyin."""
    out: dict[str, list[tuple[int, int]]] = {}
    for i in range(len(zh)):
        accs = [""]
        for j in range(i, min(len(zh), i + max_chars)):
            rs = readings(zh[j])
            if not rs:
                break
            accs = [a + r for a in accs for r in rs][:16]
            for a in accs:
                out.setdefault(a, []).append((i, j + 1))
    return {k: tuple(v) for k, v in out.items()}


def sound_similarity(zh: str, en: str) -> float:
    """0..1 similarity of the pinyin of `zh` and the letters of `en` (for transliterated foreign names)."""
    a = "".join(syllables(zh))
    b = "".join(c for c in en.lower() if c.isalpha())
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100.0


# Foreign names transliterated INTO Chinese (布林肯 ↔ Blinken): both sides reduced to a consonant skeleton
# of sound classes and compared with a weighted edit distance (near sounds substitute cheaply).
# Characters of the standard transliteration tables (Xinhua): a run mostly made of them reads as a sound
# transcription, not as words.
TRANSLIT_CHARS = frozenset(
    "阿埃艾爱安昂奥澳巴拜班邦保鲍贝本比彼毕宾波伯博布采查察达戴丹道德登迪蒂丁东杜顿多厄恩尔法范菲费芬丰冯"
    "佛弗福夫盖甘戈哥格贡古瓜圭哈海汉豪赫黑亨洪胡华霍基吉加贾杰捷金卡凯坎康柯科克肯库奎拉莱兰朗劳勒雷蕾"
    "里利莉列林琳隆卢鲁路伦罗洛马玛迈麦曼芒梅门蒙米密缅明莫墨姆穆纳娜乃奈南内尼涅努诺欧帕潘佩彭皮珀普齐"
    "奇恰乔切琼丘萨塞桑瑟森沙尚舍申施什史舒斯松苏索塔泰坦汤唐特滕提图托瓦旺威韦维温沃乌武西希锡席夏谢"
    "辛休雅亚扬耶伊英尤约泽扎詹兹朱卓佐茨楚喀纽斐黎朔丽仑翁蓬卜廷汀莎妮娃琪娅丝尧伍邓龙文谭山宋瑞仁赞钦"
    "迦柏桑萨姆默赖罕汗穆扎连")

_PY_INITIALS = (("zh", "J"), ("ch", "J"), ("sh", "S"), ("b", "P"), ("p", "P"), ("m", "M"), ("f", "F"),
                ("d", "T"), ("t", "T"), ("n", "N"), ("l", "L"), ("g", "K"), ("k", "K"), ("h", "H"),
                ("j", "J"), ("q", "J"), ("x", "S"), ("r", "L"), ("z", "S"), ("c", "S"), ("s", "S"),
                ("w", "W"), ("y", ""))
_EN_MULTI = (("sch", "S"), ("tch", "J"), ("ph", "F"), ("th", "D"), ("sh", "S"), ("ch", "J"), ("ck", "K"),
             ("gh", "K"), ("qu", "K"), ("kh", "K"), ("zh", "J"), ("ts", "S"), ("tz", "S"), ("dz", "S"))
_EN_ONE = {"b": "P", "p": "P", "m": "M", "f": "F", "v": "F", "d": "T", "t": "T", "n": "N", "l": "L",
           "r": "L", "g": "K", "k": "K", "c": "K", "q": "K", "s": "S", "z": "S", "x": "S", "h": "H",
           "j": "J", "w": "W"}
# substitution costs between sound classes that transliteration conventions confuse
_NEAR = {frozenset("JS"): 0.3, frozenset("JK"): 0.4, frozenset("FW"): 0.3, frozenset("FP"): 0.5,
         frozenset("HK"): 0.4, frozenset("HJ"): 0.5, frozenset("HS"): 0.6, frozenset("JT"): 0.6,
         frozenset("ST"): 0.7, frozenset("LN"): 0.7, frozenset("MN"): 0.6,
         # English th (class D) is transcribed with t- or s- syllables: Thomas 托马斯, Smith 史密斯, Houthi 胡塞
         frozenset("DT"): 0.1, frozenset("DS"): 0.3}
_CHEAP_INDEL = {"H": 0.4, "N": 0.5, "L": 0.6, "W": 0.6}  # dropped h, nasal finals, silent r, glides


def _collapse(s: str) -> str:
    out = []
    for c in s:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def pinyin_skeleton(syls: tuple[str, ...], collapse: bool = True) -> str:
    """Sound classes of toneless pinyin syllables: bu-lin-ken → PLNKN (nasal finals kept, 尔 er → L)."""
    out = []
    for s in syls:
        if s == "er":
            out.append("L")
            continue
        for ini, cls in _PY_INITIALS:
            if s.startswith(ini):
                out.append(cls)
                s = s[len(ini):]
                break
        if s.endswith("ng"):
            out.append("N")
        elif s.endswith("n"):
            out.append("N")
    return _collapse("".join(out)) if collapse else "".join(out)


def en_skeleton(word: str, collapse: bool = True) -> str:
    """Sound classes of an English/Latin spelling: Blinken → PLNKN (vowels, y and silent finals dropped)."""
    w = "".join(c for c in _fold_accents(word.lower()) if c.isalpha())
    out, i = [], 0
    while i < len(w):
        for multi, cls in _EN_MULTI:
            if w.startswith(multi, i):
                out.append(cls)
                i += len(multi)
                break
        else:
            c = w[i]
            if c == "c" and w[i + 1 : i + 2] in ("e", "i", "y"):
                out.append("S")
            elif c == "x":
                out.append("KS")
            elif c == "h" and (i == len(w) - 1 or (i > 0 and w[i - 1] in "aeiou" and w[i + 1 : i + 2] not in tuple("aeiou"))):
                pass  # final or post-vocalic h is silent (Rafah)
            else:
                out.append(_EN_ONE.get(c, ""))
            i += 1
    return _collapse("".join(out)) if collapse else "".join(out)


def _fold_accents(s: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _skeleton_distance(a: str, b: str) -> float:
    """Weighted edit distance between two sound-class strings."""
    prev = [0.0]
    for c in b:
        prev.append(prev[-1] + _CHEAP_INDEL.get(c, 1.0))
    for x in a:
        cur = [prev[0] + _CHEAP_INDEL.get(x, 1.0)]
        for j, y in enumerate(b):
            sub = 0.0 if x == y else _NEAR.get(frozenset((x, y)), 1.0)
            cur.append(min(prev[j] + sub, prev[j + 1] + _CHEAP_INDEL.get(x, 1.0),
                           cur[j] + _CHEAP_INDEL.get(y, 1.0)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=200_000)
def translit_similarity(zh: str, en: str) -> float:
    """0..1: how well the English spelling `en` sounds like the Chinese transliteration `zh` (布林肯 ~
    Blinken 1.0, 泽连斯基 ~ Zelensky ≈ 0.9): consonant-skeleton edit distance blended with letter overlap
    of the pinyin. 0 when the Chinese does not read as a transliteration (too few transliteration characters)."""
    han = [c for c in zh if "\u3400" <= c <= "\u9fff"]
    if len(han) < 2 or sum(c in TRANSLIT_CHARS for c in han) < 0.6 * len(han):
        return 0.0
    syls = syllables(zh)
    got = _similarity(syls, en)
    if len(en) > 4 and en.endswith("s") and en[-2:-1].islower():  # a group named in the plural: Houthis 胡塞
        got = max(got, _similarity(syls, en[:-1]))
    return got


def _similarity(syls: tuple[str, ...], en: str) -> float:
    """translit_similarity of toneless syllables and one English spelling."""
    a, b = pinyin_skeleton(syls), en_skeleton(en)
    letters = fuzz.ratio("".join(syls), "".join(c for c in _fold_accents(en.lower()) if c.isalpha())) / 100.0
    if len(a) < 2 or len(b) < 2:  # one sound class (卢拉 Lula, 塞西 Sisi): the letters must agree closely, or
        # syllable by syllable the same consonants (sai-xi ~ Si-si, not Sousa)
        if a != b:
            return 0.0
        if letters >= 0.75:
            return round(letters, 3)
        same = pinyin_skeleton(syls, collapse=False) == en_skeleton(en, collapse=False)
        return round(0.75 + 0.25 * letters, 3) if same and letters >= 0.5 else 0.0
    skel = max(0.0, 1.0 - _skeleton_distance(a, b) / max(len(a), len(b)))
    return round(0.75 * skel + 0.25 * letters, 3)


_NAME_PARTICLES = frozenset({"von", "der", "van", "de", "da", "al", "bin", "la", "le", "di", "du"})


def name_form(en: str, max_words: int = 4) -> bool:
    """`en` is written as a proper name: 1–4 capitalised words (particles von/der/al- allowed), no digits."""
    words = en.replace("-", " ").split()
    if not words or len(words) > max_words or any(c.isdigit() for c in en):
        return False
    return words[-1][:1].isupper() and all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def _letters(s: str) -> str:
    return "".join(c for c in _fold_accents(s.lower()) if c.isalpha())


def name_evidence(zh: str, en: str, proper_name: bool = False) -> bool:
    """The zh term is a name and `en` renders it: `en` is a proper-name form and either the dictionary lists
    `zh` as a proper name (proper_name, with the English matched by the caller), or `en` is its pinyin
    (王雯 Wang Wen, 钦州 Qinzhou), or a word of `en` sounds like its transliteration (布林肯 Blinken)."""
    if not name_form(en) or not (2 <= len(zh) <= 8) or not all("\u3400" <= c <= "\u9fff" for c in zh):
        return False
    if proper_name:
        return True
    if _letters(en) in (_letters(romanize_name(zh)), _letters(romanize_place(zh))):
        return True
    return any(translit_similarity(zh, w) >= 0.75 for w in en.replace("-", " ").split() if len(w) >= 3)


def name_runs(texts: list[str], min_chars: int = 3) -> dict[str, list[tuple[int, int, int]]]:
    """Maximal runs of ≥ min_chars transliteration characters per text, {run: [(text index, start, end)]}:
    foreign names jieba cuts apart (托|卡耶夫) or glues to a neighbour are candidates whole."""
    out: dict[str, list[tuple[int, int, int]]] = {}
    find = _run_pattern(min_chars).finditer
    for si, text in enumerate(texts):
        for m in find(text):
            a, b = m.span()
            if a > 0 and _is_word(text[a - 1 : a + 1]):
                a += 1  # 主席|弗朗西斯: the first character ends the word before the name
            if b < len(text) and _is_word(text[b - 1 : b + 1]):
                b -= 1
            if b - a >= min_chars:
                out.setdefault(text[a:b], []).append((si, a, b))
    return out


@lru_cache(maxsize=4)
def _run_pattern(min_chars: int):
    import re

    return re.compile("[" + "".join(sorted(TRANSLIT_CHARS)) + "]{%d,}" % min_chars)


def _is_word(two: str) -> bool:
    from glossary.mine.dictionary import cedict

    return two in cedict() and not ("\x03" + two) in cedict()
