"""Merge-suggestion list: near-duplicate entries next to the current entry."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from glossary.store.browse import Suggestion


class SuggestionList(OptionList):
    """Each option is a Suggestion; choosing one asks to merge it into the current entry."""

    @dataclass
    class MergeRequested(Message):
        suggestion: Suggestion

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.suggestions: list[Suggestion] = []

    def show(self, suggestions: list[Suggestion]) -> None:
        self.suggestions = list(suggestions)
        self.clear_options()
        if not suggestions:
            self.add_option(Option("no merge suggestions", disabled=True))
            return
        self.add_options(
            Option(f"#{s.entry_id} {s.label}\n  {s.reason} ({s.similarity:.0f})", id=str(s.entry_id))
            for s in suggestions
        )
        self.highlighted = 0

    @property
    def current(self) -> Suggestion | None:
        if self.highlighted is None or not self.suggestions or self.highlighted >= len(self.suggestions):
            return None
        return self.suggestions[self.highlighted]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        sug = self.current
        if sug is not None:
            self.post_message(self.MergeRequested(sug))
