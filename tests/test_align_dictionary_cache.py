"""CC-CEDICT tables for the aligner: the on-disk cache gives exactly the parsed tables and is never required."""

from __future__ import annotations

import os

from glossary.align import dictionary as D


def test_cache_round_trip_gives_the_parsed_tables(tmp_path):
    lex, table, cached = D.load_tables(tmp_path)
    assert not cached and len(lex) > 100_000
    parsed = D._parse_cedict()
    assert lex == parsed and table == D._build_prefix_table(parsed)
    files = list(tmp_path.glob("align-cedict-*.pickle"))
    assert len(files) == 1 and D.cache_key()[:24] in files[0].name
    assert not list(tmp_path.glob(".align-cedict-*"))  # no temporary file left behind
    lex2, table2, cached2 = D.load_tables(tmp_path)
    assert cached2 and lex2 == lex and table2 == table
    assert table2["中华人民共和"] == frozenset() and table2["中国"] is lex2["中国"]  # shared objects survive


SMALL = {"中国": frozenset({"china"}), "中国人": frozenset({"chine"}), "人": frozenset({"perso", "peopl"})}


def test_corrupt_or_stale_cache_is_ignored_and_replaced(tmp_path, monkeypatch):
    monkeypatch.setattr(D, "_parse_cedict", lambda: dict(SMALL))
    D.load_tables(tmp_path)
    (path,) = tmp_path.glob("align-cedict-*.pickle")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # truncated
    stale = tmp_path / "align-cedict-0000.pickle"
    stale.write_bytes(b"old")
    lex, _, cached = D.load_tables(tmp_path)
    assert not cached and "中国" in lex
    assert [p.name for p in tmp_path.glob("align-cedict-*.pickle")] == [path.name]  # rewritten, stale one gone
    assert D.load_tables(tmp_path)[2]


def test_unwritable_cache_directory_still_gives_the_tables(tmp_path, monkeypatch):
    monkeypatch.setattr(D, "_parse_cedict", lambda: dict(SMALL))
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    lex, table, cached = D.load_tables(blocker / "sub")
    assert not cached and lex == SMALL and table["中"] == frozenset() and table["中国"] == SMALL["中国"]


def test_key_follows_the_data_file(tmp_path):
    data = tmp_path / "cedict.txt.gz"
    data.write_bytes(D._cedict_path().read_bytes()[:-10] + b"0123456789")
    assert D.cache_key(data) != D.cache_key()
