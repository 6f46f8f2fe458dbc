"""Risk per member and per group against the group's deadline.

>>> from grouppass.formats import load_scenario                  # doctest: +SKIP
>>> scenario = load_scenario("examples/mataram-2018.json")         # doctest: +SKIP
>>> assess(scenario, dt.date(2018, 3, 26)).groups[0].risk         # doctest: +SKIP
<Risk.LATE: 'late'>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple
from zoneinfo import ZoneInfo

import numpy as np
from attrs import frozen

from grouppass._gc import gc_paused
from grouppass.advice import Candidates, advise, candidates
from grouppass.calendar import DayGrid, office_day_in_zone
from grouppass.errors import GrouppassError
from grouppass.forecast import (
    DEFAULT_SAMPLES,
    FinishDistribution,
    FloatArray,
    Forecaster,
    Kind,
    Start,
    joint_probability,
)
from grouppass.model import Application, Group, Member, Rules, Scenario, Stage
from grouppass.results import (
    Advice,
    Assessment,
    GroupAssessment,
    MemberAssessment,
    Problem,
    ProblemCode,
    Risk,
)
from grouppass.rules import passport_problems

__all__ = ["MemberPlan", "assess", "deadline_of", "departure_date"]

# How far past the last deadline the day grid reaches, so long outages still
# have a date rather than "never".
HORIZON_DAYS = 366
HISTORY_DAYS = 3 * 365


def _zone(group: Group) -> dt.tzinfo:
    if group.timezone:
        return ZoneInfo(group.timezone)
    tz = group.departure.tzinfo
    assert tz is not None  # the model refuses naive departures
    return tz


def departure_date(group: Group) -> dt.date:
    """The local date of departure in the group's time zone."""
    return group.departure.astimezone(_zone(group)).date()


def deadline_of(group: Group) -> dt.date:
    """The last day a passport may come into hand: departure minus the visa lead time.

    >>> g = Group(id="g", name="", office="MTR", visa_lead_days=21,
    ...           departure=dt.datetime.fromisoformat("2018-05-15T01:00:00+08:00"))
    >>> deadline_of(g)
    datetime.date(2018, 4, 24)
    """
    return departure_date(group) - dt.timedelta(days=group.visa_lead_days)


class MemberPlan(NamedTuple):
    """What the forecast needs to know about one member at ``as_of``.

    A named tuple rather than an attrs class: one is made per member per
    assessment, and tuples are several times cheaper to build.
    """

    member: Member
    stage: Stage
    problems: tuple[Problem, ...]
    ready: bool
    start: Start | None
    """The application to forecast; None when ready."""


def plan_member(
    member: Member,
    group: Group,
    rules: Rules,
    as_of: dt.date,
    grid: DayGrid,
    departure: dt.date | None = None,
    fresh: Application | None = None,
    seen: dict[int, tuple[Application, Stage, Start | None]] | None = None,
) -> MemberPlan:
    """Decide what to forecast for a member: their application, or a new one from ``as_of``.

    ``departure`` (the group's local departure date) and ``fresh`` (an empty
    application at the group's office) save work when the caller has them;
    ``seen`` remembers applications already planned (files share equal ones).
    """
    problems: list[Problem] = []
    if member.passport is not None:
        departure = departure or departure_date(group)
        applying = member.application is not None
        problems.extend(passport_problems(member.passport, departure, rules, applying=applying))
        if not problems:
            return MemberPlan(member, Stage.COLLECTED, (), True, None)
    if member.application is None:
        if member.passport is None:
            problems.append(Problem(ProblemCode.NOT_STARTED, "no passport and no application yet"))
        application = fresh or Application(office=group.office)
        stage = Stage.NOT_STARTED
        return MemberPlan(
            member, stage, tuple(problems), False, _start_of(application, stage, as_of, grid)
        )
    planned = None if seen is None else seen.get(id(member.application))
    if planned is None:
        known = member.application.known_at(as_of)
        stage = known.stage
        start = None if stage is Stage.COLLECTED else _start_of(known, stage, as_of, grid)
        planned = (member.application, stage, start)
        if seen is not None:
            # Keyed by identity: the application itself stays referenced in the value.
            seen[id(member.application)] = planned
    _, stage, start = planned
    return MemberPlan(member, stage, tuple(problems), start is None, start)


