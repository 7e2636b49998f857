"""CSV/TSV read + write: full-fidelity rows (one term per row), simple zh/en column files, OmegaT glossary TSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from glossary.data import EntryData, TermData
from glossary.errors import input_error
from glossary.exchange.common import Progress, check_entry, opt, parse_score, positioned, preferred, read_text

# full-fidelity layout: entry fields repeated on every term row, sources (JSON) on the entry's first row
ENTRY_COLS = ("Entry_ID", "Status", "Score", "Subject", "Definition", "Note",
              "Created", "Created_By", "Modified", "Modified_By")
TERM_COLS = ("Lang", "Term", "Term_Type", "Term_Status", "Pinyin", "Original", "POS", "Term_Note")
LONG_COLS = ENTRY_COLS + TERM_COLS + ("Sources",)
_ENTRY_ATTRS = ("id", "status", "score", "subject", "definition", "note",
                "created_at", "created_by", "updated_at", "updated_by")
_TERM_ATTRS = ("lang", "text", "term_type", "status", "pinyin", "original", "pos", "note")

# simple "wide" files written by people or other tools: one concept per row, a column per language
WIDE_ALIASES = {
    "zh": ("zh", "zh-cn", "zh_cn", "zh-hans", "zh-hant", "zh-tw", "zh-sg", "zh-hk", "chinese", "中文",
           "source", "source term", "term (zh)"),
    "en": ("en", "en-us", "en_us", "en-gb", "english", "英文", "target", "target term", "term (en)"),
    "note": ("note", "notes", "comment", "comments", "remark", "备注"),
    "definition": ("definition",), "subject": ("subject", "domain", "subject field"),
    "status": ("status", "entry status"), "score": ("score",), "id": ("entry_id", "id"),
}
SEP = "; "  # between variants in one cell


def delimiter_for(path: str | Path, fmt: str | None = None) -> str:
    if fmt in ("tsv", "omegat"):
        return "\t"
    if fmt == "csv":
        return ","
    return "," if str(path).lower().endswith(".csv") else "\t"


DANGEROUS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting with these


def _s(value) -> str:
    """Cell text; formula-like text (and text already starting with ') gets a ' prefix, undone on import."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS + ("'",)) else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def long_rows(entries: Iterable[EntryData], with_sources: bool = True) -> Iterator[list[str]]:
    """One row per term, entry fields repeated; the entry's sources as JSON on its first row."""
    for n, e in enumerate(entries, 1):
        head = [_s(e.id if e.id is not None else n)] + [_s(getattr(e, a)) for a in _ENTRY_ATTRS[1:]]
        for i, t in enumerate(e.terms):
            row = head + [_s(getattr(t, a)) for a in _TERM_ATTRS]
            if with_sources:
                row.append(json.dumps(e.sources, ensure_ascii=False) if i == 0 and e.sources else "")
            yield row


def write(entries, path: str | Path, progress: Progress = None, fmt: str = "csv", bom: bool = False,
          **_ignored) -> int:
    """Write CSV (comma) or TSV (tab) in the full-fidelity layout; `bom` adds a UTF-8 BOM for Excel."""
    if fmt == "omegat":
        return write_omegat(entries, path, progress, bom=bom)
    counter = _Counter(entries, progress)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f, delimiter=delimiter_for(path, fmt), lineterminator="\r\n")
        w.writerow(LONG_COLS)
        w.writerows(long_rows(counter))
    counter.done()
    return counter.n


def write_omegat(entries, path: str | Path, progress: Progress = None, bom: bool = False) -> int:
    """OmegaT glossary: source<TAB>target<TAB>comment, one line per usable English term of an entry."""
    counter = _Counter(entries, progress)

    def flat(text):
        return " ".join((text or "").split())

    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="\n") as f:
        for e in counter:
            zh = preferred(e, "zh")
            if zh is None:
                continue
            ens = [t for t in e.terms if t.lang == "en" and t.status not in ("deprecated", "forbidden")]
            best = preferred(e, "en")
            ens.sort(key=lambda t: t is not best)
            for t in ens:
                f.write(f"{flat(zh.text)}\t{flat(t.text)}\t{flat(e.note)}\n")
    counter.done()
    return counter.n


