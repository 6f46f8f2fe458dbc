"""`grouppass check`: the report, exit codes, and bad input."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import pathlib
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

import pytest
from gp_builders import (
    make_group,
    make_office,
    make_scenario,
    paid_member,
    passport_member,
)

from grouppass.assess import assess
from grouppass.cli import main
from grouppass.formats import dump_scenario
from grouppass.model import Member, Scenario
from grouppass.results import Risk

D = dt.date
ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mataram-2018.json"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FAST = ["--samples", "200"]


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """main() in-process: (exit code, stdout, stderr). Usage errors exit through argparse."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def no_traceback(err: str) -> None:
    assert "Traceback" not in err
    assert 'File "' not in err


# -- the JSON report ----------------------------------------------------------


@pytest.fixture(scope="module")
def example_report() -> dict[str, Any]:
    """The Mataram example as of 15 March 2018, as JSON (run once for the module)."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8")
    with contextlib.redirect_stdout(stdout):
        code = main(["check", str(EXAMPLE), "--as-of", "2018-03-15", "--format", "json", *FAST])
    stdout.flush()
    data: dict[str, Any] = json.loads(raw.getvalue())
    data["_exit"] = code
    return data


def is_p(value: object) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool) and 0.0 <= value <= 1.0


def is_date(value: object) -> bool:
    return isinstance(value, str) and bool(DATE.match(value)) and bool(D.fromisoformat(value))


def test_json_report_has_the_documented_shape(example_report: dict[str, Any]) -> None:
    r = example_report
    assert r["format"] == "grouppass-report/1"
    assert r["as_of"] == "2018-03-15"
    assert r["target_probability"] == 0.9
    assert isinstance(r["groups"], list) and len(r["groups"]) == 1
    g = r["groups"][0]
    assert {"id", "name", "deadline", "risk", "p_on_time", "members", "advice"} <= g.keys()
    assert g["id"] == "nashif-ramadan-1439"
    assert isinstance(g["name"], str) and g["name"]
    assert g["deadline"] == "2018-04-24"
    assert g["risk"] in {"ready", "on_track", "at_risk", "late"}
    assert is_p(g["p_on_time"])
    assert len(g["members"]) == 15


def test_json_members_have_documented_keys_and_types(example_report: dict[str, Any]) -> None:
    member_keys = {
        "id", "name", "risk", "p_on_time", "ready_p50", "ready_p90", "office", "stage", "problems",
    }  # fmt: skip
    stages = {
        "not_started", "booked", "recorded", "paid", "recorded_and_paid", "issued", "collected",
    }  # fmt: skip
    codes = {"expires_too_soon", "name_too_short", "not_started"}
    seen_problems = set()
    for m in example_report["groups"][0]["members"]:
        assert member_keys <= m.keys()
        assert isinstance(m["id"], str) and isinstance(m["name"], str)
        assert m["risk"] in {"ready", "on_track", "at_risk", "late"}
        assert is_p(m["p_on_time"])
        assert m["stage"] in stages
        if m["risk"] == "ready":
            assert m["p_on_time"] == 1.0
            assert m["ready_p50"] is None and m["ready_p90"] is None
            assert m["office"] is None
        else:
            assert is_date(m["ready_p50"]) and is_date(m["ready_p90"])
            assert m["ready_p50"] <= m["ready_p90"]
            assert m["office"] in {"MTR", "LTM"}
        for p in m["problems"]:
            assert {"code", "message"} <= set(p) <= {
                "code", "message", "expires", "needed", "words", "required"
            }  # fmt: skip
            assert p["code"] in codes
            assert isinstance(p["message"], str) and p["message"]
            seen_problems.add(p["code"])
    assert seen_problems, "the example has members with passport problems"


def test_json_advice_has_documented_keys_and_types(example_report: dict[str, Any]) -> None:
    g = example_report["groups"][0]
    member_ids = {m["id"] for m in g["members"]}
    assert g["advice"], "the example's outage calls for advice"
    for a in g["advice"]:
        assert {
            "office", "members", "action", "to_office", "switch_by", "p_stay", "p_switch_now",
            "reason",
        } <= a.keys()  # fmt: skip
        assert a["office"] in {"MTR", "LTM"}
        assert a["members"] and set(a["members"]) <= member_ids
        assert a["action"] in {
            "stay", "switch_now", "switch_by", "no_better_option", "start_at", "express",
            "later_group", "ask_urgent",
        }  # fmt: skip
        assert isinstance(a["code"], str) and a["options"]
        for o in a["options"]:
            assert is_p(o["p_group"]) and isinstance(o["cost"], int)
        assert a["to_office"] is None or a["to_office"] in {"MTR", "LTM"}
        assert a["switch_by"] is None or is_date(a["switch_by"])
        if a["action"] in ("switch_now", "switch_by"):
            assert is_date(a["switch_by"])
            assert a["switch_by"] <= g["deadline"]
        assert is_p(a["p_stay"])
        assert a["p_switch_now"] is None or is_p(a["p_switch_now"])
        assert isinstance(a["reason"], str) and a["reason"]


def expected_exit(report: dict[str, Any], fail_on: str = "at_risk") -> int:
    worse = {"at_risk": {"at_risk", "late"}, "late": {"late"}, "never": set()}[fail_on]
    risks = {m["risk"] for g in report["groups"] for m in g["members"]}
    return 1 if risks & worse else 0


def test_the_example_exit_code_matches_its_members(example_report: dict[str, Any]) -> None:
    assert example_report["_exit"] == expected_exit(example_report)


def test_json_agrees_with_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    from grouppass.formats import load_scenario

    code, out, _ = run(
        ["check", str(EXAMPLE), "--as-of", "2018-03-15", "--format", "json", "--seed", "5", *FAST],
        capsys,
    )
    data = json.loads(out)
    report = assess(load_scenario(EXAMPLE), D(2018, 3, 15), seed=5, samples=200)
    g = report.groups[0]
    assert data["seed"] == 5 and data["samples"] == 200
    assert data["groups"][0]["p_on_time"] == pytest.approx(g.p_on_time, abs=1e-4)
    for jm, m in zip(data["groups"][0]["members"], g.members, strict=True):
        assert jm["id"] == m.member_id
        assert jm["p_on_time"] == pytest.approx(m.p_on_time, abs=1e-4)
        assert jm["risk"] == m.risk.value
    assert code == (1 if any(m.risk.severity >= Risk.AT_RISK.severity for m in g.members) else 0)


def test_group_option_selects_groups(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = make_office("A")
    groups = [make_group([passport_member("a")], id=gid, name=f"Group {gid}") for gid in "xyz"]
    path = write(tmp_path, make_scenario([office], groups))
    code, out, _ = run(
        ["check", path, "--as-of", "2018-03-15", "--format", "json", "--group", "z",
         "--group", "x", *FAST],
        capsys,
    )  # fmt: skip
    assert code == 0
    assert [g["id"] for g in json.loads(out)["groups"]] == ["z", "x"]


# -- exit codes ---------------------------------------------------------------


def write(tmp_path: pathlib.Path, scenario: Scenario, name: str = "scenario.json") -> str:
    path = tmp_path / name
    dump_scenario(scenario, path)
    return str(path)


AS_OF = D(2018, 3, 1)


def one_member_scenario(member: Member, departure_day: int) -> Scenario:
    office = make_office("A", issue=(1, 5, 12), collect=0)
    group = make_group([member], departure=f"2018-03-{departure_day:02}T09:00:00+07:00")
    return make_scenario([office], [group])


def scenario_with(risk: Risk) -> Scenario:
    """One member whose risk, as of 1 March with 200 samples, is ``risk``."""
    if risk is Risk.READY:
        return one_member_scenario(passport_member("p"), 28)
    member = paid_member("m", paid=AS_OF)
    for day in range(2, 29):
        scenario = one_member_scenario(member, day)
        got = assess(scenario, AS_OF, samples=200).groups[0].members[0].risk
        if got is risk:
            return scenario
    raise AssertionError(f"no deadline gives {risk}")


@pytest.mark.parametrize(
    "risk, fail_on, expected",
    [
        (Risk.READY, "at_risk", 0),
        (Risk.ON_TRACK, "at_risk", 0),
        (Risk.ON_TRACK, "late", 0),
        (Risk.AT_RISK, "at_risk", 1),
        (Risk.AT_RISK, "late", 0),
        (Risk.AT_RISK, "never", 0),
        (Risk.LATE, "at_risk", 1),
        (Risk.LATE, "late", 1),
        (Risk.LATE, "never", 0),
    ],
)
def test_exit_code_follows_fail_on(
    risk: Risk,
    fail_on: str,
    expected: int,
    tmp_path: pathlib.Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(tmp_path, scenario_with(risk))
    code, out, err = run(
        ["check", path, "--as-of", AS_OF.isoformat(), "--format", "json", "--fail-on", fail_on,
         *FAST],
        capsys,
    )  # fmt: skip
    assert err == ""
    assert json.loads(out)["groups"][0]["members"][0]["risk"] == risk.value
    assert code == expected


def test_default_fail_on_is_at_risk(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, scenario_with(Risk.AT_RISK))
    code, _, _ = run(["check", path, "--as-of", AS_OF.isoformat(), *FAST], capsys)
    assert code == 1


def test_the_worst_member_decides(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = make_office("A")
    members = [passport_member("ok"), paid_member("late", paid=D(2018, 5, 11))]
    scenario = make_scenario([office], [make_group(members, departure="2018-05-15T09:00:00+07:00")])
    path = write(tmp_path, scenario)
    code, _, _ = run(["check", path, "--as-of", "2018-05-11", "--fail-on", "late", *FAST], capsys)
    assert code == 1


# -- bad input ----------------------------------------------------------------


def test_missing_file(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.json"
    code, out, err = run(["check", str(missing), "--as-of", "2018-03-15"], capsys)
    assert code == 2
    assert out == ""
    assert str(missing) in err
    assert "cannot read" in err
    no_traceback(err)


def test_a_file_that_is_not_json(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "season.json"
    path.write_text('{"format": "grouppass/1",\n  "groups": [oops]\n}\n')
    code, out, err = run(["check", str(path), "--as-of", "2018-03-15"], capsys)
    assert code == 2
    assert out == ""
    assert str(path) in err
    assert "JSON" in err
    assert "line 2" in err
    no_traceback(err)


def test_a_located_problem_in_the_file(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = make_office("A")
    path = write(tmp_path, make_scenario([office], [make_group([paid_member("m", paid=AS_OF)])]))
    data = json.loads(pathlib.Path(path).read_text())
    data["groups"][0]["members"][0]["application"]["paid"] = "2018-02-31"
    pathlib.Path(path).write_text(json.dumps(data))
    code, out, err = run(["check", path, "--as-of", "2018-03-15"], capsys)
    assert code == 2
    assert out == ""
    assert "groups[0].members[0].application.paid" in err
    assert "2018-02-31" in err
    no_traceback(err)


@pytest.mark.parametrize("as_of", ["2018-02-31", "15-13-2018", "yesterday", "", "9999-12-31"])
def test_a_bad_as_of(as_of: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["check", str(EXAMPLE), "--as-of", as_of], capsys)
    assert code == 2
    assert out == ""
    assert "--as-of" in err
    no_traceback(err)


@pytest.mark.parametrize("samples", ["0", "-5", "many"])
def test_bad_samples(samples: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["check", str(EXAMPLE), "--as-of", "2018-03-15", "--samples", samples], capsys
    )
    assert code == 2
    assert out == ""
    assert "--samples" in err
    no_traceback(err)


def test_an_unknown_group(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["check", str(EXAMPLE), "--as-of", "2018-03-15", "--group", "nope", *FAST], capsys
    )
    assert code == 2
    assert out == ""
    assert "nope" in err
    assert "nashif-ramadan-1439" in err  # says which groups there are
    no_traceback(err)


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", str(EXAMPLE), "--fail-on", "sometimes"],
        ["check", str(EXAMPLE), "--format", "xml"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert err
    no_traceback(err)


# -- the text report ----------------------------------------------------------


def test_text_names_the_group_deadline_and_every_member(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = make_office("A", name="Kanim Uji")
    members = [
        passport_member("a", name="Siti Aminah"),
        paid_member("b", paid=D(2018, 3, 1), name="Lalu Zaini"),
        Member(id="c", name="Baiq Rohani"),
    ]
    group = make_group(
        members,
        name="Umrah Syawal",
        departure="2018-05-15T09:00:00+08:00",
        timezone="Asia/Makassar",
        visa_lead_days=21,
    )
    path = write(tmp_path, make_scenario([office], [group]))
    code, out, err = run(["check", path, "--as-of", "2018-03-15", *FAST], capsys)
    assert err == ""
    assert code == 0
    assert "Umrah Syawal" in out
    assert "24 Apr 2018" in out  # the deadline
    for name in ("Siti Aminah", "Lalu Zaini", "Baiq Rohani"):
        assert name in out
    assert "not started" in out or "no passport" in out


def test_text_tells_members_apart_at_80_columns(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cron job's mail or a piped terminal is 80 columns: every member still by full name.

    Two members whose names share their first 16 characters must not both read
    "Muhammad Rizki …" in the plan.
    """
    monkeypatch.setenv("COLUMNS", "80")
    office = make_office("A")
    members = [
        paid_member("r", paid=D(2018, 3, 1), name="Muhammad Rizki Ramadhan"),
        paid_member("p", paid=D(2018, 3, 1), name="Muhammad Rizki Pratama"),
    ]
    path = write(tmp_path, make_scenario([office], [make_group(members)]))
    code, out, _ = run(["check", path, "--as-of", "2018-03-15", *FAST], capsys)
    assert code == 0
    assert "Muhammad Rizki Ramadhan" in out
    assert "Muhammad Rizki Pratama" in out


