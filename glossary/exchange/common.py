"""Helpers shared by the exchange formats: language codes, text cleaning, field mapping, content keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from glossary.data import ENTRY_STATUSES, TERM_TYPES, USAGE_STATUSES, EntryData, TermData
from glossary.errors import input_error

Progress = Callable[[int], None] | None  # called with the number of entries just written/read

LANG_LABELS = {"zh": "zh-CN", "en": "en"}  # column / xml:lang labels CAT tools recognise

# characters XML 1.0 cannot carry (C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF)
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Entries(list):
    """A list of EntryData read from a file, plus warnings about material that was skipped."""

    def __init__(self, items=()):
        super().__init__(items)
        self.warnings: list[str] = []


def xml_clean(text: str) -> str:
    """Drop characters that XML 1.0 cannot represent (the only lossy step of the XML formats)."""
    return _XML_BAD.sub("", text)


def lang_of(code: str | None) -> str | None:
    """Map a language tag (zh-CN, zh-Hant-TW, ZH, en-US, eng, chi) to zh/en; None for other languages."""
    if not code:
        return None
    c = code.strip().lower().replace("_", "-")
    base = c.split("-", 1)[0]
    if base in ("zh", "zho", "chi", "cmn", "chinese"):
        return "zh"
    if base in ("en", "eng", "english"):
        return "en"
    return None


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and value == "")


def opt(value) -> str | None:
    """Empty cells/attributes become None (the store treats '' and NULL alike)."""
    if value is None:
        return None
    value = str(value)
    return value if value != "" else None


def parse_score(value, where: Callable[[str], Exception]) -> float | None:
    if blank(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise where(f"score {value!r} is not a number") from None


def check_entry(entry: EntryData, where: Callable[[str], Exception]) -> EntryData:
    """Validate statuses and types of one parsed entry; `where(msg)` builds the positioned error."""
    if entry.status not in ENTRY_STATUSES:
        raise where(f"unknown entry status {entry.status!r} (one of {', '.join(ENTRY_STATUSES)})")
    if not entry.terms:
        raise where("entry has no zh or en term")
    for t in entry.terms:
        if t.lang not in ("zh", "en"):
            raise where(f"unknown term language {t.lang!r} (zh or en)")
        if not t.text or not t.text.strip():
            raise where(f"empty {t.lang} term")
        if t.term_type not in TERM_TYPES:
            raise where(f"unknown term type {t.term_type!r} (one of {', '.join(TERM_TYPES)})")
        if t.status not in USAGE_STATUSES:
            raise where(f"unknown term status {t.status!r} (one of {', '.join(USAGE_STATUSES)})")
    return entry


def positioned(path, line: int | None = None, col: int | None = None):
    """A `where(msg)` factory producing 'path:line:col: msg' InputErrors."""
    return lambda msg: input_error(str(path), msg, line, col)


def filter_langs(entries: Iterable[EntryData], langs: tuple[str, ...] | None) -> Iterator[EntryData]:
    """Keep only terms of the given languages (entries left without terms are dropped)."""
    for e in entries:
        if langs:
            e.terms = [t for t in e.terms if t.lang in langs]
            if not e.terms:
                continue
        yield e


def preferred(entry: EntryData, lang: str) -> TermData | None:
    """First preferred term of a language, else its first term (the entry's proposed translation)."""
    terms = [t for t in entry.terms if t.lang == lang]
    return next((t for t in terms if t.status == "preferred"), terms[0] if terms else None)


@dataclass(frozen=True)
class Fidelity:
    """What a format can carry back (used by the round-trip comparison)."""

    term_fields: tuple[str, ...] = ("lang", "text", "term_type", "status", "pinyin", "original", "pos", "note")
    entry_fields: tuple[str, ...] = ("status", "score", "subject", "definition", "note", "created_at",
                                     "created_by")
    sources: bool = True
    score_digits: int | None = None  # significant digits a format keeps for scores (None: all)


FULL = Fidelity()
XLSX = Fidelity(score_digits=15)  # spreadsheet numbers keep 15 significant digits, like Excel itself
FIDELITY = {"xlsx": XLSX}


def _score(value: float | None, fidelity: Fidelity) -> float | None:
    if value is None or fidelity.score_digits is None:
        return value
    return float(f"{value:.{fidelity.score_digits}g}")


def content_key(entry: EntryData, fidelity: Fidelity = FULL) -> tuple:
    """A comparable picture of an entry's content (no ids, versions or modification stamps)."""
    fields = tuple(opt(getattr(entry, f)) if f != "score" else _score(entry.score, fidelity)
                   for f in fidelity.entry_fields)
    terms = tuple(tuple(opt(getattr(t, f)) for f in fidelity.term_fields) for t in entry.terms)
    sources = ()
    if fidelity.sources:
        sources = tuple(sorted((s.get("document") or "", s.get("zh") or "", s.get("en") or "")
                               for s in entry.sources))
    return fields + (terms, sources)


def read_text(path, encoding: str = "utf-8") -> str:
    """Decode a whole text file (BOM stripped); a wrong encoding is an InputError naming line and column."""
    data = open(path, "rb").read()
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig"):
        encoding = "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding == "utf-8-sig":
        encoding = "utf-16"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise input_error(str(path), f"not valid {encoding.replace('-sig', '')} text ({exc.reason}); "
                          "save it as UTF-8 or pass --encoding", line, col) from None
    except LookupError:
        raise input_error(str(path), f"unknown encoding {encoding!r}") from None
