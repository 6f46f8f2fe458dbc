"""Apply a switch of office: the library plans it, a confirmation lists what is lost, then save.

A switch is a new application at the other office from booking (there is no
transfer of an application in progress, FACTS.md). Who moves where, who is
refused and why, and what each move throws away are decided by
:func:`grouppass.switch.plan_switch`: the advised office, never a member the
advice says should stay — unless the organiser forces it (``P``), and then
the dialog turns red, says so, and lists every loss (the fee paid with its
amount, the recording, the appointment). The old dates stay in the store's
audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar

from attrs import evolve
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Button, Checkbox, Static

from grouppass.model import Member, Scenario
from grouppass.results import Action, Advice, GroupAssessment
from grouppass.switch import Refusal, RefusalCode, Switches, SwitchPlan, plan_switch
from grouppass.wording import rupiah
from grouppass.wording.levers import advice_title, cost_text, loss_text
from grouppass_tui.changes import SaveMember
from grouppass_tui.dates import medium_date, short_date
from grouppass_tui.display import percent
from grouppass_tui.i18n import language, plural, t
from grouppass_tui.screens.base import AppModal
from grouppass_tui.screens.dialogs import DIALOG_CSS
from grouppass_tui.widgets.advice_panel import SWITCHING

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["SwitchScreen", "forced_office", "plan_moves", "refusal_text", "start_switch"]

_LEVERS = (Action.SWITCH_NOW, Action.START_AT)


def forced_office(advice: Advice | None) -> str | None:
    """Where a member the advice keeps goes if the organiser insists: the best other office
    the advice weighed (its options are best first), or none if it weighed none."""
    if advice is None:
        return None
    return next((o.to_office for o in advice.options if o.action in _LEVERS), None)


def _first_alternative(scenario: Scenario, member: Member, group_office: str) -> str | None:
    """No advice covers the member (nothing to decide): the office's first alternative."""
    app = member.application
    try:
        office = scenario.office(app.office if app is not None else group_office)
    except KeyError:
        return None
    return office.alternatives[0].office if office.alternatives else None


def plan_moves(
    scenario: Scenario,
    group_id: str,
    member_ids: Sequence[str],
    figures: GroupAssessment | None,
    as_of: dt.date,
    *,
    force: bool = False,
) -> Switches:
    """The library's plan for ``member_ids``.

    A member the advice moves goes to the advised office. One it keeps is asked
    about the best other office it weighed, so the library says why not
    (``advice_stays``) — and, forced, moves them there. With no advice at all
    (nothing to decide), only a forced move goes, to the office's first alternative.
    """
    group = scenario.group(group_id)
    advice = figures.advice if figures is not None else ()
    by_target: dict[str | None, list[str]] = {}
    for member_id in member_ids:
        covering = [a for a in advice if member_id in a.members]
        target: str | None = None  # the advice moves them: its office
        if covering and not any(a.action in SWITCHING for a in covering):
            target = next((o for a in covering if (o := forced_office(a))), None)
        elif not covering and force:
            target = _first_alternative(scenario, group.member(member_id), group.office)
        by_target.setdefault(target, []).append(member_id)
    plans: list[SwitchPlan] = []
    refused: list[Refusal] = []
    for target, ids in by_target.items():
        found = plan_switch(scenario, group, ids, figures, as_of, to_office=target, force=force)
        plans += found.plans
        refused += found.refused
    order = {m: i for i, m in enumerate(member_ids)}
    plans.sort(key=lambda p: order[p.member.id])
    refused.sort(key=lambda r: order[r.member.id])
    return Switches(tuple(plans), tuple(refused))


def refusal_text(refusal: Refusal) -> str:
    """Why the library will not move a member, in the UI language."""
    return t(f"switch.refused.{refusal.code.value}", office=refusal.office or "")


def _now(member: Member, as_of: dt.date) -> str:
    app = member.application
    if app is None:
        return t("switch.no_application")
    known = app.known_at(as_of)
    done = [
        f"{t(f'timeline.{n}')} {short_date(d, as_of.year)}"
        for n in ("booked", "recorded", "paid")
        if (d := getattr(known, n)) is not None
    ]
    return f"{known.office} · " + (", ".join(done) if done else t("stage.not_started"))


