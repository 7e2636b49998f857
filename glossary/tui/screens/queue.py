"""Queue screen: the paged table of entries with search-as-you-type, filters, preview and merge suggestions."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Label, Select, Static
from textual.worker import get_current_worker

from glossary.errors import GlossaryError
from glossary.store.browse import DocumentInfo, QueueFilter, QueuePage, Suggestion
from glossary.tui.widgets.fixed_input import FixedInput
from glossary.tui.widgets.queue_table import QueueTable
from glossary.tui.widgets.suggestions import SuggestionList

PAGE_SIZE = 40  # a screen of rows and some per read; the cursor nearing the end reads the next page
STATUS_OPTIONS = [("proposed", "proposed"), ("approved", "approved"), ("rejected", "rejected"), ("all", "all")]
ALL_DOCS = -1


def parse_score(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


class QueueScreen(Screen):
    """Proposed entries, highest score first; a page of rows is read per worker call, never the whole table."""

    BINDINGS = [
        Binding("a", "approve", "Approve", id="queue.approve"),
        Binding("r", "reject", "Reject", id="queue.reject"),
        Binding("space", "toggle_select", "Select", id="queue.select"),
        Binding("A", "bulk_approve", "Approve selected", id="queue.bulk_approve"),
        Binding("m", "merge_selected", "Merge selected", id="queue.merge"),
        Binding("enter", "open_entry", "Open", id="queue.open"),
        Binding("slash", "focus_search", "Search", id="queue.search"),
        Binding("x", "export", "Export", id="queue.export"),
        Binding("f5", "reload", "Reload", id="queue.reload", show=False),
        Binding("escape", "focus_table", "Table", id="queue.focus_table", show=False),
    ]

    @dataclass
    class PageLoaded(Message):
        generation: int
        page: QueuePage
        append: bool

    @dataclass
    class PageFailed(Message):
        generation: int
        message: str | None

    @dataclass
    class PreviewLoaded(Message):
        entry_id: int
        suggestions: list[Suggestion]

    @dataclass
    class DocumentsLoaded(Message):
        documents: list[DocumentInfo]

    def __init__(self, adapter, initial: QueueFilter | None = None) -> None:
        super().__init__()
        self.adapter = adapter
        self.filter = initial or QueueFilter()
        self.generation = 0
        self.fetching = False
        self.page: QueuePage | None = None
        self._preview_timer: Timer | None = None
        self._pending: tuple | None = None  # the page request to read next (the latest filter)
        self._in_flight = False  # a page read is running in a worker

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static("glossary review", id="title")
        yield FixedInput(self.filter.query, placeholder="search: 汉字 / 漢字, pinyin (xibu, xī bù, xblhxtd), English…", id="search")
        with Horizontal(id="filters"):
            yield Label("status", classes="filter-label")
            yield Select(STATUS_OPTIONS, value=self.filter.status or "all", allow_blank=False, id="status")
            yield Label("document", classes="filter-label")
            yield Select([("all documents", ALL_DOCS)], value=ALL_DOCS, allow_blank=False, id="document")
            yield Label("score", classes="filter-label")
            yield FixedInput(placeholder="min", id="min-score", classes="score")
            yield FixedInput(placeholder="max", id="max-score", classes="score")
        with Horizontal(id="body"):
            yield QueueTable(id="queue")
            with Vertical(id="side"):
                yield Static("", id="preview")
                yield Label("merge suggestions", classes="section")
                yield SuggestionList(id="suggestions")
        yield Static("loading…", id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        for box in self.query(Input):
            box.cursor_blink = self.app.cursor_blink
        self.query_one(QueueTable).focus()
        self.load(append=False)
        self._load_documents()

    # ------------------------------------------------------------------ loading (workers)

    def load(self, append: bool = False) -> None:
        """Read the page for the current filter. One read at a time: keys typed while a read runs only
        replace the pending request, so the next read is for the LAST keystroke (no stale queries compete
        for the CPU, and an isolated keystroke starts at once, without a debounce delay)."""
        table = self.query_one(QueueTable)
        if self._preview_timer is not None:  # typing: suggestions wait until the rows settle
            self._preview_timer.stop()
        if not append:
            self.generation += 1
        self.fetching = True
        offset = table.row_count if append else 0
        self._pending = (replace(self.filter), offset, self.generation, append)
        if not self._in_flight:
            self._start_pending()

    def _start_pending(self) -> None:
        request, self._pending = self._pending, None
        if request is not None:
            self._in_flight = True
            self._fetch(*request)

    @work(thread=True, exclusive=True, group="queue-page")
    def _fetch(self, flt: QueueFilter, offset: int, generation: int, append: bool) -> None:
        try:
            page = self.adapter.page(flt, offset=offset, limit=PAGE_SIZE)
        except GlossaryError as exc:
            self.post_message(self.PageFailed(generation, str(exc)))
            return
        except BaseException:
            self.post_message(self.PageFailed(generation, None))
            raise
        self.post_message(self.PageLoaded(generation, page, append))

    @work(thread=True, group="queue-warm")
    def _warm(self) -> None:
        self.adapter.warm()

    @work(thread=True, group="queue-docs")
    def _load_documents(self) -> None:
        self.post_message(self.DocumentsLoaded(self.adapter.documents()))

    @on(PageFailed)
    def _page_failed(self, message: PageFailed) -> None:
        self._in_flight = False
        if message.message:
            self.app.tell(message.message, severity="error")
        if self._pending is not None:
            self._start_pending()
        elif message.generation == self.generation:
            self.fetching = False

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        self._in_flight = False
        if self._pending is not None:
            self._start_pending()  # a newer filter has been typed meanwhile: read that one next
        if message.generation != self.generation:
            return  # a newer filter has been typed since
        self.fetching = False
        table = self.query_one(QueueTable)
        if message.append:
            table.append_rows(message.page.rows)
        else:
            table.replace_rows(message.page.rows)
        first = self.page is None
        self.page = message.page
        self._update_status()
        self._schedule_preview()
        if first:
            self._warm()  # build the in-memory search keys while the editor reads the first page

    @on(DocumentsLoaded)
    def _documents_loaded(self, message: DocumentsLoaded) -> None:
        select = self.query_one("#document", Select)
        select.set_options([("all documents", ALL_DOCS)] + [(d.name, d.id) for d in message.documents])
        select.value = self.filter.document_id if self.filter.document_id is not None else ALL_DOCS

    def _update_status(self) -> None:
        table = self.query_one(QueueTable)
        page = self.page
        if page is None:
            return
        total = f"{page.total:,}{'+' if page.total_capped else ''}"
        parts = [self.filter.status or "all statuses", f"{total} entries", f"showing {table.row_count:,}"]
        if table.selected:
            parts.append(f"{len(table.selected)} selected")
        if self.filter.query:
            parts.append("fuzzy matches" if page.fuzzy else f"search {self.filter.query!r}")
        self.query_one("#status-line", Static).update(" · ".join(parts), layout=False)  # one fixed line

    def refresh_data(self) -> None:
        """Reload the current page after a change (keeps the cursor position)."""
        self.query_one(QueueTable).selected.clear()
        self.load(append=False)

    # ------------------------------------------------------------------ preview + suggestions

    @on(DataTable.RowHighlighted, "#queue")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.query_one(QueueTable)
        if (self.page is not None and self.page.has_more and not self.fetching
                and event.cursor_row >= table.row_count - max(1, min(10, PAGE_SIZE // 3))
                and table.row_count < self.page.total):
            self.load(append=True)
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        """Show the highlighted entry and its merge suggestions once the cursor (or the typing) rests."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        if self.app.preview_delay <= 0:
            self._show_preview()
        else:
            self._preview_timer = self.set_timer(self.app.preview_delay, self._show_preview)

    def _show_preview(self) -> None:
        row = self.query_one(QueueTable).current
        preview = self.query_one("#preview", Static)
        if row is None:
            preview.update(Text("no entries match", style="dim"))
            self.query_one(SuggestionList).show([])
            return
        text = Text()
        text.append(f"#{row.id}  ", style="dim")
        text.append(row.zh, style="bold")
        text.append(f"  {row.pinyin}\n", style="italic")
        text.append(row.en or "—", style="bold")
        if row.variants:
            text.append("\nvariants: " + " | ".join(row.variants))
        text.append(f"\n{row.status} · score {row.score if row.score is not None else '—'}"
                    f" · {row.sources} source pairs · v{row.version}", style="dim")
        preview.update(text)
        self._load_preview(row.id)

    @work(thread=True, exclusive=True, group="queue-preview")
    def _load_preview(self, entry_id: int) -> None:
        try:
            suggestions = self.adapter.suggestions(entry_id)
        except Exception:  # the entry vanished (merged elsewhere): nothing to suggest
            suggestions = []
        if not get_current_worker().is_cancelled:
            self.post_message(self.PreviewLoaded(entry_id, suggestions))

    @on(PreviewLoaded)
    def _preview_loaded(self, message: PreviewLoaded) -> None:
        row = self.query_one(QueueTable).current
        if row is not None and row.id == message.entry_id:
            self.query_one(SuggestionList).show(message.suggestions)

    @on(DataTable.RowSelected, "#queue")
    def _row_selected(self) -> None:
        self.action_open_entry()

    @on(SuggestionList.MergeRequested)
    def _merge_suggestion(self, message: SuggestionList.MergeRequested) -> None:
        row = self.query_one(QueueTable).current
        if row is not None:
            self.app.start_merge([row.id, message.suggestion.entry_id])

    # ------------------------------------------------------------------ filters

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.filter.query = event.value
        self.load(append=False)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(QueueTable).focus()

    @on(Select.Changed, "#status")
    def _status_changed(self, event: Select.Changed) -> None:
        value = None if event.value in ("all", Select.BLANK) else str(event.value)
        if value != self.filter.status:
            self.filter.status = value
            self.load(append=False)

    @on(Select.Changed, "#document")
    def _document_changed(self, event: Select.Changed) -> None:
        value = None if event.value in (ALL_DOCS, Select.BLANK) else int(event.value)
        if value != self.filter.document_id:
            self.filter.document_id = value
            self.load(append=False)

    @on(Input.Changed, ".score")
    def _score_changed(self, event: Input.Changed) -> None:
        value = parse_score(event.value)
        event.input.set_class(bool(event.value.strip()) and value is None, "invalid")
        attr = "min_score" if event.input.id == "min-score" else "max_score"
        if getattr(self.filter, attr) != value:
            setattr(self.filter, attr, value)
            self.load(append=False)

    # ------------------------------------------------------------------ actions

    def _current(self):
        row = self.query_one(QueueTable).current
        if row is None:
            self.app.tell("no entry under the cursor", severity="warning")
        return row

    def action_approve(self) -> None:
        row = self._current()
        if row is not None:
            self.app.mutate(lambda: self.adapter.approve(row.id, row.version), f"approved {row.zh} / {row.en}")

    def action_reject(self) -> None:
        row = self._current()
        if row is not None:
            self.app.mutate(lambda: self.adapter.reject(row.id, row.version), f"rejected {row.zh} / {row.en}")

    def action_toggle_select(self) -> None:
        table = self.query_one(QueueTable)
        if table.toggle_selected() is not None and table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)
        self._update_status()

    def action_bulk_approve(self) -> None:
        rows = self.query_one(QueueTable).selected_rows()
        if not rows:
            self.app.tell("select entries with space first", severity="warning")
            return
        versions = {r.id: r.version for r in rows}
        self.app.mutate(lambda: self.adapter.bulk_set_status(versions, "approved"),
                        f"approved {len(rows)} entries")

    def action_merge_selected(self) -> None:
        rows = self.query_one(QueueTable).selected_rows()
        if len(rows) < 2:
            self.app.tell("select at least two entries (space) to merge", severity="warning")
            return
        self.app.start_merge([r.id for r in rows])

    def action_open_entry(self) -> None:
        row = self._current()
        if row is not None:
            self.app.open_entry(row.id)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(QueueTable).focus()

    def action_export(self) -> None:
        self.app.start_export()

    def action_reload(self) -> None:
        self.adapter.invalidate()
        self.load(append=False)
