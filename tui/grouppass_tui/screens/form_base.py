"""A modal form: fields validated as you type, Save only when everything is right.

Subclasses compose their fields and turn them into a domain object in
``build()``; model validators (stage order, recovery after start) raise
ValueError there and the message is shown under the form, in plain words.
Escape on a changed form asks before throwing the edit away.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, SelectionList, Static

from grouppass_tui.i18n import plural, t
from grouppass_tui.screens.base import AppModal
from grouppass_tui.widgets.form import Field

__all__ = ["FormError", "FormScreen"]

T = TypeVar("T")


class FormError(ValueError):
    """A problem across fields (``field_id`` marks the one to blame, if any)."""

    def __init__(self, message: str, field_id: str | None = None) -> None:
        super().__init__(message)
        self.field_id = field_id


class FormScreen(AppModal[T], Generic[T]):
    """Fields in a scrolling box, a line for form-level problems, Save and Cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="form.save", tooltip="Save (only when valid)"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="form.cancel",
            tooltip="Close without saving (asks if you changed something)",
        ),
    ]

    DEFAULT_CSS = """
    FormScreen {
        align: center middle;
    }
    FormScreen > #dialog {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    FormScreen #form-title {
        text-style: bold;
        padding: 0 1;
        width: 1fr;
    }
    FormScreen #form-fields {
        height: auto;
    }
    FormScreen #form-error {
        color: $error;
        text-style: bold;
        padding: 0 1;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    FormScreen #form-error.-quiet {
        color: $text-muted;
        text-style: none;
    }
    FormScreen #form-buttons {
        height: auto;
        align-horizontal: right;
    }
    FormScreen #form-buttons Button {
        margin-left: 1;
        min-width: 10;
    }
    """

    title_text: str = ""
    reopened: bool = False
    """True when the form starts from an edit not yet saved (after a conflict): dirty at once."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="form-title")
            with VerticalScroll(id="form-fields"):
                yield from self.form_fields()
            yield Static(id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button(t("form.save"), variant="primary", id="form-save")
                yield Button(t("form.cancel"), id="form-cancel")

    def form_fields(self) -> Iterable[Widget]:
        raise NotImplementedError

    def build(self) -> T:
        """The domain object the fields describe; raises FormError/ValueError if not valid."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.call_after_refresh(self.revalidate)
        # The first field, whatever it is (a choice, a date, a name): where one starts reading.
        fields = self.query_one("#form-fields")
        for widget in fields.query("Input, Select, Checkbox, SelectionList"):
            if widget.focusable:
                widget.focus()
                break

    @on(Input.Submitted)
    def _submitted(self) -> None:
        # Enter applies a form of one field (the day picker); longer forms need ctrl+s.
        if len(self.query(Input)) == 1:
            self.action_save()

    def on_resize(self) -> None:
        # Title, error line, buttons and borders take 8 rows; the fields scroll in the rest,
        # so Save stays on screen even at 80x24.
        self.query_one("#form-fields").styles.max_height = max(self.size.height - 8, 3)

    def field(self, field_id: str) -> Field[object]:
        return self.query_one(f"#field-{field_id}", Field)

    def fields(self) -> list[Field[object]]:
        return list(self.query(Field))

    @property
    def is_dirty(self) -> bool:
        """True once the organiser changed anything: quitting must not lose it."""
        return self.reopened or any(f.changed for f in self.fields())

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        self.revalidate()

    def revalidate(self) -> T | None:
        """Check every field and the whole form; enable Save only if all is well."""
        error_line = self.query_one("#form-error", Static)
        save = self.query_one("#form-save", Button)
        fields = self.fields()
        for f in fields:
            f.unmark()
        bad = [f for f in fields if f.error]
        shown = [f for f in bad if f.shows_error]
        value: T | None = None
        message = ""
        if shown:
            message = plural("form.fix_fields", len(shown))
        elif bad:
            message = t("form.fill_required")
        else:
            try:
                value = self.build()
            except FormError as error:
                message = str(error)
                blamed = self.query(f"#field-{error.field_id}") if error.field_id else None
                if blamed:
                    blamed.first(Field).mark(str(error))
            except ValueError as error:
                message = str(error)
        if message != self._error_shown:
            self._error_shown = message
            error_line.update(Text(message, end=""))
        error_line.set_class(bool(bad) and not shown, "-quiet")
        save.disabled = value is None
        return value

    SAVES_AT_ONCE: ClassVar[bool] = False
    """True where the result's callback only hands a change to ``app.save``: it is called
    at once, and the form stays on screen until the save and its new figures have
    landed. The screen below then repaints once, with the new figures, and they are
    worked out while nothing repaints (a repaint would share the interpreter with
    the worker: issue 11's 100 ms from a recorded stage to its figures)."""

    _sent: T | None = None
    """What was saved at once, while the save is on its way: keys no longer act."""
    _error_shown: str | None = None

    def action_save(self) -> None:
        if self._sent is not None:
            return
        value = self.revalidate()
        if value is None:
            self.app.bell()
            return
        if self.SAVES_AT_ONCE and self._result_callbacks:
            waiting = self._result_callbacks[-1]
            callback, waiting.callback = waiting.callback, None  # dismiss calls it no more
            if callback is not None:
                callback(value)
            self._sent = value
            self.gp.when_saved(self._close_saved)
            return
        self.dismiss(value)

    def _close_saved(self) -> None:
        # Dismissing pops the top screen, whichever it is: a dialog that came up on
        # top (a failed save) closes first, and the form follows when it is back.
        if self.is_current:
            self.dismiss(self._sent)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._sent is not None and not self.gp.saving:
            self.dismiss(self._sent)

    def action_cancel(self) -> None:
        from grouppass_tui.screens.dialogs import ConfirmScreen

        if self._sent is not None:
            return
        if not self.is_dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                t("form.discard_title"),
                t("form.discard_body"),
                yes=t("form.discard"),
                no=t("form.keep_editing"),
                danger=True,
            ),
            answered,
        )

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
