"""What an assessment hands back: risk per member and group, and switch advice.

These are plain frozen values so the CLI, the TUI and scripts can show them
without knowing how they were computed.
"""

from __future__ import annotations

import datetime as dt
import enum

from attrs import field, frozen

from grouppass.model import Stage

__all__ = [
    "Action",
    "Advice",
    "Assessment",
    "BackgroundOutlook",
    "GroupAssessment",
    "MemberAssessment",
    "OfficeEvidence",
    "Problem",
    "ProblemCode",
    "RecoveryOutlook",
    "Risk",
    "StageEvidence",
]


class Risk(enum.StrEnum):
    """How a member (or a group) stands against the deadline, best first."""

    READY = "ready"
    """Holds a passport that passes the rules."""
    ON_TRACK = "on_track"
    """P(on time) is at least the target."""
    AT_RISK = "at_risk"
    """0.5 <= P(on time) < target."""
    LATE = "late"
    """P(on time) < 0.5."""

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @classmethod
    def from_probability(cls, p: float, target: float) -> Risk:
        if p >= target:
            return cls.ON_TRACK
        if p >= 0.5:
            return cls.AT_RISK
        return cls.LATE


_SEVERITY = {Risk.READY: 0, Risk.ON_TRACK: 1, Risk.AT_RISK: 2, Risk.LATE: 3}


class ProblemCode(enum.StrEnum):
    EXPIRES_TOO_SOON = "expires_too_soon"
    NAME_TOO_SHORT = "name_too_short"
    NOT_STARTED = "not_started"


@frozen
class Problem:
    """Something wrong with a member's papers, with its facts (rendered by
    :mod:`grouppass.wording`; ``message`` is the English rendering)."""

    code: ProblemCode
    message: str
    expires: dt.date | None = None
    """The passport's expiry (``expires_too_soon``)."""
    needed: dt.date | None = None
    """The day it must be valid until (``expires_too_soon``)."""
    words: int | None = None
    """Words in the passport name (``name_too_short``)."""
    required: int | None = None
    """Words the rules require (``name_too_short``)."""
    applying: bool = False
    """A new passport is already being applied for, which replaces this one."""


class Action(enum.StrEnum):
    """What the advice says to do (each an organiser's lever)."""

    STAY = "stay"
    SWITCH_NOW = "switch_now"
    SWITCH_BY = "switch_by"
    """Wait for news until ``switch_by``; switch then if printing has not resumed."""
    START_AT = "start_at"
    """Members without an application: apply at ``to_office`` today."""
    EXPRESS = "express"
    """Ask for express service (percepatan, same day, Rp 1,000,000 more)."""
    LATER_GROUP = "later_group"
    """Move the member to a later group of the agency that has seats."""
    ASK_URGENT = "ask_urgent"
    """Late whatever else is done: ask the head of office for urgent service."""
    NO_BETTER_OPTION = "no_better_option"


class Reason(enum.StrEnum):
    """Why the advice is what it is; :mod:`grouppass.wording` words each with its facts."""

    ON_TRACK = "on_track"
    """Staying reaches the target."""
    STAYING_WORTH_MOST = "staying_worth_most"
    """Below target, but nothing gains enough to be worth its cost."""
    SAME_SYSTEM = "same_system"
    """The other office runs on the same disrupted system: switching does not escape it."""
    OTHER_DISRUPTED = "other_disrupted"
    """The other office is disrupted too."""
    NO_ALTERNATIVE = "no_alternative"
    """No other office on record."""
    SWITCH_GAINS = "switch_gains"
    """Switching now gains enough to be worth what it costs."""
    WAITING_KEEPS = "waiting_keeps"
    """Waiting for news keeps switching almost as good, and may save its cost."""
    START_ELSEWHERE = "start_elsewhere"
    """A new application goes faster at another office than at the group's."""
    CANNOT_PRINT_HERE = "cannot_print_here"
    """The group's office cannot print today and another can: never apply where it cannot."""
    START_HERE = "start_here"
    """A new application goes fastest at the group's own office."""
    EXPRESS_GAINS = "express_gains"
    LATER_GROUP_SEATS = "later_group_seats"
    URGENT_ONLY = "urgent_only"
    """No lever the forecast can count on is left; asking costs nothing."""


