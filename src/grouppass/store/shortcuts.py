"""One-change writes: ``store.save_member(...)`` is a transaction holding one save.

Each shortcut is made from the :class:`~grouppass.store.Transaction` method
of the same name, so there is one save path and one place that documents
it. The change takes its time from the store's clock and its actor from the
store; to name them, write through :meth:`Shortcuts.using`::

    store.using(at=when, actor="siti").save_member("G1", member, version)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from grouppass.store.transaction import Transaction

__all__ = ["Shortcuts"]

P = ParamSpec("P")
R = TypeVar("R")


class _OneChange(Generic[P, R]):
    """A transaction method made into a store method that runs it as one change."""

    def __init__(
        self, method: Callable[Concatenate[Transaction, P], R], action: Callable[P, str]
    ) -> None:
        self._method = method
        self._action = action
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> _OneChange[P, R]: ...

    @overload
    def __get__(self, obj: Shortcuts, owner: type[Any]) -> Callable[P, R]: ...

    def __get__(self, obj: Shortcuts | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        method, action = self._method, self._action

        @functools.wraps(method)
        def one_change(*args: P.args, **kwargs: P.kwargs) -> R:
            with obj.transaction(action(*args, **kwargs)) as tx:
                return method(tx, *args, **kwargs)

        return one_change


class Shortcuts:
    """The typed one-change writes of :class:`~grouppass.store.Store`."""

    def transaction(
        self, action: str = "edit", *, at: dt.datetime | None = None, actor: str | None = None
    ) -> Transaction:
        raise NotImplementedError  # the Store's

    def using(self, *, at: dt.datetime | None = None, actor: str | None = None) -> Shortcuts:
        """The same writes, each at time ``at`` and by ``actor`` (None: the store's)."""
        return _Using(self, at, actor)

    # Each action names the change in the audit trail; its parameters are the method's.
    save_rules = _OneChange(
        Transaction.save_rules, lambda rules, expected_version: "save the rules"
    )
    save_agency = _OneChange(
        Transaction.save_agency, lambda agency, expected_version: "save the agency"
    )
    remove_agency = _OneChange(
        Transaction.remove_agency, lambda expected_version: "remove the agency"
    )
    save_system = _OneChange(
        Transaction.save_system, lambda system, expected_version: f"save system {system.code}"
    )
    remove_system = _OneChange(
        Transaction.remove_system, lambda code, expected_version: f"remove system {code}"
    )
    save_office = _OneChange(
        Transaction.save_office, lambda office, expected_version: f"save office {office.code}"
    )
    remove_office = _OneChange(
        Transaction.remove_office, lambda code, expected_version: f"remove office {code}"
    )
    save_disruption = _OneChange(
        Transaction.save_disruption,
        lambda disruption, expected_version: f"save disruption {disruption.id}",
    )
    remove_disruption = _OneChange(
        Transaction.remove_disruption,
        lambda disruption_id, expected_version: f"remove disruption {disruption_id}",
    )
    save_group = _OneChange(
        Transaction.save_group, lambda group, expected_version: f"save group {group.id}"
    )
    add_group = _OneChange(Transaction.add_group, lambda group: f"add group {group.id}")
    remove_group = _OneChange(
        Transaction.remove_group, lambda group_id, expected_version: f"remove group {group_id}"
    )
    save_member = _OneChange(
        Transaction.save_member,
        lambda group_id, member, expected_version: f"save member {member.id} of group {group_id}",
    )
    remove_member = _OneChange(
        Transaction.remove_member,
        lambda group_id, member_id, expected_version: (
            f"remove member {member_id} of group {group_id}"
        ),
    )


class _Using(Shortcuts):
    def __init__(self, store: Shortcuts, at: dt.datetime | None, actor: str | None) -> None:
        self._store, self._at, self._actor = store, at, actor

    def transaction(
        self, action: str = "edit", *, at: dt.datetime | None = None, actor: str | None = None
    ) -> Transaction:
        return self._store.transaction(action, at=at or self._at, actor=actor or self._actor)
