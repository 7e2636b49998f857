"""Readers for pre-aligned bitext: TMX, XLIFF 1.2 / 2.x (hardened lxml, no DTD/entities) and zh<TAB>en TSV."""

from __future__ import annotations

import re
from dataclasses import dataclass

from glossary.errors import input_error
from glossary.read.mixed import line_lang


@dataclass
class BiPair:
    """One pre-aligned unit: Chinese text, English text, source line."""

    zh: str
    en: str
    line: int = 0


_DTD_RE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_INLINE_CODES = {"ph", "bpt", "ept", "it", "ut", "x", "bx", "ex", "sc", "ec", "cp", "sm", "em"}


def _pos(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_xml(text: str, path: str):
    """Parse XML safely: any DOCTYPE/ENTITY (XXE, billion laughs) is refused; network and DTDs are off."""
    from lxml import etree

    m = _DTD_RE.search(text)
    if m:
        line, col = _pos(text, m.start())
        raise input_error(path, "XML with a DOCTYPE/ENTITY declaration refused (possible XXE or entity "
                          "expansion attack)", line, col)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    data = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1).encode("utf-8")
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = (exc.position if getattr(exc, "position", None) else (exc.lineno or 1, exc.offset or 1))
        raise input_error(path, f"malformed XML: {exc.msg if hasattr(exc, 'msg') else exc}", line, col) from None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def inline_text(el) -> str:
    """Text of a segment without inline native codes (TMX ph/bpt/ept, XLIFF x/ph ...)."""
    parts = [el.text or ""]
    for child in el:
        if _local(child.tag) not in _INLINE_CODES:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _is_zh(lang: str | None) -> bool:
    return bool(lang) and lang.lower().replace("_", "-").split("-")[0] in ("zh", "cmn", "chi", "zho")


def _is_en(lang: str | None) -> bool:
    return bool(lang) and lang.lower().replace("_", "-").split("-")[0] in ("en", "eng")


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read_tmx(text: str, path: str) -> list[BiPair]:
    """zh/en pairs from TMX <tu> elements (any zh-* and en-* variants)."""
    root = parse_xml(text, path)
    if _local(root.tag) != "tmx":
        raise input_error(path, f"not a TMX file (root element <{_local(root.tag)}>)", root.sourceline or 1, 1)
    pairs = []
    for tu in root.iter("{*}tu", "tu"):
        zh = en = None
        for tuv in tu:
            if _local(tuv.tag) != "tuv":
                continue
            lang = tuv.get(XML_LANG) or tuv.get("lang")
            seg = next((c for c in tuv if _local(c.tag) == "seg"), None)
            if seg is None:
                continue
            if _is_zh(lang) and zh is None:
                zh = inline_text(seg)
            elif _is_en(lang) and en is None:
                en = inline_text(seg)
        if zh and en:
            pairs.append(BiPair(zh, en, tu.sourceline or 0))
    return pairs


def read_xliff(text: str, path: str) -> list[BiPair]:
    """zh/en pairs from XLIFF 1.2 (<trans-unit>) or 2.x (<unit>/<segment>), either direction."""
    root = parse_xml(text, path)
    if _local(root.tag) != "xliff":
        raise input_error(path, f"not an XLIFF file (root element <{_local(root.tag)}>)", root.sourceline or 1, 1)
    pairs = []
    version = root.get("version", "1.2")
    if version.startswith("1"):
        for f in (e for e in root.iter() if _local(e.tag) == "file"):
            src, trg = f.get("source-language"), f.get("target-language")
            for tu in (e for e in f.iter() if _local(e.tag) == "trans-unit"):
                s = next((c for c in tu if _local(c.tag) == "source"), None)
                t = next((c for c in tu if _local(c.tag) == "target"), None)
                _add(pairs, src, trg, s, t, tu.sourceline or 0)
    else:
        src, trg = root.get("srcLang"), root.get("trgLang")
        for seg in (e for e in root.iter() if _local(e.tag) == "segment"):
            s = next((c for c in seg if _local(c.tag) == "source"), None)
            t = next((c for c in seg if _local(c.tag) == "target"), None)
            _add(pairs, src, trg, s, t, seg.sourceline or 0)
    return pairs


def _add(pairs: list[BiPair], src, trg, s, t, line: int) -> None:
    if s is None or t is None:
        return
    st, tt = inline_text(s), inline_text(t)
    if not st or not tt:
        return
    if _is_zh(src) or (not _is_en(src) and line_lang(st) == "zh"):
        pairs.append(BiPair(st, tt, line))
    else:
        pairs.append(BiPair(tt, st, line))


def read_tsv(text: str, path: str) -> tuple[list[BiPair], list[str]]:
    """zh<TAB>en lines (columns may be swapped; decided by script per line). Returns (pairs, skipped notes)."""
    skipped: list[str] = []
    return list(iter_tsv(text, path, skipped)), skipped


def _lines(text: str):
    """(line number, line) of `text` without building a list of all lines (splitlines() semantics for \n, \r\n)."""
    start, no, n = 0, 1, len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        line = text[start:end]
        for part in line.splitlines() or [""]:  # rare: other line separators inside a \n-terminated line
            yield no, part
            no += 1
        start = end + 1


def iter_tsv(text: str, path: str, skipped: list[str]):
    """zh<TAB>en lines as BiPairs, lazily; notes on refused lines are appended to `skipped`."""
    for no, line in _lines(text):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            skipped.append(f"{path}:{no}:1: no tab, expected 'zh<TAB>en'")
            continue
        a, b = cols[0].strip(), cols[1].strip()
        la, lb = line_lang(a), line_lang(b)
        if la == "zh" and lb == "en":
            yield BiPair(a, b, no)
        elif la == "en" and lb == "zh":
            yield BiPair(b, a, no)
        elif no == 1:
            continue  # header line like "zh<TAB>en"
        else:
            skipped.append(f"{path}:{no}:1: columns are not one Chinese and one English text")
