"""The range of every number and date a user can give grouppass, declared once.

Scenario files, the database, manifests, the command line and the TUI forms
all check their values against these, and the forecast is built to be safe
anywhere inside them (issue 10.6: a ``visa_lead_days`` of 800000 or a
departure in year 9999 crashed it). docs/scenario-format.md and docs/cli.md
list them; a test keeps those tables equal to this module.

>>> VISA_LEAD_DAYS.problem(800_000)
'must be between 0 and 365 days, got 800000'
>>> 14 in VISA_LEAD_DAYS, DATES.problem(dt.date(9999, 12, 31))
(True, 'must be between 1990-01-01 and 2100-12-31, got 9999-12-31')
"""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from attrs import frozen

__all__ = [
    "BACKGROUND_RATE",
    "CAPACITY_FACTOR",
    "CSV_MAX_BYTES",
    "DAILY_CAPACITY",
    "DAILY_INTAKE",
    "DATES",
    "GROUP_CAPACITY",
    "ID_LENGTH",
    "MANIFEST_MAX_CELL",
    "MANIFEST_MAX_COLUMNS",
    "MANIFEST_MAX_ROWS",
    "MIN_NAME_WORDS",
    "MIN_VALIDITY_MONTHS",
    "NAME_LENGTH",
    "NOTE_LENGTH",
    "NUMBERS",
    "PHONE_LENGTH",
    "POINT_VALUE",
    "SAMPLES",
    "SCENARIO_MAX_BYTES",
    "SEED",
    "SERVICE_DAYS",
    "SERVICE_TAIL",
    "TARGET_PROBABILITY",
    "TRAVEL_COST",
    "TRAVEL_DAYS",
    "VISA_LEAD_DAYS",
    "XLSX_MAX_BYTES",
    "XLSX_MAX_RATIO",
    "Limit",
]

T = TypeVar("T", int, float, dt.date)


@frozen
class Limit(Generic[T]):
    """An interval a value must lie in: inclusive unless ``low_open``/``high_open``.

    >>> TARGET_PROBABILITY.describe(), SERVICE_TAIL.problem(0.7)
    ('above 0 and at most 1', 'must be between 0 and 0.5, got 0.7')
    """

    low: T
    high: T
    unit: str = ""
    """Said after the numbers: ``0 and 365 days``."""
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: object) -> bool:
        try:
            above = value > self.low if self.low_open else value >= self.low  # type: ignore[operator]
            below = value < self.high if self.high_open else value <= self.high  # type: ignore[operator]
        except TypeError:
            return False
        return bool(above and below)

    def describe(self) -> str:
        """The range in words, as the docs' tables show it: ``0 and 365 days``."""
        low, high = _show(self.low), _show(self.high)
        unit = f" {self.unit}" if self.unit else ""
        if self.low_open:
            return f"above {low} and {'below' if self.high_open else 'at most'} {high}{unit}"
        if self.high_open:
            return f"at least {low} and below {high}{unit}"
        return f"between {low} and {high}{unit}"

    def problem(self, value: T) -> str | None:
        """What is wrong with ``value`` for a message (``must be between ...``), or None."""
        if value in self:
            return None
        return f"must be {self.describe()}, got {_show(value)}"


def _show(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, int) and not -(10**30) < value < 10**30:
        return "a number far too large"
    return str(value)


# -- dates -----------------------------------------------------------------------------------

