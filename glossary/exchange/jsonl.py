"""JSON Lines read + write: one entry per line, the miner's evaluation contract plus full-fidelity fields."""

from __future__ import annotations

import json
from pathlib import Path

from glossary.data import EntryData, TermData
from glossary.errors import input_error
from glossary.exchange.common import Progress, check_entry, opt, parse_score, positioned, read_text

ENTRY_EXTRA = ("subject", "definition", "created_at", "created_by", "updated_at", "updated_by")


def term_obj(t: TermData) -> dict:
    obj = {"lang": t.lang, "text": t.text, "status": t.status, "type": t.term_type}
    if t.pinyin is not None:
        obj["pinyin"] = t.pinyin
    for key in ("original", "pos", "note"):
        value = getattr(t, key)
        if value is not None:
            obj[key] = value
    return obj


def entry_obj(e: EntryData) -> dict:
    """The contract: id, status, score, terms, sources, note (then optional extra keys)."""
    obj = {
        "id": e.id, "status": e.status, "score": e.score,
        "terms": [term_obj(t) for t in e.terms],
        "sources": [{"document": s.get("document") or "", "zh": s.get("zh") or "", "en": s.get("en") or ""}
                    for s in e.sources],
        "note": e.note,
    }
    for key in ENTRY_EXTRA:
        value = getattr(e, key)
        if value is not None:
            obj[key] = value
    return obj


def write(entries, path: str | Path, progress: Progress = None, **_ignored) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for n, e in enumerate(entries, 1):
            f.write(json.dumps(entry_obj(e), ensure_ascii=False))
            f.write("\n")
            if progress and n % 1000 == 0:
                progress(1000)
    if progress:
        progress(n % 1000)
    return n


def _term(obj, where) -> TermData:
    if not isinstance(obj, dict) or "lang" not in obj or "text" not in obj:
        raise where("each term needs at least 'lang' and 'text'")
    return TermData(
        lang=str(obj["lang"]), text=str(obj["text"]), term_type=obj.get("type") or "fullForm",
        status=obj.get("status") or "admitted", pinyin=opt(obj.get("pinyin")),
        original=opt(obj.get("original")), pos=opt(obj.get("pos")), note=opt(obj.get("note")),
    )


def parse_line(obj, where) -> EntryData:
    if not isinstance(obj, dict):
        raise where("each line must be a JSON object")
    terms = obj.get("terms")
    if not isinstance(terms, list):
        raise where("missing 'terms' list")
    sources = obj.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        raise where("'sources' must be a list of objects")
    e = EntryData(
        terms=[_term(t, where) for t in terms], status=obj.get("status") or "proposed",
        score=parse_score(obj.get("score"), where), note=opt(obj.get("note")),
        id=obj.get("id") if isinstance(obj.get("id"), int) else None,
        sources=[{"document": str(s.get("document") or ""), "zh": str(s.get("zh") or ""),
                  "en": str(s.get("en") or "")} for s in sources],
    )
    for key in ENTRY_EXTRA:
        setattr(e, key, opt(obj.get(key)))
    return check_entry(e, where)


def read(path: str | Path) -> list[EntryData]:
    entries = []
    for i, line in enumerate(read_text(path).split("\n"), 1):
        if not line.strip():
            continue
        where = positioned(path, i)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise input_error(str(path), f"invalid JSON: {exc.msg}", i, exc.colno) from None
        except RecursionError:
            raise input_error(str(path), "JSON nested too deeply", i, 1) from None
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits (int/str conversion limit)
            raise input_error(str(path), f"invalid JSON: {str(exc).splitlines()[0]}", i, 1) from None
        entries.append(parse_line(obj, where))
    return entries
