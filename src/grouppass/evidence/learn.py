"""What the agency's own records teach: service times, officials' estimates, outage rates.

Every application in the scenario or database with recorded stage dates
(groups already departed included) is an observation of its office, as known
at ``as_of`` (later dates are unknown then):

* booking (asked for) to recording, the later of recording and payment to
  issuance, issuance to collection, in the office's working days; an
  application still waiting at ``as_of`` says "longer than so far";
* issuance times touched by a disruption of the office (from its start to
  three weeks after it ended, for the ramp), or by the backlog it left (the
  office's print queue, :mod:`grouppass.queue`, had not caught up with that
  service day), are left out: they measure the outage, not the office.

Past disruptions with an ``ended`` date teach how long outages of their kind
last, and, where officials had given an estimate, how late estimates run.
The number of disruptions on record over the span of the records updates
the background rate of outages nobody has announced yet (a Gamma-Poisson
update of the reference rate, worth :data:`RATE_PRIOR_YEARS` of records).
"""

from __future__ import annotations

import datetime as dt
import math
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
from grouppass.evidence.words import WordModel, word_model
from grouppass.model import (
    Application,
    Disruption,
    DisruptionKind,
    Office,
    Rules,
    Scenario,
    ThreePoint,
)
from grouppass.service import DEFAULT_TAIL, ServiceTime

__all__ = [
    "RATE_PRIOR_YEARS",
    "Background",
    "DisruptionHistory",
    "Observations",
    "OfficeTimes",
    "agency_tails",
    "background_rates",
    "disruption_history",
    "observe",
    "office_times",
    "unannounced_share",
]

IntArray = npt.NDArray[np.int32]

RATE_PRIOR_YEARS = 1.0
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
    said: tuple[tuple[float, DisruptionKind, float], ...] = ()
    """(days the estimate said, kind, days it took): the points of the word model."""

    def outside(self, kind: DisruptionKind) -> DurationPrior:
        return duration_prior(kind, self.durations.get(kind, ()))

    def overrun(self) -> OverrunPrior:
        return overrun_prior(self.overruns)

    def words(self) -> WordModel:
        """How far the officials' first words can be trusted (:mod:`grouppass.evidence.words`)."""
        pairs = [(said, self.outside(kind).mu, took) for said, kind, took in self.said]
        return word_model(pairs, overrun_prior())


def disruption_history(disruptions: Iterable[Disruption], as_of: dt.date) -> DisruptionHistory:
    """The disruptions that had ended by ``as_of`` and were known by then."""
    durations: dict[DisruptionKind, list[Interval]] = {}
    overruns: list[tuple[float, Interval]] = []
    said_pairs: list[tuple[float, DisruptionKind, float]] = []
    for d in sorted(disruptions, key=lambda d: d.id):
        if d.known_from > as_of or d.ended is None or d.ended > as_of:
            continue
        took = Interval.exactly(max((d.ended - d.start).days, 0.5))
        durations.setdefault(d.effective_kind, []).append(took)
        if d.recovery is not None:
            said = max((d.recovery.mode - d.start).days, 0) + 0.5
            overruns.append((said, took))
            said_pairs.append((said, d.effective_kind, max((d.ended - d.start).days, 0) + 0.5))
    return DisruptionHistory(
        {k: tuple(v) for k, v in durations.items()}, tuple(overruns), tuple(said_pairs)
    )


@frozen
class Background:
    """Outages nobody has announced yet, per year, for each office and each system."""

    office: Mapping[str, float]
    system: Mapping[str, float]
    learned_years: float = 0.0
    """Years of the agency's records behind the rates (0: the reference rate alone)."""
    source: str = "reference"
    """``reference`` (updated by records), ``rules`` (set by the organiser)."""
    unannounced_share: float = 1.0
    """Share of outages that reach the file only once they have begun: the rates above
    are all outages' times this (:func:`unannounced_share`)."""


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


