"""Snapshot tests (pytest-textual-snapshot) of the review TUI's main screens at a fixed terminal size.

Update after an intended visual change with: pytest tests/test_tui_snapshots.py --snapshot-update
"""

from __future__ import annotations

import sqlite3

import pytest
from textual.worker import WorkerCancelled

from glossary.store.browse import ReviewAdapter
from glossary.store.service import GlossaryService
from glossary.tui.app import ReviewApp
from tests import tui_seed

SIZE = (130, 36)
FIXED_TIME = "2024-04-23 09:00:00"


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("snap-template")


@pytest.fixture
def app(template_dir, tmp_path):
    url = tui_seed.seeded_copy(template_dir, tmp_path)
    # Test set-up only: pin timestamps so the screenshots do not change from run to run.
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE entries SET created_at = ?, updated_at = ?", (FIXED_TIME, FIXED_TIME))
        db.execute("UPDATE history SET at = ?", (FIXED_TIME,))
    svc = GlossaryService.open(url, user="alice")
    yield ReviewApp(ReviewAdapter(svc), cursor_blink=False, preview_delay=0)
    svc.close()


async def settle(pilot) -> None:
    for _ in range(3):
        for worker in list(pilot.app.workers):
            try:
                await worker.wait()
            except WorkerCancelled:
                pass
        await pilot.pause()


def test_queue_screen(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_queue_search_by_pinyin_initials(app, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *"xblhxtd")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_entry_detail_screen(app, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_merge_modal(app, snap_compare):
    async def run_before(pilot):
        await settle(pilot)
        table = pilot.app.screen.query_one("#queue")
        rows = list(table.rows_by_id.values())
        table.move_cursor(row=[r.zh for r in rows].index("副主任"))
        await pilot.press("space", "space", "m")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
