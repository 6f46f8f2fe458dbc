"""Several changes committed as one: all of them reach the disk, or none does.

>>> group = "nashif-ramadan-1439"
>>> with store.transaction("move nashif and rohani to ULP Lombok Timur") as tx:
...     for member_id in ("nashif", "rohani"):
...         m = tx.member(group, member_id)
...         app = attrs.evolve(m.application, office="LTM", booked=None, recorded=None, paid=None)
...         tx.save_member(group, attrs.evolve(m, application=app),
...                        tx.version_of(Ref.member(group, member_id)))
2
2
>>> store.audit(1)[0].action
'move nashif and rohani to ULP Lombok Timur'

Both records have version 2: the two saves are one change, ``#2``.

A transaction holds the database's lock from ``with`` to the end of the block,
so keep it short. Its changes are visible to reads through it (and through
its store) at once; they are written as one line of the log, one audit entry,
when the block ends without an exception, and undone otherwise.

A transaction knows its store only through :class:`Host`: ``begin`` (take
the lock, catch up, hand over the records to change) and ``end`` (commit or
undo what it hands back, as a :class:`Pending`). Everything else it does is
its own bookkeeping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import TracebackType
from typing import Any, Protocol

import attrs
from attrs import frozen

from grouppass.model import Agency, Disruption, Group, Member, Office, Rules, Scenario, System
from grouppass.store._errors import ConflictError, NotFoundError
from grouppass.store._records import CODECS, Kind, Record, Ref
from grouppass.store._state import Order, State
from grouppass.store._view import ReadView

__all__ = ["Host", "Pending", "Transaction"]


@frozen
class Pending:
    """What a transaction did, for its store to write (or undo)."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    before: Mapping[Ref, Record | None]
    """Each record touched, as it was before (in the order first touched)."""
    orders: tuple[Order, ...]
    """The order of each table a removal touched, as it was before."""


class Host(Protocol):
    """The two things a transaction asks of its store."""

    def begin(self) -> State:
        """Take the lock and catch up with the disk; the records the transaction changes."""
        ...

    def end(self, pending: Pending, *, ok: bool) -> None:
        """Write ``pending`` as one change (``ok``) or undo it; release the lock either way."""
        ...


