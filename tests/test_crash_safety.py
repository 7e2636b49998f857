"""Crash safety: `glossary ingest`, `mine` and `import` killed with SIGKILL at random points leave a consistent
database (integrity check passes, no partial document, mine/import all or nothing), and re-running completes
with the same result as an uninterrupted run. Drives the real CLI in a subprocess; SQLite (WAL) and, in the
slow suite, PostgreSQL."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from glossary.store.backup import check
from glossary.store.db import upgrade
from glossary.store.service import GlossaryService

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
CLI = "import sys; sys.argv[0] = 'glossary'; from glossary.cli import main; main()"


_FROZEN: dict[str, str] = {}


def frozen_code() -> str:
    """A copy of the package taken once per test process: every run of one test (reference, killed runs,
    re-runs) executes the same code even while the working tree is being edited."""
    if "path" not in _FROZEN:
        root = Path(tempfile.mkdtemp(prefix="glossary-code-"))
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(REPO / "glossary", root / "glossary", ignore=ignore)
        shutil.copytree(REPO / "alembic", root / "alembic", ignore=ignore)
        _FROZEN["path"] = str(root)
    return _FROZEN["path"]


def glossary(url: str, *args: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "COLUMNS": "200", "PYTHONPATH": frozen_code()}
    return subprocess.Popen([sys.executable, "-c", CLI, "--db-url", url, *args], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def run_to_end(url: str, *args: str, cwd: Path) -> float:
    start = time.monotonic()
    p = glossary(url, *args, cwd=cwd)
    _, err = p.communicate(timeout=600)
    assert p.returncode == 0, err.decode()[-2000:]
    return time.monotonic() - start


def make_corpus(root: Path, pairs: int) -> Path:
    """The seeds plus generated mixed zh/en documents (deterministic)."""
    sys.path.insert(0, str(REPO))
    from benchmarks import generate

    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus / "seeds")
    generate.write_corpus(corpus / "gen", pairs, seed=7, kinds=("mixed",))
    return corpus


def picture(url: str) -> dict:
    """Documents with their segments, entries with their terms: what a re-run must reproduce."""
    svc = GlossaryService.open(url)
    try:
        docs: dict[str, list] = {}
        for s in svc.iter_segments():
            docs.setdefault(s.document, []).append((s.position, s.zh, s.en))
        entries = sorted(
            (e.status, e.score, tuple(sorted((t.lang, t.text, t.status) for t in e.terms)))
            for e in svc.iter_entries()
        )
        stats = svc.stats()
        return {"documents": docs, "entries": entries, "n_documents": stats["documents"],
                "occurrences": stats["occurrences"]}
    finally:
        svc.close()


def assert_consistent(url: str, reference: dict, before: dict | None = None) -> dict:
    """Integrity check passes; every stored document is complete; mine/import are all or nothing."""
    report = check(url)
    assert report.ok, report.problems
    now = picture(url)
    for name, segs in now["documents"].items():
        assert segs == reference["documents"][name], f"partial or altered document {name}"
    if before is not None:  # a single-transaction command: either nothing happened or everything did
        assert now["entries"] in (before["entries"], reference["entries"]), "partial mine/import"
    return now


def documents_stored(url: str) -> int:
    svc = GlossaryService.open(url)
    try:
        return svc.stats()["documents"]
    finally:
        svc.close()


def wait_for_documents(url: str, p: subprocess.Popen, target: int) -> None:
    """Poll (a reader beside the writer) until `target` documents are committed or the process ends."""
    svc = GlossaryService.open(url)
    try:
        while p.poll() is None and svc.stats()["documents"] < target:
            time.sleep(0.02)
    finally:
        svc.close()


def kill_until_done(url: str, args: tuple[str, ...], cwd: Path, rng: random.Random, span: float,
                    reference: dict, before: dict | None, max_kills: int) -> int:
    """Start the command, SIGKILL it at a random point, check the database; repeat until a run completes or
    max_kills were made; then run it to the end. Returns the kills that hit a running process.

    Ingest (one commit per document) is killed a random moment after a random number of documents were
    committed; the single-transaction commands after a random fraction of an uninterrupted run's time."""
    hits = 0
    total_docs = len(reference["documents"])
    for _ in range(max_kills):
        p = glossary(url, *args, cwd=cwd)
        if args[0] == "ingest":
            done = documents_stored(url)
            if done >= total_docs:
                break
            wait_for_documents(url, p, rng.randint(done, total_docs - 1) + (done == 0))
            time.sleep(rng.uniform(0, 0.3))
        else:
            # early enough to land mid-run even when this run is twice as fast as the reference (load varies)
            time.sleep(rng.uniform(0.05, 0.5) * span)
        running = p.poll() is None
        if running:
            os.kill(p.pid, signal.SIGKILL)
        p.communicate(timeout=600)
        hits += running
        assert_consistent(url, reference, before)
        if not running:
            break
    run_to_end(url, *args, cwd=cwd)
    return hits


