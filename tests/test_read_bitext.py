"""Pre-aligned bitext readers: TMX, XLIFF 1.2 / 2.0, TSV; hardened XML parsing (XXE, billion laughs, malformed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.errors import InputError
from glossary.read.bitext import read_tmx, read_tsv, read_xliff

DATA = Path(__file__).parent / "data" / "read"


def test_tmx_pairs_any_order_and_inline_codes():
    pairs = read_tmx((DATA / "sample.tmx").read_text(encoding="utf-8"), "sample.tmx")
    assert [(p.zh, p.en) for p in pairs] == [
        ("3月29日至31日,王雯率队赴廣西學習調研。", "From March 29 to 31, Wang Wen led a team to survey in Guangxi."),
        ("中國和東盟合作。", "China and ASEAN cooperate."),  # <bpt>/<ept> native codes dropped
    ]
    assert pairs[0].line == 6


def test_xliff_12_and_20_either_direction():
    p12 = read_xliff((DATA / "sample12.xlf").read_text(encoding="utf-8"), "a.xlf")
    assert [(p.zh, p.en) for p in p12] == [
        ("西部陆海新通道", "The New International Land-Sea Trade Corridor (ILSTC)"),
        ("新闻发布会", "Press conference"),
    ]
    p20 = read_xliff((DATA / "sample20.xlf").read_text(encoding="utf-8"), "b.xlf")
    assert [(p.zh, p.en) for p in p20] == [
        ("成渝地区双城经济圈", "Chengdu-Chongqing Economic Circle"),
        ("重庆市政府外办", "Chongqing FAO"),
    ]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<tmx version="1.4"><body><tu><tuv xml:lang="zh"><seg>&lol3;</seg></tuv></tu></body></tmx>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>&xxe;</seg></tuv></tu></body></tmx>
"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE])
def test_entity_attacks_refused_with_position(payload):
    with pytest.raises(InputError, match=r"^evil\.tmx:2:1: XML with a DOCTYPE/ENTITY declaration refused"):
        read_tmx(payload, "evil.tmx")


def test_malformed_xml_names_line_and_column():
    bad = '<?xml version="1.0"?>\n<tmx version="1.4"><body>\n<tu><tuv xml:lang="zh"><seg>中文</tuv></tu>\n'
    with pytest.raises(InputError, match=r"^bad\.tmx:3:\d+: malformed XML"):
        read_tmx(bad, "bad.tmx")
    with pytest.raises(InputError, match="not a TMX file"):
        read_tmx("<html><body/></html>", "page.tmx")


def test_tsv_columns_either_order_and_skips():
    text = "zh\ten\n中国\tChina\nASEAN\t东盟\nno tab here\n英文\t中文\n"
    pairs, skipped = read_tsv(text, "t.tsv")
    assert [(p.zh, p.en, p.line) for p in pairs] == [("中国", "China", 2), ("东盟", "ASEAN", 3)]
    assert skipped == ["t.tsv:4:1: no tab, expected 'zh<TAB>en'",
                       "t.tsv:5:1: columns are not one Chinese and one English text"]
