"""``grouppass backtest``: the track record of a scenario file or the agency database.

Exit codes as for ``check``: 0 done, 2 bad input or usage (located messages
on stderr, never a traceback). The command line reads the clock only for the
default ``--as-of``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import orjson

from grouppass import limits
from grouppass.backtest import Reliability, TrackRecord, backtest, track_record_dict
from grouppass.cli_args import EXIT_OK, file_path, guarded, positive_int, ranged_int, typed_date
from grouppass.errors import GrouppassError
from grouppass.forecast import DEFAULT_SAMPLES
from grouppass.model import Scenario

__all__ = ["register", "render_text"]


def _load(args: argparse.Namespace) -> Scenario:
    from grouppass import cli_db, load_scenario

    if args.db and args.scenario:
        raise GrouppassError("give a scenario file or --db, not both")
    if args.db:
        return cli_db.load_scenario_from_db(cli_db.resolve_db_path(args.db))
    if not args.scenario:
        raise GrouppassError("give a scenario file, or --db PATH")
    return load_scenario(args.scenario)


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _level(name: str, r: Reliability) -> list[str]:
    if not r.forecasts:
        return [f"{name}: no forecasts to score"]
    lines = [
        f"{name}: {r.forecasts} forecasts, {r.in_time} in time",
        "  grouppass said  forecasts  on average  in time",
    ]
    for b in r.bins:
        if not b.forecasts:
            continue
        label = f"{b.low:.0%}-{b.high:.0%}"
        share = b.in_time / b.forecasts
        lines.append(
            f"  {label:<14} {b.forecasts:>9}  {_pct(b.mean_predicted):>10}  "
            f"{b.in_time} of {b.forecasts} ({_pct(share)})"
        )
    assert r.brier is not None and r.naive_brier is not None and r.ece is not None
    verdict = "better" if r.brier < r.naive_brier else "not better"
    lines.append(
        f"  Brier score {r.brier:.3f}, {verdict} than the naive forecast's {r.naive_brier:.3f} "
        "(lower is better)"
    )
    lines.append(f"  calibration error {100 * r.ece:.1f} points")
    if r.on_track_calls:
        lines.append(f"  rated on_track: {r.on_track_hits} of {r.on_track_calls} in time")
    return lines


def render_text(record: TrackRecord) -> list[str]:
    """The track record as lines of plain text."""
    days = record.days
    when = f"{len(days)} replay days" + (
        f", {days[0].isoformat()} to {days[-1].isoformat()}" if days else ""
    )
    lines = [
        f"Track record to {record.today.isoformat()} (every {record.every_days} "
        f"day{'s' * (record.every_days != 1)}; {when})",
        record.summary,
        "",
        *_level("Groups", record.groups),
        "",
        *_level("Members", record.members),
        "",
        "The naive forecast: ready 3 working days after payment, or after the announced "
        "recovery (docs/track-record.md).",
    ]
    return lines


def _backtest(args: argparse.Namespace) -> int:
    scenario = _load(args)
    # The command line is where the clock may be read; the library never does.
    today = args.as_of or dt.date.today()
    record = backtest(scenario, today, every_days=args.every, seed=args.seed, samples=args.samples)
    if args.format == "json":
        option = orjson.OPT_INDENT_2 if sys.stdout.isatty() else 0
        sys.stdout.buffer.write(orjson.dumps(track_record_dict(record), option=option))
        sys.stdout.buffer.write(b"\n")
    else:
        print("\n".join(render_text(record)))
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``backtest`` to the ``grouppass`` command."""
    p = subparsers.add_parser(
        "backtest", help="replay the agency's history: how often the forecasts came true"
    )
    p.add_argument("scenario", nargs="?", help="scenario file (grouppass/1 JSON)")
    p.add_argument(
        "--db", type=file_path, help="read the agency database instead of a scenario file"
    )
    p.add_argument(
        "--as-of", type=typed_date, help="replay the history up to this day (default: today)"
    )
    p.add_argument(
        "--every", type=positive_int, default=7, metavar="DAYS", help="days between replays (7)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--seed", type=ranged_int(limits.SEED), default=0)
    p.add_argument("--samples", type=ranged_int(limits.SAMPLES), default=DEFAULT_SAMPLES)
    p.set_defaults(func=guarded(_backtest))
