"""Normalised matching forms: Simplified script, NFKC, folded quotes/dashes, pinyin and search keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\uff07": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\uff02": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
        "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200a": " ", "\u3000": " ",
        "\u200b": None, "\ufeff": None,
    }
)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s.json")


def fold_punct(text: str) -> str:
    """Fold curly quotes, dashes and odd spaces to ASCII (for matching, never for display)."""
    return text.translate(_QUOTE_FOLD)


@lru_cache(maxsize=65536)
def _t2s_char(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC, guaranteed to keep the string length (offsets survive).

    Phrase-level conversion is used when it preserves length; otherwise characters are converted one by one.
    Idempotent: OpenCC's t2s is not (薴 → 苧 → 苎), so a changed text is converted again until it is stable — a
    Simplified key stays the same when it is simplified again (exported, then imported).
    """
    if not text:
        return text
    out = _convert_once(text)
    for _ in range(3):
        if out == text:
            break
        text, out = out, _convert_once(out)
    return out


def _convert_once(text: str) -> str:
    out = _t2s().convert(text)
    if len(out) == len(text):
        return out
    return "".join(_t2s_char(c) for c in text)


def is_traditional(text: str) -> bool:
    """True when the text contains characters that OpenCC would change to Simplified."""
    return to_simplified(text) != text


_SPACE_RE = re.compile(r"\s+")


def norm_key(text: str, lang: str) -> str:
    """Search/uniqueness key: NFKC, Simplified (zh), folded punctuation, case-folded, spaces collapsed."""
    t = unicodedata.normalize("NFKC", text)
    t = fold_punct(t)
    if lang == "zh":
        t = to_simplified(t)
        t = _SPACE_RE.sub("", t)
    else:
        t = _SPACE_RE.sub(" ", t).strip()
    return t.casefold()


def has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)


@lru_cache(maxsize=65536)
def pinyin_marks(text: str) -> str:
    """Tone-marked pinyin, syllables separated by spaces (xī bù lù hǎi)."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(s for s in lazy_pinyin(to_simplified(text), style=Style.TONE) if s.strip())


@lru_cache(maxsize=65536)
def pinyin_plain(text: str) -> str:
    """Toneless pinyin without spaces (xibuluhai), for search."""
    from pypinyin import lazy_pinyin

    return "".join(s for s in lazy_pinyin(to_simplified(text)) if s.strip()).lower()


@lru_cache(maxsize=65536)
def pinyin_initials(text: str) -> str:
    """First letters of each syllable (xblhxtd)."""
    from pypinyin import Style, lazy_pinyin

    return "".join(
        s[0] for s in lazy_pinyin(to_simplified(text), style=Style.FIRST_LETTER) if s.strip()
    ).lower()


@lru_cache(maxsize=65536)
def pinyin_forms(text: str) -> tuple[str, str, str]:
    """(pinyin_marks, pinyin_plain, pinyin_initials) of text from ONE pypinyin pass (a third of the cost).

    Identical to the three functions on every CC-CEDICT headword (tests/test_normalize_pinyin_forms.py):
    toneless forms come from the toned syllables by pypinyin's own to_normal (only on non-ASCII chunks,
    which leaves digits and Latin runs alone).
    """
    from pypinyin import Style, lazy_pinyin

    toned = lazy_pinyin(to_simplified(text), style=Style.TONE)
    normal = [s if s.isascii() else _toneless(s) for s in toned]
    return (" ".join(s for s in toned if s.strip()),
            "".join(s for s in normal if s.strip()).lower(),
            "".join(s[0] for s in normal if s.strip()).lower())


def pinyin_columns(text: str, given: str | None = None) -> tuple[str, str, str]:
    """(marks, plain, initials) of a term, reusing a reading that came with it (an imported TBX/XLSX carries
    pinyin): when `given` has one syllable per character of an all-Han term, the toneless and initial forms
    follow it (an editor's choice of reading for 重 or 行 is kept, and pypinyin is not run); otherwise they are
    computed from the text, and `given` (if any) is still the displayed reading."""
    if given:
        syllables = given.split()
        if len(syllables) == len(text) and all(_is_han(c) for c in text):
            normal = [_toneless(s) for s in syllables]
            if all(n.isascii() and n.isalpha() for n in normal):
                return given, "".join(normal).lower(), "".join(n[0] for n in normal).lower()
        return (given, *pinyin_forms(text)[1:])
    return pinyin_forms(text)


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


@lru_cache(maxsize=None)
def _toneless(syllable: str) -> str:
    """pypinyin's to_normal for one toned chunk (a few thousand distinct syllables: cached)."""
    from pypinyin.contrib.tone_convert import to_normal

    return to_normal(syllable)


def strip_tones(text: str) -> str:
    """xī bù → xi bu (also handles ü)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    ).replace("ü", "v")
