"""What a damaged database can be rebuilt from, and what would be lost: reads only.

The candidates, best first:

* the change log alone, replayed from its start onto an empty database (a
  log always starts from one, see :mod:`._snapshot`): nothing is lost when
  every line checks out and none is missing;
* the snapshot as it is, or a backup, plus the log lines after it that check
  out and follow on without a gap (each line is checksummed on its own, so a
  damaged line hides only itself: a backup that already holds it lets the
  lines after it count again);
* failing all that, the newest good backup on its own.

Whatever wins is compared with the highest change anything on disk says was
acknowledged (the mark, the snapshot, the log, the backups): the difference
is what cannot be recovered, and is said before anything is done.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from pathlib import Path

from attrs import field, frozen

from grouppass._gc import gc_paused
from grouppass.store import migrate
from grouppass.store._errors import NotFoundError, StoreError
from grouppass.store._load import load_raw, load_state, read_snapshot
from grouppass.store._log import LogScan, scan
from grouppass.store._mark import Mark, read_mark
from grouppass.store._snapshot import Damage, Raw, peek_meta
from grouppass.store._state import apply_raw
from grouppass.store.backups import find_backups
from grouppass.store.files import database_files, log_path

__all__ = ["Behind", "RepairPlan", "Route", "Source", "behind", "known_seq", "plan_repair"]


class Route(enum.StrEnum):
    NONE = "none"
    """Healthy: nothing to do."""
    SNAPSHOT = "snapshot"
    """The log is whole: only the snapshot is rewritten, from it."""
    REBUILD = "rebuild"
    """A new log is started from the best records that can be had."""
    IMPOSSIBLE = "impossible"
    """Nothing readable to rebuild from."""


@frozen
class Source:
    kind: str
    """``log`` (an empty database, then the log from its start), ``snapshot`` or ``backup``."""
    path: Path | None
    seq: int
    """The last change the source holds before any replay."""
    replays: bool = True
    """Whether the log's lines follow on from it (same log; False for an older log's backup)."""

    def describe(self) -> str:
        if self.kind == "log":
            return "an empty database"
        name = self.path.name if self.path else "?"
        return f"{name} (change #{self.seq})"


@frozen
class Behind:
    """The log ends before the mark: acknowledged changes are missing from it."""

    missing: int
    message: str


def behind(db: Path, mark: Mark | None, log_base: int, seq: int) -> Behind | None:
    """Compare the database as loaded (its log's base, its last change) with its mark."""
    if mark is None or mark.log_base < log_base:
        return None  # no mark, or one from before a rebuild that died before updating it
    if mark.log_base == log_base and mark.seq <= seq:
        return None
    missing = max(mark.seq - seq, 0)
    name = log_path(db).name
    if mark.log_base > log_base:
        text = (
            f"{db.name} and {name} are older than {db.name}.mark says (it knows of change "
            f"#{mark.seq}, they end at #{seq}): an older copy was put back"
        )
    else:
        text = (
            f"{name} ends at change #{seq}, but change #{mark.seq} was acknowledged: "
            f"{missing} acknowledged change{'s' * (missing != 1)} missing from it "
            "(cut short, or an older copy put back)"
        )
    return Behind(missing, text)


@frozen
class RepairPlan:
    """What ``grouppass db repair`` would do to ``db``, and what it would cost."""

    db: Path
    route: Route
    problems: tuple[str, ...]
    """What is wrong now (empty when healthy)."""
    source: Source | None = None
    replayed: tuple[int, int] | None = None
    """The first and last change replayed from the log onto the source."""
    recovered: int = 0
    """The last change the repaired database holds."""
    known: int = 0
    """The last change anything on disk says was acknowledged."""
    log_end: int = 0
    """Where the log's last complete line ends (the snapshot route keeps the log)."""
    raw: Raw | None = field(default=None, repr=False, eq=False)
    """The recovered records (at the current schema)."""

    @property
    def lost(self) -> int:
        """Acknowledged changes that cannot be recovered."""
        return max(0, self.known - self.recovered)

    @property
    def backup(self) -> Path | None:
        return self.source.path if self.source and self.source.kind == "backup" else None

    def describe(self) -> str:
        """One sentence: what a repair does and what it loses."""
        if self.route is Route.NONE:
            return "nothing to repair"
        if self.route is Route.IMPOSSIBLE or self.source is None:
            return "there is nothing to rebuild it from (no readable log, snapshot or backup)"
        replay = "" if self.replayed is None else _changes(*self.replayed)
        if self.route is Route.SNAPSHOT:
            what = f"rebuilds {self.db.name} by replaying its change log ({replay})"
        elif self.source.kind == "log":
            what = f"rebuilds it from what is left of its change log ({replay or 'nothing'})"
        else:
            start = "keeps" if self.source.kind == "snapshot" else "restores"
            what = f"{start} {self.source.describe()}"
            if replay:
                what += f" and replays {replay} from the log"
        if self.lost:
            which = _changes(self.recovered + 1, self.known).removeprefix("changes ")
            which = which.removeprefix("change ")
            s = "s" * (self.lost != 1)
            cost = f"{self.lost} acknowledged change{s} ({which}) cannot be recovered"
        else:
            cost = "nothing acknowledged is lost"
        return f"{what}: {cost}"


def _changes(first: int, last: int) -> str:
    return f"change #{first}" if first == last else f"changes #{first}-#{last}"


def _open_problems(db: Path) -> tuple[list[str], Raw | None]:
    """What stops the database opening as it is (the loaded records when nothing does)."""
    try:
        with gc_paused():
            raw, _ = load_raw(db)
            migrate.migrate(raw)
            load_state(raw)
    except Damage as exc:
        return [str(p) for p in exc.problems], None
    except (NotFoundError, StoreError) as exc:
        return [str(exc)], None
    except OSError as exc:
        return [f"{db}: {exc.strerror or exc}"], None
    return [], raw


def log_problems(path: Path, log: LogScan) -> list[str]:
    """Damaged lines and breaks in the numbering, anywhere in the log."""
    problems: list[str] = []
    last: int | None = None
    for line in log.lines:
        if line.entry is None:
            problems.append(f"{path}: at byte {line.offset}: {line.problem}")
            continue
        seq = line.entry["seq"]
        if last is not None and seq != last + 1:
            problems.append(f"{path}: at byte {line.offset}: change {seq} follows change {last}")
        last = seq
    return problems


def _scan(db: Path) -> LogScan | None:
    try:
        return scan(log_path(db))
    except OSError:
        return None


def known_seq(db: Path, *, mark: Mark | None = None, log: LogScan | None = None) -> int:
    """The highest change number anything beside ``db`` says was acknowledged.

    A rebuilt database numbers its changes after it, so no record version is
    ever handed out twice (an editor holding an old one gets a conflict).
    """
    if mark is None:
        mark, _ = read_mark(db)
    if log is None:
        log = _scan(db)
    seqs = [0]
    if mark is not None:
        seqs.append(mark.seq)
    if log is not None:
        seqs += [line.entry["seq"] for line in log.lines if line.entry is not None]
    for path in (db, *database_files(db)):
        meta = peek_meta(path) if path.suffix != ".log" and ".log." not in path.name else None
        if meta is not None:
            seqs.append(meta.seq)
    return max(seqs)


def _candidates(db: Path, lineage: int | None, log: LogScan | None) -> Iterator[tuple[Source, int]]:
    """Each source with the last change it could reach through the log."""
    entries = log.entries() if log else {}

    def reach(seq: int) -> int:
        while seq + 1 in entries:
            seq += 1
        return seq

    if log and log.lines and log.lines[0].entry is not None:
        base = log.lines[0].entry["seq"] - 1
        yield Source("log", None, base), reach(base)
    meta = peek_meta(db)
    if meta is not None and meta.log_base == lineage:
        yield Source("snapshot", db, meta.seq), reach(meta.seq)
    for backup in find_backups(db)[:8]:
        if backup.meta is None:
            continue
        if backup.meta.log_base == lineage:
            yield Source("backup", backup.path, backup.meta.seq), reach(backup.meta.seq)
        else:
            yield Source("backup", backup.path, backup.meta.seq, replays=False), backup.meta.seq


_PRIORITY = {"log": 0, "snapshot": 1, "backup": 2}


def _attempt(db: Path, source: Source, reach: int, log: LogScan | None) -> tuple[Raw, int] | None:
    """The source's records with the log replayed onto it, and the last change applied."""
    try:
        if source.kind == "log":
            raw = Raw(schema=1, seq=source.seq, log_offset=0, log_base=source.seq)
        else:
            assert source.path is not None
            raw, _ = read_snapshot(source.path)
        entries = log.entries() if log else {}
        for seq in range(source.seq + 1, reach + 1):
            try:
                apply_raw(raw, entries[seq], f"{log_path(db)} (change {seq})")
            except Damage:
                break
        migrate.migrate(raw)
        with gc_paused():
            load_state(raw)
    except (Damage, StoreError, OSError):
        return None
    return raw, raw.seq


def plan_repair(db: Path) -> RepairPlan:
    """Work out how ``db`` can be repaired (see the module doc); reads only."""
    mark, _ = read_mark(db)  # before the log: a writer writes the log first, then the mark
    log = _scan(db)
    problems, loaded = _open_problems(db)
    if log is not None:
        problems += [p for p in log_problems(log_path(db), log) if p not in problems]
    elif not problems:
        problems.append(f"{log_path(db)} is missing")
    meta = peek_meta(db)
    first = log.lines[0].entry if log and log.lines else None
    lineage = (
        first["seq"] - 1 if first is not None
        else meta.log_base if meta is not None
        else mark.log_base if mark is not None
        else None
    )  # fmt: skip
    if loaded is not None:
        late = behind(db, mark, loaded.log_base, loaded.seq)
        if late is not None:
            problems.append(late.message)
    known = known_seq(db, mark=mark, log=log)
    end = log.end if log else 0
    if not problems:
        return RepairPlan(db, Route.NONE, (), recovered=known, known=known, log_end=end)
    ranked = sorted(
        _candidates(db, lineage, log), key=lambda c: (-c[1], _PRIORITY[c[0].kind], -c[0].seq)
    )
    for source, reach in ranked[:6]:
        attempt = _attempt(db, source, reach, log)
        if attempt is None:
            continue
        raw, recovered = attempt
        replayed = (source.seq + 1, recovered) if recovered > source.seq else None
        whole_log = (
            source.kind == "log"
            and log is not None
            and not log_problems(log_path(db), log)
            and recovered == max(log.entries(), default=source.seq)
            and recovered >= known
        )
        route = Route.SNAPSHOT if whole_log else Route.REBUILD
        return RepairPlan(db, route, tuple(problems), source, replayed, recovered, known, end, raw)
    return RepairPlan(db, Route.IMPOSSIBLE, tuple(problems), known=known, log_end=end)
