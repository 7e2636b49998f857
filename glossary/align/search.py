"""Bead DP specialised to the aligner's CostModel: beads.dp_align(bounded=True) with the cost inlined (same path)."""

from __future__ import annotations

import math
from math import log

from glossary.align.beads import BEADS, Bead, backtrack

INF = math.inf
K01 = BEADS.index((0, 1))


def model_dp(n: int, m: int, model, band=None, offset: tuple[int, int] = (0, 0)) -> list[Bead]:
    """= dp_align(n, m, model, band, offset=offset, bounded=True): the same cells, costs, winners and ties.

    Each row is filled in dp_align's bead order: 1-1 and 1-0 beads for the whole row first (they only read the
    previous row), then cell by cell the 0-1 bead and the multi-sentence beads, each bounded by the cell's best so
    far exactly as dp_align bounds them. Length costs, pruning and the multi-sentence lower bound are computed
    here with per-row constants hoisted; only exact evidence calls the model."""
    oi, oj = offset
    if band is None:
        band = [(0, m)] * (n + 1)
    lo = [b[0] for b in band]
    hi = [b[1] for b in band]
    best: list[list[float]] = []
    back: list[list[int]] = []
    p = model.p
    skip = model.skip_cost
    zlen, elen = model.zlen, model.elen
    zsize, esize = model.zsize, model.esize
    ratio = model.ratio
    hiv = model._half_inv_var
    prune = model._prune
    lex_thr = model._lex_thr
    lw, thr = p.lex_weight, p.lex_threshold
    aw, nm, cb = p.anchor_weight, p.number_miss, p.cross_block
    prior = model._prior
    zrank, erank = model.zrank, model.erank
    ev = model._ev
    ev11 = model.ev11
    pp = model._pp
    pair = model._pair
    stride = model._stride
    exact = model._exact_multi
    skip01 = skip * (0 + 1)
    k11, k10 = BEADS.index((1, 1)), BEADS.index((1, 0))
    assert (k11, k10, K01) == (0, 1, 2)  # the order the passes below follow
    multis = [(k, a, b, prior.get((a, b), 4.0), lex_thr * (a + b) / 2.0, 4 * max(a, b))
              for k, (a, b) in enumerate(BEADS) if a and b and (a, b) != (1, 1)]
    for i in range(n + 1):
        row_lo, row_hi = lo[i], hi[i]
        w = row_hi - row_lo + 1
        row = [INF] * w
        brow = [-1] * w
        if i == 0 and row_lo == 0:
            row[0] = 0.0
        if i >= 1:
            pi = i - 1
            plo, phi, prow = lo[pi], hi[pi], best[pi]
            i0 = pi + oi
            # 1-1 beads (first in BEADS: the cell is still empty)
            jlo, jhi = max(row_lo, plo + 1), min(row_hi, phi + 1)
            den = ratio * (zlen[i0 + 1] - zlen[i0]) + 12.0
            pr = prior.get((1, 1), 4.0)
            pruned_add = lex_thr * (1 + 1) / 2.0
            for j in range(jlo, jhi + 1):
                prev = prow[j - 1 - plo]
                if prev == INF:
                    continue
                j0 = j - 1 + oj
                r = log((elen[j0 + 1] - elen[j0] + 12.0) / den)
                cost = pr + r * r * hiv
                if cost > prune:
                    cost = cost + pruned_add
                else:
                    dice, anchors, missing = ev.get((i0, 1, j0, 1)) or ev11(i0, j0)
                    cost += lw * (thr - dice) * (1 + 1) / 2.0
                    cost = cost + (-aw * anchors + nm * missing)
                x = j - row_lo
                row[x] = prev + cost
                brow[x] = k11
            # 1-0 beads
            fixed = skip * (1 + 0)
            for j in range(max(row_lo, plo), min(row_hi, phi) + 1):
                prev = prow[j - plo]
                if prev == INF:
                    continue
                c = prev + fixed
                x = j - row_lo
                if c < row[x]:
                    row[x] = c
                    brow[x] = k10
        # per-row constants of the multi-sentence beads whose previous row exists
        live = []
        for k, a, b, pr, pruned_add, cap in multis:
            pi = i - a
            if pi < 0:
                continue
            i0 = pi + oi
            live.append((k, a, b, lo[pi] + b, hi[pi] + b, best[pi], lo[pi] + b, i0,
                         ratio * (zlen[i0 + a] - zlen[i0]) + 12.0, pr, pruned_add, cap, zsize[i0 + a] - zsize[i0],
                         zrank[i0 + a - 1] - zrank[i0] if zrank is not None and a > 1 else 0,
                         [zi * stride for zi in range(i0, i0 + a)]))
        for x in range(w):
            bc = row[x]
            bk = brow[x]
            if x:  # 0-1 bead from the cell before (final by now)
                prev = row[x - 1]
                if prev != INF:
                    c = prev + skip01
                    if c < bc:
                        bc, bk = c, K01
            j = x + row_lo
            for k, a, b, jlo, jhi, prow, off, i0, den, pr, pruned_add, cap, zs, zcr, bases in live:
                if j < jlo or j > jhi:
                    continue
                prev = prow[j - off]
                if prev == INF:
                    continue
                j0 = j - b + oj
                r = log((elen[j0 + b] - elen[j0] + 12.0) / den)
                cost = pr + r * r * hiv
                if cost > prune:
                    cost = cost + pruned_add
                else:
                    limit = bc - prev
                    if limit < INF:  # = CostModel.__call__'s lower bound, inlined
                        hits = 0.0
                        anc = 0
                        for base in bases:
                            for ej in range(j0, j0 + b):
                                v = pp.get(base + ej) or pair(base // stride, ej)
                                hits += v[0]
                                anc += v[1]
                        size = zs + esize[j0 + b] - esize[j0]
                        dice = hits / size if size else 0.0
                        cr = zcr
                        if erank is not None and b > 1:
                            cr += erank[j0 + b - 1] - erank[j0]
                        lb = cost + lw * (thr - dice) * (a + b) / 2.0 - aw * min(anc, cap) + cb * cr
                        if lb - 1e-7 >= limit:
                            continue  # cannot beat the cell's best so far
                    cost = exact(cost, i0, a, j0, b)
                c = prev + cost
                if c < bc:
                    bc, bk = c, k
            row[x] = bc
            brow[x] = bk
        best.append(row)
        back.append(brow)
    return backtrack(best, back, lo, BEADS, n, m)
