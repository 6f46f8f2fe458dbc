"""``grouppass import``: a manifest (CSV/XLSX) or a scenario file into one group, all or nothing.

>>> report = import_file(store, Path("manifest-sekarbela.csv"), "sekarbela")  # doctest: +SKIP
>>> print("\\n".join(report.lines()))  # doctest: +SKIP
manifest-sekarbela.csv -> group sekarbela: 15 added, 0 updated, 0 unchanged

Every row is checked before anything is written; any problem raises
:class:`ManifestError` listing them all (``FILE:ROW: column: problem``) and
nothing is imported, unless ``skip_bad`` is set: then the good rows are
imported in one change and the report lists exactly the rows left out.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from attrs import field, frozen

from grouppass.errors import LocatedProblem
from grouppass.formats import load_scenario
from grouppass.manifest._errors import ManifestError, problem
from grouppass.manifest.merge import Planned, plan_members, plan_rows
from grouppass.manifest.read import read_table, sniff_kind
from grouppass.manifest.rows import parse_rows, read_columns
from grouppass.model import Group
from grouppass.store import Ref, Store, Transaction

__all__ = ["ImportReport", "import_file"]


@frozen
class ImportReport:
    """What an import did; ``lines()`` says it for a person."""

    source: str
    group_id: str
    added: tuple[str, ...] = ()
    """Ids of the members added."""
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    skipped: tuple[LocatedProblem, ...] = ()
    """The problems of the rows left out (only with ``skip_bad``)."""
    skipped_rows: tuple[int, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    records_added: tuple[str, ...] = field(factory=tuple)
    """Other records a scenario file brought in (offices, systems, disruptions, the group)."""
    revision: int = 0
    """The database's revision after the import."""

    def lines(self) -> list[str]:
        out = [
            f"{self.source} -> group {self.group_id}: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged"
        ]
        if self.records_added:
            out.append("also added: " + ", ".join(self.records_added))
        if self.ignored_columns:
            out.append("columns ignored: " + ", ".join(repr(c) for c in self.ignored_columns))
        if self.skipped:
            rows = ", ".join(str(r) for r in self.skipped_rows) or "-"
            out.append(f"skipped {len(self.skipped_rows) or len(self.skipped)} (rows {rows}):")
            out += [f"  {p}" for p in self.skipped]
        return out


def _no_group(tx: Transaction, group_id: str, source: str) -> ManifestError:
    known = ", ".join(tx.group_ids()) or "none yet"
    message = (
        f"there is no group {group_id!r} in the database (it has: {known}); "
        "import a scenario file that has the group first"
    )
    return ManifestError([problem(source, None, "--group", message)])


def _apply(tx: Transaction, group_id: str, plans: list[Planned]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": []}
    for plan in plans:
        ref = Ref.member(group_id, plan.member.id)
        if plan.existing is None:
            tx.put(ref, plan.member, 0)
            out["added"].append(plan.member.id)
        elif plan.existing == plan.member:
            out["unchanged"].append(plan.member.id)
        else:
            tx.put(ref, plan.member, None)  # read in this transaction: no one can be in between
            out["updated"].append(plan.member.id)
    return out


def _rows(problems: list[LocatedProblem]) -> tuple[int, ...]:
    rows = set()
    for p in problems:
        _, _, row = (p.source or "").rpartition(":")
        if row.isdigit():
            rows.add(int(row))
    return tuple(sorted(rows))


def import_file(
    store: Store,
    path: Path,
    group_id: str,
    *,
    skip_bad: bool = False,
    sheet: str | None = None,
    at: dt.datetime | None = None,
    actor: str | None = None,
) -> ImportReport:
    """Import ``path`` (CSV, XLSX or a grouppass/1 scenario) into group ``group_id``.

    Raises :class:`ManifestError` (nothing imported) for an unreadable file,
    or for bad rows unless ``skip_bad``; ``ScenarioError`` for a bad scenario
    file. The whole import is one audited change.
    """
    source = str(path)
    if sniff_kind(path) == "json":
        return _import_scenario(store, path, group_id, skip_bad=skip_bad, at=at, actor=actor)
    table = read_table(path, sheet=sheet)  # the slow part, before the lock is taken
    columns = read_columns(table)
    with store.transaction(f"import {path.name} into {group_id}", at=at, actor=actor) as tx:
        try:
            group = tx.group(group_id)
        except LookupError:
            raise _no_group(tx, group_id, source) from None
        incoming, problems = parse_rows(table, columns, tx.offices())
        plans, more = plan_rows(incoming, columns, group, source)
        problems = sorted(problems + more, key=lambda p: _rows([p]) or (0,))
        if problems and not skip_bad:
            raise ManifestError(problems)
        done = _apply(tx, group_id, plans)
    return ImportReport(
        source, group_id, tuple(done["added"]), tuple(done["updated"]), tuple(done["unchanged"]),
        skipped=tuple(problems), skipped_rows=_rows(problems),
        ignored_columns=columns.ignored, revision=store.revision,
    )  # fmt: skip


def _import_scenario(
    store: Store,
    path: Path,
    group_id: str,
    *,
    skip_bad: bool,
    at: dt.datetime | None,
    actor: str | None,
) -> ImportReport:
    source = str(path)
    scenario = load_scenario(path)  # raises ScenarioError, every problem located
    try:
        incoming = scenario.group(group_id)
    except KeyError:
        known = ", ".join(g.id for g in scenario.groups) or "none"
        message = f"there is no group {group_id!r} in the file (it has: {known})"
        raise ManifestError([problem(source, None, "--group", message)]) from None
    added: list[str] = []
    with store.transaction(f"import {path.name} into {group_id}", at=at, actor=actor) as tx:
        # What the database lacks comes from the file; what it has stays as it is.
        for ref, obj in (
            *((Ref.system(s.code), s) for s in scenario.systems),
            *((Ref.office(o.code), o) for o in scenario.offices),
            *((Ref.disruption(d.id), d) for d in scenario.disruptions),
        ):
            if tx.version_of(ref) == 0:
                tx.put(ref, obj, 0)
                added.append(str(ref))
        group_ref = Ref.group(group_id)
        if tx.version_of(group_ref) == 0:
            added.append(str(group_ref))
            current = Group(incoming.id, incoming.name, incoming.office, incoming.departure)
        else:
            current = tx.group(group_id)
        tx.put(group_ref, incoming, None)
        plans, problems = plan_members(incoming.members, current, source)
        if problems and not skip_bad:
            raise ManifestError(problems)
        done = _apply(tx, group_id, plans)
    return ImportReport(
        source, group_id, tuple(done["added"]), tuple(done["updated"]), tuple(done["unchanged"]),
        skipped=tuple(problems), records_added=tuple(added), revision=store.revision,
    )  # fmt: skip