@frozen
class Option:
    """One lever considered for some members, with what it is worth."""

    action: Action
    to_office: str | None
    switch_by: dt.date | None
    p_group: float
    """P(the whole group on time) with this lever."""
    p_members: float
    """P(all the members it is for on time) with this lever."""
    cost: int
    """Expected rupiah for those members (a fee paid again, travel, express)."""
    value: float
    """What it is worth, in points of P(group): 100 x p_group - cost / point_value."""
    to_group: str | None = None


@frozen
class Loss:
    """What a switch throws away."""

    code: str
    """``fee_paid`` (a fee paid at the old office), ``appointment`` (a booked one), or
    ``recording`` (documents, photo and fingerprints already done)."""
    amount: int | None = None
    """Rupiah, where money is lost."""
    day: dt.date | None = None


class TodoCode(enum.StrEnum):
    """Things to do today for one member."""

    APPLY = "apply"
    """Book and go to ``office`` for a new application (with ``express`` if advised)."""
    ATTEND = "attend"
    """Go to the appointment at ``office`` (booked, not recorded yet)."""
    PAY = "pay"
    """Pay the fee (recorded, not paid)."""
    COLLECT = "collect"
    """The passport is printed: collect it at ``office``."""
    RENEW = "renew"
    """The passport expires too soon for the trip: a new one is needed."""
    NAME = "name"
    """The passport name has too few words: a new passport with a name endorsement."""
    SWITCH = "switch"
    """Move the application to ``office`` (a new application there)."""
    WAIT = "wait"
    """Wait for news of ``office`` until ``day``; switch then if printing has not resumed."""
    MOVE_GROUP = "move_group"
    ASK_URGENT = "ask_urgent"
    PHONE = "phone"
    """No phone number on record: get one to reach the member."""


@frozen
class Todo:
    """One thing to do today for a member, with its facts."""

    code: TodoCode
    office: str | None = None
    day: dt.date | None = None
    group: str | None = None
    express: bool = False


@frozen
class MemberAssessment:
    """One member's standing at ``as_of``."""

    member_id: str
    name: str
    office: str | None
    """The office the passport is (or would be) made at; None when ready."""
    stage: Stage
    risk: Risk
    p_on_time: float
    ready_p50: dt.date | None
    """Median date the passport is in hand (None when ready)."""
    ready_p90: dt.date | None
    problems: tuple[Problem, ...] = field(factory=tuple)
    slack_days: int | None = None
    """Deadline minus P90 date, in calendar days (negative: likely late)."""
    distribution: tuple[tuple[dt.date, float], ...] = field(factory=tuple)
    """P(in hand on that date) for each date with weight, for charts."""
    held_by: tuple[str, ...] = field(factory=tuple)
    """Ids of the known disruptions of the member's office that may still hold them up."""
    today: tuple[Todo, ...] = field(factory=tuple)
    """What to do today for this member, most urgent first."""

    def with_today(self, today: tuple[Todo, ...]) -> MemberAssessment:
        """This assessment with ``today`` set: ``attrs.evolve`` spelled out, because
        a season makes one per member and evolve's generic path cost half a second
        at 100,000 (no field has a validator or converter to run)."""
        return MemberAssessment(
            self.member_id, self.name, self.office, self.stage, self.risk,
            self.p_on_time, self.ready_p50, self.ready_p90, self.problems,
            self.slack_days, self.distribution, self.held_by, today,
        )  # fmt: skip


