"""The agency database: offices, systems, disruptions, groups and travellers on disk.

>>> import datetime as dt
>>> import attrs
>>> from grouppass.store import Store, Ref
>>> clock = lambda: dt.datetime(2018, 3, 15, 2, 0, tzinfo=dt.UTC)
>>> store = Store.open("agency.json", create=True, clock=clock)
>>> group = store.group("nashif-ramadan-1439")
>>> m = group.member("nashif")
>>> v = store.version_of(Ref.member("nashif-ramadan-1439", "nashif"))
>>> store.save_member("nashif-ramadan-1439", attrs.evolve(m, phone="0819-1734-0299"), v)
2

How it stays whole (docs/database.md has the full story):

* a change is one line appended to ``<db>.log`` and fsync'd before the call
  returns; the snapshot ``<db>`` is rewritten atomically (temp file, fsync,
  rename, fsync of the directory) only now and then, so saving one member
  costs one small append, whatever the size of the database;
* after each change, its number and the log's end go to ``<db>.mark`` (the
  high-water mark): a log found shorter than that has lost acknowledged
  changes, and the store refuses to write to it until it is repaired;
* one writer at a time across processes, through ``<db>.lock``;
* every record has a version (the number of the change that last wrote it),
  and a save based on an older version raises :class:`ConflictError`;
* nothing reads the clock: the time of a change comes from ``at=`` or from
  the ``clock`` the store was given;
* nothing prints: what is worth saying without failing (permissions
  tightened, a snapshot rewrite that failed) goes to ``on_warning``.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import getpass
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import attrs
import orjson

from grouppass import limits
from grouppass._files import NotDurableError, Probe
from grouppass._gc import gc_paused
from grouppass.errors import LocatedProblem
from grouppass.model import Scenario
from grouppass.store import backups, migrate
from grouppass.store._atomic import PRIVATE, remove_temp_files, write_atomic
from grouppass.store._errors import (
    DamagedStoreError,
    IntegrityError,
    LogBehindError,
    NotFoundError,
    NothingToUndoError,
    StoreError,
)
from grouppass.store._integrity import problems_after
from grouppass.store._load import LogInfo, is_good_backup, load_backup, load_raw, load_state
from grouppass.store._lock import WriterLock
from grouppass.store._log import LogDamage, append, encode, iter_newest, read_range, read_tail
from grouppass.store._mark import Mark, read_mark, write_mark
from grouppass.store._records import Kind, Ref
from grouppass.store._recover import Behind, RepairPlan, behind, plan_repair
from grouppass.store._snapshot import Damage, Raw, raw_out
from grouppass.store._snapshot import encode as encode_snapshot
from grouppass.store._state import State, apply_entry
from grouppass.store._view import ReadView
from grouppass.store._warnings import StoreWarning, WarningHook, WarningKind
from grouppass.store.audit import AuditEntry, Change, entry_from_log
from grouppass.store.files import (
    cut_path,
    database_files,
    lock_path,
    log_path,
    mark_path,
    tighten,
)
from grouppass.store.shortcuts import Shortcuts
from grouppass.store.transaction import Pending, Transaction
from grouppass.store.undo import Undone, put_back, undo_changes
from grouppass.text import visible

if TYPE_CHECKING:
    from tinydb import TinyDB

__all__ = ["Clock", "Store", "default_actor", "is_good_backup", "load_backup"]

Clock = Callable[[], dt.datetime]
"""Gives the time of a change (timezone-aware); the CLI passes the real clock."""

COMPACT_BYTES = 4 << 20
"""Rewrite the snapshot once the log after it is this big (or as big as the snapshot)."""


def default_actor() -> str:
    """The operating-system user name, for the audit trail."""
    try:
        name = getpass.getuser()  # $LOGNAME, $USER...: whatever the environment says
    except Exception:  # getuser raises OSError/KeyError when no name is set at all
        return "unknown"
    # Kept in the log and shown by `db audit` and the TUI: escapes as text, not obeyed.
    return visible(name)[: limits.NAME_LENGTH] or "unknown"


def _plan(db: Path) -> RepairPlan | None:
    """How a repair would go, for an error message; None if even that cannot be worked out."""
    try:
        return plan_repair(db)
    except (OSError, StoreError, Damage):
        return None


def damaged(
    db: Path,
    problems: Iterable[LocatedProblem],
    kind: type[DamagedStoreError] = DamagedStoreError,
) -> DamagedStoreError:
    """The error for a database that cannot be used: what is wrong, and the way back."""
    plan = _plan(db)
    backup = (plan.backup if plan else None) or backups.last_good(db, is_good_backup)
    return kind(db, problems, backup, plan)


def _newest_backup_time(db: Path) -> dt.datetime | None:
    """The time in the name of the backup holding the most recent changes."""
    for backup in backups.find_backups(db):
        if backup.time is not None and backup.meta is not None:
            return backup.time
    return None


class _Host:
    """What a :class:`Transaction` may ask of its store (:class:`~.transaction.Host`)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def begin(self) -> State:
        return self._store._begin()

    def end(self, pending: Pending, *, ok: bool) -> None:
        self._store._end(pending, ok=ok)


