"""Apply a switch of office: one key, a confirmation that shows what changes, then save.

A switch is a new application at the other office from booking (there is no
transfer of an application in progress, FACTS.md): the member's application
is replaced by ``Application(office=NEW)``, optionally booked today. The old
dates stay in the store's audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from attrs import evolve, frozen
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Static

from grouppass.model import Application, Group, Member, Scenario, Stage
from grouppass.results import Action, Advice, GroupAssessment, Risk
from grouppass_tui.changes import SaveMember
from grouppass_tui.dates import long_date, short_date
from grouppass_tui.display import percent
from grouppass_tui.i18n import plural, t
from grouppass_tui.screens.base import AppModal
from grouppass_tui.screens.dialogs import DIALOG_CSS
from grouppass_tui.widgets.advice_panel import advice_title

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["SwitchPlan", "SwitchScreen", "lost", "plan_switch", "start_switch"]

_DONE = (Stage.ISSUED, Stage.COLLECTED)


@frozen
class SwitchPlan:
    member: Member
    from_office: str
    to_office: str
    advice: Advice | None
    """The library's advice covering this member, if it names an office."""


def plan_switch(
    scenario: Scenario, group: Group, members: Sequence[Member], figures: GroupAssessment | None
) -> tuple[list[SwitchPlan], list[tuple[Member, str]]]:
    """Who moves where, and who is left out with the reason."""
    plans: list[SwitchPlan] = []
    skipped: list[tuple[Member, str]] = []
    by_id = {m.member_id: m for m in figures.members} if figures else {}
    for member in members:
        mf = by_id.get(member.id)
        app = member.application
        if mf is not None and mf.risk == Risk.READY:
            skipped.append((member, t("switch.skip_ready")))
            continue
        if app is not None and app.stage in _DONE:
            skipped.append((member, t("switch.skip_printed")))
            continue
        origin = app.office if app is not None else group.office
        covering = [a for a in (figures.advice if figures else ()) if member.id in a.members]
        advice = next((a for a in covering if a.to_office), None)
        if covering and advice is None:
            # The library says stay: a bulk "switch the marked" must not move them.
            skipped.append((member, t("switch.skip_stay", office=origin)))
            continue
        to = advice.to_office if advice is not None else None
        if to is None and len(members) > 1:
            # Marked in bulk: move only whom the advice names; one member at a time the
            # organiser may still choose to move someone on their own judgement.
            skipped.append((member, t("switch.skip_no_advice")))
            continue
        if to is None:
            try:
                alternatives = scenario.office(origin).alternatives
            except KeyError:
                alternatives = ()
            to = alternatives[0].office if alternatives else None
        if to is None or to == origin:
            skipped.append((member, t("switch.skip_no_alternative", office=origin)))
            continue
        plans.append(SwitchPlan(member, origin, to, advice))
    return plans, skipped


def lost(member: Member, as_of: dt.date, year: int) -> list[str]:
    """What the member gives up by starting again elsewhere: fee, appointment, recording."""
    app = member.application
    if app is None:
        return []
    known = app.known_at(as_of)
    out = []
    if known.paid is not None:
        out.append(t("switch.lost_fee", date=short_date(known.paid, year)))
    if known.recorded is not None:
        out.append(t("switch.lost_recording", date=short_date(known.recorded, year)))
    if known.booked is not None and known.recorded is None:
        out.append(t("switch.lost_appointment", date=short_date(known.booked, year)))
    return out


def _now(member: Member, year: int) -> str:
    app = member.application
    if app is None:
        return t("switch.no_application")
    done = [
        f"{t(f'timeline.{n}')} {short_date(d, year)}"
        for n in ("booked", "recorded", "paid")
        if (d := getattr(app, n)) is not None
    ]
    return f"{app.office} · " + (", ".join(done) if done else t("stage.not_started"))


