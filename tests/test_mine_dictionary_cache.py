"""The miner's CC-CEDICT index cache (glossary/mine/dictionary.py): keyed by parser and data, never required."""

from __future__ import annotations

import pickle

import pytest

from glossary.mine import dictionary


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(tmp_path))
    dictionary.cedict.cache_clear()
    yield tmp_path
    dictionary.cedict.cache_clear()  # later tests load from their own cache directory again


def test_index_is_cached_under_a_key_of_parser_and_data_and_reread(fresh):
    (fresh / "mine-cedict-0123456789abcdef01234567.pickle").write_bytes(b"an older key")
    index = dictionary.cedict()
    files = sorted(p.name for p in fresh.iterdir())
    assert files == [dictionary._cache_path().name] and files[0].startswith("mine-cedict-")  # older key removed
    assert index["外交部"] >= {"foreig", "affair"}
    dictionary.cedict.cache_clear()
    with open(fresh / files[0], "rb") as fh:
        assert pickle.load(fh) == index
    assert dictionary.cedict() == index


def test_a_corrupt_cache_file_is_rebuilt(fresh):
    dictionary._cache_path().write_bytes(b"not a pickle")
    assert "外交部" in dictionary.cedict()
    dictionary.cedict.cache_clear()
    with open(dictionary._cache_path(), "rb") as fh:
        assert "外交部" in pickle.load(fh)
