"""How figures are written for people: one probability format, one symbol per risk.

The text plan (``grouppass check``), exports and the TUI show the same
numbers the same way (issue 9.7): ``>99%`` and ``<1%`` rather than a
misleading 100% or 0%, and a percentage that never contradicts the risk word
beside it (``90%`` next to ``at_risk`` with a 90% target would say both).

>>> percent(0.8996, target=0.9), percent(0.8996), percent(0.9995), percent(1.0)
('89%', '90%', '>99%', '100%')
>>> RISK_SYMBOL[Risk.AT_RISK]
'▲'
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from grouppass.results import Risk

__all__ = ["NO_FIGURE", "RISK_SYMBOL", "percent"]

RISK_SYMBOL: Mapping[Risk, str] = {
    Risk.READY: "✓",
    Risk.ON_TRACK: "●",
    Risk.AT_RISK: "▲",
    Risk.LATE: "✗",
}
"""One shape per level, distinct in outline so they read without colour."""

NO_FIGURE = "–"
"""Shown where there is no probability (an option not worked out)."""


def percent(p: float | None, *, target: float | None = None) -> str:
    """``42%``; ``<1%`` and ``>99%`` for what is close to, but not, impossible or certain.

    With ``target`` (the rules' target probability), the number is rounded
    towards ``p`` when plain rounding would cross a risk boundary (the target,
    or the 50% below which a member is late): 0.8996 against a 90% target is
    ``89%``, because the member is ``at_risk``, and 0.4996 is ``49%``.

    >>> percent(None), percent(0.0), percent(0.004), percent(0.4996, target=0.9)
    ('–', '0%', '<1%', '49%')
    """
    if p is None or math.isnan(p):
        return NO_FIGURE
    if p >= 1.0:
        return "100%"
    if p <= 0.0:
        return "0%"
    if p < 0.01:
        return "<1%"
    if p > 0.99:
        return ">99%"
    n = round(p * 100)
    if target is not None:
        word = Risk.from_probability(p, target)
        # Step towards p until the shown number carries the same word: a step or two
        # at most, as p itself lies between the two whole percents either side.
        for _ in range(2):
            if Risk.from_probability(n / 100, target) is word:
                break
            n += -1 if n / 100 > p else 1
    return f"{n}%"
