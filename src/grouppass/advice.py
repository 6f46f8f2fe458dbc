"""Stay, switch office now, or switch by a date — and why.

A switch is a new application at the other office, from booking, after the
travel time: nothing carries over (there is no transfer of an application in
progress). Advice is given per office for the members of a group there who
are not ready, not yet printed, and either at a disrupted office or below the
target probability; those below target and those on track are advised apart.

All groups are advised in one pass, so the forecaster can evaluate every
"what if they switched on day d" in a few vectorised batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from attrs import frozen

from grouppass.forecast import Forecaster, Start, StartKind
from grouppass.model import Alternative, Disruption, Office
from grouppass.results import Action, Advice, MemberAssessment, Risk

__all__ = ["MIN_GAIN", "Candidates", "advise", "candidates"]

MIN_GAIN = 0.05
"""A switch below target must beat staying by this much to be worth a new application."""


@frozen
class Candidates:
    """Members of one group at one office who need a decision."""

    key: object
    """The caller's handle for the group this belongs to."""
    office: str
    members: tuple[str, ...]
    p_stay: float
    deadline: dt.date
    threshold_for: Callable[[str], int]
    """Office code -> last grid day whose collection there is still on time."""


def candidates(
    key: object,
    deadline: dt.date,
    members: Sequence[tuple[MemberAssessment, Start | None, int]],
    forecaster: Forecaster,
    threshold_for: Callable[[str], int],
) -> list[Candidates]:
    """Who in one group needs advice, per office, with P(all of them on time | stay)."""
    target = forecaster.rules.target_probability
    # Per office, those below target and those on track despite a disruption are
    # advised apart: moving someone who is nearly done would only cost them.
    by_office: dict[tuple[str, bool], list[tuple[MemberAssessment, Start, int]]] = {}
    for assessment, start, day in members:
        if start is None or assessment.risk is Risk.READY:
            continue
        if start.kind in (StartKind.AWAIT_COLLECTION, StartKind.DONE):
            continue  # already printed: starting again can only be slower
        on_track = assessment.p_on_time >= target
        if on_track and not forecaster.disrupted(start.office):
            continue
        by_office.setdefault((start.office, on_track), []).append((assessment, start, day))
    return [
        Candidates(
            key=key,
            office=code,
            members=tuple(a.member_id for a, _, _ in items),
            p_stay=forecaster.joint((s, d, 1) for _, s, d in items),
            deadline=deadline,
            threshold_for=threshold_for,
        )
        for (code, _), items in sorted(by_office.items())
    ]


def _options(office: Office, forecaster: Forecaster) -> list[Alternative]:
    return [a for a in office.alternatives if a.office in forecaster.offices]


def advise(all_candidates: Sequence[Candidates], forecaster: Forecaster) -> list[Advice]:
    """Advice for each set of candidates, in the same order."""
    target = forecaster.rules.target_probability
    as_of = forecaster.as_of

    def pair(c: Candidates, alt: Alternative, asked: dt.date) -> tuple[Start, int]:
        start = forecaster.new_application(alt.office, asked + dt.timedelta(days=alt.travel_days))
        return start, c.threshold_for(alt.office)

    def p_all(c: Candidates, asked: tuple[Start, int]) -> float:
        return forecaster.joint([(asked[0], asked[1], len(c.members))])

    # Switching today, to each alternative, for everyone below target.
    options = {
        code: _options(forecaster.offices[code], forecaster)
        for code in {c.office for c in all_candidates}
    }
    undecided = [c for c in all_candidates if c.p_stay < target and options[c.office]]
    forecaster.on_time(pair(c, a, as_of) for c in undecided for a in options[c.office])
    best: dict[int, tuple[float, Alternative]] = {}
    for c in undecided:
        scored = [(p_all(c, pair(c, a, as_of)), a) for a in options[c.office]]
        best[id(c)] = min(scored, key=lambda t: (-t[0], t[1].office))

    # The last day switching still reaches the target: a binary search per
    # candidate set, run in lockstep so each round is one batch.
    searching = {id(c): c for c in undecided if best[id(c)][0] >= target}
    bounds = {k: [0, max(0, (c.deadline - as_of).days)] for k, c in searching.items()}
    while True:
        probes = {}
        for k, (lo, hi) in bounds.items():
            if lo < hi:
                probes[k] = (lo + hi + 1) // 2
        if not probes:
            break
        asked = {
            k: pair(searching[k], best[k][1], as_of + dt.timedelta(days=mid))
            for k, mid in probes.items()
        }
        forecaster.on_time(asked.values())
        for k, mid in probes.items():
            if p_all(searching[k], asked[k]) >= target:
                bounds[k][0] = mid
            else:
                bounds[k][1] = mid - 1

    out = []
    for c in all_candidates:
        choice = best.get(id(c))
        last = bounds.get(id(c))
        out.append(
            _decide(
                c,
                forecaster,
                None if choice is None else choice[0],
                None if choice is None else choice[1],
                None if last is None else as_of + dt.timedelta(days=last[0]),
            )
        )
    return out


