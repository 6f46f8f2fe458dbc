"""``grouppass db repair``: get a damaged database back without losing what its log holds.

* When the change log checks out from its first line to its last (and is
  not behind its high-water mark), only the snapshot is damaged or missing:
  it is rebuilt by replaying the log, and every record keeps its version.
* Otherwise the best base that can be had (the snapshot as it is, or the
  newest good backup) gets the log lines after it that check out, and the
  result is the first change of a new log, numbered after every change ever
  acknowledged (see :mod:`._lineage`).

Nothing is deleted: damaged files are copied aside as ``<name>.damaged-<time>``.
A repair that cannot recover every acknowledged change says how many it
loses and is refused unless the loss is accepted (``accept_loss=True``,
``--yes``): a newer copy of the log, if there is one, should be put back
instead. The plan alone is :func:`plan_repair` (reads only).

>>> import datetime as dt
>>> from grouppass.store.repair import plan_repair, repair
>>> now = lambda: dt.datetime(2018, 3, 16, 9, 0, tzinfo=dt.UTC)
>>> _ = Path("agency.json").write_text('{"_default": {')  # the snapshot, cut short
>>> print(plan_repair(Path("agency.json")).describe())
rebuilds agency.json by replaying its change log (change #1): nothing acknowledged is lost
>>> repair(Path("agency.json"), clock=now).revision
1
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from attrs import frozen

from grouppass._files import NotDurableError, Probe
from grouppass.store._atomic import remove_temp_files, write_atomic
from grouppass.store._errors import StoreError, WouldLoseChangesError
from grouppass.store._lineage import keep_aside, start_lineage
from grouppass.store._lock import WriterLock
from grouppass.store._mark import Mark, write_mark
from grouppass.store._recover import RepairPlan, Route, plan_repair
from grouppass.store._snapshot import encode as encode_snapshot
from grouppass.store._snapshot import raw_out
from grouppass.store.database import Clock, default_actor
from grouppass.store.migrate import SCHEMA_VERSION

__all__ = ["RepairPlan", "RepairResult", "Route", "plan_repair", "repair"]


@frozen
class RepairResult:
    db: Path
    plan: RepairPlan
    """What was found and what was done about it."""
    revision: int
    """The database's last change now."""
    moved_aside: tuple[Path, ...] = ()
    """Copies of the damaged files (never deleted)."""
    warnings: tuple[str, ...] = ()

    @property
    def repaired(self) -> bool:
        return self.plan.route is not Route.NONE

    def lines(self) -> list[str]:
        if not self.repaired:
            return [f"{self.db}: nothing to repair (revision {self.revision})"]
        out = [f"repaired {self.db}: it {self.plan.describe()}; now at revision {self.revision}"]
        out += [f"the damaged file was kept as {p}" for p in self.moved_aside]
        out += list(self.warnings)
        return out


def repair(
    db: Path,
    *,
    at: dt.datetime | None = None,
    clock: Clock | None = None,
    actor: str | None = None,
    accept_loss: bool = False,
    lock_timeout: float = 30.0,
    probe: Probe | None = None,
) -> RepairResult:
    """Repair ``db`` as :func:`plan_repair` plans it (see the module doc).

    Raises :class:`WouldLoseChangesError` (nothing changed) when the repair
    would lose acknowledged changes and ``accept_loss`` is False, and
    StoreError when there is nothing to rebuild from. ``at``/``clock`` give
    the time of the repair (its audit entry, the names of the copies).
    """
    when = at if at is not None else (clock() if clock else None)
    warnings: list[str] = []
    with WriterLock(db, lock_timeout):
        plan = plan_repair(db)
        if plan.route is Route.NONE:
            return RepairResult(db, plan, plan.recovered)
        if plan.route is Route.IMPOSSIBLE or plan.raw is None:
            raise StoreError(f"cannot repair {db}: {plan.describe()}")
        if plan.lost and not accept_loss:
            raise WouldLoseChangesError(plan)
        raw = plan.raw
        try:
            if plan.route is Route.SNAPSHOT:
                moved = tuple(p for p in [keep_aside(db, db, when)] if p is not None)
                data = encode_snapshot(
                    SCHEMA_VERSION, raw.seq, plan.log_end, raw_out(raw), raw.log_base
                )
                write_atomic(db, data, db_path=db, probe=probe, step="snapshot")
                write_mark(db, Mark(raw.log_base, raw.seq, plan.log_end), probe=probe)
                revision = raw.seq
            else:
                if when is None:
                    raise ValueError("a repair that starts a new log needs a time: pass at=/clock=")
                moved = start_lineage(
                    db, raw, base=plan.known, at=when, actor=actor or default_actor(),
                    action=f"repair: {plan.describe()}", probe=probe,
                )  # fmt: skip
                revision = plan.known + 1
        except NotDurableError as exc:
            warnings.append(str(exc.strerror))
            revision = raw.seq if plan.route is Route.SNAPSHOT else plan.known + 1
            moved = ()
        remove_temp_files(db)
    return RepairResult(db, plan, revision, moved, tuple(warnings))
