"""CLI skeleton: init, stats, --version, --help, one-line errors with exit code 2."""

from __future__ import annotations

import json

from click.testing import CliRunner

from glossary import __version__
from glossary.cli import app


def run(*args, **kw):
    return CliRunner().invoke(app, list(args), catch_exceptions=False, **kw)


def test_version_and_help():
    r = run("--version")
    assert r.exit_code == 0 and __version__ in r.output
    r = run("--help")
    assert r.exit_code == 0 and "init" in r.output and "stats" in r.output
    for cmd in ("init", "stats"):
        assert run(cmd, "--help").exit_code == 0


def test_init_then_stats_json(tmp_path):
    db = str(tmp_path / "g.db")
    r = run("--db", db, "init")
    assert r.exit_code == 0, r.output
    r = run("--db", db, "init")  # idempotent
    assert r.exit_code == 0
    r = run("--db", db, "stats", "--json")
    assert r.exit_code == 0
    s = json.loads(r.output)
    assert s["entries"] == 0 and s["entries_by_status"] == {"proposed": 0, "approved": 0, "rejected": 0}


def test_env_var_selects_database(tmp_path, monkeypatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("GLOSSARY_DB_URL", f"sqlite:///{db}")
    assert run("init").exit_code == 0
    assert db.exists()


def test_missing_database_is_one_line_error(tmp_path):
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "none.db"), "stats"])
    assert r.exit_code == 2
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "glossary init" in lines[0] and "Traceback" not in r.output
    assert not (tmp_path / "none.db").exists()


def test_bad_directory_and_bad_url(tmp_path):
    r = CliRunner().invoke(app, ["--db", str(tmp_path / "no" / "dir.db"), "init"])
    assert r.exit_code == 2 and "does not exist" in r.output
    r = CliRunner().invoke(app, ["--db-url", "notaurl", "init"])
    assert r.exit_code == 2 and "notaurl" in r.output


def test_unknown_command_is_usage_error():
    r = CliRunner().invoke(app, ["frobnicate"])
    assert r.exit_code == 2
