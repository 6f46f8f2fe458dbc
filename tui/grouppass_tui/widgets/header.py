"""The top line of every screen: where you are, and which day the figures are for.

Replaying the 2018 story or looking ahead changes ``as_of``; an organiser
must never mistake a replayed day for today, so the day is always on screen.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

from grouppass_tui.dates import long_date
from grouppass_tui.i18n import t

__all__ = ["AppHeader"]


class AppHeader(Widget):
    """One line: app name and place on the left, the as-of day on the right."""

    DEFAULT_CSS = """
    AppHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    place: reactive[str] = reactive("")
    """Where the organiser is: a group's name, "Gangguan", ..."""
    as_of: reactive[dt.date | None] = reactive(None)
    """The day every figure on screen is computed for."""
    demo: reactive[bool] = reactive(False)
    """True for the bundled example, so nobody mistakes it for their agency."""
    lang: reactive[str] = reactive("")
    """Bumped on a language switch so the header redraws in the new language."""

    def __init__(self, place: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.place = place

    def on_mount(self) -> None:
        app = self.app
        self.watch(app, "as_of", self._set_as_of)
        self.watch(app, "lang", self._set_lang)
        from grouppass_tui.app import GrouppassApp

        self.demo = isinstance(app, GrouppassApp) and app.demo

    def _set_as_of(self, as_of: dt.date) -> None:
        self.as_of = as_of

    def _set_lang(self, lang: str) -> None:
        self.lang = lang

    def render(self) -> RenderResult:
        theme = self.app.theme_variables
        left = Text(" grouppass", style="bold")
        if self.demo:
            left.append(
                " " + t("header.demo") + " ", style=f"bold {theme.get('warning', 'yellow')} reverse"
            )
        if self.place:
            left.append(" › " + self.place)
        right = Text()
        if self.as_of is not None:
            right.append(t("header.as_of") + " ", style="dim")
            right.append(long_date(self.as_of), style=f"bold {theme.get('accent', 'cyan')}")
            right.append(" ")
        width = self.size.width
        room = width - right.cell_len - 1
        if left.cell_len > room:
            left.truncate(max(room, 0), overflow="ellipsis")
        gap = max(width - left.cell_len - right.cell_len, 1)
        return Text.assemble(left, " " * gap, right)
