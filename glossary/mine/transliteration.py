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
