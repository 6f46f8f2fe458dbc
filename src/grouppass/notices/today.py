"""What to do today, per member: derived from the assessment's stage, problems and advice.

A stand-in until the advice itself carries "today's actions" (the advice
issue): one small function, :func:`todays_actions`, so it is easy to
replace. Each action is a code with its facts (an office, a date); the TUI
and the notices word them.

The flags (:func:`member_flags`) are what the members table marks, so that
nobody reads "on track" for a pilgrim who has not applied yet.
"""

from __future__ import annotations

import datetime as dt
import enum

from attrs import frozen

from grouppass.model import Member, Stage
from grouppass.results import Action, GroupAssessment, MemberAssessment, ProblemCode, Risk

__all__ = ["Flag", "TodayAction", "Todo", "member_flags", "switch_advice", "todays_actions"]


class Todo(enum.StrEnum):
    """One thing to do today."""

    APPLY = "apply"
    """No application yet: book an appointment at ``office`` (M-Paspor or walk-in)."""
    RENEW = "renew"
    """The passport held fails the validity rule: apply for a new one at ``office``."""
    ENDORSE = "endorse"
    """Too few words in the passport's name: a name endorsement (with the new passport)."""
    ATTEND = "attend"
    """Booked: go to the recording (documents, photo, interview) at ``office`` on ``date``."""
    RECORD = "record"
    """Paid but not recorded: go to the recording at ``office``."""
    PAY = "pay"
    """Recorded but not paid: pay the fee (``date``: none)."""
    WAIT = "wait"
    """Recorded and paid: nothing to do but wait for printing at ``office``."""
    COLLECT = "collect"
    """Printed: collect the passport at ``office``."""
    HAND_IN = "hand_in"
    """In hand from this application: bring it to the agency for the visa."""
    SWITCH_NOW = "switch_now"
    """The advice: apply again at ``office`` today."""
    SWITCH_BY = "switch_by"
    """The advice: if nothing changes by ``date``, apply again at ``office``."""
    ADD_PHONE = "add_phone"
    """The organiser has no phone number for the member."""
    FOLLOW_UP = "follow_up"
    """The organiser's follow-up call is due (``date``: when it was due)."""


_FOR_ORGANISER = frozenset({Todo.ADD_PHONE, Todo.FOLLOW_UP})


@frozen
class TodayAction:
    code: Todo
    office: str | None = None
    """An office code, where the action happens."""
    date: dt.date | None = None

    @property
    def for_member(self) -> bool:
        """True for what the pilgrim does (the notices list these); False for the organiser."""
        return self.code not in _FOR_ORGANISER


class Flag(enum.StrEnum):
    """A problem the members table marks beside the risk."""

    NOT_STARTED = "not_started"
    PASSPORT_EXPIRING = "passport_expiring"
    NAME_TOO_SHORT = "name_too_short"
    NO_PHONE = "no_phone"


def member_flags(member: Member, figures: MemberAssessment | None) -> tuple[Flag, ...]:
    """The member's problems worth a mark, in a fixed order."""
    out: list[Flag] = []
    codes = {p.code for p in figures.problems} if figures is not None else set()
    not_started = (
        figures.stage == Stage.NOT_STARTED and figures.risk != Risk.READY
        if figures is not None
        else member.application is None and member.passport is None
    )
    if not_started:
        out.append(Flag.NOT_STARTED)
    if ProblemCode.EXPIRES_TOO_SOON in codes:
        out.append(Flag.PASSPORT_EXPIRING)
    if ProblemCode.NAME_TOO_SHORT in codes:
        out.append(Flag.NAME_TOO_SHORT)
    if not (member.phone or "").strip():
        out.append(Flag.NO_PHONE)
    return tuple(out)


def switch_advice(member_id: str, group: GroupAssessment) -> TodayAction | None:
    """The advice to switch that covers the member, as an action; None when there is none."""
    for a in group.advice:
        if member_id not in a.members or a.to_office is None:
            continue
        if a.action == Action.SWITCH_NOW or (a.action == Action.SWITCH_BY and a.switch_by is None):
            return TodayAction(Todo.SWITCH_NOW, a.to_office)
        if a.action == Action.SWITCH_BY:
            return TodayAction(Todo.SWITCH_BY, a.to_office, a.switch_by)
    return None


def todays_actions(
    member: Member,
    figures: MemberAssessment,
    group: GroupAssessment,
    as_of: dt.date,
    group_office: str,
) -> tuple[TodayAction, ...]:
    """The member's actions for ``as_of``, the pilgrim's first, then the organiser's.

    ``group_office`` is where a member without an application applies.
    """
    out: list[TodayAction] = []
    codes = {p.code for p in figures.problems}
    raw = member.application
    app = raw.known_at(as_of) if raw is not None else None
    office = app.office if app is not None else (figures.office or group_office)
    # An appointment ahead is a date the organiser booked; the forecast does not count
    # it yet (it is after the figures' day), but the member must still go on that day.
    ahead = raw.booked if raw is not None and raw.booked and raw.booked >= as_of else None
    switch = switch_advice(member.id, group) if figures.risk != Risk.READY else None
    if switch is not None and switch.code == Todo.SWITCH_NOW:
        out.append(switch)  # a new application there replaces every step here
    elif figures.risk == Risk.READY:
        if app is not None and app.stage == Stage.COLLECTED:
            out.append(TodayAction(Todo.HAND_IN))
    elif ahead is not None and figures.stage in (Stage.NOT_STARTED, Stage.BOOKED):
        out.append(TodayAction(Todo.ATTEND, office, ahead))
    elif app is None or figures.stage == Stage.NOT_STARTED:
        out.append(
            TodayAction(Todo.RENEW if ProblemCode.EXPIRES_TOO_SOON in codes else Todo.APPLY, office)
        )
    else:
        stage = figures.stage
        if stage == Stage.BOOKED:
            out.append(TodayAction(Todo.ATTEND, office))
        elif stage == Stage.PAID:
            out.append(TodayAction(Todo.RECORD, office))
        elif stage == Stage.RECORDED:
            out.append(TodayAction(Todo.PAY, office))
        elif stage == Stage.RECORDED_AND_PAID:
            out.append(TodayAction(Todo.WAIT, office))
        elif stage == Stage.ISSUED:
            out.append(TodayAction(Todo.COLLECT, office))
        elif stage == Stage.COLLECTED:
            out.append(TodayAction(Todo.HAND_IN))
    if ProblemCode.NAME_TOO_SHORT in codes and member.application is None:
        out.append(TodayAction(Todo.ENDORSE, office))
    if switch is not None and switch.code == Todo.SWITCH_BY:
        out.append(switch)
    if not (member.phone or "").strip():
        out.append(TodayAction(Todo.ADD_PHONE))
    if member.follow_up is not None and member.follow_up <= as_of:
        out.append(TodayAction(Todo.FOLLOW_UP, date=member.follow_up))
    return tuple(out)
