"""Sentence aligner: pair blocks first, then align sentences inside that band with length + lexical anchors."""

from __future__ import annotations

import math
from dataclasses import dataclass

from glossary.align.anchors import (Features, GlossaryAnchors, en_features_memo, name_index,
                                    zh_features_memo)
from glossary.align.beads import Bead, banded_align, fix_band
from glossary.align.cost import CostModel, Params, block_ranks
from glossary.align.search import model_dp


@dataclass
class Unit:
    """A sentence to align: display text, matching form, its block (paragraph) and source line."""

    text: str
    norm: str = ""
    block: int = 0
    line: int = 0
    quarantined: bool = False


@dataclass
class AlignedBead:
    """A bead with unit indices and a 0..1 confidence."""

    zh: list[int]
    en: list[int]
    score: float

    @property
    def kind(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"

    def link(self) -> str:
        return "[" + ",".join(map(str, self.zh)) + "]:[" + ",".join(map(str, self.en)) + "]"


def pair_blocks(zf: list[Features], ef: list[Features], zblock: list[int], eblock: list[int],
                params: Params, ratio: float | None = None, sentences: CostModel | None = None) -> list[Bead]:
    """Align paragraphs (blocks) with the same cost model; the result bounds the sentence search.

    `sentences` = the sentence-level model over the same features (its interned features are grouped by block
    instead of being interned again)."""
    sentences = sentences if sentences is not None else CostModel(zf, ef, params)
    model = sentences.blocks(zblock, eblock, ratio=ratio)
    return anchored_walk(model.n, model.m, model, model.p)


def sentence_band(block_path: list[Bead], zrank: list[int], erank: list[int], estarts: list[int],
                  m: int, slack: int) -> list[tuple[int, int]]:
    """Rows of the sentence DP allowed by the block alignment (its en sentences ± `slack` sentences)."""
    n = len(zrank)
    ne_blocks = len(estarts)
    bounds = estarts + [m]
    # en block range covered by each group; zh block -> group
    group_en: list[tuple[int, int]] = []
    zgroup: dict[int, int] = {}
    for g, bd in enumerate(block_path):
        group_en.append((bd.en_start, bd.en_end))
        for zb in range(bd.zh_start, bd.zh_end):
            zgroup[zb] = g
    ng = len(group_en)
    rows: list[tuple[int, int]] = []
    for i in range(n + 1):
        ranks = {zrank[i - 1]} if i > 0 else set()
        if i < n:
            ranks.add(zrank[i])
        lo, hi = m, 0
        for r in ranks:
            g = zgroup.get(r, 0)
            s, e = group_en[g]
            own_lo, own_hi = bounds[min(s, ne_blocks)], bounds[min(e, ne_blocks)]
            # neighbouring groups are allowed, but at most `slack` sentences beyond this group's own
            nb_lo = bounds[min(group_en[max(0, g - 1)][0], ne_blocks)]
            nb_hi = bounds[min(group_en[min(ng - 1, g + 1)][1], ne_blocks)]
            lo = min(lo, max(nb_lo, own_lo - slack))
            hi = max(hi, min(nb_hi, own_hi + slack))
        rows.append((max(0, lo), min(m, hi)))
    return fix_band(rows, m)


def _search(zf: list[Features], ef: list[Features], zblock, eblock, model: CostModel, p: Params) -> list[Bead]:
    n, m = len(zf), len(ef)
    if zblock is not None and eblock is not None and (len(set(zblock)) > 1 or len(set(eblock)) > 1):
        zrank, zstarts = block_ranks(zblock)
        erank, estarts = block_ranks(eblock)
        block_path = pair_blocks(zf, ef, zblock, eblock, p, ratio=model.ratio, sentences=model)
        band = sentence_band(block_path, zrank, erank, estarts, m, p.block_slack)
        return _solve_groups(block_path, zstarts + [n], estarts + [m], band, model, p)
    return anchored_walk(n, m, model, p)


def align_features(zf: list[Features], ef: list[Features], zblock: list[int] | None = None,
                   eblock: list[int] | None = None, params: Params | None = None) -> list[AlignedBead]:
    """Align two feature sequences; with block ids, pair blocks first and search sentences in that band."""
    p = params or Params()
    n, m = len(zf), len(ef)
    if n == 0 or m == 0:
        return [AlignedBead([i], [], 0.0) for i in range(n)] + [AlignedBead([], [j], 0.0) for j in range(m)]
    model = CostModel(zf, ef, p, zblock, eblock)
    path = _search(zf, ef, zblock, eblock, model, p)
    # untranslated material distorts the document-wide length ratio: re-estimate it on the paired beads
    paired = [bd for bd in path if bd.zh_end > bd.zh_start and bd.en_end > bd.en_start]
    zl = sum(model.zlen[bd.zh_end] - model.zlen[bd.zh_start] for bd in paired)
    el = sum(model.elen[bd.en_end] - model.elen[bd.en_start] for bd in paired)
    if zl and el and abs(math.log((el / zl) / model.ratio)) > p.ratio_retry:
        model = model.with_ratio(min(6.0, max(1.2, el / zl)))
        path = _search(zf, ef, zblock, eblock, model, p)
    return [AlignedBead(bd.zh, bd.en, model.score(bd.zh_start, bd.zh_end - bd.zh_start, bd.en_start,
                                                   bd.en_end - bd.en_start)) for bd in path]


def _easy_group(model: CostModel, z0: int, z1: int, e0: int, e1: int, p: Params) -> list[Bead] | None:
    """A block group whose sentences pair off 1-1 along the diagonal with strong evidence needs no search."""
    k = z1 - z0
    if k == 0 or k != e1 - e0 or k > 6:
        return None
    beads = []
    for t in range(k):
        if model.length_cost(z0 + t, 1, e0 + t, 1) > p.easy_length:
            return None
        dice, _, missing = model.evidence(z0 + t, 1, e0 + t, 1)
        if dice < p.easy_dice or missing:
            return None
        beads.append(Bead(z0 + t, z0 + t + 1, e0 + t, e0 + t + 1))
    return beads


def _solve_groups(block_path: list[Bead], zb: list[int], eb: list[int], band: list[tuple[int, int]],
                  model: CostModel, p: Params) -> list[Bead]:
    """Accept easy block groups as diagonal 1-1 beads; run the sentence DP over each run of hard groups."""
    out: list[Bead] = []
    run: list[int] | None = None  # [z0, e0] of the pending hard run

    def flush(z1: int, e1: int) -> None:
        nonlocal run
        if run is None:
            return
        z0, e0 = run
        run = None
        if z1 == z0 and e1 == e0:
            return
        rows = [(min(max(lo - e0, 0), e1 - e0), min(max(hi - e0, 0), e1 - e0)) for lo, hi in band[z0:z1 + 1]]
        sub = model_dp(z1 - z0, e1 - e0, model, fix_band(rows, e1 - e0), offset=(z0, e0))
        out.extend(Bead(bd.zh_start + z0, bd.zh_end + z0, bd.en_start + e0, bd.en_end + e0) for bd in sub)

    for bd in block_path:
        z0, z1 = zb[bd.zh_start], zb[bd.zh_end]
        e0, e1 = eb[bd.en_start], eb[bd.en_end]
        easy = _easy_group(model, z0, z1, e0, e1, p)
        if easy is None:
            if run is None:
                run = [z0, e0]
            continue
        flush(z0, e0)
        out.extend(easy)
    flush(zb[-1], eb[-1])
    return out


def _resync(model: CostModel, i: int, j: int, n: int, m: int, p: Params, window: int) -> tuple[int, int] | None:
    """Nearest (i2, j2) after a hard stretch where two consecutive confident 1-1 beads start again."""
    best = None
    easy = model._easy
    zi, ej = n - 2 - i, m - 2 - j  # the largest di, dj with room for two beads (i2 + 1 < n, j2 + 1 < m)
    for d in range(1, min(2 * window, zi + ej) + 1):  # by total distance d = (i2 - i) + (j2 - j)
        for di in range(max(0, d - window, d - ej), min(d, window, zi) + 1):
            i2, j2 = i + di, j + d - di
            e = easy.get((i2, j2))
            if e is None:
                e = model.is_easy(i2, j2)
            if e and model.is_easy(i2 + 1, j2 + 1):
                best = (i2, j2)
                break
        if best:
            return best
    return None


def anchored_walk(n: int, m: int, model: CostModel, p: Params) -> list[Bead]:
    """Linear-time alignment without paragraph information: accept confident 1-1 beads as they come, and
    solve each stretch between them (up to the next two confident beads in a row) with the full bead DP."""
    out: list[Bead] = []
    i = j = 0
    while i < n or j < m:
        if model.is_easy(i, j):
            out.append(Bead(i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
            continue
        target = None
        for window in (8, 32, 128):
            target = _resync(model, i, j, n, m, p, window)
            if target:
                break
        i2, j2 = target if target else (n, m)
        if target is None and (n - i) * (m - j) > 250_000:  # huge unsynchronised tail: banded search
            sub = banded_align(n - i, m - j, lambda a0, a, b0, b: model(a0 + i, a, b0 + j, b))
        else:
            sub = model_dp(i2 - i, j2 - j, model, offset=(i, j))
        out.extend(Bead(bd.zh_start + i, bd.zh_end + i, bd.en_start + j, bd.en_end + j) for bd in sub)
        i, j = (i2, j2) if target or (n - i) * (m - j) <= 250_000 else (n, m)
    return out


def align_units(zh: list[Unit], en: list[Unit], glossary: list[tuple[str, str]] | GlossaryAnchors | None = None,
                params: Params | None = None, use_blocks: bool = True) -> list[AlignedBead]:
    """Align Chinese and English sentence units; `glossary` = approved (zh, en) pairs used as anchors."""
    g = glossary if isinstance(glossary, GlossaryAnchors) or glossary is None else GlossaryAnchors(list(glossary))
    ef = [en_features_memo(u.text, g) for u in en]
    names = name_index(ef)
    zf = [zh_features_memo(u.norm or u.text, g, names) for u in zh]
    zb = [u.block for u in zh] if use_blocks else None
    eb = [u.block for u in en] if use_blocks else None
    return align_features(zf, ef, zb, eb, params)


def align_sentences(zh: list[str], en: list[str], glossary=None, params: Params | None = None) -> list[AlignedBead]:
    """Align two lists of sentences (no paragraph information)."""
    from glossary.text.normalize import to_simplified

    return align_units([Unit(s, to_simplified(s)) for s in zh], [Unit(s) for s in en], glossary, params,
                       use_blocks=False)