class Store(Shortcuts, ReadView):
    """An open agency database. Make one with :meth:`open` or :meth:`create`.

    Reads (``groups()``, ``group(id)``, ``scenario()``, ``version_of(ref)``...)
    come from memory and see what this store has loaded; call :meth:`refresh`
    to take in other processes' changes (cheap when there are none). Writes
    take the lock, catch up with the disk first, and are durable when they return.
    A store may be shared between threads.
    """

    def __init__(
        self,
        path: Path,
        state: State,
        info: LogInfo,
        *,
        clock: Clock | None,
        actor: str | None,
        lock_timeout: float,
        compact_after: int | None,
        backup_every: dt.timedelta | None,
        on_warning: WarningHook | None = None,
        probe: Probe | None = None,
    ) -> None:
        self.path = path
        self.log_path = log_path(path)
        self._state = state
        self._info = info
        self._log_end = info.end
        self._clock = clock
        self.actor = actor or default_actor()
        """Who the audit trail names for changes made without ``actor=``."""
        self._lock = WriterLock(path, lock_timeout)
        self._mutex = threading.RLock()
        self._tx_open = False
        self._compact_after = compact_after
        self._backup_every = backup_every
        self._last_backup = _newest_backup_time(path)
        self._on_warning = on_warning
        self._probe = probe
        self._queued: list[StoreWarning] = []
        self._backups_checked = False
        self._behind: Behind | None = None
        self.warnings: collections.deque[StoreWarning] = collections.deque(maxlen=100)
        """Warnings not handed to an ``on_warning`` hook, newest last."""
        self.maintenance_problem: str | None = None
        """Why the last snapshot rewrite or backup failed (the change itself was saved)."""

    # -- opening ---------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = False,
        clock: Clock | None = None,
        actor: str | None = None,
        lock_timeout: float = 30.0,
        compact_after: int | None = None,
        backup_every: dt.timedelta | None = dt.timedelta(days=1),
        on_warning: WarningHook | None = None,
        probe: Probe | None = None,
    ) -> Store:
        """Open the database at ``path`` (``create=True``: make an empty one if there is none).

        ``clock`` gives the time of each change unless the call passes ``at=``;
        ``actor`` defaults to the OS user name. Raises :class:`NotFoundError`,
        :class:`DamagedStoreError` (with the way to repair it) or
        :class:`StoreError` (a newer schema); a damaged file is never written to.
        ``compact_after`` (bytes of log) and ``backup_every`` tune maintenance;
        ``on_warning`` hears what is worth saying without failing (see
        :class:`StoreWarning`). ``probe`` is for tests: it is told the name of
        each step of every durable write (``log.written``, ``snapshot.renamed``...)
        as it is reached, so a test can fail or stop the process there.
        """
        db = Path(path)
        if create and not db.exists():
            _create_empty(db, lock_timeout)
        mark, _ = read_mark(db)  # before the log: a writer writes the log first, then the mark
        try:
            with gc_paused():
                raw, info = load_raw(db)
                if raw.schema < migrate.SCHEMA_VERSION:
                    raw, info = _migrate(db, lock_timeout)
                state = load_state(raw)
        except Damage as exc:
            raise damaged(db, exc.problems) from None
        except OSError as exc:
            raise StoreError(f"cannot read {db}: {exc.strerror or exc}") from None
        store = cls(
            db, state, info, clock=clock, actor=actor, lock_timeout=lock_timeout,
            compact_after=compact_after, backup_every=backup_every, on_warning=on_warning,
            probe=probe,
        )  # fmt: skip
        store._behind = behind(db, mark, info.log_base, state.seq)
        store._tidy()
        return store

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        scenario: Scenario | None = None,
        at: dt.datetime | None = None,
        clock: Clock | None = None,
        actor: str | None = None,
        lock_timeout: float = 30.0,
        compact_after: int | None = None,
        backup_every: dt.timedelta | None = dt.timedelta(days=1),
        on_warning: WarningHook | None = None,
        probe: Probe | None = None,
    ) -> Store:
        """Make a new database at ``path`` (refused if one is there), optionally filled
        from ``scenario`` as its first audited change."""
        db = Path(path)
        if not _create_empty(db, lock_timeout):
            raise StoreError(f"{db} already exists; open it, or remove it first")
        store = cls.open(
            db, clock=clock, actor=actor, lock_timeout=lock_timeout,
            compact_after=compact_after, backup_every=backup_every, on_warning=on_warning,
            probe=probe,
        )  # fmt: skip
        if scenario is not None:
            with store.transaction("create the database from a scenario", at=at) as tx:
                tx.put_scenario(scenario)
            store.compact()
        return store

    def close(self) -> None:
        """Nothing to flush (every change is on disk when its call returns); for symmetry."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _tidy(self) -> None:
        """Delete temp files a killed writer left, if no one is writing right now.

        Best effort: a database in a folder we may only read still opens for reading.
        """
        try:
            if not self._lock.try_acquire():
                return
        except OSError:
            return
        try:
            remove_temp_files(self.path)
        finally:
            self._lock.release()

    # -- warnings ----------------------------------------------------------------

    def _warn(self, warnings: Iterable[StoreWarning]) -> None:
        self._queued.extend(warnings)

    def _flush(self) -> None:
        """Hand queued warnings over, once the lock is released (a hook may be slow)."""
        queued, self._queued = self._queued, []
        for warning in queued:
            if self._on_warning is not None:
                self._on_warning(warning)
            else:
                self.warnings.append(warning)

    # -- staying current ---------------------------------------------------------

    def _guard(self) -> contextlib.AbstractContextManager[object]:
        return self._mutex

    @property
    def revision(self) -> int:
        """The number of the last change this store has loaded; goes up with every change."""
        return self._state.seq

    @property
    def read_only_reason(self) -> str | None:
        """Why writes are refused (the log ends before its high-water mark), or None."""
        return None if self._behind is None else self._behind.message

    def refresh(self) -> bool:
        """Take in changes other processes have made; True if there were any.

        Costs one ``stat`` when nothing changed, so a TUI can call it every
        second or so.
        """
        with self._mutex:
            if self._tx_open:
                return False
            before = self._state.seq
            self._catch_up()
            return self._state.seq != before

    def _catch_up(self) -> None:
        try:
            st = os.stat(self.log_path)
            if (st.st_dev, st.st_ino) != self._info.ident or st.st_size < self._log_end:
                self._reload()  # the log was replaced: a repair or a restore
            elif st.st_size > self._log_end:
                tail = read_tail(self.log_path, self._log_end)
                for entry in tail.entries:
                    apply_entry(self._state, entry, f"{self.log_path} (change {entry['seq']})")
                self._log_end = tail.end
        except (Damage, LogDamage) as exc:
            problems = getattr(exc, "problems", None) or [LocatedProblem("", str(exc))]
            self._info = attrs.evolve(self._info, ident=(-1, -1))  # reload from scratch next time
            raise damaged(self.path, problems) from None
        except FileNotFoundError:
            raise NotFoundError(f"{self.log_path} has disappeared") from None

    def _reload(self) -> None:
        mark, _ = read_mark(self.path)
        with gc_paused():
            raw, info = load_raw(self.path)
            if raw.schema < migrate.SCHEMA_VERSION:
                raw, info = _migrate(self.path, self._lock.timeout)
            self._state = load_state(raw)
        self._info = info
        self._log_end = info.end
        self._behind = behind(self.path, mark, info.log_base, self._state.seq)

    # -- writing ---------------------------------------------------------------------

    def transaction(
        self, action: str = "edit", *, at: dt.datetime | None = None, actor: str | None = None
    ) -> Transaction:
        """Group several changes into one durable, audited change (see :mod:`.transaction`)."""
        return Transaction(_Host(self), action, self._time(at), actor or self.actor)

    def _time(self, at: dt.datetime | None) -> dt.datetime:
        if at is None:
            if self._clock is None:
                raise ValueError("a change needs a time: pass at=... or give the Store a clock")
            at = self._clock()
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"the time of a change needs a time zone, got {at!r}")
        return at

    def _begin(self) -> State:
        self._mutex.acquire()
        try:
            if self._tx_open:
                raise RuntimeError("a transaction is already open on this store; use it")
            self._lock.acquire()
            try:
                self._catch_up()
                self._refuse_if_behind()
                self._tighten()
            except BaseException:
                self._lock.release()
                raise
        except BaseException:
            self._mutex.release()
            raise
        self._tx_open = True
        return self._state

    def _end(self, pending: Pending, *, ok: bool) -> None:
        try:
            if ok:
                self._commit(pending)
            else:
                self._rollback(pending)
        finally:
            self._tx_open = False
            self._lock.release()
            self._mutex.release()
        self._flush()

    def _refuse_if_behind(self) -> None:
        """Under the lock: a log behind its mark is never written to (nor cut)."""
        mark, _ = read_mark(self.path)
        self._behind = behind(self.path, mark, self._info.log_base, self._state.seq)
        if self._behind is not None:
            where = LocatedProblem("", self._behind.message, str(mark_path(self.path)))
            raise damaged(self.path, [where], LogBehindError)

    def _tighten(self) -> None:
        """Make the database's files owner-only again if another tool loosened them."""
        paths = [self.path, self.log_path, mark_path(self.path), lock_path(self.path)]
        if not self._backups_checked:
            # Once per open, every other file of the database too: backups, and
            # what a repair kept aside (.damaged-*, .log.cut-*), which hold the
            # same passport numbers as the snapshot.
            paths += [p for p in database_files(self.path) if p not in paths]
            self._backups_checked = True
        self._warn(tighten(paths))

    def _rollback(self, pending: Pending) -> None:
        state = self._state
        for ref, before in reversed(list(pending.before.items())):
            state.put(ref, before)
        for order in pending.orders:
            state.restore_order(order)  # a record put back goes where it was, as on disk

    def _commit(self, pending: Pending) -> None:
        state = self._state
        changes = []
        changed: list[Ref] = []
        for ref, before in pending.before.items():
            after = state.get(ref)
            if (before.data if before else None) == (after.data if after else None):
                state.put(ref, before)  # changed and changed back: keep the old version
                continue
            changed.append(ref)
            changes.append({
                "kind": ref.kind.value,
                "key": list(ref.key),
                "before": None if before is None else before.data,
                "after": None if after is None else after.data,
            })  # fmt: skip
        for order in pending.orders:
            state.restore_order(order)  # removed and saved again: in its old place, as on disk
        if not changes:
            return
        problems = problems_after(state, changed)
        if problems:
            self._rollback(pending)
            raise IntegrityError(problems)
        entry = {
            "seq": pending.seq,
            "at": pending.at.isoformat(),
            "actor": pending.actor,
            "action": pending.action,
            "schema": migrate.SCHEMA_VERSION,
            "changes": changes,
        }
        try:
            self._keep_torn_tail_aside()
            self._log_end = append(self.log_path, encode(entry), self._log_end, probe=self._probe)
        except OSError as exc:
            self._rollback(pending)
            raise StoreError(f"could not save to {self.log_path}: {exc.strerror or exc}") from None
        except BaseException:
            self._rollback(pending)
            raise
        state.seq = pending.seq
        self._write_mark()
        self._maintain(pending.at)

    def _keep_torn_tail_aside(self) -> None:
        """Move a dead writer's cut-short last line into a side file before cutting it off.

        It was never acknowledged (the mark says so, or writing would have been
        refused), but it is someone's data and is never deleted silently.
        """
        size = os.stat(self.log_path).st_size
        if size <= self._log_end:
            return
        tail = read_range(self.log_path, self._log_end, size)
        dest = cut_path(self.path, self._log_end)
        self._durable(dest, tail, "cut")
        self._warn([StoreWarning(
            WarningKind.CUT_ASIDE,
            f"the last write to {self.log_path.name} was cut short ({len(tail)} bytes, never "
            f"acknowledged); it was moved to {dest.name} before this save",
            dest,
        )])  # fmt: skip

    def _write_mark(self) -> None:
        mark = Mark(self._info.log_base, self._state.seq, self._log_end)
        try:
            write_mark(self.path, mark, probe=self._probe)
        except OSError as exc:
            self._warn([StoreWarning(
                WarningKind.MAINTENANCE,
                f"could not update {mark_path(self.path).name} ({exc.strerror or exc}); "
                "the change was saved",
                mark_path(self.path),
            )])  # fmt: skip

    def _durable(self, target: Path, data: bytes, step: str) -> None:
        """Write ``target`` atomically; a folder that cannot be synced is a warning."""
        try:
            write_atomic(target, data, db_path=self.path, probe=self._probe, step=step)
        except NotDurableError as exc:
            self._warn([StoreWarning(WarningKind.NOT_DURABLE, str(exc.strerror), target)])

    # -- maintenance: snapshot rewrites and backups --------------------------------

    def _backup_due(self, at: dt.datetime) -> bool:
        every, last = self._backup_every, self._last_backup
        if every is None:
            return False
        # A backup named more than a day ahead was made by a clock that was wrong:
        # its name says nothing about when the next one is due.
        return last is None or abs(at - last) >= every

    def _maintain(self, at: dt.datetime) -> None:
        backup_due = self._backup_due(at)
        limit = self._compact_after
        if limit is None:
            limit = max(COMPACT_BYTES, self._info.snapshot_size)
        if not backup_due and self._log_end - self._info.snapshot_offset < limit:
            return
        try:
            data = self._write_snapshot()
            if backup_due:
                self._durable(backups.backup_path(self.path, at), data, "backup")
                self._last_backup = at
                backups.prune(self.path)
            self.maintenance_problem = None
        except OSError as exc:
            # The change is safe in the log; the next change tries again.
            self.maintenance_problem = f"could not rewrite {self.path}: {exc.strerror or exc}"
            self._warn([StoreWarning(WarningKind.MAINTENANCE, self.maintenance_problem, self.path)])

    def _write_snapshot(self) -> bytes:
        data = encode_snapshot(
            migrate.SCHEMA_VERSION, self._state.seq, self._log_end, self._state.out_tables(),
            self._info.log_base,
        )  # fmt: skip
        self._durable(self.path, data, "snapshot")
        end = self._log_end
        self._info = attrs.evolve(self._info, snapshot_offset=end, snapshot_size=len(data))
        return data

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._mutex:
            if self._tx_open:
                raise RuntimeError("a transaction is open on this store")
            with self._lock:
                self._catch_up()
                self._refuse_if_behind()
                self._tighten()
                yield
        self._flush()

    def compact(self) -> None:
        """Rewrite the snapshot now, so it holds every change (opening is then quickest)."""
        with self._locked():
            self._write_snapshot()

    def backup(self, label: str = "manual", *, at: dt.datetime | None = None) -> Path:
        """Write a backup beside the database and return its path.

        It is named by ``at`` (or the store's clock) and ``label``; without
        either time it is named by the label alone.
        """
        when = at if at is not None else (self._clock() if self._clock else None)
        with self._locked():
            dest = backups.backup_path(self.path, when, label)
            self._durable(dest, self._write_snapshot(), "backup")
        return dest

    # -- the audit trail, and undo ---------------------------------------------------

    def _entries(self) -> Iterator[AuditEntry]:
        """Every change in the log, newest first (damaged lines skipped)."""
        for _, raw in iter_newest(self.log_path):
            if raw is not None:
                yield entry_from_log(raw)

    def audit(self, limit: int = 50, *, ref: Ref | None = None) -> list[AuditEntry]:
        """The newest ``limit`` changes, newest first; with ``ref``, only those touching it."""
        out: list[AuditEntry] = []
        if limit <= 0:
            return out
        for entry in self._entries():
            if ref is not None:
                mine = tuple(c for c in entry.changes if c.ref == ref)
                if not mine:
                    continue
                entry = attrs.evolve(entry, changes=mine)
            out.append(entry)
            if len(out) >= limit:
                break
        return out

    def change(self, seq: int | None = None) -> AuditEntry:
        """Change ``seq`` as the audit trail has it (default: the newest); NothingToUndoError
        (a LookupError) when the log has no such change."""
        for entry in self._entries():
            if seq is None or entry.seq == seq:
                return entry
            if entry.seq < seq:
                break
        if seq is None:
            raise NothingToUndoError(f"nothing to undo: {self.path.name} has no changes yet")
        raise NothingToUndoError(f"there is no change #{seq} in {self.log_path.name}")

    def undo(
        self, seq: int | None = None, *, at: dt.datetime | None = None, actor: str | None = None
    ) -> Undone:
        """Undo change ``seq`` (default: the newest) as a new, audited change.

        Every record it touched goes back to how it was before it: a removed
        member comes back, an added one goes, an edit is reverted. Undoing an
        undo redoes. Raises :class:`NothingToUndoError` when there is no such
        change, :class:`UndoConflictError` when a record it touched has been
        changed again since (nothing is written), :class:`IntegrityError` when
        putting it back would leave a reference dangling, and
        :class:`LogBehindError` like every write.
        """
        with self.transaction("undo", at=at, actor=actor) as tx:
            newer: list[AuditEntry] = []
            target = None
            for entry in self._entries():
                if seq is None or entry.seq == seq:
                    target = entry
                    break
                if entry.seq < seq:
                    break
                newer.append(entry)
            if target is None:
                what = "no changes yet" if seq is None else f"no change #{seq} in its log"
                raise NothingToUndoError(f"nothing to undo: {self.path.name} has {what}")
            if target.seq == self._info.log_base + 1 and self._info.log_base > 0:
                raise NothingToUndoError(
                    f"change #{target.seq} made this database anew ({target.action}); it "
                    "cannot be undone: restore a backup (grouppass db restore) instead"
                )
            undo_changes(tx, target, newer)
            tx.action = f"undo #{target.seq}: {target.action}"
            done = self._effective(tx)
            if not done:
                raise NothingToUndoError(f"change #{target.seq} left nothing to undo")
        return Undone(tx.seq, target.seq, tx.action, done)

    def undo_last(self, *, at: dt.datetime | None = None, actor: str | None = None) -> Undone:
        """Undo the newest change (:meth:`undo` with no number)."""
        return self.undo(None, at=at, actor=actor)

    def restore_removed(
        self, ref: Ref, *, at: dt.datetime | None = None, actor: str | None = None
    ) -> Undone:
        """Bring back a removed record as it was when removed (a group with the members
        removed with it), as a new, audited change.

        Raises :class:`StoreError` if it exists, :class:`NothingToUndoError` if
        the log has no removal of it, :class:`IntegrityError` if what it names
        is gone too (bring back a member's group first).
        """
        with self.transaction(f"bring back {ref}", at=at, actor=actor) as tx:
            if tx.version_of(ref):
                raise StoreError(f"{ref} exists: there is nothing to bring back")
            found = None
            for entry in self._entries():
                mine = next((c for c in entry.changes if c.ref == ref), None)
                if mine is None:
                    continue
                if mine.kind != "removed":
                    break
                found = entry
                break
            if found is None:
                raise NothingToUndoError(f"there is no removal of {ref} in {self.log_path.name}")
            values: list[tuple[Ref, Any]] = [(ref, next(c.before for c in found.changes
                                                       if c.ref == ref))]  # fmt: skip
            if ref.kind is Kind.GROUP:
                values += [
                    (c.ref, c.before)
                    for c in found.changes
                    if c.ref.kind is Kind.MEMBER and c.ref.key[0] == ref.key[0]
                    and c.kind == "removed" and tx.data_of(c.ref) is None
                ]  # fmt: skip
            put_back(tx, values)
            tx.action = f"bring back {ref} (removed by #{found.seq})"
            done = self._effective(tx)
        return Undone(tx.seq, found.seq, tx.action, done)

    def _effective(self, tx: Transaction) -> tuple[Change, ...]:
        """What ``tx`` changes, record by record (changed-and-back records left out)."""
        out = []
        for ref, before in tx.before.items():
            after = tx.data_of(ref)
            old = None if before is None else before.data
            if old != after:
                out.append(Change(ref, old, after))
        return tuple(out)

    # -- for developers: a TinyDB view -------------------------------------------------

    def tinydb(self) -> TinyDB:
        """Everything this store has loaded, as a read-only, in-memory TinyDB for ad-hoc
        queries (see :mod:`grouppass.store.tinydb_view`)."""
        from grouppass.store.tinydb_view import view

        with self._mutex:
            data = encode_snapshot(
                migrate.SCHEMA_VERSION, self._state.seq, self._log_end,
                self._state.out_tables(), self._info.log_base,
            )  # fmt: skip
        return view(orjson.loads(data))


