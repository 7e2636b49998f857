"""Service layer: every mutation of the termbase (history, version checks, merge, split, undo)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from glossary.data import ENTRY_STATUSES, TERM_TYPES, USAGE_STATUSES, EntryData, SegmentPair, TermData
from glossary.errors import ConflictError, GlossaryError, InputError, NotFoundError
from glossary.store import documents, queries
from glossary.store.db import check_schema, make_engine
from glossary.store.history import Action, last_undoable_group, undo_group
from glossary.store.models import Entry, Occurrence, Term
from glossary.text.normalize import (
    is_traditional,
    norm_key,
    pinyin_columns,
    to_simplified,
)

EDITABLE_ENTRY_FIELDS = ("subject", "definition", "note", "score")
EDITABLE_TERM_FIELDS = ("text", "term_type", "usage_status", "pos", "note", "original")


def term_values(data: TermData, position: int = 0) -> dict:
    """Column values of a Term row from plain data: keys, pinyin, Simplified text with the Traditional original."""
    _validate_term(data)
    lang = data.lang
    text = " ".join(data.text.split()) if lang == "en" else data.text.strip()
    original = data.original
    if lang == "zh" and is_traditional(text):
        original = original or text
        text = to_simplified(text)
    values = {"lang": lang, "text": text, "norm_key": norm_key(text, lang), "original": original,
              "term_type": data.term_type or "fullForm", "usage_status": data.status or "admitted",
              "pos": data.pos, "note": data.note, "position": position,
              "pinyin": None, "pinyin_plain": None, "pinyin_initials": None}
    if lang == "zh":
        values["pinyin"], values["pinyin_plain"], values["pinyin_initials"] = pinyin_columns(text, data.pinyin)
    return values


def make_term(data: TermData, position: int = 0) -> Term:
    """Build a Term row from plain data (see term_values)."""
    return Term(**term_values(data, position))


def make_terms(terms: list[TermData], factory=make_term) -> list:
    """Term rows for an entry, in order, keeping the first of terms that share a language and normalised key.

    `factory(data, position)` builds each row (the bulk importer passes a plain-object factory)."""
    out, seen = [], set()
    for i, data in enumerate(terms):
        term = factory(data, i)
        if (term.lang, term.norm_key) not in seen:
            seen.add((term.lang, term.norm_key))
            out.append(term)
    return out


def _fill_pinyin(term: Term, given: str | None = None) -> None:
    if term.lang == "zh":
        term.pinyin, term.pinyin_plain, term.pinyin_initials = pinyin_columns(term.text, given)
    else:
        term.pinyin = term.pinyin_plain = term.pinyin_initials = None


def _validate_term(data: TermData) -> None:
    if data.lang not in ("zh", "en"):
        raise InputError(f"term language must be zh or en, not {data.lang!r}")
    if not data.text or not data.text.strip():
        raise InputError("term text is empty")
    if len(data.text) > 500:
        raise InputError(f"term text is longer than 500 characters: {data.text[:40]}…")
    if data.term_type and data.term_type not in TERM_TYPES:
        raise InputError(f"unknown term type {data.term_type!r} (one of {', '.join(TERM_TYPES)})")
    if data.status and data.status not in USAGE_STATUSES:
        raise InputError(f"unknown usage status {data.status!r} (one of {', '.join(USAGE_STATUSES)})")


def _check_status(status: str) -> None:
    if status not in ENTRY_STATUSES:
        raise InputError(f"unknown entry status {status!r} (one of {', '.join(ENTRY_STATUSES)})")


class GlossaryService:
    """The termbase API used by the CLI, the TUI and every pipeline stage that writes."""

    def __init__(self, engine, user: str = "unknown"):
        self.engine = engine
        self.user = user
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            engine.execution_options(glossary_readonly=True), expire_on_commit=False
        )

    @classmethod
    def open(cls, url: str, user: str = "unknown", *, check: bool = True) -> GlossaryService:
        _refuse_missing_sqlite_file(url)
        engine = make_engine(url)
        if check:
            try:
                check_schema(engine, url)
            except GlossaryError:
                engine.dispose()
                raise
        return cls(engine, user)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error (nothing half-written)."""
        with self._sessions() as session:
            try:
                with session.begin():
                    yield session
            except StaleDataError as exc:
                raise ConflictError(f"an entry was changed by someone else meanwhile ({exc}); reload") from None
            except DBAPIError as exc:
                if _is_lock_conflict(exc):  # PostgreSQL deadlock / serialization failure: nothing was written
                    raise ConflictError(f"another editor was changing the same entries ({exc.orig}); "
                                        "try again") from None
                raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read_sessions() as session:
            with session.begin():
                yield session

    @contextmanager
    def action(self, action: str, summary: str = "") -> Iterator[Action]:
        """A write transaction with an Action recording history; for stages that batch many changes."""
        with self.write() as session:
            with Action(session, self.user, action, summary) as act:
                yield act

    # ------------------------------------------------------------------ reads

    def stats(self) -> dict:
        with self.read() as s:
            return queries.stats(s)

    def get_entry(self, entry_id: int) -> EntryData:
        with self.read() as s:
            return queries.entry_data(s, entry_id)

    def history(self, entry_id: int | None = None, limit: int = 100) -> list[dict]:
        with self.read() as s:
            return queries.history(s, entry_id, limit)

    def iter_entries(self, statuses: tuple[str, ...] | None = None, with_sources: int = 0,
                     batch: int = 1000) -> Iterator[EntryData]:
        """Every entry as plain data (optionally filtered by status, with up to N source pairs each)."""
        yield from queries.iter_entries(self._read_sessions, statuses, with_sources, batch)

    def approved_pairs(self) -> list[tuple[str, str]]:
        with self.read() as s:
            return queries.approved_pairs(s)

    def iter_segments(self, batch: int = 2000) -> Iterator[documents.SegmentRow]:
        """Every stored segment (id, document, position, zh, en, zh_norm), in document order."""
        yield from documents.iter_segments(self._read_sessions, batch)

    def iter_segment_pairs(self, batch: int = 2000) -> Iterator[SegmentPair]:
        """Every stored segment as a SegmentPair for the miner (id set), in document order."""
        yield from documents.iter_segment_pairs(self._read_sessions, batch)

    # ------------------------------------------------------------------ documents

    def store_document(self, aligned) -> tuple[int, bool]:
        """Store a document and its aligned pairs in one transaction; (id, False) if already stored."""
        with self.write() as s:
            return documents.store_document(s, aligned, self.user)

    @contextmanager
    def document_writer(self, max_docs: int = 200, max_seconds: float = 1.0) -> Iterator[documents.DocumentWriter]:
        """Store many documents (`writer.store(doc)`), each all-or-nothing in a savepoint, committed in groups;
        what was stored is committed on leaving, also when an error ends the loop early."""
        writer = documents.DocumentWriter(self.engine, self.user, max_docs, max_seconds)
        try:
            yield writer
        except BaseException:
            try:
                writer.close(ok=True)  # documents whose store() returned are complete: keep them
            except Exception:
                writer.close(ok=False)
            raise
        writer.close()

    # ------------------------------------------------------------------ entries

    def create_entry(self, data: EntryData, action: str = "create") -> EntryData:
        _check_status(data.status)
        if not data.terms:
            raise InputError("an entry needs at least one term")
        name = label(data.terms)
        try:
            with self.action(action, f"created {name}") as act:
                entry = act.create(
                    Entry(status=data.status, subject=data.subject, definition=data.definition,
                          note=data.note, score=data.score)
                )
                entry.terms.extend(make_terms(data.terms))
                act.session.flush()
                entry_id = entry.id
        except IntegrityError as exc:
            raise InputError(f"cannot create entry {name}: {exc.orig}") from None
        return self.get_entry(entry_id)

    def update_entry(self, entry_id: int, version: int | None, **fields) -> EntryData:
        bad = set(fields) - set(EDITABLE_ENTRY_FIELDS)
        if bad:
            raise InputError(f"cannot edit entry field(s): {', '.join(sorted(bad))}")
        with self.action("edit", f"edited {', '.join(fields)} of entry {entry_id}") as act:
            entry = act.load(entry_id, version)
            for k, v in fields.items():
                setattr(entry, k, v)
            act.touch(entry)
        return self.get_entry(entry_id)

    def set_status(self, entry_id: int, status: str, version: int | None = None) -> EntryData:
        _check_status(status)
        with self.action(status[:-1] if status.endswith("ed") else status) as act:
            entry = act.load(entry_id, version)
            act.summary = f"{entry.status} → {status}: {label(entry.terms)}"
            entry.status = status
            act.touch(entry)
        return self.get_entry(entry_id)

    def approve(self, entry_id: int, version: int | None = None) -> EntryData:
        return self.set_status(entry_id, "approved", version)

    def reject(self, entry_id: int, version: int | None = None) -> EntryData:
        return self.set_status(entry_id, "rejected", version)

    def bulk_set_status(self, versions: dict[int, int | None], status: str) -> list[int]:
        """Set the status of many entries in one action (one undo step); all or nothing."""
        _check_status(status)
        with self.action(f"bulk-{status}", f"{len(versions)} entries → {status}") as act:
            for entry_id, version in sorted(versions.items()):  # one lock order for everyone: no deadlock
                entry = act.load(entry_id, version)
                entry.status = status
                act.touch(entry)
        return list(versions)

    # ------------------------------------------------------------------ terms

    def add_term(self, entry_id: int, version: int | None, data: TermData) -> EntryData:
        with self.action("add-term", f"added {data.lang} '{data.text}' to entry {entry_id}") as act:
            entry = act.load(entry_id, version)
            term = make_term(data, len(entry.terms))
            if any(t.lang == term.lang and t.norm_key == term.norm_key for t in entry.terms):
                raise InputError(f"entry {entry_id} already has the {term.lang} term '{term.text}'")
            if term.usage_status == "preferred":
                _demote_preferred(entry, term.lang)
            entry.terms.append(term)
            act.touch(entry)
        return self.get_entry(entry_id)

    def update_term(self, term_id: int, version: int | None, **fields) -> EntryData:
        """Edit a term (text, type, usage status, pos, note); keys and pinyin follow the text."""
        bad = set(fields) - set(EDITABLE_TERM_FIELDS)
        if bad:
            raise InputError(f"cannot edit term field(s): {', '.join(sorted(bad))}")
        with self.write() as s:
            term = _get_term(s, term_id)
            entry_id = term.entry_id
            with Action(s, self.user, "edit-term", f"edited term '{term.text}'") as act:
                entry = act.load(entry_id, version)
                if "text" in fields:
                    new = make_term(TermData(lang=term.lang, text=fields.pop("text")))
                    clash = [t for t in entry.terms if t is not term and t.norm_key == new.norm_key
                             and t.lang == term.lang]
                    if clash:
                        raise InputError(f"entry {entry_id} already has the term '{new.text}'")
                    term.text, term.norm_key = new.text, new.norm_key
                    term.original = new.original
                    _fill_pinyin(term)
                if "term_type" in fields and fields["term_type"] not in TERM_TYPES:
                    raise InputError(f"unknown term type {fields['term_type']!r}")
                if "usage_status" in fields:
                    if fields["usage_status"] not in USAGE_STATUSES:
                        raise InputError(f"unknown usage status {fields['usage_status']!r}")
                    if fields["usage_status"] == "preferred":
                        _demote_preferred(entry, term.lang, keep=term)
                for k, v in fields.items():
                    setattr(term, k, v)
                act.touch(entry)
        return self.get_entry(entry_id)

    def set_term_status(self, term_id: int, usage_status: str, version: int | None = None) -> EntryData:
        return self.update_term(term_id, version, usage_status=usage_status)

    def remove_term(self, term_id: int, version: int | None = None) -> EntryData:
        with self.write() as s:
            term = _get_term(s, term_id)
            entry_id = term.entry_id
            with Action(s, self.user, "remove-term", f"removed term '{term.text}'") as act:
                entry = act.load(entry_id, version)
                if len(entry.terms) == 1:
                    raise InputError("cannot remove the last term of an entry (reject the entry instead)")
                entry.terms.remove(term)
                act.touch(entry)
        return self.get_entry(entry_id)

    # ------------------------------------------------------------------ merge / split

    def merge(
        self,
        target_id: int,
        source_ids: Iterable[int],
        versions: dict[int, int] | None = None,
        preferred: dict[str, int] | None = None,
    ) -> EntryData:
        """Merge source entries into the target: terms, occurrences and notes kept; sources deleted.

        `preferred` maps a language to the term id that should survive as preferred in that language.
        """
        versions = versions or {}
        source_ids = [i for i in dict.fromkeys(source_ids) if i != target_id]
        if not source_ids:
            raise InputError("merge needs at least one entry besides the target")
        with self.write() as s:
            with Action(s, self.user, "merge", "") as act:
                for i in sorted({target_id, *source_ids}):  # lock in id order: concurrent merges cannot deadlock
                    act.load(i, versions.get(i))
                target = act.load(target_id, versions.get(target_id))
                sources = [act.load(i, versions.get(i)) for i in source_ids]
                act.summary = f"merged {', '.join(label(e.terms) for e in sources)} into {label(target.terms)}"
                for src in sources:
                    _merge_into(s, target, src)
                    act.delete(src)
                s.flush()
                s.refresh(target, attribute_names=["terms"])
                if preferred:
                    _apply_preferred(target, preferred)
                act.touch(target)
        return self.get_entry(target_id)

    def split(self, term_ids: Iterable[int], version: int | None = None,
              copy_source_term: bool = True) -> EntryData:
        """Move terms out of their entry into a new proposed entry (occurrences follow the terms).

        When only English terms are split out, the entry's preferred Chinese term is copied along (so the new
        entry is still a zh–en pair) unless copy_source_term is False.
        """
        term_ids = list(dict.fromkeys(term_ids))
        if not term_ids:
            raise InputError("nothing to split")
        with self.write() as s:
            terms = [_get_term(s, i) for i in term_ids]
            entry_ids = {t.entry_id for t in terms}
            if len(entry_ids) != 1:
                raise InputError("split terms must all belong to one entry")
            entry_id = entry_ids.pop()
            with Action(s, self.user, "split", f"split {', '.join(t.text for t in terms)} out") as act:
                entry = act.load(entry_id, version)
                if len(terms) >= len(entry.terms):
                    raise InputError("cannot split every term out of an entry")
                new = act.create(Entry(status="proposed", subject=entry.subject, score=entry.score,
                                       note=f"split from entry {entry_id}"))
                for t in terms:
                    t.entry = new  # moves it between collections; never orphaned
                if copy_source_term and all(t.lang == "en" for t in terms):
                    zh = _preferred(entry, "zh")
                    if zh is not None:
                        new.terms.insert(0, make_term(TermData(lang="zh", text=zh.text, original=zh.original,
                                                               status="preferred")))
                for lang in ("zh", "en"):
                    if new.terms and _preferred(new, lang) is None:
                        first = next((t for t in new.terms if t.lang == lang), None)
                        if first is not None and first.usage_status not in ("deprecated", "forbidden"):
                            first.usage_status = "preferred"
                act.touch(entry)
                s.flush()
                new_id = new.id
        return self.get_entry(new_id)

    # ------------------------------------------------------------------ undo

    def undo(self, user: str | None = None, group_id: str | None = None) -> list[int]:
        """Undo the last change by `user` (default: this service's user); returns the entry ids restored."""
        who = self.user if user is None else user
        with self.write() as s:
            group = group_id or last_undoable_group(s, who)
            if group is None:
                raise NotFoundError(f"nothing to undo for {who}")
            return undo_group(s, group, self.user)


