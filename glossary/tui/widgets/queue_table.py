"""The queue table: one page-at-a-time DataTable of entries with a selection mark column."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from glossary.store.browse import QueueRow

COLUMNS = (("sel", " "), ("zh", "zh"), ("pinyin", "pinyin"), ("en", "en (preferred)"),
           ("variants", "variants"), ("score", "score"), ("sources", "src"), ("status", "status"))
STATUS_STYLE = {"proposed": "yellow", "approved": "green", "rejected": "red"}


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class QueueTable(DataTable):
    """Rows are appended a page at a time; `rows_by_id` keeps the plain QueueRow (id, version) per row."""

    DEFAULT_CSS = """
    QueueTable { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rows_by_id: dict[int, QueueRow] = {}
        self.selected: set[int] = set()

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def replace_rows(self, rows: list[QueueRow]) -> None:
        keep = self.cursor_row
        self.clear()
        self.rows_by_id.clear()
        self.append_rows(rows)
        if self.row_count:
            self.move_cursor(row=min(max(keep, 0), self.row_count - 1), scroll=True)

    def append_rows(self, rows: list[QueueRow]) -> None:
        for r in rows:
            if r.id in self.rows_by_id:
                continue
            self.rows_by_id[r.id] = r
            self.add_row(*self._cells(r), key=str(r.id))

    def _cells(self, r: QueueRow) -> tuple:
        score = "" if r.score is None else f"{r.score:.2f}"
        return (
            "✓" if r.id in self.selected else " ",
            _clip(r.zh, 12),
            _clip(r.pinyin, 14),
            _clip(r.en, 22),
            _clip(" | ".join(r.variants), 14),
            Text(score, justify="right"),
            Text(str(r.sources), justify="right"),
            Text(r.status, style=STATUS_STYLE.get(r.status, "")),
        )

    @property
    def current(self) -> QueueRow | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key((self.cursor_row, 0)).row_key.value
        return self.rows_by_id.get(int(key))

    def toggle_selected(self) -> QueueRow | None:
        row = self.current
        if row is None:
            return None
        if row.id in self.selected:
            self.selected.discard(row.id)
        else:
            self.selected.add(row.id)
        self.update_cell(str(row.id), "sel", "✓" if row.id in self.selected else " ")
        return row

    def selected_rows(self) -> list[QueueRow]:
        return [self.rows_by_id[i] for i in self.selected if i in self.rows_by_id]
