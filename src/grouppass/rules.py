"""The umrah rules a passport must pass: validity at departure and words in the name."""

from __future__ import annotations

import calendar
import datetime as dt
import functools

from grouppass.model import Passport, Rules
from grouppass.results import Problem, ProblemCode

__all__ = ["add_months", "passport_problems"]

_REMEDY_APPLYING = "the new passport being applied for replaces it"


@functools.lru_cache(maxsize=4096)
def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, clamped to the month's end.

    >>> add_months(dt.date(2018, 8, 31), 6)
    datetime.date(2019, 2, 28)
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def passport_problems(
    passport: Passport, departure: dt.date, rules: Rules, *, applying: bool = False
) -> list[Problem]:
    """Every rule ``passport`` fails for a departure on ``departure``.

    ``applying``: a new passport is already being applied for, so the advice
    is to see that through rather than to start one.
    """
    needed = add_months(departure, rules.min_validity_months)
    words = len(passport.name.split())
    if passport.expires >= needed and words >= rules.min_name_words:
        return []  # the common case, for every member on every assessment
    problems = []
    if passport.expires < needed:
        problems.append(
            Problem(
                ProblemCode.EXPIRES_TOO_SOON,
                f"passport expires {passport.expires.isoformat()}; it must be valid until "
                f"at least {needed.isoformat()} ({rules.min_validity_months} months after "
                f"departure): {_REMEDY_APPLYING if applying else 'apply for a new one'}",
                expires=passport.expires,
                needed=needed,
                applying=applying,
            )
        )
    if words < rules.min_name_words:
        problems.append(
            Problem(
                ProblemCode.NAME_TOO_SHORT,
                f"the name on the passport has {words} word{'s' if words != 1 else ''}; "
                f"{rules.min_name_words} are required: "
                + (
                    _REMEDY_APPLYING + " (check it carries the name endorsement)"
                    if applying
                    else "apply for a new passport with a name endorsement "
                    "(add the father's or grandfather's name)"
                ),
                words=words,
                required=rules.min_name_words,
                applying=applying,
            )
        )
    return problems
