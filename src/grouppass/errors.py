"""Errors a user can cause, each naming where the problem is."""

from __future__ import annotations

from collections.abc import Iterable

from attrs import field, frozen

from grouppass.pii import redact

__all__ = ["GrouppassError", "LocatedProblem", "ScenarioError"]


class GrouppassError(Exception):
    """Base of every error grouppass raises for a user's mistake (CLI exit code 2)."""


@frozen
class LocatedProblem:
    """One problem and where it is: ``groups[0].members[3].application.paid``."""

    path: str
    message: str = field(converter=redact)
    """Never a NIK or passport number, even one quoted from the wrong column."""
    source: str | None = None
    """The file (or other source) the path is in, when known."""

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"


class ScenarioError(GrouppassError):
    """A scenario that cannot be used; ``problems`` lists every problem found, located."""

    def __init__(self, problems: Iterable[LocatedProblem]) -> None:
        self.problems: tuple[LocatedProblem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
