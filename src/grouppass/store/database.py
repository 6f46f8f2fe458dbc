"""The agency database: offices, systems, disruptions, groups and travellers on disk.

>>> import datetime as dt
>>> from grouppass.store import Store, Ref
>>> clock = lambda: dt.datetime(2018, 3, 15, 2, 0, tzinfo=dt.UTC)
>>> store = Store.open("agency.json", create=True, clock=clock)  # doctest: +SKIP
>>> group = store.group("sekarbela")  # doctest: +SKIP
>>> m = group.member("J001")  # doctest: +SKIP
>>> v = store.version_of(Ref.member("sekarbela", "J001"))  # doctest: +SKIP
>>> store.save_member("sekarbela", attrs.evolve(m, phone="0819..."), v)  # doctest: +SKIP
58

How it stays whole (docs/database.md has the full story):

* a change is one line appended to ``<db>.log`` and fsync'd before the call
  returns; the snapshot ``<db>`` is rewritten atomically (temp file, fsync,
  rename, fsync of the directory) only now and then, so saving one member
  costs one small append, whatever the size of the database;
* one writer at a time across processes, through ``<db>.lock``;
* every record has a version (the number of the change that last wrote it),
  and a save based on an older version raises :class:`ConflictError`;
* nothing reads the clock: the time of a change comes from ``at=`` or from
  the ``clock`` the store was given.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

import attrs

from grouppass._gc import gc_paused
from grouppass.errors import LocatedProblem
from grouppass.model import Scenario
from grouppass.store import backups, migrate
from grouppass.store._atomic import PRIVATE, remove_temp_files, write_atomic
from grouppass.store._errors import (
    DamagedStoreError,
    IntegrityError,
    NotFoundError,
    StoreError,
)
from grouppass.store._integrity import problems_after
from grouppass.store._load import LogInfo, load_raw, load_state, read_snapshot
from grouppass.store._lock import WriterLock
from grouppass.store._log import LogDamage, append, encode, iter_newest, log_path, read_tail
from grouppass.store._records import Ref
from grouppass.store._snapshot import Damage, Raw, raw_out
from grouppass.store._snapshot import encode as encode_snapshot
from grouppass.store._state import State, apply_entry
from grouppass.store._view import ReadView
from grouppass.store.audit import AuditEntry, entry_from_log
from grouppass.store.shortcuts import Shortcuts
from grouppass.store.transaction import Transaction

__all__ = ["Clock", "Store", "default_actor", "is_good_backup", "load_backup"]

Clock = Callable[[], dt.datetime]
"""Gives the time of a change (timezone-aware); the CLI passes the real clock."""

COMPACT_BYTES = 4 << 20
"""Rewrite the snapshot once the log after it is this big (or as big as the snapshot)."""


def default_actor() -> str:
    """The operating-system user name, for the audit trail."""
    try:
        return getpass.getuser()
    except Exception:  # getuser raises OSError/KeyError when no name is set at all
        return "unknown"


def load_backup(path: Path) -> State:
    """A backup (any snapshot file, its log ignored) as model objects; raises Damage."""
    with gc_paused():
        raw, _ = read_snapshot(path)
        migrate.migrate(raw)
        return load_state(raw)


def is_good_backup(path: Path) -> bool:
    """Does ``path`` load as a complete database (its own log aside)?"""
    try:
        load_backup(path)
    except (Damage, StoreError, OSError):
        return False
    return True


def _last_good_backup(db_path: Path) -> Path | None:
    return backups.last_good(db_path, is_good_backup)


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
        self._tx: Transaction | None = None
        self._compact_after = compact_after
        self._backup_every = backup_every
        times = (backups.backup_time(path, p) for p in backups.list_backups(path))
        self._last_backup = max((t for t in times if t is not None), default=None)
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
    ) -> Store:
        """Open the database at ``path`` (``create=True``: make an empty one if there is none).

        ``clock`` gives the time of each change unless the call passes ``at=``;
        ``actor`` defaults to the OS user name. Raises :class:`NotFoundError`,
        :class:`DamagedStoreError` (naming the last good backup) or
        :class:`StoreError` (a newer schema); a damaged file is never written to.
        ``compact_after`` (bytes of log) and ``backup_every`` tune maintenance.
        """
        db = Path(path)
        if create and not db.exists():
            _create_empty(db, lock_timeout)
        try:
            with gc_paused():
                raw, info = load_raw(db)
                if raw.schema < migrate.SCHEMA_VERSION:
                    raw, info = _migrate(db, lock_timeout)
                state = load_state(raw)
        except Damage as exc:
            raise DamagedStoreError(db, exc.problems, _last_good_backup(db)) from None
        except OSError as exc:
            raise StoreError(f"cannot read {db}: {exc.strerror or exc}") from None
        store = cls(
            db, state, info, clock=clock, actor=actor, lock_timeout=lock_timeout,
            compact_after=compact_after, backup_every=backup_every,
        )  # fmt: skip
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
    ) -> Store:
        """Make a new database at ``path`` (refused if one is there), optionally filled
        from ``scenario`` as its first audited change."""
        db = Path(path)
        if not _create_empty(db, lock_timeout):
            raise StoreError(f"{db} already exists; open it, or remove it first")
        store = cls.open(
            db, clock=clock, actor=actor, lock_timeout=lock_timeout,
            compact_after=compact_after, backup_every=backup_every,
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

    # -- staying current ---------------------------------------------------------

    def _guard(self) -> contextlib.AbstractContextManager[object]:
        return self._mutex

    @property
    def revision(self) -> int:
        """The number of the last change this store has loaded; goes up with every change."""
        return self._state.seq

    def refresh(self) -> bool:
        """Take in changes other processes have made; True if there were any.

        Costs one ``stat`` when nothing changed, so a TUI can call it every
        second or so.
        """
        with self._mutex:
            if self._tx is not None:
                return False
            before = self._state.seq
            self._catch_up()
            return self._state.seq != before

    def _catch_up(self) -> None:
        try:
            st = os.stat(self.log_path)
            if (st.st_dev, st.st_ino) != self._info.ident or st.st_size < self._log_end:
                self._reload()  # the log was replaced: a restore of a damaged database
            elif st.st_size > self._log_end:
                tail = read_tail(self.log_path, self._log_end)
                for entry in tail.entries:
                    apply_entry(self._state, entry, f"{self.log_path} (change {entry['seq']})")
                self._log_end = tail.end
        except (Damage, LogDamage) as exc:
            problems = getattr(exc, "problems", None) or [LocatedProblem("", str(exc))]
            self._info = attrs.evolve(self._info, ident=(-1, -1))  # reload from scratch next time
            raise DamagedStoreError(self.path, problems, _last_good_backup(self.path)) from None
        except FileNotFoundError:
            raise NotFoundError(f"{self.log_path} has disappeared") from None

    def _reload(self) -> None:
        with gc_paused():
            raw, info = load_raw(self.path)
            if raw.schema < migrate.SCHEMA_VERSION:
                raw, info = _migrate(self.path, self._lock.timeout)
            self._state = load_state(raw)
        self._info = info
        self._log_end = info.end

    # -- writing ---------------------------------------------------------------------

    def transaction(
        self, action: str = "edit", *, at: dt.datetime | None = None, actor: str | None = None
    ) -> Transaction:
        """Group several changes into one durable, audited change (see :mod:`.transaction`)."""
        return Transaction(self, action, self._time(at), actor or self.actor)

    def _time(self, at: dt.datetime | None) -> dt.datetime:
        if at is None:
            if self._clock is None:
                raise ValueError("a change needs a time: pass at=... or give the Store a clock")
            at = self._clock()
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"the time of a change needs a time zone, got {at!r}")
        return at

    def _begin(self, tx: Transaction) -> None:
        self._mutex.acquire()
        try:
            if self._tx is not None:
                raise RuntimeError("a transaction is already open on this store; use it")
            self._lock.acquire()
            try:
                self._catch_up()
            except BaseException:
                self._lock.release()
                raise
        except BaseException:
            self._mutex.release()
            raise
        self._tx = tx
        tx.seq = self._state.seq + 1
        tx.open = True

    def _end(self, tx: Transaction, *, ok: bool) -> None:
        try:
            if ok:
                self._commit(tx)
            else:
                self._rollback(tx)
        finally:
            tx.open = False
            self._tx = None
            self._lock.release()
            self._mutex.release()

    def _rollback(self, tx: Transaction) -> None:
        state = self._state
        removed = any(b is not None and state.get(ref) is None for ref, b in tx.before.items())
        for ref, before in reversed(tx.before.items()):
            state.put(ref, before)
        if removed:
            # A record put back after a removal went to the end of its table;
            # reload so the order matches the disk again.
            with contextlib.suppress(Damage, OSError):
                self._reload()

    def _commit(self, tx: Transaction) -> None:
        state = self._state
        changes = []
        changed: list[Ref] = []
        for ref, before in tx.before.items():
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
        if not changes:
            return
        problems = problems_after(state, changed)
        if problems:
            self._rollback(tx)
            raise IntegrityError(problems)
        entry = {
            "seq": tx.seq,
            "at": tx.at.isoformat(),
            "actor": tx.actor,
            "action": tx.action,
            "changes": changes,
        }
        try:
            self._log_end = append(self.log_path, encode(entry), self._log_end)
        except OSError as exc:
            self._rollback(tx)
            raise StoreError(f"could not save to {self.log_path}: {exc.strerror or exc}") from None
        state.seq = tx.seq
        self._maintain(tx.at)

    # -- maintenance: snapshot rewrites and backups --------------------------------

    def _maintain(self, at: dt.datetime) -> None:
        every = self._backup_every
        backup_due = every is not None and (
            self._last_backup is None or at - self._last_backup >= every
        )
        limit = self._compact_after
        if limit is None:
            limit = max(COMPACT_BYTES, self._info.snapshot_size)
        if not backup_due and self._log_end - self._info.snapshot_offset < limit:
            return
        try:
            data = self._write_snapshot()
            if backup_due:
                write_atomic(backups.backup_path(self.path, at), data, db_path=self.path)
                self._last_backup = at
                backups.prune(self.path)
            self.maintenance_problem = None
        except OSError as exc:
            # The change is safe in the log; the next change tries again.
            self.maintenance_problem = f"could not rewrite {self.path}: {exc.strerror or exc}"

    def _write_snapshot(self) -> bytes:
        data = encode_snapshot(
            migrate.SCHEMA_VERSION, self._state.seq, self._log_end, self._state.out_tables()
        )
        write_atomic(self.path, data)
        end = self._log_end
        self._info = attrs.evolve(self._info, snapshot_offset=end, snapshot_size=len(data))
        return data

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._mutex:
            if self._tx is not None:
                raise RuntimeError("a transaction is open on this store")
            with self._lock:
                self._catch_up()
                yield

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
            write_atomic(dest, self._write_snapshot(), db_path=self.path)
        return dest

    # -- the audit trail -------------------------------------------------------------

    def audit(self, limit: int = 50, *, ref: Ref | None = None) -> list[AuditEntry]:
        """The newest ``limit`` changes, newest first; with ``ref``, only those touching it."""
        out: list[AuditEntry] = []
        if limit <= 0:
            return out
        for _, raw in iter_newest(self.log_path):
            if raw is None:
                continue
            entry = entry_from_log(raw)
            if ref is not None:
                mine = tuple(c for c in entry.changes if c.ref == ref)
                if not mine:
                    continue
                entry = attrs.evolve(entry, changes=mine)
            out.append(entry)
            if len(out) >= limit:
                break
        return out


def _create_empty(db: Path, lock_timeout: float) -> bool:
    """Write an empty database at ``db``; False if one is already there."""
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        with WriterLock(db, lock_timeout):
            if db.exists():
                return False
            log = log_path(db)
            # A log without a snapshot is what a create killed half-way leaves;
            # anything more than that is someone's data.
            if log.exists() and log.stat().st_size:
                raise StoreError(f"{log} exists without {db.name}; move it away first")
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            write_atomic(db, encode_snapshot(migrate.SCHEMA_VERSION, 0, 0, State().out_tables()))
    except OSError as exc:
        raise StoreError(f"cannot create {db}: {exc.strerror or exc}") from None
    return True


def _migrate(db: Path, lock_timeout: float) -> tuple[Raw, LogInfo]:
    """Bring an older file up to date under the lock, after backing it up beside itself."""
    with WriterLock(db, lock_timeout):
        raw, info = load_raw(db)  # again: someone may have migrated it meanwhile
        if raw.schema < migrate.SCHEMA_VERSION:
            old = encode_snapshot(raw.schema, raw.seq, info.end, raw_out(raw))
            write_atomic(backups.backup_path(db, None, f"schema{raw.schema}"), old, db_path=db)
            migrate.migrate(raw)
            new = encode_snapshot(migrate.SCHEMA_VERSION, raw.seq, info.end, raw_out(raw))
            write_atomic(db, new)
            info = attrs.evolve(info, snapshot_offset=info.end, snapshot_size=len(new))
    return raw, info
