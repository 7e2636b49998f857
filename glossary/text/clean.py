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


_NOT_RARE: set[str] = set()  # characters already classified as not rare (grows with the text seen)
_RARE: set[str] = set()
_UTF8_CJK = re.compile(rb"[\xe3-\xe9][\x80-\xbf]{2}")


def _rare_chars(text: str) -> set[str]:
    """The rare-Han characters of `text` (each distinct character is classified once per process)."""
    new = set(text) - _NOT_RARE
    if not new:
        return new
    for c in new - _RARE:
        (_RARE if is_rare_han(c) else _NOT_RARE).add(c)
    return new & _RARE


def _utf8_read_as_legacy(seg: str) -> bool:
    """True when the span's GBK/Big5 bytes contain UTF-8-encoded CJK: UTF-8 text decoded with the wrong codec."""
    for enc in ("gb18030", "big5"):
        data = seg.encode(enc, errors="ignore")
        for m in _UTF8_CJK.finditer(data):
            try:
                m.group().decode("utf-8")
            except UnicodeDecodeError:
                continue
            return True
    return False


def find_mojibake(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of likely mojibake: '?' or U+FFFD inside Chinese, rare-Han runs whose bytes are UTF-8
    read with the wrong codec, 'Ã©'-style bytes. Clean rare characters (筼筜) are not mojibake."""
    if text.isascii():  # every signal above needs a non-ASCII character (a '?' counts only next to Han)
        return []
    spans: list[tuple[int, int]] = []
    rare = _rare_chars(text)
    if rare or "?" in text or "\ufffd" in text:
        _han_spans(text, rare, spans)
    if "\u00c2" in text or "\u00c3" in text or "\u00e2" in text:
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


def _han_spans(text: str, rare: set[str], spans: list[tuple[int, int]]) -> None:
    """Mojibake spans seeded by U+FFFD, a '?' inside Chinese or a rare Han character, grown over adjacent junk."""
    n = len(text)
    seeds = rare | {"?", "\ufffd"}
    i = 0
    while i < n:
        ch = text[i]
        if ch not in seeds or (ch == "?" and not _han_context(text, i)):
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
        marks = sum(1 for c in seg if c in "?\ufffd")
        signals = marks + sum(1 for c in seg if is_rare_han(c))
        if "\ufffd" in seg or (ch == "?" and e - s >= 2 and signals >= 1):
            spans.append((s, e))
        elif signals >= 2 and (marks or _utf8_read_as_legacy(seg)):
            spans.append((s, e))
        i = e


@lru_cache(maxsize=1)
def _char_freq() -> dict[str, int]:
    """Single-character word frequencies from jieba's dictionary file, read directly (no tokenizer start-up)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")
    path = Path(spec.origin).parent / "dict.txt" if spec and spec.origin else None
    freq: dict[str, int] = {}
    if path is None or not path.exists():
        return freq
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if len(line) > 2 and line[1] == " ":
                freq[line[0]] = int(line[2:].split(" ", 1)[0])
    return freq


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


class _MatchChars(dict):
    """str.translate table: zero-width → space, per-char NFKC (when it stays one char), folded punctuation.

    Filled lazily (each distinct character is worked out once), so translate() runs in C for known characters.
    """

    def __missing__(self, key: int) -> str:
        ch = chr(key)
        out = fold_punct(_nfkc_char(ch.translate(_ZERO_WIDTH)))
        if len(out) != 1:  # fold_punct never removes a character after the zero-width mapping; be safe
            out = fold_punct(ch) or " "
            out = out if len(out) == 1 else " "
        self[key] = out
        return out


_MATCH_CHARS = _MatchChars()


def match_form(text: str) -> str:
    """Matching form with the SAME LENGTH as `text`: per-char NFKC, quotes/dashes folded, Simplified."""
    if text.isascii():  # NFKC, folding and t2s leave ASCII unchanged (test_clean checks all 128 characters)
        return text
    return to_simplified(text.translate(_MATCH_CHARS))
