"""What one member's notice says, as facts: composed here, worded by a renderer.

What to do today and which disruptions hold a member up are the library's
(:attr:`MemberAssessment.today <grouppass.results.MemberAssessment.today>`
and :attr:`~grouppass.results.MemberAssessment.held_by`); this module keeps
only what is a notice's own: which of today's actions are the pilgrim's
(getting a phone number or moving a member to a later group are the
organiser's, and a notice never announces them), which stage to report,
what to bring for the next visit, and who signs it. :func:`notice_facts`
returns a frozen value; the TUI turns it into Bahasa Indonesia or English.
"""

from __future__ import annotations

import datetime as dt
import enum

from attrs import frozen

from grouppass.fees import passport_fee
from grouppass.model import Agency, Disruption, Group, Member, Scenario, Stage, Stops, Title
from grouppass.results import (
    Action,
    GroupAssessment,
    MemberAssessment,
    Risk,
    Todo,
    TodoCode,
)

__all__ = ["PILGRIM_TODOS", "Bring", "HoldUp", "NoticeFacts", "notice_facts"]

KEMENAG_LETTER_FROM = dt.date(2018, 5, 31)
"""From this day an umrah passport needs a Kemenag recommendation letter (FACTS.md)."""

PILGRIM_TODOS = frozenset(
    {
        TodoCode.APPLY,
        TodoCode.ATTEND,
        TodoCode.PAY,
        TodoCode.COLLECT,
        TodoCode.RENEW,
        TodoCode.NAME,
        TodoCode.SWITCH,
        TodoCode.WAIT,
    }
)
"""Today's actions a notice passes on; the rest (a phone number, a later group, asking
the head of office for urgent service) are the organiser's to decide and do."""


class Bring(enum.StrEnum):
    """Something to bring (or keep) for the next visit to the office or the agency."""

    DOCUMENTS = "documents"
    """KTP, KK, birth certificate (or diploma, marriage book), the old passport if any."""
    KEMENAG_LETTER = "kemenag_letter"
    OLD_PASSPORT = "old_passport"
    RECEIPT = "receipt"
    """The payment receipt (bring it)."""
    KEEP_RECEIPT = "keep_receipt"
    """Keep the receipt: collection needs it."""
    KTP = "ktp"
    PASSPORT = "passport"
    """The new passport, to the agency for the visa."""


@frozen
class HoldUp:
    """A disruption holding the member's office up, with what the notice says of it."""

    disruption_id: str
    office: str
    """The member's office (code)."""
    systems: tuple[str, ...]
    """Codes of the systems through which it hits the office (empty: the office itself)."""
    stops: Stops
    capacity_factor: float
    start: dt.date
    """When it started (or, announced ahead, will start)."""
    likely_recovery: dt.date | None
    """The official's most likely recovery date; None when nobody gave one."""
    certain: bool
    """False when the official would not give a latest date ("not certain")."""

    @classmethod
    def of(cls, d: Disruption, office_code: str, office_systems: tuple[str, ...]) -> HoldUp:
        r = d.recovery
        return cls(
            disruption_id=d.id,
            office=office_code,
            systems=tuple(s for s in d.systems if s in office_systems),
            stops=d.stops,
            capacity_factor=d.capacity_factor,
            start=d.start,
            likely_recovery=r.mode if r else None,
            certain=r is not None and r.high is not None,
        )


@frozen
class NoticeFacts:
    """Everything one member's notice says, in no language yet."""

    member_id: str
    name: str
    title: Title | None
    phone: str | None
    as_of: dt.date
    stage: Stage
    """As known at ``as_of``; COLLECTED for a member who holds a valid passport."""
    holds_passport: bool
    """True when the member is ready with a passport they already had (no application)."""
    office: str | None
    """Where the passport is being made (code); None when it is in hand."""
    appointment: dt.date | None
    """The appointment (booked) date when it is today or ahead (the forecast counts it once due)."""
    risk: Risk
    p50: dt.date | None
    p90: dt.date | None
    deadline: dt.date
    departure: dt.date
    holdups: tuple[HoldUp, ...]
    actions: tuple[Todo, ...]
    """Today's actions that are the pilgrim's (:data:`PILGRIM_TODOS`), most urgent first."""
    hand_in: bool
    """The new passport is in hand: bring it to the agency for the visa."""
    waiting: bool
    """Recorded and paid, nothing to do: the notice says so rather than listing nothing."""
    switch_to: str | None
    """Where the advice would move the application if the wait for news runs out."""
    moving: bool
    """Told to apply at another office than the one forecast: ``p50``, ``p90`` and ``risk``
    are for staying, and a notice that says "apply there" does not quote them."""
    bring: tuple[Bring, ...]
    fee: int | None
    """Rupiah to pay (the passport fee of the date), when a payment is among the actions."""
    agency: Agency | None


