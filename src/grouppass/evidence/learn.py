"""What the agency's own records teach: service times, officials' estimates, outage rates.

Every application in the scenario or database with recorded stage dates
(groups already departed included) is an observation of its office, as known
at ``as_of`` (later dates are unknown then):

* booking (asked for) to recording, the later of recording and payment to
  issuance, issuance to collection, in the office's working days; an
  application still waiting at ``as_of`` says "longer than so far";
* issuance times touched by a disruption of the office (from its start to
  three weeks after it ended, for the ramp) are left out: they measure the
  outage, not the office.

Past disruptions with an ``ended`` date teach how long outages of their kind
last, and, where officials had given an estimate, how late estimates run.
The number of disruptions on record over the span of the records updates
the background rate of outages nobody has announced yet (a Gamma-Poisson
update of the reference rate, worth :data:`RATE_PRIOR_YEARS` of records).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from attrs import frozen

from grouppass.evidence.reference import (
    BACKGROUND_OFFICE_PER_YEAR,
    BACKGROUND_SYSTEM_PER_YEAR,
    DurationPrior,
    Interval,
    OverrunPrior,
    duration_prior,
    overrun_prior,
)
from grouppass.model import Application, Disruption, DisruptionKind, Office, Rules, Scenario
from grouppass.service import DEFAULT_TAIL, ServiceTime

__all__ = [
    "RATE_PRIOR_YEARS",
    "Background",
    "DisruptionHistory",
    "OfficeTimes",
    "background_rates",
    "disruption_history",
    "office_times",
]

IntArray = npt.NDArray[np.int32]

RATE_PRIOR_YEARS = 4.0
"""The reference background rate counts as this many years of the agency's own records."""
MAX_RECORD_YEARS = 5.0
"""Records older than this say little about an office today."""
RAMP_MARGIN_DAYS = 21
"""After an outage ends, issuance times are the backlog's, not the office's, for this long."""


@frozen
class DisruptionHistory:
    """The agency's past disruptions, as evidence."""

    durations: Mapping[DisruptionKind, tuple[Interval, ...]]
    """Days from start to ``ended``, by kind."""
    overruns: tuple[tuple[float, Interval], ...]
    """(days the estimate said, days it took), for disruptions that had an estimate."""

    def outside(self, kind: DisruptionKind) -> DurationPrior:
        return duration_prior(kind, self.durations.get(kind, ()))

    def overrun(self) -> OverrunPrior:
        return overrun_prior(self.overruns)


def disruption_history(disruptions: Iterable[Disruption], as_of: dt.date) -> DisruptionHistory:
    """The disruptions that had ended by ``as_of`` and were known by then."""
    durations: dict[DisruptionKind, list[Interval]] = {}
    overruns: list[tuple[float, Interval]] = []
    for d in sorted(disruptions, key=lambda d: d.id):
        if d.known_from > as_of or d.ended is None or d.ended > as_of:
            continue
        took = Interval.exactly(max((d.ended - d.start).days, 0.5))
        durations.setdefault(d.effective_kind, []).append(took)
        if d.recovery is not None:
            said = max((d.recovery.mode - d.start).days, 0) + 0.5
            overruns.append((said, took))
    return DisruptionHistory({k: tuple(v) for k, v in durations.items()}, tuple(overruns))


@frozen
class Background:
    """Outages nobody has announced yet, per year, for each office and each system."""

    office: Mapping[str, float]
    system: Mapping[str, float]
    learned_years: float = 0.0
    """Years of the agency's records behind the rates (0: the reference rate alone)."""
    source: str = "reference"
    """``reference`` (updated by records), ``rules`` (set by the organiser)."""


def _record_span(scenario: Scenario, as_of: dt.date) -> float:
    earliest = as_of
    for _, m in scenario.members():
        app = m.application
        if app is None:
            continue
        for day in (app.booked, app.recorded, app.paid):
            if day is not None and day < earliest:
                earliest = day
    for d in scenario.disruptions:
        if d.known_from <= as_of and d.start < earliest:
            earliest = d.start
    return min((as_of - earliest).days / 365.25, MAX_RECORD_YEARS)


