"""Compiled glossary matcher: Aho-Corasick over normalised English and Simplified Chinese, offsets kept."""

from __future__ import annotations

import bisect
import gc
import heapq
import re
from collections import Counter
from dataclasses import dataclass, field

from itertools import chain

import ahocorasick
import ahocorasick_rs
import numpy as np

from glossary.data import EntryData, TermData
from glossary.text.clean import match_form
from glossary.lint.views import (_BOUNDARY, _LATIN_END, _SEP, _SPACES, _TRAIL_OK, View, _lower_same_length,
                                 differs, en_view, zh_view)

# --------------------------------------------------------------------------- word shapes


def is_word_char(c: str) -> bool:
    """Latin letters and digits count as word characters; CJK and punctuation do not (调用API接口)."""
    if c.isascii():
        return c.isalnum()
    return c.isalnum() and ord(c) < 0x2E80


def is_acronym(term: TermData) -> bool:
    """Acronyms/abbreviations and all-capital tokens (ILSTC, APEC, FAO) are matched case-sensitively."""
    if term.term_type in ("acronym", "abbreviation"):
        return True
    text = term.text
    if " " in text.strip() or not text.isupper():  # isupper: some cased character, none lower case
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def en_key(text: str) -> str:
    """The matching key of an English term: same folding as en_view, trimmed."""
    return _SPACES.sub(" ", _SEP.sub(" ", _lower_same_length(text))).strip()


