"""An assessment as a plan people read: a table per group, then what to do.

Kept apart from the JSON report so scripts asking for JSON never pay for
importing rich. Every string from the data (names, codes, reasons) goes in
as plain :class:`~rich.text.Text`, never as markup, so ``[bold]`` or
``[link=...]`` in a name prints as typed; and through
:func:`grouppass.text.visible`, so a control character prints as ``\\x1b``
instead of acting on the terminal (issue 10.7). No line ends in spaces.
"""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.console import Console, RenderableType
from rich.segment import Segment, Segments
from rich.table import Table
from rich.text import Text

from grouppass.display import RISK_SYMBOL, percent
from grouppass.model import Scenario, Stage
from grouppass.results import Action, Advice, Assessment, RecoveryOutlook, Risk
from grouppass.text import visible
from grouppass.wording import date_text, todo_text

__all__ = ["RISK_COLOUR", "STAGE_LABEL", "render_text"]

RISK_COLOUR = {
    Risk.READY: "green",
    Risk.ON_TRACK: "green",
    Risk.AT_RISK: "yellow",
    Risk.LATE: "bold red",
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


def _plain(text: str, style: str = "") -> Text:
    """User data as text that no terminal or markup parser acts on."""
    return Text(visible(text), style=style, end="")


def _risk(risk: Risk) -> Text:
    return Text(f"{RISK_SYMBOL[risk]} {risk.value}", style=RISK_COLOUR[risk], end="")


def _print(console: Console, renderable: RenderableType = "") -> None:
    """Print with every line's trailing spaces cut (rich pads table cells and wraps)."""
    for line in console.render_lines(renderable, pad=False):
        while line and not line[-1].control and not line[-1].text.strip():
            line.pop()
        if line:
            last = line[-1]
            line[-1] = Segment(last.text.rstrip(), last.style, last.control)
        line.append(Segment.line())
        console.print(Segments(line))


def render_text(report: Assessment, scenario: Scenario, console: Console | None = None) -> None:
    """A plan an organiser can read: one table per group, then what to do."""
    console = console or Console()
    target = report.target_probability
    names = {o.code: o.name for o in scenario.offices}
    offices = ", ".join(f"{o.code} = {o.name}" for o in scenario.offices)
    _print(
        console,
        Text(
            f"As of {report.as_of:%A %d %B %Y} · target {target * 100:g}% "
            f"· {report.samples} scenarios, seed {report.seed}",
            style="bold",
        ),
    )
    for g in report.groups:
        member_names = {m.member_id: m.name for m in g.members}
        counts = g.counts()
        _print(console)
        _print(
            console,
            Text.assemble(
                _plain(g.name, "bold"),
                "  (",
                _plain(g.group_id),
                ")\n",
                f"departs {g.departure:%a %d %b %Y %H:%M %z} · passports needed by "
                f"{g.deadline:%a %d %b %Y} · P(all on time) {percent(g.p_on_time, target=target)} ",
                _risk(g.risk),
                "\n" + " · ".join(f"{counts[r]} {r.value}" for r in Risk),
            ),
        )
        table = Table(
            show_lines=False, pad_edge=False, expand=True, box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0)
        )
        # Whole names, never "Muhammad Rizki …": two Muhammad Rizkis must stay apart.
        longest = max((len(m.name) for m in g.members), default=6)
        table.add_column("member", min_width=min(longest, 40), ratio=1, overflow="fold")
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
            table.add_row(
                _plain(m.name),
                _plain(m.office or "—"),
                Text(STAGE_LABEL[m.stage]),
                Text(_short(m.ready_p50)),
                Text(_short(m.ready_p90)),
                Text(percent(m.p_on_time, target=target)),
                _risk(m.risk),
            )
        _print(console, table)
        _print(console, _plain(offices, "dim"))
        groups = {x.id: x.name for x in scenario.groups}
        for a in g.advice:
            head = _head(a, names, groups)
            who = ", ".join(member_names.get(i, i) for i in a.members[:6])
            if len(a.members) > 6:
                who += f" and {len(a.members) - 6} more"
            _print(console, Text.assemble(("→ ", "bold"), _plain(head, "bold"), "\n  ",
                                          _plain(who, "dim")))  # fmt: skip
            _print(console, _plain("  " + a.reason))
        for m in ordered:
            for p in m.problems:
                _print(console, Text.assemble("• ", _plain(m.name, "bold"), ": ",
                                              _plain(p.message)))  # fmt: skip
        today = [m for m in ordered if m.today]
        if today:
            _print(console, Text("Today", style="bold"))
            for m in today:
                things = " ".join(
                    todo_text(t, "en", office_names=names, group_names=groups) for t in m.today
                )
                _print(console, Text.assemble("  ", _plain(m.name, "bold"), ": ", _plain(things)))
    _evidence(report, names, console)


def _head(a: Advice, names: dict[str, str], groups: dict[str, str]) -> str:
    frm = names.get(a.office, a.office)
    to = names.get(a.to_office, a.to_office) if a.to_office else ""
    return {
        Action.STAY: f"Stay at {frm}",
        Action.SWITCH_NOW: f"Switch from {frm} to {to} now",
        Action.SWITCH_BY: (
            f"Wait for news of {frm} until {_short(a.switch_by)}, then switch to {to}"
        ),
        Action.NO_BETTER_OPTION: f"No better option than {frm}",
        Action.START_AT: f"Apply at {to}",
        Action.EXPRESS: f"Express service at {to}",
        Action.LATER_GROUP: f"Move to {groups.get(a.to_group or '', a.to_group or '')}",
        Action.ASK_URGENT: f"Ask {frm} for urgent service",
    }[a.action]


def _evidence(report: Assessment, names: dict[str, str], console: Console) -> None:
    """What the figures stand on, in plain words."""
    lines = [_recovery_words(r) for r in report.recoveries if r.ongoing]
    for o in report.offices:
        learned = [
            f"{stage} from {getattr(o, stage).observations}"
            for stage in ("booking", "issue", "collect")
            if getattr(o, stage).observations
        ]
        if learned:
            lines.append(
                f"{names.get(o.office, o.office)}: service times learned from the agency's "
                f"records ({', '.join(learned)} applications)"
            )
    if lines:
        _print(console)
        _print(console, Text("What the figures stand on", style="bold"))
        for line in lines:
            _print(console, _plain("  " + line))


def _recovery_words(r: RecoveryOutlook) -> str:
    said = {
        "as_given": "the officials' estimate, as given",
        "outside_view": "no estimate was given: the outside view alone",
        "combined": (
            f"the officials' estimate, weighed {r.word_weight:.0%} against the outside view"
        ),
        "ended": "its end, known",
    }[r.method]
    text = (
        f"{r.disruption_id}: printing back by {date_text(r.p50, 'en')} (P50), "
        f"{date_text(r.p90, 'en')} (P90); from {said}"
    )
    if r.method in ("combined", "outside_view") and r.similar_known:
        text += (
            f"; of {r.similar_known} similar outages on record, {r.similar_longer} lasted "
            f"longer than {r.compared_days:.0f} days"
        )
    if r.own_estimates:
        text += f"; learned from {r.own_estimates} of the agency's own past estimates"
    return text


def _short(day: dt.date | None) -> str:
    return "—" if day is None else f"{day:%d %b}"
