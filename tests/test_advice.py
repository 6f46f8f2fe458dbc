"""The decision rule and every lever, on cases worked out by hand.

Unless a test says otherwise the rules take the file at its word (fixed
service times, recoveries as given), so each option's P is 0 or 1 or a
closed form, and the value of a lever, 100 x P(group) - cost / point_value,
can be computed here without the code.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from gp_builders import (
    AS_SAID,
    make_group,
    make_office,
    make_scenario,
    outage,
    paid_member,
)

from grouppass.assess import assess
from grouppass.calendar import WorkingCalendar
from grouppass.fees import EXPRESS_FEE, TRAVEL_PER_DAY, passport_fee
from grouppass.model import (
    Application,
    Disruption,
    Group,
    Member,
    Office,
    Rules,
    Scenario,
    Stops,
    System,
)
from grouppass.results import Action, Advice, GroupAssessment, Reason
from grouppass.switch import RefusalCode, plan_switch
from grouppass.wording import advice_text, english, indonesian

D = dt.date
X = D(2018, 3, 5)  # Monday: printing stops at A
AS_OF = D(2018, 3, 15)  # Thursday
PAID = D(2018, 3, 1)
SIMKIM = System("SIMKIM", "Sistem Informasi Manajemen Keimigrasian")


def offices(*, shared: bool = False, express: bool = True) -> list[Office]:
    """A (Kanim) and B (its ULP a day away): booking 1, issue 3, collection 0 days."""
    systems = ["SIMKIM"] if shared else []
    return [
        make_office("A", systems=systems, alternatives={"B": 1}),
        make_office("B", systems=systems, alternatives={"A": 1}),
    ]


def stopped_until(day: dt.date, **kw: object) -> Disruption:
    args: dict[str, object] = dict(offices=["A"], start=X, low=day)
    args.update(kw)
    return outage(**args)  # type: ignore[arg-type]


def run(
    members: list[Member],
    disruptions: list[Disruption],
    *,
    deadline: dt.date,
    as_of: dt.date = AS_OF,
    rules: Rules = AS_SAID,
    office_list: list[Office] | None = None,
    groups: list[Group] = (),  # type: ignore[assignment]
) -> GroupAssessment:
    group = make_group(members, departure=f"{deadline.isoformat()}T20:00:00+07:00")
    scenario = make_scenario(
        office_list or offices(), [group, *groups], disruptions, systems=[SIMKIM], rules=rules
    )
    return assess(scenario, as_of, samples=400).group("G")


def advised(g: GroupAssessment, action: Action | None = None) -> Advice:
    """The one advice with ``action``; without, the cohort's (late members may add their own)."""
    cohort = [a for a in g.advice if a.action not in (Action.ASK_URGENT, Action.LATER_GROUP)]
    found = [a for a in g.advice if a.action is action] if action else cohort
    assert len(found) == 1, g.advice
    return found[0]


def wd(day: dt.date, n: int) -> dt.date:
    """``n`` working days after ``day`` at an office in Asia/Jakarta."""
    return WorkingCalendar.for_office(make_office("A")).add_working_days(day, n)


# By hand: asked at B on Friday 16 March (a day's travel), recorded Monday 19, printed
# three working days later, Thursday 22 March, in hand that day (collection 0).
SWITCHED_IN_HAND = D(2018, 3, 22)
# Staying: A prints again on Monday 16 April; paid on 1 March, they are near the front.
DEADLINE = D(2018, 4, 2)


