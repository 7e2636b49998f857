"""mine(): pairs, scores, variants and evidence on an aligned dev set built from seeds/ (tests/data/mine)."""

import fcntl
import pickle
from pathlib import Path

import pytest

from glossary.data import SegmentPair
from glossary.mine.miner import mine

DATA = Path(__file__).parent / "data" / "mine" / "seed_pairs.tsv"


def _pairs():
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        doc, pos, zh, en = line.split("\t")
        out.append(SegmentPair(zh=zh, en=en, position=int(pos), document=doc))
    return out


@pytest.fixture(scope="module")
def cands(tmp_path_factory, worker_id):
    """One mine() of the seed pairs per test session, shared by xdist workers through a locked pickle."""
    if worker_id == "master":
        return mine(_pairs(), min_score=0.4)
    shared = tmp_path_factory.getbasetemp().parent / "mine_seed_cands.pickle"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if shared.exists():
            return pickle.loads(shared.read_bytes())
        got = mine(_pairs(), min_score=0.4)
        shared.write_bytes(pickle.dumps(got))
        return got


def by_zh(cands, zh):
    return next((c for c in cands if c.zh == zh or zh in c.zh_variants), None)


def test_names_places_and_multiword_terms(cands):
    assert by_zh(cands, "王雯").en == "Wang Wen"
    assert by_zh(cands, "张娅茜").en == "Zhang Yaxi"
    assert by_zh(cands, "钦州港片区").en == "Qinzhou Port Area"
    assert by_zh(cands, "一带一路").en == "Belt and Road"
    assert by_zh(cands, "市政府外办").en.startswith("Foreign Affairs Office of Chongqing")


def test_competing_translations_and_acronym_grouped(cands):
    c = by_zh(cands, "西部陆海新通道")
    forms = {c.en, *c.en_variants, *c.acronyms}
    assert "ILSTC" in c.acronyms
    assert {"New International Land-Sea Trade Corridor", "New Western Land-Sea Corridor"} <= forms
    assert sum(1 for x in cands if x.zh == "西部陆海新通道") == 1


def test_scores_are_calibrated_and_evidence_present(cands):
    assert all(0.4 <= c.score <= 1 for c in cands)
    assert cands == sorted(cands, key=lambda c: (-c.score, -c.frequency, c.zh))
    c = by_zh(cands, "王雯")
    assert {e.kind for e in c.evidence} >= {"dict", "cooc"}
    seg, start, end = c.occurrences["王雯"][0]
    assert _pairs()[seg].zh[start:end] == "王雯"
    surface, occs = next(iter(c.en_occurrences.items()))
    seg, start, end = occs[0]
    assert _pairs()[seg].en[start:end] == surface


def test_min_score_limit_and_skip():
    pairs = _pairs()[:12]
    got = mine(pairs, min_score=0.6, limit=5, skip=["王雯"])
    assert len(got) <= 5 and all(c.score >= 0.6 for c in got)
    assert all(c.zh != "王雯" for c in got)


def test_boundaries_and_variants_are_supported(cands):
    zh_forms = {z for c in cands for z in [c.zh, *c.zh_variants]}
    # a one-character word at a candidate's edge that belongs to the neighbour (用好|新加坡, 援|巴布亚新几内亚)
    assert not zh_forms & {"好新加坡", "年中国川", "援巴布亚新几内亚", "区发展建设", "外办支持外资企业"}
    # a zh variant adds at most a suffix, never another term (智库联盟, 党组成员)
    assert all(len(v) - len(c.zh) <= 2 for c in cands for v in c.zh_variants if c.zh in v)
    for c in cands:  # English variants are translations in their own right, not single words cut from one
        assert all(" " in v or v.isupper() or " " not in c.en for v in c.en_variants), (c.zh, c.en_variants)


def test_preferred_english_is_whole_and_longest_supported(cands):
    assert by_zh(cands, "副主任").en.lower() == "deputy director general"  # not 'deputy director'
    assert by_zh(cands, "南宁").en == "Nanning"  # not the 'capital of Guangxi' in its dictionary gloss
    c = by_zh(cands, "智博会")  # abbreviation: 智(能) 博(览)会 + the acronym in parentheses
    assert c.en == "Smart China Expo" and "SCE" in c.acronyms
    assert by_zh(cands, "东盟").en == "ASEAN"
    assert all(c.en != "countries" for c in cands)  # 两国 is 'two countries', never a proposal of half of it
