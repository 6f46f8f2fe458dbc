"""The command palette (ctrl+p): the main actions, in the UI language.

Each command runs the same action as its key, so the palette, the footer and
the help screen never disagree about what an action does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.dom import DOMNode
from textual.screen import Screen

from grouppass_tui.i18n import t

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["commands_for"]


def commands_for(app: GrouppassApp, screen: Screen[object]) -> Iterator[SystemCommand]:
    from grouppass_tui.screens.group import GroupScreen
    from grouppass_tui.screens.member import MemberScreen

    def run(action: str, target: DOMNode | None = None) -> Callable[[], Awaitable[None]]:
        async def go() -> None:
            await app.run_action(action, target or app)

        return go

    if isinstance(screen, GroupScreen):
        for action, key in (
            ("record_stage", "group.stage"),
            ("switch", "group.switch"),
            ("notices", "group.notices"),
            ("add_member", "group.add"),
            ("edit_member", "group.edit"),
            ("remove_member", "group.remove"),
            ("contact", "group.contact"),
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
        ("toggle_language", "app.language"),
        ("reload", "app.reload"),
        ("help", "app.help"),
    ):
        yield SystemCommand(t(f"key.{key}"), t(f"tip.{key}"), run(action))