DATES: Limit[dt.date] = Limit(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
"""Every date: departures, stage dates, recoveries, closures, passport expiry, ``--as-of``.

Wide enough for any passport alive today and any season planned, narrow
enough that the calendars and the forecast never meet year 1 or 9999."""

# -- rules -----------------------------------------------------------------------------------

MIN_VALIDITY_MONTHS: Limit[int] = Limit(0, 120, "months")
MIN_NAME_WORDS: Limit[int] = Limit(1, 10, "words")
TARGET_PROBABILITY: Limit[float] = Limit(0.0, 1.0, low_open=True)
SERVICE_TAIL: Limit[float] = Limit(0.0, 0.5)
"""A share of applications beyond the office's ``high``: past one half, ``high`` is no high."""
BACKGROUND_RATE: Limit[float] = Limit(0.0, 52.0, "per year")
"""More than one unannounced outage a week is not a background rate but a broken office."""
POINT_VALUE: Limit[int] = Limit(0, 10_000_000_000, "rupiah")

# -- offices and disruptions -----------------------------------------------------------------

SERVICE_DAYS: Limit[float] = Limit(0.0, 250.0, "working days")
"""Each of a three-point estimate's ``low``, ``mode`` and ``high``: 250 is a working year."""
DAILY_CAPACITY: Limit[float] = Limit(1.0, 10_000.0, "passports a day")
DAILY_INTAKE: Limit[float] = Limit(0.0, 10_000.0, "applications a day")
TRAVEL_DAYS: Limit[int] = Limit(0, 60, "days")
TRAVEL_COST: Limit[int] = Limit(0, 1_000_000_000, "rupiah")
CAPACITY_FACTOR: Limit[float] = Limit(0.0, 1.0)

# -- groups ----------------------------------------------------------------------------------

VISA_LEAD_DAYS: Limit[int] = Limit(0, 365, "days")
GROUP_CAPACITY: Limit[int] = Limit(1, 1000, "seats")

# -- the command line ------------------------------------------------------------------------

SEED: Limit[int] = Limit(0, 2**32 - 1)
SAMPLES: Limit[int] = Limit(1, 100_000)
"""Scenarios drawn by ``grouppass check``: 100,000 already takes minutes for a season."""

NUMBERS: dict[str, Limit[int] | Limit[float]] = {
    "rules.min_validity_months": MIN_VALIDITY_MONTHS,
    "rules.min_name_words": MIN_NAME_WORDS,
    "rules.target_probability": TARGET_PROBABILITY,
    "rules.service_tail": SERVICE_TAIL,
    "rules.background_outages.office": BACKGROUND_RATE,
    "rules.background_outages.system": BACKGROUND_RATE,
    "rules.point_value": POINT_VALUE,
    "offices[].booking_days": SERVICE_DAYS,
    "offices[].issue_days": SERVICE_DAYS,
    "offices[].collect_days": SERVICE_DAYS,
    "offices[].daily_capacity": DAILY_CAPACITY,
    "offices[].daily_intake": DAILY_INTAKE,
    "offices[].alternatives[].travel_days": TRAVEL_DAYS,
    "offices[].alternatives[].travel_cost": TRAVEL_COST,
    "disruptions[].capacity_factor": CAPACITY_FACTOR,
    "groups[].visa_lead_days": VISA_LEAD_DAYS,
    "groups[].capacity": GROUP_CAPACITY,
}
"""Every number of the scenario file and the limit it has (the docs' table is checked on it)."""

# -- text ------------------------------------------------------------------------------------

ID_LENGTH = 64
"""Codes and ids: office and system codes, disruption, group and member ids."""
NAME_LENGTH = 200
"""Names of people, offices, groups, systems and the agency; the name in a passport."""
PHONE_LENGTH = 40
NOTE_LENGTH = 2000
"""Notes: a member's ``notes``, a disruption's ``note``."""

# -- files -----------------------------------------------------------------------------------

MANIFEST_MAX_ROWS = 20_000
"""Rows of one manifest: a season's largest group is a few hundred travellers."""
MANIFEST_MAX_COLUMNS = 200
MANIFEST_MAX_CELL = 10_000
"""Characters in one manifest cell: the longest note anyone types is far shorter."""
CSV_MAX_BYTES = 50 * 1024 * 1024
XLSX_MAX_BYTES = 200 * 1024 * 1024
"""Uncompressed size of all the members of an XLSX archive, checked before it is parsed."""
XLSX_MAX_RATIO = 100
"""Uncompressed to compressed size of any member: spreadsheets compress 5-20x, bombs 1000x."""
SCENARIO_MAX_BYTES = 1024 * 1024 * 1024
"""A scenario file: 1,000,000 travellers take about 300 MB; ``/dev/zero`` would never end."""
