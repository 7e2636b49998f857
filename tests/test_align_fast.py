"""Aligner fast paths: each optimised routine gives exactly what its plain reference gives, on the seeds and fuzz."""

from __future__ import annotations

import itertools
import math
import re
from math import fsum
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.align.cost import CostModel, Params
from glossary.align.anchors import _EN_NUM_WORD_RE, _EN_NUM_WORDS, _LETTER_RUN_RE, en_features, name_index, zh_features
from glossary.align.dictionary import _longest_matches, _prefix_table, _walk_prefixes, cedict
from glossary.read.mixed import line_lang, split_blocks
from glossary.text.clean import match_form
from glossary.text.sentences import _WORD_BEFORE, _word_before, sentences

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _seed_blocks():
    out = []
    for f in sorted(SEEDS.glob("*.txt")):
        out.extend(split_blocks(f.read_text(encoding="utf-8")))
    return out


BLOCKS = _seed_blocks()
ZH = [match_form(s) for b in BLOCKS if b.lang == "zh" for s in sentences(b.text, "zh")]
EN = [s for b in BLOCKS if b.lang == "en" for s in sentences(b.text, "en")]


def test_seeds_have_both_languages():
    assert len(ZH) > 100 and len(EN) > 100


def test_prefix_walk_equals_plain_longest_match_on_seeds():
    lex = cedict()
    assert [_walk_prefixes(s, _prefix_table()) for s in ZH] == [_longest_matches(s, lex, None) for s in ZH]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="中国人民共和国发展合作经济会议主席习近平的了在和与一二三十年月日，。ABC 12", max_size=40))
def test_prefix_walk_equals_plain_longest_match_fuzz(text):
    assert _walk_prefixes(text, _prefix_table()) == _longest_matches(text, cedict(), None)


def _number_words_by_regex(text: str) -> list[str]:
    return _EN_NUM_WORD_RE.findall(text)


def _number_words_by_runs(text: str) -> list[str]:
    return [w for w in _LETTER_RUN_RE.findall(text) if w.lower() in _EN_NUM_WORDS]


def test_number_word_lookup_equals_regex_on_seeds():
    assert any(_number_words_by_regex(s) for s in EN)
    assert [_number_words_by_runs(s) for s in EN] == [_number_words_by_regex(s) for s in EN]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="March one Two tenth FIFTY Jan mayx 3rd-é\u00df.", max_size=40))
