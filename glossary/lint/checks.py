"""Lint checks over matched glossary terms: status, missing target, inconsistency, variants, acronyms."""

from __future__ import annotations

import bisect
import heapq
import os
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from glossary.data import Finding
from glossary.lint import parallel
from glossary.lint.matcher import (NUMERAL, EnScan, Glossary, Match, Near, _ranges, anchor_hits, gram_codes,
                                   is_acronym, iter_words, plural)
from glossary.lint.views import _codepoints_bmp
from glossary.lint.source import LintDocument, Region, SourceFile, has_han


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    name: str
    description: str


CHECKS: dict[str, Check] = {c.id: c for c in (
    Check("forbidden-term", "error", "Forbidden term",
          "A term whose usage status is 'forbidden' appears; use the preferred term."),
    Check("deprecated-term", "error", "Deprecated term",
          "A term whose usage status is 'deprecated' appears; use the preferred term."),
    Check("missing-term", "error", "Missing target term",
          "A segment's Chinese contains an approved term but its English contains none of the term's "
          "admitted translations (preferred, admitted variants, acronym)."),
    Check("inconsistent-translation", "warning", "Inconsistent translation",
          "One concept is rendered by different admitted terms within a document (or the project)."),
    Check("unapproved-variant", "warning", "Unapproved variant",
          "An English form close to a glossary term (casing, hyphen/space/closed spelling, near match) that "
          "is not itself in the glossary."),
    Check("acronym-before-expansion", "warning", "Acronym before expansion",
          "An approved acronym is used before its full form appears in the document."),
)}
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass
class Options:
    fuzzy_threshold: float = 90.0
    checks: frozenset[str] = frozenset(CHECKS)
    # processes for a large English-only draft (None: as many as there are idle cores, see
    # parallel.idle_workers). Only drafts of 2 × min_chunk_chars or more are split (smaller ones, and bilingual
    # documents, are linted serially); GLOSSARY_LINT_WORKERS=N sets N (1: always serial). The parent lints the
    # first part itself while one forked child per extra process lints the rest (lint.parallel). Measured with
    # bench_lint on this shared 2-core machine (load average 4.7-4.8), 100k-term glossary, 5 MB drafts: a
    # critical path (the parent's CPU, the child running beside it) of 13.1-14.2 MB/s against 8.6-9.9 MB/CPU-s
    # serial, but 30-40% more CPU in all (6.6-7.1 MB/CPU-s), so with no idle core the split is slower (4.4-4.8
    # MB/s wall against 6.2-6.3).
    workers: int | None = field(default_factory=lambda: default_workers())
    min_chunk_chars: int = 500_000  # a draft is split only into chunks at least this long


