"""Lint reports: `path:line:col: severity check-id message (suggestion)` text, JSON, and SARIF 2.1.0."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from glossary import __version__
from glossary.data import Finding
from glossary.lint.checks import CHECKS

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def text_line(f: Finding, colour: bool = False) -> str:
    """One finding as `path:line:col: severity check-id message (suggestion)`."""
    where = f"{f.path}:{f.line}:{f.column}:"
    sev = f.severity
    check = f.check
    if colour:
        where = click.style(where, bold=True)
        sev = click.style(sev, fg=_COLOURS.get(sev, "white"), bold=True)
        check = click.style(check, fg="cyan")
    tail = f" ({f.suggestion})" if f.suggestion else ""
    return f"{where} {sev} {check} {f.message}{tail}"


def to_text(findings: list[Finding], colour: bool = False) -> str:
    return "".join(text_line(f, colour) + "\n" for f in findings)


def summary(findings: list[Finding], files: int, suppressed: int = 0) -> str:
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = sum(f.severity == "warning" for f in findings)
    extra = f", {suppressed} suppressed" if suppressed else ""
    return f"{len(findings)} finding(s) ({n_err} error(s), {n_warn} warning(s)) in {files} file(s){extra}"


def to_json(findings: list[Finding]) -> str:
    """A JSON list of findings: path, line, column, start, end, check, severity, message, match, suggestion."""
    return json.dumps([asdict(f) for f in findings], ensure_ascii=False, indent=2) + "\n"


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def to_sarif(findings: list[Finding]) -> dict:
    """A SARIF 2.1.0 log with one run: the rules (one per check) and one result per finding."""
    rules = list(CHECKS.values())
    index = {c.id: i for i, c in enumerate(rules)}
    results = []
    for f in findings:
        region = {"startLine": f.line, "startColumn": f.column, "charOffset": f.start,
                  "charLength": max(f.end - f.start, 0)}
        if f.match and "\n" not in f.match:
            region["endLine"] = f.line
            region["endColumn"] = f.column + len(f.match)
        if f.match:
            region["snippet"] = {"text": f.match}
        message = f.message + (f" ({f.suggestion})" if f.suggestion else "")
        results.append({
            "ruleId": f.check,
            "ruleIndex": index[f.check],
            "level": _SARIF_LEVEL.get(f.severity, "warning"),
            "message": {"text": message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(f.path)}, "region": region}}],
            "partialFingerprints": {"glossaryLint/v1": f"{f.check}:{f.match.casefold()}:{f.line}"},
        })
    driver = {
        "name": "glossary-lint",
        "version": __version__,
        "rules": [{
            "id": c.id,
            "name": "".join(w.capitalize() for w in c.id.split("-")),
            "shortDescription": {"text": c.name},
            "fullDescription": {"text": c.description},
            "defaultConfiguration": {"level": _SARIF_LEVEL[c.severity]},
        } for c in rules],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}]}


def render(findings: list[Finding], fmt: str, colour: bool = False) -> str:
    if fmt == "json":
        return to_json(findings)
    if fmt == "sarif":
        return json.dumps(to_sarif(findings), ensure_ascii=False, indent=2) + "\n"
    return to_text(findings, colour)
