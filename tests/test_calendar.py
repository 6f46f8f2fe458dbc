"""Working days per office: weekends, holidays, cuti bersama, closures, time zones."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from gp_builders import make_group, make_office
from hypothesis import given, settings
from hypothesis import strategies as st

from grouppass.assess import deadline_of, departure_date
from grouppass.calendar import DayGrid, WorkingCalendar, holiday_dates, office_day_in_zone
from grouppass.model import Rules

D = dt.date

IDUL_FITRI_1439_CUTI = [D(2018, 6, d) for d in (11, 12, 13, 14, 18, 19, 20)]
IDUL_FITRI_1439 = [D(2018, 6, 15), D(2018, 6, 16)]


def cal(*, cuti_bersama_closes: bool = True, closures: tuple[dt.date, ...] = ()) -> WorkingCalendar:
    office = make_office("A", closures=closures)
    return WorkingCalendar.for_office(office, Rules(cuti_bersama_closes=cuti_bersama_closes))


# -- weekends and holidays ----------------------------------------------------


def test_weekdays_work_and_weekends_do_not() -> None:
    c = cal()
    week = [D(2018, 3, 5) + dt.timedelta(days=i) for i in range(7)]  # Mon 5 .. Sun 11 Mar
    assert [c.is_working_day(d) for d in week] == [True] * 5 + [False] * 2


@pytest.mark.parametrize(
    "day",
    [
        D(2018, 1, 1),  # New Year
        D(2018, 3, 30),  # Good Friday
        D(2018, 5, 1),  # Labour Day (Tuesday)
        D(2018, 5, 10),  # Ascension (Thursday)
        D(2018, 5, 29),  # Vesak (Tuesday)
        D(2018, 6, 1),  # Pancasila Day (Friday)
        D(2018, 6, 15),  # Idul Fitri (Friday)
        D(2018, 8, 17),  # Independence Day (Friday)
        D(2018, 8, 22),  # Idul Adha (Wednesday)
        D(2018, 12, 25),  # Christmas (Tuesday)
    ],
)
def test_public_holidays_on_weekdays_are_closed(day: dt.date) -> None:
    assert day.weekday() < 5
    assert not cal().is_working_day(day)
    # Public holidays stay closed whatever the cuti bersama rule says.
    assert not cal(cuti_bersama_closes=False).is_working_day(day)


def test_idul_fitri_1439_cuti_bersama_closes_by_default() -> None:
    c = cal()
    for day in IDUL_FITRI_1439_CUTI + IDUL_FITRI_1439:
        assert not c.is_working_day(day), day
    assert c.is_working_day(D(2018, 6, 8))  # Friday before
    assert c.is_working_day(D(2018, 6, 21))  # first day back


def test_cuti_bersama_days_are_working_days_when_the_rule_says_so() -> None:
    c = cal(cuti_bersama_closes=False)
    for day in IDUL_FITRI_1439_CUTI:
        assert c.is_working_day(day), day
    for day in IDUL_FITRI_1439:
        assert not c.is_working_day(day), day
    # 24 Dec 2018 is cuti bersama too (Christmas joint leave).
    assert c.is_working_day(D(2018, 12, 24))
    assert not cal().is_working_day(D(2018, 12, 24))


def test_holiday_dates_separates_public_holidays_from_cuti_bersama() -> None:
    with_cuti = holiday_dates([2018])
    public = holiday_dates([2018], cuti_bersama=False)
    assert set(IDUL_FITRI_1439_CUTI) <= with_cuti
    assert not set(IDUL_FITRI_1439_CUTI) & public
    assert set(IDUL_FITRI_1439) <= public
    assert public < with_cuti


def test_regional_election_day_2018_is_closed() -> None:
    day = D(2018, 6, 27)  # Wednesday, Pilkada serentak
    assert day.weekday() == 2
    assert not cal().is_working_day(day)
    assert not cal(cuti_bersama_closes=False).is_working_day(day)
    assert cal().is_working_day(D(2018, 6, 26))
    assert cal().is_working_day(D(2018, 6, 28))


# -- add_working_days ---------------------------------------------------------


def test_one_working_day_after_the_friday_before_idul_fitri_is_the_21st() -> None:
    assert cal().add_working_days(D(2018, 6, 8), 1) == D(2018, 6, 21)


def test_without_cuti_bersama_the_next_working_day_is_monday_the_11th() -> None:
    assert cal(cuti_bersama_closes=False).add_working_days(D(2018, 6, 8), 1) == D(2018, 6, 11)
    # ... and a week of it skips only the two Idul Fitri days and the weekend.
    assert cal(cuti_bersama_closes=False).add_working_days(D(2018, 6, 8), 5) == D(2018, 6, 18)


def test_three_working_days_across_idul_fitri() -> None:
    # Paid Thursday 7 June: Fri 8, then Thu 21, Fri 22.
    assert cal().add_working_days(D(2018, 6, 7), 3) == D(2018, 6, 22)
    # ... and across the election day: Mon 25, Tue 26, (Wed 27 closed) Thu 28.
    assert cal().add_working_days(D(2018, 6, 22), 3) == D(2018, 6, 28)


def test_add_working_days_counts_from_the_day_after_start() -> None:
    c = cal()
    assert c.add_working_days(D(2018, 3, 5), 1) == D(2018, 3, 6)  # Mon -> Tue
    assert c.add_working_days(D(2018, 3, 9), 1) == D(2018, 3, 12)  # Fri -> Mon
    assert c.add_working_days(D(2018, 3, 10), 1) == D(2018, 3, 12)  # Sat -> Mon
    assert c.add_working_days(D(2018, 3, 1), 3) == D(2018, 3, 6)  # Thu -> Tue


def test_add_zero_working_days_is_the_day_itself_or_the_next_working_day() -> None:
    c = cal()
    assert c.add_working_days(D(2018, 3, 7), 0) == D(2018, 3, 7)
    assert c.add_working_days(D(2018, 3, 10), 0) == D(2018, 3, 12)
    assert c.add_working_days(D(2018, 6, 9), 0) == D(2018, 6, 21)


def test_add_negative_working_days_is_refused() -> None:
    with pytest.raises(ValueError):
        cal().add_working_days(D(2018, 3, 7), -1)


def test_working_days_between_counts_the_half_open_interval() -> None:
    c = cal()
    assert c.working_days_between(D(2018, 3, 5), D(2018, 3, 5)) == 0
    assert c.working_days_between(D(2018, 3, 5), D(2018, 3, 12)) == 5  # Tue..Fri + Mon
    # All of June 2018 after the 8th up to the 22nd: only the 21st and 22nd.
    assert c.working_days_between(D(2018, 6, 8), D(2018, 6, 22)) == 2
    assert cal(cuti_bersama_closes=False).working_days_between(D(2018, 6, 8), D(2018, 6, 22)) == 9


# -- closures -----------------------------------------------------------------


def test_office_closures_are_not_working_days() -> None:
    closed = (D(2018, 3, 7), D(2018, 3, 8))
    c = cal(closures=closed)
    assert not c.is_working_day(D(2018, 3, 7))
    assert not c.is_working_day(D(2018, 3, 8))
    assert c.is_working_day(D(2018, 3, 9))
    assert c.add_working_days(D(2018, 3, 6), 1) == D(2018, 3, 9)
    # Another office's calendar is untouched.
    assert cal().add_working_days(D(2018, 3, 6), 1) == D(2018, 3, 7)


def test_for_office_takes_timezone_and_closures_from_the_office() -> None:
    office = make_office("M", timezone="Asia/Makassar", closures=[D(2018, 3, 7)])
    c = WorkingCalendar.for_office(office)
    assert c.timezone == ZoneInfo("Asia/Makassar")
    assert c.closures == frozenset({D(2018, 3, 7)})
    assert c.cuti_bersama_closes


# -- mask agrees with is_working_day ------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    origin=st.dates(min_value=D(2015, 1, 1), max_value=D(2027, 6, 30)),
    size=st.integers(min_value=1, max_value=500),
    cuti=st.booleans(),
    closure_offsets=st.lists(st.integers(min_value=-10, max_value=510), max_size=6),
)
def test_mask_agrees_with_is_working_day(
    origin: dt.date, size: int, cuti: bool, closure_offsets: list[int]
) -> None:
    closures = tuple(origin + dt.timedelta(days=k) for k in closure_offsets)
    c = cal(cuti_bersama_closes=cuti, closures=closures)
    grid = DayGrid(origin, size)
    mask = c.mask(grid)
    assert mask.shape == (size,)
    assert [bool(x) for x in mask] == [c.is_working_day(d) for d in grid.dates()]


def test_mask_over_idul_fitri_1439() -> None:
    grid = DayGrid(D(2018, 6, 8), 15)  # Fri 8 .. Fri 22 June
    open_days = [d for d, ok in zip(grid.dates(), cal().mask(grid), strict=True) if ok]
    assert open_days == [D(2018, 6, 8), D(2018, 6, 21), D(2018, 6, 22)]


def test_day_grid_indexes_round_trip() -> None:
    grid = DayGrid(D(2018, 2, 25), 10)
    assert grid.end == D(2018, 3, 6)
    assert grid.index(D(2018, 3, 1)) == 4
    assert grid.date(4) == D(2018, 3, 1)
    assert len(grid.dates()) == 10


# -- time zones ---------------------------------------------------------------


WIB, WITA, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar"), ZoneInfo("Asia/Jayapura")


def test_office_day_in_zone_keeps_the_date_within_indonesia() -> None:
    day = D(2018, 4, 24)
    for office_zone in (WIB, WITA, WIT):
        for zone in (WIB, WITA, WIT, ZoneInfo("Asia/Riyadh")):
            assert office_day_in_zone(day, office_zone, zone) == day


def test_office_day_in_zone_moves_the_date_for_far_zones() -> None:
    # An afternoon collection in Mataram is the previous evening in Honolulu.
    day = D(2018, 4, 24)
    assert office_day_in_zone(day, WITA, ZoneInfo("Pacific/Honolulu")) == D(2018, 4, 23)
    assert office_day_in_zone(day, WITA, dt.timezone(dt.timedelta(hours=-10))) == D(2018, 4, 23)


def test_deadline_uses_the_departures_local_date_in_the_group_zone() -> None:
    # 01:00 WITA on the 15th is 00:00 WIB on the 15th: same date.
    g = make_group([], departure="2018-05-15T01:00:00+08:00", timezone="Asia/Jakarta")
    assert departure_date(g) == D(2018, 5, 15)
    assert deadline_of(g) == D(2018, 5, 15)
    # 00:30 WITA on the 15th is 23:30 WIB on the 14th: the deadline is a day earlier.
    g = make_group([], departure="2018-05-15T00:30:00+08:00", timezone="Asia/Jakarta")
    assert departure_date(g) == D(2018, 5, 14)
    assert deadline_of(g) == D(2018, 5, 14)


def test_deadline_without_a_group_zone_uses_the_departures_offset() -> None:
    g = make_group([], departure="2018-05-15T00:30:00+08:00", timezone=None)
    assert deadline_of(g) == D(2018, 5, 15)


def test_deadline_subtracts_the_visa_lead_time() -> None:
    g = make_group(
        [], departure="2018-05-15T09:00:00+08:00", timezone="Asia/Makassar", visa_lead_days=21
    )
    assert deadline_of(g) == D(2018, 4, 24)
    g = make_group(
        [], departure="2018-05-15T00:30:00+08:00", timezone="Asia/Jakarta", visa_lead_days=21
    )
    assert deadline_of(g) == D(2018, 4, 23)
