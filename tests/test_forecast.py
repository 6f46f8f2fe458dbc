"""The Monte Carlo forecast: service times, the queue after an outage, correlation, replay."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import numpy as np
import pytest
from gp_builders import (
    await_issue,
    booked,
    finish_days,
    issued_start,
    make_forecaster,
    make_group,
    make_office,
    make_scenario,
    outage,
    paid_member,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from grouppass import ramp
from grouppass.assess import assess
from grouppass.calendar import WorkingCalendar
from grouppass.forecast import (
    FinishDistribution,
    Forecaster,
    QueueMemo,
    Start,
    joint_probability,
)
from grouppass.formats import load_scenario
from grouppass.model import (
    Application,
    Disruption,
    Member,
    Office,
    Scenario,
    Stage,
    Stops,
    ThreePoint,
)
from grouppass.recovery import OPEN_TAIL_CAP_DAYS, as_given_quantile
from grouppass.results import MemberAssessment
from grouppass.service import ServiceTime

D = dt.date

# The running example: Monday 5 March 2018 issuance stops; it resumes Monday 26 March.
X = D(2018, 3, 5)
R = D(2018, 3, 26)


def working_days(office: Office, first: dt.date, last: dt.date) -> int:
    """Working days in [first, last] at ``office``."""
    cal = WorkingCalendar.for_office(office)
    return cal.working_days_between(first - dt.timedelta(days=1), last)


def nth_working_day_from(office: Office, day: dt.date, n: int) -> dt.date:
    """The n-th working day counting ``day`` itself as the first (``day`` must be one)."""
    cal = WorkingCalendar.for_office(office)
    assert cal.is_working_day(day)
    return cal.add_working_days(day, n - 1)


def distribution(fc: Forecaster, start: Start) -> FinishDistribution:
    return fc.distribution([start])[start]


# -- service times in whole days ------------------------------------------------


def test_a_fixed_estimate_is_a_single_point() -> None:
    t = ServiceTime.from_estimate(ThreePoint.fixed(3), tail=0.0)
    assert t.values.tolist() == [3]
    assert t.weights.tolist() == [1.0]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=3, max_size=3).map(sorted),
)
def test_whole_days_keep_every_value_of_an_integer_estimate(points: list[int]) -> None:
    low, mode, high = points
    t = ServiceTime.from_estimate(ThreePoint(low, mode, high), tail=0.0)
    assert math.isclose(t.weights.sum(), 1.0, abs_tol=1e-9)
    assert t.values.min() >= low and t.values.max() <= high
    assert list(t.values) == sorted(set(t.values.tolist())), "values are distinct and ascending"
    # Each whole day k has the triangle's mass in [k - 0.5, k + 0.5): the exact CDF.
    for k in range(low, high + 1):
        x = min(max(k + 0.5, low), high)
        assert t.cdf(k) == pytest.approx(_triangle_cdf(x, low, mode, high), abs=1e-12)


def _triangle_cdf(x: float, a: float, c: float, b: float) -> float:
    if b == a:
        return 1.0 if x >= a else 0.0
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    if x <= c:
        return (x - a) ** 2 / ((b - a) * (c - a))
    return 1 - (b - x) ** 2 / ((b - a) * (b - c))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(min_value=0, max_value=30, allow_nan=False), min_size=3, max_size=3).map(
        sorted
    ),
)
def test_fractional_estimates_round_to_whole_days(points: list[float]) -> None:
    low, mode, high = points
    t = ServiceTime.from_estimate(ThreePoint(low, mode, high), tail=0.0)
    assert math.isclose(t.weights.sum(), 1.0, abs_tol=1e-9)
    assert t.values.min() >= math.floor(low) and t.values.max() <= math.ceil(high)


def test_the_most_weight_is_near_the_mode() -> None:
    t = ServiceTime.from_estimate(ThreePoint(2, 3, 5), tail=0.0)
    assert t.values[int(np.argmax(t.weights))] == 3


def test_a_wide_estimate_keeps_its_upper_tail() -> None:
    """issue_days {3, 4, 12}, deadline 9 working days after payment (by hand).

    P(X < 9.5) for the triangle = 1 - (12 - 9.5)^2 / ((12 - 3)(12 - 4)) = 1 - 6.25/72
    = 0.9132; a 20-member group, independent given no outage, 0.9132^20 = 0.163.
    """
    expected = 1 - 6.25 / 72
    t = ServiceTime.from_estimate(ThreePoint(3, 4, 12), tail=0.0)
    assert t.cdf(9) == pytest.approx(expected, abs=1e-12)
    office = make_office("A", issue=(3, 4, 12), collect=0)
    paid = D(2018, 3, 1)  # Thursday
    deadline = nth_working_day_from(office, D(2018, 3, 2), 9)  # 9 working days after paying
    members = [paid_member(f"m{i:02}", paid=paid) for i in range(20)]
    group = make_group(members, departure=f"{deadline.isoformat()}T23:00:00+07:00")
    report = assess(make_scenario([office], [group]), paid, samples=50).groups[0]
    assert report.members[0].p_on_time == pytest.approx(expected, abs=1e-7)
    assert report.p_on_time == pytest.approx(expected**20, abs=1e-7)


@pytest.mark.parametrize(
    "recorded",
    [None, D(2018, 3, 1)],
    ids=["booked, not recorded", "recorded, not paid"],
)
def test_an_overdue_stage_ends_after_the_tails_excess(recorded: dt.date | None) -> None:
    """Asked for on 1 March with booking fixed at 1 working day, not recorded by the 15th;
    or a walk-in recorded on 1 March and not paid by then (payment is taken to come
    with recording, 0 days, when there are no records). Either stage ends 1, 2, 4 or 8
    working days after as_of (weights 1/2, 1/4, 3/16, 1/16), then the passport is
    issued 3 working days later: P50 the 4th working day after as_of, P90 the 7th."""
    office = make_office("A", booking=1, issue=3, collect=0)
    app = Application(office="A", booked=D(2018, 3, 1), recorded=recorded)
    member = Member(id="m", name="Member m", application=app)
    group = make_group([member], departure="2018-05-15T09:00:00+07:00")
    m = assess(make_scenario([office], [group]), D(2018, 3, 15), samples=50).groups[0].members[0]
    assert m.stage is (Stage.BOOKED if recorded is None else Stage.RECORDED)
    assert m.ready_p50 == nth_working_day_from(office, D(2018, 3, 16), 4)
    assert m.ready_p90 == nth_working_day_from(office, D(2018, 3, 16), 7)


def test_an_appointment_that_fell_while_the_counters_were_closed_is_not_late() -> None:
    """Booked on Friday 2 March for the next open day; counters closed from Monday 5
    March (stops: all) until the known recovery on Wednesday the 14th. As of the 12th
    the appointment is not late: counted in open days it falls on the 14th. Recorded
    then, issued 3 working days later: in hand Monday 19 March, P50 and P90 alike
    (counted in working days it would have been due on the 5th, and be taken as
    overdue: P90 the 21st)."""
    office = make_office("A", booking=1, issue=3, collect=0, capacity=2000)
    closed = outage(offices=["A"], start=X, low=D(2018, 3, 14), stops=Stops.ALL)
    app = Application(office="A", booked=D(2018, 3, 2))
    member = Member(id="m", name="Member m", application=app)
    group = make_group([member], departure="2018-05-15T09:00:00+07:00")
    scenario = make_scenario([office], [group], [closed])
    m = assess(scenario, D(2018, 3, 12), samples=50).groups[0].members[0]
    assert (m.ready_p50, m.ready_p90) == (D(2018, 3, 19), D(2018, 3, 19))


def test_the_tail_past_high_takes_its_share_and_lumps_conservatively() -> None:
    t = ServiceTime.from_estimate(ThreePoint(3, 3, 5), tail=0.05)
    # Within the estimate: 95% of the triangle's mass; past 5 days: the 5% tail.
    assert t.cdf(5) == pytest.approx(0.95)
    assert t.cdf(4) == pytest.approx(0.95 * _triangle_cdf(4.5, 3, 3, 5))
    # Geometric with mean m = 2 past high (P(excess > e) = 0.5^e), on four points: the
    # excess in (0, 1], (1, 2], (2, 4] at the end of its bin, beyond 4 at 8.
    assert t.values.tolist() == [3, 4, 5, 6, 7, 9, 13]
    assert t.cdf(6) == pytest.approx(0.95 + 0.05 * 0.5)
    assert t.cdf(7) == pytest.approx(0.95 + 0.05 * 0.75)
    assert t.cdf(12) == pytest.approx(0.95 + 0.05 * (1 - 0.5**4))
    assert t.cdf(13) == pytest.approx(1.0)


# -- an estimate taken as given --------------------------------------------------------


U = np.linspace(0.0, 0.999999, 2001)


@pytest.mark.parametrize("low, mode, high", [(0, 5, 10), (3, 3, 9), (2, 9, 9), (14, 18, 32)])
def test_closed_recovery_is_monotone_and_within_bounds(
    low: float, mode: float, high: float
) -> None:
    q = as_given_quantile(U, low, mode, high)
    assert (np.diff(q) >= -1e-12).all()
    assert q.min() >= low - 1e-9 and q.max() <= high + 1e-9
    assert q[0] == pytest.approx(low)
    assert as_given_quantile(np.array([1.0]), low, mode, high)[0] == pytest.approx(high)


def test_fixed_recovery_is_the_day_itself() -> None:
    assert (as_given_quantile(U, 7, 7, 7) == 7).all()


@pytest.mark.parametrize("low, mode", [(14, 18), (0, 0), (3, 40)])
def test_open_recovery_is_monotone_with_a_tail_past_the_mode(low: float, mode: float) -> None:
    q = as_given_quantile(U, low, mode, None)
    assert (np.diff(q) >= -1e-12).all()
    assert q.min() >= low - 1e-9
    assert q.max() <= mode + OPEN_TAIL_CAP_DAYS + 1e-9
    # A real share of the probability lies past the mode, some of it well past.
    assert np.mean(q > mode + 1e-9) >= 0.5
    assert q[-1] > mode + 30
    # The median of an open estimate is past its mode (the tail is long).
    assert np.median(q) > mode


# -- no disruption ------------------------------------------------------------


def test_without_disruption_a_paid_application_is_in_hand_three_working_days_later() -> None:
    office = make_office("A", issue=3, collect=0)
    fc = make_forecaster([office], as_of=D(2018, 3, 1))
    assert finish_days(fc, await_issue(fc, "A", D(2018, 3, 1))) == (D(2018, 3, 6),) * 2


def test_without_disruption_over_idul_fitri() -> None:
    office = make_office("A", issue=3, collect=0)
    fc = make_forecaster([office], as_of=D(2018, 6, 7))
    # Thu 7 June: Fri 8, (11-20 June closed) Thu 21, Fri 22.
    assert finish_days(fc, await_issue(fc, "A", D(2018, 6, 7))) == (D(2018, 6, 22),) * 2


def test_collection_days_add_on_after_issuance() -> None:
    office = make_office("A", issue=3, collect=2)
    fc = make_forecaster([office], as_of=D(2018, 3, 1))
    assert finish_days(fc, await_issue(fc, "A", D(2018, 3, 1))) == (D(2018, 3, 8),) * 2


def test_a_new_application_books_records_and_issues_in_turn() -> None:
    office = make_office("A", booking=2, issue=3, collect=1)
    fc = make_forecaster([office], as_of=D(2018, 3, 1))
    # Asked Thu 1 Mar: recorded Mon 5 (2 working days), issued Thu 8, in hand Fri 9.
    assert finish_days(fc, booked(fc, "A", D(2018, 3, 1))) == (D(2018, 3, 9),) * 2


def test_uncertain_service_time_spreads_p50_and_p90() -> None:
    office = make_office("A", issue=(2, 3, 8), collect=0)
    fc = make_forecaster([office], as_of=D(2018, 3, 1))
    p50, p90 = finish_days(fc, await_issue(fc, "A", D(2018, 3, 1)))
    assert D(2018, 3, 5) <= p50 < p90 <= D(2018, 3, 13)


# -- the queue after an outage ------------------------------------------------


def queue_forecast(
    *,
    capacity: float = 100,
    intake: float = 90,
    capacity_factor: float = 0.0,
    stops: Stops = Stops.ISSUANCE,
    as_of: dt.date = R - dt.timedelta(days=3),
) -> tuple[Office, Forecaster]:
    office = make_office("A", capacity=capacity, intake=intake, issue=3, collect=0)
    disruption = outage(offices=["A"], start=X, low=R, stops=stops, capacity_factor=capacity_factor)
    return office, make_forecaster([office], [disruption], as_of=as_of)


def in_hand(fc: Forecaster, paid: dt.date) -> dt.date:
    p50, p90 = finish_days(fc, await_issue(fc, "A", paid))
    assert p50 == p90, "a known recovery and fixed service times leave no uncertainty"
    return p50


def first_unprinted(office: Office) -> dt.date:
    """The first payment day whose usual issue day (3 working days on) is in the outage."""
    cal = WorkingCalendar.for_office(office)
    day = X
    while cal.add_working_days(day - dt.timedelta(days=1), 3) >= X:
        day -= dt.timedelta(days=1)
    return cal.add_working_days(day, 0)


def ahead_of(office: Office, paid: dt.date, intake: float) -> float:
    """Applications paid up to and including ``paid`` that were not printed before X."""
    return intake * working_days(office, first_unprinted(office), paid)


def test_first_unprinted_payment_day() -> None:
    # Paid Tue 27 Feb: issued Fri 2 March, before the stop. Paid Wed 28: due Mon 5, the stop.
    assert first_unprinted(make_office("A")) == D(2018, 2, 28)


def test_members_paid_before_the_outage_are_printed_first_after_recovery() -> None:
    office, fc = queue_forecast()
    before = [in_hand(fc, d) for d in (D(2018, 2, 28), D(2018, 3, 1), D(2018, 3, 2))]
    # Applications still in service when printing stopped: 90 a day, 100 printed a day.
    assert before == [
        nth_working_day_from(office, R, math.ceil(ahead_of(office, d, 90) / 100))
        for d in (D(2018, 2, 28), D(2018, 3, 1), D(2018, 3, 2))
    ]
    assert before[0] == R
    assert before == sorted(before)
    during = [in_hand(fc, d) for d in (X, D(2018, 3, 6), D(2018, 3, 22))]
    assert max(before) <= min(during)
    # Paid Tue 27 Feb, printed Fri 2 March: an announced stop from the 5th does not touch it.
    announced = outage(offices=["A"], start=X, low=R, reported=D(2018, 2, 26))
    early = make_forecaster([office], [announced], as_of=D(2018, 2, 27))
    assert in_hand(early, D(2018, 2, 27)) == D(2018, 3, 2)
    assert in_hand(early, D(2018, 2, 28)) == R


def test_a_late_payer_in_the_outage_waits_for_the_backlog_ahead() -> None:
    office, fc = queue_forecast(capacity=100, intake=90)
    paid = D(2018, 3, 22)
    # Everyone paid from 28 Feb (unprinted at the stop) up to and including that
    # day is ahead or level; the office prints 100 a day from the recovery.
    ahead = ahead_of(office, paid, 90)
    assert ahead == 90 * (3 + 14)
    expected = nth_working_day_from(office, R, math.ceil(ahead / 100))
    assert expected == D(2018, 4, 17)
    assert in_hand(fc, paid) == expected


def test_fifo_early_payers_in_the_outage_come_before_late_ones() -> None:
    _, fc = queue_forecast()
    days = [D(2018, 3, d) for d in (6, 9, 12, 15, 19, 22)]
    finished = [in_hand(fc, d) for d in days]
    assert finished == sorted(finished)
    assert finished[0] < finished[-1]
    assert all(f >= R for f in finished)


@pytest.mark.parametrize("intake, capacity", [(45, 100), (90, 100), (90, 200), (150, 200)])
def test_the_backlog_drains_at_capacity(intake: float, capacity: float) -> None:
    office, fc = queue_forecast(capacity=capacity, intake=intake)
    for paid in (X, D(2018, 3, 12), D(2018, 3, 22)):
        ahead = ahead_of(office, paid, intake)
        assert in_hand(fc, paid) == nth_working_day_from(office, R, math.ceil(ahead / capacity))


def test_delay_grows_with_intake_and_shrinks_with_capacity() -> None:
    paid = D(2018, 3, 16)
    by_intake = [in_hand(queue_forecast(capacity=100, intake=i)[1], paid) for i in (30, 60, 90)]
    assert by_intake[0] < by_intake[1] < by_intake[2]
    by_capacity = [in_hand(queue_forecast(capacity=c, intake=90)[1], paid) for c in (100, 200, 400)]
    assert by_capacity[0] > by_capacity[1] > by_capacity[2]


def test_applications_in_service_at_the_outage_queue_for_printing_too() -> None:
    """Applications paid just before the stop are unprinted when it starts; they queue too.

    With a 3-day service time, those paid Wed 28 Feb, Thu 1 and Fri 2 March
    (90 a day) are still unprinted on Monday 5 March when printing stops. A
    member paid on the 5th comes after these 270 (FIFO by payment), and at
    100 a day the office cannot print 270 + 1 on the first day back: not before
    the third working day after recovery.
    """
    office, fc = queue_forecast(capacity=100, intake=90, as_of=X)
    unprinted_before = 90 * 3
    assert in_hand(fc, X) >= nth_working_day_from(
        office, R, math.ceil((unprinted_before + 1) / 100)
    )


def test_a_slow_down_delays_when_intake_exceeds_the_reduced_capacity() -> None:
    paid = D(2018, 3, 22)
    undisturbed = make_forecaster([make_office("A")], as_of=D(2018, 3, 23))
    normal = in_hand(undisturbed, paid)
    assert normal == D(2018, 3, 27)
    # 0.95 x 100 = 95 a day still exceeds the intake of 90: no backlog, no delay.
    _, mild = queue_forecast(capacity_factor=0.95)
    assert in_hand(mild, paid) == normal
    # 0.4 x 100 = 40 a day printed against 90 due: a backlog builds, and what is
    # left of it (and of the member's own day) drains at 100 a day from recovery.
    office, slow = queue_forecast(capacity_factor=0.4)
    printed_in_slow_down = 40 * working_days(office, X, R - dt.timedelta(days=1))
    left = ahead_of(office, paid, 90) - printed_in_slow_down
    assert in_hand(slow, paid) == nth_working_day_from(office, R, math.ceil(left / 100))
    assert in_hand(slow, paid) > normal
    # A full stop is worse still.
    _, stop = queue_forecast(capacity_factor=0.0)
    assert in_hand(stop, paid) > in_hand(slow, paid)


def test_stops_all_also_blocks_recording_but_issuance_does_not() -> None:
    # Booked on the day the outage starts, with an idle office (no queue to speak of).
    def finish(stops: Stops) -> dt.date:
        office = make_office("A", capacity=1000, intake=10, booking=1, issue=3, collect=0)
        fc = make_forecaster(
            [office], [outage(offices=["A"], start=X, low=R, stops=stops)], as_of=X
        )
        p50, p90 = finish_days(fc, booked(fc, "A", X))
        assert p50 == p90
        return p50

    # Issuance only: recorded Tue 6 March, ready Fri 9, printed the day printing resumes.
    assert finish(Stops.ISSUANCE) == R
    # Everything closed: recorded on the first day back, then three working days.
    assert finish(Stops.ALL) == D(2018, 3, 29)


def test_stops_all_also_blocks_collection() -> None:
    office = make_office("A", collect=1)
    as_of = D(2018, 3, 6)
    closed = make_forecaster(
        [office], [outage(offices=["A"], start=X, low=R, stops=Stops.ALL)], as_of=as_of
    )
    start = _issued_start(closed, D(2018, 3, 2))
    # Issued Friday 2 March; the counters are shut from the 5th: handed over when they reopen.
    assert closed.grid.date(distribution(closed, start).quantile_day(0.5)) == R
    printing_only = make_forecaster([office], [outage(offices=["A"], start=X, low=R)], as_of=as_of)
    start = _issued_start(printing_only, D(2018, 3, 2))
    # Only printing stopped: collection goes on (the first day after as_of).
    assert printing_only.grid.date(distribution(printing_only, start).quantile_day(0.5)) == D(
        2018, 3, 7
    )


def _issued_start(fc: Forecaster, day: dt.date) -> Start:
    return issued_start(fc, "A", day)


def test_a_system_outage_hits_every_office_on_the_system() -> None:
    a = make_office("A", systems=["SYS"], capacity=2000)
    b = make_office("B", systems=["SYS"], capacity=2000)
    c = make_office("C", systems=["OTHER"], capacity=2000)
    fc = make_forecaster([a, b, c], [outage(systems=["SYS"], start=X, low=R)], as_of=D(2018, 3, 6))
    paid = D(2018, 3, 1)
    assert finish_days(fc, await_issue(fc, "A", paid))[0] == R
    assert finish_days(fc, await_issue(fc, "B", paid))[0] == R
    assert finish_days(fc, await_issue(fc, "C", paid))[0] == D(2018, 3, 7)
    assert [d.id for d in fc.disrupted("A")] == ["outage"]
    assert fc.disrupted("C") == []


# -- seeds --------------------------------------------------------------------


def two_office_scenario(**group: Any) -> Scenario:
    """Members at offices A and B, each office with its own uncertain outage."""
    offices = [make_office(code, issue=(2, 3, 5), collect=(0, 1, 2)) for code in ("A", "B")]
    disruptions = [
        outage(
            id=f"out-{code}",
            offices=[code],
            start=X,
            low=D(2018, 3, 19),
            mode=D(2018, 3, 23),
            high=high,
        )
        for code, high in (("A", D(2018, 4, 13)), ("B", None))
    ]
    members = [paid_member(f"{c}{i}", c, paid=D(2018, 3, 1)) for c in "AB" for i in range(4)]
    group.setdefault("departure", "2018-04-03T09:00:00+07:00")
    return make_scenario(offices, [make_group(members, **group)], disruptions)


class Numbers(NamedTuple):
    """What one seed gives: the group's, its first and last members' figures."""

    group: float
    first: float
    last: float
    first_p50: dt.date | None
    first_p90: dt.date | None
    last_p90: dt.date | None


def numbers(seed: int) -> Numbers:
    report = assess(two_office_scenario(), D(2018, 3, 15), seed=seed, samples=500)
    g = report.groups[0]
    a, b = g.members[0], g.members[-1]
    return Numbers(g.p_on_time, a.p_on_time, b.p_on_time, a.ready_p50, a.ready_p90, b.ready_p90)


def test_same_seed_same_numbers() -> None:
    assert numbers(7) == numbers(7)
    assert numbers(0) == numbers(0)


def test_different_seeds_give_different_but_close_numbers() -> None:
    results = [numbers(seed) for seed in range(4)]
    groups = [r.group for r in results]
    assert len(set(groups)) > 1, "the seed should change the sampled recoveries"
    assert max(groups) - min(groups) < 0.08
    for members in ([r.first for r in results], [r.last for r in results]):
        assert max(members) - min(members) < 0.08
        assert all(0.0 < p < 1.0 for p in members)


# -- correlated group risk ----------------------------------------------------


def test_fifteen_members_at_one_office_share_one_outage() -> None:
    office = make_office("A", issue=(2, 3, 5), collect=(0, 1, 2))
    members = [paid_member(f"m{i:02}", paid=D(2018, 3, 1)) for i in range(15)]
    group = make_group(members, departure="2018-04-03T09:00:00+07:00")
    disruption = outage(
        offices=["A"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 23), high=D(2018, 4, 13)
    )
    report = assess(make_scenario([office], [group], [disruption]), D(2018, 3, 15), samples=800)
    g = report.groups[0]
    ps = {m.p_on_time for m in g.members}
    assert len(ps) == 1, "identical members have identical forecasts"
    p = ps.pop()
    assert 0.55 < p < 0.85
    # The outage is shared: the group's chance is near one member's, not p ** 15.
    assert g.p_on_time <= p + 1e-9
    assert g.p_on_time > 0.5
    assert g.p_on_time > 0.75 * p
    assert g.p_on_time > 10 * p**15


def test_identical_members_with_fixed_service_times_are_one_risk() -> None:
    # Nothing but the shared recovery is uncertain: the group is exactly one member.
    office = make_office("A", issue=3, collect=0)
    members = [paid_member(f"m{i:02}", paid=D(2018, 3, 1)) for i in range(15)]
    group = make_group(members, departure="2018-04-02T09:00:00+07:00")
    disruption = outage(
        offices=["A"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 23), high=D(2018, 4, 13)
    )
    g = assess(make_scenario([office], [group], [disruption]), D(2018, 3, 15), samples=500)
    p = g.groups[0].members[0].p_on_time
    assert 0.3 < p < 0.95
    assert g.groups[0].p_on_time == pytest.approx(p)


def office_of(member: Member) -> str:
    assert member.application is not None, f"{member.id} has not applied"
    return member.application.office


def test_two_offices_with_independent_outages_multiply() -> None:
    both = two_office_scenario()
    p_both = assess(both, D(2018, 3, 15), samples=1000).groups[0].p_on_time
    # The same members, one office at a time: each office's P(all on time).
    alone = {}
    for code in "AB":
        members = [m for m in both.groups[0].members if office_of(m) == code]
        group = attrs.evolve(both.groups[0], members=members)
        scenario = attrs.evolve(both, groups=[group])
        alone[code] = assess(scenario, D(2018, 3, 15), samples=1000).groups[0].p_on_time
    assert 0.2 < alone["A"] < 0.95 and 0.2 < alone["B"] < 0.95
    assert p_both == pytest.approx(alone["A"] * alone["B"], abs=0.06)
    assert p_both < min(alone.values()) - 0.05


def test_joint_probability_is_the_mean_of_products() -> None:
    a = np.array([1.0, 0.0, 1.0, 0.0])
    b = np.array([1.0, 1.0, 0.0, 0.0])
    assert joint_probability([a, a]) == pytest.approx(0.5)
    assert joint_probability([a, b]) == pytest.approx(0.25)
    assert joint_probability([a, np.array([0.5])]) == pytest.approx(0.25)
    assert joint_probability([]) == pytest.approx(1.0)


# -- replay -------------------------------------------------------------------


def one_member_report(
    member: Member, as_of: dt.date, disruptions: tuple[Disruption, ...] = (), **office: Any
) -> MemberAssessment:
    # Printing catches up within a day after an outage: dates are the recovery's.
    office.setdefault("capacity", 2000)
    o = make_office("A", **office)
    group = make_group([member], departure="2018-05-15T09:00:00+07:00")
    scenario = make_scenario([o], [group], disruptions)
    return assess(scenario, as_of, samples=300).groups[0].members[0]


def test_stage_dates_after_as_of_are_unknown() -> None:
    member = paid_member("m", paid=D(2018, 3, 1), issued=D(2018, 3, 20), collected=D(2018, 3, 21))
    later = one_member_report(member, D(2018, 3, 21))
    assert later.stage is Stage.COLLECTED
    at_issue = one_member_report(member, D(2018, 3, 20), collect=1)
    assert at_issue.stage is Stage.ISSUED
    assert at_issue.ready_p50 == D(2018, 3, 21)
    earlier = one_member_report(member, D(2018, 3, 2))
    assert earlier.stage is Stage.RECORDED_AND_PAID
    # As of Friday 2 March, it is forecast like any paid application: Tue 6 March.
    assert earlier.ready_p50 == D(2018, 3, 6)
    before = one_member_report(member, D(2018, 2, 27))
    assert before.stage is Stage.NOT_STARTED


def test_application_known_at_drops_later_facts() -> None:
    app = Application(
        office="A", booked=D(2018, 2, 26), recorded=D(2018, 2, 27), paid=D(2018, 3, 1)
    )
    assert app.known_at(D(2018, 3, 1)) == app
    assert app.known_at(D(2018, 2, 28)).paid is None
    assert app.known_at(D(2018, 2, 28)).stage is Stage.RECORDED
    assert app.known_at(D(2018, 2, 25)).stage is Stage.NOT_STARTED


def test_a_disruption_reported_after_as_of_has_no_effect() -> None:
    member = paid_member("m", paid=D(2018, 3, 1))
    quiet = outage(offices=["A"], start=X, low=R, reported=D(2018, 3, 15))
    unknown = one_member_report(member, D(2018, 3, 9), (quiet,))
    without = one_member_report(member, D(2018, 3, 9))
    assert unknown == without
    # Once reported, it counts.
    known = one_member_report(member, D(2018, 3, 15), (quiet,))
    assert known.ready_p50 == R


def test_a_disruption_without_report_date_is_known_from_its_start() -> None:
    member = paid_member("m", paid=D(2018, 3, 1))
    d = outage(offices=["A"], start=X, low=R)
    # Before it starts nobody knows of it: paid Thursday, in hand Tuesday.
    assert one_member_report(member, D(2018, 3, 2), (d,)).ready_p50 == D(2018, 3, 6)
    assert one_member_report(member, X, (d,)).ready_p50 == R
    # Announced in advance (planned maintenance): known from the announcement.
    announced = outage(offices=["A"], start=X, low=R, reported=D(2018, 3, 1))
    assert one_member_report(member, D(2018, 3, 2), (announced,)).ready_p50 == R


def test_an_ended_disruption_uses_its_end_date() -> None:
    member = paid_member("m", paid=D(2018, 3, 1))

    def uncertain(ended: dt.date | None = None) -> Disruption:
        return outage(
            offices=["A"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 23), high=None, ended=ended
        )

    m = one_member_report(member, D(2018, 3, 15), (uncertain(ended=D(2018, 3, 14)),))
    # Printing resumed on the 14th; as of the 15th it is not yet printed: the next working
    # day. The member waited behind the outage's backlog, so the wait is the queue's,
    # not their own slowness: no tail's excess (that would put P90 on the 21st).
    assert (m.ready_p50, m.ready_p90, m.p_on_time) == (D(2018, 3, 16), D(2018, 3, 16), 1.0)
    # Not yet known to have ended: the recovery is uncertain and no earlier than its low.
    still = one_member_report(member, D(2018, 3, 15), (uncertain(),))
    assert still.ready_p50 is not None and still.ready_p50 >= D(2018, 3, 19)
    # An end date after as_of is a fact from the future: ignored.
    future = uncertain(ended=D(2018, 3, 20))
    assert one_member_report(member, D(2018, 3, 15), (future,)) == still


def test_an_outage_past_its_mode_is_conditioned_to_recover_after_as_of() -> None:
    member = paid_member("m", paid=D(2018, 3, 1))
    as_of = D(2018, 3, 28)  # the mode (23 March) has passed, printing has not resumed
    for high in (D(2018, 4, 6), None):
        d = outage(offices=["A"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 23), high=high)
        fc = make_forecaster([make_office("A", capacity=2000)], [d], as_of=as_of)
        recoveries = fc.recovery_days("outage")
        assert min(fc.grid.date(r) for r in recoveries) > as_of
        dist = distribution(fc, await_issue(fc, "A", D(2018, 3, 1)))
        assert fc.grid.date(dist.first_day) > as_of
        if high is not None:
            assert max(fc.grid.date(r) for r in recoveries) <= high
            assert fc.grid.date(dist.quantile_day(1.0)) <= high
        m = one_member_report(member, as_of, (d,))
        assert m.ready_p50 is not None and m.ready_p50 > as_of


@pytest.mark.parametrize("as_of, high", [(D(2018, 3, 21), D(2018, 4, 6)), (D(2018, 3, 28), None)])
def test_conditioning_on_no_recovery_yet_keeps_the_next_day_possible(
    as_of: dt.date, high: dt.date | None
) -> None:
    """P(recovery day | not recovered by as_of) is the prior renormalised over later days.

    Knowing at the end of ``as_of`` that service has not resumed rules out
    recovery days up to ``as_of``, and nothing more: the day after ``as_of`` keeps
    its share of the prior.
    """
    d = outage(offices=["A"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 23), high=high)
    n = 4000
    prior = make_forecaster([make_office("A")], [d], as_of=X, samples=n)
    days = np.array([prior.grid.date(r) for r in prior.recovery_days("outage")])
    later = days > as_of
    nxt = as_of + dt.timedelta(days=1)
    expected = float(np.mean(days[later] == nxt))
    assert expected > 0.05
    posterior = make_forecaster([make_office("A")], [d], as_of=as_of, samples=n)
    days = np.array([posterior.grid.date(r) for r in posterior.recovery_days("outage")])
    assert (days > as_of).all()
    assert float(np.mean(days == nxt)) == pytest.approx(expected, abs=0.03)


def test_recovery_can_fall_on_its_low_date() -> None:
    """``low`` is the earliest day service may resume, so it must be possible."""
    low = D(2018, 3, 19)
    d = outage(offices=["A"], start=X, low=low, mode=D(2018, 3, 23), high=D(2018, 4, 6))
    fc = make_forecaster([make_office("A")], [d], as_of=D(2018, 3, 15), samples=2000)
    days = [fc.grid.date(r) for r in fc.recovery_days("outage")]
    assert min(days) == low
    assert max(days) <= D(2018, 4, 6)


def test_an_outage_overdue_past_its_high_stays_open() -> None:
    d = outage(offices=["A"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 23), high=D(2018, 4, 6))
    as_of = D(2018, 4, 16)
    office = make_office("A")
    fc = make_forecaster([office], [d], as_of=as_of)
    dist = distribution(fc, await_issue(fc, "A", D(2018, 3, 1)))
    assert fc.grid.date(dist.first_day) > as_of
    # Still broken after its latest estimate: recovery is uncertain, not tomorrow for sure.
    assert fc.grid.date(dist.quantile_day(0.9)) > fc.grid.date(dist.quantile_day(0.1))


def test_kaplan_meier_by_hand() -> None:
    """Finished times 4 (x16), 5 (x3), 6 (x2), 7; still waiting after 0 (x42), 1 (x3), 5, 6, 14.

    Those waiting less than 4 days were never at risk of a time seen; at risk at 4
    days: 22 + 3 = 25, so P(4) = 16/25; then 9 at risk, 3 finish at 5: P(5) =
    0.36 x 3/9 = 0.12; one leaves after 5, 5 at risk, 2 finish at 6: P(6) = 0.24 x
    2/5 = 0.096; one leaves after 6, 2 at risk, 1 finishes at 7: P(7) = 0.072; the
    last 0.072 waits past 14 days, beyond anything seen: past the data, in the
    prior's shape.
    """
    from grouppass.service import kaplan_meier

    done = np.array([4] * 16 + [5] * 3 + [6] * 2 + [7], dtype=np.int32)
    waiting = np.array([0] * 42 + [1] * 3 + [5, 6, 14], dtype=np.int32)
    prior = ServiceTime.from_estimate(ThreePoint(3, 4, 5))
    first, pmf = kaplan_meier(done, waiting, prior)
    assert first == 4
    assert pmf[:4].tolist() == pytest.approx([0.64, 0.12, 0.096, 0.072])
    assert pmf[4:11].sum() == pytest.approx(0.0)
    assert pmf[11:].sum() == pytest.approx(0.072)


class TestQueueMemo:
    """Kept queues change the time an assessment takes, never its figures."""

    def test_the_same_figures_and_the_queues_kept(self) -> None:
        path = Path(__file__).resolve().parents[1] / "examples" / "mataram-2018.json"
        scenario = load_scenario(path)
        day = dt.date(2018, 3, 15)
        plain = assess(scenario, day, samples=200)
        memo = QueueMemo()
        first = assess(scenario, day, samples=200, memo=memo)
        kept = len(memo)
        assert kept == len(scenario.offices)
        again = assess(scenario, day, samples=200, memo=memo)
        assert plain == first == again and len(memo) == kept
        # Another recovery estimate is another world: new queues, other figures.
        (d,) = scenario.disruptions
        later = attrs.evolve(scenario, disruptions=(attrs.evolve(d, ended=dt.date(2018, 3, 14)),))
        moved = assess(later, day, samples=200, memo=memo)
        # Mataram's outage ended yesterday: its queue is kept twice, as the records
        # were sorted with (no ramp) and with the ramp learned from them.
        assert len(memo) == 2 * kept + 1
        assert moved.groups[0].p_on_time > plain.groups[0].p_on_time
        assert moved == assess(later, day, samples=200)

    def test_a_group_alone_as_in_agency_gets_the_whole_agency_figures(self) -> None:
        """The TUI shows the whole agency's pass in its list and a group's own
        reassessment after a save: the two must agree, and share the kept queues."""
        path = Path(__file__).resolve().parents[1] / "examples" / "mataram-2018.json"
        base = load_scenario(path)
        day = dt.date(2018, 3, 15)
        (group,) = base.groups
        later = attrs.evolve(
            group, id="later", name="Later", departure=group.departure + dt.timedelta(days=60)
        )
        scenario = attrs.evolve(base, groups=(group, later))
        whole = assess(scenario, day, samples=200)
        memo = QueueMemo()
        alone = assess(scenario, day, samples=200, groups=[group.id], as_in_agency=True, memo=memo)
        assert alone.groups[0] == whole.groups[0]
        # The default looks only as far as the chosen group's deadline: fewer outages
        # nobody has announced yet can come before it, so other figures.
        short = assess(scenario, day, samples=200, groups=[group.id])
        assert short.groups[0].p_on_time != whole.groups[0].p_on_time
        # The whole agency's pass after the group's: every queue is the one kept.
        kept = len(memo)
        again = assess(scenario, day, samples=200, as_in_agency=True, memo=memo)
        assert again == whole and len(memo) == kept

    @pytest.mark.parametrize(
        ("as_in_agency", "ended"), [(False, False), (True, False), (True, True)]
    )
    def test_recorded_stages_give_the_figures_of_a_fresh_assessment(
        self, as_in_agency: bool, ended: bool
    ) -> None:
        """What the memo keeps of the whole agency (applications per office, learned
        stage times, the world's draws, the ramp's hypotheses) after stages are
        recorded, as the TUI does: one group reassessed after each save, with the
        memo, equals an assessment without."""
        path = Path(__file__).resolve().parents[1] / "examples" / "mataram-2018.json"
        base = load_scenario(path)
        day = dt.date(2018, 3, 15)
        (group,) = base.groups
        other = attrs.evolve(group, id="other", name="Other")
        scenario = attrs.evolve(base, groups=(group, other))
        if ended:
            # Ended three days ago: Mataram's ramp is learned from its records, so the
            # queue is kept by the ramp each scenario draws from what they say.
            (d,) = base.disruptions
            scenario = attrs.evolve(
                scenario, disruptions=(attrs.evolve(d, ended=dt.date(2018, 3, 12)),)
            )

        steps: list[tuple[str, str, dict[str, Any]]] = [
            # An issue time learned at MTR (and the agency's tails with it).
            (group.id, "nashif", {"issued": day}),
            # A collection time, in the other group (not the one reassessed).
            ("other", "nurhayati", {"collected": day}),
            # Waiting for payment, then a booking time.
            (group.id, "rukiah", {"paid": day}),
            (group.id, "zainal", {"recorded": day}),
            # A first application, at the other office.
            (group.id, "fauzi", {"office": "LTM", "booked": day}),
            # A record older than any: the records' span, so the background rate.
            ("other", "sahnun", {"office": "LTM", "booked": dt.date(2016, 3, 1)}),
        ]
        memo = QueueMemo()
        now = scenario
        ids, agency = [group.id], as_in_agency
        kept = assess(now, day, samples=200, groups=ids, memo=memo, as_in_agency=agency)
        assert kept == assess(now, day, samples=200, groups=ids, as_in_agency=agency)
        changed_times = 0
        for gid, mid, stages in steps:
            now = _record(now, gid, mid, stages)
            cached = assess(now, day, samples=200, groups=ids, memo=memo, as_in_agency=agency)
            fresh = assess(now, day, samples=200, groups=ids, as_in_agency=agency)
            assert cached == fresh, (mid, stages)
            changed_times += cached.offices != kept.offices
            kept = cached
        # Most steps changed what the offices' records teach (not only one member's start).
        assert changed_times >= 4
        # The older span is another world: each office's queue twice.
        plain = len(scenario.offices) * 2
        if not ended:
            assert len(memo) == plain
        else:
            # And Mataram's learned queue, once per draw of its ramp the records led
            # to: a save moves the posterior a little, and seldom a scenario's ramp.
            # One per assessment would be 1 + len(steps).
            assert 2 <= len(memo) - plain < 1 + len(steps)

    def test_a_save_elsewhere_leaves_the_ramp_posterior_as_it_was(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The ramp after Mataram's recorded end is weighed from Mataram's own records
        (a queue per hypothesis, run over each record): a booking at Lombok Timur leaves
        that evidence as it was, so the kept posterior serves; a passport printed at
        Mataram is new evidence, so it is weighed again. Either way the figures are a
        fresh assessment's."""
        path = Path(__file__).resolve().parents[1] / "examples" / "mataram-2018.json"
        base = load_scenario(path)
        day = dt.date(2018, 3, 15)
        (d,) = base.disruptions
        scenario = attrs.evolve(base, disruptions=(attrs.evolve(d, ended=dt.date(2018, 3, 12)),))
        (group,) = scenario.groups
        calls: list[int] = []
        weigh = ramp.posterior

        def counted(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            return weigh(*args, **kwargs)

        monkeypatch.setattr(ramp, "posterior", counted)
        memo = QueueMemo()
        ids = [group.id]
        assess(scenario, day, samples=200, groups=ids, memo=memo, as_in_agency=True)
        assert len(calls) == 1  # Mataram's ramp: the only ended outage

        elsewhere = _record(scenario, group.id, "fauzi", {"office": "LTM", "booked": day})
        calls.clear()
        cached = assess(elsewhere, day, samples=200, groups=ids, memo=memo, as_in_agency=True)
        assert calls == []
        assert cached == assess(elsewhere, day, samples=200, groups=ids, as_in_agency=True)

        printed = _record(elsewhere, group.id, "nashif", {"issued": day})
        calls.clear()
        cached = assess(printed, day, samples=200, groups=ids, memo=memo, as_in_agency=True)
        assert len(calls) == 1
        assert cached == assess(printed, day, samples=200, groups=ids, as_in_agency=True)

    def test_bounded_oldest_out(self) -> None:
        memo = QueueMemo(size=2)
        a, b, c = (object() for _ in range(3))
        memo.put("a", a)  # type: ignore[arg-type]
        memo.put("b", b)  # type: ignore[arg-type]
        assert memo.get("a") is a  # a is now the most recent
        memo.put("c", c)  # type: ignore[arg-type]
        assert memo.get("b") is None and memo.get("a") is a and memo.get("c") is c


def _record(s: Scenario, gid: str, mid: str, stages: dict[str, Any]) -> Scenario:
    """``s`` with member ``mid`` of group ``gid`` given ``stages`` (as a save in the TUI)."""
    g = s.group(gid)
    m = g.member(mid)
    app = m.application
    new = attrs.evolve(app, **stages) if app is not None else Application(**stages)
    members = tuple(attrs.evolve(m, application=new) if x.id == mid else x for x in g.members)
    groups = tuple(attrs.evolve(g, members=members) if x.id == gid else x for x in s.groups)
    return attrs.evolve(s, groups=groups)
