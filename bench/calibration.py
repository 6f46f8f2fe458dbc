"""How honest are grouppass's probabilities? Measured on simulated seasons with known truth.

    .venv/bin/python bench/calibration.py              # every world, 20 seasons each
    .venv/bin/python bench/calibration.py --quick      # a smoke run, under a minute
    .venv/bin/python bench/calibration.py --worlds as-said,realistic --seasons 6

For each world (a preset of grouppass.simulate, jittered per season by
``variant`` so nothing is tuned to one set of numbers) and each season, every
group is assessed at several horizons before its deadline (8, 6, 4 and 2
weeks) and each forecast is compared with what the simulator knows happened.
A member who had not applied by ``as_of`` is judged as the forecast imagines
them: applying at the end of ``as_of`` at the office the file names, with
their own luck, in the same world. Forecasts already ``ready`` are left out.

Per world it prints member and group ECE (10 equal-width bins, weighted),
the Brier score per horizon against the organiser's naive forecast (ready
three working days after payment plus the announced recovery: P = 1 or 0),
and how often groups rated ``on_track`` were on time. Exit status 1 when a
target of issue 7 is missed (docs/track-record.md), else 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from attrs import frozen

import grouppass
from grouppass.backtest import Reliability, Scored, naive_ready_day, reliability
from grouppass.calendar import WorkingCalendar
from grouppass.model import Application
from grouppass.results import Risk
from grouppass.simulate import PRESETS, World, simulate_season, variant

HORIZONS = (8, 6, 4, 2)
"""Weeks before the deadline the forecasts are made."""

# Issue 7's targets.
GROUP_ECE = 0.05
GROUP_ECE_AS_SAID = 0.03
MEMBER_ECE = 0.04
ON_TRACK_HIT = 0.88


@frozen
class Row:
    """One forecast: its world, season, horizon and level, and the score inputs."""

    world: str
    seed: int
    weeks: int
    level: str
    """``member`` or ``group``."""
    group_id: str
    member_id: str | None
    scored: Scored


def evaluate_season(
    world: World, seed: int, *, horizons: Sequence[int] = HORIZONS, samples: int = 1000
) -> list[Row]:
    """Every forecast of one season of ``world`` (seed ``seed``), with the truth."""
    jittered = world if world.name == "as-said" else variant(world, seed)
    season = simulate_season(jittered, seed)
    scenario = season.scenario()
    by_deadline: dict[dt.date, list[str]] = {}
    for gid in season.season_groups:
        by_deadline.setdefault(season.deadline(gid), []).append(gid)
    calendars: dict[str, WorkingCalendar] = {}
    rows: list[Row] = []
    for deadline, ids in sorted(by_deadline.items()):
        for weeks in horizons:
            as_of = deadline - dt.timedelta(weeks=weeks)
            report = grouppass.assess(
                scenario, as_of, seed=seed, samples=samples, groups=ids, distributions=False
            )
            for rated in report.groups:
                group = scenario.group(rated.group_id)
                members = {m.id: m for m in group.members}
                naive_all = True
                for m in rated.members:
                    if m.risk is Risk.READY:
                        continue
                    app = members[m.member_id].application or Application(office=group.office)
                    naive = naive_ready_day(scenario, app, as_of, calendars) <= deadline
                    naive_all = naive_all and naive
                    truth = season.on_time(group.id, m.member_id, as_of)
                    on_track = m.risk is Risk.ON_TRACK
                    scored = Scored(m.p_on_time, float(naive), truth, on_track)
                    rows.append(
                        Row(world.name, seed, weeks, "member", group.id, m.member_id, scored)
                    )
                if rated.risk is Risk.READY:
                    continue
                truth = season.group_on_time(group.id, as_of)
                on_track = rated.risk is Risk.ON_TRACK
                scored = Scored(rated.p_on_time, float(naive_all), truth, on_track)
                rows.append(Row(world.name, seed, weeks, "group", group.id, None, scored))
    return rows


@frozen
class WorldResult:
    world: str
    seasons: int
    members: Reliability
    groups: Reliability
    by_horizon: tuple[tuple[int, Reliability, Reliability], ...]
    """(weeks, members, groups) per horizon."""


def summarise(world: str, rows: Iterable[Row], seasons: int) -> WorldResult:
    rows = [r for r in rows if r.world == world]

    def of(level: str, weeks: int | None = None) -> Reliability:
        return reliability(
            r.scored for r in rows if r.level == level and (weeks is None or r.weeks == weeks)
        )

    weeks = sorted({r.weeks for r in rows}, reverse=True)
    return WorldResult(
        world=world,
        seasons=seasons,
        members=of("member"),
        groups=of("group"),
        by_horizon=tuple((w, of("member", w), of("group", w)) for w in weeks),
    )


def misses(result: WorldResult) -> list[str]:
    """Issue 7's targets this world misses, in words (empty: all met)."""
    out = []
    m, g = result.members, result.groups
    limit = GROUP_ECE_AS_SAID if result.world == "as-said" else GROUP_ECE
    if g.ece is not None and g.ece > limit:
        out.append(f"group ECE {100 * g.ece:.1f} > {100 * limit:.0f} points")
    if m.ece is not None and m.ece > MEMBER_ECE:
        out.append(f"member ECE {100 * m.ece:.1f} > {100 * MEMBER_ECE:.0f} points")
    if g.on_track_calls and g.on_track_hits / g.on_track_calls < ON_TRACK_HIT:
        share = g.on_track_hits / g.on_track_calls
        out.append(f"on_track groups on time {share:.1%} < {ON_TRACK_HIT:.0%}")
    for weeks, mh, gh in result.by_horizon:
        for name, r in (("member", mh), ("group", gh)):
            if r.brier is None or r.naive_brier is None:
                continue
            # Both perfect is a tie with nothing to beat; otherwise it must be lower.
            if r.brier > r.naive_brier or (r.naive_brier > 0 and r.brier == r.naive_brier):
                out.append(
                    f"{name} Brier at {weeks} weeks {r.brier:.3f} not better than naive "
                    f"{r.naive_brier:.3f}"
                )
    return out


