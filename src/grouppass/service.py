"""A member's own service times: whole working days, exactly, with an honest tail.

An office's three-point estimate (``issue_days {low 3, mode 4, high 12}``) is
a triangular distribution of working days; a passport is ready on a whole
day, so each value ``k`` gets the probability of ``[k - 0.5, k + 0.5)``. Every
value is kept: nothing is collapsed, so the upper tail is there.

Beyond the estimate's ``high`` a share of applications runs long anyway (the
promise was three days; FACTS.md has Surabaya quoting 4-7 and per-applicant
delays "even within a family"). That **tail** is a geometric excess over
``high`` with mean ``m = max(2, min(high - low, 5))`` working days (capped: a
wide estimate already carries its own doubt). It is kept to four points, so
that enumerating a member's days stays cheap: the excess in (0, m/2], (m/2, m],
(m, 2m] is put at the end of its bin (later, never earlier: the rounding can
only make a forecast more cautious), and beyond 2m at 4m (what lies past 4m,
e^-4 of the tail, 0.09% of all applications at the default share, is the one
place it errs the other way).

Where the agency has recorded applications at an office, their working days
(a Kaplan-Meier estimate, so applications still waiting count as "longer
than so far") are blended with that prior, weighted by how many there are:
shrinkage, not a switch at a threshold.

>>> t = ServiceTime.from_estimate(ThreePoint(3, 4, 12), tail=0.0)
>>> round(t.cdf(9), 3)
0.913
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from grouppass.model import ThreePoint

__all__ = [
    "DEFAULT_TAIL",
    "PRIOR_STRENGTH",
    "ServiceTime",
    "kaplan_meier",
    "triangular_cdf",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

DEFAULT_TAIL = 0.05
"""Share of applications past an office's ``high`` when the agency has no records."""
TAIL_MEAN_CAP = 5.0
"""Longest mean excess of the tail, in working days."""
PRIOR_STRENGTH = 10.0
TAIL_STRENGTH = 50.0
"""How many recorded applications the prior's share past ``high`` is worth."""
"""How many recorded applications the hand-set estimate is worth in the blend."""


def triangular_cdf(x: float, low: float, mode: float, high: float) -> float:
    """P(X <= x) for a triangular distribution (a point mass when low == high)."""
    if x < low:
        return 0.0
    if x >= high:
        return 1.0
    if x <= mode:
        return (x - low) ** 2 / ((high - low) * (mode - low))
    return 1.0 - (high - x) ** 2 / ((high - low) * (high - mode))


def _round(x: float) -> int:
    # Half up, like the bins below: 2.5 days is ready on day 3.
    return math.floor(x + 0.5)


def _from_three_point(estimate: ThreePoint) -> tuple[int, FloatArray]:
    low, mode, high = estimate.low, estimate.mode, estimate.high
    if high - low < 1e-9:
        return _round(low), np.ones(1)
    first, last = _round(low), _round(high)
    edges = [max(min(k + 0.5, high), low) for k in range(first, last + 1)]
    cdf = np.array([0.0] + [triangular_cdf(e, low, mode, high) for e in edges])
    cdf[-1] = 1.0
    return first, np.diff(cdf)


def _excess_mean(estimate: ThreePoint) -> float:
    # Capped: a wide estimate already carries its own doubt.
    return max(2.0, min(estimate.high - estimate.low, TAIL_MEAN_CAP))


def _geometric_tail(start: int, mean: float) -> tuple[int, FloatArray]:
    """P(start + e) for a geometric excess e >= 1 with the given mean, on four points."""
    p = 1.0 / mean
    edges = sorted({max(1, math.ceil(mean / 2)), math.ceil(mean), math.ceil(2 * mean)})
    survival = [(1.0 - p) ** e for e in edges]  # P(excess > edge)
    masses = [1.0 - survival[0]] + [a - b for a, b in itertools.pairwise(survival)]
    points = [*edges, math.ceil(4 * mean)]
    masses.append(survival[-1])
    out = np.zeros(points[-1])
    for e, m in zip(points, masses, strict=True):
        out[e - 1] += m
    return start + 1, out


def _mix(parts: Sequence[tuple[float, int, FloatArray]]) -> tuple[int, FloatArray]:
    first = min(f for _, f, p in parts)
    last = max(f + len(p) - 1 for _, f, p in parts)
    out = np.zeros(last - first + 1)
    for weight, f, p in parts:
        out[f - first : f - first + len(p)] += weight * p
    return first, out


