"""TBX v3 (ISO 30042:2019, TBX-Basic DCA) read + write; the martif (TBX 2008) dialect reuses this code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import zip_longest
from pathlib import Path
from typing import IO

from glossary import __version__
from glossary.data import EntryData, TermData
from glossary.errors import InputError
from glossary.exchange.common import Entries, Progress, check_entry, lang_of, positioned, xml_clean
from glossary.exchange.safexml import XML_LANG, iter_elements, local, text_of

TBX_NS = "urn:iso:std:iso:30042:ed-2"
LANG_TAG = {"zh": "zh-CN", "en": "en"}
MARK = "glossary-"  # prefix of the notes that carry fields TBX-Basic has no data category for
ORIGIN = "Exported by glossary"  # sourceDesc text: marks files whose whitespace must be kept exactly

STATUS_OUT = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
STATUS_IN = {
    "preferredterm-admn-sts": "preferred", "preferred": "preferred", "standardizedterm-admn-sts": "preferred",
    "normativeauthorization": "preferred", "legalterm-admn-sts": "preferred", "regulatedterm-admn-sts": "preferred",
    "admittedterm-admn-sts": "admitted", "admitted": "admitted",
    "deprecatedterm-admn-sts": "deprecated", "deprecated": "deprecated",
    "supersededterm-admn-sts": "deprecated", "superseded": "deprecated",
    "forbidden": "forbidden", "forbiddenterm-admn-sts": "forbidden",
}
POS_BASIC = ("adjective", "noun", "other", "verb", "adverb")
TERM_TYPES_IN = {"fullform": "fullForm", "acronym": "acronym", "abbreviation": "abbreviation",
                 "shortform": "shortForm", "variant": "variant", "abbreviatedform": "abbreviation",
                 "initialism": "acronym", "full form": "fullForm", "short form": "shortForm"}


@dataclass(frozen=True)
class Dialect:
    """Element names of one TBX flavour."""

    name: str
    root: str
    header: str
    concept: str
    lang: str
    term: str
    ns: str | None


V3 = Dialect("tbx", "tbx", "tbxHeader", "conceptEntry", "langSec", "termSec", TBX_NS)
V2 = Dialect("tbx2008", "martif", "martifHeader", "termEntry", "langSet", "tig", None)

# --------------------------------------------------------------------------- writing

_TEXT_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESC = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                           "\n": "&#10;", "\t": "&#9;"})


def esc(text) -> str:
    return xml_clean(str(text)).translate(_TEXT_ESC)


def attr(text) -> str:
    return xml_clean(str(text)).translate(_ATTR_ESC)


def _header(d: Dialect) -> str:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    desc = f"<sourceDesc><p>{ORIGIN} {__version__} at {now}</p></sourceDesc>"
    if d is V3:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="{TBX_NS}">\n'
            f"<tbxHeader><fileDesc>{desc}</fileDesc></tbxHeader>\n<text><body>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<martif type="TBX-Basic" xml:lang="en">\n'
        f"<martifHeader><fileDesc>{desc}</fileDesc>"
        '<encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc></martifHeader>\n'
        "<text><body>\n"
    )


def _footer(d: Dialect) -> str:
    return f"</body></text>\n</{d.root}>\n"


def _transac(kind: str, date: str | None, who: str | None) -> str:
    if not date and not who:
        return ""
    out = f'<transacGrp><transac type="transactionType">{kind}</transac>'
    if date:
        out += f"<date>{esc(date)}</date>"
    if who:
        out += f'<transacNote type="responsibility">{esc(who)}</transacNote>'
    return out + "</transacGrp>"


def _note(text: str | None) -> str:
    return f"<note>{esc(text)}</note>" if text else ""


def _context(text: str, doc: str, lang: str | None = None) -> str:
    src = f'<admin type="source">{esc(doc)}</admin>' if doc else ""
    xl = f' xml:lang="{LANG_TAG[lang]}"' if lang else ""
    return f'<descripGrp><descrip type="context"{xl}>{esc(text)}</descrip>{src}</descripGrp>'


def _term(d: Dialect, t: TermData, contexts: list[tuple[str, str, str | None]]) -> str:
    parts = [f"<{d.term}><term>{esc(t.text)}</term>",
             f'<termNote type="administrativeStatus">{STATUS_OUT[t.status]}</termNote>',
             f'<termNote type="termType">{t.term_type}</termNote>']
    if t.pos in POS_BASIC:
        parts.append(f'<termNote type="partOfSpeech">{t.pos}</termNote>')
    parts.extend(_context(text, doc, lang) for text, doc, lang in contexts)
    if t.pinyin and t.lang == "zh":
        parts.append(_note(f"{MARK}pinyin: {t.pinyin}"))
    if t.original:
        parts.append(_note(f"{MARK}original: {t.original}"))
    if t.pos and t.pos not in POS_BASIC:
        parts.append(_note(f"{MARK}pos: {t.pos}"))
    if t.status == "forbidden":
        parts.append(_note(f"{MARK}usage: forbidden"))
    parts.append(_note(t.note))
    parts.append(f"</{d.term}>")
    return "".join(parts)


def concept_xml(d: Dialect, e: EntryData, n: int) -> str:
    """One conceptEntry/termEntry as an XML string."""
    cid = f"c{e.id if e.id is not None else n}"
    parts = [f'<{d.concept} id="{cid}">',
             _transac("origination", e.created_at, e.created_by),
             _transac("modification", e.updated_at, e.updated_by)]
    if e.subject:
        parts.append(f'<descrip type="subjectField">{esc(e.subject)}</descrip>')
    if e.definition:
        parts.append(f'<descrip type="definition">{esc(e.definition)}</descrip>')
    parts.append(_note(e.note))
    parts.append(_note(f"{MARK}status: {e.status}"))
    if e.score is not None:
        parts.append(_note(f"{MARK}score: {e.score!r}"))
    langs = [lang for lang in ("zh", "en") if any(t.lang == lang for t in e.terms)]
    for lang in langs:
        terms = [t for t in e.terms if t.lang == lang]
        # contexts go on the first term of their language; a language without terms borrows the first term
        ctx = [(s.get(lang) or "", s.get("document") or "", None) for s in e.sources]
        if lang == langs[0]:
            for other in ("zh", "en"):
                if other not in langs:
                    ctx += [(s.get(other) or "", s.get("document") or "", other) for s in e.sources]
        parts.append(f'<{d.lang} xml:lang="{LANG_TAG[lang]}">')
        for i, t in enumerate(terms):
            parts.append(_term(d, t, ctx if i == 0 else []))
        parts.append(f"</{d.lang}>")
    parts.append(f"</{d.concept}>\n")
    return "".join(parts)


def write_dialect(d: Dialect, entries, out: IO[str], progress: Progress = None) -> int:
    out.write(_header(d))
    n = 0
    for n, e in enumerate(entries, 1):
        out.write(concept_xml(d, e, n))
        if progress and n % 1000 == 0:
            progress(1000)
    if progress:
        progress(n % 1000)
    out.write(_footer(d))
    return n


def write(entries, path: str | Path, progress: Progress = None, **_ignored) -> int:
    """Write TBX v3 (TBX-Basic, DCA style); returns the number of entries."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        return write_dialect(V3, entries, f, progress)


