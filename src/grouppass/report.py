"""An assessment as JSON (``grouppass-report/1``) or as a table for people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from grouppass.model import Scenario, Stage
from grouppass.results import Action, Assessment, GroupAssessment, Risk

__all__ = ["FAIL_LEVELS", "exit_code", "render_json", "render_text", "report_dict"]

FAIL_LEVELS = ("at_risk", "late", "never")

RISK_STYLE = {
    Risk.READY: ("✔", "green"),
    Risk.ON_TRACK: ("●", "green"),
    Risk.AT_RISK: ("▲", "yellow"),
    Risk.LATE: ("✖", "bold red"),
}


STAGE_LABEL = {
    Stage.NOT_STARTED: "not started",
    Stage.BOOKED: "booked",
    Stage.RECORDED: "recorded",
    Stage.PAID: "paid",
    Stage.RECORDED_AND_PAID: "rec+paid",
    Stage.ISSUED: "issued",
    Stage.COLLECTED: "in hand",
}


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _p(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def report_dict(report: Assessment) -> dict[str, Any]:
    """The ``grouppass-report/1`` document, as plain data."""
    return {
        "format": "grouppass-report/1",
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


def exit_code(report: Assessment, fail_on: str) -> int:
    """1 when some member is at or past ``fail_on`` (``at_risk``, ``late``), else 0."""
    if fail_on == "never":
        return 0
    threshold = Risk(fail_on).severity
    for g in report.groups:
        if any(m.risk.severity >= threshold for m in g.members):
            return 1
    return 0


def render_text(report: Assessment, scenario: Scenario, console: Console | None = None) -> None:
    """A plan an organiser can read: one table per group, then what to do."""
    console = console or Console()
    names = {o.code: o.name for o in scenario.offices}
    offices = ", ".join(f"{o.code} = {o.name}" for o in scenario.offices)
    console.print(
        Text(
            f"As of {report.as_of:%A %d %B %Y} · target {report.target_probability:.0%} "
            f"· {report.samples} scenarios, seed {report.seed}",
            style="bold",
        )
    )
    for g in report.groups:
        member_names = {m.member_id: m.name for m in g.members}
        glyph, style = RISK_STYLE[g.risk]
        counts = g.counts()
        console.print()
        console.print(
            Text.assemble(
                (g.name, "bold"),
                f"  ({g.group_id})\n",
                f"departs {g.departure:%a %d %b %Y %H:%M %z} · passports needed by "
                f"{g.deadline:%a %d %b %Y} · P(all on time) {g.p_on_time:.0%} ",
                (f"{glyph} {g.risk.value}", style),
                "\n" + " · ".join(f"{counts[r]} {r.value}" for r in Risk),
            )
        )
        table = Table(show_lines=False, pad_edge=False, expand=True, box=box.SIMPLE_HEAD)
        table.add_column("member", no_wrap=True, overflow="ellipsis", min_width=16, ratio=1)
        for col, justify in (
            ("office", "left"),
            ("stage", "left"),
            ("P50", "right"),
            ("P90", "right"),
            ("P(ok)", "right"),
            ("risk", "left"),
        ):
            table.add_column(col, justify=justify, no_wrap=True)  # type: ignore[arg-type]
        ordered = sorted(g.members, key=lambda m: (-m.risk.severity, m.p_on_time, m.name))
        for m in ordered:
            glyph, style = RISK_STYLE[m.risk]
            table.add_row(
                Text(m.name),
                Text(m.office or "—"),
                STAGE_LABEL[m.stage],
                _short(m.ready_p50),
                _short(m.ready_p90),
                f"{m.p_on_time:.0%}",
                Text(f"{glyph} {m.risk.value}", style=style),
            )
        console.print(table)
        console.print(Text(offices, style="dim"))
        for a in g.advice:
            frm = names.get(a.office, a.office)
            to = names.get(a.to_office, a.to_office) if a.to_office else ""
            head = {
                Action.STAY: f"Stay at {frm}",
                Action.SWITCH_NOW: f"Switch from {frm} to {to} now",
                Action.SWITCH_BY: f"Switch from {frm} to {to} by {_short(a.switch_by)}",
                Action.NO_BETTER_OPTION: f"No better option than {frm}",
            }[a.action]
            who = ", ".join(member_names.get(i, i) for i in a.members[:6])
            if len(a.members) > 6:
                who += f" and {len(a.members) - 6} more"
            console.print(
                Text.assemble(("→ ", "bold"), (head, "bold"), "\n  ", Text(who, style="dim"))
            )
            console.print(Text("  " + a.reason))
        for m in ordered:
            for p in m.problems:
                console.print(Text.assemble("• ", (m.name, "bold"), ": ", p.message))


def _short(day: dt.date | None) -> str:
    return "—" if day is None else f"{day:%d %b}"
