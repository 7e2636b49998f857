"""Evidence view: source sentence pairs with the entry's terms highlighted on both sides."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from glossary.store.browse import EvidencePair

HIGHLIGHT = "bold black on yellow"


def highlighted(text: str, spans: list[tuple[int, int]]) -> Text:
    out = Text(text)
    for start, end in spans:
        out.stylize(HIGHLIGHT, start, end)
    return out


def render_pair(pair: EvidencePair) -> Group:
    head = Text(f"{pair.document} #{pair.position}", style="dim italic")
    return Group(head, highlighted(pair.zh, pair.zh_spans), highlighted(pair.en, pair.en_spans), Text(""))


class EvidenceView(Static):
    """Renders a list of EvidencePair (or a note when there is none)."""

    def show(self, pairs: list[EvidencePair], total: int) -> None:
        if not pairs:
            self.update(Text("no evidence recorded for this entry", style="dim"))
            return
        parts = [render_pair(p) for p in pairs]
        if total > len(pairs):
            parts.append(Text(f"… {total - len(pairs)} more sentence pairs", style="dim"))
        self.update(Group(*parts))
