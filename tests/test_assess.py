"""Risk per member and per group against the deadline, and the passport rules."""

from __future__ import annotations

import datetime as dt

import pytest
from gp_builders import (
    make_group,
    make_office,
    make_scenario,
    outage,
    paid_member,
    passport_member,
)

from grouppass.assess import assess
from grouppass.calendar import WorkingCalendar
from grouppass.errors import GrouppassError
from grouppass.model import Application, Member, Passport, Rules, Stage
from grouppass.results import GroupAssessment, MemberAssessment, ProblemCode, Risk
from grouppass.rules import add_months

D = dt.date

# Departure Tuesday 15 May 2018, 09:00 WIB (the office's zone); no visa lead time.
DEPARTURE = "2018-05-15T09:00:00+07:00"
AS_OF = D(2018, 3, 15)


def run(
    members: list[Member],
    *,
    as_of: dt.date = AS_OF,
    rules: Rules | None = None,
    departure: str = DEPARTURE,
    samples: int = 300,
    **office: object,
) -> GroupAssessment:
    offices = [make_office("A", **office), make_office("B")]  # type: ignore[arg-type]
    group = make_group(members, departure=departure)
    scenario = make_scenario(offices, [group], rules=rules)
    return assess(scenario, as_of, samples=samples).groups[0]


def one(member: Member, **kwargs: object) -> MemberAssessment:
    return run([member], **kwargs).members[0]  # type: ignore[arg-type]


def codes(m: MemberAssessment) -> list[ProblemCode]:
    return [p.code for p in m.problems]


def working_days_after(day: dt.date, n: int) -> dt.date:
    return WorkingCalendar.for_office(make_office("A")).add_working_days(day, n)


# -- ready and the passport rules ---------------------------------------------


def test_a_valid_passport_is_ready() -> None:
    m = one(passport_member("p"))
    assert m.risk is Risk.READY
    assert m.p_on_time == 1.0
    assert m.office is None
    assert m.stage is Stage.COLLECTED
    assert (m.ready_p50, m.ready_p90) == (None, None)
    assert m.problems == ()


def test_validity_boundary_is_exactly_six_months_after_departure() -> None:
    assert add_months(D(2018, 5, 15), 6) == D(2018, 11, 15)
    ok = one(passport_member("p", expires=D(2018, 11, 15)))
    assert ok.risk is Risk.READY
    short = one(passport_member("p", expires=D(2018, 11, 14)))
    assert short.risk is not Risk.READY
    assert codes(short) == [ProblemCode.EXPIRES_TOO_SOON]
    assert "2018-11-15" in short.problems[0].message


def test_validity_rule_follows_the_setting() -> None:
    member = passport_member("p", expires=D(2018, 11, 20))
    assert one(member).risk is Risk.READY
    strict = one(member, rules=Rules.as_said(min_validity_months=7))
    assert codes(strict) == [ProblemCode.EXPIRES_TOO_SOON]


def test_validity_is_judged_on_the_local_departure_date() -> None:
    # 00:30 WITA on 15 May is 23:30 WIB on the 14th: in Jakarta's zone the
    # passport must last until 14 November only.
    member = passport_member("p", expires=D(2018, 11, 14))
    offices = [make_office("A")]
    for zone, ready in (("Asia/Jakarta", True), ("Asia/Makassar", False)):
        group = make_group(
            [member], departure="2018-05-15T00:30:00+08:00", timezone=zone, id=f"g-{zone}"
        )
        g = assess(make_scenario(offices, [group]), AS_OF, samples=200).groups[0]
        assert (g.members[0].risk is Risk.READY) is ready, zone


def test_a_two_word_name_is_too_short_by_default() -> None:
    m = one(passport_member("p", name="Muhammad Nashif"))
    assert codes(m) == [ProblemCode.NAME_TOO_SHORT]
    assert m.risk is not Risk.READY


def test_a_two_word_name_passes_when_two_words_are_enough() -> None:
    m = one(passport_member("p", name="Muhammad Nashif"), rules=Rules.as_said(min_name_words=2))
    assert m.risk is Risk.READY
    one_word = one(passport_member("p", name="Nashif"), rules=Rules.as_said(min_name_words=2))
    assert codes(one_word) == [ProblemCode.NAME_TOO_SHORT]


def test_three_words_pass_the_default_rule() -> None:
    assert one(passport_member("p", name="Muhammad Nashif Abdullah")).risk is Risk.READY


