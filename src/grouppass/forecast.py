"""When will a passport be in hand? Exact per member, given shared draws of the world.

How it works (docs/forecast.md has the long version):

* **Scenarios.** ``samples`` scenarios (seeded, stratified) each draw once
  what nobody can know yet: every known disruption's recovery (from its
  :class:`~grouppass.recovery.RecoveryBelief`) and ramp, and whether an
  outage nobody has announced yet starts at each office and on each system
  (the background rate). Every office and member in the assessment sees the
  same draws, so members on one broken system are correlated, as in life.
* **Rows.** Per office, scenarios that draw the same days give the same
  print queue (:mod:`grouppass.queue`): each distinct combination is one row.
* **A member's own times** (booking, issuance, collection: the office's
  estimates blended with its records, :mod:`grouppass.service`) are
  independent of everything else, so given a row, P(in hand by the deadline)
  is a sum over whole-day values: exact, not sampled. A group's
  P(every member on time) is the mean over scenarios of the product of its
  members' P given the scenario.
* **Sharing.** Members with the same office, stage and dates share one
  computation, and so do the (service day, deadline) pairs they lead to.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import zlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import partial
from typing import NamedTuple, TypeVar

import numpy as np
import numpy.typing as npt
from attrs import frozen

from grouppass import ramp
from grouppass.calendar import DayGrid, WorkingCalendar
from grouppass.evidence.learn import (
    Background,
    DisruptionHistory,
    Observations,
    OfficeTimes,
    agency_tails,
    background_rates,
    disruption_history,
    observe,
    office_times,
)
from grouppass.evidence.reference import DurationPrior
from grouppass.finish import Entry, OfficeFinish, Terms, add_days
from grouppass.forecast_memo import AgencyMemo, Lru
from grouppass.model import Application, Disruption, DisruptionKind, Office, Scenario, Stops
from grouppass.queue import DRAWN_RAMPS, OVERTIME_LEVELS, OfficeQueue, Stop, count_tables
from grouppass.recovery import MAX_RECOVERY_DAYS, Method, RecoveryBelief, believe

__all__ = [
    "DEFAULT_SAMPLES",
    "BackgroundSource",
    "FinishDistribution",
    "Forecaster",
    "QueueMemo",
    "Start",
    "StartKind",
    "joint_probability",
]

DEFAULT_SAMPLES = 500
"""Scenarios (shared draws of the world) per assessment. Stratified per draw, so a
member's P (exact given a scenario) averages 500 scenarios to within about a point."""
MAX_ROWS = 128
"""Most distinct worlds one office is computed for; more are stratified down to this."""

BACKGROUND_BUCKET_DAYS = 7
"""An unannounced outage's start is drawn by the week: finer adds rows, not accuracy."""
BACKGROUND_DURATION_QUANTILES = (1 / 6, 1 / 2, 5 / 6)
"""An unannounced outage lasts a short, a middling or a long time for its kind."""
BACKGROUND_REACH_DAYS = 45
"""Unannounced outages are drawn up to this many days after as_of (or after the known
outages of the offices they hit end): anyone starting today is done long before, so a
later one changes nobody's figures, only the cost of computing them."""

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

KEPT_BATCH = 512
"""Most starts in one office's batch that a memo keeps between assessments (a group's
worth: the whole agency's would hold memory for nothing)."""

T = TypeVar("T")

_PAIR_CHUNK = 2_000_000
"""Elements per vectorised step (pairs x rows x issue days): bounds memory."""


class StartKind(enum.IntEnum):
    """Which stages of an application remain at ``as_of``."""

    FROM_BOOKING = 0
    """Recording, payment (unless paid before), issuance and collection remain."""
    AWAIT_PAYMENT = 1
    """Recorded, not paid: payment, issuance and collection remain."""
    AWAIT_ISSUE = 2
    """Recorded and paid: issuance and collection remain."""
    AWAIT_COLLECTION = 3
    """Issued: collection remains."""
    DONE = 4
    """Collected."""


class Start(NamedTuple):
    """What is known of one application at ``as_of``, as grid day indexes.

    A named tuple rather than an attrs class: one is looked up per member per
    assessment, and tuples hash several times faster.
    """

    office: str
    kind: StartKind
    day: int
    """The day that matters for ``kind``: booking asked for, recorded, service
    start (the later of recording and payment), issued, or collected."""
    paid: int = -1
    """``FROM_BOOKING`` only: the day paid before recording (M-Paspor), else -1."""
    express: bool = False
    """Express service (percepatan): printed the day service starts, at full capacity."""


@frozen
class FinishDistribution:
    """The in-hand day of one start, pooled over scenarios."""

    first_day: int
    """Grid index of ``pmf[0]``."""
    pmf: FloatArray
    """P(in hand on day first_day + i)."""
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

    def p_by(self, day: int) -> float:
        """P(in hand by the end of grid day ``day``)."""
        i = day - self.first_day
        if i < 0:
            return 0.0
        return float(min(self.pmf[: i + 1].sum(), 1.0))


@frozen
class BackgroundSource:
    """Where outages nobody has announced may start: one office, or one system."""

    office: str | None
    system: str | None
    per_year: float
    kind: DisruptionKind

    @property
    def label(self) -> str:
        return f"office {self.office}" if self.office else f"system {self.system}"


class _WorldKey:
    """A key hashed once: every office's lookup would otherwise hash every office."""

    __slots__ = ("_hash", "parts")

    def __init__(self, parts: tuple[object, ...]) -> None:
        self.parts = parts
        self._hash = hash(parts)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _WorldKey)
            and self._hash == other._hash
            and (self.parts is other.parts or self.parts == other.parts)
        )


