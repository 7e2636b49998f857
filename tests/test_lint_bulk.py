"""The bulk (numpy) English scan and near-match prefilters decide exactly as the per-match Python loops did.

Each reference below is the Python loop the bulk code replaced, kept verbatim in spirit: random drafts built
from glossary terms, their casing/hyphen/spelling variants, words running into a key (the _shorter path),
sentence marks, line breaks and CJK must give the same spans, the same loud matches and the same findings.
"""

from __future__ import annotations

from bisect import bisect_left

from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.data import EntryData, TermData
from glossary.lint.checks import check_near_misses
from glossary.lint.nearmiss import best_window, overlaps, wordwise
from glossary.lint.anchors import iter_anchors
from glossary.lint.keyscan import _shorter, _spans_lean, caseless
from glossary.lint.matcher import compile_glossary
from glossary.lint.views import _TRAIL_OK, _en_view_strings, _lower_same_length, en_view, view_arrays
from glossary.lint.source import Region, SourceFile, has_han


def entry(*terms):
    return EntryData([TermData(lang, text, ttype, status) for lang, text, ttype, status in terms], status="approved")


G = compile_glossary([
    entry(("zh", "走廊", "fullForm", "preferred"), ("en", "Trade Corridor", "fullForm", "preferred")),
    entry(("zh", "政策", "fullForm", "preferred"), ("en", "policy", "fullForm", "preferred")),
    entry(("zh", "试点", "fullForm", "preferred"), ("en", "trade zone pilot", "fullForm", "preferred")),
    entry(("zh", "贸易区", "fullForm", "preferred"), ("en", "trade zone", "fullForm", "preferred")),
    entry(("zh", "陆海新通道", "fullForm", "preferred"),
          ("en", "New International Land-Sea Trade Corridor", "fullForm", "preferred"),
          ("en", "New Western Land-Sea Corridor", "fullForm", "deprecated"),
          ("en", "ILSTC", "acronym", "admitted")),
    entry(("zh", "邮件", "fullForm", "preferred"), ("en", "e-mail", "fullForm", "preferred"),
          ("en", "email", "fullForm", "admitted")),
    entry(("zh", "检查员", "fullForm", "preferred"), ("en", "level-II inspector", "fullForm", "preferred")),
    entry(("zh", "海关", "fullForm", "preferred"), ("en", "U.S. Zoning Bureau", "fullForm", "preferred")),
    entry(("zh", "自贸区", "fullForm", "preferred"), ("en", "Pilot Free Trade Zone Office", "fullForm", "preferred")),
    entry(("zh", "人民政府", "fullForm", "preferred"), ("en", "people's government", "fullForm", "preferred")),
    entry(("zh", "过气", "fullForm", "preferred"), ("en", "has-been", "fullForm", "preferred")),
    entry(("zh", "人民", "fullForm", "preferred"), ("en", "people's", "fullForm", "preferred")),
])

TOKENS = ["Trade Corridor", "trade corridor", "TRADE CORRIDOR", "Trade-Corridor", "trade\ncorridor", "policy",
          "Policy", "policies", "policyx", "trade zone pilot", "trade zone pilotx", "trade zone", "trade zonex",
          "New International Land-Sea Trade Corridor", "new international land sea trade corridor",
          "New International Land-Sea Trade Coridor", "New Western Land-Sea Corridor", "ILSTC", "ilstc", "ILSTCs",
          "e-mail", "email", "E-mail", "level-II inspector", "level-2 inspector", "Level II Inspektor",
          "U.S. Zoning Bureau", "US Zoning Bureaux", "Pilot Free Trade Zone Office", "pilot free trade zone ofice",
          "Pilot Free Trade Zone", "the", "of", "land", "sea", "corridor", "zone", "office", "bureau", ",", ".", ";",
          " ", "\n", "\n\n", "调用", "’s", "'s", "-", "x", "2", "People's Government", "people’s government",
          "PEOPLE'S GOVERNMENT", "people's government", "Has-Been", "has been", "has-been", "People's", "\u212aey"]


