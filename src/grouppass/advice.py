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
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from grouppass.fees import EXPRESS_FEE, express_allowed, passport_fee, travel_cost
from grouppass.forecast import FloatArray, Forecaster, Start, StartKind
from grouppass.model import Alternative, Group, Office, Stage
from grouppass.plan import MemberPlan, group_zone, threshold
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

MAX_WAIT_DAYS = 10
"""Candidate days to wait for news: every working day this far ahead, then weekly."""
LATE = 0.5
"""Below this a member is late and gets a lever of their own."""
MIN_RECOVERED = 0.1
"""Waiting for news is advised only if printing resumes by then in at least this share."""
MIN_WAIT_GAIN = 0.25
"""...and only if it is worth at least this many points more than switching now."""
MIN_SWITCH_GAIN = 3.0
"""Points of P(group) a switch (or express, or waiting to switch) must gain over staying."""
MIN_START_GAIN = 1.0
"""Points a first application elsewhere must gain over the group's own office."""

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
    own: FloatArray = field(eq=False, repr=False)
    """P(all the members on time | scenario) if they stay."""
    elsewhere: bool = False
    """Not started, at an office that cannot print today while another can: they apply
    at one that can, whatever the figures say (the issue's rule: never an office
    that cannot print when another one can; a first application elsewhere costs
    only the travel, and one made there may need a paid switch later)."""


def _phase(plan: MemberPlan) -> Phase | None:
    start = plan.start
    if start is None or start.kind in (StartKind.AWAIT_COLLECTION, StartKind.DONE):
        return None
    if plan.member.application is None or plan.stage is Stage.NOT_STARTED:
        # No application, or one named but not asked for yet: where to start.
        return Phase.NEW
    if start.kind == StartKind.FROM_BOOKING:
        return Phase.BOOKED
    return Phase.QUEUED


def _log(v: FloatArray, out: FloatArray | None = None) -> FloatArray:
    """log ``v``, written over ``out`` when given (``out=v``: in place)."""
    # Floored rather than -inf: an impossible member makes the group 0, and sums and
    # differences of logs stay numbers.
    found: FloatArray = np.log(np.maximum(v, 1e-300, out=out), out=out)
    return found


def _mean_exp(log_p: FloatArray) -> float:
    p = float(np.clip(np.exp(log_p).mean(), 0.0, 1.0))
    return 0.0 if p < 1e-200 else p


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
        # Once, not per piece of advice: at 120 offices the names were a visible cost.
        self.office_names = {code: o.name for code, o in forecaster.offices.items()}
        self._recovered: dict[tuple[str, int], BoolArray] = {}

    def recovered_by(self, office: str, day: int) -> BoolArray:
        """:meth:`Forecaster.recovered_by`, remembered: cohorts of an office share the
        waiting days."""
        key = (office, day)
        found = self._recovered.get(key)
        if found is None:
            found = self._recovered[key] = self.fc.recovered_by(office, day)
        return found

    def threshold(self, group: int, office: str) -> int:
        """The last grid day whose collection at ``office`` counts for ``group``."""
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

    def scenario_table(
        self, pairs: Sequence[tuple[Start, int]]
    ) -> tuple[dict[tuple[Start, int], int], FloatArray]:
        """P(on time | scenario) for each (start, deadline day), as one array: row 0 is
        P 1 (staying, no new application), then one row per distinct pair, with each
        pair's row number."""
        rows = self.fc.on_time(pairs)
        row_of = {pair: k + 1 for k, pair in enumerate(rows)}
        table = np.ones((len(row_of) + 1, self.fc.samples))
        for pair, k in row_of.items():
            table[k] = self.fc.in_scenarios(pair[0], rows[pair])
        return row_of, table


