"""`glossary align ZH_FILE EN_FILE`: sentence-align two files and print links ([0,1]:[2]) or aligned TSV."""

from __future__ import annotations

from pathlib import Path

import click

from glossary.cli import fail


@click.command("align")
@click.argument("zh_file", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("en_file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--presplit", is_flag=True, help="Each line is already one sentence (ids = line numbers - 1).")
@click.option("--format", "fmt", type=click.Choice(["links", "tsv"]), default="links", show_default=True,
              help="links: one bead per line '[0,1]:[2]'; tsv: zh<TAB>en<TAB>bead<TAB>score.")
def align(zh_file: Path, en_file: Path, presplit: bool, fmt: str) -> None:
    """Align ZH_FILE with EN_FILE (any supported encoding, e.g. GB18030). No database is used.

    Without --presplit each non-empty line is a paragraph that is split into sentences; sentence ids count
    those sentences in order. Every sentence appears in exactly one bead, in order ([] = empty side).
    """
    from glossary.align.aligner import align_units
    from glossary.ingest import sentence_units

    for p in (zh_file, en_file):
        if not p.exists():
            fail(f"{p}: no such file")
    zh = sentence_units(zh_file, "zh", presplit)
    en = sentence_units(en_file, "en", presplit)
    beads = align_units(zh, en)
    lines = []
    for b in beads:
        if fmt == "links":
            lines.append(b.link())
        else:
            z = "".join(zh[i].text for i in b.zh)
            e = " ".join(en[j].text for j in b.en)
            lines.append(f"{_cell(z)}\t{_cell(e)}\t{b.kind}\t{b.score:.3f}")
    click.echo("\n".join(lines))


def _cell(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ")


def register(group: click.Group) -> None:
    group.add_command(align)