class _Counter:
    """Wraps an entry iterable, reporting progress every 1000 entries."""

    def __init__(self, entries, progress: Progress):
        self.entries, self.progress, self.n = entries, progress, 0

    def __iter__(self):
        for e in self.entries:
            self.n += 1
            if self.progress and self.n % 1000 == 0:
                self.progress(1000)
            yield e

    def done(self):
        if self.progress:
            self.progress(self.n % 1000)


# --------------------------------------------------------------------------- reading


def _key(label) -> str:
    return " ".join(str(label or "").replace("\ufeff", "").strip().lower().split())


def entries_from_long(path, header: list, rows: Iterable[tuple[int, list]], sources_by_id=None,
                      escaped: bool = True) -> list[EntryData]:
    """Group full-fidelity rows (any column order) into entries by Entry_ID.

    `escaped`: cells were written by long_rows() (a leading ' protects formula-like text and is removed).
    """
    index = {_key(h): i for i, h in enumerate(header)}
    missing = [c for c in ("Lang", "Term") if _key(c) not in index]
    if missing:
        raise input_error(str(path), f"missing column(s): {', '.join(missing)}", 1)

    def get(row, col):
        i = index.get(_key(col))
        value = row[i] if i is not None and i < len(row) and row[i] is not None else ""
        return _unescape(value) if escaped and isinstance(value, str) else value

    entries: list[EntryData] = []
    current_id = object()
    current: EntryData | None = None
    first_line = 0
    for line, row in rows:
        if not any(str(c).strip() for c in row if c is not None):
            continue
        where = positioned(path, line)
        eid = str(get(row, "Entry_ID")).strip()
        if current is None or not eid or eid != current_id:
            if current is not None:
                entries.append(check_entry(current, positioned(path, first_line)))
            current, current_id, first_line = _entry_from_row(get, row, where), eid, line
            if sources_by_id is not None:
                current.sources = sources_by_id.get(eid, [])
        current.terms.append(TermData(
            lang=str(get(row, "Lang")).strip(), text=str(get(row, "Term")),
            term_type=str(get(row, "Term_Type")).strip() or "fullForm",
            status=str(get(row, "Term_Status")).strip() or "admitted",
            pinyin=opt(get(row, "Pinyin")), original=opt(get(row, "Original")),
            pos=opt(get(row, "POS")), note=opt(get(row, "Term_Note")),
        ))
        src = str(get(row, "Sources"))
        if src.strip():
            try:
                current.sources = [{"document": str(s.get("document") or ""), "zh": str(s.get("zh") or ""),
                                    "en": str(s.get("en") or "")} for s in json.loads(src)]
            except (ValueError, AttributeError, TypeError, RecursionError):
                raise where("Sources column is not a JSON list of {document, zh, en}") from None
    if current is not None:
        entries.append(check_entry(current, positioned(path, first_line)))
    return entries


def _entry_from_row(get, row, where) -> EntryData:
    eid = str(get(row, "Entry_ID")).strip()
    return EntryData(
        terms=[], status=str(get(row, "Status")).strip() or "proposed",
        score=parse_score(get(row, "Score"), where), subject=opt(get(row, "Subject")),
        definition=opt(get(row, "Definition")), note=opt(get(row, "Note")),
        id=int(eid) if eid.isdigit() else None,
        created_at=opt(get(row, "Created")), created_by=opt(get(row, "Created_By")),
        updated_at=opt(get(row, "Modified")), updated_by=opt(get(row, "Modified_By")),
    )


def wide_columns(header: list) -> dict[str, int]:
    """Recognised columns of a one-concept-per-row table (zh, en, their variants, note, ...)."""
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        k = _key(h)
        for field, names in WIDE_ALIASES.items():
            if k in names and field not in cols:
                cols[field] = i
        for lang in ("zh", "en"):
            for name in WIDE_ALIASES[lang]:
                if k == f"{name} variants":
                    cols.setdefault(f"{lang}_variants", i)
                if k == f"{name} pinyin":
                    cols.setdefault(f"{lang}_pinyin", i)
                if k == f"{name} status":
                    cols.setdefault(f"{lang}_status", i)
        if k == "forbidden":
            cols["forbidden"] = i
    return cols


