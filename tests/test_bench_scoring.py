"""The benchmarks' own logic: targets, one tiny season, and reading advice.

The benchmarks themselves are run by hand (bench/README.md), never by the suite.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from grouppass.backtest import Scored, reliability
from grouppass.results import Action, Advice
from grouppass.simulate import PRESETS, simulate_season

BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # attrs classes need their module registered
    spec.loader.exec_module(module)
    return module


calibration = bench_module("calibration")
policies = bench_module("policies")


def result(world: str, members: list[Scored], groups: list[Scored]) -> object:
    r_m, r_g = reliability(members), reliability(groups)
    return calibration.WorldResult(world, 1, r_m, r_g, ((2, r_m, r_g),))


def test_calibration_targets() -> None:
    # Ten groups said 95%, eight on time: ECE 15 points, on_track 80%, Brier 0.1825
    # against the naive 0.2 (naive said 1 for all).
    groups = [Scored(0.95, 1.0, i < 8, True) for i in range(10)]
    members = [Scored(0.5, 1.0, i % 2 == 0, False) for i in range(10)]
    found = calibration.misses(result("realistic", members, groups))
    assert found == ["group ECE 15.0 > 5 points", "on_track groups on time 80.0% < 88%"]
    # Members at 0.5, half on time: calibrated, Brier 0.25 better than naive's 0.5.
    good = [Scored(0.95, 1.0, i < 19, True) for i in range(20)]
    assert calibration.misses(result("realistic", members, good)) == []
    # On the as-said world the group ECE must be at most 3 points: 5 misses it.
    near = [Scored(0.95, 1.0, i < 18, True) for i in range(20)]
    assert calibration.misses(result("as-said", members, near)) == ["group ECE 5.0 > 3 points"]


def test_calibration_brier_must_beat_naive() -> None:
    worse = [Scored(0.5, 1.0, True, False) for _ in range(4)]
    assert calibration.misses(result("realistic", worse, worse)) == [
        "group ECE 50.0 > 5 points",
        "member ECE 50.0 > 4 points",
        "member Brier at 2 weeks 0.250 not better than naive 0.000",
        "group Brier at 2 weeks 0.250 not better than naive 0.000",
    ]


def test_a_tiny_season_is_scored_against_the_simulators_truth() -> None:
    rows = calibration.evaluate_season(PRESETS["as-said"], 2, horizons=(4,), samples=100)
    season = simulate_season(PRESETS["as-said"], 2)
    assert {r.level for r in rows} == {"member", "group"} and {r.weeks for r in rows} == {4}
    for r in rows:
        as_of = season.deadline(r.group_id) - dt.timedelta(weeks=4)
        if r.member_id is None:
            assert r.scored.in_time == season.group_on_time(r.group_id, as_of)
        else:
            assert r.scored.in_time == season.on_time(r.group_id, r.member_id, as_of)
        assert 0.0 <= r.scored.p <= 1.0 and r.scored.naive in (0.0, 1.0)


def advice(action: Action, to: str | None = "B", by: dt.date | None = None) -> Advice:
    return Advice("A", ("m1", "m2"), action, to, by, 0.4, 0.8, "")


def test_policies_read_advice_in_one_place() -> None:
    today = dt.date(2024, 10, 7)
    now = policies.act_on(advice(Action.SWITCH_NOW, by=today), today)
    assert (now.members, now.to_office, now.on, now.unless_recovered) == (
        ("m1", "m2"),
        "B",
        today,
        False,
    )
    later = dt.date(2024, 10, 11)
    wait = policies.act_on(advice(Action.SWITCH_BY, by=later), today)
    assert (wait.on, wait.unless_recovered) == (later, True)
    assert policies.act_on(advice(Action.STAY, to=None), today) is None
    assert policies.act_on(advice(Action.NO_BETTER_OPTION), today) is None


@pytest.mark.parametrize(
    ("missed", "switches", "found"),
    [
        ({"never": 9, "move-all": 5, "oracle": 4, "grouppass": 4}, 10, []),
        (
            {"never": 9, "move-all": 5, "oracle": 4, "grouppass": 6},
            10,
            [
                "grouppass missed 6 groups, the better rule 5",
                "grouppass missed 6 groups, more than 15% over the oracle's 4",
            ],
        ),
        (
            {"never": 9, "move-all": 5, "oracle": 4, "grouppass": 4},
            60,
            ["grouppass switched 60, not fewer than move-all's 50"],
        ),
    ],
)
def test_policy_targets(missed: dict[str, int], switches: int, found: list[str]) -> None:
    kind = policies.KINDS[0]
    switched = {"never": 0, "move-all": 50, "oracle": 5, "grouppass": switches}
    results = [
        policies.Result(kind.name, p, 0, 20, missed[p], 400, missed[p], switched[p], 0)
        for p in policies.POLICIES
    ]
    assert policies.misses(kind, results) == found


make_agency = bench_module("make_agency")


def shape(*options: str) -> Any:
    """The Shape the command-line options name, as bench/check.py reads them."""
    return make_agency.shape_of(options)


def test_the_agency_generator_makes_the_shape_it_is_asked_for() -> None:
    s = shape(
        "--group-size", "5", "15", "--offices", "120", "--systems", "4",
        "--disruptions", "30", "--stages", "walk-in",
    )  # fmt: skip
    doc = make_agency.generate(3000, seed=1, shape=s)
    sizes = [len(g["members"]) for g in doc["groups"]]
    assert min(sizes) >= 5 and max(sizes) <= 15
    assert len(doc["offices"]) == 120 and len({o["code"] for o in doc["offices"]}) == 120
    assert len(doc["systems"]) == 4
    assert len(doc["disruptions"]) == 30
    # Walk-in: most applicants pay after recording, so recorded-and-unpaid is common
    # (the default mix has it at 3-12% by time to departure; walk-in weighs it 45%).
    counts = make_agency.stats(doc)
    applying = sum(v for k, v in counts.items() if k.startswith("stage_") and k not in (
        "stage_passport", "stage_not_started"))  # fmt: skip
    assert counts["stage_recorded"] / applying > 0.25
    # The file is a scenario grouppass reads.
    from grouppass.formats.scenario import parse_scenario

    assert sum(1 for _ in parse_scenario(doc).members()) == sum(sizes)


def test_few_offices_are_the_first_of_the_forty_and_the_default_is_unchanged() -> None:
    doc = make_agency.generate(2000, seed=3, shape=shape("--offices", "10", "--systems", "1"))
    codes = [o["code"] for o in doc["offices"]]
    assert len(codes) == 10 and set(codes) <= {o[0] for o in make_agency.OFFICES}
    assert {sys_ for o in doc["offices"] for sys_ in o.get("systems", ())} <= {"SIMKIM"}
    assert make_agency.generate(500, seed=2) == make_agency.generate(500, seed=2, shape=shape())


@pytest.mark.parametrize(
    "options",
    [
        ["--group-size", "4", "10"],
        ["--group-size", "30", "20"],
        ["--offices", "9"],
        ["--offices", "121"],
        ["--systems", "5"],
        ["--disruptions", "31"],
        ["--stages", "sideways"],
        ["--stages", "booked=x"],
        ["--stages", "booked=0,issued=0"],
    ],
)
def test_shapes_out_of_range_are_usage_errors(options: list[str]) -> None:
    with pytest.raises(SystemExit) as e:
        shape(*options)
    assert e.value.code == 2


def test_check_targets_follow_issue_11() -> None:
    check = bench_module("check")
    assert check.targets(100_000) == (2.0, 600_000_000)
    assert check.targets(1_000_000) == (20.0, 3_000_000_000)
    assert check.targets(10_000) == (2.0, 600_000_000)  # small seasons are held to 100k's
