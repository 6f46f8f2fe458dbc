"""What workers tell the app. Small typed messages; workers never touch widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from textual.message import Message

from grouppass.model import Scenario
from grouppass.results import GroupAssessment
from grouppass_tui.changes import Change

__all__ = ["Assessed", "DataLoaded", "ExternalChange", "SaveConflict", "Saved"]


class DataLoaded(Message):
    """The agency was read from the store (at start, on reload, after an external change).

    The worker already swapped the app's copy in (under the save lock); this
    tells the main thread to redraw and re-assess.
    """

    def __init__(self, data_rev: int, revision: int, *, reason: str) -> None:
        super().__init__()
        self.data_rev = data_rev
        self.revision = revision
        self.reason = reason
        """"open", "reload" or "external": decides what the organiser is told."""


class Assessed(Message):
    """New figures for some groups, computed for ``as_of`` from data at ``data_rev``."""

    def __init__(
        self,
        as_of: dt.date,
        data_rev: int,
        groups: Sequence[GroupAssessment],
        *,
        full: bool,
    ) -> None:
        super().__init__()
        self.as_of = as_of
        self.data_rev = data_rev
        self.groups = groups
        self.full = full
        """True when the figures carry per-date distributions (the member chart needs them)."""


class Saved(Message):
    """A change is on disk (and in the audit log); ``figures`` re-assess its group."""

    def __init__(
        self,
        changes: Sequence[Change],
        scenario: Scenario,
        revision: int,
        data_rev: int,
        as_of: dt.date,
        figures: Sequence[GroupAssessment],
    ) -> None:
        super().__init__()
        self.changes = changes
        self.scenario = scenario
        self.revision = revision
        self.data_rev = data_rev
        self.as_of = as_of
        self.figures = figures


class SaveConflict(Message):
    """The store refused ``change``: the record changed since the organiser read it."""

    def __init__(self, change: Change, current: object | None, message: str) -> None:
        super().__init__()
        self.change = change
        self.current = current
        """The record as stored now (None if it was removed)."""
        self.message = message


class ExternalChange(Message):
    """Another process changed the database; the app reloads."""

    def __init__(self, revision: int) -> None:
        super().__init__()
        self.revision = revision
