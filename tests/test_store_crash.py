"""Nothing acknowledged is lost: writers killed with SIGKILL, and two writers at once.

Children are forked (not spawned) so each one starts in milliseconds; that is
what lets the kill test run 120 kills in a few seconds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from gp_builders import make_group, make_office, make_scenario

from grouppass.model import Member
from grouppass.store import ConflictError, Ref, Store
from grouppass.store.check import check

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

KILLS = 120
T0 = dt.datetime(2018, 3, 15, tzinfo=dt.UTC)


def _fork(body: Callable[[], None]) -> int:
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 0
        try:
            body()
        except BaseException:
            code = 3
        finally:
            os._exit(code)
    return pid


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "agency.json"
    scenario = make_scenario(
        [make_office("A")], [make_group([Member("counter", "Counter", phone="0")])]
    )
    Store.create(path, scenario=scenario, at=T0)
    return path


def _saver(db: Path, wfd: int, start: int) -> Callable[[], None]:
    """Save members k<start>, k<start+1>... and edit the counter, acking each save on a pipe.

    Every save is an hour after the last, so a daily backup falls every 24
    saves, and the tiny ``compact_after`` rewrites the snapshot every few: the
    kills land in log appends, snapshot rewrites, backups and pruning alike.
    """

    def run() -> None:
        i = start
        store = Store.open(db, clock=lambda: T0 + dt.timedelta(hours=i), compact_after=3000)
        while True:
            if i % 3 == 0:
                ref = Ref.member("G", "counter")
                m = store.member("G", "counter")
                store.save_member("G", attrs.evolve(m, phone=str(i)), store.version_of(ref))
            else:
                store.save_member("G", Member(f"k{i}", f"Jamaah {i}"), 0)
            os.write(wfd, b"%d\n" % i)
            i += 1

    return run


def test_killed_writers_lose_nothing_acknowledged(db: Path) -> None:
    rng = random.Random(20180305)
    acked: set[int] = set()
    next_i = 0
    saves_seen = 0
    for _ in range(KILLS):
        rfd, wfd = os.pipe()
        pid = _fork(_saver(db, wfd, next_i))
        os.close(wfd)
        time.sleep(rng.uniform(0.0, 0.025))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        lines = _read_all(rfd).split(b"\n")
        now_acked = {int(x) for x in lines[:-1]}  # the last piece may be half a line
        acked |= now_acked
        saves_seen += len(now_acked)

        store = Store.open(db)  # opens, and tidies what the kill left
        members = {m.id: m for m in store.group("G").members}
        missing = {i for i in acked if i % 3 and f"k{i}" not in members}
        assert not missing, f"acknowledged saves lost: {sorted(missing)[:10]}"
        last_counter = max((i for i in acked if i % 3 == 0), default=None)
        if last_counter is not None:
            assert int(members["counter"].phone or "0") >= last_counter
        # A save may reach the disk and be killed before its ack: the next
        # child starts past everything that is there, acknowledged or not.
        present = [int(k[1:]) for k in members if k.startswith("k")]
        next_i = max([next_i, *(i + 1 for i in acked), *(i + 1 for i in present)])
    assert saves_seen > KILLS, "the children hardly saved anything: the test proves little"
    result = check(db)
    assert result.ok, result.problems
    leftovers = [n for n in os.listdir(db.parent) if ".tmp-" in n]
    assert not leftovers


EDITS = 300


def _editor(db: Path, who: str) -> Callable[[], None]:
    """Apply EDITS edits, each: bump the shared counter and add one's own member."""

    def run() -> None:
        store = Store.open(db, clock=lambda: T0, actor=who)
        rng = random.Random(who)
        done = conflicts = 0
        while done < EDITS:
            ref = Ref.member("G", "counter")
            counter, version = store.member("G", "counter"), store.version_of(ref)
            time.sleep(rng.random() / 1000)  # an organiser's pause: the other may save now
            try:
                with store.transaction(f"{who} edit {done}") as tx:
                    bumped = attrs.evolve(counter, phone=str(int(counter.phone or "0") + 1))
                    tx.save_member("G", bumped, version)
                    tx.save_member("G", Member(f"{who}-{done}", f"{who} {done}"), 0)
            except ConflictError:
                conflicts += 1
                continue  # the refused save brought the store up to date: retry
            done += 1
        db.with_name(f"{who}.conflicts").write_text(str(conflicts))

    return run


def test_two_writers_lose_no_edit(db: Path) -> None:
    pids = [_fork(_editor(db, who)) for who in ("siti", "nashif")]
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    store = Store.open(db)
    group = store.group("G")
    assert group.member("counter").phone == str(2 * EDITS)
    for who in ("siti", "nashif"):
        assert {m.id for m in group.members if m.id.startswith(who)} == {
            f"{who}-{i}" for i in range(EDITS)
        }
    edits = [e for e in store.audit(3 * EDITS) if " edit " in e.action]
    assert len(edits) == 2 * EDITS
    retried = sum(int(db.with_name(f"{who}.conflicts").read_text()) for who in ("siti", "nashif"))
    assert retried > 0, "the writers never met: the test proves little"
    assert check(db).ok
