"""Cleaning on seed text: pinyin ruby verified by pypinyin, mojibake spans with positions, same-length matching form."""

from __future__ import annotations

from glossary.ingest import clean_document, clean_text
from glossary.read.detect import read_raw
from glossary.text.clean import display_form, find_mojibake, is_reading, match_form, strip_ruby
from tests.conftest import SEEDS

SEED000 = SEEDS / "000_df8d67f183ba9375.txt"
SEED003 = SEEDS / "003_fe6430a27bb9429d.txt"


def test_ruby_stripped_only_when_pypinyin_confirms():
    line = SEED000.read_text(encoding="utf-8").splitlines()[0]
    out, edits = strip_ruby(line)
    assert out.startswith("為探索新形勢下如何利用外事資源積極服務國家戰略,")
    assert "(" not in out and len(edits) == line.count("(")
    assert edits[0].text == "(shì)" and line[edits[0].start - 1] == "勢"
    # real brackets survive: place names, company names, Chinese content, wrong readings
    for keep in ("中新(重慶)戰略", "怡和(中國)有限公司", "出國(境)管理處", "勢(guó)", "國(shì)", "A(shì)"):
        assert strip_ruby(keep) == (keep, [])
    assert strip_ruby("國（guó）家") == ("國家", strip_ruby("國（guó）家")[1])
    assert strip_ruby("重(chong)慶")[0] == "重慶"  # toneless and heteronym readings accepted
    assert is_reading("發", "fā") and is_reading("发", "fa") and not is_reading("發", "shì")


def test_mojibake_spans_found_on_seed_003():
    text = SEED003.read_text(encoding="utf-8")
    stripped, _ = strip_ruby(text)
    spans = [stripped[s:e] for s, e in find_mojibake(stripped)]
    assert spans == ["?!g", "?jié)摿薮?", "?shù)赝馐掳l(fā)"]
    # clean text (all other seeds) has none
    for seed in sorted(SEEDS.glob("*.txt")):
        if seed != SEED003:
            assert find_mojibake(strip_ruby(seed.read_text(encoding="utf-8"))[0]) == []
    assert find_mojibake("Chongqing’s café") == []
    assert find_mojibake("Chongqingâ€™s plan") == [(9, 12)]
    assert find_mojibake("问题?我们") == []  # an ASCII question mark between sentences is fine
    assert find_mojibake("乱码\ufffd\ufffd文本") == [(2, 4)]


def test_mojibake_reported_with_original_line_and_column():
    doc, _ = clean_document(read_raw(SEED003))
    moj = [(i.line, i.col, i.text) for i in doc.issues if i.kind == "mojibake"]
    lines = SEED003.read_text(encoding="utf-8").splitlines()
    assert [(m[0], m[1]) for m in moj] == [(15, 84), (37, 119), (39, 81)]
    for line, col, span in moj:  # the column points into the ORIGINAL line (before ruby removal)
        assert lines[line - 1][col - 1:col - 1 + len(span)] == span
    ruby = [i for i in doc.issues if i.kind == "ruby"]
    assert ruby and all(i.message.startswith("removed") for i in ruby)


def test_match_form_keeps_length_and_folds():
    s = "“勢”—ＡＢ１\u200b發展‘x’"
    m = match_form(s)
    assert len(m) == len(s)
    assert m == '"势"-AB1 发展\'x\''
    assert display_form("ＡＢ１２，中文") == "AB12，中文"  # full-width letters/digits only; Chinese comma kept
    ct = clean_text("國(guó)家發(fā)展")
    assert ct.text == "國家發展" and ct.norm == "国家发展" and not ct.mojibake


def test_rare_but_clean_characters_are_not_mojibake():
    # 筼筜 (Xiamen's Yundang lake) is outside GB2312 and Big5-level-1 but is ordinary text, not mojibake
    assert find_mojibake("厦门筼筜湖畔的筼筜书院很美。") == []
    assert find_mojibake("厦门筼筜湖?筼筜书院") != []  # a '?' inside Chinese is still a signal


def test_utf8_read_as_gbk_is_still_mojibake():
    broken = "重庆市政府外事办公室".encode("utf-8").decode("gbk", errors="replace")
    text = "今天" + broken + "发布消息。"
    spans = find_mojibake(text)
    assert spans and spans[0][0] >= 2 and spans[-1][1] <= 2 + len(broken)
    # rare characters whose GBK bytes are UTF-8 (the wrong codec) count even without '?' or U+FFFD
    no_marks = "办公".encode("utf-8").decode("gbk")  # 鍔炲叕: two rare Han, fully decodable
    assert "\ufffd" not in no_marks and "?" not in no_marks
    assert find_mojibake("我们" + no_marks + "。") != []


def test_ascii_fast_paths_equal_the_general_path():
    from glossary.text.clean import _MATCH_CHARS, _han_spans
    from glossary.text.normalize import to_simplified

    every = "".join(map(chr, range(128)))
    assert match_form(every) == every == to_simplified(every.translate(_MATCH_CHARS))
    for text in (every, "Why? Because 3 > 2?! (No.) 'quoted' \"double\" a-b -- c", "??? ?a? Ã"[:-1]):
        assert text.isascii() and find_mojibake(text) == []
        spans: list = []
        _han_spans(text, set(), spans)  # what the general path would find: nothing without Han around
        assert spans == []
    assert find_mojibake("中文?乱码??文字") != []  # the non-ASCII path still runs
