"""The domain: offices, systems, disruptions, travellers, groups and rules.

Every class is a frozen attrs value object; change one with ``attrs.evolve``.
Each constructor checks what a single object can know about itself (a recovery
``low`` after its ``high``, a capacity out of range, ``issued`` before
``paid``, a control character in a name) with the rules of
:mod:`grouppass.validate`, and raises :class:`~grouppass.validate.InvalidRecord`
(a ``ValueError``) naming every broken one. Checks that need the whole
scenario (an unknown office code, duplicate ids) live in
:mod:`grouppass.formats`, which reports them with their location.

>>> ThreePoint(2, 3, 5).mode
3.0
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from typing import Any

from attrs import field, frozen

from grouppass import validate as _v

__all__ = [
    "STAGE_FIELDS",
    "Agency",
    "Alternative",
    "Application",
    "BackgroundRate",
    "Disruption",
    "DisruptionKind",
    "Group",
    "Member",
    "Office",
    "Passport",
    "Recovery",
    "Rules",
    "Scenario",
    "Stage",
    "Stops",
    "System",
    "ThreePoint",
    "Title",
]


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value)


@frozen
class ThreePoint:
    """A three-point estimate in working days: least, most likely, most.

    >>> ThreePoint.fixed(3)
    ThreePoint(low=3.0, mode=3.0, high=3.0)
    """

    low: float = field(converter=float)
    mode: float = field(converter=float)
    high: float = field(converter=float)

    def __attrs_post_init__(self) -> None:
        if found := _v.check_three_point(self):
            raise _v.InvalidRecord(found)

    @classmethod
    def fixed(cls, days: float) -> ThreePoint:
        return cls(days, days, days)


@frozen
class Recovery:
    """When a disruption ends, as dates: earliest, most likely, latest.

    ``high`` is ``None`` when nobody will say ("maybe next week, not certain"):
    the forecast then gives the recovery a long tail past ``mode`` (see
    docs/scenario-format.md).
    """

    low: dt.date
    mode: dt.date
    high: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if found := _v.check_recovery(self):
            raise _v.InvalidRecord(found)


@frozen
class System:
    """Something offices share, such as the national passport system."""

    code: str
    name: str = ""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_system(self):
            raise _v.InvalidRecord(found)


@frozen
class Alternative:
    """Another office an applicant can go to, and the calendar days it takes to get there."""

    office: str
    travel_days: int = 0
    travel_cost: int | None = None
    """Rupiah per traveller for the trip there; ``None``: a default per travel day (advice)."""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_alternative(self):
            raise _v.InvalidRecord(found)


@frozen
class Office:
    """A Kanim, ULP or MPP counter with its calendar and service times."""

    code: str
    name: str
    timezone: str
    systems: tuple[str, ...] = field(converter=_as_tuple, factory=tuple)
    booking_days: ThreePoint = ThreePoint.fixed(1)
    """From asking for an appointment to recording (documents, photo, interview)."""
    issue_days: ThreePoint = ThreePoint.fixed(3)
    """From the later of recording and payment to the printed passport."""
    collect_days: ThreePoint = ThreePoint.fixed(0)
    """From issuance to the passport in the traveller's hand."""
    daily_capacity: float = field(default=100.0, converter=float)
    """Passports the office can issue on a normal working day."""
    daily_intake: float | None = None
    """New paid applications per working day; ``None`` means 90% of capacity."""
    closures: tuple[dt.date, ...] = field(converter=_as_tuple, factory=tuple)
    alternatives: tuple[Alternative, ...] = field(converter=_as_tuple, factory=tuple)
    express: bool = True
    """Offers express service (percepatan, same day) where the law of the date allows it.

    Express service exists only from PP 28/2019; before that no office offers it."""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_office(self):
            raise _v.InvalidRecord(found)

    @property
    def intake(self) -> float:
        """The daily intake, with the default filled in."""
        return 0.9 * self.daily_capacity if self.daily_intake is None else self.daily_intake


class Stops(enum.StrEnum):
    """What a disruption stops."""

    ISSUANCE = "issuance"
    """Printing stops; booking, recording and collection go on (a backlog builds)."""
    ALL = "all"
    """Every counter is closed."""


class DisruptionKind(enum.StrEnum):
    """What broke: the outside view of how long it lasts differs by kind (docs/forecast.md)."""

    LOCAL_FAULT = "local_fault"
    """Power cut, lightning, a broken printer or server at one office: parts come from Jakarta."""
    SYSTEM_CHANGE = "system_change"
    """Maintenance, an upgrade or a software fault of a shared system (SIMKIM, billing)."""
    DATA_CENTRE = "data_centre"
    """The national data centre itself is down (PDN 2024): every office stops."""