def entries_from_wide(path, header: list, rows: Iterable[tuple[int, list]]) -> list[EntryData]:
    cols = wide_columns(header)
    missing = [lang for lang in ("zh", "en") if lang not in cols]
    if missing:
        raise input_error(str(path), "missing column(s): " + ", ".join(missing) + " (need Lang+Term columns, "
                          "or a zh/zh-CN/Chinese/source and an en/English/target column)", 1)

    def get(row, field):
        i = cols.get(field)
        v = row[i] if i is not None and i < len(row) else None
        return "" if v is None else str(v)

    entries = []
    for line, row in rows:
        if not any(str(c).strip() for c in row if c is not None):
            continue
        where = positioned(path, line)
        e = _entry_from_row(lambda r, c: get(r, {"Entry_ID": "id", "Status": "status", "Score": "score",
                                                 "Subject": "subject", "Definition": "definition",
                                                 "Note": "note"}.get(c, "?")), row, where)
        e.status = e.status.lower()
        for lang in ("zh", "en"):
            main = get(row, lang).strip()
            if main:
                status = get(row, f"{lang}_status").strip() or "preferred"
                e.terms.append(TermData(lang=lang, text=main, status=status,
                                        pinyin=opt(get(row, f"{lang}_pinyin").strip())))
            for v in get(row, f"{lang}_variants").split(";"):
                if v.strip():
                    e.terms.append(TermData(lang=lang, text=v.strip(), status="admitted"))
        for v in get(row, "forbidden").split(";"):
            if v.strip():
                e.terms.append(TermData(lang="en", text=v.strip(), status="forbidden"))
        if not any(t.lang == "zh" for t in e.terms) and not any(t.lang == "en" for t in e.terms):
            raise where("row has neither a zh nor an en term")
        entries.append(check_entry(e, where))
    return entries


def entries_from_omegat(path, rows: Iterable[tuple[int, list]]) -> list[EntryData]:
    entries = []
    for line, row in rows:
        if not row or not str(row[0]).strip() or str(row[0]).lstrip().startswith("#"):
            continue
        where = positioned(path, line)
        if len(row) < 2 or not str(row[1]).strip():
            raise where("OmegaT glossary line needs source<TAB>target[<TAB>comment]")
        e = EntryData(terms=[TermData(lang="zh", text=row[0].strip(), status="preferred"),
                             TermData(lang="en", text=row[1].strip(), status="preferred")],
                      note=opt(row[2].strip()) if len(row) > 2 else None)
        entries.append(check_entry(e, where))
    return entries


def table_entries(path, rows: list[tuple[int, list]], fmt: str | None = None) -> list[EntryData]:
    """Pick the layout from the header row: full-fidelity, wide zh/en columns, or OmegaT (no header)."""
    if not rows:
        return []
    header = [_key(h) for h in rows[0][1]]
    if fmt != "omegat" and "lang" in header and "term" in header:
        return entries_from_long(path, rows[0][1], rows[1:])
    if fmt != "omegat" and ({"zh", "en"} & set(wide_columns(rows[0][1])) or fmt in ("csv", "xlsx")):
        return entries_from_wide(path, rows[0][1], rows[1:])
    return entries_from_omegat(path, rows)


def read(path: str | Path, fmt: str | None = None, encoding: str = "utf-8") -> list[EntryData]:
    text = read_text(path, encoding)
    delim = delimiter_for(path, fmt)
    rows: list[tuple[int, list]] = []
    if delim == "\t" and (fmt == "omegat" or "\t" in text.split("\n", 1)[0]) and '"' not in text[:1]:
        quoting = csv.QUOTE_NONE if fmt == "omegat" else csv.QUOTE_MINIMAL
    else:
        quoting = csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, quoting=quoting, strict=True)
    try:
        start = 1
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise input_error(str(path), f"bad {'TSV' if delim == chr(9) else 'CSV'}: {exc}", reader.line_num) from None
    return table_entries(path, rows, fmt)
