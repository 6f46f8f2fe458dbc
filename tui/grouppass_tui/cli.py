"""``grouppass-tui``: the organiser's terminal UI, and ``grouppass-tui demo``.

The TUI's own entry point, so that the library and its ``grouppass`` command
never import this package (``grouppass tui`` and ``grouppass demo`` start
this command as a process of its own). Installed with ``grouppass[tui]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys
import tempfile
from collections.abc import Sequence

from grouppass import cli_db
from grouppass.cli_args import EXIT_USAGE, file_path, guarded, typed_date

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="grouppass-tui",
        description="The organiser's terminal UI: which pilgrims' passports will be late.",
    )
    _common(parser, db=True)
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="open a fresh copy of the Mataram 2018 example")
    _common(demo, db=False)
    parser.set_defaults(func=guarded(_tui))
    demo.set_defaults(func=guarded(_demo))
    return parser


def _common(p: argparse.ArgumentParser, *, db: bool) -> None:
    if db:
        p.add_argument(
            "--db", type=file_path, help="database file (default: GROUPPASS_DB or user data dir)"
        )
    p.add_argument("--lang", choices=("id", "en"), help="language (default from the locale)")
    p.add_argument("--as-of", type=typed_date, help="the day the figures are for")


def _run(db: pathlib.Path, lang: str | None, as_of: dt.date | None, *, demo: bool) -> int:
    try:
        from grouppass_tui.app import run
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] != "textual":
            raise
        print(
            "grouppass-tui: the terminal UI needs Textual: pip install 'grouppass[tui]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return run(db, lang=lang, as_of=as_of, demo=demo)


def _tui(args: argparse.Namespace) -> int:
    return _run(cli_db.resolve_db_path(args.db), args.lang, args.as_of, demo=False)


def _demo(args: argparse.Namespace) -> int:
    from grouppass_tui.demo import DEMO_AS_OF, make_demo_db

    with tempfile.TemporaryDirectory(prefix="grouppass-demo-") as tmp:
        db = make_demo_db(pathlib.Path(tmp))
        return _run(db, args.lang, args.as_of or DEMO_AS_OF, demo=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