class Transaction(ReadView):
    """Made by :meth:`Store.transaction`; use it as a context manager."""

    def __init__(self, host: Host, action: str, at: dt.datetime, actor: str) -> None:
        self._host = host
        self._live: State | None = None
        self.action = action
        """What the audit trail calls this change ("import manifest.csv")."""
        self.at = at
        self.actor = actor
        self.seq = 0
        """The sequence number this change will get, and the version of what it writes."""
        self.before: dict[Ref, Record | None] = {}
        """Each record this transaction touched, as it was before (in order)."""
        self._orders: dict[tuple[Kind, str | None], Order] = {}
        self.open = False

    @property
    def _state(self) -> State:
        if self._live is None:
            raise RuntimeError("this transaction is not open: use it in a `with` block")
        return self._live

    @_state.setter
    def _state(self, state: State) -> None:
        self._live = state

    def __enter__(self) -> Transaction:
        if self._live is not None:
            raise RuntimeError("a transaction is used once: make a new one")
        self._live = self._host.begin()
        self.seq = self._live.seq + 1
        self.open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.open = False
        pending = Pending(
            self.seq, self.at, self.actor, self.action, dict(self.before),
            tuple(self._orders.values()),
        )  # fmt: skip
        self._host.end(pending, ok=exc is None)

    # -- the one write primitive ---------------------------------------------

    def put(self, ref: Ref, obj: Any | None, expected_version: int | None) -> int:
        """Store ``obj`` under ``ref`` (None removes it); returns the record's new version.

        ``expected_version`` is the version the caller read (0: "it must not
        exist yet"); any other version on disk raises :class:`ConflictError`.
        None skips the check: only for code that read the record inside this
        same transaction. Saving what is already there changes nothing and
        returns the current version.
        """
        if not self.open:
            raise RuntimeError("this transaction is not open: use it in a `with` block")
        state = self._state
        current = state.get(ref)
        actual = 0 if current is None else current.version
        if expected_version is not None and expected_version != actual:
            raise ConflictError(ref, expected_version, actual)
        record: Record | None = None
        if obj is not None:
            codec = CODECS[ref.kind]
            if not isinstance(obj, codec.type):
                raise TypeError(f"{ref} must be a {codec.type.__name__}, got {type(obj).__name__}")
            if isinstance(obj, Group) and obj.members:
                obj = attrs.evolve(obj, members=())  # members are records of their own
            data = codec.unstructure(obj)
            if current is not None and current.data == data:
                return current.version
            record = Record(self.seq, data, obj)
        elif current is None:
            return 0
        else:
            table = (ref.kind, ref.key[0] if ref.kind is Kind.MEMBER else None)
            if table not in self._orders:
                self._orders[table] = state.order(ref)
        if ref not in self.before:
            self.before[ref] = current
        state.put(ref, record)
        return 0 if record is None else self.seq

    def data_of(self, ref: Ref) -> dict[str, Any] | None:
        """The record's JSON as stored (None when it does not exist)."""
        record = self._state.get(ref)
        return None if record is None else record.data

    # -- typed saves and removals --------------------------------------------

    def save_rules(self, rules: Rules, expected_version: int) -> int:
        """Save the rules; returns their new version."""
        return self.put(Ref.rules(), rules, expected_version)

    def save_agency(self, agency: Agency, expected_version: int) -> int:
        """Save the agency's name, contact and phone (version 0: there was none yet)."""
        return self.put(Ref.agency(), agency, expected_version)

    def remove_agency(self, expected_version: int) -> None:
        self.put(Ref.agency(), None, expected_version)

    def save_system(self, system: System, expected_version: int) -> int:
        return self.put(Ref.system(system.code), system, expected_version)

    def remove_system(self, code: str, expected_version: int) -> None:
        """Refused at commit while an office or disruption still names the system."""
        self.put(Ref.system(code), None, expected_version)

    def save_office(self, office: Office, expected_version: int) -> int:
        return self.put(Ref.office(office.code), office, expected_version)

    def remove_office(self, code: str, expected_version: int) -> None:
        """Refused at commit while a group, member, disruption or alternative names it."""
        self.put(Ref.office(code), None, expected_version)

    def save_disruption(self, disruption: Disruption, expected_version: int) -> int:
        return self.put(Ref.disruption(disruption.id), disruption, expected_version)

    def remove_disruption(self, disruption_id: str, expected_version: int) -> None:
        self.put(Ref.disruption(disruption_id), None, expected_version)

    def save_group(self, group: Group, expected_version: int) -> int:
        """Save the group's own fields (name, office, departure...); ``group.members`` is ignored.

        Members are records of their own (:meth:`save_member`), so two people
        can edit two members of one group at once. Use :meth:`add_group` to
        create a group together with its members.
        """
        return self.put(Ref.group(group.id), group, expected_version)

    def add_group(self, group: Group) -> int:
        """Create a new group and every member in it; ConflictError if the id is taken."""
        version = self.put(Ref.group(group.id), group, 0)
        for member in group.members:
            self.put(Ref.member(group.id, member.id), member, 0)
        return version

    def remove_group(self, group_id: str, expected_version: int) -> None:
        """Remove a group and all its members."""
        ref = Ref.group(group_id)
        actual = self.version_of(ref)
        if actual != expected_version:
            raise ConflictError(ref, expected_version, actual)
        for member_id in list(self._state.members.get(group_id, {})):
            self.put(Ref.member(group_id, member_id), None, None)
        self.put(ref, None, None)

    def save_member(self, group_id: str, member: Member, expected_version: int) -> int:
        """Save one member; ``expected_version`` is what :meth:`version_of` said when you
        read it (0 to add a new member). Returns the new version; raises ConflictError."""
        if self._state.get(Ref.group(group_id)) is None:
            raise NotFoundError(f"there is no group {group_id!r}")
        return self.put(Ref.member(group_id, member.id), member, expected_version)

    def remove_member(self, group_id: str, member_id: str, expected_version: int) -> None:
        self.put(Ref.member(group_id, member_id), None, expected_version)

    def put_scenario(self, scenario: Scenario) -> None:
        """Save every record of ``scenario``, replacing records with the same keys.

        Records the scenario does not mention are kept. Used by ``db init
        --from`` and by restoring a backup.
        """
        self.put(Ref.rules(), scenario.rules, None)
        if scenario.agency is not None:
            self.put(Ref.agency(), scenario.agency, None)
        for system in scenario.systems:
            self.put(Ref.system(system.code), system, None)
        for office in scenario.offices:
            self.put(Ref.office(office.code), office, None)
        for disruption in scenario.disruptions:
            self.put(Ref.disruption(disruption.id), disruption, None)
        for group in scenario.groups:
            self.put(Ref.group(group.id), group, None)
            for member in group.members:
                self.put(Ref.member(group.id, member.id), member, None)

    def refs(self, kind: Kind) -> list[Ref]:
        """Every record of one kind, as refs (for code that walks the whole database)."""
        return [ref for ref, _ in self._state.refs(kind)]
