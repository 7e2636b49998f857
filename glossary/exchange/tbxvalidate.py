"""Validate TBX v3 files against the official RelaxNG core schema (lxml) and TBX-Basic Schematron (Saxon)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from glossary.errors import GlossaryError, InputError
from glossary.exchange import safexml

RNG_NAME = "TBXcoreStructV03.rng"
SCH_NAME = "TBX-Basic_DCA.sch"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def default_schema_dir() -> Path:
    """$GLOSSARY_TBX_SCHEMAS, else ../shared/schemas/tbx next to the repository."""
    env = os.environ.get("GLOSSARY_TBX_SCHEMAS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "schemas" / "tbx"


@dataclass
class Report:
    """Outcome of validating one file: empty lists mean valid."""

    path: str
    structure: list[str] = field(default_factory=list)  # well-formedness / RelaxNG errors
    dialect: list[str] = field(default_factory=list)  # Schematron failed asserts

    @property
    def valid(self) -> bool:
        return not self.structure and not self.dialect

    def messages(self) -> list[str]:
        return self.structure + self.dialect


@lru_cache(maxsize=4)
def _relaxng(rng: str) -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(rng))


@lru_cache(maxsize=4)
def _schematron(sch: str):
    """Compile the (XPath 2) Schematron to XSLT with lxml's ISO skeleton, run by Saxon; returns an executable."""
    try:
        from saxonche import PySaxonProcessor
    except ImportError as exc:  # dev dependency
        raise GlossaryError("Schematron validation needs saxonche (pip install saxonche)") from exc
    skel = Path(etree.__file__).parent / "isoschematron" / "resources" / "xsl" / "iso-schematron-xslt1"
    text = Path(sch).read_bytes().decode("utf-8-sig")
    text = re.sub(r'queryBinding="xslt2"', 'queryBinding="xslt"', text, count=1)
    proc = PySaxonProcessor(license=False)
    xslt = proc.new_xslt30_processor()
    doc = text
    for step in ("iso_dsdl_include.xsl", "iso_abstract_expand.xsl", "iso_svrl_for_xslt1.xsl"):
        exe = xslt.compile_stylesheet(stylesheet_file=str(skel / step))
        node = proc.parse_xml(xml_text=doc)
        doc = exe.transform_to_string(xdm_node=node)
    return proc, xslt.compile_stylesheet(stylesheet_text=doc)


def validate_tbx(path: str | Path, schema_dir: str | Path | None = None, schematron: bool = True) -> Report:
    """Check a TBX v3 file: well-formed (safe parser), RelaxNG core structure, TBX-Basic DCA Schematron."""
    schema_dir = Path(schema_dir) if schema_dir else default_schema_dir()
    report = Report(str(path))
    try:
        tree = safexml.parse(path)
    except InputError as exc:
        report.structure.append(str(exc))
        return report
    rng = _relaxng(str(schema_dir / RNG_NAME))
    if not rng.validate(tree):
        report.structure.extend(f"{path}:{e.line}:{e.column}: {e.message}" for e in rng.error_log)
    if schematron:
        proc, exe = _schematron(str(schema_dir / SCH_NAME))
        svrl = exe.transform_to_string(xdm_node=proc.parse_xml(xml_text=etree.tostring(tree, encoding="unicode")))
        out = etree.fromstring(svrl.encode("utf-8"))
        for fail in out.iter(f"{SVRL}failed-assert"):
            text = " ".join("".join(fail.itertext()).split())
            report.dialect.append(f"{path}: {fail.get('location')}: {text}")
    return report
