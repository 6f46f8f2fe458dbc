"""``grouppass group add|edit|remove``: a group's own fields, from the command line.

A group is what its members share: a name, the office they apply at, the
departure (date, time and time zone) and the visa lead time; optionally the
seats it has. Members come from ``grouppass import``. Every change is one
audited change of the database, like the TUI's.

>>> from grouppass.cli import main
>>> main(["group", "add", "ramadan", "--name", "Umrah Ramadan", "--db", "agency.json",
...       "--office", "MTR", "--departure", "15/05/2018"])
added group ramadan: departs Tuesday 15 May 2018 09:00 Asia/Makassar, visa lead 21 days, office MTR
0
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

from grouppass.cli_args import EXIT_OK, file_path, guarded, positive_int
from grouppass.dates import parse_date, parse_time
from grouppass.errors import GrouppassError
from grouppass.limits import VISA_LEAD_DAYS
from grouppass.model import Group
from grouppass.store import Ref, Store, Transaction
from grouppass.validate import InvalidRecord, timezone_problem

__all__ = ["register"]


def _now() -> dt.datetime:
    # The clock of these commands: the audit trail's time of the change.
    return dt.datetime.now(dt.UTC)


def _open(db: Path | None) -> Store:
    # The one way a command opens the database: its warnings (a file tightened,
    # a snapshot not rewritten) are said as every db command says them.
    from grouppass.cli_db import open_database, resolve_db_path

    return open_database(resolve_db_path(db))


def _time(text: str) -> dt.time:
    try:
        return parse_time(text)
    except ValueError as error:
        raise GrouppassError(f"--time: {error}") from None


def _zone(text: str) -> str:
    problem = timezone_problem(text)  # the rule a scenario file and the TUI's form apply
    if problem is not None:
        raise GrouppassError(f"--timezone: {problem}")
    return text


def _office(tx: Transaction, code: str) -> str:
    known = {o.code for o in tx.offices()}
    if code not in known:
        have = ", ".join(sorted(known)) or "none yet: add one with a scenario file or the TUI"
        raise GrouppassError(f"--office: there is no office {code!r} (the database has: {have})")
    return code


def _day(text: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as error:
        raise GrouppassError(f"--departure: {error}") from None


def _departure(text: str, time: dt.time, zone: str) -> dt.datetime:
    return dt.datetime.combine(_day(text), time, tzinfo=ZoneInfo(zone))


_OPTION = {
    "id": "the group's id",
    "name": "--name",
    "office": "--office",
    "departure": "--departure",
    "timezone": "--timezone",
    "visa_lead_days": "--visa-lead",
    "capacity": "--capacity",
}
"""The option a field of the group comes from, for the model's findings."""


def _checked(build: Callable[[], Group]) -> Group:
    # The model checks every field (limits, control characters, lengths): its
    # findings are the user's mistakes, said with the option that gave them.
    try:
        return build()
    except InvalidRecord as error:
        raise GrouppassError(
            "\n".join(f"{_OPTION.get(f.field, f.field)}: {f.message}" for f in error.findings)
        ) from None


def _describe(group: Group) -> str:
    zone = group.timezone or str(group.departure.tzinfo)
    seats = f", {group.capacity} seats" if group.capacity else ""
    lead = f"{group.visa_lead_days} day{'s' * (group.visa_lead_days != 1)}"
    return (
        f"departs {group.departure:%A %d %B %Y %H:%M} {zone}, visa lead {lead}{seats}, "
        f"office {group.office}"
    )


def _add(args: argparse.Namespace) -> int:
    store = _open(args.db)
    with store.transaction(f"add group {args.id}") as tx:
        if tx.version_of(Ref.group(args.id)):
            raise GrouppassError(f"there is already a group {args.id!r}; use grouppass group edit")
        office = _office(tx, args.office)
        zone = _zone(args.timezone) if args.timezone else tx.office(office).timezone
        departure = _departure(args.departure, _time(args.time or "09:00"), zone)
        group = _checked(
            lambda: Group(
                id=args.id,
                name=args.name or args.id,
                office=office,
                departure=departure,
                visa_lead_days=args.visa_lead if args.visa_lead is not None else 21,
                timezone=zone,
                capacity=args.capacity,
            )
        )
        tx.add_group(group)
    print(f"added group {group.id}: {_describe(group)}")
    return EXIT_OK


