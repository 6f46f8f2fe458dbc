"""Durable file writes: after a crash a reader sees the old file or the new one, never a mix."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["PRIVATE", "fsync_dir", "remove_temp_files", "temp_prefix", "write_atomic"]

PRIVATE = 0o600
"""The database holds passport numbers and NIK: owner read/write only."""


def temp_prefix(db_path: Path) -> str:
    """Every temporary file the store makes for ``db_path`` starts with this."""
    return f".{db_path.name}.tmp-"


def write_atomic(target: Path, data: bytes, *, db_path: Path | None = None) -> None:
    """Replace ``target`` with ``data``: temp file in the same directory, fsync, rename.

    The temp file is named after ``db_path`` (default: ``target``) so that
    :func:`remove_temp_files` finds what a killed writer left behind. An
    existing target keeps its permissions; a new one is created 0600.
    """
    prefix = temp_prefix(db_path or target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix)  # mkstemp makes it 0600
    try:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(target.parent)


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable (POSIX; a no-op on Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # Windows cannot open a directory; its renames are durable anyway
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_temp_files(db_path: Path) -> list[Path]:
    """Delete temp files a killed writer left beside ``db_path``; call only under the lock."""
    removed: list[Path] = []
    prefix = temp_prefix(db_path)
    try:
        names = os.listdir(db_path.parent)
    except OSError:
        return removed
    for name in names:
        if name.startswith(prefix):
            path = db_path.parent / name
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed
