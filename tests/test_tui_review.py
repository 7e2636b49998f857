"""Review TUI driven with App.run_test + Pilot on a seeded temporary database: approve, reject, search,
bulk approve, undo, inline edit, variants, usage status, split, merge with confirmation, conflicts, export."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.worker import WorkerCancelled

from glossary.store.browse import ReviewAdapter
from glossary.store.service import GlossaryService
from glossary.tui.app import ReviewApp
from glossary.tui.commands import ReviewCommands
from glossary.tui.screens.entry import EntryScreen
from glossary.tui.screens.modals import ConfirmScreen, ExportScreen, MergeScreen
from glossary.tui.screens.queue import QueueScreen
from glossary.tui.widgets.queue_table import QueueTable
from tests import tui_seed

SIZE = (110, 32)


@pytest.fixture(scope="session")
def template_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("tui-template")


@pytest.fixture
def seeded_url(template_dir, tmp_path):
    return tui_seed.seeded_copy(template_dir, tmp_path)


@pytest.fixture
def svc(seeded_url):
    service = GlossaryService.open(seeded_url, user="alice")
    yield service
    service.close()


def make_app(svc) -> ReviewApp:
    return ReviewApp(ReviewAdapter(svc), cursor_blink=False, preview_delay=0)


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and their messages be handled (no sleeps, no timing assumptions)."""
    for _ in range(rounds):
        for worker in list(pilot.app.workers):
            try:
                await worker.wait()
            except WorkerCancelled:  # superseded by a newer keystroke (exclusive workers)
                pass
        await pilot.pause()


def run(svc, scenario):
    async def main():
        app = make_app(svc)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await scenario(app, pilot)

    asyncio.run(main())


def table(app) -> QueueTable:
    return app.screen.query_one(QueueTable)


def status(svc, zh, en=None) -> str:
    return svc.get_entry(tui_seed.entry_id(svc, zh, en)).status


async def cursor_to(pilot, zh: str, en: str | None = None) -> None:
    t = table(pilot.app)
    for n in range(t.row_count):
        t.move_cursor(row=n)
        row = t.current
        if row.zh == zh and (en is None or row.en == en):
            await settle(pilot)
            return
    raise AssertionError(f"{zh} not in the queue")


async def term_cursor_to(pilot, text: str) -> None:
    screen = pilot.app.screen
    terms = screen.query_one("#terms")
    for n in range(terms.row_count):
        terms.move_cursor(row=n)
        if screen.current_term().text == text:
            await pilot.pause()
            return
    raise AssertionError(f"term {text} not shown")


async def open_entry(pilot, zh: str, en: str | None = None) -> EntryScreen:
    await cursor_to(pilot, zh, en)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, EntryScreen)
    return pilot.app.screen


def test_queue_shows_proposed_entries_best_first(svc):
    async def scenario(app, pilot):
        t = table(app)
        assert isinstance(app.screen, QueueScreen)
        assert t.row_count == 12
        assert t.current.zh == "西部陆海新通道"
        line = str(app.screen.query_one("#status-line").render())
        assert "12 entries" in line
        sugg = app.screen.query_one("#suggestions")
        assert any("ILSTC" in s.reason for s in sugg.suggestions)  # merge suggestions next to the entry

    run(svc, scenario)


def test_approve_and_reject_with_keys(svc):
    async def scenario(app, pilot):
        await pilot.press("a")
        await settle(pilot)
        assert status(svc, "西部陆海新通道") == "approved"
        assert table(app).current.zh == "市政府外办"  # approved row left the proposed queue
        await pilot.press("r")
        await settle(pilot)
        assert status(svc, "市政府外办") == "rejected"
        assert table(app).row_count == 10
        assert [n.message for n in app.notices][:2] == [
            "approved 西部陆海新通道 / New Western Land-Sea Corridor",
            "rejected 市政府外办 / Foreign Affairs Office of Chongqing Municipal People's Government"]

    run(svc, scenario)


def test_undo_restores_the_last_action(svc):
    async def scenario(app, pilot):
        await pilot.press("r")
        await settle(pilot)
        assert status(svc, "西部陆海新通道") == "rejected"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert status(svc, "西部陆海新通道") == "proposed"
        assert table(app).row_count == 12 and table(app).current.zh == "西部陆海新通道"

    run(svc, scenario)


def test_search_as_you_type_hanzi_traditional_pinyin_initials(svc):
    async def scenario(app, pilot):
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"xblhxtd")
        await settle(pilot)
        assert [table(app).rows_by_id[i].zh for i in table(app).rows_by_id] == ["西部陆海新通道"]
        app.screen.query_one("#search").value = "陸海"  # Traditional input
        await settle(pilot)
        assert [r.zh for r in table(app).rows_by_id.values()] == ["陆海新通道", "西部陆海新通道"]
        app.screen.query_one("#search").value = "wang"
        await settle(pilot)
        assert [r.en for r in table(app).rows_by_id.values()] == ["Wang Wen"]
        app.screen.query_one("#search").value = ""
        await settle(pilot)
        assert table(app).row_count == 12
        await pilot.press("escape")
        assert app.focused is table(app)

    run(svc, scenario)


def test_status_filter_select(svc):
    async def scenario(app, pilot):
        app.screen.query_one("#status").value = "approved"
        await settle(pilot)
        assert [r.zh for r in table(app).rows_by_id.values()] == ["重庆"]

    run(svc, scenario)


def test_bulk_approve_selection_is_one_undo_step(svc):
    async def scenario(app, pilot):
        await pilot.press("space", "space")  # selects the first two rows (cursor moves down)
        assert len(table(app).selected) == 2
        await pilot.press("A")
        await settle(pilot)
        assert status(svc, "西部陆海新通道") == status(svc, "市政府外办") == "approved"
        assert table(app).row_count == 10
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert status(svc, "西部陆海新通道") == status(svc, "市政府外办") == "proposed"

    run(svc, scenario)


def test_edit_term_inline_and_add_variant(svc):
    async def scenario(app, pilot):
        screen = await open_entry(pilot, "王雯")
        await term_cursor_to(pilot, "Wang Wen")
        await pilot.press("e")
        box = screen.query_one("#term-input")
        assert app.focused is box and box.value == "Wang Wen"
        await pilot.press("end", *" (official)", "enter")
        await settle(pilot)
        entry = svc.get_entry(screen.entry_id)
        assert "Wang Wen (official)" in [t.text for t in entry.terms]
        await pilot.press("n", *"Wong Man", "enter")
        await settle(pilot)
        entry = svc.get_entry(screen.entry_id)
        added = next(t for t in entry.terms if t.text == "Wong Man")
        assert added.lang == "en" and added.term_type == "variant"
        shown = [screen.query_one("#terms").get_row_at(n)[1] for n in range(screen.query_one("#terms").row_count)]
        assert "Wong Man" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, QueueScreen)

    run(svc, scenario)


def test_set_preferred_and_forbidden(svc):
    async def scenario(app, pilot):
        screen = await open_entry(pilot, "市政府外办")
        await term_cursor_to(pilot, "Chongqing FAO")
        await pilot.press("p")
        await settle(pilot)
        terms = {t.text: t.status for t in svc.get_entry(screen.entry_id).terms}
        assert terms["Chongqing FAO"] == "preferred"
        assert terms["Foreign Affairs Office of Chongqing Municipal People's Government"] == "admitted"
        await term_cursor_to(pilot, "Foreign Affairs Office of Chongqing Municipal People's Government")
        await pilot.press("f")
        await settle(pilot)
        terms = {t.text: t.status for t in svc.get_entry(screen.entry_id).terms}
        assert terms["Foreign Affairs Office of Chongqing Municipal People's Government"] == "forbidden"
        await term_cursor_to(pilot, "Chongqing FAO")
        await pilot.press("d")
        await settle(pilot)
        assert {t.text: t.status for t in svc.get_entry(screen.entry_id).terms}["Chongqing FAO"] == "deprecated"

    run(svc, scenario)


def test_split_a_term_out(svc):
    async def scenario(app, pilot):
        screen = await open_entry(pilot, "西部陆海新通道")
        await term_cursor_to(pilot, "New International Land-Sea Trade Corridor")
        await pilot.press("s")
        await settle(pilot)
        left = [t.text for t in svc.get_entry(screen.entry_id).terms]
        assert left == ["西部陆海新通道", "New Western Land-Sea Corridor"]
        assert screen.query_one("#terms").row_count == 2
        new = [e for e in svc.iter_entries() if any(t.text == "New International Land-Sea Trade Corridor"
                                                    for t in e.terms)]
        assert len(new) == 1 and new[0].id != screen.entry_id
        assert {t.text for t in new[0].terms} == {"西部陆海新通道", "New International Land-Sea Trade Corridor"}

    run(svc, scenario)