# ---------------------------------------------------------------------- helpers


def _refuse_missing_sqlite_file(url: str) -> None:
    """Opening a missing SQLite file would silently create an empty one; say what to do instead."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    from glossary.errors import DatabaseError

    try:
        parsed = make_url(url)
    except Exception:
        return
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).exists():
            raise DatabaseError(f"{parsed.database}: no such database; run 'glossary init' first")


def _is_lock_conflict(exc: DBAPIError) -> bool:
    """True for PostgreSQL deadlock (40P01) and serialization failure (40001): the transaction was rolled
    back whole, so the caller may simply retry."""
    return getattr(exc.orig, "sqlstate", None) in ("40P01", "40001")


def label(terms) -> str:
    """'zh / en' of the first term in each language (Term rows or TermData): how an entry is named to users."""
    zh = next((t.text for t in terms if t.lang == "zh"), None)
    en = next((t.text for t in terms if t.lang == "en"), None)
    return " / ".join(x for x in (zh, en) if x) or "?"


def _get_term(session: Session, term_id: int) -> Term:
    term = session.get(Term, term_id)
    if term is None:
        raise NotFoundError(f"term {term_id} does not exist")
    return term


def _preferred(entry: Entry, lang: str) -> Term | None:
    return next((t for t in entry.terms if t.lang == lang and t.usage_status == "preferred"), None)


def _demote_preferred(entry: Entry, lang: str, keep: Term | None = None) -> None:
    for t in entry.terms:
        if t.lang == lang and t.usage_status == "preferred" and t is not keep:
            t.usage_status = "admitted"


def _merge_into(session: Session, target: Entry, source: Entry) -> None:
    by_key = {(t.lang, t.norm_key): t for t in target.terms}
    for term in list(source.terms):
        twin = by_key.get((term.lang, term.norm_key))
        if twin is not None:  # same term on both sides: keep one, move the evidence
            have = set(session.execute(
                select(Occurrence.segment_id, Occurrence.start).where(Occurrence.term_id == twin.id)
            ).all())
            for occ in session.scalars(select(Occurrence).where(Occurrence.term_id == term.id)).all():
                if (occ.segment_id, occ.start) in have:
                    session.delete(occ)
                else:
                    occ.term_id = twin.id
            session.flush()
            source.terms.remove(term)
            continue
        if term.usage_status == "preferred" and _preferred(target, term.lang) is not None:
            term.usage_status = "admitted"
        term.position = len(target.terms)
        term.entry = target  # moves it between collections; never orphaned
        by_key[(term.lang, term.norm_key)] = term
    notes = [n for n in (target.note, source.note) if n]
    target.note = "\n".join(dict.fromkeys(notes)) or None
    for field in ("subject", "definition"):
        if not getattr(target, field) and getattr(source, field):
            setattr(target, field, getattr(source, field))
    if source.score is not None and (target.score is None or source.score > target.score):
        target.score = source.score
    session.flush()


def _apply_preferred(entry: Entry, preferred: dict[str, int]) -> None:
    ids = {t.id for t in entry.terms}
    for lang, term_id in preferred.items():
        if term_id not in ids:
            raise InputError(f"term {term_id} is not part of the merged entry")
        for t in entry.terms:
            if t.lang == lang:
                if t.id == term_id:
                    t.usage_status = "preferred"
                elif t.usage_status == "preferred":
                    t.usage_status = "admitted"
