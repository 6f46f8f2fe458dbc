"""Faults at fixed points of every durable write: nothing acknowledged is lost, nothing
unacknowledged is half-applied.

The store tells its ``probe`` the name of each step as it reaches it. A
forked child saves with a probe that ends the process (``os._exit``: no
cleanup runs, as with SIGKILL) at one named step; its exit code proves the
step was reached. The parent then reopens the database and checks it. A
second set raises a full disk (ENOSPC) at a step in-process, and one child
meets a real short write (a file-size limit).

This replaces a test that sent SIGKILL at random moments: instrumented, 79
of its 120 kills landed before any save and none inside a log write. Every
window between two durable steps is covered here by name, and a kill inside
a system call on a regular file is the same as a kill just after it.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from test_store import T0, agency

from grouppass.cli import main
from grouppass.model import Member
from grouppass.store import Ref, Store, StoreError, StoreWarning, WarningKind
from grouppass.store._lock import WriterLock
from grouppass.store.check import check
from grouppass.store.repair import repair

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

HIT = 77
"""The exit code of a child stopped by its probe: the step was reached."""

COMMIT = ["log.write", "log.written", "log.synced", "mark.write", "mark.synced"]
SNAPSHOT = [f"snapshot.{s}" for s in ("write", "written", "synced", "renamed", "dir-synced")]
BACKUP = [f"backup.{s}" for s in ("write", "written", "synced", "renamed", "dir-synced")]
PAIR = ("P1", "P2")


def clock_at(when: dt.datetime) -> Callable[[], dt.datetime]:
    return lambda: when


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The agency, then two acknowledged saves (A1, A2): whatever happens next keeps them."""
    path = tmp_path / "agency.json"
    store = Store.create(path, scenario=agency(), at=T0, clock=clock_at(T0))
    store.save_member("G", Member("A1", "Acknowledged One"), 0)
    store.save_member("G", Member("A2", "Acknowledged Two"), 0)
    return path


def stop_at(step: str) -> Callable[[str], None]:
    def probe(name: str) -> None:
        if name == step:
            os._exit(HIT)

    return probe


def save_pair_in_child(db: Path, step: str, *, when: dt.datetime = T0, compact: bool) -> int:
    """Fork a child that saves P1 and P2 as one change, stopped at ``step``; its exit code."""
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 3
        try:
            store = Store.open(
                db, clock=clock_at(when), probe=stop_at(step),
                compact_after=1 if compact else None,
            )  # fmt: skip
            with store.transaction("save a pair") as tx:
                for member_id in PAIR:
                    tx.save_member("G", Member(member_id, f"Pair {member_id}"), 0)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def assert_whole(db: Path, *, pair: bool | None) -> Store:
    """Reopen and check: acknowledged saves there, the pair all there or not at all."""
    store = Store.open(db, clock=clock_at(T0 + dt.timedelta(days=3)))
    ids = {m.id for m in store.group("G").members}
    assert {"A1", "A2"} <= ids, "an acknowledged save was lost"
    have = {m for m in PAIR if m in ids}
    assert have in (set(), set(PAIR)), f"half a change was applied: {have}"
    if pair is not None:
        assert bool(have) is pair
    result = check(db)
    assert result.ok, result.problems
    assert not [n for n in os.listdir(db.parent) if ".tmp-" in n], "temp files left after open"
    # And it can be written to again, with no false alarm from the mark.
    store.save_member("G", Member("AFTER", "After"), 0)
    assert "AFTER" in {m.id for m in Store.open(db).group("G").members}
    assert check(db).ok
    return store


