"""The ``grouppass`` command: check deadlines from scripts; ``tui`` and ``demo`` start the
terminal UI's own command, ``grouppass-tui``, when it is installed (``grouppass[tui]``).

Exit codes: 0 all well, 1 some member at or past ``--fail-on``, 2 bad input or
usage. A user's mistake is one located message per problem on stderr, never a
traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import pathlib
import subprocess
import sys
from collections.abc import Sequence

from grouppass import cli_backtest, cli_db, cli_group, limits
from grouppass.assess import assess
from grouppass.cli_args import FAIL_LEVELS, exit_code, file_path, guarded, ranged_int, typed_date
from grouppass.errors import GrouppassError
from grouppass.forecast import DEFAULT_SAMPLES
from grouppass.formats import load_scenario, render_json, write_json
from grouppass.model import Scenario

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grouppass",
        description="Will every pilgrim's passport be in hand before the group's deadline?",
    )
    parser.add_argument("--version", action="version", version=f"grouppass {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="forecast and rate groups against their deadlines")
    check.add_argument("scenario", nargs="?", help="scenario file (grouppass/1 JSON)")
    check.add_argument(
        "--db", type=file_path, help="read the agency database instead of a scenario file"
    )
    check.add_argument(
        "--as-of",
        type=typed_date,
        help="the day the figures are for: 2018-03-15, 15/03/2018, 15 Maret 2018... "
        "(default: today)",
    )
    check.add_argument("--group", action="append", help="only this group id (repeatable)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--fail-on", choices=FAIL_LEVELS, default="at_risk")
    check.add_argument(
        "--seed",
        type=ranged_int(limits.SEED),
        default=0,
        help=f"random seed, {limits.SEED.low} to {limits.SEED.high} (default 0)",
    )
    check.add_argument(
        "--samples",
        type=ranged_int(limits.SAMPLES),
        default=DEFAULT_SAMPLES,
        help=f"scenarios drawn, {limits.SAMPLES.low} to {limits.SAMPLES.high} "
        f"(default {DEFAULT_SAMPLES})",
    )
    check.set_defaults(func=guarded(_check))

    for name, text in (
        ("tui", "open the organiser's terminal UI"),
        ("demo", "open the TUI on a fresh copy of the Mataram 2018 example"),
    ):
        p = sub.add_parser(name, help=text)
        if name == "tui":
            p.add_argument(
                "--db",
                type=file_path,
                help="database file (default: GROUPPASS_DB or user data dir)",
            )
        p.add_argument("--lang", choices=("id", "en"), help="language (default from the locale)")
        p.add_argument("--as-of", type=typed_date, help="the day the figures are for")
        p.set_defaults(func=guarded(_tui if name == "tui" else _demo))

    cli_db.register(sub)
    cli_backtest.register(sub)
    cli_group.register(sub)
    return parser


def _load(args: argparse.Namespace) -> Scenario:
    if args.db and args.scenario:
        raise GrouppassError("give a scenario file or --db, not both")
    if args.db:
        return cli_db.load_scenario_from_db(cli_db.resolve_db_path(args.db))
    if not args.scenario:
        raise GrouppassError("give a scenario file, or --db PATH")
    _refuse_a_manifest(args.scenario)
    return load_scenario(args.scenario)


_TABLES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods")


def _refuse_a_manifest(name: str) -> None:
    """A spreadsheet given to ``check``: say how to get it in, not "not valid JSON"."""
    path = pathlib.Path(name)
    table = path.suffix.lower() in _TABLES
    if not table:
        try:
            with open(path, "rb") as f:
                table = f.read(2) == b"PK"  # a zip archive: an XLSX without its extension
        except OSError:
            return  # load_scenario says why it cannot be read
    if table:
        raise GrouppassError(
            f"{name}: a manifest (CSV/XLSX), not a scenario file: import it into a group "
            f"with `grouppass import {name} --group ID`, then run `grouppass check --db`"
        )


def _version() -> str:
    try:
        return importlib.metadata.version("grouppass")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


def _check(args: argparse.Namespace) -> int:
    scenario = _load(args)
    # The command line is where the clock may be read; the library never does.
    as_of = args.as_of or dt.date.today()
    report = assess(
        scenario,
        as_of,
        seed=args.seed,
        samples=args.samples,
        groups=args.group,
        distributions=False,
        # A group checked alone gets the figures it has in the whole agency's check.
        as_in_agency=True,
    )
    if args.format == "json":
        if sys.stdout.isatty():
            sys.stdout.buffer.write(render_json(report, indent=True))
        else:
            write_json(report, sys.stdout.buffer)
        sys.stdout.buffer.write(b"\n")
    else:
        # Imported here: rich costs start-up time that JSON runs need not pay.
        from grouppass.report_text import render_text

        render_text(report, scenario)
    return exit_code(report, args.fail_on)


def _tui_command(args: argparse.Namespace, *, demo: bool) -> int:
    """Start ``grouppass-tui`` (the TUI's own command) with the same interpreter.

    A process of its own, not an import: the library and ``grouppass check``
    never load Textual (docs/architecture.md).
    """
    if importlib.util.find_spec("grouppass_tui") is None:
        raise GrouppassError("the terminal UI is not installed: pip install 'grouppass[tui]'")
    argv = ["demo"] if demo else []
    if not demo and args.db:
        argv += ["--db", str(args.db)]
    if args.lang:
        argv += ["--lang", args.lang]
    if args.as_of:
        argv += ["--as-of", args.as_of.isoformat()]
    return subprocess.call([sys.executable, "-m", "grouppass_tui.cli", *argv])


def _tui(args: argparse.Namespace) -> int:
    return _tui_command(args, demo=False)


def _demo(args: argparse.Namespace) -> int:
    return _tui_command(args, demo=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
