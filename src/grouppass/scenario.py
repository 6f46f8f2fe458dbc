"""The interchange file (JSON, ``"format": "grouppass/1"``) to and from the model.

Every problem in a file is reported, each with its place in the file::

    groups[0].members[3].application.paid: not a date: '31-02-2018'

The per-record converters (``structure_office``, ``unstructure_member``, ...)
are what the store uses for its documents; :func:`parse_scenario` is built
from them plus the checks that need the whole file: unknown office or system
codes and duplicate ids. docs/scenario-format.md describes the format.

>>> s = parse_scenario({"format": "grouppass/1", "systems": [{"code": "SIMKIM"}]})
>>> s.systems[0].code
'SIMKIM'
>>> scenario_to_dict(s)["systems"]
[{'code': 'SIMKIM', 'name': ''}]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import orjson

from grouppass._convert import (
    TOP_KEYS,
    read_agency,
    read_disruption,
    read_group,
    read_member,
    read_office,
    read_rules,
    read_system,
    unique,
)
from grouppass._files import write_atomic
from grouppass._gc import gc_paused
from grouppass._values import Ctx, number_out
from grouppass.errors import LocatedProblem, ScenarioError
from grouppass.model import (
    Agency,
    Alternative,
    Disruption,
    Group,
    Member,
    Office,
    Rules,
    Scenario,
    System,
    ThreePoint,
)

__all__ = [
    "FORMAT",
    "dump_scenario",
    "load_scenario",
    "parse_scenario",
    "scenario_to_dict",
    "structure_agency",
    "structure_disruption",
    "structure_group",
    "structure_member",
    "structure_office",
    "structure_rules",
    "structure_system",
    "unstructure_agency",
    "unstructure_disruption",
    "unstructure_group",
    "unstructure_member",
    "unstructure_office",
    "unstructure_rules",
    "unstructure_system",
]

FORMAT = "grouppass/1"
"""The value of ``format`` this module reads and writes."""

T = TypeVar("T")

_SECTIONS = ("systems", "offices", "disruptions", "groups")


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


_RULES_DEFAULTS = Rules()


def unstructure_rules(rules: Rules) -> dict[str, Any]:
    out: dict[str, Any] = {
        "min_validity_months": rules.min_validity_months,
        "min_name_words": rules.min_name_words,
        "target_probability": number_out(rules.target_probability),
        "cuti_bersama_closes": rules.cuti_bersama_closes,
    }
    # The forecasting settings are written only when changed: most files keep the defaults.
    if rules.outside_view != _RULES_DEFAULTS.outside_view:
        out["outside_view"] = rules.outside_view
    if rules.service_tail is not None:
        out["service_tail"] = number_out(rules.service_tail)
    if rules.background_outages is not None:
        out["background_outages"] = {
            "office": number_out(rules.background_outages.office),
            "system": number_out(rules.background_outages.system),
        }
    if rules.recovery_ramp != _RULES_DEFAULTS.recovery_ramp:
        out["recovery_ramp"] = rules.recovery_ramp
    if rules.point_value != _RULES_DEFAULTS.point_value:
        out["point_value"] = rules.point_value
    return out


def unstructure_agency(agency: Agency) -> dict[str, Any]:
    out: dict[str, Any] = {"name": agency.name}
    if agency.contact:
        out["contact"] = agency.contact
    if agency.phone:
        out["phone"] = agency.phone
    return out


def unstructure_system(system: System) -> dict[str, Any]:
    return {"code": system.code, "name": system.name}


def _days_out(days: ThreePoint) -> int | float | dict[str, int | float]:
    if days.low == days.mode == days.high:
        return number_out(days.low)
    return {
        "low": number_out(days.low),
        "mode": number_out(days.mode),
        "high": number_out(days.high),
    }


def unstructure_office(office: Office) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": office.code,
        "name": office.name,
        "timezone": office.timezone,
        "systems": list(office.systems),
        "booking_days": _days_out(office.booking_days),
        "issue_days": _days_out(office.issue_days),
        "collect_days": _days_out(office.collect_days),
        "daily_capacity": number_out(office.daily_capacity),
    }
    if office.daily_intake is not None:
        out["daily_intake"] = number_out(office.daily_intake)
    out["closures"] = [d.isoformat() for d in office.closures]
    out["alternatives"] = [_alternative_out(a) for a in office.alternatives]
    if not office.express:
        out["express"] = False
    return out


def _alternative_out(alternative: Alternative) -> dict[str, Any]:
    out: dict[str, Any] = {"office": alternative.office, "travel_days": alternative.travel_days}
    if alternative.travel_cost is not None:
        out["travel_cost"] = alternative.travel_cost
    return out


def unstructure_disruption(disruption: Disruption) -> dict[str, Any]:
    r = disruption.recovery
    out: dict[str, Any] = {"id": disruption.id}
    if disruption.offices:
        out["offices"] = list(disruption.offices)
    if disruption.systems:
        out["systems"] = list(disruption.systems)
    out["stops"] = disruption.stops.value
    out["capacity_factor"] = number_out(disruption.capacity_factor)
    out["start"] = disruption.start.isoformat()
    if disruption.kind is not None:
        out["kind"] = disruption.kind.value
    # high is written even when null: an open-ended recovery is worth seeing. A missing
    # estimate is written as null too: "nobody said" is a fact, not an omission.
    out["recovery"] = (
        None
        if r is None
        else {
            "low": r.low.isoformat(),
            "mode": r.mode.isoformat(),
            "high": None if r.high is None else r.high.isoformat(),
        }
    )
    if disruption.reported is not None:
        out["reported"] = disruption.reported.isoformat()
    if disruption.ended is not None:
        out["ended"] = disruption.ended.isoformat()
    if disruption.note:
        out["note"] = disruption.note
    return out


def unstructure_member(member: Member) -> dict[str, Any]:
    """The member as a JSON object; absent optional fields are left out, not written as null."""
    out: dict[str, Any] = {"id": member.id, "name": member.name}
    if member.phone is not None:
        out["phone"] = member.phone
    if member.nik is not None:
        out["nik"] = member.nik
    p = member.passport
    if p is not None:
        out["passport"] = {"number": p.number, "name": p.name, "expires": p.expires.isoformat()}
    a = member.application
    if a is not None:
        app: dict[str, Any] = {"office": a.office}
        for name, value in (
            ("booked", a.booked), ("recorded", a.recorded), ("paid", a.paid),
            ("issued", a.issued), ("collected", a.collected),
        ):  # fmt: skip
            if value is not None:
                app[name] = value.isoformat()
        if a.express:
            app["express"] = True
        out["application"] = app
    if member.contacted is not None:
        out["contacted"] = member.contacted.isoformat()
    if member.follow_up is not None:
        out["follow_up"] = member.follow_up.isoformat()
    if member.title is not None:
        out["title"] = member.title.value
    if member.notes:
        out["notes"] = member.notes
    return out


def unstructure_group(group: Group, *, members: bool = True) -> dict[str, Any]:
    """The group as a JSON object; ``members=False`` leaves them out (for a store
    that keeps members as documents of their own)."""
    out: dict[str, Any] = {
        "id": group.id,
        "name": group.name,
        "office": group.office,
        "departure": group.departure.isoformat(),
    }
    if group.timezone is not None:
        out["timezone"] = group.timezone
    out["visa_lead_days"] = group.visa_lead_days
    if group.capacity is not None:
        out["capacity"] = group.capacity
    if members:
        out["members"] = [unstructure_member(m) for m in group.members]
    return out


# -- the whole file ----------------------------------------------------------


def _codes(raw: Sequence[Any], key: str) -> frozenset[str]:
    return frozenset(
        item[key] for item in raw if isinstance(item, Mapping) and isinstance(item.get(key), str)
    )


def _section(
    ctx: Ctx,
    raw: Sequence[Any],
    key: str,
    read: Callable[[Ctx, object, str], T | None],
    id_key: str,
) -> list[T]:
    out = [read(ctx, item, f"{key}[{i}]") for i, item in enumerate(raw)]
    unique(ctx, raw, id_key, key)
    return [x for x in out if x is not None]


def parse_scenario(data: object, source: str | None = None) -> Scenario:
    """A scenario from decoded JSON; raises ScenarioError listing every problem.

    ``source`` (usually the file name) is attached to each problem.

    >>> parse_scenario({"format": "grouppass/1", "groups": [{"id": "G1", "name": "Nashif",
    ...     "office": "MTR", "departure": "2018-05-16T09:00:00+08:00"}]}, "season.json")
    Traceback (most recent call last):
    grouppass.errors.ScenarioError: season.json: groups[0].office: unknown office 'MTR'
    """
    with gc_paused():
        return _parse(data, source)


def _parse(data: object, source: str | None) -> Scenario:
    ctx = Ctx(source)
    top = ctx.obj(data, "", TOP_KEYS)
    if top is None:
        ctx.check()
    assert top is not None
    fmt = top.get("format")
    if fmt is None:
        ctx.add("format", f'required field is missing; write "format": {FORMAT!r}')
    elif fmt != FORMAT:
        # Another version's fields would only bury this problem under noise.
        ctx.add("format", f"unsupported format {fmt!r}; this version reads {FORMAT!r}")
        ctx.check()
    rules = Rules() if top.get("rules") is None else read_rules(ctx, top["rules"], "rules")
    agency = None if top.get("agency") is None else read_agency(ctx, top["agency"], "agency")
    raw = {key: ctx.items(top, key, "") for key in _SECTIONS}
    # Codes come from the raw entries, so one bad field in an office does not
    # also turn every reference to it into an "unknown office".
    ctx.systems = _codes(raw["systems"], "code")
    ctx.offices = _codes(raw["offices"], "code")
    systems = _section(ctx, raw["systems"], "systems", read_system, "code")
    offices = _section(ctx, raw["offices"], "offices", read_office, "code")
    disruptions = _section(ctx, raw["disruptions"], "disruptions", read_disruption, "id")
    groups = _section(ctx, raw["groups"], "groups", read_group, "id")
    ctx.check()
    assert rules is not None
    return Scenario(
        rules=rules,
        agency=agency,
        systems=systems,
        offices=offices,
        disruptions=disruptions,
        groups=groups,
    )


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as JSON-ready data; ``parse_scenario`` reads it back equal."""
    with gc_paused():
        return _to_dict(scenario)


