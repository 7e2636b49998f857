"""Service layer: create, edit, status, merge, split, undo, optimistic locking, documents, on both backends."""

from __future__ import annotations

import hashlib

import pytest

from glossary.data import AlignedDocument, EntryData, RawDocument, SegmentPair, TermData
from glossary.errors import ConflictError, InputError, NotFoundError
from glossary.store.service import GlossaryService


def corridor(svc, en="New International Land-Sea Trade Corridor", zh="西部陸海新通道", **kw):
    return svc.create_entry(
        EntryData(terms=[TermData("zh", zh, status="preferred"), TermData("en", en, status="preferred")], **kw)
    )


def by_text(entry, text):
    return next(t for t in entry.terms if t.text == text)


def test_create_entry_normalises_traditional_and_fills_pinyin(svc):
    e = corridor(svc, score=0.9)
    zh = e.terms[0]
    assert zh.text == "西部陆海新通道" and zh.original == "西部陸海新通道"
    assert zh.pinyin == "xī bù lù hǎi xīn tōng dào"
    assert e.status == "proposed" and e.version == 1 and e.score == 0.9
    assert e.created_by == "alice"
    h = svc.history(e.id)
    assert [r["action"] for r in h] == ["create"] and h[0]["before"] is None


def test_status_change_bumps_version_and_records_history(svc):
    e = corridor(svc)
    e2 = svc.approve(e.id, e.version)
    assert e2.status == "approved" and e2.version == e.version + 1
    h = svc.history(e.id)
    assert h[0]["action"] == "approve" and h[0]["before"]["status"] == "proposed"
    assert h[0]["after"]["status"] == "approved" and h[0]["user"] == "alice"


def test_stale_version_raises_conflict_and_changes_nothing(svc):
    e = corridor(svc)
    svc.approve(e.id, e.version)
    with pytest.raises(ConflictError) as info:
        svc.reject(e.id, e.version)
    assert info.value.entry_id == e.id and info.value.actual == e.version + 1
    assert svc.get_entry(e.id).status == "approved"


def test_unknown_values_are_input_errors(svc):
    e = corridor(svc)
    with pytest.raises(InputError):
        svc.set_status(e.id, "maybe")
    with pytest.raises(InputError):
        svc.add_term(e.id, None, TermData("fr", "Corridor"))
    with pytest.raises(NotFoundError):
        svc.approve(99999)


def test_add_term_preferred_demotes_previous(svc):
    e = corridor(svc, en="New Western Land-Sea Corridor")
    e = svc.add_term(e.id, e.version, TermData("en", "New International Land-Sea Trade Corridor",
                                               status="preferred"))
    statuses = {t.text: t.status for t in e.terms if t.lang == "en"}
    assert statuses == {"New Western Land-Sea Corridor": "admitted",
                        "New International Land-Sea Trade Corridor": "preferred"}
    with pytest.raises(InputError):  # same normalised key (case/space) twice in one entry
        svc.add_term(e.id, e.version, TermData("en", "new international  land-sea trade corridor"))


def test_update_term_text_recomputes_keys(svc):
    e = corridor(svc)
    zh = e.terms[0]
    e = svc.update_term(zh.id, e.version, text="成渝地區雙城經濟圈")
    zh = by_text(e, "成渝地区双城经济圈")
    assert zh.original == "成渝地區雙城經濟圈" and zh.pinyin.startswith("chéng yú")


def test_merge_moves_terms_and_evidence_and_deletes_source(svc):
    a = corridor(svc)
    b = corridor(svc, en="New Western Land-Sea Corridor", zh="西部陆海新通道", note="seen in 000")
    c = svc.create_entry(EntryData(terms=[TermData("en", "ILSTC", term_type="acronym")]))
    merged = svc.merge(a.id, [b.id, c.id], versions={a.id: a.version, b.id: b.version, c.id: c.version})
    en = {t.text: t.status for t in merged.terms if t.lang == "en"}
    assert en == {"New International Land-Sea Trade Corridor": "preferred",
                  "New Western Land-Sea Corridor": "admitted", "ILSTC": "admitted"}
    assert [t.text for t in merged.terms if t.lang == "zh"] == ["西部陆海新通道"]  # twin collapsed
    assert merged.note == "seen in 000"
    with pytest.raises(NotFoundError):
        svc.get_entry(b.id)
    # choose the surviving preferred term
    western = by_text(merged, "New Western Land-Sea Corridor")
    d = svc.create_entry(EntryData(terms=[TermData("en", "Land-Sea Corridor")]))
    merged = svc.merge(a.id, [d.id], preferred={"en": western.id})
    assert by_text(merged, "New Western Land-Sea Corridor").status == "preferred"
    assert by_text(merged, "New International Land-Sea Trade Corridor").status == "admitted"


def test_merge_conflict_on_stale_source(svc):
    a, b = corridor(svc), corridor(svc, en="New Western Land-Sea Corridor")
    svc.approve(b.id)
    with pytest.raises(ConflictError):
        svc.merge(a.id, [b.id], versions={b.id: b.version})
    assert svc.get_entry(b.id).status == "approved"  # nothing half-merged


