"""The newest figures per group, and which ones are on their way: a plain, testable class.

Figures arrive out of order from several workers (the open group after a
save, the whole agency in batches). The cache keeps, per group, the figures
computed from the newest data, and prefers figures with per-date
distributions (the member chart needs them) over the same data without.
Beside them it keeps what the forecast believes of each known disruption's
recovery (the same in every assessment of one day and data, whichever
groups it covered), for the screens that name a disruption.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from grouppass.results import GroupAssessment, RecoveryOutlook

__all__ = ["FiguresCache"]


class FiguresCache:
    """Figures per group id for one as-of day; main thread only."""

    def __init__(self) -> None:
        self.groups: dict[str, GroupAssessment] = {}
        """The newest figures per group id."""
        self._rev: dict[str, int] = {}
        self._full: set[str] = set()
        self._pending: set[tuple[str, dt.date, int]] = set()
        self.recoveries: dict[str, RecoveryOutlook] = {}
        """The forecast's belief about each known disruption's recovery, by disruption id."""
        self._recoveries_rev = -1

    def clear(self) -> None:
        """Forget every figure (a new as-of day, a reload): nothing old may show as current."""
        self.groups.clear()
        self._rev.clear()
        self._full.clear()
        self.recoveries.clear()
        self._recoveries_rev = -1

    def take_recoveries(self, data_rev: int, outlooks: Iterable[RecoveryOutlook]) -> bool:
        """Keep the recovery beliefs of the newest data; True if they were taken."""
        if data_rev < self._recoveries_rev:
            return False
        self.recoveries = {r.disruption_id: r for r in outlooks}
        self._recoveries_rev = data_rev
        return True

    def retain(self, group_ids: Iterable[str]) -> bool:
        """Forget the figures of groups no longer in the data; True if any were dropped."""
        keep = set(group_ids)
        gone = [g for g in self.groups if g not in keep]
        for gid in gone:
            del self.groups[gid]
            self._rev.pop(gid, None)
            self._full.discard(gid)
        return bool(gone)

    def has_distributions(self, group_id: str) -> bool:
        return group_id in self._full and group_id in self.groups

    def take(self, data_rev: int, figures: Iterable[GroupAssessment], *, full: bool) -> bool:
        """Keep the figures that are newer than what is held; True if any were kept.

        A slow whole-agency run must not overwrite figures a later save
        produced, nor figures with distributions by the same figures without.
        """
        changed = False
        for f in figures:
            gid = f.group_id
            seen = self._rev.get(gid, -1)
            if data_rev < seen or (data_rev == seen and not full and gid in self._full):
                continue
            self.groups[gid] = f
            self._rev[gid] = data_rev
            if full:
                self._full.add(gid)
            else:
                self._full.discard(gid)
            changed = True
        return changed

    def is_pending(self, key: tuple[str, dt.date, int]) -> bool:
        return key in self._pending

    def pending(self, key: tuple[str, dt.date, int]) -> None:
        """A worker is computing these figures: do not ask again."""
        self._pending.add(key)

    def arrived(self, keys: Iterable[tuple[str, dt.date, int]]) -> None:
        self._pending.difference_update(keys)

    def __len__(self) -> int:
        return len(self.groups)
