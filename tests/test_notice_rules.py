"""grouppass.notices: which outage holds a member up (as known then), today's actions, flags."""

from __future__ import annotations

import datetime as dt

import pytest

from grouppass.model import (
    Application,
    Disruption,
    Group,
    Member,
    Office,
    Passport,
    Recovery,
    Scenario,
    Stage,
)
from grouppass.notices import (
    Flag,
    TodayAction,
    Todo,
    e164,
    holding,
    member_flags,
    shared_systems,
    todays_actions,
)
from grouppass.results import (
    Action,
    Advice,
    GroupAssessment,
    MemberAssessment,
    Problem,
    ProblemCode,
    Risk,
)

MTR = Office("MTR", "Kanim Mataram", "Asia/Makassar", systems=("SIMKIM",))
LTM = Office("LTM", "ULP Lombok Timur", "Asia/Makassar", systems=("SIMKIM",))
SBY = Office("SBY", "Kanim Surabaya", "Asia/Jakarta", systems=("OTHER",))
SIMKIM_DOWN = Disruption(
    "simkim",
    dt.date(2018, 3, 5),
    Recovery(dt.date(2018, 3, 19), dt.date(2018, 3, 23)),
    systems=("SIMKIM",),
    reported=dt.date(2018, 3, 15),
    ended=dt.date(2018, 4, 2),
)
MTR_PRINTER = Disruption("printer", dt.date(2018, 3, 20), offices=("MTR",))


def scenario(*disruptions: Disruption) -> Scenario:
    return Scenario(offices=(MTR, LTM, SBY), disruptions=disruptions)


class TestHolding:
    """A disruption holds an office up from the day it is known and started until it ends."""

    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            (dt.date(2018, 3, 4), ()),  # before it started
            (dt.date(2018, 3, 14), ()),  # started, but nobody had reported it yet
            (dt.date(2018, 3, 15), ("simkim",)),  # reported that day
            (dt.date(2018, 4, 1), ("simkim",)),
            (dt.date(2018, 4, 2), ()),  # ended that day: service is back
        ],
    )
    def test_known_started_not_ended(self, day: dt.date, expected: tuple[str, ...]) -> None:
        assert tuple(d.id for d in holding(scenario(SIMKIM_DOWN), "MTR", day)) == expected

    def test_through_a_system_or_directly(self) -> None:
        s = scenario(SIMKIM_DOWN, MTR_PRINTER)
        day = dt.date(2018, 3, 20)
        assert [d.id for d in holding(s, "MTR", day)] == ["simkim", "printer"]
        assert [d.id for d in holding(s, "LTM", day)] == ["simkim"]
        assert holding(s, "SBY", day) == ()
        assert holding(s, "NOPE", day) == ()

    def test_shared_systems_only_while_known(self) -> None:
        s = scenario(SIMKIM_DOWN, MTR_PRINTER)
        assert shared_systems(s, "MTR", "LTM", dt.date(2018, 3, 20)) == ("SIMKIM",)
        assert shared_systems(s, "MTR", "LTM", dt.date(2018, 3, 10)) == ()  # not yet reported
        assert shared_systems(s, "MTR", "LTM", dt.date(2018, 4, 5)) == ()  # ended
        assert shared_systems(s, "MTR", "SBY", dt.date(2018, 3, 20)) == ()


GROUP = Group("g", "G", "MTR", dt.datetime(2018, 5, 15, 9, tzinfo=dt.UTC), visa_lead_days=21)
DAY = dt.date(2018, 3, 15)


def figures(
    member: Member,
    stage: Stage,
    risk: Risk = Risk.ON_TRACK,
    problems: tuple[ProblemCode, ...] = (),
) -> MemberAssessment:
    return MemberAssessment(
        member.id,
        member.name,
        None if risk == Risk.READY else "MTR",
        stage,
        risk,
        1.0 if risk == Risk.READY else 0.95,
        None,
        None,
        problems=tuple(Problem(code, "") for code in problems),
    )


def shell(*advice: Advice) -> GroupAssessment:
    return GroupAssessment(
        "g", "G", GROUP.departure, dt.date(2018, 4, 24), Risk.AT_RISK, 0.6, (), advice
    )


def actions(member: Member, f: MemberAssessment, *advice: Advice) -> list[TodayAction]:
    return list(todays_actions(member, f, shell(*advice), DAY, "MTR"))


