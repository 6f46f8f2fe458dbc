"""The app's door to the agency database (grouppass.store), for worker threads only.

A thin adapter: the store does the hard parts (atomic appends, the writer
lock, per-record versions, the audit log); this module maps the app's
changes onto one store transaction and says when another process wrote.

How a stale edit is caught. A form shows a record from the app's copy of
the agency, which may lag the store by a poll interval. So the check is
made where it cannot race: inside the store transaction (which holds the
writer lock and has caught up with the disk), the record as stored now must
equal the record as the organiser opened it (``change.base``); if not, the
store's own :class:`ConflictError` is raised, carrying the current record,
and nothing is written. The save then uses the version read in that same
transaction, so the store's version check agrees.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from attrs import evolve, frozen

from grouppass.errors import ScenarioError
from grouppass.formats import structure_member
from grouppass.manifest import ImportReport, import_file
from grouppass.model import Member, Scenario
from grouppass.store import ConflictError as StoreConflict
from grouppass.store import (
    NothingToUndoError,
    Ref,
    Store,
    Transaction,
    UndoConflictError,
)
from grouppass_tui.changes import (
    Change,
    RemoveGroup,
    RemoveMember,
    SaveAgency,
    SaveDisruption,
    SaveGroup,
    SaveMember,
    SaveOffice,
)

__all__ = [
    "Agency",
    "ConflictError",
    "NothingToUndo",
    "Removed",
    "StoreAgency",
    "Undone",
    "Written",
]


class ConflictError(Exception):
    """A change refused because its record changed since the organiser opened it."""

    def __init__(self, change: Change, current: object | None, message: str) -> None:
        super().__init__(message)
        self.change = change
        self.current = current
        """The record as stored now; None if it no longer exists."""


class Written:
    """What a save did: the revision after it, and whether others wrote in between."""

    def __init__(self, revision: int, others: bool) -> None:
        self.revision = revision
        self.others = others
        """True when the store took in other processes' changes on the way (reload)."""


class NothingToUndo(Exception):
    """There is no change of this organiser's left to undo."""


class Undone:
    """What an undo did: the change it reverted (its audit description) and the revision after."""

    def __init__(self, action: str, revision: int) -> None:
        self.action = action
        self.revision = revision


@frozen
class Removed:
    """A member as they were when removed, and when (for the restore list)."""

    member: Member
    at: dt.datetime | None
    action: str


class Agency(Protocol):
    """What the app needs from a database. Every method may block: call from workers."""

    path: Path | None
    """Where the database is (shown to the organiser), if it is a file."""
    created: bool
    """True when opening it made a new, empty database."""

    def load(self) -> tuple[Scenario, int]:
        """Everything, and the revision it reflects."""

    def revision(self) -> int:
        """The newest revision on disk (cheap: called every poll)."""

    def apply(self, changes: Sequence[Change], seen: int) -> Written:
        """Save ``changes`` as one change; ``seen`` is the revision the app's copy reflects."""

    def undo(self) -> Undone:
        """Revert the newest change; raises NothingToUndo (or StoreError) if it cannot."""

    def import_manifest(self, path: Path, group_id: str) -> ImportReport:
        """Import a manifest into a group, all or nothing (raises ManifestError)."""

    def removed_members(self, group_id: str) -> list[Removed]:
        """Members removed from the group and not back since, newest first (from the audit log)."""


def _ref(change: Change) -> Ref:
    match change:
        case SaveMember(group_id=gid, after=m):
            return Ref.member(gid, m.id)
        case RemoveMember(group_id=gid, base=m):
            return Ref.member(gid, m.id)
        case SaveOffice(after=o):
            return Ref.office(o.code)
        case SaveDisruption(after=d):
            return Ref.disruption(d.id)
        case SaveGroup(after=g):
            return Ref.group(g.id)
        case RemoveGroup(base=g):
            return Ref.group(g.id)
    raise TypeError(change)


def _current(tx: Transaction, ref: Ref) -> Any | None:
    if tx.version_of(ref) == 0:
        return None
    match ref.kind.value:
        case "member":
            return tx.member(ref.key[0], ref.key[1])
        case "office":
            return tx.office(ref.key[0])
        case "disruption":
            return tx.disruption(ref.key[0])
        case "group":
            # A group's own fields: its members are records of their own.
            return evolve(tx.group(ref.key[0]), members=())
    raise TypeError(ref)


def _base(change: Change) -> Any | None:
    if isinstance(change, SaveGroup | RemoveGroup):
        base = change.base
        return None if base is None else evolve(base, members=())
    return change.base