class TestTheDecisionRule:
    """Switch when 100 x (gain in P) is worth more than the cost over point_value."""

    def test_by_hand_dates(self) -> None:
        assert wd(D(2018, 3, 16), 1) == D(2018, 3, 19)
        assert wd(D(2018, 3, 19), 3) == SWITCHED_IN_HAND

    @pytest.mark.parametrize(
        "point_value, switches", [(15_000, False), (15_300, True), (2_000_000, True)]
    )
    def test_switch_exactly_when_the_gain_beats_the_cost(
        self, point_value: int, switches: bool
    ) -> None:
        # Three paid members: stay 0% (printing back 16 April), switch 100%. Each switch
        # costs the fee paid again (Rp 355,000 in 2018) and a day's travel (Rp 150,000):
        # 3 x 505,000 = 1,515,000, worth it iff 100 points > 1,515,000 / point_value,
        # that is iff point_value > 15,150.
        members = [paid_member(f"m{i}", paid=PAID) for i in range(3)]
        g = run(
            members,
            [stopped_until(D(2018, 4, 16))],
            deadline=DEADLINE,
            rules=Rules.as_said(point_value=point_value),
        )
        a = advised(g)
        assert a.members == ("m0", "m1", "m2")
        assert a.p_stay == 0.0
        assert a.p_switch_now == pytest.approx(1.0)
        cost = 3 * (passport_fee(PAID) + TRAVEL_PER_DAY)
        assert cost == 1_515_000
        if switches:
            assert (a.action, a.to_office, a.code) == (Action.SWITCH_NOW, "B", Reason.SWITCH_GAINS)
            assert a.p_advised == pytest.approx(1.0)
            assert a.cost == cost
            assert [loss.code for loss in a.losses] == ["fee_paid", "recording"] * 3
            assert sum(loss.amount or 0 for loss in a.losses) == 3 * 355_000
        else:
            assert a.action is Action.NO_BETTER_OPTION
            assert a.code is Reason.STAYING_WORTH_MOST
        # Every lever weighed is listed with its P and cost, best first.
        by_action = {o.action: o for o in a.options}
        assert by_action[Action.STAY].p_group == 0.0
        assert by_action[Action.SWITCH_NOW].cost == cost
        assert [o.value for o in a.options] == sorted((o.value for o in a.options), reverse=True)

    def test_a_comfortable_group_is_not_advised(self) -> None:
        g = run([paid_member("m", paid=PAID)], [], deadline=DEADLINE)
        assert g.p_on_time == 1.0
        assert g.advice == ()

    def test_on_track_despite_an_outage_stays(self) -> None:
        # Printing back Monday 19 March: they are printed that day, two weeks early.
        g = run([paid_member("m", paid=PAID)], [stopped_until(D(2018, 3, 19))], deadline=DEADLINE)
        a = advised(g)
        assert (a.action, a.code) == (Action.STAY, Reason.ON_TRACK)
        assert a.p_stay == pytest.approx(1.0)

    def test_no_alternative_on_record(self) -> None:
        lonely = [make_office("A"), make_office("B")]
        g = run(
            [paid_member("m", paid=PAID)],
            [stopped_until(D(2018, 4, 16))],
            deadline=DEADLINE,
            office_list=lonely,
        )
        a = advised(g)
        assert (a.action, a.code) == (Action.NO_BETTER_OPTION, Reason.NO_ALTERNATIVE)

    def test_the_same_broken_system_is_no_escape(self) -> None:
        down = outage(systems=["SIMKIM"], start=X, low=D(2018, 4, 16))
        g = run(
            [paid_member("m", paid=PAID)],
            [down],
            deadline=DEADLINE,
            office_list=offices(shared=True),
        )
        a = advised(g)
        assert (a.action, a.code) == (Action.NO_BETTER_OPTION, Reason.SAME_SYSTEM)
        assert a.systems == ("Sistem Informasi Manajemen Keimigrasian",)
        assert a.disruptions == ("outage",)


