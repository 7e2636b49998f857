"""The review TUI application: screens, the write worker (conflicts → notice + reload), undo, merge, export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from glossary.data import EntryData
from glossary.errors import ConflictError, GlossaryError
from glossary.store.browse import QueueFilter, ReviewAdapter
from glossary.tui.commands import ReviewCommands
from glossary.tui.screens.entry import EntryScreen
from glossary.tui.screens.modals import ConfirmScreen, ExportRequest, ExportScreen, MergePlan, MergeScreen
from glossary.tui.screens.queue import QueueScreen


@dataclass
class Notice:
    message: str
    severity: str = "information"


class ReviewApp(App):
    """Keyboard-first review of proposed entries; the database is only touched from worker threads."""

    TITLE = "glossary review"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS = [
        Binding("ctrl+z", "undo", "Undo", id="app.undo", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("q", "quit", "Quit", id="app.quit_q", show=False),
    ]

    @dataclass
    class Changed(Message):
        summary: str
        result: object = None
        follow: dict[int, int] = field(default_factory=dict)  # entry id → where it went (merge)

    @dataclass
    class Failed(Message):
        message: str
        conflict: bool = False

    def __init__(self, adapter: ReviewAdapter, initial: QueueFilter | None = None,
                 export_dir: str | Path = "exports", *, cursor_blink: bool = True,
                 preview_delay: float = 0.15) -> None:
        super().__init__()
        self.cursor_blink = cursor_blink  # tests turn it off (stable snapshots)
        self.preview_delay = preview_delay  # debounce for loading merge suggestions of the highlighted row
        self.adapter = adapter
        self.initial = initial
        self.export_dir = str(export_dir)
        self.notices: list[Notice] = []  # what the editor was told (tests read this)

    def on_mount(self) -> None:
        self.push_screen(QueueScreen(self.adapter, self.initial))

    # ------------------------------------------------------------------ notices

    def tell(self, message: str, severity: str = "information", timeout: float | None = None) -> None:
        self.notices.append(Notice(message, severity))
        self.notify(message, severity=severity, timeout=timeout or (8 if severity == "error" else 3))

    # ------------------------------------------------------------------ writes (one worker per change)

    def mutate(self, change: Callable[[], object], summary: str, follow: dict[int, int] | None = None) -> None:
        """Run a change in a worker thread; the result or the conflict comes back as a message."""
        self._write(change, summary, follow or {})

    @work(thread=True, group="write")
    def _write(self, change: Callable[[], object], summary: str, follow: dict[int, int]) -> None:
        try:
            result = change()
        except ConflictError as exc:
            self.adapter.invalidate()
            self.post_message(self.Failed(str(exc), conflict=True))
            return
        except GlossaryError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Changed(summary, result, follow))

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        self.tell(message.summary)
        self._refresh_screens(message.follow)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        if message.conflict:
            self.tell(f"Conflict: {message.message}. The entry has been reloaded; nothing was overwritten.",
                      severity="error")
        else:
            self.tell(message.message, severity="error")
        self._refresh_screens({})

    def _refresh_screens(self, follow: dict[int, int]) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, EntryScreen) and screen.entry_id in follow:
                screen.entry_id = follow[screen.entry_id]
            refresh = getattr(screen, "refresh_data", None)
            if refresh is not None:
                refresh()

    # ------------------------------------------------------------------ navigation + compound actions

    def open_entry(self, entry_id: int) -> None:
        self.push_screen(EntryScreen(self.adapter, entry_id))

    def action_undo(self) -> None:
        self.mutate(self.adapter.undo, "undone the last change")

    def start_merge(self, entry_ids: list[int]) -> None:
        """Load the entries (worker), choose preferred terms in a modal, confirm, then merge."""
        self._load_for_merge(list(dict.fromkeys(entry_ids)))

    @dataclass
    class MergeReady(Message):
        entries: list[EntryData]

    @work(thread=True, group="merge-load")
    def _load_for_merge(self, entry_ids: list[int]) -> None:
        try:
            entries = self.adapter.merge_candidates(entry_ids)
        except GlossaryError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.MergeReady(entries))

    @on(MergeReady)
    def _merge_ready(self, message: MergeReady) -> None:
        entries = message.entries

        def chosen(plan: MergePlan | None) -> None:
            if plan is None:
                self.tell("merge cancelled")
                return

            def confirmed(yes: bool | None) -> None:
                if not yes:
                    self.tell("merge cancelled")
                    return
                follow = {i: plan.target_id for i in plan.source_ids}
                self.mutate(lambda: self.adapter.merge(plan.target_id, plan.source_ids, plan.versions,
                                                       plan.preferred),
                            f"merged {len(plan.source_ids) + 1} entries into #{plan.target_id}", follow)

            self.push_screen(ConfirmScreen(plan.describe(entries)), confirmed)

        self.push_screen(MergeScreen(entries), chosen)

    def start_export(self) -> None:
        formats, available = self.adapter.export_formats()

        def chosen(req: ExportRequest | None) -> None:
            if req is None:
                return
            statuses = ("approved",) if req.approved_only else None
            self._export(req, statuses)

        self.push_screen(ExportScreen(formats, available, self.export_dir, self.adapter.export_extension), chosen)

    @work(thread=True, group="export")
    def _export(self, req: ExportRequest, statuses) -> None:
        try:
            Path(req.path).parent.mkdir(parents=True, exist_ok=True)
            n = self.adapter.export(req.path, req.format, statuses)
        except (GlossaryError, OSError) as exc:
            self.post_message(self.Failed(f"export failed: {exc}"))
            return
        self.call_from_thread(self.tell, f"exported {n} entries to {req.path} ({req.format})")


def run(adapter: ReviewAdapter) -> None:
    ReviewApp(adapter).run()
