"""Bulk import of many EntryData in one transaction (merge/skip/new on duplicates, with history)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from glossary.data import EntryData, TermData
from glossary.errors import InputError
from glossary.store.db import insert_ids
from glossary.store.history import ENTRY_FIELDS, TERM_FIELDS, Action
from glossary.store.models import Document, Entry, History, Occurrence, Segment, Term, utcnow
from glossary.store.service import GlossaryService, label, make_terms, term_values
from glossary.text.normalize import fold_punct, to_simplified

ON_DUPLICATE = ("merge", "skip", "new")
_ENTRY_COLS = ("status", "subject", "definition", "note", "score", "created_at", "updated_at", "created_by",
               "updated_by", "version")
CHUNK = 5000


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    merged: int = 0  # duplicates that received new terms, notes or sources
    unchanged: int = 0  # duplicates that had nothing new (re-import)
    skipped: int = 0  # duplicates left alone (--on-duplicate skip)
    terms_added: int = 0
    sources_added: int = 0
    warnings: list[str] = field(default_factory=list)


def _iso(dt) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt


class _Plain:
    """Attributes without an ORM: new entries and their terms wait as these until insert_fresh (an ORM instance
    per row cost more than the SQL itself)."""

    def __init__(self, **values):
        self.__dict__.update(values)


def _plain_term(data: TermData, position: int) -> _Plain:
    return _Plain(**term_values(data, position))


def _orm_term(t: _Plain) -> Term:
    return Term(**{f: getattr(t, f) for f in TERM_FIELDS})


def _terms(data: EntryData, index: int, where: str) -> list[_Plain]:
    try:
        return make_terms(data.terms, factory=_plain_term)
    except InputError as exc:
        raise InputError(f"{where}entry {index} ({label(data.terms)}): {exc}") from None


def _keys(terms: list[Term]) -> list[tuple[str, str]]:
    """Duplicate keys: normalised Chinese terms; entries without Chinese fall back to English."""
    zh = [("zh", t.norm_key) for t in terms if t.lang == "zh"]
    return zh or [("en", t.norm_key) for t in terms if t.lang == "en"]


class _Importer:
    def __init__(self, act: Action, on_duplicate: str, status: str | None, where: str):
        self.act, self.s = act, act.session
        self.on_duplicate, self.status, self.where = on_duplicate, status, where
        self.report = ImportReport()
        self.by_key: dict[tuple[str, str], object] = {}  # key -> entry id (int) or new Entry
        for lang, key, entry_id in self.s.execute(select(Term.lang, Term.norm_key, Term.entry_id)):
            self.by_key.setdefault((lang, key), entry_id)
        self.docs: dict[str, Document] = {}
        self.segs: dict[int, dict[tuple[str, str], Segment]] = {}
        self.pending: list[tuple[int, EntryData, list[_Plain]]] = []
        self.added: dict[int, set[tuple[str, str, str]]] = {}  # id(entry) -> sources added by this import
        self.fresh: list[_Plain] = []  # new entries not inserted yet (plain objects, never in the session)
        self.fresh_sources: dict[int, list[dict]] = {}  # id(entry) -> its sources, inserted with it

    # ---------------------------------------------------------------- create

    def add(self, data: EntryData, index: int) -> None:
        self.report.read += 1
        terms = _terms(data, index, self.where)
        keys = _keys(terms)
        twin = next((self.by_key[k] for k in keys if k in self.by_key), None)
        if twin is not None and self.on_duplicate == "skip":
            self.report.skipped += 1
            return
        if twin is not None and self.on_duplicate == "merge":
            if isinstance(twin, _Plain):
                self.merge(twin, data, terms, fresh=True)
            else:
                self.pending.append((twin, data, terms))
            return
        self.create(data, terms, keys)

    def create(self, data: EntryData, terms: list[_Plain], keys) -> None:
        now = utcnow()
        entry = _Plain(status=self.status or data.status, subject=data.subject, definition=data.definition,
                       note=data.note, score=data.score, created_at=_parse_time(data.created_at) or now,
                       updated_at=now, created_by=data.created_by or self.act.user, updated_by=self.act.user,
                       version=1, id=None, terms=terms)
        self.fresh.append(entry)
        self.add_sources(entry, data.sources)
        for k in keys:
            self.by_key.setdefault(k, entry)
        self.report.created += 1
        if len(self.fresh) >= CHUNK:
            self.insert_fresh()

    def insert_fresh(self) -> None:
        """Insert the waiting new entries with Core statements (entries, terms, sources, history rows)."""
        batch, self.fresh = self.fresh, []
        if not batch:
            return
        e_t, t_t = Entry.__table__, Term.__table__
        entry_rows = [{f: getattr(e, f) for f in _ENTRY_COLS} for e in batch]
        ids = insert_ids(self.s, e_t, entry_rows)
        term_rows = [{"entry_id": eid, **{f: getattr(t, f) for f in TERM_FIELDS}}
                     for e, eid in zip(batch, ids) for t in e.terms]
        term_ids = iter(insert_ids(self.s, t_t, term_rows))
        segs = {id(e): [self.segment(self.document(src.get("document") or ""), src.get("zh") or "",
                                     src.get("en") or "") for src in self.fresh_sources.pop(id(e), [])]
                for e in batch}
        self.s.flush()  # new segments get their ids (one flush per batch)
        occ_rows: list[dict] = []
        history_rows = []
        for e, eid in zip(batch, ids):
            tids = [next(term_ids) for _ in e.terms]
            occ = self.fresh_occurrences(e, tids, segs[id(e)])
            occ_rows.extend(occ)
            history_rows.append(self.history_row(e, eid, tids, occ))
            for t in e.terms:
                if self.by_key.get((t.lang, t.norm_key)) is e:
                    self.by_key[(t.lang, t.norm_key)] = eid
        if occ_rows:
            self.s.execute(insert(Occurrence.__table__), occ_rows)
        self.s.execute(insert(History.__table__), history_rows)

    def fresh_occurrences(self, entry: _Plain, tids: list[int], segs: list[Segment]) -> list[dict]:
        rows, seen = [], set()
        for seg in segs:
            linked = False
            for term, tid in zip(entry.terms, tids):
                pos = _find(seg.zh if term.lang == "zh" else seg.en, term)
                if pos is not None and (tid, seg.id, pos) not in seen:
                    seen.add((tid, seg.id, pos))
                    rows.append({"term_id": tid, "segment_id": seg.id, "start": pos, "end": pos + len(term.text)})
                    linked = True
                elif pos is not None:
                    linked = True
            if not linked and tids and (tids[0], seg.id, 0) not in seen:
                seen.add((tids[0], seg.id, 0))
                rows.append({"term_id": tids[0], "segment_id": seg.id, "start": 0, "end": 0})
        return rows

    def history_row(self, e: _Plain, eid: int, tids: list[int], occ: list[dict]) -> dict:
        by_term: dict[int, list[list[int]]] = {}
        for o in sorted(occ, key=lambda o: (o["term_id"], o["segment_id"], o["start"])):
            by_term.setdefault(o["term_id"], []).append([o["segment_id"], o["start"], o["end"]])
        after = {"id": eid, "version": 1, **{f: getattr(e, f) for f in ENTRY_FIELDS},
                 "created_at": _iso(e.created_at), "updated_at": _iso(e.updated_at),
                 "terms": [{"id": tid, **{f: getattr(t, f) for f in TERM_FIELDS}, "occurrences": by_term.get(tid, [])}
                           for t, tid in zip(e.terms, tids)]}
        return {"group_id": self.act.group_id, "entry_id": eid, "user": self.act.user, "action": self.act.action,
                "summary": self.act.summary, "before": None, "after": after, "at": utcnow(), "undone": False}

    # ---------------------------------------------------------------- merge

    def flush_pending(self, progress: Callable[[int], None] | None = None) -> None:
        for i in range(0, len(self.pending), CHUNK):
            chunk = self.pending[i:i + CHUNK]
            ids = list({eid for eid, _d, _t in chunk})
            found = {e.id: e for e in self.s.scalars(
                select(Entry).where(Entry.id.in_(ids)).options(selectinload(Entry.terms)))}
            have = self.existing_sources(ids)
            for eid, data, terms in chunk:
                self.merge(found[eid], data, terms, fresh=False, have=have.get(eid, set()))
            if progress:
                progress(len(chunk))
        self.pending = []

    def existing_sources(self, ids: list[int]) -> dict[int, set[tuple[str, str, str]]]:
        out: dict[int, set] = {}
        rows = self.s.execute(
            select(Term.entry_id, Document.name, Segment.zh, Segment.en)
            .join(Occurrence, Occurrence.term_id == Term.id).join(Segment, Segment.id == Occurrence.segment_id)
            .join(Document, Document.id == Segment.document_id).where(Term.entry_id.in_(ids)))
        for eid, doc, zh, en in rows:
            out.setdefault(eid, set()).add((doc, zh, en))
        return out

    def merge(self, entry, data: EntryData, terms: list[_Plain], fresh: bool, have=None) -> None:
        """Add what `data` brings to a twin: a new entry of this import (plain, fresh) or a stored Entry."""
        known = {(t.lang, t.norm_key) for t in entry.terms}
        new_terms = [t for t in terms if (t.lang, t.norm_key) not in known]
        note = data.note if data.note and data.note not in (entry.note or "") else None
        fill = {f: getattr(data, f) for f in ("subject", "definition")
                if getattr(data, f) and not getattr(entry, f)}
        have = (have or set()) | self.added.get(id(entry), set())
        sources = [s for s in data.sources
                   if (s.get("document") or "", s.get("zh") or "", s.get("en") or "") not in have]
        if not (new_terms or note or fill or sources):
            if not fresh:
                self.report.unchanged += 1
            return
        if not fresh:
            self.act.load(entry.id)  # history "before" picture
            self.act.touch(entry)
            self.report.merged += 1
        for t in new_terms:
            if t.usage_status == "preferred" and any(x.lang == t.lang and x.usage_status == "preferred"
                                                     for x in entry.terms):
                t.usage_status = "admitted"
            t.position = len(entry.terms)
            entry.terms.append(t if fresh else _orm_term(t))
            self.by_key.setdefault((t.lang, t.norm_key), entry.id if not fresh else entry)
        self.report.terms_added += len(new_terms)
        if note:
            entry.note = f"{entry.note}\n{note}" if entry.note else note
        for f, v in fill.items():
            setattr(entry, f, v)
        self.add_sources(entry, sources)

    # ---------------------------------------------------------------- sources

    def document(self, name: str) -> Document:
        doc = self.docs.get(name)
        digest = hashlib.sha256(b"glossary-import\0" + name.encode("utf-8")).hexdigest()
        if doc is None:
            doc = self.s.scalars(select(Document).where(Document.name == name).order_by(Document.id)).first()
            if doc is None:
                doc = self.s.scalars(select(Document).where(Document.sha256 == digest)).first()
            if doc is None:
                doc = Document(path=name, name=name, sha256=digest, format="import",
                               imported_by=self.act.user, report={"imported_contexts": True})
                self.s.add(doc)
                self.s.flush()
            self.docs[name] = doc
        return doc

    def segment(self, doc: Document, zh: str, en: str) -> Segment:
        segs = self.segs.get(doc.id)
        if segs is None:
            segs = {(z, e): seg for z, e, seg in (
                (s.zh, s.en, s) for s in self.s.scalars(select(Segment).where(Segment.document_id == doc.id)))}
            self.segs[doc.id] = segs
        seg = segs.get((zh, en))
        if seg is None:
            last = max((s.position for s in segs.values()), default=-1)
            seg = Segment(document=doc, position=last + 1, zh=zh, en=en, zh_norm=None)
            self.s.add(seg)
            segs[(zh, en)] = seg
        return seg

    def add_sources(self, entry, sources: Iterable[dict]) -> None:
        added = self.added.setdefault(id(entry), set())
        if entry.id is None:  # a new entry: its sources are inserted with it
            queue = self.fresh_sources.setdefault(id(entry), [])
            for src in sources:
                key = (src.get("document") or "", src.get("zh") or "", src.get("en") or "")
                if key not in added:
                    added.add(key)
                    queue.append(src)
                    self.report.sources_added += 1
            return
        for src in sources:
            key = (src.get("document") or "", src.get("zh") or "", src.get("en") or "")
            if key in added:
                continue
            added.add(key)
            seg = self.segment(self.document(src.get("document") or ""), src.get("zh") or "", src.get("en") or "")
            linked = False
            for term in entry.terms:
                text = seg.zh if term.lang == "zh" else seg.en
                pos = _find(text, term)
                if pos is not None:
                    self.occurrence(term, seg, pos, pos + len(term.text))
                    linked = True
            if not linked and entry.terms:
                self.occurrence(entry.terms[0], seg, 0, 0)
            self.report.sources_added += 1

    def occurrence(self, term: Term, seg: Segment, start: int, end: int) -> None:
        if any(o.segment is seg and o.start == start for o in term.occurrences):
            return
        term.occurrences.append(Occurrence(segment=seg, start=start, end=end))


def _find(text: str, term) -> int | None:
    """Where the term sits in a source sentence: exact first, then with Traditional→Simplified, case, quotes and
    dashes folded (a mined term keeps the folded form: 中国-东盟 stands in 中国—东盟). None when it is not there."""
    if not text:
        return None
    candidates = [c for c in (term.text, term.original) if c]
    for candidate in candidates:
        pos = text.find(candidate) if term.lang == "zh" else text.lower().find(candidate.lower())
        if pos >= 0:
            return pos
    hay = fold_punct(to_simplified(text) if term.lang == "zh" else text.lower())
    if len(hay) != len(text):  # folding dropped a character: offsets would not survive
        return None
    for candidate in candidates:
        pos = hay.find(fold_punct(to_simplified(candidate) if term.lang == "zh" else candidate.lower()))
        if pos >= 0:
            return pos
    return None


def import_entries(service: GlossaryService, entries: Iterable[EntryData], on_duplicate: str = "merge",
                   source: str = "", status: str | None = None,
                   progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import entries in ONE transaction; any error rolls everything back (nothing half-imported).

    Duplicates (same normalised Chinese term, or English for entries without Chinese) are merged (missing
    terms, notes and sources added, with history), skipped, or imported as new entries. Re-importing the same
    file with `merge` changes nothing.
    """
    if on_duplicate not in ON_DUPLICATE:
        raise InputError(f"--on-duplicate must be one of {', '.join(ON_DUPLICATE)}, not {on_duplicate!r}")
    where = f"{source}: " if source else ""
    entries = list(entries)
    try:
        with service.write() as session, session.no_autoflush:
            with Action(session, service.user, "import", f"import {source}".strip()) as act:
                imp = _Importer(act, on_duplicate, status, where)
                for i, data in enumerate(entries, 1):
                    imp.add(data, i)
                    if progress and i % 1000 == 0:
                        progress(1000)
                if progress:
                    progress(len(entries) % 1000)
                imp.insert_fresh()
                imp.flush_pending()
                report = imp.report
                act.summary = (f"import {source}: {report.created} created, {report.merged} merged, "
                               f"{report.skipped} skipped").strip()
                session.execute(update(History.__table__).where(History.__table__.c.group_id == act.group_id)
                                .values(summary=act.summary))
    except IntegrityError as exc:
        raise InputError(f"{where}import failed, nothing imported: {exc.orig}") from None
    return report


