"""The change log: every committed change is one line, appended and fsync'd.

A line is the CRC-32 of its JSON (8 hex digits), a space, the JSON, a newline::

    1c0f2e9a {"seq":12,"at":"2018-03-15T02:00:00+00:00","actor":"nashif",...}

orjson never writes a raw newline inside JSON, so a newline ends a line. A
last line without its newline is a write that was cut short (the process was
killed or the power failed before the fsync returned): it was never
acknowledged, so readers ignore it; the next writer moves it into a side file
(:func:`~grouppass.store.files.cut_path`) and cuts it off. Whether it really
was never acknowledged is checked against the high-water mark
(:mod:`._mark`): a log that ends before the mark has lost acknowledged
changes, and nothing is cut or written. A complete line whose checksum is
wrong is damage and is reported, never skipped.

The log is never rewritten, so it doubles as the audit trail; the snapshot
records how far into it the state it holds goes.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from attrs import frozen

from grouppass._files import Probe
from grouppass.store.files import log_path

__all__ = [
    "LogDamage",
    "LogLine",
    "LogScan",
    "LogTail",
    "append",
    "encode",
    "iter_newest",
    "log_path",
    "read_tail",
    "scan",
]


class LogDamage(Exception):
    """A complete log line that does not decode; ``offset`` is where it starts."""

    def __init__(self, offset: int, reason: str) -> None:
        self.offset = offset
        self.reason = reason
        super().__init__(f"at byte {offset}: {reason}")


@frozen
class LogTail:
    entries: tuple[dict[str, Any], ...]
    end: int
    """Offset just past the last complete line."""
    torn: int
    """Bytes after ``end`` that are not a complete line: a write that was cut short."""


def encode(entry: dict[str, Any]) -> bytes:
    payload = orjson.dumps(entry)
    return b"%08x " % zlib.crc32(payload) + payload + b"\n"


def decode_line(line: bytes, offset: int) -> dict[str, Any]:
    """One line without its newline; raises LogDamage."""
    if len(line) < 10 or line[8:9] != b" ":
        raise LogDamage(offset, "not a log line")
    payload = line[9:]
    try:
        crc = int(line[:8], 16)
    except ValueError:
        raise LogDamage(offset, "not a log line (no checksum)") from None
    if zlib.crc32(payload) != crc:
        raise LogDamage(offset, "checksum mismatch (the line was changed or damaged)")
    try:
        entry = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise LogDamage(offset, f"not valid JSON: {exc}") from None
    if not isinstance(entry, dict) or type(entry.get("seq")) is not int:
        raise LogDamage(offset, "not a change record")
    return entry


def _lines(data: bytes, base: int) -> Iterator[tuple[int, bytes]]:
    start = 0
    while True:
        end = data.find(b"\n", start)
        if end < 0:
            return
        yield base + start, data[start:end]
        start = end + 1


def read_tail(path: Path, offset: int) -> LogTail:
    """Every complete line from ``offset`` on; raises LogDamage or OSError."""
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read()
    entries = [decode_line(line, at) for at, line in _lines(data, offset)]
    complete = data.rfind(b"\n") + 1
    return LogTail(tuple(entries), offset + complete, len(data) - complete)


@frozen
class LogLine:
    offset: int
    entry: dict[str, Any] | None
    """None when the line does not decode (``problem`` says why)."""
    problem: str | None = None


@frozen
class LogScan:
    """Every complete line of a log, decoded one by one (a damaged line does not hide the rest)."""

    lines: tuple[LogLine, ...]
    end: int
    """Offset just past the last complete line."""
    torn: int
    """Bytes after ``end``: a last line without its newline."""

    def entries(self) -> dict[int, dict[str, Any]]:
        """The decoded entries by their sequence number (the first line with each)."""
        out: dict[int, dict[str, Any]] = {}
        for line in self.lines:
            if line.entry is not None:
                out.setdefault(line.entry["seq"], line.entry)
        return out


def scan(path: Path) -> LogScan:
    """Read the whole log, line by line; raises OSError."""
    data = path.read_bytes()
    lines: list[LogLine] = []
    for at, raw in _lines(data, 0):
        try:
            lines.append(LogLine(at, decode_line(raw, at)))
        except LogDamage as exc:
            lines.append(LogLine(at, None, exc.reason))
    end = data.rfind(b"\n") + 1
    return LogScan(tuple(lines), end, len(data) - end)


def read_range(path: Path, start: int, end: int) -> bytes:
    with open(path, "rb") as f:
        f.seek(start)
        return f.read(end - start)


def append(path: Path, line: bytes, end: int, *, probe: Probe | None = None) -> int:
    """Write ``line`` at ``end`` and fsync; returns the new end.

    Only the lock holder calls this, after keeping aside any torn tail past
    ``end`` (it is cut off here). On failure (a full disk) the log is cut back
    to ``end`` so no half line stays behind, and the error is re-raised.
    """
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))  # Windows: no \r\n
    try:
        if os.fstat(fd).st_size != end:
            os.ftruncate(fd, end)
        try:
            os.lseek(fd, end, os.SEEK_SET)
            if probe:
                probe("log.write")
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view) :]
            if probe:
                probe("log.written")
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, end)
            raise
    finally:
        os.close(fd)
    if probe:
        probe("log.synced")
    return end + len(line)


def iter_newest(path: Path, *, start: int = 0) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """Complete lines at or after ``start``, newest first, as ``(offset, entry)``.

    ``entry`` is None for a damaged line, so a listing can say so rather than
    stop. Reads backwards in growing chunks: listing the last 50 changes of a
    big log reads only its end.
    """
    with open(path, "rb") as f:
        pos = f.seek(0, os.SEEK_END)
        pending = b""  # bytes from ``pos`` up to the first line not yet yielded
        chunk = 1 << 16
        trimmed = False
        while True:
            if pos > start:
                step = min(chunk, pos - start)
                pos -= step
                f.seek(pos)
                pending = f.read(step) + pending
                chunk = min(chunk * 2, 1 << 24)
            if not trimmed:  # drop a torn last line first
                cut = pending.rfind(b"\n")
                if cut < 0 and pos > start:
                    continue
                pending = pending[: cut + 1]
                trimmed = True
            # The bytes before the first newline may be the end of a line that
            # starts before ``pos``: keep them until that line has been read whole.
            first = 0 if pos <= start else pending.find(b"\n") + 1
            if first == 0 and pos > start:
                continue
            for at, line in reversed(list(_lines(pending[first:], pos + first))):
                try:
                    yield at, decode_line(line, at)
                except LogDamage:
                    yield at, None
            pending = pending[:first]
            if pos <= start:
                return
