"""``grouppass db check``: is this database whole? Reads only; never writes or tidies."""

from __future__ import annotations

import copy
import os
import stat
from pathlib import Path

from attrs import frozen

from grouppass._files import PRIVATE
from grouppass._gc import gc_paused
from grouppass.store import backups
from grouppass.store._errors import StoreError
from grouppass.store._load import is_good_backup, load_raw, load_state
from grouppass.store._log import LogScan, scan
from grouppass.store._mark import Mark, read_mark
from grouppass.store._records import Kind
from grouppass.store._recover import RepairPlan, behind, log_problems, plan_repair
from grouppass.store._snapshot import Damage, Raw
from grouppass.store._state import State
from grouppass.store.files import database_files, log_path, temp_prefix
from grouppass.store.migrate import SCHEMA_VERSION, migrate

__all__ = ["CheckResult", "check"]


@frozen
class CheckResult:
    path: Path
    problems: tuple[str, ...]
    """What makes the database unusable (it will not open, or not for writing)."""
    notes: tuple[str, ...]
    """What is worth knowing but harms nothing (a cut-short last write, loose permissions)."""
    summary: str
    plan: RepairPlan | None = None
    """When there are problems: what ``grouppass db repair`` would do."""

    @property
    def ok(self) -> bool:
        return not self.problems


def _torn_note(path: Path, log: LogScan, mark: Mark | None) -> str | None:
    if not log.torn:
        return None
    name = log_path(path).name
    if mark is not None and mark.log_end > log.end:
        return None  # reported as a problem: acknowledged changes are missing
    return (
        f"the last write to {name} was cut short ({log.torn} bytes after byte {log.end}): it "
        "was never acknowledged; the next save moves it to a side file and cuts it off"
    )


def _notes(path: Path, log: LogScan, mark: Mark | None, mark_problem: str | None) -> list[str]:
    notes: list[str] = []
    torn = _torn_note(path, log, mark)
    if torn:
        notes.append(torn)
    if mark_problem:
        notes.append(f"{mark_problem}; the next save writes a new one")
    elif mark is None:
        notes.append(f"no high-water mark ({path.name}.mark) yet; the next save writes one")
    files = [path, *database_files(path)]
    for p in files:
        if ".log.cut-" in p.name:
            notes.append(f"{p.name} holds a cut-short write kept aside (never acknowledged)")
    for p in files if os.name != "nt" else ():  # Windows: ACLs, not these modes
        try:
            mode = stat.S_IMODE(os.stat(p).st_mode)
        except OSError:
            mode = PRIVATE
        if mode & 0o077:
            notes.append(
                f"{p} can be read by other users (mode {mode:o}); the next save makes it 600"
            )
    prefix = temp_prefix(path)
    left = [n for n in os.listdir(path.parent) if n.startswith(prefix)]
    if left:
        notes.append(f"{len(left)} temporary file(s) left by a killed writer; removed on next open")
    return notes


def _summary(state: State, path: Path, mark: Mark | None) -> str:
    found = backups.list_backups(path)
    newest = f"newest backup {found[0].name}" if found else "no backups yet"
    return (
        f"{len(state.tables[Kind.GROUP])} groups, {state.member_count()} travellers, "
        f"{len(state.tables[Kind.OFFICE])} offices, {len(state.tables[Kind.DISRUPTION])} "
        f"disruptions; revision {state.seq}; schema {SCHEMA_VERSION}; {newest}"
    )


def _hint(path: Path, plan: RepairPlan | None) -> str:
    lines = []
    if plan is not None and plan.source is not None:
        lines.append(f"repair it with: grouppass db repair --db {path}")
        lines.append(f"  it {plan.describe()}")
    good = backups.last_good(path, is_good_backup)
    lines.append(f"the last good backup is {good}" if good else "no good backup was found")
    return "\n".join(lines)


def _unmigratable(raw: Raw) -> str | None:
    """Why the next open could not migrate an older file, or None.

    The migration is tried on a copy: "ok, the next open migrates it" is said only
    of a file that then opens (a schema with no migration from it, say 0, does not).
    """
    if raw.schema >= SCHEMA_VERSION:
        return None
    trial = copy.deepcopy(raw)
    try:
        migrate(trial)
        load_state(trial)
    except StoreError as exc:
        return f"meta.schema {raw.schema}: {exc}"
    except Damage as exc:
        found = "; ".join(str(p) for p in exc.problems)
        return f"meta.schema {raw.schema}: migrated, it would not load: {found}"
    return None


def check(path: Path) -> CheckResult:
    """Verify snapshot, log, mark and references; says how to repair it if it fails."""
    mark, mark_problem = read_mark(path)  # before the log, as a writer writes it after
    try:
        with gc_paused():
            raw, _ = load_raw(path)
            state = load_state(raw) if raw.schema == SCHEMA_VERSION else None
            old = _unmigratable(raw)
    except Damage as exc:
        plan = plan_repair(path)
        found = tuple(str(p) for p in exc.problems)
        return CheckResult(path, found, (), _hint(path, plan), plan)
    log = scan(log_path(path))
    problems = log_problems(log_path(path), log)
    late = behind(path, mark, raw.log_base, raw.seq)
    if late is not None:
        problems.append(late.message + "; writing is refused until it is repaired")
    notes = _notes(path, log, mark, mark_problem)
    if old is not None:
        problems.append(old)
    if problems:
        plan = plan_repair(path)
        return CheckResult(path, tuple(problems), tuple(notes), _hint(path, plan), plan)
    if state is None:
        notes.append(f"schema {raw.schema}: the next open migrates it (after a backup)")
        return CheckResult(path, (), tuple(notes), f"revision {raw.seq}")
    return CheckResult(path, (), tuple(notes), _summary(state, path, mark))
