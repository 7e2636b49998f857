"""The compiled-glossary cache: written once per glossary content, read back with identical findings."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from glossary.data import EntryData, TermData
from glossary.lint import cache
from glossary.lint.runner import run_lint

from tests.test_lint_seeds import SEEDS, seed_entries


def _findings(result):
    return [dataclasses.asdict(f) for f in result.findings]


def test_cold_then_warm_gives_the_same_findings(tmp_path):
    entries = seed_entries()
    g1, cold = cache.load_or_compile(entries, tmp_path, min_entries=0)
    g2, warm = cache.load_or_compile(entries, tmp_path, min_entries=0)
    assert not cold.cached and warm.cached and cold.path == warm.path and cold.path.is_file()
    assert g2.en_patterns == g1.en_patterns and g2.cut_marks == g1.cut_marks
    assert [n.term.text for n in g2.nears] == [n.term.text for n in g1.nears]
    paths = [str(p) for p in SEEDS]
    a = run_lint(paths, g1, use_ignore_file=False)
    b = run_lint(paths, g2, use_ignore_file=False)
    assert _findings(a) == _findings(b) and a.findings


def test_key_follows_the_glossary_content(tmp_path):
    entries = seed_entries()
    key = cache.entries_key(entries)
    changed = [EntryData([dataclasses.replace(t) for t in e.terms], status=e.status) for e in entries]
    assert cache.entries_key(changed) == key
    changed[0].terms[-1].status = "deprecated" if changed[0].terms[-1].status != "deprecated" else "preferred"
    assert cache.entries_key(changed) != key
    _, info = cache.load_or_compile(changed, tmp_path, min_entries=0)
    assert not info.cached


def test_unreadable_cache_file_is_recompiled(tmp_path):
    entries = seed_entries()
    path = Path(tmp_path) / f"lint-{cache.entries_key(entries)}.pickle"
    path.write_bytes(b"not a pickle")
    g, info = cache.load_or_compile(entries, tmp_path, min_entries=0)
    assert not info.cached and g.en_patterns > 0
    assert cache.load_or_compile(entries, tmp_path, min_entries=0)[1].cached


def test_small_glossaries_are_not_cached(tmp_path):
    _, info = cache.load_or_compile(seed_entries(), tmp_path)
    assert not info.cached and info.path is None and not list(Path(tmp_path).iterdir())


def test_run_lint_through_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MIN_ENTRIES", 0)
    paths = [str(p) for p in SEEDS]
    first = run_lint(paths, seed_entries(), use_ignore_file=False, cache=True, cache_dir=tmp_path)
    second = run_lint(paths, seed_entries(), use_ignore_file=False, cache=True, cache_dir=tmp_path)
    assert not first.compile_cached and second.compile_cached
    assert _findings(first) == _findings(second)
