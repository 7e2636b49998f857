"""In-memory search over term keys for the review queue: query classification, substring and fuzzy lookups,
acronym keys for merge suggestions."""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from rapidfuzz import fuzz, process, utils

from glossary.text.normalize import has_han, norm_key, strip_tones

FUZZY_CUTOFF = 72
_STOPWORDS = {"of", "and", "the", "for", "in", "on", "to", "a", "an", "at", "by", "with", "&"}
_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")
_TITLE_WORDS = re.compile(r"\b[A-Z][a-z]+\b.*?\b[A-Z][a-z]+\b")


def initials(text: str, keep_stopwords: bool = False) -> str:
    """Upper-case initials of an English phrase's words (hyphenated parts count as words)."""
    words = _WORD_RE.findall(text)
    return "".join(w[0] for w in words if keep_stopwords or w.lower() not in _STOPWORDS).upper()


def looks_like_acronym(text: str) -> bool:
    return bool(_ACRONYM_RE.match(text.strip()))


def acronym_keys(expansion: str) -> set[str]:
    """Acronyms an English phrase could be abbreviated to (with/without stopwords, leading word dropped)."""
    if len(_WORD_RE.findall(expansion)) < 2:
        return set()
    keys = {initials(expansion), initials(expansion, keep_stopwords=True)}
    keys |= {k[1:] for k in list(keys) if len(k) >= 4}  # "New International Land-Sea ..." → ILSTC
    return {k for k in keys if len(k) >= 2}


