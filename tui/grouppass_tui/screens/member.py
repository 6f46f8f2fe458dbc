"""One member: the stage timeline, the forecast as a chart, problems and what to do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from grouppass.assess import deadline_of
from grouppass.model import STAGE_FIELDS, Group, Member, Scenario, Stage
from grouppass.results import GroupAssessment, MemberAssessment, RecoveryOutlook, Risk
from grouppass.wording import advice_text, problem_text, todo_text
from grouppass.wording.levers import advice_title
from grouppass_tui.dates import long_date, medium_date
from grouppass_tui.display import mask, percent, risk_text, slack_text
from grouppass_tui.i18n import language, plural, t
from grouppass_tui.screens.base import AppScreen
from grouppass_tui.widgets.advice_panel import holdup_lines, office_names, options_table
from grouppass_tui.widgets.chart import DistributionChart
from grouppass_tui.widgets.footer import AppFooter
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.members_table import stage_word

__all__ = ["MemberScreen", "problem_lines", "timeline", "today_text"]

_STAGES = STAGE_FIELDS


def timeline(member: Member, figures: MemberAssessment | None, as_of: dt.date) -> Text:
    """Each stage with its date; facts dated after ``as_of`` shown as not yet known."""
    app = member.application
    out = Text(end="")
    if app is None:
        out.append(t("timeline.no_application"), style="dim")
        return out
    out.append(t("timeline.at_office", office=app.office) + "\n", style="dim")
    for name in _STAGES:
        day: dt.date | None = getattr(app, name)
        label = f"{t(f'timeline.{name}'):<12}"
        if day is not None and day <= as_of:
            out.append("● ", style="bold")
            out.append(label)
            out.append(long_date(day))
        elif day is not None:
            out.append("○ ", style="dim")
            out.append(label, style="dim")
            out.append(t("timeline.after_as_of", date=medium_date(day)), style="dim italic")
        else:
            out.append("○ ", style="dim")
            out.append(label, style="dim")
            if name == "collected" and figures is not None and figures.ready_p50 is not None:
                out.append(
                    t(
                        "timeline.expected",
                        p50=medium_date(figures.ready_p50),
                        p90=medium_date(figures.ready_p90 or figures.ready_p50),
                    ),
                    style="italic",
                )
            else:
                out.append("–", style="dim")
        out.append("\n")
    out.rstrip()
    return out


def problem_lines(figures: MemberAssessment) -> Text:
    """Each problem the library found, in its words (what it is and what to do about it)."""
    out = Text(end="")
    if not figures.problems:
        out.append(t("problems.none"), style="dim")
        return out
    lang = language()
    for problem in figures.problems:
        out.append("▲ ", style="bold")
        out.append(problem_text(problem, lang) + "\n")
    out.rstrip()
    return out


def today_text(
    scenario: Scenario,
    figures: MemberAssessment,
    group_figures: GroupAssessment,
    recoveries: Mapping[str, RecoveryOutlook],
    as_of: dt.date,
    warning: str,
) -> RenderableType:
    """Today's actions, the advice covering the member with every lever it weighed, and
    the disruptions holding their office up with when the forecast expects them over."""
    lang = language()
    offices = office_names(scenario)
    groups = {g.id: g.name for g in scenario.groups}
    parts: list[RenderableType] = []
    todo = Text()
    for item in figures.today:
        todo.append("→ ", style="bold")
        todo.append(todo_text(item, lang, office_names=offices, group_names=groups) + "\n")
    if not figures.today:
        todo.append(t("today.nothing") + "\n", style="dim")
    todo.rstrip()
    parts.append(todo)
    target = scenario.rules.target_probability
    for advice in group_figures.advice:
        if figures.member_id not in advice.members:
            continue
        head = Text(plural("member.advice", len(advice.members), office=advice.office) + " ")
        head.stylize("dim")
        head.append(advice_title(advice, lang, office_names=offices, group_names=groups))
        parts.append(head)
        words = advice_text(advice, lang, office_names=offices, group_names=groups, target=target)
        parts.append(Padding(Text(words, style="dim"), (0, 0, 0, 2)))
        if len(advice.options) > 1:
            parts.append(options_table(advice, lang, target))
    for line in holdup_lines(scenario, figures.held_by, recoveries, lang, as_of):
        line.stylize(f"bold {warning}", 0, 1)
        parts.append(line)
    return RichGroup(*parts)


class MemberScreen(AppScreen[None]):
    """Everything about one member's passport at ``as_of``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="member.back", tooltip="Back to the group"),
        Binding(
            "s", "record_stage", "Stage", id="member.stage", tooltip="Record a stage with its date"
        ),
        Binding("e", "edit", "Edit", id="member.edit", tooltip="Edit the member"),
        Binding(
            "c",
            "contact",
            "Contacted",
            id="member.contact",
            tooltip="Mark contacted and set a follow-up date",
        ),
    ]

    DEFAULT_CSS = """
    MemberScreen VerticalScroll {
        padding: 0 1;
    }
    MemberScreen .section {
        margin-top: 1;
        text-style: bold;
        color: $accent;
    }
    """

    def __init__(self, group_id: str, member_id: str) -> None:
        super().__init__()
        self.group_id = group_id
        self.member_id = member_id

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll():
            yield Static(id="member-summary")
            yield Static(classes="section", id="timeline-title")
            yield Static(id="timeline")
            yield Static(classes="section", id="chart-title")
            yield DistributionChart(id="chart")
            yield Static(classes="section", id="today-title")
            yield Static(id="today")
            yield Static(classes="section", id="problems-title")
            yield Static(id="problems")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def relabel(self) -> None:
        self.query_one("#timeline-title", Static).update(t("member.timeline"))
        self.query_one("#chart-title", Static).update(t("member.chart"))
        self.query_one("#problems-title", Static).update(t("member.problems"))
        self.query_one("#today-title", Static).update(t("member.today"))

    def _find(self) -> tuple[Group, Member] | None:
        try:
            group = self.gp.scenario.group(self.group_id)
            return group, group.member(self.member_id)
        except KeyError:
            return None

    def redraw(self) -> None:
        app = self.gp
        found = self._find()
        if found is None:
            if not app.loading:
                app.notify(t("member.gone"), severity="warning")
                self.dismiss()
            return
        group, member = found
        group_figures = app.figures.get(self.group_id)
        if not app.has_distributions(self.group_id):
            app.need_group(self.group_id, full=True)  # the chart needs the distribution
        figures = (
            next((m for m in group_figures.members if m.member_id == self.member_id), None)
            if group_figures
            else None
        )
        self.query_one(AppHeader).place = f"{group.name} › {member.name}"
        self.query_one("#member-summary", Static).update(self._summary(member, figures))
        self.query_one("#timeline", Static).update(timeline(member, figures, app.as_of))
        deadline = deadline_of(group)
        self.query_one(DistributionChart).show(figures, deadline)
        problems = self.query_one("#problems", Static)
        today = self.query_one("#today", Static)
        if figures is None or group_figures is None:
            problems.update(Text("…", style="dim"))
            today.update(Text("…", style="dim"))
        else:
            problems.update(problem_lines(figures))
            warning = app.theme_variables.get("warning", "yellow")
            today.update(
                today_text(app.scenario, figures, group_figures, app.recoveries, app.as_of, warning)
            )

    def _summary(self, member: Member, figures: MemberAssessment | None) -> Text:
        app = self.gp
        theme = app.theme_variables
        out = Text(end="")
        out.append(member.name, style="bold")
        if figures is not None:
            out.append("  ")
            out.append_text(risk_text(figures.risk, theme))
        out.append("\n")
        details = [
            (t("member.title"), t(f"title.{member.title.value}") if member.title else "–"),
            (t("member.phone"), member.phone or "–"),
            (t("member.nik"), mask(member.nik)),
        ]
        if member.passport is not None:
            details.append(
                (
                    t("member.passport"),
                    t(
                        "member.passport_value",
                        number=mask(member.passport.number),
                        expires=medium_date(member.passport.expires),
                    ),
                )
            )
        out.append("   ".join(f"{k}: {v}" for k, v in details) + "\n", style="dim")
        if figures is not None:
            out.append(t("member.stage") + ": ", style="dim")
            out.append(stage_word(member, figures, app.as_of))
            if figures.office:
                out.append(" · " + t("member.office") + ": ", style="dim")
                out.append(figures.office)
            if figures.risk != Risk.READY:
                out.append("\n" + t("member.p_on_time") + ": ", style="dim")
                target = app.scenario.rules.target_probability
                out.append(percent(figures.p_on_time, target), style="bold")
                if figures.ready_p50:
                    out.append(" · P50 ", style="dim")
                    out.append(medium_date(figures.ready_p50))
                if figures.ready_p90:
                    out.append(" · P90 ", style="dim")
                    out.append(medium_date(figures.ready_p90))
                out.append(" · " + t("member.slack") + " ", style="dim")
                out.append_text(slack_text(figures.slack_days, theme))
        out.append("\n" + t("member.contacted") + ": ", style="dim")
        out.append(medium_date(member.contacted) if member.contacted else "–")
        out.append(" · " + t("member.follow_up") + ": ", style="dim")
        if member.follow_up is None:
            out.append("–")
        elif member.follow_up < app.as_of:
            out.append(
                "⚑ " + medium_date(member.follow_up) + " " + t("member.overdue"),
                style="bold reverse " + theme.get("error", "red"),
            )
        else:
            out.append(medium_date(member.follow_up))
        if member.notes:
            out.append("\n" + t("member.notes") + ": ", style="dim")
            out.append(member.notes, style="italic")
        if figures is None:
            out.append("\n…", style="dim")
        elif figures.stage == Stage.NOT_STARTED and member.application is None:
            out.append("\n" + t("member.new_application_note"), style="italic")
        return out

    def action_back(self) -> None:
        self.dismiss()

    def _member(self) -> Member | None:
        found = self._find()
        return found[1] if found else None

    def action_record_stage(self) -> None:
        from grouppass_tui.screens.forms import record_stage

        member = self._member()
        if member is not None:
            record_stage(self.gp, self.group_id, member)

    def action_edit(self) -> None:
        from grouppass_tui.screens.forms import edit_member

        member = self._member()
        if member is not None:
            edit_member(self.gp, self.group_id, member)

    def action_contact(self) -> None:
        from grouppass_tui.screens.forms import mark_contact

        member = self._member()
        if member is not None:
            mark_contact(self.gp, self.group_id, member)