@frozen
class Disruption:
    """A stop or slow-down of some offices or of whole systems."""

    id: str
    start: dt.date
    recovery: Recovery | None = None
    """What the officials said about the recovery; ``None``: no estimate was given
    ("belum bisa dipastikan"), so the forecast uses the outside view alone."""
    stops: Stops = Stops.ISSUANCE
    offices: tuple[str, ...] = field(converter=_as_tuple, factory=tuple)
    systems: tuple[str, ...] = field(converter=_as_tuple, factory=tuple)
    capacity_factor: float = field(default=0.0, converter=float)
    """Share of normal capacity left while the disruption lasts (0 = full stop)."""
    reported: dt.date | None = None
    """When the organiser learnt of it; unknown before that (replay). Defaults to start."""
    ended: dt.date | None = None
    """The day normal service resumed, once known."""
    note: str = ""
    kind: DisruptionKind | None = None
    """What broke; ``None``: inferred from what it hits (see :attr:`effective_kind`)."""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_disruption(self):
            raise _v.InvalidRecord(found)

    @property
    def known_from(self) -> dt.date:
        return self.start if self.reported is None else self.reported

    @property
    def effective_kind(self) -> DisruptionKind:
        """``kind``, or what its scope suggests: one office's fault, else a system's change."""
        if self.kind is not None:
            return self.kind
        return DisruptionKind.SYSTEM_CHANGE if self.systems else DisruptionKind.LOCAL_FAULT

    def hits(self, office: Office) -> bool:
        """Does this disruption stop ``office``, directly or through a system it runs on?"""
        return office.code in self.offices or any(s in self.systems for s in office.systems)


@frozen
class Passport:
    """A passport the traveller already holds."""

    number: str
    """Letters and digits (``B1234567``), or a masked number read back from an export."""
    name: str
    expires: dt.date

    def __attrs_post_init__(self) -> None:
        if found := _v.check_passport(self):
            raise _v.InvalidRecord(found)


class Stage(enum.StrEnum):
    """How far an application has come, in order."""

    NOT_STARTED = "not_started"
    BOOKED = "booked"
    RECORDED = "recorded"
    PAID = "paid"
    RECORDED_AND_PAID = "recorded_and_paid"
    ISSUED = "issued"
    COLLECTED = "collected"


STAGE_FIELDS = _v.STAGE_ORDER
"""An application's stage fields, in the order they happen."""
_STAGE_FIELDS = STAGE_FIELDS


@frozen(cache_hash=True)  # a key of the forecast's per-office counts: hashed often
class Application:
    """An application for a new passport at one office; each stage has its date."""

    office: str
    booked: dt.date | None = None
    recorded: dt.date | None = None
    paid: dt.date | None = None
    issued: dt.date | None = None
    collected: dt.date | None = None
    express: bool = False
    """Express service (percepatan) was asked for: printed the day it is recorded and paid."""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_application(self):
            raise _v.InvalidRecord(found)

    def known_at(self, as_of: dt.date) -> Application:
        """The application as it was known at the end of ``as_of`` (later facts dropped)."""
        # Called for every member on every assessment: the common case stays cheap.
        if (
            (self.collected is None or self.collected <= as_of)
            and (self.issued is None or self.issued <= as_of)
            and (self.paid is None or self.paid <= as_of)
            and (self.recorded is None or self.recorded <= as_of)
            and (self.booked is None or self.booked <= as_of)
        ):
            return self
        changes = {
            name: None
            for name in _STAGE_FIELDS
            if (value := getattr(self, name)) is not None and value > as_of
        }
        if not changes:
            return self
        values = {name: getattr(self, name) for name in _STAGE_FIELDS}
        values.update(changes)
        return Application(office=self.office, express=self.express, **values)

    @property
    def first_day(self) -> dt.date | None:
        """The earliest of its stage days; None before any (where a day grid begins)."""
        first = None
        for day in (self.booked, self.recorded, self.paid, self.issued, self.collected):
            if day is not None and (first is None or day < first):
                first = day
        return first

    @property
    def stage(self) -> Stage:
        if self.collected is not None:
            return Stage.COLLECTED
        if self.issued is not None:
            return Stage.ISSUED
        if self.recorded is not None and self.paid is not None:
            return Stage.RECORDED_AND_PAID
        if self.recorded is not None:
            return Stage.RECORDED
        if self.paid is not None:
            return Stage.PAID
        if self.booked is not None:
            return Stage.BOOKED
        return Stage.NOT_STARTED

    @property
    def service_start(self) -> dt.date | None:
        """The later of recording and payment: the service time counts from here."""
        if self.recorded is None or self.paid is None:
            return None
        return max(self.recorded, self.paid)


