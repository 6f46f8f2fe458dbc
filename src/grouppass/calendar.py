"""Working days per office: Monday–Friday, Indonesian holidays, cuti bersama, closures.

Public holidays and cuti bersama (joint leave, the ``government`` category of
the ``holidays`` package) come from ``holidays``, which follows the yearly
joint ministerial decree; its cuti bersama list is hard-coded through 2027, so
later years have public holidays only until the package is updated.

>>> import datetime as dt
>>> cal = WorkingCalendar.for_office(Office(code="MTR", name="Mataram", timezone="Asia/Makassar"))
>>> cal.add_working_days(dt.date(2018, 6, 8), 1)   # Friday before Idul Fitri 1439
datetime.date(2018, 6, 21)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import holidays
import numpy as np
import numpy.typing as npt
from attrs import frozen

from grouppass.model import Office, Rules

__all__ = ["DayGrid", "WorkingCalendar", "holiday_dates", "office_day_in_zone"]

# When a passport is handed over, counted in the office's local time: counters
# hand out printed passports in the afternoon.
COLLECTION_HOUR = 15


@functools.cache
def _holidays_for_year(year: int, cuti_bersama: bool) -> frozenset[dt.date]:
    categories: tuple[str, ...] = ("public", "government") if cuti_bersama else ("public",)
    table = holidays.country_holidays("ID", years=year, categories=categories)
    return frozenset(table.keys())


def holiday_dates(years: Iterable[int], *, cuti_bersama: bool = True) -> frozenset[dt.date]:
    """Indonesian public holidays (and cuti bersama when asked) in ``years``."""
    out: set[dt.date] = set()
    for year in years:
        out |= _holidays_for_year(year, cuti_bersama)
    return frozenset(out)


@frozen
class WorkingCalendar:
    """The days an office serves: weekdays that are neither holidays nor closures."""

    timezone: ZoneInfo
    closures: frozenset[dt.date]
    cuti_bersama_closes: bool = True

    @classmethod
    def for_office(cls, office: Office, rules: Rules | None = None) -> WorkingCalendar:
        rules = rules or Rules()
        return cls(
            timezone=ZoneInfo(office.timezone),
            closures=frozenset(office.closures),
            cuti_bersama_closes=rules.cuti_bersama_closes,
        )

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5 or day in self.closures:
            return False
        return day not in _holidays_for_year(day.year, self.cuti_bersama_closes)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The working day ``days`` working days after ``start`` (``start`` itself not counted).

        With ``days == 0`` this is ``start`` if it is a working day, else the next one.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        while days > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]."""
        n = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            n += self.is_working_day(day)
        return n

    def mask(self, grid: DayGrid) -> npt.NDArray[np.bool_]:
        """``True`` for each day of ``grid`` the office serves."""
        weekday = (np.arange(grid.size) + grid.origin.weekday()) % 7
        out = weekday < 5
        years = range(grid.origin.year, grid.end.year + 1)
        closed = holiday_dates(years, cuti_bersama=self.cuti_bersama_closes) | self.closures
        for day in closed:
            i = (day - grid.origin).days
            if 0 <= i < grid.size:
                out[i] = False
        return out


@frozen
class DayGrid:
    """Consecutive calendar days from ``origin``; the forecast works in indexes into it."""

    origin: dt.date
    size: int

    @property
    def end(self) -> dt.date:
        return self.origin + dt.timedelta(days=self.size - 1)

    def index(self, day: dt.date) -> int:
        return (day - self.origin).days

    def date(self, index: int) -> dt.date:
        return self.origin + dt.timedelta(days=int(index))

    def dates(self) -> list[dt.date]:
        return [self.origin + dt.timedelta(days=i) for i in range(self.size)]


def office_day_in_zone(day: dt.date, office_zone: ZoneInfo, zone: dt.tzinfo) -> dt.date:
    """The date in ``zone`` at the moment a passport is handed over on ``day`` at the office.

    Indonesia's three zones are one hour apart and collection is in the
    afternoon, so this only moves the date for far-away group time zones.
    """
    moment = dt.datetime.combine(day, dt.time(COLLECTION_HOUR), tzinfo=office_zone)
    return moment.astimezone(zone).date()
