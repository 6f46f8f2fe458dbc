"""What every grouppass screen shares: translated keys, redraw on new data or figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar, cast

from textual.screen import ModalScreen, Screen

from grouppass_tui.localize import translate_bindings

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["AppModal", "AppScreen"]

R = TypeVar("R")


class _Shared:
    """Mixed into screens: hooks the app's revisions to the screen's redraw methods."""

    _stale: bool = False
    """True when data changed while another screen was on top: redraw on coming back."""

    @property
    def gp(self) -> GrouppassApp:
        """The app, typed (``self.app`` is a plain ``App``)."""
        return cast("GrouppassApp", self.app)  # type: ignore[attr-defined]

    def _hook(self) -> None:
        screen = cast(Screen[object], self)
        translate_bindings(screen, deep=True)
        screen.watch(screen.app, "lang", self._lang_changed, init=False)
        screen.watch(screen.app, "data_rev", self._data_changed, init=False)
        screen.watch(screen.app, "figures_rev", self._figures_changed, init=False)
        screen.watch(screen.app, "as_of", self._as_of_changed, init=False)

    def _lang_changed(self) -> None:
        translate_bindings(cast(Screen[object], self), deep=True)
        self.relabel()
        self._redraw_if_seen()

    def _data_changed(self) -> None:
        self._redraw_if_seen()

    def _figures_changed(self) -> None:
        self._redraw_if_seen()

    def _as_of_changed(self) -> None:
        self._redraw_if_seen()

    def _redraw_if_seen(self) -> None:
        # A screen under another one redraws when it comes back, not on every save:
        # the groups list of 400 rows must not cost time while a group is open.
        if _seen(cast(Screen[object], self)):
            self.redraw()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.redraw()

    def relabel(self) -> None:
        """Put labels and titles in the current language (after a switch)."""

    def redraw(self) -> None:
        """Show the app's current data and figures."""


class AppScreen(_Shared, Screen[R], Generic[R]):
    def on_mount(self) -> None:
        self._hook()
        self.relabel()
        self.redraw()


class AppModal(_Shared, ModalScreen[R], Generic[R]):
    def on_mount(self) -> None:
        self._hook()
        self.relabel()


def _seen(screen: Screen[object]) -> bool:
    """Is any of ``screen`` on the terminal: it is on top, or only see-through screens
    (dialogs) are above it?

    Not ``Screen.is_current``: Textual counts the screen right under the top one as
    visible whatever covers it, so the groups list under an open group would redraw
    its 400 rows on every save.
    """
    stack = screen.app.screen_stack
    if screen not in stack:
        return False
    above = stack[stack.index(screen) + 1 :]
    return all(s.styles.background.a < 1 for s in above)
