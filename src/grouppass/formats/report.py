"""An assessment as JSON (``grouppass-report/1``): what ``grouppass check --format json`` prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from grouppass._gc import gc_paused
from grouppass.results import Advice, Assessment, GroupAssessment, Problem, Todo

__all__ = ["REPORT_FORMAT", "render_json", "report_dict", "write_json"]

REPORT_FORMAT = "grouppass-report/1"


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _p(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def report_dict(report: Assessment) -> dict[str, Any]:
    """The ``grouppass-report/1`` document, as plain data."""
    with gc_paused():
        return _report_dict(report)


def _report_dict(report: Assessment, *, groups: bool = True) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "as_of": report.as_of.isoformat(),
        "target_probability": report.target_probability,
        "seed": report.seed,
        "samples": report.samples,
        "groups": [_group_dict(g) for g in report.groups] if groups else [],
        "offices": [
            {
                "office": o.office,
                **{
                    stage: {
                        "learned_from": getattr(o, stage).observations,
                        "p50_days": getattr(o, stage).p50,
                        "p90_days": getattr(o, stage).p90,
                    }
                    for stage in ("booking", "issue", "collect")
                },
                "unannounced_per_year": _p(o.background_per_year),
            }
            for o in report.offices
        ],
        "recoveries": [
            {
                "disruption": r.disruption_id,
                "kind": r.kind,
                "method": r.method,
                "ongoing": r.ongoing,
                "p50": r.p50.isoformat(),
                "p90": r.p90.isoformat(),
                "similar_known": r.similar_known,
                "similar_longer": r.similar_longer,
                "compared_days": r.compared_days,
                "overrun_factor": _p(r.overrun_factor),
                "own_estimates": r.own_estimates,
                "own_outages": r.own_outages,
                "word_weight": _p(r.word_weight),
            }
            for r in report.recoveries
        ],
    }


# Codes are StrEnums: str() of one is its value as a plain str, in C, where ``.value``
# runs the enum's Python descriptor (hundreds of thousands of times in a season).


def _problem(p: Problem) -> dict[str, Any]:
    out: dict[str, Any] = {"code": str(p.code), "message": p.message}
    for key in ("expires", "needed"):
        value = getattr(p, key)
        if value is not None:
            out[key] = value.isoformat()
    if p.words is not None:
        out["words"], out["required"] = p.words, p.required
    return out


def _todo(t: Todo) -> dict[str, Any]:
    out: dict[str, Any] = {"code": str(t.code)}
    if t.office is not None:
        out["office"] = t.office
    if t.day is not None:
        out["day"] = t.day.isoformat()
    if t.group is not None:
        out["group"] = t.group
    if t.express:
        out["express"] = True
    return out


def _advice(a: Advice) -> dict[str, Any]:
    return {
        "office": a.office,
        "members": list(a.members),
        "action": str(a.action),
        "code": str(a.code),
        "to_office": a.to_office,
        "to_group": a.to_group,
        "switch_by": _day(a.switch_by),
        "p_stay": _p(a.p_stay),
        "p_switch_now": _p(a.p_switch_now),
        "p_advised": _p(a.p_advised),
        "p_wait": _p(a.p_wait),
        "p_recovered": _p(a.p_recovered),
        "cost": a.cost,
        "systems": list(a.systems),
        "disruptions": list(a.disruptions),
        "losses": [
            {"code": loss.code, "amount": loss.amount, "day": _day(loss.day)} for loss in a.losses
        ],
        "options": [
            {
                "action": str(o.action),
                "to_office": o.to_office,
                "to_group": o.to_group,
                "switch_by": _day(o.switch_by),
                "p_group": _p(o.p_group),
                "p_members": _p(o.p_members),
                "cost": o.cost,
                "value": round(o.value, 3),
            }
            for o in a.options
        ],
        "reason": a.reason,
    }


def _group_dict(g: GroupAssessment) -> dict[str, Any]:
    # Called for 100,000 members in a season report: dates repeat, so format each once.
    iso = _ISO_CACHE
    return {
        "id": g.group_id,
        "name": g.name,
        "departure": g.departure.isoformat(),
        "deadline": g.deadline.isoformat(),
        "risk": str(g.risk),
        "p_on_time": _p(g.p_on_time),
        "members": [
            {
                "id": m.member_id,
                "name": m.name,
                "risk": str(m.risk),
                "p_on_time": round(m.p_on_time, 4),
                "ready_p50": None if m.ready_p50 is None else iso[m.ready_p50],
                "ready_p90": None if m.ready_p90 is None else iso[m.ready_p90],
                "office": m.office,
                "stage": str(m.stage),
                "problems": [_problem(p) for p in m.problems] if m.problems else [],
                "held_by": list(m.held_by),
                "today": [_todo(t) for t in m.today] if m.today else [],
            }
            for m in g.members
        ],
        "advice": [_advice(a) for a in g.advice],
    }


class _IsoDates(dict[dt.date, str]):
    def __missing__(self, day: dt.date) -> str:
        text = self[day] = day.isoformat()
        return text


_ISO_CACHE = _IsoDates()


def render_json(report: Assessment, *, indent: bool = False) -> bytes:
    """The report as JSON; compact unless ``indent`` (big reports print much faster)."""
    if indent:
        return orjson.dumps(report_dict(report), option=orjson.OPT_INDENT_2)
    return b"".join(_compact(report))


def write_json(report: Assessment, out: BinaryIO) -> None:
    """:func:`render_json` (compact) written to ``out`` a group at a time: the same bytes,
    without holding the whole document in memory twice (as data, then as text)."""
    for part in _compact(report):
        out.write(part)


_GROUPS = b'"groups":['


def _compact(report: Assessment) -> Iterator[bytes]:
    """The compact document in pieces: the head up to the groups, each group, the tail.

    orjson writes a list as ``[a,b]`` with no spaces, so the pieces join to exactly
    what one ``orjson.dumps`` of the whole document gives. The head is cut at the
    first ``"groups":[`` : inside a string its quotes would be escaped, and it is
    the sixth key of the top-level object, before any nested one.
    """
    with gc_paused():
        frame = orjson.dumps(_report_dict(report, groups=False))
        cut = frame.index(_GROUPS) + len(_GROUPS)
        yield frame[:cut]
        for i, g in enumerate(report.groups):
            yield (b"," if i else b"") + orjson.dumps(_group_dict(g))
        yield frame[cut:]
