"""Hypothesis strategies for values the model accepts, built from grouppass.limits.

Kept beside gp_builders.py so every property test draws from the same ranges
the readers enforce: widen a limit and the tests explore the new values.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from grouppass import limits
from grouppass.text import unsafe_character

__all__ = ["dates", "nik", "passport_number", "safe_text", "whole", "within"]


def safe_text(
    *, min_size: int = 0, max_size: int = 20, blank: bool = True
) -> st.SearchStrategy[str]:
    """Text with no character the inputs refuse (controls, bidi overrides...)."""
    # The rule is per character: filtered per character, not per string (a string of 20
    # from all of Unicode is seldom clean whole, and hypothesis gives up on the test).
    safe = st.characters(codec="utf-8").filter(lambda c: unsafe_character(c) is None)
    text = st.text(alphabet=safe, min_size=min_size, max_size=max_size)
    return text if blank else text.filter(lambda s: bool(s.strip()))


def dates(
    low: dt.date = limits.DATES.low, high: dt.date = limits.DATES.high
) -> st.SearchStrategy[dt.date]:
    return st.dates(min_value=max(low, limits.DATES.low), max_value=min(high, limits.DATES.high))


def within(limit: limits.Limit[float]) -> st.SearchStrategy[float]:
    """Floats inside ``limit``, its ends included unless it is open there."""
    return st.floats(
        min_value=float(limit.low),
        max_value=float(limit.high),
        exclude_min=limit.low_open,
        exclude_max=limit.high_open,
        allow_nan=False,
    )


def whole(limit: limits.Limit[int]) -> st.SearchStrategy[int]:
    return st.integers(min_value=int(limit.low), max_value=int(limit.high))


passport_number = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=5, max_size=20)
nik = st.text(alphabet="0123456789", min_size=16, max_size=16)
