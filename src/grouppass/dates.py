"""Dates as people type and import them: ISO, day-first numbers, Indonesian or English months.

The one reader of typed dates: manifests (CSV/XLSX cells), the TUI's date
fields and the command line's ``--as-of`` all accept exactly these forms
(issue 11.2). Scenario files are stricter: ``YYYY-MM-DD`` only
(docs/scenario-format.md), so a file reads the same to everyone.

>>> parse_date("27/02/2018"), parse_date("27-02-2018"), parse_date("27 Februari 2018")
(datetime.date(2018, 2, 27), datetime.date(2018, 2, 27), datetime.date(2018, 2, 27))
>>> parse_date("Selasa, 27 Feb 2018")
datetime.date(2018, 2, 27)
>>> parse_date("02/27/2018")  # doctest: +ELLIPSIS
Traceback (most recent call last):
grouppass.dates.DateError: not a date: '02/27/2018' (write 27/02/2018, 27 Februari 2018 or ...)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from grouppass import limits
from grouppass.validate import Code

__all__ = ["MONTHS", "DateError", "parse_date", "parse_time"]

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

FORMS = "27/02/2018, 27 Februari 2018 or 2018-02-27"
"""The forms an error message suggests."""


class DateError(ValueError):
    """Text that is not a date; ``code`` and ``params`` say why, for a translated message.

    ``code`` is :attr:`Code.REQUIRED` (nothing typed), ``DATE_FORM``,
    ``DATE_MONTH`` (``params["month"]``), ``DATE_NO_SUCH_DAY``, ``DATE_NUMBER`` or
    ``OUT_OF_RANGE`` (outside :data:`grouppass.limits.DATES`); ``params["text"]``
    is what was typed (shortened).
    """

    def __init__(self, message: str, code: Code, params: Mapping[str, object]) -> None:
        super().__init__(message)
        self.code = code
        self.params = dict(params)


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def _not_a_date(value: str, code: Code, **params: object) -> DateError:
    text = _shown(value.strip())
    return DateError(f"not a date: {text!r} (write {FORMS})", code, {"text": text, **params})


def parse_date(value: object, *, limit: limits.Limit[dt.date] | None = limits.DATES) -> dt.date:
    """A date from text a person typed or a spreadsheet cell; raises :class:`DateError`.

    Day first (``27/02/2018``, ``27-2-2018``, ``27.02.2018``), ISO
    (``2018-02-27``), or a month name in Indonesian or English, full or short
    (``27 Februari 2018``, ``27 Feb 2018``), with or without a weekday in
    front. Date cells (``datetime``/``date``) are taken as they are. The date
    must lie in ``limit`` (every date grouppass takes does); ``None`` skips that.
    """
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool) or not isinstance(value, str):
        if isinstance(value, int | float):
            raise DateError(
                f"a number, not a date: {value!r} (format the column as dates or as text)",
                Code.DATE_NUMBER,
                {"value": value},
            )
        if isinstance(value, dt.time | dt.timedelta):  # a cell formatted as a time
            shown = str(value)
            raise DateError(
                f"a time, not a date: {shown} (format the column as dates or as text)",
                Code.DATE_FORM,
                {"text": shown},
            )
        raise DateError(f"not a date: {value!r}", Code.DATE_FORM, {"text": repr(value)})
    else:
        day = _parse_text(value)
    if limit is not None and day not in limit:
        problem = limit.problem(day)
        raise DateError(str(problem), Code.OUT_OF_RANGE,
                        {"value": day, "low": limit.low, "high": limit.high})  # fmt: skip
    return day


def _parse_text(value: str) -> dt.date:
    text = _WEEKDAY.sub("", value.strip())
    if not text:
        raise DateError("no date given", Code.REQUIRED, {"text": ""})
    if m := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _NUMERIC.fullmatch(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _NAMED.fullmatch(text):
        name = m.group(2).casefold()
        if name not in MONTHS:
            raise _not_a_date(value, Code.DATE_MONTH, month=_shown(m.group(2)))
        day, month, year = int(m.group(1)), MONTHS[name], int(m.group(3))
    else:
        raise _not_a_date(value, Code.DATE_FORM)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _not_a_date(value, Code.DATE_NO_SUCH_DAY) from None


_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def parse_time(value: str) -> dt.time:
    """A time of day as organisers type it, ``09:00`` or ``9.00``; ValueError otherwise.

    The one rule for a departure time: ``group add --time`` and the TUI's group form.

    >>> parse_time("9.30"), parse_time(" 23:59 ")
    (datetime.time(9, 30), datetime.time(23, 59))
    """
    m = _TIME.fullmatch(value.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError(f"not a time (HH:MM): {value!r}")
    return dt.time(int(m.group(1)), int(m.group(2)))
