"""What a lever costs, in rupiah, by the rules of the date (FACTS.md, as reported).

* Passport fee (an ordinary passport, what umrah pilgrims get): Rp 300,000
  plus Rp 55,000 for biometrics until PP 28/2019 came into force on 3 May
  2019; Rp 350,000 from then; from 18 December 2024 (PP 45/2024) Rp 650,000
  for the 10-year passport adults get.
* Express service (percepatan, same day): Rp 1,000,000 on top, and only from
  3 May 2019 (PP 28/2019): before that no office offers it.
* Travel to another office: what the office's ``alternatives[].travel_cost``
  says, else :data:`TRAVEL_PER_DAY` per calendar day of travel and per
  traveller (transport, a meal, a night away for long trips).

>>> passport_fee(dt.date(2018, 3, 1)), passport_fee(dt.date(2025, 1, 6))
(355000, 650000)
>>> express_allowed(dt.date(2018, 3, 15))
False
"""

from __future__ import annotations

import datetime as dt

from grouppass.model import Alternative

__all__ = [
    "EXPRESS_FEE",
    "EXPRESS_FROM",
    "TRAVEL_PER_DAY",
    "express_allowed",
    "passport_fee",
    "travel_cost",
]

PP_28_2019 = dt.date(2019, 5, 3)
"""PP 28/2019 in force (signed 18 April 2019, in force 15 days later)."""
PP_45_2024 = dt.date(2024, 12, 18)
"""PP 45/2024 in force (signed 18 October 2024, in force 60 days later)."""

EXPRESS_FROM = PP_28_2019
EXPRESS_FEE = 1_000_000
TRAVEL_PER_DAY = 150_000
"""Rupiah per traveller per calendar day of travel to another office, when the file
does not say: a day's transport and food in NTB or a provincial town (judgement)."""


def passport_fee(day: dt.date) -> int:
    """The fee for an ordinary passport applied for on ``day``."""
    if day < PP_28_2019:
        return 300_000 + 55_000
    if day < PP_45_2024:
        return 350_000
    return 650_000


def express_allowed(day: dt.date) -> bool:
    """Does the law of ``day`` know express service at all?"""
    return day >= EXPRESS_FROM


def travel_cost(alternative: Alternative) -> int:
    """Rupiah per traveller to get to ``alternative``."""
    if alternative.travel_cost is not None:
        return alternative.travel_cost
    return TRAVEL_PER_DAY * alternative.travel_days
