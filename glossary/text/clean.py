"""Clean decoded text: strip verified pinyin ruby, find mojibake spans, build same-length matching forms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from glossary.text.normalize import fold_punct, to_simplified

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# A Han character followed by a bracketed pinyin syllable: 勢(shì), 國（guó）
_RUBY_RE = re.compile(
    r"([\u3400-\u4dbf\u4e00-\u9fff])[(\uff08]([a-z" + _TONED + r"]{1,7}[1-5]?)[)\uff09]"
)


def _plain(syl: str) -> str:
    d = unicodedata.normalize("NFD", syl.lower())
    d = "".join(c for c in d if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", d).rstrip("12345").replace("ü", "v")


@lru_cache(maxsize=65536)
def readings(ch: str) -> tuple[frozenset[str], frozenset[str]]:
    """All pypinyin readings of one character: (tone-marked, toneless), Traditional or Simplified."""
    from pypinyin import Style, pinyin

    marked: set[str] = set()
    for c in {ch, to_simplified(ch)}:
        for r in pinyin(c, heteronym=True, style=Style.TONE, errors="ignore"):
            marked.update(r)
    return frozenset(marked), frozenset(_plain(m) for m in marked)


def is_reading(ch: str, syllable: str) -> bool:
    """True when `syllable` (tone marks optional) is a pypinyin reading of character `ch`."""
    marked, plain = readings(ch)
    syl = syllable.lower()
    if any(c in _TONED for c in syl):
        return unicodedata.normalize("NFC", syl).replace("ü", "ü") in marked
    return _plain(syl) in plain


@dataclass
class Edit:
    """A removed span of the input (start/end offsets in the input text)."""

    start: int
    end: int
    text: str


def strip_ruby(text: str) -> tuple[str, list[Edit]]:
    """Remove `字(zì)` pinyin annotations confirmed by pypinyin; keep real brackets like 中新(重慶)."""
    edits: list[Edit] = []
    out: list[str] = []
    last = 0
    for m in _RUBY_RE.finditer(text):
        if not is_reading(m.group(1), m.group(2)):
            continue
        start = m.start(2) - 1
        out.append(text[last:start])
        edits.append(Edit(start, m.end(), text[start:m.end()]))
        last = m.end()
    if not edits:
        return text, []
    out.append(text[last:])
    return "".join(out), edits


# ----------------------------------------------------------------------------- mojibake


@lru_cache(maxsize=65536)
def is_rare_han(ch: str) -> bool:
    """Han character outside GB2312 even after t2s: typical of UTF-8 bytes decoded as GBK (摿, 薮 ...)."""
    if not ("\u3400" <= ch <= "\u9fff"):
        return False
    s = to_simplified(ch)
    try:
        s.encode("gb2312")
        return False
    except UnicodeEncodeError:
        pass
    # Traditional characters that OpenCC maps are legitimate; so are Big5 level-1 characters.
    if s != ch:
        return False
    try:
        ch.encode("big5")
        return False
    except UnicodeEncodeError:
        return True


_LATIN1_MOJIBAKE = re.compile(r"(?:[ÃÂâ][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161\u017d"
                              r"\u017e\u0178\u02c6\u02dc]){2,}|â€.")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def find_mojibake(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of likely mojibake: '?' or U+FFFD inside Chinese, rare-Han runs, 'Ã©'-style bytes."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        seed = ch == "\ufffd" or (ch == "?" and _han_context(text, i)) or is_rare_han(ch)
        if not seed:
            i += 1
            continue
        # grow over adjacent junk: '?', U+FFFD, rare Han, stray Latin letters/brackets inside Chinese
        s = i
        while s > 0 and _junk(text[s - 1]):
            s -= 1
        e = i + 1
        while e < n and _junk(text[e]):
            e += 1
        seg = text[s:e]
        signals = sum(1 for c in seg if c in "?\ufffd" or is_rare_han(c))
        if "\ufffd" in seg or signals >= 2 or (signals == 1 and ch == "?" and e - s >= 2):
            spans.append((s, e))
        i = e
    for m in _LATIN1_MOJIBAKE.finditer(text):
        spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


@lru_cache(maxsize=1)
def _char_freq() -> dict:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ


@lru_cache(maxsize=65536)
def _uncommon_han(ch: str) -> bool:
    """Han character with a low jieba unigram frequency (mojibake tends to produce these)."""
    return _is_han(ch) and _char_freq().get(to_simplified(ch), 0) < 600


def _junk(ch: str) -> bool:
    """Characters a mojibake span may extend over once it has been seeded."""
    return (
        ch in "?\ufffd!)(]["
        or ("a" <= ch.lower() <= "z")
        or ch in _TONED
        or is_rare_han(ch)
        or _uncommon_han(ch)
    )


def _han_context(text: str, i: int) -> bool:
    """A '?' with Chinese on at least one side and not a normal sentence end ('?' then space/EOL)."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if not (_is_han(before) or _is_han(after) or is_rare_han(before) or is_rare_han(after)):
        return False
    return after not in ("", " ", "\n", "\t", "\u201d", '"', "\u300d", ")", "\uff09")


# ----------------------------------------------------------------------------- matching forms

_ZERO_WIDTH = str.maketrans({"\u200b": " ", "\ufeff": " ", "\u200c": " ", "\u200d": " "})
_FULLWIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u00a0]")


def display_form(text: str) -> str:
    """What we show and store: original text with only 'safe' NFKC (full-width letters/digits, odd spaces)."""
    return _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _nfkc_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch)
    return out if len(out) == 1 else ch


def match_form(text: str) -> str:
    """Matching form with the SAME LENGTH as `text`: per-char NFKC, quotes/dashes folded, Simplified."""
    t = "".join(_nfkc_char(c) for c in text.translate(_ZERO_WIDTH))
    t = fold_punct(t)
    if len(t) != len(text):  # fold_punct removes nothing after the zero-width mapping; be safe
        t = "".join(fold_punct(c) or " " for c in text)
    return to_simplified(t)
