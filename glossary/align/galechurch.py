"""Length-only Gale–Church aligner (the classic baseline), on the same bead DP as the real aligner."""

from __future__ import annotations

import math

from glossary.align.beads import banded_align

# Gale & Church (1993) bead priors
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011}


def _norm_sf(z: float) -> float:
    return 0.5 * math.erfc(z / math.sqrt(2))


def gale_church(zh_lens: list[int], en_lens: list[int], s2: float = 6.8) -> list[tuple[list[int], list[int]]]:
    """Align by character lengths only; returns (zh ids, en ids) beads."""
    n, m = len(zh_lens), len(en_lens)
    c = (sum(en_lens) or 1) / (sum(zh_lens) or 1)
    zp = [0]
    for v in zh_lens:
        zp.append(zp[-1] + v)
    ep = [0]
    for v in en_lens:
        ep.append(ep[-1] + v)
    pen = {k: -math.log(v) for k, v in PRIORS.items()}

    def cost(i0: int, a: int, j0: int, b: int) -> float:
        if (a, b) not in pen:
            return math.inf
        l1 = zp[i0 + a] - zp[i0]
        l2 = ep[j0 + b] - ep[j0]
        if l1 == 0 and l2 == 0:
            return pen[(a, b)]
        mean = (l1 + l2 / c) / 2
        delta = (l1 * c - l2) / math.sqrt(s2 * c * max(mean, 1e-9))
        p = max(2 * _norm_sf(abs(delta)), 1e-12)
        return pen[(a, b)] - math.log(p)

    beads = tuple(PRIORS)
    path = banded_align(n, m, cost, width=24, beads=beads)
    return [(bd.zh, bd.en) for bd in path]
