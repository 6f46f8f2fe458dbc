"""The high-water mark: the last change ever acknowledged, kept beside the log.

The snapshot records how far into the log it goes, but between two snapshot
rewrites only the log knows about the newest changes, so a log cut at a line
boundary (an older copy put back, filesystem damage) would look whole. After
each change is in the log, and before the call that made it returns, its
number and the log's new end are written here: a log that ends before the
mark has lost acknowledged changes, and the store refuses to write to it.

The file is one line like a log line (CRC-32, space, JSON), padded to a
fixed size and rewritten in place, so an update is one ``pwrite`` and one
``fdatasync`` and never changes the file's size::

    5e1f0a2c {"log_base":0,"seq":57,"log_end":20731}

It is written only after the log's fsync, so it can lag behind the log (a
crash in between) but never run ahead of it.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import orjson
from attrs import frozen

from grouppass._files import Probe, write_atomic
from grouppass.store.files import mark_path, temp_prefix

__all__ = ["Mark", "read_mark", "write_mark"]

SIZE = 128


@frozen
class Mark:
    log_base: int
    """The change the log of that time started after (see :mod:`._snapshot`)."""
    seq: int
    """The last change acknowledged."""
    log_end: int
    """Where in the log that change's line ends."""


def _encode(mark: Mark) -> bytes:
    payload = orjson.dumps({"log_base": mark.log_base, "seq": mark.seq, "log_end": mark.log_end})
    line = b"%08x " % zlib.crc32(payload) + payload
    return line.ljust(SIZE - 1) + b"\n"


def read_mark(db: Path) -> tuple[Mark | None, str | None]:
    """The mark beside ``db`` and, when it cannot be read, why (None, None: there is none)."""
    path = mark_path(db)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"{path} cannot be read: {exc.strerror or exc}"
    line = data.rstrip(b" \n")
    try:
        crc, payload = int(line[:8], 16), line[9:]
        if line[8:9] != b" " or zlib.crc32(payload) != crc:
            raise ValueError("checksum")
        value = orjson.loads(payload)
        fields = [value[k] for k in ("log_base", "seq", "log_end")]
        if not all(type(v) is int and v >= 0 for v in fields):
            raise ValueError("fields")
    except (ValueError, TypeError, KeyError, orjson.JSONDecodeError):
        return None, f"{path} is damaged (not a mark this program wrote)"
    return Mark(*fields), None


def write_mark(db: Path, mark: Mark, *, probe: Probe | None = None) -> None:
    """Record ``mark`` durably; raises OSError."""
    path = mark_path(db)
    data = _encode(mark)
    if probe:
        probe("mark.write")
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        # The first mark of this database: created whole, the folder synced.
        write_atomic(path, data, prefix=temp_prefix(db))
    else:
        try:
            if os.fstat(fd).st_size != SIZE:
                os.ftruncate(fd, SIZE)
            os.lseek(fd, 0, os.SEEK_SET)
            view = memoryview(data)  # 128 bytes: one call, within one disk sector
            while view:
                view = view[os.write(fd, view) :]
            (getattr(os, "fdatasync", None) or os.fsync)(fd)
        finally:
            os.close(fd)
    if probe:
        probe("mark.synced")
