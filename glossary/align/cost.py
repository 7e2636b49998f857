"""Bead cost model: document features interned to bitmasks, then length (Gale–Church style) + lexical evidence
(dictionary words, anchors, names, numbers) + bead priors, per candidate bead."""

from __future__ import annotations

import copy
import math
from math import fsum, log
from collections import Counter
from itertools import chain
from dataclasses import dataclass, field

from glossary.align.anchors import Features


@dataclass
class Params:
    """Cost model weights (tuned on the seed gold; see glossary.evaluation.align)."""

    skip: float = 1.0  # cost of leaving one sentence unaligned (1-0 / 0-1)
    sigma: float = 0.45  # spread of log(en_len / (ratio * zh_len))
    lex_weight: float = 9.0  # weight of lexical evidence
    lex_threshold: float = 0.22  # evidence below this argues against pairing
    anchor_weight: float = 0.6  # cost reduction per matched anchor (numbers, acronyms, names, glossary)
    number_miss: float = 0.5  # cost per number present on one side only
    prior: dict = field(default_factory=lambda: {
        (1, 1): 0.0, (2, 1): 0.9, (1, 2): 0.9, (2, 2): 4.0, (3, 1): 2.2, (1, 3): 2.2,
        (1, 4): 4.0, (4, 1): 4.0})
    cross_block: float = 1.2  # penalty per paragraph boundary crossed inside one bead side
    block_slack: int = 4  # sentence band: en sentences allowed beyond the paired blocks (within neighbours)
    easy_dice: float = 0.4  # a block group whose diagonal 1-1 pairs all reach this Dice is accepted as is
    easy_length: float = 1.0  # ... and whose length costs stay below this
    orphan: float = 2.0  # cost per member of a multi-sentence bead with little evidence of its own
    orphan_min: float = 0.15  # ... i.e. less than this share of its content words matched
    ratio_retry: float = 0.15  # realign when the paired beads' length ratio differs this much (log) from the guess
    length_prune: float = 5.0  # beads whose length+prior cost exceeds this are not scored lexically


@dataclass
class Coded:
    """Unit features interned to bitmasks once per document (set intersections become integer ANDs).

    en stems are bits of a document-level stem index; a zh word is the mask of its glosses' stems that occur in
    the document's English; anchors, names and numbers are bits of one document-level string index."""

    zlen: list[int]
    elen: list[int]
    zwords: list[list[int]]  # per zh unit: its dictionary words as gloss ids (equal gloss sets share an id)
    zmask: list[list[int]]  # per zh unit: per word, mask of the English stems its glosses contain
    zgl: list[int]  # per zh unit: OR of zmask (its glosses restricted to the document's English stems)
    zanc: list[int]
    znam: list[int]
    znum: list[int]  # zh numbers written with digits ('n:' keys): missing on the English side costs
    est: list[int]  # per en unit: its content stems
    eids: list[list[int]]  # ... as stem ids
    eanc: list[int]
    enam: list[int]
    enum: list[int]
    nstems: int
    nglosses: int = 0


class _Interner(dict):
    """string -> next id, assigned on first look-up (map() over it stays in C)."""

    def __missing__(self, key: str) -> int:
        v = self[key] = len(self)
        return v


class _BitInterner(dict):
    """string -> its own bit (1 << next id), assigned on first look-up."""

    def __missing__(self, key: str) -> int:
        v = self[key] = 1 << len(self)
        return v


