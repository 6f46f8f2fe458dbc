"""F1 / ?: every key of the screen below and of the app, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from grouppass_tui.i18n import t
from grouppass_tui.localize import binding_text
from grouppass_tui.screens.base import AppModal
from grouppass_tui.screens.dialogs import DIALOG_CSS

__all__ = ["HelpScreen", "bindings_of"]


def bindings_of(node: DOMNode) -> list[Binding]:
    """The node's own bindings with an id (the ones the organiser should know), in order."""
    seen: set[str] = set()
    out = []
    for items in node._bindings.key_to_bindings.values():
        for binding in items:
            if binding.id and binding.id not in seen:
                seen.add(binding.id)
                out.append(binding)
    return out


class HelpScreen(AppModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,f1,question_mark,q", "close", "Close", id="help.close", tooltip="Close the help"
        ),
    ]

    DEFAULT_CSS = (
        "HelpScreen {" + DIALOG_CSS + "}\n"
        "HelpScreen > #dialog { width: 100; height: 90%; }\n"
        "HelpScreen #dialog-body { height: 1fr; max-height: 100%; }"
    )

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(t("help.title"), end=""), id="dialog-title")
            with VerticalScroll(id="dialog-body"):
                yield Static(self._table())
            yield Static(Text(t("help.footer"), style="dim"))

    def _section(self, table: Table, title: str, node: DOMNode) -> None:
        table.add_row(Text(title, style="bold underline"), "", "")
        for binding in bindings_of(node):
            if binding.id and binding.id.startswith("group.sort"):
                # Nine "sort by column N" keys read as one line.
                if binding.id == "group.sort1":
                    table.add_row(
                        Text("1 … 9", style="bold"),
                        Text(t("help.sort")),
                        Text(t("help.sort_tip"), style="dim"),
                    )
                continue
            description, tooltip = binding_text(binding)
            keys = [
                self.app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(",")
            ]
            table.add_row(
                Text(" / ".join(dict.fromkeys(keys)), style="bold"),
                Text(description),
                Text(tooltip, style="dim"),
            )

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_header=False, pad_edge=False)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        self._section(table, t("help.this_screen"), self.below)
        table.add_row("", "", "")
        self._section(table, t("help.everywhere"), self.app)
        table.add_row(
            Text("ctrl+p", style="bold"),
            Text(t("help.palette")),
            Text(t("help.palette_tip"), style="dim"),
        )
        return table

    def action_close(self) -> None:
        self.dismiss(None)
