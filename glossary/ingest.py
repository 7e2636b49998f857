"""Ingest without a database: read a file (or a zh/en pair), clean it, split and align it into an AlignedDocument.

Public API (used by `glossary ingest` and by lint for bilingual drafts):

- ``read_aligned(path, glossary=None, fmt=None) -> AlignedDocument`` — any supported single file: raw mixed
  zh/en documents, TMX, XLIFF 1.2/2.x, zh<TAB>en TSV. Format and encoding are detected.
- ``read_pair(zh_path, en_path, unaligned=False, glossary=None) -> AlignedDocument`` — two files, either
  line-aligned (line i ↔ line i) or, with ``unaligned=True``, aligned by the sentence aligner.
- ``iter_input_files(paths)`` — expand directories recursively into candidate files.

``glossary`` is a list of approved (zh, en) term pairs used as extra alignment anchors.
Bad input raises ``glossary.errors.InputError`` with a 'path:line:col: message' text.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from glossary.align.aligner import AlignedBead, Unit, align_units
from glossary.align.cost import CostModel, Params
from glossary.align.anchors import GlossaryAnchors, en_features, name_keys, zh_features
from glossary.align.heap import settle_once
from glossary.data import AlignedDocument, Block, CleanDocument, RawDocument, SegmentPair, TextIssue
from glossary.errors import input_error
from glossary.read.bitext import BiPair, iter_tsv, read_tmx, read_xliff
from glossary.read.detect import read_raw
from glossary.read.mixed import split_blocks
from glossary.text.clean import display_form, find_mojibake, match_form, strip_ruby
from glossary.text.sentences import split

INPUT_SUFFIXES = {".txt", ".text", ".tmx", ".xlf", ".xliff", ".xlif", ".tsv", ".tab", ".md"}


@dataclass
class CleanText:
    """One cleaned paragraph: display text, same-length matching form, mojibake spans (display offsets)."""

    text: str
    norm: str
    mojibake: list[tuple[int, int]]


def clean_text(text: str, path: str = "", line: int = 0, col0: int = 1,
               issues: list[TextIssue] | None = None) -> CleanText:
    """Strip verified pinyin ruby, apply safe NFKC, find mojibake (reported with original line:col)."""
    stripped, edits = strip_ruby(text)
    shown = display_form(stripped)
    spans = find_mojibake(shown)
    if issues is not None:
        if edits:
            issues.append(TextIssue("ruby", line, col0 + edits[0].start, "".join(e.text for e in edits[:5]),
                                    f"removed {len(edits)} pinyin annotation(s)"))
        for s, e in spans:
            issues.append(TextIssue("mojibake", line, col0 + _orig_offset(s, edits), shown[s:e],
                                    "mojibake span kept out of alignment and mining"))
    return CleanText(shown, match_form(shown), spans)


def _orig_offset(pos: int, edits) -> int:
    """Map an offset in ruby-stripped text back to the original text."""
    removed = 0
    for e in edits:
        if e.start - removed <= pos:
            removed += e.end - e.start
        else:
            break
    return pos + removed


def clean_document(raw: RawDocument) -> tuple[CleanDocument, list[CleanText]]:
    """Blocks of a mixed document, cleaned; returns the CleanDocument and per-block CleanText."""
    issues: list[TextIssue] = []
    blocks: list[Block] = []
    cleaned: list[CleanText] = []
    lines = raw.text.splitlines()
    for b in split_blocks(raw.text):
        src = lines[b.line - 1] if 0 < b.line <= len(lines) else b.text
        col0 = len(src) - len(src.lstrip()) + 1
        ct = clean_text(b.text, raw.path, b.line, col0, issues)
        b.text, b.norm = ct.text, ct.norm
        b.quarantined = bool(ct.mojibake) and sum(e - s for s, e in ct.mojibake) > 0.5 * len(ct.text)
        blocks.append(b)
        cleaned.append(ct)
    return CleanDocument(raw=raw, blocks=blocks, issues=issues), cleaned


def units_of(blocks: list[Block], cleaned: list[CleanText], lang: str) -> list[Unit]:
    """Sentence units of all blocks in `lang`, in document order."""
    units: list[Unit] = []
    for bi, (b, ct) in enumerate(zip(blocks, cleaned)):
        if b.lang != lang:
            continue
        text, norm, moji, q = ct.text, ct.norm, ct.mojibake, b.quarantined
        for s, e in split(text, lang):
            bad = q or (bool(moji) and any(ms < e and me > s for ms, me in moji))
            units.append(Unit(text[s:e], norm[s:e], block=bi, line=b.line, quarantined=bad))
    return units


def _snippet(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def beads_to_pairs(beads: list[AlignedBead], zh: list[Unit], en: list[Unit], document: str,
                   skipped: list[str]) -> list[SegmentPair]:
    """SegmentPairs for beads with both sides; 1-0/0-1 and mojibake beads become 'skipped' notes."""
    pairs: list[SegmentPair] = []
    for bd in beads:
        zs = [zh[i] for i in bd.zh]
        es = [en[j] for j in bd.en]
        if not zs or not es:
            u = (zs or es)[0]
            lang = "zh" if zs else "en"
            skipped.append(f"{document}:{u.line}: untranslated {lang} sentence not paired: {_snippet(u.text)}")
            continue
        if any(u.quarantined for u in zs + es):
            skipped.append(f"{document}:{zs[0].line}: mojibake, pair kept out: {_snippet(zs[0].text)}")
            continue
        pairs.append(SegmentPair(
            zh="".join(u.text for u in zs),
            en=" ".join(u.text for u in es),
            position=len(pairs),
            document=document,
            zh_norm="".join(u.norm for u in zs),
            score=bd.score,
            bead=bd.kind,
            zh_line=zs[0].line,
            en_line=es[0].line,
        ))
    return pairs


def _anchors(glossary) -> GlossaryAnchors | None:
    if glossary is None or isinstance(glossary, GlossaryAnchors):
        return glossary
    pairs = list(glossary)
    return GlossaryAnchors(pairs) if pairs else None


def align_mixed(raw: RawDocument, glossary=None, params: Params | None = None) -> AlignedDocument:
    """Clean, split and align a raw mixed zh/en document."""
    doc = _align_mixed(raw, glossary, params)
    settle_once()
    return doc


def _align_mixed(raw: RawDocument, glossary, params: Params | None) -> AlignedDocument:
    clean, cleaned = clean_document(raw)
    zh = units_of(clean.blocks, cleaned, "zh")
    en = units_of(clean.blocks, cleaned, "en")
    if not zh or not en:
        have = "Chinese" if zh else "English" if en else "no Chinese or English"
        first = clean.blocks[0].line if clean.blocks else 1
        raise input_error(raw.path, f"only {have} text found; need both languages to align", first, 1)
    beads = align_units(zh, en, _anchors(glossary), params)
    skipped: list[str] = []
    pairs = beads_to_pairs(beads, zh, en, raw.path, skipped)
    return AlignedDocument(raw=raw, pairs=pairs, issues=clean.issues, skipped=skipped)


BATCH = 5000  # pre-aligned pairs cleaned and scored together (bounds memory; IDF weights are per batch)


def pairs_from_bitext(raw: RawDocument, bitext: Iterable[BiPair], glossary=None, batch: int | None = None,
                      stream: bool = False) -> AlignedDocument:
    """AlignedDocument from pre-aligned units (TMX/XLIFF/TSV/line pairs): cleaned, scored, bead '1-1'.

    Work is done in batches of `batch` pairs; with `stream=True` the pairs are produced lazily as
    `AlignedDocument.batches` (memory bounded by one batch), otherwise collected into `pairs`.
    """
    doc = AlignedDocument(raw=raw, pairs=[])
    batches = _bitext_batches(doc, iter(bitext), _anchors(glossary), batch or BATCH)
    if stream:
        doc.batches = batches
    else:
        for b in batches:
            doc.pairs.extend(b)
    return doc


def _bitext_batches(doc: AlignedDocument, bitext, g, batch: int):
    position = 0
    while True:
        chunk = list(itertools.islice(bitext, batch))
        if not chunk:
            return
        pairs = _score_chunk(doc, chunk, g, position)
        position += len(pairs)
        yield pairs


def _score_chunk(doc: AlignedDocument, bitext: list[BiPair], g, position: int) -> list[SegmentPair]:
    raw = doc.raw
    zc = [clean_text(p.zh, raw.path, p.line, 1, doc.issues) for p in bitext]
    ec = [clean_text(p.en, raw.path, p.line, 1, doc.issues) for p in bitext]
    ef = [en_features(c.text, g) for c in ec]
    zf = [zh_features(c.norm, g, names=name_keys(f.names)) for c, f in zip(zc, ef)]
    model = CostModel(zf, ef, Params())
    pairs: list[SegmentPair] = []
    for k, (p, z, e) in enumerate(zip(bitext, zc, ec)):
        if z.mojibake or e.mojibake:
            doc.skipped.append(f"{raw.path}:{p.line}: mojibake, pair kept out: {_snippet(z.text)}")
            continue
        pairs.append(SegmentPair(zh=z.text, en=e.text, position=position + len(pairs), document=raw.path,
                                 zh_norm=z.norm, score=model.score(k, 1, k, 1), bead="1-1", zh_line=p.line,
                                 en_line=p.line))
    return pairs


def read_aligned(path: str | Path, glossary=None, fmt: str | None = None, stream: bool = False) -> AlignedDocument:
    """Read any supported single file and return its aligned segment pairs (no database involved).

    `stream=True`: pre-aligned bitext (TSV, TMX, XLIFF) is cleaned and scored lazily in batches
    (`AlignedDocument.batches`), so memory stays bounded for very large files.
    """
    raw = read_raw(path, fmt)
    if raw.format == "mixed":
        return align_mixed(raw, glossary)
    notes: list[str] = []
    if raw.format == "tmx":
        bitext = read_tmx(raw.text, raw.path)
    elif raw.format == "xliff":
        bitext = read_xliff(raw.text, raw.path)
    elif raw.format == "tsv":
        bitext = iter_tsv(raw.text, raw.path, notes)
    else:
        raise input_error(raw.path, f"unknown format {raw.format!r}", 1, 1)
    bitext = iter(bitext)
    first = next(bitext, None)
    if first is None:
        raise input_error(raw.path, f"no Chinese–English pairs found in {raw.format.upper()} file", 1, 1)
    doc = pairs_from_bitext(raw, itertools.chain([first], bitext), glossary, stream=stream)
    doc.skipped[:0] = notes  # notes found so far; later ones are appended to `notes` ...
    if stream:
        doc.batches = _with_notes(doc, doc.batches, notes)
    return doc


def _with_notes(doc: AlignedDocument, batches, notes: list[str]):
    """Pass batches through; at the end add reader notes found after the first batch to doc.skipped."""
    seen = len(notes)
    yield from batches
    doc.skipped[seen:seen] = notes[seen:]


_WORKER_ANCHORS: GlossaryAnchors | None = None


def init_worker(glossary) -> None:
    """Process-pool initializer: build the glossary anchors once per worker; exit when the parent dies."""
    import os
    import threading

    global _WORKER_ANCHORS
    _WORKER_ANCHORS = _anchors(glossary)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A killed `glossary ingest` (SIGKILL) must not leave workers behind holding its pipes open."""
    import os
    import time

    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def read_file_job(path: str, fmt: str | None) -> tuple[AlignedDocument | None, str | None]:
    """read_aligned in a worker process: (document, None) or (None, the one-line InputError text).

    The document's raw text is not sent back (`raw.text` is ""): the parent stores its metadata and pairs,
    and pickling every file's text twice more cost the parent CPU and memory."""
    from glossary.errors import GlossaryError

    try:
        doc = read_aligned(path, _WORKER_ANCHORS, fmt)
    except GlossaryError as exc:
        return None, str(exc)
    doc.raw.text = ""
    return doc, None


