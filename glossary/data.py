"""Plain dataclasses that flow between pipeline stages (no ORM objects, no widgets)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Lang = Literal["zh", "en"]

ENTRY_STATUSES = ("proposed", "approved", "rejected")
TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant")
USAGE_STATUSES = ("preferred", "admitted", "deprecated", "forbidden")


# --------------------------------------------------------------------------- read / text


@dataclass
class RawDocument:
    """A file as read from disk: decoded text plus how it was decoded."""

    path: str
    text: str
    encoding: str
    format: str  # "mixed" | "tmx" | "xliff" | "tsv" | "pair" | ...
    sha256: str
    size: int = 0


@dataclass
class TextIssue:
    """Something the cleaner noticed (mojibake span, stripped ruby, ...), with position."""

    kind: str  # "mojibake" | "ruby" | "control" | ...
    line: int  # 1-based line in the source file
    col: int  # 1-based column
    text: str
    message: str = ""


@dataclass
class Block:
    """One paragraph of a mixed document, with its language and source line."""

    lang: str  # "zh" | "en" | "other"
    text: str  # original text (display form)
    line: int  # 1-based line in the source file
    norm: str = ""  # matching form: Simplified, NFKC, quotes folded (same length as text for zh)
    quarantined: bool = False  # mojibake: kept out of alignment and mining


@dataclass
class CleanDocument:
    raw: RawDocument
    blocks: list[Block]
    issues: list[TextIssue] = field(default_factory=list)


# --------------------------------------------------------------------------- align


@dataclass
class SegmentPair:
    """An aligned zh/en sentence (or sentence group) pair: the unit of evidence."""

    zh: str
    en: str
    position: int  # order within its document
    document: str = ""  # document path or name
    zh_norm: str = ""  # Simplified matching form of zh, same length as zh
    score: float = 0.0  # aligner confidence 0..1
    bead: str = ""  # e.g. "1-1", "2-1"
    zh_line: int = 0
    en_line: int = 0
    id: int | None = None  # database segment id, when the pair comes from the store


@dataclass
class AlignedDocument:
    """What ingest hands to the store: a document and its aligned segment pairs."""

    raw: RawDocument
    pairs: list[SegmentPair]
    issues: list[TextIssue] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # human-readable notes on unaligned material
    # large bitext read lazily: batches of pairs, produced (and issues/skipped filled in) while being consumed;
    # `pairs` is then empty. Consume once (glossary.store.documents.store_document does).
    batches: Iterator[list[SegmentPair]] | None = None


# --------------------------------------------------------------------------- terms


@dataclass
class TermData:
    """A term as plain data (used by mine, exchange, lint and the service layer)."""

    lang: str
    text: str
    term_type: str = "fullForm"
    status: str = "admitted"  # usage status
    pinyin: str | None = None
    original: str | None = None  # source script form (e.g. Traditional) when different
    pos: str | None = None
    note: str | None = None
    id: int | None = None


@dataclass
class OccurrenceData:
    """Where a term was seen: a segment (by id, or by document + position) and char offsets."""

    start: int
    end: int
    segment_id: int | None = None
    document: str | None = None
    position: int | None = None


@dataclass
class Evidence:
    """One piece of evidence for a candidate pair, for the editor to read."""

    kind: str  # "cooc" | "dict" | "pinyin" | "acronym" | "latin" | "glossary"
    weight: float
    detail: str = ""


@dataclass
class Candidate:
    """A mined zh–en term pair proposal with its variants, score and evidence."""

    zh: str
    en: str
    score: float
    en_variants: list[str] = field(default_factory=list)
    zh_variants: list[str] = field(default_factory=list)  # e.g. Traditional forms seen
    acronyms: list[str] = field(default_factory=list)
    kind: str = "term"  # term | name | place | org | title | event
    evidence: list[Evidence] = field(default_factory=list)
    # occurrences per term text: text -> [(segment_id, start, end)]
    occurrences: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    frequency: int = 0
    # English occurrences: surface -> [(segment_id, start, end)] (offsets in the segment's en text)
    en_occurrences: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    termhood: float = 0.0  # zh termhood 0..1 (frequency, nesting, boundary variety)
    near_duplicates: list[str] = field(default_factory=list)  # zh of other candidates an editor may merge


@dataclass
class EntryData:
    """A whole concept as plain data: what export writes and import reads."""

    terms: list[TermData]
    status: str = "proposed"
    score: float | None = None
    subject: str | None = None
    definition: str | None = None
    note: str | None = None
    id: int | None = None
    version: int | None = None
    created_at: str | None = None
    updated_at: str | None = None
    created_by: str | None = None
    updated_by: str | None = None
    sources: list[dict] = field(default_factory=list)  # [{"document", "zh", "en"}]


# --------------------------------------------------------------------------- lint


@dataclass
class Finding:
    path: str
    line: int
    column: int
    start: int  # char offset in the file's text
    end: int
    check: str
    severity: str  # "error" | "warning" | "info"
    message: str
    match: str = ""
    suggestion: str = ""
