"""Group variants into one entry: zh script forms, English casing/hyphen variants, competing translations,
acronyms, nested/compositional duplicates, and rapidfuzz near-duplicate suggestions."""

from __future__ import annotations

from collections import Counter

from rapidfuzz import fuzz

from glossary.mine.en_candidates import acronym_matches, en_key, tokenize


def preferred_surface(surfaces: Counter) -> str:
    """Most frequent spelling; ties go to the one with more capitals (proper names keep their case)."""
    def rank(kv):
        text, n = kv
        return (not text.endswith("s") or text.endswith("ss"), n, sum(c.isupper() for c in text), text)

    return max(surfaces.items(), key=rank)[0]


def link_acronyms(en_forms: list[str], known: dict[str, set[str]], seen_acronyms: Counter) -> list[str]:
    """Acronyms for any of the English forms: from 'Expansion (ACR)' in the corpus, or whose letters are the
    initials of a form and that occur in the corpus on their own."""
    out: list[str] = []
    for form in en_forms:
        for acr in sorted(known.get(en_key(form), ())):
            if acr not in out:
                out.append(acr)
        toks = tokenize(form)
        if len(toks) < 2 or not form:
            continue
        for acr in _by_initial(seen_acronyms).get(form[0].upper(), ()):
            if acr not in out and acronym_matches(acr, toks):
                out.append(acr)
    return out


_INDEX: dict[int, tuple[Counter, dict[str, list[str]]]] = {}


def _by_initial(seen: Counter) -> dict[str, list[str]]:
    """Seen acronyms of 3+ letters by first letter, most frequent first (indexed once per Counter)."""
    got = _INDEX.get(id(seen))
    if got is None or got[0] is not seen:  # the miner builds the Counter once and never changes it
        index: dict[str, list[str]] = {}
        for acr, _ in seen.most_common():
            if len(acr) >= 3:
                index.setdefault(acr[0], []).append(acr)
        _INDEX.clear()
        _INDEX[id(seen)] = got = (seen, index)
    return got[1]


def near_duplicates(items: list[tuple[str, str]], threshold: float = 90.0) -> dict[int, list[int]]:
    """{i: [j, ...]} for entries whose English forms are near-identical (rapidfuzz) or whose zh forms nest
    with the same English: suggestions an editor may want to merge."""
    out: dict[int, list[int]] = {}
    keys = [(zh, en_key(en)) for zh, en in items]
    blocks: dict[str, list[int]] = {}
    for i, (_, e) in enumerate(keys):  # block on the first English word: linear in practice
        blocks.setdefault(e.split(" ")[0] if e else "", []).append(i)
    for i, j in ((i, j) for b in blocks.values() for x, i in enumerate(b) for j in b[x + 1:]):
        zi, ei = keys[i]
        if True:
            zj, ej = keys[j]
            same_en = ei == ej or (min(len(ei), len(ej)) >= 8 and fuzz.ratio(ei, ej) >= threshold)
            if same_en or ((zi in zj or zj in zi) and fuzz.token_set_ratio(ei, ej) >= threshold):
                out.setdefault(i, []).append(j)
                out.setdefault(j, []).append(i)
    return out


def contains_key(longer: str, shorter: str) -> bool:
    """Whole-word containment of English keys."""
    return f" {shorter} " in f" {longer} "
