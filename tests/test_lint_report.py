"""Lint reports: the text line format (with colour), JSON fields, and SARIF 2.1.0 structure."""

from __future__ import annotations

import json

import click

from glossary.data import EntryData, TermData
from glossary.lint.checks import CHECKS
from glossary.lint.report import render, text_line, to_sarif
from glossary.lint.runner import run_lint

ENTRIES = [EntryData([TermData("zh", "二级巡视员", "fullForm", "preferred"),
                      TermData("en", "level-II inspector", "fullForm", "preferred"),
                      TermData("en", "level-2 counselor", "fullForm", "deprecated"),
                      TermData("en", "Level Two Inspector", "fullForm", "admitted")], status="approved")]
TEXT = "Lu Jin, level-2 counselor, came.\nA level-II inspector and a Level Two Inspector.\n"


def findings(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text(TEXT, encoding="utf-8")
    return run_lint([str(p)], ENTRIES, use_ignore_file=False).findings, str(p)


def test_text_format(tmp_path):
    fs, path = findings(tmp_path)
    lines = render(fs, "text").splitlines()
    assert lines[0] == (f"{path}:1:9: error deprecated-term 'level-2 counselor' is deprecated for "
                        "二级巡视员 / level-II inspector (use 'level-II inspector')")
    assert lines[1].startswith(f"{path}:2:28: warning inconsistent-translation ")
    coloured = text_line(fs[0], colour=True)
    assert "\x1b[" in coloured and click.unstyle(coloured) == lines[0]


def test_json_fields(tmp_path):
    fs, path = findings(tmp_path)
    data = json.loads(render(fs, "json"))
    assert [d["check"] for d in data] == ["deprecated-term", "inconsistent-translation"]
    d = data[0]
    assert set(d) == {"path", "line", "column", "start", "end", "check", "severity", "message", "match",
                      "suggestion"}
    assert (d["line"], d["column"], d["start"], d["end"]) == (1, 9, 8, 25)
    assert TEXT[d["start"]:d["end"]] == d["match"] == "level-2 counselor"


def test_sarif_structure(tmp_path):
    fs, path = findings(tmp_path)
    log = json.loads(render(fs, "sarif"))
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "glossary-lint"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == list(CHECKS)
    for r in driver["rules"]:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run["results"]) == len(fs) == 2
    for res, f in zip(run["results"], fs):
        assert res["ruleId"] == f.check and rule_ids[res["ruleIndex"]] == f.check
        assert res["level"] == f.severity and res["message"]["text"].startswith(f.message)
        (loc,) = res["locations"]
        phys = loc["physicalLocation"]
        assert phys["artifactLocation"]["uri"].endswith("draft.txt")
        region = phys["region"]
        assert (region["startLine"], region["startColumn"]) == (f.line, f.column)
        assert region["endColumn"] == f.column + len(f.match)
        assert region["charOffset"] == f.start and region["charLength"] == f.end - f.start
        assert region["snippet"]["text"] == f.match
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_for_no_findings_is_valid():
    log = to_sarif([])
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"]
