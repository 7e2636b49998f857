"""Decode bytes (BOM, UTF-8, UTF-16, GB18030/GBK, Big5 via charset-normalizer) and detect the file format."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from glossary.data import RawDocument
from glossary.errors import input_error

MAX_LINE_CHARS = 1_000_000  # a longer single line is refused (e.g. a 50 MB blob without newlines)
MAX_FILE_BYTES = 512 * 1024 * 1024

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Encodings charset-normalizer may choose between for non-UTF-8 Chinese material.
_CANDIDATES = ["gb18030", "big5", "utf_16_le", "utf_16_be", "cp1252"]
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 files without a BOM show NUL in every other byte of ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def check_line_lengths(data: bytes, path: str, limit: int = MAX_LINE_CHARS) -> None:
    """Refuse a file with a gigantic single line (counted in bytes, before decoding)."""
    start = 0
    line = 1
    n = len(data)
    while start < n:
        end = data.find(b"\n", start)
        if end < 0:
            end = n
        if end - start > limit:
            raise input_error(path, f"line is longer than {limit} characters (refusing a huge single line)",
                              line, limit + 1)
        start = end + 1
        line += 1


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode file bytes; return (text, encoding used). Raises InputError for empty/binary/undecodable."""
    if not data.strip():
        raise input_error(path, "empty file", 1, 1)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc.replace("-sig", "-bom") if enc == "utf-8-sig" else enc
            except UnicodeDecodeError as exc:
                line, col = _line_col(data, exc.start)
                raise input_error(path, f"undecodable bytes for {enc} (byte 0x{data[exc.start]:02x})",
                                  line, col) from None
    enc16 = _utf16_without_bom(data)
    if enc16:
        try:
            return data.decode(enc16), enc16
        except UnicodeDecodeError:
            pass
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(data, nul)
        raise input_error(path, "binary file (NUL byte)", line, col)
    try:
        text = data.decode("utf-8")
        enc = "utf-8"
    except UnicodeDecodeError as exc:
        text, enc = _detect_legacy(data, path, exc)
    bad = _CONTROL_RE.findall(text[:65536])
    if len(bad) > max(8, len(text[:65536]) // 100):
        m = _CONTROL_RE.search(text)
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        raise input_error(path, "binary file (control characters)", line, col)
    return text, enc


def _detect_legacy(data: bytes, path: str, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None and best.encoding not in ("cp1252",):
        enc = best.encoding.replace("_", "-")
        try:
            return data.decode(best.encoding), enc
        except UnicodeDecodeError:
            pass
    # Strict fall-backs in order of likelihood for Chinese text.
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if sum(1 for c in text if "\u4e00" <= c <= "\u9fff") > 0:
            return text, enc
    line, col = _line_col(data, utf8_error.start)
    raise input_error(path, f"undecodable bytes (not UTF-8, UTF-16, GB18030 or Big5; byte "
                      f"0x{data[utf8_error.start]:02x})", line, col)


def read_raw(path: str | Path, fmt: str | None = None) -> RawDocument:
    """Read a file from disk into a RawDocument (decoded text, encoding, sha256, detected format)."""
    p = Path(path)
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise input_error(str(p), f"file too large ({size} bytes)", 1, 1)
    data = p.read_bytes()
    check_line_lengths(data, str(p))
    text, enc = decode_bytes(data, str(p))
    if text.startswith("\ufeff"):
        text = text[1:]
    return RawDocument(
        path=str(p),
        text=text,
        encoding=enc,
        format=fmt or detect_format(str(p), text),
        sha256=hashlib.sha256(data).hexdigest(),
        size=size,
    )


_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_RE = re.compile(r"[A-Za-z]")


def detect_format(path: str, text: str) -> str:
    """'tmx' | 'xliff' | 'tsv' | 'mixed' from content first, extension second."""
    head = text.lstrip()[:2000].lower()
    ext = Path(path).suffix.lower()
    if head.startswith("<") and "<tmx" in head:
        return "tmx"
    if head.startswith("<") and "<xliff" in head:
        return "xliff"
    if ext == ".tmx":
        return "tmx"
    if ext in (".xlf", ".xliff", ".xlif"):
        return "xliff"
    if ext in (".tsv", ".tab") or _looks_like_tsv(text):
        return "tsv"
    return "mixed"


def _looks_like_tsv(text: str) -> bool:
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()]
    if len(lines) < 2:
        return False
    good = 0
    for ln in lines:
        parts = ln.split("\t")
        if len(parts) == 2 and _HAN_RE.search(parts[0]) and _LATIN_RE.search(parts[1]):
            good += 1
        elif len(parts) == 2 and _HAN_RE.search(parts[1]) and _LATIN_RE.search(parts[0]):
            good += 1
    return good >= 0.8 * len(lines)
