"""The database commands: grouppass import, export and db check|restore|audit|init."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import attrs
import openpyxl
import orjson
import pytest
from test_manifest import write_csv
from test_store import T0, agency

from grouppass.cli import main
from grouppass.cli_db import resolve_db_path
from grouppass.formats import dump_scenario
from grouppass.model import Agency
from grouppass.store import Ref, Store
from grouppass.store.backups import list_backups

M1 = Ref.member("G", "M1")
EXAMPLE = Path(__file__).parent.parent / "examples" / "manifest-sekarbela.csv"


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    scenario = tmp_path / "agency-scenario.json"
    dump_scenario(agency(), scenario)
    path = tmp_path / "agency.json"
    assert main(["db", "init", "--db", str(path), "--from", str(scenario)]) == 0
    assert "1 groups, 3 travellers" in capsys.readouterr().out
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_where_the_database_is(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GROUPPASS_DB", str(tmp_path / "env.json"))
    assert resolve_db_path("given.json") == Path("given.json")
    assert resolve_db_path(None) == tmp_path / "env.json"
    monkeypatch.delenv("GROUPPASS_DB")
    assert resolve_db_path(None).name == "agency.json"
    assert "grouppass" in str(resolve_db_path(None))


def test_import_then_reimport(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "m.csv", [["nama", "no_hp"], ["Zainal Abidin", "0819"]])
    code, out, _ = run(capsys, "import", str(path), "--group", "G", "--db", str(db))
    assert code == 0 and "1 added, 0 updated, 0 unchanged" in out
    code, out, _ = run(capsys, "import", str(path), "--group", "G", "--db", str(db))
    assert code == 0 and "0 added, 0 updated, 1 unchanged" in out


def test_bad_rows_are_listed_and_nothing_is_imported(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(
        tmp_path / "m.csv", [["nama", "tgl_bayar"], ["Baik", "01/03/2018"], ["Buruk", "31/02/2018"]]
    )
    code, out, err = run(capsys, "import", str(path), "--group", "G", "--db", str(db))
    assert code == 2 and out == ""
    assert f"{path}:3: tgl_bayar: not a date: '31/02/2018'" in err
    assert "nothing was imported (1 problem; fix them, or use --skip-bad" in err
    assert len(Store.open(db).group("G").members) == 3
    code, out, err = run(capsys, "import", str(path), "--group", "G", "--db", str(db), "--skip-bad")
    assert code == 0 and "1 added" in out and "skipped 1 (rows 3)" in err


def test_the_example_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = Path(__file__).parent.parent / "examples" / "mataram-2018.json"
    db = str(tmp_path / "agency.json")
    assert run(capsys, "db", "init", "--db", db, "--from", str(scenario))[0] == 0
    group = "nashif-ramadan-1439"
    code, out, err = run(capsys, "import", str(EXAMPLE), "--group", group, "--db", db)
    assert code == 0, err
    assert "2 added, 0 updated, 15 unchanged" in out
    assert "columns ignored: 'No.'" in err


def test_export_masks_unless_asked(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "export", "--group", "G", "--format", "csv", "--db", str(db))
    assert code == 0 and "B******67" in out and "B1234567" not in out
    target = tmp_path / "out.xlsx"
    code, _, err = run(
        capsys, "export", "--group", "G", "--format", "xlsx", "--db", str(db),
        "-o", str(target), "--show-pii",
    )  # fmt: skip
    assert code == 0 and "wrote 3 members" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # it holds passport numbers
    values = [
        c.value for row in openpyxl.load_workbook(target).worksheets[0].iter_rows() for c in row
    ]
    assert "B1234567" in values


def test_export_the_report(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "export", "--group", "G", "--format", "json", "--db", str(db),
        "--report", "--as-of", "2018-03-15",
    )  # fmt: skip
    assert code == 0 and '"grouppass-report/1"' in out and '"as_of": "2018-03-15"' in out


def test_export_mistakes(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "--group", "X", "--format", "csv", "--db", str(db))
    assert code == 2 and "no group 'X'" in err
    code, _, err = run(
        capsys,
        "export",
        "--group",
        "G",
        "--format",
        "csv",
        "--db",
        str(db),
        "--as-of",
        "2018-03-15",
    )
    assert code == 2 and "--as-of goes with --report" in err


def test_check_audit_and_restore(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "db", "check", str(db))
    assert code == 0 and "ok: 1 groups, 3 travellers" in out
    code, out, _ = run(capsys, "db", "audit", "--db", str(db), "--limit", "1")
    assert code == 0 and "create the database from a scenario" in out
    assert "5271011204680003" not in out  # personal data stays out of listings
    (backup,) = list_backups(db)
    db.write_bytes(db.read_bytes()[:100])
    code, _, err = run(capsys, "db", "check", str(db))
    assert code == 2 and f"the last good backup is {backup}" in err
    code, _, err = run(capsys, "check", "--db", str(db), "--as-of", "2018-03-15")
    assert code == 2 and f"grouppass db restore {backup}" in err
    code, out, _ = run(capsys, "db", "restore", str(backup), "--db", str(db))
    assert code == 0 and "made anew" in out
    assert Store.open(db).scenario() == agency()


def test_check_reads_the_database(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "check", "--db", str(db), "--as-of", "2018-03-15", "--samples", "200"
    )
    assert code in (0, 1), err
    assert "Lalu Ahmad Zaini" in out


def test_init_refuses_to_overwrite(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "db", "init", "--db", str(db))
    assert code == 2 and "already exists" in err


def test_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "db", "audit", "--db", str(tmp_path / "none.json"))
    assert code == 2 and "grouppass db init" in err
    assert not os.path.exists(tmp_path / "none.json")


def test_db_check_takes_db_like_the_other_commands(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "db", "check", "--db", str(db))
    assert code == 0 and f"{db}: ok: 1 groups" in out
    code, _, err = run(capsys, "db", "check", str(db), "--db", str(tmp_path / "other.json"))
    assert code == 2 and "give the database once" in err


def test_repair_from_the_command_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(db, clock=lambda: T0)
    m = store.member("G", "M1")
    store.save_member("G", attrs.evolve(m, phone="0819"), store.version_of(M1))  # #2
    db.write_bytes(db.read_bytes()[:100])
    code, _, err = run(capsys, "db", "check", "--db", str(db))
    assert code == 2 and f"repair it with: grouppass db repair --db {db}" in err
    code, _, err = run(capsys, "check", "--db", str(db), "--as-of", "2018-03-15")
    assert code == 2 and "nothing acknowledged is lost" in err
    code, out, _ = run(capsys, "db", "repair", "--db", str(db))
    assert code == 0 and "replaying its change log (changes #1-#2)" in out
    assert Store.open(db).member("G", "M1").phone == "0819"
    code, out, _ = run(capsys, "db", "repair", "--db", str(db))
    assert code == 0 and "nothing to repair (revision 2)" in out


def test_a_repair_that_loses_changes_asks_first(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    log = db.with_name("agency.json.log")
    stale = log.read_bytes()
    store = Store.open(db, clock=lambda: T0, backup_every=None)  # no backup holds #2 either
    m = store.member("G", "M1")
    store.save_member("G", attrs.evolve(m, phone="lost"), store.version_of(M1))  # #2
    log.write_bytes(stale)
    code, out, err = run(capsys, "db", "repair", "--db", str(db))
    assert code == 2 and "1 acknowledged change (#2) cannot be recovered" in out
    assert "give --yes to repair it with that loss" in err
    assert log.read_bytes() == stale
    code, out, _ = run(capsys, "db", "repair", "--db", str(db), "--yes")
    assert code == 0 and "now at revision 3" in out


def test_loose_permissions_are_tightened_and_said_once(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = db.with_name("agency.json.log")
    os.chmod(log, 0o644)
    path = write_csv(tmp_path / "m.csv", [["nama"], ["Zainal Abidin"]])
    code, _, err = run(capsys, "import", str(path), "--group", "G", "--db", str(db))
    assert code == 0
    assert err.count("warning:") == 1
    assert f"grouppass: warning: {log} could be read by other users (mode 644)" in err
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    code, _, err = run(capsys, "import", str(path), "--group", "G", "--db", str(db))
    assert code == 0 and "warning" not in err


def test_a_json_export_carries_the_agency(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Store.open(db, clock=lambda: T0).save_agency(Agency("PT Amanah Lombok", phone="0370"), 0)
    code, out, _ = run(capsys, "export", "--group", "G", "--format", "json", "--db", str(db))
    assert code == 0
    assert orjson.loads(out)["agency"] == {"name": "PT Amanah Lombok", "phone": "0370"}


def test_an_actor_s_escapes_are_shown_not_obeyed(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # $USER / $LOGNAME are whatever the environment says; `db audit` printed them raw.
    evil = "\x1b[31mevil\x07"
    store = Store.open(db, clock=lambda: T0, actor=evil)  # an older log can hold one
    with store.transaction() as tx:
        tx.save_agency(Agency(name="PT Amanah Lombok"), store.version_of(Ref.agency()))
    monkeypatch.setattr("getpass.getuser", lambda: evil)
    Store.open(db, clock=lambda: T0).save_agency(
        Agency(name="PT Amanah"), Store.open(db).version_of(Ref.agency())
    )
    code, out, _ = run(capsys, "db", "audit", "--db", str(db), "--limit", "2")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    lines = [line for line in out.splitlines() if line.startswith("#")]
    assert [line.split(" ", 2)[2] for line in lines] == [
        "\\x1b[31mevil\\x07: save the agency (1 record)",
        "\\x1b[31mevil\\x07: edit (1 record)",  # a transaction's default action
    ]
    # the second was recorded already made visible, the first is made visible when shown
    audit = Store.open(db).audit(2)
    assert [e.actor for e in audit] == ["\\x1b[31mevil\\x07", evil]


def test_a_scenario_file_given_as_the_database_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "season.json"
    dump_scenario(agency(), scenario)
    before = scenario.read_bytes()
    for argv in (["check", "--db", str(scenario)], ["db", "check", str(scenario)]):
        code, _, err = run(capsys, *argv)
        assert code == 2
        assert (
            f"a scenario file (grouppass/1), not a database: make a database from it with "
            f"`grouppass db init --db agency.json --from {scenario}`"
        ) in err
    assert scenario.read_bytes() == before
