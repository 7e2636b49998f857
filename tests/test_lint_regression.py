"""Lint speed-ups keep findings identical: the benchmark's glossaries and drafts against saved findings.

The fixtures in tests/data/lint/regression_*.json were written by the linter before the throughput work
(`python tests/test_lint_regression.py` rewrites them; only do that for a deliberate change of output).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from glossary.lint.checks import lint_documents
from glossary.lint.matcher import compile_glossary
from glossary.lint.source import LintDocument, Region, SourceFile

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "lint"
sys.path.insert(0, str(REPO / "benchmarks"))

DRAFT_MB = 0.3
CASES = {1_000: "regression_1k.json", 10_000: "regression_10k.json", 100_000: "regression_100k.json"}


def _bench():
    import bench_lint

    return bench_lint


def _drafts() -> dict[str, str]:
    b = _bench()
    return {kind: b.build_draft(DRAFT_MB, kind) for kind in ("generated", "seeds")}


def findings_for(g, drafts: dict[str, str], **kw) -> dict[str, list[dict]]:
    out = {}
    for kind, text in drafts.items():
        f = SourceFile(f"{kind}.txt", text)
        doc = LintDocument(f"{kind}.txt", [Region(f, 0, len(text))], "en")
        out[kind] = [dataclasses.asdict(x) for x in lint_documents([doc], g, **kw)]
    return out


def _check(n: int, **kw) -> None:
    want = json.loads((DATA / CASES[n]).read_text(encoding="utf-8"))
    g = compile_glossary(_bench().build_glossary(n))
    got = findings_for(g, _drafts(), **kw)
    for kind in want:
        assert len(got[kind]) == len(want[kind]), kind
        assert got[kind] == want[kind], kind
    assert sum(len(v) for v in want.values()) > 0


@pytest.mark.parametrize("n", [1_000, 10_000])
def test_bench_findings_unchanged(n):
    _check(n)


@pytest.mark.slow
def test_bench_findings_unchanged_100k():
    _check(100_000)


if __name__ == "__main__":  # write the fixtures with the current linter
    drafts = _drafts()
    for n, name in CASES.items():
        res = findings_for(compile_glossary(_bench().build_glossary(n)), drafts)
        (DATA / name).write_text(json.dumps(res, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
        print(name, {k: len(v) for k, v in res.items()})
