"""Compiled-glossary cache: the automata pickled once per set of approved entries, so lint runs skip compiling.

The key is a SHA-256 of every entry's terms (language, text, type, usage status, in order) plus the matcher's
own source, so a changed glossary or a changed compiler never reads a stale automaton. Only plain data is
stored (automata whose values are tuples of numbers and strings); the concepts are rebuilt from the entries
the caller already holds. Files live in $GLOSSARY_CACHE_DIR, else $XDG_CACHE_HOME/glossary, else
~/.cache/glossary, as lint-<key>.pickle; a file that cannot be read is ignored (and rewritten).
"""

from __future__ import annotations

import gc
import hashlib
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from glossary.data import EntryData
from glossary.diskcache import cache_dir, write_pickle
from glossary.lint import anchors, concepts, keyscan, matcher, views
from glossary.lint.concepts import Concept, Near
from glossary.lint.matcher import Glossary, compile_glossary, prepare, settle

MIN_ENTRIES = 2_000  # smaller glossaries compile faster than a cache file loads
_FORMAT = 2


@dataclass
class CompileInfo:
    seconds: float  # wall time to get the compiled glossary (compile, or hash + load)
    cached: bool  # read from the cache
    path: Path | None = None  # the cache file used or written


def _code_hash() -> bytes:
    """The compiler's source: the matcher, its key and anchor automata, and the text views keys are folded with
    (the pickled automata are these modules' classes)."""
    h = hashlib.sha256()
    for mod in (matcher, concepts, keyscan, anchors, views):
        h.update(Path(mod.__file__).read_bytes())
    return h.digest()


def entries_key(entries: list[EntryData]) -> str:
    """SHA-256 over what compiling reads from the entries, and the compiler's source."""
    h = hashlib.sha256(_code_hash())
    h.update(str(_FORMAT).encode())
    for e in entries:
        h.update("\x1e".join("\x1f".join((t.lang, t.text, t.term_type or "", t.status or "")) for t in e.terms)
                 .encode("utf-8", "surrogatepass"))
        h.update(b"\x1d")
    return h.hexdigest()


def _state(g: Glossary) -> dict:
    nears = [(n.concept.index, _term_index(n.concept, n.term), n.words, n.key, n.plural_key, n.numerals)
             for n in g.nears]
    return {"en_auto": g.en_auto, "zh_auto": g.zh_auto, "anchor_auto": g.anchor_auto, "nears": nears,
            "en_patterns": g.en_patterns, "zh_patterns": g.zh_patterns, "known_en": g.known_en,
            "cut_marks": g.cut_marks, "max_key_len": g.max_key_len,
            "marked_anchor_auto": g.marked_anchor_auto}


def _term_index(c: Concept, term) -> int:
    return next(i for i, t in enumerate(c.entry.terms) if t is term)


def _restore(state: dict, entries: list[EntryData]) -> Glossary:
    concepts = [Concept(i, e) for i, e in enumerate(entries)]
    nears = [Near(concepts[ci], concepts[ci].entry.terms[ti], words, key, pk, nums)
             for ci, ti, words, key, pk, nums in state["nears"]]
    return Glossary(concepts, state["en_auto"], state["zh_auto"], state["en_patterns"], state["zh_patterns"],
                    state["anchor_auto"], nears, state["known_en"], state["cut_marks"], state["max_key_len"],
                    state["marked_anchor_auto"])


def load_or_compile(entries, directory: str | Path | None = None, min_entries: int | None = None
                    ) -> tuple[Glossary, CompileInfo]:
    """The compiled glossary from the cache when its key matches, else compiled (and stored).
    Glossaries under `min_entries` (default MIN_ENTRIES) are compiled without the cache."""
    t0 = time.perf_counter()
    entries = list(entries)
    if len(entries) < (MIN_ENTRIES if min_entries is None else min_entries):
        return compile_glossary(entries), CompileInfo(time.perf_counter() - t0, False)
    path = Path(directory or cache_dir()) / f"lint-{entries_key(entries)}.pickle"
    try:
        # millions of small objects: the collector would run (and find nothing) many times meanwhile
        enabled = gc.isenabled()
        gc.disable()
        try:
            with open(path, "rb") as fh:
                g = prepare(_restore(pickle.load(fh), entries))
        finally:
            settle(enabled)
        return g, CompileInfo(time.perf_counter() - t0, True, path)
    except (OSError, pickle.UnpicklingError, EOFError, KeyError, TypeError, ValueError, IndexError,
            AttributeError):
        pass
    g = compile_glossary(entries)
    _store(path, _state(g))
    return g, CompileInfo(time.perf_counter() - t0, False, path)


def _store(path: Path, state: dict) -> None:
    """Write atomically (a temporary file renamed); a cache that cannot be written is no error."""
    write_pickle(path, state)
