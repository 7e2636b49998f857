"""`glossary review`: open the Textual review app on the database of the global --db/--db-url options."""

from __future__ import annotations

import click

from glossary.cli import State, pass_state
from glossary.data import ENTRY_STATUSES


def register(group: click.Group) -> None:
    @group.command()
    @click.option("--status", type=click.Choice([*ENTRY_STATUSES, "all"]), default="proposed", show_default=True,
                  help="Which entries the queue starts with.")
    @click.option("--search", "query", default="", metavar="TEXT", help="Start with this search typed in.")
    @click.option("--export-dir", default="exports", show_default=True, metavar="DIR",
                  help="Default directory offered by the export dialog.")
    @pass_state
    def review(st: State, status: str, query: str, export_dir: str) -> None:
        """Review proposed entries: approve (a), reject (r), edit, merge, split, undo (ctrl+z), export."""
        from glossary.store.browse import QueueFilter, ReviewAdapter
        from glossary.tui.app import ReviewApp

        flt = QueueFilter(status=None if status == "all" else status, query=query)
        ReviewApp(ReviewAdapter(st.service()), initial=flt, export_dir=export_dir).run()