# --------------------------------------------------------------------------- reading

_WS = re.compile(r"\s+")


class _Reader:
    """Turns conceptEntry/termEntry elements (either dialect) into EntryData."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.exact = False  # our own export: keep whitespace exactly

    def clean(self, text: str | None) -> str | None:
        if text is None:
            return None
        if not self.exact:
            text = _WS.sub(" ", text).strip()
        return text or None

    def where(self, el):
        return positioned(self.path, el.sourceline)

    def entry(self, el) -> EntryData | None:
        """The entry, or None when it has no zh/en term (other languages only)."""
        e = EntryData(terms=[], status="proposed")
        notes: list[str] = []
        foreign: list[str] = []
        zh_ctx: list[tuple[str, str]] = []
        en_ctx: list[tuple[str, str]] = []
        for child in el:
            name = local(child)
            if name in ("langSec", "langSet"):
                self.lang_section(child, e, notes, foreign, zh_ctx, en_ctx)
            elif name:
                self.concept_item(child, e, notes)
        e.sources = [{"document": (a or b)[1], "zh": a[0] if a else "", "en": b[0] if b else ""}
                     for a, b in zip_longest(zh_ctx, en_ctx)]
        if foreign:
            notes.extend(foreign)
        e.note = "\n".join(notes) if notes else None
        if not e.terms:
            return None
        return check_entry(e, self.where(el))

    def concept_item(self, child, e: EntryData, notes: list[str]) -> None:
        name, typ = local(child), child.get("type")
        if name == "transacGrp":
            self.transac(child, e)
        elif name == "descrip" and typ == "subjectField":
            e.subject = self.clean(text_of(child))
        elif name == "descrip" and typ == "definition" and e.definition is None:
            e.definition = self.clean(text_of(child))
        elif name == "descripGrp":
            for sub in child:
                if local(sub) == "descrip":
                    self.concept_item(sub, e, notes)
                elif local(sub):
                    self.other(sub, notes)
        elif name == "note":
            self.note(text_of(child), notes, entry=e)
        else:
            self.other(child, notes)

    def other(self, child, notes: list[str]) -> None:
        """Unknown data categories are kept as notes: 'type: text (target)'."""
        label = child.get("type") or local(child)
        text = self.clean(text_of(child)) or ""
        if child.get("target"):
            text = f"{text} ({child.get('target')})".strip()
        if label or text:
            notes.append(f"{label}: {text}" if text else label)

    def note(self, raw: str, notes: list[str], entry: EntryData | None = None, term: TermData | None = None):
        text = raw if self.exact else (self.clean(raw) or "")
        if text.startswith(MARK) and ": " in text:
            key, value = text[len(MARK):].split(": ", 1)
            if entry is not None and key == "status":
                entry.status = value.strip()
                return
            if entry is not None and key == "score":
                try:
                    entry.score = float(value)
                    return
                except ValueError:
                    pass
            if term is not None and key in ("pinyin", "original", "pos"):
                setattr(term, key, value)
                return
            if term is not None and key == "usage" and value == "forbidden":
                term.status = "forbidden"
                return
        if text:
            notes.append(text)

    def transac(self, grp, e: EntryData) -> None:
        kind = date = who = None
        for sub in grp:
            n = local(sub)
            if n == "transac":
                kind = (text_of(sub) or "").strip()
            elif n == "date":
                date = (text_of(sub) or "").strip() or None
            elif n == "transacNote" and sub.get("type") == "responsibility":
                who = self.clean(text_of(sub))
        if kind in ("origination", "creation"):
            e.created_at, e.created_by = date, who
        elif kind == "modification":
            e.updated_at, e.updated_by = date, who

    def lang_section(self, sec, e, notes, foreign, zh_ctx, en_ctx) -> None:
        code = sec.get(XML_LANG) or sec.get("lang")
        lang = lang_of(code)
        for child in sec:
            name = local(child)
            if name in ("termSec", "tig", "ntig"):
                if lang is None:
                    texts = [self.clean(text_of(t)) for t in child.iter() if local(t) == "term"]
                    foreign.append(f"{code}: {'; '.join(x for x in texts if x)}")
                    continue
                term, ctx = self.term(child, lang)
                e.terms.append(term)
                for text, doc, clang in ctx:
                    (zh_ctx if clang == "zh" else en_ctx).append((text, doc))
            elif name == "descrip" and child.get("type") == "definition" and lang:
                text = self.clean(text_of(child))
                if e.definition is None:
                    e.definition = text
                elif text and text != e.definition:
                    notes.append(f"definition ({code}): {text}")
            elif name == "descripGrp" and lang:
                for sub in child:
                    if local(sub) == "descrip":
                        self.lang_section_item(sub, e, notes, code)
                    elif local(sub) and local(sub) != "admin":
                        self.other(sub, notes)
            elif name == "note" and lang:
                self.note(text_of(child), notes)
            elif name and name != "transacGrp" and lang:
                self.other(child, notes)

    def lang_section_item(self, descrip, e, notes, code) -> None:
        text = self.clean(text_of(descrip))
        if descrip.get("type") == "definition" and e.definition is None:
            e.definition = text
        elif text:
            notes.append(f"{descrip.get('type') or 'descrip'} ({code}): {text}")

    def term(self, sec, lang: str) -> tuple[TermData, list[tuple[str, str, str]]]:
        holder = sec
        terms = [c for c in sec if local(c) == "term"]
        if local(sec) == "ntig":
            grp = next((c for c in sec if local(c) == "termGrp"), None)
            holder = grp if grp is not None else sec
            terms = [c for c in holder if local(c) == "term"]
        if len(terms) != 1:
            raise self.where(sec)(f"{local(sec)} must hold exactly one <term> (found {len(terms)})")
        text = text_of(terms[0])
        t = TermData(lang=lang, text=text if self.exact else _WS.sub(" ", text).strip())
        notes: list[str] = []
        ctx: list[tuple[str, str, str]] = []
        items = list(holder) + ([c for c in sec if c is not holder] if holder is not sec else [])
        for child in items:
            name, typ = local(child), child.get("type")
            if name == "termNote":
                self.term_note(child, t, notes)
            elif name == "termNoteGrp":
                for sub in child:
                    if local(sub) == "termNote":
                        self.term_note(sub, t, notes)
            elif name == "descripGrp":
                d = next((c for c in child if local(c) == "descrip"), None)
                src = next((c for c in child if local(c) == "admin" and c.get("type") == "source"), None)
                if d is not None and d.get("type") == "context":
                    ctx.append((self.clean(text_of(d)) or "", self.clean(text_of(src)) or "" if src is not None else "",
                                lang_of(d.get(XML_LANG)) or lang))
                elif d is not None:
                    self.other(d, notes)
            elif name == "descrip" and typ == "context":
                ctx.append((self.clean(text_of(child)) or "", "", lang_of(child.get(XML_LANG)) or lang))
            elif name == "note":
                self.note(text_of(child), notes, term=t)
            elif name and name not in ("term", "termGrp", "transacGrp"):
                self.other(child, notes)
        t.note = "\n".join(notes) if notes else None
        return t, ctx

    def term_note(self, el, t: TermData, notes: list[str]) -> None:
        typ, value = el.get("type"), (text_of(el) or "").strip()
        if typ == "administrativeStatus":
            status = STATUS_IN.get(value.lower())
            if status is None:
                notes.append(f"administrativeStatus: {value}")
            elif not (status == "deprecated" and t.status == "forbidden"):
                t.status = status
        elif typ == "termType":
            tt = TERM_TYPES_IN.get(value.lower())
            if tt is None:
                notes.append(f"termType: {value}")
            else:
                t.term_type = tt
        elif typ == "partOfSpeech" and t.pos is None:
            t.pos = value or None
        else:
            notes.append(f"{typ or 'termNote'}: {value}")


def read(path: str | Path) -> list[EntryData]:
    """Read a TBX file of either dialect (v3 DCA, TBX 2008 martif); unknown categories become notes."""
    reader = _Reader(path)
    entries = Entries()
    root_checked = False
    for el in iter_elements(path, {"conceptEntry", "termEntry", "sourceDesc"}):
        if not root_checked:
            root = el.getroottree().getroot()
            if local(root) not in ("tbx", "martif"):
                raise InputError(f"{path}:{root.sourceline}: not a TBX file (root element <{local(root)}>)")
            root_checked = True
        if local(el) == "sourceDesc":
            reader.exact = reader.exact or text_of(el).strip().startswith(ORIGIN)
            continue
        entry = reader.entry(el)
        if entry is None:
            entries.warnings.append(f"{path}:{el.sourceline}: {local(el)} {el.get('id') or ''} "
                                    "has no zh or en term; skipped")
        else:
            entries.append(entry)
    if not root_checked:
        raise InputError(f"{path}: no conceptEntry/termEntry found (not a TBX file?)")
    return entries
