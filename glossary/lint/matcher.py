"""Compiled glossary matcher: Aho-Corasick over normalised English and Simplified Chinese, offsets kept."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

import ahocorasick

from glossary.data import EntryData, TermData
from glossary.text.clean import match_form, strip_ruby

# --------------------------------------------------------------------------- offset-keeping views

# Same-length folding for English matching: dashes and hyphens become spaces (so hyphen and space forms
# meet), curly quotes become ASCII, every kind of whitespace becomes a plain space.
_EN_FOLD = {c: " " for c in "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d\t\r\n\f\v\u00a0"
            "\u2002\u2003\u2009\u200a\u3000\u200b\ufeff\u2028\u2029\u0085"}
_EN_FOLD.update({c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\uff07"})
_EN_FOLD.update({c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\uff02"})
_EN_TABLE = str.maketrans(_EN_FOLD)
_SPACES = re.compile(r" {2,}")


@dataclass
class View:
    """A matching form of some text plus a piecewise map from its offsets back to the original's."""

    norm: str
    _at: list[int] = field(default_factory=list)  # norm offsets where a shift starts
    _shift: list[int] = field(default_factory=list)  # original - norm from that offset on

    def orig(self, i: int) -> int:
        """Original offset of norm offset i (i may equal len(norm))."""
        k = bisect.bisect_right(self._at, i) - 1
        return i + (self._shift[k] if k >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the norm span [start, end)."""
        return self.orig(start), self.orig(end - 1) + 1


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def en_view(text: str) -> View:
    """Lower-cased, punctuation-folded, hyphens as spaces, whitespace runs collapsed (line breaks too)."""
    t = _lower_same_length(text.translate(_EN_TABLE))
    at: list[int] = []
    shift: list[int] = []
    pieces: list[str] = []
    last = removed = 0
    for m in _SPACES.finditer(t):
        pieces.append(t[last:m.start() + 1])
        removed += m.end() - m.start() - 1
        last = m.end()
        at.append(m.end() - removed)
        shift.append(removed)
    if not at:
        return View(t)
    pieces.append(t[last:])
    return View("".join(pieces), at, shift)


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
    letters = [c for c in term.text if c.isalpha()]
    return len(letters) >= 2 and " " not in term.text.strip() and all(c.isupper() for c in letters)


def en_key(text: str) -> str:
    """The matching key of an English term: same folding as en_view, trimmed."""
    return en_view(" ".join(text.split())).norm.strip()


def plural(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def en_variants(term: TermData) -> dict[str, str]:
    """Matching keys of an English term → how each was formed ("base", "plural", "closed", ...)."""
    key = en_key(term.text)
    if not key:
        return {}
    out = {key: "base"}
    acr = is_acronym(term)
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

    def terms(self, lang: str) -> list[TermData]:
        return [t for t in self.entry.terms if t.lang == lang]

    def preferred(self, lang: str) -> TermData | None:
        """The preferred full form (else the first admitted full form, else any usable term)."""
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
        zh = self.preferred("zh") or next(iter(self.terms("zh")), None)
        en = self.preferred("en") or next(iter(self.terms("en")), None)
        return " / ".join(t.text for t in (zh, en) if t is not None)


@dataclass
class Match:
    """A glossary term found in a text: original offsets, the surface text and which term matched."""

    start: int
    end: int
    surface: str
    lang: str
    concept: Concept
    term: TermData
    form: str  # how the matched key was formed: base | plural | closed | ...


@dataclass
class Glossary:
    """Concepts plus two automata (English keys, Simplified Chinese keys), compiled once."""

    concepts: list[Concept]
    en_auto: ahocorasick.Automaton | None
    zh_auto: ahocorasick.Automaton | None
    en_patterns: int = 0
    zh_patterns: int = 0
    # multi-word English preferred terms by anchor word, for near-match (unapproved variant) search
    by_word: dict[str, list[tuple[Concept, TermData, list[str]]]] = field(default_factory=dict)
    known_en: set[str] = field(default_factory=set)  # every English key in the glossary

    def match_en(self, text: str) -> list[Match]:
        return _match(self.en_auto, en_view(text), text, "en", self.concepts, boundaries=True)

    def match_zh(self, text: str) -> list[Match]:
        return _match(self.zh_auto, zh_view(text), text, "zh", self.concepts, boundaries=False)


def compile_glossary(entries) -> Glossary:
    """Build the automata from approved entries; every English variant is expanded here, once."""
    concepts: list[Concept] = []
    en_keys: dict[str, list] = {}
    zh_keys: dict[str, list] = {}
    near: list[tuple[Concept, TermData, list[str]]] = []
    for entry in entries:
        c = Concept(len(concepts), entry)
        concepts.append(c)
        for ti, t in enumerate(entry.terms):
            if t.lang == "en":
                for key, form in en_variants(t).items():
                    en_keys.setdefault(key, []).append((c.index, ti, form, t.text.strip() if is_acronym(t) else None))
                if t.status == "preferred" and not is_acronym(t):
                    words = en_key(t.text).split(" ")
                    if len(words) >= 2:
                        near.append((c, t, words))
            elif t.lang == "zh":
                key = match_form(t.text.strip())
                if key:
                    zh_keys.setdefault(key, []).append((c.index, ti, "base", None))
    return Glossary(concepts, _automaton(en_keys), _automaton(zh_keys), len(en_keys), len(zh_keys),
                    _anchor_index(near), set(en_keys))


_STOP = frozenset("a an and as at by for from in into of on or the to with".split())
MAX_ANCHOR_TERMS = 30  # a word shared by more preferred terms than this is too common to anchor a search


def _anchor_index(near: list[tuple[Concept, TermData, list[str]]]) -> dict[str, list]:
    """Each multi-word preferred term under its two rarest content words (near-match search anchors)."""
    freq = Counter(w for _, _, words in near for w in set(words))
    index: dict[str, list] = {}
    for c, t, words in near:
        content = sorted({w for w in words if len(w) >= 3 and w not in _STOP}, key=lambda w: (freq[w], w))
        for w in content[:2]:
            index.setdefault(w, []).append((c, t, words))
    return {w: v for w, v in index.items() if len(v) <= MAX_ANCHOR_TERMS}


def _automaton(keys: dict[str, list]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    auto = ahocorasick.Automaton()
    for key, targets in keys.items():
        auto.add_word(key, (len(key), tuple(targets)))
    auto.make_automaton()
    return auto


def _possessive_end(text: str, end: int) -> int:
    """Extend a match over a following possessive: 's, ’s, or a bare apostrophe after a plural s."""
    if end >= len(text) or text[end] not in "'\u2019":
        return end
    if text[end + 1:end + 2] == "s" and not is_word_char(text[end + 2:end + 3] or " "):
        return end + 2
    if text[end - 1] == "s" and not is_word_char(text[end + 1:end + 2] or " "):
        return end + 1
    return end


def _match(auto, view: View, text: str, lang: str, concepts: list[Concept], boundaries: bool) -> list[Match]:
    if auto is None or not view.norm:
        return []
    norm = view.norm
    n = len(norm)
    chosen: list[tuple[int, int, tuple]] = []  # (start, end, targets) in norm offsets
    for last, (length, targets) in auto.iter(norm):
        start = last - length + 1
        end = last + 1
        if boundaries and ((start > 0 and is_word_char(norm[start - 1]))
                           or (end < n and is_word_char(norm[end]))):
            continue
        # longest match wins: drop shorter overlapping matches already chosen, or this one
        while chosen and chosen[-1][1] > start:
            if end - start > chosen[-1][1] - chosen[-1][0]:
                chosen.pop()
            else:
                break
        else:
            chosen.append((start, end, targets))
    out: list[Match] = []
    for start, end, targets in chosen:
        o_start, o_end = view.span(start, end)
        surface = text[o_start:o_end]
        picked = _pick_target(targets, surface, lang)
        if picked is None:
            continue
        ci, ti, form = picked
        if lang == "en":
            o_end = _possessive_end(text, o_end)
            surface = text[o_start:o_end]
        concept = concepts[ci]
        out.append(Match(o_start, o_end, surface, lang, concept, concept.entry.terms[ti], form))
    return out


def _pick_target(targets: tuple, surface: str, lang: str) -> tuple[int, int, str] | None:
    """Several terms may share a key; acronyms must also match case. Prefer non-acronym readings."""
    best = None
    for ci, ti, form, acronym in targets:
        if acronym is not None:
            core = surface[:-1] if form == "plural" else surface
            if core != acronym and core.upper() != acronym:
                continue
            if core.upper() == acronym and core != acronym and not core.isupper():
                continue
        if best is None or acronym is None:
            best = (ci, ti, form)
            if acronym is None:
                break
    return best
