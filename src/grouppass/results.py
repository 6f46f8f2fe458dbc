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
    code: ProblemCode
    message: str


class Action(enum.StrEnum):
    STAY = "stay"
    SWITCH_NOW = "switch_now"
    SWITCH_BY = "switch_by"
    NO_BETTER_OPTION = "no_better_option"


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


@frozen
class Advice:
    """Stay or switch, for some members of a group who share an office."""

    office: str
    members: tuple[str, ...]
    action: Action
    to_office: str | None
    switch_by: dt.date | None
    p_stay: float
    p_switch_now: float | None
    reason: str


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
