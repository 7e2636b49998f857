"""Read, clean and align many files in a process pool, in input order (used by `glossary ingest` and benchmarks)."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from glossary.data import AlignedDocument
from glossary.errors import InputError

JOBS_ENV = "GLOSSARY_JOBS"
STREAM_BYTES = 4 * 1024 * 1024  # larger files are read in the calling process, bitext streamed in batches
POOL_MIN_FILES = 8  # fewer files are not worth starting worker processes for
AHEAD_PER_WORKER = 4  # files submitted ahead of the consumer per worker (bounds memory)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def workers() -> int:
    """Worker processes for parsing, cleaning and aligning: $GLOSSARY_JOBS, else the usable cores (max 8)."""
    env = os.environ.get(JOBS_ENV, "").strip()
    if env.isdigit():
        return max(1, int(env))
    return max(1, min(8, usable_cores()))


def file_jobs(files: list[Path], pairs: list, anchors=None, fmt: str | None = None,
              jobs: int | None = None) -> Iterator[tuple[str, Callable[[], AlignedDocument]]]:
    """(name, job) per file, in input order; job() returns the file's AlignedDocument or raises its InputError.

    pairs: approved (zh, en) glossary pairs (alignment anchors; each worker builds its anchors from them);
    anchors: the same, already built, for files read in this process (glossary.ingest.anchors_of(pairs)).
    With `jobs` (default workers()) ≥ 2 and enough small files, those are read, cleaned and aligned in a pool
    of spawned processes ahead of the consumer; large files are read here with bitext streamed in batches."""
    from glossary.ingest import anchors_of, init_worker, read_aligned, read_file_job

    if anchors is None and pairs:
        anchors = anchors_of(pairs)

    def big(f: Path) -> bool:
        try:
            return f.stat().st_size > STREAM_BYTES
        except OSError:
            return False

    def local(f: Path):
        return lambda: read_aligned(f, anchors, fmt, stream=True)

    n = workers() if jobs is None else max(1, jobs)
    if n < 2 or sum(1 for f in files if not big(f)) < POOL_MIN_FILES:
        for f in files:
            yield str(f), local(f)
        return
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("spawn"), initializer=init_worker,
                             initargs=(pairs,)) as ex:
        pending: deque = deque()
        todo = iter(files)

        def fill() -> None:
            while len(pending) < AHEAD_PER_WORKER * n:
                f = next(todo, None)
                if f is None:
                    return
                pending.append((f, None if big(f) else ex.submit(read_file_job, str(f), fmt)))

        try:
            fill()
            while pending:
                f, fut = pending.popleft()
                fill()
                yield str(f), local(f) if fut is None else (lambda fut=fut: _result(fut))
        finally:
            for _, fut in pending:
                if fut is not None:
                    fut.cancel()


def _result(fut) -> AlignedDocument:
    doc, error = fut.result()
    if error is not None:
        raise InputError(error)
    return doc


def read_files(files: list[Path], pairs: list = (), fmt: str | None = None,
               jobs: int | None = None) -> Iterator[AlignedDocument]:
    """AlignedDocuments of `files` in input order, read in a pool as `glossary ingest` does (the first bad
    file raises its InputError). A large file's later pairs come in its `batches` (streamed)."""
    for _, job in file_jobs(list(files), list(pairs), None, fmt, jobs):
        yield job()
