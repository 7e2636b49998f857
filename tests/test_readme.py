"""README stays true to the CLI: every command and every option of every command is documented or listed."""

from __future__ import annotations

import re
from pathlib import Path

import click

from glossary.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme_cli_table():
    table = README[README.index("| command | what it does |"):README.index("Exit codes:")]
    for name in app.commands:
        assert re.search(rf"`{name}\b", table), f"command {name!r} missing from README's CLI table"


def test_readme_names_no_command_that_does_not_exist():
    table = README[README.index("| command | what it does |"):README.index("Exit codes:")]
    named = set(re.findall(r"^\| `([a-z]+)", table, re.M)) | set(re.findall(r", `([a-z]+) ", table))
    assert named <= set(app.commands), named - set(app.commands)


def test_every_long_option_appears_in_readme():
    missing = []
    for name, cmd in app.commands.items():
        for param in cmd.params:
            if isinstance(param, click.Option):
                longs = [o for o in param.opts if o.startswith("--") and o != "--help"]
                if longs and not any(o in README for o in longs):
                    missing.append(f"{name} {longs[0]}")
    assert not missing, f"options not documented in README: {missing}"


def test_two_commands_are_shown():
    assert "make run" in README and "make test" in README
