"""Sentence splitting for Chinese and English, on seed sentences and abbreviation traps."""

from __future__ import annotations

from glossary.text.sentences import sentences, split


def test_chinese_terminators_quotes_and_ascii_punctuation():
    text = "王雯说:“我们要加强合作!”双方一致认为,应该互为援引;此外,还考察了物流园。好吗?是的……结束"
    assert sentences(text, "zh") == ["王雯说:“我们要加强合作!”", "双方一致认为,应该互为援引;", "此外,还考察了物流园。",
                                      "好吗?", "是的……", "结束"]


def test_chinese_mojibake_question_marks_do_not_split():
    seed = "以“月見山?!g聚渝中”為主題,各國駐渝領事官員歡聚一堂。發展?jié)摿薮?,希望與市政府外辦繼續保持良好的交流。"
    assert sentences(seed, "zh") == ["以“月見山?!g聚渝中”為主題,各國駐渝領事官員歡聚一堂。",
                                     "發展?jié)摿薮?,希望與市政府外辦繼續保持良好的交流。"]


def test_english_abbreviations_and_missing_spaces():
    text = ("They met Mr. Yang Dong and Ms. Xiang Qionghua of Hongkong Land (Chongqing) Investment and Development "
            "Co., Ltd to talk. Route No. 5 opened in the U.S. in 2023. Growth was 3.5 percent.Next, the Trade Corridor "
            "(ILSTC).Zhang Yaxi spoke. J. Smith agreed! Did he? Yes.")
    assert sentences(text, "en") == [
        "They met Mr. Yang Dong and Ms. Xiang Qionghua of Hongkong Land (Chongqing) Investment and Development "
        "Co., Ltd to talk.",
        "Route No. 5 opened in the U.S. in 2023.",
        "Growth was 3.5 percent.",
        "Next, the Trade Corridor (ILSTC).",
        "Zhang Yaxi spoke.",
        "J. Smith agreed!",
        "Did he?",
        "Yes.",
    ]


def test_spans_are_offsets_into_the_text():
    text = "  第一句。 第二句!  "
    spans = split(text, "zh")
    assert [text[s:e] for s, e in spans] == ["第一句。", "第二句!"]
    assert split("", "en") == [] and split("   ", "zh") == []
