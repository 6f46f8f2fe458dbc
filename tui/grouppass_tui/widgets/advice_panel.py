"""Stay, switch now, or switch by a date — for the group and per office.

The library decides (grouppass.advice); this panel only words it. Its
``reason`` is English prose, so in Indonesian the panel words the same
decision from the structured fields instead of translating free text.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group as RichGroup
from rich.text import Text
from textual.widgets import Static

from grouppass.model import Scenario
from grouppass.results import Action, Advice, GroupAssessment, Risk
from grouppass_tui.dates import long_date
from grouppass_tui.display import percent, risk_style
from grouppass_tui.i18n import language, t

__all__ = ["AdvicePanel", "advice_reason", "advice_title"]


def shared_outage(scenario: Scenario, office: str, other: str) -> str | None:
    """The name of a system whose disruption hits both offices, if any (for the wording)."""
    try:
        a, b = scenario.office(office), scenario.office(other)
    except KeyError:
        return None
    names = {s.code: s.name or s.code for s in scenario.systems}
    for d in scenario.disruptions:
        if d.hits(a) and d.hits(b):
            shared = [s for s in d.systems if s in a.systems and s in b.systems]
            return ", ".join(names.get(s, s) for s in shared) or d.id
    return None


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
    advice: Advice, scenario: Scenario, target: float, office_name: Callable[[str], str]
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
        system = shared_outage(scenario, advice.office, advice.to_office)
        if system:
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
        figures: GroupAssessment | None,
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
            lines.append(Text("  " + advice_reason(advice, scenario, target, name), style="dim"))
        if any(a.action in (Action.SWITCH_NOW, Action.SWITCH_BY) for a in figures.advice):
            lines.append(Text(t("advice.apply_hint"), style="italic"))
        self.update(RichGroup(*lines))