class SwitchScreen(AppModal[bool]):
    """What will change, member by member; result True to apply."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Apply", id="switch.apply", tooltip="Apply the switch"),
        Binding(
            "n,escape", "answer(False)", "Cancel", id="switch.cancel", tooltip="Change nothing"
        ),
    ]

    DEFAULT_CSS = (
        "SwitchScreen {" + DIALOG_CSS + "}\n"
        "SwitchScreen > #dialog { width: 100; border: thick $warning; }\n"
        "SwitchScreen.-unadvised > #dialog { border: thick $error; }\n"
        "SwitchScreen #unadvised { color: $error; text-style: bold; padding-bottom: 1; }\n"
        "SwitchScreen #booked-hint { color: $text-muted; padding-left: 4; }"
    )

    def __init__(
        self,
        plans: list[SwitchPlan],
        skipped: list[tuple[Member, str]],
        as_of: dt.date,
        office_name: dict[str, str],
    ) -> None:
        unadvised = any(p.advice is None for p in plans)
        super().__init__(classes="-unadvised" if unadvised else None)
        self.unadvised = unadvised
        """True when some move is the organiser's own choice, not the advice: warned loudly."""
        self.plans = plans
        self.skipped = skipped
        self.as_of = as_of
        self.office_name = office_name
        self.booked_today = False
        """Whether the new appointments were booked on the as-of day."""

    def compose(self) -> ComposeResult:
        offices = ", ".join(dict.fromkeys(p.to_office for p in self.plans))
        with Vertical(id="dialog"):
            title = plural("switch.title", len(self.plans))
            yield Static(Text(title, end=""), id="dialog-title")
            if self.unadvised:
                yield Static(Text(t("switch.unadvised_banner"), end=""), id="unadvised")
            with VerticalScroll(id="dialog-body"):
                yield Static(self._table())
                yield Static(self._advice_lines())
                yield Static(Text(t("switch.note"), style="dim"))
            yield Checkbox(
                t("switch.booked_today", office=offices, date=long_date(self.as_of)),
                False,
                id="booked",
            )
            yield Static(Text(t("switch.booked_hint"), end=""), id="booked-hint")
            with Horizontal(id="dialog-buttons"):
                label = t("switch.apply_anyway") if self.unadvised else t("switch.apply")
                yield Button(label, variant="error" if self.unadvised else "warning", id="apply")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def _table(self) -> Table:
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
        table.add_column(t("col.name"), no_wrap=True)
        table.add_column(t("switch.now"), no_wrap=True)
        table.add_column(t("switch.after"), ratio=1)
        year = self.as_of.year
        for plan in self.plans:
            after = Text(t("switch.new_at", office=plan.to_office), style="bold")
            gone = lost(plan.member, self.as_of, year)
            if gone:
                # What a new application gives up, where the eye reads the change.
                after.append("\n" + t("switch.lost", what=", ".join(gone)), style="bold")
            table.add_row(Text(plan.member.name), Text(_now(plan.member, year), style="dim"), after)
        for member, why in self.skipped:
            table.add_row(Text(member.name, style="dim"), Text(why, style="dim italic"), "–")
        return table

    def _advice_lines(self) -> Text:
        out = Text(end="")
        seen: set[tuple[str, str]] = set()
        for plan in self.plans:
            a = plan.advice
            if (plan.from_office, plan.to_office) in seen:
                continue
            seen.add((plan.from_office, plan.to_office))
            if a is None:
                out.append(t("switch.not_advised", office=plan.to_office) + "\n", style="italic")
                continue
            title = advice_title(a, lambda c: self.office_name.get(c, c))
            style = "bold" if a.action in (Action.SWITCH_NOW, Action.SWITCH_BY) else "italic"
            out.append(
                t(
                    "switch.advice",
                    office=plan.from_office,
                    advice=title,
                    p_stay=percent(a.p_stay),
                    p_now=percent(a.p_switch_now),
                )
                + "\n",
                style=style,
            )
        out.rstrip()
        return out

    @on(Checkbox.Changed, "#booked")
    def _booked(self, event: Checkbox.Changed) -> None:
        self.booked_today = event.value

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "apply")


def start_switch(
    app: GrouppassApp,
    group_id: str,
    members: Sequence[Member],
    figures: GroupAssessment | None,
    applied: Callable[[], None] | None = None,
) -> None:
    """Plan, confirm and save a switch for ``members``; ``applied`` runs once it is saved."""
    if not members:
        app.notify(t("group.no_member"), severity="warning")
        return
    group = app.scenario.group(group_id)
    plans, skipped = plan_switch(app.scenario, group, members, figures)
    if not plans:
        app.notify("\n".join(f"{m.name}: {why}" for m, why in skipped), severity="warning")
        return
    as_of = app.as_of
    screen = SwitchScreen(plans, skipped, as_of, {o.code: o.name for o in app.scenario.offices})

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        booked = as_of if screen.booked_today else None
        app.save(
            *(
                SaveMember(
                    group_id,
                    evolve(p.member, application=Application(office=p.to_office, booked=booked)),
                    p.member,
                    note=f"switch {p.from_office} -> {p.to_office}",
                )
                for p in plans
            )
        )
        if applied is not None:
            applied()  # the marks were for this switch: they go with it

    app.push_screen(screen, answered)
