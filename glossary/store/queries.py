"""Read side of the store: stats, entries as plain data, history, approved pairs."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from glossary.data import ENTRY_STATUSES, EntryData, TermData
from glossary.errors import NotFoundError
from glossary.store.models import Document, Entry, History, Occurrence, Segment, Term


def _iso(dt) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


def term_data(t: Term) -> TermData:
    return TermData(
        lang=t.lang, text=t.text, term_type=t.term_type, status=t.usage_status, pinyin=t.pinyin,
        original=t.original, pos=t.pos, note=t.note, id=t.id,
    )


def to_entry_data(e: Entry) -> EntryData:
    return EntryData(
        id=e.id, version=e.version, status=e.status, score=e.score, subject=e.subject,
        definition=e.definition, note=e.note, created_at=_iso(e.created_at), updated_at=_iso(e.updated_at),
        created_by=e.created_by, updated_by=e.updated_by, terms=[term_data(t) for t in e.terms],
    )


def entry_data(session: Session, entry_id: int) -> EntryData:
    e = session.scalars(
        select(Entry).where(Entry.id == entry_id).options(selectinload(Entry.terms))
    ).one_or_none()
    if e is None:
        raise NotFoundError(f"entry {entry_id} does not exist")
    return to_entry_data(e)


def stats(session: Session) -> dict:
    by_status = dict.fromkeys(ENTRY_STATUSES, 0)
    by_status.update(dict(session.execute(select(Entry.status, func.count()).group_by(Entry.status)).all()))
    by_lang = {"zh": 0, "en": 0}
    by_lang.update(dict(session.execute(select(Term.lang, func.count()).group_by(Term.lang)).all()))
    docs = session.execute(
        select(Document.name, Document.format, Document.encoding, func.count(Segment.id))
        .outerjoin(Segment, Segment.document_id == Document.id)
        .group_by(Document.id, Document.name, Document.format, Document.encoding)
        .order_by(Document.id)
    ).all()
    return {
        "entries": sum(by_status.values()),
        "entries_by_status": by_status,
        "terms_by_language": by_lang,
        "documents": len(docs),
        "segments": session.scalar(select(func.count()).select_from(Segment)) or 0,
        "occurrences": session.scalar(select(func.count()).select_from(Occurrence)) or 0,
        "history": session.scalar(select(func.count()).select_from(History)) or 0,
        "by_document": [
            {"name": n, "format": f or "", "encoding": enc or "", "segments": c} for n, f, enc, c in docs
        ],
    }


def history(session: Session, entry_id: int | None, limit: int = 100) -> list[dict]:
    stmt = select(History).order_by(History.id.desc()).limit(limit)
    if entry_id is not None:
        stmt = stmt.where(History.entry_id == entry_id)
    return [
        {"id": h.id, "group": h.group_id, "entry_id": h.entry_id, "user": h.user, "at": _iso(h.at),
         "action": h.action, "summary": h.summary, "undone": h.undone, "before": h.before, "after": h.after}
        for h in session.scalars(stmt)
    ]


def approved_pairs(session: Session) -> list[tuple[str, str]]:
    """(zh, en) for every approved entry: each zh term × each non-deprecated en term."""
    zh = Term.__table__.alias("zh")
    en = Term.__table__.alias("en")
    rows = session.execute(
        select(zh.c.text, en.c.text)
        .join(en, en.c.entry_id == zh.c.entry_id)
        .join(Entry, Entry.id == zh.c.entry_id)
        .where(Entry.status == "approved", zh.c.lang == "zh", en.c.lang == "en",
               en.c.usage_status.in_(("preferred", "admitted")))
    ).all()
    return [(a, b) for a, b in rows]


def iter_entries(sessions, statuses: tuple[str, ...] | None = None, with_sources: int = 0,
                 batch: int = 1000):
    """Yield EntryData for every entry (optionally only some statuses), keyset-paginated by id.

    with_sources > 0 attaches up to that many source segment pairs per entry ({"document", "zh", "en"}).
    """
    last = 0
    while True:
        with sessions() as session:
            with session.begin():
                stmt = (select(Entry).where(Entry.id > last).order_by(Entry.id).limit(batch)
                        .options(selectinload(Entry.terms)))
                if statuses:
                    stmt = stmt.where(Entry.status.in_(statuses))
                entries = session.scalars(stmt).all()
                if not entries:
                    return
                datas = [to_entry_data(e) for e in entries]
                if with_sources:
                    _attach_sources(session, datas, with_sources)
        yield from datas
        last = entries[-1].id


def _attach_sources(session: Session, datas: list[EntryData], limit: int) -> None:
    by_entry = {d.id: d for d in datas}
    rows = session.execute(
        select(Term.entry_id, Segment.id, Document.name, Segment.zh, Segment.en)
        .join(Occurrence, Occurrence.term_id == Term.id)
        .join(Segment, Segment.id == Occurrence.segment_id)
        .join(Document, Document.id == Segment.document_id)
        .where(Term.entry_id.in_(list(by_entry)))
        .order_by(Term.entry_id, Segment.document_id, Segment.position)
    ).all()
    seen: dict[int, set[int]] = {}
    for entry_id, seg_id, doc, zh, en in rows:
        s = seen.setdefault(entry_id, set())
        if seg_id in s or len(s) >= limit:
            continue
        s.add(seg_id)
        by_entry[entry_id].sources.append({"document": doc, "zh": zh, "en": en})
