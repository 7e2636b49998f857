"""`glossary lint`: approved entries from the database or a glossary file; formats; exit codes 0/1/2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from glossary.cli import app
from glossary.data import EntryData, TermData
from glossary.store.service import GlossaryService

CORRIDOR = [TermData("zh", "西部陆海新通道", "fullForm", "preferred"),
            TermData("en", "New International Land-Sea Trade Corridor", "fullForm", "preferred"),
            TermData("en", "ILSTC", "acronym", "preferred"),
            TermData("en", "New Western Land-Sea Corridor", "fullForm", "deprecated")]
PROPOSED = [TermData("zh", "二级巡视员", "fullForm", "preferred"),
            TermData("en", "level-2 counselor", "fullForm", "deprecated")]


def run(*args):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def db(sqlite_url, tmp_path):
    svc = GlossaryService.open(sqlite_url, user="alice")
    e = svc.create_entry(EntryData(CORRIDOR))
    svc.approve(e.id)
    svc.create_entry(EntryData(PROPOSED))  # not approved: must not be linted against
    svc.close()
    return sqlite_url


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_clean_draft_exits_0(db, tmp_path):
    p = write(tmp_path, "ok.txt", "The New International Land-Sea Trade Corridor (ILSTC). A level-2 counselor.\n")
    r = run("--db-url", db, "lint", "--no-ignore-file", p)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    assert "0 finding(s)" in r.stderr


def test_findings_exit_1_and_threshold(db, tmp_path):
    p = write(tmp_path, "w.txt", "The ILSTC grows.\n")  # acronym before expansion: a warning
    r = run("--db-url", db, "lint", "--no-ignore-file", p)
    assert r.exit_code == 1
    assert r.stdout == (f"{p}:1:5: warning acronym-before-expansion 'ILSTC' is used before its full form "
                        "'New International Land-Sea Trade Corridor' appears (write 'New International "
                        "Land-Sea Trade Corridor (ILSTC)' at first use)\n")
    assert run("--db-url", db, "lint", "--no-ignore-file", "--severity-threshold", "error", p).exit_code == 0
    q = write(tmp_path, "e.txt", "The New Western Land-Sea Corridor.\n")
    r = run("--db-url", db, "lint", "--no-ignore-file", "--severity-threshold", "error", "--format", "json", q)
    assert r.exit_code == 1
    (f,) = json.loads(r.stdout)
    assert (f["check"], f["line"], f["column"], f["severity"]) == ("deprecated-term", 1, 5, "error")


def test_sarif_to_file(db, tmp_path):
    q = write(tmp_path, "e.txt", "The New Western Land-Sea Corridor.\n")
    out = tmp_path / "lint.sarif"
    r = run("--db-url", db, "lint", "--no-ignore-file", "--format", "sarif", "-o", str(out), q)
    assert r.exit_code == 1 and r.stdout == ""
    log = json.loads(out.read_text(encoding="utf-8"))
    assert log["runs"][0]["results"][0]["ruleId"] == "deprecated-term"


def test_errors_exit_2(db, tmp_path):
    r = run("--db-url", db, "lint", str(tmp_path / "missing.txt"))
    assert r.exit_code == 2 and "missing.txt" in r.stderr and "Traceback" not in r.output
    p = write(tmp_path, "d.txt", "text\n")
    assert run("--db-url", db, "lint", "--zh", p).exit_code == 2  # --zh without --en
    bad = write(tmp_path, "ignore", "not-a-check\n")
    r = run("--db-url", db, "lint", "--ignore-file", bad, p)
    assert r.exit_code == 2 and "ignore:1:1: unknown check 'not-a-check'" in r.stderr
    broken = write(tmp_path, "m.tmx", "<tmx><body><tu>")
    r = run("--db-url", db, "lint", broken)
    assert r.exit_code == 2 and "m.tmx" in r.stderr


def test_glossary_file_instead_of_database(tmp_path):
    exchange = pytest.importorskip("glossary.exchange")
    if not hasattr(exchange, "write_entries"):
        pytest.skip("glossary.exchange has no write_entries yet")
    gl = tmp_path / "g.jsonl"
    exchange.write_entries([EntryData(CORRIDOR, status="approved"), EntryData(PROPOSED, status="proposed")],
                           gl, "jsonl")
    p = write(tmp_path, "d.txt", "A level-2 counselor saw the New Western Land-Sea Corridor.\n")
    r = run("--db", str(tmp_path / "none.db"), "lint", "--no-ignore-file", "--glossary", str(gl),
            "--format", "json", p)
    assert r.exit_code == 1, r.output
    # every non-rejected entry of an explicit glossary file counts
    assert [f["match"] for f in json.loads(r.stdout)] == ["level-2 counselor", "New Western Land-Sea Corridor"]


def test_colour_on_request_and_scope_option(db, tmp_path):
    a = write(tmp_path, "a.txt", "The New International Land-Sea Trade Corridor (ILSTC).\n")
    r = run("--db-url", db, "lint", "--no-ignore-file", "--color", a, write(tmp_path, "b.txt", "The ILSTC.\n"))
    assert r.exit_code == 1 and "\x1b[" in r.stdout and "acronym-before-expansion" in r.stdout
    plain = run("--db-url", db, "lint", "--no-ignore-file", a)
    assert "\x1b[" not in plain.stdout and plain.exit_code == 0
    # --scope project: one concept, two admitted forms in two files
    svc = GlossaryService.open(db, user="alice")
    e = svc.create_entry(EntryData([TermData("zh", "外事办公室", "fullForm", "preferred"),
                                    TermData("en", "Foreign Affairs Office", "fullForm", "preferred"),
                                    TermData("en", "Office of Foreign Affairs", "fullForm", "admitted")]))
    svc.approve(e.id)
    svc.close()
    x = write(tmp_path, "x.txt", "The Foreign Affairs Office met.\n")
    y = write(tmp_path, "y.txt", "The Office of Foreign Affairs met.\n")
    assert run("--db-url", db, "lint", "--no-ignore-file", x, y).exit_code == 0
    r = run("--db-url", db, "lint", "--no-ignore-file", "--scope", "project", "--format", "json", x, y)
    assert r.exit_code == 1
    assert [(f["path"], f["check"]) for f in json.loads(r.stdout)] == [(y, "inconsistent-translation")]
