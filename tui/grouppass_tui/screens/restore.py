"""Bring back a removed member: the group's removed members from the audit log, newest first.

A removed member is still in the audit log with every field; restoring saves
them again as they were (a new change, so it can itself be undone).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from grouppass_tui.changes import SaveMember
from grouppass_tui.data import Removed
from grouppass_tui.dates import medium_date
from grouppass_tui.i18n import t
from grouppass_tui.messages import RemovedListed
from grouppass_tui.screens.base import AppModal
from grouppass_tui.screens.dialogs import DIALOG_CSS
from grouppass_tui.widgets.table import KeyedTable, Row
from grouppass_tui.workers import thread_worker

__all__ = ["RestoreScreen"]


class RestoreScreen(AppModal[None]):
    """Enter brings the member under the cursor back into the group."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "restore", "Bring back", id="restore.apply", tooltip="Restore the member"),
        Binding("escape", "close", "Close", id="restore.close", tooltip="Close"),
    ]

    DEFAULT_CSS = (
        "RestoreScreen {" + DIALOG_CSS + "}\n"
        "RestoreScreen > #dialog { width: 90; }\n"
        "RestoreScreen KeyedTable { height: auto; max-height: 14; }"
    )

    def __init__(self, group_id: str) -> None:
        super().__init__()
        self.group_id = group_id
        self.removed: list[Removed] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(t("restore.title"), end=""), id="dialog-title")
            yield Static(Text(t("restore.loading"), style="dim"), id="restore-note")
            yield KeyedTable(id="restore-table")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(KeyedTable).focus()
        self._list(self.group_id)

    @thread_worker("restore", exclusive=True)
    def _list(self, group_id: str) -> None:
        self.post_message(RemovedListed(self.gp.agency.removed_members(group_id)))

    @on(RemovedListed)
    def _listed(self, message: RemovedListed) -> None:
        self.removed = list(message.removed)
        note = self.query_one("#restore-note", Static)
        note.update(Text(t("restore.hint" if self.removed else "restore.none"), style="dim"))
        rows: list[Row] = [
            (
                r.member.id,
                [
                    Text(r.member.name, end=""),
                    medium_date(r.at.date()) if r.at else "–",
                    Text(r.action, style="dim", end=""),
                ],
            )
            for r in self.removed
        ]
        columns = [
            ("name", t("col.name"), None),
            ("when", t("col.removed_on"), None),
            ("action", t("col.action"), None),
        ]
        self.query_one(KeyedTable).fill(columns, rows)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_restore()

    def action_restore(self) -> None:
        key = self.query_one(KeyedTable).current_key
        chosen = next((r for r in self.removed if r.member.id == key), None)
        if chosen is None:
            return
        try:
            group = self.gp.scenario.group(self.group_id)
        except KeyError:
            self.dismiss(None)
            return
        if any(m.id == chosen.member.id for m in group.members):
            self.app.notify(t("restore.already", name=chosen.member.name), severity="warning")
            return
        self.gp.save(SaveMember(self.group_id, chosen.member, None, note="restore member"))
        self.app.notify(t("restore.done", name=chosen.member.name))
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
