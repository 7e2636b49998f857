"""Offset-keeping text views for lint matching: folded English and Simplified Chinese forms of a draft, with the
arrays that map every view position back to the original text."""

from __future__ import annotations

import re
import bisect
from dataclasses import dataclass, field

import numpy as np

from glossary.text.clean import match_form, strip_ruby

# --------------------------------------------------------------------------- offset-keeping views

# English matching form: lower case; every character that is not a Latin letter, a digit or sentence punctuation
# (.,;:!?) becomes a space (hyphens, quotes, apostrophes, brackets, line breaks, CJK), then runs of spaces
# collapse to one. Hyphen/space forms and "调用API接口" thus meet the same keys; terms never span a comma.
_SEP = re.compile(r"[^0-9a-z\u00c0-\u024f.,;:!? ]")
_SPACES = re.compile(r" {2,}")
_TRAIL_OK = frozenset(" .,;:!?")
_BOUNDARY = re.compile(r"[ .,;:!?]")
WORD_END = _TRAIL_OK  # characters that may follow a whole-word match in a norm text


@dataclass
class View:
    """A matching form of some text plus a piecewise map from its offsets back to the original's."""

    norm: str
    _at: list[int] = field(default_factory=list)  # norm offsets where a shift starts
    _shift: list[int] = field(default_factory=list)  # original - norm from that offset on
    same: str | None = None  # English views: the original at norm offsets, a collapsed run as one NUL
    # English views, as arrays (see en_view): code points of norm and of same, and the norm offsets where
    # the lower-cased `same` differs from norm (a folded separator other than a plain space, or a collapsed
    # run's NUL), sorted; None until asked for (see arrays())
    cp: np.ndarray | None = field(default=None, repr=False, compare=False)
    same_cp: np.ndarray | None = field(default=None, repr=False, compare=False)
    diffs: np.ndarray | None = field(default=None, repr=False, compare=False)
    han: bool | None = field(default=None, repr=False, compare=False)  # English views: any Han character

    def orig(self, i: int) -> int:
        """Original offset of norm offset i (i may equal len(norm))."""
        k = bisect.bisect_right(self._at, i) - 1
        return i + (self._shift[k] if k >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the norm span [start, end)."""
        return self.orig(start), self.orig(end - 1) + 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(cp, same_cp, diffs), worked out from the strings when the view was not built with them."""
        if self.cp is None:
            self.cp, self.same_cp, self.diffs = view_arrays(self.norm, self.same)
        return self.cp, self.same_cp, self.diffs


def view_arrays(norm: str, same: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """View.arrays from the strings (the reference for en_view's arrays)."""
    cp = _codepoints(norm)
    same_cp = _codepoints(same)
    low = _codepoints(_lower_same_length(same))
    return cp, same_cp, np.flatnonzero(low != cp)


def differs(diffs: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per span [start, end): whether one of the sorted offsets `diffs` falls inside it."""
    k = np.searchsorted(diffs, start, "left")
    return (k < len(diffs)) & (diffs[np.minimum(k, len(diffs) - 1)] < end) if len(diffs) \
        else np.zeros(len(start), bool)


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


# The same folding for ASCII text as one bytes.translate (no regex pass): kept bytes map to themselves.
_ASCII_FOLD = bytes(c if (48 <= c <= 57 or 97 <= c <= 122 or chr(c) in ".,;:!? ") else 32 for c in range(256))


def _fold(text: str) -> str:
    """Lower case and separators to spaces, same length (the fast path covers pure ASCII text)."""
    if text.isascii():
        return text.lower().encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    return _SEP.sub(" ", _lower_same_length(text))


def _en_view_strings(text: str) -> View:
    """en_view with string operations only (the reference en_view's arrays are checked against in tests)."""
    t = _fold(text)
    i = t.find("  ")
    if i < 0:
        return View(t, same=text)
    at: list[int] = []
    shift: list[int] = []
    removed = 0
    parts = []  # the original between runs
    kept = []  # the folded text between runs, each with the run's first space
    prev = 0
    find = t.find
    while i >= 0:  # runs of 2+ spaces: str.find is much faster than a regex over the whole text
        e = i + 2
        while t[e:e + 1] == " ":
            e += 1
        parts.append(text[prev:i])
        kept.append(t[prev:i + 1])
        prev = e
        removed += e - i - 1
        at.append(e - removed)
        shift.append(removed)
        i = find("  ", e)
    parts.append(text[prev:])
    kept.append(t[prev:])
    return View("".join(kept), at, shift, "\0".join(parts))


def _latin_fold_table() -> np.ndarray:
    """Per code point below 0x250: what _fold makes of it (lower case, separators as spaces)."""
    out = np.zeros(_LATIN_END, np.uint32)
    for c in range(_LATIN_END):
        out[c] = ord(_fold_char(chr(c)))
    return out


def _fold_char(c: str) -> str:
    low = c.lower()
    if len(low) != 1:
        low = c
    return " " if _SEP.match(low) else low


_LATIN_END = 0x250
_LATIN_FOLD = _latin_fold_table()
_ASCII_FOLD_NP = _LATIN_FOLD[:256].astype(np.uint8)
_ASCII_FOLD_BYTES = bytes(c if c >= 128 else int(_ASCII_FOLD_NP[c]) for c in range(256))  # ASCII: as _fold
_LATIN_FOLD_BIG = np.append(_LATIN_FOLD, 32).astype(np.uint16)  # [0x250]: characters above, fixed up after


def _fold_cp(raw: np.ndarray) -> tuple[np.ndarray, bool]:
    """_fold over code points: a table below 0x250, each distinct character above it once; and whether
    any character is a Han character (as source.has_han)."""
    if raw.dtype == np.uint8:  # (bytes.translate: several times faster than a numpy table take)
        return np.frombuffer(raw.tobytes().translate(_ASCII_FOLD_BYTES), np.uint8), False
    big = raw >= _LATIN_END
    out = _LATIN_FOLD_BIG[np.minimum(raw, _LATIN_END)].astype(raw.dtype, copy=False)
    han = False
    if big.any():
        chars, inverse = np.unique(raw[big], return_inverse=True)
        folded = np.fromiter((ord(_fold_char(chr(c))) for c in chars.tolist()), np.uint32, len(chars))
        out[big] = folded[inverse]
        han = bool(((chars >= 0x3400) & (chars <= 0x4DBF) | (chars >= 0x4E00) & (chars <= 0x9FFF)
                    | (chars >= 0xF900) & (chars <= 0xFAFF)).any())
    return out, han


def _decode(cp: np.ndarray) -> str:
    """The string of code points (a narrow array or one whose values all fit a byte decodes fastest)."""
    if cp.dtype == np.uint8 or not len(cp):
        return cp.tobytes().decode("latin-1")
    if int(cp.max()) < 256:
        return cp.astype(np.uint8).tobytes().decode("latin-1")
    if cp.dtype == np.uint16:  # (only for texts without surrogates: see _narrow_codepoints)
        return cp.tobytes().decode("utf-16-le", "surrogatepass")
    return cp.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def _narrow_codepoints(text: str) -> np.ndarray:
    """Code points in the narrowest array: uint8 for ASCII, uint16 for text without surrogates, else uint32."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), np.uint8)
    out = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), np.uint16)
    if len(out) == len(text) and not ((out >= 0xD800) & (out < 0xE000)).any():
        return out
    return _codepoints(text)


def en_view(text: str) -> View:
    """Lower-cased, separators as single spaces (line breaks, hyphens, quotes, CJK), offsets mapped back.

    Also `same`: the original text at norm offsets (each collapsed run of separators as one NUL), so a
    match whose surface is a term as written is recognised without mapping offsets back (see _match_en);
    and the views as code-point arrays for the bulk scan (see View). All in numpy over the code points;
    _en_view_strings gives the same strings."""
    raw = _narrow_codepoints(text)
    folded, han = _fold_cp(raw)
    sp = folded == 32
    diff = sp & (raw != 32)  # a separator other than a plain space: lower-cased original != norm there
    pair = sp[1:] & sp[:-1]  # offset i + 1 is a space after a space: collapsed
    if not pair.any():
        return View(_decode(folded), same=text, cp=folded, same_cp=raw, diffs=np.flatnonzero(diff), han=han)
    keep = np.concatenate(([True], ~pair))
    run_first = np.flatnonzero(np.concatenate((pair, [False])) & keep)  # first space of each run of 2+
    run_last = np.flatnonzero(np.concatenate(([False], pair)) & ~np.concatenate((pair, [False])))
    removed = np.cumsum(run_last - run_first)  # each run keeps one character
    at = run_last + 1 - removed
    same_raw = raw.copy()
    same_raw[run_first] = 0
    diff[run_first] = True
    norm_cp, same_cp = folded[keep], same_raw[keep]
    return View(_decode(norm_cp), at.tolist(), removed.tolist(), _decode(same_cp), norm_cp, same_cp,
                np.flatnonzero(diff[keep]), han)


def zh_view(text: str) -> View:
    """Simplified matching form with verified pinyin ruby (勢(shì)) removed; same length otherwise."""
    stripped, edits = strip_ruby(text)
    at: list[int] = []
    shift: list[int] = []
    removed = 0
    for e in edits:
        removed += e.end - e.start
        at.append(e.end - removed)
        shift.append(removed)
    return View(match_form(stripped), at, shift)


def _codepoints_bmp(text: str) -> np.ndarray:
    """Code points of a norm view (only Basic Multilingual Plane characters: see _SEP) as uint16, half the
    memory of _codepoints; a text with any character beyond (a surrogate pair) gets _codepoints."""
    out = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), np.uint16)
    return out if len(out) == len(text) else _codepoints(text)


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
