"""What every ``grouppass`` subcommand shares: argument types, exit codes, error guard."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path

from grouppass.dates import DateError, parse_date
from grouppass.errors import GrouppassError
from grouppass.limits import Limit
from grouppass.results import Assessment, Risk
from grouppass.text import visible

__all__ = [
    "EXIT_FAIL",
    "EXIT_OK",
    "EXIT_USAGE",
    "FAIL_LEVELS",
    "Handler",
    "exit_code",
    "file_path",
    "guarded",
    "positive_int",
    "ranged_int",
    "typed_date",
]

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

FAIL_LEVELS = ("at_risk", "late", "never")
"""``--fail-on``: the member risk from which ``check`` exits 1."""

Handler = Callable[[argparse.Namespace], int]


def typed_date(text: str) -> dt.date:
    """An argparse type: a date in any form the TUI and manifests take (``2018-03-15``,
    ``15/03/2018``, ``15 Maret 2018``...), inside :data:`grouppass.limits.DATES`."""
    try:
        return parse_date(text)
    except DateError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def ranged_int(limit: Limit[int]) -> Callable[[str], int]:
    """An argparse type: a whole number inside ``limit`` (``--seed``, ``--samples``)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        problem = limit.problem(value)
        if problem is not None:
            raise argparse.ArgumentTypeError(problem)
        return value

    parse.__name__ = "whole number"  # argparse names the type in its messages
    return parse


def file_path(text: str) -> Path:
    """An argparse type: a path that is not empty (``--db``, ``--output``).

    ``Path("")`` is ``.``, the current folder: an empty ``--db ""`` (an unset
    shell variable) would otherwise be taken as a folder to write into.
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("empty path: give a file name")
    return Path(text)


file_path.__name__ = "path"  # argparse names the type in its messages


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _say(lines: list[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def guarded(handler: Handler) -> Handler:
    """Turn a user's mistake into messages on stderr and exit code 2, never a traceback."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except GrouppassError as exc:
            # Messages quote what files hold; nothing from them may act on the terminal.
            _say([f"grouppass: {visible(line)}" for line in str(exc).splitlines() or ["error"]])
            return EXIT_USAGE
        except BrokenPipeError:
            # The reader (`| head`) has had enough; say nothing more to it.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_OK
        except OSError as exc:  # an output file we cannot write, a directory we cannot make
            where = f"{exc.filename}: " if exc.filename else ""
            _say([f"grouppass: {where}{exc.strerror or exc}"])
            return EXIT_USAGE

    return run


def exit_code(report: Assessment, fail_on: str) -> int:
    """EXIT_FAIL when some group or member is at or past ``fail_on`` (``at_risk``, ``late``).

    The group counts in its own right: a group at risk while every member is on
    track is exactly the shared-outage warning a cron job must not miss.
    """
    if fail_on == "never":
        return EXIT_OK
    threshold = Risk(fail_on).severity
    for g in report.groups:
        if g.risk.severity >= threshold:
            return EXIT_FAIL
        if any(m.risk.severity >= threshold for m in g.members):
            return EXIT_FAIL
    return EXIT_OK
