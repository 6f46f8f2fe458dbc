"""After a recovery: overtime in the queue, and the ramp learned from who is waiting.

Every expected value is worked out by hand from the fluid queue (capacity 10,
intake 8 on every day, no issue lag) or from the posterior's rule.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import attrs
import numpy as np
import pytest

from grouppass import ramp
from grouppass.assess import assess
from grouppass.formats import load_scenario
from grouppass.model import Application, Scenario
from grouppass.queue import OVERTIME_LEVELS, OfficeQueue, Stop
from grouppass.service import ServiceTime

SIZE = 80
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _queue(end: int, *, overtime: list[int], ramp_level: int = -1, start: int = 10) -> OfficeQueue:
    n = len(overtime)
    stop = Stop(
        np.full(n, start, np.int32),
        np.full(n, end, np.int32),
        0.0,
        False,
        np.full(n, ramp_level, np.int32),
    )
    return OfficeQueue(
        np.ones(SIZE, dtype=bool),
        [stop],
        samples=n,
        capacity=10.0,
        intake=8.0,
        issue_lag=0,
        overtime=np.array(overtime, np.int32),
    )


class TestOvertime:
    def test_the_backlog_clears_faster_with_overtime(self) -> None:
        """Printing stops on days 10-29: 20 days x 8 = 160 wait. Paid on day 29, a member
        needs the printed count to reach 8 x 30 = 240; 80 were printed by day 9, so 160
        more from day 30 at 10 x overtime a day: 16 days at 1.0 (day 45), 160 / 11.5 =
        13.9 -> 14 days at 1.15 (day 43), 160 / 13 = 12.3 -> 13 days at 1.3 (day 42)."""
        assert OVERTIME_LEVELS == (1.0, 1.15, 1.3)
        q = _queue(30, overtime=[0, 1, 2])
        assert q.rows == 3
        assert [int(q.clear[q.inverse[s], 29]) for s in range(3)] == [45, 43, 42]

    def test_without_a_backlog_overtime_changes_nothing(self) -> None:
        """Paid on day 5, before the outage: printed that day (48 due, 10 a day), at any
        overtime; and with no outage at all there is one world, not three."""
        q = _queue(30, overtime=[0, 1, 2])
        assert [int(q.clear[q.inverse[s], 5]) for s in range(3)] == [5, 5, 5]
        calm = OfficeQueue(
            np.ones(SIZE, dtype=bool),
            [],
            samples=3,
            capacity=10.0,
            intake=8.0,
            issue_lag=0,
            overtime=np.array([0, 1, 2], np.int32),
        )
        assert calm.rows == 1
        assert int(calm.clear[0, 40]) == 40


PRINTED = {
    (-1, 0): 45, (-1, 1): 43, (-1, 2): 42,
    (0, 0): 46, (0, 1): 44, (0, 2): 43,
    (1, 0): 47, (1, 1): 45, (1, 2): 44,
    (2, 0): 49, (2, 1): 48, (2, 2): 47,
    (3, 0): 51, (3, 1): 50, (3, 2): 50,
}  # fmt: skip
"""The day a member paid on day 29 is printed, per (ramp level, overtime level), by hand:
160 to print from day 30; on ramp day k (0 on the day printing resumes) the office
prints 10 x (rho + (1 - rho) k / span), once the ramp is over 10 x overtime. Quick
ramp (0.75, 3) at 1.3: 7.5 + 8.33 + 9.17 = 25 by day 32, then 135 / 13 = 10.4 -> 11
days: day 43. Slow (0.3, 10) at 1.0: 0.3 x 10 + 0.7 x 45 / 10 x 10 = 61.5 by day 39,
then 98.5 / 10 -> 10 days: day 49."""


def _build(level: int, extra: int) -> OfficeQueue:
    return _queue(30, overtime=[extra], ramp_level=level)


def _expected(likelihood: dict[tuple[int, int], float]) -> np.ndarray:
    raw = np.array([p * likelihood[h] for h, p in zip(ramp.HYPOTHESES, ramp.PRIOR, strict=True)])
    raw /= raw.sum()
    out: np.ndarray = np.maximum(raw, ramp.POSTERIOR_FLOOR)
    out /= out.sum()
    return out


class TestPosterior:
    def test_each_hypothesis_queue_prints_when_worked_out_by_hand(self) -> None:
        assert set(PRINTED) == set(ramp.HYPOTHESES)
        got = {h: int(_build(*h).clear[0, 29]) for h in ramp.HYPOTHESES}
        assert got == PRINTED

    def test_waiting_members_rule_out_a_quick_recovery(self) -> None:
        """A batch of four paid on day 29, still waiting at as_of 44: impossible (0.02,
        the floor) wherever they would have been printed by day 44, counted sqrt(4) = 2
        times; every other hypothesis keeps its prior. Then the 0.02 floor."""
        seen = [ramp.Seen(service=29, issued=-1, count=4)]
        got = ramp.posterior(_build, *_fixed(), seen, as_of=44)
        expected = _expected({h: 1.0 if d > 44 else ramp.FLOOR_P**2 for h, d in PRINTED.items()})
        assert got == pytest.approx(expected)
        no_ramp = ramp.HYPOTHESES.index((-1, 2))
        assert got[no_ramp] < 0.021

    def test_a_member_printed_on_time_speaks_for_a_quick_recovery(self) -> None:
        """Printed on day 45: the hypotheses that print within two days of it (43-47)
        keep their prior; the rest get the floor."""
        seen = [ramp.Seen(service=29, issued=45, count=1)]
        got = ramp.posterior(_build, *_fixed(), seen, as_of=50)
        expected = _expected(
            {h: 1.0 if abs(d - 45) <= 2 else ramp.FLOOR_P for h, d in PRINTED.items()}
        )
        assert got == pytest.approx(expected)

    def test_no_evidence_is_the_prior(self) -> None:
        got = ramp.posterior(_build, *_fixed(), [], as_of=44)
        assert got == pytest.approx(np.array(ramp.PRIOR))
        assert math.isclose(sum(ramp.PRIOR), 1.0)

    def test_draws_follow_the_weights(self) -> None:
        weights = np.zeros(len(ramp.HYPOTHESES))
        weights[ramp.HYPOTHESES.index((2, 1))] = 0.25
        weights[ramp.HYPOTHESES.index((-1, 0))] = 0.75
        u = (np.arange(8) + 0.5) / 8
        levels, overtime = ramp.draw_levels(weights, u)
        assert sorted(zip(levels.tolist(), overtime.tolist(), strict=True)) == (
            [(-1, 0)] * 6 + [(2, 1)] * 2
        )


def _fixed() -> tuple[ServiceTime, ServiceTime]:
    return ServiceTime.fixed(0), ServiceTime.fixed(0)


def test_seen_takes_the_records_known_at_as_of() -> None:
    """Service is the later of recording and payment; an issue date after as_of is not
    known yet; express and unpaid applications say nothing of the queue."""
    origin, as_of = dt.date(2024, 6, 1), dt.date(2024, 6, 27)
    d = dt.date
    apps = [
        (Application("TPR", recorded=d(2024, 6, 10), paid=d(2024, 6, 12)), 3),
        (
            Application("TPR", recorded=d(2024, 6, 12), paid=d(2024, 6, 11), issued=d(2024, 6, 28)),
            2,
        ),
        (Application("TPR", recorded=d(2024, 6, 5), paid=d(2024, 6, 5), issued=d(2024, 6, 26)), 1),
        (Application("TPR", recorded=d(2024, 6, 20), paid=d(2024, 6, 20), express=True), 4),
        (Application("TPR", recorded=d(2024, 6, 20)), 5),
        (Application("TPR", recorded=d(2024, 5, 1), paid=d(2024, 5, 1), issued=d(2024, 5, 3)), 6),
    ]
    got = ramp.seen_at(apps, origin, as_of, since=d(2024, 6, 2))
    assert got == [ramp.Seen(4, 25, 1), ramp.Seen(11, -1, 5)]


class TestLearnedAtTheOffice:
    """The PDN story on 27 June 2024, the day after printing resumed at every office."""

    @staticmethod
    def _with_witnesses(issued: dt.date | None) -> Scenario:
        """Another group's six at Tanjung Perak, recorded and paid on 14 June (before the
        outage, so they are first in the queue once printing resumes): printed on the
        26th, or still waiting on the 27th."""
        scenario = load_scenario(EXAMPLES / "pdn-2024.json")
        (group,) = scenario.groups
        template = group.members[0]
        day = dt.date(2024, 6, 14)
        app = Application("TPR", booked=day, recorded=day, paid=day, issued=issued)
        witnesses = tuple(
            attrs.evolve(template, id=f"w{i}", name=f"Saksi Nomor {i}", application=app)
            for i in range(6)
        )
        other = attrs.evolve(group, id="witness", name="Saksi", members=witnesses)
        return attrs.evolve(scenario, groups=(group, other))

    def test_passports_still_waiting_make_the_group_later(self) -> None:
        """Printed on the 26th, the six say nothing any hypothesis disagrees with, and
        the figures are the prior's; still waiting on the 27th, they rule out a quick
        recovery, and the same group's chance falls."""
        as_of = dt.date(2024, 6, 27)
        printed = assess(self._with_witnesses(dt.date(2024, 6, 26)), as_of, samples=300)
        waiting = assess(self._with_witnesses(None), as_of, samples=300)
        p_printed = printed.groups[0].p_on_time
        p_waiting = waiting.groups[0].p_on_time
        assert p_waiting < p_printed - 0.05
