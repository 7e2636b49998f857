"""XLSX export/import: CAT-tool concept sheet, full-fidelity term sheet, sources, formula injection neutralised."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from glossary.errors import InputError
from glossary.exchange import load_entries
from glossary.exchange.xlsx import CONCEPT_COLS, DANGEROUS
from glossary.store.bulk import import_entries
from tests.exchange_support import export, fresh_service, sample_entries


@pytest.fixture
def workbook_path(tmp_path):
    svc = fresh_service(tmp_path)
    import_entries(svc, sample_entries(), on_duplicate="new")
    path = export(svc, tmp_path / "out.xlsx", "xlsx")
    svc.close()
    return path


def test_layout(workbook_path):
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == ["Entries", "Terms", "Sources"]
    entries, terms, sources = wb["Entries"], wb["Terms"], wb["Sources"]
    assert [c.value for c in entries[1]] == list(CONCEPT_COLS)
    n_terms = sum(len(e.terms) for e in sample_entries())
    assert entries.max_row == 20 and terms.max_row == 1 + n_terms and sources.max_row > 1
    for ws in (entries, terms, sources):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws.cell(1, 1).font.b
    assert entries.column_dimensions["F"].width == 24  # zh-CN
    assert entries.column_dimensions["I"].width == 36  # en
    lists = {str(dv.sqref): dv.formula1 for dv in entries.data_validations.dataValidation}
    assert lists == {"B2:B1048576": '"proposed,approved,rejected"',
                     "K2:K1048576": '"preferred,admitted,deprecated,forbidden"'}
    assert {str(dv.sqref) for dv in terms.data_validations.dataValidation} == {"B2:B1048576", "N2:N1048576"}
    row = {h: c.value for h, c in zip(CONCEPT_COLS, entries[17])}  # 外事办公室 entry
    assert row["zh-CN"] == "外事办公室" and row["zh-CN variants"] == "外办"
    assert row["en"] == "Foreign Affairs Office" and row["en variants"] == "FAO; foreign-affairs bureau"
    assert row["Forbidden"] == "Foreign Office" and row["en status"] == "preferred"


def test_formula_injection_is_neutralised(workbook_path):
    with zipfile.ZipFile(workbook_path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(z.read(n).decode("utf-8") for n in sheets)
    assert "<f>" not in xml and "<f " not in xml  # not a single formula anywhere
    wb = load_workbook(workbook_path)
    dangerous = [c for ws in wb for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value.startswith(DANGEROUS)]
    texts = {c.value for c in dangerous}
    assert {'=HYPERLINK("http://evil.example","click")', "+86 hotline", "-2% growth"} <= texts
    assert any(t.startswith("@mention") for t in texts)
    for c in dangerous:
        assert c.data_type == "s" and c.quotePrefix, c.coordinate
    again = load_entries(workbook_path)
    notes = {e.note for e in again}
    assert '=HYPERLINK("http://evil.example","click")' in notes  # the text itself is kept intact


def test_simple_user_sheet_with_language_columns(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["中文", "English", "Comment"])
    ws.append(["西部陆海新通道", "New International Land-Sea Trade Corridor", "from the seeds"])
    ws.append(["東盟", "ASEAN", None])
    ws.append([None, None, None])
    path = tmp_path / "user.xlsx"
    wb.save(path)
    entries = load_entries(path)
    assert [(t.lang, t.text, t.status) for t in entries[0].terms] == [
        ("zh", "西部陆海新通道", "preferred"), ("en", "New International Land-Sea Trade Corridor", "preferred")]
    assert entries[0].note == "from the seeds"
    svc = fresh_service(tmp_path)
    try:
        import_entries(svc, entries)
        stored = list(svc.iter_entries())
        assert stored[1].terms[0].text == "东盟" and stored[1].terms[0].original == "東盟"
    finally:
        svc.close()


def test_sheet_without_language_columns_names_file_and_row(tmp_path):
    wb = Workbook()
    wb.active.append(["Word", "Meaning"])
    wb.active.append(["a", "b"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputError, match=r"bad\.xlsx \[Sheet\]:1: missing column\(s\): zh, en"):
        load_entries(tmp_path / "bad.xlsx")
