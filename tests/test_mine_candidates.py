"""Term miner building blocks: zh/en candidates, dictionary coverage, pinyin, acronyms."""

from glossary.mine import dictionary, en_candidates as enc, transliteration as tr, zh_candidates as zhc
from glossary.mine.pairing import local_spans, profile


def test_zh_multiword_assembly_and_termhood():
    segs = ["充分发挥西部陆海新通道的示范效应", "推动西部陆海新通道建设", "共建西部陆海新通道，服务国家战略",
            "西部陆海新通道智库联盟成立"]
    stats, occ = zhc.collect([zhc.tokenize(s) for s in segs])
    assert "西部陆海新通道" in stats
    assert stats["西部陆海新通道"].freq == 4
    assert len(occ["西部陆海新通道"]) == 4
    # the fragment that always sits inside the longer term is not independent
    assert stats["陆海新通道"].score() < stats["西部陆海新通道"].score()
    # function words never start or end a candidate
    assert not any(t.startswith(("的", "和")) or t.endswith(("的", "和")) for t in stats)


def test_user_words_are_not_split_again():
    zhc.add_user_words(["渝桂合作示范区"])
    assert "渝桂合作示范区" in [t.word for t in zhc.tokenize("推进渝桂合作示范区建设")]


def test_en_tokens_spans_and_names():
    s = "Wang Wen led a team to Qinzhou Port Area of China (Guangxi) Pilot Free Trade Zone."
    toks = enc.tokenize(s)
    spans = {enc.span_text(s, toks, a, b) for a, b in enc.valid_spans(toks)}
    assert "Qinzhou Port Area of China" in spans
    assert "a team" not in spans and "led a" not in spans  # stopword-bounded
    names = [enc.span_text(s, toks, a, b) for a, b in enc.name_spans(toks)]
    assert "Wang Wen" in names and "Pilot Free Trade Zone" in names


def test_parenthesised_acronym_and_initials():
    s = "the New International Land-Sea Trade Corridor (ILSTC) and the FAOCMG."
    toks = enc.tokenize(s)
    assert enc.parenthesised_acronyms(s, toks) == [("New International Land-Sea Trade Corridor", "ILSTC")]
    assert enc.acronym_matches("FAOCMG", enc.tokenize("Foreign Affairs Office of the Chongqing Municipal Government"))
    assert not enc.acronym_matches("FAOCMG", enc.tokenize("Foreign Affairs Office of Guangxi"))


def test_dictionary_and_pinyin_coverage():
    assert "deputy" in dictionary.cedict()["副"]
    assert tr.romanize_name("王雯") == "Wang Wen"
    assert tr.romanize_place("钦州") == "Qinzhou"
    assert "zhangyaxi" in tr.pinyin_spans("张娅茜")  # heteronym 茜 xi/qian
    en = "Zhang Yaxi and Wang Wen visited the Qinzhou Port Area."
    toks = enc.tokenize(en)
    valid = enc.valid_spans(toks)
    for zh, want in (("王雯", "Wang Wen"), ("钦州港片区", "Qinzhou Port Area"), ("张娅茜", "Zhang Yaxi")):
        s, a, b = local_spans(profile(zh), toks, valid)[0]
        assert enc.span_text(en, toks, a, b) == want
        assert s > 0.6


def test_dictionary_name_heads_and_abbreviations():
    # a proper-name sense keeps only the name, not where the place is
    assert dictionary.gloss_stems("Nanning, prefecture-level city and capital of Guangxi") == {"nann"}
    assert "smart" in dictionary.abbreviation_stems("智")  # 智能
    en = "the Smart China Expo (SCE) and the Western China International Fair"
    toks = enc.tokenize(en)
    s, a, b = local_spans(profile("智博会"), toks, enc.valid_spans(toks))[0]
    assert enc.span_text(en, toks, a, b) == "Smart China Expo"
    # without the abbreviation reading (one occurrence only) the same span is not explained
    assert not local_spans(profile("智博会", False), toks, enc.valid_spans(toks)) or \
        local_spans(profile("智博会", False), toks, enc.valid_spans(toks))[0][0] < s


def test_span_edges_need_evidence():
    en = "the two countries continuously deepened cooperation with Bangkok and Chiang Mai"
    toks = enc.tokenize(en)
    spans = {enc.span_text(en, toks, a, b) for _, a, b in local_spans(profile("曼谷市"), toks, enc.valid_spans(toks))}
    assert "Bangkok" in spans and "Bangkok and Chiang" not in spans
    two = {enc.span_text(en, toks, a, b) for _, a, b in local_spans(profile("两国"), toks, enc.valid_spans(toks))}
    assert two == {"two countries"}


