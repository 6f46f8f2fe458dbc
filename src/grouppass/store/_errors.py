"""What the store raises: each a :class:`~grouppass.errors.GrouppassError` (CLI exit code 2)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from grouppass.errors import GrouppassError, LocatedProblem
from grouppass.store._records import Ref

__all__ = [
    "ConflictError",
    "DamagedStoreError",
    "IntegrityError",
    "NotFoundError",
    "StoreError",
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

    ``backup`` is the newest backup that loads cleanly, when there is one.
    """

    def __init__(
        self, path: Path, problems: Iterable[LocatedProblem], backup: Path | None = None
    ) -> None:
        self.path = path
        self.problems = tuple(problems)
        self.backup = backup
        lines = [f"{path} is damaged; nothing was written to it:"]
        lines += [f"  {p}" for p in self.problems[:20]]
        if len(self.problems) > 20:
            lines.append(f"  ... and {len(self.problems) - 20} more problems")
        if backup is not None:
            lines.append(f"The last good backup is {backup}")
            lines.append(f"Restore it with: grouppass db restore {backup} --db {path}")
        else:
            lines.append("No good backup was found beside it.")
        super().__init__("\n".join(lines))

    def with_backup(self, backup: Path | None) -> DamagedStoreError:
        return DamagedStoreError(self.path, self.problems, backup)
