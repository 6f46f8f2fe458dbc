"""Shared builders: small scenarios made with the model classes directly.

Keep this generic. Defaults are chosen so that results are exact and easy to
reason about: an office in Asia/Jakarta with fixed service times (booking 1,
issuance 3, collection 0 working days), capacity 100 a day and intake 90.

Test modules import them as ``from gp_builders import ...`` (pytest puts
this directory on the path); a plain ``import conftest`` could pick up
another directory's conftest.py (tests/tui/...) instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from grouppass.calendar import DayGrid
from grouppass.forecast import Forecaster, Start, StartKind
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
    Scenario,
    Stops,
    System,
    ThreePoint,
)

D = dt.date
FAR_FUTURE = D(2030, 1, 1)
SAMPLES = 400
"""Samples for tests that need a distribution; enough for +-0.05 agreements."""
AS_SAID = Rules.as_said()
"""The rules these builders default to: the file taken at its word, so that
hand-worked figures hold. Tests of the outside view, tails, background
outages and the ramp pass their own rules."""


def days(value: float | tuple[float, float, float]) -> ThreePoint:
    if isinstance(value, tuple):
        return ThreePoint(*value)
    return ThreePoint.fixed(value)


def make_office(
    code: str = "A",
    *,
    name: str | None = None,
    timezone: str = "Asia/Jakarta",
    systems: Iterable[str] = (),
    booking: float | tuple[float, float, float] = 1,
    issue: float | tuple[float, float, float] = 3,
    collect: float | tuple[float, float, float] = 0,
    capacity: float = 100.0,
    intake: float | None = 90.0,
    closures: Iterable[dt.date] = (),
    alternatives: Mapping[str, int] | None = None,
) -> Office:
    """An office with fixed (or three-point) service times in working days."""
    return Office(
        code=code,
        name=name or f"Office {code}",
        timezone=timezone,
        systems=tuple(systems),
        booking_days=days(booking),
        issue_days=days(issue),
        collect_days=days(collect),
        daily_capacity=capacity,
        daily_intake=intake,
        closures=tuple(closures),
        alternatives=tuple(Alternative(o, t) for o, t in (alternatives or {}).items()),
    )


def outage(
    *,
    id: str = "outage",
    offices: Iterable[str] = (),
    systems: Iterable[str] = (),
    start: dt.date,
    low: dt.date,
    mode: dt.date | None = None,
    high: dt.date | str | None = "same",
    stops: Stops = Stops.ISSUANCE,
    capacity_factor: float = 0.0,
    reported: dt.date | None = None,
    ended: dt.date | None = None,
) -> Disruption:
    """A disruption; by default a full stop of issuance recovering exactly on ``low``.

    ``mode`` defaults to ``low``; ``high`` defaults to ``mode`` (a known
    recovery day) and may be ``None`` for an open-ended outage.
    """
    mode = low if mode is None else mode
    top = mode if high == "same" else high
    assert top is None or isinstance(top, dt.date)
    return Disruption(
        id=id,
        start=start,
        recovery=Recovery(low, mode, top),
        stops=stops,
        offices=tuple(offices),
        systems=tuple(systems),
        capacity_factor=capacity_factor,
        reported=reported,
        ended=ended,
    )


def paid_member(
    id: str,
    office: str = "A",
    *,
    paid: dt.date,
    recorded: dt.date | None = None,
    issued: dt.date | None = None,
    collected: dt.date | None = None,
    name: str | None = None,
) -> Member:
    """A member recorded and paid (recorded defaults to the payment day)."""
    recorded = recorded or paid
    app = Application(
        office=office,
        booked=recorded,
        recorded=recorded,
        paid=paid,
        issued=issued,
        collected=collected,
    )
    return Member(id=id, name=name or f"Member {id}", application=app)


def passport_member(
    id: str, *, name: str = "Siti Aminah binti Ahmad", expires: dt.date = FAR_FUTURE
) -> Member:
    """A member who already holds a passport."""
    return Member(
        id=id,
        name=name,
        passport=Passport(number="B1234567", name=name, expires=expires),
    )


def make_group(
    members: Iterable[Member],
    *,
    id: str = "G",
    name: str = "Rombongan Uji",
    office: str = "A",
    departure: str | dt.datetime = "2018-05-15T09:00:00+07:00",
    visa_lead_days: int = 0,
    timezone: str | None = None,
) -> Group:
    if isinstance(departure, str):
        departure = dt.datetime.fromisoformat(departure)
    return Group(
        id=id,
        name=name,
        office=office,
        departure=departure,
        visa_lead_days=visa_lead_days,
        members=tuple(members),
        timezone=timezone,
    )


def make_scenario(
    offices: Iterable[Office],
    groups: Iterable[Group] = (),
    disruptions: Iterable[Disruption] = (),
    *,
    systems: Iterable[System] = (),
    rules: Rules | None = None,
) -> Scenario:
    return Scenario(
        rules=rules or AS_SAID,
        systems=tuple(systems),
        offices=tuple(offices),
        disruptions=tuple(disruptions),
        groups=tuple(groups),
    )


def make_forecaster(
    offices: Iterable[Office],
    disruptions: Iterable[Disruption] = (),
    *,
    as_of: dt.date,
    rules: Rules | None = None,
    seed: int = 0,
    samples: int = SAMPLES,
    groups: Iterable[Group] = (),
    horizon_end: dt.date | None = None,
    **kwargs: Any,
) -> Forecaster:
    """A forecaster on a grid from 120 days before ``as_of`` to 400 days after."""
    grid = DayGrid(as_of - dt.timedelta(days=120), 520)
    scenario = make_scenario(offices, groups, disruptions, rules=rules, **kwargs)
    return Forecaster(scenario, as_of, grid, seed=seed, samples=samples, horizon_end=horizon_end)


def await_issue(fc: Forecaster, office: str, service_start: dt.date) -> Start:
    """A recorded and paid application whose service time counts from ``service_start``."""
    return Start(office, StartKind.AWAIT_ISSUE, fc.grid.index(service_start))


def booked(fc: Forecaster, office: str, day: dt.date) -> Start:
    """An application whose appointment was asked for on ``day``."""
    return Start(office, StartKind.FROM_BOOKING, fc.grid.index(day))


def issued_start(fc: Forecaster, office: str, day: dt.date) -> Start:
    """A printed passport waiting to be collected since ``day``."""
    return Start(office, StartKind.AWAIT_COLLECTION, fc.grid.index(day))


def finish_days(fc: Forecaster, start: Start) -> tuple[dt.date, dt.date]:
    """(P50, P90) in-hand dates of ``start``."""
    dist = fc.distribution([start])[start]
    return fc.grid.date(dist.quantile_day(0.5)), fc.grid.date(dist.quantile_day(0.9))


def p_by(fc: Forecaster, start: Start, day: dt.date) -> float:
    """P(in hand by the end of ``day``) for ``start``, over all scenarios."""
    d = fc.grid.index(day)
    vector = fc.on_time([(start, d)])[(start, d)]
    return float(vector @ fc.queue(start.office).row_weight)
