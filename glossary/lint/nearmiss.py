"""Near-match windows for the unapproved-variant check: anchor hits, word windows, a lossless bound on the
rapidfuzz score, and the best-scoring window around each anchor."""

from __future__ import annotations

import bisect
import heapq
import re
from bisect import bisect_left

import numpy as np
from rapidfuzz import fuzz

from glossary.lint.anchors import NUMERAL, anchor_hits
from glossary.lint.concepts import Near
from glossary.lint.keyscan import _ranges, iter_words
from glossary.lint.matcher import Glossary
from glossary.lint.views import _codepoints_bmp

_TOKEN = re.compile(r"[0-9a-z\u00c0-\u024f]+")


def anchor_items(g: Glossary, norm: str, starts: list[int], ends: list[int], threshold: float,
                 cp: np.ndarray | None = None, arrays: tuple | None = None):
    """(p, e, near index, j, prev3, next3, windows) per anchor hit and item that could yield a near-match
    finding (windows: (start, three ends) worked out in bulk, see _window_fits; None: best_window's job),
    in the order of the hits (by start) and of each hit's items. The plain hits are filtered in bulk: an
    anchor inside an exact match never fires (one word: it cannot straddle a match); an item's every
    window starts j words left of the anchor and ends no earlier than a known point (see _plain_items), so it
    needs j words before the anchor and no match overlapping that stretch (else overlaps drops it); and the
    neighbour pre-filter (prev3/next3 near the anchor) runs on code-point arrays."""
    far = len(norm) + 1  # a sentinel match past the text, so the arrays are never empty
    if arrays is None:
        arrays = np.asarray(starts, np.int64), np.asarray(ends, np.int64)
    m_starts, m_ends = (np.append(a, far) for a in arrays)
    p, e, key = anchor_hits(g, norm, m_starts[:-1], m_ends[:-1])
    plain = _plain_items(g, norm, p, e, key, m_starts, m_ends, threshold, cp) if len(p) else []
    auto = g.anchor_auto
    items = ((pp, ee, *auto.item(kk, rr), (ss, ww)) for pp, ee, kk, rr, ss, ww in plain)
    if g.marked_anchor_auto is None:
        yield from items
        return
    marked = []
    for pp, ee, v in iter_words(g.marked_anchor_auto, norm, shorter=False):
        kk = bisect_left(starts, ee) - 1
        if kk >= 0 and ends[kk] > pp:
            continue
        marked += [(pp, ee, *it, None) for it in v[1]]
    yield from heapq.merge(items, marked, key=lambda x: (x[0], x[1]))


