"""Reading the database as model objects: shared by :class:`Store` and :class:`Transaction`."""

from __future__ import annotations

import contextlib
from typing import Any

from grouppass.model import Agency, Disruption, Group, Member, Office, Rules, Scenario, System
from grouppass.store._errors import NotFoundError
from grouppass.store._records import Kind, Ref
from grouppass.store._state import State

__all__ = ["ReadView"]


class ReadView:
    """Read methods over a :class:`State`; subclasses say how to guard it (``_guard``)."""

    _state: State

    def _guard(self) -> contextlib.AbstractContextManager[Any]:
        return contextlib.nullcontext()

    def _one(self, ref: Ref) -> Any:
        record = self._state.get(ref)
        if record is None:
            raise NotFoundError(f"there is no {ref}")
        return record.obj

    def version_of(self, ref: Ref) -> int:
        """The record's version (0 when it does not exist): pass it back when you save it.

        >>> store.version_of(Ref.member("nashif-ramadan-1439", "nashif"))  # made by change #1
        1
        """
        with self._guard():
            record = self._state.get(ref)
            return 0 if record is None else record.version

    def rules(self) -> Rules:
        """The rules; the defaults until someone saves them (version 0)."""
        with self._guard():
            record = self._state.get(Ref.rules())
            return Rules() if record is None else record.obj

    def agency(self) -> Agency | None:
        """The agency (its name and contact sign the notices); None until someone saves it."""
        with self._guard():
            record = self._state.get(Ref.agency())
            return None if record is None else record.obj

    def systems(self) -> tuple[System, ...]:
        with self._guard():
            return tuple(self._state.objects(Kind.SYSTEM))

    def system(self, code: str) -> System:
        with self._guard():
            return self._one(Ref.system(code))  # type: ignore[no-any-return]

    def offices(self) -> tuple[Office, ...]:
        with self._guard():
            return tuple(self._state.objects(Kind.OFFICE))

    def office(self, code: str) -> Office:
        with self._guard():
            return self._one(Ref.office(code))  # type: ignore[no-any-return]

    def disruptions(self) -> tuple[Disruption, ...]:
        with self._guard():
            return tuple(self._state.objects(Kind.DISRUPTION))

    def disruption(self, disruption_id: str) -> Disruption:
        with self._guard():
            return self._one(Ref.disruption(disruption_id))  # type: ignore[no-any-return]

    def group_ids(self) -> tuple[str, ...]:
        """Every group's id, in the order they were added (cheap: no members are touched)."""
        with self._guard():
            return tuple(key[0] for key in self._state.tables[Kind.GROUP])

    def groups(self) -> tuple[Group, ...]:
        """Every group with its members."""
        with self._guard():
            state = self._state
            return tuple(state.group(key[0]) for key in state.tables[Kind.GROUP])  # type: ignore[misc]

    def group(self, group_id: str) -> Group:
        """One group with its members; raises NotFoundError."""
        with self._guard():
            group = self._state.group(group_id)
            if group is None:
                raise NotFoundError(f"there is no group {group_id!r}")
            return group

    def member(self, group_id: str, member_id: str) -> Member:
        with self._guard():
            return self._one(Ref.member(group_id, member_id))  # type: ignore[no-any-return]

    def scenario(self) -> Scenario:
        """Everything, as the model's :class:`~grouppass.model.Scenario` (for ``assess``)."""
        with self._guard():
            return Scenario(
                rules=self.rules(),
                agency=self.agency(),
                systems=self.systems(),
                offices=self.offices(),
                disruptions=self.disruptions(),
                groups=self.groups(),
            )