def _to_dict(scenario: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {"format": FORMAT}
    if scenario.agency is not None:
        out["agency"] = unstructure_agency(scenario.agency)
    return out | {
        "rules": unstructure_rules(scenario.rules),
        "systems": [unstructure_system(s) for s in scenario.systems],
        "offices": [unstructure_office(o) for o in scenario.offices],
        "disruptions": [unstructure_disruption(d) for d in scenario.disruptions],
        "groups": [unstructure_group(g) for g in scenario.groups],
    }


# -- files -------------------------------------------------------------------


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _decode(data: bytes, name: str) -> object:
    if not data.strip():
        raise ScenarioError([LocatedProblem("", "the file is empty", name)])
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        error = exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        # orjson blames position 0 for bad UTF-8 anywhere; find the real byte.
        line, col = _line_col(data, bad.start)
        problem = f"not UTF-8 text: byte 0x{data[bad.start]:02x} at line {line}, column {col}"
    else:
        # orjson fills in json's lineno/colno (counted in characters, not bytes).
        problem = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    raise ScenarioError([LocatedProblem("", problem, name)])


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario file; raises ScenarioError naming the file in every problem."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ScenarioError([LocatedProblem("", f"cannot read the file: {reason}", name)]) from None
    # Windows editors like to start UTF-8 files with a byte order mark; orjson refuses it.
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return parse_scenario(_decode(data, name), source=name)


def dump_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write the scenario to ``path`` atomically: readers see the old file or the new one.

    The file is readable by its owner only (0600), new or replaced, as it
    holds personal data (passport numbers, NIK).
    """
    data = orjson.dumps(
        scenario_to_dict(scenario), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    )
    write_atomic(Path(os.path.abspath(os.fspath(path))), data)
