"""Seed a temporary database for the TUI/browse tests: seed-corpus sentence pairs and entries built from seed terms."""

from __future__ import annotations

import hashlib
from pathlib import Path

from glossary.data import AlignedDocument, EntryData, RawDocument, SegmentPair, TermData
from glossary.store.service import GlossaryService
from glossary.text.normalize import to_simplified

DATA = Path(__file__).resolve().parent / "data" / "tui"


def read_pairs() -> dict[str, list[SegmentPair]]:
    docs: dict[str, list[SegmentPair]] = {}
    lines = (DATA / "seed_pairs.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        doc, pos, zh, en = line.split("\t")
        docs.setdefault(doc, []).append(SegmentPair(zh=zh, en=en, position=int(pos), document=doc,
                                                    zh_norm=to_simplified(zh)))
    return docs


def read_entries() -> list[EntryData]:
    out = []
    for line in (DATA / "seed_entries.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        zh, en, score, status = line.split("\t")
        terms = [TermData(lang="zh", text=zh, status="preferred")]
        for n, text in enumerate(t.strip() for t in en.split("|")):
            kind = "acronym" if text.isupper() and " " not in text else "fullForm"
            terms.append(TermData(lang="en", text=text, term_type=kind,
                                  status="preferred" if n == 0 else "admitted"))
        out.append(EntryData(terms=terms, score=float(score), status=status))
    return out


def _occurrences(svc: GlossaryService) -> list[tuple[int, int, int, int]]:
    """(term id, segment id, start, end) wherever an entry's term text occurs in a stored pair."""
    segs = list(svc.iter_segments())
    out = []
    for entry in svc.iter_entries():
        for t in entry.terms:
            for seg in segs:
                text = seg.zh_norm if t.lang == "zh" else seg.en
                start = text.find(t.text)
                while start >= 0:
                    out.append((t.id, seg.id, start, start + len(t.text)))
                    start = text.find(t.text, start + len(t.text))
    return out


def seed(url: str, user: str = "alice") -> GlossaryService:
    """Fill the (migrated, empty) database at `url`; returns an open service."""
    from glossary.store.models import Occurrence  # test set-up only: the miner's store call does this

    svc = GlossaryService.open(url, user=user)
    for doc, pairs in read_pairs().items():
        body = "\n".join(p.zh + "\n" + p.en for p in pairs)
        raw = RawDocument(path=f"seeds/{doc}", text=body, encoding="utf-8", format="mixed",
                          sha256=hashlib.sha256(body.encode()).hexdigest(), size=len(body))
        svc.store_document(AlignedDocument(raw=raw, pairs=pairs))
    for e in read_entries():
        svc.create_entry(e, action="mine")
    with svc.write() as s:
        s.add_all(Occurrence(term_id=t, segment_id=g, start=a, end=b) for t, g, a, b in _occurrences(svc))
    return svc


def seeded_copy(template_dir: Path, target_dir: Path, user: str = "alice") -> str:
    """A fresh seeded database for one test: seed a template once per session, then copy the file."""
    import shutil

    from glossary.store.db import upgrade

    template = template_dir / "seeded.db"
    if not template.exists():
        url = f"sqlite:///{template}"
        upgrade(url)
        seed(url, user).close()
    target = target_dir / "glossary.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def entry_id(svc: GlossaryService, zh: str, en: str | None = None) -> int:
    for e in svc.iter_entries():
        if any(t.lang == "zh" and t.text == zh for t in e.terms) and (
                en is None or any(t.lang == "en" and t.text == en for t in e.terms)):
            return e.id
    raise KeyError(zh)


