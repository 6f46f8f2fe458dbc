"""``grouppass import``: a manifest (CSV/XLSX) or a scenario file into one group, all or nothing.

>>> report = import_file(store, Path("examples/manifest-sekarbela.csv"), "nashif-ramadan-1439")
>>> print("\\n".join(report.lines()))
examples/manifest-sekarbela.csv -> group nashif-ramadan-1439: 2 added, 0 updated, 15 unchanged
columns ignored: 'No.'

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
from grouppass.model import Group, Scenario
from grouppass.pii import redact
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
    group_changes: tuple[str, ...] = field(factory=tuple)
    """What a scenario file changed in the group's own fields (``departure: A -> B``)."""
    records_kept: tuple[str, ...] = field(factory=tuple)
    """Records the file has differently from the database, kept as the database has them."""
    revision: int = 0
    """The database's revision after the import."""

    def lines(self) -> list[str]:
        out = [
            f"{self.source} -> group {self.group_id}: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged"
        ]
        if self.group_changes:
            out.append(f"group {self.group_id} changed: " + "; ".join(self.group_changes))
        if self.records_added:
            out.append("also added: " + ", ".join(self.records_added))
        if self.records_kept:
            out.append(
                "kept as the database has them (the file differs): " + ", ".join(self.records_kept)
            )
        if self.ignored_columns:
            # A header cell is text someone typed; a file without a header row
            # makes a traveller's NIK one, so it is shown as messages are.
            ignored = ", ".join(repr(c) for c in self.ignored_columns)
            out.append("columns ignored: " + redact(ignored))
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


def _group_changes(old: Group, new: Group) -> list[str]:
    """The group's own fields that differ, for people: ``departure: A -> B``."""
    out = []
    for name in ("name", "office", "departure", "timezone", "visa_lead_days", "capacity"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            out.append(f"{name}: {_shown(before)} -> {_shown(after)}")
    return out


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def _referenced_offices(scenario: Scenario) -> set[str]:
    codes = {g.office for g in scenario.groups}
    codes |= {m.application.office for _, m in scenario.members() if m.application}
    codes |= {a.office for o in scenario.offices for a in o.alternatives}
    codes |= {c for d in scenario.disruptions for c in d.offices}
    return codes


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
    # The file may use the offices and systems the database already has (issue 9.1).
    scenario = load_scenario(
        path,
        offices=[o.code for o in store.offices()],
        systems=[s.code for s in store.systems()],
    )  # raises ScenarioError, every problem located
    try:
        incoming = scenario.group(group_id)
    except KeyError:
        known = ", ".join(g.id for g in scenario.groups) or "none"
        message = f"there is no group {group_id!r} in the file (it has: {known})"
        raise ManifestError([problem(source, None, "--group", message)]) from None
    added: list[str] = []
    kept: list[str] = []
    with store.transaction(f"import {path.name} into {group_id}", at=at, actor=actor) as tx:
        # A code the file took from the database must still be there now the lock is held.
        own = {o.code for o in scenario.offices}
        gone = sorted(
            c for c in _referenced_offices(scenario) - own if tx.version_of(Ref.office(c)) == 0
        )
        own_systems = {s.code for s in scenario.systems}
        gone += sorted(
            f"system {c!r}"
            for c in {c for o in scenario.offices for c in o.systems}
            | {c for d in scenario.disruptions for c in d.systems}
            if c not in own_systems and tx.version_of(Ref.system(c)) == 0
        )
        if gone:
            message = "not in the file, and no longer in the database: " + ", ".join(gone)
            raise ManifestError([problem(source, None, "", message)])
        # What the database lacks comes from the file; what it has stays as it is.
        for ref, obj in (
            *((Ref.system(s.code), s) for s in scenario.systems),
            *((Ref.office(o.code), o) for o in scenario.offices),
            *((Ref.disruption(d.id), d) for d in scenario.disruptions),
        ):
            if tx.version_of(ref) == 0:
                tx.put(ref, obj, 0)
                added.append(str(ref))
            elif _stored(tx, ref) != obj:
                kept.append(str(ref))
        group_ref = Ref.group(group_id)
        changes: list[str] = []
        if tx.version_of(group_ref) == 0:
            added.append(str(group_ref))
            current = Group(incoming.id, incoming.name, incoming.office, incoming.departure)
            tx.put(group_ref, incoming, 0)
        else:
            current = tx.group(group_id)
            changes = _group_changes(current, incoming)
            if changes:
                tx.put(group_ref, incoming, None)
        plans, problems = plan_members(incoming.members, current, source)
        if problems and not skip_bad:
            raise ManifestError(problems)
        done = _apply(tx, group_id, plans)
    return ImportReport(
        source, group_id, tuple(done["added"]), tuple(done["updated"]), tuple(done["unchanged"]),
        skipped=tuple(problems), records_added=tuple(added), revision=store.revision,
        group_changes=tuple(changes), records_kept=tuple(kept),
    )  # fmt: skip


def _stored(tx: Transaction, ref: Ref) -> object:
    kind = ref.kind.value
    return getattr(tx, kind)(ref.key[0])
