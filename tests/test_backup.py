"""Backup, restore and integrity check on both backends (SQLite online backup, pg_dump, portable copies)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from glossary.store.db import head_revision

from glossary.data import AlignedDocument, EntryData, RawDocument, SegmentPair, TermData
from glossary.errors import InputError
from glossary.store import backup as bk
from glossary.store.service import GlossaryService


def fill(svc: GlossaryService, tag: str = "a") -> None:
    """A document with segments, entries with history (edit, approve, merge)."""
    raw = RawDocument(path=f"/x/{tag}.txt", text=tag, encoding="utf-8", format="mixed",
                      sha256=hashlib.sha256(tag.encode()).hexdigest(), size=1)
    pairs = [SegmentPair(zh=f"西部陆海新通道{i}", en=f"corridor {i}", position=i) for i in range(5)]
    svc.store_document(AlignedDocument(raw=raw, pairs=pairs))
    ids = [svc.create_entry(EntryData(terms=[TermData("zh", z), TermData("en", e)])).id
           for z, e in (("西部陆海新通道", "land-sea corridor"), ("一带一路", "Belt and Road"),
                        ("一带一路倡议", "Belt and Road Initiative"))]
    svc.approve(ids[0], 1)
    svc.update_entry(ids[1], 1, note=f"note {tag}")
    svc.merge(ids[1], [ids[2]])


def picture(svc: GlossaryService) -> dict:
    """What must survive a backup/restore: entries with terms, history, documents and segments."""
    entries = {e.id: (e.status, e.version, e.note, sorted((t.lang, t.text, t.status) for t in e.terms))
               for e in svc.iter_entries()}
    history = [(h["id"], h["entry_id"], h["user"], h["action"], h["before"], h["after"])
               for h in svc.history(limit=10_000)]
    segs = [(s.document, s.position, s.zh, s.en) for s in svc.iter_segments()]
    return {"entries": entries, "history": history, "segments": segs}


def opened(url: str) -> GlossaryService:
    return GlossaryService.open(url, user="alice")


def test_backup_and_restore_roundtrip_on_each_backend(svc, db_url, tmp_path, sqlite_url):
    fill(svc)
    before = picture(svc)
    portable = bk.backend(db_url) != "sqlite" and shutil.which("pg_dump") is None
    info = bk.backup(db_url, tmp_path / "g.bak", portable=portable)
    assert info.rows["entries"] == 2 and info.rows["segments"] == 5 and info.revision == head_revision()
    svc.reject(next(iter(before["entries"])), None)  # changes after the backup must be undone by restore
    with pytest.raises(InputError, match="not empty"):
        bk.restore(db_url, tmp_path / "g.bak")
    bk.restore(db_url, tmp_path / "g.bak", force=True)
    s2 = opened(db_url)
    try:
        assert picture(s2) == before
        new = s2.create_entry(EntryData(terms=[TermData("zh", "新词")]))  # id sequences continue past the copy
        assert new.id > max(before["entries"])
    finally:
        s2.close()
    assert bk.check(db_url).ok


def test_portable_backup_moves_a_termbase_between_backends(svc, db_url, tmp_path):
    """SQLite ↔ PostgreSQL: a --portable backup of one restores into an empty database of the other."""
    fill(svc)
    before = picture(svc)
    bk.backup(db_url, tmp_path / "p.db", portable=True)
    assert bk.file_kind(tmp_path / "p.db") == "sqlite"
    other = f"sqlite:///{tmp_path / 'other.db'}"
    bk.restore(other, tmp_path / "p.db")
    s2 = opened(other)
    try:
        assert picture(s2) == before
    finally:
        s2.close()


def test_sqlite_backup_into_postgresql(sqlite_url, pg_url, tmp_path):
    s = opened(sqlite_url)
    fill(s)
    before = picture(s)
    s.close()
    bk.backup(sqlite_url, tmp_path / "s.bak")
    bk.restore(pg_url, tmp_path / "s.bak")
    s2 = opened(pg_url)
    try:
        assert picture(s2) == before
        assert s2.create_entry(EntryData(terms=[TermData("en", "fresh")])).id > max(before["entries"])
    finally:
        s2.close()


def test_pg_dump_backup_restores_with_pg_restore(pg_url, tmp_path):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    s = opened(pg_url)
    fill(s)
    before = picture(s)
    info = bk.backup(pg_url, tmp_path / "g.dump")
    assert info.kind == "pg_dump" and bk.file_kind(tmp_path / "g.dump") == "pg_dump"
    assert bk.pgdump_backup_revision(tmp_path / "g.dump") == head_revision()
    s.update_entry(next(iter(before["entries"])), None, note="after the backup")
    s.close()
    bk.restore(pg_url, tmp_path / "g.dump", force=True)
    s2 = opened(pg_url)
    try:
        assert picture(s2) == before
    finally:
        s2.close()
    with pytest.raises(InputError, match="only be restored into PostgreSQL"):
        bk.restore(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "g.dump")


def test_backup_refuses_to_overwrite_and_needs_pg_dump_or_portable(sqlite_svc, sqlite_url, tmp_path, monkeypatch):
    (tmp_path / "exists.bak").write_text("keep me")
    with pytest.raises(InputError, match="already exists"):
        bk.backup(sqlite_url, tmp_path / "exists.bak")
    assert (tmp_path / "exists.bak").read_text() == "keep me"
    monkeypatch.setattr(bk.shutil, "which", lambda name: None)
    with pytest.raises(Exception, match="pg_dump not found on PATH"):
        bk._tool("pg_dump")


def test_restore_rejects_files_that_are_not_glossary_backups(sqlite_svc, sqlite_url, tmp_path):
    fill(sqlite_svc)
    before = picture(sqlite_svc)
    good = tmp_path / "good.bak"
    bk.backup(sqlite_url, good)
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"hello, not a backup\n" * 10)
    truncated = tmp_path / "truncated.bak"
    truncated.write_bytes(good.read_bytes()[: 4096 + 100])
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE things (x)")
    future = tmp_path / "future.bak"
    shutil.copyfile(good, future)
    with sqlite3.connect(future) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999_future'")
    cases = {junk: "not a glossary backup", truncated: "damaged|not a readable|not a glossary",
             foreign: "not a glossary backup", future: "unknown to this glossary version",
             tmp_path / "missing.bak": "no such backup file"}
    for path, why in cases.items():
        with pytest.raises(InputError, match=why):
            bk.restore(sqlite_url, path, force=True)
    assert picture(sqlite_svc) == before  # nothing touched


def test_restore_is_all_or_nothing(sqlite_svc, sqlite_url, tmp_path):
    """A backup whose rows break a constraint half-way through the copy leaves the target as it was."""
    fill(sqlite_svc, "target")
    before = picture(sqlite_svc)
    other = f"sqlite:///{tmp_path / 'src.db'}"
    from glossary.store.db import upgrade

    upgrade(other)
    s = opened(other)
    fill(s, "source")
    s.close()
    with sqlite3.connect(tmp_path / "src.db") as c:  # an orphan term: its entry does not exist
        c.execute("PRAGMA foreign_keys=OFF")
        c.execute("INSERT INTO terms (entry_id, lang, text, norm_key, term_type, usage_status, position) "
                  "VALUES (999, 'en', 'orphan', 'orphan', 'fullForm', 'admitted', 0)")
    with pytest.raises(Exception, match="nothing changed"):
        bk.restore(sqlite_url, tmp_path / "src.db", force=True)
    assert picture(sqlite_svc) == before


def test_check_finds_orphans_and_partial_documents(sqlite_svc, sqlite_url, tmp_path):
    fill(sqlite_svc)
    assert bk.check(sqlite_url).ok
    path = bk.sqlite_path(sqlite_url)
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA foreign_keys=OFF")
        c.execute("DELETE FROM segments WHERE position = 2")  # a document with a hole
        c.execute("INSERT INTO occurrences (term_id, segment_id, start, \"end\") VALUES (424242, 1, 0, 2)")
    report = bk.check(sqlite_url)
    assert not report.ok
    text = "\n".join(report.problems)
    assert "foreign_key_check" in text and "1 occurrences without a term" in text
    assert "partial document" in text


def test_check_flags_reversed_or_empty_spans_but_not_an_unlocated_source(sqlite_svc, sqlite_url):
    fill(sqlite_svc)
    with sqlite3.connect(bk.sqlite_path(sqlite_url)) as c:
        term, seg = c.execute("SELECT (SELECT MIN(id) FROM terms), (SELECT MIN(id) FROM segments)").fetchone()
        c.execute("INSERT INTO occurrences (term_id, segment_id, start, \"end\") VALUES (?, ?, 0, 0)", (term, seg))
    assert bk.check(sqlite_url).ok  # (0, 0): the sentence is evidence, the term was not located in it
    for start, end in ((5, 3), (4, 4), (-1, 2)):
        with sqlite3.connect(bk.sqlite_path(sqlite_url)) as c:
            c.execute("DELETE FROM occurrences WHERE start <> 0 OR \"end\" <> 0")
            c.execute("INSERT INTO occurrences (term_id, segment_id, start, \"end\") VALUES (?, ?, ?, ?)",
                      (term, seg, start, end))
        assert bk.check(sqlite_url).problems == ["1 occurrences with bad offsets"], (start, end)


def test_check_on_postgresql_finds_orphan_entries(pg_url):
    s = opened(pg_url)
    fill(s)
    s.close()
    assert bk.check(pg_url).ok
    from sqlalchemy import create_engine, text

    eng = create_engine(pg_url)
    with eng.begin() as c:
        c.execute(text("INSERT INTO entries (status, version, created_at, updated_at) "
                       "VALUES ('proposed', 1, now(), now())"))
    eng.dispose()
    assert bk.check(pg_url).problems == ["1 entries without any term"]


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-c", CLI, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


CLI = "import sys; sys.argv[0] = 'glossary'; from glossary.cli import main; main()"


def test_cli_backup_restore_check(sqlite_svc, sqlite_url, tmp_path):
    fill(sqlite_svc)
    db = str(bk.sqlite_path(sqlite_url))
    r = run_cli("--db", db, "backup", "b.bak", cwd=tmp_path)
    assert r.returncode == 0 and "backup written" in r.stdout, r.stderr
    r = run_cli("--db", db, "backup", "b.bak", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "already exists" in r.stderr
    r = run_cli("--db", "new.db", "restore", "b.bak", cwd=tmp_path)
    assert r.returncode == 0 and "restored" in r.stdout, r.stderr
    assert bk.check(f"sqlite:///{tmp_path / 'new.db'}").ok
    with sqlite3.connect(tmp_path / "new.db") as c:
        c.execute("DELETE FROM segments WHERE position = 0")
    r = run_cli("--db", "new.db", "check", cwd=tmp_path)
    assert r.returncode == 1 and "partial document" in r.stderr


def _edit_loop(url: str, entry_ids: list[int], rounds: int) -> int:
    svc = GlossaryService.open(url, user="writer")
    try:
        for k in range(rounds):
            for i in entry_ids:
                svc.update_entry(i, None, note=f"round {k}")
        return rounds * len(entry_ids)
    finally:
        svc.close()


def test_online_backup_while_another_process_writes_is_a_consistent_snapshot(sqlite_svc, sqlite_url, tmp_path):
    import multiprocessing as mp

    ids = [sqlite_svc.create_entry(EntryData(terms=[TermData("zh", z)])).id for z in ("甲", "乙", "丙")]
    with mp.get_context("spawn").Pool(1) as pool:
        job = pool.apply_async(_edit_loop, (sqlite_url, ids, 15))
        copies = []
        while (not job.ready() and len(copies) < 4) or not copies:
            dest = tmp_path / f"b{len(copies)}.bak"
            bk.backup(sqlite_url, dest)
            copies.append(dest)
            time.sleep(0.3)
        assert job.get(timeout=300) == 45
    for dest in copies:
        url = f"sqlite:///{tmp_path / (dest.stem + '.db')}"
        bk.restore(url, dest)
        assert bk.check(url).ok
        s = opened(url)
        try:
            history = s.history(limit=10_000)
            for i in ids:  # every committed edit is there with its history row, none half-copied
                edits = [h for h in history if h["entry_id"] == i and h["action"] == "edit"]
                e = s.get_entry(i)
                assert e.version == 1 + len(edits)
                assert e.note == (max(edits, key=lambda h: h["after"]["version"])["after"]["note"] if edits else None)
        finally:
            s.close()
    print(f"\n{len(copies)} backups taken during 45 concurrent edits: each a consistent snapshot")
