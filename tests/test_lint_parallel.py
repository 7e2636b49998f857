"""Linting a large English draft on several processes gives exactly the serial findings, in order."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from glossary.data import EntryData, TermData
from glossary.lint import parallel
from glossary.lint.checks import Options, lint_documents
from glossary.lint.matcher import compile_glossary
from glossary.lint.source import LintDocument, Region, SourceFile

from tests.test_lint_regression import DATA, _bench, _drafts


def _doc(text: str, name: str = "draft.txt") -> LintDocument:
    f = SourceFile(name, text)
    return LintDocument(name, [Region(f, 0, len(text))], "en")


def _lint(g, text, workers, min_chars=2_000, name="draft.txt"):
    return [dataclasses.asdict(x) for x in lint_documents([_doc(text, name)], g, Options(workers=workers,
                                                                                        min_chunk_chars=min_chars))]


@pytest.fixture(scope="module")
def bench10k():
    return compile_glossary(_bench().build_glossary(10_000))


def test_bench_drafts_split_in_many_chunks_match_the_saved_findings(bench10k):
    want = json.loads((DATA / "regression_10k.json").read_text(encoding="utf-8"))
    for kind, text in _drafts().items():
        chunks = parallel.plan(_doc(text), bench10k, 2, 20_000)
        assert chunks is not None and len(chunks) >= 4  # really split
        assert _lint(bench10k, text, 2, 20_000, f"{kind}.txt") == want[kind]


def _small_glossary():
    return compile_glossary([
        EntryData([TermData("zh", "陆海新通道", "fullForm", "preferred"),
                   TermData("en", "New International Land-Sea Trade Corridor", "fullForm", "preferred"),
                   TermData("en", "ILSTC", "acronym", "admitted"),
                   TermData("en", "New Western Land-Sea Corridor", "fullForm", "deprecated")], status="approved"),
        EntryData([TermData("zh", "经济圈", "fullForm", "preferred"),
                   TermData("en", "Economic Circle", "fullForm", "preferred"),
                   TermData("en", "economic zone", "fullForm", "admitted")], status="approved"),
    ])


def test_terms_across_paragraph_breaks_and_near_matches_at_cuts():
    g = _small_glossary()
    assert g.cut_marks  # no key holds a sentence mark here
    para = ("The ILSTC grew. Officials praised the New Western Land-Sea\n\nCorridor; the economic zone and "
            "the Economic Circle met. A new international land sea trade corridr opened. ")
    text = "".join(para.replace("grew", f"grew {i}") for i in range(400))
    serial = _lint(g, text, 1)
    assert {f["check"] for f in serial} >= {"deprecated-term", "acronym-before-expansion",
                                             "inconsistent-translation", "unapproved-variant"}
    chunks = parallel.plan(_doc(text), g, 2, 2_000)
    assert chunks is not None and len(chunks) == 4
    for x0, a, b, x1 in chunks:
        assert text[a - 1] in g.cut_marks and text[a].isspace() if a else True
        assert x0 <= a < b <= x1
    assert _lint(g, text, 2) == serial


def test_serial_when_every_mark_is_inside_a_key():
    marks = ".,;:!?"
    g = compile_glossary([EntryData([TermData("en", f"term{i}{c} x", "fullForm", "preferred")],
                                    status="approved") for i, c in enumerate(marks)])
    assert g.cut_marks == ""
    assert parallel.plan(_doc("term0. x. " * 100_000), g, 2, 2_000) is None


def test_cuts_are_after_a_mark_and_before_white_space():
    text = "a.b c. d; e! f\n" * 2_000
    bounds = parallel.cuts(text, ".;!", 4, 1_000)
    assert bounds[0] == 0 and bounds[-1] == len(text) and len(bounds) == 5
    for b in bounds[1:-1]:
        assert text[b - 1] in ".;!" and text[b].isspace()


def test_default_workers_idle_cores_unless_the_environment_says(monkeypatch):
    from glossary.lint.checks import default_workers

    monkeypatch.delenv("GLOSSARY_LINT_WORKERS", raising=False)
    assert Options().workers is None and default_workers() is None  # the idle cores, for large drafts
    monkeypatch.setenv("GLOSSARY_LINT_WORKERS", "2")
    assert Options().workers == 2 and default_workers() == 2
    monkeypatch.setenv("GLOSSARY_LINT_WORKERS", "1")
    assert Options().workers == 1
    monkeypatch.setenv("GLOSSARY_LINT_WORKERS", "zero")
    assert Options().workers is None


def test_default_lints_a_small_draft_serially(monkeypatch):
    """Below 2 × min_chunk_chars nothing is forked, whatever the number of cores."""
    monkeypatch.delenv("GLOSSARY_LINT_WORKERS", raising=False)
    g = _small_glossary()
    text = "The ILSTC grew. Officials praised the New Western Land-Sea Corridor. " * 100
    assert parallel.plan(_doc(text), g, 2, Options().min_chunk_chars) is None


def test_project_scope_and_several_chunks_per_process_keep_the_serial_findings():
    """Inconsistency across a project of two drafts, each split over the parent and a child (two chunks
    each: the child sends only the matches the whole-document checks can use)."""
    g = _small_glossary()
    a = "The economic zone met. The ILSTC grew. " * 200 + "The Economic Circle met. " * 50
    b = "The Economic Circle met; the New Western Land-Sea Corridor opened. " * 300
    docs = [_doc(a, "a.txt"), _doc(b, "b.txt")]
    for scope in ("document", "project"):
        serial = lint_documents(docs, g, Options(workers=1), scope)
        parallel.last_run.clear()
        split = lint_documents(docs, g, Options(workers=2, min_chunk_chars=1_000), scope)
        assert parallel.last_run.get("chunks", 1) == 2
        assert [dataclasses.astuple(x) for x in split] == [dataclasses.astuple(x) for x in serial]
        assert {"inconsistent-translation", "acronym-before-expansion", "deprecated-term"} <= {x.check for x in serial}
    chunks = parallel.plan(docs[1], g, 2, 1_000)  # 2 per worker: the parent lints two, the child two
    assert len(chunks) == 4 and parallel.groups(len(chunks), 2) == [[0, 1], [2, 3]]


def test_workers_from_the_environment_split_a_large_draft_and_keep_the_serial_findings(monkeypatch):
    monkeypatch.setenv("GLOSSARY_LINT_WORKERS", "2")
    g = _small_glossary()
    para = "The ILSTC grew. Officials praised the New Western Land-Sea Corridor; the economic zone met. "
    text = para * 300
    serial = _lint(g, text, 1)
    parallel.last_run.clear()
    got = [dataclasses.asdict(x) for x in lint_documents([_doc(text)], g, Options(min_chunk_chars=2_000))]
    assert parallel.last_run.get("chunks", 1) > 1  # really forked
    assert got == serial and serial


def test_a_failing_worker_is_an_error_not_a_hang(monkeypatch):
    g = _small_glossary()
    text = "The ILSTC grew. Officials praised the New Western Land-Sea Corridor; the economic zone met. " * 300
    real = parallel._work

    def child_fails(k, compact=True):
        if compact:
            raise ValueError("boom")
        return real(k, compact)

    monkeypatch.setattr(parallel, "_work", child_fails)
    with pytest.raises(RuntimeError, match="ValueError: boom"):
        lint_documents([_doc(text)], g, Options(workers=2, min_chunk_chars=2_000))

    def parent_fails(k, compact=True):
        if not compact:
            raise KeyError("parent")
        return real(k, compact)

    monkeypatch.setattr(parallel, "_work", parent_fails)
    with pytest.raises(KeyError):
        lint_documents([_doc(text)], g, Options(workers=2, min_chunk_chars=2_000))


@pytest.mark.parametrize("load, cores, want", [(0.0, 2, 2), (0.4, 2, 2), (0.6, 2, 1), (3.5, 2, 1), (0.2, 1, 1),
                                               (1.4, 4, 3), (0.0, 8, 8)])
def test_idle_workers_follow_the_load(monkeypatch, load, cores, want):
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(parallel, "usable_cores", lambda: cores)
    assert parallel.idle_workers() == want


def test_default_splits_a_large_draft_only_when_a_core_is_idle(monkeypatch):
    monkeypatch.delenv("GLOSSARY_LINT_WORKERS", raising=False)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    g = _small_glossary()
    text = "The ILSTC grew. Officials praised the New Western Land-Sea Corridor; the economic zone met. " * 300
    serial = _lint(g, text, 1)
    for load, split in ((0.1, True), (3.0, False)):
        monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, load, load))
        parallel.last_run.clear()
        got = [dataclasses.asdict(x) for x in lint_documents([_doc(text)], g, Options(min_chunk_chars=2_000))]
        assert (parallel.last_run.get("chunks", 1) > 1) == split
        assert got == serial
