"""Stay, switch now, or switch by a date: per office, against the group's deadline."""

from __future__ import annotations

import datetime as dt

import numpy as np
from gp_builders import (
    make_forecaster,
    make_group,
    make_office,
    make_scenario,
    outage,
    paid_member,
)

from grouppass.assess import assess
from grouppass.model import Disruption, Member, Office, Stops, System
from grouppass.results import Action, Advice, GroupAssessment

D = dt.date
AS_OF = D(2018, 3, 15)
X = D(2018, 3, 5)
PAID = D(2018, 3, 1)
SYSTEM = System("SIMKIM", "Sistem Informasi Manajemen Keimigrasian")


def offices(*, shared: bool = False) -> list[Office]:
    systems = ["SIMKIM"] if shared else []
    return [
        make_office("A", name="Kanim Mataram", systems=systems, alternatives={"B": 1}),
        make_office(
            "B",
            name="ULP Lombok Timur",
            systems=systems,
            booking=(1, 2, 4),
            issue=(2, 3, 5),
            collect=(0, 1, 2),
            alternatives={"A": 1},
        ),
    ]


def local_outage(**kw: object) -> Disruption:
    """Printing at A stops from 5 March; maybe back on the 26th, nobody is sure."""
    args: dict[str, object] = dict(
        offices=["A"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 26), high=None
    )
    args.update(kw)
    return outage(**args)  # type: ignore[arg-type]


def paid_at_a(n: int = 5, paid: dt.date = PAID) -> list[Member]:
    return [paid_member(f"m{i}", paid=paid) for i in range(n)]


def check(
    members: list[Member],
    disruptions: list[Disruption],
    *,
    departure: str,
    shared: bool = False,
    as_of: dt.date = AS_OF,
) -> GroupAssessment:
    group = make_group(members, departure=departure)
    scenario = make_scenario(offices(shared=shared), [group], disruptions, systems=[SYSTEM])
    return assess(scenario, as_of, samples=500).groups[0]


def only(g: GroupAssessment) -> Advice:
    assert len(g.advice) == 1, g.advice
    return g.advice[0]


# -- a local outage with an undisrupted alternative ---------------------------


def p_switch_on(day: dt.date, deadline: dt.date, n: int, *, as_of: dt.date = AS_OF) -> float:
    """P(all n members in hand by the deadline) for a new application at B asked on ``day``.

    Computed here from the forecaster, independently of the advice code: B is
    not disrupted, so its numbers do not depend on outage draws.
    """
    fc = make_forecaster(offices(), [local_outage()], as_of=as_of, samples=200)
    travel = 1
    start = fc.new_application("B", day + dt.timedelta(days=travel))
    day_index = fc.grid.index(deadline)
    q = fc.in_scenarios(start, fc.on_time([(start, day_index)])[(start, day_index)])
    return float(np.mean(q**n))


def test_local_outage_advises_switching_by_the_last_good_day() -> None:
    g = check(paid_at_a(5), [local_outage()], departure="2018-04-06T09:00:00+07:00")
    a = only(g)
    assert a.office == "A"
    assert a.members == tuple(f"m{i}" for i in range(5))
    assert a.action in (Action.SWITCH_BY, Action.SWITCH_NOW)
    assert a.to_office == "B"
    assert a.p_stay < 0.9
    assert a.p_stay == g.p_on_time
    assert a.switch_by is not None
    assert AS_OF <= a.switch_by <= g.deadline
    # Switching on switch_by still reaches the target; a day later it does not.
    assert p_switch_on(a.switch_by, g.deadline, 5) >= 0.9
    assert p_switch_on(a.switch_by + dt.timedelta(days=1), g.deadline, 5) < 0.9
    assert a.p_switch_now is not None
    assert a.p_switch_now == p_switch_on(AS_OF, g.deadline, 5)
    assert a.p_switch_now >= 0.9
    assert "ULP Lombok Timur" in a.reason


def test_switch_by_is_later_than_today_when_there_is_time_to_wait() -> None:
    g = check(paid_at_a(5), [local_outage()], departure="2018-04-06T09:00:00+07:00")
    a = only(g)
    assert a.action is Action.SWITCH_BY
    assert a.switch_by is not None and a.switch_by > AS_OF
    assert a.switch_by.isoformat() in a.reason


def test_switch_by_agrees_with_a_later_replay() -> None:
    # Re-run the assessment as of switch_by + 1: switching then is below the target.
    g = check(paid_at_a(5), [local_outage()], departure="2018-04-06T09:00:00+07:00")
    a = only(g)
    assert a.switch_by is not None
    later = check(
        paid_at_a(5),
        [local_outage()],
        departure="2018-04-06T09:00:00+07:00",
        as_of=a.switch_by + dt.timedelta(days=1),
    )
    b = only(later)
    assert b.p_switch_now is not None and b.p_switch_now < 0.9
    at = check(
        paid_at_a(5), [local_outage()], departure="2018-04-06T09:00:00+07:00", as_of=a.switch_by
    )
    c = only(at)
    assert c.p_switch_now is not None and c.p_switch_now >= 0.9


