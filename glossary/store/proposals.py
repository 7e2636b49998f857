"""Store mined candidates as `proposed` entries: incremental, idempotent, never re-proposing rejections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from sqlalchemy import insert, select

from glossary.data import Candidate, TermData
from glossary.store.db import insert_ids, insert_rows
from glossary.store.history import TERM_FIELDS
from glossary.store.models import Entry, History, Occurrence, Term, utcnow
from glossary.store.service import GlossaryService, make_terms, term_values
from glossary.text.normalize import norm_key, to_simplified


@dataclass
class ProposalSummary:
    candidates: int = 0
    proposed: int = 0  # new entries
    merged: int = 0  # existing entries that received new evidence
    unchanged: int = 0  # existing entries, nothing new to attach
    skipped: int = 0  # rejected by an editor before
    occurrences: int = 0
    entry_ids: list[int] = field(default_factory=list)


def known_terms(service: GlossaryService) -> tuple[list[str], set[str]]:
    """(zh terms of approved entries — for jieba's user dictionary, zh keys of rejected entries).

    Only editor-approved terms enter the user dictionary, so re-mining unchanged data is idempotent."""
    live, rejected = [], set()
    with service.read() as s:
        for text, key, status in s.execute(
            select(Term.text, Term.norm_key, Entry.status).join(Entry, Term.entry_id == Entry.id)
            .where(Term.lang == "zh")
        ):
            if status == "rejected":
                rejected.add(key)
            elif status == "approved":
                live.append(text)
    return live, rejected


def _note(c: Candidate) -> str:
    parts = [f"mined (score {c.score:.2f}, {c.frequency} occurrence(s), termhood {c.termhood:.2f})"]
    parts += [e.detail for e in c.evidence if e.detail]
    if c.near_duplicates:
        parts.append("similar entries: " + ", ".join(c.near_duplicates[:5]))
    return "; ".join(parts)


def _terms(c: Candidate) -> list[TermData]:
    zh_trad = next((v for v in c.zh_variants if to_simplified(v) == c.zh), None)
    out = [TermData("zh", c.zh, status="preferred", original=zh_trad)]
    seen = {norm_key(c.zh, "zh")}
    for v in c.zh_variants:
        k = norm_key(v, "zh")
        if k not in seen:
            seen.add(k)
            out.append(TermData("zh", to_simplified(v), status="admitted", term_type="variant",
                                original=v if to_simplified(v) != v else None))
    en_seen = {norm_key(c.en, "en")}
    out.append(TermData("en", c.en, status="preferred"))
    for v in c.en_variants:
        k = norm_key(v, "en")
        if k not in en_seen:
            en_seen.add(k)
            out.append(TermData("en", v, status="admitted"))
    for a in c.acronyms:
        k = norm_key(a, "en")
        if k not in en_seen:
            en_seen.add(k)
            out.append(TermData("en", a, status="admitted", term_type="acronym"))
    return out


class _PlainTerm:
    """A new term's column values as attributes (an ORM instance per term cost more than inserting it)."""

    def __init__(self, values: dict):
        self.__dict__.update(values)
        self.id: int | None = None


def _plain_term(data: TermData, position: int) -> _PlainTerm:
    return _PlainTerm(term_values(data, position))


CHUNK = 5000  # rows per Core executemany
OCCURRENCE_COLUMNS = ("term_id", "segment_id", "start", "end")
IN_CHUNK = 500  # ids per IN (...) list


@dataclass
class _Target:
    """Where one candidate's occurrences go: a new entry (its Term rows, ids after insert) or an existing one."""

    cand: Candidate
    fresh: list[_PlainTerm] | None = None  # the new entry's terms
    entry_id: int | None = None  # an existing entry
    host: int | None = None  # index of an earlier new entry in this run with the same zh key
    created_at: datetime | None = None


def store_candidates(service: GlossaryService, candidates: list[Candidate],
                     tick: Callable[[int], None] | None = None) -> ProposalSummary:
    """Create proposed entries (one transaction, a history row per new entry); attach new occurrences to
    existing entries matched by normalised zh key; leave editor decisions and edits untouched.

    Rows are written with Core executemany in batches (entries, terms, occurrences, history)."""
    summary = ProposalSummary(candidates=len(candidates))
    with service.action("mine", f"mined {len(candidates)} candidate(s)") as act:
        s = act.session
        by_key: dict[str, tuple] = {}  # zh key → ("db", entry id, status) | ("new", index in fresh)
        for key, entry_id, status in s.execute(
            select(Term.norm_key, Term.entry_id, Entry.status).join(Entry, Term.entry_id == Entry.id)
            .where(Term.lang == "zh")
        ):
            by_key.setdefault(key, ("db", entry_id, status))
        targets: list[_Target] = []
        fresh: list[_Target] = []
        for c in candidates:
            keys = [norm_key(c.zh, "zh")] + [norm_key(v, "zh") for v in c.zh_variants]
            hit = next((by_key[k] for k in keys if k in by_key), None)
            if hit is not None and hit[0] == "db":
                if hit[2] == "rejected":
                    summary.skipped += 1
                    if tick:
                        tick(1)
                    continue
                targets.append(_Target(c, entry_id=hit[1]))
            elif hit is not None:
                targets.append(_Target(c, host=hit[1]))
            else:
                t = _Target(c, fresh=make_terms(_terms(c), factory=_plain_term))
                targets.append(t)
                for term in t.fresh:
                    if term.lang == "zh":
                        by_key.setdefault(term.norm_key, ("new", len(fresh)))
                fresh.append(t)
        entry_ids = _insert_entries(s, act.user, fresh)
        term_ids = _existing_terms(s, {t.entry_id for t in targets if t.entry_id is not None})
        for t, eid in zip(fresh, entry_ids):
            term_ids[eid] = {(term.lang, term.norm_key): term.id for term in t.fresh}
        new_ids = set(entry_ids)
        seen = _existing_occurrences(s, [tid for eid, ts in term_ids.items() if eid not in new_ids
                                         for tid in ts.values()])
        rows: list[tuple] = []
        for t in targets:
            if tick:
                tick(1)
            eid = t.entry_id if t.entry_id is not None else fresh[t.host].entry_id
            added = _occurrence_rows(t.cand, term_ids[eid], seen, rows)
            summary.occurrences += added
            if t.fresh is not None:
                summary.proposed += 1
                summary.entry_ids.append(eid)
            elif added:
                summary.merged += 1
            else:
                summary.unchanged += 1
        insert_rows(s, Occurrence.__table__, OCCURRENCE_COLUMNS, rows)
        _insert_history(s, act, fresh, rows)
    return summary


def _insert_entries(s, user: str, fresh: list[_Target]) -> list[int]:
    """Insert the new entries and their terms; sets each target's entry_id and term ids; returns entry ids."""
    e_t, t_t = Entry.__table__, Term.__table__
    ids: list[int] = []
    for i in range(0, len(fresh), CHUNK):
        batch = fresh[i : i + CHUNK]
        now = utcnow()
        entry_rows = [{"status": "proposed", "score": round(t.cand.score, 4), "note": _note(t.cand),
                       "created_at": now, "updated_at": now, "created_by": user, "updated_by": user,
                       "version": 1} for t in batch]
        got = insert_ids(s, e_t, entry_rows)
        term_rows = []
        for t, eid in zip(batch, got):
            t.entry_id, t.created_at = eid, now
            term_rows.extend({"entry_id": eid, **{f: getattr(term, f) for f in TERM_FIELDS}} for term in t.fresh)
        tids = iter(insert_ids(s, t_t, term_rows))
        for t in batch:
            for term in t.fresh:
                term.id = next(tids)
        ids.extend(got)
    return ids


def _existing_terms(s, entry_ids: set[int]) -> dict[int, dict[tuple[str, str], int]]:
    out: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    ids = sorted(entry_ids)
    for i in range(0, len(ids), IN_CHUNK):
        for tid, eid, lang, key in s.execute(select(Term.id, Term.entry_id, Term.lang, Term.norm_key)
                                             .where(Term.entry_id.in_(ids[i : i + IN_CHUNK]))
                                             .order_by(Term.position, Term.id)):
            out[eid].setdefault((lang, key), tid)
    return out


def _existing_occurrences(s, term_ids: list[int]) -> set[tuple[int, int, int]]:
    seen: set[tuple[int, int, int]] = set()
    for i in range(0, len(term_ids), IN_CHUNK):
        seen.update(tuple(r) for r in s.execute(select(Occurrence.term_id, Occurrence.segment_id, Occurrence.start)
                                                .where(Occurrence.term_id.in_(term_ids[i : i + IN_CHUNK]))))
    return seen


def _occurrence_rows(c: Candidate, terms: dict[tuple[str, str], int], seen: set, rows: list[tuple]) -> int:
    """Rows for the candidate's zh and en occurrences on the entry's terms with the same key, new ones only."""
    occs: dict[tuple[str, str], list] = defaultdict(list)
    for text, o in c.occurrences.items():
        occs[("zh", norm_key(text, "zh"))].extend(o)
    for text, o in c.en_occurrences.items():
        occs[("en", norm_key(text, "en"))].extend(o)
    n = 0
    for key, o in occs.items():
        tid = terms.get(key)
        if tid is None:
            continue
        for seg, start, end in o:
            k = (tid, seg, start)
            if k not in seen:
                seen.add(k)
                rows.append((tid, seg, start, end))  # OCCURRENCE_COLUMNS
                n += 1
    return n


def _insert_history(s, act, fresh: list[_Target], occ_rows: list[tuple]) -> None:
    """One history row per new entry: its picture after the run (terms with their occurrences)."""
    mine: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # JSON writes the tuples as lists
    fresh_tids = {term.id for t in fresh for term in t.fresh}
    for r in occ_rows:
        if r[0] in fresh_tids:
            mine[r[0]].append(r[1:])
    rows = []
    for t in fresh:
        c = t.cand
        after = {"id": t.entry_id, "version": 1, "status": "proposed", "subject": None, "definition": None,
                 "note": _note(c), "score": round(c.score, 4), "created_by": act.user, "updated_by": act.user,
                 "created_at": _iso(t.created_at), "updated_at": _iso(t.created_at),
                 "terms": [{"id": term.id, **{f: getattr(term, f) for f in TERM_FIELDS},
                            "occurrences": sorted(mine.get(term.id, ()))} for term in t.fresh]}
        rows.append({"group_id": act.group_id, "entry_id": t.entry_id, "user": act.user, "action": act.action,
                     "summary": act.summary, "before": None, "after": after, "undone": False})
    for i in range(0, len(rows), CHUNK):
        s.execute(insert(History.__table__), rows[i : i + CHUNK])


def _iso(dt: datetime | None) -> str | None:
    return dt.isoformat(timespec="seconds") if dt else None
