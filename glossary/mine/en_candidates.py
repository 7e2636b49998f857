"""English candidates: tokens with offsets, stopword/punctuation-bounded n-grams, names and acronyms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from glossary.mine.dictionary import EN_STOPWORDS, drop_possessive, stem
from glossary.text.normalize import fold_punct

_W = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters with accents: Élysée, António
_TOKEN = re.compile(rf"[{_W}]+(?:['’][{_W}]+)*(?:-[{_W}]+(?:['’][{_W}]+)*)*")
# Function words allowed inside a multi-word span ("Belt and Road", "Office of ... Government").
INNER_STOPWORDS = frozenset({"of", "and", "for", "the", "with", "on", "in", "to", "&"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,9}s?$")
MAX_SPAN = 10


@dataclass(slots=True)
class EnToken:
    text: str
    start: int
    end: int
    parts: tuple[str, ...]  # lower-case pieces of a hyphen compound, possessive stripped
    stems: tuple[str, ...]
    stop: bool
    cap: bool  # starts with a capital letter (or digit)
    acronym: bool
    brk: bool  # punctuation (not just spaces) between this token and the previous one


_WORDS: dict[str, tuple] = {}  # token text → (parts, stems, stop, cap, acronym): the same for every occurrence
_WORDS_MAX = 500_000


def _word(t: str) -> tuple:
    got = _WORDS.get(t)
    if got is None:
        parts = tuple(
            drop_possessive(p) for p in fold_punct(t).lower().split("-") if p
        )
        parts = tuple(p.replace("'", "") for p in parts if p)
        if len(_WORDS) >= _WORDS_MAX:
            _WORDS.clear()
        acronym = bool(_ACRONYM.match(t)) and sum(c.isupper() for c in t) >= 2
        got = _WORDS[t] = (t, parts, tuple(stem(p) for p in parts),
                           t.lower() in EN_STOPWORDS and not acronym,  # 'US', 'WHO' are names, not 'us', 'who'
                           t[0].isupper() or t[0].isdigit(), acronym)
    return got


def tokenize(text: str) -> list[EnToken]:
    """Word tokens (hyphen compounds and possessives kept whole) with character offsets."""
    out: list[EnToken] = []
    prev_end = 0
    words = _WORDS
    for m in _TOKEN.finditer(text):
        t = m.group()
        start, end = m.span()
        t, parts, stems, stop, cap, acronym = words.get(t) or _word(t)
        brk = prev_end == 0 or (start > prev_end and not text[prev_end:start].isspace())
        out.append(EnToken(t, start, end, parts, stems, stop, cap, acronym, brk))
        prev_end = end
    for k in range(len(out) - 1):
        tk = out[k]
        if tk.stop and tk.cap and tk.parts[0] in SURNAME_SYLLABLES and not tk.text.isupper():
            nxt = out[k + 1]
            if nxt.cap and not nxt.stop and not nxt.brk and nxt.text[:1].isalpha():
                tk.stop = False  # 'He Yadong': a Chinese family name, not the pronoun
    return out


# Pinyin family names that are also English stopwords: followed by a capitalised word they start a name.
SURNAME_SYLLABLES = frozenset({"he", "an", "you", "yu"})


def valid_spans(tokens: list[EnToken], max_len: int = MAX_SPAN) -> set[tuple[int, int]]:
    """Inclusive (a, b) token spans: no punctuation inside, no stopword at either end, only
    'of/and/for/the/...' inside, at most two inner function words (valid_span_bits decoded)."""
    bits = valid_span_bits(tokens, max_len)
    out: set[tuple[int, int]] = set()
    while bits:
        low = bits & -bits
        a, d = divmod(low.bit_length() - 1, max_len)
        out.add((a, a + d))
        bits ^= low
    return out


def valid_span_bits(tokens: list[EnToken], max_len: int = MAX_SPAN) -> int:
    """The valid spans (see valid_spans) as one int: bit a * max_len + (b - a) set for each valid (a, b)
    (b - a < max_len), a few dozen bytes per segment instead of a set of tuples (see span_bit_set)."""
    bits = 0
    n = len(tokens)
    for a in range(n):
        if tokens[a].stop:
            continue
        inner = 0
        base = a * max_len
        for b in range(a, min(n, a + max_len)):
            tb = tokens[b]
            if b > a and tb.brk:
                break
            if tb.stop:
                if tb.text.lower() not in INNER_STOPWORDS:
                    break
                inner += 1
                if inner > 2:
                    break
                continue
            bits |= 1 << (base + b - a)
    return bits


def span_bit_set(bits: int, a: int, b: int, max_len: int = MAX_SPAN) -> bool:
    """(a, b) is among the spans valid_span_bits encoded (0 <= a <= b)."""
    return b - a < max_len and bits >> (a * max_len + b - a) & 1 == 1


def span_text(text: str, tokens: list[EnToken], a: int, b: int) -> str:
    return text[tokens[a].start : tokens[b].end]


def en_key(surface: str) -> str:
    """Grouping key for English variants: case-folded, quotes folded, hyphens and spaces unified."""
    t = fold_punct(surface).casefold().replace("-", " ").replace("'s ", " ").replace("’s ", " ")
    return " ".join(t.replace("'", "").split())


def token_key(word: str) -> str:
    """en_key of one token, a possessive dropped ("Jinping's" → jinping, "People's" → people): English keyed
    token by token for co-occurrence counting, so that 'Xi Jinping' is found in "Xi Jinping's speech"."""
    return en_key(drop_possessive(word))


def name_spans(tokens: list[EnToken]) -> list[tuple[int, int]]:
    """Maximal capitalised spans ('Qinzhou Port Area', 'Foreign Affairs Office of Chongqing ...')."""
    out = []
    n, a = len(tokens), 0
    while a < n:
        if not tokens[a].cap or tokens[a].stop:
            a += 1
            continue
        b = a
        while b + 1 < n and not tokens[b + 1].brk:
            nxt = tokens[b + 1]
            if nxt.cap and not nxt.stop:
                b += 1
            else:
                k = b + 1
                while k < n and k - b <= 2 and not tokens[k].brk and tokens[k].text.lower() in (
                        "of", "and", "for", "the"):
                    k += 1
                if k > b + 1 and k < n and not tokens[k].brk and tokens[k].cap and not tokens[k].stop:
                    b = k
                else:
                    break
        while b > a and tokens[b].stop:
            b -= 1
        out.append((a, b))
        a = b + 1
    return out


_PAREN_ACR = re.compile(r"\(\s*([A-Z][A-Za-z0-9&]{1,11})\s*\)")


def _initials(tokens: list[EnToken]) -> list[tuple[str, bool]]:
    """(initial, is_function_word) per compound part: 'Land-Sea' gives l, s."""
    out = []
    for t in tokens:
        for p in t.parts:
            if p:
                out.append((p[0], t.text.lower() in INNER_STOPWORDS))
    return out


def acronym_matches(acr: str, tokens: list[EnToken]) -> bool:
    """True when the letters of `acr` are the initials of the span's words, in order (function words and
    at most one leading content word may be skipped)."""
    letters = [c.lower() for c in acr if c.isalpha()]
    if acr.endswith("s") and acr[:-1].isupper():
        letters = letters[:-1]
    ini = _initials(tokens)
    if len(letters) < 2 or not ini:
        return False

    def rec(i: int, k: int, skipped: int) -> bool:
        if k == len(letters):
            return all(fw for _, fw in ini[i:])
        if i == len(ini):
            return False
        c, fw = ini[i]
        if c == letters[k] and rec(i + 1, k + 1, skipped):
            return True
        if fw:
            return rec(i + 1, k, skipped)
        if skipped == 0 and k == 0:  # one leading descriptor ("New International ...")
            return rec(i + 1, k, 1)
        return False

    return rec(0, 0, 0)


def parenthesised_acronyms(text: str, tokens: list[EnToken]) -> list[tuple[str, str]]:
    """('New International Land-Sea Trade Corridor', 'ILSTC') from 'Expansion (ACR)' patterns."""
    out = []
    starts = {t.start: i for i, t in enumerate(tokens)}
    for m in _PAREN_ACR.finditer(text):
        acr = m.group(1)
        if sum(c.isupper() for c in acr) < 2:
            continue
        i = starts.get(m.start(1))
        if i is None or i == 0:
            continue
        end = i - 1
        for a in range(max(0, end - MAX_SPAN + 1), end + 1):
            span = tokens[a : end + 1]
            if any(t.brk for t in span[1:]) or span[0].stop:
                continue
            if not span[0].cap and span[0].text[:1].upper() != acr[:1].upper():
                continue  # a lower-case word the acronym does not start with: 'since the Regional ... (RCEP)'
            if acronym_matches(acr, span):
                out.append((text[span[0].start : span[-1].end], acr))
                break
    return out


_TITLE_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of|and|for|the|on|in|with|to|against))*\s+[A-Z]")


def has_title_run(text: str) -> bool:
    """The text holds two or more capitalised words in a row (inner function words allowed): a place where a
    multi-word title-case name can be ('Asian Infrastructure Investment Bank', 'Ministry of Commerce')."""
    return _TITLE_RUN.search(text) is not None
