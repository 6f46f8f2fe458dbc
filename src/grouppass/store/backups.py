"""Backup files beside the database: naming, listing, pruning, and finding a good one.

A backup is a complete snapshot (the same TinyDB-layout JSON as the database
file) named ``<stem>.backup-<UTC time>[-<label>]<suffix>``, e.g.
``agency.backup-20180315T020000Z.json``. The store writes one with each day's
first change, before a migration and before a restore; automatic ones beyond
the newest :data:`KEEP` are deleted. A backup is a copy, never a hard link: a
program that rewrites the database file in place must not damage its backups too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

__all__ = ["KEEP", "backup_path", "backup_time", "last_good", "list_backups", "prune"]

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


def list_backups(db_path: Path) -> list[Path]:
    """Backups of ``db_path``, newest first (those without a time last)."""
    pattern = _pattern(db_path)
    try:
        names = [n for n in os.listdir(db_path.parent) if pattern.fullmatch(n)]
    except OSError:
        return []
    paths = [db_path.with_name(n) for n in names]
    never = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(paths, key=lambda p: (backup_time(db_path, p) or never, p.name), reverse=True)


def prune(db_path: Path, keep: int = KEEP) -> list[Path]:
    """Delete automatic backups beyond the newest ``keep``; returns what was deleted."""
    pattern = _pattern(db_path)
    automatic = [
        p
        for p in list_backups(db_path)
        if (m := pattern.fullmatch(p.name)) and not m.group(2) and backup_time(db_path, p)
    ]
    gone = automatic[keep:]
    for path in gone:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return gone


def last_good(db_path: Path, is_good: Callable[[Path], bool], tries: int = 5) -> Path | None:
    """The newest backup that ``is_good`` accepts, looking at no more than ``tries``."""
    for path in list_backups(db_path)[:tries]:
        if is_good(path):
            return path
    return None
