"""When will a passport be in hand? A seeded Monte Carlo over shared outage draws.

How it works, and why it is cheap enough for a whole agency season:

* Each *scenario* ``s`` draws the recovery day of every known disruption once
  (stratified, seeded). Every office and every member sees the same draw, so
  members on one broken system are correlated, as they are in life.
* Per office and scenario, a fluid queue runs over a grid of calendar days:
  paid applications arrive at ``daily_intake`` on open days and are printed at
  ``daily_capacity`` times the capacity factor of any disruption in force,
  first paid, first printed (Lindley's recursion, vectorised).
* A member's own service times (booking, issuance, collection) are
  three-point estimates discretised to a few integer working-day values. For a
  given scenario we enumerate them all, so ``P(on time | s)`` is exact rather
  than sampled. Members are independent given the scenario, which makes the
  group's ``P(every member on time)`` the mean over scenarios of a product.
* Members with the same office, stage and dates share one computation.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from attrs import frozen

from grouppass.calendar import DayGrid, WorkingCalendar
from grouppass.model import Disruption, Office, Recovery, Rules, Stops, ThreePoint

__all__ = [
    "DEFAULT_SAMPLES",
    "FinishDistribution",
    "Forecaster",
    "Kind",
    "Start",
    "discretise",
    "joint_probability",
    "recovery_quantile",
]

DEFAULT_SAMPLES = 1000
"""Scenarios (shared outage draws) per assessment."""

MAX_POINTS = 5
"""Most values a member's service time takes per stage: keeps enumeration small."""

OPEN_TAIL_MIN_SCALE = 7.0
OPEN_TAIL_CAP_DAYS = 365.0
OPEN_LEFT_WEIGHT = 1.0 / 3.0

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]


class Kind:
    """Which stages remain; a small int so keys stay cheap to hash."""

    FROM_BOOKING = 0
    """Recording, payment (if not yet), issuance and collection remain."""
    AWAIT_PAYMENT = 1
    """Recorded, not paid: payment, issuance and collection remain."""
    AWAIT_ISSUE = 2
    """Recorded and paid: issuance and collection remain."""
    AWAIT_COLLECTION = 3
    """Issued: collection remains."""
    DONE = 4
    """Collected."""


class Start(NamedTuple):
    """What is known of one application at ``as_of``, as day indexes (-1: unknown)."""

    office: str
    kind: int
    anchor: int
    """The day booking was asked for (or the day a new application starts)."""
    recorded: int
    paid: int
    issued: int
    collected: int


@frozen
class FinishDistribution:
    """The in-hand day of one start, per scenario, as seen against some deadlines."""

    first_day: int
    """Grid index of ``pmf[0]``."""
    pmf: FloatArray
    """P(in hand on day first_day + i), pooled over scenarios."""
    on_time: Mapping[int, FloatArray]
    """deadline day -> P(in hand by it | scenario), one value per scenario (or one for all)."""
    p_by_day: Mapping[int, float] = {}
    """deadline day -> P(in hand by it), over all scenarios."""
    p50_day: int = -1
    p90_day: int = -1

    def __attrs_post_init__(self) -> None:
        # Quantiles are read for every member sharing this start: work them out once.
        object.__setattr__(self, "p50_day", self.quantile_day(0.5))
        object.__setattr__(self, "p90_day", self.quantile_day(0.9))

    def quantile_day(self, q: float) -> int:
        cdf = np.cumsum(self.pmf)
        i = int(np.searchsorted(cdf, q - 1e-9, side="left"))
        return self.first_day + min(i, len(self.pmf) - 1)

    def p_by(self, deadline_day: int) -> float:
        found = self.p_by_day.get(deadline_day)
        return float(np.mean(self.on_time[deadline_day])) if found is None else found


