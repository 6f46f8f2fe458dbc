"""An assessment as JSON (``grouppass-report/1``): what ``grouppass check --format json`` prints."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from grouppass._gc import gc_paused
from grouppass.results import Assessment, GroupAssessment

__all__ = ["REPORT_FORMAT", "render_json", "report_dict"]

REPORT_FORMAT = "grouppass-report/1"


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _p(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def report_dict(report: Assessment) -> dict[str, Any]:
    """The ``grouppass-report/1`` document, as plain data."""
    with gc_paused():
        return _report_dict(report)


def _report_dict(report: Assessment) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "as_of": report.as_of.isoformat(),
        "target_probability": report.target_probability,
        "seed": report.seed,
        "samples": report.samples,
        "groups": [_group_dict(g) for g in report.groups],
    }


def _group_dict(g: GroupAssessment) -> dict[str, Any]:
    # Called for 100,000 members in a season report: dates repeat, so format each once.
    iso = _ISO_CACHE
    return {
        "id": g.group_id,
        "name": g.name,
        "departure": g.departure.isoformat(),
        "deadline": g.deadline.isoformat(),
        "risk": g.risk.value,
        "p_on_time": _p(g.p_on_time),
        "members": [
            {
                "id": m.member_id,
                "name": m.name,
                "risk": m.risk.value,
                "p_on_time": round(m.p_on_time, 4),
                "ready_p50": None if m.ready_p50 is None else iso[m.ready_p50],
                "ready_p90": None if m.ready_p90 is None else iso[m.ready_p90],
                "office": m.office,
                "stage": m.stage.value,
                "problems": [{"code": p.code.value, "message": p.message} for p in m.problems]
                if m.problems
                else [],
            }
            for m in g.members
        ],
        "advice": [
            {
                "office": a.office,
                "members": list(a.members),
                "action": a.action.value,
                "to_office": a.to_office,
                "switch_by": _day(a.switch_by),
                "p_stay": _p(a.p_stay),
                "p_switch_now": _p(a.p_switch_now),
                "reason": a.reason,
            }
            for a in g.advice
        ],
    }


class _IsoDates(dict[dt.date, str]):
    def __missing__(self, day: dt.date) -> str:
        text = self[day] = day.isoformat()
        return text


_ISO_CACHE = _IsoDates()


def render_json(report: Assessment, *, indent: bool = False) -> bytes:
    """The report as JSON; compact unless ``indent`` (big reports print much faster)."""
    return orjson.dumps(report_dict(report), option=orjson.OPT_INDENT_2 if indent else 0)
