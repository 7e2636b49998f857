"""ReviewAdapter (glossary/store/browse.py): queue pages, filters, search (hanzi, pinyin, English, fuzzy),
entry detail with evidence spans, merge suggestions, export hand-off."""

from __future__ import annotations

import re

import pytest
from tests import tui_seed

from glossary.data import EntryData, TermData
from glossary.errors import ConflictError, InputError
from glossary.store.service import GlossaryService
from glossary.store.browse import QueueFilter, ReviewAdapter
from glossary.store.search_index import acronym_keys, classify_query, find_all, merge_spans
from glossary.text.normalize import to_simplified


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("browse-template")


@pytest.fixture
def seeded(template_dir, tmp_path):
    svc = GlossaryService.open(tui_seed.seeded_copy(template_dir, tmp_path), user="alice")
    yield svc
    svc.close()


@pytest.fixture
def adapter(seeded):
    return ReviewAdapter(seeded)


def first_zh(adapter, query, **kw):
    page = adapter.page(QueueFilter(status=None, query=query, **kw))
    return [r.zh for r in page.rows]


def test_queue_page_is_proposed_highest_score_first(adapter):
    page = adapter.page(QueueFilter())
    assert page.total == 12 and not page.has_more
    assert all(r.status == "proposed" for r in page.rows)
    scores = [r.score for r in page.rows]
    assert scores == sorted(scores, reverse=True)
    top = page.rows[0]
    assert (top.zh, top.en) == ("西部陆海新通道", "New Western Land-Sea Corridor")
    assert top.pinyin == "xī bù lù hǎi xīn tōng dào"
    assert top.variants == ["New International Land-Sea Trade Corridor"]
    assert top.sources == 5  # four seed pairs mention it in 000, plus one in 002 (its English form)
    assert {r.zh for r in page.rows}.isdisjoint({"重庆", "外事资源"})  # approved / rejected


def test_paging_reads_disjoint_pages_covering_everything(adapter):
    seen, offset = [], 0
    while True:
        page = adapter.page(QueueFilter(status=None), offset=offset, limit=5)
        assert len(page.rows) <= 5 and page.total == 14
        seen += [r.id for r in page.rows]
        offset += len(page.rows)
        if not page.has_more:
            break
    assert len(seen) == len(set(seen)) == 14


def test_filters_status_score_and_document(adapter):
    assert [r.zh for r in adapter.page(QueueFilter(status="approved")).rows] == ["重庆"]
    assert [r.zh for r in adapter.page(QueueFilter(status="rejected")).rows] == ["外事资源"]
    mid = adapter.page(QueueFilter(min_score=0.5, max_score=0.7)).rows
    assert [r.zh for r in mid] == ["副主任", "副主任", "国家战略", "示范带动效应"]
    docs = {d.name: d for d in adapter.documents()}
    assert docs["002_0bdf9ff97015ec13.txt"].segments == 3
    in_002 = {r.zh for r in adapter.page(QueueFilter(document_id=docs["002_0bdf9ff97015ec13.txt"].id)).rows}
    assert "陆海新通道" in in_002 and "钦州港片区" not in in_002 and "王雯" not in in_002


def test_classify_query_kinds():
    assert classify_query("西部陸海") == {"zh": "西部陆海"}
    assert classify_query("xī bù") == {"pinyin": "xibu"}
    assert classify_query("xblhxtd") == {"pinyin": "xblhxtd", "initials": "xblhxtd", "en": "xblhxtd"}
    assert classify_query("Land-Sea Corridor")["en"] == "land-sea corridor"
    assert classify_query("   ") == {}


@pytest.mark.parametrize("query", ["西部陆海", "西部陸海", "xibu", "xī bù", "XiBu LuHai", "xblhxtd", "xblh"])
def test_search_finds_corridor_by_hanzi_or_pinyin(adapter, query):
    assert first_zh(adapter, query)[0] == "西部陆海新通道"


def test_search_traditional_and_simplified_agree(adapter):
    trad = "陸海新通道"
    assert to_simplified(trad) == "陆海新通道"
    assert first_zh(adapter, trad) == first_zh(adapter, "陆海新通道") == ["陆海新通道", "西部陆海新通道"]


def test_search_english_exact_prefix_and_substring(adapter):
    assert first_zh(adapter, "ILSTC") == ["陆海新通道"]
    assert first_zh(adapter, "qinzhou") == ["钦州港片区"]
    # 'corridor' is inside both English terms of the corridor entry only
    assert first_zh(adapter, "corridor") == ["西部陆海新通道"]
    # exact matches rank before substring matches
    assert first_zh(adapter, "ASEAN")[0] == "东盟"


