"""An office's print queue through outages and the ramp back, one row per distinct world.

The forecast draws every disruption's recovery (and any outage nobody has
announced yet) once per scenario. For one office, scenarios that draw the
same days give the same queue, so each distinct combination is one **row**.
Per row and calendar day (the forecast's day grid):

* **capacity**: ``daily_capacity`` on working days, times the smallest
  ``capacity_factor`` of the stops in force (0 while printing is stopped);
  after a recovery, printing comes back gradually: the **ramp** starts at a
  share ``rho`` of capacity and rises linearly to full over ``L`` working
  days (three levels, drawn with the recovery: quick, middling, slow; after
  a recorded end learned from the agency's applications, :mod:`grouppass.ramp`;
  ``rules.recovery_ramp: false`` removes it). Express service needs full
  capacity: it comes back last. On a normal day the office works
  **overtime** (:data:`OVERTIME_LEVELS`, drawn per scenario): it only shows
  while a backlog remains;
* **the queue**: paid applications arrive at ``daily_intake`` per open
  working day and reach the printer after the office's usual issue time;
  they are printed at capacity in the order of their service start (the
  later of recording and payment), so work in service when printing stops
  queues behind the outage too. The backlog is Lindley's recursion for a
  fluid queue; ``clear[row, x]`` is the first day everyone whose service
  started by day ``x`` has been printed;
* **open days**: counters close only for ``stops: all``; booking, recording
  and collection need an open day.

docs/forecast.md ("The queue after an outage") describes the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from attrs import frozen

__all__ = ["DRAWN_RAMPS", "OVERTIME_LEVELS", "RAMP_LEVELS", "OfficeQueue", "Stop", "count_tables"]

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

RAMP_LEVELS = ((0.75, 3), (0.5, 5), (0.3, 10), (0.3, 15))
"""(share of capacity on the day printing resumes, working days to full capacity).