def code_features(zf: list[Features], ef: list[Features]) -> Coded:
    """Intern the features of one document (or one batch of pairs)."""
    sid = _Interner()
    sget = sid.__getitem__
    est, eids = [], []
    shl = (1).__lshift__
    for f in ef:
        ids = list(map(sget, f.stems))  # new stems get the next id; distinct (a set's), so sum = OR of bits
        est.append(sum(map(shl, ids)))
        eids.append(ids)
    bit = _BitInterner().__getitem__

    def code(strings) -> int:  # distinct strings (a set): the sum of their bits = their OR
        return sum(map(bit, strings if isinstance(strings, (frozenset, set)) else set(strings)))

    gcache: dict = {}  # gloss set -> (id, mask of its stems in this document's English)
    zwords, zmask, zgl = [], [], []
    sidget = sid.get
    for f in zf:
        gs = []
        ws = []
        u = 0
        for g in f.words:
            e = gcache.get(g)
            if e is None:
                m = 0
                for st in g:
                    b = sidget(st)
                    if b is not None:
                        m |= 1 << b
                e = gcache[g] = (len(gcache), m)
            gs.append(e[0])
            ws.append(e[1])
            u |= e[1]
        zwords.append(gs)
        zmask.append(ws)
        zgl.append(u)
    return Coded(
        zlen=[f.length for f in zf], elen=[f.length for f in ef], zwords=zwords, zmask=zmask,
        zgl=zgl, zanc=[code(f.anchors) for f in zf], znam=[code(f.names) for f in zf],
        znum=[code({x for x in f.numbers if x.startswith("n:")}) for f in zf],
        est=est, eids=eids, eanc=[code(f.anchors) for f in ef], enam=[code(f.names) for f in ef],
        enum=[code(f.numbers) for f in ef], nstems=len(sid), nglosses=len(gcache))


def group_coded(c: Coded, zblock: list[int], eblock: list[int]) -> Coded:
    """The same features per block (paragraph): word lists concatenated, masks OR-ed, lengths summed."""
    zg = _runs(zblock)
    eg = _runs(eblock)

    def orr(xs, runs):
        out = []
        for s, e in runs:
            m = 0
            for x in xs[s:e]:
                m |= x
            out.append(m)
        return out

    return Coded(
        zlen=[sum(c.zlen[s:e]) for s, e in zg], elen=[sum(c.elen[s:e]) for s, e in eg],
        zwords=[[w for ws in c.zwords[s:e] for w in ws] for s, e in zg],
        zmask=[[w for ws in c.zmask[s:e] for w in ws] for s, e in zg],
        zgl=orr(c.zgl, zg), zanc=orr(c.zanc, zg), znam=orr(c.znam, zg), znum=orr(c.znum, zg),
        est=orr(c.est, eg), eids=[sorted({b for ids in c.eids[s:e] for b in ids}) for s, e in eg], eanc=orr(c.eanc, eg),
        enam=orr(c.enam, eg), enum=orr(c.enum, eg), nstems=c.nstems, nglosses=c.nglosses)


def _runs(blocks: list[int]) -> list[tuple[int, int]]:
    """[start, end) of each run of equal block ids."""
    out = []
    last = None
    for idx, b in enumerate(blocks):
        if b != last:
            out.append([idx, idx])
            last = b
        out[-1][1] = idx + 1
    return [tuple(x) for x in out]


