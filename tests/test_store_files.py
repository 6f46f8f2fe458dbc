"""The database on disk: damage, schema versions, backups, restore, leftovers, compaction."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import attrs
import orjson
import pytest
from test_store import Clock, agency

from grouppass.model import Member
from grouppass.store import DamagedStoreError, Kind, Ref, Store, StoreError, migrate
from grouppass.store._snapshot import Raw
from grouppass.store.backups import list_backups
from grouppass.store.check import check
from grouppass.store.restore import restore


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
    return store.save_member(
        "G", attrs.evolve(m, phone=phone), store.version_of(Ref.member("G", "M1"))
    )


class TestDamage:
    def test_a_truncated_snapshot_is_refused_and_left_alone(self, db: Path) -> None:
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 2])
        with pytest.raises(DamagedStoreError) as err:
            Store.open(db)
        text = str(err.value)
        assert "cut short" in text and "nothing was written" in text
        assert err.value.backup is not None and err.value.backup.name in text
        assert f"grouppass db restore {err.value.backup}" in text
        assert db.read_bytes() == data[: len(data) // 2]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "empty"),
            (b"not json at all", "not valid JSON"),
            (b"[1, 2, 3]", "JSON object of tables"),
            (b'{"_default": {}}', "not a grouppass database"),
        ],
    )
    def test_a_file_that_is_not_a_database(self, db: Path, content: bytes, message: str) -> None:
        db.write_bytes(content)
        with pytest.raises(DamagedStoreError, match=message):
            Store.open(db)
        assert db.read_bytes() == content

    def test_a_bad_record_is_located(self, db: Path, clock: Clock) -> None:
        Store.open(db, clock=clock).compact()
        top = orjson.loads(db.read_bytes())
        doc = next(iter(top["members"].values()))
        doc["data"]["application"]["paid"] = "31-02-2018"
        db.write_bytes(orjson.dumps(top))
        with pytest.raises(DamagedStoreError, match=r"members\[G/M1\]\.application\.paid"):
            Store.open(db)

    def test_a_changed_log_line_is_damage(self, db: Path, clock: Clock) -> None:
        edit(Store.open(db, clock=clock), "0819")
        log = log_of(db)
        data = log.read_bytes()
        log.write_bytes(data.replace(b'"0819"', b'"0818"'))
        with pytest.raises(DamagedStoreError, match="checksum"):
            Store.open(db)
        assert not check(db).ok

    def test_a_torn_last_write_is_ignored_then_cut_off(self, db: Path, clock: Clock) -> None:
        store = Store.open(db, clock=clock)
        edit(store, "1")
        with open(log_of(db), "ab") as f:
            f.write(b'1234abcd {"seq": 99, "changes": [{"kind": "mem')  # a kill mid-write
        again = Store.open(db, clock=clock)
        assert again.scenario() == store.scenario()
        assert any("cut short" in n for n in check(db).notes)
        edit(again, "2")
        assert Store.open(db).member("G", "M1").phone == "2"
        assert check(db).ok and not any("cut short" in n for n in check(db).notes)

    def test_a_missing_log_is_damage(self, db: Path) -> None:
        log_of(db).unlink()
        with pytest.raises(DamagedStoreError, match="change log"):
            Store.open(db)


class TestSchema:
    def test_a_newer_schema_is_refused(self, db: Path) -> None:
        top = orjson.loads(db.read_bytes())
        top["meta"]["1"]["schema"] = migrate.SCHEMA_VERSION + 1
        db.write_bytes(orjson.dumps(top))
        before = db.read_bytes()
        with pytest.raises(StoreError, match="newer grouppass"):
            Store.open(db)
        assert db.read_bytes() == before

    def test_an_older_schema_is_migrated_after_a_backup(
        self, db: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        edit(Store.open(db, clock=clock), "in the log, not the snapshot")
        old_schema = migrate.SCHEMA_VERSION

        def rename_groups(raw: Raw) -> None:
            for _version, data, _origin in raw.tables[Kind.GROUP].values():
                data["name"] = data["name"].upper()

        monkeypatch.setattr(migrate, "SCHEMA_VERSION", old_schema + 1)
        monkeypatch.setitem(migrate.MIGRATIONS, old_schema, rename_groups)
        store = Store.open(db, clock=clock)
        assert store.group("G").name == "ROMBONGAN UJI"
        assert store.member("G", "M1").phone == "in the log, not the snapshot"
        assert orjson.loads(db.read_bytes())["meta"]["1"]["schema"] == old_schema + 1
        backup = db.with_name(f"agency.backup-schema{old_schema}.json")
        old = orjson.loads(backup.read_bytes())
        assert old["meta"]["1"]["schema"] == old_schema
        assert next(iter(old["groups"].values()))["data"]["name"] == "Rombongan Uji"
        # Opening again does not migrate twice.
        assert Store.open(db).group("G").name == "ROMBONGAN UJI"


class TestBackupsAndRestore:
    def test_a_backup_a_day(self, db: Path, clock: Clock) -> None:
        store = Store.open(db, clock=clock)
        first = len(list_backups(db))
        edit(store, "same day")
        assert len(list_backups(db)) == first
        clock.tick(days=1)
        edit(store, "next day")
        assert len(list_backups(db)) == first + 1

    def test_restore_a_healthy_database(self, db: Path, clock: Clock) -> None:
        store = Store.open(db, clock=clock)
        good = store.backup("before-edits")
        edit(store, "oops")
        store.save_member("G", Member("M9", "Salah Input"), 0)
        stale = store.version_of(Ref.member("G", "M1"))
        result = restore(db, good, clock=clock)
        assert not result.rebuilt and result.safety_backup is not None
        restored = Store.open(db, clock=clock)
        assert restored.scenario() == agency()
        assert restored.audit(1)[0].action == f"restore {good.name}"
        assert restored.version_of(Ref.member("G", "M1")) > stale  # stale editors conflict
        assert Store.open(db).scenario() == agency()

    def test_restore_a_damaged_database_keeps_the_damage_aside(
        self, db: Path, clock: Clock
    ) -> None:
        good = Store.open(db, clock=clock).backup("good")
        db.write_bytes(b'{"meta": ')
        result = restore(db, good, clock=clock)
        assert result.rebuilt
        assert Store.open(db).scenario() == agency()
        assert next(p.read_bytes() for p in result.moved_aside) == b'{"meta": '

    def test_a_store_that_is_open_sees_a_rebuilt_database(self, db: Path, clock: Clock) -> None:
        viewer = Store.open(db, clock=clock)
        good = viewer.backup("good")
        edit(viewer, "lost in the damage")
        db.write_bytes(b"garbage")
        restore(db, good, clock=clock)
        assert viewer.refresh() and viewer.member("G", "M1").phone is None

    def test_a_damaged_backup_is_refused_before_anything_changes(
        self, db: Path, tmp_path: Path
    ) -> None:
        bad = tmp_path / "agency.backup-bad.json"
        bad.write_bytes(b"{")
        before = db.read_bytes()
        with pytest.raises(DamagedStoreError):
            restore(db, bad)
        assert db.read_bytes() == before


class TestHousekeeping:
    def test_leftover_temp_files_are_removed_on_open(self, db: Path) -> None:
        leftover = db.with_name(f".{db.name}.tmp-abc123")
        leftover.write_bytes(b"half a snapshot")
        assert any("temporary" in n for n in check(db).notes)
        Store.open(db)
        assert not leftover.exists()

    def test_compaction_keeps_every_change(self, db: Path, clock: Clock) -> None:
        store = Store.open(db, clock=clock, compact_after=2000)
        for i in range(30):
            store.save_member("G", Member(f"N{i}", f"Jamaah {i}"), 0)
        meta = orjson.loads(db.read_bytes())["meta"]["1"]
        assert 0 < meta["log_offset"] <= log_of(db).stat().st_size
        assert meta["seq"] > 20
        assert Store.open(db).scenario() == store.scenario()

    def test_loose_permissions_are_noted_and_check_changes_nothing(self, db: Path) -> None:
        os.chmod(db, 0o644)
        assert any("can be read by other users (mode 644)" in n for n in check(db).notes)
        assert os.stat(db).st_mode & 0o777 == 0o644  # check only reads

    def test_check_summarises_a_healthy_database(self, db: Path) -> None:
        result = check(db)
        assert result.ok and "1 groups, 3 travellers, 2 offices" in result.summary


def test_a_folder_the_database_makes_is_the_owner_s_alone(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, which would give 0755
    try:
        db = tmp_path / "data" / "grouppass" / "agency.json"
        Store.create(db, scenario=agency(), clock=Clock())
    finally:
        os.umask(old)
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    Store.create(existing / "agency.json", scenario=agency(), clock=Clock())
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755  # a folder it did not make: as it was
