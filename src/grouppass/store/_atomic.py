"""Durable file writes: after a crash a reader sees the old file or the new one, never a mix."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from grouppass import _files
from grouppass._files import PRIVATE, fsync_dir

__all__ = ["PRIVATE", "fsync_dir", "remove_temp_files", "temp_prefix", "write_atomic"]


def temp_prefix(db_path: Path) -> str:
    """Every temporary file the store makes for ``db_path`` starts with this."""
    return f".{db_path.name}.tmp-"


def write_atomic(target: Path, data: bytes, *, db_path: Path | None = None) -> None:
    """Replace ``target`` durably; the temp file is named after ``db_path`` (default:
    ``target``) so that :func:`remove_temp_files` finds what a killed writer left."""
    _files.write_atomic(target, data, prefix=temp_prefix(db_path or target))


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
