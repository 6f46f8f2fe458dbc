"""The last stages of an application at one office: issuance and collection, per row.

Everything before issuance ends in a **service day** (the later of recording
and payment); from there, per row of the office's world (:mod:`grouppass.queue`)
and per whole number of issue days, the passport is printed on the first
printing day on or after the later of "ready" (the issue days done), "its
turn in the queue" and tomorrow; it is in hand the number of collection days
later, counted in the office's open days. Given a row, that is a small
discrete distribution over open days: exact.

Many applications share a service day (a group at the counter together;
everyone who starts today), so the work is done once per service day: a
cumulative distribution per row, from which P(in hand by any deadline) is a
lookup. An application printed already (waiting to be collected) is the
same with its issue day known.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from grouppass.queue import OfficeQueue
from grouppass.service import ServiceTime

__all__ = ["Entry", "OfficeFinish", "Terms", "add_days"]

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]

_CHUNK = 1_000_000
"""Elements per vectorised step (entries x rows x values): bounds memory."""
_KEPT_BYTES = 4_000_000
"""The largest finish table kept for the next call with the same entries."""


def add_days(
    count: IntArray, nth: IntArray, rows: IntArray, day: IntArray, n: IntArray
) -> IntArray:
    """The ``n``-th counted day after ``day`` (``n == 0``: ``day`` or the next counted one).

    ``count``/``nth`` are per-row tables (:func:`grouppass.queue.count_tables`); a
    single-row table serves every row.
    """
    if count.shape[0] == 1:
        rows = np.zeros((1,) * day.ndim, dtype=np.int32)
    target = np.maximum(count[rows, day] + n, count[rows, np.maximum(day - 1, 0)] + 1)
    out: IntArray = nth[rows, np.minimum(target, nth.shape[1] - 1)]
    return out


Terms = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], FloatArray]
"""Request index, entry index, deadline day and weight per term, as columns."""


class Entry(NamedTuple):
    """Where the last stages begin: a service day, or an issue day already known."""

    day: int
    printed: bool
    """``day`` is the issue day (waiting to be collected), not the service day."""
    express: bool = False


class OfficeFinish:
    """Issuance and collection at one office, for many entries at once."""

    def __init__(
        self,
        queue: OfficeQueue,
        issue: ServiceTime,
        collect: ServiceTime,
        floor: int,
        *,
        keep_last: bool = False,
    ) -> None:
        self.q = queue
        self.issue = issue
        self.collect = collect
        self.floor = floor
        rows = np.arange(queue.rows, dtype=np.int32)
        self._rows = rows
        self._oc_rows = rows if queue.open_count.shape[0] > 1 else np.zeros_like(rows)
        first = add_days(
            queue.open_count,
            queue.open_nth,
            rows[:, None],
            np.full((queue.rows, 1), floor, np.int32),
            np.zeros((queue.rows, 1), np.int32),
        )[:, 0]
        # Open-day number of the first day anything can be collected on, per row.
        self._floor_open = queue.open_count[self._oc_rows, first]
        # With ``keep_last``, the last entries' finish: P(on time) and the distributions
        # of a group's starts ask for the very same tables one after the other (a third
        # of the TUI's reassessment after a save). Not for a whole agency's check: one
        # table left per office was 115 MB more at the peak.
        self._keep_last = keep_last
        self._last: tuple[tuple[Entry, ...], tuple[IntArray, FloatArray, int]] | None = None

    def issue_days(self, entries: Sequence[Entry]) -> tuple[IntArray, FloatArray]:
        """Issue day per (entry, row, issue value) and the values' weights."""
        q = self.q
        i_val, i_w = self.issue.values, self.issue.weights
        rows = self._rows[None, :, None]
        day = np.array([e.day for e in entries], dtype=np.int32)[:, None, None]
        printed = np.array([e.printed for e in entries])[:, None, None]
        express = np.array([e.express for e in entries])[:, None, None]
        x = np.broadcast_to(day, (len(entries), q.rows, 1))
        if q.closes:
            # Counters closed: recording waits for the next open day.
            x = add_days(q.open_count, q.open_nth, rows, x, np.zeros_like(x))
        ready = add_days(q.work_count, q.work_nth, rows, x, i_val[None, None, :])
        queued = q.clear[rows, np.minimum(x, q.last)]
        earliest = np.minimum(np.maximum(np.maximum(ready, queued), self.floor), q.last)
        issued = q.next_print[rows, earliest]
        if express.any():
            fast = q.next_full[rows, np.minimum(np.maximum(x, self.floor), q.last)]
            issued = np.where(express, fast, issued)
        if printed.any():
            issued = np.where(printed, np.broadcast_to(day, issued.shape), issued)
        return issued, i_w

    def _finish(self, entries: Sequence[Entry]) -> tuple[IntArray, FloatArray, int]:
        """Per (entry, row): the first possible open-day number of being in hand and the
        distribution over the days after it, as a CDF of width ``W``. Read only."""
        if not self._keep_last:
            return self._compute_finish(entries)
        key = tuple(entries)
        last = self._last  # read once: another thread may set it meanwhile
        if last is not None and last[0] == key:
            return last[1]
        found = self._compute_finish(entries)
        # Small ones only: a group's starts, not a chunk of a whole office's.
        self._last = (key, found) if found[1].nbytes <= _KEPT_BYTES else None
        return found

    def _compute_finish(self, entries: Sequence[Entry]) -> tuple[IntArray, FloatArray, int]:
        q = self.q
        issued, i_w = self.issue_days(entries)
        printed = np.array([e.printed for e in entries])
        w_i = np.where(printed[:, None], np.eye(1, len(i_w))[0][None, :], i_w[None, :])
        rows = self._oc_rows[None, :, None]
        opened = add_days(q.open_count, q.open_nth, rows, issued, np.zeros_like(issued))
        c_val, c_w = self.collect.values, self.collect.weights
        # In hand c open days after the issue day (or the next open day), and never on
        # or before as_of: what would have come earlier comes on the first open day.
        done = q.open_count[rows, opened][..., None] + c_val[None, None, None, :]
        done = np.maximum(done, self._floor_open[None, :, None, None])
        f0 = done.min(axis=(2, 3))
        rel = done - f0[:, :, None, None]
        width = int(rel.max(initial=0)) + 1
        n, r = f0.shape
        cells = (np.arange(n * r, dtype=np.int64) * width).reshape(n, r, 1, 1)
        weight = np.broadcast_to(w_i[:, None, :, None] * c_w[None, None, None, :], done.shape)
        pmf = np.bincount((cells + rel).ravel(), weights=weight.ravel(), minlength=n * r * width)
        cdf: FloatArray = np.cumsum(pmf.reshape(n, r, width), axis=2, dtype=np.float64)
        f0_out: IntArray = f0.astype(np.int32)
        return f0_out, cdf, width

    def on_time(self, entries: Sequence[Entry], terms: Terms, requests: int) -> FloatArray:
        """P(in hand by the deadline | row) per request.

        ``terms`` are (request index, entry index, deadline day, weight) as columns,
        grouped by request (a request's terms are consecutive and share its deadline):
        each request is a weighted sum over the entries it may go through.
        """
        q = self.q
        out = np.zeros((requests, q.rows))
        req, ent, day, weight = terms
        if len(req) == 0:
            return out
        # The deadline as an open-day number, once per request (its terms share it).
        first_term = np.flatnonzero(np.diff(req, prepend=-1))
        # A deadline before the first day of the grid has passed for everyone: -1 open days.
        first_day = day[first_term]
        deadline_open = np.where(
            first_day[:, None] >= 0,
            q.open_count[self._oc_rows[None, :], np.clip(first_day, 0, q.last)[:, None]],
            -1,
        ).astype(np.int64)
        run_of = np.cumsum(np.diff(req, prepend=-1) != 0) - 1
        rows = self._rows.astype(np.int64)[None, :]
        for lo, hi in self._chunks(len(entries)):
            f0, cdf, width = self._finish(entries[lo:hi])
            mine = np.flatnonzero((ent >= lo) & (ent < hi))
            if len(mine) == 0:
                continue
            # A leading column of zeros: "before the first possible day" needs no test.
            padded = np.zeros((hi - lo, q.rows, width + 1))
            padded[:, :, 1:] = cdf
            # Terms x rows at a time, cut where a request's terms begin (so each
            # request's terms are summed in one reduceat, as without the cut).
            starts = np.flatnonzero(np.diff(req[mine], prepend=-1))
            per = max(1, _CHUNK // q.rows)
            cuts = [0]
            # Greedy: the next cut is the first request start at least ``per`` terms
            # on. ``starts`` is increasing, so a binary search finds it (a Python walk
            # over an office's tens of thousands of starts cost more than the sums).
            while (at := int(np.searchsorted(starts, cuts[-1] + per))) < len(starts):
                cuts.append(int(starts[at]))
            cuts.append(len(mine))
            for a, b in itertools.pairwise(cuts):
                part = mine[a:b]
                e = ent[part] - lo
                k = deadline_open[run_of[part]] - f0[e].astype(np.int64)
                # k + 1 clipped to [0, width], in place: np.clip on arrays this size
                # costs about three times as much.
                k += 1
                np.maximum(k, 0, out=k)
                np.minimum(k, width, out=k)
                # The cell index, built in place: terms x rows temporaries are the cost.
                flat = e[:, None] * q.rows + rows
                flat *= width + 1
                flat += k
                value = padded.ravel()[flat]
                value *= weight[part, None]
                runs = np.flatnonzero(np.diff(req[part], prepend=-1))
                out[req[part][runs]] += np.add.reduceat(value, runs, axis=0)
        return out

    def pooled(self, entries: Sequence[Entry]) -> list[tuple[int, FloatArray]]:
        """Per entry, the in-hand day's distribution pooled over rows (calendar days)."""
        q = self.q
        nth_rows = self._oc_rows[None, :, None]
        last_open = q.open_nth.shape[1] - 1
        out: list[tuple[int, FloatArray]] = []
        for lo, hi in self._chunks(len(entries)):
            f0, cdf, width = self._finish(entries[lo:hi])
            pmf = np.diff(cdf, axis=2, prepend=0.0) * q.row_weight[None, :, None]
            open_no = f0[:, :, None] + np.arange(width)[None, None, :]
            days = q.open_nth[nth_rows, np.minimum(open_no, last_open)].astype(np.int64)
            days = np.where(pmf > 1e-12, days, np.int64(q.size))
            first = days.min(axis=(1, 2))
            rel = np.where(days < q.size, days - first[:, None, None], 0)
            span = int(rel.max(initial=0)) + 1
            n = hi - lo
            index = (np.arange(n)[:, None, None] * span + rel).ravel()
            dist = np.bincount(index, weights=pmf.ravel(), minlength=n * span).reshape(n, span)
            for j in range(n):
                out.append((int(first[j]), dist[j] / dist[j].sum()))
        return out

    def _chunks(self, n: int) -> list[tuple[int, int]]:
        per = self.q.rows * max(len(self.issue.values), 1) * max(len(self.collect.values), 1)
        size = max(1, _CHUNK // max(per, 1))
        return [(lo, min(lo + size, n)) for lo in range(0, n, size)]
