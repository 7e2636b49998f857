"""`glossary mine` storage: proposed entries, incremental and idempotent, editor decisions untouched."""

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import app
from glossary.data import AlignedDocument, RawDocument, SegmentPair
from glossary.store.db import upgrade
from glossary.store.service import GlossaryService

DATA = Path(__file__).parent / "data" / "mine" / "seed_pairs.tsv"


def _docs():
    import opencc

    s2t = opencc.OpenCC("s2t.json")  # document 002 is Traditional in the seeds: keep it so here
    docs: dict[str, list[SegmentPair]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        doc, pos, zh, en = line.split("\t")
        if doc.startswith("002"):
            zh = s2t.convert(zh)
        docs.setdefault(doc, []).append(SegmentPair(zh=zh, en=en, position=int(pos), document=doc))
    out = []
    for name, pairs in docs.items():
        text = "\n".join(p.zh + "\n" + p.en for p in pairs)
        raw = RawDocument(path=name, text=text, encoding="utf-8", format="mixed",
                          sha256=hashlib.sha256(text.encode()).hexdigest(), size=len(text))
        out.append(AlignedDocument(raw=raw, pairs=pairs))
    return out


def _entries(svc):
    return {next(t.text for t in e.terms if t.lang == "zh"): e for e in svc.iter_entries()}


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "g.db"
    upgrade(f"sqlite:///{path}")
    return path


def test_mine_is_incremental_and_respects_editors(db):
    docs = _docs()
    svc = GlossaryService.open(f"sqlite:///{db}", user="tester")
    for d in docs[:3]:  # first batch: documents 000-002
        svc.store_document(d)
    runner = CliRunner()
    r = runner.invoke(app, ["--db", str(db), "mine", "--min-score", "0.5"])
    assert r.exit_code == 0, r.output
    assert "new proposal(s)" in r.output
    first = _entries(svc)
    assert first and all(e.status == "proposed" for e in first.values())
    wang = first["王雯"]
    assert [t.text for t in wang.terms if t.lang == "en" and t.status == "preferred"] == ["Wang Wen"]
    assert next(t for t in wang.terms if t.lang == "zh").pinyin == "wáng wén"
    corridor = first["西部陆海新通道"]
    assert any(t.text == "ILSTC" and t.term_type == "acronym" for t in corridor.terms)
    assert any(t.original == "西部陸海新通道" for t in corridor.terms if t.lang == "zh")
    n_hist = svc.stats()["history"]
    assert n_hist >= len(first)

    # editor: reject one entry, approve another
    svc.reject(first["王雯"].id)
    svc.approve(first["重庆"].id)
    approved_version = svc.get_entry(first["重庆"].id).version

    # re-run with nothing new: idempotent
    r = runner.invoke(app, ["--db", str(db), "mine", "--min-score", "0.5"])
    assert r.exit_code == 0, r.output
    assert " 0 new proposal(s)" in " ".join(r.output.split())
    assert len(_entries(svc)) == len(first)
    occ_before = svc.stats()["occurrences"]

    # more ingest: new evidence attached, rejected not re-proposed, approved untouched
    for d in docs[3:]:
        svc.store_document(d)
    r = runner.invoke(app, ["--db", str(db), "mine", "--min-score", "0.5"])
    assert r.exit_code == 0, r.output
    after = _entries(svc)
    assert after["王雯"].status == "rejected"
    assert sum(1 for z in after if z == "王雯") == 1
    assert svc.get_entry(first["重庆"].id).version == approved_version
    assert svc.get_entry(first["重庆"].id).status == "approved"
    assert svc.stats()["occurrences"] > occ_before
    assert " 0 merged" not in " ".join(r.output.split())
    keys = [z for z in after]
    assert len(keys) == len(set(keys))
    svc.close()


def test_bulk_history_matches_entry_snapshot(db):
    """The Core-written history row of each new proposal is the entry's picture after the run (as the ORM
    snapshot would take it: terms in order, each with its occurrences)."""
    from glossary.store.history import snapshot
    from glossary.store.models import Entry, History
    from sqlalchemy import select

    svc = GlossaryService.open(f"sqlite:///{db}", user="tester")
    for d in _docs()[:2]:
        svc.store_document(d)
    r = CliRunner().invoke(app, ["--db", str(db), "mine", "--min-score", "0.5"])
    assert r.exit_code == 0, r.output
    with svc.read() as s:
        rows = s.scalars(select(History).where(History.action == "mine")).all()
        assert rows and len({h.group_id for h in rows}) == 1  # one action, one transaction
        with_occ = 0
        for h in rows:
            entry = s.get(Entry, h.entry_id)
            now = snapshot(s, entry)
            for pic in (now, h.after):
                pic.pop("created_at"), pic.pop("updated_at")
            assert h.before is None and h.after == now
            with_occ += any(t["occurrences"] for t in now["terms"])
        assert with_occ == len(rows)  # every proposal keeps its evidence
    svc.close()


def test_same_key_in_one_run_extends_the_new_entry(db):
    """A second candidate whose zh form (here Traditional) normalises to a proposal made earlier in the same
    run adds its evidence to that entry instead of creating a duplicate; a re-run attaches nothing."""
    from glossary.data import Candidate
    from glossary.store.proposals import store_candidates

    svc = GlossaryService.open(f"sqlite:///{db}", user="tester")
    for d in _docs()[:1]:
        svc.store_document(d)
    segs = [s for s in svc.iter_segments() if "西部陆海新通道" in s.zh][:2]
    assert len(segs) == 2
    def cand(zh, seg):
        a = seg.zh.index("西部陆海新通道")
        return Candidate(zh=zh, en="New Western Land-Sea Corridor", score=0.9, frequency=1,
                         occurrences={zh: [(seg.id, a, a + 7)]})
    first = store_candidates(svc, [cand("西部陆海新通道", segs[0]), cand("西部陸海新通道", segs[1])])
    assert (first.proposed, first.merged, first.occurrences) == (1, 1, 2)
    entries = list(svc.iter_entries())
    assert len(entries) == 1
    again = store_candidates(svc, [cand("西部陆海新通道", segs[0]), cand("西部陸海新通道", segs[1])])
    assert (again.proposed, again.merged, again.unchanged, again.occurrences) == (0, 0, 2, 0)
    assert svc.stats()["occurrences"] == 2
    svc.close()
