"""Putting a backup back: ``grouppass db restore BACKUP``.

A healthy database is brought to the backup's state by one audited change
(after a safety backup of how it was), so every record a restore touches gets
a new version: an editor still holding an old one gets a ConflictError, not a
silent overwrite, and the restore itself can be undone (``db undo``).

A damaged (or missing) database, or one whose log ends before its
high-water mark, is made anew from the backup as the first change of a new
log, numbered after every change anything on disk knows of (so, again, no
version is handed out twice); its old files are copied aside first, never
deleted. That drops the acknowledged changes made after the backup: to keep
those, ``grouppass db repair`` replays them from the log.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from attrs import frozen

from grouppass.store import migrate
from grouppass.store._errors import DamagedStoreError, NotFoundError, StoreError
from grouppass.store._lineage import start_lineage
from grouppass.store._load import read_snapshot
from grouppass.store._lock import WriterLock
from grouppass.store._records import Kind, Ref
from grouppass.store._recover import known_seq
from grouppass.store._snapshot import Damage
from grouppass.store._view import ReadView
from grouppass.store._warnings import WarningHook
from grouppass.store.database import Clock, Store, default_actor, load_backup

__all__ = ["RestoreResult", "restore"]


@frozen
class RestoreResult:
    db: Path
    backup: Path
    rebuilt: bool
    """True when the database was damaged or missing and was made anew from the backup."""
    safety_backup: Path | None = None
    """The backup of the database as it was before (when it could be read)."""
    moved_aside: tuple[Path, ...] = ()
    """Copies of the damaged files (never deleted)."""
    changed: int = 0
    """Records the restore changed, added or removed."""
    not_in_backup: int = 0
    """When rebuilt: acknowledged changes made after the backup, which it does not hold."""

    def lines(self) -> list[str]:
        if self.rebuilt:
            out = [f"restored {self.db} from {self.backup} (made anew)"]
            out += [f"the damaged file was kept as {p}" for p in self.moved_aside]
            if self.not_in_backup:
                n = self.not_in_backup
                are, they = ("is", "it") if n == 1 else ("are", "they")
                out.append(
                    f"{n} acknowledged change{'s' * (n != 1)} made after that backup "
                    f"{are} not in it ({they} {are} in the kept copy of the log)"
                )
        else:
            n = self.changed
            out = [f"restored {self.db} from {self.backup}: {n} record{'s' * (n != 1)} changed"]
            if self.safety_backup:
                out.append(f"the database as it was is in {self.safety_backup}")
        return out


class _Snapshot(ReadView):
    def __init__(self, path: Path) -> None:
        try:
            self._state = load_backup(path)
        except Damage as exc:
            raise DamagedStoreError(path, exc.problems) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except OSError:
        return False


def restore(
    db: Path,
    backup: Path,
    *,
    at: dt.datetime | None = None,
    clock: Clock | None = None,
    actor: str | None = None,
    lock_timeout: float = 30.0,
    on_warning: WarningHook | None = None,
) -> RestoreResult:
    """Bring ``db`` back to ``backup`` (any snapshot or backup file); see the module doc."""
    if _same_file(backup, db):
        raise StoreError(f"{backup} is the database itself; name one of its backups")
    if not backup.exists():
        raise NotFoundError(f"there is no backup {backup}")
    source = _Snapshot(backup)  # a damaged backup stops here, before anything is touched
    when = at if at is not None else (clock() if clock else None)
    try:
        store = Store.open(
            db, clock=clock, actor=actor, lock_timeout=lock_timeout, on_warning=on_warning
        )
    except (DamagedStoreError, NotFoundError):
        store = None
    if store is None or store.read_only_reason is not None:
        if when is None:
            raise ValueError("a restore needs a time: pass at=... or clock=...")
        with WriterLock(db, lock_timeout):
            raw, _ = read_snapshot(backup)
            migrate.migrate(raw)
            base = known_seq(db)
            moved = start_lineage(
                db, raw, base=base, at=when, actor=actor or default_actor(),
                action=f"restore {backup.name} (made anew: the database was damaged or missing)",
            )  # fmt: skip
        return RestoreResult(
            db, backup, rebuilt=True, moved_aside=moved, not_in_backup=max(0, base - raw.seq)
        )
    safety = store.backup("before-restore", at=when)
    with store.transaction(f"restore {backup.name}", at=when, actor=actor) as tx:
        for kind in Kind:
            for ref in tx.refs(kind):
                if source.version_of(ref) == 0 and ref != Ref.rules():
                    tx.put(ref, None, None)
        tx.put_scenario(source.scenario())
        changed = len(tx.before)
    return RestoreResult(db, backup, rebuilt=False, safety_backup=safety, changed=changed)
