"""The database commands of ``grouppass``: import, export and
``db check|repair|restore|undo|audit|init``.

``grouppass.cli`` calls :func:`register` to add them. Each handler returns the
exit code: 0 done, 1 declined at a confirmation, 2 a user's mistake (located
messages on stderr, never a traceback). This module is also where the
database commands read the clock and print the store's warnings: the library
is always handed the time, and never prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

import platformdirs

from grouppass._files import NotDurableError, open_output
from grouppass.cli_args import (
    EXIT_FAIL,
    EXIT_OK,
    EXIT_USAGE,
    file_path,
    guarded,
    positive_int,
    typed_date,
)
from grouppass.errors import GrouppassError
from grouppass.model import Scenario
from grouppass.store import Store, StoreWarning, refuse_output
from grouppass.text import visible

__all__ = ["load_scenario_from_db", "open_database", "register", "resolve_db_path"]


def resolve_db_path(cli_value: str | Path | None) -> Path:
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


def _warn(warning: StoreWarning | str) -> None:
    # The store says each thing once (a file tightened, a snapshot not rewritten).
    print(f"grouppass: warning: {warning}", file=sys.stderr)


def open_database(path: Path) -> Store:
    """The database at ``path``, its warnings printed to stderr."""
    return Store.open(path, clock=_now, on_warning=_warn)


def load_scenario_from_db(path: Path) -> Scenario:
    """Everything in the database at ``path`` as a Scenario (for ``grouppass check --db``)."""
    return open_database(path).scenario()


def _say(lines: list[str], stream: TextIO | None = None) -> None:
    # What the database holds (an actor's name, a path) may hold escapes: shown, not obeyed.
    for line in lines:
        print(visible(line), file=sys.stdout if stream is None else stream)


def _confirm(question: str, yes: bool, what: str) -> bool:
    """``--yes``, or a "y" typed at a terminal; refused (exit 2) when no one can be asked."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise GrouppassError(f"give --yes to {what} without being asked")
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes", "ya")


# -- import and export ---------------------------------------------------------------------------


def _import(args: argparse.Namespace) -> int:
    from grouppass.manifest import ManifestError, import_file

    path = Path(args.file)
    store = open_database(resolve_db_path(args.db))
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


def _export(args: argparse.Namespace) -> int:
    from grouppass.manifest import export_group, export_report

    if args.as_of is not None and not args.report:
        raise GrouppassError("--as-of goes with --report")
    if args.output is None and args.format == "xlsx" and sys.stdout.isatty():
        raise GrouppassError("xlsx is a binary file: give --output FILE.xlsx")
    db = resolve_db_path(args.db)
    if args.output is not None:
        refuse_output(db, args.output)  # before anything is read: never over the database
    scenario = open_database(db).scenario()
    try:
        scenario.group(args.group)
    except KeyError:
        known = ", ".join(g.id for g in scenario.groups) or "none yet"
        raise GrouppassError(
            f"there is no group {args.group!r} (the database has: {known})"
        ) from None

    def write(out: BinaryIO) -> None:
        if args.report:
            from grouppass.assess import assess

            # Like `grouppass check`: the figures are for today unless told otherwise.
            as_of = args.as_of or _now().astimezone().date()
            # The group's figures as in the whole agency's check.
            report = assess(scenario, as_of, groups=[args.group], as_in_agency=True)
            export_report(report, args.group, args.format, out)
        else:
            export_group(scenario, args.group, args.format, out, show_pii=args.show_pii)

    if args.output is None:
        write(sys.stdout.buffer)
        return EXIT_OK
    # A new 0600 file beside the target, renamed over it only once complete: a
    # failed export leaves the old file, and no export is readable by others.
    # A device or FIFO (/dev/null, /dev/stdout) is written as it is.
    try:
        with open_output(args.output) as out:
            write(out)
    except NotDurableError as exc:
        _warn(str(exc.strerror))
    if args.output is not None:
        what = "report" if args.report else f"{len(scenario.group(args.group).members)} members"
        _say([f"wrote {what} of group {args.group} to {args.output}"], sys.stderr)
    return EXIT_OK


# -- db check | repair | restore | undo | audit | init ---------------------------------------------


