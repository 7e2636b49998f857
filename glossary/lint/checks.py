"""Lint checks over matched glossary terms: status, missing target, inconsistency, variants, acronyms."""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from glossary.data import Finding
from glossary.lint import parallel
from glossary.lint.concepts import EnScan, Match, is_acronym, plural
from glossary.lint.matcher import Glossary
from glossary.lint.nearmiss import anchor_items, best_of, best_window, overlaps, wordwise
from glossary.lint.source import LintDocument, Region, SourceFile, has_han


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    name: str
    description: str


CHECKS: dict[str, Check] = {c.id: c for c in (
    Check("forbidden-term", "error", "Forbidden term",
          "A term whose usage status is 'forbidden' appears; use the preferred term."),
    Check("deprecated-term", "error", "Deprecated term",
          "A term whose usage status is 'deprecated' appears; use the preferred term."),
    Check("missing-term", "error", "Missing target term",
          "A segment's Chinese contains an approved term but its English contains none of the term's "
          "admitted translations (preferred, admitted variants, acronym)."),
    Check("inconsistent-translation", "warning", "Inconsistent translation",
          "One concept is rendered by different admitted terms within a document (or the project)."),
    Check("unapproved-variant", "warning", "Unapproved variant",
          "An English form close to a glossary term (casing, hyphen/space/closed spelling, near match) that "
          "is not itself in the glossary."),
    Check("acronym-before-expansion", "warning", "Acronym before expansion",
          "An approved acronym is used before its full form appears in the document."),
)}
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


@dataclass
class Options:
    fuzzy_threshold: float = 90.0
    checks: frozenset[str] = frozenset(CHECKS)
    # processes for a large English-only draft (None: as many as there are idle cores, see
    # parallel.idle_workers). Only drafts of 2 × min_chunk_chars or more are split (smaller ones, and bilingual
    # documents, are linted serially); GLOSSARY_LINT_WORKERS=N sets N (1: always serial). The parent lints the
    # first part itself while one forked child per extra process lints the rest (lint.parallel). Measured with
    # bench_lint on this shared 2-core machine (load average 4.7-4.8), 100k-term glossary, 5 MB drafts: a
    # critical path (the parent's CPU, the child running beside it) of 13.1-14.2 MB/s against 8.6-9.9 MB/CPU-s
    # serial, but 30-40% more CPU in all (6.6-7.1 MB/CPU-s), so with no idle core the split is slower (4.4-4.8
    # MB/s wall against 6.2-6.3).
    workers: int | None = field(default_factory=lambda: default_workers())
    min_chunk_chars: int = 500_000  # a draft is split only into chunks at least this long


