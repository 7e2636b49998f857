"""Lint driver: compile the glossary once, read each draft, run the checks, apply suppressions."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from glossary.data import EntryData, Finding
from glossary.lint import suppress
from glossary.lint.cache import CompileInfo, load_or_compile
from glossary.lint.checks import CHECKS, Options, lint_documents
from glossary.lint.matcher import Glossary, compile_glossary
from glossary.lint.source import LintDocument, load_document, load_pair


@dataclass
class LintResult:
    findings: list[Finding]
    files: int
    suppressed: int = 0
    notes: list[str] = field(default_factory=list)
    compile_seconds: float = 0.0  # getting the compiled glossary (compiling, or reading the cache)
    compile_cached: bool = False


def anchor_pairs(g: Glossary) -> list[tuple[str, str]]:
    """Approved (zh, en) pairs handed to the aligner as extra anchors."""
    out = []
    for c in g.concepts:
        zh, en = c.preferred("zh"), c.preferred("en")
        if zh is not None and en is not None:
            out.append((zh.text, en.text))
    return out


def run_lint(paths: Iterable[str], glossary: Glossary | Iterable[EntryData], *, zh: str | None = None,
             en: str | None = None, unaligned: bool = False, scope: str = "document",
             ignore_file: str | Path | None = None, use_ignore_file: bool = True,
             options: Options | None = None, progress=None, cache: bool = False,
             cache_dir: str | Path | None = None) -> LintResult:
    """Lint drafts against a glossary (compiled or plain entries); suppressions applied.

    cache: read/write the compiled glossary in the cache (lint.cache; large glossaries only).
    `progress(done, total, path)` is called after each file is read (for a progress bar)."""
    info = CompileInfo(0.0, False)
    if isinstance(glossary, Glossary):
        g = glossary
    elif cache:
        g, info = load_or_compile(glossary, cache_dir)
    else:
        t0 = time.perf_counter()
        g = compile_glossary(glossary)
        info = CompileInfo(time.perf_counter() - t0, False)
    anchors = anchor_pairs(g)
    paths = [str(p) for p in paths]
    docs: list[LintDocument] = []
    for i, p in enumerate(paths, start=1):
        docs.append(load_document(p, anchors))
        if progress is not None:
            progress(i, len(paths), p)
    if zh or en:
        docs.append(load_pair(zh, en, anchors, unaligned=unaligned))
    findings = lint_documents(docs, g, options, scope)
    known = set(CHECKS)
    rules: list[suppress.Rule] = []
    if ignore_file is not None:
        rules = suppress.load_ignore_file(ignore_file, known)
    elif use_ignore_file:
        found = suppress.find_ignore_file()
        rules = suppress.load_ignore_file(found, known) if found else []
    texts = {r.file.path: r.file.text for d in docs for r in d.regions}
    kept, n = suppress.apply(findings, texts, rules, known)
    notes = [n_ for d in docs for n_ in d.notes]
    return LintResult(kept, len(texts), n, notes, info.seconds, info.cached)