def _unadvised(plan: SwitchPlan) -> bool:
    """Forced: against advice to stay, or with no advice naming the move at all."""
    return plan.against_advice or plan.advice is None


class SwitchScreen(AppModal[bool]):
    """What will change, member by member, and what is lost; result True to apply."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Apply", id="switch.apply", tooltip="Apply the switch"),
        Binding(
            "n,escape", "answer(False)", "Cancel", id="switch.cancel", tooltip="Change nothing"
        ),
    ]

    DEFAULT_CSS = (
        "SwitchScreen {" + DIALOG_CSS + "}\n"
        "SwitchScreen > #dialog { width: 100; border: thick $warning; }\n"
        "SwitchScreen.-against > #dialog { border: thick $error; }\n"
        "SwitchScreen #against { color: $error; text-style: bold; padding-bottom: 1; }\n"
        "SwitchScreen #booked-hint { color: $text-muted; padding-left: 4; }\n"
        "SwitchScreen #switch-lost { padding-bottom: 1; }\n"
        "SwitchScreen #booked { border: none; padding: 0; height: 1; margin-top: 1; }"
    )

    def __init__(
        self,
        switches: Switches,
        as_of: dt.date,
        office_name: dict[str, str],
        target: float = 0.9,
    ) -> None:
        against = any(_unadvised(p) for p in switches.plans)
        super().__init__(classes="-against" if against else None)
        self.against = against
        """True when some move goes against the advice (or no advice names it): warned
        loudly, in red."""
        self.switches = switches
        self.as_of = as_of
        self.office_name = office_name
        self.target = target
        self.booked_today = False
        """Whether the new appointments were booked on the as-of day."""

    @property
    def plans(self) -> tuple[SwitchPlan, ...]:
        return self.switches.plans

    def compose(self) -> ComposeResult:
        offices = ", ".join(dict.fromkeys(p.to_office for p in self.plans))
        with Vertical(id="dialog"):
            title = plural("switch.title", len(self.plans))
            yield Static(Text(title, end=""), id="dialog-title")
            with VerticalScroll(id="dialog-body"):
                if self.against:
                    yield Static(Text(self._against_text(), end=""), id="against")
                yield Static(self._totals(), id="switch-lost")
                yield Static(self._table())
                yield Static(self._advice_lines())
                yield Static(Text(t("switch.note"), style="dim"))
            yield Checkbox(
                t("switch.booked_today", office=offices, date=medium_date(self.as_of)),
                False,
                id="booked",
            )
            yield Static(Text(t("switch.booked_hint"), end=""), id="booked-hint")
            with Horizontal(id="dialog-buttons"):
                label = t("switch.apply_anyway") if self.against else t("switch.apply")
                yield Button(label, variant="error" if self.against else "warning", id="apply")
                yield Button(t("dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self._fit(self.app.size.height)

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        # The warning, the losses and the members scroll; the checkbox and the buttons
        # (about 13 lines with the title and the border) stay on screen down to 60x20.
        body = self.query_one("#dialog-body", VerticalScroll)
        body.styles.max_height = max(4, min(20, height - 13))

    def _against_text(self) -> str:
        names = [p.member.name for p in self.plans if _unadvised(p)]
        return t("switch.against_banner", names=", ".join(names))

    def _table(self) -> Table:
        """Each member as they are now (name, office, stages done) beside what changes and
        what it throws away; then who stays and why."""
        lang = language()
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False, padding=(0, 2))
        table.add_column(t("switch.now"), no_wrap=True)
        table.add_column(t("switch.after"), ratio=1)
        for plan in self.plans:
            now = Text(plan.member.name)
            now.append("\n" + _now(plan.member, self.as_of), style="dim")
            after = Text(t("switch.new_at", office=plan.to_office), style="bold")
            if _unadvised(plan):
                after.append(" " + t("switch.against_mark"), style="bold reverse")
            if plan.losses:
                # What a new application throws away, where the eye reads the change.
                lost = "; ".join(loss_text(loss, lang) for loss in plan.losses)
                after.append("\n" + t("switch.lost", what=lost), style="bold")
            table.add_row(now, after)
        for refusal in self.switches.refused:
            table.add_row(
                Text(refusal.member.name, style="dim"),
                Text(refusal_text(refusal), style="dim italic"),
            )
        return table

    def _totals(self) -> Text:
        """What the switch throws away in all: the fees, and how many recordings."""
        fees = self.switches.lost_fees
        recordings = sum(1 for p in self.plans for x in p.losses if x.code == "recording")
        appointments = sum(1 for p in self.plans for x in p.losses if x.code == "appointment")
        parts = []
        if fees:
            parts.append(t("switch.total_fees", amount=rupiah(fees)))
        if recordings:
            parts.append(plural("switch.total_recordings", recordings))
        if appointments:
            parts.append(plural("switch.total_appointments", appointments))
        if not parts:
            return Text(t("switch.total_nothing"), style="dim", end="")
        return Text(t("switch.total", what="; ".join(parts)), style="bold", end="")

    def _advice_lines(self) -> Text:
        lang = language()
        out = Text(end="")
        seen: set[int] = set()
        for plan in self.plans:
            a = plan.advice
            if a is None:
                out.append(t("switch.not_advised", office=plan.to_office) + "\n", style="italic")
                continue
            if id(a) in seen:
                continue
            seen.add(id(a))
            title = advice_title(a, lang, office_names=self.office_name)
            out.append(
                t(
                    "switch.advice",
                    office=a.office,
                    advice=title,
                    p_stay=percent(a.p_stay, self.target),
                    p_advised=percent(a.p_advised, self.target),
                )
                + "\n",
                style="italic" if _unadvised(plan) else "bold",
            )
            weighed = next((o for o in a.options if o.to_office == plan.to_office), None)
            if plan.against_advice and weighed is not None:
                # What the advice found the move worth: why it said no.
                out.append(
                    "  "
                    + t(
                        "switch.forced_option",
                        office=plan.to_office,
                        p=percent(weighed.p_group, self.target),
                        cost=cost_text(weighed.cost, lang),
                    )
                    + "\n",
                    style="bold",
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


def _refused_note(switches: Switches, force: bool) -> str:
    lines = [f"{r.member.name}: {refusal_text(r)}" for r in switches.refused]
    forceable = (RefusalCode.ADVICE_STAYS, RefusalCode.NO_OFFICE)
    if not force and any(r.code in forceable for r in switches.refused):
        lines.append(t("switch.force_hint"))
    return "\n".join(lines)


def start_switch(
    app: GrouppassApp,
    group_id: str,
    members: Sequence[Member],
    figures: GroupAssessment | None,
    applied: Callable[[], None] | None = None,
    *,
    force: bool = False,
) -> None:
    """Plan, confirm and save a switch for ``members``; ``applied`` runs once it is saved.

    ``force`` moves members the advice says should stay (to the best other office it
    weighed), after a loud warning.
    """
    if not members:
        app.notify(t("group.no_member"), severity="warning")
        return
    as_of = app.as_of
    switches = plan_moves(
        app.scenario, group_id, [m.id for m in members], figures, as_of, force=force
    )
    if not switches.plans:
        app.notify(_refused_note(switches, force), severity="warning", timeout=8)
        return
    offices = {o.code: o.name for o in app.scenario.offices}
    screen = SwitchScreen(switches, as_of, offices, app.scenario.rules.target_probability)

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        booked = as_of if screen.booked_today else None
        app.save(
            *(
                SaveMember(
                    group_id,
                    evolve(p.member, application=evolve(p.application, booked=booked)),
                    p.member,
                    note=f"switch {p.from_office} -> {p.to_office}"
                    + (" against the advice" if _unadvised(p) else ""),
                )
                for p in switches.plans
            )
        )
        if applied is not None:
            applied()  # the marks were for this switch: they go with it

    app.push_screen(screen, answered)
