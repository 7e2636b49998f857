"""Modal dialogs: yes/no confirmation, merge (choose surviving preferred terms) and export (choose a format)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet

from glossary.data import EntryData


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True on yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(self.question, id="question")
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="primary", id="yes")
                yield Button("No (n)", id="no")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


@dataclass
class MergePlan:
    target_id: int
    source_ids: list[int]
    versions: dict[int, int]
    preferred: dict[str, int]  # lang → surviving preferred term id

    def describe(self, entries: list[EntryData]) -> str:
        terms = {t.id: t.text for e in entries for t in e.terms}
        keep = " / ".join(terms[i] for i in self.preferred.values() if i in terms)
        return (f"Merge {len(self.source_ids)} entr{'y' if len(self.source_ids) == 1 else 'ies'} "
                f"into #{self.target_id}, keeping {keep} as preferred?")


def merge_choices(entries: list[EntryData], lang: str) -> list[tuple[int, str, bool]]:
    """(term id, label, preferred-in-target) per distinct term of a language; the target's twins win."""
    seen: set[str] = set()
    out = []
    for n, e in enumerate(entries):
        for t in e.terms:
            key = t.text.casefold()
            if t.lang != lang or key in seen:
                continue
            seen.add(key)
            out.append((t.id, f"{t.text}  (#{e.id}, {t.status})", n == 0 and t.status == "preferred"))
    return out


class MergeScreen(ModalScreen["MergePlan | None"]):
    """Choose, per language, which term survives as preferred; the highest-scored entry is the target."""

    BINDINGS = [
        Binding("ctrl+s", "merge", "Merge", id="merge.confirm"),
        Binding("escape", "cancel", "Cancel", id="merge.cancel"),
    ]

    def __init__(self, entries: list[EntryData]) -> None:
        super().__init__()
        self.entries = sorted(entries, key=lambda e: (-(e.score or 0), e.id or 0))

    def compose(self) -> ComposeResult:
        target = self.entries[0]
        with Vertical(id="dialog", classes="dialog merge"):
            yield Label(f"Merge {len(self.entries)} entries into #{target.id} — choose the preferred terms",
                        id="merge-title")
            for lang in ("zh", "en"):
                choices = merge_choices(self.entries, lang)
                if not choices:
                    continue
                yield Label(f"preferred {lang}", classes="section")
                first_pref = any(p for _i, _l, p in choices)
                with RadioSet(id=f"pick-{lang}"):
                    for n, (term_id, label, pref) in enumerate(choices):
                        on_ = pref or (not first_pref and n == 0)
                        yield RadioButton(label, value=on_, name=str(term_id))
            with Horizontal(classes="buttons"):
                yield Button("Merge (ctrl+s)", variant="warning", id="merge")
                yield Button("Cancel (esc)", id="cancel")

    def plan(self) -> MergePlan:
        target = self.entries[0]
        preferred = {}
        for lang in ("zh", "en"):
            sets = self.query(f"#pick-{lang}")
            if sets:
                pressed = sets.first(RadioSet).pressed_button
                if pressed is not None and pressed.name:
                    preferred[lang] = int(pressed.name)
        return MergePlan(target.id, [e.id for e in self.entries[1:]],
                         {e.id: e.version for e in self.entries}, preferred)

    def action_merge(self) -> None:
        self.dismiss(self.plan())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#merge")
    def _merge(self) -> None:
        self.action_merge()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


@dataclass
class ExportRequest:
    format: str
    path: str
    approved_only: bool


class ExportScreen(ModalScreen["ExportRequest | None"]):
    """Pick an export format and a path; shows which formats exist when the engine is missing."""

    BINDINGS = [
        Binding("ctrl+s", "export", "Export", id="export.confirm"),
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, formats: tuple[str, ...], available: bool, directory: str = "exports",
                 extension=lambda fmt: fmt) -> None:
        super().__init__()
        self.formats = formats
        self.extension = extension
        self.available = available
        self.directory = directory

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog export"):
            yield Label("Export the glossary", id="export-title")
            if not self.available:
                yield Label("The export engine is not installed yet; formats planned: "
                            + ", ".join(self.formats), id="export-note", classes="warning")
            with RadioSet(id="formats"):
                for n, fmt in enumerate(self.formats):
                    yield RadioButton(fmt, value=n == 0, name=fmt)
            yield Input(f"{self.directory}/glossary.{self.extension(self.formats[0])}", id="export-path")
            yield Checkbox("approved entries only", value=True, id="approved-only")
            with Horizontal(classes="buttons"):
                yield Button("Export (ctrl+s)", variant="primary", id="export", disabled=not self.available)
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).cursor_blink = self.app.cursor_blink

    @on(RadioSet.Changed, "#formats")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        fmt = event.pressed.name or self.formats[0]
        path = self.query_one("#export-path", Input)
        stem = path.value.rsplit(".", 1)[0] if "." in path.value else path.value
        path.value = f"{stem}.{self.extension(fmt)}"

    def action_export(self) -> None:
        if not self.available:
            self.notify("export engine not available: " + ", ".join(self.formats), severity="warning")
            return
        pressed = self.query_one("#formats", RadioSet).pressed_button
        fmt = pressed.name if pressed is not None and pressed.name else self.formats[0]
        self.dismiss(ExportRequest(fmt, self.query_one("#export-path", Input).value,
                                   self.query_one("#approved-only", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
