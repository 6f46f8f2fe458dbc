"""The footer, with help first: at 80 columns the keys that do not fit are cut on the right.

Textual lists the focused widget's keys, then the screen's, then the app's,
so on a narrow terminal the app's ``? Help`` — the one key that explains all
the others — was the first to go. Here it comes first, always on screen.

Textual rebuilds the footer's keys whenever a screen's bindings are refreshed:
on every return from a form, and on every change of focus, even when the keys
shown are the same. Here it is rebuilt only when what it shows changes (after a
recorded stage that was 5-7 ms of the paint that shows the new figures).
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["AppFooter"]

_FIRST = frozenset({"help", "app.help"})


class AppFooter(Footer):
    _composed: Hashable = None

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        first = [k for k in keys if isinstance(k, FooterKey) and k.action in _FIRST]
        yield from first
        yield from (k for k in keys if k not in first)

    def shown(self) -> Hashable:
        """Everything :meth:`compose` reads, as a value: equal values, the same keys."""
        if not self._bindings_ready:
            return None
        app = self.app
        return (
            tuple(
                (binding, enabled, tooltip, app.get_key_display(binding))
                for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            ),
            self.show_command_palette,
            self.combine_groups,
            app.ENABLE_COMMAND_PALETTE,
            app.COMMAND_PALETTE_BINDING,
        )

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # as Footer's own: a footer taken off screen has nothing to show
        shown = self.shown()
        if shown is not None and shown == self._composed:
            return
        self._composed = shown
        await super().recompose()