PDN 2024: printing back six days after the start with overtime, "100%
recovered" two days later, and a backlog and no same-day service for days
after that (the backlog is the queue's; the ramp is the slower printing).
Quick, middling and slow ramps, equally likely, are drawn with a recovery not
yet known (:data:`DRAWN_RAMPS`). The fourth, three weeks (SIMKIM 2.0, 2019:
"3 days -> 1-2 weeks" at Jember after the upgrade), is only ever learned:
after a recorded end, from who is still waiting (:mod:`grouppass.ramp`)."""
DRAWN_RAMPS = 3
"""The levels a recovery not yet known draws from: the first three."""

OVERTIME_LEVELS = (1.0, 1.15, 1.3)
"""Capacity on a normal day (no outage in force, no ramp) as a share of ``daily_capacity``.

Offices work overtime and weekends to clear a backlog (Tanjung Perak and
Central Java, June 2024; SIMKIM 2.0 "cleared by 3 Jul with overtime"). How
much is not reported: none, some or a good deal, equally likely. Without a
backlog it changes nothing: what is due is printed either way."""


@frozen
class Stop:
    """One disruption (announced or not) of this office, drawn per scenario.

    ``start[s] == end[s]`` means it does not happen in scenario ``s``.
    """

    start: IntArray
    end: IntArray
    """First grid day of normal service again (before the ramp)."""
    factor: float
    closes_counters: bool
    ramp: IntArray
    """Ramp level per scenario (index into :data:`RAMP_LEVELS`; -1: no ramp)."""


def count_tables(mask: BoolArray) -> tuple[IntArray, IntArray]:
    """Running count of True days, and the day of the k-th True (1-based) per row."""
    rows, size = mask.shape
    count = np.cumsum(mask, axis=1, dtype=np.int32)
    nth = np.full((rows, size + 2), size - 1, dtype=np.int32)
    for r in range(rows):
        pos = np.flatnonzero(mask[r])
        nth[r, 1 : len(pos) + 1] = pos
    return count, nth


def _next_true(mask: BoolArray) -> IntArray:
    """Per row, for each day, the first day at or after it where ``mask`` holds."""
    size = mask.shape[1]
    idx = np.where(mask, np.arange(size, dtype=np.int32)[None, :], np.int32(size - 1))
    # A reversed running minimum finds the next True in one pass.
    out: IntArray = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
    return np.ascontiguousarray(out, dtype=np.int32)


def _first_reaching(levels: FloatArray, targets: FloatArray) -> IntArray:
    """Per row, the first index where the non-decreasing ``levels`` reach each target."""
    rows, size = levels.shape
    # One flat searchsorted: rows are shifted apart so each search stays in its row.
    span = float(max(levels.max(initial=0.0), targets.max(initial=0.0))) + 1.0
    offset = (np.arange(rows) * span)[:, None]
    flat = (levels + offset).ravel()
    found = np.searchsorted(flat, (targets + offset).ravel(), side="left").reshape(rows, size)
    found -= (np.arange(rows) * size)[:, None]
    out: IntArray = np.clip(found, 0, size - 1).astype(np.int32)
    return out


class OfficeQueue:
    """Per-row day tables for one office: what the member stages look up.

    ``inverse[s]`` is scenario ``s``'s row; ``row_weight[r]`` the share of
    scenarios in row ``r``.
    """

    def __init__(
        self,
        working: BoolArray,
        stops: Sequence[Stop],
        *,
        samples: int,
        capacity: float,
        intake: float,
        issue_lag: int,
        floor: int = 0,
        horizon: int | None = None,
        max_rows: int | None = None,
        seed: int = 0,
        overtime: IntArray | None = None,
    ) -> None:
        """``overtime`` is the :data:`OVERTIME_LEVELS` index per scenario (None: none)."""
        size = len(working)
        self.size = size
        self.last = size - 1
        self.samples = samples
        active = [s for s in stops if bool(np.any(s.end > s.start))]
        if active:
            # A stop that does not happen in a scenario has no ramp after it either.
            columns = [
                a for s in active for a in (s.start, s.end, np.where(s.end > s.start, s.ramp, -1))
            ]
            # Overtime only matters after a backlog, and only an outage makes one.
            columns.append(np.zeros(samples, np.int32) if overtime is None else overtime)
            key = np.stack(columns, axis=1)
            distinct, inverse = np.unique(key, axis=0, return_inverse=True)
            self.inverse: IntArray = inverse.reshape(-1).astype(np.int32)
        else:
            distinct = np.zeros((1, 1), dtype=np.int32)
            self.inverse = np.zeros(samples, dtype=np.int32)
        self.rows = len(distinct)
        self.row_weight: FloatArray = np.bincount(self.inverse, minlength=self.rows) / samples
        self.work_count, self.work_nth = count_tables(working[None, :])
        days = np.arange(size, dtype=np.int32)[None, :]
        factor = np.ones((self.rows, size))
        closed = np.zeros((self.rows, size), dtype=bool)
        for j, stop in enumerate(active):
            start = distinct[:, 3 * j][:, None]
            end = distinct[:, 3 * j + 1][:, None]
            level = distinct[:, 3 * j + 2]
            on = (days >= start) & (days < end)
            factor = np.where(on, np.minimum(factor, stop.factor), factor)
            if stop.closes_counters:
                closed |= on
            self._ramp(factor, end, level)
        boost = np.array(OVERTIME_LEVELS)[distinct[:, -1]][:, None]
        if max_rows is not None and self.rows > max_rows:
            keep = self._strata(working, factor, closed, floor, horizon, max_rows, seed)
            factor, closed, boost = factor[keep], closed[keep], boost[keep]
        self.open_days = working[None, :] & ~closed
        capacity_row = working[None, :] * capacity * factor
        # Printing, at full speed, and overtime on top while a backlog remains.
        full = factor >= 1.0 - 1e-9
        print_row = working[None, :] * capacity * np.where(full, boost, factor)
        printing = capacity_row > 1e-9
        self.next_print = _next_true(printing)
        self.next_full = _next_true(printing & full)
        # Closures before ``floor`` (the day after as_of) change no one's remaining stages.
        self.closes = bool(closed[:, floor:].any())
        """Counters close in some row after as_of: open days differ from working days."""
        if self.closes:
            self.open_count, self.open_nth = count_tables(self.open_days)
        else:
            self.open_count, self.open_nth = self.work_count, self.work_nth
        # Paid applications reach the printer after the usual issue time, so those
        # in service when printing stops queue behind the outage too.
        paid = np.cumsum(self.open_days * intake, axis=1)
        number = self.work_count[0] - issue_lag
        source = self.work_nth[0, np.maximum(number, 0)]
        due = np.where(number[None, :] >= 1, paid[:, source], 0.0)
        # Lindley's recursion for a fluid queue: backlog = X - min(0, running min of X).
        net = due - np.cumsum(print_row, axis=1)
        backlog = net - np.minimum(0.0, np.minimum.accumulate(net, axis=1))
        printed = due - backlog
        # In order of service start: a member waits until the printed count reaches
        # everyone whose service started up to and including their day.
        self.clear = _first_reaching(printed, paid - 1e-6)

    def _strata(
        self,
        working: BoolArray,
        factor: FloatArray,
        closed: BoolArray,
        floor: int,
        horizon: int | None,
        max_rows: int,
        seed: int,
    ) -> IntArray:
        """Represent many distinct worlds by ``max_rows`` strata; return the rows kept.

        Scenarios are ordered by how much printing their world takes away from
        as_of to the last deadline, cut into equal strata, and each stratum is
        represented by one of its scenarios' worlds picked at random: a
        stratified sample, unbiased for every member's and group's P, with the
        variance of ``max_rows`` draws rather than of every distinct world.
        """
        end = self.size if horizon is None else min(horizon + 1, self.size)
        span = slice(floor, end)
        lost = ((1.0 - factor[:, span]) * working[None, span]).sum(axis=1)
        lost += closed[:, span].sum(axis=1)
        order = np.lexsort((np.arange(self.samples), lost[self.inverse]))
        strata = np.array_split(order, max_rows)
        rng = np.random.default_rng([seed & 0xFFFFFFFF, 0x5EED])
        chosen = np.empty(len(strata), dtype=np.int32)
        inverse = np.empty(self.samples, dtype=np.int32)
        for i, members in enumerate(strata):
            chosen[i] = self.inverse[members[rng.integers(len(members))]]
            inverse[members] = i
        self.inverse = inverse
        self.rows = len(strata)
        self.row_weight = np.bincount(inverse, minlength=self.rows) / self.samples
        return chosen

    def _ramp(self, factor: FloatArray, end: IntArray, level: IntArray) -> None:
        """Cap ``factor`` in place at the capacity share after each row's recovery on
        ``end``. Only the rows with a ramp are touched: the share is 1 elsewhere, and
        ``factor`` is never above 1, so the minimum there is ``factor`` itself (the
        same values as a full table of shares, without building one per stop)."""
        count = self.work_count[0]
        for i, (rho, span) in enumerate(RAMP_LEVELS):
            rows = np.flatnonzero(level == i)
            if len(rows) == 0:
                continue
            e = np.clip(end[rows, 0], 0, self.last)
            k = count[None, :] - count[e][:, None]
            after = np.arange(self.size)[None, :] >= e[:, None]
            share = rho + (1.0 - rho) * np.clip(k / span, 0.0, 1.0)
            factor[rows] = np.minimum(factor[rows], np.where(after, share, 1.0))

    def scenario_rows(self) -> IntArray:
        return self.inverse