def test_split_creates_pair_entry_and_undo_restores(svc):
    e = corridor(svc)
    e = svc.add_term(e.id, e.version, TermData("en", "Chongqing FAO"))
    fao = by_text(e, "Chongqing FAO")
    new = svc.split([fao.id], e.version)
    assert {(t.lang, t.text, t.status) for t in new.terms} == {
        ("zh", "西部陆海新通道", "preferred"), ("en", "Chongqing FAO", "preferred")}
    assert new.status == "proposed" and new.id != e.id
    assert "Chongqing FAO" not in [t.text for t in svc.get_entry(e.id).terms]
    restored = svc.undo()
    assert set(restored) == {e.id, new.id}
    with pytest.raises(NotFoundError):
        svc.get_entry(new.id)
    back = svc.get_entry(e.id)
    assert by_text(back, "Chongqing FAO").id == fao.id


def test_undo_merge_recreates_sources_with_terms_and_occurrences(svc):
    a = corridor(svc)
    b = corridor(svc, en="New Western Land-Sea Corridor")
    doc = _doc("西部陆海新通道建设", "construction of New Western Land-Sea Corridor")
    doc_id, _ = svc.store_document(doc)
    seg = next(svc.iter_segments())
    b_zh = b.terms[0]
    from glossary.store.models import Occurrence

    with svc.write() as s:  # evidence on both twins (one duplicated)
        s.add_all([Occurrence(term_id=b_zh.id, segment_id=seg.id, start=0, end=7),
                   Occurrence(term_id=a.terms[0].id, segment_id=seg.id, start=0, end=7)])
    before = svc.stats()["occurrences"]
    svc.merge(a.id, [b.id])
    assert svc.stats()["occurrences"] == before - 1  # duplicate evidence collapsed
    svc.undo()
    b2 = svc.get_entry(b.id)
    assert [t.text for t in b2.terms] == [t.text for t in b.terms]
    assert svc.stats()["occurrences"] == before
    assert svc.stats()["entries"] == 2


def test_undo_refuses_when_entry_changed_since(svc):
    e = corridor(svc)
    svc.approve(e.id)
    other = GlossaryService(svc.engine, user="bob")
    other.update_entry(e.id, None, note="bob was here")
    with pytest.raises(ConflictError):
        svc.undo()  # alice's approve was followed by bob's edit
    other.undo()  # bob undoes his own change
    svc.undo()
    assert svc.get_entry(e.id).status == "proposed"


def test_undo_is_per_user_and_nothing_left(svc):
    e = corridor(svc)
    svc.undo()  # undoes the creation
    with pytest.raises(NotFoundError):
        svc.get_entry(e.id)
    with pytest.raises(NotFoundError):
        svc.undo()


def test_bulk_status_is_one_undo_step(svc):
    ids = {corridor(svc, en=f"Corridor {i}", zh=f"通道{i}").id: None for i in range(3)}
    svc.bulk_set_status(ids, "approved")
    assert svc.stats()["entries_by_status"]["approved"] == 3
    svc.undo()
    assert svc.stats()["entries_by_status"]["approved"] == 0


def test_remove_last_term_refused(svc):
    e = svc.create_entry(EntryData(terms=[TermData("en", "ASEAN")]))
    with pytest.raises(InputError):
        svc.remove_term(e.terms[0].id)


def _doc(zh: str, en: str, name: str = "a.txt") -> AlignedDocument:
    data = (zh + "\n" + en).encode()
    raw = RawDocument(path=name, text=data.decode(), encoding="utf-8", format="mixed",
                      sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return AlignedDocument(raw=raw, pairs=[SegmentPair(zh=zh, en=en, position=0, bead="1-1", score=0.9)])


def test_store_document_is_idempotent_by_sha(svc):
    d = _doc("王雯率队赴广西学习调研。", "Wang Wen led a team to survey in Guangxi.")
    doc_id, created = svc.store_document(d)
    again, created2 = svc.store_document(d)
    assert created and not created2 and again == doc_id
    st = svc.stats()
    assert st["documents"] == 1 and st["segments"] == 1
    seg = next(svc.iter_segments())
    assert seg.zh.startswith("王雯") and seg.document == "a.txt"


def test_deleting_entry_cascades_to_terms_and_occurrences(svc):
    from sqlalchemy import func, select

    from glossary.store.models import Entry, Occurrence, Term

    e = corridor(svc)
    svc.store_document(_doc("西部陆海新通道", "New International Land-Sea Trade Corridor"))
    seg = next(svc.iter_segments())
    with svc.write() as s:
        s.add(Occurrence(term_id=e.terms[0].id, segment_id=seg.id, start=0, end=7))
    with svc.write() as s:
        s.delete(s.get(Entry, e.id))
    with svc.read() as s:
        assert s.scalar(select(func.count()).select_from(Term)) == 0
        assert s.scalar(select(func.count()).select_from(Occurrence)) == 0


def test_approved_pairs(svc):
    e = corridor(svc)
    e = svc.add_term(e.id, e.version, TermData("en", "New Western Land-Sea Corridor", status="deprecated"))
    assert svc.approved_pairs() == []
    svc.approve(e.id)
    assert svc.approved_pairs() == [("西部陆海新通道", "New International Land-Sea Trade Corridor")]
