"""When a save meets a record someone else changed: show what changed, lose nothing.

The store refuses a stale save rather than overwrite the other change. This
dialog lays the three versions side by side — as the organiser opened it,
as stored now, and their edit — and offers to reload and re-open the edit on
top of the fresh record, or to reload and drop it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, cast

import attrs
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from grouppass.pii import mask
from grouppass_tui.changes import Change, RemoveGroup, RemoveMember
from grouppass_tui.i18n import t
from grouppass_tui.screens.base import AppModal
from grouppass_tui.screens.dialogs import DIALOG_CSS

__all__ = ["ConflictScreen", "field_label", "flatten"]

_LABELS = {
    "name": "field.name",
    "phone": "field.phone",
    "nik": "field.nik",
    "title": "field.title",
    "notes": "field.notes",
    "passport.number": "field.passport_number",
    "passport.name": "field.passport_name",
    "passport.expires": "field.passport_expires",
    "application.office": "field.application_office",
    "application.booked": "timeline.booked",
    "application.recorded": "timeline.recorded",
    "application.paid": "timeline.paid",
    "application.issued": "timeline.issued",
    "application.collected": "timeline.collected",
    "application.express": "field.express",
    "contacted": "field.contacted",
    "follow_up": "field.follow_up",
    "timezone": "field.timezone",
    "systems": "field.systems",
    "daily_capacity": "field.daily_capacity",
    "daily_intake": "field.daily_intake",
    "alternatives": "field.alternatives",
    "closures": "field.closures",
    "express": "field.express",
    "start": "field.start",
    "recovery.low": "field.recovery_low",
    "recovery.mode": "field.recovery_mode",
    "recovery.high": "field.recovery_high",
    "stops": "field.stops",
    "capacity_factor": "field.capacity_left",
    "reported": "field.reported",
    "ended": "field.ended",
    "note": "field.note",
    "offices": "field.targets",
    "office": "field.group_office",
    "departure": "field.departure",
    "visa_lead_days": "field.visa_lead_days",
    "capacity": "field.group_capacity",
    "kind": "field.kind",
}


_THREE_POINT = {"booking_days": "booking", "issue_days": "issue", "collect_days": "collect"}


def field_label(path: str) -> str:
    """A record field's name in the UI language (``application.paid`` -> "Recorded").

    >>> from grouppass_tui import i18n; i18n.set_language("en")
    >>> field_label("issue_days.mode"), field_label("application.paid")
    ('Printing (days): likely', 'Paid')
    """
    head, _, part = path.rpartition(".")
    if head in _THREE_POINT and part in ("low", "mode", "high"):
        return f"{t(f'field.{_THREE_POINT[head]}_days')}: {t(f'field.{part}')}"
    key = _LABELS.get(path)
    return t(key) if key is not None else path


def flatten(record: object | None, prefix: str = "") -> dict[str, str]:
    """``{"application.paid": "2018-03-01", ...}`` for any attrs record."""
    if record is None:
        return {}
    out: dict[str, str] = {}
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(record))):
        value: Any = getattr(record, field.name)
        key = prefix + field.name
        if attrs.has(type(value)):
            out.update(flatten(value, key + "."))
        elif isinstance(value, tuple):
            out[key] = ", ".join(_show(v) for v in value)
        else:
            out[key] = _show(value)
    return out


def _show(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, dt.date):
        return value.isoformat()
    if attrs.has(type(value)):
        return " ".join(f"{k}={v}" for k, v in flatten(value).items())
    return str(value)


def _masked(key: str, shown: str) -> str:
    return shown if shown == "–" else str(mask(key, shown))


class ConflictScreen(AppModal[bool]):
    """Result: True to reload and re-open the edit, False to reload and drop it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "choose(True)",
            "Reload, keep my edit",
            id="conflict.reopen",
            tooltip="Read the new version and open your edit again on top of it",
        ),
        Binding(
            "d",
            "choose(False)",
            "Reload, drop my edit",
            id="conflict.discard",
            tooltip="Read the new version and forget your edit",
        ),
    ]

    DEFAULT_CSS = (
        "ConflictScreen {" + DIALOG_CSS + "}\n"
        "ConflictScreen > #dialog { width: 100; border: thick $warning; }"
    )

    def __init__(self, change: Change, current: object | None, message: str) -> None:
        super().__init__()
        self.change = change
        self.current = current
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(t("conflict.title"), end=""), id="dialog-title")
            yield Static(Text(t("conflict.body"), end=""))
            with VerticalScroll(id="dialog-body"):
                yield Static(self._table())
            with Horizontal(id="dialog-buttons"):
                yield Button(t("conflict.reopen"), variant="primary", id="reopen")
                yield Button(t("conflict.discard"), id="discard")

    def on_mount(self) -> None:
        self.query_one("#reopen", Button).focus()

    @property
    def is_dirty(self) -> bool:
        """The organiser's edit is not saved while this is open: quitting must ask."""
        return True

    def _table(self) -> Table | Text:
        change = self.change
        base = change.base
        after = None if isinstance(change, RemoveMember | RemoveGroup) else change.after
        theirs, mine, start = flatten(self.current), flatten(after), flatten(base)
        if self.current is None:
            return Text(t("conflict.removed"), style="bold")
        keys = [
            k
            for k in {**start, **theirs, **mine}
            if start.get(k) != theirs.get(k) or start.get(k) != mine.get(k)
        ]
        table = Table(box=None, show_edge=False, pad_edge=False, expand=True)
        table.add_column(t("conflict.field"), style="dim", no_wrap=True)
        table.add_column(t("conflict.opened"))
        table.add_column(t("conflict.now"), style="bold")
        table.add_column(t("conflict.yours"), style="bold")
        for key in keys:
            # Which fields differ is decided on the real values; a NIK or passport
            # number is shown masked, as everywhere else on screen.
            table.add_row(
                Text(field_label(key)),
                Text(_masked(key, start.get(key, "–"))),
                Text(_masked(key, theirs.get(key, "–"))),
                Text(
                    "(" + t("conflict.removing") + ")"
                    if after is None
                    else _masked(key, mine.get(key, "–"))
                ),
            )
        if not keys:
            return Text(self.message)
        return table

    def action_choose(self, reopen: bool) -> None:
        self.dismiss(reopen)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "reopen")