def _edit(args: argparse.Namespace) -> int:
    store = _open(args.db)
    with store.transaction(f"edit group {args.id}") as tx:
        ref = Ref.group(args.id)
        version = tx.version_of(ref)
        if not version:
            known = ", ".join(tx.group_ids()) or "none yet"
            raise GrouppassError(f"there is no group {args.id!r} (the database has: {known})")
        old = tx.group(args.id)
        zone = _zone(args.timezone) if args.timezone else old.timezone
        tz = ZoneInfo(zone) if zone else old.departure.tzinfo
        local = old.departure.astimezone(tz)
        day = local.date() if args.departure is None else _day(args.departure)
        time = local.time() if args.time is None else _time(args.time)
        departure = dt.datetime.combine(day, time, tzinfo=tz)
        changes: dict[str, object] = {"departure": departure, "timezone": zone}
        if args.name is not None:
            changes["name"] = args.name
        if args.office is not None:
            changes["office"] = _office(tx, args.office)
        if args.visa_lead is not None:
            changes["visa_lead_days"] = args.visa_lead
        if args.capacity is not None:
            changes["capacity"] = args.capacity or None
        group = _checked(lambda: attrs.evolve(old, **changes))  # type: ignore[arg-type]
        tx.save_group(group, version)
    print(f"group {group.id}: {_describe(group)}")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    store = _open(args.db)
    with store.transaction(f"remove group {args.id}") as tx:
        version = tx.version_of(Ref.group(args.id))
        if not version:
            known = ", ".join(tx.group_ids()) or "none yet"
            raise GrouppassError(f"there is no group {args.id!r} (the database has: {known})")
        members = len(tx.group(args.id).members)
        if members and not args.yes:
            raise GrouppassError(
                f"group {args.id!r} has {members} member{'s' * (members != 1)}; "
                "give --yes to remove it with them (the audit log keeps them)"
            )
        tx.remove_group(args.id, version)
    print(f"removed group {args.id} and its {members} member{'s' * (members != 1)}")
    return EXIT_OK


def _lead(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {text!r}") from None
    if problem := VISA_LEAD_DAYS.problem(value):
        raise argparse.ArgumentTypeError(problem)
    return value


def _seats(text: str) -> int:
    return 0 if text in ("0", "none", "") else positive_int(text)


def _fields(p: argparse.ArgumentParser, *, adding: bool) -> None:
    p.add_argument("--name", help="the group's name (default: its id)" if adding else None)
    p.add_argument("--office", required=adding, help="code of the office the group applies at")
    p.add_argument(
        "--departure",
        required=adding,
        help="departure date: 2018-05-15, 15/05/2018 or 15 Mei 2018",
    )
    p.add_argument("--time", help="departure time HH:MM" + (" (default 09:00)" if adding else ""))
    p.add_argument("--timezone", help="IANA zone (default: the office's): Asia/Makassar...")
    p.add_argument(
        "--visa-lead",
        type=_lead,
        help="days before departure the passports are needed" + (" (default 21)" if adding else ""),
    )
    p.add_argument(
        "--capacity",
        type=_seats if not adding else positive_int,
        help="seats in the group" + ("" if adding else " (0: not set)"),
    )
    p.add_argument(
        "--db", type=file_path, help="database file (default: $GROUPPASS_DB, else the data dir)"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``group add|edit|remove`` to the ``grouppass`` command."""
    group = subparsers.add_parser("group", help="add, edit or remove a group")
    sub = group.add_subparsers(dest="group_command", required=True, metavar="COMMAND")
    p = sub.add_parser("add", help="add a group (its members come with grouppass import)")
    p.add_argument("id", help="the group's id (letters, digits, -)")
    _fields(p, adding=True)
    p.set_defaults(func=guarded(_add))
    p = sub.add_parser("edit", help="change a group's own fields")
    p.add_argument("id")
    _fields(p, adding=False)
    p.set_defaults(func=guarded(_edit))
    p = sub.add_parser("remove", help="remove a group and its members (kept in the audit log)")
    p.add_argument("id")
    p.add_argument("--yes", action="store_true", help="remove it even though it has members")
    p.add_argument(
        "--db", type=file_path, help="database file (default: $GROUPPASS_DB, else the data dir)"
    )
    p.set_defaults(func=guarded(_remove))