def default_workers() -> int | None:
    """GLOSSARY_LINT_WORKERS (a positive number of processes), else None: the idle cores (large drafts only)."""
    raw = os.environ.get("GLOSSARY_LINT_WORKERS", "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


# --------------------------------------------------------------------------- scanning


def scan(doc: LintDocument, g: Glossary) -> tuple[list[Match], list[tuple[Region, EnScan]]]:
    """Every glossary match in the document's regions (file offsets), in document order, plus English scans."""
    hits: list[Match] = []
    scans: list[tuple[Region, EnScan]] = []
    lean = doc.kind != "bilingual"  # missing-term needs every English match; the other checks do not
    for r in doc.regions:
        text = r.text
        sc = g.scan_en(text, r.start, r.file, lean)
        scans.append((r, sc))
        han = sc.view.han if sc.view.han is not None else has_han(text)
        zh = g.match_zh(text, r.start, r.file) if han else []
        hits += sorted(sc.matches + zh, key=lambda m: m.start) if zh else sc.matches
    return hits, scans


def finding(f: SourceFile, start: int, end: int, check: str, message: str, match: str = "",
            suggestion: str = "") -> Finding:
    line, col = f.line_col(start)
    return Finding(path=f.path, line=line, column=col, start=start, end=end, check=check,
                   severity=CHECKS[check].severity, message=message, match=match, suggestion=suggestion)


def _inflect(preferred: str, m: Match) -> str:
    """Carry the match's plural/possessive over to a suggested replacement."""
    out = plural(preferred) if "plural" in m.form and not is_acronym_text(preferred) else preferred
    if "plural" in m.form and is_acronym_text(preferred):
        out += "s"
    if re.search(r"['\u2019]s?$", m.surface):
        out += "'" if out.endswith("s") and m.surface[-1] in "'\u2019" else "'s"
    return out


def is_acronym_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and " " not in text and all(c.isupper() for c in letters)


# --------------------------------------------------------------------------- checks


def check_status(hits: list[Match]) -> list[Finding]:
    """deprecated-term / forbidden-term: suggest the preferred term of the same language."""
    out = []
    said: dict[tuple, tuple[str, str, str]] = {}  # (term, surface, form) -> (check, message, suggestion)
    for m in hits:
        if m.term.status not in ("deprecated", "forbidden"):
            continue
        key = (id(m.term), m.surface, m.form, m.lang)
        text = said.get(key)
        if text is None:
            pref = m.concept.preferred(m.lang)
            text = said[key] = (f"{m.term.status}-term", f"'{m.surface}' is {m.term.status} for {m.concept.label()}",
                                f"use '{_inflect(pref.text, m)}'" if pref else "")
        out.append(finding(m.file, m.start, m.end, text[0], text[1], m.surface, text[2]))
    return out


def _fold_surface(s: str) -> str:
    s = re.sub(r"(?<=-)\s*\n\s*", "", s)
    s = " ".join(s.split())
    s = s.translate(str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"}))
    return re.sub(r"(?:'s|(?<=s)')$", "", s)


def check_spelling(hits: list[Match]) -> list[Finding]:
    """unapproved-variant (spelling): hyphen/space/closed forms, or a proper noun written in lower case."""
    out = []
    said: dict[tuple, tuple[str, str] | None] = {}  # (term, surface, form) -> (message, suggestion) or None
    for m in hits:
        if m.lang != "en" or m.acronym or m.surface == m.term.text or m.term.status not in ("preferred",
                                                                                              "admitted"):
            continue
        key = (id(m.term), m.surface, m.form)
        if key not in said:
            said[key] = _spelling(m)
        text = said[key]
        if text is not None:
            out.append(finding(m.file, m.start, m.end, "unapproved-variant", text[0], m.surface, text[1]))
    return out


def _spelling(m: Match) -> tuple[str, str] | None:
    """(message, suggestion) when a match's surface is an unapproved spelling of its term, else None."""
    sur = _fold_surface(m.surface)
    exp = " ".join(m.term.text.split())
    forms = (exp, plural(exp))
    if sur in forms:
        return None
    low = next((f for f in forms if f.lower() == sur.lower()), None)
    if low is not None:
        if not any(a.isupper() and b.islower() for a, b in zip(low, sur)):
            return None  # sentence-initial or title capitals are fine; lower-casing a proper noun is not
        why = "casing differs from"
    else:
        why = "is a spelling variant of"
    return f"'{m.surface}' {why} the glossary term '{exp}'", f"use '{_inflect(exp, m)}'"


def check_near_misses(g: Glossary, scans: list[tuple[Region, EnScan]], threshold: float,
                      keep: tuple[int, int] | None = None) -> list[Finding]:
    """unapproved-variant (near match): word windows around anchor words that rapidfuzz finds close to a
    multi-word preferred term, outside every exact match. keep: only anchors at these file offsets
    (a chunk of a larger text, scanned with context around it)."""
    if g.anchor_auto is None and g.marked_anchor_auto is None:
        return []
    out = []
    for r, sc in scans:
        norm = sc.view.norm
        starts, ends = sc.starts, sc.ends
        seen: set[tuple[int, int]] = set()
        for p, e, ni, j, prev3, next3, windows in anchor_items(g, norm, starts, ends, threshold, sc.view.cp,
                                                                sc.arrays):
            if keep is not None and not keep[0] <= sc.view.orig(p) + r.start < keep[1]:
                continue
            # cheap pre-filter: the term's neighbouring words (first 3 letters) sit next to the anchor
            if (prev3 and prev3 not in norm[max(0, p - 16):p]) or (next3 and next3 not in norm[e:e + 16]):
                continue
            item = g.nears[ni]
            if windows is None:
                best = best_window(norm, p, e, j, item, threshold)
            else:
                best = best_of(norm, windows[0], windows[1], item, threshold)
            if best is None:
                continue
            s, t_end, text = best
            if (s, t_end) in seen or text in g.known_en or overlaps(ends, starts, s, t_end) \
                    or not wordwise(text, item.words):
                continue
            seen.add((s, t_end))
            o_start, o_end = sc.view.span(s, t_end)
            o_start, o_end = o_start + r.start, o_end + r.start
            surface = r.file.text[o_start:o_end]
            out.append(finding(r.file, o_start, o_end, "unapproved-variant",
                               f"'{surface}' looks like a variant of '{item.term.text}' (not in the glossary)",
                               surface, f"use '{item.term.text}'"))
    return out


def check_inconsistent(hits: list[Match]) -> list[Finding]:
    """inconsistent-translation: one concept, several admitted full forms in the same scope."""
    groups: dict[tuple[int, str], list[Match]] = defaultdict(list)
    for h in hits:
        m = h
        if m.term.status in ("preferred", "admitted") and not m.acronym \
                and m.term.term_type not in ("abbreviation", "shortForm"):
            groups[(m.concept.index, m.lang)].append(h)
    out = []
    for (_, lang), group in groups.items():
        counts = Counter(h.term.text for h in group)
        if len(counts) < 2:
            continue
        concept = group[0].concept
        majority = counts.most_common(1)[0][0]
        pref = concept.preferred(lang)
        target = pref.text if pref is not None and pref.text in counts else majority
        summary = ", ".join(f"'{t}' ×{n}" for t, n in counts.most_common())
        for h in group:
            if h.term.text == target:
                continue
            preferred = pref.text if pref else majority
            advice = (f"majority and preferred '{majority}'" if preferred == majority
                      else f"majority '{majority}', preferred '{preferred}'")
            msg = f"{concept.label()} is rendered in {len(counts)} ways ({summary}); {advice}"
            out.append(finding(h.file, h.start, h.end, "inconsistent-translation", msg, h.surface,
                               f"use '{_inflect(target, h)}'"))
    return out


def check_acronyms(hits: list[Match]) -> list[Finding]:
    """acronym-before-expansion: the first use of an acronym precedes every full form in the document."""
    expanded: set[int] = set()
    reported: set[int] = set()
    out = []
    en_hits = [h for h in hits if h.lang == "en"]
    for k, h in enumerate(en_hits):
        m = h
        c = m.concept.index
        if not m.acronym:
            expanded.add(c)
            continue
        if c in expanded or c in reported or m.term.status not in ("preferred", "admitted"):
            continue
        full = m.concept.preferred("en")
        if full is None or is_acronym(full):
            continue
        nxt = en_hits[k + 1] if k + 1 < len(en_hits) else None
        if nxt is not None and nxt.concept.index == c and not nxt.acronym \
                and nxt.file is h.file and 0 <= nxt.start - m.end <= 3:
            continue  # "ILSTC (New International Land-Sea Trade Corridor)"
        reported.add(c)
        out.append(finding(h.file, m.start, m.end, "acronym-before-expansion",
                           f"'{m.surface}' is used before its full form '{full.text}' appears", m.surface,
                           f"write '{full.text} ({m.term.text})' at first use"))
    return out


def check_missing(doc: LintDocument, g: Glossary, hits: list[Match]) -> list[Finding]:
    """missing-term: per aligned pair (or per document when unaligned), zh term without any English term."""
    if doc.kind != "bilingual":
        return []
    if doc.pairs is None:
        return _missing_document_level(hits)
    by_line: dict[tuple[str, int], list[Match]] = defaultdict(list)
    for h in hits:
        if h.lang == "zh":
            by_line[(h.file.path, h.file.line_col(h.start)[0])].append(h)
    used: set[int] = set()
    out = []
    for p in doc.pairs:
        zh_found = g.match_zh(p.zh_norm or p.zh)
        if not zh_found:
            continue
        en_found = g.match_en(p.en)
        ok = {m.concept.index for m in en_found}
        for zm in zh_found:
            c = zm.concept
            f, start, end, surface = _locate(doc, by_line, used, p.zh_line, zm)  # consume in pair order
            if c.index in ok or zm.term.status not in ("preferred", "admitted"):
                continue
            allowed = [t.text for t in c.allowed("en")]
            if not allowed:
                continue
            out.append(finding(f, start, end, "missing-term",
                               f"'{surface}' is in the glossary but the translation has none of "
                               + ", ".join(f"'{a}'" for a in allowed), surface, f"use '{allowed[0]}'"
                               if len(allowed) == 1 else f"use '{c.preferred('en').text}'"))
            ok.add(c.index)  # once per pair and concept
    return out


def _locate(doc: LintDocument, by_line, used: set[int], line: int, zm: Match
            ) -> tuple[SourceFile, int, int, str]:
    """The file position of a pair's zh term: the next unused hit of that concept on the pair's lines."""
    f = doc.zh_file
    for ln in range(line, line + 3):
        for h in by_line.get((f.path, ln), ()):
            if h.concept.index == zm.concept.index and id(h) not in used:
                used.add(id(h))
                return f, h.start, h.end, h.surface
    start, _ = f.line_span(max(line, 1))
    return f, start, start, zm.surface


def _missing_document_level(hits: list[Match]) -> list[Finding]:
    en = {h.concept.index for h in hits if h.lang == "en"}
    out, seen = [], set()
    for h in hits:
        c = h.concept
        if h.lang != "zh" or c.index in en or c.index in seen or not c.allowed("en") \
                or h.term.status not in ("preferred", "admitted"):
            continue
        seen.add(c.index)
        pref = c.preferred("en")
        out.append(finding(h.file, h.start, h.end, "missing-term",
                           f"'{h.surface}' is in the glossary but the document's English never uses "
                           f"'{pref.text}' (document level: not aligned)", h.surface, f"use '{pref.text}'"))
    return out


# --------------------------------------------------------------------------- driver


def lint_documents(docs: list[LintDocument], g: Glossary, options: Options | None = None,
                   scope: str = "document") -> list[Finding]:
    """All findings for the documents; inconsistency is judged per document or across the project."""
    opt = options or Options()
    out: list[Finding] = []
    all_hits: list[Match] = []
    for doc in docs:
        workers = parallel.idle_workers() if opt.workers is None else opt.workers
        chunks = parallel.plan(doc, g, workers, opt.min_chunk_chars, per_worker=1)
        if chunks is not None:
            status, spelling, near, hits = parallel.run(doc, g, opt.fuzzy_threshold, chunks, workers)
        else:
            hits, scans = scan(doc, g)
            status, spelling = check_status(hits), check_spelling(hits)
            near = check_near_misses(g, scans, opt.fuzzy_threshold)
        all_hits += hits
        out += status
        out += spelling
        out += near
        out += check_acronyms(hits)
        out += check_missing(doc, g, hits)
        if scope == "document":
            out += check_inconsistent(hits)
    if scope == "project":
        out += check_inconsistent(all_hits)
    out = [f for f in out if f.check in opt.checks]
    return sort_findings(out)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.start, f.end, f.check))


def at_or_above(findings: list[Finding], threshold: str) -> list[Finding]:
    return [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]]