def joint_probability(vectors: Iterable[FloatArray]) -> float:
    """P(all on time): the mean over scenarios of the product of P(on time | scenario).

    Members are independent given a scenario; a vector of length one holds for all.
    """
    # Members sharing a start and deadline share one vector object: raise it to a power.
    shared: dict[int, tuple[FloatArray, int]] = {}
    for v in vectors:
        seen = shared.get(id(v))
        shared[id(v)] = (v, 1 if seen is None else seen[1] + 1)
    joint: FloatArray = np.ones(1)
    for v, n in shared.values():
        joint = joint * (v if n == 1 else v**n)
    return float(np.clip(joint.mean(), 0.0, 1.0))


def discretise(estimate: ThreePoint) -> tuple[IntArray, FloatArray]:
    """Integer working days and their probabilities for a triangular estimate.

    >>> discretise(ThreePoint(3, 3, 3))
    (array([3], dtype=int32), array([1.]))
    """
    low, mode, high = estimate.low, estimate.mode, estimate.high
    if high - low < 1e-9:
        return np.array([round(low)], dtype=np.int32), np.array([1.0])
    lo, hi = math.floor(low + 0.5), math.floor(high + 0.5)
    values = np.arange(lo, hi + 1)
    edges = np.clip(np.concatenate([values - 0.5, [values[-1] + 0.5]]), low, high)
    cdf = np.array([_triangular_cdf(x, low, mode, high) for x in edges])
    weights = np.diff(cdf)
    keep = weights > 1e-12
    values, weights = values[keep], weights[keep] / weights[keep].sum()
    if len(values) > MAX_POINTS:
        # Equal-probability quantile points keep the spread with few values.
        qs = (np.arange(MAX_POINTS) + 0.5) / MAX_POINTS
        cum = np.cumsum(weights)
        values = values[np.searchsorted(cum, qs)]
        values, counts = np.unique(values, return_counts=True)
        weights = counts / MAX_POINTS
    return values.astype(np.int32), np.asarray(weights, dtype=np.float64)


def _triangular_cdf(x: float, low: float, mode: float, high: float) -> float:
    if x <= low:
        return 0.0
    if x >= high:
        return 1.0
    if x <= mode:
        return (x - low) ** 2 / ((high - low) * (mode - low))
    return 1.0 - (high - x) ** 2 / ((high - low) * (high - mode))


def _recovery_cdf(x: float, low: float, mode: float, high: float | None) -> float:
    if high is not None:
        return _triangular_cdf(x, low, mode, high)
    left = OPEN_LEFT_WEIGHT if mode > low else 0.0
    if x <= low:
        return 0.0
    if x <= mode:
        return left * ((x - low) / (mode - low)) ** 2
    scale = max(mode - low, OPEN_TAIL_MIN_SCALE)
    return left + (1.0 - left) * (1.0 - math.exp(-(x - mode) / scale))


def recovery_quantile(u: FloatArray, low: float, mode: float, high: float | None) -> FloatArray:
    """Inverse CDF of a recovery estimate, in days after some origin.

    With an open ``high`` the recovery rises as a triangle from ``low`` to
    ``mode`` (one third of the probability) and then decays exponentially with
    scale ``max(mode - low, 7)`` days, capped 365 days after ``mode``.
    """
    u = np.asarray(u, dtype=np.float64)
    if high is not None:
        if high - low < 1e-9:
            return np.full_like(u, low)
        split = (mode - low) / (high - low)
        left = low + np.sqrt(u * (high - low) * (mode - low))
        right = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
        return np.where(u < split, left, right)
    left_w = OPEN_LEFT_WEIGHT if mode > low else 0.0
    scale = max(mode - low, OPEN_TAIL_MIN_SCALE)
    left = low + (mode - low) * np.sqrt(np.clip(u / max(left_w, 1e-12), 0.0, 1.0))
    tail = (u - left_w) / (1.0 - left_w)
    right = mode - scale * np.log(np.clip(1.0 - tail, 1e-300, 1.0))
    return np.where(u < left_w, left, np.minimum(right, mode + OPEN_TAIL_CAP_DAYS))


