"""Storing ingested documents in groups (DocumentWriter): each document all or nothing, commits grouped, and the
`glossary ingest` summary for many files."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from glossary.cli import app
from glossary.errors import InputError
from glossary.ingest import read_aligned
from glossary.store.service import GlossaryService
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))


def _tsv(path, n: int) -> None:
    path.write_text("".join(f"第{k}次会议在重庆举行。\tMeeting {k} was held in Chongqing.\n" for k in range(1, n + 1)),
                    encoding="utf-8")


def _failing_after_first_batch(doc, where: str):
    """The document's batches, but the second one raises (a bad line found late in a streamed file)."""
    first = next(doc.batches)

    def gen():
        yield first
        raise InputError(f"{where}:9:1: broken line")

    doc.batches = gen()
    return doc


def _picture(svc) -> dict[str, list]:
    docs: dict[str, list] = {}
    for s in svc.iter_segments():
        docs.setdefault(s.document, []).append((s.position, s.zh, s.en))
    return docs


def test_bad_document_in_a_group_leaves_nothing_of_itself(svc, tmp_path, monkeypatch):
    import glossary.ingest as ingest_mod

    monkeypatch.setattr(ingest_mod, "BATCH", 4)
    good_a, good_c = read_aligned(SEED_FILES[0]), read_aligned(SEED_FILES[1])
    tsv = tmp_path / "bad.tsv"
    _tsv(tsv, 10)
    bad = _failing_after_first_batch(read_aligned(tsv, stream=True), str(tsv))
    with svc.document_writer(max_docs=100, max_seconds=3600) as w:  # one group: all three in one transaction
        a_id, created = w.store(good_a)
        with pytest.raises(InputError, match="bad.tsv:9:1"):
            w.store(bad)  # its first batch of 4 segments was inserted before the error
        c_id, _ = w.store(good_c)
    assert created and a_id != c_id
    stored = _picture(svc)
    a, c = SEED_FILES[0].name, SEED_FILES[1].name
    assert set(stored) == {a, c}  # nothing of bad.tsv
    assert len(stored[a]) == len(good_a.pairs) and len(stored[c]) == len(good_c.pairs)
    assert svc.stats()["documents"] == 2
    # the same bytes again: a no-op, inside a group as well
    with svc.document_writer() as w:
        assert w.store(read_aligned(SEED_FILES[0])) == (a_id, False)
    assert svc.stats()["documents"] == 2


def test_groups_are_committed_as_they_fill_and_on_early_exit(sqlite_url):
    from glossary.store.db import upgrade

    upgrade(sqlite_url)
    svc, reader = GlossaryService.open(sqlite_url), GlossaryService.open(sqlite_url)
    docs = [read_aligned(f) for f in SEED_FILES[:3]]
    try:
        with pytest.raises(KeyboardInterrupt):
            with svc.document_writer(max_docs=2, max_seconds=3600) as w:
                w.store(docs[0])
                assert reader.stats()["documents"] == 0  # the group is still open
                w.store(docs[1])
                assert reader.stats()["documents"] == 2  # a full group is committed at once
                w.store(docs[2])
                assert reader.stats()["documents"] == 2
                raise KeyboardInterrupt  # e.g. Ctrl-C while waiting for the next file
        # what was stored before the interruption is kept, whole
        assert set(_picture(reader)) == {f.name for f in SEED_FILES[:3]}
        assert reader.stats()["segments"] == sum(len(d.pairs) for d in docs)
    finally:
        svc.close()
        reader.close()


def test_cli_summary_groups_many_files(tmp_path, monkeypatch):
    import glossary.commands.ingest as cmd

    db = str(tmp_path / "g.db")
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "init"]).exit_code == 0
    monkeypatch.setattr(cmd, "MAX_FILES_LISTED", 3)
    r = runner.invoke(app, ["--db", db, "ingest", str(corpus)])
    assert r.exit_code == 0, r.output
    expected = sum(len(read_aligned(p).pairs) for p in SEED_FILES)
    assert f"ingested {len(SEED_FILES)} files" in r.output
    assert sum("│ mixed" in line for line in r.output.splitlines()) == 1  # one row for the five files
    assert f"segments stored: {expected}" in r.output
    row = next(line for line in r.output.splitlines() if "│ mixed" in line)
    cells = [c.strip() for c in row.split("│")]
    assert cells[3] == str(len(SEED_FILES)) and cells[4] == str(expected) and cells[-2] == "stored"
    r = runner.invoke(app, ["--db", db, "ingest", "-v", str(corpus)])
    assert r.exit_code == 0 and sum("│ mixed" in line for line in r.output.splitlines()) == len(SEED_FILES)
    assert "0 stored, 5 unchanged" in r.output
