"""Durable file writes: after a crash a reader sees the old file or the new one, never a mix."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["PRIVATE", "fsync_dir", "write_atomic"]

PRIVATE = 0o600
"""Files holding passport numbers and NIK: owner read/write only."""


def write_atomic(target: Path, data: bytes, *, prefix: str | None = None) -> None:
    """Replace ``target`` with ``data``: temp file in the same directory, fsync, rename.

    The temp file's name starts with ``prefix`` (default ``.NAME.tmp-``), so a
    caller can find what a killed writer left behind. An existing target keeps
    its permissions; a new one is created 0600, as it may hold personal data.
    """
    prefix = prefix or f".{target.name}.tmp-"
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
