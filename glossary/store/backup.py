"""Backup, restore and integrity check of a termbase (SQLite online backup, pg_dump, portable copies)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import MetaData, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from glossary.errors import DatabaseError, InputError
from glossary.store.db import check_schema, head_revision, known_revisions, make_engine, upgrade

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
CONTENT_TABLES = ("entries", "terms", "documents", "segments", "occurrences", "history")
COPY_BATCH = 2000


@dataclass
class BackupInfo:
    path: str
    kind: str  # "sqlite" | "pg_dump"
    revision: str
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class CheckReport:
    revision: str | None
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


# ---------------------------------------------------------------------- helpers


def backend(url: str) -> str:
    return make_url(url).get_backend_name()


def sqlite_path(url: str) -> Path:
    db = make_url(url).database
    if not db or db == ":memory:":
        raise DatabaseError(f"{url}: an in-memory database cannot be backed up or restored")
    return Path(db)


def _ro_uri(path: Path) -> str:
    """A read-only SQLite URI for a path (percent-encoded: names with '?' or '#' are safe)."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def libpq_url(url: str) -> str:
    """The SQLAlchemy URL as a libpq connection URI for pg_dump/pg_restore (driver suffix dropped)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise DatabaseError(f"{name} not found on PATH: install the PostgreSQL client tools "
                            f"(e.g. apt-get install postgresql-client), or use --portable")
    return found


def _run_tool(cmd: list[str], what: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DatabaseError(f"{what}: {exc}") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.strip().splitlines() if ln.strip()]
        raise DatabaseError(f"{what} failed: {lines[0] if lines else f'exit code {done.returncode}'}")
    return done


def _counts(engine: Engine) -> dict[str, int]:
    md = MetaData()
    md.reflect(bind=engine, only=lambda name, _m: name in CONTENT_TABLES)
    with engine.connect() as conn:
        return {t: conn.scalar(select(func.count()).select_from(md.tables[t])) or 0
                for t in CONTENT_TABLES if t in md.tables}


def _is_empty(engine: Engine) -> bool:
    return not any(_counts(engine).values())


def file_kind(path: Path) -> str:
    """'sqlite' or 'pg_dump' from the file's first bytes; InputError for anything else."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "pg_dump"
    raise InputError(f"{path}: not a glossary backup (neither a SQLite database nor a pg_dump archive)")


