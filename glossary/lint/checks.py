"""Lint checks over matched glossary terms: status, missing target, inconsistency, variants, acronyms."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from glossary.data import Finding
from glossary.lint.matcher import Glossary, Match, en_key, en_view, is_acronym, plural
from glossary.lint.source import LintDocument, SourceFile, has_han


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
class Hit:
    """A match placed in a file (offsets are file offsets)."""

    file: SourceFile
    m: Match


@dataclass
class Options:
    fuzzy_threshold: float = 90.0
    checks: frozenset[str] = frozenset(CHECKS)


# --------------------------------------------------------------------------- scanning


def scan(doc: LintDocument, g: Glossary) -> list[Hit]:
    """Every glossary match in the document's regions, in document order."""
    hits: list[Hit] = []
    for r in doc.regions:
        text = r.text
        found = g.match_en(text)
        if has_han(text):
            found += g.match_zh(text)
        for m in sorted(found, key=lambda m: m.start):
            m.start += r.start
            m.end += r.start
            hits.append(Hit(r.file, m))
    return hits


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


def check_status(hits: list[Hit]) -> list[Finding]:
    """deprecated-term / forbidden-term: suggest the preferred term of the same language."""
    out = []
    for h in hits:
        m = h.m
        if m.term.status not in ("deprecated", "forbidden"):
            continue
        pref = m.concept.preferred(m.lang)
        suggestion = f"use '{_inflect(pref.text, m)}'" if pref else ""
        out.append(finding(h.file, m.start, m.end, f"{m.term.status}-term",
                           f"'{m.surface}' is {m.term.status} for {m.concept.label()}", m.surface, suggestion))
    return out


