"""The lever worth most for each cohort of a group, and why, with every lever weighed.

A **cohort** is the members of one group in the same situation at one office:
not started yet (no application, or a passport that fails a rule), booked
but not recorded, or recorded (waiting for payment or printing). Printed
passports are not advised: starting again can only be slower.

For each cohort every lever the rules of the date allow is weighed by what
it does to P(the whole group on time), from the forecast's joint scenarios,
net of what it costs (docs/forecast.md, "The decision rule"):

    value = 100 x P(group) - cost / rules.point_value

* **stay** (for those not started: apply at the group's office);
* **switch now** to each alternative office (a new application from booking,
  after the travel days): the fee paid again if paid, and the travel;
* **switch by a date**: wait for news of the office until then and switch
  only if printing has not resumed. Its P mixes, scenario by scenario, the
  outcome of staying where the office recovers by then with that of switching
  then where it does not, so an optimistic announcement is worth only what
  the forecast believes of it; its cost is paid only where the switch
  happens. It is advised only where waiting is worth more than switching now;
* **express** service (percepatan), where the law of the date and the office
  allow it, for those not recorded yet: Rp 1,000,000 each.

A member still late (P < 50%) after the best lever gets a lever of their own:
a later group of the agency with seats, or else the plain advice to ask the
office for urgent service, which the forecast cannot count on.

All groups are advised in one pass so the forecaster can evaluate every
hypothetical application in a few vectorised batches.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from grouppass.fees import EXPRESS_FEE, express_allowed, passport_fee, travel_cost
from grouppass.forecast import FloatArray, Forecaster, Start, StartKind
from grouppass.model import Alternative, Group, Office
from grouppass.plan import MemberPlan, group_zone
from grouppass.results import (
    Action,
    Advice,
    GroupAssessment,
    Loss,
    Option,
    Reason,
    Risk,
)
from grouppass.switch import losses_of
from grouppass.wording import advice_text

__all__ = ["MAX_WAIT_DAYS", "Phase", "advise"]

MAX_WAIT_DAYS = 15
"""Candidate days to wait for news: every working day this far ahead, then weekly."""
LATE = 0.5
"""Below this a member is late and gets a lever of their own."""
MIN_RECOVERED = 0.1
"""Waiting for news is advised only if printing resumes by then in at least this share."""
MIN_WAIT_GAIN = 0.25
"""...and only if it is worth at least this many points more than switching now."""

BoolArray = npt.NDArray[np.bool_]


class Phase(enum.StrEnum):
    """A cohort's situation at its office."""

    NEW = "new"
    """No application yet (or one is needed): where to start."""
    BOOKED = "booked"
    """An appointment, not recorded yet."""
    QUEUED = "queued"
    """Recorded: waiting for payment or printing."""


@frozen
class _Member:
    index: int
    """Position in the group's members."""
    plan: MemberPlan
    day: int
    """Deadline day for the member's office."""
    log_p: FloatArray
    """log P(on time | scenario)."""


@frozen
class _Cohort:
    group: int
    office: str
    phase: Phase
    members: tuple[_Member, ...]


def _phase(plan: MemberPlan) -> Phase | None:
    start = plan.start
    if start is None or start.kind in (StartKind.AWAIT_COLLECTION, StartKind.DONE):
        return None
    if plan.member.application is None:
        return Phase.NEW
    if start.kind == StartKind.FROM_BOOKING:
        return Phase.BOOKED
    return Phase.QUEUED


