"""Small modal dialogs: confirm, error, and the time-travel date picker."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from grouppass_tui.dates import long_date
from grouppass_tui.i18n import t
from grouppass_tui.screens.base import AppModal
from grouppass_tui.screens.form_base import FormScreen
from grouppass_tui.widgets.form import DateField

__all__ = ["AsOfScreen", "ConfirmScreen", "ErrorScreen"]

DIALOG_CSS = """
    align: center middle;
    & > #dialog {
        width: 70;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    & #dialog-title {
        text-style: bold;
        padding: 0 0 1 0;
    }
    & #dialog-body {
        height: auto;
        max-height: 20;
        overflow-y: auto;
    }
    & #dialog-buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    & #dialog-buttons Button {
        margin-left: 1;
    }
"""


class ConfirmScreen(AppModal[bool]):
    """A yes/no question; ``y``/Enter for yes, ``n``/Escape for no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, do it"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", tooltip="No, go back"),
    ]

    DEFAULT_CSS = (
        "ConfirmScreen {"
        + DIALOG_CSS
        + "}\nConfirmScreen.-danger > #dialog { border: thick $error; }"
    )

    def __init__(
        self, title: str, body: str | Text, *, yes: str, no: str, danger: bool = False
    ) -> None:
        super().__init__(classes="-danger" if danger else None)
        self._title, self._body, self._yes, self._no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title, end=""), id="dialog-title")
            yield Static(
                self._body if isinstance(self._body, Text) else Text(self._body), id="dialog-body"
            )
            with Horizontal(id="dialog-buttons"):
                yield Button(
                    self._yes, variant="error" if self.has_class("-danger") else "primary", id="yes"
                )
                yield Button(self._no, id="no")

    def on_mount(self) -> None:
        # Safe default: the harmless choice has focus, a stray Enter does nothing drastic.
        self.query_one("#no" if self.has_class("-danger") else "#yes", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ErrorScreen(AppModal[None]):
    """Something failed that the organiser should know about (a disk error, a bug)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "Close", id="error.close", tooltip="Close"),
    ]

    DEFAULT_CSS = (
        "ErrorScreen {" + DIALOG_CSS + "}\nErrorScreen > #dialog { border: thick $error; }"
    )

    def __init__(self, title: str, detail: str) -> None:
        super().__init__()
        self._title, self._detail = title, detail

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(self._title, end=""), id="dialog-title")
            yield Static(Text(self._detail), id="dialog-body")
            yield Static(Text(t("error.hint"), style="dim"))
            with Horizontal(id="dialog-buttons"):
                yield Button(t("dialog.close"), variant="primary", id="close")

    def action_close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)


class AsOfScreen(FormScreen[dt.date]):
    """Choose the day the figures are for: replay a past day or look ahead."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Apply", id="asof.apply", tooltip="Show figures for this day"),
        Binding("escape", "cancel", "Cancel", id="asof.cancel", tooltip="Keep the current day"),
        Binding("pageup", "shift(-7)", "−7 days", id="asof.week_back", tooltip="A week earlier"),
        Binding("pagedown", "shift(7)", "+7 days", id="asof.week_forward", tooltip="A week later"),
        Binding(
            "up", "shift(-1)", "−1 day", show=False, id="asof.day_back", tooltip="A day earlier"
        ),
        Binding(
            "down", "shift(1)", "+1 day", show=False, id="asof.day_forward", tooltip="A day later"
        ),
    ]

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.title_text = t("asof.title", date=long_date(as_of))
        super().__init__()

    def form_fields(self) -> list[DateField | Static]:
        return [
            DateField("as_of", t("asof.field"), self.as_of, required=True),
            Static(Text(t("asof.help"), style="dim")),
        ]

    @property
    def is_dirty(self) -> bool:
        return False  # a date being chosen is not an edit to lose

    def build(self) -> dt.date:
        value = self.field("as_of").value
        assert isinstance(value, dt.date)
        return value

    def action_shift(self, days: int) -> None:
        field = self.field("as_of")
        assert isinstance(field, DateField)
        current = field.value if isinstance(field.value, dt.date) else self.as_of
        field.text = (current + dt.timedelta(days=days)).isoformat()