def _fold_surface(s: str) -> str:
    s = re.sub(r"(?<=-)\s*\n\s*", "", s)
    s = " ".join(s.split())
    s = s.translate(str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"}))
    return re.sub(r"(?:'s|(?<=s)')$", "", s)


def check_spelling(hits: list[Hit]) -> list[Finding]:
    """unapproved-variant (spelling): hyphen/space/closed forms, or a proper noun written in lower case."""
    out = []
    for h in hits:
        m = h.m
        if m.lang != "en" or m.term.status not in ("preferred", "admitted") or is_acronym(m.term):
            continue
        sur = _fold_surface(m.surface)
        exp = " ".join(m.term.text.split())
        forms = (exp, plural(exp))
        if sur in forms:
            continue
        low = next((f for f in forms if f.lower() == sur.lower()), None)
        if low is not None:
            if not any(a.isupper() and b.islower() for a, b in zip(low, sur)):
                continue  # sentence-initial or title capitals are fine; lower-casing a proper noun is not
            why = "casing differs from"
        else:
            why = "is a spelling variant of"
        out.append(finding(h.file, m.start, m.end, "unapproved-variant",
                           f"'{m.surface}' {why} the glossary term '{exp}'", m.surface,
                           f"use '{_inflect(exp, m)}'"))
    return out


_NUMERAL = re.compile(r"^(?:\d+|[ivxlc]+)$")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def check_near_misses(doc: LintDocument, g: Glossary, hits: list[Hit], threshold: float) -> list[Finding]:
    """unapproved-variant (near match): word windows that rapidfuzz finds close to a preferred term."""
    if not g.by_word:
        return []
    taken = defaultdict(list)
    for h in hits:
        taken[h.file.path].append((h.m.start, h.m.end))
    out = []
    for r in doc.regions:
        view = en_view(r.text)
        toks = [(t.start(), t.end(), t.group()) for t in _TOKEN.finditer(view.norm)]
        seen: set[tuple[int, int]] = set()
        for i, (_, _, word) in enumerate(toks):
            for concept, term, words in g.by_word.get(word, ()):
                j = words.index(word)
                best = _best_window(view.norm, toks, i - j, len(words), words, threshold)
                if best is None:
                    continue
                s, e, text = best
                o_start, o_end = view.span(s, e)
                o_start, o_end = o_start + r.start, o_end + r.start
                if (o_start, o_end) in seen or text in g.known_en or not _wordwise(text, words) or any(
                        a < o_end and o_start < b for a, b in taken[r.file.path]):
                    continue
                seen.add((o_start, o_end))
                surface = r.file.text[o_start:o_end]
                out.append(finding(r.file, o_start, o_end, "unapproved-variant",
                                   f"'{surface}' looks like a variant of '{term.text}' (not in the glossary)",
                                   surface, f"use '{term.text}'"))
    return out


def _wordwise(text: str, words: list[str]) -> bool:
    """A variant differs by spelling, not by words: each word close to its counterpart, or the same letters
    split/joined differently ("land sea" / "landsea")."""
    got = text.split(" ")
    if len(got) == len(words):
        return all(a == b or fuzz.ratio(a, b) >= 75 for a, b in zip(got, words))
    return fuzz.ratio("".join(got), "".join(words)) >= 95


def _best_window(norm: str, toks, start: int, n: int, words: list[str], threshold: float):
    key = " ".join(words)
    nums = {w for w in words if _NUMERAL.match(w)}
    best = None
    for length in (n, n - 1, n + 1):
        if start < 0 or length < 1 or start + length > len(toks):
            continue
        window = toks[start:start + length]
        text = norm[window[0][0]:window[-1][1]]
        if text in (key, plural(key)) or {w for *_, w in window if _NUMERAL.match(w)} != nums:
            continue
        score = max(fuzz.ratio(text, key), fuzz.ratio(text, plural(key)))
        if score >= threshold and (best is None or score > best[0]):
            best = (score, window[0][0], window[-1][1], text)
    return None if best is None else best[1:]


def check_inconsistent(hits: list[Hit]) -> list[Finding]:
    """inconsistent-translation: one concept, several admitted full forms in the same scope."""
    groups: dict[tuple[int, str], list[Hit]] = defaultdict(list)
    for h in hits:
        m = h.m
        if m.term.status in ("preferred", "admitted") and not is_acronym(m.term) \
                and m.term.term_type not in ("abbreviation", "shortForm"):
            groups[(m.concept.index, m.lang)].append(h)
    out = []
    for (_, lang), group in groups.items():
        counts = Counter(h.m.term.text for h in group)
        if len(counts) < 2:
            continue
        concept = group[0].m.concept
        majority = counts.most_common(1)[0][0]
        pref = concept.preferred(lang)
        target = pref.text if pref is not None and pref.text in counts else majority
        summary = ", ".join(f"'{t}' ×{n}" for t, n in counts.most_common())
        for h in group:
            if h.m.term.text == target:
                continue
            preferred = pref.text if pref else majority
            advice = (f"majority and preferred '{majority}'" if preferred == majority
                      else f"majority '{majority}', preferred '{preferred}'")
            msg = f"{concept.label()} is rendered in {len(counts)} ways ({summary}); {advice}"
            out.append(finding(h.file, h.m.start, h.m.end, "inconsistent-translation", msg, h.m.surface,
                               f"use '{_inflect(target, h.m)}'"))
    return out


def check_acronyms(hits: list[Hit]) -> list[Finding]:
    """acronym-before-expansion: the first use of an acronym precedes every full form in the document."""
    expanded: set[int] = set()
    reported: set[int] = set()
    out = []
    en_hits = [h for h in hits if h.m.lang == "en"]
    for k, h in enumerate(en_hits):
        m = h.m
        c = m.concept.index
        if not is_acronym(m.term):
            expanded.add(c)
            continue
        if c in expanded or c in reported or m.term.status not in ("preferred", "admitted"):
            continue
        full = m.concept.preferred("en")
        if full is None or is_acronym(full):
            continue
        nxt = en_hits[k + 1] if k + 1 < len(en_hits) else None
        if nxt is not None and nxt.m.concept.index == c and not is_acronym(nxt.m.term) \
                and nxt.file is h.file and 0 <= nxt.m.start - m.end <= 3:
            continue  # "ILSTC (New International Land-Sea Trade Corridor)"
        reported.add(c)
        out.append(finding(h.file, m.start, m.end, "acronym-before-expansion",
                           f"'{m.surface}' is used before its full form '{full.text}' appears", m.surface,
                           f"write '{full.text} ({m.term.text})' at first use"))
    return out


def check_missing(doc: LintDocument, g: Glossary, hits: list[Hit]) -> list[Finding]:
    """missing-term: per aligned pair (or per document when unaligned), zh term without any English term."""
    if doc.kind != "bilingual":
        return []
    if doc.pairs is None:
        return _missing_document_level(hits)
    by_line: dict[tuple[str, int], list[Hit]] = defaultdict(list)
    for h in hits:
        if h.m.lang == "zh":
            by_line[(h.file.path, h.file.line_col(h.m.start)[0])].append(h)
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
            if h.m.concept.index == zm.concept.index and id(h) not in used:
                used.add(id(h))
                return f, h.m.start, h.m.end, h.m.surface
    start, _ = f.line_span(max(line, 1))
    return f, start, start, zm.surface


def _missing_document_level(hits: list[Hit]) -> list[Finding]:
    en = {h.m.concept.index for h in hits if h.m.lang == "en"}
    out, seen = [], set()
    for h in hits:
        c = h.m.concept
        if h.m.lang != "zh" or c.index in en or c.index in seen or not c.allowed("en") \
                or h.m.term.status not in ("preferred", "admitted"):
            continue
        seen.add(c.index)
        pref = c.preferred("en")
        out.append(finding(h.file, h.m.start, h.m.end, "missing-term",
                           f"'{h.m.surface}' is in the glossary but the document's English never uses "
                           f"'{pref.text}' (document level: not aligned)", h.m.surface, f"use '{pref.text}'"))
    return out


# --------------------------------------------------------------------------- driver


def lint_documents(docs: list[LintDocument], g: Glossary, options: Options | None = None,
                   scope: str = "document") -> list[Finding]:
    """All findings for the documents; inconsistency is judged per document or across the project."""
    opt = options or Options()
    out: list[Finding] = []
    all_hits: list[Hit] = []
    for doc in docs:
        hits = scan(doc, g)
        all_hits += hits
        out += check_status(hits)
        out += check_spelling(hits)
        out += check_near_misses(doc, g, hits, opt.fuzzy_threshold)
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
