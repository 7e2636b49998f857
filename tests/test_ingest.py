"""DB-free ingest API (read_aligned, read_pair) on the seeds and generated files, and the ingest/align CLI."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from glossary.cli import app
from glossary.errors import InputError
from glossary.ingest import iter_input_files, read_aligned, read_pair
from tests.conftest import SEEDS

ALLOWED_BEADS = {"1-1", "1-2", "2-1", "1-3", "3-1", "2-2", "1-4", "4-1"}
DATA = SEEDS.parent / "tests" / "data" / "read"


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seeds_align_into_clean_pairs(seed):
    doc = read_aligned(SEEDS / seed)
    assert doc.raw.format == "mixed" and doc.raw.encoding == "utf-8"
    assert len(doc.pairs) >= 5
    assert [p.position for p in doc.pairs] == list(range(len(doc.pairs)))
    for p in doc.pairs:
        assert p.zh and p.en and p.bead in ALLOWED_BEADS and 0.0 <= p.score <= 1.0
        assert len(p.zh_norm) == len(p.zh) and not re.search(r"[\u4e00-\u9fff]\([a-zāáǎàīíǐìēéěèōóǒòūúǔù]+\)", p.zh)
        assert p.zh_line > 0 and p.en_line > 0
    assert sum(p.score >= 0.5 for p in doc.pairs) >= 0.8 * len(doc.pairs)


def test_boilerplate_and_untranslated_paragraph_not_paired():
    doc = read_aligned(SEEDS / "001_202a35d6b75b96b3.txt")
    zh_all = "".join(p.zh for p in doc.pairs)
    assert "版权" not in zh_all and "袁家军强调" not in zh_all  # copyright notice, untranslated paragraph
    assert any("untranslated zh" in s and ":41:" in s for s in doc.skipped)


def test_mojibake_kept_out_of_pairs():
    doc = read_aligned(SEEDS / "003_fe6430a27bb9429d.txt")
    assert not any("?" in p.zh or "摿" in p.zh for p in doc.pairs)
    assert sum("mojibake" in s for s in doc.skipped) == 3
    assert [i.line for i in doc.issues if i.kind == "mojibake"] == [15, 37, 39]
    # traditional original kept for display, Simplified in zh_norm
    p = next(p for p in doc.pairs if "聯誼會" in p.zh)
    assert "联谊会" in p.zh_norm


def test_tmx_xliff_tsv_files(tmp_path):
    tmx = read_aligned(DATA / "sample.tmx")
    assert tmx.raw.format == "tmx" and [p.bead for p in tmx.pairs] == ["1-1", "1-1"]
    assert tmx.pairs[0].zh_norm == "3月29日至31日,王雯率队赴广西学习调研。" and tmx.pairs[0].score > 0.5
    assert read_aligned(DATA / "sample20.xlf").raw.format == "xliff"
    tsv = tmp_path / "bi.tsv"
    tsv.write_text("中国\tChina\n东盟\tASEAN\n", encoding="utf-16")
    doc = read_aligned(tsv)
    assert doc.raw.format == "tsv" and doc.raw.encoding.startswith("utf-16") and len(doc.pairs) == 2


def test_one_language_and_empty_xml(tmp_path):
    zh_only = tmp_path / "zh.txt"
    zh_only.write_text("第一段中文。\n\n第二段中文。\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"zh\.txt:1:1: only Chinese text found"):
        read_aligned(zh_only)
    empty_tmx = tmp_path / "e.tmx"
    empty_tmx.write_text('<tmx version="1.4"><body></body></tmx>', encoding="utf-8")
    with pytest.raises(InputError, match="no Chinese–English pairs"):
        read_aligned(empty_tmx)


def _pair_files(tmp_path, enc="gb18030"):
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_bytes("3月29日,王雯率队赴广西调研。\n双方一致认为应加强合作。\n".encode(enc))
    en.write_text("On March 29, Wang Wen led a team to Guangxi.\nBoth sides agreed to strengthen cooperation.\n",
                  encoding="utf-8")
    return zh, en


def test_read_pair_line_aligned_and_unaligned(tmp_path):
    zh, en = _pair_files(tmp_path)
    doc = read_pair(zh, en)
    assert doc.raw.encoding == "gb18030+utf-8" and doc.raw.format == "pair"
    assert [(p.zh_line, p.en_line) for p in doc.pairs] == [(1, 1), (2, 2)]
    un = read_pair(zh, en, unaligned=True)
    assert un.raw.format == "pair-unaligned" and len(un.pairs) == 2
    assert un.raw.sha256 == doc.raw.sha256  # identity = the bytes of both files, whatever the mode
    en.write_text("One line only.\n", encoding="utf-8")
    with pytest.raises(InputError, match="use --unaligned"):
        read_pair(zh, en)


def test_iter_input_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x")
    (tmp_path / "b.tmx").write_text("x")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("x")
    assert [p.name for p in iter_input_files([tmp_path])] == ["b.tmx", "a.txt"]


# ----------------------------------------------------------------------------- CLI


def run(*args):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "g.db")
    assert run("--db", path, "init").exit_code == 0
    return path


def test_cli_ingest_seeds_idempotent(db, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    r = run("--db", db, "ingest", str(corpus))
    assert r.exit_code == 0, r.output
    assert "5 stored" in r.output and "mojibake" in r.output and ":37:119:" in r.output
    stats = json.loads(run("--db", db, "stats", "--json").output)
    expected = sum(len(read_aligned(p).pairs) for p in sorted(corpus.glob("*.txt")))
    assert stats["documents"] == 5 and stats["segments"] == expected
    r = run("--db", db, "ingest", str(corpus))
    assert r.exit_code == 0 and "0 stored, 5 unchanged" in r.output
    assert json.loads(run("--db", db, "stats", "--json").output)["segments"] == expected


def test_cli_bad_files(db, tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<tmx/>', encoding="utf-8")
    r = CliRunner().invoke(app, ["--db", db, "ingest", str(bad)])
    assert r.exit_code == 2 and f"{bad}:2:1: XML with a DOCTYPE" in r.output and "Traceback" not in r.output
    good = tmp_path / "good.txt"
    shutil.copy(SEEDS / "004_719ee97b54b7de9c.txt", good)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    r = CliRunner().invoke(app, ["--db", db, "ingest", str(bad), str(empty), str(good)])
    assert r.exit_code == 1 and "empty.txt:1:1: empty file" in r.output and "1 stored" in r.output
    assert json.loads(run("--db", db, "stats", "--json").output)["documents"] == 1
    r = CliRunner().invoke(app, ["--db", db, "ingest", "--zh", str(good)])
    assert r.exit_code == 2 and "--zh and --en" in r.output


def test_cli_ingest_pair(db, tmp_path):
    zh, en = _pair_files(tmp_path)
    r = run("--db", db, "ingest", "--zh", str(zh), "--en", str(en), "--unaligned")
    assert r.exit_code == 0, r.output
    assert json.loads(run("--db", db, "stats", "--json").output)["segments"] == 2


def test_cli_align_links_and_tsv(tmp_path):
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    zh.write_bytes("3月29日,王雯率队赴广西调研。\n本文来源于网络,仅供参考。\n张玲出席活动并致辞。\n".encode("gb18030"))
    en.write_text("On March 29, Wang Wen led a team to Guangxi.\nZhang Ling attended the event.\n"
                  "She delivered a speech.\n", encoding="utf-8")
    r = run("align", str(zh), str(en), "--presplit")
    assert r.exit_code == 0
    assert r.output.splitlines() == ["[0]:[0]", "[1]:[]", "[2]:[1,2]"]
    r = run("align", str(zh), str(en), "--format", "tsv")
    rows = [ln.split("\t") for ln in r.output.splitlines()]
    assert rows[0][:3] == ["3月29日,王雯率队赴广西调研。", "On March 29, Wang Wen led a team to Guangxi.", "1-1"]
    assert rows[-1][1] == "Zhang Ling attended the event. She delivered a speech."
    r = CliRunner().invoke(app, ["align", str(zh), str(tmp_path / "missing.txt")])
    assert r.exit_code == 2


def _tsv_lines(n: int) -> str:
    cities = ["重庆", "广西", "上海", "北京", "厦门"]
    rows = ["zh\ten"]
    for k in range(n):
        rows.append(f"{k + 1}月{k % 28 + 1}日,代表团访问{cities[k % 5]}。\tOn {k + 1} May the delegation visited "
                    f"{['Chongqing', 'Guangxi', 'Shanghai', 'Beijing', 'Xiamen'][k % 5]}.")
    rows.insert(4, "这一行没有制表符")
    rows.append("乱码\ufffd\ufffd文本。\tBroken text.")
    return "\n".join(rows) + "\n"


def test_bitext_streamed_in_batches_equals_whole_file(tmp_path, monkeypatch):
    import glossary.ingest as ingest_mod

    tsv = tmp_path / "big.tsv"
    tsv.write_text(_tsv_lines(23), encoding="utf-8")
    whole = read_aligned(tsv)
    monkeypatch.setattr(ingest_mod, "BATCH", 5)
    doc = read_aligned(tsv, stream=True)
    assert doc.pairs == [] and doc.batches is not None
    batches = list(doc.batches)
    assert [len(b) for b in batches][:4] == [5, 5, 5, 5]  # the mojibake line is skipped in the last batch
    streamed = [p for b in batches for p in b]
    key = [(p.zh, p.en, p.position, p.zh_line, p.bead) for p in streamed]
    assert key == [(p.zh, p.en, p.position, p.zh_line, p.bead) for p in whole.pairs]
    assert [p.position for p in streamed] == list(range(23))
    assert doc.skipped == whole.skipped and any("no tab" in s for s in doc.skipped)
    assert any("mojibake" in s for s in doc.skipped)


def test_cli_ingest_streams_large_bitext_into_one_document(db, tmp_path, monkeypatch):
    import glossary.ingest as ingest_mod
    import glossary.pool as pool
    from glossary.store.service import GlossaryService

    monkeypatch.setattr(ingest_mod, "BATCH", 4)
    monkeypatch.setattr(pool, "STREAM_BYTES", 10)  # every file counts as large: read here, streamed
    tsv = tmp_path / "big.tsv"
    tsv.write_text(_tsv_lines(17), encoding="utf-8")
    r = run("--db", db, "ingest", str(tsv))
    assert r.exit_code == 0, r.output
    assert "segments stored: 17" in r.output and "1-1:17" in r.output
    svc = GlossaryService.open(f"sqlite:///{db}")
    try:
        rows = list(svc.iter_segments())
    finally:
        svc.close()
    assert [s.position for s in rows] == list(range(17)) and rows[0].zh.startswith("1月1日")
    r = run("--db", db, "ingest", str(tsv))
    assert "0 stored, 1 unchanged" in r.output


@pytest.mark.slow  # starts two worker processes that each load CC-CEDICT
def test_cli_ingest_process_pool_stores_the_same_as_one_process(tmp_path, monkeypatch):
    from glossary.store.service import GlossaryService

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for k in range(8):  # 8 distinct files (the pool starts at POOL_MIN_FILES = 8)
        text = seeds[k % len(seeds)].read_text(encoding="utf-8")
        (corpus / f"doc{k}.txt").write_text(text + f"\n第{k + 1}次会议在重庆举行。\nMeeting {k + 1} was held in "
                                            "Chongqing.\n", encoding="utf-8")
    stored = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("GLOSSARY_JOBS", jobs)
        path = tmp_path / f"g{jobs}.db"
        assert run("--db", str(path), "init").exit_code == 0
        r = run("--db", str(path), "ingest", str(corpus))
        assert r.exit_code == 0 and "8 stored" in r.output, r.output
        svc = GlossaryService.open(f"sqlite:///{path}")
        try:
            stored.append([(s.document, s.position, s.zh, s.en) for s in svc.iter_segments()])
        finally:
            svc.close()
    assert stored[0] == stored[1] and len(stored[0]) > 40
