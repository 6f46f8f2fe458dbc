"""Starting a database's log afresh: after a repair that cannot keep the log, or a restore
onto a damaged database.

The new log starts after every change anything on disk knows of
(:func:`~grouppass.store._recover.known_seq`), and its first line writes every
record (the audited "repair" or "restore" change), so the invariant "a log
starts from an empty database" holds again and no version is reused. The
old files are copied aside first, never deleted; the new log and snapshot
then replace them one rename at a time, so a crash leaves either the old
file or the new one under each name (and ``db repair`` can finish the job).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from grouppass._files import NotDurableError, Probe
from grouppass.store._atomic import write_atomic
from grouppass.store._log import encode as encode_line
from grouppass.store._mark import Mark, write_mark
from grouppass.store._records import Kind
from grouppass.store._snapshot import OutRecord, Raw
from grouppass.store._snapshot import encode as encode_snapshot
from grouppass.store.files import aside_path, log_path
from grouppass.store.migrate import SCHEMA_VERSION

__all__ = ["keep_aside", "start_lineage"]


def keep_aside(path: Path, db: Path, when: dt.datetime | None) -> Path | None:
    """Copy ``path`` (a damaged file of ``db``) to a new ``.damaged`` name; None if absent.

    A copy, not a rename, so the original stays in place until its
    replacement is on disk; not a hard link, so rewriting one cannot change
    the other.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    dest = aside_path(path, when)
    with contextlib.suppress(NotDurableError):  # in place; the writes that follow sync the folder
        write_atomic(dest, data, db_path=db)
    return dest


def _records(raw: Raw, seq: int) -> Iterator[tuple[Kind, Iterator[OutRecord]]]:
    for kind in Kind:
        yield (
            kind,
            (
                (seq, data, key[0] if kind is Kind.MEMBER else None)
                for key, (_, data, _) in raw.tables[kind].items()
            ),
        )


def start_lineage(
    db: Path,
    raw: Raw,
    *,
    base: int,
    at: dt.datetime,
    actor: str,
    action: str,
    probe: Probe | None = None,
) -> tuple[Path, ...]:
    """Make ``raw`` (at the current schema) the whole of ``db``, as change ``base + 1`` of a
    new log. Call under the writer lock. Returns the old files' copies.

    Raises OSError; :class:`NotDurableError` once everything is in place but
    the folder could not be synced.
    """
    seq = base + 1
    changes: list[dict[str, Any]] = [
        {"kind": kind.value, "key": list(key), "before": None, "after": data}
        for kind in Kind
        for key, (_, data, _) in raw.tables[kind].items()
    ]
    line = encode_line({
        "seq": seq, "at": at.isoformat(), "actor": actor, "action": action,
        "schema": SCHEMA_VERSION, "changes": changes,
    })  # fmt: skip
    snapshot = encode_snapshot(SCHEMA_VERSION, seq, len(line), _records(raw, seq), log_base=base)
    log = log_path(db)
    moved = tuple(p for p in (keep_aside(db, db, at), keep_aside(log, db, at)) if p is not None)
    # The snapshot's folder sync below covers this rename too (or says it failed).
    with contextlib.suppress(NotDurableError):
        write_atomic(log, line, db_path=db, probe=probe, step="log")
    try:
        write_atomic(db, snapshot, db_path=db, probe=probe, step="snapshot")
    finally:
        write_mark(db, Mark(base, seq, len(line)), probe=probe)
    return moved