class Title(enum.StrEnum):
    """How a notice addresses the traveller."""

    BAPAK = "bapak"
    IBU = "ibu"


@frozen
class Member:
    """A traveller in a group, with an existing passport and/or an application."""

    id: str
    name: str
    phone: str | None = None
    passport: Passport | None = None
    application: Application | None = None
    nik: str | None = None
    contacted: dt.date | None = None
    """When the organiser last told the member their status."""
    follow_up: dt.date | None = None
    """When the organiser should contact the member again."""
    title: Title | None = None
    """Bapak or Ibu, for notices; ``None``: unknown (the notice uses the name alone)."""
    notes: str = ""
    """The organiser's own notes (manifest column ``keterangan``/``notes``)."""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_member(self):
            raise _v.InvalidRecord(found)


@frozen
class Group:
    """Travellers who leave together, and the office they apply at by default."""

    id: str
    name: str
    office: str
    departure: dt.datetime
    visa_lead_days: int = 0
    members: tuple[Member, ...] = field(converter=_as_tuple, factory=tuple)
    timezone: str | None = None
    """IANA zone for the deadline; ``None`` means the departure's own offset."""
    capacity: int | None = None
    """Seats in the group; ``None``: not set (the group takes no members moved from another)."""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_group(self):
            raise _v.InvalidRecord(found)

    def member(self, member_id: str) -> Member:
        for m in self.members:
            if m.id == member_id:
                return m
        raise KeyError(member_id)


@frozen
class BackgroundRate:
    """Outages nobody has announced yet, per year: of one office, and of one system."""

    office: float = field(converter=float)
    system: float = field(converter=float)

    def __attrs_post_init__(self) -> None:
        if found := _v.check_background_rate(self):
            raise _v.InvalidRecord(found)


@frozen
class Rules:
    """The settings an assessment is judged by."""

    min_validity_months: int = 6
    min_name_words: int = 3
    target_probability: float = 0.9
    cuti_bersama_closes: bool = True
    """Whether offices close on cuti bersama (joint leave) days."""
    outside_view: bool = True
    """Combine officials' recovery estimates with how long such outages really lasted
    (docs/forecast.md); ``False`` takes the estimates as given."""
    service_tail: float | None = None
    """Share of applications that take longer than an office's ``high``; ``None``:
    learned from the agency's records, with a default from the reference data; 0: no tail."""
    background_outages: BackgroundRate | None = None
    """Outages not yet announced, per year; ``None``: the reference class, updated by the
    agency's records; zeros switch them off."""
    recovery_ramp: bool = True
    """Printing comes back gradually after a recovery (docs/forecast.md); ``False``: at once."""
    point_value: int = 2_000_000
    """Rupiah one percentage point of P(group on time) is worth against a switch's costs."""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_rules(self):
            raise _v.InvalidRecord(found)

    @classmethod
    def as_said(cls, **changes: Any) -> Rules:
        """Rules that take the file at its word: officials' estimates as given, service
        times within their three points, no outages nobody has announced, no ramp.

        >>> Rules.as_said().outside_view
        False
        """
        literal: dict[str, Any] = {
            "outside_view": False,
            "service_tail": 0.0,
            "background_outages": BackgroundRate(0.0, 0.0),
            "recovery_ramp": False,
        }
        return cls(**(literal | changes))


@frozen
class Agency:
    """The travel agency itself: its name and contact sign the notices."""

    name: str
    contact: str = ""
    """Who to ask (a person's name)."""
    phone: str = ""

    def __attrs_post_init__(self) -> None:
        if found := _v.check_agency(self):
            raise _v.InvalidRecord(found)


@frozen
class Scenario:
    """Everything an assessment needs: rules, systems, offices, disruptions and groups."""

    rules: Rules = Rules()
    agency: Agency | None = None
    systems: tuple[System, ...] = field(converter=_as_tuple, factory=tuple)
    offices: tuple[Office, ...] = field(converter=_as_tuple, factory=tuple)
    disruptions: tuple[Disruption, ...] = field(converter=_as_tuple, factory=tuple)
    groups: tuple[Group, ...] = field(converter=_as_tuple, factory=tuple)

    def office(self, code: str) -> Office:
        for o in self.offices:
            if o.code == code:
                return o
        raise KeyError(code)

    def group(self, group_id: str) -> Group:
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(group_id)

    def members(self) -> Iterator[tuple[Group, Member]]:
        for g in self.groups:
            for m in g.members:
                yield g, m
