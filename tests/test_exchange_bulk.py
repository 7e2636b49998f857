"""Bulk import into the store: duplicates merged/skipped/new, history, idempotence, all-or-nothing (both backends)."""

from __future__ import annotations

import pytest

from glossary.data import EntryData, TermData
from glossary.errors import InputError
from glossary.store.bulk import import_entries
from tests.exchange_support import sample_entries


def _entry(zh, *en, note=None, status="approved", sources=()):
    terms = [TermData("zh", zh, status="preferred")]
    terms += [TermData("en", e, status="preferred" if i == 0 else "admitted") for i, e in enumerate(en)]
    return EntryData(terms=terms, status=status, note=note, sources=list(sources))


def test_merge_adds_missing_terms_notes_and_sources_with_history(svc):
    first = import_entries(svc, [_entry("西部陆海新通道", "New International Land-Sea Trade Corridor")])
    assert first.created == 1
    src = {"document": "000.txt", "zh": "充分发挥西部陆海新通道的作用", "en": "the New Western Land-Sea Corridor"}
    # Traditional script and a second English form: same normalised Chinese term, so it is a duplicate
    report = import_entries(svc, [_entry("西部陸海新通道", "New Western Land-Sea Corridor",
                                         "New International Land-Sea Trade Corridor", note="from 2019 docs",
                                         sources=[src])], source="more.jsonl")
    assert (report.created, report.merged, report.terms_added, report.sources_added) == (0, 1, 1, 1)
    [entry] = list(svc.iter_entries(with_sources=5))
    assert [(t.lang, t.text, t.status) for t in entry.terms] == [
        ("zh", "西部陆海新通道", "preferred"), ("en", "New International Land-Sea Trade Corridor", "preferred"),
        ("en", "New Western Land-Sea Corridor", "admitted")]  # the existing preferred term keeps its place
    assert entry.note == "from 2019 docs"
    assert entry.sources == [src]
    history = svc.history(entry.id)
    assert [h["action"] for h in history] == ["import", "import"]
    assert history[0]["summary"].startswith("import more.jsonl: 0 created, 1 merged")
    assert len(history[0]["before"]["terms"]) == 2 and len(history[0]["after"]["terms"]) == 3
    # the change can be undone like any other
    svc.undo()
    assert len(svc.get_entry(entry.id).terms) == 2


def test_reimport_is_idempotent(svc):
    import_entries(svc, sample_entries())
    before = svc.stats()
    report = import_entries(svc, sample_entries())
    assert (report.created, report.merged, report.unchanged) == (0, 0, report.read)
    assert svc.stats() == before  # no new entries, terms, segments, occurrences or history rows


def test_skip_and_new(svc):
    import_entries(svc, [_entry("重庆", "Chongqing")])
    skipped = import_entries(svc, [_entry("重庆", "Chungking")], on_duplicate="skip")
    assert skipped.skipped == 1
    assert [t.text for t in svc.get_entry(1).terms] == ["重庆", "Chongqing"]
    new = import_entries(svc, [_entry("重庆", "Chungking")], on_duplicate="new")
    assert new.created == 1 and svc.stats()["entries"] == 2


def test_duplicates_inside_one_file_are_merged(svc):
    report = import_entries(svc, [_entry("东盟", "ASEAN"), _entry("東盟", "Association of Southeast Asian Nations")])
    assert report.created == 1
    assert [t.text for t in svc.get_entry(1).terms] == ["东盟", "ASEAN", "Association of Southeast Asian Nations"]


def test_one_bad_entry_imports_nothing(svc):
    entries = sample_entries()
    entries[7].terms.append(TermData("en", "x" * 600))  # longer than a term may be
    with pytest.raises(InputError, match=r"sample: entry 8 \(.*\): term text is longer than 500"):
        import_entries(svc, entries, source="sample")
    stats = svc.stats()
    assert (stats["entries"], stats["documents"], stats["history"]) == (0, 0, 0)


def test_status_override_and_unknown_mode(svc):
    import_entries(svc, [_entry("王雯", "Wang Wen", status="proposed")], status="approved")
    assert svc.get_entry(1).status == "approved"
    with pytest.raises(InputError, match="--on-duplicate"):
        import_entries(svc, [], on_duplicate="replace")


def test_undo_removes_what_an_import_created(svc):
    import_entries(svc, sample_entries()[:3], source="sample")
    assert svc.stats()["entries"] == 3
    assert len(svc.history(None)) == 3  # one history row per entry, one group
    svc.undo()
    assert svc.stats()["entries"] == 0


def test_sources_are_located_through_folded_dashes_and_script_and_unlocated_ones_pass_the_check(db_url):
    """A mined term keeps the folded dash (中国-东盟) while its sentence has 中国—东盟; a Traditional sentence holds
    the Simplified term; a sentence without the term is kept as (0, 0) — `glossary check` accepts all three."""
    from glossary.store.backup import check
    from glossary.store.browse import ReviewAdapter
    from glossary.store.service import GlossaryService

    zh_dash = "深度参与中国—东盟、澜湄合作等多边合作机制。"
    zh_trad = "中國-東盟合作機制運行良好。"
    sources = [{"document": "a.txt", "zh": zh_dash, "en": "China–ASEAN cooperation mechanisms"},
               {"document": "b.txt", "zh": zh_trad, "en": "The China-ASEAN mechanism works well."},
               {"document": "c.txt", "zh": "双方同意加强合作。", "en": "Both sides agreed to cooperate."}]
    svc = GlossaryService.open(db_url, user="alice")
    try:
        import_entries(svc, [_entry("中国-东盟", "China-ASEAN", sources=sources)])
        [entry] = list(svc.iter_entries())
        by_doc = {p.document: p for p in ReviewAdapter(svc).detail(entry.id).evidence}
    finally:
        svc.close()
    assert [zh_dash[a:b] for a, b in by_doc["a.txt"].zh_spans] == ["中国—东盟"]
    assert [by_doc["a.txt"].en[a:b] for a, b in by_doc["a.txt"].en_spans] == ["China–ASEAN"]
    assert [zh_trad[a:b] for a, b in by_doc["b.txt"].zh_spans] == ["中國-東盟"]
    assert by_doc["c.txt"].zh_spans == [] and by_doc["c.txt"].en_spans == []
    report = check(db_url)
    assert report.ok, report.problems
