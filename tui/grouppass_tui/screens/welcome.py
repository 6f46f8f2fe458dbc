"""First run: an empty database. Offer the season's first steps, one form after another.

The agency (name, contact, phone: they sign the notices), then the office the
group applies at, then the group itself, then its manifest. Every step can
be skipped with Escape and done later from the groups list (``a``, ``O``,
``n``, ``i``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from grouppass.model import Group, Office
from grouppass_tui.i18n import t
from grouppass_tui.screens.base import AppModal
from grouppass_tui.screens.dialogs import DIALOG_CSS

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["WelcomeScreen", "first_steps", "is_empty"]


def is_empty(app: GrouppassApp) -> bool:
    """Nothing in the database yet: no groups, no offices."""
    return not app.scenario.groups and not app.scenario.offices


class WelcomeScreen(AppModal[bool]):
    """Result True: start the first steps now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "answer(True)", "Start", id="welcome.start", tooltip="Start: the agency"),
        Binding(
            "escape", "answer(False)", "Later", id="welcome.later", tooltip="Look around first"
        ),
    ]

    DEFAULT_CSS = "WelcomeScreen {" + DIALOG_CSS + "}"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(t("welcome.title"), end=""), id="dialog-title")
            yield Static(Text(t("welcome.body")), id="dialog-body")
            with Horizontal(id="dialog-buttons"):
                yield Button(t("welcome.start"), variant="primary", id="start")
                yield Button(t("welcome.later"), id="later")

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "start")


def first_steps(app: GrouppassApp) -> None:
    """Agency → office → group → manifest, each form opening when the one before closes."""
    from grouppass_tui.screens.group_form import edit_agency, edit_group
    from grouppass_tui.screens.importer import ImportScreen
    from grouppass_tui.screens.offices import edit_office

    def manifest(group: Group) -> None:
        def chosen(choice: object) -> None:
            from grouppass_tui.screens.importer import ImportChoice

            if isinstance(choice, ImportChoice):
                app.import_manifest(choice.path, choice.group_id)

        def show() -> None:
            app.push_screen(ImportScreen(app.scenario, group.id), chosen)

        app.when_saved(show)  # the group first reaches the disk, then its manifest

    def group() -> None:
        if app.scenario.offices:
            edit_group(app, None, then=manifest)
        else:
            app.notify(t("welcome.need_office"), severity="warning")

    def office() -> None:
        def done(saved: Office | None) -> None:
            app.when_saved(group)

        if app.scenario.offices:
            group()
        else:
            edit_office(app, None, then=done)

    edit_agency(app, then=lambda: app.when_saved(office))
