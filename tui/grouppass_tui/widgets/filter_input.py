"""The box above a list that filters it as you type."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

__all__ = ["FilterInput"]


class FilterInput(Input):
    """Type to narrow the list below; Escape clears, Enter or ↓ goes back to the list."""

    DEFAULT_CSS = """
    FilterInput {
        height: 1;
        border: none;
        padding: 0 1;
        margin: 0;
        background: $surface;
    }
    FilterInput:focus {
        border: none;
        background: $boost;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear", id="filter.clear", tooltip="Clear the filter"),
        Binding(
            "down,enter",
            "to_list",
            "List",
            show=False,
            id="filter.to_list",
            tooltip="Back to the list",
        ),
    ]

    def action_clear_filter(self) -> None:
        self.value = ""
        self.action_to_list()

    def action_to_list(self) -> None:
        self.screen.focus_next()
