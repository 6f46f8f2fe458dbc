"""``grouppass group add|edit|remove``: a group from the command line, into the database."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from grouppass.assess import deadline_of
from grouppass.cli import main
from grouppass.store import Store

EXAMPLE = Path(__file__).parent.parent / "examples" / "mataram-2018.json"


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "agency.json"
    assert main(["db", "init", "--db", str(path), "--from", str(EXAMPLE)]) == 0
    capsys.readouterr()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


class TestAdd:
    def test_a_group_with_the_office_s_zone(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, _ = run(
            capsys, "group", "add", "syawal", "--name", "Umrah Syawal", "--office", "LTM",
            "--departure", "20/06/2018", "--visa-lead", "14", "--db", str(db),
        )  # fmt: skip
        assert code == 0
        assert out == (
            "added group syawal: departs Wednesday 20 June 2018 09:00 Asia/Makassar, "
            "visa lead 14 days, office LTM\n"
        )
        group = Store.open(db).group("syawal")
        assert group.departure == dt.datetime(2018, 6, 20, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
        assert group.office == "LTM" and group.members == ()
        assert deadline_of(group) == dt.date(2018, 6, 6)  # 20 June minus 14 days
        assert Store.open(db).audit(1)[0].action == "add group syawal"

    def test_mistakes_are_named_and_nothing_is_written(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        before = Store.open(db).revision
        base = ["group", "add", "x", "--db", str(db)]
        code, _, err = run(capsys, *base, "--office", "XYZ", "--departure", "2018-06-20")
        assert code == 2
        assert err == "grouppass: --office: there is no office 'XYZ' (the database has: LTM, MTR)\n"
        code, _, err = run(capsys, *base, "--office", "MTR", "--departure", "31/02/2018")
        assert code == 2 and err.startswith("grouppass: --departure: ")
        code, _, err = run(
            capsys, *base, "--office", "MTR", "--departure", "2018-06-20", "--time", "25:00"
        )
        assert code == 2 and "--time: not a time (HH:MM): '25:00'" in err
        code, _, err = run(
            capsys, "group", "add", "nashif-ramadan-1439", "--office", "MTR",
            "--departure", "2018-06-20", "--db", str(db),
        )  # fmt: skip
        assert code == 2 and "there is already a group 'nashif-ramadan-1439'" in err
        assert Store.open(db).revision == before

    @pytest.mark.parametrize(
        ("gid", "extra", "said"),
        [
            ("g1", ["--capacity", "1001"], "grouppass: --capacity: must be between 1 and 1000"),
            ("g1", ["--name", "a\x1b[31mb"], "grouppass: --name: "),
            ("g1", ["--name", "n" * 201], "grouppass: --name: "),
            ("0" * 65, [], "grouppass: the group's id: "),
            ("", [], "grouppass: the group's id: "),
        ],
    )
    def test_a_field_the_model_refuses_is_named_with_its_option(
        self, db: Path, capsys: pytest.CaptureFixture[str], gid: str, extra: list[str], said: str
    ) -> None:
        # The model's own checks (limits, control characters, lengths) used to
        # escape `group add` as a traceback with exit 1; `group edit` named them.
        before = Store.open(db).revision
        argv = ["group", "add", gid, "--office", "MTR", "--departure", "20/06/2018", *extra]
        code, _, err = run(capsys, *argv, "--db", str(db))
        assert code == 2 and err.startswith(said) and "\x1b" not in err
        assert Store.open(db).revision == before

    @pytest.mark.parametrize("zone", ["localtime", "Factory", "right/Asia/Jakarta", "WITA"])
    def test_a_time_zone_the_model_refuses_is_refused_here_too(
        self, db: Path, capsys: pytest.CaptureFixture[str], zone: str
    ) -> None:
        # "localtime" is this machine's zone (another on the next one), "Factory" has
        # no offset, "right/..." is 27 s off: ZoneInfo opens them all, the rule does not.
        before = Store.open(db).revision
        argv = ["group", "add", "g1", "--office", "MTR", "--departure", "20/06/2018"]
        code, _, err = run(capsys, *argv, "--timezone", zone, "--db", str(db))
        assert code == 2
        assert err == (
            f"grouppass: --timezone: not an IANA time zone: {zone!r} (e.g. 'Asia/Makassar')\n"
        )
        assert Store.open(db).revision == before

    @pytest.mark.parametrize(("typed", "hour"), [("7.30", (7, 30)), ("23:59", (23, 59))])
    def test_the_time_as_organisers_type_it(
        self, db: Path, capsys: pytest.CaptureFixture[str], typed: str, hour: tuple[int, int]
    ) -> None:
        argv = ["group", "add", "g1", "--office", "MTR", "--departure", "20/06/2018"]
        code, _, _ = run(capsys, *argv, "--time", typed, "--db", str(db))
        assert code == 0
        departure = Store.open(db).group("g1").departure
        assert (departure.hour, departure.minute) == hour

    def test_the_visa_lead_has_the_model_s_range(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        base = ["group", "add", "g1", "--office", "MTR", "--departure", "20/06/2018"]
        with pytest.raises(SystemExit) as raised:
            main([*base, "--visa-lead", "366", "--db", str(db)])
        assert raised.value.code == 2
        assert "must be between 0 and 365 days, got 366" in capsys.readouterr().err
        assert run(capsys, *base, "--visa-lead", "200", "--db", str(db))[0] == 0
        assert Store.open(db).group("g1").visa_lead_days == 200


class TestEditRemove:
    def test_edit_moves_the_departure_and_keeps_the_members(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        gid = "nashif-ramadan-1439"
        code, out, _ = run(
            capsys, "group", "edit", gid, "--departure", "22 Mei 2018", "--capacity", "20",
            "--db", str(db),
        )  # fmt: skip
        assert code == 0, out
        group = Store.open(db).group(gid)
        # The time of day (09:00 WITA) stays; only the day moved.
        assert group.departure == dt.datetime(2018, 5, 22, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
        assert group.capacity == 20 and len(group.members) == 15
        assert deadline_of(group) == dt.date(2018, 5, 1)

    def test_remove_needs_yes_when_it_has_members(
        self, db: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        gid = "nashif-ramadan-1439"
        code, _, err = run(capsys, "group", "remove", gid, "--db", str(db))
        assert code == 2 and "has 15 members; give --yes" in err
        assert gid in Store.open(db).group_ids()
        code, out, _ = run(capsys, "group", "remove", gid, "--yes", "--db", str(db))
        assert code == 0 and out == f"removed group {gid} and its 15 members\n"
        assert Store.open(db).group_ids() == ()
        code, _, err = run(capsys, "group", "edit", gid, "--name", "x", "--db", str(db))
        assert code == 2 and "there is no group" in err


def test_a_group_command_says_the_store_s_warnings(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The log left readable by others: the group command tightens it and says
    # so, as every db command does, rather than fixing it silently.
    log = db.with_name("agency.json.log")
    os.chmod(log, 0o644)
    code, _, err = run(
        capsys, "group", "add", "syawal", "--name", "Umrah Syawal", "--office", "LTM",
        "--departure", "20/06/2018", "--db", str(db),
    )  # fmt: skip
    assert code == 0
    assert f"grouppass: warning: {log} could be read by other users (mode 644)" in err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
