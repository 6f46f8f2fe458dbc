"""A member's own service times, and how one application runs through an office.

A member's luck is drawn once, as uniforms (:class:`Luck`); at any office it
becomes whole working days through that office's three-point estimates
(triangular, rounded to the nearest day, as the forecast reads them), plus a
tail: a share of applications run past the estimate's ``high`` by an
exponential number of working days. The same member is as lucky at every
office and at every start day, so "what if they had applied on ``as_of``"
and "what if they had switched" are answered in the same world.
"""

from __future__ import annotations

import math

import numpy as np
from attrs import frozen

from grouppass.model import Office, ThreePoint
from grouppass.simulate.outages import stated_quantile
from grouppass.simulate.params import World
from grouppass.simulate.printing import OfficeTimeline

__all__ = ["Luck", "ServiceDays", "Stages", "run", "service_days", "service_start"]


@frozen
class Luck:
    """One member's draws, as uniforms in [0, 1)."""

    booking: float
    issue: float
    collect: float
    booking_tail: float
    issue_tail: float
    tail_length: float
    pay: float
    prepaid: bool
    """Pays when booking (M-Paspor), not at the counter after recording."""
    express: bool

    @classmethod
    def draw(cls, rng: np.random.Generator, world: World) -> Luck:
        u = rng.random(7)
        return cls(
            booking=float(u[0]),
            issue=float(u[1]),
            collect=float(u[2]),
            booking_tail=float(u[3]),
            issue_tail=float(u[4]),
            tail_length=float(u[5]),
            pay=float(u[6]),
            prepaid=bool(rng.random() < world.service.prepaid_share),
            express=bool(rng.random() < world.printing.express_share),
        )


@frozen
class ServiceDays:
    """Whole working days at one office: booking to recording, issuance, collection."""

    booking: int
    issue: int
    collect: int
    pay_delay: int
    """Working days from recording to payment, for a walk-in applicant."""


def _nearest(u: float, estimate: ThreePoint) -> int:
    return math.floor(stated_quantile(u, estimate.low, estimate.mode, estimate.high) + 0.5)


def _tail(estimate: ThreePoint, length_u: float, mean_days: float) -> int:
    extra = -mean_days * math.log(max(1.0 - length_u, 1e-12))
    return math.ceil(estimate.high) + 1 + math.floor(extra)


def service_days(luck: Luck, office: Office, world: World) -> ServiceDays:
    """What ``luck`` makes of ``office``'s estimates in ``world``.

    >>> from grouppass.simulate.params import PRESETS
    >>> luck = Luck(0.5, 0.5, 0.5, 0.9, 0.9, 0.5, 0.9, True, False)
    >>> office = Office("A", "A", "Asia/Jakarta", issue_days=ThreePoint(3, 4, 5))
    >>> service_days(luck, office, PRESETS["as-said"]).issue
    4
    """
    svc = world.service
    booking = _nearest(luck.booking, office.booking_days)
    if luck.booking_tail < svc.booking_tail_share:
        booking = _tail(office.booking_days, luck.tail_length, svc.tail_days / 2)
    issue = _nearest(luck.issue, office.issue_days)
    if luck.issue_tail < svc.tail_share:
        issue = _tail(office.issue_days, luck.tail_length, svc.tail_days)
    collect = _nearest(luck.collect, office.collect_days)
    pay_delay = 0
    if not luck.prepaid and luck.pay < svc.pay_late_share:
        pay_delay = 1 if luck.pay < svc.pay_late_share / 2 else 2
    return ServiceDays(booking, issue, collect, pay_delay)


@frozen
class Stages:
    """The day index of every stage of one application."""

    booked: int
    recorded: int
    paid: int
    issued: int
    collected: int

    @property
    def service(self) -> int:
        return max(self.recorded, self.paid)


def service_start(
    line: OfficeTimeline, days: ServiceDays, ask: int, prepaid: bool, not_before: int | None
) -> tuple[int, int]:
    """(recorded, paid) of an application asked for on day ``ask``.

    ``not_before``: nothing can be recorded before this day (an application
    asked for at the end of ``as_of`` is recorded after it).
    """
    recorded = line.add_open(ask, days.booking)
    if not_before is not None:
        recorded = max(recorded, line.add_open(not_before, 0))
    paid = ask if prepaid else line.add_working(recorded, days.pay_delay)
    return recorded, paid


def run(
    line: OfficeTimeline,
    days: ServiceDays,
    ask: int,
    *,
    prepaid: bool,
    express: bool = False,
    not_before: int | None = None,
) -> Stages:
    """Every stage of an application asked for on ``ask`` at ``line``'s office.

    Issuance waits for the member's own issuance time and for the queue to
    reach them, and happens on a day the office prints; an express
    application is printed the day it is recorded and paid when printing is
    at full strength (not during an outage or the ramp after it).
    """
    recorded, paid = service_start(line, days, ask, prepaid, not_before)
    service = max(recorded, paid)
    if express and line.full(service):
        issued = service
    else:
        ready = line.add_working(service, days.issue)
        issued = line.next_print(max(ready, line.clear(service)))
    collected = line.add_open(issued, days.collect)
    return Stages(ask, recorded, paid, issued, collected)
