"""Which disruptions hold a member up: the offices a disruption hits, as known on a day.

A disruption hits an office directly or through a system the office runs on
(:meth:`grouppass.model.Disruption.hits`). On the day the figures are for it
holds the office up only if the organiser knew of it by then (``reported``,
else ``start``), it had started, and it had not ended — so a replay of
15 March never names an outage first reported on the 20th.

>>> import datetime as dt
>>> from grouppass.model import Disruption, Office
>>> mtr = Office("MTR", "Kanim Mataram", "Asia/Makassar", systems=("SIMKIM",))
>>> d = Disruption("d1", dt.date(2018, 3, 5), systems=("SIMKIM",), reported=dt.date(2018, 3, 15))
>>> is_holding(d, mtr, dt.date(2018, 3, 15)), is_holding(d, mtr, dt.date(2018, 3, 14))
(True, False)
"""

from __future__ import annotations

import datetime as dt

from grouppass.model import Disruption, Office, Scenario

__all__ = ["holding", "is_holding", "known_active", "shared_systems"]


def known_active(disruption: Disruption, as_of: dt.date) -> bool:
    """Known by the end of ``as_of``, started, and not yet ended."""
    if disruption.known_from > as_of or disruption.start > as_of:
        return False
    return disruption.ended is None or disruption.ended > as_of


def is_holding(disruption: Disruption, office: Office, as_of: dt.date) -> bool:
    """Does ``disruption`` hold ``office`` up on ``as_of``, as far as anyone knew then?"""
    return known_active(disruption, as_of) and disruption.hits(office)


def holding(scenario: Scenario, office_code: str, as_of: dt.date) -> tuple[Disruption, ...]:
    """The disruptions holding the office ``office_code`` up on ``as_of`` (unknown code: none)."""
    try:
        office = scenario.office(office_code)
    except KeyError:
        return ()
    return tuple(d for d in scenario.disruptions if is_holding(d, office, as_of))


def shared_systems(
    scenario: Scenario, office_code: str, other_code: str, as_of: dt.date
) -> tuple[str, ...]:
    """Codes of systems whose disruption holds both offices up on ``as_of``.

    Why switching between them does not help: "both run on SIMKIM, which is down".
    """
    try:
        a, b = scenario.office(office_code), scenario.office(other_code)
    except KeyError:
        return ()
    out: list[str] = []
    for d in scenario.disruptions:
        if is_holding(d, a, as_of) and is_holding(d, b, as_of):
            out += [s for s in d.systems if s in a.systems and s in b.systems and s not in out]
    return tuple(out)
