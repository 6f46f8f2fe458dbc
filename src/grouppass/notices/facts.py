"""What one member's notice says, as facts: composed here, worded by a renderer.

The rules of a notice live in this module: which stage to report, which
disruption to name, what to bring for the next visit, which actions to
list (only those the advice really gives: a notice never points at advice
it does not print), and who signs it. :func:`notice_facts` returns a frozen
value; the TUI turns it into Bahasa Indonesia or English text.
"""

from __future__ import annotations

import datetime as dt
import enum

from attrs import frozen

from grouppass.model import Agency, Disruption, Group, Member, Scenario, Stage, Stops, Title
from grouppass.notices.holdups import holding
from grouppass.notices.today import TodayAction, Todo, todays_actions
from grouppass.results import GroupAssessment, MemberAssessment, Risk

__all__ = ["Bring", "HoldUp", "NoticeFacts", "notice_facts"]

KEMENAG_LETTER_FROM = dt.date(2018, 5, 31)
"""From this day an umrah passport needs a Kemenag recommendation letter (FACTS.md)."""

FEE_2018 = 355_000
"""Rupiah in 2018: the passport Rp 300.000 plus biometrics Rp 55.000 (FACTS.md)."""


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
    actions: tuple[TodayAction, ...]
    """The pilgrim's actions only (the organiser's own are not in a notice)."""
    bring: tuple[Bring, ...]
    fee: int | None
    """Rupiah to pay, when the amount of the date is known (2018); else None."""
    agency: Agency | None


_VISIT = frozenset({Todo.APPLY, Todo.RENEW, Todo.ATTEND, Todo.RECORD, Todo.SWITCH_NOW})


def _bring(actions: tuple[TodayAction, ...], member: Member, as_of: dt.date) -> tuple[Bring, ...]:
    codes = {a.code for a in actions}
    out: list[Bring] = []
    if codes & _VISIT:
        out.append(Bring.DOCUMENTS)
        if member.passport is not None:
            out.append(Bring.OLD_PASSPORT)
        if as_of >= KEMENAG_LETTER_FROM:
            out.append(Bring.KEMENAG_LETTER)
    if Todo.RECORD in codes:
        out.append(Bring.RECEIPT)
    if Todo.WAIT in codes or Todo.PAY in codes:
        out.append(Bring.KEEP_RECEIPT)
    if Todo.COLLECT in codes:
        out += [Bring.RECEIPT, Bring.KTP]
    if Todo.HAND_IN in codes:
        out.append(Bring.PASSPORT)
    return tuple(out)


def notice_facts(
    scenario: Scenario,
    group: Group,
    member: Member,
    figures: MemberAssessment,
    group_figures: GroupAssessment,
    as_of: dt.date,
) -> NoticeFacts:
    """The facts of ``member``'s notice for ``as_of``, from the figures for that day."""
    actions = tuple(
        a
        for a in todays_actions(member, figures, group_figures, as_of, group.office)
        if a.for_member
    )
    ready = figures.risk == Risk.READY
    stage = Stage.COLLECTED if ready else figures.stage
    office = None if ready else (figures.office or group.office)
    holdups: tuple[HoldUp, ...] = ()
    if office is not None and stage not in (Stage.ISSUED, Stage.COLLECTED):
        try:
            systems = scenario.office(office).systems
        except KeyError:
            systems = ()
        holdups = tuple(HoldUp.of(d, office, systems) for d in holding(scenario, office, as_of))
    raw = member.application
    appointment = (
        raw.booked
        if raw is not None
        and stage in (Stage.NOT_STARTED, Stage.BOOKED)
        and raw.booked is not None
        and raw.booked >= as_of
        else None
    )
    codes = {a.code for a in actions}
    pays = bool(codes & {Todo.PAY, Todo.APPLY, Todo.RENEW, Todo.SWITCH_NOW})
    return NoticeFacts(
        member_id=member.id,
        name=member.name,
        title=member.title,
        phone=member.phone,
        as_of=as_of,
        stage=stage,
        holds_passport=ready and member.application is None,
        office=office,
        appointment=appointment,
        risk=figures.risk,
        p50=None if ready else figures.ready_p50,
        p90=None if ready else (figures.ready_p90 or figures.ready_p50),
        deadline=group_figures.deadline,
        departure=group.departure.date(),
        holdups=holdups,
        actions=actions,
        bring=_bring(actions, member, as_of),
        # The 2018 fee is a fact of that year; later tariffs changed, so only quote it then.
        fee=FEE_2018 if pays and as_of.year == 2018 else None,
        agency=scenario.agency,
    )
