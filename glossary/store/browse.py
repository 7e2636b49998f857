"""Read side for the review TUI: queue pages, search-as-you-type, entry detail, merge suggestions (ReviewAdapter)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session

from glossary.data import ENTRY_STATUSES, EntryData, TermData
from glossary.errors import InputError
from glossary.store.models import Document, Entry, Occurrence, Segment, Term
from glossary.store.search_index import (FUZZY_CUTOFF, TermIndex, acronym_keys, classify_query, find_all,
                                         looks_like_acronym, merge_spans, sorted_words)
from glossary.text.normalize import has_han, norm_key

DEFAULT_EXPORT_FORMATS = ("xlsx", "tbx", "tbx2008", "csv", "tsv", "jsonl")
SEARCH_LIMIT = 500  # ranked search hits kept per query (the queue shows "500+")
CANDIDATE_CAP = 2000  # matching entries considered per query kind and tier before ranking by score
SIMILAR_EN_CUTOFF = 88


# --------------------------------------------------------------------------- plain data


@dataclass
class QueueFilter:
    """What the queue shows: a status (None = all), a document, a score range and a search query."""

    status: str | None = "proposed"
    document_id: int | None = None
    min_score: float | None = None
    max_score: float | None = None
    query: str = ""


@dataclass
class QueueRow:
    id: int
    version: int
    zh: str
    pinyin: str
    en: str
    variants: list[str]
    score: float | None
    sources: int
    status: str


@dataclass
class QueuePage:
    rows: list[QueueRow]
    offset: int
    total: int
    total_capped: bool = False  # search results stop at SEARCH_LIMIT
    fuzzy: bool = False  # nothing matched exactly: rows come from the fuzzy fallback

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total


@dataclass
class DocumentInfo:
    id: int
    name: str
    segments: int = 0


@dataclass
class EvidencePair:
    """A source sentence pair with the entry's terms located on both sides (char offsets)."""

    document: str
    position: int
    zh: str
    en: str
    zh_spans: list[tuple[int, int]] = field(default_factory=list)
    en_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class HistoryItem:
    at: str | None
    user: str | None
    action: str
    summary: str
    undone: bool


@dataclass
class Suggestion:
    """A near-duplicate entry worth merging, and why."""

    entry_id: int
    label: str
    reason: str
    similarity: float
    version: int | None = None


@dataclass
class EntryDetail:
    entry: EntryData
    terms_by_lang: dict[str, list[TermData]]
    evidence: list[EvidencePair]
    evidence_total: int
    history: list[HistoryItem]
    suggestions: list[Suggestion]
    documents: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _label(terms: Iterable) -> str:
    terms = list(terms)
    zh = next((t.text for t in terms if t.lang == "zh" and t.status == "preferred"), None) or next(
        (t.text for t in terms if t.lang == "zh"), None)
    en = next((t.text for t in terms if t.lang == "en" and t.status == "preferred"), None) or next(
        (t.text for t in terms if t.lang == "en"), None)
    return " / ".join(x for x in (zh, en) if x) or "?"


# --------------------------------------------------------------------------- adapter


