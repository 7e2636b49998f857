"""Mining speed-ups keep the output: compact valid-span bits, name sources and the fallback computed apart."""

from pathlib import Path

from glossary.ingest import iter_input_files, read_aligned
from glossary.mine import en_candidates as enc
from glossary.mine import miner
from glossary.mine.pairing import local_spans, profile

ROOT = Path(__file__).resolve().parents[1]


def _seed_pairs():
    return [p for f in iter_input_files([ROOT / "seeds"]) for p in read_aligned(f).pairs]


def _reference_spans(tokens, max_len: int = enc.MAX_SPAN) -> set[tuple[int, int]]:
    """The span rule written out plainly (the set the bit encoding must reproduce)."""
    spans: set[tuple[int, int]] = set()
    n = len(tokens)
    for a in range(n):
        if tokens[a].stop:
            continue
        inner = 0
        for b in range(a, min(n, a + max_len)):
            tb = tokens[b]
            if b > a and tb.brk:
                break
            if tb.stop:
                if tb.text.lower() not in enc.INNER_STOPWORDS:
                    break
                inner += 1
                if inner > 2:
                    break
                continue
            spans.add((a, b))
    return spans


def test_valid_span_bits_encode_exactly_the_valid_spans():
    checked = 0
    for p in _seed_pairs():
        toks = enc.tokenize(p.en)
        spans = _reference_spans(toks)
        assert enc.valid_spans(toks) == spans
        bits = enc.valid_span_bits(toks)
        n = len(toks)
        got = {(a, b) for a in range(n) for b in range(a, n + 3) if enc.span_bit_set(bits, a, b)}
        assert got == spans
        checked += len(spans)
    assert checked > 1000


def test_local_spans_same_with_bits_or_set():
    pairs = _seed_pairs()
    same = 0
    for z in ("西部陆海新通道", "重庆", "王雯", "外办", "钦州港片区", "合作"):
        for p in pairs:
            toks = enc.tokenize(p.en)
            a = local_spans(profile(z), toks, _reference_spans(toks))
            assert a == local_spans(profile(z), toks, enc.valid_span_bits(toks))
            same += bool(a)
    assert same > 10  # real matches were compared, not only empty lists


def test_name_sources_given_or_computed_give_the_same_candidates():
    pairs = _seed_pairs()
    texts = [p.zh_norm or p.zh for p in pairs]
    stats1, occ1 = miner.zhc.collect_words((miner.zhc.cut_words(t), [miner.zhc.word_tag(w)[0] for w in
                                             miner.zhc.cut_words(t)]) for t in texts)
    stats2, occ2 = miner.zhc.collect_words((miner.zhc.cut_words(t), [miner.zhc.word_tag(w)[0] for w in
                                             miner.zhc.cut_words(t)]) for t in texts)
    miner._add_name_candidates(texts, stats1, occ1)
    miner._add_name_candidates(texts, stats2, occ2, miner._name_sources(texts))
    assert list(occ1.items()) == list(occ2.items())
    assert len(occ1) > 100 and any(len(z) >= 3 for z in miner._name_sources(texts)[0])