class TestKilledAtEachStep:
    @pytest.mark.parametrize("step", COMMIT)
    def test_the_log_and_its_mark(self, db: Path, step: str) -> None:
        assert save_pair_in_child(db, step, compact=False) == HIT
        # Before the write nothing is there; once written (even unsynced: the
        # page cache outlives the process) the whole change is.
        assert_whole(db, pair=step != "log.write")

    @pytest.mark.parametrize("step", SNAPSHOT)
    def test_the_snapshot_rewrite(self, db: Path, step: str) -> None:
        before = db.read_bytes()
        assert save_pair_in_child(db, step, compact=True) == HIT
        if step in ("snapshot.write", "snapshot.written", "snapshot.synced"):
            assert db.read_bytes() == before  # the old snapshot until the rename
        assert_whole(db, pair=True)  # the change was in the log before the rewrite began

    @pytest.mark.parametrize("step", BACKUP)
    def test_the_daily_backup(self, db: Path, step: str) -> None:
        next_day = T0 + dt.timedelta(days=1)
        assert save_pair_in_child(db, step, when=next_day, compact=False) == HIT
        assert_whole(db, pair=True)

    def test_a_power_cut_before_the_log_reached_the_disk(self, db: Path) -> None:
        size = (db.parent / "agency.json.log").stat().st_size
        assert save_pair_in_child(db, "log.written", compact=False) == HIT
        # The page cache is lost with the power: half the line made it to disk.
        log = db.parent / "agency.json.log"
        data = log.read_bytes()
        log.write_bytes(data[: size + (len(data) - size) // 2])
        store = assert_whole(db, pair=False)  # never acknowledged, so not a loss
        assert [p.name for p in db.parent.iterdir() if ".log.cut-" in p.name] == [
            f"agency.json.log.cut-{size}"
        ]
        assert any(w.kind is WarningKind.CUT_ASIDE for w in store.warnings)


class TestRepairKilledAtEachStep:
    @pytest.mark.parametrize(
        "step", ["log.synced", "log.renamed", "snapshot.synced", "snapshot.renamed", "mark.write"]
    )
    def test_running_it_again_finishes_the_job(self, db: Path, step: str) -> None:
        Store.open(db, clock=clock_at(T0)).save_member("G", Member("A3", "Three"), 0)
        log = db.parent / "agency.json.log"
        log.write_bytes(log.read_bytes()[:-30])  # #4 cut inside its line: the mark knows it
        pid = os.fork()
        if pid == 0:
            try:
                repair(db, at=T0, accept_loss=True, probe=stop_at(step))
            finally:
                os._exit(3)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == HIT
        result = repair(db, at=T0, accept_loss=True)
        store = Store.open(db, clock=clock_at(T0))
        assert {"A1", "A2"} <= {m.id for m in store.group("G").members}
        assert store.revision >= 5 and result.revision >= 5  # numbered after #4
        assert check(db).ok


class Faults:
    """A probe that raises a full disk at one step, once."""

    def __init__(self) -> None:
        self.at: str | None = None
        self.hits = 0

    def __call__(self, step: str) -> None:
        if step == self.at:
            self.at = None
            self.hits += 1
            raise OSError(errno.ENOSPC, "No space left on device")


class TestFullDisk:
    @pytest.fixture
    def faults(self) -> Faults:
        return Faults()

    @pytest.fixture
    def store(self, db: Path, faults: Faults) -> Store:
        return Store.open(db, clock=clock_at(T0), probe=faults)

    @pytest.mark.parametrize("step", ["log.write", "log.written"])
    def test_a_save_that_does_not_fit_is_refused_and_undone(
        self, db: Path, store: Store, faults: Faults, step: str
    ) -> None:
        log = db.parent / "agency.json.log"
        before, version = log.read_bytes(), store.version_of(Ref.member("G", "A1"))
        faults.at = step
        m = store.member("G", "A1")
        with pytest.raises(StoreError, match=r"could not save .*No space left on device"):
            store.save_member("G", attrs.evolve(m, phone="0819"), version)
        assert faults.hits == 1
        assert log.read_bytes() == before  # no half line left behind
        assert store.member("G", "A1").phone is None  # and not in memory either
        assert store.version_of(Ref.member("G", "A1")) == version
        store.save_member("G", attrs.evolve(m, phone="0819"), version)  # space again
        assert Store.open(db).member("G", "A1").phone == "0819"
        assert check(db).ok

    def test_a_removal_undone_keeps_the_order(self, db: Path, store: Store, faults: Faults) -> None:
        order = [m.id for m in store.group("G").members]
        faults.at = "log.written"
        with pytest.raises(StoreError), store.transaction("remove and re-add") as tx:
            tx.remove_member("G", "M1", tx.version_of(Ref.member("G", "M1")))
            tx.save_member("G", Member("M1", "Changed"), 0)
        assert faults.hits == 1
        assert [m.id for m in store.group("G").members] == order
        assert store.scenario() == Store.open(db).scenario()

    def test_a_snapshot_rewrite_that_does_not_fit_keeps_the_save(
        self, db: Path, faults: Faults
    ) -> None:
        seen: list[StoreWarning] = []
        store = Store.open(
            db, clock=clock_at(T0), probe=faults, compact_after=1, on_warning=seen.append
        )
        before = db.read_bytes()
        faults.at = "snapshot.written"
        store.save_member("G", Member("S1", "Saved"), 0)  # returns: the change is in the log
        assert faults.hits == 1
        assert db.read_bytes() == before
        assert [w.kind for w in seen] == [WarningKind.MAINTENANCE]
        assert store.maintenance_problem and "No space" in store.maintenance_problem
        assert not [n for n in os.listdir(db.parent) if ".tmp-" in n]
        assert "S1" in {m.id for m in Store.open(db).group("G").members}

    def test_no_room_to_keep_a_cut_tail_aside_means_no_save(
        self, db: Path, store: Store, faults: Faults
    ) -> None:
        log = db.parent / "agency.json.log"
        with open(log, "ab") as f:
            f.write(b"0000abcd {half a line")
        before = log.read_bytes()
        faults.at = "cut.written"
        with pytest.raises(StoreError, match="No space"):
            store.save_member("G", Member("X", "X"), 0)
        assert faults.hits == 1
        assert log.read_bytes() == before  # the tail is still there: nothing was cut

    def test_a_real_short_write(self, db: Path) -> None:
        log = db.parent / "agency.json.log"
        before = log.read_bytes()
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                import resource  # POSIX only, like the rest of this file

                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                # Files may grow 10 bytes past the log: the append gets 10 bytes
                # in, then EFBIG, as a disk that fills up mid-write would.
                limit = len(before) + 10
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
                store = Store.open(db, clock=clock_at(T0))
                try:
                    store.save_member("G", Member("BIG", "Big", notes="x" * 500), 0)
                except StoreError as exc:
                    os.write(wfd, str(exc).encode())
                    code = 0
            finally:
                os._exit(code)
        os.close(wfd)
        _, status = os.waitpid(pid, 0)
        message = os.read(rfd, 4096).decode()
        os.close(rfd)
        assert os.waitstatus_to_exitcode(status) == 0 and "could not save" in message
        assert log.read_bytes() == before
        assert_whole(db, pair=False)


class TestTheLock:
    """Another writer is "busy"; a lock file that cannot be opened says why, at once."""

    def test_another_process_holding_it_is_busy(self, db: Path) -> None:
        held, release = os.pipe()
        ready_r, ready_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                with WriterLock(db, 5):
                    os.write(ready_w, b"1")
                    os.read(held, 1)  # hold it until the parent has tried
            finally:
                os._exit(0)
        try:
            assert os.read(ready_r, 1) == b"1"
            with pytest.raises(StoreError, match=r"the database is busy: .*waited 0\.2 s"):
                WriterLock(db, 0.2).acquire()
        finally:
            os.write(release, b"1")
            os.waitpid(pid, 0)
        with WriterLock(db, 0.2) as lock:  # free again once its holder has let go
            assert lock.held

    def test_a_lock_file_that_cannot_be_opened_is_said_at_once(self, db: Path) -> None:
        lock = db.parent / "agency.json.lock"
        lock.unlink(missing_ok=True)
        lock.mkdir()  # O_RDWR on a folder: EISDIR, which filelock would retry for 30 s
        started = time.monotonic()
        with pytest.raises(StoreError) as raised:
            WriterLock(db, 30).acquire()
        assert time.monotonic() - started < 5
        assert str(raised.value) == f"cannot open the lock file {lock}: Is a directory"

    def test_db_init_where_no_file_can_be_made(self, capsys: pytest.CaptureFixture[str]) -> None:
        started = time.monotonic()
        assert main(["db", "init", "--db", "/proc/agency.json"]) == 2
        assert time.monotonic() - started < 5
        err = capsys.readouterr().err
        assert err.strip() == (
            "grouppass: cannot open the lock file /proc/agency.json.lock: No such file or directory"
        )
