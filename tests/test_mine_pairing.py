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


def _mined(rows, **kw) -> dict:
    """mine() over (zh, en) rows of one document: {zh: Candidate}."""
    return {c.zh: c for c in mine([SegmentPair(zh=z, en=e, position=i, document="d")
                                   for i, (z, e) in enumerate(rows)], **kw)}


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


HELDOUT = Path(__file__).parent / "data" / "mine" / "heldout"


def _heldout_pairs():
    out = []
    for f in sorted((HELDOUT / "corpus").glob("*.tsv")):
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines()):
            zh, en = line.split("\t")
            out.append(SegmentPair(zh=zh, en=en, position=i, document=f.name))
    return out


@pytest.fixture(scope="module")
def news():
    """The held-out genre: line-aligned international news with transliterated foreign names."""
    return mine(_heldout_pairs())


def test_transliterated_foreign_names_are_paired(news):
    got = {c.zh: c.en for c in news}
    assert got.get("布林肯") == "Blinken"  # no dictionary entry: sound similarity + co-occurrence
    assert got.get("泽连斯基") == "Zelensky"
    assert got.get("斯托尔滕贝格") == "Stoltenberg"
    assert got.get("普京") == "Putin"  # dictionary person gloss, matched by the family name alone
    assert got.get("慕尼黑") == "Munich"
    assert got.get("托卡耶夫") == "Tokayev"  # a name jieba cuts apart (托|卡耶夫)
    assert got.get("基辅") == "Kyiv"  # a dictionary place name jieba tags as a common noun
    assert got.get("爱丽舍宫") == "Élysée Palace"
    assert got.get("塞西") == "Sisi"  # one consonant class, the same syllable by syllable (sai-xi, Si-si)


def test_name_fragments_titles_and_demonyms_not_proposed(news):
    zhs = {c.zh for c in news}
    assert not zhs & {"林肯", "莱恩", "维拉", "席弗朗西斯"}  # pieces of 布林肯, 冯德莱恩, 伊维拉, 主席|弗朗西斯
    assert not zhs & {"国家主席习近平", "联合国秘书长古特雷斯", "国务院总理李强"}  # title + name: two entries
    assert not {(c.zh, c.en) for c in news} & {("以色列", "Israeli"), ("卡塔尔", "Qatari"), ("埃及", "Egyptian")}


def test_cooccurrence_fallback_pairs_a_name_without_other_evidence():
    pairs = [SegmentPair(zh=z, en=e, position=i, document="d") for i, (z, e) in enumerate([
        ("日本首相石破茂在利马会见了秘鲁总统。", "Japanese Prime Minister Shigeru Ishiba met the Peruvian President in Lima."),
        ("石破茂表示，日方愿同各方加强合作。", "Ishiba said Japan was ready to strengthen cooperation with all parties."),
        ("石破茂在东京举行记者会。", "Ishiba held a press conference in Tokyo."),
        ("秘鲁总统在利马举行记者会。", "The Peruvian President held a press conference in Lima."),
    ])]
    got = {c.zh: c for c in mine(pairs, min_score=0.3)}
    assert got["石破茂"].en == "Ishiba"
    assert got["石破茂"].signals.local < 0.01 and got["石破茂"].signals.dice == 1.0  # co-occurrence only


def test_heldout_quality_against_gold(news):
    """Recall and precision on the hand-written gold of the held-out genre stay at the measured level."""
    from glossary.evaluation.mine import entry_view, evaluate, load_gold, load_judged

    entries = [{"zh": [c.zh], "en": c.en, "en_all": [c.en, *c.en_variants], "score": c.score} for c in news]
    rep = evaluate(entries, load_gold(HELDOUT / "gold.tsv"), load_judged(HELDOUT / "judged.tsv"))
    assert rep["recall_preferred"] >= 0.80  # 0.804 measured at the default threshold
    assert rep["precision_on_gold_zh"] >= 0.93
    assert rep["precision_all_verdicts"] >= 0.90  # 0.942 measured
    assert callable(entry_view)