class TestTodaysActions:
    """One action per stage; passport problems and the advice add theirs."""

    def test_by_stage(self) -> None:
        phone = "0819 1734 0215"
        cases = [
            (None, Stage.NOT_STARTED, [TodayAction(Todo.APPLY, "MTR")]),
            (
                # Booked ahead: not counted by the forecast yet, but the member must go.
                Application("MTR", booked=dt.date(2018, 3, 20)),
                Stage.NOT_STARTED,
                [TodayAction(Todo.ATTEND, "MTR", dt.date(2018, 3, 20))],
            ),
            (
                Application("MTR", booked=DAY),
                Stage.BOOKED,
                [TodayAction(Todo.ATTEND, "MTR", DAY)],
            ),
            (
                Application("MTR", booked=dt.date(2018, 3, 1)),
                Stage.BOOKED,
                [TodayAction(Todo.ATTEND, "MTR")],  # the appointment is past: no date to give
            ),
            (Application("MTR", recorded=DAY), Stage.RECORDED, [TodayAction(Todo.PAY, "MTR")]),
            (Application("MTR", paid=DAY), Stage.PAID, [TodayAction(Todo.RECORD, "MTR")]),
            (
                Application("MTR", recorded=DAY, paid=DAY),
                Stage.RECORDED_AND_PAID,
                [TodayAction(Todo.WAIT, "MTR")],
            ),
            (
                Application("MTR", recorded=DAY, paid=DAY, issued=DAY),
                Stage.ISSUED,
                [TodayAction(Todo.COLLECT, "MTR")],
            ),
        ]
        for app, stage, expected in cases:
            m = Member("m", "Siti Aminah Hasan", phone=phone, application=app)
            assert actions(m, figures(m, stage)) == expected, stage

    def test_passport_problems_and_the_organiser_s_own(self) -> None:
        old = Passport("B1234567", "SITI AMINAH", dt.date(2018, 9, 1))
        m = Member("m", "Siti Aminah", passport=old, follow_up=dt.date(2018, 3, 14))
        f = figures(
            m,
            Stage.NOT_STARTED,
            problems=(ProblemCode.EXPIRES_TOO_SOON, ProblemCode.NAME_TOO_SHORT),
        )
        assert actions(m, f) == [
            TodayAction(Todo.RENEW, "MTR"),
            TodayAction(Todo.ENDORSE, "MTR"),
            TodayAction(Todo.ADD_PHONE),
            TodayAction(Todo.FOLLOW_UP, date=dt.date(2018, 3, 14)),
        ]
        assert [a.for_member for a in actions(m, f)] == [True, True, False, False]
        assert member_flags(m, f) == (
            Flag.NOT_STARTED,
            Flag.PASSPORT_EXPIRING,
            Flag.NAME_TOO_SHORT,
            Flag.NO_PHONE,
        )

    def test_advice_to_switch(self) -> None:
        m = Member("m", "Zainal Abidin", phone="0819", application=Application("MTR", paid=DAY))
        f = figures(m, Stage.PAID, Risk.LATE)
        now = Advice("MTR", ("m",), Action.SWITCH_NOW, "LTM", None, 0.1, 0.9, "")
        assert actions(m, f, now) == [TodayAction(Todo.SWITCH_NOW, "LTM")]
        by = Advice("MTR", ("m",), Action.SWITCH_BY, "LTM", dt.date(2018, 3, 20), 0.1, 0.9, "")
        assert actions(m, f, by) == [
            TodayAction(Todo.RECORD, "MTR"),
            TodayAction(Todo.SWITCH_BY, "LTM", dt.date(2018, 3, 20)),
        ]
        stay = Advice("MTR", ("m",), Action.NO_BETTER_OPTION, "LTM", None, 0.1, 0.1, "")
        assert actions(m, f, stay) == [TodayAction(Todo.RECORD, "MTR")]

    def test_ready(self) -> None:
        held = Member(
            "m", "A B C", phone="0819", passport=Passport("B1", "A B C", dt.date(2030, 1, 1))
        )
        assert actions(held, figures(held, Stage.COLLECTED, Risk.READY)) == []
        assert member_flags(held, figures(held, Stage.COLLECTED, Risk.READY)) == ()
        done = Application("MTR", recorded=DAY, paid=DAY, issued=DAY, collected=DAY)
        got = Member("m", "A B C", phone="0819", application=done)
        assert actions(got, figures(got, Stage.COLLECTED, Risk.READY)) == [
            TodayAction(Todo.HAND_IN)
        ]


class TestPhoneNumbers:
    @pytest.mark.parametrize(
        "raw",
        [
            "0819 1734 0215",
            "0819-1734-0215",
            "+62 819-1734-0215",
            "6281917340215",
            "+6281917340215",
        ],
    )
    def test_indonesian_ways_of_writing_one_number(self, raw: str) -> None:
        assert e164(raw) == "+6281917340215"

    @pytest.mark.parametrize("raw", [None, "", "  ", "12", "not a phone"])
    def test_not_a_number(self, raw: str | None) -> None:
        assert e164(raw) is None