def _reference_spans_lean(auto, padded, same, low):
    """The per-match loop _spans_lean replaced (a quiet match of a QUIET_FIRST group is loud the first time)."""
    starts, ends, loud = [], [], []
    seen = set()
    for i, start, end in auto.find(padded):
        value = auto.values[i]
        last = end - 1
        if padded[end] in _TRAIL_OK:
            starts.append(start)
            ends.append(last)
            q = value[4]
            if q is not None:
                quiet = low.startswith(q, start)
            else:
                q = value[3]
                quiet = q is not None and (low if caseless(q) else same).startswith(q, start)
            if quiet:
                if value[5] < 0 or value[5] in seen:
                    continue
                seen.add(value[5])
            loud.append((start, last, value))
            continue
        value, end = _shorter(auto, padded, start, last + 1)
        if value is None:
            continue
        starts.append(start)
        ends.append(end - 1)
        if value[5] < 0 and ((value[3] is not None and same.startswith(value[3], start))
                             or (value[4] is not None and low.startswith(value[4], start))):
            continue
        loud.append((start, end - 1, value))
    return starts, ends, loud


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from([" ", "", "\n", "-"]))
def test_bulk_lean_scan_equals_the_per_match_loop(tokens, sep):
    text = sep.join(tokens)
    view = en_view(text)
    padded = " " + view.norm + " "
    low = _lower_same_length(view.same)
    want = _reference_spans_lean(G.en_auto, padded, view.same, low)
    # the numpy view's arrays, and the same worked out from the reference view's strings
    for v in (view, _en_view_strings(text)):
        starts, ends, (loud_starts, loud_ends, values) = _spans_lean(G.en_auto, padded, v)
        assert (starts.tolist(), ends.tolist()) == (want[0], want[1])
        assert list(zip(loud_starts.tolist(), loud_ends.tolist())) == [(s, e) for s, e, _ in want[2]]
        assert len(values) == len(want[2]) and all(a is b for a, (_, _, b) in zip(values, want[2]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS + ["ILSTC (", "ILSTC, the ", ")"]), max_size=30),
       st.sampled_from([" ", "\n", ", "]))
def test_lean_scan_leaves_out_only_matches_no_check_uses(tokens, sep):
    """The English-only checks report the same on the lean scan's matches as on every match (quiet ones
    skipped, only the first full form / acronym of a concept with acronyms kept)."""
    from glossary.lint.checks import check_acronyms, check_inconsistent, check_spelling, check_status

    text = sep.join(tokens)
    f = SourceFile("d.txt", text)
    lean, full = G.scan_en(text, 0, f, lean=True).matches, G.scan_en(text, 0, f).matches
    assert len(lean) <= len(full)
    for check in (check_status, check_spelling, check_acronyms, check_inconsistent):
        assert check(lean) == check(full)


def test_lean_scan_keeps_the_first_full_form_and_acronym():
    text = ("ILSTC was named. The New International Land-Sea Trade Corridor and the New International "
            "Land-Sea Trade Corridor, ILSTC and ILSTC again.")
    f = SourceFile("d.txt", text)
    got = [m.surface for m in G.scan_en(text, 0, f, lean=True).matches]
    assert got == ["ILSTC", "New International Land-Sea Trade Corridor"]
    assert len(G.scan_en(text, 0, f).matches) == 5