def unannounced_share(
    disruptions: Iterable[Disruption], as_of: dt.date, since: dt.date, prior_outages: float
) -> float:
    """The share of outages nobody announces before they begin, learned from the file.

    An outage in the file before its ``start`` (planned maintenance, an announced
    upgrade; one known at ``as_of`` that starts later) was announced ahead: a
    forecast made before it knew of it, and the forecast models it as itself. The
    background rate is for the others, so the rate of all outages is thinned by
    this share. Every disruption known at ``as_of`` that starts on or after
    ``since`` (the start of the records) counts, ended or not. The prior is the
    reference class, where every outage was first reported after it began, worth
    ``prior_outages`` (the outages the reference rates expect in
    :data:`RATE_PRIOR_YEARS`, as for the rates): a file with no outages announced
    ahead keeps the whole rate.

    >>> day = dt.date(2024, 1, 1)
    >>> ahead = Disruption(id="a", start=day, reported=day - dt.timedelta(days=3), offices=("A",))
    >>> unannounced_share([ahead], day, day, 1.0)
    0.5
    """
    ahead = seen = 0
    for d in disruptions:
        if d.known_from > as_of or d.start < since:
            continue
        seen += 1
        if d.known_from < d.start:
            ahead += 1
    return (prior_outages + seen - ahead) / (prior_outages + seen) if prior_outages + seen else 1.0


def background_rates(scenario: Scenario, as_of: dt.date) -> Background:
    """The background rate per office and per system at ``as_of``: outages nobody has
    announced yet (the rate of all outages, thinned by :func:`unannounced_share`)."""
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
    expected = RATE_PRIOR_YEARS * (
        BACKGROUND_OFFICE_PER_YEAR * len(scenario.offices)
        + BACKGROUND_SYSTEM_PER_YEAR * len(systems)
    )
    share = unannounced_share(scenario.disruptions, as_of, start, expected)
    return Background(
        {
            o.code: share * rate(BACKGROUND_OFFICE_PER_YEAR, seen_office[o.code])
            for o in scenario.offices
        },
        {s: share * rate(BACKGROUND_SYSTEM_PER_YEAR, seen_system[s]) for s in sorted(systems)},
        learned_years=years,
        unannounced_share=share,
    )


@frozen
class OfficeTimes:
    """One office's service times, each a hand-set prior blended with its records."""

    booking: ServiceTime
    issue: ServiceTime
    collect: ServiceTime
    pay: ServiceTime
    """From recording to payment for those who pay after recording (walk-in, at the
    bank); 0 for those who paid before (M-Paspor)."""


PAY_DAYS = ThreePoint.fixed(0)
"""Without records, payment is taken to come with recording (M-Paspor pays before, a
walk-in counter takes the fee the same day); the agency's records teach otherwise."""


@frozen
class Observations:
    """One office's recorded stage times in working days, per stage: finished ones and
    those still waiting at ``as_of`` (longer than so far)."""

    done: tuple[IntArray, IntArray, IntArray, IntArray]
    """Booking, issue, collection and payment times."""
    waiting: tuple[IntArray, IntArray, IntArray, IntArray]

    @classmethod
    def none(cls) -> Observations:
        empty = np.zeros(0, dtype=np.int32)
        return cls((empty, empty, empty, empty), (empty, empty, empty, empty))


