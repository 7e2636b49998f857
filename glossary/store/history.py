"""Audit trail: entry snapshots, Action (version check + history rows for one change), and undo."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from glossary.errors import ConflictError, NotFoundError
from glossary.store.models import Entry, History, Occurrence, Term, utcnow

ENTRY_FIELDS = ("status", "subject", "definition", "note", "score", "created_by", "updated_by")
TERM_FIELDS = (
    "lang", "text", "norm_key", "original", "pinyin", "pinyin_plain", "pinyin_initials",
    "term_type", "usage_status", "pos", "note", "position",
)


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None


def snapshot(session: Session, entry: Entry) -> dict:
    """A JSON-able picture of an entry with its terms and their occurrences (enough to restore it)."""
    term_ids = [t.id for t in entry.terms if t.id is not None]
    occ: dict[int, list[list[int]]] = {tid: [] for tid in term_ids}
    if term_ids:
        rows = session.execute(
            select(Occurrence.term_id, Occurrence.segment_id, Occurrence.start, Occurrence.end)
            .where(Occurrence.term_id.in_(term_ids))
            .order_by(Occurrence.term_id, Occurrence.segment_id, Occurrence.start)
        )
        for tid, seg, start, end in rows:
            occ[tid].append([seg, start, end])
    data = {"id": entry.id, "version": entry.version}
    data.update({f: getattr(entry, f) for f in ENTRY_FIELDS})
    data["created_at"] = _iso(entry.created_at)
    data["updated_at"] = _iso(entry.updated_at)
    data["terms"] = [
        {"id": t.id, **{f: getattr(t, f) for f in TERM_FIELDS}, "occurrences": occ.get(t.id, [])}
        for t in entry.terms
    ]
    return data


def load_entry(session: Session, entry_id: int, *, lock: bool = False) -> Entry:
    stmt = select(Entry).where(Entry.id == entry_id).options(selectinload(Entry.terms))
    if lock and session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    entry = session.scalars(stmt).one_or_none()
    if entry is None:
        raise NotFoundError(f"entry {entry_id} does not exist")
    return entry


class Action:
    """One user-visible change: checks versions, touches entries, writes one History row per entry.

    Use as `with Action(session, user, "approve", "approved 西部陆海新通道") as act: e = act.load(id, version)`.
    On exit (no exception) it flushes, snapshots every entry it saw and writes the history rows.
    """

    def __init__(self, session: Session, user: str, action: str, summary: str = ""):
        self.session = session
        self.user = user
        self.action = action
        self.summary = summary
        self.group_id = str(uuid.uuid4())
        self._before: dict[int, dict | None] = {}
        self._entries: dict[int, Entry] = {}
        self._new: list[Entry] = []
        self._deleted: set[int] = set()

    def __enter__(self) -> Action:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.finish()

    def load(self, entry_id: int, expected_version: int | None = None) -> Entry:
        """Load an entry for change; ConflictError when the caller's version is stale."""
        entry = self._entries.get(entry_id)
        if entry is None:
            entry = load_entry(self.session, entry_id, lock=True)
            self._entries[entry_id] = entry
            self._before[entry_id] = snapshot(self.session, entry)
        if expected_version is not None and entry.version != expected_version:
            raise ConflictError(
                f"entry {entry_id} was changed by someone else (your version {expected_version}, "
                f"now {entry.version}); reload and try again",
                entry_id=entry_id, expected=expected_version, actual=entry.version,
            )
        return entry

    def touch(self, entry: Entry) -> None:
        """Mark an entry as modified now by this user (bumps its version on flush)."""
        entry.updated_at = utcnow()
        entry.updated_by = self.user

    def create(self, entry: Entry) -> Entry:
        entry.created_by = entry.created_by or self.user
        entry.updated_by = self.user
        self.session.add(entry)
        self._new.append(entry)
        return entry

    def delete(self, entry: Entry) -> None:
        self._deleted.add(entry.id)
        self.session.delete(entry)

    def finish(self) -> list[int]:
        self.session.flush()
        rows = []
        for entry in self._new:
            self._before[entry.id] = None
            self._entries[entry.id] = entry
        for entry_id, entry in self._entries.items():
            if entry_id in self._deleted:
                after = None
            else:
                self.session.refresh(entry, attribute_names=["terms"])
                after = snapshot(self.session, entry)
            rows.append(
                History(
                    group_id=self.group_id, entry_id=entry_id, user=self.user, action=self.action,
                    summary=self.summary, before=self._before.get(entry_id), after=after,
                )
            )
        self.session.add_all(rows)
        self.session.flush()
        return list(self._entries)