def test_score_is_a_fitted_logistic_of_the_signals(news):
    import math

    from glossary.mine import scoring

    c = next(c for c in news if c.zh == "布林肯")
    x = sum(w * v for w, v in zip(scoring.W, c.signals.vector())) + scoring.B
    assert c.score == pytest.approx(1 / (1 + math.exp(-x)), abs=1e-3)
    assert len(scoring.W) == len(c.signals.vector())


def test_names_acronyms_and_titles_of_the_news_genre(news):
    got = {c.zh: c.en for c in news}
    assert got.get("华盛顿") == "Washington"  # the dictionary's own name word is not a demonym
    assert got.get("欧盟委员会") == "European Commission"
    assert got.get("世界贸易组织") == "WTO"  # acronym from the dictionary gloss's parentheses
    assert got.get("亚太经合组织") == "APEC"  # the acronym alone, not 'APEC Economic'
    assert got.get("外长") == "Foreign Minister"  # a noun the dictionary spells out in two words
    assert got.get("国务卿") == "Secretary of State"  # title before a name: the name is not a cut
    assert got.get("国家主席") != "President Xi Jinping"  # the span may not take in the next word's English


def test_dictionary_name_senses_and_demonyms():
    from glossary.mine import dictionary, scoring

    assert dictionary.matches_name_sense("外交部", "Ministry of Foreign Affairs")
    assert not dictionary.matches_name_sense("外交部", "Foreign Affairs")  # part of a sense
    assert not dictionary.matches_name_sense("中西", "Western China")  # 'China and the West'
    assert scoring.demonym("以色列", "Israeli")
    assert not scoring.demonym("华盛顿", "Washington") and not scoring.demonym("欧盟委员会", "European Commission")
    assert scoring.title_form("Secretary of State") and not scoring.title_form("secretary of state")
    assert scoring.title_form("Development and Reform Commission")  # 'and' inside one name
    assert scoring.title_form("Global Alliance Against Hunger and Poverty")
    assert not scoring.title_form("Municipal Government and Bishan District Government")  # two names


def test_a_name_with_and_inside_is_proposed(news):
    got = {c.zh: c.en for c in news}
    assert got.get("全球抗击饥饿与贫困联盟") == "Global Alliance Against Hunger and Poverty"


def test_cli_and_eval_use_the_miner_default_threshold():
    from glossary.cli import app
    from glossary.mine.miner import DEFAULT_MIN_SCORE

    opt = next(p for p in app.commands["mine"].params if p.name == "min_score")
    assert opt.default == DEFAULT_MIN_SCORE
    import glossary.evaluation.mine as ev

    assert "DEFAULT_MIN_SCORE" in Path(ev.__file__).read_text(encoding="utf-8")


def test_second_heldout_genre_is_evaluated_with_its_gold():
    """heldout2 (economic/technical news, gold written before the miner ran) is part of make eval-mine."""
    import glossary.evaluation.mine as ev

    held2 = ev.HELDOUT2
    assert (held2 / "corpus").is_dir() and len(ev.load_gold(held2 / "gold.tsv")) >= 60
    out = []
    for f in sorted((held2 / "corpus").glob("*.tsv")):
        for i, line in enumerate(f.read_text(encoding="utf-8").splitlines()):
            zh, en = line.split("\t")
            out.append(SegmentPair(zh=zh, en=en, position=i, document=f.name))
    cands = mine(out)
    got = {c.zh: c.en for c in cands}
    assert got.get("何亚东") == "He Yadong" and got.get("刘爱华") == "Liu Aihua"  # names jieba cut after the surname
    assert "亚东" not in got and "爱华" not in got  # their pieces are not proposed
    entries = [{"zh": [c.zh], "en": c.en, "en_all": [c.en, *c.en_variants], "score": c.score} for c in cands]
    rep = ev.evaluate(entries, ev.load_gold(held2 / "gold.tsv"), ev.load_judged(held2 / "judged.tsv"))
    assert rep["recall_preferred"] >= 0.51  # 0.515 measured at the default threshold (0.439 before one-off compounds)
    assert rep["precision_all_verdicts"] >= 0.90  # 0.939 measured


