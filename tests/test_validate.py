"""Record rules declared once: the model, the readers and forms get the same findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from gp_strategies import safe_text
from hypothesis import given, settings
from hypothesis import strategies as st

from grouppass import limits, validate
from grouppass.errors import ScenarioError
from grouppass.formats import structure_member, structure_office
from grouppass.model import (
    Alternative,
    Application,
    Disruption,
    Group,
    Member,
    Office,
    Passport,
    Recovery,
    Rules,
    ThreePoint,
    Title,
)
from grouppass.validate import Code, Finding, InvalidRecord, findings

D = dt.date
WITA = dt.timezone(dt.timedelta(hours=8))


def codes(found: list[Finding]) -> list[tuple[str, Code]]:
    return [(f.field, f.code) for f in found]


class TestFindings:
    def test_follow_up_before_contacted(self) -> None:
        found = findings(Member, id="m", name="Siti", contacted=D(2018, 3, 12),
                         follow_up=D(2018, 3, 10))  # fmt: skip
        assert codes(found) == [("follow_up", Code.ORDER)]
        assert found[0].message == "follow_up 2018-03-10 is before contacted 2018-03-12"
        assert found[0].params == {
            "value": D(2018, 3, 10), "other": "contacted", "other_value": D(2018, 3, 12)
        }  # fmt: skip

    def test_the_model_refuses_what_findings_finds(self) -> None:
        with pytest.raises(InvalidRecord) as info:
            Member("m", "Siti", contacted=D(2018, 3, 12), follow_up=D(2018, 3, 10))
        assert isinstance(info.value, ValueError)
        assert codes(list(info.value.findings)) == [("follow_up", Code.ORDER)]
        assert str(info.value) == "follow_up: follow_up 2018-03-10 is before contacted 2018-03-12"

    def test_every_broken_rule_of_an_office(self) -> None:
        found = findings(
            Office, code="MTR", name="Kanim\x1b[2J", timezone="WITA", daily_capacity=0.5,
            daily_intake=20_000, closures=(D(1989, 12, 31),),
            alternatives=(Alternative("MTR"), Alternative("LTM", 1), Alternative("LTM", 2)),
        )  # fmt: skip
        assert codes(found) == [
            ("name", Code.CONTROL_CHARACTER),
            ("timezone", Code.TIMEZONE),
            ("daily_capacity", Code.OUT_OF_RANGE),
            ("daily_intake", Code.OUT_OF_RANGE),
            ("closures[0]", Code.OUT_OF_RANGE),
            ("alternatives[0].office", Code.OWN_ALTERNATIVE),
            ("alternatives[2].office", Code.DUPLICATE),
        ]
        assert found[2].params == {
            "value": 0.5, "low": 1.0, "high": 10_000.0, "unit": "passports a day"
        }  # fmt: skip
        assert found[0].params == {"character": "U+001B"}

    def test_application_order_names_the_field(self) -> None:
        cases: list[tuple[dict[str, Any], str, Code]] = [
            ({"booked": D(2018, 3, 2), "recorded": D(2018, 3, 1)}, "recorded", Code.ORDER),
            ({"recorded": D(2018, 3, 2), "paid": D(2018, 3, 5), "issued": D(2018, 3, 4)},
             "issued", Code.ORDER),
            ({"recorded": D(2018, 3, 2), "paid": D(2018, 3, 2), "issued": D(2018, 3, 4),
              "collected": D(2018, 3, 3)}, "collected", Code.ORDER),
            ({"paid": D(2018, 3, 2), "issued": D(2018, 3, 4)}, "issued", Code.NEEDS),
            ({"collected": D(2018, 3, 4)}, "collected", Code.NEEDS),
            ({"paid": D(2101, 1, 1)}, "paid", Code.OUT_OF_RANGE),
        ]  # fmt: skip
        for fields, field, code in cases:
            assert codes(findings(Application, office="MTR", **fields)) == [(field, code)]

    def test_three_point_and_recovery(self) -> None:
        assert codes(findings(ThreePoint, low=3, mode=2, high=5)) == [("mode", Code.ORDER)]
        assert codes(findings(ThreePoint, low=6, mode=6, high=5)) == [("low", Code.ORDER)]
        assert codes(findings(ThreePoint, low=0, mode=1, high=1e9)) == [("high", Code.OUT_OF_RANGE)]
        assert codes(findings(ThreePoint, low=0, mode=1, high=float("inf"))) == [
            ("high", Code.WRONG_TYPE)
        ]
        assert codes(findings(Recovery, low=D(2018, 3, 9), mode=D(2018, 3, 8))) == [
            ("mode", Code.ORDER)
        ]

    def test_disruption_needs_a_target_and_a_sane_recovery(self) -> None:
        found = findings(
            Disruption, id="d", start=D(2018, 3, 5), capacity_factor=1.5,
            recovery=Recovery(D(2018, 3, 1), D(2018, 3, 9)), ended=D(2018, 3, 4),
        )  # fmt: skip
        assert codes(found) == [
            ("", Code.NO_TARGET),
            ("capacity_factor", Code.OUT_OF_RANGE),
            ("recovery.low", Code.ORDER),
            ("ended", Code.ORDER),
        ]

    def test_group(self) -> None:
        found = findings(
            Group, id="g", name="", office="MTR", departure=dt.datetime(2018, 5, 16, 9),
            visa_lead_days=800_000, capacity=0, timezone="Asia/Makasar",
            members=(Member("a", "A"), Member("a", "B")),
        )  # fmt: skip
        assert codes(found) == [
            ("departure", Code.NO_UTC_OFFSET),
            ("timezone", Code.TIMEZONE),
            ("visa_lead_days", Code.OUT_OF_RANGE),
            ("capacity", Code.OUT_OF_RANGE),
            ("members[1].id", Code.DUPLICATE),
        ]
        far = dt.datetime(9999, 12, 31, tzinfo=WITA)
        assert codes(findings(Group, id="g", name="", office="MTR", departure=far)) == [
            ("departure", Code.OUT_OF_RANGE)
        ]

    def test_rules(self) -> None:
        found = findings(
            Rules, min_validity_months=100_000, min_name_words=0, target_probability=0.0,
            service_tail=0.9, point_value=-1,
        )  # fmt: skip
        assert codes(found) == [
            ("min_validity_months", Code.OUT_OF_RANGE),
            ("min_name_words", Code.OUT_OF_RANGE),
            ("target_probability", Code.OUT_OF_RANGE),
            ("service_tail", Code.OUT_OF_RANGE),
            ("point_value", Code.OUT_OF_RANGE),
        ]

    def test_personal_data_is_never_in_a_message(self) -> None:
        found = findings(Member, id="m", name="Siti", nik="5271-0112")
        found += findings(Passport, number="B 7654321", name="SITI", expires=D(2030, 1, 1))
        assert codes(found) == [("nik", Code.NIK), ("number", Code.PASSPORT_NUMBER)]
        assert all("5271" not in f.message and "7654321" not in f.message for f in found)
        assert all(not f.params for f in found)

    def test_masked_numbers_are_records_of_a_number_already_saved(self) -> None:
        assert findings(Member, id="m", name="Siti", nik="52**********03") == []
        assert findings(Passport, number="B1****67", name="SITI", expires=D(2030, 1, 1)) == []

    def test_types(self) -> None:
        assert codes(findings(Member, id=5, name=None)) == [
            ("id", Code.WRONG_TYPE), ("name", Code.REQUIRED)
        ]  # fmt: skip
        assert codes(findings(Member, id="m", name="A", title="bapak")) == [
            ("title", Code.WRONG_TYPE)
        ]
        assert codes(findings(Office, code="X", name="", timezone="UTC", daily_capacity="a")) == [
            ("daily_capacity", Code.WRONG_TYPE)
        ]
        with pytest.raises(TypeError, match="no field 'nama'"):
            findings(Member, id="m", nama="A")

    def test_time_zones_one_way(self) -> None:
        assert validate.timezone_problem("Asia/Jayapura") is None
        bad_ones = ("Asia", "asia/jakarta ", "WIB", "../etc/passwd", "Asia/Jakarta\x1b", "",
                    "localtime", "Factory", "right/Asia/Jakarta", "posix/Asia/Jakarta")  # fmt: skip
        for bad in bad_ones:
            assert validate.timezone_problem(bad) is not None, bad


class TestSameVerdictEverywhere:
    """The model, a lone record and a file say the same thing about the same value."""

    def test_follow_up_before_contacted(self) -> None:
        doc = {"id": "m", "name": "Siti", "contacted": "2018-03-12", "follow_up": "2018-03-10"}
        with pytest.raises(ScenarioError) as info:
            structure_member(doc, "groups[0].members[2]")
        assert [(p.path, p.message) for p in info.value.problems] == [
            ("groups[0].members[2].follow_up",
             "follow_up 2018-03-10 is before contacted 2018-03-12")
        ]  # fmt: skip

    def test_capacity_below_one_passport_a_day(self) -> None:
        """Was > 0 in the model and >= 1 in the TUI's office form."""
        doc = {"code": "X", "name": "", "timezone": "Asia/Jakarta", "daily_capacity": 0.5}
        with pytest.raises(ScenarioError) as info:
            structure_office(doc)
        message = "must be between 1 and 10000 passports a day, got 0.5"
        assert [(p.path, p.message) for p in info.value.problems] == [("daily_capacity", message)]
        assert [f.message for f in findings(Office, code="X", name="", timezone="Asia/Jakarta",
                                            daily_capacity=0.5)] == [message]  # fmt: skip


