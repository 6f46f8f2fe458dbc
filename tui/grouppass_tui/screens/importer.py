"""Import a manifest (CSV/XLSX) from the TUI: choose the file, see every bad row, import.

The preview reads the file the way ``grouppass import`` does (the library's
manifest reader, the same checks per cell), against the group chosen: who
would be added, who updated, and every problem as ``FILE:ROW: column:
problem``. The import itself is the library's, all or nothing: with any bad
row nothing is imported, so the Import button waits until the file is clean.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from attrs import frozen
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Select, Static

from grouppass.errors import LocatedProblem
from grouppass.manifest import ManifestError
from grouppass.model import Group, Scenario
from grouppass_tui.i18n import plural, t
from grouppass_tui.manifest_preview import Preview, preview_manifest
from grouppass_tui.messages import Previewed
from grouppass_tui.screens.base import AppModal
from grouppass_tui.screens.dialogs import DIALOG_CSS
from grouppass_tui.workers import thread_worker

__all__ = ["NEW_GROUP", "ImportChoice", "ImportScreen"]

NEW_GROUP = "\0new"
"""The group choice that creates a group first."""


@frozen
class ImportChoice:
    path: Path
    group_id: str
    """A group id, or :data:`NEW_GROUP`."""


class ImportScreen(AppModal[ImportChoice]):
    """Choose a file and a group, see the preview, import (all or nothing)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "import", "Import", id="import.apply", tooltip="Import every row"),
        Binding("escape", "cancel", "Cancel", id="import.cancel", tooltip="Import nothing"),
    ]

    DEFAULT_CSS = (
        "ImportScreen {" + DIALOG_CSS + "}\n"
        "ImportScreen > #dialog { width: 100; }\n"
        "ImportScreen Input, ImportScreen Select { margin-bottom: 1; }\n"
        "ImportScreen #import-preview { height: auto; max-height: 14; }"
    )

    def __init__(self, scenario: Scenario, group_id: str | None, start: Path | None = None) -> None:
        super().__init__()
        self.scenario = scenario
        self.group_id = group_id or (scenario.groups[0].id if scenario.groups else NEW_GROUP)
        self.start = start
        self.preview: Preview | None = None
        """The last preview, for the file and group shown; None until one is read."""

    def compose(self) -> ComposeResult:
        groups: list[tuple[str, str]] = [(g.name, g.id) for g in self.scenario.groups]
        groups.append((t("import.new_group"), NEW_GROUP))
        with Vertical(id="dialog"):
            yield Static(Text(t("import.title"), end=""), id="dialog-title")
            yield Static(Text(t("import.file"), style="dim"))
            yield Input(
                str(self.start or ""), placeholder=t("import.placeholder"), id="import-path"
            )
            yield Static(Text(t("import.group"), style="dim"))
            yield Select(
                [(Text(label), value) for label, value in groups],
                value=self.group_id,
                allow_blank=False,
                id="import-group",
            )
            with VerticalScroll(id="import-preview"):
                yield Static(Text(t("import.hint"), style="dim"), id="import-body")
            with Horizontal(id="dialog-buttons"):
                yield Button(t("import.apply"), variant="primary", id="import", disabled=True)
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()
        if self.start is not None:
            self._read()

    @property
    def path(self) -> Path | None:
        raw = self.query_one("#import-path", Input).value.strip()
        return Path(raw).expanduser() if raw else None

    @on(Input.Submitted, "#import-path")
    def _submitted(self) -> None:
        self._read()

    @on(Select.Changed, "#import-group")
    def _group_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.group_id:
            self.group_id = event.value
            self._read()

    def _read(self) -> None:
        path = self.path
        if path is None:
            return
        self.preview = None
        self.query_one("#import", Button).disabled = True
        self.query_one("#import-body", Static).update(Text(t("import.reading"), style="dim"))
        group = None if self.group_id == NEW_GROUP else self.scenario.group(self.group_id)
        self._preview(path, self.scenario, group, self.group_id)

    @thread_worker("preview", exclusive=True)
    def _preview(self, path: Path, scenario: Scenario, group: Group | None, gid: str) -> None:
        try:
            result: Preview | tuple[LocatedProblem, ...] = preview_manifest(path, scenario, group)
        except ManifestError as error:
            result = tuple(error.problems)
        self.post_message(Previewed(path, gid, result))

    @on(Previewed)
    def _previewed(self, message: Previewed) -> None:
        if message.path != self.path or message.group_id != self.group_id:
            return  # the organiser has moved on to another file or group
        body = self.query_one("#import-body", Static)
        result = message.result
        if not isinstance(result, Preview):
            body.update(self._problems(t("import.unreadable"), result))
            return
        self.preview = result
        head = t(
            "import.summary",
            rows=plural("import.rows", result.rows),
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
        )
        if result.problems:
            body.update(self._problems(head + " " + t("import.bad"), result.problems))
        else:
            body.update(Text(head + " " + t("import.ready"), style="bold"))
        self.query_one("#import", Button).disabled = bool(result.problems) or result.rows == 0

    @staticmethod
    def _problems(head: str, problems: tuple[LocatedProblem, ...]) -> Text:
        out = Text()
        out.append(head + "\n", style="bold")
        for p in problems:
            out.append(str(p) + "\n")
        out.rstrip()
        return out

    def action_import(self) -> None:
        path, preview = self.path, self.preview
        if path is None or preview is None or preview.problems or preview.path != path:
            self.app.bell()
            return
        self.dismiss(ImportChoice(path, self.group_id))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import")
    def _import_pressed(self) -> None:
        self.action_import()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
