"""Command-line interface: thin click commands that parse options, call services and print with rich."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from glossary import __version__
from glossary.config import current_user, db_url_from
from glossary.errors import GlossaryError

console = Console()
err_console = Console(stderr=True)

# Command modules under glossary/commands/, each exposing register(group).
COMMAND_MODULES = ("ingest", "align", "mine", "review", "exchange", "lint", "admin")


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error on stderr and exit with `code`."""
    message = " | ".join(ln.strip() for ln in str(message).splitlines() if ln.strip())  # always one line
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise click.exceptions.Exit(code)


class GlossaryGroup(click.Group):
    """Root group: GlossaryError and plain OS errors become one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GlossaryError as exc:
            fail(str(exc), exc.exit_code)
        except (FileNotFoundError, IsADirectoryError, PermissionError, NotADirectoryError) as exc:
            name = getattr(exc, "filename", None)
            fail(f"{name}: {exc.strerror}" if name else str(exc), 2)
        except KeyboardInterrupt:
            fail("interrupted", 130)


@dataclass
class State:
    """What the global options resolve to; commands get it with `pass_state`."""

    db_url: str
    user: str
    _service: object | None = field(default=None, repr=False)

    def service(self):
        """The GlossaryService for this database (opened once; schema checked)."""
        if self._service is None:
            from glossary.store.service import GlossaryService

            self._service = GlossaryService.open(self.db_url, user=self.user)
        return self._service


pass_state = click.make_pass_decorator(State)


@click.group(cls=GlossaryGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", metavar="PATH", help="SQLite database file (default ./glossary.db).")
@click.option(
    "--db-url",
    metavar="URL",
    help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (also $GLOSSARY_DB_URL).",
)
@click.option("--user", metavar="NAME", help="Editor name recorded in history (also $GLOSSARY_USER).")
@click.version_option(__version__, "--version", prog_name="glossary")
@click.pass_context
def app(ctx: click.Context, db_path: str | None, db_url: str | None, user: str | None) -> None:
    """Chinese–English terminology manager: ingest, align, mine, review, export, import and lint."""
    ctx.obj = State(db_url=db_url_from(db_path, db_url), user=current_user(user))


@app.command()
@pass_state
def init(st: State) -> None:
    """Create the database, or upgrade it to the latest schema."""
    from glossary.store.db import upgrade

    rev = upgrade(st.db_url)
    console.print(f"[green]database ready[/green] {escape(st.db_url)} (schema {rev})")


@app.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@pass_state
def stats(st: State, as_json: bool) -> None:
    """Counts of entries by status, terms by language, documents and segments."""
    s = st.service().stats()
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    t = Table(title="glossary stats")
    t.add_column("what")
    t.add_column("count", justify="right")
    for status, n in s["entries_by_status"].items():
        t.add_row(f"entries {status}", str(n))
    t.add_row("entries total", str(s["entries"]))
    for lang, n in s["terms_by_language"].items():
        t.add_row(f"terms {lang}", str(n))
    for key in ("documents", "segments", "occurrences", "history"):
        t.add_row(key, str(s[key]))
    console.print(t)
    if s["by_document"]:
        d = Table(title="documents")
        for col in ("document", "format", "encoding", "segments"):
            d.add_column(col)
        for row in s["by_document"]:
            d.add_row(escape(row["name"]), row["format"], row["encoding"], str(row["segments"]))
        console.print(d)


def _register_commands() -> None:
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f"glossary.commands.{name}")
        except ModuleNotFoundError as exc:  # that command module is not written yet
            if exc.name == f"glossary.commands.{name}":
                continue
            raise
        mod.register(app)


_register_commands()


def main() -> None:
    """Entry point for the `glossary` console script."""
    app(prog_name="glossary")


if __name__ == "__main__":  # pragma: no cover
    main()
