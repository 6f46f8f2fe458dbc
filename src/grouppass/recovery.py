"""When will a disruption end? What officials said, weighed against what really happened.

A belief about one disruption's recovery, as days from its ``start``:

* ``ended`` known by ``as_of``: that day, no doubt left;
* otherwise, with the outside view (the default, ``rules.outside_view``): a
  log-normal that combines the **outside view** for the disruption's kind
  (:func:`grouppass.evidence.reference.duration_prior`, with the agency's own
  past disruptions of that kind) and, if officials named a recovery, **their
  word** corrected for how late such words run (the overrun prior, with the
  agency's own estimates against their ``ended`` dates). The two are
  weighed by how sure each is (precisions add): the words shift the outside
  view, they do not replace it; how far they move it is learned from the
  agency's past estimates (:mod:`grouppass.evidence.words`). No estimate
  ("belum bisa dipastikan") means
  the outside view alone;
* with ``outside_view: false``: the estimate as given (a triangle from
  ``low`` over ``mode`` to ``high``; with ``high: null`` a rise to ``mode``
  and an exponential tail past it);
* a disruption still on at ``as_of`` can only end later: the belief is
  conditioned on that, so an overdue outage keeps stretching.

docs/forecast.md works an example through.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
from attrs import frozen

from grouppass.evidence.reference import DurationPrior, OverrunPrior, longer_than
from grouppass.evidence.words import WordModel
from grouppass.model import Disruption, DisruptionKind, Recovery

__all__ = [
    "MAX_RECOVERY_DAYS",
    "Method",
    "RecoveryBelief",
    "as_given_quantile",
    "believe",
]

FloatArray = npt.NDArray[np.float64]

MAX_RECOVERY_DAYS = 730.0
"""No draw lasts longer than two years: past that a forecast has nothing to say."""

OPEN_TAIL_MIN_SCALE = 7.0
OPEN_TAIL_CAP_DAYS = 365.0
OPEN_LEFT_WEIGHT = 1.0 / 3.0

_NORMAL = NormalDist()


class Method(enum.StrEnum):
    """Where a recovery belief comes from."""

    ENDED = "ended"
    """The recovery is known."""
    AS_GIVEN = "as_given"
    """The officials' estimate taken as given (``outside_view: false``)."""
    OUTSIDE_VIEW = "outside_view"
    """No estimate: how long outages of this kind really lasted."""
    COMBINED = "combined"
    """The officials' estimate weighed against the outside view."""


@frozen
class RecoveryBelief:
    """What is believed at ``as_of`` about when one disruption ends."""

    disruption: Disruption
    as_of: dt.date
    method: Method
    kind: DisruptionKind
    mu: float = 0.0
    """Log-days from start: the median of the (unconditioned) log-normal."""
    sigma: float = 0.0
    outside: DurationPrior | None = None
    overrun: OverrunPrior | None = None
    word_weight: float = 0.0
    """Share of the officials' word in the combined median (0: not used)."""

    @property
    def elapsed(self) -> float:
        """Days the disruption is known to have lasted at ``as_of`` (0 if not begun)."""
        if self.disruption.start > self.as_of:
            return 0.0
        return (self.as_of - self.disruption.start).days + 0.5

    def quantile_days(self, u: FloatArray) -> FloatArray:
        """Days from start to recovery at probabilities ``u``, given it has not ended yet."""
        d = self.disruption
        u = np.asarray(u, dtype=np.float64)
        if self.method is Method.ENDED:
            assert d.ended is not None
            return np.full_like(u, float((d.ended - d.start).days))
        if self.method is Method.AS_GIVEN:
            assert d.recovery is not None
            return _as_given(d.start, d.recovery, self.elapsed, self.started, u)
        floor = _NORMAL.cdf((math.log(self.elapsed) - self.mu) / self.sigma) if self.started else 0
        floor = min(floor, 1.0 - 1e-9)
        q = floor + u * (1.0 - floor)
        z = np.array([_NORMAL.inv_cdf(min(max(x, 1e-12), 1 - 1e-12)) for x in q])
        days = np.exp(self.mu + self.sigma * z)
        if self.started:
            days = np.maximum(days, self.elapsed)
        return np.minimum(days, MAX_RECOVERY_DAYS)

    @property
    def started(self) -> bool:
        return self.disruption.start <= self.as_of

    def recovery_date(self, q: float) -> dt.date:
        """The recovery day by which the disruption has ended with probability ``q``."""
        days = float(self.quantile_days(np.array([q]))[0])
        return self.disruption.start + dt.timedelta(days=math.floor(days + 0.5))

    def reference(self) -> tuple[int, int, float]:
        """For plain words: (outages known, how many lasted longer, than how many days).

        The comparison is with the officials' estimate when there is one, else
        with how long this one has lasted so far.
        """
        d = self.disruption
        days = self.elapsed
        if d.recovery is not None:
            days = float((d.recovery.mode - d.start).days)
        known, longer = longer_than(self.kind, max(days, 1.0))
        return known, longer, days


