"""`glossary mine`: mine the stored aligned segments and store term proposals."""

from __future__ import annotations

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from glossary.cli import State, console, err_console, pass_state


def run_mine(service, min_score: float, limit: int | None, show_progress: bool = True):
    """Read segments, mine, store; returns the ProposalSummary."""
    from glossary.mine.miner import mine
    from glossary.store.proposals import known_terms, store_candidates

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console, disable=not show_progress, transient=True) as bar:
        task = bar.add_task("reading segments", total=None)
        pairs = list(service.iter_segment_pairs())
        live, rejected = known_terms(service)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        cands = mine(pairs, min_score=min_score, limit=limit, user_words=live, skip=rejected, progress=progress)
        bar.update(task, description="storing", completed=0, total=len(cands))
        summary = store_candidates(service, cands, tick=lambda k: bar.advance(task, k))
    return summary, len(pairs)


def register(group: click.Group) -> None:
    @group.command("mine")
    @click.option("--min-score", type=click.FloatRange(0, 1), default=0.55, show_default=True,  # = DEFAULT_MIN_SCORE (miner.py)
                  help="Only propose candidates scoring at least this.")
    @click.option("--limit", type=click.IntRange(1), default=None, help="Propose at most N (best first).")
    @pass_state
    def mine_cmd(st: State, min_score: float, limit: int | None) -> None:
        """Mine zh–en term pairs from the aligned segments and store them as proposed entries."""
        summary, n_segments = run_mine(st.service(), min_score, limit)
        console.print(
            f"[green]mined[/green] {n_segments} segment pair(s): {summary.candidates} candidate(s), "
            f"{summary.proposed} new proposal(s), {summary.merged} merged into existing entries, "
            f"{summary.unchanged} unchanged, {summary.skipped} skipped (rejected before), "
            f"{summary.occurrences} occurrence(s) attached"
        )
