"""Alembic migrations: upgrade from empty, downgrade/upgrade round trip, newer schema refused, wheel ships them."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from glossary.errors import DatabaseError
from glossary.store.db import downgrade, head_revision, make_engine, migrations_dir, upgrade
from glossary.store.models import Base
from glossary.store.service import GlossaryService

TABLES = {"entries", "terms", "documents", "segments", "occurrences", "history", "alembic_version"}


def test_upgrade_from_empty_creates_every_table(db_url):
    eng = make_engine(db_url)
    assert TABLES <= set(inspect(eng).get_table_names())
    # the migration matches the models: same columns per table
    insp = inspect(eng)
    for table in Base.metadata.sorted_tables:
        assert {c["name"] for c in insp.get_columns(table.name)} == {c.name for c in table.columns}
    eng.dispose()


def test_downgrade_upgrade_round_trip(db_url):
    downgrade(db_url, "base")
    eng = make_engine(db_url)
    assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
    eng.dispose()
    assert upgrade(db_url) == head_revision()
    GlossaryService.open(db_url).close()  # schema check passes again


def test_newer_schema_is_refused_with_clear_message(db_url):
    eng = make_engine(db_url)
    with eng.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    eng.dispose()
    with pytest.raises(DatabaseError, match="newer than this glossary version"):
        GlossaryService.open(db_url)
    with pytest.raises(DatabaseError, match="newer"):
        upgrade(db_url)


def test_non_glossary_sqlite_file_refused(tmp_path):
    p = tmp_path / "other.db"
    eng = make_engine(f"sqlite:///{p}")
    with eng.begin() as c:
        c.execute(text("CREATE TABLE foo (x int)"))
    eng.dispose()
    with pytest.raises(DatabaseError, match="not a glossary database"):
        GlossaryService.open(f"sqlite:///{p}")


def test_garbage_file_is_a_clear_error(tmp_path):
    p = tmp_path / "junk.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseError, match="cannot open database"):
        upgrade(f"sqlite:///{p}")


def test_sqlite_uses_wal_and_foreign_keys(sqlite_url):
    eng = make_engine(sqlite_url)
    with eng.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    eng.dispose()


@pytest.mark.slow
def test_wheel_ships_migrations_and_init_works_installed(tmp_path):
    """Build the wheel, install it into a fresh venv (no editable checkout) and run `glossary init`."""
    repo = migrations_dir().parent
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(repo)], check=True, capture_output=True)
    wheel = next(out.glob("glossary-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "glossary/_migrations/env.py" in names
    assert any(n.startswith("glossary/_migrations/versions/0001") for n in names)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # dependencies come from the test venv (a plain path entry: its editable-install hook is not processed)
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--force-reinstall", str(wheel)], check=True,
                   capture_output=True)
    db = tmp_path / "g.db"
    code = ("import glossary.store.db as d, sys; print(d.migrations_dir()); "
            f"print(d.upgrade('sqlite:///{db}'))")
    res = subprocess.run([str(py), "-c", code], check=True, capture_output=True, text=True, cwd=tmp_path)
    where, rev = res.stdout.split()
    assert "_migrations" in where and "site-packages" in where and rev == head_revision()