def find_all(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Every non-overlapping (start, end) of needle in haystack (case-insensitive)."""
    if not needle:
        return []
    h, n = haystack.casefold(), needle.casefold()
    if len(h) != len(haystack):  # casefold changed lengths (ß...): fall back to exact search
        h, n = haystack, needle
    out, i = [], h.find(n)
    while i >= 0:
        out.append((i, i + len(n)))
        i = h.find(n, i + len(n))
    return out


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(spans)):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def classify_query(query: str) -> dict:
    """How to search for what the user typed: zh key, pinyin keys, English key."""
    q = " ".join(query.split())
    if not q:
        return {}
    if has_han(q):
        return {"zh": norm_key(q, "zh")}
    plain = strip_tones(q).lower()
    toned = plain != q.lower()
    compact = re.sub(r"[\s'’-]+", "", plain)
    out: dict = {}
    if compact.isascii() and compact.isalpha():
        out["pinyin"] = compact
        if " " not in q and not toned and len(compact) <= 20:
            out["initials"] = compact
    if not toned:
        out["en"] = norm_key(q, "en")
    return out


class Joined:
    """Keys of one kind joined by newlines: substring search with str.find, mapped back to entries."""

    def __init__(self, items: list[tuple[int, str]]):
        self.starts: list[int] = []
        self.entries: list[int] = []
        parts, pos = [], 0
        for entry_id, key in items:
            self.starts.append(pos)
            self.entries.append(entry_id)
            parts.append(key)
            pos += len(key) + 1
        self.text = "\n".join(parts)

    def contains(self, needle: str, cap: int) -> list[int]:
        out: dict[int, None] = {}
        text, starts = self.text, self.starts
        i = text.find(needle)
        while i >= 0 and len(out) < cap:
            k = bisect_right(starts, i) - 1
            out.setdefault(self.entries[k])
            nxt = starts[k + 1] if k + 1 < len(starts) else len(text)
            i = text.find(needle, nxt)
        return list(out)


class TermIndex:
    """In-memory term keys (built once, in a worker, per data version): substring and fuzzy search,
    similar-English and acronym lookups for merge suggestions."""

    def __init__(self, rows, scores: dict[int, float | None] | None = None):
        self.scores: dict[int, float | None] = scores or {}  # entry id → score (ranking without SQL)
        self.zh: dict[int, str] = {}
        self.en: dict[int, str] = {}
        self.en_sorted: dict[int, str] = {}  # word-sorted, punctuation-free: token-sort similarity by ratio
        self.pinyin: dict[int, str] = {}
        self.term_entry: dict[int, int] = {}
        self.expansions: dict[str, set[int]] = defaultdict(set)  # acronym key → entries with expansion
        self.acronyms: dict[str, set[int]] = defaultdict(set)  # acronym text → entries having it
        for term_id, entry_id, lang, key, pinyin, text in rows:
            self.term_entry[term_id] = entry_id
            if lang == "zh":
                self.zh[term_id] = key
                if pinyin:
                    self.pinyin[term_id] = pinyin
            else:
                self.en[term_id] = key
                self.en_sorted[term_id] = sorted_words(key)
                if looks_like_acronym(text):
                    self.acronyms[text.strip().upper()].add(entry_id)
                elif _TITLE_WORDS.search(text):  # only Title Case phrases get abbreviated
                    for k in acronym_keys(text):
                        self.expansions[k].add(entry_id)
        self.joined = {
            kind: Joined([(self.term_entry[t], k) for t, k in keys.items()])
            for kind, keys in (("zh", self.zh), ("en", self.en), ("pinyin", self.pinyin))
        }
        self.by_length = {kind: ByLength(keys) for kind, keys in (("zh", self.zh), ("en", self.en),
                                                                    ("pinyin", self.pinyin))}


class ByLength:
    """Keys sorted by length: a fuzzy query only scores keys whose length allows the score cutoff, and of
    those only keys whose characters could reach it (a lossless character-count bound, see `_possible`)."""

    def __init__(self, keys: dict[int, str]):
        items = sorted(keys.items(), key=lambda kv: len(kv[1]))  # stable: insertion order within a length
        self.term_ids = [t for t, _ in items]
        self.keys = [k for _, k in items]
        self.lengths = [len(k) for k in self.keys]
        self.counts = _char_counts(self.keys)
        self.np_lengths = np.asarray(self.lengths, dtype=np.float64)

    def _window(self, n: int, cutoff: float) -> tuple[int, int]:
        """An indel ratio of strings of lengths L and M is at most 200·min(L, M)/(L + M), so lengths outside
        [L·c/(200−c), L·(200−c)/c] can't pass."""
        lo = bisect_left(self.lengths, math.ceil(n * cutoff / (200 - cutoff) - 1e-9))
        hi = bisect_right(self.lengths, math.floor(n * (200 - cutoff) / cutoff + 1e-9))
        return lo, hi

    def _possible(self, query: str, cutoff: float, lo: int, hi: int) -> list[int] | None:
        """Positions in [lo, hi) whose key could score ≥ cutoff, or None (no bound for this query).

        The indel ratio is 200·LCS/(L + M), and an LCS uses each character at most as often as the rarer
        string has it: LCS ≤ Σ_bucket min(count in query, count in key) over characters hashed to 32 buckets
        (merging characters only raises the sum). Keys below the cutoff by that bound are skipped unscored."""
        q = _char_counts([query])[0]
        if int(q.max(initial=0)) >= 255:  # key counts are clipped at 255: the bound needs exact small counts
            return None
        common = np.minimum(self.counts[lo:hi], q).sum(axis=1, dtype=np.int32)
        bound = 200.0 * common / (len(query) + self.np_lengths[lo:hi])
        return (np.flatnonzero(bound >= cutoff - 1e-6) + lo).tolist()

    def extract(self, query: str, cutoff: float, limit: int | None,
                prefilter: bool = True) -> list[tuple[float, int]]:
        """(score, term id) of the best keys by QRatio ≥ cutoff (best first, ties in key order)."""
        lo, hi = self._window(len(query), cutoff)
        positions = self._possible(query, cutoff, lo, hi) if prefilter and hi > lo else None
        if positions is None:
            positions = range(lo, hi)
        keys = self.keys
        hits = process.extract(query, [keys[i] for i in positions], scorer=fuzz.QRatio, limit=limit,
                               score_cutoff=cutoff)
        return [(score, self.term_ids[positions[i]]) for _key, score, i in hits]


def _char_counts(keys: list[str]) -> np.ndarray:
    """Per key, how many of its characters fall in each of 32 buckets (code point mod 32, so ASCII letters
    get a bucket each), clipped at 255."""
    if not keys:
        return np.zeros((0, 32), dtype=np.uint8)
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(keys), dtype=np.int64), [len(k) for k in keys])
    flat = np.bincount(owner * 32 + (codes % 32), minlength=len(keys) * 32)
    return np.minimum(flat, 255).astype(np.uint8).reshape(len(keys), 32)


def sorted_words(text: str) -> str:
    return " ".join(sorted(utils.default_process(text).split()))
