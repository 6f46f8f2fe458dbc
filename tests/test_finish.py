"""OfficeFinish: a group's P(on time) and distributions share one finish table."""

from __future__ import annotations

import numpy as np
import pytest

from grouppass.finish import Entry, OfficeFinish, Terms
from grouppass.queue import OfficeQueue
from grouppass.service import ServiceTime

# Six working days a week over twelve weeks, no outage: every row the same world.
WORKING = np.array([d % 7 != 6 for d in range(84)])


def office(keep_last: bool) -> OfficeFinish:
    queue = OfficeQueue(WORKING, [], samples=50, capacity=100.0, intake=80.0, issue_lag=3)
    issue = ServiceTime(2, np.array([0.2, 0.5, 0.3]))  # 2, 3 or 4 working days
    collect = ServiceTime(0, np.array([0.6, 0.4]))  # the same or the next open day
    return OfficeFinish(queue, issue, collect, 1, keep_last=keep_last)


ENTRIES = [Entry(0, False), Entry(3, False), Entry(10, True), Entry(5, False, True)]


def terms(deadlines: list[int]) -> Terms:
    """One request per (entry, deadline), weight 1."""
    pairs = [(e, d) for e in range(len(ENTRIES)) for d in deadlines]
    req = np.arange(len(pairs), dtype=np.int64)
    ent = np.array([e for e, _ in pairs], dtype=np.int64)
    day = np.array([d for _, d in pairs], dtype=np.int64)
    return req, ent, day, np.ones(len(pairs))


@pytest.mark.parametrize("keep_last", [False, True])
def test_p_and_distribution_of_the_same_entries(
    keep_last: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    finish = office(keep_last)
    computed: list[int] = []
    compute = OfficeFinish._compute_finish

    def counted(self: OfficeFinish, entries: list[Entry]) -> object:
        computed.append(len(entries))
        return compute(self, entries)

    monkeypatch.setattr(OfficeFinish, "_compute_finish", counted)
    deadlines = [9, 10, 11, 20]
    p = finish.on_time(ENTRIES, terms(deadlines), len(ENTRIES) * len(deadlines))
    pooled = finish.pooled(ENTRIES)
    # Kept for the next call with the very same entries, and only then.
    assert computed == ([4] if keep_last else [4, 4])
    finish.pooled(ENTRIES[:2])
    assert computed[-1] == 2

    # What a finish that keeps nothing works out, number for number.
    plain = office(False)
    assert np.array_equal(p, plain.on_time(ENTRIES, terms(deadlines), len(p)))
    for (first, dist), (first0, dist0) in zip(pooled, plain.pooled(ENTRIES), strict=True):
        assert first == first0 and np.array_equal(dist, dist0)
    # By hand: printed on day 10 (an open day), collected the same open day (0.6) or
    # the next (0.4), in every row.
    printed = ENTRIES.index(Entry(10, True))
    by_deadline = p[printed * len(deadlines) : (printed + 1) * len(deadlines)]
    assert np.allclose(by_deadline, np.array([0.0, 0.6, 1.0, 1.0])[:, None])
    first, dist = pooled[printed]  # padded to the widest entry's span
    assert first == 10 and np.allclose(dist[:2], [0.6, 0.4]) and not dist[2:].any()
