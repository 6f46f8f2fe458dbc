"""Durable file writes: after a crash a reader sees the old file or the new one, never a mix.

Every file grouppass writes (the database's snapshot and backups, exports,
scenario files) goes through :func:`atomic_output`: a new temp file in the
target's directory, created ``0600`` (owner only: most of them hold passport
numbers and NIK), fsync'd, renamed over the target, and the directory
fsync'd. So:

* a failing write (a full disk, an exception half-way) leaves the target as
  it was and removes the temp file;
* the target never keeps an older file's looser permissions, and a symlink
  at the target is replaced, never followed (the rename works on the name);
* when the call returns the file is on disk (or :class:`NotDurableError` says
  it is in place but its directory could not be synced).

A command's ``--output`` goes through :func:`open_output`: the same for a
file, but a device, a FIFO or a name in ``/dev`` or ``/proc`` (``/dev/null``,
``/dev/stdout``) is a stream, written as it is: renaming a file over it would
replace the device node (as root, ``/dev/null`` itself) and say nothing.

A ``probe`` is told the name of each step (``write``, ``written``, ``synced``,
``renamed``, ``dir-synced``) as it is reached: tests raise or exit from it to
prove what a crash or a full disk at that step leaves behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "PRIVATE",
    "NotDurableError",
    "Probe",
    "atomic_output",
    "fsync_dir",
    "open_output",
    "write_atomic",
]

PRIVATE = 0o600
"""Files holding passport numbers and NIK: owner read/write only."""

Probe = Callable[[str], None]
"""Told the name of each step of a durable write as it is reached (fault injection in tests)."""


class NotDurableError(OSError):
    """The file was written and renamed into place, but its directory could not be fsync'd:
    the rename may not survive a power cut. Raised after the fact, so callers can warn."""


def _no_probe(step: str) -> None:
    pass


@contextlib.contextmanager
def atomic_output(
    target: Path, *, prefix: str | None = None, probe: Probe | None = None
) -> Iterator[BinaryIO]:
    """A binary file to write; it replaces ``target`` only when the block ends without error.

    The temp file's name starts with ``prefix`` (default ``.NAME.tmp-``), so a
    caller can find what a killed writer left behind.
    """
    hit = probe or _no_probe
    prefix = prefix or f".{target.name}.tmp-"
    # mkstemp opens with O_CREAT|O_EXCL under a fresh random name: it never
    # follows a symlink and never opens someone else's file.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix)
    try:
        if hasattr(os, "fchmod"):  # POSIX: exactly 0600, whatever the umask
            os.fchmod(fd, PRIVATE)
        with os.fdopen(fd, "wb") as f:
            hit("write")
            yield f
            f.flush()
            hit("written")
            os.fsync(f.fileno())
        hit("synced")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    hit("renamed")
    try:
        fsync_dir(target.parent)
    except OSError as exc:
        raise NotDurableError(
            exc.errno,
            f"{target} was written, but its folder could not be synced "
            f"({exc.strerror or exc}): it may not survive a power cut",
        ) from exc
    hit("dir-synced")


def _is_stream(target: Path) -> bool:
    try:
        mode = os.stat(target).st_mode  # through symlinks: /dev/stdout -> the pipe
    except OSError:
        mode = None
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return True  # a device, a FIFO, a socket
    # /dev/stdout redirected to a file is a regular file, but its name lives in
    # /dev (or /proc/PID/fd): a temp file there would be a new device-folder
    # entry, and the rename would replace the link the shell gave us.
    folder = os.path.realpath(os.path.dirname(os.path.abspath(target)))
    return folder == "/dev" or folder.startswith("/proc/")


@contextlib.contextmanager
def open_output(target: Path) -> Iterator[BinaryIO]:
    """Where a command's ``--output`` is written: ``target`` replaced durably, or a stream.

    A file (new or existing) is written with :func:`atomic_output`. A device,
    FIFO or ``/dev``/``/proc`` name is opened as it is, never created or
    replaced. Every ``OSError`` names ``target``, never a temp file, so the
    user reads the path they gave.
    """
    if _is_stream(target):
        try:
            fd = os.open(target, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOCTTY", 0))
            with os.fdopen(fd, "wb") as f:
                yield f
                f.flush()
        except NotDurableError:
            raise
        except OSError as exc:
            raise _naming(exc, target) from exc
        return
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder: give a file name", str(target))
    if not target.parent.is_dir():
        raise FileNotFoundError(
            errno.ENOENT, f"there is no folder {target.parent} to write it in", str(target)
        )
    try:
        with atomic_output(target) as f:
            yield f
    except NotDurableError:
        raise
    except OSError as exc:
        raise _naming(exc, target) from exc


def _naming(exc: OSError, target: Path) -> OSError:
    # The same error, said of the user's path (mkstemp names its temp file).
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


def write_atomic(
    target: Path, data: bytes, *, prefix: str | None = None, probe: Probe | None = None
) -> None:
    """Replace ``target`` with ``data`` durably (see :func:`atomic_output`)."""
    with atomic_output(target, prefix=prefix, probe=probe) as f:
        f.write(data)


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable; raises OSError if it cannot.

    Windows cannot open a directory, and its renames are durable without it:
    there it does nothing. Elsewhere a failure is reported, never swallowed,
    as "durable when the call returns" depends on it.
    """
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