@frozen
class ServiceTime:
    """P(a stage takes ``first + i`` working days) = ``pmf[i]``."""

    first: int
    pmf: FloatArray = field(eq=False)
    observations: int = 0
    """Recorded applications blended in (0: the hand-set estimate alone)."""
    tail: float = 0.0
    """Share past the estimate's ``high`` in the prior part."""
    excess: float = 2.0
    """Mean working days the tail runs past ``high``: what an application already
    overdue still has to wait (:meth:`overdue`)."""

    @classmethod
    def from_estimate(cls, estimate: ThreePoint, *, tail: float = DEFAULT_TAIL) -> ServiceTime:
        """The three-point estimate in whole days, with ``tail`` of the mass past ``high``."""
        first, pmf = _from_three_point(estimate)
        if tail > 0:
            t_first, t_pmf = _geometric_tail(first + len(pmf) - 1, _excess_mean(estimate))
            first, pmf = _mix([(1.0 - tail, first, pmf), (tail, t_first, t_pmf)])
        return cls(first, pmf, 0, tail, _excess_mean(estimate))

    @classmethod
    def fixed(cls, days: int) -> ServiceTime:
        return cls(days, np.ones(1))

    def learned(
        self, durations: IntArray, waiting: IntArray, *, high: float | None = None
    ) -> ServiceTime:
        """Blend this prior with recorded ``durations`` and ``waiting`` ones (still
        open after that many days), weighted by their number against
        :data:`PRIOR_STRENGTH`.

        With ``high`` (the estimate's most), the share past it is shrunk harder,
        towards this prior's own share, with the weight of :data:`TAIL_STRENGTH`
        applications: a single slow application among thirty is a fact about that
        application more than about the office, and the tail, multiplied over a
        group, decides its P.
        """
        n = len(durations) + len(waiting)
        if n == 0 or len(durations) == 0:
            return self
        km_first, km = kaplan_meier(durations, waiting, self)
        w = n / (n + PRIOR_STRENGTH)
        first, pmf = _mix([(1.0 - w, self.first, self.pmf), (w, km_first, km)])
        if high is not None:
            cut = math.floor(high + 0.5) - first + 1
            if 0 < cut < len(pmf):
                prior_tail = float(self.pmf[max(cut + first - self.first, 0) :].sum())
                seen_tail = float(km[max(cut + first - km_first, 0) :].sum())
                tail = (TAIL_STRENGTH * prior_tail + n * seen_tail) / (TAIL_STRENGTH + n)
                body, rest = pmf[:cut], pmf[cut:]
                if body.sum() > 0 and rest.sum() > 0:
                    pmf = np.concatenate(
                        [body / body.sum() * (1.0 - tail), rest / rest.sum() * tail]
                    )
        return ServiceTime(first, pmf, n, self.tail, self.excess)

    def overdue(self) -> tuple[IntArray, FloatArray]:
        """Working days still to wait for an application past every value with weight:
        a geometric excess with the tail's mean (memoryless: however late it is
        already, as much again is to come), on the tail's four points."""
        first, pmf = _geometric_tail(0, self.excess)
        keep = np.flatnonzero(pmf > 0)
        days: IntArray = (keep + first).astype(np.int32)
        return days, pmf[keep] / pmf[keep].sum()

    @property
    def values(self) -> IntArray:
        """The working-day counts with weight, for enumeration."""
        keep = np.flatnonzero(self.pmf > 1e-12)
        out: IntArray = (keep + self.first).astype(np.int32)
        return out

    @property
    def weights(self) -> FloatArray:
        w = self.pmf[self.pmf > 1e-12]
        out: FloatArray = w / w.sum()
        return out

    def cdf(self, k: float) -> float:
        """P(at most ``k`` working days)."""
        i = math.floor(k) - self.first
        if i < 0:
            return 0.0
        return float(self.pmf[: i + 1].sum())

    def cdf_table(self, size: int) -> FloatArray:
        """P(at most k days) for k = 0 .. size - 1 (and 1 beyond the table)."""
        out = np.zeros(size)
        for v, w in zip(self.values, self.weights, strict=True):
            if v < size:
                out[max(v, 0) :] += w
        return np.minimum(out, 1.0)

    def quantile(self, q: float) -> int:
        cum = np.cumsum(self.pmf)
        return self.first + int(np.searchsorted(cum, q - 1e-9))


def kaplan_meier(
    durations: IntArray, waiting: IntArray, prior: ServiceTime
) -> tuple[int, FloatArray]:
    """The distribution of whole working days from finished and still-open applications.

    ``waiting[j]`` = k means "more than k days so far". Mass the data cannot
    place (beyond the last finished value, when applications are still open
    past it) follows ``prior``'s shape beyond that point.
    """
    durations = np.asarray(durations, dtype=np.int64)
    waiting = np.asarray(waiting, dtype=np.int64)
    first = int(durations.min())
    last = int(max(durations.max(), waiting.max(initial=0)))
    span = last - first + 1
    done = np.bincount(durations - first, minlength=span)[:span].astype(np.float64)
    # Still open after k days: at risk up to and including k, then leave. Those open
    # for less than the shortest finished time were never at risk of any time seen.
    later = waiting[waiting >= first]
    leave = np.bincount(later - first, minlength=span)[:span]
    at_risk = float(len(durations) + len(later))
    survival = 1.0
    pmf = np.zeros(span)
    for i in range(span):
        if at_risk <= 0:
            break
        hazard = done[i] / at_risk
        pmf[i] = survival * hazard
        survival *= 1.0 - hazard
        at_risk -= done[i] + leave[i]
    if survival > 1e-12:
        # The rest is beyond what the records can tell: the prior's own shape there.
        edge = first + span
        beyond = prior.pmf[max(0, edge - prior.first) :]
        if beyond.sum() > 1e-12:
            rest = beyond / beyond.sum() * survival
            start = max(edge, prior.first)
            full = np.zeros(start - first + len(rest))
            full[:span] = pmf
            full[start - first :] += rest
            pmf = full
        else:
            # The prior has no mass there either: one more day than the longest seen.
            pmf = np.append(pmf, survival)
    return first, pmf / pmf.sum()
