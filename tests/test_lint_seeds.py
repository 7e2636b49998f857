"""Lint on the real seeds with a glossary that decides their conflicts: the findings, counted and placed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary.data import EntryData, TermData
from glossary.lint.runner import run_lint

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
GLOSSARY_JSON = REPO / "tests" / "data" / "lint" / "seed_glossary.json"


def seed_entries() -> list[EntryData]:
    """The decided seed glossary (ILSTC preferred, 'New Western Land-Sea Corridor' deprecated, ...)."""
    data = json.loads(GLOSSARY_JSON.read_text(encoding="utf-8"))
    return [EntryData([TermData(*t) for t in e], status="approved") for e in data["entries"]]


def _key(f):
    return (Path(f.path).name[:3], f.line, f.column, f.check, f.match)


@pytest.fixture(scope="module")
def document_findings():
    return run_lint([str(p) for p in SEEDS], seed_entries(), use_ignore_file=False).findings


# Read off the seeds by hand: each is a real inconsistency in the published translations.
EXPECTED = [
    ("000", 6, 319, "deprecated-term", "New Western Land-Sea Corridor"),
    ("000", 7, 221, "deprecated-term", "New Western Land-Sea Corridor"),
    ("002", 1, 294, "acronym-before-expansion", "Chongqing FAO"),  # no full form anywhere in 002
    ("003", 11, 338, "unapproved-variant", "Chengdu-Chongqing economic circle"),
    ("003", 11, 607, "unapproved-variant", "Chengdu-Chongqing economic circle"),
    ("003", 22, 157, "unapproved-variant", "Chengdu-Chongqing economic circle"),
    ("003", 22, 360, "deprecated-term", "new western land-sea corridor"),
    ("003", 46, 265, "unapproved-variant", "Chengdu-Chongqing economic circle"),
    ("003", 46, 540, "unapproved-variant", "Chengdu-Chongqing economic circle"),
    ("004", 4, 48, "deprecated-term", "level-2 counselor"),
    ("004", 4, 73, "acronym-before-expansion", "FAOCMG"),
]
# 市政府外辦 rendered "our institution"; "bolster the Economic Circle" (short form, not the term).
MISSING_REAL = {
    ("003", 60, 232, "missing-term", "市政府外辦"),
    ("004", 3, 205, "missing-term", "成渝地區(qū)雙城經(jīng)濟(jì)圈"),
}
# The byline 王雯 has no English; whether it is flagged depends on which bead the aligner puts it in.
MISSING_ALIGNMENT_DEPENDENT = {("001", 2, 1, "missing-term", "王雯")}


def test_seed_findings_exact(document_findings):
    got = [_key(f) for f in document_findings if f.check != "missing-term"]
    assert got == EXPECTED


def test_seed_missing_terms(document_findings):
    missing = {_key(f) for f in document_findings if f.check == "missing-term"}
    assert MISSING_REAL <= missing <= MISSING_REAL | MISSING_ALIGNMENT_DEPENDENT


def test_positions_point_into_the_original_file(document_findings):
    for f in document_findings:
        text = Path(f.path).read_text(encoding="utf-8")
        assert text[f.start:f.end] == f.match
        line = text.splitlines()[f.line - 1]
        assert line[f.column - 1:f.column - 1 + len(f.match)] == f.match


def test_suggestions_name_the_preferred_term(document_findings):
    by = {(_key(f)[0], f.line, f.column): f for f in document_findings}
    assert by[("000", 6, 319)].suggestion == "use 'New International Land-Sea Trade Corridor'"
    assert by[("004", 4, 48)].suggestion == "use 'level-II inspector'"
    assert by[("003", 11, 338)].suggestion == "use 'Chengdu-Chongqing Economic Circle'"
    assert by[("004", 3, 205)].suggestion == "use 'Chengdu-Chongqing Economic Circle'"
    assert {f.severity for f in document_findings if f.check in ("deprecated-term", "missing-term")} == {"error"}


def test_level_ii_inspectors_are_accepted(document_findings):
    """003 writes 'level-II inspectors' (plural) and 'level-I inspector': both approved, no finding there."""
    assert not [f for f in document_findings if "inspector" in f.match]
    text = SEEDS[3].read_text(encoding="utf-8")
    assert "level-II inspectors" in text and "level-I inspector" in text


def test_project_scope_finds_inconsistent_translations(document_findings):
    findings = run_lint([str(p) for p in SEEDS], seed_entries(), scope="project", use_ignore_file=False).findings
    inc = [f for f in findings if f.check == "inconsistent-translation"]
    assert [_key(f) for f in inc] == [
        ("001", 22, 51, "inconsistent-translation", "Chengdu-Chongqing Twin-Hub Mega-Region"),
        ("001", 22, 372, "inconsistent-translation", "Chengdu-Chongqing Twin-Hub Mega-Region"),
        ("002", 2, 212, "inconsistent-translation", "Belt and Road Forum for Land-Sea Interconnected Development"),
    ]
    assert "'Chengdu-Chongqing Economic Circle' ×8, 'Chengdu-Chongqing Twin-Hub Mega-Region' ×2" in inc[0].message
    assert "majority and preferred 'Chengdu-Chongqing Economic Circle'" in inc[0].message
    # within one document the seeds are consistent
    assert not [f for f in document_findings if f.check == "inconsistent-translation"]