def _reference(workdir: Path, url: str, pairs: int, stages: tuple[str, ...]) -> dict:
    """Uninterrupted runs of the stages: their durations and the database picture after each."""
    corpus = make_corpus(workdir / f"c{pairs}", pairs)
    upgrade(url)
    ref = {"corpus": corpus}
    ref["ingest"] = (run_to_end(url, "ingest", str(corpus), cwd=workdir), picture(url))
    if "mine" in stages:
        ref["mine"] = (run_to_end(url, "mine", cwd=workdir), picture(url))
    if "import" in stages:
        ref["export"] = workdir / f"export{pairs}.jsonl"
        run_to_end(url, "export", "--format", "jsonl", "-o", str(ref["export"]), cwd=workdir)
    return ref


def sqlite(workdir: Path, name: str) -> str:
    url = f"sqlite:///{workdir / name}"
    upgrade(url)
    return url


def test_ingest_killed_at_random_points_on_sqlite(tmp_path):
    workdir = tmp_path
    ref = _reference(workdir, f"sqlite:///{workdir / 'ref.db'}", 60, ("ingest",))
    span, after = ref["ingest"]
    url = sqlite(workdir, "killed.db")
    hits = kill_until_done(url, ("ingest", str(ref["corpus"])), workdir, random.Random(1), span, after, None,
                           max_kills=2)
    assert hits >= 1, "no kill hit a running ingest"
    assert picture(url) == after  # same result as the uninterrupted run
    print(f"\ningest (sqlite): {hits} SIGKILLs survived")


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_ingest_mine_import_killed_repeatedly(request, tmp_path, backend):
    """Ten kills per command on a larger corpus; on PostgreSQL too."""
    def fresh(name: str) -> str:
        if backend == "sqlite":
            return sqlite(tmp_path, name)
        from tests.conftest import _create_pg_database

        url, drop = _create_pg_database()
        request.addfinalizer(drop)
        upgrade(url)
        return url

    rng = random.Random(2)
    ref = _reference(tmp_path, fresh("ref.db"), 600, ("ingest", "mine", "import"))
    # ingest
    span, after_ingest = ref["ingest"]
    url = fresh("ingest.db")
    hits = kill_until_done(url, ("ingest", str(ref["corpus"])), tmp_path, rng, span, after_ingest, None, 10)
    assert picture(url) == after_ingest
    # mine (on a copy of the ingested database)
    span, after_mine = ref["mine"]
    m_hits = kill_until_done(url, ("mine",), tmp_path, rng, span, after_mine, picture(url), 10)
    assert picture(url) == after_mine
    # import (into an empty database)
    url2 = fresh("import.db")
    empty = picture(url2)
    t0 = time.monotonic()
    scratch = fresh("scratch.db")
    run_to_end(scratch, "import", str(ref["export"]), cwd=tmp_path)
    span = time.monotonic() - t0
    imported = picture(scratch)
    i_hits = kill_until_done(url2, ("import", str(ref["export"])), tmp_path, rng, span, imported, empty, 10)
    assert picture(url2) == imported
    print(f"\n{backend}: SIGKILLs survived: ingest {hits}, mine {m_hits}, import {i_hits}")
    assert hits and m_hits and i_hits
