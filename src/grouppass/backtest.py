"""The track record: the agency's own history, replayed, against what happened.

For past days up to ``today`` (every ``every_days`` back from it), grouppass
assesses the file as it was known that day (``as_of`` = that day: facts
dated later are ignored) and compares each forecast with the outcome the
file records: a member was in time if their passport was collected by the
group's deadline, or if they already held a valid one. Only groups whose
deadline is on or before ``today`` and whose every member's outcome is
recorded are scored.

A forecast is scored only when what it assumed is what happened: a member
who had not applied yet on a day is forecast as applying that day, which is
not what they did, so they (and their group) are left out on that day.
Members and groups already rated ``ready`` are left out too: nothing was
forecast.

The naive forecast is the organiser's rule of thumb: ready three working
days after payment (payment today if not yet paid), or three working days
after the announced recovery of a known outage still in force (its most
likely date; the next day if none was announced). It says P = 1 when that
day is on or before the deadline, else 0.

>>> import datetime as dt
>>> import grouppass.simulate as sim
>>> scenario = sim.simulate_season(sim.PRESETS["as-said"], seed=1).scenario()  # a whole season
>>> record = backtest(scenario, dt.date(2024, 3, 1))
>>> record.summary
'when grouppass said 90% or more, 3 of 4 were in time (groups, replayed every 7 days)'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal
from zoneinfo import ZoneInfo

from attrs import frozen

from grouppass import assess, deadline_of
from grouppass.calendar import WorkingCalendar
from grouppass.forecast import DEFAULT_SAMPLES
from grouppass.model import Application, Group, Member, Office, Scenario, Stage
from grouppass.results import GroupAssessment, Risk
from grouppass.rules import passport_problems

__all__ = [
    "BINS",
    "NAIVE_WORKING_DAYS",
    "Headline",
    "Reliability",
    "ReliabilityBin",
    "Scored",
    "TrackRecord",
    "backtest",
    "naive_ready_day",
    "recorded_outcome",
    "reliability",
    "track_record_dict",
]

BINS = 10
"""Equal-width bins of predicted probability in the reliability table."""

NAIVE_WORKING_DAYS = 3
"""'Ready three working days after payment' (Mataram 2018; FACTS.md)."""


@frozen
class Scored:
    """One forecast and what came of it."""

    p: float
    """What grouppass said: P(in time)."""
    naive: float
    """What the organiser's rule of thumb said: 1 or 0."""
    in_time: bool
    on_track: bool
    """grouppass rated it ``on_track``."""


@frozen
class ReliabilityBin:
    """Forecasts whose P fell in [low, high) (the last bin includes 1.0)."""

    low: float
    high: float
    forecasts: int
    mean_predicted: float
    in_time: int

    @property
    def share(self) -> float | None:
        """The share that came true; None for an empty bin."""
        return None if self.forecasts == 0 else self.in_time / self.forecasts


@frozen
class Reliability:
    """How one kind of forecast (members, or groups) fared."""

    forecasts: int
    in_time: int
    bins: tuple[ReliabilityBin, ...]
    brier: float | None
    """Mean squared error of grouppass's P; None with no forecasts."""
    naive_brier: float | None
    """The same for the naive forecast."""
    on_track_calls: int
    on_track_hits: int
    sure_calls: int
    """Forecasts of at least the target probability."""
    sure_hits: int
    target_probability: float

    @property
    def ece(self) -> float | None:
        """Expected calibration error: the count-weighted mean gap between said and seen."""
        if self.forecasts == 0:
            return None
        gap = sum(
            b.forecasts * abs(b.mean_predicted - b.in_time / b.forecasts)
            for b in self.bins
            if b.forecasts
        )
        return gap / self.forecasts


def reliability(scored: Iterable[Scored], target_probability: float = 0.9) -> Reliability:
    """Score forecasts: the reliability table, Brier scores and the on_track record.

    >>> r = reliability([Scored(0.95, 1, True, True), Scored(0.95, 1, False, True)])
    >>> r.bins[9].forecasts, r.bins[9].in_time, round(r.brier, 4), r.naive_brier
    (2, 1, 0.4525, 0.5)
    """
    items = list(scored)
    counts = [0] * BINS
    sums = [0.0] * BINS
    hits = [0] * BINS
    for s in items:
        k = min(int(s.p * BINS), BINS - 1)
        counts[k] += 1
        sums[k] += s.p
        hits[k] += s.in_time
    bins = tuple(
        ReliabilityBin(
            low=k / BINS,
            high=(k + 1) / BINS,
            forecasts=counts[k],
            mean_predicted=sums[k] / counts[k] if counts[k] else 0.0,
            in_time=hits[k],
        )
        for k in range(BINS)
    )
    n = len(items)
    return Reliability(
        forecasts=n,
        in_time=sum(s.in_time for s in items),
        bins=bins,
        brier=sum((s.p - s.in_time) ** 2 for s in items) / n if n else None,
        naive_brier=sum((s.naive - s.in_time) ** 2 for s in items) / n if n else None,
        on_track_calls=sum(s.on_track for s in items),
        on_track_hits=sum(s.on_track and s.in_time for s in items),
        sure_calls=sum(s.p >= target_probability for s in items),
        sure_hits=sum(s.p >= target_probability and s.in_time for s in items),
        target_probability=target_probability,
    )


