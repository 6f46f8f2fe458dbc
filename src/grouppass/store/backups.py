"""Backup files beside the database: naming, listing, pruning, and finding a good one.

A backup is a complete snapshot (the same TinyDB-layout JSON as the database
file) named ``<stem>.backup-<UTC time>[-<label>]<suffix>``, e.g.
``agency.backup-20180315T020000Z.json``. The store writes one with each day's
first change, before a migration and before a restore; automatic ones beyond
the newest :data:`KEEP` are deleted. A backup is a copy, never a hard link: a
program that rewrites the database file in place must not damage its backups too.

Backups are ordered by what they hold (the number of the last change in
them, ``meta.seq``), never by the time in their name: a clock that was wrong
once must not make an old backup look newest. The name's time only says
when a daily backup is due.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

from attrs import frozen

from grouppass.store._snapshot import Meta, peek_meta

__all__ = [
    "KEEP",
    "Backup",
    "backup_path",
    "backup_time",
    "find_backups",
    "last_good",
    "list_backups",
    "prune",
]

KEEP = 14
"""Automatic (unlabelled) backups kept; labelled ones are never deleted."""

_STAMP = "%Y%m%dT%H%M%SZ"


def _pattern(db_path: Path) -> re.Pattern[str]:
    stem, suffix = re.escape(db_path.stem), re.escape(db_path.suffix)
    return re.compile(rf"{stem}\.backup-(\d{{8}}T\d{{6}}Z|[a-z0-9]+)((?:-[a-z0-9-]+)?){suffix}")


def backup_path(db_path: Path, when: dt.datetime | None, label: str = "") -> Path:
    """A new backup file name: the UTC time of ``when`` (or just the label), never an existing one.

    >>> backup_path(Path("/d/agency.json"), dt.datetime(2018, 3, 15, 10, tzinfo=dt.UTC))
    PosixPath('/d/agency.backup-20180315T100000Z.json')
    >>> backup_path(Path("/d/agency.json"), None, "schema1")
    PosixPath('/d/agency.backup-schema1.json')
    """
    if when is None:
        base = f"{db_path.stem}.backup-{label}"
    else:
        stamp = when.astimezone(dt.UTC).strftime(_STAMP)
        base = f"{db_path.stem}.backup-{stamp}" + (f"-{label}" if label else "")
    candidate = db_path.with_name(base + db_path.suffix)
    n = 2
    while candidate.exists():
        candidate = db_path.with_name(f"{base}-{n}{db_path.suffix}")
        n += 1
    return candidate


def backup_time(db_path: Path, backup: Path) -> dt.datetime | None:
    """When a backup was made, from its name (None for a labelled one without a time)."""
    m = _pattern(db_path).fullmatch(backup.name)
    if m is None:
        return None
    try:
        return dt.datetime.strptime(m.group(1), _STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


@frozen
class Backup:
    path: Path
    meta: Meta | None
    """Its meta record (None: it does not read as a snapshot at all)."""
    time: dt.datetime | None
    """The time in its name."""
    automatic: bool
    """A daily backup (no label): pruned beyond the newest :data:`KEEP`."""

    @property
    def seq(self) -> int:
        """The last change it holds (-1 when unreadable, so it sorts last)."""
        return -1 if self.meta is None else self.meta.seq


def find_backups(db_path: Path) -> list[Backup]:
    """Backups of ``db_path``, newest content first: by the last change they hold, then name."""
    pattern = _pattern(db_path)
    try:
        names = [n for n in os.listdir(db_path.parent) if pattern.fullmatch(n)]
    except OSError:
        return []
    found = []
    for name in names:
        path = db_path.with_name(name)
        m = pattern.fullmatch(name)
        when = backup_time(db_path, path)
        found.append(Backup(path, peek_meta(path), when, bool(m and not m.group(2) and when)))
    return sorted(found, key=lambda b: (b.seq, b.path.name), reverse=True)


def list_backups(db_path: Path) -> list[Path]:
    """Paths of :func:`find_backups`, newest content first."""
    return [b.path for b in find_backups(db_path)]


def prune(db_path: Path, keep: int = KEEP) -> list[Path]:
    """Delete automatic backups beyond the newest ``keep`` (by content); returns what went."""
    automatic = [b.path for b in find_backups(db_path) if b.automatic]
    gone = automatic[keep:]
    for path in gone:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return gone


def last_good(db_path: Path, is_good: Callable[[Path], bool], tries: int = 5) -> Path | None:
    """The newest backup (by content) that ``is_good`` accepts, trying at most ``tries``."""
    for backup in find_backups(db_path)[:tries]:
        if backup.meta is not None and is_good(backup.path):
            return backup.path
    return None
