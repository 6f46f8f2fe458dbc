"""The figures cache: newest data wins, distributions are kept, gone groups are dropped."""

from __future__ import annotations

import datetime as dt

from grouppass_tui.figures import FiguresCache

from grouppass.results import GroupAssessment, Risk

DEP = dt.datetime(2018, 5, 15, 9, tzinfo=dt.UTC)


def figures(group_id: str, p: float) -> GroupAssessment:
    return GroupAssessment(group_id, group_id, DEP, dt.date(2018, 4, 24), Risk.ON_TRACK, p, ())


class TestFiguresCache:
    def test_a_slow_older_run_never_overwrites_a_newer_save(self) -> None:
        cache = FiguresCache()
        assert cache.take(5, [figures("a", 0.9)], full=True)
        assert not cache.take(4, [figures("a", 0.1)], full=False)  # computed from older data
        assert cache.groups["a"].p_on_time == 0.9

    def test_distributions_are_not_replaced_by_the_same_data_without(self) -> None:
        cache = FiguresCache()
        cache.take(5, [figures("a", 0.9)], full=True)
        assert not cache.take(5, [figures("a", 0.8)], full=False)
        assert cache.has_distributions("a")
        assert cache.take(6, [figures("a", 0.7)], full=False)  # newer data: taken, no charts
        assert not cache.has_distributions("a") and cache.groups["a"].p_on_time == 0.7

    def test_retain_and_pending(self) -> None:
        cache = FiguresCache()
        cache.take(1, [figures("a", 0.9), figures("b", 0.5)], full=True)
        assert cache.retain(["a"]) and set(cache.groups) == {"a"}
        assert not cache.retain(["a"])
        key = ("a", dt.date(2018, 3, 15), 1)
        cache.pending(key)
        assert cache.is_pending(key)
        cache.arrived([key])
        assert not cache.is_pending(key)
        cache.clear()
        assert len(cache) == 0
