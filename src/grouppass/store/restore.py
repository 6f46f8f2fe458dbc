"""Putting a backup back: ``grouppass db restore BACKUP``.

A healthy database is brought to the backup's state by one audited change
(after a safety backup of how it was), so every record a restore touches gets
a new version: an editor still holding an old one gets a ConflictError, not a
silent overwrite. A damaged (or missing) database is moved aside untouched and
a new one is made from the backup.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from attrs import frozen

from grouppass.store._atomic import fsync_dir
from grouppass.store._errors import DamagedStoreError, NotFoundError, StoreError
from grouppass.store._lock import WriterLock
from grouppass.store._log import log_path
from grouppass.store._records import Kind, Ref
from grouppass.store._snapshot import Damage
from grouppass.store._view import ReadView
from grouppass.store.database import Clock, Store, load_backup

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
    """The damaged files, renamed (never deleted)."""
    changed: int = 0
    """Records the restore changed, added or removed."""

    def lines(self) -> list[str]:
        if self.rebuilt:
            out = [f"restored {self.db} from {self.backup} (made anew)"]
            out += [f"the damaged file was kept as {p}" for p in self.moved_aside]
        else:
            out = [f"restored {self.db} from {self.backup}: {self.changed} records changed"]
            if self.safety_backup:
                out.append(f"the database as it was is in {self.safety_backup}")
        return out


class _Snapshot(ReadView):
    def __init__(self, path: Path) -> None:
        try:
            self._state = load_backup(path)
        except Damage as exc:
            raise DamagedStoreError(path, exc.problems) from None


def _aside(db: Path, when: dt.datetime | None, lock_timeout: float) -> tuple[Path, ...]:
    stamp = "" if when is None else when.astimezone(dt.UTC).strftime("-%Y%m%dT%H%M%SZ")
    moved: list[Path] = []
    with WriterLock(db, lock_timeout):
        for path in (db, log_path(db)):
            if path.exists():
                n, target = 1, path.with_name(f"{path.name}.damaged{stamp}")
                while target.exists():
                    n += 1
                    target = path.with_name(f"{path.name}.damaged{stamp}-{n}")
                os.replace(path, target)
                moved.append(target)
        fsync_dir(db.parent)
    return tuple(moved)


def restore(
    db: Path,
    backup: Path,
    *,
    at: dt.datetime | None = None,
    clock: Clock | None = None,
    actor: str | None = None,
    lock_timeout: float = 30.0,
) -> RestoreResult:
    """Bring ``db`` back to ``backup`` (any snapshot or backup file); see the module doc."""
    if backup.resolve() == db.resolve():
        raise StoreError(f"{backup} is the database itself; name one of its backups")
    if not backup.exists():
        raise NotFoundError(f"there is no backup {backup}")
    source = _Snapshot(backup)  # a damaged backup stops here, before anything is touched
    when = at if at is not None else (clock() if clock else None)
    try:
        store = Store.open(db, clock=clock, actor=actor, lock_timeout=lock_timeout)
    except (DamagedStoreError, NotFoundError):
        moved = _aside(db, when, lock_timeout)
        Store.create(
            db, scenario=source.scenario(), at=when, clock=clock, actor=actor,
            lock_timeout=lock_timeout,
        )  # fmt: skip
        return RestoreResult(db, backup, rebuilt=True, moved_aside=moved)
    safety = store.backup("before-restore", at=when)
    with store.transaction(f"restore {backup.name}", at=when, actor=actor) as tx:
        for kind in Kind:
            for ref in tx.refs(kind):
                if source.version_of(ref) == 0 and ref != Ref.rules():
                    tx.put(ref, None, None)
        tx.put_scenario(source.scenario())
        changed = len(tx.before)
    return RestoreResult(db, backup, rebuilt=False, safety_backup=safety, changed=changed)
