"""JSON Lines: the evaluation contract (keys, proposed translation) and the export/import commands."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from glossary.cli import app
from glossary.errors import InputError
from glossary.exchange import load_entries
from glossary.exchange.common import preferred
from glossary.store.bulk import import_entries
from tests.exchange_support import DATA, SAMPLE, fresh_service, sample_entries

CONTRACT = {"id", "status", "score", "terms", "sources", "note"}


@pytest.fixture
def db(tmp_path):
    svc = fresh_service(tmp_path)
    import_entries(svc, sample_entries(), on_duplicate="new")
    svc.close()
    return tmp_path / "g.db"


def _export(db, cwd, *args):
    result = CliRunner().invoke(app, ["--db", str(db), "export", *args], catch_exceptions=False)
    return result


def test_contract_keys_and_proposed_translation(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _export(db, tmp_path, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "exports").glob("glossary-*.jsonl"))
    assert len(files) == 1 and re.fullmatch(r"glossary-\d{8}-\d{6}\.jsonl", files[0].name)
    objs = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
    assert len(objs) == 19  # default --status all: proposals are included
    assert {o["status"] for o in objs} == {"proposed", "approved", "rejected"}
    for o in objs:
        assert CONTRACT <= set(o)
        assert all({"lang", "text", "status", "type"} <= set(t) for t in o["terms"])
        assert all("pinyin" in t for t in o["terms"] if t["lang"] == "zh")
        assert all(set(s) == {"document", "zh", "en"} for s in o["sources"])
    first = objs[0]
    en = [t for t in first["terms"] if t["lang"] == "en"]
    proposed = next((t for t in en if t["status"] == "preferred"), en[0])
    assert proposed["text"] == "New International Land-Sea Trade Corridor"
    assert first["sources"] and first["sources"][0]["document"].endswith(".txt")
    assert next(t for t in first["terms"] if t["lang"] == "zh")["pinyin"] == "xī bù lù hǎi xīn tōng dào"


def test_status_and_language_filters(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert _export(db, tmp_path, "--format", "jsonl", "-o", "a.jsonl", "--status", "approved",
                   "--lang", "en").exit_code == 0
    objs = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert objs and {o["status"] for o in objs} == {"approved"}
    assert {t["lang"] for o in objs for t in o["terms"]} == {"en"}


def test_export_path_cannot_escape_the_directory(db, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = CliRunner().invoke(app, ["--db", str(db), "export", "--format", "csv", "-o", "../../evil.csv"])
    assert result.exit_code == 2
    assert "escapes" in result.output and result.output.count("\n") == 1
    assert not (tmp_path.parent / "evil.csv").exists()
    ok = CliRunner().invoke(app, ["--db", str(db), "export", "--format", "csv", "-o", str(tmp_path / "abs.csv")])
    assert ok.exit_code == 0 and (tmp_path / "abs.csv").exists()


def test_import_command_round_trip_and_summary(db, tmp_path):
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "19 read, 0 created, 0 merged, 19 unchanged" in " ".join(result.output.split())
    tbx = DATA / "other_tool_martif.tbx"
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(tbx), "--on-duplicate", "skip"])
    assert result.exit_code == 0
    assert "2 read, 0 created, 0 merged, 0 unchanged, 2 skipped" in " ".join(result.output.split())
    result = CliRunner().invoke(app, ["--db", str(db), "import", str(tbx)])  # default: merge
    assert "2 read, 0 created, 1 merged, 1 unchanged, 0 skipped" in " ".join(result.output.split())


def test_proposed_translation_helper():
    entries = load_entries(SAMPLE)
    assert preferred(entries[0], "en").text == "New International Land-Sea Trade Corridor"


def test_malformed_line_names_line_and_column(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:2] + ['{"id": 3, "terms": [}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:3:21: invalid JSON"):
        load_entries(path)
    path.write_text('{"id": 1, "status": "approved", "terms": [{"lang": "fr", "text": "x"}]}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:1: unknown term language 'fr'"):
        load_entries(path)
