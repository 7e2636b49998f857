"""SQLAlchemy 2.0 models: concept-oriented entries, terms, documents, segments, occurrences, history."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from glossary.data import ENTRY_STATUSES, TERM_TYPES, USAGE_STATUSES

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Entry(Base):
    """A concept: the unit an editor approves, rejects, merges or splits."""

    __tablename__ = "entries"
    __table_args__ = (
        CheckConstraint(_in("status", ENTRY_STATUSES), name="status"),
        Index("ix_entries_status_score", "status", "score"),
        Index("ix_entries_score", "score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="proposed", nullable=False)
    subject: Mapped[str | None] = mapped_column(String(200))
    definition: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    terms: Mapped[list[Term]] = relationship(
        back_populates="entry",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Term.position, Term.id",
    )

    __mapper_args__ = {"version_id_col": version}


class Term(Base):
    """A designation of a concept in one language (zh or en), with type and usage status."""

    __tablename__ = "terms"
    __table_args__ = (
        UniqueConstraint("entry_id", "lang", "norm_key", name="uq_terms_entry_lang_key"),
        Index("ix_terms_lang_norm_key", "lang", "norm_key"),
        Index("ix_terms_pinyin_plain", "pinyin_plain"),
        Index("ix_terms_pinyin_initials", "pinyin_initials"),
        CheckConstraint("lang IN ('zh', 'en')", name="lang"),
        CheckConstraint(_in("term_type", TERM_TYPES), name="term_type"),
        CheckConstraint(_in("usage_status", USAGE_STATUSES), name="usage_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("entries.id", ondelete="CASCADE"), nullable=False, index=True
    )
    lang: Mapped[str] = mapped_column(String(8), nullable=False)
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    norm_key: Mapped[str] = mapped_column(String(500), nullable=False)
    original: Mapped[str | None] = mapped_column(String(500))
    pinyin: Mapped[str | None] = mapped_column(String(1000))
    pinyin_plain: Mapped[str | None] = mapped_column(String(1000))
    pinyin_initials: Mapped[str | None] = mapped_column(String(200))
    term_type: Mapped[str] = mapped_column(String(16), nullable=False, default="fullForm")
    usage_status: Mapped[str] = mapped_column(String(16), nullable=False, default="admitted")
    pos: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    entry: Mapped[Entry] = relationship(back_populates="terms")
    occurrences: Mapped[list[Occurrence]] = relationship(
        back_populates="term", cascade="all, delete-orphan", passive_deletes=True
    )


class Document(Base):
    """An ingested file, identified by the sha256 of its bytes."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    encoding: Mapped[str | None] = mapped_column(String(40))
    format: Mapped[str | None] = mapped_column(String(20))
    size: Mapped[int | None] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    imported_by: Mapped[str | None] = mapped_column(String(100))
    report: Mapped[dict | None] = mapped_column(JSON)  # cleaning issues, skipped material

    segments: Mapped[list[Segment]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Segment.position",
    )


class Segment(Base):
    """An aligned zh/en sentence pair of a document: the evidence terms point to."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("document_id", "position", name="uq_segments_doc_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    zh: Mapped[str] = mapped_column(Text, nullable=False, default="")
    en: Mapped[str] = mapped_column(Text, nullable=False, default="")
    zh_norm: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    bead: Mapped[str | None] = mapped_column(String(8))
    zh_line: Mapped[int | None] = mapped_column(Integer)
    en_line: Mapped[int | None] = mapped_column(Integer)

    document: Mapped[Document] = relationship(back_populates="segments")


class Occurrence(Base):
    """A term seen in a segment, with character offsets in that segment's zh or en text."""

    __tablename__ = "occurrences"
    __table_args__ = (
        UniqueConstraint("term_id", "segment_id", "start", name="uq_occurrences_term_seg_start"),
        Index("ix_occurrences_segment_id", "segment_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term_id: Mapped[int] = mapped_column(ForeignKey("terms.id", ondelete="CASCADE"), nullable=False)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segments.id", ondelete="CASCADE"), nullable=False
    )
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)

    term: Mapped[Term] = relationship(back_populates="occurrences")
    segment: Mapped[Segment] = relationship()


class History(Base):
    """Audit row: one per entry touched by an action; rows of one action share a group id (for undo)."""

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_entry_id", "entry_id"),
        Index("ix_history_user_group", "user", "group_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[str] = mapped_column(String(36), nullable=False)
    # not a foreign key: history must outlive the entries it describes (merge, delete)
    entry_id: Mapped[int | None] = mapped_column(Integer)
    user: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    summary: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    undone: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