def background_rates(scenario: Scenario, as_of: dt.date) -> Background:
    """The background rate per office and per system at ``as_of``."""
    rules = scenario.rules
    if rules.background_outages is not None:
        fixed = rules.background_outages
        return Background(
            {o.code: fixed.office for o in scenario.offices},
            {s: fixed.system for o in scenario.offices for s in o.systems},
            source="rules",
        )
    years = _record_span(scenario, as_of)
    start = as_of - dt.timedelta(days=round(years * 365.25))
    seen_office: Counter[str] = Counter()
    seen_system: Counter[str] = Counter()
    for d in scenario.disruptions:
        if d.known_from > as_of or d.start < start or d.start > as_of:
            continue
        if d.ended is None or d.ended > as_of:
            continue  # still on: forecast as itself, not as a sign of others to come
        if d.systems:
            seen_system.update(set(d.systems))
        else:
            seen_office.update(set(d.offices))

    def rate(prior: float, seen: int) -> float:
        return (prior * RATE_PRIOR_YEARS + seen) / (RATE_PRIOR_YEARS + years)

    systems = {s for o in scenario.offices for s in o.systems}
    return Background(
        {o.code: rate(BACKGROUND_OFFICE_PER_YEAR, seen_office[o.code]) for o in scenario.offices},
        {s: rate(BACKGROUND_SYSTEM_PER_YEAR, seen_system[s]) for s in sorted(systems)},
        learned_years=years,
    )


@frozen
class OfficeTimes:
    """One office's service times, each a hand-set prior blended with its records."""

    booking: ServiceTime
    issue: ServiceTime
    collect: ServiceTime


def office_times(
    office: Office,
    rules: Rules,
    applications: Sequence[tuple[Application, int]],
    disruptions: Sequence[Disruption],
    working_count: IntArray,
    day_index: dt.date,
    as_of: dt.date,
) -> OfficeTimes:
    """``office``'s service times learned from ``applications`` made there, each
    with the number of members who share it (a group at the counter together).

    ``working_count[i]`` is the number of the office's working days up to and
    including grid day ``i``; ``day_index`` is the grid's first day. Only what
    is known at ``as_of`` counts.
    """
    tail = DEFAULT_TAIL if rules.service_tail is None else rules.service_tail
    priors = [
        ServiceTime.from_estimate(t, tail=tail)
        for t in (office.booking_days, office.issue_days, office.collect_days)
    ]
    if not applications:
        return OfficeTimes(*priors)
    size = len(working_count)

    def idx(day: dt.date | None) -> int:
        if day is None or day > as_of:
            return -1
        i = (day - day_index).days
        return i if 0 <= i < size else -1

    now = idx(as_of)
    blocked = _blocked_spans(disruptions, office, as_of, day_index)
    done: list[list[int]] = [[], [], []]
    waiting: list[list[int]] = [[], [], []]
    for app, n in applications:
        booked, recorded, paid = idx(app.booked), idx(app.recorded), idx(app.paid)
        issued, collected = idx(app.issued), idx(app.collected)
        if booked >= 0:
            _observe(done[0], waiting[0], working_count, booked, recorded, now, n)
        if recorded >= 0 and paid >= 0 and not app.express:
            service = max(recorded, paid)
            end = issued if issued >= 0 else now
            if not any(s <= end and service <= e for s, e in blocked):
                _observe(done[1], waiting[1], working_count, service, issued, now, n)
        if issued >= 0:
            _observe(done[2], waiting[2], working_count, issued, collected, now, n)
    learned = [
        prior.learned(np.array(d, dtype=np.int32), np.array(w, dtype=np.int32))
        for prior, d, w in zip(priors, done, waiting, strict=True)
    ]
    return OfficeTimes(*learned)


def _observe(
    done: list[int], waiting: list[int], count: IntArray, begin: int, end: int, now: int, n: int
) -> None:
    if end >= 0:
        done.extend([int(count[end] - count[begin])] * n)
    elif now >= 0:
        waiting.extend([int(count[now] - count[begin])] * n)


def _blocked_spans(
    disruptions: Sequence[Disruption], office: Office, as_of: dt.date, origin: dt.date
) -> list[tuple[int, int]]:
    spans = []
    for d in disruptions:
        if d.known_from > as_of or not d.hits(office):
            continue
        end = d.ended if d.ended is not None and d.ended <= as_of else as_of
        end = end + dt.timedelta(days=RAMP_MARGIN_DAYS)
        spans.append(((d.start - origin).days, (end - origin).days))
    return spans
