"""Getting a damaged database back without losing what its log holds (issue 10, items 2-5, 11).

The fixture's history, worked out by hand: change #1 creates the database
(snapshot and the first daily backup at #1); the tests then add changes
#2, #3... one per ``edit``, each in the log only, unless a new day makes a
backup (and a snapshot) at that change.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import attrs
import pytest
from test_store import Clock, agency

from grouppass.store import (
    ConflictError,
    DamagedStoreError,
    LogBehindError,
    Ref,
    Store,
    StoreError,
    StoreWarning,
    WarningKind,
    WouldLoseChangesError,
)
from grouppass.store.backups import find_backups, last_good, list_backups, prune
from grouppass.store.check import check
from grouppass.store.repair import Route, plan_repair, repair
from grouppass.store.restore import RestoreResult, restore

M1 = Ref.member("G", "M1")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "agency.json"
    Store.create(path, scenario=agency(), clock=clock)
    return path


def log_of(db: Path) -> Path:
    return db.with_name(db.name + ".log")


def edit(store: Store, phone: str) -> int:
    m = store.member("G", "M1")
    return store.save_member("G", attrs.evolve(m, phone=phone), store.version_of(M1))


def line_offsets(db: Path) -> list[int]:
    data = log_of(db).read_bytes()
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A]
    return starts[:-1]  # the last newline ends the log


def corrupt_line(db: Path, seq: int) -> None:
    """Flip one byte inside the JSON of change ``seq`` (line ``seq`` of a first log)."""
    log = log_of(db)
    data = bytearray(log.read_bytes())
    at = line_offsets(db)[seq - 1] + 20
    data[at] ^= 0x01
    log.write_bytes(bytes(data))


def cut_snapshot(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


class TestRepairFromTheLog:
    def test_a_damaged_snapshot_is_rebuilt_losing_nothing(self, db: Path, clock: Clock) -> None:
        store = Store.open(db, clock=clock)
        for phone in ("1", "2", "3"):  # changes #2, #3, #4: in the log only
            edit(store, phone)
        version = store.version_of(M1)
        assert version == 4
        cut_snapshot(db)
        with pytest.raises(DamagedStoreError) as err:
            Store.open(db)
        text = str(err.value)
        assert f"grouppass db repair --db {db}" in text
        assert "replaying its change log (changes #1-#4): nothing acknowledged is lost" in text
        # The old advice would have gone back to the backup made with change #1.
        assert err.value.backup is not None and "db restore" in text
        damaged = db.read_bytes()
        result = repair(db, clock=clock)
        assert result.plan.route is Route.SNAPSHOT and result.revision == 4
        again = Store.open(db, clock=clock)
        assert again.member("G", "M1").phone == "3"
        assert again.version_of(M1) == version  # the same history: versions unchanged
        assert [p.read_bytes() for p in result.moved_aside] == [damaged]
        assert check(db).ok
        assert edit(again, "4") == 5  # and it carries on from there

    def test_a_missing_snapshot_is_rebuilt_too(self, db: Path, clock: Clock) -> None:
        edit(Store.open(db, clock=clock), "kept")
        db.unlink()
        assert plan_repair(db).route is Route.SNAPSHOT
        repair(db, clock=clock)
        assert Store.open(db).member("G", "M1").phone == "kept"

    def test_a_healthy_database_needs_nothing(self, db: Path, clock: Clock) -> None:
        before = db.read_bytes()
        result = repair(db, clock=clock)
        assert not result.repaired and result.revision == 1
        assert db.read_bytes() == before


class TestRepairFromABackup:
    @pytest.fixture
    def history(self, db: Path, clock: Clock) -> Store:
        """#2, #3 on day 1; #4 on day 2 (backup at #4); #5, #6 after it."""
        store = Store.open(db, clock=clock)
        edit(store, "2")
        edit(store, "3")
        clock.tick(days=1)
        edit(store, "4")
        edit(store, "5")
        edit(store, "6")
        assert [b.seq for b in find_backups(db)] == [4, 1]
        return store

    def test_a_damaged_line_covered_by_a_backup_loses_nothing(
        self, db: Path, clock: Clock, history: Store
    ) -> None:
        corrupt_line(db, 3)
        cut_snapshot(db)
        newest = list_backups(db)[0]
        plan = plan_repair(db)
        assert plan.route is Route.REBUILD and plan.lost == 0
        assert plan.describe() == (
            f"restores {newest.name} (change #4) and replays changes #5-#6 from the log: "
            "nothing acknowledged is lost"
        )
        result = repair(db, clock=clock)
        assert result.revision == 7  # a new log, numbered after #6
        store = Store.open(db, clock=clock)
        assert store.member("G", "M1").phone == "6"
        assert store.scenario().groups == history.scenario().groups
        assert check(db).ok
        assert store.audit(1)[0].action.startswith("repair: restores")

    def test_what_cannot_be_recovered_is_counted_and_needs_consent(
        self, db: Path, clock: Clock, history: Store
    ) -> None:
        corrupt_line(db, 5)
        cut_snapshot(db)
        with pytest.raises(DamagedStoreError, match=r"2 acknowledged changes \(#5-#6\) cannot"):
            Store.open(db)
        before = {p.name: p.read_bytes() for p in db.parent.iterdir()}
        with pytest.raises(WouldLoseChangesError, match="put it back instead"):
            repair(db, clock=clock)
        assert {p.name: p.read_bytes() for p in db.parent.iterdir()} == before
        result = repair(db, clock=clock, accept_loss=True)
        assert result.plan.recovered == 4 and result.plan.lost == 2 and result.revision == 7
        assert Store.open(db).member("G", "M1").phone == "4"

    def test_a_stale_editor_conflicts_after_a_repair(
        self, db: Path, clock: Clock, history: Store
    ) -> None:
        stale = Store.open(db, clock=clock)
        version = stale.version_of(M1)
        corrupt_line(db, 5)
        cut_snapshot(db)
        repair(db, clock=clock, accept_loss=True)  # back at #4's M1, written as #7
        m = stale.member("G", "M1")
        with pytest.raises(ConflictError, match=f"you had version {version}, it is now 7"):
            stale.save_member("G", attrs.evolve(m, phone="stale"), version)