class TestWaitingForNews:
    """Wait only while switching later is still as good, and it may save the cost."""

    def test_wait_until_the_last_day_a_switch_still_makes_it(self) -> None:
        # Recovery at A: a triangle 19 March .. 26 March .. 13 April (as given). A switch
        # asked on day d (travel 1 day) is in hand 1 + 3 working days later. The deadline
        # is Friday 6 April: the last day to switch is Thursday 29 March (asked Friday 30,
        # Good Friday, recorded Monday 2 April, in hand Thursday 5); a switch decided on
        # Monday 2 April is in hand Monday 9, too late. Staying: in hand by the deadline
        # only if printing is back by about 5 April, 1 - 7.5^2 / (25 x 18) = 87.5% < 90%
        # (in days from 1 April the triangle runs -13 .. -6 .. 12).
        deadline = D(2018, 4, 6)
        assert wd(wd(D(2018, 3, 30), 1), 3) == D(2018, 4, 5)
        assert wd(wd(D(2018, 4, 3), 1), 3) > deadline
        recovery = stopped_until(D(2018, 3, 19), mode=D(2018, 3, 26), high=D(2018, 4, 13))
        members = [paid_member(f"m{i}", paid=PAID) for i in range(4)]
        g = run(members, [recovery], deadline=deadline)
        a = advised(g)
        assert (a.action, a.to_office, a.code) == (Action.SWITCH_BY, "B", Reason.WAITING_KEEPS)
        assert a.switch_by == D(2018, 3, 29)
        # Waiting until then keeps the group certain: recovered by then, printed at once
        # (near the front of the queue); not recovered, the switch still makes it.
        assert a.p_wait == pytest.approx(1.0)
        assert a.p_switch_now == pytest.approx(1.0)
        # P(recovered by 29 March): the triangle's CDF at 29.5 March (days round to the
        # nearest), 1 - (12 + 2.5)^2 / ((12 + 13) (12 + 6)) in days from 1 April.
        low, mode, high, x = -13.0, -6.0, 12.0, -2.5
        expected = 1 - (high - x) ** 2 / ((high - low) * (high - mode))
        assert a.p_recovered is not None
        assert a.p_recovered == pytest.approx(expected, abs=0.03)
        # Expected cost: only where the switch happens.
        cost = 4 * (passport_fee(PAID) + TRAVEL_PER_DAY)
        assert a.cost == pytest.approx(cost * (1 - a.p_recovered), rel=1e-6)

    def test_switch_now_when_there_is_no_time_to_wait(self) -> None:
        # Deadline Thursday 22 March: only a switch today (asked Friday 16) makes it.
        recovery = stopped_until(D(2018, 3, 19), mode=D(2018, 3, 26), high=D(2018, 4, 13))
        g = run([paid_member("m", paid=PAID)], [recovery], deadline=SWITCHED_IN_HAND)
        a = advised(g)
        assert (a.action, a.to_office) == (Action.SWITCH_NOW, "B")
        assert a.switch_by == AS_OF


class TestWhereToStart:
    """Members without an application are sent where a new one goes fastest."""

    def test_not_to_an_office_that_cannot_print(self) -> None:
        new = Member(id="new", name="Muhammad Rizki Pratama", phone="+6281")
        g = run([new], [stopped_until(D(2018, 4, 16))], deadline=DEADLINE)
        a = advised(g)
        assert (a.action, a.to_office, a.code) == (Action.START_AT, "B", Reason.CANNOT_PRINT_HERE)
        assert a.p_advised == pytest.approx(1.0)
        assert a.cost == TRAVEL_PER_DAY  # no fee lost: nothing was paid yet
        today = g.members[0].today
        assert [(t.code.value, t.office) for t in today] == [("apply", "B")]

    def test_elsewhere_while_home_cannot_print_even_if_it_would_catch_up(self) -> None:
        # A prints again on Monday 19 March; the deadline, 30 April, is far: applying at
        # A (recorded Friday 16, printed the 19th or soon after) is as sure as at B, and
        # B costs a day's travel, so the figures alone say stay. The rule says never
        # apply where printing is stopped while another office prints.
        new = Member(id="new", name="Muhammad Rizki Pratama", phone="+6281")
        g = run([new], [stopped_until(D(2018, 3, 19))], deadline=D(2018, 4, 30))
        a = advised(g)
        assert (a.action, a.to_office, a.code) == (Action.START_AT, "B", Reason.CANNOT_PRINT_HERE)
        assert a.p_stay == pytest.approx(1.0) and a.p_advised == pytest.approx(1.0)
        stay = next(o for o in a.options if o.action is Action.STAY)
        assert stay.value > next(o for o in a.options if o.to_office == "B").value
        assert "cannot print" in a.reason

    def test_home_when_every_office_is_stopped(self) -> None:
        # The same stop hits B too (a shared system): no office prints, nowhere better.
        new = Member(id="new", name="Muhammad Rizki Pratama", phone="+6281")
        both = outage(systems=["SIMKIM"], start=X, low=D(2018, 3, 19))
        g = run([new], [both], deadline=D(2018, 4, 30), office_list=offices(shared=True))
        a = advised(g)
        assert (a.action, a.to_office, a.code) == (Action.START_AT, "A", Reason.START_HERE)

    def test_home_again_once_printing_resumed(self) -> None:
        # Ended on Wednesday 14 March, the day before as_of: A prints; no rule forces B.
        new = Member(id="new", name="Muhammad Rizki Pratama", phone="+6281")
        ended = attrs.evolve(stopped_until(D(2018, 3, 19)), ended=D(2018, 3, 14))
        g = run([new], [ended], deadline=D(2018, 4, 30))
        a = advised(g)
        assert (a.action, a.to_office, a.code) == (Action.START_AT, "A", Reason.START_HERE)

    def test_at_home_when_home_is_fine(self) -> None:
        new = Member(id="new", name="Muhammad Rizki Pratama", phone="+6281")
        # Home prints; B (an alternative a day away) is no faster.
        g = run([new], [], deadline=D(2018, 3, 20), as_of=D(2018, 3, 14))
        a = advised(g)
        assert (a.action, a.to_office, a.code) == (Action.START_AT, "A", Reason.START_HERE)