def _as_given(
    start: dt.date, rec: Recovery, elapsed: float, started: bool, u: FloatArray
) -> FloatArray:
    low = float((rec.low - start).days)
    mode = float((rec.mode - start).days)
    high = None if rec.high is None else float((rec.high - start).days)
    if started:
        floor_u = _recovery_cdf(elapsed - 1e-9, low, mode, high)
        if floor_u >= 1.0 - 1e-9:
            # Overdue past its `high`: keep it open with the tail's scale.
            scale = max(mode - low, OPEN_TAIL_MIN_SCALE)
            out: FloatArray = elapsed - scale * np.log1p(-u * (1 - 1e-12))
            return np.minimum(out, MAX_RECOVERY_DAYS)
        u = floor_u + u * (1.0 - floor_u)
    days = np.maximum(as_given_quantile(u, low, mode, high), 0.0)
    if started:
        days = np.maximum(days, elapsed)
    return np.minimum(days, MAX_RECOVERY_DAYS)


def _triangular_cdf(x: float, low: float, mode: float, high: float) -> float:
    if x <= low:
        return 0.0
    if x >= high:
        return 1.0
    if x <= mode:
        return (x - low) ** 2 / ((high - low) * (mode - low))
    return 1.0 - (high - x) ** 2 / ((high - low) * (high - mode))


def _recovery_cdf(x: float, low: float, mode: float, high: float | None) -> float:
    if high is not None:
        return _triangular_cdf(x, low, mode, high)
    left = OPEN_LEFT_WEIGHT if mode > low else 0.0
    if x <= low:
        return 0.0
    if x <= mode:
        return left * ((x - low) / (mode - low)) ** 2
    scale = max(mode - low, OPEN_TAIL_MIN_SCALE)
    return left + (1.0 - left) * (1.0 - math.exp(-(x - mode) / scale))


def as_given_quantile(u: FloatArray, low: float, mode: float, high: float | None) -> FloatArray:
    """Inverse CDF of an estimate taken as given, in days after the disruption's start.

    With an open ``high`` the recovery rises as a triangle from ``low`` to
    ``mode`` (one third of the probability) and then decays exponentially with
    scale ``max(mode - low, 7)`` days, capped 365 days after ``mode``.
    """
    u = np.asarray(u, dtype=np.float64)
    if high is not None:
        if high - low < 1e-9:
            return np.full_like(u, low)
        split = (mode - low) / (high - low)
        left = low + np.sqrt(u * (high - low) * (mode - low))
        right = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
        return np.where(u < split, left, right)
    left_w = OPEN_LEFT_WEIGHT if mode > low else 0.0
    scale = max(mode - low, OPEN_TAIL_MIN_SCALE)
    left = low + (mode - low) * np.sqrt(np.clip(u / max(left_w, 1e-12), 0.0, 1.0))
    tail = (u - left_w) / (1.0 - left_w)
    right = mode - scale * np.log(np.clip(1.0 - tail, 1e-300, 1.0))
    return np.where(u < left_w, left, np.minimum(right, mode + OPEN_TAIL_CAP_DAYS))


def believe(
    disruption: Disruption,
    as_of: dt.date,
    *,
    outside_view: bool,
    outside: DurationPrior,
    overrun: OverrunPrior,
    words: WordModel,
) -> RecoveryBelief:
    """The belief about ``disruption``'s recovery at ``as_of``.

    ``outside`` is the duration prior for its kind, ``overrun`` how late
    officials' estimates run and ``words`` how far to trust them, all updated
    with the agency's records.
    """
    kind = disruption.effective_kind
    if disruption.ended is not None and disruption.ended <= as_of:
        return RecoveryBelief(disruption, as_of, Method.ENDED, kind)
    rec = disruption.recovery
    if rec is not None and not outside_view:
        return RecoveryBelief(disruption, as_of, Method.AS_GIVEN, kind)
    if rec is None:
        return RecoveryBelief(
            disruption, as_of, Method.OUTSIDE_VIEW, kind, outside.mu, outside.sigma, outside
        )
    said = max((rec.mode - disruption.start).days, 0) + 0.5
    mu, sigma = words.predict(outside.mu, said)
    return RecoveryBelief(
        disruption, as_of, Method.COMBINED, kind, mu, sigma, outside, overrun, words.weight
    )
