"""What the store raises: each a :class:`~grouppass.errors.GrouppassError` (CLI exit code 2)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from grouppass.errors import GrouppassError, LocatedProblem
from grouppass.store._records import Ref

if TYPE_CHECKING:
    from grouppass.store._recover import RepairPlan

__all__ = [
    "ConflictError",
    "DamagedStoreError",
    "IntegrityError",
    "LogBehindError",
    "NotFoundError",
    "NothingToUndoError",
    "StoreError",
    "UndoConflictError",
    "WouldLoseChangesError",
]


class StoreError(GrouppassError):
    """A database that cannot be used as asked: locked, missing, or from a newer grouppass."""


class NotFoundError(StoreError, LookupError):
    """A record (or the database file itself) that does not exist."""


class ConflictError(StoreError):
    """A save based on a stale version: someone else changed the record first.

    Nothing was written. The store has already taken in the newer version:
    read the record again (and its ``version_of``), re-apply the edit and save.

    >>> from grouppass.store import Ref
    >>> print(ConflictError(Ref.member("G1", "M3"), expected=4, actual=7))
    member 'M3' of group 'G1' was changed by someone else (you had version 4, it is now 7); \
reload it and try again
    """

    def __init__(self, ref: Ref, expected: int, actual: int) -> None:
        self.ref = ref
        self.expected = expected
        """The version the caller based its change on (0: it expected no record)."""
        self.actual = actual
        """The version on disk (0: there is no such record)."""
        if actual == 0:
            what = f"{ref} was removed by someone else"
        elif expected == 0:
            what = f"{ref} already exists (version {actual})"
        else:
            what = (
                f"{ref} was changed by someone else "
                f"(you had version {expected}, it is now {actual})"
            )
        super().__init__(f"{what}; reload it and try again")


class IntegrityError(StoreError):
    """A change that would leave a reference dangling (an unknown office, a used system)."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class DamagedStoreError(StoreError):
    """A database file that cannot be read; nothing was written to it.

    ``plan`` says how ``grouppass db repair`` would get it back and how many
    acknowledged changes, if any, that cannot recover; ``backup`` is the
    newest backup that loads cleanly, when there is one.
    """

    heading = "is damaged; nothing was written to it:"

    def __init__(
        self,
        path: Path,
        problems: Iterable[LocatedProblem],
        backup: Path | None = None,
        plan: RepairPlan | None = None,
    ) -> None:
        self.path = path
        self.problems = tuple(problems)
        self.backup = backup
        self.plan = plan
        lines = [f"{path} {self.heading}"]
        lines += [f"  {p}" for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"  ... and {len(self.problems) - 20} more problems")
        if plan is not None and plan.source is not None:
            lines.append(f"Repair it with: grouppass db repair --db {path}")
            lines.append(f"  it {plan.describe()}")
        if backup is not None:
            lines.append(f"The last good backup is {backup}")
            lines.append(f"Or go back to it with: grouppass db restore {backup} --db {path}")
        elif plan is None or plan.source is None:
            lines.append("No good backup was found beside it.")
        super().__init__("\n".join(lines))

    def with_backup(self, backup: Path | None) -> DamagedStoreError:
        return type(self)(self.path, self.problems, backup, self.plan)


class LogBehindError(DamagedStoreError):
    """The change log ends before its high-water mark: acknowledged changes are missing.

    The database still opens for reading (what it has is consistent); every
    write is refused until ``grouppass db repair`` has been run (or the newer
    copy of the log put back).
    """

    heading = "is missing acknowledged changes; nothing will be written to it:"


class WouldLoseChangesError(StoreError):
    """A repair that would drop acknowledged changes, asked for without ``accept_loss``."""

    def __init__(self, plan: RepairPlan) -> None:
        self.plan = plan
        super().__init__(
            f"repairing {plan.db} {plan.describe()}; nothing was changed. If a newer copy of "
            f"{plan.db.name}.log exists, put it back instead; to repair anyway, "
            "accept the loss (grouppass db repair --yes)"
        )


class NothingToUndoError(StoreError, LookupError):
    """No such change to undo (or no change at all), or no removal to bring back."""


class UndoConflictError(StoreError):
    """A record the change touched was changed again since: undoing would lose that edit.

    Nothing was written. ``ref`` is the record, ``by`` the number of the later
    change (undo that one first, or edit the record by hand).
    """

    def __init__(self, ref: Ref, seq: int, by: int | None, detail: str = "") -> None:
        self.ref = ref
        self.seq = seq
        self.by = by
        later = f"change #{by}" if by is not None else "a later change"
        more = f" ({detail})" if detail else ""
        super().__init__(
            f"cannot undo change #{seq}: {ref} was changed again by {later}{more}; "
            "undo that first, or edit it by hand"
        )
