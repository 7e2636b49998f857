"""TBX 2008 (`martif`, TBX-Basic v2) read + write, for OmegaT, translate-toolkit/Weblate and older CAT tools."""

from __future__ import annotations

from pathlib import Path

from glossary.data import EntryData
from glossary.exchange import tbx
from glossary.exchange.common import Progress


def write(entries, path: str | Path, progress: Progress = None, **_ignored) -> int:
    """Write a martif TBX-Basic file (termEntry → langSet → tig); returns the number of entries."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        return tbx.write_dialect(tbx.V2, entries, f, progress)


def read(path: str | Path) -> list[EntryData]:
    """Read a martif file; the TBX reader handles both dialects."""
    return tbx.read(path)
