"""The queue table: one page-at-a-time DataTable of entries with a selection mark column."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
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
        self._meta_styles: dict[tuple[int, int], Style] = {}  # (row, column) → click metadata style
        self._frame_row_styles: dict[int, Style] = {}  # zebra style per row parity, for one repaint
        self._painted_cells = LRUCache(4000)  # rendered cells keyed by what they show (kept across pages, see below)

    def render_lines(self, crop):
        self._frame_row_styles = {}
        return super().render_lines(crop)

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        """The zebra style once per parity and repaint (DataTable looks the component style up per line)."""
        if row_index < 0 or row_index < self.fixed_rows or not self.zebra_stripes:
            return super()._get_row_style(row_index, base_style)
        parity = row_index % 2
        style = self._frame_row_styles.get(parity)
        if style is None:
            style = self._frame_row_styles[parity] = super()._get_row_style(row_index, base_style)
        return style

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self.add_column(label, key=key)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._painted_cells = LRUCache(4000)

    def replace_rows(self, rows: list[QueueRow]) -> None:
        """The next page of results in place of the current one. Rendered cells are cached by content and
        position, not by DataTable's update counter, so rows a refined query still shows at the same place
        are not rendered again (successive keystrokes mostly keep the top rows)."""
        keep = self.cursor_row
        cells = self._painted_cells
        self.clear()
        self._painted_cells = cells
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

    def _update_dimensions(self, new_rows) -> None:
        """Column widths from the new rows' plain text (DataTable measures every cell through a Rich console,
        parsing markup); the same widths for our one-line, markup-free cells."""
        if self._labelled_row_exists:
            return super()._update_dimensions(new_rows)
        columns = self.ordered_columns
        for row_key in new_rows:
            if self._row_locations.get(row_key) is None:
                continue
            data = self._data[row_key]
            for column in columns:
                width = _cell_width(data.get(column.key))
                if width > column.content_width:
                    column.content_width = width
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width + self._row_label_column_width, self._total_row_height + header)

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False):
        """One body cell as segments, built directly (DataTable renders each cell through a Rich console,
        the dominant cost of repainting a page); the same segments and styles, cached the same way."""
        row_key = self._row_locations.get_key(row_index) if row_index >= 0 and column_index >= 0 else None
        row = self.rows.get(row_key) if row_key is not None else None
        if row is None or row.height != 1 or row_index < self.fixed_rows or column_index < self.fixed_columns:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        column_key = self._column_locations.get_key(column_index)
        value = self._data[row_key].get(column_key)
        if isinstance(value, Text):
            if value.spans:
                return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            plain, text_style, justify = value.plain, value.style, value.justify
        else:
            plain, text_style, justify = ("" if value is None else str(value)), "", None
        cache_key = (row_index, column_index, plain, str(text_style), justify, base_style, width, cursor, hover,
                     self._show_hover_cursor, self._pseudo_class_state, self.show_cursor, self.cell_padding)
        lines = self._painted_cells.get(cache_key)
        if lines is None:
            component, post = self._get_styles_to_render_cell(
                False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
                self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
            meta = self._meta_styles.get((row_index, column_index))
            if meta is None:
                meta = self._meta_styles[(row_index, column_index)] = Style.from_meta(
                    {"row": row_index, "column": column_index})
            pre = base_style + meta + component
            lines = [_cell_line(plain, text_style, justify, pre, post, width, self.cell_padding)]
            self._painted_cells.set(cache_key, lines)
        return lines

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


def _cell_width(value) -> int:
    if value is None:
        return 0
    return cell_len(value.plain if isinstance(value, Text) else str(value))


def _cell_line(plain: str, text_style, justify: str | None, pre: Style, post: Style, width: int,
               padding: int) -> list[Segment]:
    """A one-line cell: padding, text (cropped to fit; right-justified if asked), fill, padding."""
    inner = max(0, width - 2 * padding)
    if cell_len(plain) > inner:
        plain = set_cell_size(plain, inner)
    fill = " " * (inner - cell_len(plain))
    blank = pre + post if post else pre
    styled = pre + Style.parse(text_style) if isinstance(text_style, str) and text_style else (
        pre + text_style if isinstance(text_style, Style) else pre)
    if post:
        styled = styled + post
    pad = " " * padding
    if justify == "right":
        body = [Segment(fill + plain, styled)] if fill or plain else []
    else:
        body = ([Segment(plain, styled)] if plain else []) + ([Segment(fill, blank)] if fill else [])
    ends = [Segment(pad, blank)] if padding else []
    return ends + body + ends
