"""`glossary lint`: check drafts against the approved glossary (text, JSON or SARIF; exit 0/1/2)."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import click

from glossary.cli import State, err_console, pass_state
from glossary.errors import InputError


@contextmanager
def _progress(total: int):
    """A transient rich progress bar on stderr (only on a terminal, only for several files)."""
    if total < 2 or not err_console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("lint"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                  console=err_console, transient=True) as bar:
        task = bar.add_task("", total=total)
        yield lambda done, _total, path: bar.update(task, completed=done, description=path)


def _entries(st: State, glossary_file: str | None):
    """Approved entries from the database, or every non-rejected entry of an importable glossary file."""
    if glossary_file:
        try:
            from glossary.exchange import load_entries
        except ImportError:
            raise InputError(f"{glossary_file}: glossary files cannot be read yet (exchange not installed)") \
                from None
        return [e for e in load_entries(glossary_file) if e.status != "rejected"]
    return list(st.service().iter_entries(statuses=("approved",)))


@click.command("lint")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="Report format.")
@click.option("--severity-threshold", type=click.Choice(["warning", "error"]), default="warning",
              show_default=True, help="Exit 1 when a finding at or above this severity remains.")
@click.option("--glossary", "glossary_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the glossary from a TBX/XLSX/CSV/TSV/JSONL file instead of the database.")
@click.option("--zh", "zh_file", type=click.Path(exists=True, dir_okay=False), help="Chinese side of a pair.")
@click.option("--en", "en_file", type=click.Path(exists=True, dir_okay=False), help="English side of a pair.")
@click.option("--unaligned", is_flag=True, help="--zh/--en files are not line-aligned: run the aligner.")
@click.option("--scope", type=click.Choice(["document", "project"]), default="document", show_default=True,
              help="Where inconsistent translations are looked for.")
@click.option("--ignore-file", type=click.Path(exists=True, dir_okay=False),
              help="Ignore list (default: nearest .glossary-lint-ignore).")
@click.option("--no-ignore-file", is_flag=True, help="Do not read any .glossary-lint-ignore.")
@click.option("--color/--no-color", "colour", default=None, help="Colour text output (default: on a terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report here.")
@pass_state
def lint(st: State, files, fmt, severity_threshold, glossary_file, zh_file, en_file, unaligned, scope,
         ignore_file, no_ignore_file, colour, output) -> None:
    """Check drafts (English, Chinese or bilingual: txt, md, docx, TMX, XLIFF, TSV, --zh/--en pairs).

    A large glossary's compiled automata are cached per content (GLOSSARY_CACHE_DIR, default
    ~/.cache/glossary; GLOSSARY_NO_CACHE=1 compiles afresh)."""
    from glossary.lint.checks import at_or_above
    from glossary.lint.report import render, summary
    from glossary.lint.runner import run_lint

    if bool(zh_file) != bool(en_file):
        raise click.UsageError("--zh and --en go together")
    if not files and not zh_file:
        raise click.UsageError("name at least one FILE (or --zh and --en)")
    entries = _entries(st, glossary_file)
    with _progress(len(files)) as advance:
        result = run_lint(files, entries, zh=zh_file, en=en_file, unaligned=unaligned, scope=scope,
                          ignore_file=ignore_file, use_ignore_file=not no_ignore_file, progress=advance,
                          cache=not os.environ.get("GLOSSARY_NO_CACHE"))
    if colour is None:
        colour = output is None and sys.stdout.isatty()
    report = render(result.findings, fmt, colour)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(report)
    else:
        click.echo(report, nl=False, color=colour)
    if fmt == "text" or output:
        err_console.print(summary(result.findings, result.files, result.suppressed), highlight=False)
        if result.compile_seconds >= 1.0:
            how = "read from the cache" if result.compile_cached else "compiled"
            err_console.print(f"glossary {how} in {result.compile_seconds:.1f} s", highlight=False)
    raise click.exceptions.Exit(1 if at_or_above(result.findings, severity_threshold) else 0)


def register(group: click.Group) -> None:
    group.add_command(lint)