_VISIT = frozenset(
    {TodoCode.APPLY, TodoCode.RENEW, TodoCode.NAME, TodoCode.ATTEND, TodoCode.SWITCH}
)


def _bring(
    actions: tuple[Todo, ...], stage: Stage, hand_in: bool, member: Member, as_of: dt.date
) -> tuple[Bring, ...]:
    codes = {a.code for a in actions}
    out: list[Bring] = []
    if codes & _VISIT:
        out.append(Bring.DOCUMENTS)
        if member.passport is not None:
            out.append(Bring.OLD_PASSPORT)
        if as_of >= KEMENAG_LETTER_FROM:
            out.append(Bring.KEMENAG_LETTER)
    if TodoCode.ATTEND in codes and stage is Stage.PAID:
        out.append(Bring.RECEIPT)  # paid before the recording: the counter asks for it
    paid = stage in (Stage.RECORDED_AND_PAID, Stage.PAID)
    if TodoCode.PAY in codes or (paid and not codes & {TodoCode.SWITCH, TodoCode.ATTEND}):
        out.append(Bring.KEEP_RECEIPT)
    if TodoCode.COLLECT in codes:
        out += [Bring.RECEIPT, Bring.KTP]
    if hand_in:
        out.append(Bring.PASSPORT)
    return tuple(out)


def _holdups(
    scenario: Scenario, figures: MemberAssessment, office: str | None, stage: Stage
) -> tuple[HoldUp, ...]:
    # Printed or in hand: no outage of printing holds the member up any more.
    if office is None or stage in (Stage.ISSUED, Stage.COLLECTED) or not figures.held_by:
        return ()
    try:
        systems = scenario.office(office).systems
    except KeyError:
        systems = ()
    by_id = {d.id: d for d in scenario.disruptions}
    return tuple(HoldUp.of(by_id[i], office, systems) for i in figures.held_by if i in by_id)


def notice_facts(
    scenario: Scenario,
    group: Group,
    member: Member,
    figures: MemberAssessment,
    group_figures: GroupAssessment,
    as_of: dt.date,
) -> NoticeFacts:
    """The facts of ``member``'s notice for ``as_of``, from the figures for that day."""
    actions = tuple(a for a in figures.today if a.code in PILGRIM_TODOS)
    ready = figures.risk == Risk.READY
    stage = Stage.COLLECTED if ready else figures.stage
    office = None if ready else (figures.office or group.office)
    raw = member.application
    appointment = (
        raw.booked
        if raw is not None
        and stage in (Stage.NOT_STARTED, Stage.BOOKED)
        and raw.booked is not None
        and raw.booked >= as_of
        else None
    )
    hand_in = ready and raw is not None and raw.known_at(as_of).stage is Stage.COLLECTED
    waiting = not actions and stage is Stage.RECORDED_AND_PAID
    switch_to = None
    if any(a.code is TodoCode.WAIT for a in actions):
        switch_to = next(
            (
                a.to_office
                for a in group_figures.advice
                if member.id in a.members and a.action is Action.SWITCH_BY
            ),
            None,
        )
    here = figures.office or group.office
    moving = any(
        a.code in (TodoCode.SWITCH, TodoCode.APPLY) and a.office not in (None, here)
        for a in actions
    )
    return NoticeFacts(
        member_id=member.id,
        name=member.name,
        title=member.title,
        phone=member.phone,
        as_of=as_of,
        stage=stage,
        holds_passport=ready and raw is None,
        office=office,
        appointment=appointment,
        risk=figures.risk,
        p50=None if ready else figures.ready_p50,
        p90=None if ready else (figures.ready_p90 or figures.ready_p50),
        deadline=group_figures.deadline,
        departure=group.departure.date(),
        holdups=_holdups(scenario, figures, office, stage),
        actions=actions,
        hand_in=hand_in,
        waiting=waiting,
        switch_to=switch_to,
        moving=moving,
        bring=_bring(actions, stage, hand_in, member, as_of),
        fee=passport_fee(as_of) if any(a.code is TodoCode.PAY for a in actions) else None,
        agency=scenario.agency,
    )