def plural(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def en_variants(term: TermData, acronym: bool | None = None) -> dict[str, str]:
    """Matching keys of an English term → how each was formed ("base", "plural", "closed", ...)."""
    key = en_key(term.text)
    if not key:
        return {}
    out = {key: "base"}
    acr = is_acronym(term) if acronym is None else acronym
    if not key[-1].isdigit():
        out.setdefault(key + "s" if acr else plural(key), "plural")
    if not acr and re.search(r"[A-Za-z]-[A-Za-z]", term.text):
        closed = en_key(re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", "", term.text))
        out.setdefault(closed, "closed")
        out.setdefault(plural(closed), "closed plural")
    return out


# --------------------------------------------------------------------------- compiled glossary


@dataclass
class Concept:
    """One approved entry as lint sees it."""

    index: int
    entry: EntryData
    _memo: dict = field(default_factory=dict, repr=False, compare=False)  # preferred/label, computed once

    def terms(self, lang: str) -> list[TermData]:
        return [t for t in self.entry.terms if t.lang == lang]

    def preferred(self, lang: str) -> TermData | None:
        """The preferred full form (else the first admitted full form, else any usable term)."""
        try:
            return self._memo[lang]
        except KeyError:
            out = self._memo[lang] = self._preferred(lang)
            return out

    def _preferred(self, lang: str) -> TermData | None:
        usable = [t for t in self.terms(lang) if t.status in ("preferred", "admitted")]
        for pick in (lambda t: t.status == "preferred" and not is_acronym(t),
                     lambda t: not is_acronym(t), lambda t: t.status == "preferred", lambda t: True):
            for t in usable:
                if pick(t):
                    return t
        return None

    def allowed(self, lang: str) -> list[TermData]:
        return [t for t in self.terms(lang) if t.status in ("preferred", "admitted")]

    def label(self) -> str:
        out = self._memo.get("label")
        if out is None:
            zh = self.preferred("zh") or next(iter(self.terms("zh")), None)
            en = self.preferred("en") or next(iter(self.terms("en")), None)
            out = self._memo["label"] = " / ".join(t.text for t in (zh, en) if t is not None)
        return out


@dataclass(slots=True)
class Match:
    """A glossary term found in a text: original offsets, the surface text and which term matched."""

    start: int
    end: int
    surface: str
    lang: str
    concept: Concept
    term: TermData
    form: str  # how the matched key was formed: base | plural | closed | ...
    acronym: bool = False  # the matched term is an acronym/abbreviation (case-sensitive)
    file: object = None  # the SourceFile the offsets refer to, when scanned from a file region


@dataclass
class Near:
    """A multi-word preferred English term as a near-match target, pre-computed once at compile time."""

    concept: Concept
    term: TermData
    words: list[str]
    key: str
    plural_key: str
    numerals: frozenset[str]


@dataclass
class EnScan:
    """English matches of one text plus what the near-match search needs (view, matched norm spans)."""

    view: View
    matches: list[Match]
    starts: list[int]  # norm spans of every match (also those left out of `matches`), sorted
    ends: list[int]
    arrays: tuple | None = None  # (starts, ends) as int64 arrays, when the scan made them (lean scans)

    @property
    def spans(self) -> list[tuple[int, int]]:
        return list(zip(self.starts, self.ends))


@dataclass
class Glossary:
    """Concepts plus automata (English keys, Simplified Chinese keys, near-match anchors), compiled once."""

    concepts: list[Concept]
    en_auto: KeyAutomaton | None
    zh_auto: KeyAutomaton | None
    en_patterns: int = 0
    zh_patterns: int = 0
    # " word " / " word\x01" -> (len(word), [(index in nears, index of word, prev3, next3)]) (see iter_anchors)
    anchor_auto: AnchorAutomaton | None = None
    nears: list[Near] = field(default_factory=list)
    known_en: set[str] = field(default_factory=set)  # every English key in the glossary
    cut_marks: str = ""  # sentence marks no English key contains (see lint.parallel)
    max_key_len: int = 0  # longest English key
    marked_anchor_auto: ahocorasick.Automaton | None = None  # anchors with a sentence mark inside: " word"

    def scan_en(self, text: str, offset: int = 0, file=None, lean: bool = False) -> EnScan:
        """English matches (offsets + `offset`), with the view and matched norm spans for later checks.

        lean: leave out matches no English-only check can use (see `_quiet`); their spans are still kept."""
        view = en_view(text)
        return EnScan(view, *_match_en(self.en_auto, view, text, self.concepts, offset, file, lean))

    def match_en(self, text: str, offset: int = 0, file=None) -> list[Match]:
        return self.scan_en(text, offset, file).matches

    def match_zh(self, text: str, offset: int = 0, file=None) -> list[Match]:
        return _match_zh(self.zh_auto, zh_view(text), text, self.concepts, offset, file)


def compile_glossary(entries) -> Glossary:
    """Build the automata from approved entries; every English variant is expanded here, once."""
    enabled = gc.isenabled()
    gc.disable()  # millions of small long-lived objects: collections would only slow the build down
    try:
        return prepare(_compile(entries))
    finally:
        settle(enabled)


def prepare(g: Glossary) -> Glossary:
    """Build what scans would otherwise build on first use (the bulk scan's per-key tables, the anchor items'
    tables, the key index _shorter looks keys up in): compile work, done while compiling or loading from the
    cache rather than in the first lint (0.4 CPU-s at 100k terms)."""
    if g.en_auto is not None:
        g.en_auto.tables()
        g.en_auto._keys()
    if g.anchor_auto is not None:
        g.anchor_auto.tables(g.nears)
    return g


def settle(enabled: bool) -> None:
    """After building (or unpickling) a glossary with the collector off: move every object into the permanent
    generation (gc.freeze), then re-enable the collector. Otherwise the next collections would traverse the
    millions of new long-lived objects again and again (measured: the first lint of 1 MB after compiling a
    100k-term glossary took 1.66 CPU-s instead of 0.30), and forked workers' collections would copy every page.
    Frozen objects are still freed by reference counting; only cycles among them would be kept."""
    if enabled:
        gc.freeze()
        gc.enable()


def _compile(entries) -> Glossary:
    concepts: list[Concept] = []
    en_keys: dict[str, list] = {}
    zh_keys: dict[str, list] = {}
    near: list[tuple[Concept, TermData, list[str]]] = []
    for entry in entries:
        c = Concept(len(concepts), entry)
        concepts.append(c)
        for ti, t in enumerate(entry.terms):
            if t.lang == "en":
                acronym = t.text.strip() if is_acronym(t) else None
                quiet = _quiet(c, t, acronym is not None)
                for key, form in en_variants(t, acronym is not None).items():
                    en_keys.setdefault(" " + key, []).append((c.index, ti, form, acronym, quiet))
                if t.status == "preferred" and acronym is None:
                    words = en_key(t.text).split(" ")
                    if len(words) >= 2:
                        near.append((c, t, words))
            elif t.lang == "zh":
                key = match_form(t.text.strip())
                if key:
                    zh_keys.setdefault(key, []).append((c.index, ti, "base", None, 0))
    texts = {(c.index, ti): t.text for c in concepts for ti, t in enumerate(c.entry.terms)}
    known = {k[1:] for k in en_keys}
    in_keys = {c for k in known for c in k if c in ".,;:!?"}
    anchor_auto, marked_anchor_auto, nears = _anchor_automaton(near)
    return Glossary(concepts, _automaton(en_keys, texts), _automaton(zh_keys), len(en_keys), len(zh_keys),
                    anchor_auto, nears, known, "".join(c for c in ".;!?:," if c not in in_keys),
                    max((len(k) for k in known), default=0), marked_anchor_auto)


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


_SIMPLE_LOWER = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")
QUIET_EXACT, QUIET_LOWER = 1, 2
QUIET_FIRST = 4  # or'd in: the concept has acronyms, so a scan keeps its first match of the term (see _quiet)


def _quiet(c: Concept, t: TermData, acronym: bool) -> int:
    """Whether an English-only lint can skip a match of this term (no check would report or use it):
    0 never; QUIET_EXACT when its surface is the term as written; QUIET_LOWER also for any casing of a
    lower-case term (sentence-initial capitals). Such a term is approved, no acronym, and the only admitted
    English full form of its concept (so the inconsistency check never needs it). When the concept has
    acronyms, QUIET_FIRST too: the acronym check only needs the concept's first full form in a document
    (where it is expanded; a full form right after an acronym "ILSTC (New ...)" is that first one, as is the
    first of each part of a split draft), so each scan keeps its first match of the term and skips the rest.
    An approved acronym, matched case-sensitively (QUIET_EXACT: the surface is the acronym as written), is
    QUIET_FIRST as well: after a concept's first acronym, the check has reported it or found it expanded.
    (Terms of 2+ characters: no skipped match fits between an acronym and a full form 3 characters on.)"""
    if t.status not in ("preferred", "admitted"):
        return 0
    if acronym:
        return QUIET_EXACT | QUIET_FIRST if len(en_key(t.text)) >= 2 else 0
    if t.term_type in ("abbreviation", "shortForm"):
        return 0
    en = c.terms("en")
    full = {x.text for x in en if x.status in ("preferred", "admitted")
            and x.term_type not in ("abbreviation", "shortForm") and not is_acronym(x)}
    if full != {t.text}:
        return 0
    first = 0
    if any(is_acronym(x) for x in en):
        if len(en_key(t.text)) < 3:
            return 0
        first = QUIET_FIRST
    return (QUIET_LOWER if _SIMPLE_LOWER.match(t.text) else QUIET_EXACT) | first


class KeyAutomaton:
    """Keys with a value each, matched leftmost-longest (ahocorasick_rs: Rust, exact leftmost-longest).

    pyahocorasick's iter_long misses a key that ends inside a longer key's partial path ("beginning" in
    "since the beginning of this year" when "since the beginning of history" is a key), so the glossary
    keys are matched here instead. Pickles as its keys and values (the Rust automaton is rebuilt)."""

    __slots__ = ("keys", "values", "_index", "_ac", "_tables", "_prefix")

    def __init__(self, keys: list[str], values: list):
        self.keys, self.values = keys, values
        self._build()

    def _build(self) -> None:
        self._index = None  # key -> index, built on the first exists/get (rare: see _shorter)
        self._prefix: dict[int, int] = {}  # key index -> its longest whole-word prefix key (see prefix_keys)
        self._tables = None  # per-key arrays for the bulk lean scan, built on its first use
        self._ac = ahocorasick_rs.BytesAhoCorasick([k.encode("utf-8", "surrogatepass") for k in self.keys],
                                                   matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def tables(self) -> "QuietTables":
        if self._tables is None:
            self._tables = QuietTables.of(self.values)
        return self._tables

    def find_array(self, text: str) -> np.ndarray:
        """find() as an (n, 3) int64 array: key index, start, end."""
        return find_utf8(self._ac, text)

    def prefix_keys(self, keys: np.ndarray) -> np.ndarray:
        """Per key index: the index of the longest key that is a prefix of it ending just before a boundary
        character at offset 2 or later (what _shorter finds for a match of that key), else -1. A match's text
        is its key, so _shorter's answer depends on the key alone; worked out once per distinct key."""
        uniq, inverse = np.unique(keys, return_inverse=True)
        memo = self._prefix
        out = np.empty(len(uniq), np.int64)
        for n, k in enumerate(uniq.tolist()):
            got = memo.get(k)
            if got is None:
                key = self.keys[k]
                got = -1
                for m in reversed([m.start() for m in _BOUNDARY.finditer(key, 2)]):
                    i = self._keys().get(key[:m])
                    if i is not None:
                        got = i
                        break
                memo[k] = got
            out[n] = got
        return out[inverse]

    def __getstate__(self):
        return self.keys, self.values

    def __setstate__(self, state) -> None:
        self.keys, self.values = state
        self._build()

    def __len__(self) -> int:
        return len(self.keys)

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(key index, start, end) of the leftmost-longest non-overlapping matches, character offsets."""
        if text.isascii():
            return self._ac.find_matches_as_indexes(text.encode("ascii"))
        return list(map(tuple, find_utf8(self._ac, text).tolist()))

    def iter_long(self, text: str) -> list[tuple[int, object]]:
        """(offset of the last character, value) per match, as pyahocorasick's iter_long."""
        values = self.values
        return [(end - 1, values[i]) for i, _, end in self.find(text)]

    def _keys(self) -> dict[str, int]:
        if self._index is None:
            self._index = {k: i for i, k in enumerate(self.keys)}
        return self._index

    def exists(self, key: str) -> bool:
        return key in self._keys()

    def get(self, key: str):
        return self.values[self._keys()[key]]


def find_utf8(ac, text: str | bytes, overlapping: bool = False, chars: str | None = None) -> np.ndarray:
    """(key index, start, end) of a BytesAhoCorasick's matches in a text, as an (n, 3) int64 array of
    character offsets. The automaton holds the keys in UTF-8; every key starts and ends on a character,
    so its byte matches are exactly the character matches, with byte offsets mapped back here (a text
    given as bytes: the UTF-8 of `chars`, or ASCII)."""
    if isinstance(text, str):
        chars = text
        data = text.encode("utf-8", "surrogatepass")
    else:
        data = text
    found = ac.find_matches_as_indexes(data, overlapping=overlapping) if overlapping \
        else ac.find_matches_as_indexes(data)
    out = np.fromiter(chain.from_iterable(found), np.int64, 3 * len(found)).reshape(len(found), 3)
    if chars is not None and len(data) != len(chars) and len(out):
        # character offset of byte offset x: x minus the continuation bytes before it
        cont = (np.frombuffer(data, np.uint8) & 0xC0) == 0x80
        before = np.zeros(len(data) + 1, np.int64)
        np.cumsum(cont, out=before[1:])
        out[:, 1:] -= before[out[:, 1:]]
    return out


_NONE, _EXACT, _LOWER, _CASELESS = 0, 1, 2, 3
_CASELESS_TEXT = re.compile(r"^[a-z0-9]+(?:[ '\-./&][a-z0-9]+)*$")


def caseless(text: str) -> bool:
    """Whether any casing of an exact-quiet term is quiet too: a lower-case term of plain words joined by
    single spaces/apostrophes/hyphens/dots/slashes/ampersands, with no possessive ending ("people's government",
    "has-been"). The spelling check folds such a surface to itself and, its lower case being the term, finds
    nothing to say (only capitals on a lower-case letter of the term would be reported: there are none)."""
    return bool(_CASELESS_TEXT.match(text)) and not text.endswith("'s")


def _lower_cp(cp: np.ndarray) -> np.ndarray:
    """Code points lower-cased as _lower_same_length does (a character whose lower case is longer stays)."""
    cp = cp.astype(np.uint32, copy=False)
    out = _LATIN_LOWER[np.minimum(cp, _LATIN_END)]
    big = cp >= _LATIN_END
    if big.any():
        chars, inverse = np.unique(cp[big], return_inverse=True)
        low = np.fromiter((ord(_lower_same_length(chr(c))) for c in chars.tolist()), np.uint32, len(chars))
        out[big] = low[inverse]
    return out


_LATIN_LOWER = np.fromiter((ord(_lower_same_length(chr(c))) for c in range(_LATIN_END)), np.uint32, _LATIN_END)
_LATIN_LOWER = np.append(_LATIN_LOWER, 0).astype(np.uint32)  # [_LATIN_END]: above it, fixed up in _lower_cp


@dataclass
class QuietTables:
    """Per key of an English automaton, what the bulk lean scan needs to drop quiet matches without a Python
    step each (see _spans_lean): kind (0 loud, _EXACT: quiet when the surface is the term as written, _LOWER:
    quiet when the lower-cased surface is the key, _CASELESS: when the lower-cased surface is the term as
    written, see caseless), the key's length without its leading space, and for _EXACT/_CASELESS keys where
    the term's code points start in `exact` (one array of every such term)."""

    kind: np.ndarray  # int8
    length: np.ndarray  # int64
    exact_at: np.ndarray  # int64, -1 unless _EXACT
    exact: np.ndarray  # uint32 code points
    first: np.ndarray  # int64: the group (concept, full form or acronym) whose first quiet match a scan keeps
    # (see _quiet, _automaton), else -1

    @classmethod
    def of(cls, values: list) -> "QuietTables":
        kind = np.fromiter((_LOWER if v[4] is not None else (_CASELESS if caseless(v[3]) else _EXACT)
                            if v[3] is not None else _NONE for v in values), np.int8, len(values))
        length = np.fromiter((v[0] - 1 for v in values), np.int64, len(values))
        texts = [v[3] for v in values if v[4] is None and v[3] is not None]
        at = np.full(len(values), -1, np.int64)
        sizes = np.fromiter((len(t) for t in texts), np.int64, len(texts))
        at[(kind == _EXACT) | (kind == _CASELESS)] = np.cumsum(sizes) - sizes
        exact = np.frombuffer("".join(texts).encode("utf-32-le"), np.uint32)
        first = np.fromiter((v[5] for v in values), np.int64, len(values))
        return cls(kind, length, at, exact, first)


def _automaton(keys: dict[str, list], terms: dict[tuple[int, int], str] | None = None
               ) -> KeyAutomaton | None:
    if not keys:
        return None
    out_keys: list[str] = []
    out_values: list[tuple] = []
    for key, targets in keys.items():
        ci, ti, form, acronym, quiet = targets[0]
        single = len(targets) == 1 and acronym is None
        fast = (ci, ti, form, False) if single else None
        # _pick_target reads every match of a key whose first target is no acronym as that target, whatever
        # the surface and the other targets: that target alone says whether a match is quiet (an only target
        # that is an acronym: when the surface is the acronym as written)
        decided = acronym is None or len(targets) == 1
        # full forms and acronyms are kept apart: the acronym check needs the first of each
        first = 2 * ci + (acronym is not None) if quiet & QUIET_FIRST else -1
        quiet &= ~QUIET_FIRST
        if not decided or (quiet == QUIET_LOWER and form not in ("base", "plural")):
            quiet = QUIET_EXACT if decided and quiet else 0
        if acronym is not None and (not terms or form != "base" or acronym != terms[(ci, ti)]):
            quiet = 0  # (quiet when the surface is the acronym: _pick_target's test for a base form)
        # value: (key length, targets, fast, exact, lower, first). fast: the only, case-insensitive target;
        # for a quiet target (see _quiet): exact, the term as written when a surface of the key's length can
        # equal it, and lower, the key when any casing of the lower-case term is fine; first: the concept
        # index (× 2, + 1 for acronyms) when a scan keeps only the first quiet match of the concept's full
        # forms / acronyms (QUIET_FIRST), else -1
        text = terms[(ci, ti)] if quiet and terms else None
        if text is not None and len(text) != len(key) - 1:
            text = None  # a surface of the key's length can never equal it (runs collapse)
        out_keys.append(key)
        out_values.append((len(key), tuple(t[:4] for t in targets), fast, text,
                           key[1:] if quiet == QUIET_LOWER and terms else None, first if quiet else -1))
    return KeyAutomaton(out_keys, out_values)


def _possessive_end(text: str, end: int) -> int:
    """Extend a match over a following possessive: 's, ’s, or a bare apostrophe after a plural s."""
    if end >= len(text) or text[end] not in "'\u2019":
        return end
    if text[end + 1:end + 2] == "s" and not is_word_char(text[end + 2:end + 3] or " "):
        return end + 2
    if text[end - 1] == "s" and not is_word_char(text[end + 1:end + 2] or " "):
        return end + 1
    return end


def iter_words(auto, norm: str, shorter: bool = True):
    """(norm start, norm end, value) of leftmost-longest whole-word matches of ' key' patterns in `norm`."""
    padded = " " + norm
    n = len(padded)
    for last, value in auto.iter_long(padded):
        end = last + 1
        start = end - value[0]
        if end < n and padded[end] not in _TRAIL_OK:
            if not shorter:
                continue
            value, end = _shorter(auto, padded, start, end)
            if value is None:
                continue
        yield start, end - 1, value


def _shorter(auto, padded: str, start: int, end: int):
    """The longest key starting at `start` that ends on a word boundary before `end` (rarely needed)."""
    for k in reversed([m.start() for m in _BOUNDARY.finditer(padded, start + 2, end)]):
        cand = padded[start:k]
        if auto.exists(cand):
            return auto.get(cand), k
    return None, end


def _match_en(auto, view: View, text: str, concepts: list[Concept], offset: int = 0, file=None,
              lean: bool = False) -> tuple[list[Match], list[int], list[int], tuple | None]:
    """(matches, norm starts, norm ends, the same as arrays for a lean scan) of every whole-word leftmost-longest English match (the hot path:
    no object is made for a match until it is certain a check can use it)."""
    if auto is None or not view.norm:
        return [], [], [], None
    # a trailing space: no key ends in a space, so matches are unchanged and `end < len` checks go away
    padded = " " + view.norm + " "
    if lean and view.same is not None:
        start, last, loud = _spans_lean(auto, padded, view)
        return _objects_bulk(*loud, view, text, concepts, offset, file), start.tolist(), last.tolist(), \
            (start, last)
    starts, ends, loud = _spans_all(auto, padded)
    return _objects(loud, view, text, concepts, offset, file), starts, ends, None


def _spans_all(auto, padded: str) -> tuple[list[int], list[int], list[tuple[int, int, tuple]]]:
    """Norm starts and ends of every whole-word match, and (start, end, value) of each."""
    starts: list[int] = []
    ends: list[int] = []
    loud = []
    trail = _TRAIL_OK
    values = auto.values
    for i, start, end in auto.find(padded):
        value = values[i]
        if padded[end] not in trail:
            value, end = _shorter(auto, padded, start, end)
            if value is None:
                continue
        starts.append(start)
        ends.append(end - 1)
        loud.append((start, end - 1, value))
    return starts, ends, loud


_TRAIL_LUT = np.zeros(129, bool)
_TRAIL_LUT[[ord(c) for c in _TRAIL_OK]] = True


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(flat positions start..start+length-1 of every range, offset of each range in them)."""
    offsets = np.cumsum(lengths) - lengths
    rel = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(offsets, lengths)
    return np.repeat(starts, lengths) + rel, offsets


def _spans_lean(auto, padded: str, view: View
                ) -> tuple[list[int], list[int], tuple[np.ndarray, np.ndarray, list[tuple]]]:
    """As _spans_all, but quiet matches (see _quiet) are left out of the third list when their surface is
    the term as written or, for a lower-case term, any casing of it. In bulk (numpy over the flat matches
    from Rust and the view's arrays, see View), so only loud matches cost a Python step: `same` holds the
    original at norm offsets (a collapsed run is one NUL, so a surface with collapsed separators never
    compares equal) and quiet texts have the key's length. A lower-case quiet term is quiet when the
    lower-cased `same` equals the norm text over the match (which is the key), i.e. no offset in it differs:
    the view's prefix count `diffs` is the same at both ends. A term as written is compared code point by
    code point with `same` (one gather over all such matches). A match not followed by a word boundary
    (rare) takes the Python path (_shorter). The loud matches come back as arrays of norm starts and ends
    and a list of their values."""
    found = auto.find_array(padded)
    if not len(found):
        return found[:, 1], found[:, 2], (found[:, 1], found[:, 2], [])
    same = view.same
    norm_cp, same_cp, diffs = view.arrays()
    tab = auto.tables()
    key, start, end = found[:, 0], found[:, 1], found[:, 2]
    space = np.full(1, 32, norm_cp.dtype)  # (a list [32] would widen the copy to int64: 8 bytes a character)
    after = np.concatenate((space, norm_cp, space))[end]
    ok = _TRAIL_LUT[np.minimum(after, 128)]
    kind = tab.kind[key]
    length = tab.length[key]
    quiet = np.zeros(len(found), bool)
    lower = ok & (kind == _LOWER)
    if lower.any():  # the key's text starts at padded start + 1, i.e. at norm offset `start`
        s = start[lower]
        quiet[lower] = ~differs(diffs, s, s + length[lower])
    exact = ok & ((kind == _EXACT) | (kind == _CASELESS))
    if exact.any():
        s, n = start[exact], length[exact]
        text_at, offsets = _ranges(s, n)
        term_at, _ = _ranges(tab.exact_at[key[exact]], n)
        got = same_cp[text_at]
        folded = np.repeat(kind[exact] == _CASELESS, n)
        if folded.any():
            got = np.where(folded, _lower_cp(got), got)
        bad = (got != tab.exact[term_at]).astype(np.int64)
        quiet[exact] = np.add.reduceat(bad, offsets) == 0
    first = np.flatnonzero(quiet & (tab.first[key] >= 0))
    if len(first):  # the first quiet match of each such group stays (see _quiet)
        quiet[first[np.unique(tab.first[key[first]], return_index=True)[1]]] = False
    loud = ok & ~quiet
    last = end - 1
    shorter: dict[int, tuple] = {}
    if not ok.all():  # the Python path, only for matches not followed by a word boundary
        kept = ok.copy()
        # _shorter looks for a key ending at a boundary character inside [start + 2, end) of the matched key
        bad = np.flatnonzero(~ok)
        bad = bad[auto.prefix_keys(key[bad]) >= 0]
        for i in bad.tolist():
            kept[i] = True
            s = int(start[i])
            value, e = _shorter(auto, padded, s, int(end[i]))
            if value is None:
                kept[i] = False
                continue
            last[i] = e - 1
            if value[5] >= 0 or not ((value[3] is not None and same.startswith(value[3], s))
                    or (value[4] is not None and not differs(diffs, np.array([s]), s + len(value[4]))[0])):
                loud[i] = True
                shorter[i] = value
        renumber = np.cumsum(kept) - 1
        shorter = {int(renumber[i]): v for i, v in shorter.items()}
        start, last = start[kept], last[kept]
        key, loud = key[kept], loud[kept]
    at = np.flatnonzero(loud)
    values = auto.values
    out = [values[k] for k in key[at].tolist()]
    for i, v in shorter.items():
        out[int(np.searchsorted(at, i))] = v
    return start, last, (start[at], last[at], out)


def _objects_bulk(starts: np.ndarray, ends: np.ndarray, values: list[tuple], view: View, text: str,
                  concepts: list[Concept], offset: int, file) -> list[Match]:
    """As _objects, for loud matches as arrays (norm offsets mapped back to the original's in bulk)."""
    if view._at:
        at = np.asarray(view._at, np.int64)
        shift = np.concatenate(([0], np.asarray(view._shift, np.int64)))
        starts = starts + shift[np.searchsorted(at, starts, "right")]
        ends = ends + shift[np.searchsorted(at, ends - 1, "right")]
    out: list[Match] = []
    add = out.append
    n = len(text)
    for o_start, o_end, value in zip(starts.tolist(), ends.tolist(), values):
        surface = text[o_start:o_end]
        picked = value[2] or _pick_target(value[1], surface)
        if picked is None:
            continue
        ci, ti, form, acronym = picked
        if o_end < n and text[o_end] in "'\u2019":
            o_end = _possessive_end(text, o_end)
            surface = text[o_start:o_end]
        concept = concepts[ci]
        add(Match(o_start + offset, o_end + offset, surface, "en", concept, concept.entry.terms[ti], form, acronym,
                  file))
    return out


def _objects(loud: list[tuple[int, int, tuple]], view: View, text: str, concepts: list[Concept], offset: int,
             file) -> list[Match]:
    """Match objects for the (norm start, norm end, value) triples a check can use."""
    out: list[Match] = []
    at, shift = view._at, view._shift
    bisect_right = bisect.bisect_right
    n = len(text)
    for start, end, value in loud:
        if at:
            k = bisect_right(at, start) - 1
            o_start = start + (shift[k] if k >= 0 else 0)
            k = bisect_right(at, end - 1) - 1
            o_end = end + (shift[k] if k >= 0 else 0)
        else:
            o_start, o_end = start, end
        surface = text[o_start:o_end]
        picked = value[2] or _pick_target(value[1], surface)
        if picked is None:
            continue
        ci, ti, form, acronym = picked
        if o_end < n and text[o_end] in "'\u2019":
            o_end = _possessive_end(text, o_end)
            surface = text[o_start:o_end]
        concept = concepts[ci]
        out.append(Match(o_start + offset, o_end + offset, surface, "en", concept, concept.entry.terms[ti], form,
                         acronym, file))
    return out


def _match_zh(auto, view: View, text: str, concepts: list[Concept], offset: int = 0, file=None) -> list[Match]:
    if auto is None or not view.norm:
        return []
    out: list[Match] = []
    for last, (length, targets, *_) in auto.iter_long(view.norm):
        o_start, o_end = view.span(last + 1 - length, last + 1)
        ci, ti, form, _ = targets[0]
        concept = concepts[ci]
        out.append(Match(o_start + offset, o_end + offset, text[o_start:o_end], "zh", concept,
                         concept.entry.terms[ti], form, False, file))
    return out


def _pick_target(targets: tuple, surface: str) -> tuple[int, int, str, bool] | None:
    """Several terms may share a key; acronyms must also match case. Prefer non-acronym readings."""
    if len(targets) == 1:
        ci, ti, form, acronym = targets[0]
        if acronym is None:
            return ci, ti, form, False
        return (ci, ti, form, True) if (surface[:-1] if form == "plural" else surface) == acronym else None
    best = None
    for ci, ti, form, acronym in targets:
        if acronym is None:
            return ci, ti, form, False
        if best is None and (surface[:-1] if form == "plural" else surface) == acronym:
            best = (ci, ti, form, True)
    return best
