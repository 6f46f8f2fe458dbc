"""What the store has to tell its caller without failing: the library never prints.

The CLI prints each :class:`StoreWarning` once on stderr; the TUI may show
it; a script may ignore it. Hand a hook to :meth:`Store.open`
(``on_warning=``); without one they are kept in :attr:`Store.warnings`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path

from attrs import frozen

__all__ = ["StoreWarning", "WarningHook", "WarningKind"]


class WarningKind(enum.StrEnum):
    TIGHTENED = "tightened"
    """A database file others could read was made owner-only (``0600``)."""
    LOOSE = "loose"
    """A database file others can read could not be made owner-only (not ours to chmod)."""
    CUT_ASIDE = "cut-aside"
    """A cut-short last write was moved out of the log into a side file before the next save."""
    MAINTENANCE = "maintenance"
    """A snapshot rewrite or backup failed; the change itself was saved."""
    NOT_DURABLE = "not-durable"
    """A file was written but its folder could not be synced."""


@frozen
class StoreWarning:
    kind: WarningKind
    message: str
    path: Path | None = None

    def __str__(self) -> str:
        return self.message


WarningHook = Callable[[StoreWarning], None]