def observe(
    office: Office,
    applications: Sequence[tuple[Application, int]],
    disruptions: Sequence[Disruption],
    working_count: IntArray,
    day_index: dt.date,
    as_of: dt.date,
    backlogged: npt.NDArray[np.bool_] | None = None,
) -> Observations:
    """The stage times of ``applications`` made at ``office``, each with the number of
    members who share it (a group at the counter together).

    ``working_count[i]`` is the number of the office's working days up to and
    including grid day ``i``; ``day_index`` is the grid's first day;
    ``backlogged[i]`` says that those whose service started on day ``i``
    waited for a backlog. Only what is known at ``as_of`` counts.
    """
    if not applications:
        return Observations.none()
    size = len(working_count)

    def idx(day: dt.date | None) -> int:
        if day is None or day > as_of:
            return -1
        i = (day - day_index).days
        return i if 0 <= i < size else -1

    now = idx(as_of)
    blocked = _blocked_spans(disruptions, office, as_of, day_index)
    done: list[list[int]] = [[], [], [], []]
    waiting: list[list[int]] = [[], [], [], []]
    for app, n in applications:
        booked, recorded, paid = idx(app.booked), idx(app.recorded), idx(app.paid)
        issued, collected = idx(app.issued), idx(app.collected)
        if booked >= 0:
            _observe(done[0], waiting[0], working_count, booked, recorded, now, n)
        if recorded >= 0:
            # Paid before recording (M-Paspor): no wait for payment at all.
            pay_end = paid if paid < 0 or paid >= recorded else recorded
            _observe(done[3], waiting[3], working_count, recorded, pay_end, now, n)
        if recorded >= 0 and paid >= 0 and not app.express:
            service = max(recorded, paid)
            end = issued if issued >= 0 else now
            waited = backlogged is not None and bool(backlogged[service])
            if not waited and not any(s <= end and service <= e for s, e in blocked):
                _observe(done[1], waiting[1], working_count, service, issued, now, n)
        if issued >= 0:
            _observe(done[2], waiting[2], working_count, issued, collected, now, n)

    def arrays(lists: list[list[int]]) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        a, b, c, d = (np.array(x, dtype=np.int32) for x in lists)
        return a, b, c, d

    return Observations(arrays(done), arrays(waiting))


TAIL_PRIOR_WEIGHT = 20.0
"""The default tail share counts as this many applications in the agency-wide estimate."""

TAIL_STEP = 0.02
"""The agency's tail shares are kept to 2% of their value (a share of 1% is one of
..., 0.98%, 1%, 1.02%, ...), far below the estimate's own error (a share learned from
100 applications past ``high`` is known to 10% of itself). It keeps one recorded
stage within the estimate from moving the share: the share feeds every office's
service times and learned queue, so a save that moved it would have the TUI work
out every office again (docs/forecast.md)."""


def _kept(share: float) -> float:
    """``share`` on the grid of :data:`TAIL_STEP` (steps of 2% of the value itself)."""
    if share <= 0.0:
        return 0.0
    kept = math.exp(round(math.log(share) / TAIL_STEP) * TAIL_STEP)
    return float(f"{kept:.6g}")


def _estimates(office: Office) -> tuple[ThreePoint, ThreePoint, ThreePoint]:
    return office.booking_days, office.issue_days, office.collect_days


def agency_tails(
    rules: Rules, offices: Sequence[Office], seen: Mapping[str, Observations]
) -> tuple[float, float, float]:
    """The share of applications past their office's ``high``, per stage, agency-wide.

    The tail is pooled over offices (an office with few records gets what the
    agency sees elsewhere, not a guess of its own), shrunk to the default with
    the weight of :data:`TAIL_PRIOR_WEIGHT` applications, to the nearest
    :data:`TAIL_STEP` of itself. ``rules.service_tail`` set by the organiser wins.
    """
    if rules.service_tail is not None:
        t = rules.service_tail
        return t, t, t
    out = []
    for stage in range(3):
        beyond = total = 0.0
        for office in offices:
            obs = seen.get(office.code)
            if obs is None:
                continue
            high = _estimates(office)[stage].high
            done = obs.done[stage]
            beyond += float(np.count_nonzero(done > math.floor(high + 0.5)))
            total += len(done)
        share = (DEFAULT_TAIL * TAIL_PRIOR_WEIGHT + beyond) / (TAIL_PRIOR_WEIGHT + total)
        out.append(_kept(share))
    return out[0], out[1], out[2]


def office_times(
    office: Office, tails: tuple[float, float, float], seen: Observations
) -> OfficeTimes:
    """``office``'s service times: its estimates with the agency's tails, blended with
    its own records."""
    learned = [
        ServiceTime.from_estimate(estimate, tail=tail).learned(done, waiting, high=estimate.high)
        for estimate, tail, done, waiting in zip(
            _estimates(office), tails, seen.done[:3], seen.waiting[:3], strict=True
        )
    ]
    pay = ServiceTime.from_estimate(PAY_DAYS, tail=0.0).learned(seen.done[3], seen.waiting[3])
    booking, issue, collect = learned
    return OfficeTimes(booking, issue, collect, pay)


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
