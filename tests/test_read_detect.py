"""Encoding and format detection, and refusal of bad files (empty, binary, undecodable, huge single line)."""

from __future__ import annotations

import pytest

from glossary.errors import InputError
from glossary.read.detect import check_line_lengths, decode_bytes, detect_format, read_raw
from tests.conftest import SEEDS

SEED = (SEEDS / "000_df8d67f183ba9375.txt").read_text(encoding="utf-8")
SEED_SIMPLIFIED = (SEEDS / "001_202a35d6b75b96b3.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("enc, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-bom"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"), ("gb18030", "gb18030"),
])
def test_detects_encoding_of_seed_text(tmp_path, enc, expected):
    p = tmp_path / "doc.txt"
    p.write_bytes(SEED.encode(enc))
    raw = read_raw(p)
    assert raw.text.lstrip("\ufeff") == SEED
    assert raw.encoding.startswith(expected.split("-")[0])
    if enc != "utf-16":
        assert raw.encoding == expected
    assert raw.format == "mixed" and len(raw.sha256) == 64


def test_gbk_and_big5(tmp_path):
    simp = SEED_SIMPLIFIED.split("\n")[2]  # a Simplified paragraph encodable in GBK
    p = tmp_path / "gbk.txt"
    p.write_bytes((simp + "\nThe English line.\n").encode("gbk"))
    raw = read_raw(p)
    assert simp in raw.text and raw.encoding in ("gb18030", "gbk", "gb2312")
    trad = "重慶市政府外事辦公室舉行座談會,雙方一致認為應加強交流合作。\nThe two sides agreed.\n"
    p = tmp_path / "big5.txt"
    p.write_bytes(trad.encode("big5"))
    raw = read_raw(p)
    assert raw.text == trad and raw.encoding == "big5"


def test_empty_binary_undecodable_and_long_line(tmp_path):
    with pytest.raises(InputError, match=r"empty\.txt:1:1: empty file"):
        decode_bytes(b"  \n\n", "empty.txt")
    with pytest.raises(InputError, match=r"bin\.dat:1:4: binary file"):
        decode_bytes(b"PK\x03\x00\x00\x14\x00\x06\x00" * 3 + b"\xff\xfe\xfd", "bin.dat")
    with pytest.raises(InputError, match=r"x\.txt:3:\d+: line is longer"):
        check_line_lengths(b"a\nb\n" + b"c" * 2000, "x.txt", limit=1000)
    p = tmp_path / "huge.txt"
    p.write_bytes(b"A" * (1_000_001))
    with pytest.raises(InputError, match=r"huge\.txt:1:1000001: line is longer"):
        read_raw(p)


def test_undecodable_bytes_name_position(tmp_path):
    # invalid in UTF-8, GB18030 and Big5 alike: 0xFF bytes after a valid line
    data = "第一行 first line\n".encode() + b"ok \xff\xff\xff\xff\xff\xff\xff\xff" * 4
    with pytest.raises(InputError, match=r"bad\.txt:2:4: undecodable bytes"):
        decode_bytes(data, "bad.txt")


def test_format_detection():
    assert detect_format("a.txt", SEED) == "mixed"
    assert detect_format("a.xml", '<?xml version="1.0"?>\n<tmx version="1.4"><body/></tmx>') == "tmx"
    assert detect_format("a.xml", '<xliff version="2.0" srcLang="en"/>') == "xliff"
    assert detect_format("a.tmx", "garbage") == "tmx"
    assert detect_format("a.txt", "中文一\tEnglish one\n中文二\tEnglish two\n") == "tsv"
    assert detect_format("a.txt", "only one line\twith a tab") == "mixed"