def _pts(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def _b(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _rate(hits: int, calls: int) -> str:
    return "-" if not calls else f"{hits / calls:.0%} ({hits}/{calls})"


def table(result: WorldResult, description: str) -> list[str]:
    m, g = result.members, result.groups
    lines = [
        f"== {result.world}: {description}",
        f"   {result.seasons} seasons; {m.forecasts} member and {g.forecasts} group forecasts",
        "   horizon | members  Brier  naive   ECE | groups  Brier  naive   ECE",
    ]
    for weeks, mh, gh in result.by_horizon:
        lines.append(
            f"   {weeks:>2} weeks | {mh.forecasts:>7} {_b(mh.brier):>6} {_b(mh.naive_brier):>6} "
            f"{_pts(mh.ece):>5} | {gh.forecasts:>6} {_b(gh.brier):>6} {_b(gh.naive_brier):>6} "
            f"{_pts(gh.ece):>5}"
        )
    lines.append(
        f"   all      | {m.forecasts:>7} {_b(m.brier):>6} {_b(m.naive_brier):>6} "
        f"{_pts(m.ece):>5} | {g.forecasts:>6} {_b(g.brier):>6} {_b(g.naive_brier):>6} "
        f"{_pts(g.ece):>5}"
    )
    lines.append(
        f"   on_track on time: groups {_rate(g.on_track_hits, g.on_track_calls)}, "
        f"members {_rate(m.on_track_hits, m.on_track_calls)}"
    )
    lines.append("   group reliability (said -> seen, n):  " + _bins(g))
    found = misses(result)
    lines.append("   targets: " + ("all met" if not found else "MISSED: " + "; ".join(found)))
    return lines


def _bins(r: Reliability) -> str:
    parts = []
    for b in r.bins:
        if b.forecasts:
            parts.append(f"{b.mean_predicted:.0%}->{b.in_time / b.forecasts:.0%} ({b.forecasts})")
    return "  ".join(parts)


def _job(args: tuple[str, int, int, tuple[int, ...]]) -> list[Row]:
    name, seed, samples, horizons = args
    return evaluate_season(PRESETS[name], seed, horizons=horizons, samples=samples)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 worlds, 2 seasons")
    parser.add_argument("--worlds", help="comma-separated presets (default: all)")
    parser.add_argument("--seasons", type=int, default=20, help="seasons per world (default 20)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    names = list(PRESETS) if args.worlds is None else args.worlds.split(",")
    seasons = args.seasons
    samples = args.samples
    if args.quick:
        names = names if args.worlds else ["as-said", "realistic"]
        seasons, samples = min(seasons, 2), min(samples, 300)
    unknown = [n for n in names if n not in PRESETS]
    if unknown:
        parser.error(f"unknown world(s) {', '.join(unknown)}; presets: {', '.join(PRESETS)}")
    jobs = [
        (name, seed, samples, HORIZONS)
        for name in names
        for seed in range(args.first_seed, args.first_seed + seasons)
    ]
    started = time.perf_counter()
    rows: list[Row] = []
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            for found in pool.map(_job, jobs):
                rows.extend(found)
    else:
        for job in jobs:
            rows.extend(_job(job))
    failed = False
    summary = []
    for name in names:
        result = summarise(name, rows, seasons)
        print("\n".join(table(result, PRESETS[name].description)))
        print()
        found = misses(result)
        failed = failed or bool(found)
        g, m = result.groups, result.members
        summary.append(
            f"{name:<16} {_pts(m.ece):>6} {_pts(g.ece):>6} "
            f"{_rate(g.on_track_hits, g.on_track_calls):>16} "
            f"{'met' if not found else 'MISSED'}"
        )
    print("world            mECE   gECE  on_track groups  targets")
    print("\n".join(summary))
    print(f"\n{len(jobs)} seasons, samples {samples}, {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
