"""Durable file writes for the store: temp files named after the database, so a killed
writer's leftovers can be found and removed."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from grouppass import _files
from grouppass._files import PRIVATE, NotDurableError, Probe, fsync_dir
from grouppass.store.files import temp_prefix

__all__ = [
    "PRIVATE",
    "NotDurableError",
    "fsync_dir",
    "remove_temp_files",
    "temp_prefix",
    "write_atomic",
]


def write_atomic(
    target: Path,
    data: bytes,
    *,
    db_path: Path | None = None,
    probe: Probe | None = None,
    step: str = "",
) -> None:
    """Replace ``target`` durably (created 0600); the temp file is named after ``db_path``
    (default: ``target``) so that :func:`remove_temp_files` finds what a killed writer left.

    ``probe`` hears each step as ``<step>.<name>`` (``snapshot.renamed``...).
    """
    named = None if probe is None else (lambda name: probe(f"{step}.{name}" if step else name))
    _files.write_atomic(target, data, prefix=temp_prefix(db_path or target), probe=named)


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
