"""Outages of a simulated world: when they start, how long they truly last, what was said.

Each outage is written as an ordinary disruption record: ``start``, the
officials' first ``recovery`` estimate (or ``null`` for none), ``reported``
some days after ``start``, and ``ended`` on the true recovery day. A replay
at an earlier ``as_of`` sees only what was known then.

Two ways to tie the estimate to the truth (:class:`~.params.Estimates`):

* ``as_stated``: the estimate comes first (its most likely duration drawn
  from the kind's outside view) and the truth is a draw from that estimate,
  read exactly as docs/scenario-format.md says (triangular, or the open
  tail when ``high`` is null);
* otherwise the truth comes first, from the kind's heavy-tailed duration,
  and the officials' most likely duration is the truth divided by their
  optimism (with noise); some give no estimate at all.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from attrs import frozen

from grouppass.model import Disruption, DisruptionKind, Office, Recovery, Stops
from grouppass.simulate.params import World

__all__ = ["Window", "draw_outages", "stated_quantile"]

# How an open-ended estimate (``high: null``) is read: docs/scenario-format.md.
_OPEN_LEFT = 1.0 / 3.0
_OPEN_MIN_SCALE = 7.0
_OPEN_CAP = 365.0


def stated_quantile(u: float, low: float, mode: float, high: float | None) -> float:
    """Days after ``start`` at probability ``u`` of a stated recovery estimate.

    Triangular over (low, mode, high); with ``high`` None, a triangle rising
    from low to mode holds one third and an exponential tail of scale
    max(mode - low, 7) past mode the rest, capped 365 days after mode.

    >>> stated_quantile(0.5, 2, 4, 6)
    4.0
    >>> round(stated_quantile(1 / 3 + (2 / 3) * (1 - math.exp(-1)), 0, 7, None), 6)
    14.0
    """
    if high is not None:
        if high - low < 1e-9:
            return float(low)
        split = (mode - low) / (high - low)
        if u < split:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1.0 - u) * (high - low) * (high - mode))
    left = _OPEN_LEFT if mode > low else 0.0
    if u < left:
        return low + (mode - low) * math.sqrt(u / left)
    scale = max(mode - low, _OPEN_MIN_SCALE)
    tail = (u - left) / (1.0 - left)
    return min(mode - scale * math.log(max(1.0 - tail, 1e-300)), mode + _OPEN_CAP)


@frozen
class Window:
    """The days outages may start in, and the day the season opens."""

    first: dt.date
    last: dt.date
    season_open: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _estimate(
    rng: np.random.Generator, world: World, mode_days: float, open_high: bool
) -> tuple[int, int, int | None]:
    mode = max(1, round(mode_days))
    low = max(1, min(mode, round(mode_days * rng.uniform(0.4, 0.8))))
    high = None if open_high else max(mode, round(mode_days * rng.uniform(1.4, 2.2)))
    return low, mode, high


def _one(
    rng: np.random.Generator,
    world: World,
    ident: str,
    kind: DisruptionKind,
    start: dt.date,
    offices: tuple[str, ...],
    systems: tuple[str, ...],
    window: Window,
    *,
    full_stop: bool = False,
) -> Disruption:
    law = world.outages.durations.of(kind)
    est = world.estimates
    open_high = bool(rng.random() < est.open_high_share)
    recovery: tuple[int, int, int | None] | None
    if est.as_stated:
        stated = float(
            np.exp(np.log(max(law.median_days, 1.0)) + law.sigma * rng.standard_normal())
        )
        recovery = _estimate(rng, world, min(stated, law.cap_days), open_high)
        low, mode, high = recovery
        # Nearest day, as the forecast rounds its own draws.
        true_days = math.floor(stated_quantile(float(rng.random()), low, mode, high) + 0.5)
    else:
        true = float(np.exp(np.log(law.median_days) + law.sigma * rng.standard_normal()))
        true = min(max(true, 1.0), law.cap_days)
        true_days = max(1, round(true))
        ratio = est.optimism * float(np.exp(est.noise * rng.standard_normal()))
        recovery = None
        if rng.random() >= est.none_share:
            recovery = _estimate(rng, world, true / max(ratio, 1e-6), open_high)
    lag_lo, lag_hi = world.outages.report_lag
    reported = start + dt.timedelta(days=int(rng.integers(lag_lo, lag_hi + 1)))
    if world.outages.announced_ahead:
        reported = min(start, window.season_open - dt.timedelta(days=1))
    stops = Stops.ALL if rng.random() < world.outages.all_share else Stops.ISSUANCE
    factor = 0.0
    if full_stop:
        stops = Stops.ISSUANCE  # the story's outage: recording goes on, printing stops
    elif stops is Stops.ISSUANCE and rng.random() < world.outages.slowdown_share:
        factor = round(float(rng.uniform(0.3, 0.6)), 2)
    day = dt.timedelta(days=1)
    rec = None
    if recovery is not None:
        low, mode, high = recovery
        rec = Recovery(
            start + low * day, start + mode * day, None if high is None else start + high * day
        )
    said = {
        DisruptionKind.LOCAL_FAULT: "Printer or server fault at the office.",
        DisruptionKind.SYSTEM_CHANGE: "Maintenance of the national passport system.",
        DisruptionKind.DATA_CENTRE: "The national data centre is down.",
    }[kind]
    return Disruption(
        id=ident,
        start=start,
        recovery=rec,
        stops=stops,
        offices=offices,
        systems=systems,
        capacity_factor=factor,
        reported=reported,
        ended=start + true_days * day,
        note=said if rec is not None else f"{said} No estimate given (belum bisa dipastikan).",
        kind=kind,
    )


def draw_outages(
    rng: np.random.Generator,
    world: World,
    offices: tuple[Office, ...],
    window: Window,
    *,
    target_office: str,
) -> tuple[Disruption, ...]:
    """Every outage of the world's offices and systems starting in ``window``.

    Random ones follow the world's Poisson rates; the scripted ones start on
    their day, the office-level ones at ``target_office``.
    """
    out: list[Disruption] = []
    years = window.days / 365.0
    day = dt.timedelta(days=1)

    def start_days(rate: float) -> list[int]:
        n = int(rng.poisson(rate * years))
        return sorted(int(x) for x in rng.integers(0, window.days, size=n))

    for office in offices:
        for k in start_days(world.outages.office_rate):
            start = window.first + k * day
            ident = f"{office.code.lower()}-fault-{start:%Y%m%d}-{len(out)}"
            out.append(
                _one(
                    rng, world, ident, DisruptionKind.LOCAL_FAULT, start, (office.code,), (), window
                )
            )
    systems = sorted({s for o in offices for s in o.systems})
    for system in systems:
        for k in start_days(world.outages.system_rate):
            start = window.first + k * day
            kind = DisruptionKind.SYSTEM_CHANGE
            if system == "SIMKIM" and rng.random() < 0.2:
                kind = DisruptionKind.DATA_CENTRE
            ident = f"{system.lower()}-{kind.value}-{start:%Y%m%d}-{len(out)}"
            out.append(_one(rng, world, ident, kind, start, (), (system,), window))
    for scripted in world.outages.scripted:
        start = window.season_open + scripted.start_day * day
        if scripted.scope == "office":
            ident = f"{target_office.lower()}-scripted-{start:%Y%m%d}-{len(out)}"
            out.append(
                _one(
                    rng,
                    world,
                    ident,
                    scripted.kind,
                    start,
                    (target_office,),
                    (),
                    window,
                    full_stop=True,
                )
            )
        else:
            ident = f"simkim-scripted-{start:%Y%m%d}-{len(out)}"
            out.append(
                _one(
                    rng,
                    world,
                    ident,
                    scripted.kind,
                    start,
                    (),
                    ("SIMKIM",),
                    window,
                    full_stop=True,
                )
            )
    return tuple(out)
