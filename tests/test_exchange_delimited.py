"""CSV/TSV: full-fidelity layout with optional BOM, simple zh/en column files, OmegaT glossary TSV."""

from __future__ import annotations

import pytest

from glossary.errors import InputError
from glossary.exchange import detect_format, load_entries, write_entries
from glossary.exchange.delimited import LONG_COLS
from glossary.store.bulk import import_entries
from tests.exchange_support import DATA, fresh_service, sample_entries


def test_csv_with_bom_for_excel(tmp_path):
    path = tmp_path / "g.csv"
    write_entries(sample_entries(), path, "csv", bom=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.split(b"\r\n", 1)[0].decode("utf-8-sig") == ",".join(LONG_COLS)
    again = load_entries(path)
    assert [[(t.lang, t.text, t.status) for t in e.terms] for e in again] == \
        [[(t.lang, t.text, t.status) for t in e.terms] for e in sample_entries()]
    assert again[0].sources == sample_entries()[0].sources


def test_tsv_keeps_tabs_and_newlines_inside_fields(tmp_path):
    path = tmp_path / "g.tsv"
    write_entries(sample_entries(), path, "tsv")
    assert detect_format(path) == "tsv"
    notes = [e.note for e in load_entries(path)]
    assert "@mention\tand a tab\nsecond line" in notes


def test_omegat_export_lines(tmp_path):
    path = tmp_path / "glossary.txt"
    write_entries(sample_entries(), path, "omegat")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(line.count("\t") == 2 for line in lines)
    office = [line for line in lines if line.startswith("外事办公室\t")]
    # preferred first, deprecated and forbidden English terms are not offered to translators
    assert [line.split("\t")[1] for line in office] == ["Foreign Affairs Office", "FAO"]
    assert "热线电话\t+86 hotline\t@mention and a tab second line" in lines


def test_omegat_import(tmp_path):
    entries = load_entries(DATA / "omegat_glossary.txt")
    assert [(e.terms[0].text, e.terms[1].text, e.note) for e in entries] == [
        ("西部陆海新通道", "New International Land-Sea Trade Corridor", "from the seeds"),
        ("王雯", "Wang Wen", None), ("重庆", "Chongqing", "place name")]


def test_wide_csv_with_variants_and_forbidden_terms():
    entries = load_entries(DATA / "wide_zh_en.csv")
    assert [(t.lang, t.text, t.status) for t in entries[0].terms] == [
        ("zh", "西部陆海新通道", "preferred"), ("en", "New International Land-Sea Trade Corridor", "preferred"),
        ("en", "New Western Land-Sea Corridor", "admitted"), ("en", "ILSTC", "admitted")]
    assert entries[0].note == "seed term"
    assert ("en", "Qinzhou Harbour Zone", "forbidden") in [(t.lang, t.text, t.status) for t in entries[1].terms]


def test_wrong_encoding_names_file_line_and_column(tmp_path):
    with pytest.raises(InputError, match=r"gbk_zh_en\.csv:2:1: not valid utf-8 text .*--encoding"):
        load_entries(DATA / "gbk_zh_en.csv")
    entries = load_entries(DATA / "gbk_zh_en.csv", encoding="gbk")
    assert entries[0].terms[0].text == "西部陆海新通道" and entries[0].note == "种子"


def test_missing_columns_and_bad_values_name_the_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Word,Meaning\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv:1: missing column\(s\): zh, en"):
        load_entries(bad)
    with pytest.raises(InputError, match=r"bad_status\.csv:4: unknown entry status 'finished'") as exc:
        load_entries(DATA / "bad_status.csv")
    assert "\n" not in str(exc.value)


def test_unterminated_quote_is_reported(tmp_path):
    bad = tmp_path / "q.csv"
    bad.write_text('zh,en\n"西部,New\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"q\.csv:\d+: bad CSV"):
        load_entries(bad)


def test_bad_row_imports_nothing(tmp_path):
    svc = fresh_service(tmp_path)
    try:
        with pytest.raises(InputError):
            import_entries(svc, load_entries(DATA / "bad_status.csv"))
        assert svc.stats()["entries"] == 0
    finally:
        svc.close()
