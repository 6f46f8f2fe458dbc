"""The command palette (ctrl+p): the main actions, and Textual's own, in the UI language.

Each command runs the same action as its key, so the palette, the footer and
the help screen never disagree about what an action does. Textual's own
commands (theme, keys, screenshot, quit) and the palette's words ("Search
for commands…", "No matches found") are English in Textual; here they are
said again in the catalogue's words.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets.option_list import Option

from grouppass_tui.i18n import t

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["Palette", "commands_for", "textual_commands"]


class Palette(CommandPalette):
    """Textual's command palette with its "no matches" line in the UI language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual words this line inside a private closure; this is the same
        # logic (Textual 8.2.8, pinned) with the catalogue's words.
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("palette.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


def commands_for(app: GrouppassApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    from grouppass_tui.screens.group import GroupScreen
    from grouppass_tui.screens.groups import GroupsScreen
    from grouppass_tui.screens.member import MemberScreen

    def run(action: str, target: DOMNode | None = None) -> Callable[[], Awaitable[None]]:
        async def go() -> None:
            await app.run_action(action, target or app)

        return go

    if isinstance(screen, GroupsScreen):
        for action, key in (
            ("add_group", "groups.add"),
            ("edit_group", "groups.edit"),
            ("remove_group", "groups.remove"),
            ("import_manifest", "groups.import"),
            ("agency", "groups.agency"),
            ("track_record", "groups.track"),
        ):
            yield SystemCommand(t(f"key.{key}"), t(f"tip.{key}"), run(action, screen))
    if isinstance(screen, GroupScreen):
        for action, key in (
            ("record_stage", "group.stage"),
            ("switch", "group.switch"),
            ("switch(True)", "group.force_switch"),
            ("notices", "group.notices"),
            ("add_member", "group.add"),
            ("edit_member", "group.edit"),
            ("remove_member", "group.remove"),
            ("restore_member", "group.restore"),
            ("contact", "group.contact"),
            ("edit_group", "group.edit_group"),
            ("import_manifest", "group.import"),
            ("filter", "group.filter"),
        ):
            yield SystemCommand(t(f"key.{key}"), t(f"tip.{key}"), run(action, screen))
    if isinstance(screen, MemberScreen):
        for action, key in (
            ("record_stage", "member.stage"),
            ("edit", "member.edit"),
            ("contact", "member.contact"),
        ):
            yield SystemCommand(t(f"key.{key}"), t(f"tip.{key}"), run(action, screen))
    for action, key in (
        ("time_travel", "app.time_travel"),
        ("disruptions", "app.disruptions"),
        ("offices", "app.offices"),
        ("undo", "app.undo"),
        ("toggle_language", "app.language"),
        ("reload", "app.reload"),
        ("help", "app.help"),
    ):
        yield SystemCommand(t(f"key.{key}"), t(f"tip.{key}"), run(action))


def textual_commands(app: GrouppassApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    """Textual's own system commands, worded in the UI language."""
    yield SystemCommand(t("palette.theme"), t("palette.theme_tip"), app.action_change_theme)
    if screen.query("HelpPanel"):
        yield SystemCommand(t("palette.keys"), t("palette.keys_hide"), app.action_hide_help_panel)
    else:
        yield SystemCommand(t("palette.keys"), t("palette.keys_tip"), app.action_show_help_panel)
    if screen.maximized is not None:
        yield SystemCommand(
            t("palette.minimize"), t("palette.minimize_tip"), screen.action_minimize
        )
    elif screen.focused is not None and screen.focused.allow_maximize:
        yield SystemCommand(
            t("palette.maximize"), t("palette.maximize_tip"), screen.action_maximize
        )
    yield SystemCommand(
        t("palette.screenshot"),
        t("palette.screenshot_tip"),
        lambda: app.set_timer(0.1, app.deliver_screenshot),
    )
    yield SystemCommand(t("key.app.quit"), t("tip.app.quit"), app.action_quit)
