"""`glossary ingest`: read, clean and align files (or a zh/en pair) and store them, each document all or nothing."""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from glossary.cli import State, console, err_console, fail, pass_state
from glossary.errors import GlossaryError

MAX_ISSUES_SHOWN = 20
MAX_FILES_LISTED = 50  # more files: the summary table groups them by format (-v lists each)


def _progress() -> Progress:
    return Progress(TextColumn("[bold]ingest[/bold] {task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=True,
                    disable=not err_console.is_terminal)


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--zh", "zh_file", type=click.Path(path_type=Path), help="Chinese file of a zh/en pair.")
@click.option("--en", "en_file", type=click.Path(path_type=Path), help="English file of a zh/en pair.")
@click.option("--unaligned", is_flag=True, help="The --zh/--en files are not line-aligned: align them.")
@click.option("--format", "fmt", type=click.Choice(["auto", "mixed", "tmx", "xliff", "tsv"]), default="auto",
              show_default=True, help="Force a format for PATHs instead of detecting it.")
@click.option("--no-anchors", is_flag=True, help="Do not use approved glossary pairs as alignment anchors.")
@click.option("-v", "--verbose", is_flag=True, help="List every file and every skipped (untranslated) sentence.")
@pass_state
def ingest(st: State, paths: tuple[Path, ...], zh_file: Path | None, en_file: Path | None, unaligned: bool,
           fmt: str, no_anchors: bool, verbose: bool) -> None:
    """Read bilingual files (raw mixed zh/en documents, TMX, XLIFF, zh<TAB>en TSV; directories recursively),
    clean and align them, and store documents with their segment pairs (re-ingesting the same bytes is a no-op).

    Exit code: 0 all stored, 1 some files were refused (others stored), 2 nothing could be ingested.
    """
    from glossary.ingest import anchors_of, iter_input_files, read_pair
    from glossary.pool import file_jobs

    if bool(zh_file) != bool(en_file):
        fail("--zh and --en must be given together")
    if unaligned and not zh_file:
        fail("--unaligned needs --zh FILE --en FILE")
    if not paths and not zh_file:
        fail("nothing to ingest: give PATH... or --zh FILE --en FILE")
    for p in [*paths, *(x for x in (zh_file, en_file) if x)]:
        if not p.exists():
            fail(f"{p}: no such file or directory")
    svc = st.service()
    pairs = [] if no_anchors else svc.approved_pairs()
    anchors = anchors_of(pairs)
    files = iter_input_files(paths)
    if not files and not zh_file:
        fail("no input files found (looked for " + ", ".join(sorted({".txt", ".tmx", ".xlf", ".tsv"})) + " …)")
    first: list[tuple[str, object]] = []
    if zh_file:
        first.append((f"{zh_file}+{en_file}", lambda: read_pair(zh_file, en_file, unaligned, anchors)))
    total = len(files) + len(first)
    jobs = itertools.chain(first, file_jobs(files, pairs, anchors, None if fmt == "auto" else fmt))

    rows, errors, issues, skipped = [], [], [], []
    with _progress() as prog, svc.document_writer() as writer:
        task = prog.add_task("", total=total)
        for name, job in jobs:
            prog.update(task, description=escape(Path(name).name[:40]))
            try:
                doc = job()
                kinds: Counter = Counter(p.bead for p in doc.pairs)
                if doc.batches is not None:
                    doc.batches = _counted(doc.batches, kinds)
                doc_id, created = writer.store(doc)
            except GlossaryError as exc:
                errors.append(str(exc))
                err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
            else:
                rows.append((_Row(doc.raw.path, doc.raw.format, doc.raw.encoding, kinds, len(doc.skipped)), created))
                issues.extend(doc.issues and [(doc.raw.path, i) for i in doc.issues])
                skipped.extend(doc.skipped)
            prog.advance(task)
    if rows or total > 1:  # a single refused file: just its one-line error
        _summary(rows, errors, issues, skipped, verbose)
    if errors:
        raise click.exceptions.Exit(2 if not rows else 1)


@dataclass
class _Row:
    """What the summary needs of one ingested document (the pairs themselves are not kept)."""

    path: str
    format: str
    encoding: str
    kinds: Counter
    skipped: int


def _counted(batches, kinds: Counter):
    for batch in batches:
        kinds.update(p.bead for p in batch)
        yield batch


def _summary(rows, errors, issues, skipped, verbose: bool) -> None:
    if len(rows) > MAX_FILES_LISTED and not verbose:
        _grouped_table(rows)
    elif rows:
        t = Table(title="ingested", title_justify="left")
        t.add_column("file", overflow="fold")
        for col, just in (("format", "left"), ("encoding", "left"), ("pairs", "right"),
                          ("beads", "left"), ("skipped", "right"), ("status", "left")):
            t.add_column(col, justify=just)
        for row, created in rows:
            t.add_row(escape(_short(row.path)), row.format, row.encoding, str(sum(row.kinds.values())),
                      " ".join(f"{k}:{v}" for k, v in sorted(row.kinds.items())), str(row.skipped),
                      "stored" if created else "[dim]already stored (same sha256)[/dim]")
        console.print(t)
    moj = [(p, i) for p, i in issues if i.kind == "mojibake"]
    ruby = [(p, i) for p, i in issues if i.kind == "ruby"]
    if ruby:
        n = sum(int(i.message.split()[1]) for _, i in ruby if i.message.split()[1].isdigit())
        console.print(f"pinyin ruby removed: {n} annotation(s) in {len({p for p, _ in ruby})} file(s)")
    for p, i in moj[:MAX_ISSUES_SHOWN]:
        console.print(f"[yellow]warning:[/yellow] {escape(p)}:{i.line}:{i.col}: mojibake {escape(repr(i.text))} "
                      "kept out of alignment and mining", highlight=False, soft_wrap=True)
    if len(moj) > MAX_ISSUES_SHOWN:
        console.print(f"… and {len(moj) - MAX_ISSUES_SHOWN} more mojibake spans")
    if skipped:
        console.print(f"skipped (not paired): {len(skipped)} sentence(s)/pair(s) — untranslated or mojibake"
                      + ("" if verbose else "; use -v to list them"))
        if verbose:
            for s in skipped:
                console.print("  " + escape(s), highlight=False, soft_wrap=True)
    stored = sum(1 for _, c in rows if c)
    console.print(f"files: {len(rows) + len(errors)} read, {stored} stored, {len(rows) - stored} unchanged, "
                  f"{len(errors)} refused; segments stored: {sum(sum(r.kinds.values()) for r, c in rows if c)}")
    sys.stdout.flush()


def _grouped_table(rows) -> None:
    """Many files: one line per (format, encoding, status) instead of one per file (rendering a rich table of
    thousands of rows cost more CPU than storing them)."""
    groups: dict[tuple[str, str, bool], list] = {}
    for row, created in rows:
        g = groups.setdefault((row.format, row.encoding, created), [0, Counter(), 0])
        g[0] += 1
        g[1].update(row.kinds)
        g[2] += row.skipped
    t = Table(title=f"ingested {len(rows)} files (-v lists each file)", title_justify="left")
    for col, just in (("format", "left"), ("encoding", "left"), ("files", "right"), ("pairs", "right"),
                      ("beads", "left"), ("skipped", "right"), ("status", "left")):
        t.add_column(col, justify=just)
    for (fmt, enc, created), (n, kinds, sk) in sorted(groups.items(), key=lambda kv: (not kv[0][2], kv[0][:2])):
        t.add_row(fmt, enc, str(n), str(sum(kinds.values())), " ".join(f"{k}:{v}" for k, v in sorted(kinds.items())),
                  str(sk), "stored" if created else "[dim]already stored (same sha256)[/dim]")
    console.print(t)


def register(group: click.Group) -> None:
    group.add_command(ingest)


def _short(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path
