"""Parallel mining: forked (Linux) or spawned workers give exactly the serial result, die with their parent, small
input stays serial."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from glossary.data import SegmentPair
from glossary.mine import miner, workers

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import generate  # noqa: E402  benchmarks/generate.py: documents with names, terms, acronyms


def _generated(n: int) -> list[SegmentPair]:
    return [SegmentPair(zh=zh, en=en, position=i, document=f"gen{i // 200}", id=1000 + i)
            for i, (zh, en) in enumerate(generate.pairs(n, 3)[:n])]


def test_two_workers_give_the_serial_candidates_exactly(monkeypatch):
    monkeypatch.setattr(workers, "MIN_BLOCK", 100)  # many blocks: terms and facts from both workers, interleaved
    monkeypatch.setattr(workers, "FACT_BLOCK", 300)  # English facts collected early, in several ranges
    pairs = _generated(1500)
    serial = miner.mine(pairs, workers=1)
    parallel = miner.mine(pairs, workers=2)
    assert len(serial) > 50
    assert parallel == serial  # every field: scores, variants, evidence, occurrences, near duplicates
    assert [c.signals for c in parallel] == [c.signals for c in serial]


def test_blocks_cover_every_segment_once(monkeypatch):
    """The English facts (co-occurrence keys) are collected per block: with many small blocks the keys of
    every segment are still there, in segment order."""
    monkeypatch.setattr(workers, "MIN_BLOCK", 7)
    pairs = _generated(300)
    en = workers.EnTokens([p.en for p in pairs])
    whole = workers._segment_facts(en, 0, len(pairs))
    _, lower, *_ = workers.pair_all([], {}, en, None, lambda d, t: None)
    assert lower == whole[0] and len(lower) == len(pairs)


def test_small_input_is_mined_in_this_process(monkeypatch):
    def no_pool(*a, **k):
        raise AssertionError("a pool was started for a small corpus")

    monkeypatch.setattr(miner, "make_pool", no_pool)
    assert miner.mine(_generated(200))


def test_jobs_knob(monkeypatch):
    monkeypatch.setenv("GLOSSARY_JOBS", "1")
    assert workers.jobs() == 1
    monkeypatch.setenv("GLOSSARY_JOBS", "3")
    assert workers.jobs() == 3
    monkeypatch.setenv("GLOSSARY_JOBS", "64")
    assert workers.jobs() == 8
    monkeypatch.delenv("GLOSSARY_JOBS")
    if workers._can_fork():  # forked workers share the parent's dictionaries: the usable cores by default
        assert workers.jobs() == max(1, min(8, len(os.sched_getaffinity(0))))
    else:  # spawned ones cost 40% more memory for 11% less wall time: serial unless asked
        assert workers.jobs() == 1


def test_spawned_workers_give_the_serial_candidates_too(monkeypatch):
    monkeypatch.setattr(workers, "MIN_BLOCK", 100)
    monkeypatch.setattr(workers, "_can_fork", lambda: False)
    pairs = _generated(600)
    assert miner.mine(pairs, workers=2) == miner.mine(pairs, workers=1)


def _children(pid: int) -> set[int]:
    out = set()
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        out |= {int(x) for x in task.read_text().split()}
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_killed_parent(tmp_path):
    """A script without a __main__ guard (spawn must not re-run it) mines with two workers; SIGKILL it while
    they work: the workers exit by themselves."""
    script = tmp_path / "no_guard.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'benchmarks')!r})
        import generate
        from glossary.data import SegmentPair
        from glossary.mine.miner import mine
        pairs = [SegmentPair(zh=z, en=e, position=i, document="d") for i, (z, e) in
                 enumerate(generate.pairs(30000, 5)[:30000])]
        print("mining", flush=True)
        mine(pairs, workers=2)
        print("done", flush=True)
    """))
    p = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == "mining"
        workers: set[int] = set()
        deadline = time.monotonic() + 120
        while len(workers) < 2 and time.monotonic() < deadline and p.poll() is None:
            workers = {c for c in _children(p.pid) if "resource_tracker" not in _cmdline(c)}  # forked/spawned
            time.sleep(0.2)
        assert len(workers) >= 2, p.stderr.read() if p.poll() is not None else "no workers started"
        os.kill(p.pid, signal.SIGKILL)
        p.wait(10)
        deadline = time.monotonic() + 20
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers)
    finally:
        if p.poll() is None:
            p.kill()
