"""JSON objects to model records, one reader per record type.

Each ``read_*`` records every problem it finds in ``ctx`` and returns the
record, or None when there was a problem. They check what they can point at
precisely (``recovery.low``, ``application.issued``) before the model's own
validators run, and turn anything those validators still raise into a
located problem instead of a traceback. Cross-reference checks happen here
too when ``ctx`` knows the file's office and system codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from grouppass.formats.values import Ctx, at, number_out
from grouppass.model import (
    Agency,
    Alternative,
    Application,
    BackgroundRate,
    Disruption,
    DisruptionKind,
    Group,
    Member,
    Office,
    Passport,
    Recovery,
    Rules,
    Stops,
    System,
    Title,
)

__all__ = [
    "TOP_KEYS",
    "read_agency",
    "read_disruption",
    "read_group",
    "read_member",
    "read_office",
    "read_rules",
    "read_system",
    "structure_agency",
    "structure_disruption",
    "structure_group",
    "structure_member",
    "structure_office",
    "structure_rules",
    "structure_system",
    "unique",
]

T = TypeVar("T")

TOP_KEYS = frozenset({"format", "agency", "rules", "systems", "offices", "disruptions", "groups"})
_AGENCY_KEYS = frozenset({"name", "contact", "phone"})
_RULES_KEYS = frozenset(
    {
        "min_validity_months", "min_name_words", "target_probability", "cuti_bersama_closes",
        "outside_view", "service_tail", "background_outages", "recovery_ramp", "point_value",
    }
)  # fmt: skip
_BACKGROUND_KEYS = frozenset({"office", "system"})
MAX_BACKGROUND_PER_YEAR = 52.0
"""More than one unannounced outage a week is not a background rate but a broken office."""
_SYSTEM_KEYS = frozenset({"code", "name"})
_OFFICE_KEYS = frozenset(
    {
        "code", "name", "timezone", "systems", "booking_days", "issue_days", "collect_days",
        "daily_capacity", "daily_intake", "closures", "alternatives", "express",
    }
)  # fmt: skip
_ALTERNATIVE_KEYS = frozenset({"office", "travel_days", "travel_cost"})
_DISRUPTION_KEYS = frozenset(
    {
        "id", "offices", "systems", "stops", "capacity_factor", "start", "recovery",
        "reported", "ended", "note", "kind",
    }
)  # fmt: skip
_RECOVERY_KEYS = frozenset({"low", "mode", "high"})
_GROUP_KEYS = frozenset(
    {"id", "name", "office", "departure", "timezone", "visa_lead_days", "members", "capacity"}
)
_MEMBER_KEYS = frozenset(
    {
        "id", "name", "phone", "nik", "passport", "application", "contacted", "follow_up",
        "title", "notes",
    }
)  # fmt: skip
_PASSPORT_KEYS = frozenset({"number", "name", "expires"})
_APPLICATION_KEYS = frozenset(
    {"office", "booked", "recorded", "paid", "issued", "collected", "express"}
)
_STAGES = ("booked", "recorded", "paid", "issued", "collected")
_MEMBER_DATES = ("contacted", "follow_up")
_STOPS = tuple(s.value for s in Stops)
_KINDS = tuple(k.value for k in DisruptionKind)
_TITLES = tuple(t.value for t in Title)
_OFFICE_DEFAULTS = Office(code="-", name="", timezone="UTC")


def _build(ctx: Ctx, path: str, make: Callable[..., T], **values: Any) -> T | None:
    try:
        return make(**values)
    except (ValueError, TypeError) as exc:
        ctx.add(path, str(exc))
        return None


def unique(ctx: Ctx, raw: Sequence[Any], key: str, path: str) -> None:
    """Report each repeated ``key`` among the objects in ``raw``, naming the first."""
    first: dict[str, int] = {}
    for i, item in enumerate(raw):
        if isinstance(item, (dict, Mapping)):
            value = item.get(key)
            if isinstance(value, str):
                j = first.setdefault(value, i)
                if j != i:
                    ctx.add(
                        f"{path}[{i}].{key}",
                        f"duplicate {key} {value!r} (first at {path}[{j}].{key})",
                    )


def _office_ref(ctx: Ctx, d: Mapping[str, Any], key: str, path: str) -> str:
    code = ctx.text(d, key, path)
    if code and ctx.offices is not None and code not in ctx.offices:
        ctx.add(at(path, key), f"unknown office {code!r}")
    return code


def read_rules(ctx: Ctx, data: object, path: str) -> Rules | None:
    d = ctx.obj(data, path, _RULES_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    months = ctx.integer(d, "min_validity_months", path, 6)
    words = ctx.integer(d, "min_name_words", path, 3)
    target = ctx.number(d, "target_probability", path, 0.9)
    cuti = ctx.boolean(d, "cuti_bersama_closes", path, True)
    outside_view = ctx.boolean(d, "outside_view", path, True)
    tail = ctx.opt_number(d, "service_tail", path)
    if tail is not None and not 0.0 <= tail < 1.0:
        ctx.add(at(path, "service_tail"), f"must be at least 0 and below 1, got {tail}")
    background = None
    if d.get("background_outages") is not None:
        background = _background(ctx, d["background_outages"], at(path, "background_outages"))
    ramp = ctx.boolean(d, "recovery_ramp", path, True)
    point_value = ctx.integer(d, "point_value", path, 500_000)
    if not 0 <= point_value <= 10**10:
        ctx.add(at(path, "point_value"), f"must be between 0 and 10000000000, got {point_value}")
    if months < 0:
        ctx.add(at(path, "min_validity_months"), f"must be >= 0, got {months}")
    if words < 1:
        ctx.add(at(path, "min_name_words"), f"must be >= 1, got {words}")
    if not 0.0 < target <= 1.0:
        ctx.add(at(path, "target_probability"), f"must be in (0, 1], got {target}")
    if len(ctx.problems) != before:
        return None
    return _build(
        ctx, path, Rules,
        min_validity_months=months, min_name_words=words,
        target_probability=target, cuti_bersama_closes=cuti,
        outside_view=outside_view, service_tail=tail, background_outages=background,
        recovery_ramp=ramp, point_value=point_value,
    )  # fmt: skip


def _background(ctx: Ctx, data: object, path: str) -> BackgroundRate | None:
    d = ctx.obj(data, path, _BACKGROUND_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    rates = {}
    for key in ("office", "system"):
        if key not in d:
            ctx.missing(at(path, key))
            continue
        rate = ctx.number(d, key, path, 0.0)
        if not 0.0 <= rate <= MAX_BACKGROUND_PER_YEAR:
            ctx.add(at(path, key), f"must be between 0 and 52 per year, got {number_out(rate)}")
        rates[key] = rate
    if len(ctx.problems) != before:
        return None
    return _build(ctx, path, BackgroundRate, **rates)


def read_agency(ctx: Ctx, data: object, path: str) -> Agency | None:
    d = ctx.obj(data, path, _AGENCY_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    name = ctx.required_string(d, "name", path)
    contact = ctx.string(d, "contact", path)
    phone = ctx.string(d, "phone", path)
    if len(ctx.problems) != before:
        return None
    return _build(ctx, path, Agency, name=name, contact=contact, phone=phone)


def read_system(ctx: Ctx, data: object, path: str) -> System | None:
    d = ctx.obj(data, path, _SYSTEM_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    code = ctx.text(d, "code", path)
    name = ctx.string(d, "name", path)
    if len(ctx.problems) != before:
        return None
    return _build(ctx, path, System, code=code, name=name)


def _alternative(ctx: Ctx, data: object, path: str, own: str) -> Alternative | None:
    d = ctx.obj(data, path, _ALTERNATIVE_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    office = _office_ref(ctx, d, "office", path)
    if office and office == own:
        ctx.add(at(path, "office"), f"office {own!r} cannot be its own alternative")
    travel = ctx.integer(d, "travel_days", path, 0)
    if travel < 0:
        ctx.add(at(path, "travel_days"), f"must be >= 0, got {travel}")
    cost = None if d.get("travel_cost") is None else ctx.integer(d, "travel_cost", path, 0)
    if cost is not None and cost < 0:
        ctx.add(at(path, "travel_cost"), f"must be >= 0, got {cost}")
    if len(ctx.problems) != before:
        return None
    return _build(ctx, path, Alternative, office=office, travel_days=travel, travel_cost=cost)


def read_office(ctx: Ctx, data: object, path: str) -> Office | None:
    d = ctx.obj(data, path, _OFFICE_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    code = ctx.text(d, "code", path)
    name = ctx.required_string(d, "name", path)
    timezone = ctx.timezone(d, "timezone", path, required=True)
    systems = ctx.codes(d, "systems", path, ctx.systems, "system")
    defaults = _OFFICE_DEFAULTS
    booking = ctx.three_point(d, "booking_days", path, defaults.booking_days)
    issue = ctx.three_point(d, "issue_days", path, defaults.issue_days)
    collect = ctx.three_point(d, "collect_days", path, defaults.collect_days)
    capacity = ctx.number(d, "daily_capacity", path, defaults.daily_capacity)
    if capacity <= 0:
        ctx.add(at(path, "daily_capacity"), f"must be > 0, got {number_out(capacity)}")
    intake = ctx.opt_number(d, "daily_intake", path)
    if intake is not None and intake < 0:
        ctx.add(at(path, "daily_intake"), f"must be >= 0, got {number_out(intake)}")
    closures = ctx.dates(d, "closures", path)
    alternatives: list[Alternative | None] = []
    seen: dict[str, int] = {}
    alt_path = at(path, "alternatives")
    for i, item in enumerate(ctx.items(d, "alternatives", path)):
        alt = _alternative(ctx, item, f"{alt_path}[{i}]", code)
        if alt is not None:
            j = seen.setdefault(alt.office, i)
            if j != i:
                ctx.add(
                    f"{alt_path}[{i}].office",
                    f"alternative {alt.office!r} is listed twice (first at {alt_path}[{j}])",
                )
        alternatives.append(alt)
    express = ctx.boolean(d, "express", path, True)
    if len(ctx.problems) != before:
        return None
    return _build(
        ctx, path, Office,
        code=code, name=name, timezone=timezone, systems=systems,
        booking_days=booking, issue_days=issue, collect_days=collect,
        daily_capacity=capacity, daily_intake=intake,
        closures=closures, alternatives=alternatives, express=express,
    )  # fmt: skip


def _recovery(ctx: Ctx, data: object, path: str, start: dt.date | None) -> Recovery | None:
    d = ctx.obj(data, path, _RECOVERY_KEYS)
    if d is None:
        return None
    low = ctx.date(d, "low", path)
    mode = ctx.date(d, "mode", path)
    high = ctx.opt_date(d, "high", path)
    if low is None or mode is None or (high is None and d.get("high") is not None):
        return None
    if high is not None and low > high:
        ctx.add(at(path, "low"), f"low {low} is after high {high}")
    elif mode < low:
        ctx.add(at(path, "mode"), f"mode {mode} is before low {low}")
    elif high is not None and high < mode:
        ctx.add(at(path, "high"), f"high {high} is before mode {mode}")
    elif start is not None and low < start:
        ctx.add(at(path, "low"), f"low {low} is before the disruption's start {start}")
    else:
        return _build(ctx, path, Recovery, low=low, mode=mode, high=high)
    return None


def read_disruption(ctx: Ctx, data: object, path: str) -> Disruption | None:
    d = ctx.obj(data, path, _DISRUPTION_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    ident = ctx.text(d, "id", path)
    offices = ctx.codes(d, "offices", path, ctx.offices, "office")
    systems = ctx.codes(d, "systems", path, ctx.systems, "system")
    if not offices and not systems and len(ctx.problems) == before:
        ctx.add(path, "needs 'offices' or 'systems' (at least one code)")
    stops = ctx.choice(d, "stops", path, _STOPS)
    factor = ctx.number(d, "capacity_factor", path, 0.0)
    if not 0.0 <= factor <= 1.0:
        ctx.add(at(path, "capacity_factor"), f"must be between 0 and 1, got {factor}")
    start = ctx.date(d, "start", path)
    # No recovery (or null): nobody gave an estimate, the outside view alone decides.
    recovery = None
    if d.get("recovery") is not None:
        recovery = _recovery(ctx, d["recovery"], at(path, "recovery"), start)
    kind = None if d.get("kind") is None else ctx.choice(d, "kind", path, _KINDS)
    reported = ctx.opt_date(d, "reported", path)
    ended = ctx.opt_date(d, "ended", path)
    if ended is not None and start is not None and ended < start:
        ctx.add(at(path, "ended"), f"ended {ended} is before start {start}")
    note = ctx.string(d, "note", path)
    if len(ctx.problems) != before:
        return None
    return _build(
        ctx, path, Disruption,
        id=ident, start=start, recovery=recovery, stops=Stops(stops),
        offices=offices, systems=systems, capacity_factor=factor,
        reported=reported, ended=ended, note=note,
        kind=None if kind is None else DisruptionKind(kind),
    )  # fmt: skip


def _passport(ctx: Ctx, data: object, path: str) -> Passport | None:
    d = ctx.obj(data, path, _PASSPORT_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    # Personal data: a wrong number is reported by its type only, never echoed.
    number = ctx.text(d, "number", path, secret=True)
    name = ctx.text(d, "name", path)
    expires = ctx.date(d, "expires", path)
    if expires is None or len(ctx.problems) != before:
        return None
    return Passport(number=number, name=name, expires=expires)


def _application(ctx: Ctx, data: object, path: str, office: str | None) -> Application | None:
    d = ctx.obj(data, path, _APPLICATION_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    if office is None or d.get("office") is not None:
        office = _office_ref(ctx, d, "office", path)
    # Members who went to the counter together have equal applications: read
    # each distinct one once and share it (it is frozen, so sharing is safe).
    express = ctx.boolean(d, "express", path, False)
    key = (Application, office, express, *(d.get(k) for k in _STAGES))
    if not all(v is None or type(v) is str for v in key[3:]):
        key = ()  # not text: the slow path reports what is wrong
    found = ctx.records.get(key)
    if isinstance(found, Application):
        return found
    booked, recorded, paid, issued, collected = ctx.opt_dates(d, _STAGES, path)
    if len(ctx.problems) != before:
        return None
    try:
        application = Application(office, booked, recorded, paid, issued, collected, express)
    except ValueError:
        pass
    else:
        if key:
            ctx.records[key] = application
        return application
    # Application refuses stages out of order without saying which field;
    # an unvalidated copy lets the model's own rule name it.
    loose = object.__new__(Application)
    for name, value in (
        ("office", office), ("booked", booked), ("recorded", recorded),
        ("paid", paid), ("issued", issued), ("collected", collected), ("express", express),
    ):  # fmt: skip
        object.__setattr__(loose, name, value)
    problem = loose.order_problem()
    if problem is None:  # pragma: no cover - a model rule this module does not know yet
        ctx.add(path, "the stage dates are inconsistent")
    else:
        ctx.add(at(path, problem[0]), problem[1])
    return None


def read_member(ctx: Ctx, data: object, path: str, office: str | None) -> Member | None:
    """A member; ``office`` fills in ``application.office`` when the file leaves it out."""
    d = ctx.obj(data, path, _MEMBER_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    ident = ctx.text(d, "id", path)
    name = ctx.text(d, "name", path)
    phone = ctx.opt_string(d, "phone", path)
    nik = ctx.opt_string(d, "nik", path)
    raw = d.get("passport")
    passport = None if raw is None else _passport(ctx, raw, at(path, "passport"))
    raw = d.get("application")
    application = None if raw is None else _application(ctx, raw, at(path, "application"), office)
    contacted, follow_up = ctx.opt_dates(d, _MEMBER_DATES, path)
    title = None if d.get("title") is None else ctx.choice(d, "title", path, _TITLES)
    notes = ctx.string(d, "notes", path)
    if len(ctx.problems) != before:
        return None
    try:
        return Member(
            ident, name, phone=phone, passport=passport, application=application,
            nik=nik, contacted=contacted, follow_up=follow_up,
            title=None if title is None else Title(title), notes=notes,
        )  # fmt: skip
    except (ValueError, TypeError) as exc:
        ctx.add(path, str(exc))
        return None


def read_group(ctx: Ctx, data: object, path: str) -> Group | None:
    d = ctx.obj(data, path, _GROUP_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    ident = ctx.text(d, "id", path)
    name = ctx.required_string(d, "name", path)
    office = _office_ref(ctx, d, "office", path)
    departure = ctx.departure(d, "departure", path)
    timezone = ctx.timezone(d, "timezone", path, required=False)
    lead = ctx.integer(d, "visa_lead_days", path, 0)
    if lead < 0:
        ctx.add(at(path, "visa_lead_days"), f"must be >= 0, got {lead}")
    capacity = None if d.get("capacity") is None else ctx.integer(d, "capacity", path, 1)
    if capacity is not None and capacity < 1:
        ctx.add(at(path, "capacity"), f"must be at least 1 seat, got {capacity}")
    raw = ctx.items(d, "members", path)
    members_path = at(path, "members")
    # A bad group office is reported once above; the placeholder keeps members
    # without their own office from repeating it (the group is dropped anyway).
    default_office = office or "?"
    members = [
        read_member(ctx, m, f"{members_path}[{i}]", default_office) for i, m in enumerate(raw)
    ]
    unique(ctx, raw, "id", members_path)
    if len(ctx.problems) != before:
        return None
    return _build(
        ctx, path, Group,
        id=ident, name=name, office=office, departure=departure,
        visa_lead_days=lead, members=members, timezone=timezone, capacity=capacity,
    )  # fmt: skip


def _finish(ctx: Ctx, value: T | None) -> T:
    ctx.check()
    assert value is not None
    return value


# -- one record at a time (the store's documents) ----------------------------
#
# A lone record cannot know the file's office and system codes, so these do
# not check references; parse_scenario does.


def structure_rules(data: object, path: str = "") -> Rules:
    """Rules from a JSON object; raises ScenarioError listing every problem.

    >>> structure_rules({"min_name_words": 2}).min_name_words
    2
    """
    ctx = Ctx()
    return _finish(ctx, read_rules(ctx, data, path))


def structure_agency(data: object, path: str = "") -> Agency:
    """The agency from a JSON object.

    >>> structure_agency({"name": "PT Amanah Lombok", "phone": "0370 123456"}).phone
    '0370 123456'
    """
    ctx = Ctx()
    return _finish(ctx, read_agency(ctx, data, path))


def structure_system(data: object, path: str = "") -> System:
    ctx = Ctx()
    return _finish(ctx, read_system(ctx, data, path))


def structure_office(data: object, path: str = "") -> Office:
    ctx = Ctx()
    return _finish(ctx, read_office(ctx, data, path))


def structure_disruption(data: object, path: str = "") -> Disruption:
    ctx = Ctx()
    return _finish(ctx, read_disruption(ctx, data, path))


def structure_group(data: object, path: str = "") -> Group:
    """A group with its members; problems are located under ``path``.

    >>> structure_group({"id": "G", "name": "", "office": "X",  # doctest: +ELLIPSIS
    ...     "departure": "2018-05-16T09:00:00+08:00", "visa_lead_day": 14}, "groups[2]")
    Traceback (most recent call last):
    grouppass.errors.ScenarioError: groups[2].visa_lead_day: unknown field; did you mean ...?
    """
    ctx = Ctx()
    return _finish(ctx, read_group(ctx, data, path))


def structure_member(data: object, path: str = "", *, office: str | None = None) -> Member:
    """A member from a JSON object.

    ``office`` (the group's office) fills in ``application.office`` when the
    object leaves it out; without it, ``application.office`` is required.
    """
    ctx = Ctx()
    return _finish(ctx, read_member(ctx, data, path, office))
