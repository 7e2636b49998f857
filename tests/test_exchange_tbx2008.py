"""TBX 2008 (martif, TBX-Basic v2): translate-toolkit's reader sees our terms and statuses; other tools' files load."""

from __future__ import annotations

from translate.storage import tbx as tt_tbx

from glossary.exchange import detect_format, load_entries
from glossary.store.bulk import import_entries
from tests.exchange_support import DATA, export, fresh_service, sample_entries


def test_translate_toolkit_reads_terms_and_statuses(tmp_path):
    svc = fresh_service(tmp_path)
    try:
        import_entries(svc, sample_entries(), on_duplicate="new")
        stored = list(svc.iter_entries())
        path = export(svc, tmp_path / "out.tbx", "tbx2008")
    finally:
        svc.close()
    assert detect_format(path) == "tbx2008"
    store = tt_tbx.tbxfile(open(path, "rb"), sourcelanguage="zh-CN", targetlanguage="en")
    assert len(store.units) == len(stored) == 19
    status = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
              "deprecated": "deprecatedTerm-admn-sts", "forbidden": "deprecatedTerm-admn-sts"}
    for unit, entry in zip(store.units, stored):
        zh = [t for t in entry.terms if t.lang == "zh"]
        en = [t for t in entry.terms if t.lang == "en"]
        assert [t.text for t in unit.get_source_terms()] == [t.text for t in zh]
        got = [(t.text, t.administrative_status) for t in unit.get_target_terms()]
        assert got == [(t.text, status[t.status]) for t in en]
        assert unit.source == zh[0].text
    office = next(u for u in store.units if u.source == "外事办公室")
    assert [t.text for t in office.get_target_terms() if t.deprecated] == ["Foreign Office", "foreign-affairs bureau"]


def test_foreign_martif_with_unknown_categories(tmp_path):
    entries = load_entries(DATA / "other_tool_martif.tbx")
    assert len(entries) == 2
    e = entries[0]
    assert [(t.lang, t.text, t.status) for t in e.terms] == [
        ("zh", "一带一路", "preferred"), ("en", "Belt and Road Initiative", "preferred"),
        ("en", "One Belt One Road", "deprecated"), ("en", "BRI", "admitted")]
    assert e.terms[3].term_type == "acronym"
    assert e.subject == "politics"
    assert "customerSubset: ACME" in e.note  # unknown to TBX-Basic handling: kept as notes
    assert "geographicalUsage: CN" in (e.terms[0].note or "")
    assert e.sources == [{"document": "", "zh": "共建一带一路倡议。", "en": "The Belt and Road Initiative."}]
    svc = fresh_service(tmp_path)
    try:
        assert import_entries(svc, entries).created == 2
    finally:
        svc.close()
