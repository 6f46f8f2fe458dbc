"""Risk per member and per group against the group's deadline: plan, forecast, rate, advise.

>>> import datetime as dt
>>> from grouppass import load_scenario
>>> scenario = load_scenario("examples/mataram-2018.json")
>>> assess(scenario, dt.date(2018, 4, 9)).groups[0].risk
<Risk.LATE: 'late'>

Each step is a function returning plain values, in the order the data flows:

1. :func:`plan` — per member, what to forecast (:mod:`grouppass.plan`);
2. :func:`forecast` — per distinct (application, deadline), P(on time) per
   row of the office's world and the in-hand date distribution
   (:mod:`grouppass.forecast`);
3. :func:`rate` — members and groups against the target;
4. advise — the action worth most per cohort (:mod:`grouppass.advice`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from attrs import frozen

from grouppass._gc import gc_paused
from grouppass.advice import advise
from grouppass.calendar import DayGrid
from grouppass.errors import GrouppassError
from grouppass.forecast import (
    DEFAULT_SAMPLES,
    FinishDistribution,
    Forecaster,
    QueueMemo,
    Start,
    StartKind,
)
from grouppass.model import Group, Scenario, Stops
from grouppass.plan import (
    MemberPlan,
    deadline_of,
    departure_date,
    group_zone,
    plan_member,
    threshold,
)
from grouppass.results import (
    Advice,
    Assessment,
    BackgroundOutlook,
    GroupAssessment,
    MemberAssessment,
    OfficeEvidence,
    RecoveryOutlook,
    Risk,
    StageEvidence,
    Todo,
)
from grouppass.service import ServiceTime
from grouppass.today import todos

__all__ = [
    "Figures",
    "GroupPlan",
    "assess",
    "deadline_of",
    "departure_date",
    "forecast",
    "plan",
    "rate",
    "threshold",
]

# How far past the last deadline the day grid reaches, so long outages still
# have a date rather than "never".
HORIZON_DAYS = 366
HISTORY_DAYS = 3 * 365


class GroupPlan(NamedTuple):
    """One group's plan: its deadline and, per member, the plan and its deadline day."""

    group: Group
    deadline: dt.date
    members: tuple[tuple[MemberPlan, int], ...]
    """(plan, the office-local grid day whose collection still counts; -1 when ready)."""


@frozen
class Figures:
    """What members with the same application and deadline have in common."""

    p_on_time: float
    p50: dt.date
    p90: dt.date
    slack_days: int
    distribution: tuple[tuple[dt.date, float], ...]