class _World(NamedTuple):
    """What :meth:`Forecaster._draw_world` sets up, as kept in an :class:`AgencyMemo`."""

    history: DisruptionHistory
    beliefs: list[RecoveryBelief]
    recovery: dict[str, tuple[IntArray, IntArray]]
    background: Background
    sources: list[BackgroundSource]
    background_draws: dict[str, tuple[IntArray, IntArray]]


class QueueMemo:
    """Office queues kept from one assessment to the next (the TUI reassesses a group
    after every save; the queues, the costliest tables, rarely change).

    ``agency`` keeps what the forecast learns from the whole agency (applications
    per office, observations, the world's draws): :mod:`grouppass.forecast_memo`.

    A queue depends on its office, the systems, the disruptions, the rules and the
    draws (as_of, grid, seed, samples, horizon), never on the members: that is its
    key, compared in full. Bounded (least recently used first out) and safe to
    share between worker threads.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._queues: Lru[Hashable, OfficeQueue] = Lru(size)
        # The one-row queues of the ramp's hypotheses (15 per office after an outage,
        # about 16 kB each), apart: so many would push the offices' queues out.
        self._rows: Lru[Hashable, OfficeQueue] = Lru(8 * size)
        self.agency = AgencyMemo(4 * size)

    def get(self, key: Hashable) -> OfficeQueue | None:
        return self._queues.get(key)

    def put(self, key: Hashable, queue: OfficeQueue) -> None:
        self._queues.put(key, queue)

    def get_row(self, key: Hashable) -> OfficeQueue | None:
        """A one-row queue (a hypothesis of the ramp) kept under ``key``."""
        return self._rows.get(key)

    def put_row(self, key: Hashable, queue: OfficeQueue) -> None:
        self._rows.put(key, queue)

    def __len__(self) -> int:
        return len(self._queues)


def _stratified(key: str, seed: int, n: int, stream: int = 0) -> FloatArray:
    """n uniforms, one per equal slice of (0, 1) in random order, seeded by ``key``.

    Keyed per disruption (not drawn in sequence) so that adding one disruption
    does not reshuffle the draws of the others.
    """
    rng = np.random.default_rng([seed & 0xFFFFFFFF, zlib.crc32(key.encode()), stream])
    out: FloatArray = (rng.permutation(n) + rng.random(n)) / n
    return out


def joint_probability(vectors: Iterable[FloatArray]) -> float:
    """P(all on time): the mean over scenarios of the product of P(on time | scenario).

    Members are independent given a scenario; a vector of length one holds for all.

    >>> joint_probability([np.array([1.0, 0.0]), np.array([1.0, 1.0])])
    0.5
    """
    joint: FloatArray = np.ones(1)
    for v in vectors:
        joint = joint * v
    return float(np.clip(joint.mean(), 0.0, 1.0))


class Forecaster:
    """Forecasts in-hand days of applications, under shared draws of the world.

    ``horizon_end`` is the last day anyone's deadline falls on: outages nobody
    has announced yet are drawn up to it.
    """

    def __init__(
        self,
        scenario: Scenario,
        as_of: dt.date,
        grid: DayGrid,
        *,
        seed: int = 0,
        samples: int = DEFAULT_SAMPLES,
        horizon_end: dt.date | None = None,
        memo: QueueMemo | None = None,
    ) -> None:
        if samples < 1:
            raise ValueError("samples must be >= 1")
        self.scenario = scenario
        self.memo = memo
        agency = memo.agency if memo is not None else None
        earliest: dt.date | None = None
        if agency is None:
            self._by_office = self._applications_by_office()
        else:
            self._by_office, earliest = agency.applications_by_office(scenario)
        # Everything an office's queue depends on besides the office. Of the members,
        # only the earliest day on record (the records' span sets the background rate).
        self._world = _WorldKey(
            (
                scenario.offices,
                scenario.systems,
                scenario.disruptions,
                scenario.rules,
                as_of,
                grid,
                seed,
                samples,
                horizon_end,
                earliest,
            )
        )
        self.rules = scenario.rules
        self.offices: Mapping[str, Office] = {o.code: o for o in scenario.offices}
        self.system_names: Mapping[str, str] = {s.code: s.name for s in scenario.systems}
        self.as_of = as_of
        self.grid = grid
        self.samples = samples
        self.seed = seed
        self.floor = grid.index(as_of) + 1
        """The first day anything not yet recorded can happen on."""
        end = horizon_end or as_of
        self.horizon = grid.index(end)
        self.history: DisruptionHistory
        self.beliefs: list[RecoveryBelief]
        self._recovery: dict[str, tuple[IntArray, IntArray]]
        self.background: Background
        self.sources: list[BackgroundSource]
        self._background_draws: dict[str, tuple[IntArray, IntArray]]
        kept = agency.values.get(("world", self._world)) if agency is not None else None
        if isinstance(kept, _World):
            self.history, self.beliefs, self._recovery = kept.history, kept.beliefs, kept.recovery
            self.background, self.sources = kept.background, kept.sources
            self._background_draws = kept.background_draws
        else:
            self._draw_world(end)
            if agency is not None:
                agency.values.put(("world", self._world), self._world_parts())
        self._queues: dict[str, OfficeQueue] = {}
        self._plain: dict[str, OfficeQueue] = {}
        self._calendars: dict[str, WorkingCalendar] = {}
        self._times: dict[str, OfficeTimes] = {}
        self._observed: dict[str, Observations] = {}
        self._tails: tuple[float, float, float] | None = None
        self._finish: dict[str, OfficeFinish] = {}
        self._disrupted: dict[str, list[Disruption]] = {}
        self._open_tables: dict[str, tuple[IntArray, IntArray]] = {}
        self._on_time: dict[tuple[Start, int], FloatArray] = {}
        self._dists: dict[Start, FinishDistribution] = {}

    # -- the shared draws -------------------------------------------------------------

    def _draw_world(self, end: dt.date) -> None:
        """What officials said and the records say of outages, and the shared draws."""
        scenario, as_of = self.scenario, self.as_of
        self.history = disruption_history(scenario.disruptions, as_of)
        overrun = self.history.overrun()
        words = self.history.words()
        self.beliefs = []
        self._recovery = {}
        for disruption in sorted(scenario.disruptions, key=lambda d: d.id):
            if disruption.known_from > as_of:
                continue  # replay: nobody knew of it yet
            belief = believe(
                disruption,
                as_of,
                outside_view=self.rules.outside_view,
                outside=self.history.outside(disruption.effective_kind),
                overrun=overrun,
                words=words,
            )
            self.beliefs.append(belief)
            self._recovery[disruption.id] = self._draw_recovery(belief)
        self.background = background_rates(scenario, as_of)
        self.sources = self._sources()
        self._background_draws = {
            s.label: self._draw_background(s, self._reach(s, max((end - as_of).days, 0)))
            for s in self.sources
        }

    def _world_parts(self) -> _World:
        return _World(
            self.history,
            self.beliefs,
            self._recovery,
            self.background,
            self.sources,
            self._background_draws,
        )

    def _draw_recovery(self, belief: RecoveryBelief) -> tuple[IntArray, IntArray]:
        """Recovery day index and ramp level, one per scenario."""
        d = belief.disruption
        u = _stratified(d.id, self.seed, self.samples)
        days = belief.quantile_days(u)
        idx = self.grid.index(d.start) + np.floor(days + 0.5)
        recovery: IntArray = np.clip(idx, 0, self.grid.size - 1).astype(np.int32)
        if not self.rules.recovery_ramp or (belief.method is Method.ENDED and d.ended is not None):
            # A known end: what came after it is learned per office (_learned_stops).
            level = np.full(self.samples, -1, dtype=np.int32)
        else:
            # Drawn with the recovery: outages that last longer come back slower.
            level = np.minimum((u * DRAWN_RAMPS).astype(np.int32), DRAWN_RAMPS - 1)
        return recovery, level

    def _sources(self) -> list[BackgroundSource]:
        out = []
        for code in sorted(self.background.office):
            rate = self.background.office[code]
            if rate > 0:
                out.append(BackgroundSource(code, None, rate, DisruptionKind.LOCAL_FAULT))
        for code in sorted(self.background.system):
            rate = self.background.system[code]
            if rate > 0:
                out.append(BackgroundSource(None, code, rate, DisruptionKind.SYSTEM_CHANGE))
        return out

    def _reach(self, source: BackgroundSource, horizon: int) -> int:
        """Days after as_of over which an unannounced outage of ``source`` may matter."""
        hit = [
            o
            for o in self.scenario.offices
            if o.code == source.office or (source.system is not None and source.system in o.systems)
        ]
        latest = self.floor
        for b in self.beliefs:
            if any(b.disruption.hits(o) for o in hit):
                latest = max(latest, int(self._recovery[b.disruption.id][0].max()))
        return min(horizon, latest - self.floor + BACKGROUND_REACH_DAYS)

    def _draw_background(self, source: BackgroundSource, horizon: int) -> tuple[IntArray, IntArray]:
        """(start, end) grid days per scenario; start == end where nothing happens."""
        n = self.samples
        none = np.full(n, self.floor, dtype=np.int32)
        if horizon <= 0:
            return none, none
        p = 1.0 - math.exp(-source.per_year * horizon / 365.25)
        u = _stratified(f"background:{source.label}", self.seed, n)
        v = _stratified(f"background:{source.label}", self.seed, n, stream=1)
        happens = u < p
        offset = np.where(happens, u / max(p, 1e-12), 0.0) * horizon
        bucket = np.floor(offset / BACKGROUND_BUCKET_DAYS) * BACKGROUND_BUCKET_DAYS
        start = self.floor + np.minimum(bucket + BACKGROUND_BUCKET_DAYS // 2, horizon)
        prior = self.history.outside(source.kind)
        levels = np.array([_lognormal_quantile(prior, q) for q in BACKGROUND_DURATION_QUANTILES])
        which = np.minimum((v * len(levels)).astype(np.int32), len(levels) - 1)
        end = start + np.round(levels[which])
        start = np.where(happens, start, self.floor)
        end = np.where(happens, end, self.floor)
        last = self.grid.size - 1
        return (
            np.clip(start, 0, last).astype(np.int32),
            np.clip(end, 0, last).astype(np.int32),
        )

    # -- per office ---------------------------------------------------------------------

    def calendar(self, code: str) -> WorkingCalendar:
        cal = self._calendars.get(code)
        if cal is None:
            cal = WorkingCalendar.for_office(self.offices[code], self.rules)
            self._calendars[code] = cal
        return cal

    def queue(self, code: str) -> OfficeQueue:
        """The office's print queue, one row per distinct draw of its world."""
        found = self._queues.get(code)
        if found is not None:
            return found
        office = self.offices[code]
        recent = self._recent_end(office)
        if recent is None:
            found = self._plain_queue(code)
        else:
            # Learned from the office's own applications, through the ramp and overtime
            # each scenario draws: those are the key. A recorded stage moves the
            # posterior a little, and seldom moves a scenario to another ramp.
            stops, levels, overtime = self._learned_stops(office, recent)
            key = (code, self._world, "ramp", levels.tobytes(), overtime.tobytes())
            found = self.memo.get(key) if self.memo is not None else None
            if found is None:
                found = self._build_queue(office, stops, overtime=overtime)
                if self.memo is not None:
                    self.memo.put(key, found)
        self._queues[code] = found
        return found

    def _plain_queue(self, code: str) -> OfficeQueue:
        """The queue with a recorded end followed by no ramp: what the records were
        sorted with (who waited for a backlog) before anything was learned from them."""
        found = self._plain.get(code)
        key = (code, self._world)
        if found is None and self.memo is not None:
            found = self.memo.get(key)
        if found is None:
            office = self.offices[code]
            found = self._build_queue(office, self._stops(office))
            if self.memo is not None:
                self.memo.put(key, found)
        self._plain[code] = found
        return found

    def _build_queue(
        self,
        office: Office,
        stops: Sequence[Stop],
        samples: int | None = None,
        overtime: IntArray | None = None,
    ) -> OfficeQueue:
        """``overtime`` per scenario; None: drawn evenly (none at all without a ramp)."""
        if overtime is None and self.rules.recovery_ramp:
            u = _stratified(f"overtime:{office.code}", self.seed, self.samples)
            overtime = np.minimum(
                (u * len(OVERTIME_LEVELS)).astype(np.int32), len(OVERTIME_LEVELS) - 1
            )
        return OfficeQueue(
            self.calendar(office.code).mask(self.grid),
            stops,
            samples=self.samples if samples is None else samples,
            capacity=office.daily_capacity,
            intake=office.intake,
            issue_lag=round(office.issue_days.mode),
            floor=self.floor,
            horizon=self.horizon,
            max_rows=MAX_ROWS,
            seed=self.seed,
            overtime=overtime,
        )

    def _recent_end(self, office: Office) -> RecoveryBelief | None:
        """The latest recorded end of an outage that stopped or slowed printing at
        ``office`` in the last :data:`~grouppass.ramp.EVIDENCE_DAYS`: what came after
        it is learned (:mod:`grouppass.ramp`)."""
        if not self.rules.recovery_ramp:
            return None
        ended = [
            (d.ended, b)
            for b in self._hitting(office)
            if b.method is Method.ENDED
            and (d := b.disruption).ended is not None
            and d.capacity_factor < 1.0
            and 0 <= (self.as_of - d.ended).days < ramp.EVIDENCE_DAYS
            and self.grid.index(d.ended) > 0
        ]
        # The latest end; of two on the same day, the first in the beliefs' order.
        return max(ended, key=lambda pair: pair[0])[1] if ended else None

    def _learned_stops(
        self, office: Office, recent: RecoveryBelief
    ) -> tuple[list[Stop], IntArray, IntArray]:
        """The office's stops, with the ramp after ``recent`` drawn from what its own
        applications say (:func:`grouppass.ramp.posterior`); that ramp level and the
        overtime level per scenario."""
        d = recent.disruption
        assert d.ended is not None
        stops = self._stops(office)
        at = next(i for i, b in enumerate(self._hitting(office)) if b is recent)
        times = self.times(office.code)

        def build(level: int, extra: int) -> OfficeQueue:
            # Kept between assessments: a hypothesis's queue does not depend on the
            # records, only what they say of it does.
            key = (office.code, self._world, level, extra)
            found = self.memo.get_row(key) if self.memo is not None else None
            if found is None:
                found = build_one(level, extra)
                if self.memo is not None:
                    self.memo.put_row(key, found)
            return found

        def build_one(level: int, extra: int) -> OfficeQueue:
            # One row: up to as_of every scenario's world is the same (what matters then
            # is known, or has not begun), and the evidence is all up to as_of.
            one = [
                Stop(
                    s.start[:1],
                    s.end[:1],
                    s.factor,
                    s.closes_counters,
                    np.full(1, level, np.int32) if i == at else s.ramp[:1],
                )
                for i, s in enumerate(stops)
            ]
            return self._build_queue(office, one, 1, np.full(1, extra, np.int32))

        since = d.start - dt.timedelta(days=ramp.BEFORE_DAYS)
        seen = ramp.seen_at(
            self._by_office.get(office.code, []), self.grid.origin, self.as_of, since
        )
        weights = self._ramp_weights(office, d, times, seen, build)
        u = _stratified(f"ramp:{d.id}:{office.code}", self.seed, self.samples)
        target = stops[at]
        levels, overtime = ramp.draw_levels(weights, u)
        stops[at] = Stop(target.start, target.end, target.factor, target.closes_counters, levels)
        return stops, levels, overtime

    def _ramp_weights(
        self,
        office: Office,
        ended: Disruption,
        times: OfficeTimes,
        seen: list[ramp.Seen],
        build: Callable[[int, int], OfficeQueue],
    ) -> FloatArray:
        """:func:`grouppass.ramp.posterior` for the ramp after ``ended`` at ``office``, or
        what it gave in an earlier assessment of the same world from the same records:
        a save at one office leaves the other offices' evidence as it was, and the
        posterior (a queue per hypothesis run over every record) was most of a
        reassessment after an outage."""
        agency = self.memo.agency if self.memo is not None else None
        key = ("ramp weights", office.code, ended.id, self._world, self.floor)
        kept = agency.values.get(key) if agency is not None else None
        if isinstance(kept, tuple) and kept[0] is times and kept[1] == seen:
            weights: FloatArray = kept[2]
            return weights
        weights = ramp.posterior(build, times.issue, times.collect, seen, self.floor - 1)
        if agency is not None:
            agency.values.put(key, (times, seen, weights))
        return weights

    def _hitting(self, office: Office) -> list[RecoveryBelief]:
        return [b for b in self.beliefs if b.disruption.hits(office)]

    def _stops(self, office: Office) -> list[Stop]:
        stops = []
        for belief in self._hitting(office):
            d = belief.disruption
            recovery, ramp_level = self._recovery[d.id]
            start = np.full(self.samples, self.grid.index(d.start), dtype=np.int32)
            start = np.minimum(start, recovery)
            stops.append(Stop(start, recovery, d.capacity_factor, d.stops is Stops.ALL, ramp_level))
        for source in self.sources:
            if source.office != office.code and source.system not in office.systems:
                continue
            start, end = self._background_draws[source.label]
            level = np.full(self.samples, 1 if self.rules.recovery_ramp else -1, dtype=np.int32)
            stops.append(Stop(start, end, 0.0, False, level))
        return stops

    def _applications_by_office(self) -> dict[str, list[tuple[Application, int]]]:
        seen: Counter[Application] = Counter()
        for _, member in self.scenario.members():
            if member.application is not None:
                seen[member.application] += 1
        out: dict[str, list[tuple[Application, int]]] = {}
        for app, n in seen.items():
            out.setdefault(app.office, []).append((app, n))
        return out

    def observations(self, code: str) -> Observations:
        """The office's recorded stage times, as known at as_of."""
        found = self._observed.get(code)
        applications = self._by_office.get(code, [])
        agency = self.memo.agency if self.memo is not None else None
        key = ("observed", code, self._world)
        if found is None and agency is not None:
            # Kept if the office's applications are the same (one save changes one).
            kept = agency.values.get(key)
            if isinstance(kept, tuple) and kept[0] == applications:
                found = self._observed[code] = kept[1]
        if found is None:
            queue = self._plain_queue(code)
            office = self.offices[code]
            # Payers of a day waited for a backlog if the queue cleared them later than
            # the usual issue time would have: their times measure the queue.
            lag = np.full((1, queue.size), round(office.issue_days.mode), dtype=np.int32)
            days = np.arange(queue.size, dtype=np.int32)[None, :]
            usual = add_days(queue.work_count, queue.work_nth, np.zeros_like(days), days, lag)
            found = observe(
                office,
                applications,
                self.scenario.disruptions,
                queue.work_count[0],
                self.grid.origin,
                self.as_of,
                backlogged=queue.clear[0] > usual[0],
            )
            if agency is not None:
                agency.values.put(key, (applications, found))
            self._observed[code] = found
            if self._recent_end(office) is not None:
                # The office's own queue is the learned one: the plain one sorted the
                # records, once (observations are kept), and need not stay in memory.
                self._plain.pop(code, None)
        return found

    def tails(self) -> tuple[float, float, float]:
        """Share of applications past the estimate's ``high``, per stage, agency-wide."""
        if self._tails is None:
            recorded = [o for o in self.scenario.offices if o.code in self._by_office]
            seen = {o.code: self.observations(o.code) for o in recorded}
            self._tails = agency_tails(self.rules, recorded, seen)
        return self._tails

    def times(self, code: str) -> OfficeTimes:
        """The office's service times: its estimates blended with its records."""
        found = self._times.get(code)
        if found is None:
            tails, seen = self.tails(), self.observations(code)
            agency = self.memo.agency if self.memo is not None else None
            key = ("times", code, self._world)
            kept = agency.values.get(key) if agency is not None else None
            if isinstance(kept, tuple) and kept[0] == tails and kept[1] is seen:
                found = kept[2]  # the same object: what was worked out from it is too
            else:
                found = office_times(self.offices[code], tails, seen)
                if agency is not None:
                    agency.values.put(key, (tails, seen, found))
            self._times[code] = found
        return found

    def _batch(self, kind: str, code: str, batch: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, or what the same call gave in an earlier assessment of the same
        world with the same service times at ``code``: the very same batch, so the very
        same sums (a batch of other requests would add in another order)."""
        agency = self.memo.agency if self.memo is not None else None
        if agency is None:
            return compute()
        times = self.times(code)
        key = (kind, code, self._world, batch)
        kept = agency.values.get(key)
        if isinstance(kept, tuple) and kept[0] is times:
            found: T = kept[1]
            return found
        out = compute()
        agency.values.put(key, (times, out))
        return out

    def disrupted(self, code: str) -> list[Disruption]:
        """Known disruptions of ``code`` that may still be in force after ``as_of``."""
        found = self._disrupted.get(code)
        if found is None:
            office = self.offices[code]
            found = [
                b.disruption
                for b in self.beliefs
                if b.disruption.hits(office)
                and int(self._recovery[b.disruption.id][0].max()) >= self.floor
            ]
            self._disrupted[code] = found
        return found

    def cannot_print(self, code: str) -> bool:
        """Is printing at ``code`` stopped today by a known disruption not ended yet?"""
        office = self.offices[code]
        return any(
            b.disruption.hits(office)
            and b.disruption.capacity_factor == 0.0
            and b.disruption.start <= self.as_of
            and (b.disruption.ended is None or b.disruption.ended > self.as_of)
            for b in self.beliefs
        )

    def belief(self, disruption_id: str) -> RecoveryBelief:
        for b in self.beliefs:
            if b.disruption.id == disruption_id:
                return b
        raise KeyError(disruption_id)

    def new_application(self, office: str, start: dt.date, *, express: bool = False) -> Start:
        """A switch or a first application: asking for an appointment on ``start``."""
        return Start(office, StartKind.FROM_BOOKING, self.grid.index(start), -1, express)

    def recovered_by(self, code: str, day: int) -> npt.NDArray[np.bool_]:
        """Per scenario: has every known disruption of ``code`` ended by grid day ``day``?"""
        out = np.ones(self.samples, dtype=bool)
        for d in self.disrupted(code):
            out &= self._recovery[d.id][0] <= day
        return out

    def recovery_days(self, disruption_id: str) -> IntArray:
        """The drawn recovery day (grid index) of a known disruption, per scenario."""
        return self._recovery[disruption_id][0]

    def scenario_rows(self, office: str) -> IntArray:
        """Scenario -> row of ``office``'s tables."""
        return self.queue(office).inverse

    # -- members ------------------------------------------------------------------------

    def on_time(self, requests: Iterable[tuple[Start, int]]) -> dict[tuple[Start, int], FloatArray]:
        """P(in hand by the deadline day | row) for each (start, deadline day), per row of
        the start's office. Remembered: asking again costs a lookup."""
        requests = list(requests)
        missing: dict[str, dict[Start, set[int]]] = {}
        for start, day in requests:
            if (start, day) not in self._on_time:
                missing.setdefault(start.office, {}).setdefault(start, set()).add(day)
        for code, wanted in missing.items():
            if len(wanted) > KEPT_BATCH:
                self._on_time.update(self._office_on_time(code, wanted))
                continue
            batch = tuple((s, tuple(sorted(days))) for s, days in wanted.items())
            self._on_time.update(
                self._batch("on_time", code, batch, partial(self._office_on_time, code, wanted))
            )
        return {r: self._on_time[r] for r in requests}

    def in_scenarios(self, start: Start, vector: FloatArray) -> FloatArray:
        """A per-row vector of ``start``'s office as one value per scenario."""
        out: FloatArray = vector[self.scenario_rows(start.office)]
        return out

    def joint(self, members: Iterable[tuple[Start, int, int]]) -> float:
        """P(all on time) for (start, deadline day, how many members share it).

        Members are independent given a scenario; the mean over scenarios of
        the product is their joint probability.
        """
        return float(self.joint_many([list(members)])[0])

    def joint_many(self, groups: Sequence[Sequence[tuple[Start, int, int]]]) -> FloatArray:
        """:meth:`joint` for many groups at once: one matrix product per office."""
        per_office: dict[str, dict[tuple[Start, int], int]] = {}
        # (group, key, members) per office, gathered in the same pass over the groups.
        cells: dict[str, list[tuple[int, int, int]]] = {}
        for g, members in enumerate(groups):
            for start, day, n in members:
                keys = per_office.setdefault(start.office, {})
                k = keys.setdefault((start, day), len(keys))
                cells.setdefault(start.office, []).append((g, k, n))
        log_p = np.zeros((len(groups), self.samples))
        for code, keys in per_office.items():
            vectors = self.on_time(keys)
            with np.errstate(divide="ignore"):
                logs = np.log(np.stack([vectors[k] for k in keys]))
            g_k_n = np.array(cells[code], dtype=np.int64).reshape(-1, 3)
            # Only the groups with members here (every count is at least 1), in order:
            # the same matrix as the rows of a table over every group that are not
            # zero, without building that table per office (10,000 groups x 120 offices).
            touched, local = np.unique(g_k_n[:, 0], return_inverse=True)
            counts = np.zeros((len(touched), len(keys)))
            # Whole numbers: added in any order, the same counts.
            np.add.at(counts, (local.reshape(-1), g_k_n[:, 1]), g_k_n[:, 2])
            # A member who cannot make it (log 0) sinks the group: -inf, not a tiny number.
            finite = np.where(np.isfinite(logs), logs, 0.0)
            by_row = counts @ finite
            impossible = (counts > 0).astype(np.float64) @ (~np.isfinite(logs))
            by_row = np.where(impossible > 0, -np.inf, by_row)
            log_p[touched] += by_row[:, self.scenario_rows(code)]
        out: FloatArray = np.clip(np.exp(log_p).mean(axis=1), 0.0, 1.0)
        return out

    def distribution(self, starts: Iterable[Start]) -> dict[Start, FinishDistribution]:
        """In-hand day distributions pooled over scenarios, remembered."""
        starts = list(dict.fromkeys(starts))
        missing: dict[str, list[Start]] = {}
        for s in starts:
            if s not in self._dists:
                missing.setdefault(s.office, []).append(s)
        for code, batch in missing.items():
            if len(batch) > KEPT_BATCH:
                self._dists.update(self._office_distributions(code, batch))
                continue
            self._dists.update(
                self._batch(
                    "dists", code, tuple(batch), partial(self._office_distributions, code, batch)
                )
            )
        return {s: self._dists[s] for s in starts}

    # -- the stages ---------------------------------------------------------------------

    def _service_days(self, code: str, starts: Sequence[Start]) -> tuple[IntArray, FloatArray]:
        """Per start, the days its service may start on (the later of recording and
        payment) and their probabilities; columns padded with weight 0.

        Booking and payment (walk-in applicants pay after recording, at the bank)
        are each a number of working days. A stage not recorded by as_of is known
        not to have ended by then: only the values that end it later count, and an
        application overdue past all of them waits the tail's excess from as_of.
        """
        q = self.queue(code)
        times = self.times(code)
        count, nth = q.work_count, q.work_nth
        zero = np.zeros((1, 1, 1), dtype=np.int32)
        floor = np.full((1, 1, 1), self.floor, dtype=np.int32)
        first_work = add_days(count, nth, zero, floor, zero)
        kind = np.array([s.kind for s in starts])
        day = np.array([s.day for s in starts], dtype=np.int32)[:, None, None]
        prepaid = np.array([s.paid for s in starts], dtype=np.int32)[:, None, None]
        booked = (kind == StartKind.FROM_BOOKING)[:, None, None]
        waiting = (kind == StartKind.AWAIT_PAYMENT)[:, None, None]
        as_of = floor - 1
        # (start, booking value, payment value). A stage not recorded by as_of did
        # not take a value that would have ended it by then: those values are
        # impossible, and past all of them what is left is the tail (_known_late).
        anchor = np.where(booked, day, floor)
        b_day = add_days(count, nth, zero, anchor, times.booking.values[None, :, None])
        # Whether an appointment could have been kept by as_of is counted in the days
        # the counters were open: one that fell while they were closed is not late.
        open_count, open_nth = self._past_open(code)
        b_seen = add_days(open_count, open_nth, zero, anchor, times.booking.values[None, :, None])
        late_days, late_w = times.booking.overdue()
        b_late = add_days(count, nth, zero, as_of, late_days[None, :, None])
        b_day, b_w = _known_late(
            b_day, times.booking.weights, b_late, late_w, self.floor, axis=1, seen=b_seen
        )
        recorded = np.maximum(b_day, first_work)
        recorded = np.where(waiting, np.broadcast_to(day, recorded.shape), recorded)
        p_day = add_days(count, nth, zero, recorded, times.pay.values[None, None, :])
        late_days, late_w = times.pay.overdue()
        p_late = add_days(count, nth, zero, np.full_like(recorded, as_of), late_days[None, None, :])
        p_day, p_w = _known_late(p_day, times.pay.weights, p_late, late_w, self.floor, axis=2)
        after_pay = np.maximum(p_day, first_work)
        recorded = np.broadcast_to(recorded, after_pay.shape)
        service = np.where(prepaid >= 0, np.maximum(recorded, prepaid), after_pay)
        # A start waiting for payment is recorded already: one booking value stands for it.
        first_b = (np.arange(b_w.shape[1]) == 0)[None, :, None]
        w = np.where(waiting, first_b, b_w) * p_w
        flat_days = service.reshape(len(starts), -1)
        flat_w = np.broadcast_to(w, service.shape).reshape(len(starts), -1).copy()
        ready = kind == StartKind.AWAIT_ISSUE
        flat_days[ready] = 0
        flat_w[ready] = 0.0
        flat_days[ready, 0] = day[ready, 0, 0]
        flat_w[ready, 0] = 1.0
        return flat_days, flat_w

    def _past_open(self, code: str) -> tuple[IntArray, IntArray]:
        """Count tables of the days ``code``'s counters were open, as every row of its
        world agrees up to as_of (a closure under way then lasts past it in all)."""
        found = self._open_tables.get(code)
        if found is None:
            found = count_tables(self.queue(code).open_days[:1])
            self._open_tables[code] = found
        return found

    def finish(self, code: str) -> OfficeFinish:
        """Issuance and collection at ``code``, per row."""
        found = self._finish.get(code)
        if found is None:
            times = self.times(code)
            found = OfficeFinish(
                self.queue(code),
                times.issue,
                times.collect,
                self.floor,
                keep_last=self.memo is not None,  # an app reassessing a group at a time
            )
            self._finish[code] = found
        return found

    def _entries(
        self, code: str, starts: Sequence[Start]
    ) -> tuple[list[Entry], list[list[tuple[int, float]]]]:
        """The entries (service or issue days) each start may go through, with weights.

        Entries are numbered in the order their first term comes, start after start;
        found with array arithmetic over every term at once (an Entry and a dict
        lookup a term cost seconds at 120 offices)."""
        staged = [s for s in starts if s.kind <= StartKind.AWAIT_ISSUE]
        # Per term: position of its start, entry code (day, printed, express) and weight.
        at = np.zeros(0, dtype=np.int64)
        codes = np.zeros(0, dtype=np.int64)
        weight = np.zeros(0)
        if staged:
            days, weights = self._service_days(code, staged)
            where = np.array(
                [i for i, s in enumerate(starts) if s.kind <= StartKind.AWAIT_ISSUE],
                dtype=np.int64,
            )
            express = np.array([s.express for s in staged], dtype=np.int64)
            used = weights > 0
            at = np.broadcast_to(where[:, None], used.shape)[used]
            codes = days.astype(np.int64) * 4 + np.broadcast_to(express[:, None], used.shape)
            codes = codes[used]
            weight = weights[used]
        printed = [(i, s.day) for i, s in enumerate(starts) if s.kind == StartKind.AWAIT_COLLECTION]
        if printed:
            p_at, p_day = np.array(printed, dtype=np.int64).reshape(-1, 2).T
            # Stable: a start's terms keep their order (one term for a printed start).
            order = np.argsort(np.concatenate((at, p_at)), kind="stable")
            at = np.concatenate((at, p_at))[order]
            codes = np.concatenate((codes, p_day * 4 + 2))[order]
            weight = np.concatenate((weight, np.ones(len(p_at))))[order]
        at, codes, weight = _merge_terms(at, codes, weight)
        unique, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        seen = np.argsort(first)
        rank = np.empty(len(seen), dtype=np.int64)
        rank[seen] = np.arange(len(seen))
        entries = [Entry(c >> 2, bool(c & 2), bool(c & 1)) for c in unique[seen].tolist()]
        ids = rank[inverse.reshape(-1)].tolist()
        values = weight.tolist()
        bounds = np.searchsorted(at, np.arange(len(starts) + 1)).tolist()
        per_start = [
            list(zip(ids[lo:hi], values[lo:hi], strict=True))
            for lo, hi in itertools.pairwise(bounds)
        ]
        return entries, per_start

    def _office_on_time(
        self, code: str, wanted: Mapping[Start, set[int]]
    ) -> dict[tuple[Start, int], FloatArray]:
        rows = self.queue(code).rows
        starts = list(wanted)
        entries, per_start = self._entries(code, starts)
        requests: list[tuple[Start, int]] = []
        of_start: list[int] = []
        out: dict[tuple[Start, int], FloatArray] = {}
        for i, s in enumerate(starts):
            for day in sorted(wanted[s]):
                if s.kind == StartKind.DONE:
                    out[(s, day)] = np.full(rows, 1.0 if s.day <= day else 0.0)
                    continue
                requests.append((s, day))
                of_start.append(i)
        vectors = self.finish(code).on_time(
            entries, _terms(per_start, of_start, [d for _, d in requests]), len(requests)
        )
        vectors = np.clip(vectors, 0.0, 1.0)
        for r, request in enumerate(requests):
            out[request] = vectors[r]
        return out

    def _office_distributions(
        self, code: str, starts: Sequence[Start]
    ) -> dict[Start, FinishDistribution]:
        entries, per_start = self._entries(code, starts)
        pooled = self.finish(code).pooled(entries)
        out: dict[Start, FinishDistribution] = {}
        for s, terms in zip(starts, per_start, strict=True):
            if s.kind == StartKind.DONE:
                out[s] = FinishDistribution(s.day, np.ones(1))
                continue
            first, pmf = _mix([(w, *pooled[e]) for e, w in terms])
            out[s] = FinishDistribution(first, pmf / pmf.sum())
        return out


def _terms(
    per_start: Sequence[Sequence[tuple[int, float]]], of_start: Sequence[int], days: Sequence[int]
) -> Terms:
    """Each request's terms (its start's entries and weights, with its deadline day), as
    columns, request after request: built with array arithmetic, not a tuple a term."""
    lengths = np.array([len(t) for t in per_start], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else lengths
    flat_e = np.array([e for t in per_start for e, _ in t], dtype=np.int64)
    flat_w = np.array([w for t in per_start for _, w in t], dtype=np.float64)
    si = np.asarray(of_start, dtype=np.int64)
    n = lengths[si]
    req = np.repeat(np.arange(len(si), dtype=np.int64), n)
    # Position of each term within its request's block, then in the flat lists.
    block = np.repeat(np.cumsum(n) - n, n)
    source = np.repeat(offsets[si], n) + (np.arange(len(req), dtype=np.int64) - block)
    day = np.repeat(np.asarray(days, dtype=np.int64), n)
    return req, flat_e[source], day, flat_w[source]


def _merge_terms(
    at: npt.NDArray[np.int64], codes: npt.NDArray[np.int64], weight: FloatArray
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray]:
    """One term per (start, entry): a start's booking and payment values that reach the
    same service day are one entry, with their weights added (in the order they come).

    Half of the terms were such repeats; every term costs a lookup per row and deadline.
    Terms stay in their start's order, by first appearance.
    """
    if len(at) == 0:
        return at, codes, weight
    key = at * (int(codes.max()) + 1) + codes
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    total = np.bincount(inverse.reshape(-1), weights=weight)
    order = np.argsort(first, kind="stable")
    keep = first[order]
    merged = np.asarray(total[order], dtype=np.float64)
    return at[keep].astype(np.int64, copy=False), codes[keep].astype(np.int64, copy=False), merged


def _known_late(
    days: IntArray,
    weights: FloatArray,
    late: IntArray,
    late_weights: FloatArray,
    floor: int,
    *,
    axis: int,
    seen: IntArray | None = None,
) -> tuple[IntArray, FloatArray]:
    """A stage's possible end days along ``axis`` and their weights, given it had not
    ended by as_of (the day before ``floor``).

    Values that would have ended it by then are impossible; the rest share their
    weight. Where none is left, the stage is overdue past every value it had, and
    ``late`` (days counted from as_of: the tail's memoryless excess) takes over.
    Both come back as one array, ``late`` appended along ``axis``. ``seen``, where
    given, is the day each value would have ended the stage counted as it was in the
    past (the days the counters were in fact open), for the test against ``floor``.
    """
    shape = [1] * days.ndim
    shape[axis] = -1
    w = np.where((days if seen is None else seen) >= floor, weights.reshape(shape), 0.0)
    total = w.sum(axis=axis, keepdims=True)
    stuck = total <= 0.0
    if not stuck.any():
        out_w: FloatArray = w / total
        return days, out_w
    full = list(days.shape)
    full[axis] = late.shape[axis]
    w_late = np.where(stuck, late_weights.reshape(shape), 0.0)
    out_w = np.concatenate([w, w_late], axis=axis)
    out_w /= out_w.sum(axis=axis, keepdims=True)
    out_days: IntArray = np.concatenate([days, np.broadcast_to(late, full)], axis=axis)
    return out_days, out_w


def _lognormal_quantile(prior: DurationPrior, q: float) -> float:
    from statistics import NormalDist

    days = math.exp(prior.mu + prior.sigma * NormalDist().inv_cdf(q))
    return min(days, MAX_RECOVERY_DAYS)


def _mix(parts: Sequence[tuple[float, int, FloatArray]]) -> tuple[int, FloatArray]:
    first = min(f for _, f, _ in parts)
    last = max(f + len(p) - 1 for _, f, p in parts)
    out = np.zeros(last - first + 1)
    for weight, f, p in parts:
        out[f - first : f - first + len(p)] += weight * p
    return first, out
