"""`grouppass backtest`: text and JSON on a small history, the database, bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from test_backtest import hand_history

from grouppass.cli import main
from grouppass.formats import scenario_to_dict
from grouppass.model import Scenario
from grouppass.store import Store

TODAY = "2024-10-14"


def write(scenario: Scenario, path: Path) -> Path:
    path.write_text(json.dumps(scenario_to_dict(scenario)), encoding="utf-8")
    return path


@pytest.fixture
def history(tmp_path: Path) -> Path:
    return write(hand_history(), tmp_path / "history.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    assert "Traceback" not in err and 'File "' not in err
    return code, out, err


def test_text(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "backtest", str(history), "--as-of", TODAY, "--every", "1")
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[0]
        == "Track record to 2024-10-14 (every 1 day; 4 replay days, 2024-10-07 to 2024-10-10)"
    )
    assert lines[1] == (
        "when grouppass said 90% or more, 3 of 3 were in time (groups, replayed every 1 day)"
    )
    assert "Groups: 8 forecasts, 3 in time" in lines
    assert "Members: 14 forecasts, 9 in time" in lines
    rows = [line.split() for line in lines if line.startswith("  0%-10%")]
    assert rows == [["0%-10%", "5", "0%", "0", "of", "5", "(0%)"]] * 2
    assert "  Brier score 0.000, better than the naive forecast's 0.375 (lower is better)" in lines
    assert "  rated on_track: 3 of 3 in time" in lines


def test_json(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "backtest", str(history), "--as-of", TODAY, "--every", "1", "--format", "json"
    )
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    assert data["format"] == "grouppass-track-record/1"
    assert (data["today"], data["every_days"], data["target_probability"]) == (TODAY, 1, 0.9)
    assert data["replay_days"] == ["2024-10-07", "2024-10-08", "2024-10-09", "2024-10-10"]
    groups, members = data["groups"], data["members"]
    assert (groups["forecasts"], groups["in_time"]) == (8, 3)
    assert (members["forecasts"], members["in_time"]) == (14, 9)
    assert groups["naive_brier"] == 0.375 and groups["brier"] == 0.0
    assert members["naive_brier"] == round(3 / 14, 4)
    assert len(groups["bins"]) == 10
    top = groups["bins"][9]
    assert top == {
        "low": 0.9,
        "high": 1.0,
        "forecasts": 3,
        "mean_predicted": 1.0,
        "in_time": 3,
        "share": 1.0,
    }
    assert groups["bins"][5] == {
        "low": 0.5, "high": 0.6, "forecasts": 0, "mean_predicted": None, "in_time": 0,
        "share": None,
    }  # fmt: skip
    assert groups["on_track"] == {"calls": 3, "came_true": 3}
    assert groups["target_or_more"] == {"calls": 3, "came_true": 3}
    assert data["summary"].startswith("when grouppass said 90% or more, 3 of 3")


def test_the_database(tmp_path: Path, history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "agency.json"
    Store.create(
        db, scenario=hand_history(), clock=lambda: dt.datetime(2024, 10, 14, tzinfo=dt.UTC)
    )
    argv = ("--as-of", TODAY, "--every", "1", "--format", "json")
    code, from_db, _ = run(capsys, "backtest", "--db", str(db), *argv)
    assert code == 0
    _, from_file, _ = run(capsys, "backtest", str(history), *argv)
    assert json.loads(from_db) == json.loads(from_file)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["missing.json"], "missing.json"),
        (["--every", "0", "FILE"], "must be at least 1"),
        (["--as-of", "2024-02-31", "FILE"], "not a date"),
        ([], "give a scenario file, or --db PATH"),
        (["FILE", "--db", "agency.json"], "not both"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    argv: list[str], says: str, history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(history) if a == "FILE" else a for a in argv]
    code, out, err = run(capsys, "backtest", *argv)
    assert code == 2 and says in err and out == ""


def test_a_bad_file_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(write(hand_history(), tmp_path / "h.json").read_text(encoding="utf-8"))
    data["offices"][0]["daily_capacity"] = -5
    (tmp_path / "h.json").write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "backtest", str(tmp_path / "h.json"), "--as-of", TODAY)
    assert code == 2 and "offices[0].daily_capacity" in err