def test_dictionary_word_made_of_two_terms_is_kept_as_one_entry():
    """中国人民银行 = 中国 + 人民银行, both proposed, but the dictionary lists the whole as one word: it is an entry of
    its own ('People's Bank of China'), not a composition of two entries to drop."""
    pairs = [SegmentPair(zh=z, en=e, position=i, document="d") for i, (z, e) in enumerate([
        ("中国人民银行决定下调存款准备金率。", "The People's Bank of China decided to cut the reserve requirement ratio."),
        ("中国人民银行行长潘功胜表示，货币政策要灵活适度。",
         "Pan Gongsheng, governor of the People's Bank of China, said monetary policy should be flexible."),
        ("中国经济保持增长。", "China's economy kept growing."),
        ("中国同各方加强合作。", "China strengthened cooperation with all parties."),
        ("人民银行将保持流动性合理充裕。", "The People's Bank will keep liquidity reasonably ample."),
        ("人民银行发布报告。", "The People's Bank released a report."),
    ])]
    got = {c.zh: c.en for c in mine(pairs, min_score=0.3)}
    assert got.get("中国人民银行") == "People's Bank of China"


def test_one_off_compound_is_proposed_only_as_an_exact_title_case_name():
    """A multi-word compound seen once has no frequency-based termhood; it is a term when its English is a fixed
    title-case name that translates it word for word, both ways. Descriptions built of names (nationality +
    title, title + person, 'X in Y') and lower-case phrases seen once are not proposed."""
    rows = [
        ("亚洲基础设施投资银行今年批准了约80亿美元的项目融资。",
         "The Asian Infrastructure Investment Bank approved about 8 billion US dollars of project financing this year."),
        ("巴西总统出席了会议。", "The Brazilian President attended the meeting."),
        ("俄罗斯总统普京表示，双方将加强合作。",
         "Russian President Vladimir Putin said the two sides would strengthen cooperation."),
        ("越南胡志明市举办了展览。", "An exhibition was held in Ho Chi Minh City in Vietnam."),
        ("清洁能源投资继续增长。", "Investment in clean energy continued to grow."),
    ]
    pairs = [SegmentPair(zh=z, en=e, position=i, document="d") for i, (z, e) in enumerate(rows)]
    got = {c.zh: c.en for c in mine(pairs)}
    assert got.get("亚洲基础设施投资银行") == "Asian Infrastructure Investment Bank"
    assert not set(got) & {"巴西总统", "俄罗斯总统普京", "俄罗斯总统", "越南胡志明市", "清洁能源投资", "清洁能源"}
    assert got.get("普京") == "Vladimir Putin" and got.get("胡志明市") == "Ho Chi Minh City"  # the names themselves


def test_one_off_name_guards():
    """The guards of scoring.one_off_name on their own."""
    from glossary.mine import scoring

    assert scoring.one_off_name("亚洲基础设施投资银行", "Asian Infrastructure Investment Bank")
    assert not scoring.one_off_name("巴西总统", "Brazilian President")  # place + one common word
    assert not scoring.one_off_name("越南胡志明市", "Ho Chi Minh City in Vietnam")  # X in Y
    assert not scoring.one_off_name("总领事馆总领事", "Consulates General")  # English says less than the zh
    assert not scoring.one_off_name("外事大楼", "Chongqing Foreign Affairs Building")  # 'Chongqing' unexplained


