"""Entry detail screen: terms by language (edit inline, add variants, usage status, split), evidence, history."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, Static
from textual.worker import get_current_worker

from glossary.data import TermData
from glossary.errors import GlossaryError
from glossary.store.browse import EntryDetail
from glossary.tui.widgets.evidence import EvidenceView
from glossary.tui.widgets.suggestions import SuggestionList

STATUS_STYLE = {"preferred": "bold green", "admitted": "", "deprecated": "yellow", "forbidden": "bold red"}


class EntryScreen(Screen):
    """One entry in full; every change goes through the app's write worker and reloads this screen."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="entry.back"),
        Binding("a", "approve", "Approve", id="entry.approve"),
        Binding("r", "reject", "Reject", id="entry.reject"),
        Binding("e", "edit_term", "Edit term", id="entry.edit"),
        Binding("n", "add_variant", "Add variant", id="entry.add_variant"),
        Binding("p", "term_status('preferred')", "Preferred", id="entry.preferred"),
        Binding("d", "term_status('deprecated')", "Deprecated", id="entry.deprecated"),
        Binding("f", "term_status('forbidden')", "Forbidden", id="entry.forbidden"),
        Binding("s", "split", "Split out", id="entry.split"),
        Binding("g", "merge_suggestion", "Merge suggestion", id="entry.merge"),
        Binding("f5", "reload", "Reload", id="entry.reload", show=False),
    ]

    @dataclass
    class DetailLoaded(Message):
        detail: EntryDetail | None
        error: str = ""

    def __init__(self, adapter, entry_id: int) -> None:
        super().__init__()
        self.adapter = adapter
        self.entry_id = entry_id
        self.detail: EntryDetail | None = None
        self.edit_mode: str | None = None  # "edit" | "add" while the inline input is open

    def compose(self) -> ComposeResult:
        yield Static("", id="entry-head")
        with Horizontal(id="entry-body"):
            with Vertical(id="entry-main"):
                yield DataTable(id="terms", cursor_type="row", zebra_stripes=True)
                yield Input(id="term-input", classes="hidden")
                yield Label("evidence", classes="section")
                with VerticalScroll(id="evidence-scroll"):
                    yield EvidenceView("loading…", id="evidence")
            with Vertical(id="entry-side"):
                yield Label("merge suggestions", classes="section")
                yield SuggestionList(id="entry-suggestions")
                yield Label("history", classes="section")
                with VerticalScroll(id="history-scroll"):
                    yield Static("", id="history")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#terms", DataTable)
        for key in ("lang", "text", "status", "type", "pinyin"):
            table.add_column(key, key=key)
        table.focus()
        self.query_one("#term-input", Input).cursor_blink = self.app.cursor_blink
        self.refresh_data()

    # ------------------------------------------------------------------ loading

    def refresh_data(self) -> None:
        self._fetch(self.entry_id)

    @work(thread=True, exclusive=True, group="entry-detail")
    def _fetch(self, entry_id: int) -> None:
        try:
            detail, error = self.adapter.detail(entry_id), ""
        except GlossaryError as exc:
            detail, error = None, str(exc)
        if not get_current_worker().is_cancelled:
            self.post_message(self.DetailLoaded(detail, error))

    @on(DetailLoaded)
    def _loaded(self, message: DetailLoaded) -> None:
        if message.detail is None:  # merged away or undone out of existence
            self.app.tell(message.error or f"entry {self.entry_id} is gone", severity="warning")
            self.dismiss()
            return
        self.detail = d = message.detail
        e = d.entry
        head = Text()
        head.append(f"entry #{e.id}  ", style="dim")
        head.append(f"{e.status}", style={"approved": "green", "rejected": "red"}.get(e.status, "yellow"))
        head.append(f"  score {e.score if e.score is not None else '—'}  version {e.version}"
                    f"  updated {e.updated_at or ''} by {e.updated_by or '?'}", style="dim")
        if d.documents:
            head.append("\ndocuments: " + ", ".join(d.documents), style="dim")
        self.query_one("#entry-head", Static).update(head)
        table = self.query_one("#terms", DataTable)
        keep = table.cursor_row
        table.clear()
        for lang in ("zh", "en"):
            for t in d.terms_by_lang.get(lang, []):
                table.add_row(lang, t.text, Text(t.status, style=STATUS_STYLE.get(t.status, "")), t.term_type,
                              t.pinyin or "", key=str(t.id))
        if table.row_count:
            table.move_cursor(row=min(max(keep, 0), table.row_count - 1))
        self.query_one(EvidenceView).show(d.evidence, d.evidence_total)
        self.query_one("#entry-suggestions", SuggestionList).show(d.suggestions)
        hist = Text()
        for h in d.history:
            hist.append(f"{h.at} {h.user}: ", style="dim")
            hist.append(h.action, style="strike" if h.undone else "bold")
            hist.append(f" {h.summary}\n")
        self.query_one("#history", Static).update(hist or Text("no history", style="dim"))

    # ------------------------------------------------------------------ helpers

    def current_term(self) -> TermData | None:
        table = self.query_one("#terms", DataTable)
        if self.detail is None or not table.row_count:
            return None
        key = int(table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value)
        return next((t for t in self.detail.entry.terms if t.id == key), None)

    @property
    def version(self) -> int | None:
        return self.detail.entry.version if self.detail else None

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        if self.edit_mode:
            self._close_input()
            return
        self.dismiss()

    def action_approve(self) -> None:
        v = self.version
        self.app.mutate(lambda: self.adapter.approve(self.entry_id, v), f"approved entry {self.entry_id}")

    def action_reject(self) -> None:
        v = self.version
        self.app.mutate(lambda: self.adapter.reject(self.entry_id, v), f"rejected entry {self.entry_id}")

    def action_edit_term(self) -> None:
        term = self.current_term()
        if term is not None:
            self._open_input("edit", term.text, f"edit the {term.lang} term, enter to save, esc to cancel")

    def action_add_variant(self) -> None:
        self._open_input("add", "", "new variant (汉字 or English), enter to add, esc to cancel")

    def _open_input(self, mode: str, value: str, placeholder: str) -> None:
        self.edit_mode = mode
        box = self.query_one("#term-input", Input)
        box.placeholder = placeholder
        box.value = value
        box.remove_class("hidden")
        box.focus()

    def _close_input(self) -> None:
        self.edit_mode = None
        box = self.query_one("#term-input", Input)
        box.add_class("hidden")
        self.query_one("#terms", DataTable).focus()

    @on(Input.Submitted, "#term-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text, mode, v = event.value.strip(), self.edit_mode, self.version
        term = self.current_term()
        self._close_input()
        if not text:
            return
        if mode == "edit" and term is not None and text != term.text:
            self.app.mutate(lambda: self.adapter.edit_term(term.id, v, text), f"edited '{term.text}' → '{text}'")
        elif mode == "add":
            self.app.mutate(lambda: self.adapter.add_variant(self.entry_id, v, text), f"added variant '{text}'")

    def action_term_status(self, status: str) -> None:
        term, v = self.current_term(), self.version
        if term is not None:
            self.app.mutate(lambda: self.adapter.set_term_status(term.id, v, status),
                            f"'{term.text}' is now {status}")

    def action_split(self) -> None:
        term, v = self.current_term(), self.version
        if term is None:
            return

        def split() -> object:
            return self.adapter.split([term.id], v)

        self.app.mutate(split, f"split '{term.text}' out into a new entry")

    def action_merge_suggestion(self) -> None:
        sug = self.query_one("#entry-suggestions", SuggestionList).current
        if sug is None:
            self.app.tell("no merge suggestion for this entry", severity="warning")
            return
        self.app.start_merge([self.entry_id, sug.entry_id])

    @on(SuggestionList.MergeRequested)
    def _merge_requested(self, message: SuggestionList.MergeRequested) -> None:
        self.app.start_merge([self.entry_id, message.suggestion.entry_id])

    def action_reload(self) -> None:
        self.refresh_data()
