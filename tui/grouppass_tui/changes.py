"""Edits the organiser makes, as values the save worker can apply and replay.

A change carries the record as the organiser opened it (``base``; None for
a new record). The save refuses it if the stored record is no longer that
(see :mod:`grouppass_tui.data`); the conflict dialog then shows ``base``
against what is stored now and the organiser's ``after``, and can re-open
the edit on top of the fresh record — so no edit is ever lost to a reload.
"""

from __future__ import annotations

from typing import TypeVar

from attrs import evolve, frozen

from grouppass.model import Agency, Disruption, Group, Member, Office, Scenario

T = TypeVar("T")

__all__ = [
    "Change",
    "RemoveGroup",
    "RemoveMember",
    "SaveAgency",
    "SaveDisruption",
    "SaveGroup",
    "SaveMember",
    "SaveOffice",
    "apply_change",
    "group_of",
    "touches_figures",
]


@frozen
class SaveMember:
    """Add (``base`` None) or replace a member of a group."""

    group_id: str
    after: Member
    base: Member | None = None
    note: str = ""
    """Why, for the audit log: "record stage paid", "switch MTR → LTM"."""

    @property
    def key(self) -> str:
        return self.after.id


@frozen
class RemoveMember:
    group_id: str
    base: Member
    note: str = ""

    @property
    def key(self) -> str:
        return self.base.id


@frozen
class SaveOffice:
    after: Office
    base: Office | None = None
    note: str = ""

    @property
    def key(self) -> str:
        return self.after.code


@frozen
class SaveDisruption:
    after: Disruption
    base: Disruption | None = None
    note: str = ""

    @property
    def key(self) -> str:
        return self.after.id


@frozen
class SaveGroup:
    """Add (``base`` None) or change a group's own fields; its members are left as they are."""

    after: Group
    base: Group | None = None
    note: str = ""

    @property
    def key(self) -> str:
        return self.after.id


@frozen
class RemoveGroup:
    """Remove a group with every member in it (the audit log keeps them)."""

    base: Group
    note: str = ""

    @property
    def key(self) -> str:
        return self.base.id


@frozen
class SaveAgency:
    """The agency's name and contact, which sign the notices."""

    after: Agency
    base: Agency | None = None
    note: str = ""

    @property
    def key(self) -> str:
        return "agency"


Change = (
    SaveMember | RemoveMember | SaveOffice | SaveDisruption | SaveGroup | RemoveGroup | SaveAgency
)


def _replace(items: tuple[T, ...], key: str, attr: str, new: T | None) -> tuple[T, ...]:
    out: list[T] = []
    found = False
    for item in items:
        if getattr(item, attr) == key:
            found = True
            if new is not None:
                out.append(new)
        else:
            out.append(item)
    if not found and new is not None:
        out.append(new)
    return tuple(out)


def apply_change(scenario: Scenario, change: Change) -> Scenario:
    """The scenario with ``change`` made: what the store now holds, without reading it back.

    Re-reading 10,000 travellers after each edit would cost more than the
    whole edit budget, so the app keeps its copy in step this way and only
    reloads when another process changed the file.
    """
    match change:
        case SaveMember(group_id=gid, after=member):
            group = scenario.group(gid)
            members = _replace(group.members, member.id, "id", member)
            return evolve(
                scenario,
                groups=_replace(scenario.groups, gid, "id", evolve(group, members=members)),
            )
        case RemoveMember(group_id=gid, base=member):
            group = scenario.group(gid)
            members = _replace(group.members, member.id, "id", None)
            return evolve(
                scenario,
                groups=_replace(scenario.groups, gid, "id", evolve(group, members=members)),
            )
        case SaveOffice(after=office):
            return evolve(scenario, offices=_replace(scenario.offices, office.code, "code", office))
        case SaveDisruption(after=disruption):
            return evolve(
                scenario,
                disruptions=_replace(scenario.disruptions, disruption.id, "id", disruption),
            )
        case SaveGroup(after=group):
            try:
                members = scenario.group(group.id).members
            except KeyError:
                members = ()
            kept = evolve(group, members=members)
            return evolve(scenario, groups=_replace(scenario.groups, group.id, "id", kept))
        case RemoveGroup(base=group):
            return evolve(scenario, groups=_replace(scenario.groups, group.id, "id", None))
        case SaveAgency(after=agency):
            return evolve(scenario, agency=agency)
    raise TypeError(f"not a change: {change!r}")


def group_of(change: Change) -> str | None:
    """The group a change belongs to; None for agency-wide records (offices, disruptions)."""
    if isinstance(change, SaveMember | RemoveMember):
        return change.group_id
    if isinstance(change, SaveGroup):
        return change.after.id
    return None


def touches_figures(change: Change) -> bool:
    """False for changes no figure depends on (the agency's name and contact)."""
    return not isinstance(change, SaveAgency)
