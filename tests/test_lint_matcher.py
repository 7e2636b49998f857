"""Lint matcher: variant expansion, word boundaries next to CJK, longest match, line breaks, Chinese offsets."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.data import EntryData, TermData
from glossary.lint.concepts import en_variants
from glossary.lint.matcher import compile_glossary
from glossary.lint.views import en_view, zh_view


def entry(*terms) -> EntryData:
    return EntryData([TermData(*t) for t in terms], status="approved")


CORRIDOR = entry(("zh", "西部陆海新通道", "fullForm", "preferred"),
                 ("en", "New International Land-Sea Trade Corridor", "fullForm", "preferred"),
                 ("en", "ILSTC", "acronym", "preferred"),
                 ("en", "New Western Land-Sea Corridor", "fullForm", "deprecated"))
TRADE = entry(("zh", "贸易走廊", "fullForm", "preferred"), ("en", "Trade Corridor", "fullForm", "preferred"))
API = entry(("zh", "应用程序接口", "fullForm", "preferred"), ("en", "API", "acronym", "preferred"),
            ("en", "application programming interface", "fullForm", "admitted"))
EMAIL = entry(("zh", "电子邮件", "fullForm", "preferred"), ("en", "e-mail", "fullForm", "preferred"))
POLICY = entry(("zh", "政策", "fullForm", "preferred"), ("en", "policy", "fullForm", "preferred"))
G = compile_glossary([CORRIDOR, TRADE, API, EMAIL, POLICY])


def found(text: str) -> list[tuple[str, str, str]]:
    return [(text[m.start:m.end], m.term.text, m.form) for m in G.match_en(text)]


def test_variants_expanded_at_compile_time():
    v = en_variants(TermData("en", "Land-Sea Corridor"))
    assert v == {"land sea corridor": "base", "land sea corridors": "plural", "landsea corridor": "closed",
                 "landsea corridors": "closed plural"}
    assert en_variants(TermData("en", "Trade Corridor")) == {"trade corridor": "base", "trade corridors": "plural"}
    assert en_variants(TermData("en", "e-mail")) == {"e mail": "base", "e mails": "plural", "email": "closed",
                                                     "emails": "closed plural"}
    assert en_variants(TermData("en", "policy"))["policies"] == "plural"
    assert en_variants(TermData("en", "ILSTC", "acronym"))["ILSTCs".lower()] == "plural"


def test_plural_possessive_hyphen_space_closed_and_case():
    text = ("The new international land sea trade corridors' ports, the ILSTC’s role, two policies, "
            "an email and an E-Mail, and the Trade Corridor's plan.")
    got = found(text)
    assert got == [
        ("new international land sea trade corridors'", "New International Land-Sea Trade Corridor", "plural"),
        ("ILSTC’s", "ILSTC", "base"),
        ("policies", "policy", "plural"),
        ("email", "e-mail", "closed"),
        ("E-Mail", "e-mail", "base"),
        ("Trade Corridor's", "Trade Corridor", "base"),
    ]


def test_acronyms_are_case_sensitive():
    assert found("ilstc and Ilstc are not acronyms; ILSTCs are") == [("ILSTCs", "ILSTC", "plural")]


def test_word_boundaries_work_next_to_cjk():
    assert found("调用API接口") == [("API", "API", "base")]
    assert found("xAPI, APIx, rapid, API2 but (API).") == [("API", "API", "base")]
    assert found("policymakers and impolicy") == []


def test_longest_match_wins():
    got = found("the New International Land-Sea Trade Corridor and a Trade Corridor")
    assert got == [("New International Land-Sea Trade Corridor", "New International Land-Sea Trade Corridor",
                    "base"), ("Trade Corridor", "Trade Corridor", "base")]


def test_phrases_split_across_line_breaks():
    text = "along the New International\n   Land-\nSea Trade\r\nCorridor, and then"
    (m,) = G.match_en(text)
    assert m.start == text.index("New") and text[m.end - 8:m.end] == "Corridor"
    assert m.term.text == "New International Land-Sea Trade Corridor"


def test_en_view_maps_offsets_back():
    text = "a  b\n\n  c—d"
    v = en_view(text)
    assert v.norm == "a b c d"
    for i, ch in enumerate(v.norm):
        if ch != " ":
            assert text[v.orig(i)].lower() == ch
    assert v.span(4, 7) == (text.index("c"), len(text))


def test_chinese_traditional_and_ruby_keep_offsets():
    text = "重慶市實施西部陸(lù)海新通道五年行動,西部陆海新通道"
    got = G.match_zh(text)
    second = text.rindex("西部")
    assert [(m.start, m.end, m.surface) for m in got] == [
        (5, 16, "西部陸(lù)海新通道"), (second, second + 7, "西部陆海新通道")]
    v = zh_view(text)
    assert v.norm.startswith("重庆市实施西部陆海新通道")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abc xyz,.;\n调用", max_size=30), st.text(alphabet="abc xyz,.;\n调用", max_size=30),
       st.sampled_from(["ILSTC", "New International Land-Sea Trade Corridor", "new  international\nland sea "
                        "trade corridors", "API", "e-mail"]))
def test_offsets_slice_the_surface(left, right, term):
    text = f"{left} {term} {right}"
    hits = [m for m in G.match_en(text) if m.start == len(left) + 1]
    assert len(hits) == 1
    assert text[hits[0].start:hits[0].end] == term


def test_lean_scan_skips_only_matches_no_english_check_can_use():
    """The English-only scan builds no object for a plain term written as in the glossary (any casing of a
    lower-case term), but keeps spelling variants, the first full form and acronym of acronym concepts and
    every span (near-match masking); the checks find the same on both."""
    from glossary.lint.checks import check_acronyms, check_inconsistent, check_spelling, check_status

    text = ("Policy and policies. The Trade Corridor, the trade corridor and the Trade-Corridor; "
            "e-mail, email and E-mail. ILSTC before the New International Land-Sea Trade Corridor.\n"
            "ILSTC and the New International Land-Sea Trade Corridor again.\n")
    from glossary.lint.source import SourceFile

    f = SourceFile("d.txt", text)
    full, lean = G.scan_en(text, 0, f), G.scan_en(text, 0, f, lean=True)
    assert lean.spans == full.spans
    kept = [(text[m.start:m.end], m.term.text) for m in lean.matches]
    assert kept == [("trade corridor", "Trade Corridor"), ("Trade-Corridor", "Trade Corridor"),
                    ("email", "e-mail"), ("ILSTC", "ILSTC"),
                    ("New International Land-Sea Trade Corridor", "New International Land-Sea Trade Corridor")]
    # Policy, policies, Trade Corridor, e-mail, E-mail; the second ILSTC and full form
    assert len(full.matches) == len(lean.matches) + 7
    for check in (check_status, check_spelling, check_acronyms, check_inconsistent):
        assert check(lean.matches) == check(full.matches)
    assert [f.check for f in check_spelling(full.matches)] == ["unapproved-variant"] * 3
    assert [f.match for f in check_acronyms(full.matches)] == ["ILSTC"]


# --------------------------------------------------------------------------- near-match anchors, collector

ANCHOR_TERMS = [entry(("zh", "美国海关", "fullForm", "preferred"),
                      ("en", "U.S. Zoning Bureau", "fullForm", "preferred")),
                entry(("zh", "陆海走廊", "fullForm", "preferred"),
                      ("en", "Land-Sea Trade Corridor", "fullForm", "preferred"))]
GA = compile_glossary(ANCHOR_TERMS)
ANCHOR_WORDS = ["u.s.", "bureau", "zoning", "corridor", "trade", "land", "sea", "corridors", "bureaus",
                "tradecorridor", "us"]


def _whole_word_anchors(norm: str, words: set[str]) -> list[tuple[int, int]]:
    """Reference: every occurrence of an anchor word preceded by a space (or the start) and followed by a
    space, a sentence mark or the end."""
    out = []
    for w in words:
        i = norm.find(w)
        while i >= 0:
            e = i + len(w)
            if (i == 0 or norm[i - 1] == " ") and (e == len(norm) or norm[e] in " .,;:!?"):
                out.append((i, e))
            i = norm.find(w, i + 1)
    return sorted(out)


def test_anchor_words_include_one_with_a_sentence_mark():
    words = {n.words[j] for _, items in GA.anchor_auto.values() for n_i, j, *_ in items
             for n in [GA.nears[n_i]]}
    marked = {k.strip() for k in GA.marked_anchor_auto.keys()}
    assert marked == {"u.s."} and {"bureau", "corridor"} <= words


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ANCHOR_WORDS + [",", ".", " ", "x"]), max_size=12))
def test_anchors_are_exactly_the_whole_words(tokens):
    from glossary.lint.anchors import iter_anchors

    norm = en_view(" ".join(tokens).replace(" , ", ",").replace(" x ", "x")).norm
    words = {k.strip(" \x01") for k in GA.anchor_auto.keys()} | {k.strip() for k in GA.marked_anchor_auto.keys()}
    got = [(p, e) for p, e, _ in iter_anchors(GA, norm)]
    assert got == _whole_word_anchors(norm, words)


def test_compiled_glossary_is_frozen_out_of_the_collector():
    import gc

    before = gc.get_freeze_count()
    g = compile_glossary([CORRIDOR, TRADE, API] * 50)
    assert gc.isenabled()
    assert gc.get_freeze_count() > before  # later collections do not traverse the automata's objects again
    assert g.match_en("ILSTC")


def test_a_key_inside_a_longer_keys_partial_path_is_still_found():
    # pyahocorasick's iter_long lost "beginning" here: the longer key's path ran on past it, then failed
    g = compile_glossary([entry(("en", "beginning", "fullForm", "deprecated"), ("en", "start", "fullForm", "preferred")),
                          entry(("en", "the beginning of spring", "fullForm", "preferred")),
                          entry(("en", "since the beginning of history", "fullForm", "preferred"))])
    for text in ("since the beginning of this year", "the beginning of this year", "Since the beginning."):
        got = [(text[m.start:m.end], m.term.status) for m in g.match_en(text)]
        assert got == [(text[text.lower().index("beginning"):][:9], "deprecated")], text
    assert [m.term.text for m in g.match_en("since the beginning of history")] == ["since the beginning of history"]


def test_compiled_keys_pickle_and_match_the_same():
    import pickle

    g2 = pickle.loads(pickle.dumps(G.en_auto))
    text = " the new western land sea corridor and the trade corridors "
    assert g2.find(text) == G.en_auto.find(text) and g2.find(text)