def test_every_failed_rule_is_listed() -> None:
    m = one(passport_member("p", name="Nashif", expires=D(2018, 6, 1)))
    assert sorted(codes(m)) == sorted([ProblemCode.EXPIRES_TOO_SOON, ProblemCode.NAME_TOO_SHORT])


def test_a_failed_passport_without_application_is_a_new_application_at_the_group_office() -> None:
    m = one(passport_member("p", expires=D(2018, 9, 1)))
    assert codes(m) == [ProblemCode.EXPIRES_TOO_SOON]
    assert m.office == "A"
    assert m.stage is Stage.NOT_STARTED
    # Starting at as_of: booking 1, issuance 3, collection 0 working days.
    assert m.ready_p50 == m.ready_p90 == working_days_after(AS_OF, 4)
    assert m.risk is Risk.ON_TRACK


def test_a_failed_passport_with_an_application_forecasts_that_application() -> None:
    member = Member(
        id="p",
        name="Siti Aminah binti Ahmad",
        passport=Passport("B1234567", "Siti Aminah binti Ahmad", D(2018, 9, 1)),
        application=Application(
            office="B", booked=D(2018, 3, 12), recorded=D(2018, 3, 13), paid=D(2018, 3, 13)
        ),
    )
    m = one(member)
    assert codes(m) == [ProblemCode.EXPIRES_TOO_SOON]
    assert m.office == "B"
    assert m.stage is Stage.RECORDED_AND_PAID
    assert m.ready_p50 == working_days_after(D(2018, 3, 13), 3)


def test_no_passport_and_no_application_is_not_started() -> None:
    m = one(Member(id="n", name="Nurul Aini binti Zulkifli"))
    assert codes(m) == [ProblemCode.NOT_STARTED]
    assert m.office == "A"
    assert m.stage is Stage.NOT_STARTED
    assert m.ready_p50 == working_days_after(AS_OF, 4)


def test_a_collected_application_is_ready() -> None:
    member = paid_member("c", paid=D(2018, 3, 1), issued=D(2018, 3, 6), collected=D(2018, 3, 7))
    m = one(member)
    assert m.risk is Risk.READY
    assert m.stage is Stage.COLLECTED
    assert m.problems == ()


# -- stages -------------------------------------------------------------------


def test_each_stage_is_forecast_from_where_it_stands() -> None:
    as_of = D(2018, 3, 5)  # Monday
    members = [
        Member(id="booked", name="b", application=Application("A", booked=as_of)),
        # M-Paspor: paid before the appointment; service counts from recording.
        Member(id="paid", name="p", application=Application("A", booked=as_of, paid=as_of)),
        # Walk-in: recorded, payment still to come (the next working day).
        Member(id="recorded", name="r", application=Application("A", booked=as_of, recorded=as_of)),
        paid_member("both", paid=as_of),
        paid_member("issued", paid=D(2018, 2, 27), issued=D(2018, 3, 2)),
    ]
    g = run(members, as_of=as_of, collect=1)
    by_id = {m.member_id: m for m in g.members}
    assert by_id["booked"].stage is Stage.BOOKED
    assert by_id["paid"].stage is Stage.PAID
    assert by_id["recorded"].stage is Stage.RECORDED
    assert by_id["both"].stage is Stage.RECORDED_AND_PAID
    assert by_id["issued"].stage is Stage.ISSUED
    # Recorded Tue 6, issued Fri 9, in hand Mon 12.
    assert by_id["booked"].ready_p50 == D(2018, 3, 12)
    assert by_id["paid"].ready_p50 == D(2018, 3, 12)
    # Paid Tue 6, issued Fri 9, in hand Mon 12.
    assert by_id["recorded"].ready_p50 == D(2018, 3, 12)
    # Paid Mon 5, issued Thu 8, in hand Fri 9.
    assert by_id["both"].ready_p50 == D(2018, 3, 9)
    # Issued Fri 2, collected the first working day after as_of.
    assert by_id["issued"].ready_p50 == D(2018, 3, 6)
    for m in g.members:
        assert m.ready_p90 is not None
        assert m.ready_p50 == m.ready_p90
        assert m.risk is Risk.ON_TRACK
        assert m.slack_days == (D(2018, 5, 15) - m.ready_p90).days


# -- risk thresholds ----------------------------------------------------------