def _grid_for(
    scenario: Scenario,
    groups: Sequence[Group],
    as_of: dt.date,
    horizon: dt.date,
    memo: QueueMemo | None,
) -> DayGrid:
    earliest = as_of
    latest = max(as_of, horizon)
    if memo is not None and groups is scenario.groups:
        first = memo.agency.first_day(scenario)  # kept per group: one save changes one
        earliest = min(earliest, first or earliest)
    else:
        # Members of a group mostly share their applications (hashed once each).
        apps = {m.application for g in groups for m in g.members}
        firsts = (day for app in apps if app is not None and (day := app.first_day) is not None)
        earliest = min(earliest, min(firsts, default=earliest))
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
    memo: QueueMemo | None = None,
    as_in_agency: bool = False,
) -> Assessment:
    """Forecast every member of the chosen groups and rate them against their deadlines.

    ``as_of`` is the day the figures are for: facts dated after it are ignored.
    The same scenario, ``as_of``, ``seed`` and ``samples`` give the same numbers.
    ``distributions=False`` skips the per-date distributions (for big reports).
    ``memo`` keeps office queues for the next call (the numbers are the same with
    or without it; a caller that reassesses often, like the TUI, saves their cost).

    The forecast looks as far as the chosen groups' latest deadline (outages
    nobody has announced yet may start up to it; the queue's worlds are sorted by
    what they lose up to it), so a group's figures depend on which others are
    chosen. ``as_in_agency=True`` gives the chosen groups the very figures a
    whole-agency assessment gives them (its horizon and day grid, and so the same
    queues kept in ``memo``), at the cost of looking as far as the latest group.
    """
    with gc_paused():
        chosen = _choose(scenario, groups)
        span = scenario.groups if as_in_agency else chosen
        horizon = max((deadline_of(g) for g in span), default=as_of)
        grid = _grid_for(scenario, span, as_of, horizon, memo)
        forecaster = Forecaster(
            scenario, as_of, grid, seed=seed, samples=samples, horizon_end=horizon, memo=memo
        )
        plans = plan(chosen, forecaster)
        figures = forecast(plans, forecaster, distributions=distributions)
        rated = rate(plans, figures, forecaster)
        advice = _advice(plans, rated, forecaster)
        return Assessment(
            as_of=as_of,
            target_probability=scenario.rules.target_probability,
            groups=tuple(
                _with_today(gp, g, advice.get(i, ()))
                for i, (gp, g) in enumerate(zip(plans, rated, strict=True))
            ),
            seed=seed,
            samples=samples,
            offices=_offices(plans, forecaster),
            recoveries=_recoveries(forecaster),
            background=_background(forecaster),
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


# -- 1. plan ------------------------------------------------------------------------------


def plan(groups: Sequence[Group], forecaster: Forecaster) -> list[GroupPlan]:
    """Per group and member: what to forecast, against which deadline day."""
    rules, as_of, grid = forecaster.rules, forecaster.as_of, forecaster.grid
    thresholds: dict[tuple[str, dt.date, dt.tzinfo], int] = {}
    out = []
    for group in groups:
        deadline = deadline_of(group)
        zone = group_zone(group)
        departure = departure_date(group)
        fresh = forecaster.new_application(group.office, as_of)
        members = []
        for member in group.members:
            p = plan_member(member, group, rules, as_of, grid, departure, fresh)
            day = -1
            if p.start is not None:
                key = (p.start.office, deadline, zone)
                day = thresholds.get(key, -1)
                if day < 0:
                    day = thresholds[key] = threshold(forecaster, p.start.office, deadline, zone)
            members.append((p, day))
        out.append(GroupPlan(group, deadline, tuple(members)))
    return out


# -- 2. forecast ----------------------------------------------------------------------------


def forecast(
    plans: Sequence[GroupPlan], forecaster: Forecaster, *, distributions: bool = True
) -> dict[tuple[Start, int], Figures]:
    """Figures for every distinct (application start, deadline day) in the plans."""
    wanted: dict[tuple[Start, int], dt.date] = {}
    for gp in plans:
        for member_plan, day in gp.members:
            if member_plan.start is not None:
                wanted.setdefault((member_plan.start, day), gp.deadline)
    vectors = forecaster.on_time(wanted)
    dists = forecaster.distribution(s for s, _ in wanted)
    grid = forecaster.grid
    dated: dict[Start, tuple[tuple[dt.date, float], ...]] = {}
    out = {}
    for (start, day), deadline in wanted.items():
        weights = forecaster.queue(start.office).row_weight
        p = float(np.clip(vectors[(start, day)] @ weights, 0.0, 1.0))
        dist = dists[start]
        if distributions and start not in dated:
            dated[start] = _dated(dist, grid)
        p90 = grid.date(dist.p90_day)
        out[(start, day)] = Figures(
            p_on_time=p,
            p50=grid.date(dist.p50_day),
            p90=p90,
            slack_days=(deadline - p90).days,
            distribution=dated.get(start, ()),
        )
    return out


def _dated(dist: FinishDistribution, grid: DayGrid) -> tuple[tuple[dt.date, float], ...]:
    return tuple(
        (grid.date(dist.first_day + i), float(p)) for i, p in enumerate(dist.pmf) if p > 1e-6
    )


# -- 3. rate ------------------------------------------------------------------------------


def rate(
    plans: Sequence[GroupPlan],
    figures: Mapping[tuple[Start, int], Figures],
    forecaster: Forecaster,
) -> list[GroupAssessment]:
    """Members and groups against the target: READY, ON_TRACK, AT_RISK or LATE."""
    target = forecaster.rules.target_probability
    held: dict[tuple[str, bool], tuple[str, ...]] = {}
    shared = []
    for gp in plans:
        counts: Counter[tuple[Start, int]] = Counter(
            (p.start, day) for p, day in gp.members if p.start is not None
        )
        shared.append([(s, d, n) for (s, d), n in counts.items()])
    p_groups = forecaster.joint_many(shared)
    out = []
    for gp, p_group in zip(plans, p_groups, strict=True):
        members = []
        for p, day in gp.members:
            if p.start is None:
                members.append(_ready(p))
                continue
            # A passport printed already waits only for the counter: only an outage
            # that closes every counter holds it up.
            key = (p.start.office, p.start.kind == StartKind.AWAIT_COLLECTION)
            if key not in held:
                held[key] = tuple(
                    d.id for d in forecaster.disrupted(key[0]) if not key[1] or d.stops is Stops.ALL
                )
            members.append(_member(p, figures[(p.start, day)], target, held[key]))
        p_group = float(p_group)
        if all(m.risk is Risk.READY for m in members):
            risk = Risk.READY
        elif any(m.risk is Risk.LATE and m.p_on_time <= 0.0 for m in members):
            risk = Risk.LATE  # someone is already past the deadline
        else:
            risk = Risk.from_probability(p_group, target)
        out.append(
            GroupAssessment(
                group_id=gp.group.id,
                name=gp.group.name,
                departure=gp.group.departure,
                deadline=gp.deadline,
                risk=risk,
                p_on_time=p_group,
                members=tuple(members),
            )
        )
    return out


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


def _member(
    plan: MemberPlan, figures: Figures, target: float, held_by: tuple[str, ...]
) -> MemberAssessment:
    assert plan.start is not None
    done = plan.start.kind == StartKind.DONE
    if done and figures.p_on_time >= 1.0 - 1e-9:
        return _ready(plan)  # collected in time: in hand, like a passport already held
    return MemberAssessment(
        member_id=plan.member.id,
        name=plan.member.name,
        office=plan.start.office,
        stage=plan.stage,
        risk=Risk.from_probability(figures.p_on_time, target),
        p_on_time=figures.p_on_time,
        ready_p50=figures.p50,
        ready_p90=figures.p90,
        problems=plan.problems,
        slack_days=figures.slack_days,
        distribution=figures.distribution,
        held_by=() if done else held_by,
    )


# -- 4. advise ----------------------------------------------------------------------------


def _advice(
    plans: Sequence[GroupPlan], rated: Sequence[GroupAssessment], forecaster: Forecaster
) -> dict[int, list[Advice]]:
    return advise([(gp.group, gp.deadline, gp.members) for gp in plans], rated, forecaster)


def _with_today(gp: GroupPlan, group: GroupAssessment, advice: Sequence[Advice]) -> GroupAssessment:
    """The group with its advice and each member's actions for today."""
    # Each member's own advice, found once per group: todos keeps the advice naming the
    # member, in order, so giving it only those is the same (a scan of every piece of
    # the group's advice per member was quadratic in the group's size).
    covering: dict[str, list[int]] = {}  # member -> positions of the advice naming them
    for i, a in enumerate(advice):
        for member_id in dict.fromkeys(a.members):
            covering.setdefault(member_id, []).append(i)
    none: list[int] = []
    # Members who applied together, in the same situation and covered by the same
    # advice, have the same actions: todos reads of a member only these (its id only
    # through the advice that names it), and a Todo is frozen, so they share one tuple.
    seen: dict[tuple[object, ...], tuple[Todo, ...]] = {}
    members = []
    for m, (p, _) in zip(group.members, gp.members, strict=True):
        codes = tuple(problem.code for problem in m.problems)
        office = m.office or (p.start.office if p.start is not None else None)
        member = p.member
        mine = tuple(covering.get(member.id, none))
        key = (
            member.application, member.passport is None, bool(member.phone), m.stage,
            office, codes, mine,
        )  # fmt: skip
        today = seen.get(key)
        if today is None:
            covered = [advice[i] for i in mine]
            today = seen[key] = todos(member, m.stage, office, gp.group, codes, covered)
        members.append(m.with_today(today) if today else m)
    return group.with_advice(tuple(members), tuple(advice))


# -- what the figures stand on ----------------------------------------------------------


def _stage(time: ServiceTime) -> StageEvidence:
    return StageEvidence(
        time.observations, time.quantile(0.5), time.quantile(0.9), time.quantile(0.99)
    )


def _offices(plans: Sequence[GroupPlan], forecaster: Forecaster) -> tuple[OfficeEvidence, ...]:
    used = sorted({p.start.office for gp in plans for p, _ in gp.members if p.start is not None})
    out = []
    for code in used:
        t = forecaster.times(code)
        out.append(
            OfficeEvidence(
                office=code,
                booking=_stage(t.booking),
                issue=_stage(t.issue),
                collect=_stage(t.collect),
                background_per_year=forecaster.background.office.get(code, 0.0),
            )
        )
    return tuple(out)


def _recoveries(forecaster: Forecaster) -> tuple[RecoveryOutlook, ...]:
    out = []
    for b in forecaster.beliefs:
        d = b.disruption
        known, longer, days = b.reference()
        as_given = b.method.value == "as_given"
        out.append(
            RecoveryOutlook(
                disruption_id=d.id,
                kind=b.kind.value,
                method=b.method.value,
                ongoing=not (d.ended is not None and d.ended <= forecaster.as_of),
                p50=b.recovery_date(0.5),
                p90=b.recovery_date(0.9),
                similar_known=known,
                similar_longer=longer,
                compared_days=days,
                overrun_factor=b.overrun.factor if b.overrun is not None else None,
                own_estimates=b.overrun.own if b.overrun is not None else 0,
                own_outages=b.outside.own if b.outside is not None else 0,
                word_weight=1.0 if as_given else b.word_weight,
            )
        )
    return tuple(out)


def _background(forecaster: Forecaster) -> BackgroundOutlook:
    bg = forecaster.background
    return BackgroundOutlook(
        source=bg.source,
        learned_years=bg.learned_years,
        systems=tuple(sorted(bg.system.items())),
    )
