"""Shared fixtures: temporary databases on SQLite (always) and PostgreSQL (when a server is configured)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
PG_ENV = "GLOSSARY_TEST_PG_URL"  # e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with `make test-slow` or --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


_PG: dict = {}


def _pg_admin_url() -> str | None:
    """$GLOSSARY_TEST_PG_URL, else a throwaway local cluster started once per test process."""
    if os.environ.get(PG_ENV):
        return os.environ[PG_ENV]
    if "url" not in _PG:
        import atexit

        from tests import pgserver

        server, why = pgserver.start()
        _PG["url"], _PG["why"] = (server.url if server else None), why
        if server is not None:
            atexit.register(server.stop)
    return _PG["url"]


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    from glossary.store.db import upgrade

    url = f"sqlite:///{tmp_path / 'glossary.db'}"
    upgrade(url)
    return url


def _create_pg_database() -> tuple[str, callable]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = _pg_admin_url()
    if not admin:
        pytest.skip(f"no PostgreSQL server: {_PG.get('why')} (or set {PG_ENV})")
    name = f"glossary_test_{uuid.uuid4().hex[:12]}"
    eng = create_engine(admin, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin).set(database=name).render_as_string(hide_password=False)

    def drop():
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()

    return url, drop


@pytest.fixture
def pg_url():
    from glossary.store.db import upgrade

    url, drop = _create_pg_database()
    try:
        upgrade(url)
        yield url
    finally:
        drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A migrated, empty database on each backend (PostgreSQL skipped without a server)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_url")
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def svc(db_url):
    from glossary.store.service import GlossaryService

    service = GlossaryService.open(db_url, user="alice")
    yield service
    service.close()


@pytest.fixture
def sqlite_svc(sqlite_url):
    from glossary.store.service import GlossaryService

    service = GlossaryService.open(sqlite_url, user="alice")
    yield service
    service.close()
