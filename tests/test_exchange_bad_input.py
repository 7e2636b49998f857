"""Hostile and broken files: one clear error naming the file (and row), nothing imported."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner

from glossary.cli import app
from glossary.errors import InputError
from glossary.exchange import load_entries
from glossary.exchange.safexml import parse_bytes
from tests.exchange_support import DATA, SAMPLE, SCHEMAS, fresh_service


@pytest.mark.parametrize("name", ["xxe.tbx", "xxe_utf16.tbx", "billion_laughs.tbx"])
def test_entity_declarations_are_refused(name):
    with pytest.raises(InputError, match=rf"{name}:\d+: DTD declarations \(entities\) are not allowed"):
        load_entries(DATA / name)


def test_entities_in_memory_are_refused_too():
    with pytest.raises(InputError, match="not allowed"):
        parse_bytes((DATA / "billion_laughs.tbx").read_bytes(), "lol.xml")


def test_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (64 << 20))  # 64 MiB of zeros, ~64 KiB packed
    assert bomb.stat().st_size < 200_000
    with pytest.raises(InputError, match=r"bomb\.xlsx: refusing a suspicious zip member .*zip bomb"):
        load_entries(bomb)


@pytest.mark.parametrize("content", [b"Entry_ID,Lang,Term\n1,zh,x\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old xls"])
def test_non_xlsx_renamed_to_xlsx(tmp_path, content):
    fake = tmp_path / "glossary.xlsx"
    fake.write_bytes(content)
    with pytest.raises(InputError, match=r"glossary\.xlsx: not an Excel \.xlsx file"):
        load_entries(fake)


def test_zip_that_is_not_a_workbook(tmp_path):
    other = tmp_path / "docs.xlsx"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(InputError, match=r"docs\.xlsx: not an Excel \.xlsx workbook"):
        load_entries(other)


def test_truncated_xlsx(tmp_path):
    from glossary.exchange import write_entries

    good = tmp_path / "good.xlsx"
    write_entries(load_entries(SAMPLE), good, "xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputError, match=r"broken\.xlsx: "):
        load_entries(broken)


def test_json_not_utf8(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"terms": [{"lang": "en", "text": "café"}]}\n'.encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.jsonl:1:\d+: not valid utf-8 text"):
        load_entries(path)


@pytest.mark.parametrize("path", [DATA / "xxe.tbx", DATA / "bad_status.csv", DATA / "gbk_zh_en.csv",
                                  SCHEMAS / "poorly_formed_xml.tbx", SCHEMAS / "core_structure_bad.tbx"])
def test_cli_prints_one_line_and_imports_nothing(tmp_path, path):
    if not path.exists():
        pytest.skip("official samples not available")
    svc = fresh_service(tmp_path)
    svc.close()
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "g.db"), "import", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and result.output.count("\n") == 1, result.output
    assert path.name in result.output
    from glossary.store.service import GlossaryService

    again = GlossaryService.open(f"sqlite:///{tmp_path / 'g.db'}")
    try:
        assert again.stats()["entries"] == 0
    finally:
        again.close()
