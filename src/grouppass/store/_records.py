"""Record kinds, their keys, and the one place that turns records into model objects.

Each record is stored as the JSON the scenario format uses for it
(:mod:`grouppass.formats`), so the database and scenario files never disagree
about how a member or an office is written down.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from attrs import frozen

from grouppass import formats as sc
from grouppass.model import Agency, Disruption, Group, Member, Office, Rules, System

__all__ = ["CODECS", "Codec", "Kind", "Record", "Ref"]


class Kind(enum.StrEnum):
    """What a record is; also its table name in the file (plural)."""

    RULES = "rules"
    AGENCY = "agency"
    """The travel agency itself (name, contact, phone: they sign the notices)."""
    SYSTEM = "system"
    OFFICE = "office"
    DISRUPTION = "disruption"
    GROUP = "group"
    """A group's own fields; its members are records of their own."""
    MEMBER = "member"

    @property
    def singleton(self) -> bool:
        """One record at most, keyed by nothing (the rules, the agency)."""
        return self in (Kind.RULES, Kind.AGENCY)

    @property
    def table(self) -> str:
        return self.value if self.singleton else f"{self.value}s"


@frozen(order=True)
class Ref:
    """Names one record: what :meth:`Store.version_of` and :class:`ConflictError` talk about.

    >>> Ref.member("G1", "M3")
    Ref(kind=<Kind.MEMBER: 'member'>, key=('G1', 'M3'))
    >>> print(Ref.office("MTR"))
    office 'MTR'
    """

    kind: Kind
    key: tuple[str, ...]

    @classmethod
    def rules(cls) -> Ref:
        return cls(Kind.RULES, ())

    @classmethod
    def agency(cls) -> Ref:
        return cls(Kind.AGENCY, ())

    @classmethod
    def system(cls, code: str) -> Ref:
        return cls(Kind.SYSTEM, (code,))

    @classmethod
    def office(cls, code: str) -> Ref:
        return cls(Kind.OFFICE, (code,))

    @classmethod
    def disruption(cls, disruption_id: str) -> Ref:
        return cls(Kind.DISRUPTION, (disruption_id,))

    @classmethod
    def group(cls, group_id: str) -> Ref:
        return cls(Kind.GROUP, (group_id,))

    @classmethod
    def member(cls, group_id: str, member_id: str) -> Ref:
        return cls(Kind.MEMBER, (group_id, member_id))

    def __str__(self) -> str:
        if self.kind.singleton:
            return f"the {self.kind.value}"
        if self.kind is Kind.MEMBER:
            return f"member {self.key[1]!r} of group {self.key[0]!r}"
        return f"{self.kind.value} {self.key[0]!r}"


@frozen
class Record:
    """One stored record: the version that last wrote it, its JSON and its model object."""

    version: int
    """The sequence number of the change that last wrote this record."""
    data: dict[str, Any]
    obj: Any


@frozen
class Codec:
    structure: Callable[[object, str], Any]
    unstructure: Callable[[Any], dict[str, Any]]
    type: type
    ident: str
    """The field of the JSON object that holds the record's key ("id" or "code")."""


def _unstructure_group(group: Group) -> dict[str, Any]:
    # The store keeps members as records of their own, so two people can edit
    # two members of one group at once without a conflict.
    return sc.unstructure_group(group, members=False)


CODECS: dict[Kind, Codec] = {
    Kind.RULES: Codec(sc.structure_rules, sc.unstructure_rules, Rules, ""),
    Kind.AGENCY: Codec(sc.structure_agency, sc.unstructure_agency, Agency, ""),
    Kind.SYSTEM: Codec(sc.structure_system, sc.unstructure_system, System, "code"),
    Kind.OFFICE: Codec(sc.structure_office, sc.unstructure_office, Office, "code"),
    Kind.DISRUPTION: Codec(sc.structure_disruption, sc.unstructure_disruption, Disruption, "id"),
    Kind.GROUP: Codec(sc.structure_group, _unstructure_group, Group, "id"),
    Kind.MEMBER: Codec(sc.structure_member, sc.unstructure_member, Member, "id"),
}
