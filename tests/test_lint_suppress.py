"""Lint suppressions: inline `glossary-lint: ignore` comments and the .glossary-lint-ignore list."""

from __future__ import annotations

import pytest

from glossary.data import EntryData, TermData
from glossary.errors import InputError
from glossary.lint.checks import CHECKS
from glossary.lint.runner import run_lint
from glossary.lint.suppress import inline_suppressions, load_ignore_file

ENTRIES = [EntryData([TermData("zh", "西部陆海新通道", "fullForm", "preferred"),
                      TermData("en", "New International Land-Sea Trade Corridor", "fullForm", "preferred"),
                      TermData("en", "ILSTC", "acronym", "preferred"),
                      TermData("en", "New Western Land-Sea Corridor", "fullForm", "deprecated")],
                     status="approved")]
KNOWN = set(CHECKS)

DRAFT = """The New Western Land-Sea Corridor opened. <!-- glossary-lint: ignore deprecated-term -->
The New Western Land-Sea Corridor grew.
<!-- glossary-lint: ignore deprecated-term, unapproved-variant -->

The New Western Land-Sea Corridor shrank.
The ILSTC is new. # glossary-lint: ignore missing-term
"""


def lint(path, **kw):
    return run_lint([str(path)], ENTRIES, **kw)


def test_inline_parse():
    per_line, whole = inline_suppressions(DRAFT, KNOWN)
    assert per_line == {1: {"deprecated-term"}, 5: {"deprecated-term", "unapproved-variant"},
                        6: {"missing-term"}}
    assert whole == set()
    per_line, whole = inline_suppressions("x\n% glossary-lint: ignore-file\n", KNOWN)
    assert whole == {"*"}


def test_inline_comments_suppress_same_and_next_line(tmp_path):
    p = tmp_path / "d.md"
    p.write_text(DRAFT, encoding="utf-8")
    r = lint(p, use_ignore_file=False)
    # line 6: the (deprecated) full form came first, so the acronym is expanded; line 2 has no comment
    assert [(f.line, f.check) for f in r.findings] == [(2, "deprecated-term")]
    assert r.suppressed == 2


def test_ignore_file_rules(tmp_path, monkeypatch):
    p = tmp_path / "docs" / "d.txt"
    p.parent.mkdir()
    p.write_text("The ILSTC.\nThe New Western Land-Sea Corridor.\n", encoding="utf-8")
    (tmp_path / ".glossary-lint-ignore").write_text(
        "# legacy wording kept on purpose\n"
        "deprecated-term  */docs/*  new western land-sea corridor\n"
        "acronym-before-expansion  other/*\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "docs")  # found by walking up from the current directory
    r = lint(p)
    assert [(f.line, f.check) for f in r.findings] == [(1, "acronym-before-expansion")]
    assert r.suppressed == 1
    r = lint(p, use_ignore_file=False)
    assert len(r.findings) == 2


def test_ignore_file_unknown_check_is_an_input_error(tmp_path):
    bad = tmp_path / "ignore"
    bad.write_text("deprecated-term\nno-such-check *\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ignore:2:1: unknown check 'no-such-check'"):
        load_ignore_file(bad, KNOWN)