def _db_check(args: argparse.Namespace) -> int:
    from grouppass.store.check import check

    if args.path and args.db and Path(args.path) != Path(args.db):
        raise GrouppassError("give the database once: PATH or --db PATH")
    path = resolve_db_path(args.db or args.path)
    result = check(path)
    if result.ok:
        _say([f"{path}: ok: {result.summary}"])
        _say([f"note: {n}" for n in result.notes], sys.stderr)
        return EXIT_OK
    _say([f"{path} is damaged:"] + [f"  {p}" for p in result.problems], sys.stderr)
    _say([result.summary], sys.stderr)
    return EXIT_USAGE


def _db_repair(args: argparse.Namespace) -> int:
    from grouppass.store.repair import Route, plan_repair, repair

    path = resolve_db_path(args.db)
    plan = plan_repair(path)
    if plan.route is Route.NONE:
        _say([f"{path}: nothing to repair (revision {plan.recovered})"])
        return EXIT_OK
    _say([f"{path}:", *(f"  {p}" for p in plan.problems[:20])], sys.stderr)
    if plan.route is Route.IMPOSSIBLE:
        raise GrouppassError(f"cannot repair {path}: {plan.describe()}")
    _say([f"the repair {plan.describe()}"])
    if plan.lost and not _confirm(
        "Repair anyway, without them?", args.yes, "repair it with that loss"
    ):
        _say(["nothing was changed"], sys.stderr)
        return EXIT_FAIL
    result = repair(path, clock=_now, accept_loss=args.yes or bool(plan.lost))
    _say(result.lines())
    return EXIT_OK


def _db_restore(args: argparse.Namespace) -> int:
    from grouppass.store.restore import restore

    result = restore(resolve_db_path(args.db), Path(args.backup), clock=_now, on_warning=_warn)
    _say(result.lines())
    return EXIT_OK


def _db_undo(args: argparse.Namespace) -> int:
    store = open_database(resolve_db_path(args.db))
    entry = store.change(args.change)
    _say(["this undoes:", *("  " + line for line in entry.describe())])
    if not _confirm("Undo it?", args.yes, "undo it"):
        _say(["nothing was changed"], sys.stderr)
        return EXIT_FAIL
    undone = store.undo(entry.seq)
    heading, *records = undone.lines()
    _say([f"undone as change {heading}", *records])
    return EXIT_OK


def _db_audit(args: argparse.Namespace) -> int:
    entries = open_database(resolve_db_path(args.db)).audit(args.limit)
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
        "--db",
        type=file_path,
        help="database file (default: $GROUPPASS_DB, else agency.json in the data dir)",
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
    p.add_argument(
        "--output", "-o", type=file_path, help="file to write (default: standard output)"
    )
    p.add_argument(
        "--show-pii", action="store_true", help="write passport numbers and NIK unmasked"
    )
    _db_option(p)
    p.add_argument("--report", action="store_true", help="export the risk assessment instead")
    p.add_argument("--as-of", type=typed_date, help="with --report: the day (default: today)")
    p.set_defaults(func=guarded(_export))

    db = subparsers.add_parser(
        "db", help="check, repair, restore, undo, audit or create the database"
    )
    sub = db.add_subparsers(dest="db_command", required=True, metavar="COMMAND")
    p = sub.add_parser("check", help="verify a database file (reads only)")
    p.add_argument("path", nargs="?", help="the database (default: as for --db)")
    _db_option(p)
    p.set_defaults(func=guarded(_db_check))
    p = sub.add_parser(
        "repair", help="rebuild a damaged database from its log (and the newest good backup)"
    )
    _db_option(p)
    p.add_argument(
        "--yes", action="store_true", help="repair even if some acknowledged changes are lost"
    )
    p.set_defaults(func=guarded(_db_repair))
    p = sub.add_parser("restore", help="bring the database back to a backup")
    p.add_argument("backup", help="a backup file (agency.backup-....json)")
    _db_option(p)
    p.set_defaults(func=guarded(_db_restore))
    p = sub.add_parser("undo", help="undo the last change (recorded as a change of its own)")
    _db_option(p)
    p.add_argument("--change", type=positive_int, metavar="N", help="undo change N instead")
    p.add_argument("--yes", action="store_true", help="do not ask first")
    p.set_defaults(func=guarded(_db_undo))
    p = sub.add_parser("audit", help="list recent changes: who, when, what")
    _db_option(p)
    p.add_argument("--limit", type=positive_int, default=20, help="how many changes (default 20)")
    p.set_defaults(func=guarded(_db_audit))
    p = sub.add_parser("init", help="create a database, empty or from a scenario file")
    _db_option(p)
    p.add_argument("--from", dest="from_", metavar="SCENARIO", help="grouppass/1 file to load")
    p.set_defaults(func=guarded(_db_init))
