"""Stay, switch office now, or switch by a date — and why.

A switch is a new application at the other office, from booking, after the
travel time: nothing carries over (there is no transfer of an application in
progress). Advice is given per office for the members of a group there who
are not ready, not yet printed, and either at a disrupted office or below the
target probability.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np

from grouppass.forecast import FinishDistribution, Forecaster, Kind, joint_probability
from grouppass.model import Disruption, Group, Office
from grouppass.results import Action, Advice, MemberAssessment, Risk

__all__ = ["MIN_GAIN", "advise"]

MIN_GAIN = 0.05
"""A switch below target must beat staying by this much to be worth a new application."""

# Imported lazily by type only: assess.MemberPlan imports this module.
Entry = tuple[object, MemberAssessment, FinishDistribution | None, int]


def advise(
    group: Group,
    deadline: dt.date,
    entries: Sequence[Entry],
    forecaster: Forecaster,
    threshold_for: Callable[[str], int],
) -> tuple[Advice, ...]:
    """Advice for each office of ``group`` where some members need a decision."""
    target = forecaster.rules.target_probability
    by_office: dict[str, list[tuple[MemberAssessment, FinishDistribution, int]]] = {}
    for plan, assessment, dist, threshold in entries:
        start = getattr(plan, "start", None)
        if start is None or dist is None or assessment.risk is Risk.READY:
            continue
        if start.kind in (Kind.AWAIT_COLLECTION, Kind.DONE):
            continue  # already printed: starting again can only be slower
        if assessment.p_on_time >= target and not forecaster.disrupted(start.office):
            continue
        by_office.setdefault(start.office, []).append((assessment, dist, threshold))
    out = []
    for code, items in sorted(by_office.items()):
        vectors = [dist.on_time[t] for _, dist, t in items]
        p_stay = joint_probability(vectors)
        members = tuple(a.member_id for a, _, _ in items)
        out.append(
            _decide(code, members, p_stay, group, deadline, forecaster, threshold_for, target)
        )
    return tuple(out)


def _decide(
    code: str,
    members: tuple[str, ...],
    p_stay: float,
    group: Group,
    deadline: dt.date,
    forecaster: Forecaster,
    threshold_for: Callable[[str], int],
    target: float,
) -> Advice:
    office = forecaster.offices[code]
    n = len(members)
    as_of = forecaster.as_of

    def p_switch(to: str, travel: int, asked: dt.date) -> float:
        start = forecaster.new_application(to, asked + dt.timedelta(days=travel))
        q = forecaster.on_time(start, threshold_for(to))
        return float(np.clip(np.mean(q**n), 0.0, 1.0))

    def advice(
        action: Action, to: str | None, by: dt.date | None, p_now: float | None, reason: str
    ) -> Advice:
        return Advice(code, members, action, to, by, p_stay, p_now, reason)

    options = [a for a in office.alternatives if a.office in forecaster.offices]
    if p_stay >= target:
        return advice(
            Action.STAY,
            None,
            None,
            None,
            f"Staying at {office.name} gives {p_stay:.0%}, at or above the {target:.0%} target.",
        )
    if not options:
        return advice(
            Action.NO_BETTER_OPTION,
            None,
            None,
            None,
            f"{office.name} has no alternative office on record; staying gives {p_stay:.0%}.",
        )
    scored = sorted(
        ((p_switch(a.office, a.travel_days, as_of), a.office, a.travel_days) for a in options),
        key=lambda t: (-t[0], t[1]),
    )
    best_p, best, travel = scored[0]
    other = forecaster.offices[best]
    why_not = _why_switching_fails(office, other, forecaster)
    if best_p < p_stay + MIN_GAIN and best_p < target:
        return advice(
            Action.NO_BETTER_OPTION,
            best,
            None,
            best_p,
            f"{why_not}Switching to {other.name} now gives {best_p:.0%} against "
            f"{p_stay:.0%} for staying: a new application there is no faster.".strip(),
        )
    if best_p < target:
        return advice(
            Action.SWITCH_NOW,
            best,
            as_of,
            best_p,
            f"Even at {other.name} the chance is {best_p:.0%}, below the {target:.0%} "
            f"target, but better than {p_stay:.0%} for staying: apply there today.",
        )
    last = _last_good_day(lambda day: p_switch(best, travel, day) >= target, as_of, deadline)
    if last > as_of:
        return advice(
            Action.SWITCH_BY,
            best,
            last,
            best_p,
            f"Staying gives {p_stay:.0%}. A new application at {other.name} still reaches "
            f"{target:.0%} if made by {last.isoformat()}: wait for news of "
            f"{office.name} until then, and switch if service has not resumed.",
        )
    return advice(
        Action.SWITCH_NOW,
        best,
        as_of,
        best_p,
        f"Staying gives {p_stay:.0%}; switching to {other.name} today gives {best_p:.0%}. "
        "Waiting longer drops it below the target.",
    )


def _why_switching_fails(office: Office, other: Office, forecaster: Forecaster) -> str:
    """Plain words for a shared outage, if there is one."""
    shared: list[Disruption] = [d for d in forecaster.disrupted(office.code) if d.hits(other)]
    if not shared:
        theirs = forecaster.disrupted(other.code)
        if theirs:
            return f"{other.name} is disrupted too ({theirs[0].id}). "
        return ""
    d = shared[0]
    systems = [s for s in d.systems if s in office.systems and s in other.systems]
    if systems:
        names = forecaster.system_names
        label = ", ".join(names.get(s, s) for s in systems)
        return (
            f"{other.name} runs on the same disrupted system ({label}) as {office.name}, "
            "so switching does not escape the outage. "
        )
    return f"{other.name} is hit by the same disruption ({d.id}). "


def _last_good_day(good: Callable[[dt.date], bool], first: dt.date, last: dt.date) -> dt.date:
    """The last day in [first, last] where ``good`` holds, given it holds at ``first``.

    ``good`` only gets worse with later days (a later start never finishes sooner),
    so a binary search finds it.
    """
    lo, hi = 0, max(0, (last - first).days)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if good(first + dt.timedelta(days=mid)):
            lo = mid
        else:
            hi = mid - 1
    return first + dt.timedelta(days=lo)
