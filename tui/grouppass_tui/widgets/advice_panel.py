"""What to do, per office and cohort: the library's advice, every lever it weighed, today.

The library decides (:mod:`grouppass.advice`) and words it
(:mod:`grouppass.wording`, English and Bahasa Indonesia from the same codes
and facts); this panel lays it out: each advice with its headline, its
sentence, and the levers weighed with P(group on time) and cost, the chosen
one first; the disruptions holding the group up with when the forecast
expects them over; then today's actions with the members each is for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from grouppass.model import Group, Scenario
from grouppass.results import (
    Action,
    Advice,
    GroupAssessment,
    Reason,
    RecoveryOutlook,
    Risk,
    Todo,
)
from grouppass.wording import advice_text, todo_text
from grouppass.wording.levers import (
    advice_title,
    chosen_first,
    cost_text,
    option_text,
    recovery_text,
)
from grouppass_tui.dates import short_date
from grouppass_tui.display import percent, risk_style
from grouppass_tui.i18n import language, plural, t

__all__ = [
    "SWITCHING",
    "AdvicePanel",
    "holdup_lines",
    "names_text",
    "office_names",
    "options_table",
    "today_lines",
]

SWITCHING = (Action.SWITCH_NOW, Action.SWITCH_BY, Action.START_AT, Action.EXPRESS)
"""Advice that ``p`` applies: a new application at the advised office."""

_ORDER = {
    Action.SWITCH_NOW: 0,
    Action.START_AT: 1,
    Action.EXPRESS: 2,
    Action.SWITCH_BY: 3,
    Action.LATER_GROUP: 4,
    Action.ASK_URGENT: 5,
    Action.NO_BETTER_OPTION: 6,
    Action.STAY: 7,
}
"""Advice that asks something of the organiser today first; staying last."""


def office_names(scenario: Scenario) -> dict[str, str]:
    return {o.code: o.name or o.code for o in scenario.offices}


def names_text(names: Sequence[str], shown: int = 4) -> str:
    """``Muhammad Nashif, Baiq Siti Rohani +2``."""
    more = f" +{len(names) - shown}" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def today_lines(group: Group, figures: GroupAssessment) -> list[tuple[Todo, list[str]]]:
    """Today's actions for the group (the library's, per member), each with whom it is for."""
    names = {m.id: m.name for m in group.members}
    out: dict[Todo, list[str]] = {}
    for m in figures.members:
        for todo in m.today:
            out.setdefault(todo, []).append(names.get(m.member_id, m.name))
    return list(out.items())


def holdup_lines(
    scenario: Scenario,
    held_by: Sequence[str],
    recoveries: Mapping[str, RecoveryOutlook],
    lang: str,
    as_of: dt.date,
    *,
    short: bool = False,
) -> list[Text]:
    """The disruptions in ``held_by``, each with when the forecast expects it over and why
    (``short``: the dates alone, the reasons being in the member's detail)."""
    by_id = {d.id: d for d in scenario.disruptions}
    systems = {s.code: s.name or s.code for s in scenario.systems}
    out = []
    for disruption_id in dict.fromkeys(held_by):
        d = by_id.get(disruption_id)
        if d is None:
            continue
        stops = t(f"stops.{d.stops.value}")
        what = (
            t("holdup.stopped", stops=stops)
            if d.capacity_factor <= 0
            else t("holdup.slowed", stops=stops, share=f"{d.capacity_factor:.0%}")
        )
        line = Text("⚠ ", style="bold")
        line.append(
            t(
                "holdup.ahead" if d.start > as_of else "holdup.line",
                id=d.id,
                what=what,
                where=", ".join([*d.offices, *(systems.get(s, s) for s in d.systems)]),
                start=short_date(d.start, as_of.year),
            ),
            style="bold",
        )
        outlook = recoveries.get(d.id)
        if outlook is not None:
            line.append(": " + recovery_text(outlook, lang, reasons=not short))
        out.append(line)
    return out


def options_table(advice: Advice, lang: str, target: float) -> Table:
    """Every lever the advice weighed: the chosen one first (▸), P(group on time), cost."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    for i, option in enumerate(chosen_first(advice)):
        style = "bold" if i == 0 else "dim"
        table.add_row(
            Text("  ▸" if i == 0 else "   ", style=style),
            Text(option_text(option, advice, lang), style=style),
            Text(t("advice.option_p", p=percent(option.p_group, target)), style=style),
            Text(cost_text(option.cost, lang), style=style),
        )
    return table


def _advice_style(advice: Advice, theme: Mapping[str, str]) -> Style | str:
    if advice.action in (Action.SWITCH_NOW, Action.START_AT, Action.EXPRESS):
        return risk_style(Risk.LATE, theme)
    if advice.action in (Action.SWITCH_BY, Action.LATER_GROUP, Action.ASK_URGENT):
        return risk_style(Risk.AT_RISK, theme)
    return ""


_DIGITS = str.maketrans("0123456789", "0000000000")


def renderable_sig(renderable: object, *, shape: bool = False) -> object | None:
    """What a renderable built here shows, as a value to compare; None if it cannot tell
    (a kind of renderable this panel does not build).

    ``shape``: only what its size depends on (text with every digit a 0, without
    styles): a percent or a date that changes its digits wraps the same way.
    """
    if isinstance(renderable, str):
        return renderable.translate(_DIGITS) if shape else renderable
    if isinstance(renderable, Text):
        look = (str(renderable.style), tuple(renderable.spans)) if not shape else ()
        return (
            renderable.plain.translate(_DIGITS) if shape else renderable.plain,
            *look,
            renderable.justify,
            renderable.overflow,
            renderable.no_wrap,
            renderable.end,
        )
    if isinstance(renderable, Padding):
        inner = renderable_sig(renderable.renderable, shape=shape)
        pad = (renderable.top, renderable.right, renderable.bottom, renderable.left)
        pad_style = str(renderable.style) if not shape else ""
        return None if inner is None else ("pad", pad, pad_style, inner)
    if isinstance(renderable, Table):
        # Only options_table builds tables here: its shape is fixed, its cells say it all.
        cells = tuple(
            renderable_sig(c, shape=shape) for col in renderable.columns for c in col._cells
        )
        return None if None in cells else ("table", len(renderable.columns), cells)
    if isinstance(renderable, list | tuple):
        parts = tuple(renderable_sig(r, shape=shape) for r in renderable)
        return None if None in parts else parts
    return None


class AdvicePanel(Static):
    """What to do, for the group and each cohort of its members (scrolls; Tab focuses it)."""

    can_focus = True
    _shown: object | None = None
    """What the panel shows (:func:`renderable_sig`), to skip redrawing the same."""
    _shape: object | None = None
    """What its size depends on: the same, and an update needs no layout."""

    DEFAULT_CSS = """
    AdvicePanel {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        border-top: solid $primary-muted;
        overflow-y: auto;
    }
    AdvicePanel:focus {
        border-top: solid $accent;
    }
    """

    def show(
        self,
        scenario: Scenario,
        group: Group,
        figures: GroupAssessment | None,
        as_of: dt.date,
        target: float,
        theme: dict[str, str],
        recoveries: Mapping[str, RecoveryOutlook],
        *,
        narrow: bool = False,
    ) -> None:
        if figures is None:
            self.show_lines([Text(t("advice.computing"), style="dim")])
            return
        lang = language()
        offices = office_names(scenario)
        groups = {g.id: g.name for g in scenario.groups}
        members = {m.id: m.name for m in group.members}
        lines: list[RenderableType] = []
        head = Text(t("advice.heading") + " ", style="bold")
        head.append(
            t("advice.group", p=percent(figures.p_on_time, target), target=percent(target)),
            style=risk_style(figures.risk, theme),
        )
        lines.append(head)
        held = [d for m in figures.members for d in m.held_by]
        holdups = holdup_lines(scenario, held, recoveries, lang, as_of, short=narrow)
        if not narrow:
            lines += holdups  # why, before what to do about it
        if not figures.advice:
            lines.append(Text(t("advice.none"), style="dim"))
        ordered = sorted(figures.advice, key=lambda a: _ORDER[a.action])
        for advice in ordered:
            line = Text()
            line.append(f"{advice.office} ", style="bold")
            line.append(plural("advice.members", len(advice.members)) + " · ", style="dim")
            line.append(
                advice_title(advice, lang, office_names=offices, group_names=groups),
                style=_advice_style(advice, theme),
            )
            line.append("  " + names_text([members.get(i, i) for i in advice.members]), style="dim")
            lines.append(line)
            if advice.code is Reason.ON_TRACK and narrow:
                continue  # the headline says it; room goes to what needs doing
            text = advice_text(
                advice, lang, office_names=offices, group_names=groups, target=target
            )
            lines.append(Padding(Text(text, style="dim"), (0, 0, 0, 2)))
            # The levers weighed take a line each: on a small screen the member's detail
            # shows them.
            if len(advice.options) > 1 and advice.code is not Reason.ON_TRACK and not narrow:
                lines.append(options_table(advice, lang, target))
        if narrow:
            lines += holdups  # a small screen shows what to do first
        if any(a.action in SWITCHING for a in figures.advice):
            lines.append(Text(t("advice.apply_hint"), style="italic"))
        lines += self._today(group, figures, lang, offices, groups)
        self.show_lines(lines)

    def show_lines(self, lines: Sequence[RenderableType]) -> None:
        """Show ``lines``, unless they are what is on screen: an update measures and lays
        out the panel again (tables and all), and most saves leave the advice as it was."""
        sig = renderable_sig(lines)
        if sig is not None and sig == self._shown:
            return
        shape = renderable_sig(lines, shape=True)
        # The same shape takes the same room: no layout of the whole screen.
        layout = shape is None or shape != self._shape
        self._shown, self._shape = sig, shape
        self.update(RichGroup(*lines), layout=layout)

    @staticmethod
    def _today(
        group: Group,
        figures: GroupAssessment,
        lang: str,
        offices: Mapping[str, str],
        groups: Mapping[str, str],
    ) -> Sequence[Text]:
        items = today_lines(group, figures)
        if not items:
            return []
        out = [Text(t("today.heading"), style="bold")]
        for todo, names in items:
            line = Text("• ")
            words = todo_text(todo, lang, office_names=offices, group_names=groups)
            line.append(words.rstrip("."), style="bold")
            line.append(": " + names_text(names), style="dim")
            out.append(line)
        return out
