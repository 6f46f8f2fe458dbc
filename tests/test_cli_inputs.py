"""What the command line takes and prints: ranges, date forms, the version, the text plan."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import io
import json
import pathlib
import zipfile
from collections.abc import Sequence

import attrs
import pytest
from gp_builders import make_group, make_office, make_scenario, paid_member
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from grouppass import limits
from grouppass.assess import assess
from grouppass.cli import build_parser, main
from grouppass.display import percent
from grouppass.formats import dump_scenario
from grouppass.model import Scenario
from grouppass.report_text import render_text
from grouppass.results import Assessment, Risk

D = dt.date
ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mataram-2018.json"


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def small() -> Scenario:
    member = paid_member("m1", paid=D(2018, 3, 1))
    return make_scenario(
        [make_office("A")], [make_group([member], departure="2018-05-16T09:00:00+08:00")]
    )


class TestOptions:
    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(["--version"], capsys)
        assert (code, out) == (0, f"grouppass {importlib.metadata.version('grouppass')}\n")

    @pytest.mark.parametrize("typed", ["15/03/2018", "15-03-2018", "15 Maret 2018",
                                       "Kamis, 15 Mar 2018", "2018-03-15"])  # fmt: skip
    def test_as_of_takes_the_forms_the_tui_and_manifests_take(self, typed: str) -> None:
        args = build_parser().parse_args(["check", "x.json", "--as-of", typed])
        assert args.as_of == D(2018, 3, 15)

    @pytest.mark.parametrize(
        ("option", "value", "words"),
        [
            ("--as-of", "9999-12-31", "between 1990-01-01 and 2100-12-31, got 9999-12-31"),
            ("--as-of", "0001-01-01", "between 1990-01-01 and 2100-12-31, got 0001-01-01"),
            ("--as-of", "31/12/1989", "got 1989-12-31"),
            ("--as-of", "31/02/2018", "not a date: '31/02/2018'"),
            ("--seed", "-1", "must be between 0 and 4294967295, got -1"),
            ("--seed", str(2**32), "must be between 0 and 4294967295, got 4294967296"),
            ("--samples", "0", "must be between 1 and 100000, got 0"),
            ("--samples", "100001", "must be between 1 and 100000, got 100001"),
            ("--samples", str(10**8), "got 100000000"),
            ("--seed", "1e3", "not a whole number: '1e3'"),
        ],
    )
    def test_out_of_range_is_a_usage_error(
        self, option: str, value: str, words: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code, out, err = run(["check", str(EXAMPLE), option, value], capsys)
        assert (code, out) == (2, "")
        assert f"argument {option}: " in err and words in err
        assert "Traceback" not in err

    def test_the_ends_of_the_ranges_are_taken(self) -> None:
        parse = build_parser().parse_args
        args = parse(["check", "x", "--seed", str(2**32 - 1), "--samples", "100000",
                      "--as-of", "31/12/2100"])  # fmt: skip
        assert (args.seed, args.samples, args.as_of) == (2**32 - 1, 100_000, limits.DATES.high)
        assert parse(["check", "x", "--seed", "0", "--samples", "1"]).samples == 1

    def test_the_highest_seed_runs(self, tmp_path: pathlib.Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
        path = tmp_path / "s.json"
        dump_scenario(small(), path)
        code, out, err = run(["check", str(path), "--as-of", "1 Maret 2018", "--format", "json",
                              "--seed", str(2**32 - 1), "--samples", "1"], capsys)  # fmt: skip
        assert code in (0, 1), err
        assert json.loads(out)["seed"] == 2**32 - 1


class TestNotAScenario:
    def test_a_manifest_points_to_import(self, capsys: pytest.CaptureFixture[str]) -> None:
        manifest = ROOT / "examples" / "manifest-sekarbela.csv"
        code, out, err = run(["check", str(manifest)], capsys)
        assert (code, out) == (2, "")
        assert "a manifest (CSV/XLSX), not a scenario file" in err
        assert f"grouppass import {manifest} --group ID" in err

    def test_an_xlsx_without_its_extension(
        self, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "rombongan"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
        code, _, err = run(["check", str(path)], capsys)
        assert code == 2 and "grouppass import" in err


# -- the text plan ---------------------------------------------------------------------------


def plan(report: Assessment, scenario: Scenario, *, colour: bool = False, width: int = 80) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=colour, color_system="truecolor"
                      if colour else None)  # fmt: skip
    render_text(report, scenario, console)
    return out.getvalue()


@pytest.fixture(scope="module")
def example() -> tuple[Assessment, Scenario]:
    from grouppass.formats import load_scenario

    scenario = load_scenario(EXAMPLE)
    return assess(scenario, D(2018, 3, 15), samples=200), scenario


class TestTextPlan:
    @pytest.mark.parametrize("colour", [False, True])
    @pytest.mark.parametrize("width", [60, 80, 120])
    def test_no_line_ends_in_a_space(
        self, example: tuple[Assessment, Scenario], colour: bool, width: int
    ) -> None:
        text = plan(*example, colour=colour, width=width)
        assert "Muhammad Nashif" in text
        for line in text.split("\n"):
            bare = line.replace("\x1b[0m", "")
            assert bare == bare.rstrip(), repr(line)

    def test_one_symbol_per_risk(self, example: tuple[Assessment, Scenario]) -> None:
        text = plan(*example)
        assert "✓ ready" in text and "✔" not in text and "✖" not in text

    def test_names_are_not_markup(self) -> None:
        name = "[bold]Siti[/bold] [link=https://evil.example]klik[/link]"
        scenario = make_scenario(
            [make_office("A", name="[red]Kanim[/red]")],
            [make_group([paid_member("m1", paid=D(2018, 3, 1), name=name)],
                        departure="2018-05-16T09:00:00+08:00")],
        )  # fmt: skip
        text = plan(assess(scenario, D(2018, 3, 2), samples=50), scenario, width=140)
        assert name in text
        assert "[red]Kanim[/red]" in text
        coloured = plan(assess(scenario, D(2018, 3, 2), samples=50), scenario, colour=True)
        assert "\x1b]8;" not in coloured  # no hyperlink escape was made from the name

    @settings(max_examples=60, deadline=None)
    @given(st.text(min_size=1, max_size=30))
    def test_no_character_in_a_name_acts_on_the_terminal(self, name: str) -> None:
        """Names reach the plan from data no reader checked (an older database): whatever
        they hold, the plan prints no control character but the line feeds it makes."""
        report, scenario = _report_with_name(name)
        text = plan(report, scenario, colour=False, width=200)
        assert not any((ord(c) < 32 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in text)
        assert not any(0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text)

    def test_an_escape_sequence_is_shown_not_run(self) -> None:
        report, scenario = _report_with_name("\x1b]0;pwned\x07Siti\x1b[2J")
        text = plan(report, scenario, width=200)
        assert "\\x1b]0;pwned\\x07Siti\\x1b[2J" in text


_BASE = small()
_BASE_REPORT = assess(_BASE, D(2018, 3, 2), samples=20)


def _report_with_name(name: str) -> tuple[Assessment, Scenario]:
    g = _BASE_REPORT.groups[0]
    member = attrs.evolve(g.members[0], name=name)
    group = attrs.evolve(g, name=name, members=(member,))
    return attrs.evolve(_BASE_REPORT, groups=(group,)), _BASE


# -- one probability format ------------------------------------------------------------------


class TestPercent:
    @pytest.mark.parametrize(
        ("p", "target", "shown"),
        [
            (1.0, 0.9, "100%"), (0.9999, 0.9, ">99%"), (0.991, None, ">99%"),
            (0.99, None, "99%"), (0.0, None, "0%"), (0.0001, None, "<1%"), (0.01, None, "1%"),
            (0.8996, 0.9, "89%"), (0.8996, None, "90%"), (0.9, 0.9, "90%"),
            (0.4996, 0.9, "49%"), (0.5, 0.9, "50%"), (0.7, 0.9, "70%"), (None, None, "–"),
        ],
    )  # fmt: skip
    def test_by_hand(self, p: float | None, target: float | None, shown: str) -> None:
        assert percent(p, target=target) == shown

    @given(st.floats(0, 1), st.floats(0.01, 1))
    def test_the_number_never_contradicts_the_word(self, p: float, target: float) -> None:
        shown = percent(p, target=target)
        word = Risk.from_probability(p, target)
        if shown.endswith("%") and shown[0].isdigit():
            n = int(shown[:-1]) / 100
            assert Risk.from_probability(n, target) is word or n in (0.0, 1.0), (p, shown)
            assert abs(n - p) < 0.011
        assert (shown == "100%") == (p >= 1.0)
        assert (shown == "0%") == (p <= 0.0)


def test_members_in_the_plan_use_the_target_aware_format() -> None:
    report, scenario = _report_with_name("Siti")
    g = report.groups[0]
    m = attrs.evolve(g.members[0], p_on_time=0.8996, risk=Risk.AT_RISK)
    group = attrs.evolve(g, members=(m,), p_on_time=0.8996, risk=Risk.AT_RISK)
    text = plan(attrs.evolve(report, groups=(group,)), scenario, width=120)
    assert "P(all on time) 89% ▲ at_risk" in text
    row = next(line for line in text.splitlines() if "Siti" in line and "%" in line)
    assert "89%" in row and "90%" not in row


def test_error_messages_never_carry_a_control_character(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file's own text comes back in messages (a field name, a code): quoted, never raw."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps({
        "format": "grouppass/1", "\x1b]0;pwned\x07": 1,
        "offices": [{"code": "A\x1b[2J", "name": "", "timezone": "Asia/Jakarta"}],
    }), encoding="utf-8")  # fmt: skip
    code, out, err = run(["check", str(path)], capsys)
    assert code == 2 and out == ""
    assert "\x1b" not in err and "\x07" not in err
    assert "'\\x1b]0;pwned\\x07': unknown field" in err
    assert "offices[0].code: contains a control character (U+001B)" in err