def test_foreign_name_sound_similarity():
    from glossary.mine.transliteration import en_skeleton, pinyin_skeleton, syllables, translit_similarity

    assert pinyin_skeleton(syllables("布林肯")) == en_skeleton("Blinken") == "PLNKN"
    for zh, en in [("布林肯", "Blinken"), ("马克龙", "Macron"), ("泽连斯基", "Zelensky"), ("古特雷斯", "Guterres"),
                   ("斯托尔滕贝格", "Stoltenberg"), ("内塔尼亚胡", "Netanyahu"), ("伊维拉", "Iweala"), ("卢拉", "Lula")]:
        assert translit_similarity(zh, en) >= 0.75, (zh, en)
    for zh, en in [("布林肯", "Beijing"), ("马克龙", "Munich"), ("泽连斯基", "Ukraine"), ("卢拉", "Lima"),
                   ("拉夫罗夫", "Russian")]:
        assert translit_similarity(zh, en) < 0.75, (zh, en)
    assert translit_similarity("中国", "China") == 0.0  # not transliteration characters: words, not sounds


def test_transliteration_conventions_th_plural_and_short_names():
    """English th is written with t- or s- syllables; a group is named in the plural; a two-syllable name with one
    repeated consonant class must agree syllable by syllable."""
    from glossary.mine.transliteration import translit_similarity

    for zh, en in [("托马斯", "Thomas"), ("史密斯", "Smith"), ("撒切尔", "Thatcher"), ("胡塞", "Houthi"),
                   ("胡塞", "Houthis"), ("塞西", "Sisi")]:
        assert translit_similarity(zh, en) >= 0.75, (zh, en)
    for zh, en in [("塞西", "Sousa"), ("塞西", "Cecil"), ("萨科", "Sisi"), ("胡塞", "Hughes"), ("托马斯", "Tomatoes")]:
        assert translit_similarity(zh, en) < 0.75, (zh, en)


def test_name_candidates_and_dictionary_person_glosses():
    from glossary.mine import dictionary
    from glossary.mine.transliteration import name_runs

    assert dictionary.surname_stems("普京") == {"putin"}  # 'Vladimir Putin (1952-)': 'Putin' alone names him
    assert dictionary.surname_stems("习近平") == frozenset()  # a Chinese name: pinyin matches it whole
    assert dictionary.sense_words("慕尼黑") == 1 and dictionary.sense_words("北约") == 1  # 'München or Munich'
    assert dictionary.is_proper_name("基辅") and not dictionary.is_proper_name("合作")
    texts = ["哈萨克斯坦总统托卡耶夫主持峰会。", "联合国大会主席弗朗西斯主持会议。"]
    runs = name_runs(texts)
    assert "托卡耶夫" in runs and "弗朗西斯" in runs  # jieba cuts 托|卡耶夫; 主席 keeps its 席
    assert "席弗朗西斯" not in runs
    assert "基辅" in dictionary.proper_name_occurrences(["总统在基辅会见了特别代表。"])


def test_english_tokens_keep_accented_letters():
    assert [t.text for t in enc.tokenize("at the Élysée Palace, António Guterres")][2:] == [
        "Élysée", "Palace", "António", "Guterres"]


def test_demonym_is_not_the_place_name():
    from glossary.mine.scoring import demonym

    assert demonym("以色列", "Israeli") and demonym("柬埔寨", "Cambodian") and demonym("埃及", "Egyptian")
    assert demonym("南非", "South African")
    assert not demonym("以色列", "Israel") and not demonym("广西", "Guangxi") and not demonym("日本", "Japan")


def test_acronym_expansion_starts_at_its_first_letter_and_dictionary_acronyms():
    s = "Trade has grown since the Regional Comprehensive Economic Partnership (RCEP) agreement entered into force."
    assert enc.parenthesised_acronyms(s, enc.tokenize(s)) == [("Regional Comprehensive Economic Partnership", "RCEP")]
    assert "wto" in dictionary.cedict()["世界贸易组织"]  # 'World Trade Organization (WTO)' in CC-CEDICT
    toks = enc.tokenize("The 31st APEC Economic Leaders' Meeting was held in Lima, Peru.")
    spans = local_spans(profile("亚太经合组织", False), toks, enc.valid_spans(toks))
    assert [(toks[a].text, toks[b].text) for _, a, b in spans][0] == ("APEC", "APEC")  # the acronym alone


def test_multiword_dictionary_nouns_are_single_word_candidates():
    assert zhc.single_word_candidate(zhc.ZhToken("外长", "n", 0))  # foreign minister
    assert not zhc.single_word_candidate(zhc.ZhToken("友谊", "n", 0))  # friendship: one word, general


def test_names_cut_after_the_surname_are_candidates_and_he_is_a_surname():
    # jieba cuts 何|亚东 and 刘|爱华: the whole name becomes a (person) candidate at each occurrence
    segs = ["商务部新闻发言人何亚东表示，中方坚决反对。", "何亚东说，中方将采取必要措施。"]
    stats, occ = zhc.collect([zhc.tokenize(s) for s in segs])
    assert stats["何亚东"].freq == 2 and stats["何亚东"].tags["nr"] == 2
    assert [(a, b) for _, a, b in occ["何亚东"]] == [(segs[0].index("何"), segs[0].index("表")), (0, 3)]
    assert "表示" not in "".join(t for t in stats if t.startswith("何"))  # a verb is no given name
    # 'He' before a capitalised word is the family name, so pinyin coverage reaches it; the pronoun stays a stopword
    toks = enc.tokenize("Spokesperson He Yadong said. He said so.")
    assert [t.stop for t in toks if t.text == "He"] == [False, True]
    spans = local_spans(profile("何亚东"), toks, enc.valid_spans(toks))
    assert enc.span_text("Spokesperson He Yadong said. He said so.", toks, spans[0][1], spans[0][2]) == "He Yadong"


