"""How fast an office printed again after a recorded recovery, learned from who is waiting.

A recorded ``ended`` says when normal service resumed; it does not say how
fast the office then printed the backlog. Printing may have come back at
once (overtime made up for a slow start) or over days to weeks (PDN 2024:
printing back with overtime, no same-day service for days after; SIMKIM 2.0,
2019: "3 days -> 1-2 weeks" at Jember). Which one happened is written in the
agency's own applications at the office: whose passport was printed when,
and who, having paid before or during the outage, is still waiting.

So after a recorded end each **hypothesis** (no ramp, or one of the
:data:`~grouppass.queue.RAMP_LEVELS`; with each of the
:data:`~grouppass.queue.OVERTIME_LEVELS` after it) gets a prior weight
(:data:`PRIOR`), and each application whose service started since shortly
before the outage is evidence: under a hypothesis the office's queue up to
``as_of`` is known (every other outage that could matter then is known too,
or has not begun), so the chance of what was seen is exact:

* still waiting at ``as_of``: P(printed after ``as_of``);
* printed on day ``i``: P(printed within :data:`NEAR_DAYS` of ``i``).

Each probability is floored at :data:`FLOOR_P` (a record can be wrong, or
late for a reason the model does not know), and members who went to the
counter together count as the square root of their number: their fates
share one queue, so ten of them are not ten independent witnesses. The
posterior, floored at :data:`POSTERIOR_FLOOR` per hypothesis so that nothing
is ruled out for good, is what each scenario's ramp and overtime are drawn
from.

docs/forecast.md ("The queue after an outage, and the ramp") says the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from attrs import frozen

from grouppass.finish import Entry, OfficeFinish
from grouppass.model import Application
from grouppass.queue import OVERTIME_LEVELS, RAMP_LEVELS, OfficeQueue
from grouppass.service import ServiceTime

__all__ = [
    "EVIDENCE_DAYS",
    "HYPOTHESES",
    "PRIOR",
    "RAMPS",
    "RAMP_PRIOR",
    "Seen",
    "draw_levels",
    "posterior",
    "seen_at",
]

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

RAMPS: tuple[int, ...] = (-1, *range(len(RAMP_LEVELS)))
"""No ramp (-1), then each of :data:`~grouppass.queue.RAMP_LEVELS` by index."""
RAMP_PRIOR: tuple[float, ...] = (0.4, 0.15, 0.15, 0.15, 0.15)
"""Before any evidence: no ramp as likely as not quite (overtime often makes up for a
slow start, FACTS.md's PDN and SIMKIM rows), the rest shared evenly."""
HYPOTHESES: tuple[tuple[int, int], ...] = tuple(
    (r, o) for r in RAMPS for o in range(len(OVERTIME_LEVELS))
)
"""(ramp level, overtime level) pairs: how fast printing came back, and how hard the
office then worked to clear the backlog."""
PRIOR: tuple[float, ...] = tuple(
    RAMP_PRIOR[RAMPS.index(r)] / len(OVERTIME_LEVELS) for r, _ in HYPOTHESES
)
"""The ramp's prior times an even one over the overtime levels."""
EVIDENCE_DAYS = 90
"""A recorded end this many days before as_of or more is left as it is: whatever ramp
there was is over, and the backlog with it."""
NEAR_DAYS = 2
"""A recorded issue day agrees with a hypothesis that prints it this close."""
FLOOR_P = 0.02
"""No single record can rule a hypothesis out."""
POSTERIOR_FLOOR = 0.02
"""Every hypothesis keeps at least this weight after the evidence."""
BEFORE_DAYS = 30
"""Service that started this long before the outage was printed before it: no evidence."""


@frozen
class Seen:
    """Applications of the office with the same service day and outcome."""

    service: int
    """Grid day service started (the later of recording and payment)."""
    issued: int
    """Grid day printed, or -1: not printed by as_of."""
    count: int


def seen_at(
    applications: Sequence[tuple[Application, int]],
    origin: dt.date,
    as_of: dt.date,
    since: dt.date,
) -> list[Seen]:
    """What the agency's own applications say: service started on or after ``since`` and
    by ``as_of``, printed when (or not yet). Express applications are left out."""
    found: dict[tuple[int, int], int] = {}
    for app, n in applications:
        if app.express or app.recorded is None or app.paid is None:
            continue
        service = max(app.recorded, app.paid)
        if service > as_of or service < since or service < origin:
            continue
        issued = -1
        if app.issued is not None and app.issued <= as_of:
            issued = (app.issued - origin).days
        key = ((service - origin).days, issued)
        found[key] = found.get(key, 0) + n
    return [Seen(s, i, n) for (s, i), n in sorted(found.items())]


def posterior(
    build: Callable[[int, int], OfficeQueue],
    issue: ServiceTime,
    collect: ServiceTime,
    seen: Sequence[Seen],
    as_of: int,
) -> FloatArray:
    """Weight of each of :data:`HYPOTHESES` given ``seen``; ``build(ramp, overtime)`` is
    the office's queue, one row, with the recorded end followed by that ramp."""
    log_w = np.log(np.array(PRIOR))
    if seen:
        entries = [Entry(s.service, False) for s in seen]
        observed = np.array([s.issued for s in seen])[:, None]
        weight = np.sqrt(np.array([s.count for s in seen], dtype=np.float64))
        for h, (level, extra) in enumerate(HYPOTHESES):
            finish = OfficeFinish(build(level, extra), issue, collect, 0)
            issued, w = finish.issue_days(entries)
            days = issued[:, 0, :]
            p_wait = ((days > as_of) * w[None, :]).sum(axis=1)
            p_near = ((np.abs(days - observed) <= NEAR_DAYS) * w[None, :]).sum(axis=1)
            p = np.where(observed[:, 0] < 0, p_wait, p_near)
            log_w[h] += float(weight @ np.log(np.maximum(p, FLOOR_P)))
    out = np.exp(log_w - log_w.max())
    out /= out.sum()
    out = np.maximum(out, POSTERIOR_FLOOR)
    normal: FloatArray = out / out.sum()
    return normal


def draw_levels(weights: FloatArray, u: FloatArray) -> tuple[IntArray, IntArray]:
    """The ramp level (-1: none) and overtime level per scenario, one uniform ``u`` each."""
    at = np.searchsorted(np.cumsum(weights), u, side="right")
    index = np.minimum(at, len(HYPOTHESES) - 1)
    pairs = np.array(HYPOTHESES, dtype=np.int32)[index]
    return np.ascontiguousarray(pairs[:, 0]), np.ascontiguousarray(pairs[:, 1])