class TestVersionsNeverRepeat:
    def test_a_restore_onto_a_damaged_database_numbers_after_everything(
        self, db: Path, clock: Clock
    ) -> None:
        store = Store.open(db, clock=clock)
        good = store.backup("good")  # holds #1
        for phone in ("2", "3", "4"):
            edit(store, phone)
        stale_version = store.version_of(M1)  # 4
        db.write_bytes(b"garbage")
        result = restore(db, good, clock=clock)
        assert result.rebuilt and result.not_in_backup == 3
        fresh = Store.open(db, clock=clock)
        assert fresh.revision == 5 and fresh.version_of(M1) == 5
        # Old code restarted at 1: three edits later M1 was at version 4 again,
        # and a stale editor holding 4 would have saved over it.
        for phone in ("a", "b", "c"):
            assert edit(fresh, phone) > stale_version
        m = store.member("G", "M1")
        with pytest.raises(ConflictError):
            store.save_member("G", attrs.evolve(m, phone="stale"), stale_version)

    def test_a_database_made_again_in_the_same_place(self, db: Path, clock: Clock) -> None:
        edit(Store.open(db, clock=clock), "x")  # #2
        db.unlink()
        log_of(db).unlink()
        again = Store.create(db, scenario=agency(), clock=clock)
        assert again.revision == 3  # the mark beside it remembered #2
        assert again.version_of(M1) == 3