def test_one_off_dictionary_compound_needs_specialised_vocabulary():
    """A dictionary compound seen once is proposed when one of its words is rare in general Chinese (jieba's
    dictionary counts: specialised vocabulary) and its English is the exact phrase; a dictionary collocation of
    everyday words seen once (经济发展 'economic development') is not."""
    from glossary.mine import scoring
    from glossary.mine import zh_candidates as zhc

    assert zhc.rarest_part("存款准备金率") <= zhc.GENERAL_RARE < zhc.rarest_part("经济发展")
    assert scoring.specialised_word("居民消费价格指数", "consumer price index", 1.0)
    assert not scoring.specialised_word("经济发展", "economic development", 1.0)
    assert not scoring.specialised_word("居民消费价格指数", "Consumer Price Index", 1.0)  # lower-case phrase only
    assert not scoring.specialised_word("存款准备金率", "reserve requirement ratio", 0.5)  # exact translation only
    rows = [
        ("中国人民银行宣布下调存款准备金率。", "The People's Bank of China announced a cut in the reserve requirement ratio."),
        ("我们关注经济发展。", "We follow economic development."),
    ]
    got = {z: c.en for z, c in _mined(rows).items()}
    assert got.get("存款准备金率") == "reserve requirement ratio"
    assert "经济发展" not in got


def test_numbered_group_acronym():
    """A number + dictionary noun is written as the noun's initial and the number (二十国集团 → G20): the
    English word comes from the dictionary (集团 group), the number from the zh numeral."""
    from glossary.mine.pairing import numbered_acronyms

    assert "g20" in numbered_acronyms("二十国集团") and "g7" in numbered_acronyms("七国集团")
    assert "g77" in numbered_acronyms("77国集团")
    assert numbered_acronyms("二十国集团峰会") == () and numbered_acronyms("集团") == ()
    rows = [("二十国集团领导人峰会在里约热内卢举行。", "The G20 Leaders' Summit was held in Rio de Janeiro."),
            ("中方支持非洲联盟加入二十国集团。", "China supported the African Union's membership of the G20."),
            ("习近平在二十国集团峰会期间会见了拜登。", "Xi Jinping met Biden on the sidelines of the G20 summit.")]
    got = {z: c.en for z, c in _mined(rows).items()}
    assert got.get("二十国集团") == "G20"


def test_dictionary_word_jieba_cuts_at_a_one_character_word_is_a_candidate():
    """台积|电: jieba cuts off a one-character word, which normally marks a loose edge (the character belongs to the
    neighbour); when the dictionary lists the whole string as one word it is a unit (TSMC)."""
    rows = [("台积电在亚利桑那州的工厂推迟投产。", "TSMC has postponed production at its plant in Arizona.")]
    got = {z: c.en for z, c in _mined(rows).items()}
    assert got.get("台积电") == "TSMC"


def test_longer_title_case_name_is_not_a_composition_of_its_first_word():
    """中国汽车工业协会 = 中国 + the rest: a longer name whose English is a title-case name with inner function words
    ('China Association of Automobile Manufacturers') is an entry, not 'China' plus a phrase."""
    rows = [("中国汽车工业协会数据显示，新能源汽车渗透率已超过40%。",
             "Data from the China Association of Automobile Manufacturers show that the penetration rate of new "
             "energy vehicles has exceeded 40 percent."),
            ("中国汽车工业协会副秘书长陈士华说，出口继续保持快速增长。",
             "Chen Shihua, deputy secretary-general of the China Association of Automobile Manufacturers, said "
             "exports continued to grow rapidly."),
            ("中国是最大的汽车市场。", "China is the largest car market."),
            ("中国出口增长。", "China's exports grew.")]
    got = {z: c.en for z, c in _mined(rows).items()}
    assert got.get("中国汽车工业协会") == "China Association of Automobile Manufacturers"