@frozen
class TrackRecord:
    """The backtest of one file: per member and per group, how the forecasts fared."""

    today: dt.date
    every_days: int
    days: tuple[dt.date, ...]
    """The replay days that scored at least one forecast, oldest first."""
    members: Reliability
    groups: Reliability
    target_probability: float
    seed: int
    samples: int

    @property
    def headline(self) -> Headline:
        """What the one-line summary tells, in any language: the sure calls of groups if
        there are any, else of members, else how the member forecasts fared, else that
        nothing could be scored yet."""
        if self.groups.sure_calls:
            return Headline("sure", "groups", self.groups.sure_hits, self.groups.sure_calls)
        if self.members.sure_calls:
            return Headline("sure", "members", self.members.sure_hits, self.members.sure_calls)
        if self.members.forecasts:
            return Headline("never_sure", "members", self.members.in_time, self.members.forecasts)
        return Headline("nothing", None, 0, 0)

    @property
    def summary(self) -> str:
        """One line in plain words (English), for the command line and the JSON."""
        target = f"{self.target_probability:.0%}"
        every = f"replayed every {self.every_days} day{'s' * (self.every_days != 1)}"
        h = self.headline
        if h.kind == "sure":
            return (
                f"when grouppass said {target} or more, {h.hits} of {h.calls} "
                f"were in time ({h.scope}, {every})"
            )
        if h.kind == "never_sure":
            return (
                f"grouppass never said {target} or more; {h.hits} of "
                f"{h.calls} member forecasts came true ({every})"
            )
        return (
            f"nothing to score yet: no group with a deadline by {self.today.isoformat()} "
            "has its outcomes recorded"
        )


@frozen
class Headline:
    """The track record's one line, as values (each interface words it in its language)."""

    kind: Literal["sure", "never_sure", "nothing"]
    """``sure``: of the forecasts at or above the target, ``hits`` of ``calls`` came true;
    ``never_sure``: none reached it, ``hits`` of ``calls`` member forecasts came true;
    ``nothing``: no outcome is on record yet."""
    scope: Literal["groups", "members"] | None
    hits: int
    calls: int


# -- the naive forecast ------------------------------------------------------------------------


def naive_ready_day(
    scenario: Scenario,
    application: Application,
    as_of: dt.date,
    calendars: dict[str, WorkingCalendar] | None = None,
) -> dt.date:
    """The organiser's rule of thumb for ``application`` (as known at ``as_of``).

    Printed already: that day. Otherwise three working days after payment
    (``as_of`` if not paid yet), or after the announced recovery of a known
    outage of its office still in force by then, whichever is later.
    """
    known = application.known_at(as_of)
    if known.issued is not None:
        return known.issued
    office = scenario.office(known.office)
    cal = _calendar(office, scenario, calendars)
    pay = known.paid or as_of
    ready = cal.add_working_days(pay, NAIVE_WORKING_DAYS)
    tomorrow = as_of + dt.timedelta(days=1)
    in_force = [
        d
        for d in scenario.disruptions
        if d.known_from <= as_of
        and d.hits(office)
        and (d.ended is None or d.ended > as_of)
        and d.capacity_factor < 1.0
    ]
    for d in sorted(in_force, key=lambda d: d.start):
        if d.start > ready:
            continue
        resume = tomorrow if d.recovery is None else max(d.recovery.mode, tomorrow)
        ready = max(ready, cal.add_working_days(max(pay, resume), NAIVE_WORKING_DAYS))
    return ready


def _calendar(
    office: Office, scenario: Scenario, calendars: dict[str, WorkingCalendar] | None
) -> WorkingCalendar:
    if calendars is None:
        return WorkingCalendar.for_office(office, scenario.rules)
    found = calendars.get(office.code)
    if found is None:
        found = calendars[office.code] = WorkingCalendar.for_office(office, scenario.rules)
    return found


# -- outcomes on record --------------------------------------------------------------------------


def _departure_day(group: Group) -> dt.date:
    zone = ZoneInfo(group.timezone) if group.timezone else group.departure.tzinfo
    return group.departure.astimezone(zone).date()


def _valid_passport(member: Member, group: Group, scenario: Scenario) -> bool:
    if member.passport is None:
        return False
    return not passport_problems(member.passport, _departure_day(group), scenario.rules)


def recorded_outcome(
    member: Member, group: Group, scenario: Scenario, today: dt.date
) -> bool | None:
    """Was the member in time, by the record at ``today``? None when it is not recorded."""
    app = member.application
    collected = None if app is None else app.collected
    if collected is not None and collected <= today and collected <= deadline_of(group):
        return True
    if _valid_passport(member, group, scenario):
        return True
    if collected is not None and collected <= today:
        return False
    return None


