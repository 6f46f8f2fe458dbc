"""The database in memory: every record as a model object with its version.

Built from a snapshot plus the log lines after it; a transaction changes it in
place and undoes its changes if it fails, so a read never has to merge layers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from grouppass.errors import LocatedProblem, ScenarioError
from grouppass.model import Group, Member
from grouppass.store import migrate
from grouppass.store._records import CODECS, Kind, Record, Ref
from grouppass.store._snapshot import Damage, OutRecord, Raw, key_of

__all__ = ["Order", "State", "apply_entry", "apply_raw", "structure_record"]


def _where(ref: Ref) -> str:
    return ref.kind.table if ref.kind.singleton else f"{ref.kind.table}[{'/'.join(ref.key)}]"


def structure_record(ref: Ref, version: int, data: dict[str, Any], origin: str) -> Record:
    """The record as a model object; raises Damage naming ``origin`` and the field."""
    try:
        obj = CODECS[ref.kind].structure(data, _where(ref))
    except ScenarioError as exc:
        raise Damage(attrs.evolve(p, source=origin) for p in exc.problems) from None
    return Record(version, data, obj)


@attrs.frozen
class Order:
    """The order of one table (or one group's members) at some moment: see :meth:`State.order`."""

    kind: Kind
    group: str | None
    keys: tuple[object, ...]
    groups: tuple[str, ...] = ()
    """For members: the order of the groups' member tables too."""


def _ordered(table: dict[Any, Record], keys: tuple[object, ...]) -> dict[Any, Record]:
    first = {k: table[k] for k in keys if k in table}
    return first | {k: v for k, v in table.items() if k not in first}


class State:
    """Records by kind and key; members are kept per group, in their order."""

    def __init__(self, seq: int = 0) -> None:
        self.seq = seq
        """The sequence number of the last change this state includes."""
        self.tables: dict[Kind, dict[tuple[str, ...], Record]] = {
            kind: {} for kind in Kind if kind is not Kind.MEMBER
        }
        self.members: dict[str, dict[str, Record]] = {}
        self._groups: dict[str, Group] = {}

    def get(self, ref: Ref) -> Record | None:
        if ref.kind is Kind.MEMBER:
            return self.members.get(ref.key[0], {}).get(ref.key[1])
        return self.tables[ref.kind].get(ref.key)

    def put(self, ref: Ref, record: Record | None) -> None:
        if ref.kind is Kind.MEMBER:
            group_id, member_id = ref.key
            members = self.members.setdefault(group_id, {})
            if record is None:
                members.pop(member_id, None)
                if not members:
                    del self.members[group_id]
            else:
                members[member_id] = record
            self._groups.pop(group_id, None)
            return
        table = self.tables[ref.kind]
        if record is None:
            table.pop(ref.key, None)
        else:
            table[ref.key] = record
        if ref.kind is Kind.GROUP:
            self._groups.pop(ref.key[0], None)

    def order(self, ref: Ref) -> Order:
        """The order of the table ``ref`` is in, to put back with :meth:`restore_order`.

        A record removed and put back goes to the end of its table; undoing a
        transaction restores the order it had, so memory matches the disk
        without reading it again.
        """
        if ref.kind is Kind.MEMBER:
            group = ref.key[0]
            return Order(ref.kind, group, tuple(self.members.get(group, {})), tuple(self.members))
        return Order(ref.kind, None, tuple(self.tables[ref.kind]))

    def restore_order(self, order: Order) -> None:
        if order.kind is Kind.MEMBER:
            assert order.group is not None
            if order.group in self.members:
                self.members[order.group] = _ordered(self.members[order.group], order.keys)
            first = {g: self.members[g] for g in order.groups if g in self.members}
            self.members = first | {g: m for g, m in self.members.items() if g not in first}
            self._groups.pop(order.group, None)
        else:
            self.tables[order.kind] = _ordered(self.tables[order.kind], order.keys)

    def objects(self, kind: Kind) -> Iterator[Any]:
        """The model objects of one kind, in order (members: all groups)."""
        if kind is Kind.MEMBER:
            for members in self.members.values():
                for record in members.values():
                    yield record.obj
        else:
            for record in self.tables[kind].values():
                yield record.obj

    def refs(self, kind: Kind) -> Iterator[tuple[Ref, Record]]:
        if kind is Kind.MEMBER:
            for group_id, members in self.members.items():
                for member_id, record in members.items():
                    yield Ref.member(group_id, member_id), record
        else:
            for key, record in self.tables[kind].items():
                yield Ref(kind, key), record

    def group(self, group_id: str) -> Group | None:
        """The group with its members, assembled once and kept until one of them changes."""
        cached = self._groups.get(group_id)
        if cached is not None:
            return cached
        record = self.tables[Kind.GROUP].get((group_id,))
        if record is None:
            return None
        members = self.members.get(group_id, {})
        group: Group = record.obj
        if members or group.members:
            group = attrs.evolve(group, members=tuple(m.obj for m in members.values()))
        self._groups[group_id] = group
        return group

    def prime(self, group: Group) -> None:
        """Remember ``group`` as assembled (members and all), as a bulk load made it."""
        self._groups[group.id] = group

    def member(self, group_id: str, member_id: str) -> Member | None:
        record = self.members.get(group_id, {}).get(member_id)
        return None if record is None else record.obj

    def member_count(self) -> int:
        return sum(len(m) for m in self.members.values())

    def out_tables(self) -> Iterator[tuple[Kind, Iterator[OutRecord]]]:
        """Every record, for the snapshot file."""
        for kind in Kind:
            if kind is Kind.MEMBER:
                yield (
                    kind,
                    (
                        (record.version, record.data, group_id)
                        for group_id, members in self.members.items()
                        for record in members.values()
                    ),
                )
            else:
                yield kind, ((r.version, r.data, None) for r in self.tables[kind].values())


def _changes(entry: dict[str, Any], last: int, origin: str) -> list[tuple[Ref, Any]]:
    """The (ref, after) pairs of a log entry that must follow change ``last``; raises Damage."""
    seq = entry["seq"]
    changes = entry.get("changes")
    if seq != last + 1:
        raise Damage([LocatedProblem("", f"change {seq} does not follow change {last}", origin)])
    if not isinstance(changes, list):
        raise Damage([LocatedProblem("", f"change {seq} has no list of changes", origin)])
    return [_change(change, f"changes[{i}]", origin) for i, change in enumerate(changes)]


def _schema(entry: dict[str, Any], origin: str) -> int | None:
    """The schema the entry's records are written in (None: the snapshot's, an older line)."""
    schema = entry.get("schema")
    if schema is None:
        return None
    if type(schema) is not int or schema < 1:
        raise Damage([LocatedProblem("schema", "expected a whole number >= 1", origin)])
    migrate.check_schema(schema, origin)  # a newer grouppass wrote it: refused, not misread
    return schema


def apply_raw(raw: Raw, entry: dict[str, Any], origin: str) -> None:
    """Replay one log entry onto decoded JSON; raises Damage if it is not one we wrote.

    An entry written at a newer schema than ``raw`` brings ``raw`` up to it
    first, so a log replayed from its start crosses migrations correctly.
    """
    seq = entry["seq"]
    schema = _schema(entry, origin)
    changes = _changes(entry, raw.seq, origin)
    if schema is not None and schema > raw.schema:
        migrate.migrate(raw, schema)
    for ref, after in changes:
        table = raw.tables[ref.kind]
        if after is None:
            table.pop(ref.key, None)
        else:
            table[ref.key] = (seq, after, origin)
    raw.seq = seq


def apply_entry(state: State, entry: dict[str, Any], origin: str) -> None:
    """Replay one log entry (another process's change) onto model objects; raises Damage.

    Every record is converted before any is applied, so a bad entry leaves
    ``state`` as it was.
    """
    seq = entry["seq"]
    _schema(entry, origin)
    records = [
        (ref, None if after is None else structure_record(ref, seq, after, origin))
        for ref, after in _changes(entry, state.seq, origin)
    ]
    for ref, record in records:
        state.put(ref, record)
    state.seq = seq


def _change(change: object, where: str, origin: str) -> tuple[Ref, dict[str, Any] | None]:
    if isinstance(change, dict):
        try:
            kind = Kind(str(change.get("kind")))
        except ValueError:
            kind = None
        key = change.get("key")
        after = change.get("after")
        if (
            kind is not None
            and isinstance(key, list)
            and all(isinstance(k, str) for k in key)
            and (after is None or isinstance(after, dict))
        ):
            ref = Ref(kind, tuple(key))
            group = ref.key[0] if kind is Kind.MEMBER and ref.key else None
            if after is None or key_of(kind, after, group) == ref.key:
                return ref, after
    raise Damage([LocatedProblem(where, "not a change this program writes", origin)])
