"""Undoing a change, and bringing back what a change removed: each is a new change.

The log keeps every record before and after each change (:mod:`.audit`), so
undoing change ``#n`` writes a new change that puts back what ``#n`` found.
It is audited like any other, so an undo can itself be undone (which redoes
``#n``). It is refused, with nothing written, when a record ``#n`` touched
has been changed again since: undoing would silently lose that later edit.

>>> rohani = Ref.member("nashif-ramadan-1439", "rohani")
>>> store.remove_member("nashif-ramadan-1439", "rohani", store.version_of(rohani))
>>> undone = store.undo_last()
>>> print(undone.lines()[0])
#3 undo #2: remove member rohani of group nashif-ramadan-1439 (1 record)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import frozen

from grouppass.errors import ScenarioError
from grouppass.store._errors import StoreError, UndoConflictError
from grouppass.store._records import CODECS, Ref
from grouppass.store.audit import AuditEntry, Change, records_text
from grouppass.store.transaction import Transaction

__all__ = ["Undone", "put_back", "undo_changes"]


@frozen
class Undone:
    """What :meth:`Store.undo` or :meth:`Store.restore_removed` did."""

    seq: int
    """The number of the new change that did it (undo it to go back)."""
    undid: int
    """The change undone (for a bring-back: the change that removed the record)."""
    action: str
    """The new change's line in the audit trail: ``undo #57: remove member J001 of group G``."""
    changes: tuple[Change, ...]
    """Each record the new change wrote: before is how it was, after how it is now."""

    def lines(self, *, show_pii: bool = False) -> list[str]:
        """A heading and one line per record, personal data masked unless ``show_pii``."""
        out = [f"#{self.seq} {self.action} ({records_text(len(self.changes))})"]
        out += ["  " + c.describe(show_pii=show_pii) for c in self.changes[:10]]
        if len(self.changes) > 10:
            out.append(f"  ... and {len(self.changes) - 10} more")
        return out


def _object(ref: Ref, data: Mapping[str, Any]) -> Any:
    try:
        return CODECS[ref.kind].structure(dict(data), str(ref))
    except ScenarioError as exc:
        raise StoreError(
            f"cannot put back {ref}: the change log holds it in a form this grouppass "
            f"no longer reads ({exc.problems[0] if exc.problems else exc})"
        ) from None


def put_back(tx: Transaction, values: Iterable[tuple[Ref, Mapping[str, Any] | None]]) -> None:
    """Write each record's old JSON (None: remove it) in ``tx``, in the order given (a
    group's members come back in their order; references are checked at commit)."""
    for ref, data in values:
        tx.put(ref, None if data is None else _object(ref, data), None)


def undo_changes(tx: Transaction, entry: AuditEntry, later: Iterable[AuditEntry]) -> None:
    """Put back what ``entry`` found, in ``tx``; UndoConflictError if a record moved on since.

    ``later`` are the changes after ``entry``, newest first (to name the one
    that conflicts).
    """
    newer = list(later)
    for change in entry.changes:
        if tx.data_of(change.ref) != (None if change.after is None else dict(change.after)):
            by = next((e for e in reversed(newer) if any(c.ref == change.ref for c in e.changes)),
                      None)  # fmt: skip
            detail = "" if by is None else f"{by.actor}: {by.action}"
            raise UndoConflictError(change.ref, entry.seq, None if by is None else by.seq, detail)
    put_back(tx, ((c.ref, c.before) for c in entry.changes))
