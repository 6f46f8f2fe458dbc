"""The database commands of ``grouppass``: import, export and ``db check|restore|audit|init``.

``grouppass.cli`` calls :func:`register` to add them. Each handler returns the
exit code: 0 done, 2 a user's mistake (located messages on stderr, never a
traceback). This module is also where the database commands read the clock:
the library is always handed the time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

import platformdirs

from grouppass.cli_args import EXIT_OK, EXIT_USAGE, guarded, positive_int, typed_date
from grouppass.errors import GrouppassError
from grouppass.model import Scenario
from grouppass.store import Store

__all__ = ["load_scenario_from_db", "register", "resolve_db_path"]


def resolve_db_path(cli_value: str | None) -> Path:
    """``--db``, else ``$GROUPPASS_DB``, else ``agency.json`` in the user data directory.

    >>> resolve_db_path("/tmp/x.json")
    PosixPath('/tmp/x.json')
    """
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("GROUPPASS_DB")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("grouppass", appauthor=False)) / "agency.json"


def _now() -> dt.datetime:
    # The one clock of the database commands: audit times and backup names.
    return dt.datetime.now(dt.UTC)


def load_scenario_from_db(path: Path) -> Scenario:
    """Everything in the database at ``path`` as a Scenario (for ``grouppass check --db``)."""
    return Store.open(path, clock=_now).scenario()


def _say(lines: list[str], stream: TextIO | None = None) -> None:
    for line in lines:
        print(line, file=sys.stdout if stream is None else stream)


# -- import and export ---------------------------------------------------------------------------


def _import(args: argparse.Namespace) -> int:
    from grouppass.manifest import ManifestError, import_file

    path = Path(args.file)
    store = Store.open(resolve_db_path(args.db), clock=_now)
    try:
        report = import_file(store, path, args.group, skip_bad=args.skip_bad, sheet=args.sheet)
    except ManifestError as exc:
        _say([str(p) for p in exc.problems], sys.stderr)
        hint = "" if args.skip_bad else "; fix them, or use --skip-bad to import the other rows"
        n = len(exc.problems)
        _say([f"nothing was imported ({n} problem{'s' * (n != 1)}{hint})"], sys.stderr)
        return EXIT_USAGE
    lines = report.lines()
    _say(lines[:1])
    _say(lines[1:], sys.stderr)
    return EXIT_OK


def _create_output(path: Path, private: bool) -> BinaryIO:
    # An export with personal data in it gets the database's own permissions.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o666)
    return os.fdopen(fd, "wb")


def _export(args: argparse.Namespace) -> int:
    from grouppass.manifest import export_group, export_report

    if args.as_of is not None and not args.report:
        raise GrouppassError("--as-of goes with --report")
    if args.output is None and args.format == "xlsx" and sys.stdout.isatty():
        raise GrouppassError("xlsx is a binary file: give --output FILE.xlsx")
    scenario = Store.open(resolve_db_path(args.db), clock=_now).scenario()
    try:
        scenario.group(args.group)
    except KeyError:
        known = ", ".join(g.id for g in scenario.groups) or "none yet"
        raise GrouppassError(
            f"there is no group {args.group!r} (the database has: {known})"
        ) from None
    out = sys.stdout.buffer if args.output is None else _create_output(args.output, args.show_pii)
    try:
        if args.report:
            from grouppass.assess import assess

            # Like `grouppass check`: the figures are for today unless told otherwise.
            as_of = args.as_of or _now().astimezone().date()
            report = assess(scenario, as_of, groups=[args.group])
            export_report(report, args.group, args.format, out)
        else:
            export_group(scenario, args.group, args.format, out, show_pii=args.show_pii)
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    if args.output is not None:
        what = "report" if args.report else f"{len(scenario.group(args.group).members)} members"
        _say([f"wrote {what} of group {args.group} to {args.output}"], sys.stderr)
    return EXIT_OK


# -- db check | restore | audit | init -------------------------------------------------------------


def _db_check(args: argparse.Namespace) -> int:
    from grouppass.store.check import check

    path = resolve_db_path(args.path)
    result = check(path)
    if result.ok:
        _say([f"{path}: ok: {result.summary}"])
        _say([f"note: {n}" for n in result.notes], sys.stderr)
        return EXIT_OK
    _say([f"{path} is damaged:"] + [f"  {p}" for p in result.problems], sys.stderr)
    _say([result.summary], sys.stderr)
    return EXIT_USAGE


def _db_restore(args: argparse.Namespace) -> int:
    from grouppass.store.restore import restore

    result = restore(resolve_db_path(args.db), Path(args.backup), clock=_now)
    _say(result.lines())
    return EXIT_OK


def _db_audit(args: argparse.Namespace) -> int:
    entries = Store.open(resolve_db_path(args.db), clock=_now).audit(args.limit)
    if not entries:
        _say(["no changes yet"])
    for entry in entries:
        _say(entry.describe())
    return EXIT_OK


def _db_init(args: argparse.Namespace) -> int:
    from grouppass.formats import load_scenario

    path = resolve_db_path(args.db)
    scenario = None if args.from_ is None else load_scenario(args.from_)
    store = Store.create(path, scenario=scenario, clock=_now)
    groups = store.groups()
    travellers = sum(len(g.members) for g in groups)
    _say([f"created {path}: {len(groups)} groups, {travellers} travellers"])
    return EXIT_OK


# -- the parser ------------------------------------------------------------------------------------


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", help="database file (default: $GROUPPASS_DB, else agency.json in the data dir)"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``import``, ``export`` and ``db`` to the ``grouppass`` command."""
    p = subparsers.add_parser(
        "import", help="import a manifest (CSV/XLSX) or a scenario file into a group"
    )
    p.add_argument("file", help="manifest .csv/.xlsx, or a grouppass/1 scenario .json")
    p.add_argument("--group", required=True, help="the group to import into")
    _db_option(p)
    p.add_argument("--skip-bad", action="store_true", help="import the good rows, list the bad")
    p.add_argument("--sheet", help="the XLSX sheet to read (default: the first)")
    p.set_defaults(func=guarded(_import))

    p = subparsers.add_parser("export", help="write a group (or its risk report) to a file")
    p.add_argument("--group", required=True, help="the group to export")
    p.add_argument("--format", required=True, choices=("xlsx", "csv", "json"))
    p.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    p.add_argument(
        "--show-pii", action="store_true", help="write passport numbers and NIK unmasked"
    )
    _db_option(p)
    p.add_argument("--report", action="store_true", help="export the risk assessment instead")
    p.add_argument("--as-of", type=typed_date, help="with --report: the day (default: today)")
    p.set_defaults(func=guarded(_export))

    db = subparsers.add_parser("db", help="check, restore, audit or create the database")
    sub = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    p = sub.add_parser("check", help="verify a database file (reads only)")
    p.add_argument("path", nargs="?", help="the database (default: as for --db)")
    p.set_defaults(func=guarded(_db_check))
    p = sub.add_parser("restore", help="bring the database back to a backup")
    p.add_argument("backup", help="a backup file (agency.backup-....json)")
    _db_option(p)
    p.set_defaults(func=guarded(_db_restore))
    p = sub.add_parser("audit", help="list recent changes: who, when, what")
    _db_option(p)
    p.add_argument("--limit", type=positive_int, default=20, help="how many changes (default 20)")
    p.set_defaults(func=guarded(_db_audit))
    p = sub.add_parser("init", help="create a database, empty or from a scenario file")
    _db_option(p)
    p.add_argument("--from", dest="from_", metavar="SCENARIO", help="grouppass/1 file to load")
    p.set_defaults(func=guarded(_db_init))