def _start_of(app: Application, stage: Stage, as_of: dt.date, grid: DayGrid) -> Start:
    origin = grid.origin

    def idx(day: dt.date | None) -> int:
        if day is None:
            return -1
        i = (day - origin).days
        return i if i > 0 else 1  # older than the grid: as good as its first day

    if stage is Stage.ISSUED:
        return Start(app.office, Kind.AWAIT_COLLECTION, -1, -1, -1, idx(app.issued), -1)
    if stage is Stage.RECORDED_AND_PAID:
        service = app.service_start
        return Start(app.office, Kind.AWAIT_ISSUE, -1, idx(service), -1, -1, -1)
    if stage is Stage.RECORDED:
        return Start(app.office, Kind.AWAIT_PAYMENT, -1, idx(app.recorded), -1, -1, -1)
    anchor = app.booked or app.paid or as_of
    return Start(app.office, Kind.FROM_BOOKING, idx(anchor), -1, idx(app.paid), -1, -1)


def _grid_for(scenario: Scenario, groups: Iterable[Group], as_of: dt.date) -> DayGrid:
    earliest = as_of
    latest = as_of
    for group in groups:
        latest = max(latest, deadline_of(group))
        for member in group.members:
            app = member.application
            if app is None:
                continue
            for day in (app.booked, app.recorded, app.paid, app.issued):
                if day is not None and day < earliest:
                    earliest = day
    for d in scenario.disruptions:
        earliest = min(earliest, d.start)
    # Ancient dates add nothing but grid length: the queue forgets within weeks.
    origin = max(earliest, as_of - dt.timedelta(days=HISTORY_DAYS)) - dt.timedelta(days=14)
    end = latest + dt.timedelta(days=HORIZON_DAYS)
    return DayGrid(origin, (end - origin).days + 1)


def assess(
    scenario: Scenario,
    as_of: dt.date,
    *,
    seed: int = 0,
    samples: int = DEFAULT_SAMPLES,
    groups: Iterable[str] | None = None,
    distributions: bool = True,
) -> Assessment:
    """Forecast every member of the chosen groups and rate them against their deadlines.

    ``as_of`` is the day the figures are for: facts dated after it are ignored.
    The same scenario, ``as_of``, ``seed`` and ``samples`` give the same numbers.
    ``distributions=False`` skips the per-date distributions (for big reports).
    """
    with gc_paused():
        return _assess(scenario, as_of, seed, samples, groups, distributions)


def _assess(
    scenario: Scenario,
    as_of: dt.date,
    seed: int,
    samples: int,
    groups: Iterable[str] | None,
    distributions: bool,
) -> Assessment:
    chosen = _choose(scenario, groups)
    rules = scenario.rules
    offices = {o.code: o for o in scenario.offices}
    grid = _grid_for(scenario, chosen, as_of)
    forecaster = Forecaster(
        offices,
        scenario.disruptions,
        rules,
        as_of,
        grid,
        seed=seed,
        samples=samples,
        system_names={s.code: s.name for s in scenario.systems},
    )
    plans: list[tuple[Group, dt.date, list[tuple[MemberPlan, int]]]] = []
    wanted: dict[Start, set[int]] = {}
    thresholds: dict[tuple[str, dt.date, dt.tzinfo], int] = {}

    def threshold_of(office: str, deadline: dt.date, zone: dt.tzinfo) -> int:
        key = (office, deadline, zone)
        found = thresholds.get(key)
        if found is None:
            found = thresholds[key] = _threshold(forecaster, office, deadline, zone, grid)
        return found

    seen: dict[int, tuple[Application, Stage, Start | None]] = {}
    for group in chosen:
        deadline = deadline_of(group)
        zone = _zone(group)
        departure = departure_date(group)
        fresh = Application(office=group.office)
        member_plans = []
        for member in group.members:
            plan = plan_member(member, group, rules, as_of, grid, departure, fresh, seen)
            threshold = -1
            if plan.start is not None:
                threshold = threshold_of(plan.start.office, deadline, zone)
                wanted.setdefault(plan.start, set()).add(threshold)
            member_plans.append((plan, threshold))
        plans.append((group, deadline, member_plans))
    dists = forecaster.forecast(wanted)
    dates_cache: dict[Start, tuple[tuple[dt.date, float], ...]] = {}
    shared: dict[tuple[Start, int], _Figures] = {}
    rated = []
    needing_advice: list[Candidates] = []
    for index, (group, deadline, member_plans) in enumerate(plans):
        members: list[tuple[MemberAssessment, Start | None, FloatArray | None]] = []
        vectors = []
        for plan, threshold in member_plans:
            if plan.start is None:
                members.append((_ready(plan), None, None))
                continue
            dist = dists[plan.start]
            vector = dist.on_time[threshold]
            vectors.append(vector)
            distribution: tuple[tuple[dt.date, float], ...] = ()
            if distributions:
                distribution = dates_cache.get(plan.start) or _dated(dist, grid)
                dates_cache[plan.start] = distribution
            key = (plan.start, threshold)
            figures = shared.get(key)
            if figures is None:
                figures = shared[key] = _figures(dist, threshold, deadline, grid, rules)
            members.append((_member(plan, figures, distribution), plan.start, vector))
        zone = _zone(group)
        needing_advice.extend(
            candidates(
                index,
                deadline,
                members,
                forecaster,
                lambda office, d=deadline, z=zone: threshold_of(office, d, z),  # type: ignore[misc]
            )
        )
        rated.append((group, deadline, tuple(m for m, _, _ in members), vectors))
    advice_by_group: dict[object, list[Advice]] = {}
    for found, advice in zip(needing_advice, advise(needing_advice, forecaster), strict=True):
        advice_by_group.setdefault(found.key, []).append(advice)
    out = []
    for index, (group, deadline, members_rated, vectors) in enumerate(rated):
        p_group = joint_probability(vectors)
        risk = (
            Risk.READY
            if all(m.risk is Risk.READY for m in members_rated)
            else Risk.from_probability(p_group, rules.target_probability)
        )
        out.append(
            GroupAssessment(
                group_id=group.id,
                name=group.name,
                departure=group.departure,
                deadline=deadline,
                risk=risk,
                p_on_time=p_group,
                members=members_rated,
                advice=tuple(advice_by_group.get(index, ())),
            )
        )
    return Assessment(
        as_of=as_of,
        target_probability=rules.target_probability,
        groups=tuple(out),
        seed=seed,
        samples=samples,
    )