class _OfficeTables:
    """Per-office arrays over the day grid, one row per distinct outage draw.

    ``inverse`` maps each scenario to its row (None: one row serves all).
    """

    def __init__(
        self,
        office: Office,
        calendar: WorkingCalendar,
        grid: DayGrid,
        disruptions: Sequence[tuple[Disruption, IntArray]],
        samples: int,
    ) -> None:
        size = grid.size
        working = calendar.mask(grid)
        # Scenarios that draw the same recovery days for this office's disruptions
        # give identical tables: compute each distinct one once.
        if disruptions:
            draws = np.stack([r for _, r in disruptions], axis=1)
            distinct, inverse = np.unique(draws, axis=0, return_inverse=True)
            self.inverse: IntArray | None = inverse.reshape(-1).astype(np.int32)
            self.row_weight: FloatArray = np.bincount(self.inverse) / samples
        else:
            distinct = np.zeros((1, 0), dtype=np.int32)
            self.inverse = None
            self.row_weight = np.ones(1)
        self.rows = len(distinct)
        days = np.arange(size, dtype=np.int32)
        factor = np.ones((self.rows, size))
        stopped = np.zeros((self.rows, size), dtype=bool)
        for j, (disruption, _) in enumerate(disruptions):
            recovery = distinct[:, j]
            start = grid.index(disruption.start)
            active = (days[None, :] >= start) & (days[None, :] < recovery[:, None])
            factor = np.where(active, np.minimum(factor, disruption.capacity_factor), factor)
            if disruption.stops is Stops.ALL:
                stopped |= active
        open_ = working[None, :] & ~stopped
        capacity = working[None, :] * office.daily_capacity * factor
        self.work_count, self.work_nth = _count_tables(working[None, :])
        # Paid applications reach the printer after the usual service time, so
        # those still in service when printing stops queue behind the outage too.
        paid = np.cumsum(open_ * office.intake, axis=1)
        lag = round(office.issue_days.mode)
        number = self.work_count[0] - lag
        source = self.work_nth[0, np.maximum(number, 0)]
        due = np.where(number[None, :] >= 1, paid[:, source], 0.0)
        # Lindley's recursion for a fluid queue: backlog = X - min(0, running min of X).
        net = due - np.cumsum(capacity, axis=1)
        backlog = net - np.minimum(0.0, np.minimum.accumulate(net, axis=1))
        printed = due - backlog
        # First paid, first printed: a member waits until the printed count reaches
        # everyone who paid up to and including their day.
        self.clear = _first_reaching(printed, paid - 1e-6)
        self.next_print = _next_true(capacity > 1e-9)
        if stopped.any():
            self.open_count, self.open_nth = _count_tables(open_)
        else:
            self.open_count, self.open_nth = self.work_count, self.work_nth
        self.last = size - 1


def _first_reaching(levels: FloatArray, targets: FloatArray) -> IntArray:
    """Per row, the first index where the non-decreasing ``levels`` reach each target."""
    rows, size = levels.shape
    # One flat searchsorted: rows are shifted apart so each search stays in its row.
    span = float(max(levels.max(initial=0.0), targets.max(initial=0.0))) + 1.0
    offset = (np.arange(rows) * span)[:, None]
    flat = (levels + offset).ravel()
    found = np.searchsorted(flat, (targets + offset).ravel(), side="left").reshape(rows, size)
    found -= (np.arange(rows) * size)[:, None]
    return np.clip(found, 0, size - 1).astype(np.int32)


def _next_true(mask: npt.NDArray[np.bool_]) -> IntArray:
    """Per row, for each day, the first day at or after it where ``mask`` holds."""
    size = mask.shape[1]
    idx = np.where(mask, np.arange(size)[None, :], size - 1)
    # A reversed running minimum finds the next True in one pass.
    out = np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]
    return out.astype(np.int32)


def _count_tables(mask: npt.NDArray[np.bool_]) -> tuple[IntArray, IntArray]:
    """Running count of True days, and the day of the k-th True (1-based) per row."""
    rows, size = mask.shape
    count = np.cumsum(mask, axis=1, dtype=np.int32)
    nth = np.full((rows, size + 2), size - 1, dtype=np.int32)
    for r in range(rows):
        pos = np.flatnonzero(mask[r])
        nth[r, 1 : len(pos) + 1] = pos
    return count, nth


