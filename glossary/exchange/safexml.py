"""Safe XML parsing in one place: no entity expansion, no DTD loading, no network, size limits."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from lxml import etree

from glossary.errors import input_error

MAX_XML_BYTES = int(os.environ.get("GLOSSARY_MAX_XML_BYTES", 2 * 1024**3))  # 2 GiB
_HEAD = 1 << 16
_DECL = re.compile(rb"<!(ENTITY|ATTLIST|ELEMENT|NOTATION)\b")


def _head_text(head: bytes) -> bytes:
    """The prolog bytes as ASCII-compatible text (UTF-16/32 files are decoded first)."""
    for bom, enc in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                     (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head.decode(enc, "ignore").encode("utf-8", "ignore")
    if head[:2] in (b"<\x00", b"\x00<"):
        return head.decode("utf-16-le" if head[0] else "utf-16-be", "ignore").encode("utf-8", "ignore")
    return head


def check_prolog(path: str | Path) -> None:
    """Refuse DTD declarations (entities: XXE, billion laughs) and oversized files before parsing."""
    p = Path(path)
    size = p.stat().st_size
    if size > MAX_XML_BYTES:
        raise input_error(str(p), f"file is too large for XML import ({size} bytes > {MAX_XML_BYTES})")
    with open(p, "rb") as f:
        head = _head_text(f.read(_HEAD))
    doctype = head.find(b"<!DOCTYPE")
    if doctype < 0:
        return
    m = _DECL.search(head, doctype)
    if m is not None or (b"[" in head[doctype:] and b"]>" not in head[doctype:]):
        line = head[: m.start() if m else doctype].count(b"\n") + 1
        raise input_error(str(p), "DTD declarations (entities) are not allowed in imported XML", line)


def _parser_options() -> dict:
    return dict(resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
                huge_tree=False, remove_pis=True)


def xml_error(path: str | Path, exc: etree.XMLSyntaxError):
    line, col = (exc.position if getattr(exc, "position", None) else (exc.lineno, None))
    msg = str(exc.msg if hasattr(exc, "msg") and exc.msg else exc)
    msg = re.sub(r",? line \d+, column \d+.*$", "", msg)
    return input_error(str(path), f"malformed XML: {msg}", line, col)


def parse(path: str | Path) -> etree._ElementTree:
    """Parse a whole XML file safely; InputError naming file:line:col on any problem."""
    check_prolog(path)
    parser = etree.XMLParser(**_parser_options())
    try:
        return etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise xml_error(path, exc) from None


def parse_bytes(data: bytes, name: str = "<xml>") -> etree._Element:
    """Parse XML held in memory (same hardening); used for small embedded documents."""
    if _DECL.search(_head_text(data[:_HEAD])):
        raise input_error(name, "DTD declarations (entities) are not allowed in imported XML", 1)
    try:
        return etree.fromstring(data, etree.XMLParser(**_parser_options()))
    except etree.XMLSyntaxError as exc:
        raise xml_error(name, exc) from None


def iter_elements(path: str | Path, local_names: set[str]) -> Iterator[etree._Element]:
    """Stream the elements with these local names (any namespace), freeing memory as it goes.

    Callers inspect `element.getroottree().getroot()` for the root; each yielded element is cleared after the
    caller is done. lxml filters the tags in C (`{*}name`), so other elements never reach Python.
    """
    check_prolog(path)
    ctx = etree.iterparse(str(path), events=("end",), tag=[f"{{*}}{n}" for n in sorted(local_names)],
                          **_parser_options())
    try:
        for _event, el in ctx:
            yield el
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise xml_error(path, exc) from None


def local(el) -> str:
    """Local name of an element (namespace dropped); '' for comments/PIs."""
    tag = el.tag
    return _local_name(tag) if isinstance(tag, str) else ""


@lru_cache(maxsize=4096)
def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def text_of(el) -> str:
    """All text inside an element (inline markup flattened)."""
    if not len(el):
        return el.text or ""
    return "".join(el.itertext())
