"""Exchange formats registry: load_entries / write_entries for XLSX, TBX v3, TBX 2008, CSV/TSV, OmegaT, JSONL."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from glossary.data import EntryData
from glossary.errors import InputError, input_error

# format name -> default file extension
FORMATS = {
    "xlsx": "xlsx", "tbx": "tbx", "tbx2008": "tbx", "csv": "csv", "tsv": "tsv", "omegat": "txt", "jsonl": "jsonl",
}
_BY_EXT = {".xlsx": "xlsx", ".xlsm": "xlsx", ".tbx": "tbx", ".xml": "tbx", ".csv": "csv", ".tsv": "tsv",
           ".tab": "tsv", ".txt": "omegat", ".utf8": "omegat", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".json": "jsonl"}


def _module(fmt: str):
    from glossary.exchange import delimited, jsonl, tbx, tbx2008, xlsx

    return {"xlsx": xlsx, "tbx": tbx, "tbx2008": tbx2008, "csv": delimited, "tsv": delimited,
            "omegat": delimited, "jsonl": jsonl}[fmt]


def detect_format(path: str | Path) -> str:
    """Format from the extension, else from the first bytes of the file."""
    p = Path(path)
    fmt = _BY_EXT.get(p.suffix.lower())
    with open(p, "rb") as f:
        head = f.read(4096)
    if fmt == "tbx" and b"<martif" in head:
        return "tbx2008"
    if fmt:
        return fmt
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if stripped.startswith(b"<"):
        return "tbx2008" if b"<martif" in head else "tbx"
    if stripped.startswith(b"{"):
        return "jsonl"
    first = stripped.split(b"\n", 1)[0]
    return "tsv" if b"\t" in first else "csv"


def load_entries(path: str | Path, format: str | None = None, encoding: str = "utf-8") -> list[EntryData]:
    """Read a glossary file into EntryData (nothing touches the database).

    Raises InputError naming the file (and row/line) for anything unreadable.
    """
    p = Path(path)
    if not p.exists():
        raise input_error(str(p), "no such file")
    if p.is_dir():
        raise input_error(str(p), "is a directory, not a glossary file")
    fmt = format or detect_format(p)
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    mod = _module(fmt)
    if fmt in ("csv", "tsv", "omegat"):
        return mod.read(p, fmt, encoding=encoding)
    return mod.read(p)


def write_entries(entries: Iterable[EntryData], path: str | Path, format: str, progress=None,
                  bom: bool = False) -> int:
    """Write entries to `path` atomically (temp file + rename); returns the number of entries written."""
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r} (one of {', '.join(FORMATS)})")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".part", dir=p.parent)
    os.close(fd)
    try:
        n = _module(format).write(entries, tmp, progress=progress, fmt=format, bom=bom)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n