def test_merge_selected_entries_needs_confirmation(svc):
    a = tui_seed.entry_id(svc, "副主任", "deputy director general")
    b = tui_seed.entry_id(svc, "副主任", "Deputy Director-General")

    async def scenario(app, pilot):
        await cursor_to(pilot, "副主任", "deputy director general")
        await pilot.press("space", "space", "m")
        await settle(pilot)
        assert isinstance(app.screen, MergeScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Merge 1 entry into" in str(app.screen.query_one("#question").render())
        await pilot.press("n")  # say no: nothing happens
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert {e.id for e in svc.iter_entries()} >= {a, b}
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        ids = {e.id for e in svc.iter_entries()}
        assert a in ids and b not in ids
        merged = svc.get_entry(a)
        en = {t.text: t.status for t in merged.terms if t.lang == "en"}
        assert en == {"deputy director general": "preferred", "Deputy Director-General": "admitted"}
        assert table(app).row_count == 11
        assert "merged 2 entries" in app.notices[-1].message

    run(svc, scenario)


def test_merge_from_suggestion_in_detail_with_chosen_preferred(svc):
    async def scenario(app, pilot):
        screen = await open_entry(pilot, "西部陆海新通道")
        assert any("ILSTC" in s.label for s in screen.query_one("#entry-suggestions").suggestions)
        await pilot.press("g")
        await settle(pilot)
        merge = app.screen
        assert isinstance(merge, MergeScreen)
        radio = merge.query_one("#pick-en")
        ilstc = next(b for b in radio.query("RadioButton") if "ILSTC" in str(b.label))
        ilstc.value = True  # choose the acronym as the surviving preferred English term
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        merged = svc.get_entry(screen.entry_id)
        en = {t.text: t.status for t in merged.terms if t.lang == "en"}
        assert en["ILSTC"] == "preferred" and en["New Western Land-Sea Corridor"] == "admitted"
        assert {t.text for t in merged.terms if t.lang == "zh"} == {"西部陆海新通道", "陆海新通道"}
        assert isinstance(app.screen, EntryScreen) and app.screen.query_one("#terms").row_count == 5
        await pilot.press("ctrl+z")  # undo the merge: both entries are back
        await settle(pilot)
        assert len([e for e in svc.iter_entries() if any(t.text == "ILSTC" for t in e.terms)]) == 1
        assert tui_seed.entry_id(svc, "陆海新通道") != screen.entry_id

    run(svc, scenario)


def test_conflict_shows_a_notice_and_reloads(svc, seeded_url):
    async def scenario(app, pilot):
        other = GlossaryService.open(seeded_url, user="bob")  # another editor, same database
        try:
            top = table(app).current
            other.reject(top.id, top.version)
            await pilot.press("a")
            await settle(pilot)
            assert svc.get_entry(top.id).status == "rejected"  # bob's decision was not overwritten
            notice = app.notices[-1]
            assert notice.severity == "error" and notice.message.startswith("Conflict:")
            assert "changed by someone else" in notice.message and "reloaded" in notice.message
            assert top.id not in table(app).rows_by_id  # reloaded: the rejected entry left the queue
        finally:
            other.close()

    run(svc, scenario)


def test_export_dialog_lists_formats(svc, tmp_path):
    async def scenario(app, pilot):
        app.export_dir = str(tmp_path)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        names = [b.name for b in app.screen.query("RadioButton")]
        assert {"xlsx", "tbx", "csv", "jsonl"} <= set(names)
        if not app.screen.available:
            assert app.screen.query_one("#export-note")
            await pilot.press("escape")
            return
        next(b for b in app.screen.query("RadioButton") if b.name == "tsv").value = True
        await pilot.pause()
        out = tmp_path / "glossary.tsv"
        assert app.screen.query_one("#export-path").value == str(out)
        app.screen.query_one("#approved-only").value = False
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "西部陆海新通道" in out.read_text(encoding="utf-8")
        assert app.notices[-1].message == f"exported 14 entries to {out} (tsv)"

    run(svc, scenario)


def test_command_palette_offers_every_bound_action(svc):
    async def scenario(app, pilot):
        provider = ReviewCommands(app.screen)
        names = {name for name, _help, _cb in provider._commands()}
        assert {"Approve", "Reject", "Undo", "Merge selected", "Approve selected", "Export", "Search"} <= names
        hits = [h async for h in provider.search("approve")]
        assert hits
        await hits[0].command()  # runs the action like choosing it in the palette
        await settle(pilot)
        assert status(svc, "西部陆海新通道") == "approved"

    run(svc, scenario)


def test_review_command_opens_the_app_on_the_global_database(seeded_url, monkeypatch):
    from click.testing import CliRunner

    from glossary.cli import app as cli

    opened = {}

    def fake_run(self, *args, **kwargs):
        opened["filter"] = self.initial
        opened["entries"] = self.adapter.counts()
        opened["user"] = self.adapter.user

    monkeypatch.setattr(ReviewApp, "run", fake_run)
    path = seeded_url.removeprefix("sqlite:///")
    result = CliRunner().invoke(cli, ["--db", path, "--user", "carol", "review", "--status", "all",
                                      "--search", "xibu"])
    assert result.exit_code == 0, result.output
    assert opened["filter"].status is None and opened["filter"].query == "xibu"
    assert opened["entries"] == {"proposed": 12, "approved": 1, "rejected": 1}
    assert opened["user"] == "carol"
    missing = CliRunner().invoke(cli, ["--db", str(Path(path).parent / "nope.db"), "review"])
    assert missing.exit_code == 2 and "glossary init" in missing.output


def test_queue_reads_pages_as_the_cursor_moves(svc, monkeypatch):
    import glossary.tui.screens.queue as queue_screen

    monkeypatch.setattr(queue_screen, "PAGE_SIZE", 4)

    async def scenario(app, pilot):
        t = table(app)
        assert t.row_count == 4  # only the first page was read
        assert "12 entries · showing 4" in str(app.screen.query_one("#status-line").render())
        for _ in range(11):
            await pilot.press("down")
            await settle(pilot, rounds=1)
        await settle(pilot)
        assert t.row_count == 12
        assert [r.score for r in t.rows_by_id.values()] == sorted((r.score for r in t.rows_by_id.values()),
                                                                  reverse=True)

    run(svc, scenario)


def test_keys_typed_during_a_read_only_read_the_last_query(svc):
    """One page read at a time: values typed while a read runs replace the pending request."""
    async def scenario(app, pilot):
        adapter = app.adapter
        reads = []
        original = adapter.page

        def page(flt, offset=0, limit=100):
            reads.append(flt.query)
            return original(flt, offset, limit)

        adapter.page = page
        box = app.screen.query_one("#search")
        for value in ("w", "wa", "wan", "wang"):  # faster than any read: no message handled in between
            box.value = value
        await settle(pilot)
        assert reads[-1] == "wang" and len(reads) <= 2 and not set(reads) & {"wa", "wan"}
        assert [r.en for r in table(app).rows_by_id.values()] == ["Wang Wen"]
        assert not app.screen.fetching

    run(svc, scenario)


def test_queue_table_cells_render_like_datatable(svc):
    """The table's direct cell rendering gives the same characters and styles as DataTable's Rich path."""
    from rich.style import Style
    from textual.widgets import DataTable

    async def scenario(app, pilot):
        t = table(app)
        t.toggle_selected()
        await settle(pilot)

        def chars(lines):
            return [(ch, seg.style) for line in lines for seg in line for ch in seg.text]

        compared = 0
        for row in range(t.row_count):
            for col, column in enumerate(t.ordered_columns):
                for cursor in (False, True):
                    for base in (t.rich_style, Style(color="white", bgcolor="#202020")):
                        width = column.get_render_width(t)
                        t._painted_cells.clear()  # rendered now, not taken from the cache of painted cells
                        ours = QueueTable._render_cell(t, row, col, base, width, cursor)
                        t._cell_render_cache.clear()
                        theirs = DataTable._render_cell(t, row, col, base, width, cursor)
                        t._cell_render_cache.clear()
                        assert chars(ours) == chars(theirs), (row, col, cursor)
                        compared += 1
        assert compared == 12 * 8 * 4

    run(svc, scenario)


def test_search_box_scrolls_a_long_query_without_relayout(svc):
    """The search box never changes size while typing (no screen layout per key), yet a query longer than the
    box scrolls inside it so the cursor stays visible, and the queue still filters by the whole query."""

    async def scenario(app, pilot):
        box = app.screen.query_one("#search")
        region = box.region
        await pilot.press("slash")
        long = "new western land-sea corridor " * 5
        await pilot.press(*["space" if ch == " " else ch for ch in long.strip()])
        await settle(pilot)
        assert box.value == long.strip() and box.region == region
        assert box.scroll_x > 0 and box.scroll_x == box.max_scroll_x  # the end of the value is in view
        assert box.cursor_screen_offset.x < region.right
        box.value = "new western land-sea corridor"
        await settle(pilot)
        assert [r.zh for r in table(app).rows_by_id.values()] == ["西部陆海新通道"]

    run(svc, scenario)
