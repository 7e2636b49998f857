"""A minimal streaming XLSX package writer (inline strings, frozen header, autofilter, widths, list validation)."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from glossary.exchange.common import xml_clean

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")  # written as text with quotePrefix, never as formulas
_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
HEADER_XF, TEXT_XF = 1, 2

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def col_letter(i: int) -> str:
    out = ""
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _text(value: str) -> str:
    # like openpyxl, literal _xHHHH_ sequences are not escaped (openpyxl does not unescape them on reading)
    return xml_clean(value).translate(_ESC)


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


class Sheet:
    """Rows go straight to a temporary file; the sheet's XML tail is written when the workbook closes."""

    def __init__(self, title: str, cols, widths, lists: dict[str, str] | None):
        self.title, self.cols, self.lists = title, tuple(cols), lists or {}
        self.letters = [col_letter(i) for i in range(1, len(self.cols) + 1)]
        self.rows = 0
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        widths_xml = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                             for i, w in enumerate(widths, 1))
        self.file.write(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{widths_xml}</cols><sheetData>')
        self._row(self.cols, HEADER_XF)

    def _row(self, values, style: int = 0) -> None:
        self.rows += 1
        r = self.rows
        cells = []
        for letter, v in zip(self.letters, values):
            if v is None or v == "":
                continue
            if isinstance(v, bool):
                v = int(v)
            if isinstance(v, (int, float)):
                num = repr(float(f"{v:.15g}")) if isinstance(v, float) else str(v)
                cells.append(f'<c r="{letter}{r}"><v>{num}</v></c>')
                continue
            v = str(v)
            s = style or (TEXT_XF if v.startswith(DANGEROUS) else 0)
            st = f' s="{s}"' if s else ""
            cells.append(f'<c r="{letter}{r}"{st} t="inlineStr"><is><t xml:space="preserve">{_text(v)}</t></is></c>')
        self.file.write(f'<row r="{r}">{"".join(cells)}</row>')

    def append(self, values) -> None:
        self._row(values)

    def tail(self) -> str:
        last = self.letters[-1]
        parts = [f'</sheetData><autoFilter ref="A1:{last}{max(self.rows, 2)}"/>']
        if self.lists:
            parts.append(f'<dataValidations count="{len(self.lists)}">')
            for col, choices in self.lists.items():
                letter = self.letters[self.cols.index(col)]
                parts.append(f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorTitle="status" '
                             f'error="one of {_attr(choices)}" sqref="{letter}2:{letter}1048576">'
                             f'<formula1>"{_attr(choices)}"</formula1></dataValidation>')
            parts.append("</dataValidations>")
        parts.append("</worksheet>")
        return "".join(parts)


class Workbook:
    """Context manager: add sheets, append rows, and the package is zipped (atomically by the caller) on exit."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.sheets: list[Sheet] = []

    def sheet(self, title, cols, widths, lists: dict[str, str] | None = None) -> Sheet:
        s = Sheet(title, cols, widths, lists)
        self.sheets.append(s)
        return s

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._save()
        finally:
            for s in self.sheets:
                s.file.close()

    def _save(self) -> None:
        n = len(self.sheets)
        with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            z.writestr("[Content_Types].xml", self._content_types())
            z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                       f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
            z.writestr("xl/workbook.xml", self._workbook())
            rels = "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                           for i in range(1, n + 1))
            rels += f'<Relationship Id="rId{n + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
            z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       f'<Relationships xmlns="{PKG_REL}">{rels}</Relationships>')
            z.writestr("xl/styles.xml", STYLES)
            for i, s in enumerate(self.sheets, 1):
                s.file.write(s.tail())
                s.file.seek(0)
                with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as out:
                    while chunk := s.file.read(1 << 20):
                        out.write(chunk.encode("utf-8"))

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.sheets) + 1))
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/styles.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                f"{sheets}</Types>")

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{_attr(s.title)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, s in enumerate(self.sheets, 1))
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"'{_attr(s.title)}'!$A$1:${s.letters[-1]}${max(s.rows, 2)}</definedName>"
            for i, s in enumerate(self.sheets))
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
                f'xmlns:r="{REL_NS}"><bookViews><workbookView/></bookViews><sheets>{sheets}</sheets>'
                f"<definedNames>{names}</definedNames></workbook>")
