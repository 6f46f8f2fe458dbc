"""Dates as organisers write them: ISO, day-first numbers, or Indonesian/English month names.

>>> parse_date("27/02/2018"), parse_date("27-02-2018"), parse_date("27 Februari 2018")
(datetime.date(2018, 2, 27), datetime.date(2018, 2, 27), datetime.date(2018, 2, 27))
>>> parse_date("Selasa, 27 Feb 2018")
datetime.date(2018, 2, 27)
>>> parse_date("02/27/2018")
Traceback (most recent call last):
ValueError: not a date: '02/27/2018' (write 27/02/2018, 27 Februari 2018 or 2018-02-27)
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["MONTHS", "parse_date"]

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "january", "jan"),
        ("februari", "february", "pebruari", "feb", "peb"),
        ("maret", "march", "mar"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "ags", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_WEEKDAY = re.compile(
    r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"mon|tue|wed|thu|fri|sat|sun)\.?,?\s+",
    re.IGNORECASE,
)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_NUMERIC = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_NAMED = re.compile(r"(\d{1,2})[\s.-]*([^\W\d_]+)\.?[\s.,-]*(\d{4})")


def _problem(value: str) -> ValueError:
    shown = value if len(value) <= 40 else value[:37] + "..."
    return ValueError(f"not a date: {shown!r} (write 27/02/2018, 27 Februari 2018 or 2018-02-27)")


def parse_date(value: object) -> dt.date:
    """A date from a cell; raises ValueError with a message for the organiser."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float):
            raise ValueError(
                f"a number, not a date: {value!r} (format the column as dates or as text)"
            )
        raise ValueError(f"not a date: {value!r}")
    text = _WEEKDAY.sub("", value.strip())
    if m := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _NUMERIC.fullmatch(text):
        day, month, year = (int(g) for g in m.groups())
    elif (m := _NAMED.fullmatch(text)) and m.group(2).casefold() in MONTHS:
        day, month, year = int(m.group(1)), MONTHS[m.group(2).casefold()], int(m.group(3))
    else:
        raise _problem(value)
    if not 1900 <= year <= 2200:
        raise _problem(value)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _problem(value) from None
