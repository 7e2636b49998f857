"""Aligner: bead DP invariants, lexical anchors, quality on the hand-checked seed gold vs Gale–Church."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.align.aligner import align_sentences
from glossary.align.anchors import (GlossaryAnchors, en_features, en_name_keys, en_numbers, name_index, zh_features,
                                    zh_latin, zh_name_hits, zh_numbers)
from glossary.align.beads import BEADS, diagonal_band, dp_align
from glossary.evaluation.align import evaluate, parse_link, score


def _covers(path, n, m):
    zs = [i for b in path for i in b.zh]
    es = [j for b in path for j in b.en]
    return zs == list(range(n)) and es == list(range(m))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 10_000))
def test_dp_covers_every_unit_once_in_order(n, m, seed):
    rng = random.Random(seed)
    table: dict = {}

    def cost(i, a, j, b):
        return table.setdefault((i, a, j, b), rng.random() * (a + b))

    full = dp_align(n, m, cost)
    assert _covers(full, n, m)
    assert all((b.zh_end - b.zh_start, b.en_end - b.en_start) in BEADS for b in full)
    banded = dp_align(n, m, cost, diagonal_band(n, m, max(n, m)))
    assert sum(b.cost for b in banded) == pytest.approx(sum(b.cost for b in full))


def test_links_notation_and_scoring():
    assert parse_link("[0,1]:[2]") == ((0, 1), (2,)) and parse_link("[]:[3]") == ((), (3,))
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ())]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())]
    s = score(test, gold)
    assert s["strict_p"] == 0.5 and s["strict_r"] == 0.5 and s["lax_p"] == 1.0 and s["lax_r"] == 1.0


def test_number_date_anchors():
    assert {"n:3", "n:29", "n:31"} <= zh_numbers("3月29日至31日") and "w:7" in zh_numbers("第七次会议")
    assert {"n:3", "n:29", "n:31"} <= en_numbers("from March 29 to 31") and "w:7" in en_numbers("the Seventh Meeting")
    assert "n:1000" in en_numbers("over 1,000 companies") and "n:3" in en_numbers("three groups")
    assert _pair_cost("5月8日举行会议。", "The meeting was held on May 8.") < \
        _pair_cost("3月29日举行会议。", "The meeting was held on May 8.") - 0.5


def test_pinyin_name_and_latin_anchors():
    assert "wangwen" in en_name_keys("Wang Wen led a team") and "chongqing" in en_name_keys("in Chongqing")
    keys, prefixes = name_index([en_features("Wang Wen and Chongqing")])
    assert zh_name_hits("王雯一行赴重庆", keys, prefixes) == {"wangwen", "chongqing"}
    assert zh_latin("深度参与RCEP、APEC等机制") == {"l:rcep", "l:apec"}
    assert _pair_cost("张玲出席会议。", "Zhang Ling attended the meeting.") < \
        _pair_cost("王雯出席会议。", "Zhang Ling attended the meeting.") - 0.5
    assert _pair_cost("我们参加了RCEP会议。", "We attended the RCEP meeting.") < \
        _pair_cost("我们参加了APEC会议。", "We attended the RCEP meeting.") - 0.5


def test_glossary_pairs_are_anchors():
    g = GlossaryAnchors([("川促会", "SUCPEB"), ("渝促会", "CQPEB")])
    z = zh_features("川促会召开会议。", g)
    e = en_features("The SUCPEB held a meeting.", g)
    assert z.anchors & e.anchors == {"g:0"}
    assert _pair_cost("川促会召开会议。", "The SUCPEB held a meeting.", g) < \
        _pair_cost("川促会召开会议。", "The SUCPEB held a meeting.") - 0.5


def _pair_cost(zh: str, en: str, glossary=None) -> float:
    """Cost of the 1-1 bead zh↔en inside a two-sentence context (lower = more likely a translation)."""
    from glossary.align.cost import CostModel, Params
    from glossary.text.normalize import to_simplified

    ef = [en_features(en, glossary), en_features("Unrelated filler text about weather.", glossary)]
    zf = [zh_features(to_simplified(zh), glossary, names=name_index(ef)), zh_features("天气很好。", glossary)]
    return CostModel(zf, ef, Params())(0, 1, 0, 1)


def test_untranslated_sentence_in_the_middle_is_left_out():
    zh = ["3月29日,王雯率队赴广西调研。", "会议强调,要坚持党的全面领导,深入学习贯彻党的二十大精神。", "张玲出席活动并致辞。"]
    en = ["On March 29, Wang Wen led a team to Guangxi for a survey.",
          "Zhang Ling attended the event and delivered a speech."]
    assert [b.link() for b in align_sentences(zh, en)] == ["[0]:[0]", "[1]:[]", "[2]:[1]"]


def test_dictionary_evidence_prefers_translation():
    # no numbers, names or Latin tokens: only CC-CEDICT glosses tell these apart
    assert _pair_cost("双方一致认为应加强合作。", "Both sides agreed to strengthen cooperation.") < \
        _pair_cost("会议在外事大楼举行。", "Both sides agreed to strengthen cooperation.") - 1.0


def test_seed_gold_quality_beats_gale_church():
    res = evaluate()
    ours, gc = res["overall"]["ours"], res["overall"]["gale_church"]
    assert ours["strict_f1"] >= 0.88 and ours["lax_f1"] >= 0.95
    assert ours["strict_f1"] > gc["strict_f1"] + 0.3
    for seed, row in res["seeds"].items():
        assert row["ours"]["lax_f1"] >= 0.9, seed


def test_no_paragraph_information_still_aligns_seeds():
    """Presplit input (no blocks) goes through the anchored walk; quality stays close to the block path."""
    from glossary.align.aligner import Unit, align_units
    from glossary.evaluation.align import GOLD_DIR, load_gold
    from glossary.text.clean import match_form

    test, gold, off = [], [], 0
    for path in sorted(GOLD_DIR.glob("*.json")):
        d = load_gold(path)
        beads = align_units([Unit(t, match_form(t)) for t in d["zh"]], [Unit(t) for t in d["en"]], use_blocks=False)
        assert [i for b in beads for i in b.zh] == list(range(len(d["zh"])))
        assert [j for b in beads for j in b.en] == list(range(len(d["en"])))
        test += [(tuple(i + off for i in b.zh), tuple(j + off for j in b.en)) for b in beads]
        gold += [(tuple(i + off for i in z), tuple(j + off for j in e)) for z, e in d["gold"]]
        off += 100_000
    s = score(test, gold)
    assert s["strict_f1"] >= 0.85 and s["lax_f1"] >= 0.95


def test_inserted_untranslated_stretch_is_left_unpaired():
    from glossary.evaluation.align import GOLD_DIR, load_gold

    d = load_gold(GOLD_DIR / "000.json")
    extra = load_gold(GOLD_DIR / "001.json")["zh"][5:17]  # 12 unrelated Chinese sentences
    zh = d["zh"][:3] + extra + d["zh"][3:]
    beads = [(tuple(b.zh), tuple(b.en)) for b in align_sentences(zh, d["en"])]
    k = len(extra)
    expected = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))] + [((3 + t,), ()) for t in range(k)] + \
        [((3 + k,), (3,)), ((4 + k,), (4,)), ((5 + k,), (5,))]
    assert beads == expected