def _choose(scenario: Scenario, groups: Iterable[str] | None) -> list[Group]:
    if groups is None:
        return list(scenario.groups)
    by_id = {g.id: g for g in scenario.groups}
    chosen = []
    for group_id in groups:
        if group_id not in by_id:
            known = ", ".join(sorted(by_id)) or "none"
            raise GrouppassError(f"no group with id {group_id!r} (groups: {known})")
        chosen.append(by_id[group_id])
    return chosen


def _threshold(
    forecaster: Forecaster, office: str, deadline: dt.date, zone: dt.tzinfo, grid: DayGrid
) -> int:
    """The last office-local day index whose collection still counts as by the deadline."""
    office_zone = forecaster.calendar(office).timezone
    shift = (office_day_in_zone(deadline, office_zone, zone) - deadline).days
    return grid.index(deadline) - shift


def _ready(plan: MemberPlan) -> MemberAssessment:
    return MemberAssessment(
        member_id=plan.member.id,
        name=plan.member.name,
        office=None,
        stage=plan.stage,
        risk=Risk.READY,
        p_on_time=1.0,
        ready_p50=None,
        ready_p90=None,
        problems=plan.problems,
    )


@frozen
class _Figures:
    """What members with the same start and deadline have in common."""

    p_on_time: float
    risk: Risk
    p50: dt.date
    p90: dt.date
    slack_days: int


def _figures(
    dist: FinishDistribution, threshold: int, deadline: dt.date, grid: DayGrid, rules: Rules
) -> _Figures:
    p = float(np.clip(dist.p_by(threshold), 0.0, 1.0))
    p90 = grid.date(dist.p90_day)
    return _Figures(
        p_on_time=p,
        risk=Risk.from_probability(p, rules.target_probability),
        p50=grid.date(dist.p50_day),
        p90=p90,
        slack_days=(deadline - p90).days,
    )


def _member(
    plan: MemberPlan,
    figures: _Figures,
    distribution: tuple[tuple[dt.date, float], ...],
) -> MemberAssessment:
    assert plan.start is not None
    return MemberAssessment(
        member_id=plan.member.id,
        name=plan.member.name,
        office=plan.start.office,
        stage=plan.stage,
        risk=figures.risk,
        p_on_time=figures.p_on_time,
        ready_p50=figures.p50,
        ready_p90=figures.p90,
        problems=plan.problems,
        slack_days=figures.slack_days,
        distribution=distribution,
    )


def _dated(dist: FinishDistribution, grid: DayGrid) -> tuple[tuple[dt.date, float], ...]:
    return tuple(
        (grid.date(dist.first_day + i), float(p)) for i, p in enumerate(dist.pmf) if p > 1e-6
    )