def default_workers() -> int | None:
    """GLOSSARY_LINT_WORKERS (a positive number of processes), else None: the idle cores (large drafts only)."""
    raw = os.environ.get("GLOSSARY_LINT_WORKERS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


# --------------------------------------------------------------------------- scanning


def scan(doc: LintDocument, g: Glossary) -> tuple[list[Match], list[tuple[Region, EnScan]]]:
    """Every glossary match in the document's regions (file offsets), in document order, plus English scans."""
    hits: list[Match] = []
    scans: list[tuple[Region, EnScan]] = []
    lean = doc.kind != "bilingual"  # missing-term needs every English match; the other checks do not
    for r in doc.regions:
        text = r.text
        sc = g.scan_en(text, r.start, r.file, lean)
        scans.append((r, sc))
        han = sc.view.han if sc.view.han is not None else has_han(text)
        zh = g.match_zh(text, r.start, r.file) if han else []
        hits += sorted(sc.matches + zh, key=lambda m: m.start) if zh else sc.matches
    return hits, scans


def finding(f: SourceFile, start: int, end: int, check: str, message: str, match: str = "",
            suggestion: str = "") -> Finding:
    line, col = f.line_col(start)
    return Finding(path=f.path, line=line, column=col, start=start, end=end, check=check,
                   severity=CHECKS[check].severity, message=message, match=match, suggestion=suggestion)


def _inflect(preferred: str, m: Match) -> str:
    """Carry the match's plural/possessive over to a suggested replacement."""
    out = plural(preferred) if "plural" in m.form and not is_acronym_text(preferred) else preferred
    if "plural" in m.form and is_acronym_text(preferred):
        out += "s"
    if re.search(r"['\u2019]s?$", m.surface):
        out += "'" if out.endswith("s") and m.surface[-1] in "'\u2019" else "'s"
    return out


def is_acronym_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and " " not in text and all(c.isupper() for c in letters)


# --------------------------------------------------------------------------- checks


def check_status(hits: list[Match]) -> list[Finding]:
    """deprecated-term / forbidden-term: suggest the preferred term of the same language."""
    out = []
    said: dict[tuple, tuple[str, str, str]] = {}  # (term, surface, form) -> (check, message, suggestion)
    for m in hits:
        if m.term.status not in ("deprecated", "forbidden"):
            continue
        key = (id(m.term), m.surface, m.form, m.lang)
        text = said.get(key)
        if text is None:
            pref = m.concept.preferred(m.lang)
            text = said[key] = (f"{m.term.status}-term", f"'{m.surface}' is {m.term.status} for {m.concept.label()}",
                                f"use '{_inflect(pref.text, m)}'" if pref else "")
        out.append(finding(m.file, m.start, m.end, text[0], text[1], m.surface, text[2]))
    return out


def _fold_surface(s: str) -> str:
    s = re.sub(r"(?<=-)\s*\n\s*", "", s)
    s = " ".join(s.split())
    s = s.translate(str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"}))
    return re.sub(r"(?:'s|(?<=s)')$", "", s)


def check_spelling(hits: list[Match]) -> list[Finding]:
    """unapproved-variant (spelling): hyphen/space/closed forms, or a proper noun written in lower case."""
    out = []
    said: dict[tuple, tuple[str, str] | None] = {}  # (term, surface, form) -> (message, suggestion) or None
    for m in hits:
        if m.lang != "en" or m.acronym or m.surface == m.term.text or m.term.status not in ("preferred",
                                                                                              "admitted"):
            continue
        key = (id(m.term), m.surface, m.form)
        if key not in said:
            said[key] = _spelling(m)
        text = said[key]
        if text is not None:
            out.append(finding(m.file, m.start, m.end, "unapproved-variant", text[0], m.surface, text[1]))
    return out


def _spelling(m: Match) -> tuple[str, str] | None:
    """(message, suggestion) when a match's surface is an unapproved spelling of its term, else None."""
    sur = _fold_surface(m.surface)
    exp = " ".join(m.term.text.split())
    forms = (exp, plural(exp))
    if sur in forms:
        return None
    low = next((f for f in forms if f.lower() == sur.lower()), None)
    if low is not None:
        if not any(a.isupper() and b.islower() for a, b in zip(low, sur)):
            return None  # sentence-initial or title capitals are fine; lower-casing a proper noun is not
        why = "casing differs from"
    else:
        why = "is a spelling variant of"
    return f"'{m.surface}' {why} the glossary term '{exp}'", f"use '{_inflect(exp, m)}'"


_TOKEN = re.compile(r"[0-9a-z\u00c0-\u024f]+")


def check_near_misses(g: Glossary, scans: list[tuple[Region, EnScan]], threshold: float,
                      keep: tuple[int, int] | None = None) -> list[Finding]:
    """unapproved-variant (near match): word windows around anchor words that rapidfuzz finds close to a
    multi-word preferred term, outside every exact match. keep: only anchors at these file offsets
    (a chunk of a larger text, scanned with context around it)."""
    if g.anchor_auto is None and g.marked_anchor_auto is None:
        return []
    out = []
    for r, sc in scans:
        norm = sc.view.norm
        starts, ends = sc.starts, sc.ends
        seen: set[tuple[int, int]] = set()
        for p, e, ni, j, prev3, next3, windows in _anchor_items(g, norm, starts, ends, threshold, sc.view.cp,
                                                                 sc.arrays):
            if keep is not None and not keep[0] <= sc.view.orig(p) + r.start < keep[1]:
                continue
            # cheap pre-filter: the term's neighbouring words (first 3 letters) sit next to the anchor
            if (prev3 and prev3 not in norm[max(0, p - 16):p]) or (next3 and next3 not in norm[e:e + 16]):
                continue
            item = g.nears[ni]
            if windows is None:
                best = _best_window(norm, p, e, j, item, threshold)
            else:
                best = _best_of(norm, windows[0], windows[1], item, threshold)
            if best is None:
                continue
            s, t_end, text = best
            if (s, t_end) in seen or text in g.known_en or _overlaps(ends, starts, s, t_end) \
                    or not _wordwise(text, item.words):
                continue
            seen.add((s, t_end))
            o_start, o_end = sc.view.span(s, t_end)
            o_start, o_end = o_start + r.start, o_end + r.start
            surface = r.file.text[o_start:o_end]
            out.append(finding(r.file, o_start, o_end, "unapproved-variant",
                               f"'{surface}' looks like a variant of '{item.term.text}' (not in the glossary)",
                               surface, f"use '{item.term.text}'"))
    return out


def _anchor_items(g: Glossary, norm: str, starts: list[int], ends: list[int], threshold: float,
                  cp: np.ndarray | None = None, arrays: tuple | None = None):
    """(p, e, near index, j, prev3, next3, windows) per anchor hit and item that could yield a near-match
    finding (windows: (start, three ends) worked out in bulk, see _window_fits; None: _best_window's job),
    in the order of the hits (by start) and of each hit's items. The plain hits are filtered in bulk: an
    anchor inside an exact match never fires (one word: it cannot straddle a match); an item's every
    window starts j words left of the anchor and ends no earlier than a known point (see _plain_items), so it
    needs j words before the anchor and no match overlapping that stretch (else _overlaps drops it); and the
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
    (see _anchor_items), the neighbour pre-filter included. m_starts/m_ends: the exact matches' norm spans,
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
    # _best_window steps left word by word and gives up on reaching the text's first two characters
    ok &= (j == 0) | (word_starts[np.clip(left + 1, 0, len(word_starts) - 1)] > 1)
    s = word_starts[np.maximum(left, 0)]
    # every window ends at or after: the anchor's end (when it may end with the anchor), else the start of
    # its shortest window's last word (trailing marks are trimmed, never past the space before that word).
    # _best_window counts words right of the anchor by spaces from its end, so an anchor followed by a
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
    """Per item: whether one of _best_window's windows (start s; n - j - 1, n - j - 2 or n - j words right
    of the anchor, `right` = n - j; trailing marks trimmed) has a length that passes its length filter and
    could reach the score: fuzz.ratio >= threshold needs |a - b| <= (1 - threshold / 100) * (a + b) for the
    key or its plural (indel distance >= the length difference); and the three window ends, in
    _best_window's order (-1: no such window, or it cannot score)."""
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
    whose class counts cap that below the threshold can never score (an upper bound: nothing _best_of would
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
    """t moved left over trailing sentence marks, never below s (as _best_window trims a window's end)."""
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
    """Gram codes of n characters from 21 bits per character (matcher._gram_code) to _gram_table's 10."""
    out = np.zeros(len(code), np.int64)
    wide = np.zeros(len(code), bool)
    for k in range(n):
        ch = (code >> (21 * (n - 1 - k))) & 0x1FFFFF
        wide |= ch >= 1024
        out = (out << 10) | ch
    return np.where(wide, _NOT_IN_TEXT, out).astype(np.uint32)


def _overlaps(ends: list[int], starts: list[int], s: int, e: int) -> bool:
    """Whether [s, e) overlaps a matched span (spans sorted and disjoint)."""
    k = bisect.bisect_left(starts, e) - 1
    return k >= 0 and ends[k] > s


def _wordwise(text: str, words: list[str]) -> bool:
    """A variant differs by spelling, not by words: each word close to its counterpart, or the same letters
    split/joined differently ("land sea" / "landsea")."""
    got = _TOKEN.findall(text)
    if len(got) == len(words):
        return all(a == b or fuzz.ratio(a, b) >= 75 for a, b in zip(got, words))
    return fuzz.ratio("".join(got), "".join(words)) >= 95


def _best_of(norm: str, s: int, ends: list[int], item: Near, threshold: float):
    """_best_window's choice among windows [s, t) already cut (t < 0: none)."""
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


def _best_window(norm: str, p: int, e: int, j: int, item: Near, threshold: float):
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
    return _best_of(norm, s, cut, item, threshold)


def check_inconsistent(hits: list[Match]) -> list[Finding]:
    """inconsistent-translation: one concept, several admitted full forms in the same scope."""
    groups: dict[tuple[int, str], list[Match]] = defaultdict(list)
    for h in hits:
        m = h
        if m.term.status in ("preferred", "admitted") and not m.acronym \
                and m.term.term_type not in ("abbreviation", "shortForm"):
            groups[(m.concept.index, m.lang)].append(h)
    out = []
    for (_, lang), group in groups.items():
        counts = Counter(h.term.text for h in group)
        if len(counts) < 2:
            continue
        concept = group[0].concept
        majority = counts.most_common(1)[0][0]
        pref = concept.preferred(lang)
        target = pref.text if pref is not None and pref.text in counts else majority
        summary = ", ".join(f"'{t}' ×{n}" for t, n in counts.most_common())
        for h in group:
            if h.term.text == target:
                continue
            preferred = pref.text if pref else majority
            advice = (f"majority and preferred '{majority}'" if preferred == majority
                      else f"majority '{majority}', preferred '{preferred}'")
            msg = f"{concept.label()} is rendered in {len(counts)} ways ({summary}); {advice}"
            out.append(finding(h.file, h.start, h.end, "inconsistent-translation", msg, h.surface,
                               f"use '{_inflect(target, h)}'"))
    return out


def check_acronyms(hits: list[Match]) -> list[Finding]:
    """acronym-before-expansion: the first use of an acronym precedes every full form in the document."""
    expanded: set[int] = set()
    reported: set[int] = set()
    out = []
    en_hits = [h for h in hits if h.lang == "en"]
    for k, h in enumerate(en_hits):
        m = h
        c = m.concept.index
        if not m.acronym:
            expanded.add(c)
            continue
        if c in expanded or c in reported or m.term.status not in ("preferred", "admitted"):
            continue
        full = m.concept.preferred("en")
        if full is None or is_acronym(full):
            continue
        nxt = en_hits[k + 1] if k + 1 < len(en_hits) else None
        if nxt is not None and nxt.concept.index == c and not nxt.acronym \
                and nxt.file is h.file and 0 <= nxt.start - m.end <= 3:
            continue  # "ILSTC (New International Land-Sea Trade Corridor)"
        reported.add(c)
        out.append(finding(h.file, m.start, m.end, "acronym-before-expansion",
                           f"'{m.surface}' is used before its full form '{full.text}' appears", m.surface,
                           f"write '{full.text} ({m.term.text})' at first use"))
    return out


def check_missing(doc: LintDocument, g: Glossary, hits: list[Match]) -> list[Finding]:
    """missing-term: per aligned pair (or per document when unaligned), zh term without any English term."""
    if doc.kind != "bilingual":
        return []
    if doc.pairs is None:
        return _missing_document_level(hits)
    by_line: dict[tuple[str, int], list[Match]] = defaultdict(list)
    for h in hits:
        if h.lang == "zh":
            by_line[(h.file.path, h.file.line_col(h.start)[0])].append(h)
    used: set[int] = set()
    out = []
    for p in doc.pairs:
        zh_found = g.match_zh(p.zh_norm or p.zh)
        if not zh_found:
            continue
        en_found = g.match_en(p.en)
        ok = {m.concept.index for m in en_found}
        for zm in zh_found:
            c = zm.concept
            f, start, end, surface = _locate(doc, by_line, used, p.zh_line, zm)  # consume in pair order
            if c.index in ok or zm.term.status not in ("preferred", "admitted"):
                continue
            allowed = [t.text for t in c.allowed("en")]
            if not allowed:
                continue
            out.append(finding(f, start, end, "missing-term",
                               f"'{surface}' is in the glossary but the translation has none of "
                               + ", ".join(f"'{a}'" for a in allowed), surface, f"use '{allowed[0]}'"
                               if len(allowed) == 1 else f"use '{c.preferred('en').text}'"))
            ok.add(c.index)  # once per pair and concept
    return out


def _locate(doc: LintDocument, by_line, used: set[int], line: int, zm: Match
            ) -> tuple[SourceFile, int, int, str]:
    """The file position of a pair's zh term: the next unused hit of that concept on the pair's lines."""
    f = doc.zh_file
    for ln in range(line, line + 3):
        for h in by_line.get((f.path, ln), ()):
            if h.concept.index == zm.concept.index and id(h) not in used:
                used.add(id(h))
                return f, h.start, h.end, h.surface
    start, _ = f.line_span(max(line, 1))
    return f, start, start, zm.surface


def _missing_document_level(hits: list[Match]) -> list[Finding]:
    en = {h.concept.index for h in hits if h.lang == "en"}
    out, seen = [], set()
    for h in hits:
        c = h.concept
        if h.lang != "zh" or c.index in en or c.index in seen or not c.allowed("en") \
                or h.term.status not in ("preferred", "admitted"):
            continue
        seen.add(c.index)
        pref = c.preferred("en")
        out.append(finding(h.file, h.start, h.end, "missing-term",
                           f"'{h.surface}' is in the glossary but the document's English never uses "
                           f"'{pref.text}' (document level: not aligned)", h.surface, f"use '{pref.text}'"))
    return out


# --------------------------------------------------------------------------- driver


def lint_documents(docs: list[LintDocument], g: Glossary, options: Options | None = None,
                   scope: str = "document") -> list[Finding]:
    """All findings for the documents; inconsistency is judged per document or across the project."""
    opt = options or Options()
    out: list[Finding] = []
    all_hits: list[Match] = []
    for doc in docs:
        workers = parallel.idle_workers() if opt.workers is None else opt.workers
        chunks = parallel.plan(doc, g, workers, opt.min_chunk_chars, per_worker=1)
        if chunks is not None:
            status, spelling, near, hits = parallel.run(doc, g, opt.fuzzy_threshold, chunks, workers)
        else:
            hits, scans = scan(doc, g)
            status, spelling = check_status(hits), check_spelling(hits)
            near = check_near_misses(g, scans, opt.fuzzy_threshold)
        all_hits += hits
        out += status
        out += spelling
        out += near
        out += check_acronyms(hits)
        out += check_missing(doc, g, hits)
        if scope == "document":
            out += check_inconsistent(hits)
    if scope == "project":
        out += check_inconsistent(all_hits)
    out = [f for f in out if f.check in opt.checks]
    return sort_findings(out)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.start, f.end, f.check))


def at_or_above(findings: list[Finding], threshold: str) -> list[Finding]:
    return [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]]
