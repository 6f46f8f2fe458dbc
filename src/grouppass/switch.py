"""Switching members to another office, safely: who moves where, what it throws away.

A switch is a new application at the other office from booking: there is no
transfer of an application in progress (FACTS.md). :func:`plan_switch` works
out the new applications without saving anything; the caller (the TUI, a
script) shows the plan and its losses, asks, and saves.

It follows the advice: the office the advice names, and it refuses to
abandon an application when the advice is not to switch (staying is worth
more) unless forced, and never moves a member who is ready or whose passport
is printed.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from attrs import frozen

from grouppass.fees import passport_fee
from grouppass.model import Application, Group, Member, Scenario, Stage
from grouppass.results import Action, Advice, GroupAssessment, Loss, Risk

__all__ = ["Refusal", "RefusalCode", "SwitchPlan", "Switches", "losses_of", "plan_switch"]

_SWITCHING = (Action.SWITCH_NOW, Action.SWITCH_BY, Action.START_AT, Action.EXPRESS)


class RefusalCode(enum.StrEnum):
    READY = "ready"
    """Holds a good passport already."""
    PRINTED = "printed"
    """The passport is printed: starting again can only be slower."""
    ADVICE_STAYS = "advice_stays"
    """The advice is to stay: abandoning the application is worth less (force to override)."""
    NO_OFFICE = "no_office"
    """Neither the advice nor the caller names an office to go to."""
    SAME_OFFICE = "same_office"
    UNKNOWN_OFFICE = "unknown_office"


@frozen
class SwitchPlan:
    """One member's move: the new application and what the old one loses."""

    member: Member
    from_office: str
    to_office: str
    application: Application
    losses: tuple[Loss, ...]
    advice: Advice | None
    """The advice covering the member, if any."""
    against_advice: bool = False
    """Forced although the advice was to stay."""


@frozen
class Refusal:
    member: Member
    code: RefusalCode
    office: str | None = None


@frozen
class Switches:
    plans: tuple[SwitchPlan, ...]
    refused: tuple[Refusal, ...]

    @property
    def lost_fees(self) -> int:
        return sum(loss.amount or 0 for p in self.plans for loss in p.losses)


def losses_of(member: Member) -> tuple[Loss, ...]:
    """What abandoning ``member``'s application throws away."""
    app = member.application
    if app is None:
        return ()
    out: list[Loss] = []
    if app.paid is not None:
        out.append(Loss("fee_paid", passport_fee(app.paid), app.paid))
    if app.recorded is not None:
        out.append(Loss("recording", None, app.recorded))
    elif app.booked is not None:
        out.append(Loss("appointment", None, app.booked))
    return tuple(out)


def plan_switch(
    scenario: Scenario,
    group: Group,
    member_ids: Iterable[str],
    figures: GroupAssessment | None,
    as_of: dt.date,
    *,
    to_office: str | None = None,
    force: bool = False,
    book: bool = False,
) -> Switches:
    """Plan moving ``member_ids`` of ``group`` (nothing is saved).

    ``to_office`` overrides the advice's office; ``force`` allows moving
    against advice to stay; ``book`` books the new appointment on ``as_of``.
    """
    offices = {o.code for o in scenario.offices}
    rated = {m.member_id: m for m in figures.members} if figures else {}
    advice = figures.advice if figures else ()
    plans: list[SwitchPlan] = []
    refused: list[Refusal] = []
    for member_id in member_ids:
        member = group.member(member_id)
        app = member.application
        known = app.known_at(as_of) if app is not None else None
        mine = next((a for a in advice if member.id in a.members), None)
        m = rated.get(member.id)
        if m is not None and m.risk is Risk.READY:
            refused.append(Refusal(member, RefusalCode.READY))
            continue
        if known is not None and known.stage in (Stage.ISSUED, Stage.COLLECTED):
            refused.append(Refusal(member, RefusalCode.PRINTED))
            continue
        origin = known.office if known is not None else group.office
        staying = mine is not None and mine.action not in _SWITCHING
        if staying and not force:
            # Said first: "advised to stay" is the reason, whatever office was asked for.
            refused.append(Refusal(member, RefusalCode.ADVICE_STAYS, origin))
            continue
        target = to_office or (mine.to_office if mine and mine.action in _SWITCHING else None)
        if target is None:
            refused.append(Refusal(member, RefusalCode.NO_OFFICE))
            continue
        if target not in offices:
            refused.append(Refusal(member, RefusalCode.UNKNOWN_OFFICE, target))
            continue
        if target == origin and known is not None and known.stage is not Stage.NOT_STARTED:
            refused.append(Refusal(member, RefusalCode.SAME_OFFICE, target))
            continue
        express = mine is not None and mine.action is Action.EXPRESS
        new = Application(office=target, booked=as_of if book else None, express=express)
        plans.append(
            SwitchPlan(member, origin, target, new, losses_of(member), mine, staying and force)
        )
    return Switches(tuple(plans), tuple(refused))
