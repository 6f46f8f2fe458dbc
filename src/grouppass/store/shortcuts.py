"""Saving or removing one record as one change: the Store's shortcuts for its transactions.

Each method opens a transaction, makes the one change and commits it: the
call returns once the change is on disk. Each takes ``at=`` (the time of
the change; default: the store's clock) and ``actor=`` (default: the store's).
"""

from __future__ import annotations

import datetime as dt

from grouppass.model import Disruption, Group, Member, Office, Rules, System
from grouppass.store.transaction import Transaction

__all__ = ["Shortcuts"]


class Shortcuts:
    """The typed one-change writes of :class:`~grouppass.store.Store`."""

    def transaction(
        self, action: str = "edit", *, at: dt.datetime | None = None, actor: str | None = None
    ) -> Transaction:
        raise NotImplementedError  # the Store's

    def save_rules(
        self, rules: Rules, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> int:  # fmt: skip
        """Save the rules; returns their new version."""
        with self.transaction("save the rules", at=at, actor=actor) as tx:
            return tx.save_rules(rules, expected_version)

    def save_system(
        self, system: System, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> int:  # fmt: skip
        with self.transaction(f"save system {system.code}", at=at, actor=actor) as tx:
            return tx.save_system(system, expected_version)

    def remove_system(
        self, code: str, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> None:  # fmt: skip
        with self.transaction(f"remove system {code}", at=at, actor=actor) as tx:
            tx.remove_system(code, expected_version)

    def save_office(
        self, office: Office, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> int:  # fmt: skip
        with self.transaction(f"save office {office.code}", at=at, actor=actor) as tx:
            return tx.save_office(office, expected_version)

    def remove_office(
        self, code: str, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> None:  # fmt: skip
        with self.transaction(f"remove office {code}", at=at, actor=actor) as tx:
            tx.remove_office(code, expected_version)

    def save_disruption(
        self, disruption: Disruption, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> int:  # fmt: skip
        with self.transaction(f"save disruption {disruption.id}", at=at, actor=actor) as tx:
            return tx.save_disruption(disruption, expected_version)

    def remove_disruption(
        self, disruption_id: str, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> None:  # fmt: skip
        with self.transaction(f"remove disruption {disruption_id}", at=at, actor=actor) as tx:
            tx.remove_disruption(disruption_id, expected_version)

    def save_group(
        self, group: Group, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> int:  # fmt: skip
        """Save a group's own fields; its members are saved one by one (see :meth:`add_group`)."""
        with self.transaction(f"save group {group.id}", at=at, actor=actor) as tx:
            return tx.save_group(group, expected_version)

    def add_group(
        self, group: Group, *, at: dt.datetime | None = None, actor: str | None = None
    ) -> int:
        """Create a group with all its members in one change."""
        with self.transaction(f"add group {group.id}", at=at, actor=actor) as tx:
            return tx.add_group(group)

    def remove_group(
        self, group_id: str, expected_version: int, *, at: dt.datetime | None = None,
        actor: str | None = None,
    ) -> None:  # fmt: skip
        """Remove a group and all its members."""
        with self.transaction(f"remove group {group_id}", at=at, actor=actor) as tx:
            tx.remove_group(group_id, expected_version)

    def save_member(
        self, group_id: str, member: Member, expected_version: int, *,
        at: dt.datetime | None = None, actor: str | None = None,
    ) -> int:  # fmt: skip
        """Save one member; ``expected_version`` is what :meth:`version_of` said when you
        read it (0 to add a new member). Returns the new version; raises ConflictError."""
        with self.transaction(
            f"save member {member.id} of group {group_id}", at=at, actor=actor
        ) as tx:
            return tx.save_member(group_id, member, expected_version)

    def remove_member(
        self, group_id: str, member_id: str, expected_version: int, *,
        at: dt.datetime | None = None, actor: str | None = None,
    ) -> None:  # fmt: skip
        with self.transaction(
            f"remove member {member_id} of group {group_id}", at=at, actor=actor
        ) as tx:
            tx.remove_member(group_id, member_id, expected_version)