def _started(member: Member, day: dt.date) -> bool:
    app = member.application
    return app is not None and app.known_at(day).stage is not Stage.NOT_STARTED


# -- the replay ------------------------------------------------------------------------------------


def backtest(
    scenario: Scenario,
    today: dt.date,
    *,
    every_days: int = 7,
    seed: int = 0,
    samples: int = DEFAULT_SAMPLES,
) -> TrackRecord:
    """Replay the agency's history in ``scenario`` up to ``today``: the track record.

    Forecasts are made on ``today - k * every_days`` for k = 1, 2, ... back
    to the first application on record of a scored group.
    """
    if every_days < 1:
        raise ValueError("every_days must be >= 1")
    outcomes: dict[str, dict[str, bool]] = {}
    first: dt.date | None = None
    for group in scenario.groups:
        if deadline_of(group) > today:
            continue
        found = {m.id: recorded_outcome(m, group, scenario, today) for m in group.members}
        if not found or any(v is None for v in found.values()):
            continue
        outcomes[group.id] = {k: bool(v) for k, v in found.items()}
        for m in group.members:
            app = m.application
            if app is None:
                continue
            for day in (app.booked, app.recorded, app.paid):
                if day is not None and (first is None or day < first):
                    first = day
    members: list[Scored] = []
    groups: list[Scored] = []
    used: list[dt.date] = []
    calendars: dict[str, WorkingCalendar] = {}
    target = scenario.rules.target_probability
    days = []
    if first is not None:
        k = 1
        while (day := today - dt.timedelta(days=k * every_days)) >= first:
            days.append(day)
            k += 1
    for day in reversed(days):
        chosen = [
            g
            for g in scenario.groups
            if g.id in outcomes
            and deadline_of(g) > day
            and any(_started(m, day) for m in g.members)
        ]
        if not chosen:
            continue
        n_before = len(members) + len(groups)
        report = assess(
            scenario,
            day,
            seed=seed,
            samples=samples,
            groups=[g.id for g in chosen],
            distributions=False,
        )
        for group, rated in zip(chosen, report.groups, strict=True):
            members_scored, group_scored = _score_group(
                scenario, group, rated, day, outcomes[group.id], calendars
            )
            members.extend(members_scored)
            if group_scored is not None:
                groups.append(group_scored)
        if len(members) + len(groups) > n_before:
            used.append(day)
    return TrackRecord(
        today=today,
        every_days=every_days,
        days=tuple(used),
        members=reliability(members, target),
        groups=reliability(groups, target),
        target_probability=target,
        seed=seed,
        samples=samples,
    )


def _score_group(
    scenario: Scenario,
    group: Group,
    rated: GroupAssessment,
    day: dt.date,
    outcome: dict[str, bool],
    calendars: dict[str, WorkingCalendar],
) -> tuple[list[Scored], Scored | None]:
    deadline = deadline_of(group)
    by_id = {m.id: m for m in group.members}
    scored = []
    complete = True
    naive_all = True
    for m in rated.members:
        member = by_id[m.member_id]
        if m.risk is Risk.READY:
            continue
        if not _started(member, day):
            complete = False
            continue
        assert member.application is not None
        naive = naive_ready_day(scenario, member.application, day, calendars) <= deadline
        naive_all = naive_all and naive
        scored.append(
            Scored(m.p_on_time, float(naive), outcome[m.member_id], m.risk is Risk.ON_TRACK)
        )
    if not complete or rated.risk is Risk.READY:
        return scored, None
    in_time = all(outcome.values())
    return scored, Scored(rated.p_on_time, float(naive_all), in_time, rated.risk is Risk.ON_TRACK)


# -- as data ---------------------------------------------------------------------------------------


def _reliability_dict(r: Reliability) -> dict[str, Any]:
    def p(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {
        "forecasts": r.forecasts,
        "in_time": r.in_time,
        "bins": [
            {
                "low": b.low,
                "high": b.high,
                "forecasts": b.forecasts,
                "mean_predicted": p(b.mean_predicted) if b.forecasts else None,
                "in_time": b.in_time,
                "share": p(b.share),
            }
            for b in r.bins
        ],
        "ece": p(r.ece),
        "brier": p(r.brier),
        "naive_brier": p(r.naive_brier),
        "on_track": {"calls": r.on_track_calls, "came_true": r.on_track_hits},
        "target_or_more": {"calls": r.sure_calls, "came_true": r.sure_hits},
    }


def track_record_dict(record: TrackRecord) -> dict[str, Any]:
    """The ``grouppass-track-record/1`` document, as plain data (docs/track-record.md)."""
    return {
        "format": "grouppass-track-record/1",
        "today": record.today.isoformat(),
        "every_days": record.every_days,
        "replay_days": [d.isoformat() for d in record.days],
        "target_probability": record.target_probability,
        "seed": record.seed,
        "samples": record.samples,
        "summary": record.summary,
        "members": _reliability_dict(record.members),
        "groups": _reliability_dict(record.groups),
    }