class CostModel:
    """Bead costs over two feature sequences; pairwise evidence is computed lazily and cached."""

    def __init__(self, zf: list[Features] | None, ef: list[Features] | None, params: Params,
                 zblock: list[int] | None = None, eblock: list[int] | None = None, ratio: float | None = None,
                 coded: Coded | None = None):
        c = coded if coded is not None else code_features(zf, ef)
        self.c, self.p = c, params
        self.n, self.m = len(c.zlen), len(c.elen)
        self.zrank = block_ranks(zblock)[0] if zblock is not None else None
        self.erank = block_ranks(eblock)[0] if eblock is not None else None
        self._pe: dict[tuple[int, int, int], tuple[float, int]] = {}
        self._ws: dict[int, float] = {}
        zl = sum(c.zlen) or 1
        el = sum(c.elen) or 1
        self.ratio = ratio or min(6.0, max(1.2, el / zl))
        # document-level IDF-like weights: words seen in many units count less
        zdf = Counter(chain.from_iterable(map(set, c.zwords)))  # units per gloss id
        zwt = [0.0] * c.nglosses
        for g, x in zdf.items():
            zwt[g] = 1.0 / (1.0 + math.log(x))
        self.zw = [list(map(zwt.__getitem__, ws)) for ws in c.zwords]
        edf = Counter(chain.from_iterable(c.eids))  # units per stem id
        wb = self.wbit = [1.0 / (1.0 + math.log(x)) if x else 0.0 for x in map(edf.__getitem__, range(c.nstems))]
        self.ew = [fsum(map(wb.__getitem__, ids)) for ids in c.eids]
        # per zh unit: (stem mask, weight) of the words that can match anything in this document's English
        self.zlw = [[(m, w) for m, w in zip(ms, ws) if m] for ms, ws in zip(c.zmask, self.zw)]
        # prefix sums for fast lengths/sizes of ranges
        self.zlen = _prefix(c.zlen)
        self.elen = _prefix(c.elen)
        self.zsize = _prefix([sum(ws) for ws in self.zw])
        self.esize = _prefix(self.ew)
        self._ev: dict[tuple[int, int, int, int], tuple[float, int, int]] = {}
        self._easy: dict[tuple[int, int], bool] = {}
        self._pp: dict[tuple[int, int], tuple[float, int]] = {}
        self.skip_cost = params.skip  # dp_align prices 1-0 / 0-1 beads itself (no call)
        self._half_inv_var = 1.0 / (2 * params.sigma ** 2)
        self._prior = params.prior
        self._prune = params.length_prune
        self._lex_thr = params.lex_weight * params.lex_threshold
        self._stride = self.m + 1  # int keys i * stride + j for per-pair caches

    def blocks(self, zblock: list[int], eblock: list[int], ratio: float | None = None) -> CostModel:
        """A model over the blocks (paragraphs) of this model's units."""
        return CostModel(None, None, Params(**{**self.p.__dict__}), ratio=ratio,
                         coded=group_coded(self.c, zblock, eblock))

    def with_ratio(self, ratio: float) -> CostModel:
        """The same model with another length ratio; lexical evidence (ratio-independent) is shared, not redone."""
        other = copy.copy(self)
        other.ratio = ratio
        other._easy = {}
        return other

    def wsum(self, mask: int) -> float:
        """Exact (fsum) total weight of the English stems in `mask`."""
        v = self._ws.get(mask)
        if v is None:
            wb = self.wbit
            vals = []
            m = mask
            while m:
                low = m & -m
                vals.append(wb[low.bit_length() - 1])
                m ^= low
            v = self._ws[mask] = fsum(vals)  # exact: the order of the bits does not matter
        return v

    def pe(self, i: int, j0: int, b: int) -> tuple[float, int]:
        """(weighted dictionary-matched words, matched anchors) of zh unit i against en units [j0, j0+b)."""
        key = (i, j0, b)
        v = self._pe.get(key)
        if v is None:
            c = self.c
            if b == 1:
                est, anc, nam = c.est[j0], c.eanc[j0], c.enam[j0]
            else:
                est = anc = nam = 0
                for j in range(j0, j0 + b):
                    est |= c.est[j]
                    anc |= c.eanc[j]
                    nam |= c.enam[j]
            d = 0.0
            if c.zgl[i] & est:
                for m, w in self.zlw[i]:  # the matched words' weights, summed in word order
                    if m & est:
                        d += w
            v = (d, (c.zanc[i] & anc).bit_count() + (c.znam[i] & nam).bit_count())
            self._pe[key] = v
        return v

    def ev11(self, i: int, j: int) -> tuple[float, int, int]:
        """= evidence(i, 1, j, 1) for a bead not yet cached, with the same floating-point operations in the same
        order (pe's weights summed in word order, the same prefix differences); fills pe's and _pair's caches."""
        c = self.c
        est = c.est[j]
        d = 0.0
        if c.zgl[i] & est:
            for m, w in self.zlw[i]:
                if m & est:
                    d += w
        an = (c.zanc[i] & c.eanc[j]).bit_count() + (c.znam[i] & c.enam[j]).bit_count()
        self._pe[(i, j, 1)] = (d, an)
        hit = c.zgl[i] & est
        en_hits = (self._ws.get(hit) or self.wsum(hit)) if hit else 0.0
        self._pp[i * self._stride + j] = (d + en_hits, an)
        size = self.zsize[i + 1] - self.zsize[i] + (self.esize[j + 1] - self.esize[j])
        dice = (d + en_hits) / size if size else 0.0
        v = self._ev[(i, 1, j, 1)] = (dice, min(an, 4), (c.znum[i] & ~c.enum[j]).bit_count())
        return v

    def evidence(self, i0: int, a: int, j0: int, b: int) -> tuple[float, int, int]:
        """(weighted dictionary Dice, matched anchors, numbers on the zh side missing in en) of a bead."""
        key = (i0, a, j0, b)
        v = self._ev.get(key)
        if v is not None:
            return v
        if a == 1 and b == 1:
            return self.ev11(i0, j0)
        dict_hits = 0.0
        anchor_hits = 0
        pes = self._pe
        for i in range(i0, i0 + a):
            d, an = pes.get((i, j0, b)) or self.pe(i, j0, b)
            dict_hits += d
            anchor_hits += an
        zs = self.zsize[i0 + a] - self.zsize[i0]
        es = self.esize[j0 + b] - self.esize[j0]
        c = self.c
        # English side: weighted content stems explained by the glosses of the Chinese side
        if a == 1:
            gl, zn = c.zgl[i0], c.znum[i0]
        else:
            gl = zn = 0
            for i in range(i0, i0 + a):
                gl |= c.zgl[i]
                zn |= c.znum[i]
        if b == 1:
            est, enum = c.est[j0], c.enum[j0]
        else:
            est = enum = 0
            for j in range(j0, j0 + b):
                est |= c.est[j]
                enum |= c.enum[j]
        hit = gl & est
        en_hits = (self._ws.get(hit) or self.wsum(hit)) if hit else 0.0
        dice = (dict_hits + en_hits) / (zs + es) if zs + es else 0.0
        v = (dice, min(anchor_hits, 4 * max(a, b)), (zn & ~enum).bit_count())
        self._ev[key] = v
        return v

    def length_cost(self, i0: int, a: int, j0: int, b: int) -> float:
        lz = self.zlen[i0 + a] - self.zlen[i0]
        le = self.elen[j0 + b] - self.elen[j0]
        r = math.log((le + 12.0) / (self.ratio * lz + 12.0))
        return r * r / (2 * self.p.sigma ** 2)

    def is_easy(self, i: int, j: int) -> bool:
        """Cached _is_easy(self, i, j)."""
        v = self._easy.get((i, j))
        if v is None:
            v = self._easy[(i, j)] = _is_easy(self, i, j, self.p)
        return v

    def crossings(self, i0: int, a: int, j0: int, b: int) -> int:
        c = 0
        if self.zrank is not None and a > 1:
            c += self.zrank[i0 + a - 1] - self.zrank[i0]
        if self.erank is not None and b > 1:
            c += self.erank[j0 + b - 1] - self.erank[j0]
        return c

    def _pair(self, i: int, j: int) -> tuple[float, int]:
        """(dictionary + English hits, anchors) of zh unit i against en unit j alone (for lower bounds)."""
        key = i * self._stride + j
        v = self._pp.get(key)
        if v is None:
            d, an = self.pe(i, j, 1)
            hit = self.c.zgl[i] & self.c.est[j]
            v = self._pp[key] = (d + (self.wsum(hit) if hit else 0.0), an)
        return v

    def __call__(self, i0: int, a: int, j0: int, b: int, limit: float = math.inf) -> float:
        """Cost of a bead. With `limit`, a multi-sentence bead that provably costs at least `limit` may return
        a lower bound (>= limit) instead of its exact cost: the search only needs to know it loses."""
        if a == 0 or b == 0:
            return self.skip_cost * (a + b)
        zlen = self.zlen
        elen = self.elen
        r = log((elen[j0 + b] - elen[j0] + 12.0) / (self.ratio * (zlen[i0 + a] - zlen[i0]) + 12.0))
        cost = self._prior.get((a, b), 4.0) + r * r * self._half_inv_var  # = prior + length_cost(i0, a, j0, b)
        if cost > self._prune:  # hopeless lengths: skip the lexical work
            return cost + self._lex_thr * (a + b) / 2.0
        p = self.p
        if a > 1 or b > 1:
            if limit < math.inf:  # a lower bound: unions of matches bounded by sums over the sentence pairs
                hits = 0.0
                anchors = 0
                pp = self._pp
                stride = self._stride
                for i in range(i0, i0 + a):
                    base = i * stride
                    for j in range(j0, j0 + b):
                        v = pp.get(base + j) or self._pair(i, j)
                        hits += v[0]
                        anchors += v[1]
                zsize, esize = self.zsize, self.esize
                size = zsize[i0 + a] - zsize[i0] + esize[j0 + b] - esize[j0]
                dice = hits / size if size else 0.0
                lb = (cost + p.lex_weight * (p.lex_threshold - dice) * (a + b) / 2.0
                      - p.anchor_weight * min(anchors, 4 * max(a, b)) + p.cross_block * self.crossings(i0, a, j0, b))
                if lb - 1e-7 >= limit:
                    return lb
            return self._exact_multi(cost, i0, a, j0, b)
        dice, anchors, missing = self._ev.get((i0, 1, j0, 1)) or self.evidence(i0, 1, j0, 1)
        cost += p.lex_weight * (p.lex_threshold - dice) * (a + b) / 2.0
        return cost + (-p.anchor_weight * anchors + p.number_miss * missing)  # 1-1: no block crossings

    def _exact_multi(self, cost: float, i0: int, a: int, j0: int, b: int) -> float:
        """Exact cost of a multi-sentence bead whose prior + length cost is `cost` (not pruned)."""
        p = self.p
        dice, anchors, missing = self.evidence(i0, a, j0, b)
        cost += p.lex_weight * (p.lex_threshold - dice) * (a + b) / 2.0
        cost += -p.anchor_weight * anchors + p.number_miss * missing
        cost += p.cross_block * self.crossings(i0, a, j0, b)
        return cost + p.orphan * self.orphans(i0, a, j0, b)

    def orphans(self, i0: int, a: int, j0: int, b: int) -> int:
        """Members of a multi-sentence bead that barely match the other side (likely untranslated extras)."""
        k = 0
        if a > 1:
            for i in range(i0, i0 + a):
                size = self.zsize[i + 1] - self.zsize[i]
                if size > 0 and self.pe(i, j0, b)[0] < self.p.orphan_min * size:
                    k += 1
        if b > 1:
            c = self.c
            gl = 0
            for i in range(i0, i0 + a):
                gl |= c.zgl[i]
            for j in range(j0, j0 + b):
                size = self.ew[j]
                if size > 0 and self.wsum(gl & c.est[j]) < self.p.orphan_min * size:
                    k += 1
        return k

    def score(self, i0: int, a: int, j0: int, b: int) -> float:
        """0..1 confidence for a bead (logistic in evidence and length agreement)."""
        if a == 0 or b == 0:
            return 0.0
        dice, anchors, missing = self.evidence(i0, a, j0, b)
        x = (8.0 * (dice - self.p.lex_threshold) + 0.3 * min(anchors, 3) - 0.5 * missing
             - 0.5 * self.length_cost(i0, a, j0, b))
        return round(1.0 / (1.0 + math.exp(-x)), 4)


def _prefix(values: list) -> list:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


def block_ranks(blocks: list[int]) -> tuple[list[int], list[int]]:
    """Map each unit to its block rank (0..), and return the first unit index of each rank."""
    ranks, starts = [], []
    last = None
    for idx, b in enumerate(blocks):
        if b != last:
            starts.append(idx)
            last = b
        ranks.append(len(starts) - 1)
    return ranks, starts


def _is_easy(model: CostModel, i: int, j: int, p: Params) -> bool:
    """(i, j) is a confident 1-1 bead: strong evidence, sane lengths, and no merge with a neighbour is cheaper."""
    if i >= model.n or j >= model.m:
        return False
    if model.length_cost(i, 1, j, 1) > p.easy_length:
        return False
    dice, _, missing = model.evidence(i, 1, j, 1)
    if dice < p.easy_dice or missing:
        return False
    c11 = model(i, 1, j, 1)
    limit = c11 + p.skip  # bounded calls: a merge that provably cannot beat this needs no exact cost
    if j + 1 < model.m and model(i, 1, j, 2, limit) < limit:
        return False
    if i + 1 < model.n and model(i, 2, j, 1, limit) < limit:
        return False
    return True