def _create_empty(db: Path, lock_timeout: float) -> bool:
    """Write an empty database at ``db``; False if one is already there.

    Its changes are numbered after any a mark left beside it knows of, so a
    database made again in the same place never hands out a version twice.
    """
    try:
        # A folder it makes is the owner's alone (0700), like every file in it: even
        # the names (agency.json.damaged-..., backups) are nobody else's business.
        db.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with WriterLock(db, lock_timeout):
            if db.exists():
                return False
            log = log_path(db)
            # A log without a snapshot is what a create killed half-way leaves;
            # anything more than that is someone's data.
            if log.exists() and log.stat().st_size:
                raise StoreError(f"{log} exists without {db.name}; move it away first")
            old, _ = read_mark(db)
            base = 0 if old is None else old.seq
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            empty = encode_snapshot(migrate.SCHEMA_VERSION, base, 0, State().out_tables(), base)
            write_atomic(db, empty)  # its folder sync makes the new log's name durable too
            write_mark(db, Mark(base, base, 0))
    except OSError as exc:
        raise StoreError(f"cannot create {db}: {exc.strerror or exc}") from None
    return True


def _migrate(db: Path, lock_timeout: float) -> tuple[Raw, LogInfo]:
    """Bring an older file up to date under the lock, after backing it up beside itself."""
    with WriterLock(db, lock_timeout):
        raw, info = load_raw(db)  # again: someone may have migrated it meanwhile
        if raw.schema < migrate.SCHEMA_VERSION:
            old = encode_snapshot(raw.schema, raw.seq, info.end, raw_out(raw), raw.log_base)
            write_atomic(backups.backup_path(db, None, f"schema{raw.schema}"), old, db_path=db)
            migrate.migrate(raw)
            new = encode_snapshot(migrate.SCHEMA_VERSION, raw.seq, info.end, raw_out(raw),
                                  raw.log_base)  # fmt: skip
            write_atomic(db, new)
            info = attrs.evolve(info, snapshot_offset=info.end, snapshot_size=len(new))
    return raw, info