# -- the fast paths say what the full rules say ----------------------------------------------


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Good values three times in four: both sides of every check get drawn."""
    return st.one_of(good, good, good, bad)


_dates = _mostly(
    st.one_of(st.none(), st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))),
    st.one_of(
        st.dates(min_value=D(1985, 1, 1), max_value=D(2105, 1, 1)),
        st.sampled_from([limits.DATES.low, limits.DATES.high, "2018-03-01"]),
        st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2001, 1, 1)),
    ),
)
_strings = _mostly(
    safe_text(min_size=1, max_size=6, blank=False),
    st.one_of(
        st.none(),
        st.text(max_size=6),
        st.sampled_from(["", " ", "\u00a0x", "Siti\u202e", "a" * 65, "a" * 201, "x\ny", 5]),
    ),
)
_optional = st.one_of(st.none(), _strings)


@settings(max_examples=400, deadline=None)
@given(
    ident=_strings, name=_strings, phone=_optional,
    nik=_mostly(st.sampled_from([None, "5271011204680003", "52**********03"]), _strings),
    contacted=_dates, follow_up=_dates,
    title=st.sampled_from([None, Title.IBU, None, Title.BAPAK, "ibu"]),
    notes=st.sampled_from(["", "", "x", "a\nb", "\x00", None]),
    passport=st.sampled_from([None, None, Passport("B1234567", "SITI", D(2030, 1, 1)), "B1"]),
)  # fmt: skip
def test_member_fast_path_agrees(**fields: Any) -> None:
    draft = object.__new__(Member)
    fields["id"] = fields.pop("ident")
    for name, value in fields.items():
        object.__setattr__(draft, name, value)
    object.__setattr__(draft, "application", None)
    assert (validate.check_member(draft) == []) == (validate._member_rules(draft) == [])


@settings(max_examples=400, deadline=None)
@given(
    office=_strings, booked=_dates, recorded=_dates, paid=_dates, issued=_dates,
    collected=_dates, express=st.sampled_from([True, False, False, None]),
)  # fmt: skip
def test_application_fast_path_agrees(**fields: Any) -> None:
    draft = object.__new__(Application)
    for name, value in fields.items():
        object.__setattr__(draft, name, value)
    assert (validate.check_application(draft) == []) == (validate._application_rules(draft) == [])


@settings(max_examples=200, deadline=None)
@given(
    number=_mostly(st.sampled_from(["B1234567", "B1****67", "b12"]), _strings),
    name=_strings,
    expires=_dates,
)
def test_passport_fast_path_agrees(**fields: Any) -> None:
    draft = object.__new__(Passport)
    for name, value in fields.items():
        object.__setattr__(draft, name, value)
    assert (validate.check_passport(draft) == []) == (validate._passport_rules(draft) == [])
