"""Shared helpers for the exchange tests: throwaway databases, the sample glossary, export/import round trips."""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from glossary.exchange import load_entries, write_entries
from glossary.exchange.common import FIDELITY, FULL, content_key
from glossary.store.bulk import import_entries, iter_export_entries
from glossary.store.service import GlossaryService

DATA = Path(__file__).resolve().parent / "data" / "exchange"
SAMPLE = DATA / "sample_glossary.jsonl"
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "tbx"
ROUND_TRIP_FORMATS = ("xlsx", "tbx", "tbx2008", "csv", "tsv", "jsonl")


@lru_cache(maxsize=1)
def _template() -> Path:
    from glossary.store.db import upgrade

    path = Path(tempfile.mkdtemp(prefix="glossary-exchange-")) / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def fresh_service(directory: Path, name: str = "g.db", user: str = "alice") -> GlossaryService:
    """A migrated empty SQLite database (copied from a template: fast enough for property tests)."""
    target = Path(directory) / name
    shutil.copyfile(_template(), target)
    return GlossaryService.open(f"sqlite:///{target}", user=user)


def sample_entries():
    return load_entries(SAMPLE)


def export(svc: GlossaryService, path: Path, fmt: str, sources: int = 5) -> Path:
    write_entries(iter_export_entries(svc, with_sources=sources), path, fmt)
    return path


def db_contents(svc: GlossaryService, fmt: str | None = None) -> list[tuple]:
    fidelity = FIDELITY.get(fmt, FULL)
    return [content_key(e, fidelity) for e in svc.iter_entries(with_sources=50)]


def file_contents(path: Path, fmt: str | None = None) -> list[tuple]:
    fidelity = FIDELITY.get(fmt, FULL)
    return [content_key(e, fidelity) for e in load_entries(path, fmt)]


def round_trip(svc: GlossaryService, tmp: Path, fmt: str, on_duplicate: str = "new"):
    """export → import into an empty database → export; returns (db1, file1, db2, file2) contents."""
    first = export(svc, tmp / f"first.{fmt}", fmt, sources=50)
    other = fresh_service(tmp, "second.db", user="bob")
    try:
        import_entries(other, load_entries(first, fmt), on_duplicate=on_duplicate, source=first.name)
        second = export(other, tmp / f"second.{fmt}", fmt, sources=50)
        return (db_contents(svc, fmt), file_contents(first, fmt), db_contents(other, fmt),
                file_contents(second, fmt))
    finally:
        other.close()
