"""Round trip for every full-fidelity format: export → import into an empty DB → export gives identical content."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.data import EntryData, TermData
from glossary.store.bulk import import_entries
from tests.exchange_support import ROUND_TRIP_FORMATS, fresh_service, round_trip, sample_entries


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
def test_sample_glossary_round_trips(tmp_path, fmt):
    svc = fresh_service(tmp_path)
    try:
        report = import_entries(svc, sample_entries(), on_duplicate="new", source="sample")
        assert report.created == 19
        db1, file1, db2, file2 = round_trip(svc, tmp_path, fmt)
        assert len(db1) == 19
        assert file1 == db1, "the export must carry everything stored"
        assert db2 == db1, "importing the export must rebuild the same entries"
        assert file2 == file1, "exporting again must give identical content"
    finally:
        svc.close()


# XML 1.0 cannot carry C0 controls or surrogates; every other code point must survive every format.
_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_TRAD = st.sampled_from("國際經濟區與為發達龍門東體")
_ANY = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
_EDGY = st.sampled_from(["\u00a0", "\u3000", "\u200b", "\u0301", "\ufeff", "—", "’", "“", "&", "<", ">", '"',
                         "'", "=", "+", "-", "@", "\t", "\n", "\r", "🚄", "𠀀", "Ａ", "\u202e", ";", ",", "|"])
_TEXT = st.text(st.one_of(_ANY, _EDGY, _CJK), min_size=1, max_size=25)
_ZH = st.text(st.one_of(_CJK, _TRAD, st.sampled_from("·—（）0123 ")), min_size=1, max_size=12)
_EN = st.text(st.one_of(st.sampled_from(string.ascii_letters + " -'’&/.()"), _ANY), min_size=1, max_size=30)
_OPT = st.none() | _TEXT


@st.composite
def _term(draw, lang):
    return TermData(
        lang=lang, text=draw(_ZH if lang == "zh" else _EN),
        term_type=draw(st.sampled_from(["fullForm", "acronym", "abbreviation", "shortForm", "variant"])),
        status=draw(st.sampled_from(["preferred", "admitted", "deprecated", "forbidden"])),
        pos=draw(st.none() | st.sampled_from(["noun", "verb", "ns", "nr", "other"])),
        note=draw(_OPT),
    )


@st.composite
def _entry(draw):
    terms = draw(st.lists(_term("zh"), min_size=1, max_size=3)) + draw(st.lists(_term("en"), max_size=4))
    sources = draw(st.lists(st.fixed_dictionaries({
        "document": st.sampled_from(["a.txt", "b.txt", "新闻 2024.txt"]), "zh": _ZH, "en": _EN}), max_size=2))
    return EntryData(
        terms=terms, status=draw(st.sampled_from(["proposed", "approved", "rejected"])),
        score=draw(st.none() | st.floats(0, 1, allow_nan=False)), subject=draw(_OPT),
        definition=draw(_OPT), note=draw(_OPT), sources=sources,
    )


def _usable(entries):
    """Skip generated terms whose text is empty once the store trims it (the store refuses those)."""
    out = []
    for e in entries:
        e.terms = [t for t in e.terms if t.text.strip()]
        if any(t.lang == "zh" for t in e.terms):
            out.append(e)
    return out


_SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _check_round_trip(tmp, fmt, glossary):
    svc = fresh_service(tmp)
    try:
        import_entries(svc, _usable(glossary), on_duplicate="new")
        db1, file1, db2, file2 = round_trip(svc, tmp, fmt)
        assert file1 == db1
        assert db2 == db1
        assert file2 == file1
    finally:
        svc.close()


@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
@settings(max_examples=5, **_SETTINGS)
@given(glossary=st.lists(_entry(), min_size=1, max_size=5))
def test_random_glossaries_round_trip(tmp_path_factory, fmt, glossary):
    _check_round_trip(tmp_path_factory.mktemp(fmt), fmt, glossary)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ROUND_TRIP_FORMATS)
@settings(max_examples=80, **_SETTINGS)
@given(glossary=st.lists(_entry(), min_size=1, max_size=8))
def test_random_glossaries_round_trip_many(tmp_path_factory, fmt, glossary):
    _check_round_trip(tmp_path_factory.mktemp(fmt), fmt, glossary)