def test_a_two_character_word_is_matched_by_its_head_as_in_exact_cover():
    """电动|汽车 ~ 'electric vehicles': CC-CEDICT glosses 汽车 car/automobile/bus and 车 vehicle. The span score
    reads a two-character word through its head character, as dictionary.exact_cover does, so the span is found;
    without the head rule 汽 stays uncovered and no English span reaches the pairing floor."""
    from glossary.mine import dictionary
    from glossary.mine.en_candidates import tokenize
    from glossary.mine.pairing import MIN_LOCAL, local_spans, profile

    text = "The European Commission decided to impose countervailing duties on electric vehicles made in China."
    tokens = tokenize(text)
    valid = {(a, b) for a in range(len(tokens)) for b in range(a, min(len(tokens), a + 8))}
    spans = local_spans(profile("电动汽车"), tokens, valid)
    assert spans and spans[0][0] >= MIN_LOCAL
    assert text[tokens[spans[0][1]].start:tokens[spans[0][2]].end] == "electric vehicles"
    assert dictionary.exact_cover("电动汽车", "electric vehicles")  # the same reading, both ways
    # the head alone is not the word: 'vehicles' without 'electric' leaves 电动 uncovered
    alone = tokenize("Vehicles made in China.")
    assert not local_spans(profile("电动汽车"), alone, {(a, b) for a in range(len(alone)) for b in range(a, len(alone))})


def test_cooccurrence_counts_an_english_term_seen_in_the_possessive():
    """Co-occurrence is counted over segment texts keyed token by token; "Jinping's" must key as 'jinping' there,
    as the possessive-trimmed surface 'General Secretary Xi Jinping' does, or every possessive occurrence is
    lost (Dice 0 although the term is translated in every segment)."""
    from glossary.mine.en_candidates import token_key

    assert token_key("Jinping's") == token_key("Jinping’s") == "jinping"
    assert token_key("People's") == "people" and token_key("boss") == "boss"
    rows = [("各级党组织学习习近平总书记重要讲话精神。",
             "Party organizations studied the guidelines of General Secretary Xi Jinping's important speech."),
            ("会议传达了习近平总书记重要指示精神。",
             "The meeting conveyed the guidelines of General Secretary Xi Jinping's important instructions."),
            ("干部深入学习习近平总书记重要论述。",
             "Officials studied General Secretary Xi Jinping's important expositions in depth.")]
    got = _mined(rows, min_score=0.0)
    c = got["习近平总书记"]
    assert c.en == "General Secretary Xi Jinping"
    assert c.signals.joint == 3 and c.signals.dice == 1.0


def test_short_form_of_two_place_names_matches_both_names():
    """雅万高铁: 雅 and 万 stand for 雅加达 Jakarta and 万隆 Bandung (proper names in CC-CEDICT). A capitalised word
    may match a place name the character abbreviates, so the whole name is the translation, not its generic tail
    'High-Speed Railway'."""
    from glossary.mine import dictionary

    assert "jakart" in dictionary.name_abbreviation_stems("雅")
    assert "bandun" in dictionary.name_abbreviation_stems("万")
    rows = [("佐科表示，雅万高铁是印尼和中国合作的成功范例。",
             "Joko said the Jakarta-Bandung High-Speed Railway is a successful example of cooperation between "
             "Indonesia and China."),
            ("雅万高铁开通运营以来已运送旅客超过500万人次。",
             "The Jakarta-Bandung High-Speed Railway has carried more than 5 million passengers since it began "
             "operation.")]
    got = {z: c.en for z, c in _mined(rows, min_score=0.0).items()}
    assert got.get("雅万高铁") == "Jakarta-Bandung High-Speed Railway"


def test_acronyms_spelled_like_stopwords_are_names():
    """'US' and 'WHO' in capitals are acronyms, not the pronouns: 美国商务部 is the 'US Department of Commerce'.
    A dictionary sense that is a capitalised stopword alone (美国: 'US') explains it; one inside a longer sense
    does not (美元: 'US dollar' is not 'US')."""
    from glossary.mine import dictionary
    from glossary.mine.en_candidates import tokenize

    us, who, them = tokenize("US WHO us")
    assert not us.stop and us.acronym and not who.stop and them.stop
    assert "us" in dictionary.gloss_stems("United States/USA/US")
    assert "us" not in dictionary.gloss_stems("American dollar/US dollar")
    from glossary.mine.pairing import local_spans, profile

    text = "The US Department of Commerce expanded semiconductor export controls on China."
    tokens = tokenize(text)
    valid = {(a, b) for a in range(len(tokens)) for b in range(a, min(len(tokens), a + 8))}
    _, a, b = local_spans(profile("美国商务部"), tokens, valid)[0]
    assert text[tokens[a].start:tokens[b].end] == "US Department of Commerce"