class TestExpress:
    """Express service only where the law of the date allows it (PP 28/2019, May 2019)."""

    def booked(self, day: dt.date) -> Member:
        return Member(
            id="m",
            name="Baiq Fitriani Muslihin",
            phone="+62",
            application=Application("A", booked=day),
        )

    def test_express_when_regular_service_is_too_slow(self) -> None:
        # Booked Monday 5 August 2019, as of that day: recorded Tuesday 6 (a working day);
        # regular issue takes 3 working days (Friday 9), express the same day.
        as_of = D(2019, 8, 5)
        deadline = D(2019, 8, 7)
        lone = [make_office("A"), make_office("B")]
        g = run([self.booked(as_of)], [], deadline=deadline, as_of=as_of, office_list=lone)
        a = advised(g, Action.EXPRESS)
        assert a.to_office == "A" and a.code is Reason.EXPRESS_GAINS
        assert a.p_stay == 0.0 and a.p_advised == pytest.approx(1.0)
        assert a.cost == EXPRESS_FEE
        assert [(t.code.value, t.express) for t in g.members[0].today] == [("apply", True)]

    def test_no_express_before_pp_28_2019(self) -> None:
        as_of = D(2018, 8, 6)
        lone = [make_office("A"), make_office("B")]
        g = run([self.booked(as_of)], [], deadline=D(2018, 8, 8), as_of=as_of, office_list=lone)
        assert all(o.action is not Action.EXPRESS for a in g.advice for o in a.options)


class TestLateMembers:
    """A member late whatever the cohort does gets the best lever left, or plain words."""

    def test_a_later_group_with_seats(self) -> None:
        late = paid_member("late", paid=PAID)
        later = attrs.evolve(
            make_group([], id="H", departure="2018-05-14T20:00:00+07:00"), capacity=40
        )
        lone = [make_office("A"), make_office("B")]
        g = run(
            [late], [stopped_until(D(2018, 4, 16))], deadline=DEADLINE, office_list=lone,
            groups=[later],
        )  # fmt: skip
        a = advised(g, Action.LATER_GROUP)
        assert a.to_group == "H" and a.members == ("late",)
        assert a.p_wait == pytest.approx(1.0)  # printed 16 April, in time for 14 May
        assert [t.code.value for t in g.members[0].today][:1] == ["move_group"]

    def test_nothing_left_says_so(self) -> None:
        lone = [make_office("A"), make_office("B")]
        g = run(
            [paid_member("late", paid=PAID)],
            [stopped_until(D(2018, 4, 16))],
            deadline=DEADLINE,
            office_list=lone,
        )
        a = advised(g, Action.ASK_URGENT)
        assert a.code is Reason.URGENT_ONLY and a.members == ("late",)
        assert "urgent" in a.reason


class TestWords:
    def test_catalogues_have_the_same_keys(self) -> None:
        assert set(english.TEXT) == set(indonesian.TEXT)

    def test_advice_in_both_languages_with_its_numbers(self) -> None:
        members = [paid_member(f"m{i}", paid=PAID) for i in range(3)]
        g = run(members, [stopped_until(D(2018, 4, 16))], deadline=DEADLINE)
        a = advised(g)
        names = {"A": "Kanim Mataram", "B": "ULP Lombok Timur"}
        en = advice_text(a, "en", office_names=names)
        id_ = advice_text(a, "id", office_names=names)
        assert en.startswith("Switch to ULP Lombok Timur today")
        assert "100%" in en and "0%" in en and "Rp 1.515.000" in en
        assert id_.startswith("Pindah ke ULP Lombok Timur hari ini")
        assert "biaya yang sudah dibayar (Rp 1.065.000)" in id_


