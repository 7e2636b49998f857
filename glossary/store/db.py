"""Engine creation (SQLite WAL, foreign keys, busy timeout; PostgreSQL) and Alembic migrations runner."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError as SADatabaseError, OperationalError

from glossary.errors import DatabaseError

SQLITE_BUSY_TIMEOUT_MS = 30_000
# page cache per connection (SQLite's default is 2 MiB): bulk inserts into the occurrence indexes of a large
# termbase were page-cache bound (500k occurrences at 100k pairs: 2.5-3.5 -> 1.7-2.0 CPU-s); grows only as used
SQLITE_CACHE_KIB = 64 * 1024


def migrations_dir() -> Path:
    """Where the Alembic scripts are: inside the installed wheel, else the repository's alembic/."""
    here = Path(__file__).resolve().parent.parent  # glossary/
    for candidate in (here / "_migrations", here.parent / "alembic"):
        if (candidate / "env.py").is_file():
            return candidate
    raise DatabaseError("database migrations not found (broken installation: no alembic/env.py)")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Take transaction control away from pysqlite so that BEGIN is emitted by us (see _sqlite_begin).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    try:
        cur.execute("PRAGMA journal_mode=WAL")
    except Exception:  # read-only media: keep the default journal
        pass
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()


def _sqlite_begin(conn) -> None:
    """Writers take the write lock up front (BEGIN IMMEDIATE waits on busy_timeout instead of failing
    on a stale snapshot); connections marked read-only use a plain deferred BEGIN."""
    if conn.get_execution_options().get("glossary_readonly"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; for SQLite turn on WAL, foreign keys and a busy timeout on every connection."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"{url}: not a database URL ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:":
            parent = Path(db).expanduser().resolve().parent
            if not parent.is_dir():
                raise DatabaseError(f"{db}: directory {parent} does not exist")
        kwargs.setdefault("connect_args", {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    try:
        return create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        raise DatabaseError(f"{parsed.render_as_string()}: driver not installed ({exc.name})") from None


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(migrations_dir())).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory(str(migrations_dir())).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _describe(url: str) -> str:
    try:
        parsed = make_url(url)
        return parsed.database if parsed.get_backend_name() == "sqlite" else parsed.render_as_string()
    except ArgumentError:
        return url


def upgrade(url: str, revision: str = "head") -> str:
    """Run `alembic upgrade` programmatically; refuse databases stamped by a newer schema."""
    from alembic import command

    engine = make_engine(url)
    try:
        try:
            rev = current_revision(engine)
        except (SADatabaseError, OperationalError) as exc:
            raise DatabaseError(f"{_describe(url)}: cannot open database ({exc.orig})") from None
        if rev is not None and rev not in known_revisions():
            raise DatabaseError(
                f"{_describe(url)}: database schema {rev} is newer than this glossary version "
                f"(knows up to {head_revision()}); upgrade glossary"
            )
        cfg = alembic_config(url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        return current_revision(engine) or "base"
    finally:
        engine.dispose()


def downgrade(url: str, revision: str) -> None:
    from alembic import command

    engine = make_engine(url)
    try:
        cfg = alembic_config(url)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()


def check_schema(engine: Engine, url: str) -> None:
    """Raise DatabaseError unless the database is at this version's head revision."""
    try:
        rev = current_revision(engine)
        tables = set(inspect(engine).get_table_names()) if rev is None else set()
    except (SADatabaseError, OperationalError) as exc:
        raise DatabaseError(f"{_describe(url)}: cannot open database ({exc.orig})") from None
    head = head_revision()
    if rev == head:
        return
    if rev is None:
        what = "is not a glossary database" if tables else "is not initialised"
        raise DatabaseError(f"{_describe(url)}: {what}; run 'glossary init' first")
    if rev not in known_revisions():
        raise DatabaseError(
            f"{_describe(url)}: database schema {rev} is newer than this glossary version "
            f"(knows up to {head}); upgrade glossary"
        )
    raise DatabaseError(f"{_describe(url)}: database schema {rev} is older than {head}; run 'glossary init'")


def insert_ids(session, table, rows: list[dict]) -> list[int]:
    """INSERT many rows and return their new ids in the order of `rows`.

    SQLite cannot tie RETURNING rows to a multi-row INSERT's parameter order, so SQLAlchemy falls back to one
    statement per row (20k entries: 70k round trips). Writers hold SQLite's write lock from BEGIN IMMEDIATE,
    so the ids SQLite would pick (max(id) + 1 ...) are assigned here and the rows go in one executemany.
    PostgreSQL keeps INSERT ... RETURNING, which it batches in order."""
    from sqlalchemy import func, insert, select

    if not rows:
        return []
    if session.get_bind().dialect.name == "sqlite":
        start = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
        ids = list(range(start, start + len(rows)))
        session.execute(insert(table), [{**row, "id": i} for row, i in zip(rows, ids)])
        return ids
    return list(session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows).scalars())


def insert_rows(conn, table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT many rows given as tuples in `columns` order, handed to the driver's executemany as they are.

    For large batches of plain values (ints, floats, strings; no type conversion is applied): building a
    parameter dict per row and processing it cost more CPU than SQLite's insert itself. `conn` is a Session
    or Connection in the caller's transaction; the statement is compiled for its dialect (qmark tuples for
    SQLite, named parameters for PostgreSQL)."""
    from sqlalchemy.orm import Session

    if not rows:
        return
    conn = conn.connection() if isinstance(conn, Session) else conn
    sql, order = _insert_sql(table, columns, conn.dialect)
    if order is None:
        params = [dict(zip(columns, r)) for r in rows]
    else:
        params = rows if order == tuple(range(len(columns))) else [tuple(r[i] for i in order) for r in rows]
    conn.exec_driver_sql(sql, params)


_INSERT_SQL: dict[tuple, tuple[str, tuple[int, ...] | None]] = {}


def _insert_sql(table, columns: tuple[str, ...], dialect) -> tuple[str, tuple[int, ...] | None]:
    """The INSERT's SQL text for `dialect` and, for positional parameter styles, the order of `columns`."""
    key = (table.name, columns, dialect.name, dialect.paramstyle)
    if key not in _INSERT_SQL:
        from sqlalchemy import insert

        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        order = tuple(columns.index(k) for k in compiled.positiontup) if compiled.positional else None
        _INSERT_SQL[key] = (str(compiled), order)
    return _INSERT_SQL[key]