def test_search_fuzzy_fallback_for_typos(adapter):
    page = adapter.page(QueueFilter(status=None, query="Gungxi"))
    assert page.fuzzy and page.rows[0].zh == "广西"
    assert adapter.page(QueueFilter(status=None, query="zzzzqqq")).rows == []


def test_search_respects_filters(adapter):
    assert first_zh(adapter, "chongqing") == ["重庆", "市政府外办"]  # exact match first
    only_approved = adapter.page(QueueFilter(status="approved", query="chongqing")).rows
    assert [r.zh for r in only_approved] == ["重庆"]


def test_detail_terms_evidence_spans_and_history(adapter, seeded):
    eid = tui_seed.entry_id(seeded, "西部陆海新通道")
    d = adapter.detail(eid)
    assert [t.text for t in d.terms_by_lang["zh"]] == ["西部陆海新通道"]
    assert {t.text for t in d.terms_by_lang["en"]} == {"New Western Land-Sea Corridor",
                                                      "New International Land-Sea Trade Corridor"}
    assert d.documents == ["000_df8d67f183ba9375.txt", "002_0bdf9ff97015ec13.txt"]
    assert d.evidence_total == 5 and len(d.evidence) == 5
    for pair in d.evidence:
        assert pair.zh_spans or pair.en_spans
        for a, b in pair.zh_spans:  # the sentence is Traditional; the highlight covers the same characters
            assert to_simplified(pair.zh[a:b]) == "西部陆海新通道"
        for a, b in pair.en_spans:
            assert pair.en[a:b] in ("New Western Land-Sea Corridor", "New International Land-Sea Trade Corridor")
    both = [p for p in d.evidence if p.zh_spans and p.en_spans]
    assert both, "at least one pair is highlighted on both sides"
    assert [h.action for h in d.history] == ["mine"]


def test_suggestions_same_chinese_acronym_and_similar_english(adapter, seeded):
    a = tui_seed.entry_id(seeded, "副主任", "deputy director general")
    b = tui_seed.entry_id(seeded, "副主任", "Deputy Director-General")
    sug = adapter.suggestions(a)
    assert sug[0].entry_id == b and "same Chinese" in sug[0].reason and sug[0].version == 1
    corridor = tui_seed.entry_id(seeded, "西部陆海新通道")
    ilstc = tui_seed.entry_id(seeded, "陆海新通道")
    assert any(s.entry_id == ilstc and "ILSTC" in s.reason for s in adapter.suggestions(corridor))
    assert any(s.entry_id == corridor and "expansion" in s.reason for s in adapter.suggestions(ilstc))
    twin = seeded.create_entry(EntryData(terms=[TermData("zh", "新通道"), TermData("en", "New Western Land Sea Corridor")]))
    adapter.invalidate()
    near = [s for s in adapter.suggestions(twin.id) if s.entry_id == corridor]
    assert near and "similar English" in near[0].reason
    assert all(s.entry_id != twin.id for s in adapter.suggestions(twin.id))


def test_acronym_keys_and_span_helpers():
    assert "FAOCMG" in acronym_keys("Foreign Affairs Office of Chongqing Municipal Government")
    assert "SCE" in acronym_keys("Smart China Expo")
    assert "BRI" in acronym_keys("Belt and Road Initiative")
    assert "ILSTC" in acronym_keys("New International Land-Sea Trade Corridor")
    assert acronym_keys("Chongqing") == set()
    assert find_all("ILSTC and the ilstc", "ILSTC") == [(0, 5), (14, 19)]
    assert merge_spans([(5, 9), (0, 3), (2, 4), (5, 9)]) == [(0, 4), (5, 9)]


def test_changes_go_through_the_service_and_refresh_search(adapter, seeded):
    gx = tui_seed.entry_id(seeded, "广西")
    assert first_zh(adapter, "Kwangsi") == []
    entry = adapter.get_entry(gx)
    adapter.add_variant(gx, entry.version, "Kwangsi")
    assert first_zh(adapter, "Kwangsi") == ["广西"]
    added = next(t for t in adapter.get_entry(gx).terms if t.text == "Kwangsi")
    assert added.term_type == "variant" and added.lang == "en"
    with pytest.raises(ConflictError):
        adapter.approve(gx, entry.version)  # stale version: the variant bumped it
    adapter.approve(gx, adapter.get_entry(gx).version)
    assert adapter.counts()["approved"] == 2
    adapter.undo()
    assert adapter.get_entry(gx).status == "proposed"


