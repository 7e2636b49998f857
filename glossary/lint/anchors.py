"""Near-match anchors: rare words of multi-word preferred English terms, found in one automaton pass."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from typing import TYPE_CHECKING

import ahocorasick
import ahocorasick_rs
import numpy as np

from glossary.data import TermData
from glossary.lint.concepts import Concept, Near, plural
from glossary.lint.keyscan import find_utf8, iter_words

if TYPE_CHECKING:
    from glossary.lint.matcher import Glossary


# Words too common in English prose to anchor a near-match search (they would fire everywhere).
_STOP = frozenset("""a about above after again against all also an and any are as at back be been before being
below between both but by can come could day did do does done down during each even every few first for from
get give go good great had has have having he her here him his how if in into is it its just know last less like
long made make many may me more most much must my new no not now of off old on once one only or other our out
over own part people place put said same say see she should since so some still such take than that the their
them then there these they thing think this those through time to too two under up upon us use used very want
was way we well were what when where which while who why will with without work would year years you your
made make makes making new next high low main major general public great state states""".split())
MAX_ANCHOR_TERMS = 12  # a word shared by more preferred terms than this is too common to anchor a search
NUMERAL = re.compile(r"^(?:\d+|[ivxlc]+)$")


def _anchor_automaton(near: list[tuple[Concept, TermData, list[str]]]
                      ) -> tuple[AnchorAutomaton | None, ahocorasick.Automaton | None, list[Near]]:
    """Each multi-word preferred term under its two rarest content words (near-match search anchors).
    Values hold indices into the returned list, so the automaton pickles as plain data (lint.cache)."""
    freq = Counter(w for _, _, words in near for w in set(words))
    index: dict[str, list[tuple[int, int, str, str]]] = {}
    nears: list[Near] = []
    for c, t, words in near:
        content = sorted({w for w in words if len(w) >= 4 and w not in _STOP}, key=lambda w: (freq[w], w))
        key = " ".join(words)
        ni = len(nears)
        nears.append(Near(c, t, words, key, plural(key), frozenset(w for w in words if NUMERAL.match(w))))
        for w in content[:2]:
            j = words.index(w)
            index.setdefault(w, []).append((ni, j, words[j - 1][:3] if j > 0 else "",
                                            words[j + 1][:3] if j + 1 < len(words) else ""))
    keep = {w: v for w, v in index.items() if len(v) <= MAX_ANCHOR_TERMS}
    plain = {w: v for w, v in keep.items() if not _HAS_MARK.search(w)}
    marked = {w: v for w, v in keep.items() if w not in plain}
    auto = None
    if plain:  # " word " / " word<mark>" on the marks view (see anchor_text): whole words only, in one pass
        keys, values = [], []
        for w, v in plain.items():
            keys += (" " + w + " ", " " + w + _MARK)
            values += ((len(w), v), (len(w), v))
        auto = AnchorAutomaton(keys, values)
    marked_auto = None
    if marked:  # words with a sentence mark inside (rare: "u.s."): " word" keys, boundary checked per hit
        marked_auto = ahocorasick.Automaton()
        for w, v in marked.items():
            marked_auto.add_word(" " + w, (len(w) + 1, v))
        marked_auto.make_automaton()
    return auto, marked_auto, nears


_MARK = "\x01"  # stands for every sentence mark in the anchor view
_HAS_MARK = re.compile(r"[.,;:!?]")
_TO_MARK = str.maketrans({c: _MARK for c in ".,;:!?"})
_TO_MARK_BYTES = bytes.maketrans(b".,;:!?", _MARK.encode() * 6)


def anchor_text(norm: str) -> str:
    """The view anchors are searched in: the norm text, space-padded, every sentence mark as one \\x01
    (so " word " / " word\\x01" keys match exactly the whole words, with no per-hit boundary check)."""
    return " " + norm.translate(_TO_MARK) + " "


class AnchorAutomaton:
    """Near-match anchor keys (" word " / " word\x01") with their values (word length, items), matched with
    every overlapping hit by ahocorasick_rs; pickles as keys and values. `tables()`: the items as flat arrays
    (see anchor_hits)."""

    __slots__ = ("_keys", "_values", "_ac", "_tables")

    def __init__(self, keys: list[str], values: list):
        self._keys, self._values = keys, values
        self._build()

    def _build(self) -> None:
        self._tables = None
        self._ac = ahocorasick_rs.BytesAhoCorasick([k.encode("utf-8", "surrogatepass") for k in self._keys],
                                                   matchkind=ahocorasick_rs.MatchKind.Standard)

    def __getstate__(self):
        return self._keys, self._values

    def __setstate__(self, state) -> None:
        self._keys, self._values = state
        self._build()

    def __len__(self) -> int:
        return len(self._keys)

    def keys(self) -> list[str]:
        return self._keys

    def values(self) -> list:
        return self._values

    def find_array(self, text: str) -> np.ndarray:
        """(key index, start, end) of every hit, overlapping ones included, as an (n, 3) int64 array."""
        return find_utf8(self._ac, text, overlapping=True)

    def tables(self, nears: list[Near]) -> tuple[np.ndarray, ...]:
        """Per key: its first item in the flat item list, its item count; per flat item: j, the code and
        length of prev3 and of next3 (see gram_codes), its term's word count, key length and plural key
        length, and its index in `nears` (the list the items index)."""
        if self._tables is None:
            count = np.fromiter((len(v[1]) for v in self._values), np.int64, len(self._values))
            items = [it for v in self._values for it in v[1]]
            js = np.fromiter((it[1] for it in items), np.int64, len(items))
            grams = [(_gram_code(it[2]), len(it[2]), _gram_code(it[3]), len(it[3]), len(nears[it[0]].words),
                      len(nears[it[0]].key), len(nears[it[0]].plural_key), it[0]) for it in items]
            grams = np.array(grams, np.int64).reshape(len(items), 8)
            self._tables = (np.cumsum(count) - count, count, js, *grams.T)
        return self._tables

    def item(self, key: int, k: int) -> tuple:
        return self._values[key][1][k]


def _gram_code(text: str) -> int:
    """Code points of up to 3 characters as one integer (21 bits each)."""
    out = 0
    for c in text:
        out = (out << 21) | ord(c)
    return out


def gram_codes(cp: np.ndarray, at: np.ndarray, length: int) -> np.ndarray:
    """The code (see _gram_code) of cp[i:i+length] for each position i in `at` (-1 where it would run off
    either end)."""
    size = len(cp)
    ok = (at >= 0) & (at + length <= size)
    out = np.zeros(at.shape, np.int64)
    for k in range(length):
        out = (out << 21) | cp[np.clip(at + k, 0, size - 1)].astype(np.int64)
    return np.where(ok, out, -1)


def anchor_hits(g: "Glossary", norm: str, starts: np.ndarray | None = None, ends: np.ndarray | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(norm starts, norm ends, key indices) of the plain whole-word anchor hits, in text order.

    starts/ends (sorted, disjoint norm spans of exact matches): leave out every hit overlapping one, as the
    near-match search does, by blanking the spans before searching (fewer hits to make and filter). A match
    starts and ends on a word, so a space next to a word outside it is outside it too: exactly the hits that
    overlap no match are found."""
    if g.anchor_auto is None:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    padded = " " + norm + " "
    data = padded.encode("utf-8", "surrogatepass").translate(_TO_MARK_BYTES)  # anchor_text, as UTF-8
    if starts is not None and len(starts) and len(data) == len(padded):  # (ASCII: byte = character offsets)
        step = np.zeros(len(data) + 1, np.int8)  # +1 where a span starts, -1 where it ends (disjoint spans)
        step[starts + 1] = 1  # norm offset i is anchor-text offset i + 1
        step[ends + 1] -= 1
        buf = np.frombuffer(data, np.uint8).copy()
        buf[np.cumsum(step, dtype=np.int8)[:-1] > 0] = 2
        data = buf.tobytes()
    found = find_utf8(g.anchor_auto._ac, data, overlapping=True, chars=padded)
    if len(found) > 1:
        found = found[np.argsort(found[:, 1], kind="stable")]
    key, start, end = found[:, 0], found[:, 1], found[:, 2]
    return start, end - 2, key  # " word " at anchor-text start p is the word at norm [p, end - 2)


def iter_anchors(g: "Glossary", norm: str):
    """(norm start, norm end, items) of whole-word anchor hits in text order (see _anchor_automaton)."""
    plain = marked = ()
    if g.anchor_auto is not None:
        starts, ends, keys = anchor_hits(g, norm)
        values = g.anchor_auto.values()
        plain = ((p, e, values[k][1]) for p, e, k in zip(starts.tolist(), ends.tolist(), keys.tolist()))
    if g.marked_anchor_auto is not None:
        marked = iter_words(g.marked_anchor_auto, norm, shorter=False)
        return heapq.merge(plain, ((s, e, v[1]) for s, e, v in marked))
    return plain