# --------------------------------------------------------------------------- export read side


def iter_export_entries(service: GlossaryService, statuses: tuple[str, ...] | None = None,
                        with_sources: int = 0, batch: int = 5000):
    """Every entry as EntryData for export: like service.iter_entries, but with Core queries (several times
    faster for 100k-entry glossaries). Keyset-paginated by id; each batch is read in one short transaction."""
    e_t, t_t = Entry.__table__, Term.__table__
    last = 0
    while True:
        with service.engine.connect() as conn:
            stmt = select(e_t).where(e_t.c.id > last).order_by(e_t.c.id).limit(batch)
            if statuses:
                stmt = stmt.where(e_t.c.status.in_(statuses))
            rows = conn.execute(stmt).all()
            if not rows:
                return
            lo, hi = rows[0].id, rows[-1].id
            datas = {r.id: EntryData(
                terms=[], status=r.status, score=r.score, subject=r.subject, definition=r.definition,
                note=r.note, id=r.id, version=r.version, created_at=_iso(r.created_at),
                updated_at=_iso(r.updated_at), created_by=r.created_by, updated_by=r.updated_by) for r in rows}
            terms = conn.execute(
                select(t_t.c.entry_id, t_t.c.id, t_t.c.lang, t_t.c.text, t_t.c.term_type, t_t.c.usage_status,
                       t_t.c.pinyin, t_t.c.original, t_t.c.pos, t_t.c.note)
                .where(t_t.c.entry_id >= lo, t_t.c.entry_id <= hi)
                .order_by(t_t.c.entry_id, t_t.c.position, t_t.c.id))
            for eid, tid, lang, text, typ, status, pinyin, original, pos, note in terms:
                d = datas.get(eid)
                if d is not None:
                    d.terms.append(TermData(lang=lang, text=text, term_type=typ, status=status, pinyin=pinyin,
                                            original=original, pos=pos, note=note, id=tid))
            if with_sources:
                _export_sources(conn, datas, lo, hi, with_sources)
        yield from datas.values()
        last = hi


def _export_sources(conn, datas: dict[int, EntryData], lo: int, hi: int, limit: int) -> None:
    """Up to `limit` distinct source segments per entry, in document/position order (as queries does)."""
    rows = conn.execute(
        select(Term.entry_id, Segment.id, Document.name, Segment.zh, Segment.en)
        .join(Occurrence, Occurrence.term_id == Term.id)
        .join(Segment, Segment.id == Occurrence.segment_id)
        .join(Document, Document.id == Segment.document_id)
        .where(Term.entry_id >= lo, Term.entry_id <= hi)
        .order_by(Term.entry_id, Segment.document_id, Segment.position))
    seen: dict[int, set[int]] = {}
    for eid, seg_id, doc, zh, en in rows:
        d = datas.get(eid)
        if d is None:
            continue
        s = seen.setdefault(eid, set())
        if seg_id in s or len(s) >= limit:
            continue
        s.add(seg_id)
        d.sources.append({"document": doc, "zh": zh, "en": en})
