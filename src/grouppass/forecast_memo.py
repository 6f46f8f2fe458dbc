"""What a forecast learns from the whole agency, kept from one assessment to the next.

The TUI reassesses one group after every save; most of what the forecast sets
up first does not depend on that group at all: the agency's applications per
office (every member of every group), the stage times learned from them per
office, and the shared draws of the world. One recorded stage changes one
application, so nearly all of it is the same as last time.

Every entry is keyed by, or checked against, everything it is computed from,
so a kept value is used only where computing it again would give an equal one
(the figures are the same with or without the memo; tests/test_forecast.py
checks it after recorded stages). Safe to share between worker threads.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter, OrderedDict
from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from grouppass.model import Application, Group, Scenario

__all__ = ["AgencyMemo", "GroupSummary", "Lru"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A bounded map, least recently used first out; thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class GroupSummary:
    """One group's applications (each with how many members share it, in member order),
    the earliest day any of them was booked, recorded or paid, and the earliest day
    of any of their stages (``first``: where the day grid must begin)."""

    __slots__ = ("applications", "earliest", "first", "group")

    def __init__(self, group: Group) -> None:
        self.group = group
        """Kept to check identity: a summary is for this very (frozen) group object."""
        seen: Counter[Application] = Counter()
        earliest: dt.date | None = None
        for member in group.members:
            app = member.application
            if app is None:
                continue
            seen[app] += 1
            for day in (app.booked, app.recorded, app.paid):
                if day is not None and (earliest is None or day < earliest):
                    earliest = day
        self.applications = seen
        self.earliest = earliest
        firsts = (day for app in seen if (day := app.first_day) is not None)
        self.first: dt.date | None = min(firsts, default=None)


class AgencyMemo:
    """Per-group summaries of the newest scenario seen, and keyed values (observations,
    the world's draws) of recent assessments."""

    def __init__(self, size: int = 256) -> None:
        self._groups: dict[str, GroupSummary] = {}
        """By group id; a summary serves only the very group object it was made from."""
        self._lock = threading.Lock()
        self.values: Lru[Hashable, object] = Lru(size)
        """Anything computed from its key alone (the key holds every input)."""

    def summaries(self, scenario: Scenario) -> Sequence[GroupSummary]:
        """Each group's summary, in the scenario's order: kept for groups unchanged since
        the last call (the very same group object), made for the others."""
        with self._lock:
            known = self._groups
        out = []
        for group in scenario.groups:
            found = known.get(group.id)
            if found is None or found.group is not group:
                found = GroupSummary(group)
            out.append(found)
        with self._lock:
            # Only the newest scenario's groups: the memo never outgrows one agency.
            self._groups = {s.group.id: s for s in out}
        return out

    def first_day(self, scenario: Scenario) -> dt.date | None:
        """The earliest stage day of any application in ``scenario``."""
        days = [s.first for s in self.summaries(scenario) if s.first is not None]
        return min(days, default=None)

    def applications_by_office(
        self, scenario: Scenario
    ) -> tuple[dict[str, list[tuple[Application, int]]], dt.date | None]:
        """Every distinct application of the agency with how many members share it, per
        office, in the order of first appearance (as one pass over every member gives);
        and the earliest day an application was booked, recorded or paid."""
        seen: Counter[Application] = Counter()
        earliest: dt.date | None = None
        for summary in self.summaries(scenario):
            # Counter.update adds counts, keeping first appearances in order.
            seen.update(summary.applications)
            day = summary.earliest
            if day is not None and (earliest is None or day < earliest):
                earliest = day
        out: dict[str, list[tuple[Application, int]]] = {}
        for app, n in seen.items():
            out.setdefault(app.office, []).append((app, n))
        return out, earliest