def _reference_near(g, region, sc, threshold=90.0):
    """The per-anchor loop check_near_misses replaced: (start, end, message) of each finding."""
    norm = sc.view.norm
    starts, ends = sc.starts, sc.ends
    seen, out = set(), []
    for p, e, items in iter_anchors(g, norm):
        k = bisect_left(starts, e) - 1
        if k >= 0 and ends[k] > p:
            continue
        before, after = norm[max(0, p - 16):p], norm[e:e + 16]
        for ni, j, prev3, next3 in items:
            if (prev3 and prev3 not in before) or (next3 and next3 not in after):
                continue
            item = g.nears[ni]
            best = best_window(norm, p, e, j, item, threshold)
            if best is None:
                continue
            s, t_end, text = best
            if (s, t_end) in seen or text in g.known_en or overlaps(ends, starts, s, t_end) \
                    or not wordwise(text, item.words):
                continue
            seen.add((s, t_end))
            o_start, o_end = sc.view.span(s, t_end)
            out.append((o_start + region.start, o_end + region.start, item.term.text))
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from([" ", "\n", " the "]))
def test_bulk_near_match_filters_keep_every_finding(tokens, sep):
    text = sep.join(tokens)
    f = SourceFile("d.txt", text)
    region = Region(f, 0, len(text))
    sc = G.scan_en(text, 0, f, lean=True)
    got = [(x.start, x.end, x.suggestion) for x in check_near_misses(G, [(region, sc)], 90.0)]
    want = [(s, e, f"use '{term}'") for s, e, term in _reference_near(G, region, sc)]
    assert got == want


def test_near_match_reference_finds_variants():
    """The drafts above do reach near-match findings (so the comparison is not between two empty lists)."""
    text = "They met the level-II inspektor, then the New International Land-Sea Trade Coridor."
    f = SourceFile("d.txt", text)
    region = Region(f, 0, len(text))
    sc = G.scan_en(text, 0, f, lean=True)
    got = [x.match for x in check_near_misses(G, [(region, sc)], 90.0)]
    assert got == ["level-II inspektor", "New International Land-Sea Trade Coridor", "Trade Coridor"]
    assert len(_reference_near(G, region, sc)) == 3


VIEW_CHARS = ["a", "B", "policy", " ", "  ", "\n", "\n\n", "-", "\u2019", "'", "\u0130", "\u00e9", "\u0142", "调用",
              "\u03a3", "\u212a", "\u1e9e", ".", ",", "x", "Ab", "\t", "\0", "\U0001f600"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VIEW_CHARS), max_size=30))
def test_numpy_en_view_equals_the_string_view(tokens):
    """en_view (numpy over code points) gives the string implementation's norm, offset map and `same`, and
    arrays equal to those worked out from its strings (diffs: where the lower-cased `same` differs)."""
    text = "".join(tokens)
    got, want = en_view(text), _en_view_strings(text)
    assert (got.norm, got._at, got._shift, got.same) == (want.norm, want._at, want._shift, want.same)
    for a, b in zip(got.arrays(), view_arrays(want.norm, want.same)):
        assert a.tolist() == b.tolist()
    assert got.han == has_han(text)
    assert [got.orig(i) for i in range(len(got.norm) + 1)] == [want.orig(i) for i in range(len(want.norm) + 1)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from([" ", "\n", " the ", ", "]))
def test_anchor_search_with_matches_blanked_finds_exactly_the_free_hits(tokens, sep):
    """anchor_hits with the exact matches' spans blanked = every hit, less those overlapping a match."""
    from glossary.lint.anchors import anchor_hits
    import numpy as np

    text = sep.join(tokens)
    sc = G.scan_en(text, 0, None, lean=True)
    norm = sc.view.norm
    p, e, key = anchor_hits(G, norm)
    want = [(a, b, k) for a, b, k in zip(p.tolist(), e.tolist(), key.tolist())
            if not overlaps(sc.ends, sc.starts, a, b)]
    got = anchor_hits(G, norm, np.asarray(sc.starts, np.int64), np.asarray(sc.ends, np.int64))
    assert list(zip(*(x.tolist() for x in got))) == want
    if norm.isascii() and len(sc.starts):
        assert len(want) < len(p) or not any(overlaps(sc.ends, sc.starts, a, b) for a, b in zip(p, e))


