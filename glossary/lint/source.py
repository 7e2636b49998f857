"""Read drafts for lint: file text with line index, regions to match, and aligned pairs for bilingual input."""

from __future__ import annotations

import bisect
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from glossary.data import SegmentPair
from glossary.errors import input_error

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
BILINGUAL_FORMATS = ("tmx", "xliff", "tsv")


@dataclass
class SourceFile:
    """One file's decoded text and its line starts (for offset → line:column)."""

    path: str
    text: str
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self):
        if not self.line_starts:
            self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of a character offset."""
        i = bisect.bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets [start, end) of a 1-based line, without its line break."""
        if not 1 <= line <= len(self.line_starts):
            return 0, 0
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        while end > start and self.text[end - 1] in "\r\n":
            end -= 1
        return start, end


@dataclass
class Region:
    """A stretch of a file that the matchers scan: offsets are exact positions in that file."""

    file: SourceFile
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.file.text[self.start:self.end]


@dataclass
class LintDocument:
    """What the checks see: regions in document order, and aligned pairs when the draft is bilingual."""

    name: str
    regions: list[Region]
    kind: str  # "en" | "zh" | "bilingual"
    pairs: list[SegmentPair] | None = None  # None: not aligned (missing-term falls back to document level)
    zh_file: SourceFile | None = None  # where pair.zh_line points
    en_file: SourceFile | None = None
    notes: list[str] = field(default_factory=list)


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def _read_file(path: str) -> SourceFile:
    from glossary.read.detect import read_raw

    if Path(path).suffix.lower() == ".docx":
        return SourceFile(path, read_docx(path))
    return SourceFile(path, read_raw(path).text)


def read_docx(path: str) -> str:
    """Paragraph text of a .docx (one paragraph per line: lint positions are paragraph:column)."""
    from glossary.read.bitext import parse_xml  # the project's safe XML parser (no DTD, no entities)

    try:
        with zipfile.ZipFile(path) as z:
            data = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise input_error(path, f"not a readable .docx file ({exc})", 1, 1) from None
    root = parse_xml(data.decode("utf-8", "replace"), f"{path}!word/document.xml")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    paras = []
    for p in root.iter(f"{w}p"):
        parts = []
        for el in p.iter():
            if el.tag == f"{w}t" and el.text:
                parts.append(el.text)
            elif el.tag == f"{w}tab":
                parts.append("\t")
            elif el.tag in (f"{w}br", f"{w}cr"):
                parts.append(" ")
        paras.append("".join(parts))
    return "\n".join(paras)


def _languages(text: str) -> tuple[bool, bool]:
    """(has Chinese paragraphs, has English paragraphs), judged per line as ingest does."""
    from glossary.read.mixed import line_lang

    zh = en = False
    for line in text.splitlines():
        lang = line_lang(line)
        zh = zh or lang == "zh"
        en = en or lang == "en"
        if zh and en:
            break
    return zh, en


def load_document(path: str, glossary_pairs=None, align: bool = True) -> LintDocument:
    """A draft: English-only, Chinese-only, mixed zh/en (aligned by the project's aligner), TMX/XLIFF/TSV."""
    from glossary.read.detect import detect_format

    f = _read_file(path)
    fmt = "mixed" if path.lower().endswith(".docx") else detect_format(path, f.text)
    whole = [Region(f, 0, len(f.text))]
    if fmt in BILINGUAL_FORMATS:
        return _structured(path, f, glossary_pairs)
    zh, en = _languages(f.text)
    if not (zh and en):
        return LintDocument(path, whole, "zh" if zh else "en")
    doc = LintDocument(path, whole, "bilingual", zh_file=f, en_file=f)
    if align and not path.lower().endswith(".docx"):
        from glossary.errors import InputError
        from glossary.ingest import read_aligned

        try:
            aligned = read_aligned(path, glossary=glossary_pairs)
        except InputError as exc:  # e.g. one side is all mojibake: check missing terms per document instead
            doc.notes.append(f"{exc} (missing-term checked per document)")
            return doc
        doc.pairs = aligned.pairs
        doc.notes = list(aligned.skipped)
    return doc


def _structured(path: str, f: SourceFile, glossary_pairs) -> LintDocument:
    """TMX/XLIFF/TSV: scan the lines the segments sit on (markup never matches a term), pairs from ingest."""
    from glossary.ingest import read_aligned

    aligned = read_aligned(path, glossary=glossary_pairs)
    spans: set[tuple[int, int]] = set()
    for p in aligned.pairs:
        for text, line in ((p.zh, p.zh_line), (p.en, p.en_line)):
            spans.add(_find_near(f, text, line))
    regions = [Region(f, s, e) for s, e in _merge(sorted(spans))]
    return LintDocument(path, regions, "bilingual", pairs=aligned.pairs, zh_file=f, en_file=f,
                        notes=list(aligned.skipped))


def _find_near(f: SourceFile, text: str, line: int, window: int = 4000) -> tuple[int, int]:
    """Where a segment's text sits in the file, searching from its reported line; else that line and the
    next three (escaped markup such as &amp; can hide the exact text)."""
    start = f.line_span(max(line, 1))[0]
    at = f.text.find(text, start, start + len(text) + window) if text else -1
    if at >= 0:
        return at, at + len(text)
    last = min(max(line, 1) + 3, len(f.line_starts))
    return start, f.line_span(last)[1]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def load_pair(zh_path: str, en_path: str, glossary_pairs=None, unaligned: bool = False) -> LintDocument:
    """A --zh/--en pair of files (line-aligned unless `unaligned`): regions in both files, pairs from ingest."""
    from glossary.ingest import read_pair

    zf, ef = _read_file(zh_path), _read_file(en_path)
    aligned = read_pair(zh_path, en_path, unaligned=unaligned, glossary=glossary_pairs)
    regions = [Region(zf, 0, len(zf.text)), Region(ef, 0, len(ef.text))]
    return LintDocument(f"{zh_path}+{en_path}", regions, "bilingual", pairs=aligned.pairs,
                        zh_file=zf, en_file=ef, notes=list(aligned.skipped))
