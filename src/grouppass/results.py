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
    "GroupAssessment",
    "MemberAssessment",
    "Problem",
    "ProblemCode",
    "Risk",
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
class Assessment:
    as_of: dt.date
    target_probability: float
    groups: tuple[GroupAssessment, ...]
    seed: int = 0
    samples: int = 0

    def group(self, group_id: str) -> GroupAssessment:
        for g in self.groups:
            if g.group_id == group_id:
                return g
        raise KeyError(group_id)