def advise(
    plans: Sequence[tuple[Group, dt.date, tuple[tuple[MemberPlan, int], ...]]],
    rated: Sequence[GroupAssessment],
    forecaster: Forecaster,
) -> dict[int, list[Advice]]:
    """Advice per group (by position in ``plans``), cohorts first, then late members.

    A group's cohorts are decided together: each lever is weighed with the other
    cohorts following their own best lever, cohort after cohort until none
    changes its mind (two cohorts that must both move for the group to make it
    are both advised to move). Waiting for news is weighed where switching is
    worth it at all: for cohorts whose best lever is to switch now.
    """
    planner = _Planner(forecaster, plans, rated)
    cohorts, base = _cohorts(planner)
    if not cohorts:
        return {}
    candidates = _candidate_options(planner, cohorts)
    prepared = _prepare(planner, cohorts, candidates)
    outside = _outside(planner, cohorts, base)
    settled = _settled(planner, cohorts)
    choice = dict.fromkeys(settled, 0)
    choice.update(
        _decide(
            planner,
            cohorts,
            prepared,
            outside,
            [i for i in range(len(cohorts)) if i not in settled],
        )
    )
    # Stage two: for cohorts best off switching now, would waiting for news do better?
    waiting = {
        i: _wait_options(planner, cohorts[i], candidates[i][choice[i]])
        for i in range(len(cohorts))
        if candidates[i][choice[i]].action is Action.SWITCH_NOW
        and planner.fc.disrupted(cohorts[i].office)
    }
    waiting = {i: w for i, w in waiting.items() if w}
    if waiting:
        for i, extra in waiting.items():
            candidates[i] = candidates[i] + extra
        again = _prepare(planner, [cohorts[i] for i in waiting], [candidates[i] for i in waiting])
        for i, prep in zip(waiting, again, strict=True):
            prepared[i] = prep
        groups = {cohorts[i].group for i in waiting}
        redo = [i for i, c in enumerate(cohorts) if c.group in groups]
        choice.update(_decide(planner, cohorts, prepared, outside, redo, choice))
    out: dict[int, list[Advice]] = {}
    chosen_logs: dict[int, dict[int, FloatArray]] = {}
    for i, scored in _scores(planner, cohorts, prepared, outside, choice).items():
        c = cohorts[i]
        out.setdefault(c.group, []).append(_advice(planner, c, scored[choice[i]], scored))
        logs = _member_logs(planner, c, prepared[i], choice[i])
        chosen_logs.setdefault(c.group, {}).update(logs)
    for g, late in _late_members(planner, cohorts, chosen_logs, base).items():
        out.setdefault(g, []).extend(late)
    return out


def _settled(planner: _Planner, cohorts: Sequence[_Cohort]) -> set[int]:
    """Cohorts whose group is so likely on time staying that no lever can gain its floor.

    A lever is chosen only if it gains at least its floor in points of P(group) over
    staying, and the other cohorts' levers only raise P(group): so where 100 x (1 - P)
    with everyone staying is below the smallest floor of the group's cohorts, every
    cohort stays, and the search for a better choice can be skipped. (Cohorts that
    must apply elsewhere have no floor: their groups are never settled.)
    """
    floors: dict[int, float] = {}
    for c in cohorts:
        floor = (
            -math.inf
            if c.elsewhere
            else (MIN_START_GAIN if c.phase is Phase.NEW else MIN_SWITCH_GAIN)
        )
        floors[c.group] = min(floors.get(c.group, math.inf), floor)
    # A hundredth of a point of margin for the floored logs' rounding.
    easy = {
        g
        for g, floor in floors.items()
        if 100.0 * (1.0 - planner.rated[g].p_on_time) < floor - 0.01
    }
    return {i for i, c in enumerate(cohorts) if c.group in easy}


_COHORT_BLOCK = 2048
"""Cohorts whose staying vectors are worked out at once: bounds memory."""
_LOG_ZERO = math.log(1e-300)
"""log P for an impossible event: finite, so sums and differences stay numbers."""
_CHUNK_CELLS = 1_000_000
"""Cohorts x options x scenarios decided at once: bounds memory."""


def _outside(
    planner: _Planner, cohorts: Sequence[_Cohort], base: Mapping[int, Mapping[int, FloatArray]]
) -> dict[int, FloatArray]:
    """Per group, log P(its members outside every cohort on time | scenario)."""
    in_cohorts: dict[int, set[int]] = {}
    for c in cohorts:
        in_cohorts.setdefault(c.group, set()).update(m.index for m in c.members)
    samples = planner.fc.samples
    return {
        g: _sum_logs(samples, (v for k, v in logs.items() if k not in in_cohorts.get(g, set())))
        for g, logs in base.items()
    }


