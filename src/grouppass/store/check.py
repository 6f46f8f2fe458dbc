"""``grouppass db check``: is this database whole? Reads only; never writes or tidies."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from attrs import frozen

from grouppass._gc import gc_paused
from grouppass.store import backups
from grouppass.store._atomic import PRIVATE, temp_prefix
from grouppass.store._load import load_raw, load_state
from grouppass.store._log import LogDamage, decode_line, log_path
from grouppass.store._records import Kind
from grouppass.store._snapshot import Damage
from grouppass.store._state import State
from grouppass.store.database import is_good_backup
from grouppass.store.migrate import SCHEMA_VERSION

__all__ = ["CheckResult", "check"]


@frozen
class CheckResult:
    path: Path
    problems: tuple[str, ...]
    """What makes the database unusable (it will not open)."""
    notes: tuple[str, ...]
    """What is worth knowing but harms nothing (a cut-short last write, loose permissions)."""
    summary: str

    @property
    def ok(self) -> bool:
        return not self.problems


def _whole_log(path: Path) -> tuple[list[str], int]:
    """Checksum every line of the log (the audit trail before the snapshot too)."""
    problems: list[str] = []
    data = path.read_bytes()
    last = None
    start = 0
    while (end := data.find(b"\n", start)) >= 0:
        try:
            seq = decode_line(data[start:end], start)["seq"]
            if last is not None and seq != last + 1:
                problems.append(f"{path}: at byte {start}: change {seq} follows change {last}")
            last = seq
        except LogDamage as exc:
            problems.append(f"{path}: {exc}")
        start = end + 1
    return problems, len(data) - start


def _notes(path: Path, torn: int) -> list[str]:
    notes: list[str] = []
    if torn:
        notes.append(
            f"the last write to {log_path(path).name} was cut short ({torn} bytes): it was never "
            "confirmed to anyone, and the next save cuts it off"
        )
    for p in (path, log_path(path)):
        mode = stat.S_IMODE(p.stat().st_mode) if p.exists() else PRIVATE
        if mode & 0o077:
            notes.append(f"{p} can be read by other users (mode {mode:o}); chmod 600 {p}")
    prefix = temp_prefix(path)
    left = [n for n in os.listdir(path.parent) if n.startswith(prefix)]
    if left:
        notes.append(f"{len(left)} temporary file(s) left by a killed writer; removed on next open")
    return notes


def _summary(state: State, path: Path) -> str:
    found = backups.list_backups(path)
    newest = f"newest backup {found[0].name}" if found else "no backups yet"
    return (
        f"{len(state.tables[Kind.GROUP])} groups, {state.member_count()} travellers, "
        f"{len(state.tables[Kind.OFFICE])} offices, {len(state.tables[Kind.DISRUPTION])} "
        f"disruptions; revision {state.seq}; schema {SCHEMA_VERSION}; {newest}"
    )


def check(path: Path) -> CheckResult:
    """Verify snapshot, log and references; says where the last good backup is if it fails."""
    problems: list[str] = []
    try:
        with gc_paused():
            raw, _ = load_raw(path)
            state = load_state(raw) if raw.schema == SCHEMA_VERSION else None
    except Damage as exc:
        problems = [str(p) for p in exc.problems]
        good = backups.last_good(path, is_good_backup)
        hint = f"the last good backup is {good}" if good else "no good backup was found"
        return CheckResult(path, tuple(problems), (), hint)
    log_problems, torn = _whole_log(log_path(path))
    problems += log_problems
    notes = _notes(path, torn)
    if state is None:
        notes.append(f"schema {raw.schema}: the next open migrates it (after a backup)")
        return CheckResult(path, tuple(problems), tuple(notes), f"revision {raw.seq}")
    return CheckResult(path, tuple(problems), tuple(notes), _summary(state, path))
