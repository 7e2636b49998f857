"""Split a raw mixed-language document into paragraphs (blocks) tagged zh/en/other, joining wrapped titles."""

from __future__ import annotations

import re

from glossary.data import Block

_END_PUNCT = tuple(".!?;:。！？；：…\"'”’)）")


_NOT_HAN_RE = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NOT_ASCII_LETTER = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))


def line_lang(line: str) -> str:
    """'zh' when Han characters carry the line (one Han ≈ three Latin letters), 'en' for Latin, else 'other'."""
    han = len(_NOT_HAN_RE.sub("", line))  # Han characters
    latin = len(line.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTER))  # ASCII letters
    if han == 0 and latin == 0:
        return "other"
    if han * 3 >= latin:
        return "zh"
    return "en"


def split_blocks(text: str) -> list[Block]:
    """One block per non-empty line; an English line continuing a title-like line (no final punctuation,
    next line starts lower-case) is joined to it."""
    blocks: list[Block] = []
    for no, line in enumerate(text.splitlines(), start=1):
        s = line.strip()
        if not s:
            continue
        lang = line_lang(s)
        if blocks and lang == "en" and blocks[-1].lang == "en" and _continues(blocks[-1].text, s):
            blocks[-1].text = blocks[-1].text + " " + s
            continue
        blocks.append(Block(lang=lang, text=s, line=no))
    return blocks


def _continues(prev: str, nxt: str) -> bool:
    return not prev.endswith(_END_PUNCT) and len(prev) < 300 and nxt[:1].islower()