def _log(v: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore"):
        out: FloatArray = np.log(v)
    return out


def _mean_exp(log_p: FloatArray) -> float:
    return float(np.clip(np.exp(log_p).mean(), 0.0, 1.0))


class _Planner:
    """Everything the levers of one assessment need, worked out once."""

    def __init__(
        self,
        forecaster: Forecaster,
        plans: Sequence[tuple[Group, dt.date, tuple[tuple[MemberPlan, int], ...]]],
        rated: Sequence[GroupAssessment],
    ) -> None:
        self.fc = forecaster
        self.plans = plans
        self.rated = rated
        self.rules = forecaster.rules
        self.as_of = forecaster.as_of
        self.target = self.rules.target_probability
        self.express_ok = express_allowed(self.as_of)
        self._thresholds: dict[tuple[str, int], int] = {}

    def threshold(self, group: int, office: str) -> int:
        """The last grid day whose collection at ``office`` counts for ``group``."""
        from grouppass.assess import threshold

        key = (office, group)
        found = self._thresholds.get(key)
        if found is None:
            g, deadline, _ = self.plans[group]
            found = threshold(self.fc, office, deadline, group_zone(g))
            self._thresholds[key] = found
        return found

    def alternatives(self, office: str) -> list[Alternative]:
        found = self.fc.offices.get(office)
        if found is None:
            return []
        return [a for a in found.alternatives if a.office in self.fc.offices]

    def scenario_vectors(
        self, pairs: Sequence[tuple[Start, int]]
    ) -> dict[tuple[Start, int], FloatArray]:
        rows = self.fc.on_time(pairs)
        return {p: self.fc.in_scenarios(p[0], v) for p, v in rows.items()}


def advise(
    plans: Sequence[tuple[Group, dt.date, tuple[tuple[MemberPlan, int], ...]]],
    rated: Sequence[GroupAssessment],
    forecaster: Forecaster,
) -> dict[int, list[Advice]]:
    """Advice per group (by position in ``plans``), cohorts first, then late members.

    A group's cohorts are decided together: each lever is weighed with the other
    cohorts following their own best lever, round after round until no cohort
    changes its mind (two cohorts that must both move for the group to make it
    are both advised to move).
    """
    planner = _Planner(forecaster, plans, rated)
    cohorts, base = _cohorts(planner)
    if not cohorts:
        return {}
    options = _candidate_options(planner, cohorts)
    wanted = list(dict.fromkeys(p for opts in options for o in opts for p in o.pairs))
    vectors = planner.scenario_vectors(wanted)
    by_group: dict[int, list[int]] = {}
    for i, c in enumerate(cohorts):
        by_group.setdefault(c.group, []).append(i)
    out: dict[int, list[Advice]] = {}
    chosen_logs: dict[int, dict[int, FloatArray]] = {}
    samples = forecaster.samples
    for g, members in by_group.items():
        in_cohorts = {m.index for i in members for m in cohorts[i].members}
        outside = _sum_logs(samples, (v for k, v in base[g].items() if k not in in_cohorts))
        zero = np.zeros(samples)
        scored = {i: _score(planner, cohorts[i], options[i], vectors, zero) for i in members}
        choice = {i: _pick(scored[i]) for i in members}
        for _ in range(4):
            changed = False
            for i in members:
                others = outside + _sum_logs(
                    samples, (_log(choice[j].cohort_p) for j in members if j != i)
                )
                scored[i] = _score(planner, cohorts[i], options[i], vectors, others)
                new = _pick(scored[i])
                changed = changed or new.candidate != choice[i].candidate
                choice[i] = new
            if not changed:
                break
        for i in members:
            c = cohorts[i]
            advice = _advice(planner, c, choice[i], scored[i])
            out.setdefault(g, []).append(advice)
            chosen_logs.setdefault(g, {}).update(_member_logs(planner, c, choice[i], vectors))
    for g, extra in _late_members(planner, cohorts, chosen_logs, base).items():
        out.setdefault(g, []).extend(extra)
    return out


# -- who needs a decision ---------------------------------------------------------------


def _cohorts(planner: _Planner) -> tuple[list[_Cohort], dict[int, dict[int, FloatArray]]]:
    fc = planner.fc
    wanted: list[tuple[Start, int]] = []
    for g, (_, _, members) in enumerate(planner.plans):
        if planner.rated[g].risk is Risk.READY:
            continue
        wanted.extend((p.start, day) for p, day in members if p.start is not None)
    vectors = planner.scenario_vectors(list(dict.fromkeys(wanted)))
    cohorts: list[_Cohort] = []
    base: dict[int, dict[int, FloatArray]] = {}
    for g, (group, _, members) in enumerate(planner.plans):
        rated = planner.rated[g]
        if rated.risk is Risk.READY:
            continue
        logs: dict[int, FloatArray] = {}
        found: dict[tuple[str, Phase], list[_Member]] = {}
        for i, (p, day) in enumerate(members):
            if p.start is None:
                continue
            log_p = _log(vectors[(p.start, day)])
            logs[i] = log_p
            phase = _phase(p)
            if phase is None:
                continue
            office = group.office if phase is Phase.NEW else p.start.office
            found.setdefault((office, phase), []).append(_Member(i, p, day, log_p))
        base[g] = logs
        for (office, phase), items in sorted(found.items()):
            p_members = _mean_exp(np.sum([m.log_p for m in items], axis=0))
            disrupted = bool(fc.disrupted(office))
            below = p_members < planner.target or rated.p_on_time < planner.target
            # Those who have not started always learn where to start.
            if not (below or disrupted or phase is Phase.NEW):
                continue
            cohorts.append(_Cohort(g, office, phase, tuple(items)))
    return cohorts, base


# -- the levers ---------------------------------------------------------------------------


@frozen
class _Candidate:
    action: Action
    to_office: str | None
    switch_by: dt.date | None
    pairs: tuple[tuple[Start, int], ...]
    """The new applications it takes (none for staying)."""
    per_member_cost: int
    express: bool = False


def _wait_days(planner: _Planner, office: str, deadline: dt.date) -> list[dt.date]:
    """Days to wait for news until: every working day for three weeks, then weekly."""
    cal = planner.fc.calendar(office)
    out = []
    day = planner.as_of
    for k in range(1, 60):
        day = cal.add_working_days(day, 1)
        if day >= deadline:
            break
        if k <= MAX_WAIT_DAYS or k % 5 == 0:
            out.append(day)
    return out


def _switch_cost(planner: _Planner, m: _Member, alt: Alternative) -> int:
    app = m.plan.member.application
    fee = passport_fee(app.paid) if app is not None and app.paid is not None else 0
    return fee + travel_cost(alt)


def _candidate_options(planner: _Planner, cohorts: Sequence[_Cohort]) -> list[list[_Candidate]]:
    fc = planner.fc
    out = []
    for c in cohorts:
        _, deadline, _ = planner.plans[c.group]
        home: Office = fc.offices[c.office]
        opts: list[_Candidate] = [_Candidate(Action.STAY, None, None, (), 0)]
        alts = planner.alternatives(c.office)
        for alt in alts:
            ask = planner.as_of + dt.timedelta(days=alt.travel_days)
            start = fc.new_application(alt.office, ask)
            pair = (start, planner.threshold(c.group, alt.office))
            cost = max(_switch_cost(planner, m, alt) for m in c.members)
            if c.phase is Phase.NEW:
                cost = travel_cost(alt)
            action = Action.START_AT if c.phase is Phase.NEW else Action.SWITCH_NOW
            opts.append(_Candidate(action, alt.office, None, (pair,), cost))
        express_ok = planner.express_ok and c.phase is not Phase.QUEUED
        if express_ok and home.express:
            start = fc.new_application(c.office, planner.as_of, express=True)
            pair = (start, planner.threshold(c.group, c.office))
            opts.append(_Candidate(Action.EXPRESS, c.office, None, (pair,), EXPRESS_FEE, True))
        if alts and c.phase is not Phase.NEW and fc.disrupted(c.office):
            for alt in alts:
                days = _wait_days(planner, c.office, deadline)
                pairs = tuple(
                    (
                        fc.new_application(alt.office, d + dt.timedelta(days=alt.travel_days)),
                        planner.threshold(c.group, alt.office),
                    )
                    for d in days
                )
                cost = max(_switch_cost(planner, m, alt) for m in c.members)
                for d, pair in zip(days, pairs, strict=True):
                    opts.append(_Candidate(Action.SWITCH_BY, alt.office, d, (pair,), cost))
        out.append(opts)
    return out


@frozen
class _Scored:
    candidate: _Candidate
    p_group: float
    p_members: float
    cost: float
    value: float
    p_recovered: float | None
    cohort_p: FloatArray = field(eq=False)
    """P(all the cohort's members on time | scenario) with this lever."""


def _score(
    planner: _Planner,
    c: _Cohort,
    options: Sequence[_Candidate],
    vectors: Mapping[tuple[Start, int], FloatArray],
    others: FloatArray,
) -> list[_Scored]:
    """Every lever for cohort ``c``, given log P(the rest of the group | scenario)."""
    fc = planner.fc
    n = len(c.members)
    own = np.exp(np.sum([m.log_p for m in c.members], axis=0))
    rest = np.exp(others)
    point = max(planner.rules.point_value, 1)
    scored: list[_Scored] = []
    for o in options:
        recovered = None
        if o.action is Action.STAY:
            cohort_p = own
        else:
            switched = vectors[o.pairs[0]] ** n
            cohort_p = switched
            if o.action is Action.SWITCH_BY:
                assert o.switch_by is not None
                ok = fc.recovered_by(c.office, fc.grid.index(o.switch_by))
                cohort_p = np.where(ok, own, switched)
                recovered = float(ok.mean())
        p_group = float(np.clip((rest * cohort_p).mean(), 0.0, 1.0))
        p_members = float(np.clip(cohort_p.mean(), 0.0, 1.0))
        cost = float(o.per_member_cost * n)
        if recovered is not None:
            cost *= 1.0 - recovered
        value = 100.0 * p_group - cost / point
        scored.append(_Scored(o, p_group, p_members, cost, value, recovered, cohort_p))
    return scored


def _pick(scored: Sequence[_Scored]) -> _Scored:
    """The lever worth most; staying wins ties; waiting only where it is worth it."""
    best = max(scored, key=lambda s: (round(s.value, 9), s.candidate.action is Action.STAY))
    if best.candidate.action is Action.SWITCH_BY:
        # Waiting must be worth it: a real chance the switch is not needed, and more than
        # a rounding error of value; otherwise switch now (or stay).
        now = [s for s in scored if s.candidate.action is Action.SWITCH_NOW]
        now_best = max(now, key=lambda s: s.value)
        gain = best.value - now_best.value
        if (best.p_recovered or 0.0) < MIN_RECOVERED or gain < MIN_WAIT_GAIN:
            best = max(now_best, scored[0], key=lambda s: s.value)
    return best


def _member_logs(
    planner: _Planner,
    c: _Cohort,
    chosen: _Scored,
    vectors: Mapping[tuple[Start, int], FloatArray],
) -> dict[int, FloatArray]:
    """Each member's log P(on time | scenario) following the chosen lever."""
    fc = planner.fc
    lever = chosen.candidate
    out: dict[int, FloatArray] = {}
    for m in c.members:
        if lever.action is Action.STAY:
            out[m.index] = m.log_p
        elif lever.action is Action.SWITCH_BY:
            assert lever.switch_by is not None
            ok = fc.recovered_by(c.office, fc.grid.index(lever.switch_by))
            out[m.index] = _log(np.where(ok, np.exp(m.log_p), vectors[lever.pairs[0]]))
        else:
            out[m.index] = _log(vectors[lever.pairs[0]])
    return out


def _sum_logs(samples: int, logs: Iterable[FloatArray]) -> FloatArray:
    total = np.zeros(samples)
    for v in logs:
        total = total + v
    return total


def _shared_systems(fc: Forecaster, office: str, other: str) -> tuple[str, ...]:
    a, b = fc.offices[office], fc.offices[other]
    names = [
        fc.system_names.get(s, s)
        for d in fc.disrupted(office)
        if d.hits(b)
        for s in d.systems
        if s in a.systems and s in b.systems
    ]
    return tuple(dict.fromkeys(names))


def _losses(c: _Cohort) -> tuple[Loss, ...]:
    return tuple(loss for m in c.members for loss in losses_of(m.plan.member))


def _advice(planner: _Planner, c: _Cohort, best: _Scored, scored: Sequence[_Scored]) -> Advice:
    fc = planner.fc
    stay = scored[0]
    now = [s for s in scored if s.candidate.action in (Action.SWITCH_NOW, Action.START_AT)]
    best_now = max(now, key=lambda s: s.value, default=None)
    chosen = best.candidate
    target = planner.target
    ids = tuple(m.plan.member.id for m in c.members)
    held = tuple(d.id for d in fc.disrupted(c.office))
    # The best option per action and office, for the record (not every waiting day).
    kept: dict[tuple[Action, str | None], _Scored] = {}
    for s in scored:
        key = (s.candidate.action, s.candidate.to_office)
        if key not in kept or s.value > kept[key].value:
            kept[key] = s
    options = tuple(
        Option(
            s.candidate.action,
            s.candidate.to_office,
            s.candidate.switch_by,
            s.p_group,
            s.p_members,
            round(s.cost),
            s.value,
        )
        for s in sorted(kept.values(), key=lambda s: -s.value)
    )
    action = chosen.action
    to_office = chosen.to_office
    # Switching now is switching by today: scripts read one date for both.
    switch_by = planner.as_of if action is Action.SWITCH_NOW else chosen.switch_by
    systems: tuple[str, ...] = ()
    losses: tuple[Loss, ...] = ()
    if action is Action.STAY:
        if c.phase is Phase.NEW:
            action, to_office, reason = Action.START_AT, c.office, Reason.START_HERE
        elif stay.p_group >= target:
            reason = Reason.ON_TRACK
        else:
            action = Action.NO_BETTER_OPTION
            reason, systems = _why_not(planner, c, best_now)
    elif action is Action.START_AT:
        reason = Reason.START_ELSEWHERE
    elif action is Action.SWITCH_NOW:
        reason = Reason.SWITCH_GAINS
        systems = _shared_systems(fc, c.office, chosen.to_office or c.office)
        losses = _losses(c)
    elif action is Action.SWITCH_BY:
        reason = Reason.WAITING_KEEPS
        losses = _losses(c)
    else:
        reason = Reason.EXPRESS_GAINS
    if action is Action.NO_BETTER_OPTION and best_now is not None:
        to_office = best_now.candidate.to_office
    advice = Advice(
        office=c.office,
        members=ids,
        action=action,
        to_office=to_office,
        switch_by=switch_by,
        p_stay=stay.p_group,
        p_switch_now=None if best_now is None else best_now.p_group,
        reason="",
        code=reason,
        p_advised=best.p_group,
        cost=round(best.cost),
        options=options,
        losses=losses,
        systems=systems,
        disruptions=held,
        p_wait=best.p_group if action is Action.SWITCH_BY else None,
        p_recovered=best.p_recovered,
    )
    return _worded(planner, advice)


def _why_not(
    planner: _Planner, c: _Cohort, best_now: _Scored | None
) -> tuple[Reason, tuple[str, ...]]:
    fc = planner.fc
    if best_now is None:
        return Reason.NO_ALTERNATIVE, ()
    other = best_now.candidate.to_office
    assert other is not None
    shared = _shared_systems(fc, c.office, other)
    if shared:
        return Reason.SAME_SYSTEM, shared
    if fc.disrupted(other):
        return Reason.OTHER_DISRUPTED, ()
    return Reason.STAYING_WORTH_MOST, ()


def _worded(planner: _Planner, advice: Advice) -> Advice:
    fc = planner.fc
    names = {code: o.name for code, o in fc.offices.items()}
    text = advice_text(advice, "en", office_names=names, target=planner.target)
    return Advice(
        office=advice.office,
        members=advice.members,
        action=advice.action,
        to_office=advice.to_office,
        switch_by=advice.switch_by,
        p_stay=advice.p_stay,
        p_switch_now=advice.p_switch_now,
        reason=text,
        code=advice.code,
        p_advised=advice.p_advised,
        cost=advice.cost,
        to_group=advice.to_group,
        options=advice.options,
        losses=advice.losses,
        systems=advice.systems,
        disruptions=advice.disruptions,
        p_wait=advice.p_wait,
        p_recovered=advice.p_recovered,
    )


# -- members late whatever the cohort does ---------------------------------------------


def _late_members(
    planner: _Planner,
    cohorts: Sequence[_Cohort],
    chosen: Mapping[int, Mapping[int, FloatArray]],
    base: Mapping[int, Mapping[int, FloatArray]],
) -> dict[int, list[Advice]]:
    fc = planner.fc
    seats = _seats(planner)
    out: dict[int, list[Advice]] = {}
    later_pairs: list[tuple[Start, int]] = []
    lates: list[tuple[int, _Cohort, _Member, float]] = []
    for key, c in enumerate(cohorts):
        for m in c.members:
            log_p = chosen[c.group].get(m.index, m.log_p)
            p = _mean_exp(log_p)
            if p >= LATE:
                continue
            lates.append((key, c, m, p))
            assert m.plan.start is not None
            for h in _later_groups(planner, c.group, seats):
                later_pairs.append((m.plan.start, planner.threshold(h, m.plan.start.office)))
    vectors = planner.scenario_vectors(list(dict.fromkeys(later_pairs))) if later_pairs else {}
    urgent: dict[int, list[tuple[_Member, float]]] = {}
    moved: dict[tuple[int, int], list[tuple[_Member, float, float]]] = {}
    for key, c, m, p in lates:
        assert m.plan.start is not None
        best: tuple[float, int] | None = None
        for h in _later_groups(planner, c.group, seats):
            pair = (m.plan.start, planner.threshold(h, m.plan.start.office))
            p_there = float(vectors[pair].mean())
            if p_there >= max(p + 0.1, LATE) and (best is None or p_there > best[0]):
                best = (p_there, h)
        if best is not None:
            seats[best[1]] -= 1
            moved.setdefault((key, best[1]), []).append((m, p, best[0]))
        else:
            urgent.setdefault(key, []).append((m, p))
    for (key, h), items in moved.items():
        c = cohorts[key]
        later, _, _ = planner.plans[h]
        leaving = {m.index for m, _, _ in items}
        rest = (v for i, v in base[c.group].items() if i not in leaving)
        p_rest = _mean_exp(_sum_logs(fc.samples, rest))
        p_there = min(t for _, _, t in items)
        option = Option(Action.LATER_GROUP, c.office, None, p_rest, p_there, 0, 100.0 * p_rest,
                        later.id)  # fmt: skip
        advice = Advice(
            office=c.office, members=tuple(m.plan.member.id for m, _, _ in items),
            action=Action.LATER_GROUP, to_office=None, switch_by=None,
            p_stay=planner.rated[c.group].p_on_time, p_switch_now=None, reason="",
            code=Reason.LATER_GROUP_SEATS, p_advised=p_rest, to_group=later.id,
            options=(option,), p_wait=p_there,
        )  # fmt: skip
        out.setdefault(c.group, []).append(_worded(planner, advice))
    for key, members in urgent.items():
        c = cohorts[key]
        p_best = max(p for _, p in members)
        option = Option(Action.ASK_URGENT, c.office, None, planner.rated[c.group].p_on_time,
                        p_best, 0, 0.0)  # fmt: skip
        advice = Advice(
            office=c.office, members=tuple(m.plan.member.id for m, _ in members),
            action=Action.ASK_URGENT, to_office=None, switch_by=None,
            p_stay=planner.rated[c.group].p_on_time, p_switch_now=None, reason="",
            code=Reason.URGENT_ONLY, p_advised=p_best, options=(option,),
            disruptions=tuple(d.id for d in fc.disrupted(c.office)),
        )  # fmt: skip
        out.setdefault(c.group, []).append(_worded(planner, advice))
    return out


def _seats(planner: _Planner) -> dict[int, int]:
    out = {}
    for h, (group, _, members) in enumerate(planner.plans):
        if group.capacity is not None:
            out[h] = max(group.capacity - len(members), 0)
    return out


def _later_groups(planner: _Planner, g: int, seats: Mapping[int, int]) -> list[int]:
    group, _, _ = planner.plans[g]
    return [
        h
        for h, free in seats.items()
        if free > 0 and h != g and planner.plans[h][0].departure > group.departure
    ]