class TestPlanSwitch:
    """Switching in the library: the advised office, refusals, and what is lost."""

    def scenario(self) -> tuple[Scenario, Group, GroupAssessment]:
        members = [
            paid_member("paid", paid=PAID),
            Member(
                id="booked",
                name="Zainal Abidin",
                application=Application("A", booked=D(2018, 3, 14)),
            ),
            paid_member("printed", paid=D(2018, 2, 21), issued=D(2018, 2, 26)),
        ]
        group = make_group(members, departure=f"{DEADLINE.isoformat()}T20:00:00+07:00")
        scenario = make_scenario(offices(), [group], [stopped_until(D(2018, 4, 16))])
        return scenario, group, assess(scenario, AS_OF, samples=200).group("G")

    def test_moves_to_the_advised_office_and_lists_the_losses(self) -> None:
        scenario, group, figures = self.scenario()
        plan = plan_switch(
            scenario, group, ["paid", "booked", "printed"], figures, AS_OF, book=True
        )
        moved = {p.member.id: p for p in plan.plans}
        assert set(moved) == {"paid", "booked"}
        assert moved["paid"].to_office == "B" and moved["paid"].application.booked == AS_OF
        assert [loss.code for loss in moved["paid"].losses] == ["fee_paid", "recording"]
        assert [loss.code for loss in moved["booked"].losses] == ["appointment"]
        assert plan.lost_fees == 355_000
        assert [(r.member.id, r.code) for r in plan.refused] == [("printed", RefusalCode.PRINTED)]

    def test_refuses_to_abandon_a_paid_application_when_the_advice_is_to_stay(self) -> None:
        members = [paid_member("m", paid=PAID)]
        group = make_group(members, departure=f"{DEADLINE.isoformat()}T20:00:00+07:00")
        scenario = make_scenario(offices(), [group], [stopped_until(D(2018, 3, 19))])
        figures = assess(scenario, AS_OF, samples=200).group("G")
        assert figures.advice[0].action is Action.STAY
        plan = plan_switch(scenario, group, ["m"], figures, AS_OF, to_office="B")
        assert plan.plans == () and plan.refused[0].code is RefusalCode.ADVICE_STAYS
        forced = plan_switch(scenario, group, ["m"], figures, AS_OF, to_office="B", force=True)
        assert forced.plans[0].against_advice and forced.plans[0].to_office == "B"
        # Without an office asked for, the reason is still the advice, not "no office".
        bare = plan_switch(scenario, group, ["m"], figures, AS_OF)
        assert [r.code for r in bare.refused] == [RefusalCode.ADVICE_STAYS]


class TestTodayAndHoldUps:
    """Today's actions and what holds a member up, worked from the stage by hand."""

    def test_a_named_office_not_asked_for_yet_is_applied_for_there(self) -> None:
        # A manifest row that names Lombok Timur (B) and nothing else; A prints, B too.
        planned = Member(id="p", name="Baiq Nurul", phone="+62", application=Application("B"))
        g = run([planned], [], deadline=D(2018, 4, 30))
        (m,) = g.members
        assert [(t.code.value, t.office) for t in m.today] == [("apply", "B")]

    def test_a_printed_passport_is_not_held_up_by_a_printing_stop(self) -> None:
        # Printed on 2 March, before printing stopped on 5 March: it waits for the counter.
        printed = paid_member("printed", paid=D(2018, 2, 26), issued=D(2018, 3, 2))
        queued = paid_member("queued", paid=PAID)
        stop = stopped_until(D(2018, 4, 16))
        g = run([printed, queued], [stop], deadline=DEADLINE)
        held = {m.member_id: m.held_by for m in g.members}
        assert held == {"printed": (), "queued": ("outage",)}
        # Closed counters hold up the printed one too.
        closed = attrs.evolve(stop, stops=Stops.ALL)
        g = run([printed, queued], [closed], deadline=DEADLINE)
        assert {m.member_id: m.held_by for m in g.members} == {
            "printed": ("outage",),
            "queued": ("outage",),
        }