def _packed(
    planner: _Planner, cohorts: Sequence[_Cohort], prepared: Sequence[_Prepared], ids: Sequence[int]
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Options of cohorts ``ids`` as arrays: P(cohort on time | scenario) (C, K, N),
    expected cost (C, K), P(recovered by the waiting day) (C, K), waits and valid (C, K)."""
    k_max = max(len(prepared[i].candidates) for i in ids)
    n = planner.fc.samples
    m = np.zeros((len(ids), k_max, n))
    cost = np.zeros((len(ids), k_max))
    recovered = np.zeros((len(ids), k_max))
    waits = np.zeros((len(ids), k_max), dtype=bool)
    valid = np.zeros((len(ids), k_max), dtype=bool)
    for row, i in enumerate(ids):
        prep = prepared[i]
        k = len(prep.candidates)
        # The power as an operator, as before (a scalar exponent may take a fast path
        # that the ufunc called directly does not), then the kept rows in place.
        out = m[row, :k]
        out[...] = prep.table[prep.rows] ** len(cohorts[i].members)
        np.copyto(out, prep.own[None, :], where=prep.recovered | prep.stay[:, None])
        recovered[row, :k] = prep.p_recovered
        cost[row, :k] = prep.costs * (1.0 - prep.p_recovered)
        waits[row, :k] = prep.waits
        valid[row, :k] = prep.allowed
    return m, cost, recovered, waits, valid


def _chunks(
    planner: _Planner, cohorts: Sequence[_Cohort], ids: Sequence[int], width: int
) -> list[list[int]]:
    """``ids`` cut into chunks of whole groups, each small enough to decide at once."""
    per = max(1, _CHUNK_CELLS // max(width * planner.fc.samples, 1))
    chunks: list[list[int]] = [[]]
    last_group = -1
    for i in ids:
        g = cohorts[i].group
        if len(chunks[-1]) >= per and g != last_group:
            chunks.append([])
        chunks[-1].append(i)
        last_group = g
    return [c for c in chunks if c]


def _decide(
    planner: _Planner,
    cohorts: Sequence[_Cohort],
    prepared: Sequence[_Prepared],
    outside: Mapping[int, FloatArray],
    ids: Iterable[int],
    start: Mapping[int, int] | None = None,
) -> dict[int, int]:
    """The chosen option per cohort: coordinate ascent within each group, vectorised
    over all groups (every group's first cohort, then every group's second, ...)."""
    ids = sorted(ids, key=lambda i: (cohorts[i].group, i))
    width = max((len(prepared[i].candidates) for i in ids), default=1)
    choice: dict[int, int] = {}
    point = max(planner.rules.point_value, 1)
    for chunk in _chunks(planner, cohorts, ids, width):
        m, cost, recovered, waits, valid = _packed(planner, cohorts, prepared, chunk)
        floor = np.zeros_like(cost)
        for row, i in enumerate(chunk):
            forced = cohorts[i].elsewhere
            for k, o in enumerate(prepared[i].candidates):
                if o.action is Action.START_AT:
                    floor[row, k] = -np.inf if forced else MIN_START_GAIN
                else:
                    floor[row, k] = MIN_SWITCH_GAIN
        groups = np.array([cohorts[i].group for i in chunk])
        order, group_of = np.unique(groups, return_inverse=True)
        rank = np.zeros(len(chunk), dtype=np.int64)
        for j in range(1, len(chunk)):
            rank[j] = rank[j - 1] + 1 if groups[j] == groups[j - 1] else 0
        base = np.stack([outside[int(g)] for g in order])
        rows = np.arange(len(chunk))
        if start is None:
            p_alone = m.mean(axis=2)
            alone = 100.0 * p_alone - cost / point
            pick = _pick_all(alone, p_alone, recovered, waits, valid, floor)
        else:
            pick = np.array([start.get(i, 0) for i in chunk])
        ranks = [np.flatnonzero(rank == r) for r in range(int(rank.max()) + 1)]
        for _ in range(4):
            before = pick.copy()
            # The group totals are summed afresh once a sweep and then moved by each
            # cohort's change of mind (a group has one cohort per rank, so the update
            # touches each group once): the same totals to rounding, at a fraction of
            # the cost of summing every group again for every rank.
            chosen = _log(m[rows, pick])
            total = base + _group_sums(chosen, group_of, len(order))
            for mine in ranks:
                own = chosen[mine]
                others = total[group_of[mine]] - own
                p_group = np.einsum("ckn,cn->ck", m[mine], np.exp(others)) / m.shape[2]
                p_group = np.clip(p_group, 0.0, 1.0)
                value = 100.0 * p_group - cost[mine] / point
                pick[mine] = _pick_all(
                    value, p_group, recovered[mine], waits[mine], valid[mine], floor[mine]
                )
                moved = mine[pick[mine] != before[mine]]
                if len(moved):
                    new = _log(m[moved, pick[moved]])
                    total[group_of[moved]] += new - chosen[moved]
                    chosen[moved] = new
            if np.array_equal(pick, before):
                break
        choice.update({i: int(k) for i, k in zip(chunk, pick, strict=True)})
    return choice


def _group_sums(values: FloatArray, group_of: npt.NDArray[np.int64], groups: int) -> FloatArray:
    """Sum of the rows of ``values`` per group; rows come sorted by group."""
    starts = np.flatnonzero(np.diff(group_of, prepend=-1))
    out = np.zeros((groups, values.shape[1]))
    out[group_of[starts]] = np.add.reduceat(values, starts, axis=0)
    return out


def _pick_all(
    value: FloatArray,
    p_group: FloatArray,
    recovered: FloatArray,
    waits: npt.NDArray[np.bool_],
    valid: npt.NDArray[np.bool_],
    floor: FloatArray,
) -> npt.NDArray[np.int64]:
    """Per row, the option worth most: staying (column 0) wins ties; a lever must gain
    at least its ``floor`` in points of P over staying (the forecast is not exact, and
    a pilgrim moved for a point of P is a pilgrim moved for noise); waiting for news
    only with a real chance the switch is not needed and more than a rounding error
    of value over the best option without waiting."""
    gain = 100.0 * (p_group - p_group[:, :1])
    enough = valid & ((np.arange(value.shape[1]) == 0)[None, :] | (gain >= floor))
    score = np.where(enough, np.round(value, 9), -np.inf)
    score[:, 0] += 1e-9
    best = np.argmax(score, axis=1)
    plain = np.where(waits, -np.inf, score)
    best_plain = np.argmax(plain, axis=1)
    rows = np.arange(len(best))
    weak = waits[rows, best] & (
        (recovered[rows, best] < MIN_RECOVERED)
        | (value[rows, best] < value[rows, best_plain] + MIN_WAIT_GAIN)
    )
    out: npt.NDArray[np.int64] = np.where(weak, best_plain, best)
    return out


def _scores(
    planner: _Planner,
    cohorts: Sequence[_Cohort],
    prepared: Sequence[_Prepared],
    outside: Mapping[int, FloatArray],
    choice: Mapping[int, int],
) -> dict[int, list[_Scored]]:
    """Every option of every cohort with its figures, the others following their choice."""
    ids = sorted(choice, key=lambda i: (cohorts[i].group, i))
    width = max(len(prepared[i].candidates) for i in ids)
    point = max(planner.rules.point_value, 1)
    out: dict[int, list[_Scored]] = {}
    for chunk in _chunks(planner, cohorts, ids, width):
        m, cost, recovered, waits, _ = _packed(planner, cohorts, prepared, chunk)
        groups = np.array([cohorts[i].group for i in chunk])
        order, group_of = np.unique(groups, return_inverse=True)
        rows = np.arange(len(chunk))
        pick = np.array([choice[i] for i in chunk])
        chosen = _log(m[rows, pick])
        total = np.stack([outside[int(g)] for g in order])
        total += _group_sums(chosen, group_of, len(order))
        others = total[group_of] - chosen
        p_group = np.clip(np.einsum("ckn,cn->ck", m, np.exp(others)) / m.shape[2], 0.0, 1.0)
        p_members = m.mean(axis=2)
        # What the floored logs leave of an impossible event is 0.
        p_group = np.where(p_group < 1e-200, 0.0, p_group)
        p_members = np.where(p_members < 1e-200, 0.0, p_members)
        value = 100.0 * p_group - cost / point
        for row, i in enumerate(chunk):
            k = len(prepared[i].candidates)
            out[i] = [
                _Scored(
                    prepared[i].candidates[j],
                    float(p_group[row, j]),
                    float(p_members[row, j]),
                    float(cost[row, j]),
                    float(value[row, j]),
                    float(recovered[row, j]) if waits[row, j] else None,
                )
                for j in range(k)
            ]
    return out


# -- who needs a decision ---------------------------------------------------------------


def _cohorts(planner: _Planner) -> tuple[list[_Cohort], dict[int, dict[int, FloatArray]]]:
    fc = planner.fc
    wanted: list[tuple[Start, int]] = []
    for g, (_, _, members) in enumerate(planner.plans):
        if planner.rated[g].risk is Risk.READY:
            continue
        wanted.extend((p.start, day) for p, day in members if p.start is not None)
    row_of, logs_table = planner.scenario_table(list(dict.fromkeys(wanted)))
    # One log per distinct (start, deadline day), taken over the whole table at once and
    # in place (a second table this size was the stage's peak): members who share it
    # share the row.
    _log(logs_table, out=logs_table)
    # One view per row, made once: members look theirs up in a list (indexing the
    # array made a new view per member).
    views = list(logs_table)
    found_all: list[tuple[int, str, Phase, list[_Member]]] = []
    rows_of: list[list[int]] = []
    base: dict[int, dict[int, FloatArray]] = {}
    for g, (_, _, members) in enumerate(planner.plans):
        if planner.rated[g].risk is Risk.READY:
            continue
        logs: dict[int, FloatArray] = {}
        found: dict[tuple[str, Phase], tuple[list[_Member], list[int]]] = {}
        for i, (p, day) in enumerate(members):
            if p.start is None:
                continue
            row = row_of[(p.start, day)]
            log_p = views[row]
            logs[i] = log_p
            phase = _phase(p)
            if phase is None:
                continue
            # A new application's start is at the office it names, else the group's.
            items, rows = found.setdefault((p.start.office, phase), ([], []))
            items.append(_Member(i, p, day, log_p))
            rows.append(row)
        base[g] = logs
        for (office, phase), (items, rows) in sorted(found.items()):
            found_all.append((g, office, phase, items))
            rows_of.append(rows)
    if not found_all:
        return [], base
    cohorts: list[_Cohort] = []
    # A block of cohorts at a time, keeping only the rows of those that need a decision:
    # every cohort's vector at once was a peak of its own (100 MB at 120 offices).
    for lo in range(0, len(found_all), _COHORT_BLOCK):
        block = found_all[lo : lo + _COHORT_BLOCK]
        own = np.exp(_cohort_totals(logs_table, rows_of[lo : lo + _COHORT_BLOCK]))
        means = own.mean(axis=1)
        kept: list[tuple[int, tuple[int, str, Phase, list[_Member]], bool]] = []
        for j, ((g, office, phase, _), mean) in enumerate(zip(block, means, strict=True)):
            clipped = float(np.clip(mean, 0.0, 1.0))
            p_members = 0.0 if clipped < 1e-200 else clipped
            disrupted = bool(fc.disrupted(office))
            rated = planner.rated[g]
            below = p_members < planner.target or rated.p_on_time < planner.target
            # Those who have not started always learn where to start.
            if not (below or disrupted or phase is Phase.NEW):
                continue
            elsewhere = (
                phase is Phase.NEW
                and disrupted
                and fc.cannot_print(office)
                and any(not fc.cannot_print(a.office) for a in planner.alternatives(office))
            )
            kept.append((j, block[j], elsewhere))
        if not kept:
            continue
        vectors = own[[j for j, _, _ in kept]]
        for vector, (_, (g, office, phase, items), elsewhere) in zip(vectors, kept, strict=True):
            cohorts.append(_Cohort(g, office, phase, tuple(items), vector, elsewhere))
    return cohorts, base


# -- the levers ---------------------------------------------------------------------------


@frozen
class _Candidate:
    action: Action
    to_office: str | None
    switch_by: dt.date | None
    pairs: tuple[tuple[Start, int], ...]
    """The new applications it takes (none for staying)."""
    cost: int
    """Rupiah for the whole cohort."""
    express: bool = False
    allowed: bool = True
    """False: weighed and reported, never chosen (an office that cannot print)."""


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


def _switch_cost(c: _Cohort, alt: Alternative) -> int:
    """Rupiah for the whole cohort: each member's fee paid again (if paid) and travel."""
    total = 0
    for m in c.members:
        app = m.plan.member.application
        fee = passport_fee(app.paid) if app is not None and app.paid is not None else 0
        total += fee + travel_cost(alt)
    return total


def _candidate_options(planner: _Planner, cohorts: Sequence[_Cohort]) -> list[list[_Candidate]]:
    fc = planner.fc
    out = []
    for c in cohorts:
        home: Office = fc.offices[c.office]
        n = len(c.members)
        opts: list[_Candidate] = [
            _Candidate(Action.STAY, None, None, (), 0, allowed=not c.elsewhere)
        ]
        for alt in planner.alternatives(c.office):
            ask = planner.as_of + dt.timedelta(days=alt.travel_days)
            start = fc.new_application(alt.office, ask)
            pair = (start, planner.threshold(c.group, alt.office))
            if c.phase is Phase.NEW:
                can = not (c.elsewhere and fc.cannot_print(alt.office))
                cost = n * travel_cost(alt)
                opts.append(
                    _Candidate(Action.START_AT, alt.office, None, (pair,), cost, allowed=can)
                )
            else:
                opts.append(
                    _Candidate(Action.SWITCH_NOW, alt.office, None, (pair,), _switch_cost(c, alt))
                )
        if planner.express_ok and c.phase is not Phase.QUEUED and home.express and not c.elsewhere:
            start = fc.new_application(c.office, planner.as_of, express=True)
            pair = (start, planner.threshold(c.group, c.office))
            opts.append(_Candidate(Action.EXPRESS, c.office, None, (pair,), n * EXPRESS_FEE, True))
        out.append(opts)
    return out


def _wait_options(planner: _Planner, c: _Cohort, switch: _Candidate) -> list[_Candidate]:
    """Waiting for news of ``c``'s office until each candidate day, then ``switch``."""
    fc = planner.fc
    _, deadline, _ = planner.plans[c.group]
    alt = next(a for a in planner.alternatives(c.office) if a.office == switch.to_office)
    day_of_deadline = planner.threshold(c.group, alt.office)
    out = []
    for d in _wait_days(planner, c.office, deadline):
        start = fc.new_application(alt.office, d + dt.timedelta(days=alt.travel_days))
        out.append(
            _Candidate(Action.SWITCH_BY, alt.office, d, ((start, day_of_deadline),), switch.cost)
        )
    return out


@frozen
class _Prepared:
    """One cohort's options as arrays over scenarios."""

    candidates: tuple[_Candidate, ...]
    table: FloatArray = field(eq=False, repr=False)
    """Shared by the cohorts prepared together: P(one member on time | scenario) per
    new application, row 0 for none (P 1)."""
    rows: npt.NDArray[np.int32] = field(eq=False)
    """Each option's row of ``table``."""
    recovered: BoolArray = field(eq=False)
    """Waiting options: the office recovered by the day, per scenario (others: False)."""
    waits: BoolArray = field(eq=False)
    allowed: BoolArray = field(eq=False)
    costs: FloatArray = field(eq=False)
    own: FloatArray = field(eq=False)
    """P(all the cohort's members on time | scenario) if they stay."""
    stay: BoolArray = field(eq=False)
    """Per option: staying, where the members keep their own P (a table per option and
    scenario of where they keep it cost 30 MB of peak at 10,000 cohorts)."""
    p_recovered: FloatArray = field(eq=False)
    """Waiting options: P(recovered by the day); others 0."""

    @property
    def new(self) -> FloatArray:
        """P(one member on time | scenario) with each option's new application (stay: 1)."""
        out: FloatArray = self.table[self.rows]
        return out

    def new_of(self, k: int) -> FloatArray:
        """Row ``k`` of :attr:`new`, without gathering the others."""
        out: FloatArray = self.table[self.rows[k]]
        return out


def _prepare(
    planner: _Planner, cohorts: Sequence[_Cohort], candidates: Sequence[Sequence[_Candidate]]
) -> list[_Prepared]:
    fc = planner.fc
    wanted = list(dict.fromkeys(p for opts in candidates for o in opts for p in o.pairs))
    # Every distinct vector once, in one array the cohorts share: each keeps only
    # the row numbers of its options (copies per cohort were most of the peak memory).
    row_of, table = planner.scenario_table(wanted)
    never = np.zeros(fc.samples, dtype=bool)
    out = []
    for c, opts in zip(cohorts, candidates, strict=True):
        rows = np.array([row_of[o.pairs[0]] if o.pairs else 0 for o in opts], dtype=np.int32)
        waits = np.array([o.action is Action.SWITCH_BY for o in opts])
        allowed = np.array([o.allowed for o in opts])
        if any(o.switch_by is not None for o in opts):
            recovered = np.zeros((len(opts), fc.samples), dtype=bool)
            for k, o in enumerate(opts):
                if o.switch_by is not None:
                    recovered[k] = planner.recovered_by(c.office, fc.grid.index(o.switch_by))
        else:
            # No waiting option: one read-only row of False for all, not a table each
            # (one per cohort was 27 MB of the peak at 100,000 travellers).
            recovered = np.broadcast_to(never, (len(opts), fc.samples))
        own = c.own
        costs = np.array([float(o.cost) for o in opts])
        stay = np.array([o.action is Action.STAY for o in opts])
        p_recovered = np.where(waits, recovered.mean(axis=1), 0.0)
        out.append(
            _Prepared(
                tuple(opts), table, rows, recovered, waits, allowed, costs, own, stay, p_recovered
            )
        )
    return out


@frozen
class _Scored:
    candidate: _Candidate
    p_group: float
    p_members: float
    cost: float
    value: float
    p_recovered: float | None


def _cohort_totals(logs: FloatArray, cohorts: Sequence[Sequence[int]]) -> FloatArray:
    """log P(all of a cohort on time | scenario) per cohort, from its members' rows of
    ``logs``: one term per distinct row times its count, in the order the rows first
    come. Worked term by term over every cohort at once (a cohort at a time was tens
    of thousands of small sums): each cohort's total is the same sum, in the same order."""
    terms = [Counter(rows) for rows in cohorts]
    width = max(len(t) for t in terms)
    index = np.zeros((len(terms), width), dtype=np.int64)
    count = np.zeros((len(terms), width))
    for c, t in enumerate(terms):
        index[c, : len(t)] = list(t)
        count[c, : len(t)] = list(t.values())
    total = np.zeros((len(terms), logs.shape[1]))
    for j in range(width):
        sel = np.flatnonzero(count[:, j] > 0)
        total[sel] += count[sel, j, None] * logs[index[sel, j]]
    return total


def _member_logs(planner: _Planner, c: _Cohort, prep: _Prepared, k: int) -> dict[int, FloatArray]:
    """Each member's log P(on time | scenario) following option ``k`` (members in the same
    situation share one array)."""
    lever = prep.candidates[k]
    out: dict[int, FloatArray] = {}
    if lever.action is Action.STAY:
        return {m.index: m.log_p for m in c.members}
    if not prep.waits[k]:
        moved = _log(prep.new_of(k))
        return {m.index: moved for m in c.members}
    shared: dict[tuple[Start | None, int], FloatArray] = {}
    for m in c.members:
        key = (m.plan.start, m.day)
        found = shared.get(key)
        if found is None:
            found = shared[key] = _log(np.where(prep.recovered[k], np.exp(m.log_p), prep.new_of(k)))
        out[m.index] = found
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
        reason = Reason.CANNOT_PRINT_HERE if c.elsewhere else Reason.START_ELSEWHERE
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
    text = advice_text(advice, "en", office_names=planner.office_names, target=planner.target)
    return advice.with_reason(text)


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
    # Members of a cohort in the same situation share their figures: one mean each.
    means: dict[tuple[int, Start | None, int], float] = {}
    for key, c in enumerate(cohorts):
        for m in c.members:
            situation = (key, m.plan.start, m.day)
            p = means.get(situation, -1.0)
            if p < 0:
                p = means[situation] = _mean_exp(chosen[c.group].get(m.index, m.log_p))
            if p >= LATE:
                continue
            lates.append((key, c, m, p))
            assert m.plan.start is not None
            for h in _later_groups(planner, c.group, seats):
                later_pairs.append((m.plan.start, planner.threshold(h, m.plan.start.office)))
    row_of, table = planner.scenario_table(list(dict.fromkeys(later_pairs)))
    urgent: dict[int, list[tuple[_Member, float]]] = {}
    moved: dict[tuple[int, int], list[tuple[_Member, float, float]]] = {}
    for key, c, m, p in lates:
        assert m.plan.start is not None
        best: tuple[float, int] | None = None
        for h in _later_groups(planner, c.group, seats):
            pair = (m.plan.start, planner.threshold(h, m.plan.start.office))
            p_there = float(table[row_of[pair]].mean())
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
