"""Exact key scans: leftmost-longest English and Chinese glossary keys in a text, offsets mapped back."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import chain

import ahocorasick_rs
import numpy as np

from glossary.data import TermData
from glossary.lint.concepts import Concept, Match, en_key, is_acronym, is_word_char
from glossary.lint.views import _BOUNDARY, _LATIN_END, _TRAIL_OK, View, _lower_same_length, differs


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
    for o_start, o_end, value in zip(starts.tolist(), ends.tolist(), values):
        m = _match_object(o_start, o_end, value, text, concepts, offset, file)
        if m is not None:
            add(m)
    return out


def _match_object(o_start: int, o_end: int, value: tuple, text: str, concepts: list[Concept], offset: int,
                  file) -> Match | None:
    """The Match for one key hit at original offsets (None when no target of the key fits its surface); a
    possessive after it is kept with the surface."""
    surface = text[o_start:o_end]
    picked = value[2] or _pick_target(value[1], surface)
    if picked is None:
        return None
    ci, ti, form, acronym = picked
    if o_end < len(text) and text[o_end] in "'\u2019":
        o_end = _possessive_end(text, o_end)
        surface = text[o_start:o_end]
    concept = concepts[ci]
    return Match(o_start + offset, o_end + offset, surface, "en", concept, concept.entry.terms[ti], form, acronym,
                 file)


def _objects(loud: list[tuple[int, int, tuple]], view: View, text: str, concepts: list[Concept], offset: int,
             file) -> list[Match]:
    """Match objects for the (norm start, norm end, value) triples a check can use."""
    out: list[Match] = []
    at, shift = view._at, view._shift
    bisect_right = bisect.bisect_right
    for start, end, value in loud:
        if at:
            k = bisect_right(at, start) - 1
            o_start = start + (shift[k] if k >= 0 else 0)
            k = bisect_right(at, end - 1) - 1
            o_end = end + (shift[k] if k >= 0 else 0)
        else:
            o_start, o_end = start, end
        m = _match_object(o_start, o_end, value, text, concepts, offset, file)
        if m is not None:
            out.append(m)
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
