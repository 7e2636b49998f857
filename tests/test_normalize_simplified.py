"""to_simplified (glossary/text/normalize.py): length-preserving and idempotent, so stored keys survive a round trip."""

from __future__ import annotations

import pytest

from glossary.data import EntryData, TermData
from glossary.store.bulk import import_entries
from glossary.text.normalize import to_simplified
from tests.exchange_support import ROUND_TRIP_FORMATS, fresh_service, round_trip


def test_simplified_twice_is_simplified_once_for_every_bmp_han_character():
    chars = [chr(cp) for cp in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000), *range(0xF900, 0xFB00)]]
    once = [to_simplified(c) for c in chars]
    assert [to_simplified(s) for s in once] == once
    assert all(len(s) == 1 for s in once)


def test_a_chain_of_variants_ends_at_the_simplified_form():
    assert to_simplified("薴麻") == "苎麻"  # OpenCC alone: 薴 → 苧, and 苧 → 苎 only on a second pass
    assert to_simplified("國際經濟區") == "国际经济区" and to_simplified("中国") == "中国"


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_an_entry_whose_simplified_form_needs_two_passes_round_trips(tmp_path, fmt):
    svc = fresh_service(tmp_path)
    try:
        entry = EntryData(terms=[TermData(lang="zh", text="薴", term_type="fullForm", status="preferred")])
        import_entries(svc, [entry], on_duplicate="new")
        db1, file1, db2, file2 = round_trip(svc, tmp_path, fmt)
        assert db2 == db1 and file2 == file1
    finally:
        svc.close()