@pytest.mark.parametrize(
    "p, risk",
    [
        (1.0, Risk.ON_TRACK),
        (0.9, Risk.ON_TRACK),
        (0.8999, Risk.AT_RISK),
        (0.5, Risk.AT_RISK),
        (0.4999, Risk.LATE),
        (0.0, Risk.LATE),
    ],
)
def test_risk_from_probability(p: float, risk: Risk) -> None:
    assert Risk.from_probability(p, 0.9) is risk


def test_risk_from_probability_with_another_target() -> None:
    assert Risk.from_probability(0.7, 0.7) is Risk.ON_TRACK
    assert Risk.from_probability(0.69, 0.7) is Risk.AT_RISK
    assert Risk.from_probability(0.95, 1.0) is Risk.AT_RISK


def spread_members(target: float) -> list[MemberAssessment]:
    """One paid member under an uncertain issuance time, against deadlines a day apart."""
    office = make_office("A", issue=(1, 5, 12), collect=0)
    groups = [
        make_group(
            [paid_member("m", paid=D(2018, 3, 1))],
            id=f"g{d}",
            departure=f"2018-03-{d:02}T09:00:00+07:00",
        )
        for d in range(2, 20)
    ]
    scenario = make_scenario([office], groups, rules=Rules.as_said(target_probability=target))
    report = assess(scenario, D(2018, 3, 1), samples=200)
    return [g.members[0] for g in report.groups]


@pytest.mark.parametrize("target", [0.9, 0.7])
def test_member_risk_follows_p_and_the_target(target: float) -> None:
    members = spread_members(target)
    ps = [m.p_on_time for m in members]
    assert ps == sorted(ps), "a later deadline is never less likely to be met"
    assert ps[0] == 0.0 and ps[-1] == 1.0
    seen = set()
    for m in members:
        assert 0.0 <= m.p_on_time <= 1.0
        expected = (
            Risk.ON_TRACK
            if m.p_on_time >= target
            else Risk.AT_RISK
            if m.p_on_time >= 0.5
            else Risk.LATE
        )
        assert m.risk is expected
        seen.add(m.risk)
    assert seen == {Risk.ON_TRACK, Risk.AT_RISK, Risk.LATE}


def test_p_on_time_matches_the_distribution_at_the_deadline() -> None:
    g = run(
        [paid_member("m", paid=D(2018, 3, 1))],
        as_of=D(2018, 3, 1),
        issue=(1, 5, 12),
        departure="2018-03-09T09:00:00+07:00",
    )
    m = g.members[0]
    by_deadline = sum(p for day, p in m.distribution if day <= g.deadline)
    assert m.p_on_time == pytest.approx(by_deadline, abs=1e-6)
    assert 0.0 < m.p_on_time < 1.0
    assert sum(p for _, p in m.distribution) == pytest.approx(1.0, abs=1e-4)
    assert m.ready_p50 is not None and m.ready_p90 is not None
    assert m.ready_p50 <= m.ready_p90


# -- group risk ---------------------------------------------------------------


def test_group_is_ready_when_everyone_is_ready() -> None:
    g = run([passport_member("a"), passport_member("b", name="Lalu Ahmad Zaini")])
    assert g.risk is Risk.READY
    assert g.p_on_time == 1.0
    assert g.counts()[Risk.READY] == 2


def test_group_risk_follows_the_group_probability() -> None:
    late = paid_member("late", paid=D(2018, 5, 11))  # in hand Wed 16 May: a day too late
    g = run([passport_member("a"), late], as_of=D(2018, 5, 11))
    assert g.members[1].risk is Risk.LATE
    assert g.p_on_time == 0.0
    assert g.risk is Risk.LATE
    ok = run([passport_member("a"), paid_member("ok", paid=D(2018, 3, 1))])
    assert ok.risk is Risk.ON_TRACK
    assert ok.p_on_time == 1.0


def test_group_deadline_and_departure_are_reported() -> None:
    office = make_office("A")
    group = make_group(
        [passport_member("a")],
        departure="2018-05-15T09:00:00+08:00",
        timezone="Asia/Makassar",
        visa_lead_days=21,
    )
    g = assess(make_scenario([office], [group]), AS_OF, samples=200).groups[0]
    assert g.deadline == D(2018, 4, 24)
    assert g.departure == group.departure
    assert (g.group_id, g.name) == ("G", "Rombongan Uji")


