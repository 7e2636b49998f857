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
