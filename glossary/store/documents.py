"""Storage of ingested documents and their aligned segments; segment iteration for the miner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from glossary.data import AlignedDocument
from glossary.store.models import Document, Segment
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


def store_document(session: Session, aligned: AlignedDocument, user: str) -> tuple[int, bool]:
    """Insert the document and its segment pairs; (existing id, False) if these bytes were stored before.

    Lazily produced pairs (`aligned.batches`) are consumed here, batch by batch, inside the caller's
    transaction; the report (issues, skipped) is written once they are all in.
    """
    raw = aligned.raw
    existing = session.scalar(select(Document.id).where(Document.sha256 == raw.sha256))
    if existing is not None:
        return existing, False
    doc = Document(
        path=str(raw.path), name=os.path.basename(str(raw.path)) or str(raw.path), sha256=raw.sha256,
        encoding=raw.encoding, format=raw.format, size=raw.size, imported_by=user, report={},
    )
    session.add(doc)
    session.flush()
    batches = aligned.batches if aligned.batches is not None else _chunks(aligned.pairs, SEGMENT_BATCH)
    i = 0
    for batch in batches:
        rows = []
        for p in batch:
            rows.append({
                "document_id": doc.id, "position": p.position if p.position is not None else i, "zh": p.zh or "",
                "en": p.en or "", "zh_norm": p.zh_norm or to_simplified(p.zh or ""), "score": p.score,
                "bead": p.bead or None, "zh_line": p.zh_line or None, "en_line": p.en_line or None,
            })
            i += 1
        if rows:
            session.execute(insert(Segment), rows)
    doc.report = {"issues": [asdict(x) for x in aligned.issues], "skipped": list(aligned.skipped)}
    session.flush()
    return doc.id, True


def _chunks(items: list, size: int) -> Iterator[list]:
    for k in range(0, len(items), size):
        yield items[k:k + size]


def iter_segments(sessions, batch: int = 2000) -> Iterator[SegmentRow]:
    """Yield every segment in (document, position) order, reading in keyset-paginated batches."""
    last = (0, -1)
    while True:
        with sessions() as session:
            with session.begin():
                rows = session.execute(
                    select(Segment.id, Segment.document_id, Document.name, Segment.position, Segment.zh,
                           Segment.en, Segment.zh_norm)
                    .join(Document, Document.id == Segment.document_id)
                    .where((Segment.document_id > last[0])
                           | ((Segment.document_id == last[0]) & (Segment.position > last[1])))
                    .order_by(Segment.document_id, Segment.position)
                    .limit(batch)
                ).all()
        if not rows:
            return
        for r in rows:
            yield SegmentRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] or to_simplified(r[4]))
        last = (rows[-1][1], rows[-1][3])