def test_dictionary_words_jieba_cut_wrongly_are_found():
    from glossary.mine.dictionary import crossing_words

    ws = zhc.cut_words("绿色氢能被视为实现碳中和的重要途径。")
    assert "碳中和" not in ws  # jieba: 碳中|和
    assert [w for w, _, _ in crossing_words(ws)] == ["碳中和"]
    w, a, b = crossing_words(ws)[0]
    assert "".join(ws)[a:b] == "碳中和"
    assert crossing_words(zhc.cut_words("上海证券交易所的几乎完全不同")) == []  # inside one word; whole words


def test_mine_proposes_a_dictionary_word_jieba_splits():
    from glossary.data import SegmentPair
    from glossary.mine.miner import mine

    pairs = [SegmentPair(zh=z, en=e, position=i, document="d") for i, (z, e) in enumerate([
        ("绿色氢能被视为实现碳中和的重要途径。", "Green hydrogen is seen as an important way to achieve carbon neutrality."),
        ("中国承诺力争2060年前实现碳中和。", "China has pledged to achieve carbon neutrality before 2060."),
    ])]
    assert {c.zh: c.en for c in mine(pairs)}.get("碳中和") == "carbon neutrality"


def test_lone_characters_jieba_knows_as_one_name_are_joined():
    words = zhc.cut_words("普京随后出席第八届中俄博览会开幕式。")
    assert "中俄" not in words  # jieba: 中|俄 (its count for 中俄 is tiny)
    joined, tags = zhc.join_split_names(words, [zhc.word_tag(w)[0] for w in words])
    assert "中俄" in joined and tags[joined.index("中俄")] == "ns" and "".join(joined) == "".join(words)
    stays = zhc.cut_words("其中非常重要的是")
    assert zhc.join_split_names(stays, [zhc.word_tag(w)[0] for w in stays])[0] == stays


def test_a_name_the_dictionary_writes_as_one_word_matches_two_english_words():
    en = "It was set forth in the China-Viet Nam Joint Statement with Viet Nam."
    toks = enc.tokenize(en)
    got = [enc.span_text(en, toks, a, b) for _, a, b in local_spans(profile("越南"), toks, enc.valid_spans(toks))]
    assert got[0] == "Viet Nam"
    got = [enc.span_text(en, toks, a, b) for _, a, b in local_spans(profile("中越"), toks, enc.valid_spans(toks))]
    assert got[0] == "China-Viet Nam"
    en = "Tesla's Shanghai Gigafactory"  # clipped stems: 'Shanghai' alone fills 'shangh', no joined match
    toks = enc.tokenize(en)
    got = [enc.span_text(en, toks, a, b) for _, a, b in local_spans(profile("上海"), toks, enc.valid_spans(toks))]
    assert got[0] == "Shanghai"


def test_dashes_join_zh_words_into_one_candidate():
    stats, _ = zhc.collect([zhc.tokenize("完成中国-东盟自由贸易区3.0版谈判")])
    assert "中国-东盟自由贸易区" in stats
    assert not any(t.startswith("-") or t.endswith("-") for t in stats)


def test_derivational_suffix_is_covered_by_the_base_word():
    # 巡视员 = 巡视 inspect + 员 (-or); 多边主义 = 多边 multilateral + 主义 (-ism): one English word covers both
    assert dictionary.sense_words("多边主义") == dictionary.sense_words("多边")
    assert any((i, j) == (2, 5) for i, j, _ in dictionary.pieces("二级巡视员"))
    for zh, en in (("多边主义", "multilateralism"), ("二级巡视员", "level-II inspector")):
        toks = enc.tokenize(en)
        assert local_spans(profile(zh), toks, enc.valid_spans(toks))[0][0] >= 0.85, zh
    assert not dictionary.pieces("家")[0][2] >= dictionary.cedict()["巡视"]  # a lone suffix is not its base


def test_stem_index_matching_equals_pairwise_stem_match():
    """dictionary._matching (prefix index) finds exactly the stems the pairwise _stem_match loop found."""
    from hypothesis import given, settings
    from hypothesis import strategies as hs

    from glossary.mine import dictionary as d

    word = hs.text(alphabet="abcde", min_size=1, max_size=6)

    @settings(max_examples=300, deadline=None)
    @given(hs.sets(word, min_size=1, max_size=6), hs.lists(word, max_size=8))
    def check(stems, words):
        ref = {s for s in stems if any(d._stem_match(s, x) for x in words)}
        assert d._matching(d._stem_index(stems), words) == ref

    check()
