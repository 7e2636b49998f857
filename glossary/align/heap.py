"""Garbage-collector settings for alignment: loaded lexicons leave the collector, young collections are rarer."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Net new container objects between young collections while a document is aligned (CPython's default: 700).
# A document's DP rows, features and caches die by reference counting when it is done; with the default
# threshold many of them were first promoted to older generations, whose full collections then walked them.
YOUNG = 10_000

_frozen = False


def freeze_loaded() -> None:
    """Once per process: gc.freeze() — everything tracked so far (CC-CEDICT's ~190k gloss sets and its prefix table,
    pypinyin's ~190k phrase lists, compiled patterns) moves to the permanent generation, which full collections
    no longer walk (each walked ~400k long-lived objects: ~0.2 CPU-s). Called after the first aligned document,
    when the lazily loaded tables exist. Frozen objects are still freed by reference counting; only cyclic
    garbage that exists at this moment is never collected (a one-time, bounded amount)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


@contextmanager
def fewer_collections(young: int = YOUNG) -> Iterator[None]:
    """Raise the young-generation threshold to `young` while the block runs (never lowers it, leaves a disabled
    collector alone); the previous thresholds are restored afterwards, also on error."""
    old = gc.get_threshold()
    if 0 < old[0] < young:
        gc.set_threshold(young, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