def _reference_gram_near(cp, at, code, length, before):
    """The gram filter as it was: every candidate gram packed from the code points, per item and offset."""
    import numpy as np
    from glossary.lint.anchors import gram_codes

    out = length == 0
    for n in (1, 2, 3):
        sel = np.flatnonzero(length == n)
        if len(sel):
            d = np.arange(16 - n + 1)
            pos = at[sel, None] - n - d[None, :] if before else at[sel, None] + d[None, :]
            out[sel] = (gram_codes(cp, pos, n) == code[sel, None]).any(axis=1)
    return out


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab c.\u00e9\u024f", min_size=1, max_size=60), st.lists(st.tuples(st.integers(0, 70),
       st.text(alphabet="abc.\u00e9\u024f\u0250", max_size=3)), max_size=20), st.booleans())
def test_packed_gram_tables_decide_as_the_per_item_codes(text, items, before):
    """_gram_near (one packed n-gram table per text) keeps exactly the items the per-item packing kept,
    next to both ends of the text and for grams with a character no norm text holds (U+0250)."""
    import numpy as np
    from glossary.lint.nearmiss import _gram_near
    from glossary.lint.anchors import _gram_code

    cp = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    at = np.array([min(a, len(text)) for a, _ in items], np.int64)
    code = np.array([_gram_code(g) for _, g in items], np.int64)
    length = np.array([len(g) for _, g in items], np.int64)
    want = _reference_gram_near(cp, at, code, length, before)
    assert _gram_near(cp, at, code, length, before).tolist() == want.tolist()
    plain = [g in (text[max(0, a - 16):a] if before else text[a:a + 16]) for a, g in zip(at.tolist(), (g for _, g in items))]
    assert want.tolist() == plain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcde .,\u00e9\u024f0", min_size=1, max_size=40),
       st.text(alphabet="abcde \u00e91", min_size=1, max_size=30), st.integers(0, 39), st.integers(1, 40),
       st.sampled_from([70.0, 90.0, 95.0]))
def test_character_class_bound_never_drops_a_window_that_scores(text, key, s, n, threshold):
    """_could_score drops a window only when fuzz.ratio against the key and its plural stays below the
    threshold (it bounds the common subsequence by character-class counts)."""
    import numpy as np
    from rapidfuzz import fuzz

    from glossary.lint.nearmiss import _could_score
    from glossary.lint.concepts import Near, plural

    class _G:
        nears = [Near(None, None, key.split(" "), key, plural(key), frozenset())]

    s = min(s, len(text) - 1)
    t = min(s + n, len(text))
    windows = np.array([[t], [-1], [s + 1 if s + 1 <= len(text) else -1]], np.int64)
    cp = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    before = windows.copy()
    kept = _could_score(_G, cp, np.array([s], np.int64), windows, np.array([0], np.int64), threshold)
    for w in range(3):
        end = int(before[w, 0])
        if end < 0:
            continue
        best = max(fuzz.ratio(text[s:end], key), fuzz.ratio(text[s:end], plural(key)))
        if best >= threshold:
            assert windows[w, 0] == end and kept[0]
    assert bool(kept[0]) == bool((windows[:, 0] >= 0).any())


def test_character_class_bound_keeps_close_windows_and_drops_far_ones():
    import numpy as np

    from glossary.lint.nearmiss import _could_score
    from glossary.lint.concepts import Near, plural

    key = "trade corridor"

    class _G:
        nears = [Near(None, None, key.split(" "), key, plural(key), frozenset())]

    text = "the trade coridor and the tariff code bureau"
    cp = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    s = np.array([4, 26], np.int64)
    windows = np.array([[17, 37], [-1, -1], [21, 44]], np.int64)
    kept = _could_score(_G, cp, s, windows, np.array([0, 0], np.int64), 90.0)
    assert kept.tolist() == [True, False]
    assert windows[:, 0].tolist() == [17, -1, -1] and windows[:, 1].tolist() == [-1, -1, -1]
