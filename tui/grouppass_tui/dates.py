"""Dates as an organiser reads them, in the UI language, and dates typed by one.

pendulum knows Indonesian day and month names ("Kamis, 15 Maret 2018");
hijridate gives the Umm al-Qura Hijri date shown beside a departure. Umm
al-Qura is Saudi Arabia's calendar, while Indonesia fixes months by sighting
(isbat), so the two can differ by a day — the UI says so next to it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pendulum
from hijridate import Gregorian

from grouppass.wording import date_text
from grouppass_tui.i18n import language, t, t_in

__all__ = [
    "hijri_date",
    "long_date",
    "medium_date",
    "parse_date",
    "short_date",
]


@lru_cache(maxsize=4096)
def _format(d: dt.date, pattern: str, lang: str) -> str:
    return pendulum.date(d.year, d.month, d.day).format(pattern, locale=lang)


def long_date(d: dt.date, lang: str | None = None) -> str:
    """``Kamis, 15 Maret 2018`` / ``Thursday, 15 March 2018``: the weekday, then the
    library's own date words (:func:`grouppass.wording.date_text`), so a date reads the
    same in the TUI, the notices and ``grouppass check``."""
    lang = lang or language()
    return f"{_format(d, 'dddd', lang)}, {date_text(d, lang)}"


def medium_date(d: dt.date, lang: str | None = None) -> str:
    """``Kam 15 Mar 2018``: for headers and lists where the weekday matters."""
    return _format(d, "ddd D MMM YYYY", lang or language())


def short_date(d: dt.date, ref_year: int | None = None, lang: str | None = None) -> str:
    """``15 Mar`` in ``ref_year`` (tables, where every column is narrow), else ``15 Mar 19``."""
    if ref_year is not None and d.year == ref_year:
        return _format(d, "D MMM", lang or language())
    return _format(d, "D MMM YY", lang or language())


def hijri_date(d: dt.date, lang: str | None = None) -> str | None:
    """The Umm al-Qura date, ``2 Ramadan 1439 H``; None outside hijridate's range."""
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except (OverflowError, ValueError):
        return None
    lang = lang or language()
    month = t_in(lang, f"hijri.month.{h.month}")
    return t_in(lang, "hijri.date", day=h.day, month=month, year=h.year)


_MONTH_NAMES = (
    # Indonesian and English names and the usual abbreviations, lower case.
    "januari februari maret april mei juni juli agustus september oktober november desember",
    "january february march april may june july august september october november december",
    "jan feb mar apr mei jun jul agu sep okt nov des",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "jan peb mar apr mei jun jul agt sept okt nop des",
)
_MONTHS = {name: i for names in _MONTH_NAMES for i, name in enumerate(names.split(), start=1)}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_NAMED = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")


def parse_date(text: str) -> dt.date:
    """A date typed the ways Indonesian offices write them.

    Accepts ``2018-03-15``, ``15/03/2018``, ``15-03-2018``, ``15.03.2018`` and
    ``15 Maret 2018`` / ``15 March 2018``. Raises ValueError with a message in
    the UI language that says what is wrong.

    >>> parse_date("27 Februari 2018")
    datetime.date(2018, 2, 27)
    """
    s = " ".join(text.strip().lower().split())
    if not s:
        raise ValueError(t("date.empty"))
    if m := _ISO.match(s):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DAY_FIRST.match(s):
        day, month, year = (int(g) for g in m.groups())
    elif m := _NAMED.match(s):
        day, year = int(m.group(1)), int(m.group(3))
        if m.group(2) not in _MONTHS:
            raise ValueError(t("date.bad_month", month=m.group(2)))
        month = _MONTHS[m.group(2)]
    else:
        raise ValueError(t("date.bad_form", text=text.strip()))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(t("date.no_such_day", text=text.strip())) from None