@frozen
class Advice:
    """The lever worth most for some members of a group who share an office and a
    situation, why, and every lever that was weighed."""

    office: str
    members: tuple[str, ...]
    action: Action
    to_office: str | None
    switch_by: dt.date | None
    p_stay: float
    """P(group on time) if they stay as they are."""
    p_switch_now: float | None
    """P(group on time) if they switch to the best other office today."""
    reason: str
    """The advice in English words (:func:`grouppass.wording.advice_text`)."""
    code: Reason = Reason.ON_TRACK
    p_advised: float | None = None
    """P(group on time) following the advice."""
    cost: int = 0
    """Expected rupiah the advised lever costs these members."""
    to_group: str | None = None
    options: tuple[Option, ...] = field(factory=tuple)
    """Every lever weighed, best first."""
    losses: tuple[Loss, ...] = field(factory=tuple)
    """What following the advice throws away."""
    systems: tuple[str, ...] = field(factory=tuple)
    """Names of disrupted systems the office shares with ``to_office``, if any."""
    disruptions: tuple[str, ...] = field(factory=tuple)
    """Ids of the known disruptions holding these members up."""
    p_wait: float | None = None
    """With ``switch_by``: P(group) waiting for news until then."""
    p_recovered: float | None = None
    """With ``switch_by``: P(printing resumes by then), so the switch is not needed."""

    def with_reason(self, reason: str) -> Advice:
        """This advice with its words: ``attrs.evolve`` spelled out (an assessment words
        ten thousand pieces of advice and more, and no field has a validator)."""
        return Advice(
            self.office, self.members, self.action, self.to_office, self.switch_by,
            self.p_stay, self.p_switch_now, reason, self.code, self.p_advised, self.cost,
            self.to_group, self.options, self.losses, self.systems, self.disruptions,
            self.p_wait, self.p_recovered,
        )  # fmt: skip


@frozen
class GroupAssessment:
    group_id: str
    name: str
    departure: dt.datetime
    deadline: dt.date
    risk: Risk
    p_on_time: float
    """P(every member holds a valid passport by the deadline), from joint samples."""
    members: tuple[MemberAssessment, ...]
    advice: tuple[Advice, ...] = field(factory=tuple)

    def with_advice(
        self, members: tuple[MemberAssessment, ...], advice: tuple[Advice, ...]
    ) -> GroupAssessment:
        """This group with ``members`` and ``advice`` set: ``attrs.evolve`` spelled out,
        once per group of a season (no field has a validator)."""
        return GroupAssessment(
            self.group_id, self.name, self.departure, self.deadline, self.risk,
            self.p_on_time, members, advice,
        )  # fmt: skip

    def counts(self) -> dict[Risk, int]:
        out = dict.fromkeys(Risk, 0)
        for m in self.members:
            out[m.risk] += 1
        return out


@frozen
class StageEvidence:
    """One service time of one office, as the forecast uses it (working days)."""

    observations: int
    """Recorded applications it was learned from (0: the hand-set estimate alone)."""
    p50: int
    p90: int
    p99: int


@frozen
class OfficeEvidence:
    """What the forecast knows of one office's service times, and from where."""

    office: str
    booking: StageEvidence
    issue: StageEvidence
    collect: StageEvidence
    background_per_year: float
    """Outages nobody has announced yet, per year, at this office (its systems apart)."""


@frozen
class RecoveryOutlook:
    """What the forecast believes about one known disruption's recovery, and why."""

    disruption_id: str
    kind: str
    method: str
    """``ended``, ``as_given``, ``outside_view`` or ``combined`` (docs/forecast.md)."""
    ongoing: bool
    """Not known to have ended at ``as_of``."""
    p50: dt.date
    p90: dt.date
    similar_known: int
    """Reference outages whose length is known well enough to compare."""
    similar_longer: int
    """Of those, how many lasted longer than ``compared_days``."""
    compared_days: float
    """The officials' estimate (days from start), or how long it has lasted so far."""
    overrun_factor: float | None
    """Median real / said duration of officials' estimates, where the words were used."""
    own_estimates: int
    """The agency's own past disruptions with an estimate and an end, behind the overrun."""
    own_outages: int
    """The agency's own past outages of this kind behind the outside view."""
    word_weight: float
    """Share of the officials' word in the belief (0: not used; 1: taken as given)."""


@frozen
class BackgroundOutlook:
    """Outages nobody has announced yet, as the forecast counts them."""

    source: str
    """``reference`` (the reference rate, updated by the agency's records) or ``rules``."""
    learned_years: float
    systems: tuple[tuple[str, float], ...]
    """(system, outages a year)."""


@frozen
class Assessment:
    as_of: dt.date
    target_probability: float
    groups: tuple[GroupAssessment, ...]
    seed: int = 0
    samples: int = 0
    offices: tuple[OfficeEvidence, ...] = field(factory=tuple)
    """The offices the figures used, with where their service times came from."""
    recoveries: tuple[RecoveryOutlook, ...] = field(factory=tuple)
    background: BackgroundOutlook | None = None

    def group(self, group_id: str) -> GroupAssessment:
        for g in self.groups:
            if g.group_id == group_id:
                return g
        raise KeyError(group_id)