def last_undoable_group(session: Session, user: str | None) -> str | None:
    stmt = select(History.group_id).where(History.undone.is_(False), History.action != "undo")
    if user is not None:
        stmt = stmt.where(History.user == user)
    return session.scalars(stmt.order_by(History.id.desc()).limit(1)).first()


def undo_group(session: Session, group_id: str, user: str) -> list[int]:
    """Restore every entry of a history group to its 'before' picture; ConflictError if changed since."""
    rows = session.scalars(select(History).where(History.group_id == group_id).order_by(History.id)).all()
    if not rows:
        raise NotFoundError(f"no change {group_id} to undo")
    current: dict[int, Entry | None] = {}
    for row in rows:
        entry = session.get(Entry, row.entry_id)
        current[row.entry_id] = entry
        after_version = row.after["version"] if row.after else None
        now_version = entry.version if entry is not None else None
        now = snapshot(session, entry) if entry is not None else None
        if after_version != now_version and _content(now) != _content(row.after):
            raise ConflictError(
                f"cannot undo '{row.action}': entry {row.entry_id} has changed since "
                f"(version {now_version}, expected {after_version})",
                entry_id=row.entry_id, expected=after_version, actual=now_version,
            )
    act = Action(session, user, "undo", f"undo {rows[0].action}: {rows[0].summary or ''}".strip())
    for entry_id, entry in current.items():
        if entry is not None:
            act.load(entry_id)
    before_terms = {t["id"]: (r.entry_id, t) for r in rows if r.before for t in r.before["terms"]}
    after_term_ids = {t["id"] for r in rows if r.after for t in r.after["terms"]}
    doomed = after_term_ids - set(before_terms)
    if doomed:
        session.execute(delete(Term).where(Term.id.in_(doomed)))
    # recreate or reset entries
    for row in rows:
        if row.before is None:
            continue
        entry = current.get(row.entry_id)
        if entry is None:
            entry = Entry(id=row.entry_id, created_at=_parse(row.before["created_at"]))
            act.create(entry)
        for f in ENTRY_FIELDS:
            setattr(entry, f, row.before[f])
        act.touch(entry)
    session.flush()
    # terms back to their entries, fields and occurrences
    for term_id, (entry_id, t) in before_terms.items():
        term = session.get(Term, term_id)
        if term is None:
            term = Term(id=term_id, entry_id=entry_id)
            session.add(term)
        term.entry_id = entry_id
        for f in TERM_FIELDS:
            setattr(term, f, t[f])
    session.flush()
    if before_terms:
        session.execute(delete(Occurrence).where(Occurrence.term_id.in_(list(before_terms))))
        session.flush()
    session.add_all(
        Occurrence(term_id=tid, segment_id=seg, start=s, end=e)
        for tid, (_eid, t) in before_terms.items()
        for seg, s, e in t["occurrences"]
    )
    session.flush()
    session.expire_all()  # collections loaded before the moves are stale now
    for row in rows:
        if row.before is None and current.get(row.entry_id) is not None:
            act.delete(current[row.entry_id])
        row.undone = True
    act.finish()
    return [r.entry_id for r in rows]


def _content(snap: dict | None) -> dict | None:
    """A snapshot without its bookkeeping (version, update stamp): what an editor sees."""
    if snap is None:
        return None
    return {k: v for k, v in snap.items() if k not in ("version", "updated_at", "updated_by")}


def _parse(value: str | None) -> datetime:
    return datetime.fromisoformat(value) if value else utcnow()
