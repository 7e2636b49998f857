"""Compiled glossary matcher: approved entries compiled once into key and anchor automata, scanned per text."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

import ahocorasick

from glossary.data import TermData
from glossary.lint.anchors import AnchorAutomaton, _anchor_automaton
from glossary.lint.concepts import Concept, EnScan, Match, Near, en_key, en_variants, is_acronym
from glossary.lint.keyscan import KeyAutomaton, _automaton, _match_en, _match_zh, _quiet
from glossary.lint.views import en_view, zh_view
from glossary.text.clean import match_form


@dataclass
class Glossary:
    """Concepts plus automata (English keys, Simplified Chinese keys, near-match anchors), compiled once."""

    concepts: list[Concept]
    en_auto: KeyAutomaton | None
    zh_auto: KeyAutomaton | None
    en_patterns: int = 0
    zh_patterns: int = 0
    # " word " / " word\x01" -> (len(word), [(index in nears, index of word, prev3, next3)]) (see iter_anchors)
    anchor_auto: AnchorAutomaton | None = None
    nears: list[Near] = field(default_factory=list)
    known_en: set[str] = field(default_factory=set)  # every English key in the glossary
    cut_marks: str = ""  # sentence marks no English key contains (see lint.parallel)
    max_key_len: int = 0  # longest English key
    marked_anchor_auto: ahocorasick.Automaton | None = None  # anchors with a sentence mark inside: " word"

    def scan_en(self, text: str, offset: int = 0, file=None, lean: bool = False) -> EnScan:
        """English matches (offsets + `offset`), with the view and matched norm spans for later checks.

        lean: leave out matches no English-only check can use (see `_quiet`); their spans are still kept."""
        view = en_view(text)
        return EnScan(view, *_match_en(self.en_auto, view, text, self.concepts, offset, file, lean))

    def match_en(self, text: str, offset: int = 0, file=None) -> list[Match]:
        return self.scan_en(text, offset, file).matches

    def match_zh(self, text: str, offset: int = 0, file=None) -> list[Match]:
        return _match_zh(self.zh_auto, zh_view(text), text, self.concepts, offset, file)


def compile_glossary(entries) -> Glossary:
    """Build the automata from approved entries; every English variant is expanded here, once."""
    enabled = gc.isenabled()
    gc.disable()  # millions of small long-lived objects: collections would only slow the build down
    try:
        return prepare(_compile(entries))
    finally:
        settle(enabled)


def prepare(g: Glossary) -> Glossary:
    """Build what scans would otherwise build on first use (the bulk scan's per-key tables, the anchor items'
    tables, the key index _shorter looks keys up in): compile work, done while compiling or loading from the
    cache rather than in the first lint (0.4 CPU-s at 100k terms)."""
    if g.en_auto is not None:
        g.en_auto.tables()
        g.en_auto._keys()
    if g.anchor_auto is not None:
        g.anchor_auto.tables(g.nears)
    return g


def settle(enabled: bool) -> None:
    """After building (or unpickling) a glossary with the collector off: move every object into the permanent
    generation (gc.freeze), then re-enable the collector. Otherwise the next collections would traverse the
    millions of new long-lived objects again and again (measured: the first lint of 1 MB after compiling a
    100k-term glossary took 1.66 CPU-s instead of 0.30), and forked workers' collections would copy every page.
    Frozen objects are still freed by reference counting; only cycles among them would be kept."""
    if enabled:
        gc.freeze()
        gc.enable()


def _compile(entries) -> Glossary:
    concepts: list[Concept] = []
    en_keys: dict[str, list] = {}
    zh_keys: dict[str, list] = {}
    near: list[tuple[Concept, TermData, list[str]]] = []
    for entry in entries:
        c = Concept(len(concepts), entry)
        concepts.append(c)
        for ti, t in enumerate(entry.terms):
            if t.lang == "en":
                acronym = t.text.strip() if is_acronym(t) else None
                quiet = _quiet(c, t, acronym is not None)
                for key, form in en_variants(t, acronym is not None).items():
                    en_keys.setdefault(" " + key, []).append((c.index, ti, form, acronym, quiet))
                if t.status == "preferred" and acronym is None:
                    words = en_key(t.text).split(" ")
                    if len(words) >= 2:
                        near.append((c, t, words))
            elif t.lang == "zh":
                key = match_form(t.text.strip())
                if key:
                    zh_keys.setdefault(key, []).append((c.index, ti, "base", None, 0))
    texts = {(c.index, ti): t.text for c in concepts for ti, t in enumerate(c.entry.terms)}
    known = {k[1:] for k in en_keys}
    in_keys = {c for k in known for c in k if c in ".,;:!?"}
    anchor_auto, marked_anchor_auto, nears = _anchor_automaton(near)
    return Glossary(concepts, _automaton(en_keys, texts), _automaton(zh_keys), len(en_keys), len(zh_keys),
                    anchor_auto, nears, known, "".join(c for c in ".;!?:," if c not in in_keys),
                    max((len(k) for k in known), default=0), marked_anchor_auto)
