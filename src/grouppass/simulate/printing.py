"""One office over the simulated days: when it serves, how much it prints, its queue.

The office prints first paid, first printed. Paid applications (the
background intake, and the agency's own members when the world says they
join the queue) become printable once the usual issuance time has passed
(the estimate's most likely value, in working days), and printing takes them
in order at the day's capacity: ``printed[d] = min(due[d], printed[d-1] +
capacity[d])``, a fluid queue. A member paid on day ``s`` is printed once the
printed count reaches everyone paid up to and including ``s``, and not before
their own issuance time has passed.

Capacity is the office's ``daily_capacity`` on its working days, times the
smallest capacity factor of the outages in force, times day-to-day noise;
after an outage printing ramps back from a low factor to full over some
working days, unevenly, and then works overtime while a backlog remains.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import numpy.typing as npt

from grouppass.calendar import DayGrid, WorkingCalendar
from grouppass.model import Disruption, Office, Rules, Stops
from grouppass.simulate.params import World

__all__ = ["OfficeTimeline"]

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _next_true(mask: BoolArray) -> IntArray:
    """For each day, the first day at or after it where ``mask`` holds (the last day if none)."""
    size = len(mask)
    idx = np.where(mask, np.arange(size), size - 1)
    out: IntArray = np.minimum.accumulate(idx[::-1])[::-1].astype(np.int64)
    return out


class OfficeTimeline:
    """An office's days in one simulated world trajectory (day indexes into ``grid``).

    The member arrivals can be added to after construction (a switch adds a
    new application); the queue is worked out again on the next question.
    """

    def __init__(
        self,
        office: Office,
        rules: Rules,
        grid: DayGrid,
        outages: list[Disruption],
        world: World,
        rng: np.random.Generator,
    ) -> None:
        self.office = office
        self.grid = grid
        size = grid.size
        self.working: BoolArray = WorkingCalendar.for_office(office, rules).mask(grid)
        days = np.arange(size)
        factor = np.ones(size)
        stopped = np.zeros(size, dtype=bool)
        in_force = np.zeros(size, dtype=bool)
        for outage in outages:
            assert outage.ended is not None  # the simulator always knows the truth
            start, end = grid.index(outage.start), grid.index(outage.ended)
            active = (days >= start) & (days < end)
            in_force |= active
            factor = np.where(active, np.minimum(factor, outage.capacity_factor), factor)
            if outage.stops is Stops.ALL:
                stopped |= active
        self.open: BoolArray = self.working & ~stopped
        # After each outage printing comes back unevenly over some working days.
        ramping = np.zeros(size, dtype=bool)
        pr = world.printing
        for outage in sorted(outages, key=lambda o: o.start):
            assert outage.ended is not None
            length = pr.ramp_days * world.outages.durations.of(outage.effective_kind).ramp_scale
            ramp = round(length)
            if ramp <= 0:
                continue
            after = np.flatnonzero(self.working[grid.index(outage.ended) :])[:ramp]
            for k, offset in enumerate(after):
                d = grid.index(outage.ended) + int(offset)
                level = pr.ramp_floor + (1.0 - pr.ramp_floor) * k / ramp
                if pr.ramp_noise > 0:
                    level *= math.exp(pr.ramp_noise * float(rng.standard_normal()))
                factor[d] = min(factor[d], float(np.clip(level, 0.05, 1.0)))
                ramping[d] = True
        noise = np.ones(size)
        if pr.capacity_noise > 0:
            s = pr.capacity_noise
            noise = np.exp(s * rng.standard_normal(size) - s * s / 2.0)
        self.factor: FloatArray = factor
        self.capacity: FloatArray = self.working * office.daily_capacity * factor * noise
        self.in_force: BoolArray = in_force
        self.ramping: BoolArray = ramping
        rate = office.intake * pr.intake_scale
        if pr.intake_noise:
            background = rng.poisson(rate, size).astype(np.float64)
        else:
            background = np.full(size, rate)
        self.background: FloatArray = np.where(self.open, background, 0.0)
        self.members: FloatArray = np.zeros(size)
        self.members_in_queue = pr.members_in_queue
        self.overtime = pr.overtime
        self.lag = round(office.issue_days.mode)
        self._open_count: IntArray = np.cumsum(self.open, dtype=np.int64)
        self._open_pos: IntArray = np.flatnonzero(self.open)
        self._work_count: IntArray = np.cumsum(self.working, dtype=np.int64)
        self._work_pos: IntArray = np.flatnonzero(self.working)
        self._next_print = _next_true(self.capacity > 1e-9)
        self._queue: tuple[FloatArray, FloatArray] | None = None

    # -- calendars --------------------------------------------------------------------------

    def _add(self, count: IntArray, pos: IntArray, mask: BoolArray, day: int, n: int) -> int:
        last = self.grid.size - 1
        day = min(max(day, 0), last)
        if n <= 0:
            if mask[day]:
                return day
            k = int(count[day])
        else:
            k = int(count[day]) + n - 1
        return int(pos[k]) if k < len(pos) else last

    def add_open(self, day: int, n: int) -> int:
        """The ``n``-th day after ``day`` the counters are open (``n`` 0: ``day`` or the next)."""
        return self._add(self._open_count, self._open_pos, self.open, day, n)

    def add_working(self, day: int, n: int) -> int:
        """The ``n``-th working day after ``day`` (``n`` 0: ``day`` or the next)."""
        return self._add(self._work_count, self._work_pos, self.working, day, n)

    def next_print(self, day: int) -> int:
        """The first day at or after ``day`` the office prints anything."""
        return int(self._next_print[min(max(day, 0), self.grid.size - 1)])

    def full(self, day: int) -> bool:
        """Printing at full capacity: no outage in force and no ramp (express is served)."""
        return bool(self.working[day] and not self.in_force[day] and not self.ramping[day])

    # -- the queue ---------------------------------------------------------------------------

    def add_member(self, service_day: int, count: float = 1.0) -> None:
        """An application of the agency's paid on ``service_day`` joins the queue (-1: leaves)."""
        if 0 <= service_day < self.grid.size:
            self.members[service_day] += count
            if self.members_in_queue:
                self._queue = None

    def _work_queue(self) -> tuple[FloatArray, FloatArray]:
        arrivals = self.background + (self.members if self.members_in_queue else 0.0)
        paid = np.cumsum(arrivals)
        number = self._work_count - self.lag
        source = self._work_pos[np.clip(number - 1, 0, max(len(self._work_pos) - 1, 0))]
        due = np.where(number >= 1, paid[source], 0.0)
        printed = np.empty_like(due)
        done = 0.0
        capacity = self.capacity
        normal = self.office.daily_capacity
        overtime_days = (~self.in_force) & (~self.ramping) & self.working
        for d in range(len(due)):
            cap = capacity[d]
            if self.overtime != 1.0 and overtime_days[d] and due[d] - done > normal:
                cap *= self.overtime  # a backlog after the ramp: overtime and weekend work
            done = min(due[d], done + cap)
            printed[d] = done
        return paid, printed

    def clear(self, service_day: int) -> int:
        """The first day the printed count reaches everyone paid up to ``service_day``."""
        if self._queue is None:
            self._queue = self._work_queue()
        paid, printed = self._queue
        day = min(max(service_day, 0), self.grid.size - 1)
        found = int(np.searchsorted(printed, paid[day] - 1e-6, side="left"))
        return min(found, self.grid.size - 1)

    def date(self, day: int) -> dt.date:
        return self.grid.date(day)
