"""Reading a database from disk without changing it: snapshot, then the log after it."""

from __future__ import annotations

import os
from pathlib import Path

from attrs import frozen

from grouppass._gc import gc_paused
from grouppass.errors import LocatedProblem
from grouppass.store import migrate
from grouppass.store._bulk import build_state
from grouppass.store._errors import NotFoundError, StoreError
from grouppass.store._log import LogDamage, log_path, read_tail
from grouppass.store._snapshot import Damage, Raw, decode, decode_tables
from grouppass.store._state import State, apply_raw

__all__ = ["LogInfo", "is_good_backup", "load_backup", "load_raw", "load_state", "read_snapshot"]


@frozen
class LogInfo:
    snapshot_offset: int
    """How far into the log the snapshot goes."""
    snapshot_size: int
    end: int
    """Offset just past the last complete line."""
    torn: int
    """Bytes of a cut-short last line (a write that never finished)."""
    ident: tuple[int, int]
    """The log file's (device, inode): a new one means the log was replaced (restore)."""
    log_base: int = 0
    """The change the log starts after (see :mod:`._snapshot`)."""


def read_snapshot(path: Path) -> tuple[Raw, int]:
    """The decoded snapshot (tables included) and its size; raises Damage, NotFoundError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(
            f"no database at {path}; create one with: grouppass db init --db {path}"
        ) from None
    except IsADirectoryError:
        raise NotFoundError(f"{path} is a directory, not a database file") from None
    raw, top = decode(data, str(path))
    migrate.check_schema(raw.schema, str(path))
    decode_tables(raw, top, str(path))
    return raw, len(data)


def load_raw(path: Path) -> tuple[Raw, LogInfo]:
    """Snapshot plus every complete log line after it, as JSON; raises Damage."""
    raw, size = read_snapshot(path)
    log = log_path(path)
    source = str(log)
    try:
        st = os.stat(log)
    except FileNotFoundError:
        problem = (
            f"the change log {log.name} is missing (copy it together with {path.name}; "
            f"to start again from {path.name} alone, restore it as a backup)"
        )
        raise Damage([LocatedProblem("", problem, str(path))]) from None
    if st.st_size < raw.log_offset:
        problem = f"is {st.st_size} bytes, shorter than the {raw.log_offset} the snapshot has seen"
        raise Damage([LocatedProblem("", problem + " (cut short or replaced)", source)])
    try:
        if raw.log_offset:
            with open(log, "rb") as f:
                f.seek(raw.log_offset - 1)
                if f.read(1) != b"\n":
                    problem = f"does not belong to {path.name} (no line ends at {raw.log_offset})"
                    raise Damage([LocatedProblem("", problem, source)])
        tail = read_tail(log, raw.log_offset)
    except LogDamage as exc:
        raise Damage([LocatedProblem("", str(exc), source)]) from None
    for entry in tail.entries:
        apply_raw(raw, entry, f"{source} (change {entry['seq']})")
    info = LogInfo(raw.log_offset, size, tail.end, tail.torn, (st.st_dev, st.st_ino), raw.log_base)
    return raw, info


def load_state(raw: Raw) -> State:
    """Model objects for ``raw`` (already at the current schema); raises Damage.

    References are checked on the way (an unknown office code is damage too).
    """
    return build_state(raw)


def load_backup(path: Path) -> State:
    """A backup (any snapshot file, its log ignored) as model objects; raises Damage."""
    with gc_paused():
        raw, _ = read_snapshot(path)
        migrate.migrate(raw)
        return load_state(raw)


def is_good_backup(path: Path) -> bool:
    """Does ``path`` load as a complete database (its own log aside)?"""
    try:
        load_backup(path)
    except (Damage, StoreError, OSError):
        return False
    return True
