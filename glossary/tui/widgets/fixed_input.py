"""An Input in a box of fixed size: typing repaints the box, it does not lay the whole screen out again."""

from __future__ import annotations

from textual.widgets import Input


class FixedInput(Input):
    """Input whose width and height never depend on its value (the queue's search and score boxes).

    Textual's Input sets its virtual width to the value's length on every keystroke, and `virtual_size`
    is a layout reactive: each key would re-arrange every widget of the screen and paint all of it (~25 ms
    at 130x36) before the search results can be painted. The box's size comes from CSS alone, so a changed
    virtual size only needs a repaint (scrolling inside the box is clamped by the widget itself)."""

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if layout and not recompose and not self.styles.auto_dimensions:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
