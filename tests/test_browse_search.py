"""Search shortcuts of the review adapter find exactly what the exhaustive search finds: the character-count
prefilter of the fuzzy fallback, and the by-primary-key filter check of ranked candidates (seeds and a
database generated from CC-CEDICT)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process
from tests import tui_seed

from glossary.data import EntryData, TermData
from glossary.store.browse import QueueFilter, ReviewAdapter
from glossary.store.search_index import FUZZY_CUTOFF, ByLength
from glossary.store.bulk import import_entries
from glossary.store.db import upgrade
from glossary.store.service import GlossaryService
from glossary.text.normalize import norm_key, pinyin_plain

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench_tui  # noqa: E402  (CC-CEDICT headwords and glosses, as the TUI benchmark uses)


def typos(words: list[str], rnd: random.Random, n: int) -> list[str]:
    """Dropped, doubled, swapped and replaced letters of real keys: what the fuzzy fallback is for."""
    out = []
    for w in rnd.sample(words, min(n, len(words))):
        i = rnd.randrange(len(w))
        j = min(i + 1, len(w) - 1)
        out += [w[:i] + w[i + 1:], w[:i] + w[i] + w[i:], w[:i] + w[j] + w[i] + w[j + 1:] if j > i else w + "x",
                w[:i] + rnd.choice("aeiouxzq") + w[i + 1:]]
    return [q for q in out if q.strip()]


def exhaustive(query: str, keys: dict[int, str], limit: int | None) -> list[tuple[float, int]]:
    """Score every key (what the length window and the character bound must reproduce)."""
    hits = process.extract(query, list(keys.values()), scorer=fuzz.QRatio, limit=None, score_cutoff=FUZZY_CUTOFF)
    ids = list(keys)
    return [(score, ids[i]) for _k, score, i in hits][:limit]


@pytest.fixture(scope="module")
def cedict():
    return bench_tui.cedict_entries(6000)


def test_fuzzy_prefilter_scores_the_same_keys_as_a_full_scan(cedict):
    rnd = random.Random(5)
    en = sorted({norm_key(g, "en") for _zh, glosses in cedict for g in glosses})
    zh = sorted({zh for zh, _g in cedict})
    pinyin = sorted({pinyin_plain(z) for z in zh[:3000]} - {""})
    for words, extra in ((en, ["harbuor", "portt", "goverment", "a", "xx"]), (pinyin, ["zhonguo", "beijng"]),
                         (zh, ["中国人民", "人民中", "国"])):
        keys = dict(enumerate(words))
        index = ByLength({i * 3 + 1: k for i, k in keys.items()})  # term ids are not positions
        queries = typos(words, rnd, 60) + extra
        pruned = 0
        for query in queries:
            full = [(s, i * 3 + 1) for s, i in exhaustive(query, keys, None)]
            got = index.extract(query, FUZZY_CUTOFF, None)
            assert got == index.extract(query, FUZZY_CUTOFF, None, prefilter=False), query  # same order too
            assert sorted(got) == sorted(full), query
            top = index.extract(query, FUZZY_CUTOFF, 7)  # a page: the same best keys, ties in the same order
            assert top == index.extract(query, FUZZY_CUTOFF, 7, prefilter=False) == got[:7], query
            lo, hi = index._window(len(query), FUZZY_CUTOFF)
            pruned += (hi - lo) - len(index._possible(query, FUZZY_CUTOFF, lo, hi))
        assert any(index.extract(q, FUZZY_CUTOFF, 1) for q in queries)
        assert pruned > len(queries) * len(words) / 10  # the bound skips most of the length window


def _adapters(url: str) -> tuple[GlossaryService, ReviewAdapter, ReviewAdapter]:
    svc = GlossaryService.open(url, user="alice")
    fast, full = ReviewAdapter(svc), ReviewAdapter(svc)
    full.exhaustive = True
    return svc, fast, full


FILTERS = [dict(status=None), dict(status="proposed"), dict(status="approved"), dict(min_score=0.3, max_score=0.8)]


def _same_results(fast: ReviewAdapter, full: ReviewAdapter, queries: list[str], filters=FILTERS) -> int:
    found = 0
    for query in queries:
        for kw in filters:
            flt = QueueFilter(query=query, **kw)
            got = fast.search_ids(flt)
            assert got == full.search_ids(flt), (query, kw)
            page, ref = fast.page(flt, 0, 20), full.page(flt, 0, 20)
            assert [r.id for r in page.rows] == [r.id for r in ref.rows] and page.total == ref.total
            found += len(got[0])
    return found


def test_search_on_the_seeds_matches_the_exhaustive_search(tmp_path):
    (tmp_path / "t").mkdir()
    svc, fast, full = _adapters(tui_seed.seeded_copy(tmp_path / "t", tmp_path))
    try:
        queries = ["西部陆海", "西部陸海", "xibu", "xī bù", "xblhxtd", "corridor", "ASEAN", "chongqing", "o",
                   "Gungxi", "Chongqnig", "coridor", "Land-Sea Corrdor", "qinzou", "zzzzqqq", "广西省"]
        docs = fast.documents()
        edge = fast.page(QueueFilter(status=None, query="o")).rows[2].score  # a score bound some entry sits on
        filters = FILTERS + [dict(status=None, document_id=docs[0].id), dict(document_id=docs[-1].id),
                             dict(status=None, min_score=edge), dict(status=None, max_score=edge)]
        assert _same_results(fast, full, queries, filters) > 30
        assert fast.page(QueueFilter(status=None, query="Gungxi")).fuzzy
    finally:
        svc.close()


def test_search_on_a_generated_database_matches_the_exhaustive_search(tmp_path, cedict):
    url = f"sqlite:///{tmp_path / 'gen.db'}"
    upgrade(url)
    rnd = random.Random(11)
    svc, fast, full = _adapters(url)
    try:
        entries = []
        for zh, glosses in cedict[:1500]:
            r = rnd.random()
            terms = [TermData("zh", zh, status="preferred")] + [TermData("en", g) for g in glosses]
            entries.append(EntryData(terms=terms, score=round(rnd.random(), 3),
                                     status="proposed" if r < 0.8 else "approved" if r < 0.95 else "rejected"))
        import_entries(svc, entries, on_duplicate="new")
        en = [g for _zh, glosses in cedict[:1500] for g in glosses]
        zh = [z for z, _g in cedict[:1500]]
        queries = typos([norm_key(g, "en") for g in en], rnd, 8) + typos([pinyin_plain(z) for z in zh], rnd, 4)
        queries += [z[:2] for z in zh[:6]] + [g.split()[0][:4] for g in en[:6]] + ["a", "ren", "xx"]
        fuzzy = sum(fast.page(QueueFilter(status=None, query=q)).fuzzy for q in queries)
        assert fuzzy > 10  # the typos do reach the fuzzy fallback
        assert _same_results(fast, full, queries, FILTERS[:3]) > 200
    finally:
        svc.close()