def test_number_word_lookup_equals_regex_fuzz(text):
    assert _number_words_by_runs(text) == _number_words_by_regex(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ. x?1\u4e00Mr.U.S\t", max_size=16), st.integers(0, 16))
def test_word_before_equals_regex(text, end):
    end = min(end, len(text))
    m = _WORD_BEFORE.search(text[:end])
    assert _word_before(text, end) == (m.group(1) if m else None)


def test_line_lang_counts_match_regex_counts():
    han = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
    latin = re.compile(r"[A-Za-z]")

    def reference(line: str) -> str:
        h, a = len(han.findall(line)), len(latin.findall(line))
        return "other" if h == 0 and a == 0 else "zh" if h * 3 >= a else "en"

    lines = [ln.strip() for f in sorted(SEEDS.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines()]
    lines += ["", "123 …", "ＡＢＣ 中文", "naïve café 中", "\udcff x"]
    langs = [line_lang(ln) for ln in lines]
    assert langs == [reference(ln) for ln in lines]
    assert {"zh", "en", "other"} <= set(langs)


# ----------------------------------------------------------------------------- interned evidence vs sets


def _weights(zf, ef):
    """Document-frequency weights of zh dictionary words and English stems, with plain dicts."""
    zdf: dict = {}
    for f in zf:
        for g in set(f.words):
            zdf[g] = zdf.get(g, 0) + 1
    edf: dict = {}
    for f in ef:
        for s in f.stems:
            edf[s] = edf.get(s, 0) + 1
    zw = {g: 1.0 / (1.0 + math.log(c)) for g, c in zdf.items()}
    ew = {s: 1.0 / (1.0 + math.log(c)) for s, c in edf.items()}
    return zw, ew


def _reference_evidence(zf, ef, weights, i0, a, j0, b):
    """The bead evidence written with plain string sets (the definition the interned masks must reproduce)."""
    zw, ew = weights
    stems = frozenset().union(*(f.stems for f in ef[j0:j0 + b]))
    anchors = frozenset().union(*(f.anchors for f in ef[j0:j0 + b]))
    names = frozenset().union(*(f.names for f in ef[j0:j0 + b]))
    numbers = frozenset().union(*(f.numbers for f in ef[j0:j0 + b]))
    dict_hits, anchor_hits = 0.0, 0
    for z in zf[i0:i0 + a]:
        d = 0.0
        for g in z.words:
            if g & stems:
                d += zw[g]
        dict_hits += d
        anchor_hits += len(z.anchors & anchors) + len(z.names & names)
    gl = frozenset().union(*(g for z in zf[i0:i0 + a] for g in z.words))
    en_hits = fsum([ew[s] for s in gl & stems])
    zs = sum(sum(zw[g] for g in z.words) for z in zf[i0:i0 + a])
    es = sum(fsum(ew[s] for s in f.stems) for f in ef[j0:j0 + b])
    dice = (dict_hits + en_hits) / (zs + es) if zs + es else 0.0
    znum = frozenset(x for z in zf[i0:i0 + a] for x in z.numbers if x.startswith("n:"))
    return dice, min(anchor_hits, 4 * max(a, b)), len(znum - numbers)


@pytest.mark.parametrize("seed_file", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_interned_evidence_equals_set_evidence(seed_file):
    blocks = split_blocks((SEEDS / seed_file).read_text(encoding="utf-8"))
    zh = [match_form(s) for b in blocks if b.lang == "zh" for s in sentences(b.text, "zh")]
    en = [s for b in blocks if b.lang == "en" for s in sentences(b.text, "en")]
    ef = [en_features(s) for s in en]
    names = name_index(ef)
    zf = [zh_features(s, names=names) for s in zh]
    model = CostModel(zf, ef, Params())
    weights = _weights(zf, ef)
    checked = matched = 0
    for i0 in range(len(zf)):
        for a in (1, 2):
            for j0 in range(max(0, i0 - 6), min(len(ef), i0 + 12)):
                for b in (1, 2, 3):
                    if i0 + a > len(zf) or j0 + b > len(ef):
                        continue
                    got = model.evidence(i0, a, j0, b)
                    want = _reference_evidence(zf, ef, weights, i0, a, j0, b)
                    assert got[1:] == want[1:], (i0, a, j0, b)
                    assert got[0] == pytest.approx(want[0], abs=1e-12), (i0, a, j0, b)
                    checked += 1
                    matched += got[0] > 0.3
    assert checked > 100 and matched > 5


# ----------------------------------------------------------------------------- specialised bead DP vs dp_align


def _seed_model(seed_file, ratio=None):
    blocks = split_blocks((SEEDS / seed_file).read_text(encoding="utf-8"))
    zh = [(match_form(s), bi) for bi, b in enumerate(blocks) if b.lang == "zh" for s in sentences(b.text, "zh")]
    en = [(s, bi) for bi, b in enumerate(blocks) if b.lang == "en" for s in sentences(b.text, "en")]
    ef = [en_features(s) for s, _ in en]
    names = name_index(ef)
    zf = [zh_features(s, names=names) for s, _ in zh]
    model = CostModel(zf, ef, Params(), [b for _, b in zh], [b for _, b in en], ratio=ratio)
    return model


def test_model_dp_equals_bounded_dp_align_on_seeds():
    """Same beads and the same per-bead costs (bit for bit), whole documents, windows and narrow bands, two
    length ratios (one far off, so that skips and multi-sentence beads win often)."""
    from glossary.align.beads import diagonal_band, dp_align
    from glossary.align.search import model_dp

    kinds = set()
    for seed_file, ratio in itertools.product(sorted(p.name for p in SEEDS.glob("*.txt")), (None, 6.0)):
        model = _seed_model(seed_file, ratio)
        n, m = model.n, model.m
        cases = [(0, 0, n, m, None)]
        for w in (2, 5):
            cases.append((0, 0, n, m, diagonal_band(n, m, w)))
        for i0 in range(0, max(1, n - 6), 5):
            j0 = min(m - 1, i0)
            cases.append((i0, j0, min(7, n - i0), min(9, m - j0), None))
        for i0, j0, a, b, band in cases:
            want = dp_align(a, b, model, band, offset=(i0, j0), bounded=True)
            got = model_dp(a, b, model, band, offset=(i0, j0))
            assert [(x.zh_start, x.zh_end, x.en_start, x.en_end, x.cost) for x in got] == \
                   [(x.zh_start, x.zh_end, x.en_start, x.en_end, x.cost) for x in want], (ratio, i0, j0, a, b)
            kinds |= {x.kind for x in got}
    assert {"1-1", "1-0", "0-1"} <= kinds and kinds - {"1-1", "1-0", "0-1"}  # multi-sentence beads were exercised


def test_model_dp_breaks_ties_like_dp_align():
    """A model whose beads all cost the same (no words, equal lengths, skip = 1-1 cost): only the tie rule decides."""
    from glossary.align.anchors import Features
    from glossary.align.beads import dp_align
    from glossary.align.search import model_dp

    for skip in (0.0, 0.5, 1.0, 2.0):
        zf = [Features(length=10, anchors=frozenset()) for _ in range(6)]
        ef = [Features(length=10, anchors=frozenset()) for _ in range(7)]
        p = Params(skip=skip, lex_threshold=0.0, prior={k: 0.0 for k in Params().prior}, orphan=0.0, cross_block=0.0)
        model = CostModel(zf, ef, p, ratio=1.0)
        want = dp_align(6, 7, model, bounded=True)
        got = model_dp(6, 7, model)
        assert [(x.zh_start, x.zh_end, x.en_start, x.en_end, x.cost) for x in got] == \
               [(x.zh_start, x.zh_end, x.en_start, x.en_end, x.cost) for x in want], skip


def _en_numbers_reference(text: str) -> set[str]:
    """en_numbers as first written: every letter run lower-cased and looked up."""
    from glossary.align.anchors import _NUM_RE, _ORD_RE, EN_NUMBERS, MONTHS, _num_key

    out = {"n:" + _num_key(m) for m in _NUM_RE.findall(text)}
    if out:
        out |= {"n:" + _num_key(m) for m in _ORD_RE.findall(text)}
    for w in _LETTER_RUN_RE.findall(text):
        lw = w.lower()
        if lw in MONTHS and w[0].isupper():
            out.add(f"n:{MONTHS[lw]}")
        if lw in EN_NUMBERS:
            out |= {f"w:{EN_NUMBERS[lw]}", f"n:{EN_NUMBERS[lw]}"}
    return out


def _en_anchors_reference(text: str) -> frozenset[str]:
    from glossary.align.anchors import _LATIN_RE

    return frozenset(_en_numbers_reference(text) | {"l:" + t.lower() for t in _LATIN_RE.findall(text) if len(t) >= 2})


def test_en_numbers_and_anchors_equal_reference_on_seeds():
    from glossary.align.anchors import en_numbers

    assert [en_numbers(s) for s in EN] == [_en_numbers_reference(s) for s in EN]
    assert [en_features(s).anchors for s in EN] == [_en_anchors_reference(s) for s in EN]
    assert any("w:" in x for s in EN for x in en_numbers(s))  # number words were exercised


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="March one Two tenth FIFTY 3rd 12,5 İı K-&+ABC é\u00df.", max_size=40))
def test_en_numbers_and_anchors_equal_reference_fuzz(text):
    from glossary.align.anchors import en_numbers

    assert en_numbers(text) == _en_numbers_reference(text)
    assert en_features(text).anchors == _en_anchors_reference(text)


def test_feature_memo_returns_the_features_of_a_fresh_analysis():
    from glossary.align.anchors import FeatureMemo, GlossaryAnchors, en_features_memo, zh_features_memo

    g = GlossaryAnchors([("区域全面经济伙伴关系协定", "Regional Comprehensive Economic Partnership")])
    names = name_index([en_features(s) for s in EN])
    for glossary in (None, g):
        for _ in range(2):  # the second pass is served from the memo
            for s in EN:
                assert en_features_memo(s, glossary) == en_features(s, glossary)
            for s in ZH:
                assert zh_features_memo(s, glossary, names) == zh_features(s, glossary, names=names)
    assert g.memo.zh and g.memo.en  # the glossary's features live in its own memo
    memo = FeatureMemo(limit=3)
    for k in range(7):
        memo.put(memo.en, str(k), k)
        assert len(memo.en) <= 3


def test_name_hits_through_start_filter_equal_the_full_walk():
    from glossary.align.anchors import zh_name_hits

    names = name_index([en_features(s) for s in EN] + [en_features("Wang Wen met Li Qiang in Chongqing and Xiamen")])
    keys, prefixes = names
    assert prefixes == frozenset({k[:i] for k in keys for i in range(1, len(k))})
    found = 0
    for s in ZH + ["王雯与李强在重庆、厦门会面", "王", "", "a王雯"]:
        got = zh_name_hits(s, keys, prefixes, names.starts)
        assert got == zh_name_hits(s, keys, prefixes)
        found += bool(got)
    assert found > 10
