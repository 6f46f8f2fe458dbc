"""The footer, with help first: at 80 columns the keys that do not fit are cut on the right.

Textual lists the focused widget's keys, then the screen's, then the app's,
so on a narrow terminal the app's ``? Help`` — the one key that explains all
the others — was the first to go. Here it comes first, always on screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["AppFooter"]

_FIRST = frozenset({"help", "app.help"})


class AppFooter(Footer):
    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        first = [k for k in keys if isinstance(k, FooterKey) and k.action in _FIRST]
        yield from first
        yield from (k for k in keys if k not in first)
