"""Plan: what to forecast for each member at ``as_of``.

A member who holds a passport that passes the rules is ready. Anyone else is
forecast from their application as known at ``as_of`` (later dates are not
known yet), or, with no application, as a new one at the group's office
asked for on ``as_of``. A collected passport counts by its date: collected
after the deadline is late, whatever the day the figures are for.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple
from zoneinfo import ZoneInfo

from grouppass.calendar import DayGrid, office_day_in_zone
from grouppass.forecast import Forecaster, Start, StartKind
from grouppass.model import Application, Group, Member, Rules, Stage
from grouppass.results import Problem, ProblemCode
from grouppass.rules import passport_problems

__all__ = [
    "MemberPlan",
    "deadline_of",
    "departure_date",
    "group_zone",
    "plan_member",
    "start_of",
    "threshold",
]


def group_zone(group: Group) -> dt.tzinfo:
    """The zone the group's deadline is counted in."""
    if group.timezone:
        return ZoneInfo(group.timezone)
    tz = group.departure.tzinfo
    assert tz is not None  # the model refuses naive departures
    return tz


def departure_date(group: Group) -> dt.date:
    """The local date of departure in the group's time zone."""
    return group.departure.astimezone(group_zone(group)).date()


def deadline_of(group: Group) -> dt.date:
    """The last day a passport may come into hand: departure minus the visa lead time.

    >>> g = Group(id="g", name="", office="MTR", visa_lead_days=21,
    ...           departure=dt.datetime.fromisoformat("2018-05-15T01:00:00+08:00"))
    >>> deadline_of(g)
    datetime.date(2018, 4, 24)
    """
    return departure_date(group) - dt.timedelta(days=group.visa_lead_days)


def threshold(forecaster: Forecaster, office: str, deadline: dt.date, zone: dt.tzinfo) -> int:
    """The last office-local grid day whose collection still counts as by the deadline."""
    office_zone = forecaster.calendar(office).timezone
    shift = (office_day_in_zone(deadline, office_zone, zone) - deadline).days
    return forecaster.grid.index(deadline) - shift


class MemberPlan(NamedTuple):
    """What the forecast needs to know about one member at ``as_of``.

    A named tuple rather than an attrs class: one is made per member per
    assessment, and tuples are several times cheaper to build.
    """

    member: Member
    stage: Stage
    problems: tuple[Problem, ...]
    start: Start | None
    """The application to forecast; None when the member holds a good passport."""

    @property
    def ready(self) -> bool:
        return self.start is None


def plan_member(
    member: Member,
    group: Group,
    rules: Rules,
    as_of: dt.date,
    grid: DayGrid,
    departure: dt.date,
    fresh: Start,
) -> MemberPlan:
    """Decide what to forecast for a member.

    ``departure`` is the group's local departure date and ``fresh`` the start
    of a new application at the group's office on ``as_of``.
    """
    problems: list[Problem] = []
    if member.passport is not None:
        applying = member.application is not None
        problems.extend(passport_problems(member.passport, departure, rules, applying=applying))
        if not problems:
            return MemberPlan(member, Stage.COLLECTED, (), None)
    if member.application is None:
        if member.passport is None:
            problems.append(Problem(ProblemCode.NOT_STARTED, "no passport and no application yet"))
        return MemberPlan(member, Stage.NOT_STARTED, tuple(problems), fresh)
    known = member.application.known_at(as_of)
    return MemberPlan(member, known.stage, tuple(problems), start_of(known, as_of, grid))


def start_of(app: Application, as_of: dt.date, grid: DayGrid) -> Start:
    """The start of an application as known at ``as_of`` (its dates already cut there)."""
    origin = grid.origin

    def idx(day: dt.date | None) -> int:
        if day is None:
            return -1
        i = (day - origin).days
        return i if i > 0 else 1  # older than the grid: as good as its first day

    stage = app.stage
    if stage is Stage.COLLECTED:
        return Start(app.office, StartKind.DONE, idx(app.collected))
    if stage is Stage.ISSUED:
        return Start(app.office, StartKind.AWAIT_COLLECTION, idx(app.issued))
    if stage is Stage.RECORDED_AND_PAID:
        return Start(app.office, StartKind.AWAIT_ISSUE, idx(app.service_start), -1, app.express)
    if stage is Stage.RECORDED:
        return Start(app.office, StartKind.AWAIT_PAYMENT, idx(app.recorded), -1, app.express)
    anchor = app.booked or app.paid or as_of
    return Start(app.office, StartKind.FROM_BOOKING, idx(anchor), idx(app.paid), app.express)