def _plain_items(g: Glossary, norm: str, p: np.ndarray, e: np.ndarray, key: np.ndarray, m_starts: np.ndarray,
                 m_ends: np.ndarray, threshold: float, cp: np.ndarray | None = None
                 ) -> list[tuple[int, int, int, int]]:
    """(p, e, key, rank of the item in the key's list) of the plain anchor items that pass the bulk filters
    (see anchor_items), the neighbour pre-filter included. m_starts/m_ends: the exact matches' norm spans,
    sorted, with a sentinel span past the text at the end."""
    k = np.searchsorted(m_starts, e, "left") - 1  # the last match starting before the anchor ends
    free = (k < 0) | (m_ends[np.maximum(k, 0)] <= p)
    p, e, key, k = p[free], e[free], key[free], k[free]
    # per free anchor: where the last match before it ends (-1: none) and where the next one starts (the
    # sentinel at worst); a window [s, t) around the anchor overlaps no match when s is at or after the one
    # and t at or before the other (no match starts inside a free anchor)
    prev_end = np.where(k >= 0, m_ends[np.maximum(k, 0)], -1)
    next_start = m_starts[k + 1]
    first, count, js, prev_code, prev_len, next_code, next_len, words, klen, plen, near_ix = \
        g.anchor_auto.tables(g.nears)
    n = count[key]
    hit = np.repeat(np.arange(len(p)), n)
    flat, _ = _ranges(first[key], n)
    if cp is None:  # the view's code points (any integer type), else worked out here
        cp = _codepoints_bmp(norm)
    spaces = np.flatnonzero(cp == 32)
    word_starts = np.concatenate(([0], spaces + 1))
    word = np.searchsorted(spaces, p)[hit]  # index of the anchor word (spaces before it)
    j = js[flat]
    left = word - j
    ok = left >= 0
    # best_window steps left word by word and gives up on reaching the text's first two characters
    ok &= (j == 0) | (word_starts[np.clip(left + 1, 0, len(word_starts) - 1)] > 1)
    s = word_starts[np.maximum(left, 0)]
    # every window ends at or after: the anchor's end (when it may end with the anchor), else the start of
    # its shortest window's last word (trailing marks are trimmed, never past the space before that word).
    # best_window counts words right of the anchor by spaces from its end, so an anchor followed by a
    # sentence mark ("corridor,") counts the rest of its own token as the first of them.
    eh = e[hit]
    marked = cp[np.minimum(eh, len(cp) - 1)] != 32
    right = np.maximum(words[flat] - j - 2, 0) - (marked & (eh < len(cp)))
    t = np.where(right <= 0, eh, word_starts[np.minimum(word + right, len(word_starts) - 1)])
    ok &= (next_start[hit] >= t) & (prev_end[hit] <= s)
    sel = np.flatnonzero(ok)
    hit, flat, s = hit[sel], flat[sel], s[sel]
    grams: dict = {}
    near = _gram_near(cp, p[hit], prev_code[flat], prev_len[flat], True, grams)
    hit, flat, s = hit[near], flat[near], s[near]
    near = _gram_near(cp, e[hit], next_code[flat], next_len[flat], False, grams)
    hit, flat, s = hit[near], flat[near], s[near]
    if not len(hit):
        return []
    fit, windows = _window_fits(cp, spaces, e[hit], s, words[flat] - js[flat], klen[flat], plen[flat], threshold)
    hit, flat, s, windows = hit[fit], flat[fit], s[fit], windows[:, fit]
    fit = _could_score(g, cp, s, windows, near_ix[flat], threshold)
    hit, flat, s, windows = hit[fit], flat[fit], s[fit], windows[:, fit]
    rank = flat - first[key[hit]]
    return list(zip(p[hit].tolist(), e[hit].tolist(), key[hit].tolist(), rank.tolist(), s.tolist(),
                    windows.T.tolist()))


def _window_fits(cp: np.ndarray, spaces: np.ndarray, e: np.ndarray, s: np.ndarray,
                 right: np.ndarray, klen: np.ndarray, plen: np.ndarray, threshold: float) -> np.ndarray:
    """Per item: whether one of best_window's windows (start s; n - j - 1, n - j - 2 or n - j words right
    of the anchor, `right` = n - j; trailing marks trimmed) has a length that passes its length filter and
    could reach the score: fuzz.ratio >= threshold needs |a - b| <= (1 - threshold / 100) * (a + b) for the
    key or its plural (indel distance >= the length difference); and the three window ends, in
    best_window's order (-1: no such window, or it cannot score)."""
    size = len(cp)
    q = np.searchsorted(spaces, e + 1)  # the first space after the anchor's first following character
    slack = 1.0 - threshold / 100.0
    out = np.zeros(len(e), bool)
    windows = np.full((3, len(e)), -1, np.int64)
    for w, after in enumerate((right - 1, right - 2, right)):
        ok = after >= 0
        at = q + after - 1  # ends[after]: the after-th space from q, or the text's end just past the last
        following = spaces[np.clip(at, 0, len(spaces) - 1)] if len(spaces) else np.full(len(e), size)
        t = np.where(after == 0, e, np.where(at < len(spaces), following, size))
        ok &= (after == 0) | ((at <= len(spaces)) & (e < size))
        t = _trim_marks(cp, t, s)
        n = t - s
        ok &= np.abs(n - klen) <= klen * 0.25 + 1e-9
        ok &= (np.abs(n - klen) <= slack * (n + klen) + 1e-9) | (np.abs(n - plen) <= slack * (n + plen) + 1e-9)
        windows[w] = np.where(ok, t, -1)
        out |= ok
    return out, windows


def _bins() -> np.ndarray:
    """Character classes of a norm text for _could_score: each digit and letter a-z its own, the space, the
    sentence marks, and every other character (accented Latin) one class each (index _LATIN_END: beyond)."""
    out = np.full(0x251, 38, np.int64)
    for c in range(0x251):
        ch = chr(c)
        if "0" <= ch <= "9":
            out[c] = c - 48
        elif "a" <= ch <= "z":
            out[c] = c - 97 + 10
        elif ch == " ":
            out[c] = 36
        elif ch in ".,;:!?":
            out[c] = 37
    return out