def test_full_form_is_preferred_over_its_acronym_with_the_acronym_a_variant():
    """世界卫生组织 written 'WHO' alone scores higher locally than 'World Health Organization' followed by a title
    (the span then ends inside a capitalised run); the full form it abbreviates is still the preferred term, the
    acronym a variant, and no fragment ('World Health') is proposed as a competing translation."""
    rows = [("世界卫生组织总干事谭德塞说，加沙没有一家医院能够完全运转。",
             "World Health Organization Director-General Tedros Adhanom Ghebreyesus said no hospital in Gaza was "
             "fully functional."),
            ("世界卫生组织成员国同意继续就大流行协定进行谈判。",
             "WHO member states agreed to continue negotiations on a pandemic agreement.")]
    got = _mined(rows, min_score=0.0)
    c = got["世界卫生组织"]
    assert c.en == "World Health Organization"
    assert "WHO" in c.en_variants
    assert not {"World Health", "Health Organization"} & set(c.en_variants)


def test_a_possessor_does_not_lead_a_name_span():
    """'Tesla's Shanghai Gigafactory': the possessor is not part of the name of 上海超级工厂; an unexplained
    capitalised word may lead a span, a possessive one may not. An explained possessive inside a name still
    counts ('People's Bank of China' for 中国人民银行)."""
    from glossary.mine.en_candidates import tokenize
    from glossary.mine.pairing import local_spans, profile

    def best(zh, text):
        tokens = tokenize(text)
        valid = {(a, b) for a in range(len(tokens)) for b in range(a, min(len(tokens), a + 8))}
        spans = local_spans(profile(zh), tokens, valid)
        return {text[tokens[a].start:tokens[b].end] for s, a, b in spans if s == spans[0][0]}

    rows = [("特斯拉上海超级工厂今年交付了约95万辆汽车。",
             "Tesla's Shanghai Gigafactory delivered about 950,000 vehicles this year."),
            ("马斯克在社交媒体上称赞了上海超级工厂的效率。",
             "Musk praised the efficiency of the Shanghai Gigafactory on social media.")]
    assert not any(s.startswith("Tesla") for s in best("上海超级工厂", rows[0][1]))
    got = {z: c.en for z, c in _mined(rows, min_score=0.0).items()}
    assert got.get("上海超级工厂") == "Shanghai Gigafactory"
    assert "People's Bank of China" in best("中国人民银行", "The People's Bank of China decided to cut the "
                                                          "reserve requirement ratio.")


def test_an_acronym_spelling_a_dictionary_name_translates_it():
    """CC-CEDICT glosses 亚投行 'Asian Infrastructure Investment Bank' (no acronym); the press writes 'AIIB'. The
    initials of a proper name's sense are an acronym that explains the word (and, as for WTO, alone the whole
    word); a family-name reading is untouched ('Putin' still names 普京)."""
    from glossary.mine import dictionary
    from glossary.mine.en_candidates import tokenize
    from glossary.mine.pairing import local_spans, profile

    assert "aiib" in dictionary.name_initials("亚投行")
    text = "AIIB President Jin Liqun said the bank has approved more than 250 projects."
    tokens = tokenize(text)
    valid = {(a, b) for a in range(len(tokens)) for b in range(a, min(len(tokens), a + 8))}
    s, a, b = local_spans(profile("亚投行"), tokens, valid)[0]
    assert text[tokens[a].start:tokens[b].end] == "AIIB" and s >= 0.8  # 0.85: a title follows (AIIB President)
    putin = tokenize("Putin met Xi Jinping.")
    s, a, b = local_spans(profile("普京"), putin, {(a, b) for a in range(len(putin)) for b in range(a, len(putin))})[0]
    assert (a, b) == (0, 0)