class TestCutLog:
    def test_a_cut_short_last_write_is_kept_aside_before_it_is_cut(
        self, db: Path, clock: Clock
    ) -> None:
        store = Store.open(db, clock=clock)
        edit(store, "1")
        torn = b'1234abcd {"seq":3,"changes":[{"kind":"mem'  # a kill during the write
        with open(log_of(db), "ab") as f:
            f.write(torn)
        assert any(f"cut short ({len(torn)} bytes" in n for n in check(db).notes)
        seen: list[StoreWarning] = []
        again = Store.open(db, clock=clock, on_warning=seen.append)
        edit(again, "2")
        (aside,) = [p for p in db.parent.iterdir() if ".log.cut-" in p.name]
        assert aside.read_bytes() == torn
        assert stat.S_IMODE(aside.stat().st_mode) == 0o600
        assert [w.kind for w in seen] == [WarningKind.CUT_ASIDE]
        assert aside.name in seen[0].message
        result = check(db)
        assert result.ok and any(aside.name in n for n in result.notes)
        assert Store.open(db).member("G", "M1").phone == "2"

    def test_a_log_cut_inside_an_acknowledged_line_is_refused(self, db: Path, clock: Clock) -> None:
        store = Store.open(db, clock=clock)
        edit(store, "2")
        edit(store, "3")  # acknowledged: the mark says #3
        log = log_of(db)
        data = log.read_bytes()
        cut = data[: line_offsets(db)[2] + 30]  # in the middle of #3's line
        log.write_bytes(cut)
        reader = Store.open(db, clock=clock)
        assert reader.member("G", "M1").phone == "2"  # what is there still reads
        assert (
            reader.read_only_reason and "1 acknowledged change missing" in reader.read_only_reason
        )
        with pytest.raises(LogBehindError, match="grouppass db repair"):
            edit(reader, "would reuse #3")
        assert log.read_bytes() == cut  # the tail was not cut off for good
        result = check(db)
        assert not result.ok and any("change #3 was acknowledged" in p for p in result.problems)
        assert result.plan is not None and result.plan.lost == 1

    def test_an_older_copy_of_the_log_is_refused_until_the_newer_is_back(
        self, db: Path, clock: Clock
    ) -> None:
        store = Store.open(db, clock=clock)
        edit(store, "2")
        stale = log_of(db).read_bytes()  # cut at a line boundary: it looks whole
        edit(store, "3")
        edit(store, "4")
        newer = log_of(db).read_bytes()
        log_of(db).write_bytes(stale)
        with pytest.raises(LogBehindError, match="2 acknowledged changes missing"):
            edit(Store.open(db, clock=clock), "5")
        assert "2 acknowledged changes missing" in " ".join(check(db).problems)
        log_of(db).write_bytes(newer)  # the newer copy put back: all is well
        assert edit(Store.open(db, clock=clock), "5") == 5
        assert check(db).ok

    def test_a_repair_accepts_the_loss_and_numbers_after_it(self, db: Path, clock: Clock) -> None:
        store = Store.open(db, clock=clock)
        edit(store, "2")
        stale = log_of(db).read_bytes()
        edit(store, "3")
        log_of(db).write_bytes(stale)
        with pytest.raises(WouldLoseChangesError):
            repair(db, clock=clock)
        result = repair(db, clock=clock, accept_loss=True)
        assert result.revision == 4  # after #3, which someone may still hold
        again = Store.open(db, clock=clock)
        assert again.read_only_reason is None and again.member("G", "M1").phone == "2"
        assert edit(again, "after") == 5
        assert check(db).ok


class TestBackupOrder:
    def test_a_backup_from_a_wrong_clock_neither_stops_daily_backups_nor_wins(
        self, db: Path, clock: Clock
    ) -> None:
        wrong = Clock(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
        edit(Store.open(db, clock=wrong), "2")  # #2, and a backup named 2030
        assert [b.seq for b in find_backups(db)] == [2, 1]
        store = Store.open(db, clock=clock)  # the clock is right again: 15 March 2018
        clock.tick(days=1)
        edit(store, "3")  # #3: 16 March's backup, although one is "newer" by name
        clock.tick(hours=1)
        edit(store, "4")  # the same day: no other backup
        clock.tick(days=1)
        edit(store, "5")  # the next day's
        found = find_backups(db)
        assert [b.seq for b in found] == [5, 3, 2, 1]
        assert found[2].time == dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
        assert last_good(db, lambda p: True) == found[0].path
        assert prune(db, keep=1) == [b.path for b in found[1:]]  # by content, not by name

    def test_the_damage_message_names_the_newest_by_content(self, db: Path, clock: Clock) -> None:
        edit(Store.open(db, clock=Clock(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))), "2")
        clock.tick(days=1)
        edit(Store.open(db, clock=clock), "3")
        newest = find_backups(db)[0]
        assert newest.seq == 3 and newest.time is not None and newest.time.year == 2018
        db.write_bytes(b"{")
        with pytest.raises(DamagedStoreError) as err:
            Store.open(db)
        assert err.value.backup == newest.path