def _decide(
    c: Candidates,
    forecaster: Forecaster,
    best_p: float | None,
    best: Alternative | None,
    last_day: dt.date | None,
) -> Advice:
    target = forecaster.rules.target_probability
    office = forecaster.offices[c.office]
    p_stay = c.p_stay

    def advice(
        action: Action, to: str | None, by: dt.date | None, p_now: float | None, reason: str
    ) -> Advice:
        return Advice(c.office, c.members, action, to, by, p_stay, p_now, reason)

    if p_stay >= target:
        return advice(
            Action.STAY,
            None,
            None,
            None,
            f"Staying at {office.name} gives {p_stay:.0%}, at or above the {target:.0%} target.",
        )
    if best is None or best_p is None:
        return advice(
            Action.NO_BETTER_OPTION,
            None,
            None,
            None,
            f"{office.name} has no alternative office on record; staying gives {p_stay:.0%}.",
        )
    other = forecaster.offices[best.office]
    if best_p < p_stay + MIN_GAIN and best_p < target:
        why_not = _why_switching_fails(office, other, forecaster)
        return advice(
            Action.NO_BETTER_OPTION,
            best.office,
            None,
            best_p,
            f"{why_not}Switching to {other.name} now gives {best_p:.0%} against "
            f"{p_stay:.0%} for staying: a new application there is no faster.",
        )
    if best_p < target:
        shared = _shared_systems(office, other, forecaster)
        context = (
            f"{other.name} is on the same disrupted system ({shared}), but its backlog "
            "clears sooner. "
            if shared
            else ""
        )
        return advice(
            Action.SWITCH_NOW,
            best.office,
            forecaster.as_of,
            best_p,
            f"{context}Even at {other.name} the chance is {best_p:.0%}, below the "
            f"{target:.0%} target, but better than {p_stay:.0%} for staying: apply there now.",
        )
    assert last_day is not None
    if last_day > forecaster.as_of:
        return advice(
            Action.SWITCH_BY,
            best.office,
            last_day,
            best_p,
            f"Staying gives {p_stay:.0%}. A new application at {other.name} still reaches "
            f"{target:.0%} if made by {last_day.isoformat()}: wait for news of "
            f"{office.name} until then, and switch if service has not resumed.",
        )
    return advice(
        Action.SWITCH_NOW,
        best.office,
        forecaster.as_of,
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
    label = _shared_systems(office, other, forecaster)
    if label:
        return (
            f"{other.name} runs on the same disrupted system ({label}) as {office.name}, "
            "so switching does not escape the outage. "
        )
    return f"{other.name} is hit by the same disruption ({shared[0].id}). "


def _shared_systems(office: Office, other: Office, forecaster: Forecaster) -> str:
    """Names of disrupted systems both offices run on, or an empty string."""
    codes = [
        s
        for d in forecaster.disrupted(office.code)
        if d.hits(other)
        for s in d.systems
        if s in office.systems and s in other.systems
    ]
    return ", ".join(forecaster.system_names.get(s, s) for s in dict.fromkeys(codes))