def _save_agency(tx: Transaction, change: SaveAgency) -> None:
    current = tx.agency()
    if current != change.base:
        raise ConflictError(change, current, "the agency's details were changed by someone else")
    tx.save_agency(change.after, tx.version_of(Ref.agency()))


def _action(changes: Sequence[Change]) -> str:
    notes = list(dict.fromkeys(c.note for c in changes if c.note))
    return "tui: " + ("; ".join(notes) if notes else "edit")


class StoreAgency:
    """The agency database at ``path``, opened on first use (in a worker, not at start-up)."""

    def __init__(
        self,
        path: Path,
        *,
        create: bool = False,
        clock: Callable[[], dt.datetime] | None = None,
        actor: str | None = None,
    ) -> None:
        self._path = path
        self._create = create
        # The audit trail's time of a change is wall-clock time (when it was typed),
        # unlike as_of; it is read here, at the edge, never in the library.
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._actor = actor
        self._known = -1
        """The newest revision this adapter read or wrote: saves queued one after another
        know the one before them landed, even before the app has heard of it."""
        self._store: Store | None = None
        self._opening = threading.Lock()
        self.path: Path | None = path
        self.created = False
        """True when opening made a new, empty database (the organiser is told)."""

    @property
    def store(self) -> Store:
        with self._opening:
            if self._store is None:
                self.created = self._create and not self._path.exists()
                self._store = Store.open(
                    self._path, create=self._create, clock=self._clock, actor=self._actor
                )
            return self._store

    def load(self) -> tuple[Scenario, int]:
        store = self.store
        store.refresh()
        # Read the revision first: if a change lands while reading, the next poll
        # sees a newer revision and reloads, rather than the change going unnoticed.
        revision = store.revision
        self._known = max(self._known, revision)
        return store.scenario(), revision

    def revision(self) -> int:
        store = self.store
        store.refresh()
        return store.revision

    def apply(self, changes: Sequence[Change], seen: int) -> Written:
        store = self.store
        with store.transaction(_action(changes)) as tx:
            for change in changes:
                if isinstance(change, SaveAgency):
                    _save_agency(tx, change)
                    continue
                ref = _ref(change)
                current = _current(tx, ref)
                if current != _base(change):
                    raise ConflictError(change, current, f"{ref} was changed by someone else")
                version = tx.version_of(ref)
                try:
                    match change:
                        case SaveMember(group_id=gid, after=member):
                            tx.save_member(gid, member, version)
                        case RemoveMember(group_id=gid, base=member):
                            tx.remove_member(gid, member.id, version)
                        case SaveOffice(after=office):
                            tx.save_office(office, version)
                        case SaveDisruption(after=disruption):
                            tx.save_disruption(disruption, version)
                        case SaveGroup(after=group, base=None):
                            tx.add_group(evolve(group, members=()))
                        case SaveGroup(after=group):
                            tx.save_group(group, version)
                        case RemoveGroup(base=group):
                            tx.remove_group(group.id, version)
                except StoreConflict as error:  # cannot happen under the lock; kept honest
                    raise ConflictError(change, current, str(error)) from error
            # The store caught up with the disk when the transaction began: if that
            # took it past what the app has seen, others wrote and the app reloads.
            caught_up = tx.seq - 1
        others = caught_up != max(seen, self._known)
        self._known = store.revision
        return Written(store.revision, others=others)

    def undo(self) -> Undone:
        store = self.store
        try:
            undone = store.undo_last()
        except (NothingToUndoError, UndoConflictError) as error:
            raise NothingToUndo(str(error)) from None  # nothing left, or changed again since
        return Undone(undone.action, store.revision)  # the app reloads after it

    def import_manifest(self, path: Path, group_id: str) -> ImportReport:
        return import_file(self.store, path, group_id)

    def removed_members(self, group_id: str) -> list[Removed]:
        store = self.store
        store.refresh()
        present = {m.id for m in store.group(group_id).members}
        out: list[Removed] = []
        seen: set[str] = set()
        for entry in store.audit(500):
            for change in entry.changes:
                ref = change.ref
                if ref.kind.value != "member" or ref.key[0] != group_id:
                    continue
                member_id = ref.key[1]
                if member_id in seen:
                    continue
                seen.add(member_id)  # the newest change to this member decides
                if change.after is None and change.before is not None and member_id not in present:
                    try:
                        member = structure_member(dict(change.before))
                    except ScenarioError:
                        continue  # written by an older version in a form it no longer reads
                    out.append(Removed(member, entry.at, entry.action))
        return out
