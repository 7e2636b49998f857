"""Suppressions: inline `glossary-lint: ignore <check>` comments and a per-project .glossary-lint-ignore file.

Inline comments (any comment syntax; the marker is found anywhere on a line):

    ... text ...  <!-- glossary-lint: ignore deprecated-term -->   the finding's own line
    <!-- glossary-lint: ignore missing-term, unapproved-variant -->  alone on a line: the next non-empty line
    # glossary-lint: ignore-file acronym-before-expansion            the whole file
    glossary-lint: ignore                                             no check named: every check

The project ignore list is `.glossary-lint-ignore`, looked up in the current directory and its parents
(or given with `--ignore-file`). One rule per line, `#` starts a comment, fields separated by whitespace:

    CHECK  [PATH-GLOB  [MATCHED TEXT...]]

CHECK is a check id or `*`; PATH-GLOB (fnmatch, against the path as given and its POSIX form, default `*`);
MATCHED TEXT (the rest of the line, compared case-insensitively with the finding's matched text).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

from glossary.data import Finding
from glossary.errors import input_error

IGNORE_FILE = ".glossary-lint-ignore"
_MARK = re.compile(r"glossary-lint:\s*(ignore-file|ignore)\b([\w\s,*-]*)")
_CHECK_LIST = re.compile(r"[a-z*][\w*-]*")
_COMMENT_ONLY = re.compile(r"^\s*(?:<!--|#|//|;|%|/\*|\[//\]:\s*#\s*\(|\{#)?\s*glossary-lint:[^\n]*$")


@dataclass
class Rule:
    check: str
    path_glob: str = "*"
    text: str = ""
    origin: str = ""  # "file:line" the rule came from


def _checks(arg: str, known: set[str]) -> set[str]:
    words = _CHECK_LIST.findall(arg.split("-->")[0].split("*/")[0].lower())
    named = {w for w in words if w == "*" or w in known}
    return named or {"*"}


def inline_suppressions(text: str, known: set[str]) -> tuple[dict[int, set[str]], set[str]]:
    """(1-based line → checks ignored there, checks ignored in the whole file) from inline comments."""
    per_line: dict[int, set[str]] = {}
    whole: set[str] = set()
    lines = text.splitlines()
    for no, line in enumerate(lines, start=1):
        m = _MARK.search(line)
        if not m:
            continue
        checks = _checks(m.group(2), known)
        if m.group(1) == "ignore-file":
            whole |= checks
            continue
        target = no
        if _COMMENT_ONLY.match(line):
            target = next((k for k in range(no + 1, len(lines) + 1) if lines[k - 1].strip()), no)
        per_line.setdefault(target, set()).update(checks)
    return per_line, whole


def load_ignore_file(path: str | Path, known: set[str]) -> list[Rule]:
    """Parse an ignore list; an unknown check id is an error naming file and line."""
    rules = []
    for no, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        parts = line.split(None, 2)
        check = parts[0]
        if check != "*" and check not in known:
            raise input_error(str(path), f"unknown check {check!r} (one of {', '.join(sorted(known))})", no, 1)
        rules.append(Rule(check, parts[1] if len(parts) > 1 else "*", parts[2].strip() if len(parts) > 2
                          else "", f"{path}:{no}"))
    return rules


def find_ignore_file(start: str | Path = ".") -> Path | None:
    """The nearest .glossary-lint-ignore in `start` or one of its parents."""
    here = Path(start).resolve()
    for d in (here, *here.parents):
        cand = d / IGNORE_FILE
        if cand.is_file():
            return cand
    return None


def _rule_hits(rule: Rule, f: Finding) -> bool:
    if rule.check not in ("*", f.check):
        return False
    posix = Path(f.path).as_posix()
    if not (fnmatch.fnmatch(f.path, rule.path_glob) or fnmatch.fnmatch(posix, rule.path_glob)
            or fnmatch.fnmatch(Path(f.path).name, rule.path_glob)):
        return False
    return not rule.text or rule.text.casefold() == " ".join(f.match.split()).casefold()


def apply(findings: list[Finding], texts: dict[str, str], rules: list[Rule], known: set[str]
          ) -> tuple[list[Finding], int]:
    """Drop suppressed findings; returns (kept, number suppressed). `texts` maps path → file text."""
    inline = {p: inline_suppressions(t, known) for p, t in texts.items() if "glossary-lint:" in t}
    kept = []
    for f in findings:
        per_line, whole = inline.get(f.path, ({}, set()))
        here = per_line.get(f.line, set()) | whole
        if "*" in here or f.check in here or any(_rule_hits(r, f) for r in rules):
            continue
        kept.append(f)
    return kept, len(findings) - len(kept)
