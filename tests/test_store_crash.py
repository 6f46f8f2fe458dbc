"""Two writers at once lose no edit.

Crashes and full disks are tested at each named step of a write in
test_store_faults.py (a random SIGKILL test used to live here: it landed most
kills before any save and none inside a log write). Children are forked (not
spawned) so each starts in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
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

T0 = dt.datetime(2018, 3, 15, tzinfo=dt.UTC)
EDITS = 300


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


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "agency.json"
    scenario = make_scenario(
        [make_office("A")], [make_group([Member("counter", "Counter", phone="0")])]
    )
    Store.create(path, scenario=scenario, at=T0)
    return path


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
