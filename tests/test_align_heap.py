"""Collector settings for alignment: settled once per process, after the first aligned document."""

import gc
from pathlib import Path

import pytest

from glossary.align import heap
from glossary.ingest import read_aligned

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def fresh(monkeypatch):
    """An unsettled module with a recorded gc.freeze; the thresholds are restored afterwards."""
    old = gc.get_threshold()
    calls = []
    monkeypatch.setattr(heap, "_settled", False)
    monkeypatch.setattr(heap.gc, "freeze", lambda: calls.append(1))
    yield calls
    gc.set_threshold(*old)


def test_settles_once(fresh):
    gc.set_threshold(700, 11, 12)
    heap.settle_once()
    assert fresh == [1]
    assert gc.get_threshold() == (heap.YOUNG, 11, 12)
    gc.set_threshold(700, 11, 12)
    heap.settle_once()  # once per process: a later setting by the application stands
    assert fresh == [1]
    assert gc.get_threshold() == (700, 11, 12)


def test_never_lowers_and_leaves_disabled_collector_alone(fresh, monkeypatch):
    above = 5 * heap.YOUNG
    gc.set_threshold(above, 10, 10)
    heap.settle_once()
    assert gc.get_threshold() == (above, 10, 10)
    monkeypatch.setattr(heap, "_settled", False)
    gc.set_threshold(0, 10, 10)
    heap.settle_once()
    assert gc.get_threshold() == (0, 10, 10)


def test_after_the_first_mixed_document(fresh, monkeypatch):
    import glossary.ingest as ingest

    gc.set_threshold(700, 10, 10)
    inside = []
    real = ingest._align_mixed
    monkeypatch.setattr(ingest, "_align_mixed", lambda *a: inside.append((list(fresh), gc.get_threshold())) or real(*a))
    doc = read_aligned(sorted(SEEDS.glob("*.txt"))[0])
    assert doc.pairs
    assert inside == [([], (700, 10, 10))]  # the first document runs before: its tables get loaded
    assert fresh == [1]
    assert gc.get_threshold() == (heap.YOUNG, 10, 10)
