"""Stay, switch now, or switch by a date — for the group and per office.

The library decides (grouppass.advice); this panel only words it. Its
``reason`` is English prose, so in Indonesian the panel words the same
decision from the structured fields instead of translating free text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from rich.console import Group as RichGroup
from rich.text import Text
from textual.widgets import Static

from grouppass.model import Group, Scenario
from grouppass.notices import TodayAction, Todo, shared_systems, todays_actions
from grouppass.results import Action, Advice, GroupAssessment, Risk
from grouppass_tui.dates import long_date, short_date
from grouppass_tui.display import percent, risk_style
from grouppass_tui.i18n import language, t

__all__ = ["AdvicePanel", "action_text", "advice_reason", "advice_title", "today_lines"]


def action_text(a: TodayAction, office_name: Callable[[str], str], year: int) -> str:
    """One of today's actions in the organiser's words: "Collect at ULP Lombok Timur"."""
    return t(
        f"today.{a.code.value}",
        office=office_name(a.office) if a.office else "",
        date=short_date(a.date, year) if a.date else "",
    )


def today_lines(
    scenario: Scenario, group: Group, figures: GroupAssessment, as_of: dt.date
) -> list[tuple[TodayAction, list[str]]]:
    """Today's actions for the group, each with the names of the members it is for."""
    by_id = {m.member_id: m for m in figures.members}
    out: dict[TodayAction, list[str]] = {}
    for member in group.members:
        mf = by_id.get(member.id)
        if mf is None:
            continue
        for a in todays_actions(member, mf, figures, as_of, group.office):
            if a.code is Todo.WAIT:
                continue  # nothing to do: not an action on the organiser's list
            out.setdefault(a, []).append(member.name)
    return list(out.items())


def advice_title(advice: Advice, office_name: Callable[[str], str]) -> str:
    """``Pindah paling lambat Senin, 19 Maret 2018 ke ULP Lombok Timur``."""
    to = office_name(advice.to_office) if advice.to_office else ""
    if advice.action == Action.SWITCH_BY and advice.switch_by is not None:
        return t("advice.title.switch_by", date=long_date(advice.switch_by), office=to)
    if advice.action == Action.SWITCH_NOW:
        return t("advice.title.switch_now", office=to)
    if advice.action == Action.STAY:
        return t("advice.title.stay")
    return t("advice.title.no_better_option")


def advice_reason(
    advice: Advice,
    scenario: Scenario,
    target: float,
    office_name: Callable[[str], str],
    as_of: dt.date | None = None,
) -> str:
    """Why, in the UI language; in English the library's own sentence."""
    if language() == "en" and advice.reason:
        return advice.reason
    office = office_name(advice.office)
    to = office_name(advice.to_office) if advice.to_office else ""
    fields = {
        "office": office,
        "to": to,
        "p_stay": percent(advice.p_stay),
        "p_now": percent(advice.p_switch_now),
        "target": percent(target),
        "date": long_date(advice.switch_by) if advice.switch_by else "",
    }
    if advice.action == Action.NO_BETTER_OPTION:
        if not advice.to_office:
            return t("advice.reason.no_alternative", **fields)
        names = {s.code: s.name or s.code for s in scenario.systems}
        day = as_of if as_of is not None else dt.date.max
        shared = shared_systems(scenario, advice.office, advice.to_office, day)
        if shared:
            system = ", ".join(names.get(s, s) for s in shared)
            return t("advice.reason.shared_system", system=system, **fields)
        return t("advice.reason.no_better_option", **fields)
    return t(f"advice.reason.{advice.action.value}", **fields)


class AdvicePanel(Static):
    """What to do, for the group and each office its members wait at."""

    DEFAULT_CSS = """
    AdvicePanel {
        height: auto;
        max-height: 12;
        padding: 0 1;
        border-top: solid $primary-muted;
        overflow-y: auto;
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
    ) -> None:
        if figures is None:
            self.update(Text(t("advice.computing"), style="dim"))
            return

        def name(code: str) -> str:
            try:
                return scenario.office(code).name or code
            except KeyError:
                return code

        lines: list[Text] = []
        head = Text(t("advice.heading") + " ", style="bold")
        head.append(
            t("advice.group", p=percent(figures.p_on_time), target=percent(target)),
            style=risk_style(figures.risk, theme),
        )
        lines.append(head)
        if not figures.advice:
            lines.append(Text(t("advice.none"), style="dim"))
        for advice in figures.advice:
            action_style = (
                risk_style(Risk.LATE, theme)
                if advice.action == Action.SWITCH_NOW
                else risk_style(Risk.AT_RISK, theme)
                if advice.action == Action.SWITCH_BY
                else ""
            )
            line = Text()
            line.append(f"{advice.office} ", style="bold")
            line.append(
                t(
                    "advice.members_one" if len(advice.members) == 1 else "advice.members",
                    n=len(advice.members),
                )
                + " · ",
                style="dim",
            )
            line.append(advice_title(advice, name), style=action_style)
            line.append(" · " + t("advice.p_stay", p=percent(advice.p_stay)))
            if advice.p_switch_now is not None:
                line.append(" · " + t("advice.p_switch", p=percent(advice.p_switch_now)))
            lines.append(line)
            reason = advice_reason(advice, scenario, target, name, as_of)
            lines.append(Text("  " + reason, style="dim"))
        if any(a.action in (Action.SWITCH_NOW, Action.SWITCH_BY) for a in figures.advice):
            lines.append(Text(t("advice.apply_hint"), style="italic"))
        lines += self._today(scenario, group, figures, as_of, name)
        self.update(RichGroup(*lines))

    @staticmethod
    def _today(
        scenario: Scenario,
        group: Group,
        figures: GroupAssessment,
        as_of: dt.date,
        name: Callable[[str], str],
    ) -> Sequence[Text]:
        items = today_lines(scenario, group, figures, as_of)
        if not items:
            return []
        out = [Text(t("today.heading"), style="bold")]
        for action, names in items:
            line = Text("• ")
            line.append(action_text(action, name, as_of.year), style="bold")
            shown = ", ".join(names[:4]) + (f" +{len(names) - 4}" if len(names) > 4 else "")
            line.append(": " + shown, style="dim")
            out.append(line)
        return out
