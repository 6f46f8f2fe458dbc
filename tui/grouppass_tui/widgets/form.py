"""Form fields validated as you type, each with a message saying what is wrong.

A field owns a label, an input and a message line under it. ``check`` turns
the typed text into a value or raises ValueError with the message to show;
dates also echo what they were read as ("= Kamis, 15 Maret 2018"), so a
day-first/month-first mix-up is visible before saving.

The message line is always there (one row, empty when there is nothing to
say), so the form never jumps while the organiser types; "required" is said
only once the field has been touched, not at the first sight of the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from grouppass_tui.dates import long_date, parse_date
from grouppass_tui.i18n import t

__all__ = [
    "CheckField",
    "ChoicesField",
    "DateField",
    "Field",
    "NumberField",
    "SelectField",
    "TextField",
    "ThreeField",
]

V = TypeVar("V")


class Field(Vertical, Generic[V]):
    """Label, input and message; ``value`` is the checked value, ``error`` the message or None."""

    # One line per field (label beside a compact input), plus a message line only
    # when there is something to say: a long form still fits 80x24.
    DEFAULT_CSS = """
    Field {
        height: auto;
        layout: grid;
        grid-size: 2;
        grid-columns: 26 1fr;
        grid-rows: auto;
    }
    Field > Label {
        color: $text-muted;
        padding: 0 1;
        width: 100%;
    }
    Field > .field-message {
        column-span: 2;
        height: auto;
        min-height: 1;
        padding: 0 1 0 27;
        color: $text-muted;
    }
    Field.-invalid > .field-message {
        color: $error;
        text-style: bold;
    }
    Field.-warning > .field-message {
        color: $warning;
    }
    Field.-invalid > Input {
        background: $error 20%;
    }
    """

    def __init__(self, field_id: str, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id or f"field-{field_id}")
        self.field_id = field_id
        self.label = label
        self.error: str | None = None
        """What is wrong with the typed value, in the UI language; None when fine."""
        self.warning: str | None = None
        """Something unusual that does not stop a save (a passport number's form)."""
        self.value: V | None = None
        """The value as read from the input; None when empty or invalid."""
        self.touched = False
        """True once the organiser typed here: only then is "required" said."""
        self._note: str | None = None
        self._quiet = False

    def set_message(
        self, error: str | None, note: str | None = None, *, quiet: bool = False
    ) -> None:
        """Set the field's state; ``quiet``: an error shows only once the field is touched."""
        self.error = error
        self._note = note
        self._quiet = quiet
        self.unmark()

    def mark(self, message: str) -> None:
        """Blame this field for a problem found across fields (not its own error)."""
        self.set_class(True, "-invalid")
        self._show_message(message)

    def unmark(self) -> None:
        """Show the field's own state again."""
        error = None if self._quiet and not self.touched else self.error
        self.set_class(error is not None, "-invalid")
        self.set_class(error is None and self.warning is not None, "-warning")
        message = error or self.warning or self._note or ""
        self._show_message(message)

    _shown: str | None = None

    def _show_message(self, message: str) -> None:
        # Every keystroke checks the whole form again: a line that stays the same is
        # not redrawn (a repaint would share the interpreter with a save's figures).
        if message != self._shown:
            self._shown = message
            self.query_one(".field-message", Static).update(Text(message, end=""))

    @property
    def changed(self) -> bool:
        return False

    @property
    def shows_error(self) -> bool:
        """True when the error is on screen (a required field not yet touched keeps quiet)."""
        return self.error is not None and not (self._quiet and not self.touched)


class TextField(Field[Any]):
    """A text input whose ``check`` parses and validates it."""

    def __init__(
        self,
        field_id: str,
        label: str,
        value: str = "",
        *,
        check: Callable[[str], Any] | None = None,
        required: bool = False,
        placeholder: str = "",
        warn: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(field_id, label)
        self._initial = value
        self._check = check
        self._required = required
        self._warn = warn
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Label(self.label + (" *" if self._required else ""))
        yield Input(
            self._initial,
            placeholder=self._placeholder,
            id=f"input-{self.field_id}",
            select_on_focus=False,
            compact=True,
        )
        yield Static(classes="field-message")

    def on_mount(self) -> None:
        self.validate_now()

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    @text.setter
    def text(self, value: str) -> None:
        self.query_one(Input).value = value

    @property
    def changed(self) -> bool:
        return self.text != self._initial

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.text != self._initial:
            self.touched = True
        self.validate_now()

    def on_descendant_blur(self) -> None:
        if not self.touched and self._required and not self.text.strip():
            self.touched = True  # left empty on the way past: now say it is needed
            self.unmark()

    def validate_now(self) -> None:
        raw = self.text.strip()
        self.warning = None
        if not raw:
            self.value = None
            self.set_message(t("form.required") if self._required else None, quiet=True)
            return
        try:
            self.value = self._check(raw) if self._check else raw
        except ValueError as error:
            self.value = None
            self.set_message(str(error))
            return
        self.warning = self._warn(raw) if self._warn else None
        self.set_message(None, self.note(self.value))

    def note(self, value: Any) -> str | None:
        return None


class DateField(TextField):
    """A date typed as 2018-03-15, 15/03/2018 or 15 Maret 2018; echoes the day it read."""

    def __init__(
        self,
        field_id: str,
        label: str,
        value: dt.date | None = None,
        *,
        required: bool = False,
        check: Callable[[dt.date], None] | None = None,
        warn: Callable[[dt.date], str | None] | None = None,
    ) -> None:
        self._extra = check
        self._warn_date = warn
        super().__init__(
            field_id,
            label,
            value.isoformat() if value else "",
            check=self._parse,
            required=required,
            placeholder=t("form.date_placeholder"),
            warn=self._warn_on if warn else None,
        )

    def _warn_on(self, raw: str) -> str | None:
        assert self._warn_date is not None
        return self._warn_date(parse_date(raw))

    def _parse(self, raw: str) -> dt.date:
        day = parse_date(raw)
        if self._extra is not None:
            self._extra(day)
        return day

    def note(self, value: Any) -> str | None:
        return "= " + long_date(value)

    def unmark(self) -> None:
        super().unmark()
        if self.warning and self.value is not None and self.error is None:
            # The day it read and why it will not count, on one line.
            self._show_message(f"= {long_date(self.value)} · {self.warning}")


class NumberField(TextField):
    """A number with bounds; decimals with a comma or a dot."""

    def __init__(
        self,
        field_id: str,
        label: str,
        value: float | None = None,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        integer: bool = False,
        required: bool = False,
    ) -> None:
        self._min, self._max, self._integer = minimum, maximum, integer
        shown = "" if value is None else (f"{value:g}" if not integer else str(int(value)))
        super().__init__(field_id, label, shown, check=self._parse, required=required)

    def _parse(self, raw: str) -> float:
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            raise ValueError(t("form.not_number", text=raw)) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(t("form.not_number", text=raw))
        if self._integer and number != int(number):
            raise ValueError(t("form.not_integer", text=raw))
        if self._min is not None and number < self._min:
            raise ValueError(t("form.too_small", min=f"{self._min:g}"))
        if self._max is not None and number > self._max:
            raise ValueError(t("form.too_large", max=f"{self._max:g}"))
        return number


class SelectField(Field[Any]):
    """A choice from a list; ``None`` as a value means "none"."""

    def __init__(
        self, field_id: str, label: str, options: Sequence[tuple[str, Any]], value: Any
    ) -> None:
        super().__init__(field_id, label)
        self._options = list(options)
        self._initial = value
        self.value = value

    def compose(self) -> ComposeResult:
        yield Label(self.label)
        yield Select(
            [(Text(label), i) for i, (label, _) in enumerate(self._options)],
            value=self._index(self._initial),
            allow_blank=False,
            id=f"input-{self.field_id}",
            compact=True,
        )
        yield Static(classes="field-message")

    def _index(self, value: Any) -> int:
        for i, (_, v) in enumerate(self._options):
            if v == value:
                return i
        return 0

    def on_select_changed(self, event: Select.Changed) -> None:
        index = event.value
        if isinstance(index, int):
            self.value = self._options[index][1]

    def select(self, value: Any) -> None:
        self.query_one(Select).value = self._index(value)
        self.value = value

    @property
    def changed(self) -> bool:
        return bool(self.value != self._initial)


class CheckField(Field[bool]):
    def __init__(self, field_id: str, label: str, value: bool = False) -> None:
        super().__init__(field_id, label)
        self._initial = value
        self.value = value

    def compose(self) -> ComposeResult:
        yield Label("")
        yield Checkbox(self.label, self._initial, id=f"input-{self.field_id}", compact=True)
        yield Static(classes="field-message")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.value = event.value

    @property
    def changed(self) -> bool:
        return self.value != self._initial


class ChoicesField(Field[tuple[str, ...]]):
    """Several choices from a list (offices and systems a disruption hits)."""

    DEFAULT_CSS = """
    ChoicesField SelectionList {
        height: auto;
        max-height: 8;
    }
    """

    def __init__(
        self,
        field_id: str,
        label: str,
        options: Sequence[tuple[str, str]],
        chosen: Sequence[str],
        *,
        required: bool = False,
    ) -> None:
        super().__init__(field_id, label)
        self._options = list(options)
        self._initial = tuple(chosen)
        self._required = required
        self.value = self._initial

    def compose(self) -> ComposeResult:
        from textual.widgets import SelectionList

        yield Label(self.label + (" *" if self._required else ""))
        yield SelectionList[str](
            *[(Text(label), value, value in self._initial) for label, value in self._options],
            id=f"input-{self.field_id}",
        )
        yield Static(classes="field-message")

    def on_mount(self) -> None:
        self._check()

    def on_selection_list_selected_changed(self, event: object) -> None:
        from textual.widgets import SelectionList

        chosen = self.query_one(SelectionList).selected
        self.value = tuple(v for _, v in self._options if v in chosen)
        self._check()

    def _check(self) -> None:
        empty = self._required and not self.value
        self.set_message(t("form.choose_one") if empty else None)

    @property
    def changed(self) -> bool:
        return self.value != self._initial


class ThreeField(Field[tuple[float, float, float]]):
    """Least / most likely / most, in working days: three short inputs on one line.

    ``value`` is ``(low, mode, high)`` when all three read as numbers in order.
    """

    DEFAULT_CSS = """
    ThreeField > Horizontal {
        height: 1;
        width: 1fr;
    }
    ThreeField Input {
        width: 1fr;
        margin-right: 1;
    }
    ThreeField .part {
        width: auto;
        color: $text-muted;
        padding-right: 1;
    }
    """

    PARTS = ("low", "mode", "high")

    def __init__(
        self,
        field_id: str,
        label: str,
        value: tuple[float, float, float] | None = None,
        *,
        maximum: float = 365,
    ) -> None:
        super().__init__(field_id, label)
        self._initial = tuple(f"{v:g}" for v in value) if value else ("", "", "")
        self._max = maximum

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal

        yield Label(self.label + " *")
        with Horizontal():
            for part, initial in zip(self.PARTS, self._initial, strict=True):
                yield Label(t(f"field.{part}"), classes="part")
                yield Input(
                    initial,
                    id=f"input-{self.field_id}_{part}",
                    select_on_focus=False,
                    compact=True,
                )
        yield Static(classes="field-message")

    def on_mount(self) -> None:
        self.validate_now()

    def texts(self) -> tuple[str, ...]:
        return tuple(self.query_one(f"#input-{self.field_id}_{p}", Input).value for p in self.PARTS)

    @property
    def changed(self) -> bool:
        return self.texts() != self._initial

    def on_input_changed(self, event: Input.Changed) -> None:
        self.touched = True
        self.validate_now()

    def validate_now(self) -> None:
        numbers: list[float] = []
        for part, raw in zip(self.PARTS, self.texts(), strict=True):
            text = raw.strip()
            if not text:
                self.value = None
                self.set_message(t("form.required"), quiet=True)
                return
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                number = float("nan")
            if number != number or not 0 <= number <= self._max:
                self.value = None
                self.set_message(t("form.three_bad", part=t(f"field.{part}"), max=f"{self._max:g}"))
                return
            numbers.append(number)
        low, mode, high = numbers
        if not low <= mode <= high:
            self.value = None
            self.set_message(t("order.three_point"))
            return
        self.value = (low, mode, high)
        self.set_message(None)