_BIN = _bins()
_BINS = 39


def _histograms(cp: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """(len(starts), _BINS): per range of code points, how many of each character class (see _bins)."""
    at, _ = _ranges(starts, lengths)
    owner = np.repeat(np.arange(len(starts)), lengths)
    classes = _BIN[np.minimum(cp[at].astype(np.int64), 0x250)]  # (any integer type of code points)
    return np.bincount(owner * _BINS + classes, minlength=len(starts) * _BINS).reshape(len(starts), _BINS)


def _could_score(g: Glossary, cp: np.ndarray, s: np.ndarray, windows: np.ndarray, near_ix: np.ndarray,
                 threshold: float) -> np.ndarray:
    """Per item: whether one of its windows (start s, ends `windows`, -1: none) could reach the score against
    its term's key or plural key; windows that cannot are set to -1. fuzz.ratio is 200 · LCS / (la + lb), and
    a common subsequence holds at most min(count in a, count in b) characters of each class, so a window
    whose class counts cap that below the threshold can never score (an upper bound: nothing best_of would
    find is dropped)."""
    if not len(s):
        return np.zeros(0, bool)
    uniq, which = np.unique(near_ix, return_inverse=True)
    bounds = []
    for texts in ([g.nears[i].key for i in uniq.tolist()], [g.nears[i].plural_key for i in uniq.tolist()]):
        lengths = np.fromiter((len(t) for t in texts), np.int64, len(texts))
        kcp = np.frombuffer("".join(texts).encode("utf-32-le"), np.uint32)
        bounds.append((_histograms(kcp, np.cumsum(lengths) - lengths, lengths)[which], lengths[which]))
    out = np.zeros(len(s), bool)
    for w in range(windows.shape[0]):
        t = windows[w]
        has = np.flatnonzero(t >= 0)
        if not len(has):
            continue
        n = t[has] - s[has]
        hist = _histograms(cp, s[has], np.maximum(n, 0))
        ok = np.zeros(len(has), bool)
        for khist, klen in bounds:
            common = np.minimum(hist, khist[has]).sum(axis=1)
            ok |= 200.0 * common >= threshold * (n + klen[has]) - 1e-6
        windows[w, has[~ok]] = -1
        out[has[ok]] = True
    return out


def _trim_marks(cp: np.ndarray, t: np.ndarray, s: np.ndarray) -> np.ndarray:
    """t moved left over trailing sentence marks, never below s (as best_window trims a window's end)."""
    t = t.copy()
    while True:
        back = (t > s) & _MARK_LUT[np.minimum(cp[np.clip(t - 1, 0, len(cp) - 1)], 128)]
        if not back.any():
            return t
        t -= back


_MARK_LUT = np.zeros(129, bool)
_MARK_LUT[[ord(c) for c in ".,;:!?"]] = True
_REACH = 16  # the neighbour pre-filter looks this many characters before/after the anchor


def _gram_near(cp: np.ndarray, at: np.ndarray, code: np.ndarray, length: np.ndarray, before: bool,
               tables: dict | None = None) -> np.ndarray:
    """Per item: its gram (code, length; length 0: no condition) occurs in norm[at - 16:at] (before) or
    norm[at:at + 16] (after), as `gram in norm[...]` would find it. The text's 3-grams are packed once per
    text (see _gram_table; `tables` keeps the table between calls), an n-gram being the top n characters of
    a 3-gram, so an item's 16 candidate positions cost one gather each."""
    out = length == 0
    tables = {} if tables is None else tables
    table = tables.get(3)
    for n in (1, 2, 3):
        sel = np.flatnonzero(length == n)
        if not len(sel):
            continue
        if table is None:
            table = tables[3] = _gram_table(cp)
        d = np.arange(_REACH - n + 1)
        # before: a gram at i with max(0, at - 16) <= i and i + n <= at; after: at <= i, i + n <= at + 16
        pos = at[sel, None] - n - d[None, :] if before else at[sel, None] + d[None, :]
        out[sel] = ((table[pos + _REACH] >> np.uint32(10 * (3 - n))) == _repack(code[sel], n)[:, None]).any(axis=1)
    return out


_NO_GRAM = np.uint32(0xFFFFFFFF)  # off the text: no packed gram, shifted or not, equals it (see _gram_table)
_NOT_IN_TEXT = np.uint32(0xFFFFFFFE)  # a gram with a character a norm text never holds
_PAST_END = 1023  # stands for the characters after the text's end: never a norm character


def _gram_table(cp: np.ndarray) -> np.ndarray:
    """The 3-gram starting at each offset of a norm text, 10 bits per character (a norm text only holds
    characters below 0x250; past its end, _PAST_END), at index offset + 16, and _NO_GRAM for the 16 indices
    each side. Shifted right by 10 (20) bits, an entry is the 2-gram (1-gram) at that offset; one that runs
    past the end holds _PAST_END, and a shifted _NO_GRAM a character above 1023, so neither equals an item's
    code (whose characters are below 1024, else _NOT_IN_TEXT)."""
    c = np.concatenate((cp.astype(np.uint32), np.full(2, _PAST_END, np.uint32)))
    m = len(cp)
    grams = (c[:m] << 20) | (c[1:m + 1] << 10) | c[2:m + 2]
    pad = np.full(_REACH, _NO_GRAM, np.uint32)
    return np.concatenate((pad, grams, pad, pad[:4]))


def _repack(code: np.ndarray, n: int) -> np.ndarray:
    """Gram codes of n characters from 21 bits per character (anchors._gram_code) to _gram_table's 10."""
    out = np.zeros(len(code), np.int64)
    wide = np.zeros(len(code), bool)
    for k in range(n):
        ch = (code >> (21 * (n - 1 - k))) & 0x1FFFFF
        wide |= ch >= 1024
        out = (out << 10) | ch
    return np.where(wide, _NOT_IN_TEXT, out).astype(np.uint32)


def overlaps(ends: list[int], starts: list[int], s: int, e: int) -> bool:
    """Whether [s, e) overlaps a matched span (spans sorted and disjoint)."""
    k = bisect.bisect_left(starts, e) - 1
    return k >= 0 and ends[k] > s


def wordwise(text: str, words: list[str]) -> bool:
    """A variant differs by spelling, not by words: each word close to its counterpart, or the same letters
    split/joined differently ("land sea" / "landsea")."""
    got = _TOKEN.findall(text)
    if len(got) == len(words):
        return all(a == b or fuzz.ratio(a, b) >= 75 for a, b in zip(got, words))
    return fuzz.ratio("".join(got), "".join(words)) >= 95


def best_of(norm: str, s: int, ends: list[int], item: Near, threshold: float):
    """best_window's choice among windows [s, t) already cut (t < 0: none)."""
    klen = len(item.key)
    best = None
    for t in ends:
        if t < 0 or abs((t - s) - klen) > klen * 0.25:
            continue
        text = norm[s:t]
        if text == item.key or text == item.plural_key:
            continue
        score = max(fuzz.ratio(text, item.key, score_cutoff=threshold),
                    fuzz.ratio(text, item.plural_key, score_cutoff=threshold))
        if score and (best is None or score > best[0]):
            if frozenset(w for w in text.split(" ") if NUMERAL.match(w)) != item.numerals:
                continue
            best = (score, s, t, text)
    return None if best is None else best[1:]


def best_window(norm: str, p: int, e: int, j: int, item: Near, threshold: float):
    """The best-scoring window of n-1, n or n+1 words placing the anchor word at index j of the term."""
    n = len(item.words)
    s = p  # j words left of the anchor (once for all three windows)
    for _ in range(j):
        if s <= 1:
            return None
        s = norm.rfind(" ", 0, s - 1) + 1
    size = len(norm)
    ends = [e]  # ends[k]: k words right of the anchor, while the text lasts
    t = e
    for _ in range(n - j):
        if t >= size:
            break
        nxt = norm.find(" ", t + 1)
        t = size if nxt < 0 else nxt
        ends.append(t)
    cut = []  # n, n-1, n+1 words, in that order (on equal scores the first wins), trailing punctuation trimmed
    for after in (n - j - 1, n - j - 2, n - j):
        if after < 0 or after >= len(ends):
            continue
        t = ends[after]
        while t > s and norm[t - 1] in ".,;:!?":
            t -= 1
        cut.append(t)
    return best_of(norm, s, cut, item, threshold)