class ReviewAdapter:
    """Everything the review TUI reads or changes, as plain data; wraps a GlossaryService."""

    exhaustive = False  # tests: score every fuzzy key and check filters in SQL (the reference the shortcuts match)

    def __init__(self, service):
        self.service = service
        self._lock = threading.Lock()
        self._index: TermIndex | None = None
        self._search_cache: tuple[tuple, list[int], bool, bool] | None = None

    @property
    def user(self) -> str:
        return self.service.user

    def _read(self):
        return self.service.read()

    def _postgres(self) -> bool:
        return self.service.engine.dialect.name == "postgresql"

    def invalidate(self, terms: bool = True) -> None:
        """Forget cached search results, and the in-memory term index when terms may have changed."""
        with self._lock:
            if terms:
                self._index = None
            self._search_cache = None

    def warm(self) -> None:
        """Build the in-memory term index now (the TUI calls this in a worker after the first paint)."""
        self._term_index()

    # ------------------------------------------------------------------ reference data

    def documents(self) -> list[DocumentInfo]:
        with self._read() as s:
            rows = s.execute(
                select(Document.id, Document.name, func.count(Segment.id))
                .outerjoin(Segment, Segment.document_id == Document.id)
                .group_by(Document.id, Document.name).order_by(Document.name)
            ).all()
        return [DocumentInfo(i, n, c) for i, n, c in rows]

    def counts(self) -> dict[str, int]:
        with self._read() as s:
            got = dict(s.execute(select(Entry.status, func.count()).group_by(Entry.status)).all())
        return {st: got.get(st, 0) for st in ENTRY_STATUSES}

    # ------------------------------------------------------------------ queue

    def _filters(self, flt: QueueFilter) -> list:
        conds = []
        if flt.status:
            if flt.status not in ENTRY_STATUSES:
                raise InputError(f"unknown status {flt.status!r}")
            conds.append(Entry.status == flt.status)
        if flt.min_score is not None:
            conds.append(Entry.score >= flt.min_score)
        if flt.max_score is not None:
            conds.append(Entry.score <= flt.max_score)
        if flt.document_id is not None:
            in_doc = (select(Term.entry_id).join(Occurrence, Occurrence.term_id == Term.id)
                      .join(Segment, Segment.id == Occurrence.segment_id)
                      .where(Segment.document_id == flt.document_id))
            conds.append(Entry.id.in_(in_doc))
        return conds

    def _order(self):
        score = Entry.score.desc()
        return (score.nulls_last() if self._postgres() else score), Entry.id.desc()

    def page(self, flt: QueueFilter, offset: int = 0, limit: int = 100) -> QueuePage:
        """One page of queue rows, highest score first; only `limit` rows are ever read."""
        if flt.query.strip():
            ids, fuzzy, complete = self._search(flt, want=offset + limit + 1)
            with self._read() as s:
                rows = self._rows(s, ids[offset:offset + limit])
            return QueuePage(rows, offset, len(ids), total_capped=not complete or len(ids) >= SEARCH_LIMIT,
                             fuzzy=fuzzy)
        conds = self._filters(flt)
        with self._read() as s:
            ids = list(s.scalars(select(Entry.id).where(*conds).order_by(*self._order())
                                 .offset(offset).limit(limit)))
            total = s.scalar(select(func.count()).select_from(Entry).where(*conds)) or 0
            rows = self._rows(s, ids)
        return QueuePage(rows, offset, total)

    def _rows(self, s: Session, ids: list[int]) -> list[QueueRow]:
        if not ids:
            return []
        entries = {r.id: r for r in s.execute(
            select(Entry.id, Entry.version, Entry.status, Entry.score).where(Entry.id.in_(ids)))}
        terms: dict[int, list] = defaultdict(list)
        for t in s.execute(
            select(Term.entry_id, Term.lang, Term.text, Term.pinyin, Term.usage_status)
            .where(Term.entry_id.in_(ids)).order_by(Term.entry_id, Term.position, Term.id)
        ):
            terms[t.entry_id].append(t)
        sources = dict(s.execute(
            select(Term.entry_id, func.count(distinct(Occurrence.segment_id)))
            .join(Occurrence, Occurrence.term_id == Term.id)
            .where(Term.entry_id.in_(ids)).group_by(Term.entry_id)
        ).all())
        out = []
        for i in ids:
            e = entries.get(i)
            if e is None:
                continue
            ts = terms.get(i, [])
            zh = _pick(ts, "zh")
            en = _pick(ts, "en")
            variants = [t.text for t in ts if t is not zh and t is not en]
            out.append(QueueRow(
                id=i, version=e.version, zh=zh.text if zh else "", pinyin=(zh.pinyin or "") if zh else "",
                en=en.text if en else "", variants=variants, score=e.score, sources=sources.get(i, 0),
                status=e.status,
            ))
        return out

    # ------------------------------------------------------------------ search

    def search_ids(self, flt: QueueFilter, limit: int = SEARCH_LIMIT) -> tuple[list[int], bool]:
        """Entry ids matching flt.query (exact, then prefix, then substring; fuzzy when nothing matched)."""
        ids, fuzzy, _complete = self._search(flt, limit)
        return ids[:limit], fuzzy

    def _search(self, flt: QueueFilter, want: int) -> tuple[list[int], bool, bool]:
        """Ranked ids, stopping once `want` are found (a keystroke needs one page, not every match).

        Returns (ids, fuzzy, complete); results are cached per query and filters, and grown on demand
        (scrolling further) up to SEARCH_LIMIT."""
        want = min(max(want, 1), SEARCH_LIMIT)
        key = (flt.query.strip(), flt.status, flt.document_id, flt.min_score, flt.max_score)
        cached = self._search_cache
        if cached is not None and cached[0] == key and (cached[3] or len(cached[1]) >= want):
            return cached[1], cached[2], cached[3]
        kinds = classify_query(flt.query)
        conds = self._filters(flt)
        found: dict[int, None] = {}
        fuzzy = False
        with self._read() as s:
            for tier in ("exact", "prefix", "contains"):
                if len(found) >= want or not kinds:
                    break
                cand = [i for i in dict.fromkeys(self._candidates(s, kinds, tier, want)) if i not in found]
                for i in self._rank(s, cand, conds, want - len(found), flt):
                    found.setdefault(i)
            if not found and kinds:
                fuzzy = True
                cand = self._fuzzy_candidates(kinds, want)
                ok = set(self._rank(s, cand, conds, len(cand), flt))
                found = {i: None for i in cand if i in ok}
        ids = list(found)[:want]
        complete = len(found) < want or want >= SEARCH_LIMIT
        self._search_cache = (key, ids, fuzzy, complete)
        return ids, fuzzy, complete

    def _candidates(self, s: Session, kinds: dict, tier: str, want: int) -> list[int]:
        """Entry ids whose terms match (unordered, at most CANDIDATE_CAP per kind): index lookups for
        exact and prefix, the in-memory joined keys for substrings (a few pages' worth, then ranked)."""
        out: list[int] = []
        for kind, value in kinds.items():
            if tier == "contains":
                if kind == "initials" or (kind == "pinyin" and len(value) < 3):
                    continue
                out += self._term_index().joined[kind].contains(value, max(200, want * 5))
                continue
            col, lang = {
                "zh": (Term.norm_key, "zh"), "en": (Term.norm_key, "en"),
                "pinyin": (Term.pinyin_plain, None), "initials": (Term.pinyin_initials, None),
            }[kind]
            cond = col == value if tier == "exact" else self._prefix(col, value)
            if lang:
                cond = and_(Term.lang == lang, cond)
            out += s.scalars(select(Term.entry_id).where(cond).limit(CANDIDATE_CAP)).all()
        return out

    def _rank(self, s: Session, ids: list[int], conds: list, limit: int,
              flt: QueueFilter | None = None) -> list[int]:
        """The ids that pass the filters, best score first: sorted by the in-memory scores, then checked
        against the filters a batch at a time from the top (a page needs a batch, not every id)."""
        if not ids or limit <= 0:
            return []
        scores = self._term_index().scores
        ids = list(dict.fromkeys(ids))
        missing = [i for i in ids if i not in scores]
        if missing:  # entries newer than the index: read their scores
            scores = dict(scores)
            for start in range(0, len(missing), 900):
                scores.update(s.execute(select(Entry.id, Entry.score)
                                        .where(Entry.id.in_(missing[start:start + 900]))).all())
        ids.sort(key=lambda i: (-(scores.get(i) if scores.get(i) is not None else -1.0), -i))
        out: list[int] = []
        pos, batch = 0, max(2 * limit, 64)
        while pos < len(ids) and len(out) < limit:
            chunk = ids[pos:pos + batch]
            pos += len(chunk)
            ok = self._passing(s, chunk, conds, None if self.exhaustive else flt)
            out += [i for i in chunk if i in ok]
            batch = min(4 * batch, 900)
        return out[:limit]

    def _passing(self, s: Session, ids: list[int], conds: list, flt: QueueFilter | None) -> set[int]:
        """Which of ids pass the filters. Status and score are read by primary key and checked here: with
        `status = ?` in the same WHERE, SQLite scans the status index (every proposed entry, ~50 ms at 100k)
        instead of looking the few ids up."""
        if flt is None:
            return set(s.scalars(select(Entry.id).where(Entry.id.in_(ids), *conds)))
        if flt.status and flt.status not in ENTRY_STATUSES:
            raise InputError(f"unknown status {flt.status!r}")
        ok = set()
        for i, status, score in s.execute(select(Entry.id, Entry.status, Entry.score).where(Entry.id.in_(ids))):
            if flt.status and status != flt.status:
                continue
            if flt.min_score is not None and (score is None or score < flt.min_score):
                continue
            if flt.max_score is not None and (score is None or score > flt.max_score):
                continue
            ok.add(i)
        if ok and flt.document_id is not None:
            in_doc = QueueFilter(status=None, document_id=flt.document_id)
            ok = set(s.scalars(select(Entry.id).where(Entry.id.in_(list(ok)), *self._filters(in_doc))))
        return ok

    def _prefix(self, col, value: str):
        if self._postgres():
            return col.startswith(value, autoescape=True)
        return and_(col >= value, col < value + "\U0010ffff")  # an index range scan in SQLite

    def _term_index(self) -> TermIndex:
        with self._lock:
            if self._index is None:
                with self._read() as s:
                    rows = s.execute(select(Term.id, Term.entry_id, Term.lang, Term.norm_key,
                                            Term.pinyin_plain, Term.text)).all()
                    scores = dict(s.execute(select(Entry.id, Entry.score)).all())
                self._index = TermIndex(rows, scores)
            return self._index

    def _fuzzy_candidates(self, kinds: dict, limit: int) -> list[int]:
        idx = self._term_index()
        scored: dict[int, float] = {}
        for kind in ("zh", "en", "pinyin"):
            if kind not in kinds:
                continue
            for score, term_id in idx.by_length[kind].extract(kinds[kind], FUZZY_CUTOFF, limit,
                                                              prefilter=not self.exhaustive):
                entry_id = idx.term_entry[term_id]
                scored[entry_id] = max(scored.get(entry_id, 0), score)
        return [i for i, _ in sorted(scored.items(), key=lambda kv: -kv[1])][:limit]

    # ------------------------------------------------------------------ detail

    def detail(self, entry_id: int, evidence_limit: int = 20) -> EntryDetail:
        entry = self.service.get_entry(entry_id)
        by_lang: dict[str, list[TermData]] = {"zh": [], "en": []}
        for t in entry.terms:
            by_lang.setdefault(t.lang, []).append(t)
        with self._read() as s:
            evidence, total, docs = self._evidence(s, entry, evidence_limit)
        history = [
            HistoryItem(h["at"], h["user"], h["action"], h["summary"] or "", h["undone"])
            for h in self.service.history(entry_id, limit=50)
        ]
        return EntryDetail(entry, by_lang, evidence, total, history, self.suggestions(entry), docs)

    def _evidence(self, s: Session, entry: EntryData, limit: int):
        term_ids = [t.id for t in entry.terms]
        lang_of = {t.id: t.lang for t in entry.terms}
        occ = s.execute(
            select(Occurrence.term_id, Occurrence.segment_id, Occurrence.start, Occurrence.end)
            .where(Occurrence.term_id.in_(term_ids))
        ).all()
        seg_ids = sorted({o.segment_id for o in occ})
        docs = [n for (n,) in s.execute(
            select(Document.name).distinct().join(Segment, Segment.document_id == Document.id)
            .where(Segment.id.in_(seg_ids)).order_by(Document.name))] if seg_ids else []
        segs = s.execute(
            select(Segment.id, Document.name, Segment.position, Segment.zh, Segment.en, Segment.zh_norm)
            .join(Document, Document.id == Segment.document_id)
            .where(Segment.id.in_(seg_ids)).order_by(Document.name, Segment.position).limit(limit)
        ).all() if seg_ids else []
        spans: dict[tuple[int, str], list] = defaultdict(list)
        for o in occ:
            if o.end > o.start:  # (0, 0): a source sentence attached to the entry, the term not located in it
                spans[(o.segment_id, lang_of[o.term_id])].append((o.start, o.end))
        out = []
        for seg in segs:
            zh_spans = list(spans[(seg.id, "zh")])
            en_spans = list(spans[(seg.id, "en")])
            zh_norm = seg.zh_norm or seg.zh
            for t in entry.terms:  # locate the other side too (occurrences may record only one)
                if t.lang == "zh":
                    zh_spans += find_all(zh_norm, t.text) if len(zh_norm) == len(seg.zh) else []
                else:
                    en_spans += find_all(seg.en, t.text)
            out.append(EvidencePair(seg.name, seg.position, seg.zh, seg.en, merge_spans(zh_spans),
                                    merge_spans(en_spans)))
        return out, len(seg_ids), docs

    # ------------------------------------------------------------------ merge suggestions

    def suggestions(self, entry: EntryData | int, limit: int = 8) -> list[Suggestion]:
        """Near-duplicates of an entry: same Simplified form, similar English, acronym ↔ expansion."""
        if isinstance(entry, int):
            entry = self.service.get_entry(entry)
        found: dict[int, Suggestion] = {}

        def add(eid: int, reason: str, sim: float) -> None:
            if eid == entry.id:
                return
            old = found.get(eid)
            if old is None or sim > old.similarity:
                found[eid] = Suggestion(eid, "", reason, sim)

        zh_keys = [norm_key(t.text, "zh") for t in entry.terms if t.lang == "zh"]
        if zh_keys:
            with self._read() as s:
                for eid, text in s.execute(
                    select(Term.entry_id, Term.text).where(Term.lang == "zh", Term.norm_key.in_(zh_keys),
                                                           Term.entry_id != entry.id).limit(50)
                ):
                    add(eid, f"same Chinese {text}", 100.0)
        idx = self._term_index()
        for t in entry.terms:
            if t.lang != "en":
                continue
            key = norm_key(t.text, "en")
            if len(key) >= 4 and not looks_like_acronym(t.text):
                for _k, score, term_id in process.extract(sorted_words(key), idx.en_sorted, scorer=fuzz.ratio,
                                                          limit=limit * 3, score_cutoff=SIMILAR_EN_CUTOFF):
                    add(idx.term_entry[term_id], f"similar English '{idx.en[term_id]}'", float(score))
            if looks_like_acronym(t.text):
                for eid in idx.expansions.get(t.text.strip().upper(), ()):
                    add(eid, f"expansion of {t.text}", 90.0)
            else:
                for k in acronym_keys(t.text):
                    for eid in idx.acronyms.get(k, ()):
                        add(eid, f"acronym {k}", 90.0)
        ranked = sorted(found.values(), key=lambda x: (-x.similarity, x.entry_id))[:limit]
        if ranked:
            with self._read() as s:
                versions = dict(s.execute(select(Entry.id, Entry.version)
                                          .where(Entry.id.in_([x.entry_id for x in ranked]))).all())
                labels = self._labels(s, [x.entry_id for x in ranked])
            ranked = [x for x in ranked if x.entry_id in versions]
            for x in ranked:
                x.version = versions[x.entry_id]
                x.label = labels.get(x.entry_id, "?")
        return ranked

    def _labels(self, s: Session, ids: list[int]) -> dict[int, str]:
        terms: dict[int, list[TermData]] = defaultdict(list)
        for eid, lang, text, status in s.execute(
            select(Term.entry_id, Term.lang, Term.text, Term.usage_status).where(Term.entry_id.in_(ids))
            .order_by(Term.entry_id, Term.position, Term.id)
        ):
            terms[eid].append(TermData(lang=lang, text=text, status=status))
        return {eid: _label(ts) for eid, ts in terms.items()}

    # ------------------------------------------------------------------ changes (all via the service)

    def _changed(self, result, terms: bool = True):
        self.invalidate(terms)
        return result

    def get_entry(self, entry_id: int) -> EntryData:
        return self.service.get_entry(entry_id)

    def approve(self, entry_id: int, version: int | None) -> EntryData:
        return self._changed(self.service.approve(entry_id, version), terms=False)

    def reject(self, entry_id: int, version: int | None) -> EntryData:
        return self._changed(self.service.reject(entry_id, version), terms=False)

    def bulk_set_status(self, versions: dict[int, int | None], status: str) -> list[int]:
        return self._changed(self.service.bulk_set_status(versions, status), terms=False)

    def edit_term(self, term_id: int, version: int | None, text: str) -> EntryData:
        return self._changed(self.service.update_term(term_id, version, text=text))

    def set_term_status(self, term_id: int, version: int | None, usage_status: str) -> EntryData:
        return self._changed(self.service.set_term_status(term_id, usage_status, version))

    def add_variant(self, entry_id: int, version: int | None, text: str,
                    term_type: str = "variant") -> EntryData:
        lang = "zh" if has_han(text) else "en"
        if lang == "en" and looks_like_acronym(text):
            term_type = "acronym"
        return self._changed(self.service.add_term(entry_id, version, TermData(lang=lang, text=text,
                                                                                term_type=term_type)))

    def merge(self, target_id: int, source_ids: list[int], versions: dict[int, int],
              preferred: dict[str, int] | None = None) -> EntryData:
        return self._changed(self.service.merge(target_id, source_ids, versions=versions, preferred=preferred))

    def split(self, term_ids: list[int], version: int | None) -> EntryData:
        return self._changed(self.service.split(term_ids, version))

    def undo(self) -> list[int]:
        return self._changed(self.service.undo())

    def merge_candidates(self, entry_ids: list[int]) -> list[EntryData]:
        return [self.service.get_entry(i) for i in entry_ids]

    # ------------------------------------------------------------------ export

    @staticmethod
    def export_formats() -> tuple[tuple[str, ...], bool]:
        """(formats, engine available): formats the exchange engine writes, or the planned list."""
        try:
            import glossary.exchange as exchange
        except ImportError:  # pragma: no cover
            return DEFAULT_EXPORT_FORMATS, False
        writer = getattr(exchange, "write_entries", None)
        formats = getattr(exchange, "FORMATS", None) or getattr(exchange, "WRITE_FORMATS", None)
        formats = tuple(formats) if formats else DEFAULT_EXPORT_FORMATS
        return formats, writer is not None

    @staticmethod
    def export_extension(fmt: str) -> str:
        """File extension for a format (the exchange registry maps e.g. tbx2008 → tbx)."""
        try:
            import glossary.exchange as exchange
        except ImportError:  # pragma: no cover
            return fmt
        table = getattr(exchange, "FORMATS", None)
        return table.get(fmt, fmt) if isinstance(table, dict) else fmt

    def export(self, path: str, fmt: str, statuses: tuple[str, ...] | None = ("approved",)) -> int:
        """Write entries with the exchange engine; returns how many were written."""
        import glossary.exchange as exchange

        formats, ok = self.export_formats()
        if not ok:
            raise InputError(f"export engine not available yet (formats planned: {', '.join(formats)})")
        if fmt not in formats:
            raise InputError(f"unknown export format {fmt!r} (one of {', '.join(formats)})")
        entries = list(self.service.iter_entries(statuses=statuses, with_sources=3))
        result = exchange.write_entries(entries, path, fmt)
        return result if isinstance(result, int) else len(entries)


def _pick(terms: list, lang: str):
    """The preferred term of a language, else the first non-deprecated one, else the first."""
    ts = [t for t in terms if t.lang == lang]
    return (next((t for t in ts if t.usage_status == "preferred"), None)
            or next((t for t in ts if t.usage_status == "admitted"), None)
            or (ts[0] if ts else None))
