"""Storage of ingested documents and their aligned segments; segment iteration for the miner."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from sqlalchemy import bindparam, insert, select, update

from glossary.data import AlignedDocument, SegmentPair
from glossary.store.db import insert_rows
from glossary.store.models import Document, Segment, utcnow
from glossary.text.normalize import to_simplified


@dataclass
class SegmentRow:
    id: int
    document_id: int
    document: str
    position: int
    zh: str
    en: str
    zh_norm: str


SEGMENT_BATCH = 2000
DOCUMENTS_T = Document.__table__
SEGMENTS_T = Segment.__table__
# built once: a statement built per call costs more Python than the SQL it runs
_FIND_SHA = select(DOCUMENTS_T.c.id).where(DOCUMENTS_T.c.sha256 == bindparam("sha"))
_INSERT_DOCUMENT = insert(DOCUMENTS_T)
SEGMENT_COLUMNS = ("document_id", "position", "zh", "en", "zh_norm", "score", "bead", "zh_line", "en_line")
_SET_REPORT = update(DOCUMENTS_T).where(DOCUMENTS_T.c.id == bindparam("doc_id")).values(report=bindparam("rep"))


def store_document(conn, aligned: AlignedDocument, user: str) -> tuple[int, bool]:
    """Insert the document and its segment pairs; (existing id, False) if these bytes were stored before.

    `conn` is a Session or Connection inside the caller's transaction (Core statements only: an ORM
    instance per row cost more than the SQL). Lazily produced pairs (`aligned.batches`) are consumed here,
    batch by batch; the report (issues, skipped) is written once they are all in.
    """
    raw = aligned.raw
    existing = conn.execute(_FIND_SHA, {"sha": raw.sha256}).scalar()
    if existing is not None:
        return existing, False
    streamed = aligned.batches is not None
    doc_id = conn.execute(_INSERT_DOCUMENT, {
        "path": str(raw.path), "name": os.path.basename(str(raw.path)) or str(raw.path), "sha256": raw.sha256,
        "encoding": raw.encoding, "format": raw.format, "size": raw.size, "imported_at": utcnow(),
        "imported_by": user, "report": {} if streamed else _report(aligned),
    }).inserted_primary_key[0]
    batches = aligned.batches if streamed else _chunks(aligned.pairs, SEGMENT_BATCH)
    i = 0
    for batch in batches:
        rows = []
        for p in batch:
            rows.append((doc_id, p.position if p.position is not None else i, p.zh or "", p.en or "",
                         p.zh_norm or to_simplified(p.zh or ""), p.score, p.bead or None, p.zh_line or None,
                         p.en_line or None))  # SEGMENT_COLUMNS
            i += 1
        insert_rows(conn, SEGMENTS_T, SEGMENT_COLUMNS, rows)
    if streamed:  # issues and skipped notes are complete only now
        conn.execute(_SET_REPORT, {"doc_id": doc_id, "rep": _report(aligned)})
    return doc_id, True


def _report(aligned: AlignedDocument) -> dict:
    return {"issues": [asdict(x) for x in aligned.issues], "skipped": list(aligned.skipped)}


def _chunks(items: list, size: int) -> Iterator[list]:
    for k in range(0, len(items), size):
        yield items[k:k + size]


class DocumentWriter:
    """Stores many documents with few commits: each document in its own SAVEPOINT (a document that fails
    leaves nothing of itself, the others stay), the enclosing transaction committed every `max_docs`
    documents or `max_seconds` (bounds what a crash loses and how long other writers wait for the lock).
    A document whose `store` returned is committed at the latest by `close`."""

    def __init__(self, engine, user: str, max_docs: int = 200, max_seconds: float = 1.0):
        self.engine, self.user = engine, user
        self.max_docs, self.max_seconds = max_docs, max_seconds
        self.conn = None
        self.tx = None
        self.pending = 0
        self.started = 0.0

    def store(self, aligned: AlignedDocument) -> tuple[int, bool]:
        """Store one document (see store_document) inside a savepoint of the open batch transaction."""
        if self.tx is None:
            if self.conn is None:
                self.conn = self.engine.connect()
            self.tx = self.conn.begin()
            self.started = time.monotonic()
        with self.conn.begin_nested():
            result = store_document(self.conn, aligned, self.user)
        self.pending += 1
        if self.pending >= self.max_docs or time.monotonic() - self.started >= self.max_seconds:
            self.commit()
        return result

    def commit(self) -> None:
        if self.tx is not None:
            tx, self.tx, self.pending = self.tx, None, 0
            tx.commit()

    def close(self, ok: bool = True) -> None:
        """Commit the stored documents (`ok`) or roll the open batch back; release the connection."""
        try:
            if self.tx is not None:
                if ok:
                    self.commit()
                else:
                    tx, self.tx = self.tx, None
                    tx.rollback()
        finally:
            if self.conn is not None:
                self.conn.close()
                self.conn = None


def iter_segments(sessions, batch: int = 2000) -> Iterator[SegmentRow]:
    """Yield every segment in (document, position) order, reading in keyset-paginated batches."""
    for r in _segment_rows(sessions, batch):
        yield SegmentRow(*r)


def iter_segment_pairs(sessions, batch: int = 2000) -> Iterator[SegmentPair]:
    """Every segment as the miner's SegmentPair (document name, position, zh, en, zh_norm, database id)."""
    for sid, _, name, position, zh, en, zh_norm in _segment_rows(sessions, batch):
        yield SegmentPair(zh=zh, en=en, position=position, document=name, zh_norm=zh_norm, id=sid)


_SEGMENT_PAGE = (
    select(SEGMENTS_T.c.id, SEGMENTS_T.c.document_id, SEGMENTS_T.c.position, SEGMENTS_T.c.zh, SEGMENTS_T.c.en,
           SEGMENTS_T.c.zh_norm)
    .where((SEGMENTS_T.c.document_id > bindparam("doc"))
           | ((SEGMENTS_T.c.document_id == bindparam("doc")) & (SEGMENTS_T.c.position > bindparam("pos"))))
    .order_by(SEGMENTS_T.c.document_id, SEGMENTS_T.c.position)
    .limit(bindparam("n"))
)
_DOCUMENT_NAMES = select(DOCUMENTS_T.c.id, DOCUMENTS_T.c.name)


def _segment_rows(sessions, batch: int) -> Iterator[tuple]:
    """(id, document id, document name, position, zh, en, zh_norm) in (document, position) order: one short
    read transaction per page (no long-held snapshot), Core rows, document names looked up in a dict."""
    names: dict[int, str] = {}
    last = (0, -1)
    while True:
        with sessions() as session:
            with session.begin():
                conn = session.connection()
                rows = conn.execute(_SEGMENT_PAGE, {"doc": last[0], "pos": last[1], "n": batch}).all()
                if not names.keys() >= {r[1] for r in rows}:  # documents stored since the last look
                    names = dict(conn.execute(_DOCUMENT_NAMES).all())
        if not rows:
            return
        for sid, doc, position, zh, en, zh_norm in rows:
            yield sid, doc, names[doc], position, zh, en, zh_norm or to_simplified(zh)
        last = (rows[-1][1], rows[-1][2])
