"""What lint matches against: approved entries as concepts, English term keys and variants, match records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from glossary.data import EntryData, TermData
from glossary.lint.views import _SEP, _SPACES, View, _lower_same_length


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


# --------------------------------------------------------------------------- concepts and matches


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