def test_on_time_means_in_hand_on_or_before_the_deadline() -> None:
    # Paid Thursday 1 March: in hand Tuesday 6 March.
    member = paid_member("m", paid=D(2018, 3, 1))
    on_day = run([member], as_of=D(2018, 3, 1), departure="2018-03-06T09:00:00+07:00")
    assert on_day.members[0].p_on_time == 1.0
    day_late = run([member], as_of=D(2018, 3, 1), departure="2018-03-05T09:00:00+07:00")
    assert day_late.members[0].p_on_time == 0.0


def test_a_far_away_group_zone_counts_the_collection_in_its_own_date() -> None:
    # The office is in WITA; the passport is handed over Wednesday 14 March at
    # 15:00 WITA, which is 21:00 on Tuesday the 13th in Honolulu.
    office = make_office("A", timezone="Asia/Makassar")
    member = paid_member("m", paid=D(2018, 3, 9))
    departure = "2018-03-13T12:00:00+00:00"
    results = {}
    for zone in ("Pacific/Honolulu", "Asia/Makassar"):
        group = make_group([member], id=zone, departure=departure, timezone=zone)
        g = assess(make_scenario([office], [group]), D(2018, 3, 9), samples=200).groups[0]
        assert g.deadline == D(2018, 3, 13)
        assert g.members[0].ready_p50 == D(2018, 3, 14)
        results[zone] = g.members[0].p_on_time
    assert results == {"Pacific/Honolulu": 1.0, "Asia/Makassar": 0.0}


# -- choosing groups ----------------------------------------------------------


def test_groups_can_be_chosen_by_id() -> None:
    office = make_office("A")
    groups = [make_group([passport_member("a")], id=g) for g in ("g1", "g2", "g3")]
    report = assess(make_scenario([office], groups), AS_OF, samples=200, groups=["g3", "g1"])
    assert [g.group_id for g in report.groups] == ["g3", "g1"]
    assert report.group("g1").group_id == "g1"
    assert report.as_of == AS_OF
    assert report.target_probability == 0.9


def test_an_unknown_group_id_raises_grouppass_error() -> None:
    office = make_office("A")
    scenario = make_scenario([office], [make_group([passport_member("a")], id="g1")])
    with pytest.raises(GrouppassError, match="nope"):
        assess(scenario, AS_OF, samples=200, groups=["nope"])


def test_assessment_with_a_disruption_is_deterministic() -> None:
    office = make_office("A", issue=(2, 3, 5))
    group = make_group(
        [paid_member(f"m{i}", paid=D(2018, 3, 1)) for i in range(3)],
        departure="2018-04-02T09:00:00+07:00",
    )
    d = outage(
        offices=["A"], start=D(2018, 3, 5), low=D(2018, 3, 19), mode=D(2018, 3, 23), high=None
    )
    scenario = make_scenario([office], [group], [d])
    first = assess(scenario, AS_OF, samples=300, seed=3)
    assert assess(scenario, AS_OF, samples=300, seed=3) == first


def test_with_today_changes_today_and_keeps_every_other_field() -> None:
    import attrs

    from grouppass.results import Problem, Todo, TodoCode

    # Every field set away from its default, so a field with_today forgot shows up.
    m = MemberAssessment(
        member_id="m1", name="Siti Aminah Rahman", office="MTR", stage=Stage.PAID,
        risk=Risk.AT_RISK, p_on_time=0.42, ready_p50=dt.date(2026, 3, 2),
        ready_p90=dt.date(2026, 3, 9), problems=(Problem(ProblemCode.NAME_TOO_SHORT, "x"),),
        slack_days=-3, distribution=((dt.date(2026, 3, 2), 0.5),), held_by=("d1",),
        today=(Todo(TodoCode.ATTEND, office="MTR"),),
    )  # fmt: skip
    assert {f.name for f in attrs.fields(MemberAssessment)} == {
        "member_id", "name", "office", "stage", "risk", "p_on_time", "ready_p50",
        "ready_p90", "problems", "slack_days", "distribution", "held_by", "today",
    }, "a new field: spell it out in MemberAssessment.with_today too"  # fmt: skip
    today = (Todo(TodoCode.APPLY, office="LTM", express=True),)
    assert m.with_today(today) == attrs.evolve(m, today=today)
    assert m.with_today(today).today == today
