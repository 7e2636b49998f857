"""Garbage-collector settings for alignment: loaded lexicons leave the collector, young collections are rarer."""

from __future__ import annotations

import gc

# Net new container objects between young collections in a process that aligns (CPython's default: 700).
# A document's DP rows, features and caches die by reference counting when it is done; with the default
# threshold many of them were first promoted to older generations, whose full collections then walked them.
# 100k (was 10k): on the 100k mixed bench corpus, collector CPU 1.26 -> 0.26 s (73 / 6 / 0 -> 2 / 0 / 0 young /
# middle / full collections), same pairs; garbage without cycles is freed by reference counting as before, only
# cyclic garbage waits for up to 100k allocations instead of 10k (peak RSS of that run unchanged: 324 vs 323 MB).
YOUNG = 100_000

_settled = False


def settle_once() -> None:
    """Once per process, after the first aligned document (the lazily loaded tables exist by then):

    - gc.freeze(): everything tracked so far (CC-CEDICT's ~190k gloss sets and its prefix table, pypinyin's
      ~190k phrase lists, compiled patterns) moves to the permanent generation, which collections no longer
      walk (each full collection walked those ~400k long-lived objects: ~0.2 CPU-s). Frozen objects are still
      freed by reference counting; only cyclic garbage existing at this moment is never collected (bounded, once).
    - the young-generation threshold is raised to YOUNG for the rest of the process (never lowered; a disabled
      collector, threshold 0, is left alone). Thresholds are process-wide: a process that aligns documents keeps
      aligning them, and scoping the setting to each document put a young collection at every document boundary.
      Collector CPU on the 100k mixed bench corpus (gc.callbacks; young / middle / full collections): default
      settings 2064 / 188 / 8, 3.7 CPU-s; per-document scope 980 / 89 / 8, 1.75 CPU-s; this with YOUNG = 10k
      73 / 6 / 0, 1.2 CPU-s; with YOUNG = 100k 2 / 0 / 0, 0.26 CPU-s.
    """
    global _settled
    if _settled:
        return
    _settled = True
    gc.freeze()
    young, *older = gc.get_threshold()
    if 0 < young < YOUNG:
        gc.set_threshold(YOUNG, *older)
