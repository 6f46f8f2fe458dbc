"""The outside view: real disruptions of Indonesian passport service, and what they teach.

``outages.csv`` (package data) holds the reference class, one sourced row per
disruption, as reported: when it started, the first official word, and what
is known of the outcome (printing back after N days, still down after N days,
back by N days at the latest). From it come, with the rules written out in
docs/forecast.md:

* a **duration prior by kind** (local fault, system change, data centre): a
  log-normal of the days from start to printing back, its median fitted to
  the rows by their likelihood (an open "still down after N days" counts as
  the probability of lasting longer, not as N), shrunk towards the pooled fit;
* an **overrun prior** for officials' first estimates: how far the real
  duration runs past the day the officials named;
* **background rates**: how often outages nobody has announced yet start.

The agency's own past disruptions are added to the same likelihoods by
:mod:`grouppass.evidence.learn`; nothing here reads the clock or the network.

>>> prior = duration_prior(DisruptionKind.DATA_CENTRE)
>>> 4 < prior.median_days < 12
True
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from importlib.resources import files

import numpy as np
import numpy.typing as npt
from attrs import frozen

from grouppass.model import DisruptionKind

__all__ = [
    "BACKGROUND_OFFICE_PER_YEAR",
    "BACKGROUND_SYSTEM_PER_YEAR",
    "DurationPrior",
    "Interval",
    "OverrunPrior",
    "ReferenceOutage",
    "duration_prior",
    "interval_likelihood",
    "longer_than",
    "overrun_prior",
    "reference_outages",
]

FloatArray = npt.NDArray[np.float64]

SIGMA_BY_KIND = {
    DisruptionKind.LOCAL_FAULT: 1.0,
    DisruptionKind.SYSTEM_CHANGE: 0.8,
    DisruptionKind.DATA_CENTRE: 0.6,
}
"""Spread (log-days) of durations within a kind. Too few rows to fit it: a judgement
written down. Local faults vary most (a power cut or a part from Jakarta); a national
data centre is everyone's emergency and comes back within days to weeks."""

POOLED_PRIOR = (math.log(14.0), 1.5)
"""Before any row: a median of two weeks, within a factor of about 20 either way."""
KIND_SHRINK_SD = 0.75
"""How far a kind's median may sit from the pooled one, in log-days, before its rows."""

OVERRUN_PRIOR = (math.log(1.5), 0.35)
"""Officials' first estimates run about 50% long (FACTS.md: "met late or never")."""
OVERRUN_SIGMA_PRIOR = (math.log(0.5), 0.5)
"""How much estimates scatter around that, in log-ratio: about a factor of 1.6."""

BACKGROUND_SYSTEM_PER_YEAR = 5 / 9
"""Five national outages that stopped or slowed printing in the nine years the table
covers (2016-2024: Pusdakim, biometrics, SIMKIM 2.0, billing, PDN)."""
BACKGROUND_OFFICE_PER_YEAR = 0.1
"""Five office outages made the news in 2015-2018 among about 125 offices (0.01 an
office-year); news reaches perhaps one in ten, so 0.1. A judgement, documented."""

_GRID = np.linspace(0.0, math.log(1000.0), 501)
"""Candidate medians (log-days) for the grid posterior: a day to about three years."""


@frozen
class Interval:
    """What is known of one duration, in days: more than ``low``, at most ``high``."""

    low: float
    high: float | None = None

    @classmethod
    def exactly(cls, days: float) -> Interval:
        # A reported day is a day: half a day either side.
        return cls(max(days - 0.5, 0.01), days + 0.5)


@frozen
class ReferenceOutage:
    """One row of the reference class (``outages.csv``)."""

    id: str
    disruption: str
    start: dt.date
    first_word: str
    said_days: float | None
    """Days from start to the recovery the first official word implied, if it named one."""
    duration: Interval | None
    """Days from start to printing back, as far as reported; None when nothing is known."""
    scope: str
    kind: DisruptionKind
    stopped: str
    backlog: str
    used: bool
    """Counted in the priors (``use=prior``); ``context`` rows stopped something else."""
    source: str


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _duration(row: dict[str, str]) -> Interval | None:
    resumed = _number(row["resumed_days"])
    if resumed is not None:
        return Interval.exactly(resumed)
    low, high = _number(row["still_down_days"]), _number(row["back_by_days"])
    if low is None and high is None:
        return None
    return Interval(low or 0.01, high)


@functools.cache
def reference_outages() -> tuple[ReferenceOutage, ...]:
    """The reference class, as shipped with grouppass."""
    text = (files("grouppass.evidence") / "outages.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        ReferenceOutage(
            id=row["id"],
            disruption=row["disruption"],
            start=dt.date.fromisoformat(row["start"]),
            first_word=row["first_word"],
            said_days=_number(row["said_days"]),
            duration=_duration(row),
            scope=row["scope"],
            kind=DisruptionKind(row["kind"]),
            stopped=row["stopped"],
            backlog=row["backlog"],
            used=row["use"] == "prior",
            source=row["source"],
        )
        for row in rows
    )


_SQRT2 = math.sqrt(2.0)


_ERF = np.vectorize(math.erf, otypes=[np.float64])


def _cdf(z: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + _ERF(z / _SQRT2))
    return out


