"""Store mined candidates as `proposed` entries: incremental, idempotent, never re-proposing rejections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import select

from glossary.data import Candidate, TermData
from glossary.store.models import Entry, Occurrence, Term
from glossary.store.service import GlossaryService, make_term
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


def _attach(session, term: Term, occs, existing: set) -> int:
    n = 0
    for seg, start, end in occs:
        key = (term.id, seg, start)
        if key in existing:
            continue
        existing.add(key)
        session.add(Occurrence(term_id=term.id, segment_id=seg, start=start, end=end))
        n += 1
    return n


def store_candidates(service: GlossaryService, candidates: list[Candidate],
                     tick: Callable[[int], None] | None = None) -> ProposalSummary:
    """Create proposed entries (one transaction, history via the service's Action); attach new occurrences
    to existing entries matched by normalised zh key; leave editor decisions and edits untouched."""
    summary = ProposalSummary(candidates=len(candidates))
    with service.action("mine", f"mined {len(candidates)} candidate(s)") as act:
        s = act.session
        by_key: dict[str, tuple[int, str]] = {}
        for key, entry_id, status in s.execute(
            select(Term.norm_key, Term.entry_id, Entry.status).join(Entry, Term.entry_id == Entry.id)
            .where(Term.lang == "zh")
        ):
            by_key.setdefault(key, (entry_id, status))
        existing_occ = set(s.execute(select(Occurrence.term_id, Occurrence.segment_id, Occurrence.start)).all())
        for i, c in enumerate(candidates):
            if tick:
                tick(1)
            keys = [norm_key(c.zh, "zh")] + [norm_key(v, "zh") for v in c.zh_variants]
            hit = next((by_key[k] for k in keys if k in by_key), None)
            if hit is not None:
                entry_id, status = hit
                if status == "rejected":
                    summary.skipped += 1
                    continue
                terms = s.scalars(select(Term).where(Term.entry_id == entry_id)).all()
                added = _attach_all(s, terms, c, existing_occ)
                summary.occurrences += added
                if added:
                    summary.merged += 1
                else:
                    summary.unchanged += 1
                continue
            entry = Entry(status="proposed", score=round(c.score, 4), note=_note(c))
            entry.terms = [make_term(t, position=p) for p, t in enumerate(_terms(c))]
            act.create(entry)
            s.flush()
            summary.occurrences += _attach_all(s, entry.terms, c, existing_occ)
            summary.proposed += 1
            summary.entry_ids.append(entry.id)
            for t in entry.terms:
                if t.lang == "zh":
                    by_key.setdefault(t.norm_key, (entry.id, "proposed"))
    return summary


def _attach_all(session, terms: list[Term], c: Candidate, existing: set) -> int:
    """Occurrences of the candidate's zh and en forms onto the entry's terms with the same key."""
    by_key: dict[tuple[str, str], Term] = {(t.lang, t.norm_key): t for t in terms}
    occs: dict[tuple[str, str], list] = defaultdict(list)
    for text, o in c.occurrences.items():
        occs[("zh", norm_key(text, "zh"))].extend(o)
    for text, o in c.en_occurrences.items():
        occs[("en", norm_key(text, "en"))].extend(o)
    n = 0
    for key, o in occs.items():
        term = by_key.get(key)
        if term is not None:
            n += _attach(session, term, o, existing)
    return n
