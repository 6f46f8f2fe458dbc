"""What workers tell the app. Small typed messages; workers never touch widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from textual.message import Message

from grouppass.backtest import TrackRecord
from grouppass.errors import LocatedProblem
from grouppass.model import Scenario
from grouppass.results import GroupAssessment, RecoveryOutlook
from grouppass_tui.changes import Change
from grouppass_tui.data import Removed
from grouppass_tui.manifest_preview import Preview

__all__ = [
    "AgencyAssessed",
    "Assessed",
    "DataLoaded",
    "Exported",
    "ExternalChange",
    "Imported",
    "Previewed",
    "RemovedListed",
    "SaveConflict",
    "SaveFailed",
    "Saved",
    "TrackRecorded",
    "UndoDone",
]


class DataLoaded(Message):
    """The agency as read from the store (at start, on reload, after an external change)."""

    def __init__(self, scenario: Scenario, revision: int, *, reason: str) -> None:
        super().__init__()
        self.scenario = scenario
        self.revision = revision
        """The store revision ``scenario`` reflects: an older one than the app's is dropped."""
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
        done: Sequence[tuple[str, dt.date, int]] = (),
        recoveries: Sequence[RecoveryOutlook] = (),
    ) -> None:
        super().__init__()
        self.as_of = as_of
        self.data_rev = data_rev
        self.groups = groups
        self.recoveries = recoveries
        """What the forecast believes of each known disruption's recovery."""
        self.full = full
        """True when the figures carry per-date distributions (the member chart needs them)."""
        self.done = done
        """The requests these figures answer (no longer pending, even if they failed)."""


class AgencyAssessed(Message):
    """The whole-agency pass for ``as_of`` is done: the slower track record may start."""

    def __init__(self, as_of: dt.date, data_rev: int) -> None:
        super().__init__()
        self.as_of = as_of
        self.data_rev = data_rev


class TrackRecorded(Message):
    """The agency's history replayed up to ``as_of`` (from data at ``data_rev``)."""

    def __init__(self, as_of: dt.date, data_rev: int, record: TrackRecord) -> None:
        super().__init__()
        self.as_of = as_of
        self.data_rev = data_rev
        self.record = record


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
        recoveries: Sequence[RecoveryOutlook] = (),
    ) -> None:
        super().__init__()
        self.changes = changes
        self.scenario = scenario
        self.revision = revision
        self.data_rev = data_rev
        self.as_of = as_of
        self.figures = figures
        self.recoveries = recoveries


class SaveConflict(Message):
    """The store refused ``change``: the record changed since the organiser read it."""

    def __init__(self, change: Change, current: object | None, message: str) -> None:
        super().__init__()
        self.change = change
        self.current = current
        """The record as stored now (None if it was removed)."""
        self.message = message


class SaveFailed(Message):
    """A save did not reach the disk (the error dialog says why); the app re-reads the store."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


class UndoDone(Message):
    """The newest change was undone (``action`` names it), or could not be (``why``)."""

    def __init__(self, action: str | None, why: str) -> None:
        super().__init__()
        self.action = action
        self.why = why


class Previewed(Message):
    """A manifest was read for the import preview: a Preview, or why it cannot be read."""

    def __init__(
        self, path: Path, group_id: str, result: Preview | tuple[LocatedProblem, ...]
    ) -> None:
        super().__init__()
        self.path = path
        self.group_id = group_id
        self.result = result


class Imported(Message):
    """A manifest import finished: the library's report, or the problems that stopped it."""

    def __init__(self, report: object | None, problems: Sequence[object]) -> None:
        super().__init__()
        self.report = report
        self.problems = problems


class RemovedListed(Message):
    """The group's removed members, read from the audit log."""

    def __init__(self, removed: Sequence[Removed]) -> None:
        super().__init__()
        self.removed = removed


class ExternalChange(Message):
    """Another process changed the database; the app reloads."""

    def __init__(self, revision: int) -> None:
        super().__init__()
        self.revision = revision


class Exported(Message):
    """A file was written (notices, an export); the organiser is told where."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
