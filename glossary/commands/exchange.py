"""CLI commands `export` and `import`: glossary files in XLSX, TBX v3, TBX 2008, CSV/TSV, OmegaT and JSONL."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from rich.markup import escape

from glossary.cli import State, console, err_console, pass_state
from glossary.errors import InputError

EXPORT_DIR = "exports"
STATUS_CHOICES = ("proposed", "approved", "rejected", "all")


def default_export_path(fmt: str, now: datetime | None = None) -> Path:
    from glossary.exchange import FORMATS

    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = "-tbx2008" if fmt == "tbx2008" else ""
    return Path(EXPORT_DIR) / f"glossary-{stamp}{suffix}.{FORMATS[fmt]}"


def safe_output_path(out: str | Path, base: Path | None = None) -> Path:
    """Relative output paths must stay inside `base` (the current directory); absolute paths are the user's."""
    p = Path(out)
    if p.is_absolute():
        return p
    base = (base or Path.cwd()).resolve()
    target = (base / p).resolve()
    if target != base and base not in target.parents:
        raise InputError(f"{out}: export path escapes {base} (give an absolute path to write elsewhere)")
    return target


@contextmanager
def progress_bar(label: str, total: int | None):
    """A rich progress bar on stderr (quiet when stderr is not a terminal); yields an advance(n) callable."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _langs(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    langs = tuple(x.strip() for x in value.split(",") if x.strip())
    bad = [x for x in langs if x not in ("zh", "en")]
    if bad:
        raise InputError(f"--lang: unknown language(s) {', '.join(bad)} (zh, en)")
    return langs


def register(group: click.Group) -> None:
    from glossary.exchange import FORMATS
    from glossary.store.bulk import ON_DUPLICATE

    @group.command("export")
    @click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="xlsx", show_default=True,
                  help="xlsx | tbx (v3, TBX-Basic DCA) | tbx2008 (martif) | csv | tsv | omegat | jsonl.")
    @click.option("-o", "--output", metavar="FILE",
                  help=f"Output file (default {EXPORT_DIR}/glossary-YYYYmmdd-HHMMSS.<ext>).")
    @click.option("--status", type=click.Choice(STATUS_CHOICES), default="all", show_default=True,
                  help="Which entries to export.")
    @click.option("--lang", "langs", metavar="zh,en", help="Only these languages' terms (default both).")
    @click.option("--sources", "max_sources", type=click.IntRange(0), default=3, show_default=True,
                  help="Source sentence pairs per entry (context).")
    @click.option("--bom", is_flag=True, help="CSV/TSV/OmegaT: start with a UTF-8 BOM (for Excel).")
    @pass_state
    def export_cmd(st: State, fmt: str, output: str | None, status: str, langs: str | None,
                   max_sources: int, bom: bool) -> None:
        """Export the glossary (JSONL: one JSON object per entry; default --status all)."""
        from glossary.exchange import write_entries
        from glossary.exchange.common import filter_langs
        from glossary.store.bulk import iter_export_entries

        lang_filter = _langs(langs)
        path = safe_output_path(output or default_export_path(fmt))
        svc = st.service()
        statuses = None if status == "all" else (status,)
        counts = svc.stats()["entries_by_status"]
        total = sum(counts.values()) if statuses is None else counts.get(status, 0)
        entries = filter_langs(iter_export_entries(svc, statuses, with_sources=max_sources), lang_filter)
        with progress_bar(f"export {fmt}", total) as advance:
            n = write_entries(entries, path, fmt, progress=advance, bom=bom)
        console.print(f"[green]exported[/green] {n} entries to {escape(str(path))}", highlight=False)

    @group.command("import")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--format", "fmt", type=click.Choice(list(FORMATS)), help="Default: from extension/content.")
    @click.option("--on-duplicate", type=click.Choice(ON_DUPLICATE), default="merge", show_default=True,
                  help="An entry whose normalised Chinese term exists already: merge into it, skip, or add new.")
    @click.option("--status", type=click.Choice(("proposed", "approved", "rejected")),
                  help="Status for new entries (default: as in the file, else proposed).")
    @click.option("--encoding", default="utf-8", show_default=True, help="CSV/TSV/OmegaT text encoding.")
    @click.option("--dry-run", is_flag=True, help="Read and check the file; change nothing.")
    @pass_state
    def import_cmd(st: State, file: str, fmt: str | None, on_duplicate: str, status: str | None,
                   encoding: str, dry_run: bool) -> None:
        """Import a glossary file in one transaction (all or nothing)."""
        from glossary.exchange import load_entries
        from glossary.store.bulk import import_entries

        entries = load_entries(file, fmt, encoding=encoding)
        for w in getattr(entries, "warnings", []):
            err_console.print(f"[yellow]warning:[/yellow] {escape(w)}", highlight=False)
        if dry_run:
            console.print(f"{escape(file)}: {len(entries)} entries read, nothing imported (--dry-run)")
            return
        svc = st.service()
        with progress_bar("import", len(entries)) as advance:
            r = import_entries(svc, entries, on_duplicate, source=Path(file).name, status=status,
                               progress=advance)
        console.print(
            f"[green]imported[/green] {escape(file)}: {r.read} read, {r.created} created, {r.merged} merged, "
            f"{r.unchanged} unchanged, {r.skipped} skipped ({r.terms_added} terms and "
            f"{r.sources_added} sources added to existing entries or new)", highlight=False)