def interval_likelihood(
    mu: FloatArray, sigma: float | FloatArray, known: Interval, *, log_scale: float = 1.0
) -> FloatArray:
    """P(a log-normal duration falls in ``known``) for each median ``mu`` (log-days).

    ``log_scale`` divides the interval's ends first (used for ratios to an estimate).
    """
    lo = math.log(max(known.low / log_scale, 1e-6))
    p_below_low = _cdf((lo - mu) / sigma)
    if known.high is None:
        return np.maximum(1.0 - p_below_low, 1e-300)
    hi = math.log(max(known.high / log_scale, 1e-6))
    return np.maximum(_cdf((hi - mu) / sigma) - p_below_low, 1e-300)


def _posterior(
    prior: tuple[float, float], sigma: float, observations: Iterable[Interval]
) -> tuple[float, float]:
    """Mean and variance of the median (log-days) on a grid, given interval observations."""
    log_post = -0.5 * ((_GRID - prior[0]) / prior[1]) ** 2
    for known in observations:
        log_post = log_post + np.log(interval_likelihood(_GRID, sigma, known))
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    mean = float(weights @ _GRID)
    return mean, float(weights @ (_GRID - mean) ** 2)


@frozen
class DurationPrior:
    """Days from start to printing back, for one kind: log-normal(``mu``, ``sigma``)."""

    kind: DisruptionKind
    mu: float
    """Log of the median duration in days."""
    sigma: float
    """Spread in log-days, parameter uncertainty included."""
    rows: int
    """Reference rows of this kind behind it."""
    own: int = 0
    """The agency's own past disruptions of this kind behind it."""

    @property
    def median_days(self) -> float:
        return math.exp(self.mu)


@functools.cache
def _pooled_mu() -> float:
    used = [r for r in reference_outages() if r.used and r.duration is not None]
    observations = [r.duration for r in used if r.duration is not None]
    mean, _ = _posterior(POOLED_PRIOR, 0.9, observations)
    return mean


def duration_prior(kind: DisruptionKind, own: Sequence[Interval] = ()) -> DurationPrior:
    """The outside view of one kind, with the agency's ``own`` past durations of that kind."""
    return _duration_prior(kind, tuple(own))


@functools.cache
def _duration_prior(kind: DisruptionKind, own: tuple[Interval, ...]) -> DurationPrior:
    rows = [r for r in reference_outages() if r.used and r.kind is kind and r.duration]
    sigma = SIGMA_BY_KIND[kind]
    observations = [r.duration for r in rows if r.duration is not None] + list(own)
    mean, var = _posterior((_pooled_mu(), KIND_SHRINK_SD), sigma, observations)
    return DurationPrior(kind, mean, math.sqrt(sigma**2 + var), len(rows), len(own))


@frozen
class OverrunPrior:
    """How the real duration compares with the officials' first estimate.

    ``log(real / said)`` is normal(``mu``, ``sigma``): ``mu`` above 0 means
    estimates run long.
    """

    mu: float
    sigma: float
    reference: int
    """Reference rows with a first estimate and a known outcome bound."""
    own: int = 0
    """The agency's own past disruptions with an estimate and an ``ended`` date."""

    @property
    def factor(self) -> float:
        """The median of real / said."""
        return math.exp(self.mu)


def overrun_prior(own: Sequence[tuple[float, Interval]] = ()) -> OverrunPrior:
    """The overrun of first estimates; ``own`` holds (said days, real duration) pairs."""
    return _overrun_prior(tuple(own))


_MU_R = np.linspace(-1.5, 2.0, 281)
_LOG_SIGMA_R = np.linspace(math.log(0.03), math.log(2.0), 61)


@functools.cache
def _overrun_prior(own: tuple[tuple[float, Interval], ...]) -> OverrunPrior:
    reference = [
        (r.said_days, r.duration)
        for r in reference_outages()
        if r.used and r.said_days is not None and r.duration is not None
    ]
    pairs = [(s, d) for s, d in reference if s is not None and d is not None] + list(own)
    mu = _MU_R[:, None]
    sigma = np.exp(_LOG_SIGMA_R)[None, :]
    log_post = (
        -0.5 * ((mu - OVERRUN_PRIOR[0]) / OVERRUN_PRIOR[1]) ** 2
        - 0.5 * ((np.log(sigma) - OVERRUN_SIGMA_PRIOR[0]) / OVERRUN_SIGMA_PRIOR[1]) ** 2
    )
    for said, known in pairs:
        log_post = log_post + np.log(interval_likelihood(mu, sigma, known, log_scale=said))
    weights = np.exp(log_post - log_post.max())
    weights /= weights.sum()
    mean = float((weights * mu).sum())
    # Predictive spread: the scatter plus what is still unknown about the mean.
    var = float((weights * (sigma**2 + (mu - mean) ** 2)).sum())
    return OverrunPrior(mean, math.sqrt(var), len(reference), len(own))


def longer_than(kind: DisruptionKind | None, days: float) -> tuple[int, int]:
    """Of the reference outages whose length is known well enough, how many lasted
    longer than ``days``: (how many are known, how many lasted longer).

    Outages of ``kind`` if at least three qualify, else all. For plain words
    such as "of 9 similar outages, 6 lasted longer than 14 days".
    """

    def count(rows: list[ReferenceOutage]) -> tuple[int, int]:
        known = longer = 0
        for r in rows:
            d = r.duration
            if d is None:
                continue
            if d.low >= days:
                known, longer = known + 1, longer + 1
            elif d.high is not None and d.high <= days:
                known += 1
        return known, longer

    used = [r for r in reference_outages() if r.used]
    if kind is not None:
        same = count([r for r in used if r.kind is kind])
        if same[0] >= 3:
            return same
    return count(used)
