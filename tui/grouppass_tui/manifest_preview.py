"""The import preview: what importing a manifest into a group would do, nothing written.

It reads the file the way ``grouppass import`` does (the library's manifest
reader and the same checks per cell and per row), so the preview and the
import never disagree about a row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from attrs import frozen

from grouppass.errors import LocatedProblem
from grouppass.manifest import ManifestError
from grouppass.manifest.merge import plan_rows
from grouppass.manifest.read import read_table, sniff_kind
from grouppass.manifest.rows import parse_rows, read_columns
from grouppass.model import Group, Scenario
from grouppass_tui.i18n import t

__all__ = ["Preview", "preview_manifest"]


@frozen
class Preview:
    """What importing ``path`` into a group would do; nothing is written."""

    path: Path
    rows: int
    added: int
    updated: int
    unchanged: int
    problems: tuple[LocatedProblem, ...]


def preview_manifest(path: Path, scenario: Scenario, group: Group | None) -> Preview:
    """Read ``path`` as the import would, against ``group`` (None: a new, empty group).

    Raises ManifestError for a file that cannot be read at all.
    """
    if sniff_kind(path) == "json":
        raise ManifestError([LocatedProblem("", t("import.json"), str(path))])
    table = read_table(path)
    columns = read_columns(table)
    target = group or Group("new", "new", "", _EPOCH)
    incoming, problems = parse_rows(table, columns, scenario.offices)
    plans, more = plan_rows(incoming, columns, target, str(path))
    added = sum(1 for p in plans if p.existing is None)
    unchanged = sum(1 for p in plans if p.existing is not None and p.existing == p.member)
    return Preview(
        path,
        len(table.rows),
        added,
        len(plans) - added - unchanged,
        unchanged,
        tuple(sorted(problems + more, key=_row_of)),
    )


def _row_of(p: LocatedProblem) -> tuple[int, str]:
    _, _, row = (p.source or "").rpartition(":")
    return (int(row) if row.isdigit() else 0, p.path)


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Any departure: a group being created has no members to match rows against."""