def test_text_of_the_example_names_everyone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(["check", str(EXAMPLE), "--as-of", "2018-03-15", *FAST], capsys)
    assert code in (0, 1)
    example = json.loads(EXAMPLE.read_text())
    group: dict[str, Any] = example["groups"][0]
    assert group["name"] in out
    assert "24 Apr 2018" in out
    for member in group["members"]:
        assert member["name"] in out, member["name"]
    assert "Lombok Timur" in out


# -- the installed command ----------------------------------------------------


def grouppass_command() -> str:
    found = shutil.which("grouppass") or str(pathlib.Path(sys.executable).parent / "grouppass")
    assert pathlib.Path(found).exists(), found
    return found


def test_installed_command_writes_the_json_report() -> None:
    proc = subprocess.run(
        [grouppass_command(), "check", str(EXAMPLE), "--as-of", "2018-03-15", "--format",
         "json", "--samples", "200"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert proc.returncode == expected_exit(data)
    assert data["format"] == "grouppass-report/1"
    assert data["as_of"] == "2018-03-15"
    assert data["groups"][0]["deadline"] == "2018-04-24"


def test_installed_command_reports_bad_input_without_traceback(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b"\x00not json")
    proc = subprocess.run(
        [grouppass_command(), "check", str(path), "--as-of", "2018-03-15"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert str(path) in proc.stderr
    no_traceback(proc.stderr)