def _add(count: IntArray, nth: IntArray, rows: IntArray, day: IntArray, n: IntArray) -> IntArray:
    """The ``n``-th counted day after ``day`` (``n == 0``: ``day`` or the next counted one)."""
    if count.shape[0] == 1:
        rows = np.zeros((1, 1, 1), dtype=np.int32)
    target = np.maximum(count[rows, day] + n, count[rows, day - 1] + 1)
    out: IntArray = nth[rows, np.minimum(target, nth.shape[1] - 1)]
    return out


class Forecaster:
    """Forecasts in-hand days for application starts, under shared outage draws."""

    def __init__(
        self,
        offices: Mapping[str, Office],
        disruptions: Iterable[Disruption],
        rules: Rules,
        as_of: dt.date,
        grid: DayGrid,
        *,
        seed: int = 0,
        samples: int = DEFAULT_SAMPLES,
        system_names: Mapping[str, str] | None = None,
    ) -> None:
        if samples < 1:
            raise ValueError("samples must be >= 1")
        self.offices = offices
        self.rules = rules
        self.as_of = as_of
        self.grid = grid
        self.samples = samples
        self.system_names: Mapping[str, str] = system_names or {}
        self.floor = grid.index(as_of) + 1
        rng = np.random.default_rng(seed)
        self.disruptions: list[tuple[Disruption, IntArray]] = []
        for disruption in sorted(disruptions, key=lambda d: d.id):
            if disruption.known_from > as_of:
                continue  # replay: nobody knew of it yet
            self.disruptions.append((disruption, self._draw_recovery(disruption, rng)))
        self._tables: dict[str, _OfficeTables] = {}
        self._calendars: dict[str, WorkingCalendar] = {}
        self._points: dict[str, tuple[tuple[IntArray, FloatArray], ...]] = {}
        self._on_time: dict[tuple[Start, int], FloatArray] = {}
        self._disrupted: dict[str, list[Disruption]] = {}

    def _draw_recovery(self, disruption: Disruption, rng: np.random.Generator) -> IntArray:
        """Recovery day indexes, one per scenario, stratified for steadier estimates."""
        n = self.samples
        u = (rng.permutation(n) + rng.random(n)) / n
        if disruption.ended is not None and disruption.ended <= self.as_of:
            return np.full(n, self.grid.index(disruption.ended), dtype=np.int32)
        origin = disruption.start
        # No estimate: until the outside view lands, an open-ended fortnight.
        rec: Recovery = disruption.recovery or Recovery(
            origin, origin + dt.timedelta(days=14), None
        )
        low = float((rec.low - origin).days)
        mode = float((rec.mode - origin).days)
        high = None if rec.high is None else float((rec.high - origin).days)
        # Still broken at as_of: only recoveries after as_of remain possible. Times
        # round to the nearest day, so "after as_of" starts half a day past it.
        after = float((self.as_of - origin).days) + 0.5
        if disruption.start <= self.as_of:
            floor_u = _recovery_cdf(after - 1e-9, low, mode, high)
            if floor_u >= 1.0 - 1e-9:
                # Overdue past its `high`: keep it open with the tail's scale.
                scale = max(mode - low, OPEN_TAIL_MIN_SCALE)
                days = after - scale * np.log1p(-u * (1 - 1e-12))
                return self._to_index(origin, days)
            u = floor_u + u * (1.0 - floor_u)
        days = np.maximum(recovery_quantile(u, low, mode, high), 0.0)
        if disruption.start <= self.as_of:
            days = np.maximum(days, after)
        return self._to_index(origin, days)

    def _to_index(self, origin: dt.date, days: FloatArray) -> IntArray:
        # Nearest day: both `low` and `high` keep their share of the probability.
        idx = self.grid.index(origin) + np.floor(days + 0.5)
        out: IntArray = np.clip(idx, 0, self.grid.size - 1).astype(np.int32)
        return out

    def calendar(self, code: str) -> WorkingCalendar:
        cal = self._calendars.get(code)
        if cal is None:
            cal = WorkingCalendar.for_office(self.offices[code], self.rules)
            self._calendars[code] = cal
        return cal

    def tables(self, code: str) -> _OfficeTables:
        tables = self._tables.get(code)
        if tables is None:
            office = self.offices[code]
            hits = [(d, r) for d, r in self.disruptions if d.hits(office)]
            tables = _OfficeTables(office, self.calendar(code), self.grid, hits, self.samples)
            self._tables[code] = tables
        return tables

    def disrupted(self, code: str) -> list[Disruption]:
        """Known disruptions of ``code`` that may still be in force after ``as_of``."""
        found = self._disrupted.get(code)
        if found is None:
            office = self.offices[code]
            found = [
                d
                for d, recovery in self.disruptions
                if d.hits(office) and int(recovery.max()) >= self.floor
            ]
            self._disrupted[code] = found
        return found

    def _service_points(self, code: str) -> tuple[tuple[IntArray, FloatArray], ...]:
        points = self._points.get(code)
        if points is None:
            office = self.offices[code]
            points = tuple(
                discretise(t) for t in (office.booking_days, office.issue_days, office.collect_days)
            )
            self._points[code] = points
        return points

    def new_application(self, office: str, start: dt.date) -> Start:
        """A switch or a first application: asking for an appointment on ``start``."""
        return Start(office, Kind.FROM_BOOKING, self.grid.index(start), -1, -1, -1, -1)

    def on_time(self, start: Start, deadline_day: int) -> FloatArray:
        """P(in hand by ``deadline_day`` | scenario) for one start, remembered."""
        return self.on_time_many([(start, deadline_day)])[(start, deadline_day)]

    def on_time_many(
        self, pairs: Iterable[tuple[Start, int]]
    ) -> dict[tuple[Start, int], FloatArray]:
        """P(in hand by the day | scenario) for many (start, deadline day) pairs at once.

        Batching matters: switch advice asks about thousands of pairs, and one
        vectorised pass per office is far cheaper than one call per pair.
        """
        pairs = list(pairs)
        missing: dict[Start, set[int]] = {}
        for pair in pairs:
            if pair not in self._on_time:
                missing.setdefault(pair[0], set()).add(pair[1])
        if missing:
            for start, dist in self.forecast(missing).items():
                for day, vector in dist.on_time.items():
                    self._on_time[(start, day)] = vector
        return {pair: self._on_time[pair] for pair in pairs}

    def forecast(self, starts: Mapping[Start, Iterable[int]]) -> dict[Start, FinishDistribution]:
        """Finish distributions for each start, with P(on time) per scenario by each deadline."""
        by_batch: dict[tuple[str, int], list[Start]] = {}
        for start in starts:
            by_batch.setdefault((start.office, start.kind), []).append(start)
        out: dict[Start, FinishDistribution] = {}
        for (code, kind), batch in by_batch.items():
            if kind == Kind.DONE:
                for start in batch:
                    out[start] = self._done(start, starts[start])
                continue
            # Bound memory: keys x rows x combinations per chunk.
            tables = self.tables(code)
            combos = int(np.prod([len(v) for v, _ in self._service_points(code)]))
            chunk = max(1, 4_000_000 // max(1, tables.rows * combos))
            for i in range(0, len(batch), chunk):
                part = batch[i : i + chunk]
                out.update(self._forecast_batch(code, kind, part, starts))
        return out

    def _done(self, start: Start, deadlines: Iterable[int]) -> FinishDistribution:
        day = start.collected
        return FinishDistribution(
            first_day=day,
            pmf=np.ones(1),
            on_time={t: np.array([1.0 if day <= t else 0.0]) for t in deadlines},
        )

    def _forecast_batch(
        self,
        code: str,
        kind: int,
        batch: Sequence[Start],
        wanted: Mapping[Start, Iterable[int]],
    ) -> dict[Start, FinishDistribution]:
        t = self.tables(code)
        (b_val, b_w), (i_val, i_w), (c_val, c_w) = self._service_points(code)
        if kind != Kind.FROM_BOOKING:
            b_val, b_w = np.zeros(1, dtype=np.int32), np.ones(1)
        if kind == Kind.AWAIT_COLLECTION:
            i_val, i_w = np.zeros(1, dtype=np.int32), np.ones(1)
        # Every combination of (booking, issue, collect) values, flattened.
        b, i, c = (a.ravel() for a in np.meshgrid(b_val, i_val, c_val, indexing="ij"))
        weights = np.einsum("i,j,k->ijk", b_w, i_w, c_w).ravel()
        k = len(batch)
        rows = np.arange(t.rows, dtype=np.int32)[None, :, None]
        zero = np.zeros((1, 1, 1), dtype=np.int32)

        def col(field: int) -> IntArray:
            return np.array([s[field] for s in batch], dtype=np.int32)[:, None, None]

        floor = np.int32(self.floor)
        if kind == Kind.AWAIT_COLLECTION:
            issued = col(5)
        else:
            if kind == Kind.FROM_BOOKING:
                anchor = col(2)
                # A new application may be recorded on the day it starts.
                earliest = np.where(anchor > floor - 1, anchor, floor)
                first_open = _add(t.open_count, t.open_nth, rows, earliest + zero, zero)
                booked = _add(t.open_count, t.open_nth, rows, anchor + zero, b[None, None, :])
                recorded = np.maximum(booked, first_open)
                paid = col(4)
                service = np.where(paid >= 0, np.maximum(recorded, paid), recorded)
            elif kind == Kind.AWAIT_PAYMENT:
                pay_day = _add(t.work_count, t.work_nth, zero, np.full_like(col(3), floor), zero)
                service = np.maximum(col(3), pay_day)
            else:
                service = col(3)
            ready = _add(t.work_count, t.work_nth, zero, service, i[None, None, :])
            queued = t.clear[rows, service]
            earliest_print = np.maximum(np.maximum(ready, queued), floor)
            issued = t.next_print[rows, np.minimum(earliest_print, t.last)]
        collected = _add(t.open_count, t.open_nth, rows, issued, c[None, None, :])
        first_collect = _add(
            t.open_count, t.open_nth, rows, np.full((1, 1, 1), floor, np.int32), zero
        )
        finish = np.maximum(collected, first_collect)
        finish = np.broadcast_to(finish, (k, t.rows, len(weights)))
        return self._summarise(batch, finish, weights, t, wanted)

    def _summarise(
        self,
        batch: Sequence[Start],
        finish: IntArray,
        weights: FloatArray,
        tables: _OfficeTables,
        wanted: Mapping[Start, Iterable[int]],
    ) -> dict[Start, FinishDistribution]:
        k = finish.shape[0]
        lo = finish.min(axis=(1, 2))
        hi = finish.max(axis=(1, 2))
        width = int((hi - lo).max()) + 1
        rel = finish - lo[:, None, None] + (np.arange(k) * width)[:, None, None]
        w = np.broadcast_to(tables.row_weight[None, :, None] * weights[None, None, :], finish.shape)
        flat = np.bincount(rel.ravel(), weights=w.ravel(), minlength=k * width)
        pmf = flat.astype(np.float64).reshape(k, width)
        out: dict[Start, FinishDistribution] = {}
        for j, start in enumerate(batch):
            on_time = {}
            p_by_day = {}
            for d in wanted[start]:
                per_row = (finish[j] <= d).astype(np.float64) @ weights
                on_time[int(d)] = per_row if tables.inverse is None else per_row[tables.inverse]
                p_by_day[int(d)] = float(per_row @ tables.row_weight)
            span = int(hi[j] - lo[j]) + 1
            out[start] = FinishDistribution(int(lo[j]), pmf[j, :span], on_time, p_by_day)
        return out
