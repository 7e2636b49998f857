"""Collector settings around alignment: thresholds raised only while a document is aligned, freeze once."""

import gc
from pathlib import Path

import pytest

from glossary.align import heap
from glossary.ingest import read_aligned

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def thresholds():
    old = gc.get_threshold()
    yield old
    gc.set_threshold(*old)


def test_young_threshold_raised_inside_and_restored(thresholds):
    gc.set_threshold(700, 10, 10)
    with heap.fewer_collections(5000):
        assert gc.get_threshold() == (5000, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_on_error(thresholds):
    gc.set_threshold(700, 11, 12)
    with pytest.raises(ValueError), heap.fewer_collections(5000):
        raise ValueError("boom")
    assert gc.get_threshold() == (700, 11, 12)


def test_never_lowers_and_leaves_disabled_collector_alone(thresholds):
    gc.set_threshold(50_000, 10, 10)
    with heap.fewer_collections(5000):
        assert gc.get_threshold() == (50_000, 10, 10)
    gc.set_threshold(0, 10, 10)
    with heap.fewer_collections(5000):
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == (0, 10, 10)


def test_freeze_once_per_process(monkeypatch):
    calls = []
    monkeypatch.setattr(heap, "_frozen", False)
    monkeypatch.setattr(heap.gc, "freeze", lambda: calls.append(1))
    heap.freeze_loaded()
    heap.freeze_loaded()
    assert calls == [1]


def test_align_mixed_raises_then_restores_thresholds_and_freezes(thresholds, monkeypatch):
    import glossary.ingest as ingest

    gc.set_threshold(700, 10, 10)
    inside = []
    real = ingest._align_mixed
    monkeypatch.setattr(ingest, "_align_mixed", lambda *a: inside.append(gc.get_threshold()) or real(*a))
    doc = read_aligned(sorted(SEEDS.glob("*.txt"))[0])
    assert doc.pairs
    assert inside == [(heap.YOUNG, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() > 0