def test_export_formats_and_hand_off(adapter, tmp_path, monkeypatch):
    import glossary.exchange as exchange

    formats, available = adapter.export_formats()
    assert "tbx" in formats and "xlsx" in formats
    if not available:
        with pytest.raises(InputError, match="not available"):
            adapter.export(str(tmp_path / "g.tbx"), "tbx")
    written = {}

    def fake_write(entries, path, fmt):
        written.update(entries=entries, path=path, fmt=fmt)
        return len(entries)

    monkeypatch.setattr(exchange, "write_entries", fake_write, raising=False)
    assert adapter.export(str(tmp_path / "g.tsv"), "tsv") == 1
    assert written["fmt"] == "tsv" and [e.status for e in written["entries"]] == ["approved"]
    assert written["entries"][0].sources  # evidence pairs go along
    with pytest.raises(InputError, match="unknown export format"):
        adapter.export(str(tmp_path / "g.doc"), "doc")


def test_search_pages_grow_on_demand(adapter):
    flt = QueueFilter(status=None, query="o")  # many English terms contain an 'o'
    first = adapter.page(flt, 0, 3)
    assert len(first.rows) == 3 and first.total_capped and first.has_more
    second = adapter.page(flt, 3, 3)
    assert second.rows and not {r.id for r in first.rows} & {r.id for r in second.rows}
    everything, _fuzzy = adapter.search_ids(flt)
    assert [r.id for r in first.rows + second.rows] == everything[:6]


@pytest.mark.postgres
def test_queue_search_and_detail_on_postgresql(pg_url):
    svc = tui_seed.seed(pg_url)
    try:
        ad = ReviewAdapter(svc)
        page = ad.page(QueueFilter())
        assert page.total == 12 and page.rows[0].zh == "西部陆海新通道"
        assert [r.zh for r in ad.page(QueueFilter(status=None, query="陸海")).rows] == ["陆海新通道", "西部陆海新通道"]
        assert ad.page(QueueFilter(status=None, query="xblhxtd")).rows[0].zh == "西部陆海新通道"
        assert ad.page(QueueFilter(status=None, query="Gungxi")).rows[0].zh == "广西"
        corridor = tui_seed.entry_id(svc, "西部陆海新通道")
        detail = ad.detail(corridor)
        assert detail.evidence_total == 5 and any("ILSTC" in s.reason for s in detail.suggestions)
    finally:
        svc.close()


def test_fuzzy_length_window_keeps_every_match_of_a_full_scan():
    """The fuzzy fallback scores only keys whose length can reach the cutoff: same hits as scoring all keys."""
    from rapidfuzz import fuzz, process

    from glossary.store.search_index import FUZZY_CUTOFF, ByLength

    words = sorted({w.lower() for pair in tui_seed.read_pairs().values() for p in pair
                    for w in re.findall(r"[A-Za-z]+(?: [A-Za-z]+)?", p.en)})
    keys = dict(enumerate(words))
    index = ByLength(keys)
    queries = [w[:1] + w[2:] for w in words[::7]] + [w + "x" for w in words[3::11]] + ["ab", "corridoor"]
    for query in queries:
        full = {(t, s) for _k, s, t in process.extract(query, keys, scorer=fuzz.QRatio, limit=None,
                                                       score_cutoff=FUZZY_CUTOFF)}
        assert set((t, s) for s, t in index.extract(query, FUZZY_CUTOFF, None)) == full, query
    assert len(words) > 200 and any(index.extract(q, FUZZY_CUTOFF, 5) for q in queries)


def test_search_ranks_entries_added_after_the_index_was_built(adapter, seeded):
    """Scores are ranked in memory; an entry another editor added since (not in the index) still ranks."""
    adapter.warm()
    before = first_zh(adapter, "chongqing")
    seeded.create_entry(EntryData(terms=[TermData("zh", "重庆港"), TermData("en", "Chongqing port")], score=0.2))
    seeded.create_entry(EntryData(terms=[TermData("zh", "重庆港口"), TermData("en", "Chongqing harbour")],
                                  score=0.9))
    adapter.invalidate(terms=False)  # forget cached results only: the term index (and its scores) stays stale
    after = first_zh(adapter, "chongqing")
    assert before[0] == after[0] == "重庆"  # the exact match first, then prefix matches by score
    assert after[1] == "重庆港口" and after.index("重庆港") > 1  # 0.9 read for it, then 0.2 ranks it lower
    assert sorted(after) == sorted(before + ["重庆港口", "重庆港"])