class TestPermissions:
    def test_loose_files_are_tightened_on_write_and_said_once(
        self, db: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
    ) -> None:
        (backup,) = list_backups(db)
        loose = [db, log_of(db), backup]
        for path in loose:
            os.chmod(path, 0o644)
        seen: list[StoreWarning] = []
        store = Store.open(db, clock=clock, on_warning=seen.append)
        assert [stat.S_IMODE(p.stat().st_mode) for p in loose] == [0o644] * 3  # reading: untouched
        edit(store, "1")
        assert [stat.S_IMODE(p.stat().st_mode) for p in loose] == [0o600] * 3
        assert sorted(w.path for w in seen if w.path) == sorted(loose)
        assert {w.kind for w in seen} == {WarningKind.TIGHTENED}
        assert "mode 644" in seen[0].message
        edit(store, "2")
        assert len(seen) == 3  # said once
        assert capsys.readouterr() == ("", "")  # the library never prints

    def test_what_a_repair_kept_aside_is_tightened_too(self, db: Path, clock: Clock) -> None:
        # A repair keeps the damaged snapshot and a cut-off log tail beside the
        # database; they hold the same passport numbers. Another file in the
        # folder is not the database's and is left as it is.
        aside = [
            db.with_name(db.name + ".damaged-20180301T000000Z"),
            db.with_name(db.name + ".log.cut-512"),
            db.with_name(db.name + ".log.damaged"),
        ]
        other = db.with_name("manifest.csv")
        for path in [*aside, other]:
            path.write_bytes(b"{}")
            os.chmod(path, 0o644)
        seen: list[StoreWarning] = []
        edit(Store.open(db, clock=clock, on_warning=seen.append), "1")
        assert [stat.S_IMODE(p.stat().st_mode) for p in aside] == [0o600] * 3
        assert stat.S_IMODE(other.stat().st_mode) == 0o644
        assert sorted(w.path for w in seen if w.path) == sorted(aside)

    def test_without_a_hook_warnings_are_kept(self, db: Path, clock: Clock) -> None:
        os.chmod(log_of(db), 0o640)
        store = Store.open(db, clock=clock)
        edit(store, "1")
        assert [w.path for w in store.warnings] == [log_of(db)]


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (1, "1 acknowledged change made after that backup is not in it "
            "(it is in the kept copy of the log)"),
        (3, "3 acknowledged changes made after that backup are not in it "
            "(they are in the kept copy of the log)"),
    ],
)  # fmt: skip
def test_a_rebuilt_restore_says_one_change_or_several(n: int, said: str) -> None:
    result = RestoreResult(Path("a.json"), Path("b.json"), rebuilt=True, not_in_backup=n)
    assert result.lines() == ["restored a.json from b.json (made anew)", said]


@pytest.mark.parametrize(("n", "said"), [(1, "1 record changed"), (2, "2 records changed")])
def test_a_restore_counts_its_records(n: int, said: str) -> None:
    result = RestoreResult(Path("a.json"), Path("b.json"), rebuilt=False, changed=n)
    assert result.lines() == [f"restored a.json from b.json: {said}"]


def _with_schema(db: Path, schema: int) -> None:
    text = db.read_text()
    assert text.count('"schema":2,') == 1  # the snapshot's meta, written compactly
    db.write_text(text.replace('"schema":2,', f'"schema":{schema},'))


def test_db_check_fails_a_schema_it_cannot_migrate_and_repair_mends_it(db: Path) -> None:
    # "ok: the next open migrates it" was said of schema 0, which no open can migrate.
    _with_schema(db, 0)
    result = check(db)
    assert not result.ok
    assert result.problems == (
        "meta.schema 0: no migration from database schema 0; this grouppass cannot open the file",
    )
    with pytest.raises(StoreError, match="no migration from database schema 0"):
        Store.open(db)
    repair(db)  # the log holds every change in schema 2: replaying it rebuilds the file
    assert check(db).ok and Store.open(db).scenario() == agency()


def test_db_check_passes_a_schema_the_next_open_migrates(db: Path) -> None:
    _with_schema(db, 1)
    result = check(db)
    assert result.ok and result.problems == ()
    assert "schema 1: the next open migrates it (after a backup)" in result.notes
    assert Store.open(db).scenario() == agency()