def anchors_of(glossary) -> GlossaryAnchors | None:
    """Approved (zh, en) pairs as alignment anchors, built once (pass the result to read_aligned/read_pair)."""
    return _anchors(glossary)


def _pair_raw(zh: RawDocument, en: RawDocument, fmt: str) -> RawDocument:
    digest = hashlib.sha256((zh.sha256 + en.sha256).encode()).hexdigest()
    enc = zh.encoding if zh.encoding == en.encoding else f"{zh.encoding}+{en.encoding}"
    return RawDocument(path=f"{zh.path}+{en.path}", text=zh.text + "\n" + en.text, encoding=enc, format=fmt,
                       sha256=digest, size=zh.size + en.size)


def _lines(raw: RawDocument) -> list[tuple[int, str]]:
    return [(no, ln.strip()) for no, ln in enumerate(raw.text.splitlines(), start=1) if ln.strip()]


def read_pair(zh_path: str | Path, en_path: str | Path, unaligned: bool = False, glossary=None,
              params: Params | None = None) -> AlignedDocument:
    """Two files: line-aligned (default; non-empty line i ↔ line i) or unaligned (sentence aligner)."""
    zr = read_raw(zh_path, "pair")
    er = read_raw(en_path, "pair")
    zl, el = _lines(zr), _lines(er)
    if not unaligned:
        if len(zl) != len(el):
            raise input_error(str(en_path), f"{len(el)} non-empty lines but {zh_path} has {len(zl)}; "
                              "use --unaligned for files that are not line-aligned", len(el) + 1 if
                              len(el) < len(zl) else el[len(zl)][0], 1)
        raw = _pair_raw(zr, er, "pair")
        return pairs_from_bitext(raw, [BiPair(z, e, zn) for (zn, z), (_, e) in zip(zl, el)], glossary)
    raw = _pair_raw(zr, er, "pair-unaligned")
    issues: list[TextIssue] = []
    zh_units = _units_from_lines(zl, "zh", str(zh_path), issues)
    en_units = _units_from_lines(el, "en", str(en_path), issues)
    if not zh_units or not en_units:
        bad = zh_path if not zh_units else en_path
        raise input_error(str(bad), "no text to align", 1, 1)
    beads = align_units(zh_units, en_units, _anchors(glossary), params)
    skipped: list[str] = []
    pairs = beads_to_pairs(beads, zh_units, en_units, raw.path, skipped)
    return AlignedDocument(raw=raw, pairs=pairs, issues=issues, skipped=skipped)


def _units_from_lines(lines: list[tuple[int, str]], lang: str, path: str, issues: list[TextIssue]) -> list[Unit]:
    units = []
    for bi, (no, text) in enumerate(lines):
        ct = clean_text(text, path, no, 1, issues)
        for s, e in split(ct.text, lang):
            bad = any(ms < e and me > s for ms, me in ct.mojibake)
            units.append(Unit(ct.text[s:e], ct.norm[s:e], block=bi, line=no, quarantined=bad))
    return units


def iter_input_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus files with known suffixes found recursively in named directories."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES
                              and not any(part.startswith(".") for part in f.relative_to(p).parts)))
        else:
            out.append(p)
    return out


def sentence_units(path: str | Path, lang: str, presplit: bool = False) -> list[Unit]:
    """Sentences of one monolingual file: one per line with `presplit`, else lines split into sentences."""
    raw = read_raw(path, "pair")
    if not presplit:
        return _units_from_lines(_lines(raw), lang, raw.path, [])
    lines = raw.text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    units = []
    for no, line in enumerate(lines, start=1):
        ct = clean_text(line.rstrip("\r").strip())
        units.append(Unit(ct.text, ct.norm, block=0, line=no, quarantined=bool(ct.mojibake)))
    return units
