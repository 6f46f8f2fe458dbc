"""grouppass.notices: a notice's own rules on top of the library's today and held_by.

What to do today and which disruptions hold a member up are the library's
(``MemberAssessment.today`` and ``held_by``, tested with the advice); here the
figures are written by hand, so each test checks one notice rule: the
pilgrim's actions only, the stage to report, what to bring, the fee of the
date, and that an outage nobody knew of yet is not named.
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import as_file, files

import attrs
import pytest

from grouppass import assess, load_scenario
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
from grouppass.notices import Bring, HoldUp, NoticeFacts, e164, notice_facts
from grouppass.results import (
    Action,
    Advice,
    GroupAssessment,
    MemberAssessment,
    Risk,
    Todo,
    TodoCode,
)

MTR = Office("MTR", "Kanim Mataram", "Asia/Makassar", systems=("SIMKIM",))
LTM = Office("LTM", "ULP Lombok Timur", "Asia/Makassar", systems=("SIMKIM",))
SIMKIM_DOWN = Disruption(
    "simkim",
    dt.date(2018, 3, 5),
    Recovery(dt.date(2018, 3, 19), dt.date(2018, 3, 23), dt.date(2018, 3, 30)),
    systems=("SIMKIM",),
    reported=dt.date(2018, 3, 15),
)
MTR_PRINTER = Disruption("printer", dt.date(2018, 3, 20), offices=("MTR",), capacity_factor=0.5)
GROUP = Group("g", "G", "MTR", dt.datetime(2018, 5, 15, 9, tzinfo=dt.UTC), visa_lead_days=21)
DAY = dt.date(2018, 3, 15)
PHONE = "0819 1734 0215"


def scenario(*members: Member) -> Scenario:
    group = attrs.evolve(GROUP, members=members)
    return Scenario(offices=(MTR, LTM), disruptions=(SIMKIM_DOWN, MTR_PRINTER), groups=(group,))


def facts(
    member: Member,
    stage: Stage,
    today: tuple[Todo, ...] = (),
    *,
    risk: Risk = Risk.AT_RISK,
    held_by: tuple[str, ...] = (),
    advice: tuple[Advice, ...] = (),
    day: dt.date = DAY,
) -> NoticeFacts:
    s = scenario(member)
    ready = risk is Risk.READY
    figures = MemberAssessment(
        member.id,
        member.name,
        None if ready else "MTR",
        stage,
        risk,
        1.0 if ready else 0.7,
        None if ready else dt.date(2018, 4, 2),
        None if ready else dt.date(2018, 4, 20),
        held_by=held_by,
        today=today,
    )
    shell = GroupAssessment(
        "g", "G", GROUP.departure, dt.date(2018, 4, 24), risk, 0.7, (figures,), advice
    )
    return notice_facts(s, s.groups[0], member, figures, shell, day)


class TestActions:
    """A notice passes on the pilgrim's part of the library's actions, and nothing else."""

    def test_the_organiser_s_actions_stay_out(self) -> None:
        m = Member("m", "Siti Aminah Hasan")
        today = (
            Todo(TodoCode.APPLY, "LTM"),
            Todo(TodoCode.PHONE),
            Todo(TodoCode.MOVE_GROUP, group="later"),
            Todo(TodoCode.ASK_URGENT, "MTR"),
        )
        f = facts(m, Stage.NOT_STARTED, today)
        assert f.actions == (Todo(TodoCode.APPLY, "LTM"),)
        assert f.bring == (Bring.DOCUMENTS,)  # a visit to the office: the documents

    def test_nothing_to_do_but_wait_for_printing(self) -> None:
        m = Member(
            "m", "A B C", phone=PHONE, application=Application("MTR", recorded=DAY, paid=DAY)
        )
        f = facts(m, Stage.RECORDED_AND_PAID)
        assert f.actions == () and f.waiting and not f.hand_in
        assert f.bring == (Bring.KEEP_RECEIPT,)
        assert f.fee is None

    def test_a_switch_replaces_the_wait_and_the_receipt(self) -> None:
        app = Application("MTR", recorded=DAY, paid=DAY)
        m = Member("m", "A B C", phone=PHONE, application=app)
        f = facts(m, Stage.RECORDED_AND_PAID, (Todo(TodoCode.SWITCH, "LTM"),))
        assert not f.waiting
        assert f.bring == (Bring.DOCUMENTS,)  # a new application; the old receipt is moot

    def test_waiting_for_news_names_where_the_advice_would_move_them(self) -> None:
        by = dt.date(2018, 3, 19)
        m = Member(
            "m", "A B C", phone=PHONE, application=Application("MTR", recorded=DAY, paid=DAY)
        )
        advice = (Advice("MTR", ("m",), Action.SWITCH_BY, "LTM", by, 0.6, 0.9, ""),)
        f = facts(m, Stage.RECORDED_AND_PAID, (Todo(TodoCode.WAIT, "MTR", by),), advice=advice)
        assert f.switch_to == "LTM" and not f.waiting
        assert f.bring == (Bring.KEEP_RECEIPT,)

    def test_told_to_go_elsewhere_the_forecast_for_staying_is_not_quoted(self) -> None:
        app = Application("MTR", recorded=DAY, paid=DAY)
        m = Member("m", "A B C", phone=PHONE, application=app)
        assert facts(m, Stage.RECORDED_AND_PAID, (Todo(TodoCode.SWITCH, "LTM"),)).moving
        new = Member("n", "A B C", phone=PHONE)
        assert facts(new, Stage.NOT_STARTED, (Todo(TodoCode.APPLY, "LTM"),)).moving
        assert not facts(new, Stage.NOT_STARTED, (Todo(TodoCode.APPLY, "MTR"),)).moving
        assert not facts(m, Stage.RECORDED_AND_PAID).moving

    def test_paid_before_the_recording_brings_the_receipt(self) -> None:
        m = Member("m", "A B C", phone=PHONE, application=Application("MTR", paid=DAY))
        f = facts(m, Stage.PAID, (Todo(TodoCode.ATTEND, "MTR"),))
        assert f.bring == (Bring.DOCUMENTS, Bring.RECEIPT)

    def test_collected_hands_the_passport_in(self) -> None:
        done = Application("MTR", recorded=DAY, paid=DAY, issued=DAY, collected=DAY)
        m = Member("m", "A B C", phone=PHONE, application=done)
        f = facts(m, Stage.COLLECTED, risk=Risk.READY)
        assert f.hand_in and f.actions == () and f.bring == (Bring.PASSPORT,)
        held = Member(
            "h", "A B C", phone=PHONE, passport=Passport("B1", "A B C", dt.date(2030, 1, 1))
        )
        f = facts(held, Stage.COLLECTED, risk=Risk.READY)
        assert f.holds_passport and not f.hand_in and f.bring == ()

    def test_renewing_brings_the_old_passport_and_from_june_2018_kemenag_s_letter(self) -> None:
        old = Passport("B1234567", "SITI AMINAH HASAN", dt.date(2018, 9, 1))
        m = Member("m", "Siti Aminah Hasan", passport=old)
        today = (Todo(TodoCode.RENEW), Todo(TodoCode.APPLY, "MTR"))
        assert facts(m, Stage.NOT_STARTED, today).bring == (Bring.DOCUMENTS, Bring.OLD_PASSPORT)
        later = facts(m, Stage.NOT_STARTED, today, day=dt.date(2018, 5, 31))
        assert later.bring == (Bring.DOCUMENTS, Bring.OLD_PASSPORT, Bring.KEMENAG_LETTER)

    @pytest.mark.parametrize(
        ("day", "fee"),
        [
            (dt.date(2018, 3, 15), 355_000),  # Rp 300,000 + Rp 55,000 biometrics (FACTS.md)
            (dt.date(2019, 5, 3), 350_000),  # PP 28/2019
            (dt.date(2025, 1, 6), 650_000),  # PP 45/2024, the 10-year passport
        ],
    )
    def test_the_fee_of_the_date_when_there_is_one_to_pay(self, day: dt.date, fee: int) -> None:
        m = Member("m", "A B C", phone=PHONE, application=Application("MTR", recorded=day))
        f = facts(m, Stage.RECORDED, (Todo(TodoCode.PAY, "MTR"),), day=day)
        assert f.fee == fee
        assert Bring.KEEP_RECEIPT in f.bring


class TestHoldUps:
    """The disruptions the library says hold the member up, as the notice tells them."""

    def test_through_a_system_or_at_the_office(self) -> None:
        app = Application("MTR", recorded=DAY, paid=DAY)
        m = Member("m", "A B C", phone=PHONE, application=app)
        f = facts(m, Stage.RECORDED_AND_PAID, held_by=("simkim", "printer", "gone"))
        simkim, printer = f.holdups  # an id the scenario no longer has is left out
        assert simkim == HoldUp(
            "simkim", "MTR", ("SIMKIM",), SIMKIM_DOWN.stops, 0.0, dt.date(2018, 3, 5),
            dt.date(2018, 3, 23), certain=True,
        )  # fmt: skip
        assert printer.systems == () and printer.capacity_factor == 0.5
        assert printer.likely_recovery is None and not printer.certain

    def test_printed_is_held_up_by_nothing(self) -> None:
        app = Application("MTR", recorded=DAY, paid=DAY, issued=DAY)
        m = Member("m", "A B C", phone=PHONE, application=app)
        f = facts(m, Stage.ISSUED, (Todo(TodoCode.COLLECT, "MTR"),), held_by=("simkim",))
        assert f.holdups == ()


def example() -> Scenario:
    with as_file(files("grouppass") / "data" / "mataram-2018.json") as path:
        return load_scenario(path)


class TestFromTheLibrary:
    """The example replayed: a notice names the outage only once it was reported."""

    @pytest.mark.parametrize(
        ("day", "named"),
        [(dt.date(2018, 3, 14), False), (dt.date(2018, 3, 15), True)],
    )
    def test_reported_on_15_march(self, day: dt.date, named: bool) -> None:
        s = example()
        (outage,) = s.disruptions
        assert outage.reported == dt.date(2018, 3, 15)  # the example's fact
        group = s.groups[0]
        figures = assess(s, day, samples=100).groups[0]
        nashif = next(m for m in figures.members if m.member_id == "nashif")
        f = notice_facts(s, group, group.member("nashif"), nashif, figures, day)
        assert [h.disruption_id for h in f.holdups] == ([outage.id] if named else [])
        assert f.actions == tuple(t for t in nashif.today if t.code is not TodoCode.PHONE)


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
