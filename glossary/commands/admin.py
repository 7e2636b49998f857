"""`glossary backup`, `restore` and `check`: copies of the termbase and its integrity check."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape

from glossary.cli import State, console, err_console, pass_state


def _rows(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {t}" for t, n in counts.items())


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--portable", is_flag=True,
              help="Write a SQLite-format copy from any backend (restorable into SQLite or PostgreSQL; "
                   "no pg_dump needed).")
@pass_state
def backup_cmd(st: State, file: Path, force: bool, portable: bool) -> None:
    """Write a consistent copy of the database to FILE while others keep working.

    SQLite: the online backup API. PostgreSQL: pg_dump (custom format), or --portable.
    """
    from glossary.store.backup import backup

    info = backup(st.db_url, file, force=force, portable=portable)
    console.print(f"[green]backup written[/green] {escape(info.path)} ({info.kind}, schema {info.revision}; "
                  f"{_rows(info.rows)})", highlight=False, soft_wrap=True)


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace the content of a database that is not empty.")
@pass_state
def restore_cmd(st: State, file: Path, force: bool) -> None:
    """Replace the database's content with backup FILE, in one transaction.

    Accepts SQLite-format backups (into SQLite or PostgreSQL) and pg_dump archives (into PostgreSQL).
    Refuses a non-empty database unless --force.
    """
    from glossary.store.backup import restore

    info = restore(st.db_url, file, force=force)
    console.print(f"[green]restored[/green] {escape(info.path)} ({info.kind}, schema {info.revision}; "
                  f"{_rows(info.rows)})", highlight=False, soft_wrap=True)


@click.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_state
def check_cmd(st: State, as_json: bool) -> None:
    """Check the database's integrity: engine checks, schema revision, orphaned or partial rows.

    Exit code 0 when everything is consistent, 1 when problems were found.
    """
    from glossary.store.backup import check

    report = check(st.db_url)
    if as_json:
        click.echo(json.dumps({"ok": report.ok, "revision": report.revision, "problems": report.problems,
                               "counts": report.counts}, ensure_ascii=False, indent=2))
    elif report.ok:
        console.print(f"[green]ok[/green] schema {report.revision}; {_rows(report.counts)}", highlight=False)
    else:
        for p in report.problems:
            err_console.print(f"[red]problem:[/red] {escape(p)}", highlight=False, soft_wrap=True)
    if not report.ok:
        raise click.exceptions.Exit(1)


def register(group: click.Group) -> None:
    group.add_command(backup_cmd)
    group.add_command(restore_cmd)
    group.add_command(check_cmd)
