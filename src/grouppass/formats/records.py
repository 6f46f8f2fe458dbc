"""JSON objects to model records, one reader per record type.

Each ``read_*`` records every problem it finds in ``ctx`` and returns the
record, or None when there was a problem. They check what they can point at
precisely (``recovery.low``, ``application.issued``) before the model's own
validators run, and turn anything those validators still raise into a
located problem instead of a traceback. Cross-reference checks happen here
too when ``ctx`` knows the file's office and system codes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from grouppass.formats.values import Ctx, at, describe
from grouppass.model import (
    STAGE_FIELDS,
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
from grouppass.validate import Code, InvalidRecord

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
_STAGES = STAGE_FIELDS
_MEMBER_DATES = ("contacted", "follow_up")
_STOPS = tuple(s.value for s in Stops)
_KINDS = tuple(k.value for k in DisruptionKind)
_TITLE_BY_NAME = {t.value: t for t in Title}
_TITLE_CHOICES = "one of " + ", ".join(repr(t.value) for t in Title)
_OFFICE_DEFAULTS = Office(code="-", name="", timezone="UTC")


def _build(ctx: Ctx, path: str, before: int, make: Callable[..., T], **values: Any) -> T | None:
    """``make(**values)``, or None with its broken rules recorded as located problems.

    It is built even after the reader found problems (with placeholders for
    what could not be read), so one pass reports the record's own rules too;
    a rule on a field the reader already reported is not said twice.
    """
    try:
        made = make(**values)
    except InvalidRecord as exc:
        _refused(ctx, path, before, exc)
        return None
    except (TypeError, ValueError, AttributeError) as exc:
        # A placeholder the record cannot take: the reader has said what is wrong.
        if len(ctx.problems) == before:  # pragma: no cover - a rule this reader does not know
            ctx.add(path, str(exc))
        return None
    return made if len(ctx.problems) == before else None


def _refused(
    ctx: Ctx,
    path: str,
    before: int,
    exc: InvalidRecord,
    raw: Mapping[str, Any] | None = None,
    secret: frozenset[str] = frozenset(),
) -> None:
    """The model's findings as located problems, each once.

    ``raw`` is the JSON object the record came from when its values were
    handed over unread: a value of the wrong type is then described as the
    file has it ("expected a string, got a number (5)"), personal data
    (``secret`` keys) by its type only.
    """
    reported = [p.path for p in ctx.problems[before:]]
    for f in exc.findings:
        # A rule of the whole record ("names no office") after a field's problem is noise.
        if not f.field and reported:
            continue
        where = at(path, f.field) if f.field else path
        if any(_within(where, r) for r in reported):
            continue
        message = f.message
        if raw is not None and f.code in _TYPE_CODES and f.field in raw:
            expected = f.params.get("expected", "a non-empty string")
            message = f"expected {expected}, got {describe(raw[f.field], secret=f.field in secret)}"
        ctx.add(where, message)
    if len(ctx.problems) == before:  # pragma: no cover - every finding was a repeat
        ctx.add(path, str(exc))


_TYPE_CODES = frozenset({Code.WRONG_TYPE, Code.REQUIRED})
_MEMBER_SECRETS = frozenset({"nik", "phone"})
_PASSPORT_SECRETS = frozenset({"number"})


def _within(path: str, reported: str) -> bool:
    return path == reported or path.startswith((reported + ".", reported + "["))


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
    background = None
    if d.get("background_outages") is not None:
        background = _background(ctx, d["background_outages"], at(path, "background_outages"))
    return _build(
        ctx, path, before, Rules,
        min_validity_months=ctx.integer(d, "min_validity_months", path, 6),
        min_name_words=ctx.integer(d, "min_name_words", path, 3),
        target_probability=ctx.number(d, "target_probability", path, 0.9),
        cuti_bersama_closes=ctx.boolean(d, "cuti_bersama_closes", path, True),
        outside_view=ctx.boolean(d, "outside_view", path, True),
        service_tail=ctx.opt_number(d, "service_tail", path),
        background_outages=background,
        recovery_ramp=ctx.boolean(d, "recovery_ramp", path, True),
        point_value=ctx.integer(d, "point_value", path, Rules().point_value),
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
        rates[key] = ctx.number(d, key, path, 0.0)
    return _build(ctx, path, before, BackgroundRate, **rates)


def read_agency(ctx: Ctx, data: object, path: str) -> Agency | None:
    d = ctx.obj(data, path, _AGENCY_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    return _build(
        ctx, path, before, Agency,
        name=ctx.required_string(d, "name", path),
        contact=ctx.string(d, "contact", path),
        phone=ctx.string(d, "phone", path),
    )  # fmt: skip


def read_system(ctx: Ctx, data: object, path: str) -> System | None:
    d = ctx.obj(data, path, _SYSTEM_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    return _build(
        ctx, path, before, System, code=ctx.text(d, "code", path), name=ctx.string(d, "name", path)
    )


def _alternative(ctx: Ctx, data: object, path: str) -> Alternative | None:
    d = ctx.obj(data, path, _ALTERNATIVE_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    office = _office_ref(ctx, d, "office", path)
    travel = ctx.integer(d, "travel_days", path, 0)
    cost = None if d.get("travel_cost") is None else ctx.integer(d, "travel_cost", path, 0)
    return _build(
        ctx, path, before, Alternative, office=office, travel_days=travel, travel_cost=cost
    )


def read_office(ctx: Ctx, data: object, path: str) -> Office | None:
    d = ctx.obj(data, path, _OFFICE_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    defaults = _OFFICE_DEFAULTS
    alt_path = at(path, "alternatives")
    alternatives = [
        _alternative(ctx, item, f"{alt_path}[{i}]")
        for i, item in enumerate(ctx.items(d, "alternatives", path))
    ]
    return _build(
        ctx, path, before, Office,
        code=ctx.text(d, "code", path),
        name=ctx.required_string(d, "name", path),
        timezone=ctx.timezone(d, "timezone", path, required=True),
        systems=ctx.codes(d, "systems", path, ctx.systems, "system"),
        booking_days=ctx.three_point(d, "booking_days", path, defaults.booking_days),
        issue_days=ctx.three_point(d, "issue_days", path, defaults.issue_days),
        collect_days=ctx.three_point(d, "collect_days", path, defaults.collect_days),
        daily_capacity=ctx.number(d, "daily_capacity", path, defaults.daily_capacity),
        daily_intake=ctx.opt_number(d, "daily_intake", path),
        closures=ctx.dates(d, "closures", path),
        alternatives=[a for a in alternatives if a is not None],
        express=ctx.boolean(d, "express", path, True),
    )  # fmt: skip


def _recovery(ctx: Ctx, data: object, path: str) -> Recovery | None:
    d = ctx.obj(data, path, _RECOVERY_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    low = ctx.date(d, "low", path)
    mode = ctx.date(d, "mode", path)
    high = ctx.opt_date(d, "high", path)
    if len(ctx.problems) != before:
        return None
    return _build(ctx, path, before, Recovery, low=low, mode=mode, high=high)


def read_disruption(ctx: Ctx, data: object, path: str) -> Disruption | None:
    d = ctx.obj(data, path, _DISRUPTION_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    offices = ctx.codes(d, "offices", path, ctx.offices, "office")
    systems = ctx.codes(d, "systems", path, ctx.systems, "system")
    stops = ctx.choice(d, "stops", path, _STOPS)
    # No recovery (or null): nobody gave an estimate, the outside view alone decides.
    recovery = None
    if d.get("recovery") is not None:
        recovery = _recovery(ctx, d["recovery"], at(path, "recovery"))
    kind = None if d.get("kind") is None else ctx.choice(d, "kind", path, _KINDS)
    return _build(
        ctx, path, before, Disruption,
        id=ctx.text(d, "id", path),
        start=ctx.date(d, "start", path),
        recovery=recovery,
        stops=Stops(stops),
        offices=offices,
        systems=systems,
        capacity_factor=ctx.number(d, "capacity_factor", path, 0.0),
        reported=ctx.opt_date(d, "reported", path),
        ended=ctx.opt_date(d, "ended", path),
        note=ctx.string(d, "note", path),
        kind=None if kind is None else DisruptionKind(kind),
    )  # fmt: skip


def _passport(ctx: Ctx, data: object, path: str) -> Passport | None:
    d = ctx.obj(data, path, _PASSPORT_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    expires = ctx.date(d, "expires", path)
    try:
        passport = Passport(d.get("number"), d.get("name"), expires)  # type: ignore[arg-type]
    except InvalidRecord as exc:
        # Personal data: a wrong number is reported by its type only, never echoed.
        _refused(ctx, path, before, exc, d, _PASSPORT_SECRETS)
        return None
    return passport if len(ctx.problems) == before else None


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
    get = d.get
    b, r, p, i, c = get("booked"), get("recorded"), get("paid"), get("issued"), get("collected")
    key: tuple[object, ...] = (Application, office, express, b, r, p, i, c)
    if not (
        (b is None or type(b) is str)
        and (r is None or type(r) is str)
        and (p is None or type(p) is str)
        and (i is None or type(i) is str)
        and (c is None or type(c) is str)
    ):
        key = ()  # not text: the slow path reports what is wrong
    found = ctx.records.get(key)
    if isinstance(found, Application):
        return found
    booked, recorded, paid, issued, collected = ctx.opt_dates(d, _STAGES, path)
    try:
        application = Application(office, booked, recorded, paid, issued, collected, express)
    except InvalidRecord as exc:
        _refused(ctx, path, before, exc)
        return None
    if len(ctx.problems) != before:
        return None
    if key:
        ctx.records[key] = application
    return application


def read_member(ctx: Ctx, data: object, path: str, office: str | None) -> Member | None:
    """A member; ``office`` fills in ``application.office`` when the file leaves it out."""
    d = ctx.obj(data, path, _MEMBER_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    raw = d.get("passport")
    passport = None if raw is None else _passport(ctx, raw, at(path, "passport"))
    raw = d.get("application")
    application = None if raw is None else _application(ctx, raw, at(path, "application"), office)
    contacted, follow_up = ctx.opt_dates(d, _MEMBER_DATES, path)
    title = d.get("title")
    if title is not None:
        title = _TITLE_BY_NAME.get(title) if type(title) is str else None
        if title is None:
            ctx.wrong(at(path, "title"), _TITLE_CHOICES, d["title"])
    notes = d.get("notes")
    # The values go to the model unread: its rules say what is wrong, _refused says it
    # about what the file holds. One reading of each field, as fast as it gets.
    try:
        member = Member(
            d.get("id"), d.get("name"),  # type: ignore[arg-type]
            d.get("phone"), passport, application, d.get("nik"),
            contacted, follow_up, title, "" if notes is None else notes,
        )  # fmt: skip
    except InvalidRecord as exc:
        _refused(ctx, path, before, exc, d, _MEMBER_SECRETS)
        return None
    return member if len(ctx.problems) == before else None


def read_group(ctx: Ctx, data: object, path: str) -> Group | None:
    d = ctx.obj(data, path, _GROUP_KEYS)
    if d is None:
        return None
    before = len(ctx.problems)
    office = _office_ref(ctx, d, "office", path)
    raw = ctx.items(d, "members", path)
    members_path = at(path, "members")
    # A bad group office is reported once above; the placeholder keeps members
    # without their own office from repeating it (the group is dropped anyway).
    default_office = office or "?"
    members = [
        read_member(ctx, m, f"{members_path}[{i}]", default_office) for i, m in enumerate(raw)
    ]
    unique(ctx, raw, "id", members_path)
    capacity = None if d.get("capacity") is None else ctx.integer(d, "capacity", path, 1)
    return _build(
        ctx, path, before, Group,
        id=ctx.text(d, "id", path),
        name=ctx.required_string(d, "name", path),
        office=office,
        departure=ctx.departure(d, "departure", path),
        visa_lead_days=ctx.integer(d, "visa_lead_days", path, 0),
        members=[m for m in members if m is not None],
        timezone=ctx.timezone(d, "timezone", path, required=False),
        capacity=capacity,
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