def test_switch_now_when_waiting_a_day_would_miss_the_target() -> None:
    as_of = D(2018, 3, 13)  # a Tuesday: asking tomorrow instead of today costs a day
    # The tightest deadline for which switching today still reaches 90%.
    deadline = next(
        as_of + dt.timedelta(days=k)
        for k in range(1, 40)
        if p_switch_on(as_of, as_of + dt.timedelta(days=k), 3, as_of=as_of) >= 0.9
    )
    assert p_switch_on(as_of + dt.timedelta(days=1), deadline, 3, as_of=as_of) < 0.9
    g = check(
        paid_at_a(3),
        [local_outage()],
        departure=f"{deadline.isoformat()}T09:00:00+07:00",
        as_of=as_of,
    )
    a = only(g)
    assert a.p_stay < 0.9
    assert a.action is Action.SWITCH_NOW
    assert (a.to_office, a.switch_by) == ("B", as_of)
    assert a.p_switch_now is not None and a.p_switch_now >= 0.9


def test_switching_on_a_weekend_day_counts_from_the_next_working_day() -> None:
    # Asked on Thursday 15 March (arriving Friday) or Friday 16 (arriving on the
    # Saturday) both book from Monday 19: switch_by may then be the Friday.
    deadline = D(2018, 3, 29)
    fri, sat = D(2018, 3, 16), D(2018, 3, 17)
    assert p_switch_on(AS_OF, deadline, 1) == p_switch_on(fri, deadline, 1)
    assert p_switch_on(sat, deadline, 1) >= p_switch_on(D(2018, 3, 18), deadline, 1)


def test_switch_now_below_target_when_it_clearly_beats_staying() -> None:
    # Too tight for even B to reach 90%, but B is far better than a stopped A.
    deadline = next(
        AS_OF + dt.timedelta(days=k)
        for k in range(1, 40)
        if 0.3 <= p_switch_on(AS_OF, AS_OF + dt.timedelta(days=k), 1) < 0.9
    )
    g = check(paid_at_a(1), [local_outage()], departure=f"{deadline.isoformat()}T09:00:00+07:00")
    a = only(g)
    assert a.action is Action.SWITCH_NOW
    assert a.to_office == "B"
    assert a.p_switch_now is not None and a.p_switch_now < 0.9
    assert a.p_switch_now > a.p_stay + 0.05


# -- a shared-system outage ---------------------------------------------------


def test_shared_system_outage_has_no_better_option() -> None:
    system_outage = outage(
        systems=["SIMKIM"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 26), high=None
    )
    g = check(paid_at_a(5), [system_outage], departure="2018-04-06T09:00:00+07:00", shared=True)
    a = only(g)
    assert a.p_stay < 0.9
    assert a.action is Action.NO_BETTER_OPTION
    assert a.switch_by is None
    assert "Sistem Informasi Manajemen Keimigrasian" in a.reason
    # Switching means queueing again behind B's own backlog: no faster.
    assert a.p_switch_now is not None and a.p_switch_now <= a.p_stay


def test_the_same_offices_without_the_shared_system_would_switch() -> None:
    # Control for the test above: only the system makes the difference.
    local = outage(offices=["A"], start=X, low=D(2018, 3, 19), mode=D(2018, 3, 26), high=None)
    g = check(paid_at_a(5), [local], departure="2018-04-06T09:00:00+07:00", shared=True)
    assert only(g).action in (Action.SWITCH_BY, Action.SWITCH_NOW)


# -- comfortable, undisrupted, printed ----------------------------------------


def test_a_comfortable_case_stays() -> None:
    g = check(paid_at_a(5), [local_outage()], departure="2018-05-15T09:00:00+07:00")
    a = only(g)
    assert a.action is Action.STAY
    assert a.p_stay >= 0.9
    assert (a.to_office, a.switch_by, a.p_switch_now) == (None, None, None)


def test_no_advice_where_nothing_is_wrong() -> None:
    g = check(paid_at_a(3), [], departure="2018-05-15T09:00:00+07:00")
    assert g.advice == ()


def test_below_target_without_alternatives_has_no_better_option() -> None:
    office = make_office("A")
    late = paid_member("late", paid=D(2018, 5, 11))
    group = make_group([late], departure="2018-05-15T09:00:00+07:00")
    g = assess(make_scenario([office], [group]), D(2018, 5, 11), samples=200).groups[0]
    a = only(g)
    assert a.action is Action.NO_BETTER_OPTION
    assert a.to_office is None
    assert "no alternative" in a.reason


def test_an_issued_member_is_never_advised_to_switch() -> None:
    # Everything closed at A (collection too), so the printed passport waits as well.
    closed = local_outage(stops=Stops.ALL)
    printed = paid_member("printed", paid=D(2018, 2, 27), issued=D(2018, 3, 2))
    waiting = paid_member("waiting", paid=D(2018, 3, 1))
    g = check([printed, waiting], [closed], departure="2018-04-06T09:00:00+07:00")
    by_id = {m.member_id: m for m in g.members}
    assert by_id["printed"].p_on_time < 0.9  # at risk too, yet starting again cannot help
    a = only(g)
    assert a.members == ("waiting",)
    for advice in g.advice:
        assert "printed" not in advice.members


def test_ready_members_are_not_in_the_advice() -> None:
    done = paid_member("done", paid=D(2018, 2, 26), issued=D(2018, 3, 1), collected=D(2018, 3, 2))
    g = check([done, *paid_at_a(2)], [local_outage()], departure="2018-04-06T09:00:00+07:00")
    assert only(g).members == ("m0", "m1")
