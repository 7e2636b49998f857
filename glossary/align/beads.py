"""Banded dynamic programming over beads (0-1, 1-0, 1-1, 1-2, 2-1, 1-3, 3-1, 2-2): the alignment search."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

BEADS: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (4, 1), (1, 4))
INF = math.inf


@dataclass
class Bead:
    """One alignment step: zh units [zh_start, zh_end) with en units [en_start, en_end)."""

    zh_start: int
    zh_end: int
    en_start: int
    en_end: int
    cost: float = 0.0

    @property
    def zh(self) -> list[int]:
        return list(range(self.zh_start, self.zh_end))

    @property
    def en(self) -> list[int]:
        return list(range(self.en_start, self.en_end))

    @property
    def kind(self) -> str:
        return f"{self.zh_end - self.zh_start}-{self.en_end - self.en_start}"

    def link(self) -> str:
        """The '[0,1]:[2]' link notation."""
        return "[" + ",".join(map(str, self.zh)) + "]:[" + ",".join(map(str, self.en)) + "]"


CostFn = Callable[[int, int, int, int], float]  # (zh_start, a, en_start, b) -> cost


def diagonal_band(n: int, m: int, width: int) -> list[tuple[int, int]]:
    """Rows 0..n: allowed en range around the straight diagonal, `width` cells either side."""
    out = []
    for i in range(n + 1):
        c = (i * m) // n if n else m
        out.append((max(0, c - width), min(m, c + width)))
    return fix_band(out, m)


def fix_band(band: list[tuple[int, int]], m: int) -> list[tuple[int, int]]:
    """Make a band usable: monotone bounds, contains (0,0) and (n,m), consecutive rows overlap."""
    n = len(band) - 1
    lo = [b[0] for b in band]
    hi = [b[1] for b in band]
    lo[0], hi[n] = 0, m
    for i in range(n - 1, -1, -1):
        lo[i] = min(lo[i], lo[i + 1])
    for i in range(1, n + 1):
        hi[i] = max(hi[i], hi[i - 1])
    for i in range(n - 1, -1, -1):  # rows must overlap so that a 1-0 step can always be taken
        hi[i] = max(hi[i], lo[i + 1])
    return [(max(0, lo[i]), min(m, hi[i])) for i in range(n + 1)]


def dp_align(n: int, m: int, cost: CostFn, band: Sequence[tuple[int, int]] | None = None,
             beads: Sequence[tuple[int, int]] = BEADS, offset: tuple[int, int] = (0, 0),
             bounded: bool = False) -> list[Bead]:
    """Minimum-cost monotone bead sequence covering every unit exactly once, within `band`.

    `band[i]` = (lo, hi) allowed en positions after consuming i zh units. Work is O(sum of band widths).
    `offset` = (zh, en) added to the positions passed to `cost` (align a window of longer sequences).
    `bounded`: `cost` takes a fifth argument, the cost above which the bead cannot win this cell; it may then
    return any value >= that limit instead of the exact cost (branch and bound, same result).
    """
    oi, oj = offset
    if band is None:
        band = [(0, m)] * (n + 1)
    lo = [b[0] for b in band]
    hi = [b[1] for b in band]
    best: list[list[float]] = [[INF] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    back: list[list[int]] = [[-1] * (hi[i] - lo[i] + 1) for i in range(n + 1)]
    best[0][0 - lo[0]] = 0.0
    skip = getattr(cost, "skip_cost", None)  # a cost model may declare 1-0 / 0-1 beads = skip_cost per unit
    steps = [(k, a, b, None if skip is None or (a and b) else skip * (a + b)) for k, (a, b) in enumerate(beads)]
    for i in range(n + 1):
        row_lo, row_hi = lo[i], hi[i]
        row = best[i]
        brow = back[i]
        # beads whose previous row exists, with that row's bounds and values
        live = [(k, a, b, fixed, i - a, lo[i - a], hi[i - a], best[i - a]) for k, a, b, fixed in steps if i - a >= 0]
        for j in range(row_lo, row_hi + 1):
            if i == 0 and j == 0:
                continue
            bc = INF
            bk = -1
            for k, a, b, fixed, pi, plo, phi, prow in live:
                pj = j - b
                if pj < plo or pj > phi:
                    continue
                prev = prow[pj - plo]
                if prev == INF:
                    continue
                if fixed is not None:
                    c = prev + fixed
                elif bounded:
                    c = prev + cost(pi + oi, a, pj + oj, b, bc - prev)
                else:
                    c = prev + cost(pi + oi, a, pj + oj, b)
                if c < bc:
                    bc, bk = c, k
            row[j - row_lo] = bc
            brow[j - row_lo] = bk
    return backtrack(best, back, lo, beads, n, m)


def backtrack(best: list, back: list, lo: Sequence[int], beads: Sequence[tuple[int, int]], n: int,
              m: int) -> list[Bead]:
    """The bead path from the filled DP tables (row i holds columns lo[i]...), each bead with its own cost."""
    if best[n][m - lo[n]] == INF:
        raise ValueError("no alignment path inside the band")
    path: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = beads[back[i][j - lo[i]]]
        pi, pj = i - a, j - b
        path.append(Bead(pi, i, pj, j, best[i][j - lo[i]] - best[pi][pj - lo[pi]]))
        i, j = pi, pj
    path.reverse()
    return path


def touches_edge(path: list[Bead], band: Sequence[tuple[int, int]], m: int) -> bool:
    """True when the path runs along the band boundary (the band may have been too narrow)."""
    for bd in path:
        lo, hi = band[bd.zh_end]
        if (bd.en_end == lo and lo > 0) or (bd.en_end == hi and hi < m):
            return True
    return False


def banded_align(n: int, m: int, cost: CostFn, width: int = 24,
                 beads: Sequence[tuple[int, int]] = BEADS) -> list[Bead]:
    """Diagonal-band DP, doubling the width while the best path hugs the band edge (Hunalign-style)."""
    while True:
        band = diagonal_band(n, m, width)
        try:
            path = dp_align(n, m, cost, band, beads)
        except ValueError:
            path = None
        if path is not None and (width >= max(n, m) or not touches_edge(path, band, m)):
            return path
        if width >= max(n, m):
            return dp_align(n, m, cost, None, beads)
        width *= 2
