"""Split Chinese and English paragraphs into sentences (returns character spans, so offsets survive)."""

from __future__ import annotations

import re

# Chinese: 。！？；… (and their ASCII forms after Han), keeping closing quotes/brackets with the sentence.
_ZH_END = re.compile(
    r"(?:[。！？；]|…{1,2}|\.{3,6}|(?<=[\u3400-\u9fff\u201d\u300d\u300f）)])[!?;]+"
    r"(?=$|\s|[\u3400-\u9fff\u201c\u201d\u300c\u300d\u300e\u300f（(\"']))+"
    r"[\u201d\u2019\u300d\u300f）)\"']*"
)

# English abbreviations that do not end a sentence when followed by a capital ("Mr. Lu", "No. 5").
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr messrs mme mlle gen col lt sgt capt cmdr adm gov sen rep hon rev fr
    no nos vol vols pp art arts sec ch fig figs ed eds co corp inc ltd llc plc bros dept est approx
    vs etc al e.g i.e cf jan feb mar apr jun jul aug sep sept oct nov dec mt ft ave blvd rd
    u.s u.k u.n p.r.c""".split()
)
_EN_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def split_zh(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a Chinese paragraph (whitespace trimmed, nothing lost between spans)."""
    spans = []
    start = 0
    for m in _ZH_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


_WORD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.")


def _word_before(text: str, end: int) -> str | None:
    """_WORD_BEFORE.search(text[:end]).group(1) (or None), found by walking back from `end` instead of scanning
    the whole prefix: the longest run of letters and dots ending there, starting at its first letter."""
    q = end
    while q > 0 and text[q - 1] in _WORD_CHARS:
        q -= 1
    while q < end and text[q] == ".":
        q += 1
    return text[q:end] if q < end else None


def _is_boundary(text: str, m: re.Match) -> bool:
    end = m.end()
    n = len(text)
    k = end
    while k < n and text[k].isspace():
        k += 1
    if k == n:
        return False  # end of paragraph is handled by the caller
    punct = m.group()
    nxt = text[k]
    spaced = k != end
    if not (nxt.isupper() or nxt.isdigit() or nxt in "\"'\u201c\u2018([" or "\u4e00" <= nxt <= "\u9fff"):
        return False
    if punct.startswith("."):
        before = _word_before(text, m.start())
        word = before.lower() if before else ""
        if word.rstrip(".") in ABBREVIATIONS or word in ABBREVIATIONS:
            return False
        if len(word) == 1 and word.isalpha():  # initials: "J. Smith", "U.S."
            return False
        if before and "." in before.strip("."):  # e.g. "U.S." inside a word with dots
            return False
        if not spaced:
            # "ILSTC).Zhang" is a missing space; "3.5" or "e.g.Foo" are not sentence ends
            prev = text[m.start() - 1] if m.start() else ""
            if nxt.isdigit() or not (prev.isalpha() or prev in ")\"'\u201d"):
                return False
            if before and before[0].islower() and len(before) <= 2:
                return False
    elif not spaced and not nxt.isupper():
        return False
    return True


def split_en(text: str) -> list[tuple[int, int]]:
    """Sentence spans of an English paragraph; handles 'Co., Ltd', 'Mr.', 'No. 5', missing spaces ('.Zhang')."""
    spans = []
    start = 0
    for m in _EN_END.finditer(text):
        if _is_boundary(text, m):
            spans.append((start, m.end()))
            start = m.end()
    spans.append((start, len(text)))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def split(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans for `lang` ('zh' or 'en')."""
    return split_zh(text) if lang == "zh" else split_en(text)


def sentences(text: str, lang: str) -> list[str]:
    """Sentence strings for `lang`."""
    return [text[s:e] for s, e in split(text, lang)]
