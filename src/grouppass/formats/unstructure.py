"""Model records to the JSON objects of the scenario format (the store keeps the same).

Optional fields that are not set are left out rather than written as null,
except where "nobody said" is a fact worth keeping (an open-ended recovery,
a disruption without an estimate). :mod:`grouppass.formats.records` reads
every object written here back equal.

>>> unstructure_system(System("SIMKIM"))
{'code': 'SIMKIM', 'name': ''}
"""

from __future__ import annotations

from typing import Any

from grouppass.formats.values import number_out
from grouppass.model import (
    Agency,
    Alternative,
    Disruption,
    Group,
    Member,
    Office,
    Rules,
    System,
    ThreePoint,
)

__all__ = [
    "unstructure_agency",
    "unstructure_disruption",
    "unstructure_group",
    "unstructure_member",
    "unstructure_office",
    "unstructure_rules",
    "unstructure_system",
]

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