def sqlite_backup_revision(path: Path) -> str:
    """The schema revision stamped in a SQLite backup; InputError unless it is a known glossary schema."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            (ok,) = conn.execute("PRAGMA quick_check").fetchone()
            if ok != "ok":
                raise InputError(f"{path}: backup file is damaged ({ok})")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables or not {"entries", "terms"} <= tables:
                raise InputError(f"{path}: a SQLite database, but not a glossary backup")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: not a readable SQLite database ({exc})") from None
    return _known(path, row[0] if row else None)


def _known(path: Path, rev: str | None) -> str:
    if rev is None:
        raise InputError(f"{path}: glossary backup without a schema revision")
    if rev not in known_revisions():
        raise InputError(f"{path}: backup schema {rev} is unknown to this glossary version "
                         f"(knows up to {head_revision()}); upgrade glossary")
    return rev


def pgdump_backup_revision(path: Path) -> str:
    """Read alembic_version out of a pg_dump archive (pg_restore -a -t alembic_version -f -)."""
    done = _run_tool([_tool("pg_restore"), "--data-only", "--table=alembic_version", "-f", "-", str(path)],
                     f"{path}: pg_restore")
    lines = done.stdout.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines):
            rev = lines[i + 1].strip()
            return _known(path, rev if rev and rev != "\\." else None)
    raise InputError(f"{path}: a pg_dump archive, but not of a glossary database (no alembic_version)")


# ---------------------------------------------------------------------- backup


def backup(url: str, dest: str | os.PathLike, *, force: bool = False, portable: bool = False) -> BackupInfo:
    """Write a consistent copy of the database to `dest` (atomically: a temp file renamed into place).

    SQLite uses the online backup API (safe while others write); PostgreSQL uses pg_dump's custom format;
    `portable` writes a SQLite-format copy from either backend (restorable into either backend).
    """
    dest = Path(dest)
    if dest.exists() and not force:
        raise InputError(f"{dest}: already exists (use --force to overwrite)")
    if not dest.parent.is_dir():
        raise InputError(f"{dest}: directory {dest.parent} does not exist")
    engine = make_engine(url)
    try:
        check_schema(engine, url)
        rev = head_revision()
        counts = _counts(engine)
    finally:
        engine.dispose()
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    os.close(fd)
    try:
        if backend(url) == "sqlite" and not portable:
            _sqlite_online_backup(sqlite_path(url), Path(tmp))
            kind = "sqlite"
        elif portable:
            os.unlink(tmp)
            copy_database(url, f"sqlite:///{tmp}", replace=True)
            kind = "sqlite"
        else:
            _run_tool([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", tmp,
                       libpq_url(url)], "pg_dump")
            kind = "pg_dump"
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return BackupInfo(str(dest), kind, rev, counts)


def _sqlite_online_backup(src: Path, dst: Path) -> None:
    source = sqlite3.connect(_ro_uri(src), uri=True, timeout=30)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)  # one consistent snapshot even while other processes write (WAL)
        target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
    finally:
        target.close()
        source.close()


# ---------------------------------------------------------------------- restore


def restore(url: str, src: str | os.PathLike, *, force: bool = False) -> BackupInfo:
    """Replace the database's content with a backup's, in one transaction (all or nothing).

    Refuses a database holding any entry, document or history unless `force`. A SQLite-format backup can be
    restored into either backend; a pg_dump archive only into PostgreSQL (with pg_restore).
    """
    src = Path(src)
    if not src.is_file():
        raise InputError(f"{src}: no such backup file")
    kind = file_kind(src)
    rev = sqlite_backup_revision(src) if kind == "sqlite" else pgdump_backup_revision(src)
    if kind == "pg_dump" and backend(url) != "postgresql":
        raise InputError(f"{src}: a pg_dump archive can only be restored into PostgreSQL "
                         "(make a --portable backup to move between backends)")
    upgrade(url)  # target exists and is at head (creates an empty SQLite file if needed)
    engine = make_engine(url)
    try:
        if not force and not _is_empty(engine):
            raise InputError(f"{_where(url)}: the database is not empty (use --force to replace its content)")
    finally:
        engine.dispose()
    if kind == "pg_dump":
        _run_tool([_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--no-owner",
                   "--no-privileges", "-d", libpq_url(url), str(src)], f"{src}: pg_restore")
    else:
        source_url = f"sqlite:///{src}"
        if rev != head_revision():  # an older schema: migrate a scratch copy, never the backup itself
            with tempfile.TemporaryDirectory() as tmpdir:
                scratch = Path(tmpdir) / "restore.db"
                shutil.copyfile(src, scratch)
                upgrade(f"sqlite:///{scratch}")
                copy_database(f"sqlite:///{scratch}", url, replace=True)
        else:
            copy_database(source_url, url, replace=True, source_readonly=True)
    engine = make_engine(url)
    try:
        check_schema(engine, url)
        return BackupInfo(str(src), kind, rev, _counts(engine))
    finally:
        engine.dispose()


def _where(url: str) -> str:
    parsed = make_url(url)
    return parsed.database if parsed.get_backend_name() == "sqlite" else parsed.render_as_string()


def copy_database(source_url: str, target_url: str, *, replace: bool = False,
                  source_readonly: bool = False) -> dict[str, int]:
    """Copy every glossary table from one database to another at the same schema, in one transaction.

    The target is migrated to head first; with `replace` its rows are deleted inside the same transaction.
    PostgreSQL id sequences are moved past the copied ids.
    """
    upgrade(target_url)
    src_engine = _readonly_sqlite(source_url) if source_readonly else make_engine(source_url)
    dst_engine = make_engine(target_url)
    copied: dict[str, int] = {}
    try:
        src_md, dst_md = MetaData(), MetaData()
        src_md.reflect(bind=src_engine)
        dst_md.reflect(bind=dst_engine)
        tables = [t for t in dst_md.sorted_tables if t.name != "alembic_version"]
        missing = [t.name for t in tables if t.name not in src_md.tables]
        if missing:
            raise InputError(f"source database lacks table(s) {', '.join(missing)}")
        with src_engine.connect() as src, dst_engine.begin() as dst:
            if replace:
                for table in reversed(tables):
                    dst.execute(table.delete())
            for table in tables:
                copied[table.name] = _copy_table(src, dst, src_md.tables[table.name], table)
            if dst.dialect.name == "postgresql":
                _bump_sequences(dst, tables)
    except DBAPIError as exc:
        raise DatabaseError(f"copy into {_where(target_url)} failed, nothing changed: {exc.orig}") from None
    finally:
        src_engine.dispose()
        dst_engine.dispose()
    return copied


def _readonly_sqlite(url: str) -> Engine:
    """An engine that opens a SQLite file read-only (a backup is never modified, not even its journal mode)."""
    from sqlalchemy import create_engine

    path = sqlite_path(url)
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(_ro_uri(path), uri=True))


def _copy_table(src, dst, src_table, dst_table) -> int:
    cols = [c.name for c in dst_table.columns if c.name in src_table.columns]
    order = [src_table.c[c.name] for c in src_table.primary_key.columns] or [src_table.c[cols[0]]]
    result = src.execution_options(stream_results=True).execute(
        select(*[src_table.c[c] for c in cols]).order_by(*order))
    n = 0
    while True:
        rows = result.fetchmany(COPY_BATCH)
        if not rows:
            return n
        dst.execute(dst_table.insert(), [dict(zip(cols, r)) for r in rows])
        n += len(rows)


def _bump_sequences(conn, tables) -> None:
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement:
            continue
        seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": pk[0].name})
        if seq:
            conn.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({pk[0].name}) FROM "
                              f"{table.name}), 0) + 1, false)"))


# ---------------------------------------------------------------------- check


ORPHAN_CHECKS = {
    "terms without an entry":
        "SELECT COUNT(*) FROM terms t LEFT JOIN entries e ON e.id = t.entry_id WHERE e.id IS NULL",
    "segments without a document":
        "SELECT COUNT(*) FROM segments s LEFT JOIN documents d ON d.id = s.document_id WHERE d.id IS NULL",
    "occurrences without a term":
        "SELECT COUNT(*) FROM occurrences o LEFT JOIN terms t ON t.id = o.term_id WHERE t.id IS NULL",
    "occurrences without a segment":
        "SELECT COUNT(*) FROM occurrences o LEFT JOIN segments s ON s.id = o.segment_id WHERE s.id IS NULL",
    "entries without any term":
        "SELECT COUNT(*) FROM entries e WHERE NOT EXISTS (SELECT 1 FROM terms t WHERE t.entry_id = e.id)",
    "segments numbered with gaps (partial document)":
        "SELECT COUNT(*) FROM (SELECT document_id FROM segments GROUP BY document_id "
        "HAVING MIN(position) <> 0 OR MAX(position) + 1 <> COUNT(*)) g",
    # (0, 0) is legitimate: a source sentence attached to the entry where the term was not located (imports)
    "occurrences with bad offsets":
        "SELECT COUNT(*) FROM occurrences WHERE start < 0 OR \"end\" < start OR (\"end\" = start AND start <> 0)",
    "entries with a version below 1":
        "SELECT COUNT(*) FROM entries WHERE version < 1",
}


def check(url: str) -> CheckReport:
    """Integrity report: engine checks (SQLite integrity_check, foreign_key_check), schema revision,
    orphaned and partial rows. `report.ok` is True when nothing is wrong."""
    if backend(url) == "sqlite" and not sqlite_path(url).exists():
        raise DatabaseError(f"{sqlite_path(url)}: no such database")
    engine = make_engine(url)
    try:
        from glossary.store.db import current_revision

        try:
            rev = current_revision(engine)
        except DBAPIError as exc:
            raise DatabaseError(f"{_where(url)}: cannot open database ({exc.orig})") from None
        report = CheckReport(rev)
        if rev != head_revision():
            report.problems.append(f"schema revision is {rev or 'missing'}, expected {head_revision()}")
            return report
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
                if rows != ["ok"]:
                    report.problems += [f"integrity_check: {r}" for r in rows[:20]]
                fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if fk:
                    report.problems.append(f"foreign_key_check: {len(fk)} row(s) point nowhere "
                                           f"(first: table {fk[0][0]} rowid {fk[0][1]} → {fk[0][2]})")
            for what, sql in ORPHAN_CHECKS.items():
                n = conn.execute(text(sql)).scalar() or 0
                if n:
                    report.problems.append(f"{n} {what}")
        report.counts = _counts(engine)
        return report
    finally:
        engine.dispose()
