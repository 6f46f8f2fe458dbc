"""Output files: never over the database, never half-written, never readable by others."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path
from typing import BinaryIO

import pytest
from test_store import agency

from grouppass import manifest
from grouppass._files import NotDurableError, atomic_output, fsync_dir, write_atomic
from grouppass.cli import main
from grouppass.errors import GrouppassError
from grouppass.formats import dump_scenario
from grouppass.manifest.export import Format
from grouppass.model import Scenario
from grouppass.store import StoreError, refuse_output
from grouppass.store.backups import list_backups

ARGS = ("export", "--group", "G", "--format", "csv")


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    scenario = tmp_path / "scenario.json"
    dump_scenario(agency(), scenario)
    path = tmp_path / "agency.json"
    assert main(["db", "init", "--db", str(path), "--from", str(scenario)]) == 0
    capsys.readouterr()
    return path


def export(capsys: pytest.CaptureFixture[str], db: Path, target: Path, *more: str) -> str:
    code = main([*ARGS, "--db", str(db), "-o", str(target), *more])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code == (0 if "wrote" in err else 2), err
    return err


def files_of(db: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(db.parent.iterdir()) if p.is_file()}


class TestNeverOverTheDatabase:
    @pytest.mark.parametrize("name", ["agency.json", "agency.json.log", "agency.json.lock",
                                      "agency.json.mark"])  # fmt: skip
    def test_each_file_of_the_database_is_refused(
        self, db: Path, capsys: pytest.CaptureFixture[str], name: str
    ) -> None:
        before = files_of(db)
        err = export(capsys, db, db.with_name(name))
        assert f"refusing to write {db.with_name(name)}" in err
        assert files_of(db) == before

    def test_a_backup_is_refused(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        (backup,) = list_backups(db)
        before = backup.read_bytes()
        assert "refusing to write" in export(capsys, db, backup)
        assert backup.read_bytes() == before

    def test_a_symlink_to_the_log_is_refused(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        elsewhere = tmp_path / "sub"
        elsewhere.mkdir()
        link = elsewhere / "report.csv"
        link.symlink_to(db.with_name("agency.json.log"))
        before = files_of(db)
        assert "change log" in export(capsys, db, link)
        assert files_of(db) == before and link.is_symlink()

    def test_a_path_through_a_symlinked_folder_is_refused(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        alias = tmp_path.parent / f"{tmp_path.name}-alias"
        alias.symlink_to(tmp_path, target_is_directory=True)
        try:
            assert "refusing" in export(capsys, db, alias / "agency.json")
        finally:
            alias.unlink()

    def test_a_hard_link_to_the_database_is_refused(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        link = tmp_path / "innocent.csv"
        os.link(db, link)
        before = files_of(db)
        assert "same file as" in export(capsys, db, link)
        assert files_of(db) == before

    def test_the_database_reached_through_its_own_symlink(self, db: Path, tmp_path: Path) -> None:
        # --db names a symlink; the real file beside its target is protected too.
        alias = tmp_path / "alias.json"
        alias.symlink_to(db)
        with pytest.raises(StoreError, match="the database"):
            refuse_output(alias, db)

    def test_an_unrelated_file_is_fine(self, db: Path, tmp_path: Path) -> None:
        refuse_output(db, tmp_path / "agency-export.csv")
        refuse_output(db, tmp_path / "other.json")


class TestNeverHalfWritten:
    def test_a_failing_export_keeps_the_old_file(
        self,
        db: Path,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        target = tmp_path / "members.csv"
        target.write_bytes(b"last week's list")
        calls = []

        def fails_half_way(
            scenario: Scenario, group_id: str, fmt: Format, out: BinaryIO, *, show_pii: bool = False
        ) -> None:
            out.write(b"nama,no_hp\nhalf a row")
            calls.append(1)
            raise GrouppassError("the spreadsheet writer gave up")

        monkeypatch.setattr(manifest, "export_group", fails_half_way)
        err = export(capsys, db, target)
        assert calls and "gave up" in err
        assert target.read_bytes() == b"last week's list"
        assert sorted(p.name for p in tmp_path.iterdir() if ".tmp-" in p.name) == []

    def test_an_error_while_writing_keeps_the_old_file_and_no_temp(self, tmp_path: Path) -> None:
        target = tmp_path / "out.csv"
        target.write_bytes(b"old")
        with pytest.raises(OSError, match="No space"), atomic_output(target) as f:
            f.write(b"half of the new")
            raise OSError(errno.ENOSPC, "No space left on device")
        assert target.read_bytes() == b"old"
        assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]

    def test_each_step_is_reached_in_order(self, tmp_path: Path) -> None:
        steps: list[str] = []
        write_atomic(tmp_path / "x", b"data", probe=steps.append)
        assert steps == ["write", "written", "synced", "renamed", "dir-synced"]

    def test_a_folder_that_cannot_be_synced_is_reported(self, tmp_path: Path) -> None:
        folder = tmp_path / "out"
        folder.mkdir()

        def move_folder(step: str) -> None:
            if step == "renamed":  # the file is in place; its folder vanishes under us
                folder.rename(tmp_path / "moved")

        with pytest.raises(NotDurableError, match="could not be synced"):
            write_atomic(folder / "x.csv", b"data", probe=move_folder)
        assert (tmp_path / "moved" / "x.csv").read_bytes() == b"data"

    def test_fsync_dir_reports_what_fails(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError):
            fsync_dir(tmp_path / "no-such-folder")


class TestNeverReadableByOthers:
    def test_an_existing_loose_file_becomes_private(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "pii.csv"
        target.write_bytes(b"")
        target.chmod(0o644)
        export(capsys, db, target, "--show-pii")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert b"B1234567" in target.read_bytes()

    def test_a_symlink_at_the_target_is_replaced_not_followed(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        victim = tmp_path / "shared" / "public.txt"
        victim.parent.mkdir()
        victim.write_bytes(b"someone else's file")
        victim.chmod(0o644)
        link = tmp_path / "pii.csv"
        link.symlink_to(victim)
        export(capsys, db, link, "--show-pii")
        assert victim.read_bytes() == b"someone else's file"
        assert not link.is_symlink() and b"B1234567" in link.read_bytes()
        assert stat.S_IMODE(link.stat().st_mode) == 0o600

    def test_even_a_masked_export_is_private(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        # Names and phone numbers are personal data too.
        target = tmp_path / "masked.csv"
        export(capsys, db, target)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert b"B******67" in target.read_bytes()

    def test_a_report_is_private(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "report.json"
        args = ["--report", "--as-of", "2018-03-15"]
        code = main(["export", "--group", "G", "--format", "json", "--db", str(db),
                     "-o", str(target), *args])  # fmt: skip
        assert code == 0, capsys.readouterr().err
        assert stat.S_IMODE(target.stat().st_mode) == 0o600

    def test_whatever_the_umask(self, tmp_path: Path) -> None:
        old = os.umask(0)
        try:
            write_atomic(tmp_path / "x", b"data")
        finally:
            os.umask(old)
        assert stat.S_IMODE((tmp_path / "x").stat().st_mode) == 0o600


class TestStreamsAndTargetsThatAreNotFiles:
    """A device or FIFO is written as it is; a folder or an empty name is refused by name."""

    def test_a_fifo_is_written_through_and_stays_a_fifo(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        as_file = tmp_path / "members.csv"
        export(capsys, db, as_file)
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
        reader.start()
        err = export(capsys, db, fifo)
        reader.join(timeout=10)
        assert "wrote 3 members" in err
        assert got == [as_file.read_bytes()] and b"," in got[0]
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []

    def test_dev_null_stays_the_null_device(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        before = os.lstat("/dev/null")
        dev_entries = set(os.listdir("/dev"))
        assert "wrote 3 members" in export(capsys, db, Path("/dev/null"))
        after = os.lstat("/dev/null")
        assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
        assert after.st_ino == before.st_ino  # the same node, not a file renamed over it
        assert set(os.listdir("/dev")) == dev_entries

    def test_a_full_device_is_reported_with_its_name(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        err = export(capsys, db, Path("/dev/full"))
        assert err.strip() == "grouppass: /dev/full: No space left on device"

    def test_a_folder_is_refused_and_left_alone(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        folder = tmp_path / "exports"
        folder.mkdir()
        err = export(capsys, db, folder)
        assert err.strip() == f"grouppass: {folder}: it is a folder: give a file name"
        assert folder.is_dir() and list(folder.iterdir()) == []
        assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name] == []

    def test_a_missing_folder_is_named(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        target = tmp_path / "nope" / "members.csv"
        err = export(capsys, db, target)
        assert err.strip() == (
            f"grouppass: {target}: there is no folder {target.parent} to write it in"
        )
        assert not target.parent.exists()

    @pytest.mark.parametrize("option", ["--output", "--db"])
    def test_an_empty_path_is_a_usage_error(
        self, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str
    ) -> None:
        given = {"--output": str(tmp_path / "x.csv"), "--db": str(db)}
        given[option] = ""
        before = files_of(db)
        with pytest.raises(SystemExit) as raised:
            main([*ARGS, "--db", given["--db"], "--output", given["--output"]])
        assert raised.value.code == 2
        assert f"argument {option}" in capsys.readouterr().err.replace("--output/-o", "--output")
        assert files_of(db) == before and not (tmp_path / "x.csv").exists()

    @pytest.mark.parametrize(
        "argv",
        [
            ["check", "--db", ""],
            ["backtest", "--db", ""],
            ["db", "check", "--db", ""],
            ["group", "add", "G2", "--name", "x", "--deadline", "2026-01-01", "--db", ""],
        ],
    )
    def test_every_db_option_refuses_an_empty_path(
        self, argv: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as raised:
            main(argv)
        assert raised.value.code == 2
        assert "argument --db: empty path: give a file name" in capsys.readouterr().err
