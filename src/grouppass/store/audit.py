"""The audit trail: who changed what, when, with the values before and after.

Every committed change is one line of the log (:mod:`._log`), so the trail is
exactly as durable as the data and cannot disagree with it.
:meth:`Store.audit <grouppass.store.Store.audit>` lists it newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import frozen

from grouppass.pii import mask
from grouppass.store._records import Kind, Ref

__all__ = ["AuditEntry", "Change", "FieldChange", "entry_from_log", "records_text"]


@frozen
class FieldChange:
    """One value that changed, by its path in the record's JSON (``application.paid``)."""

    path: str
    before: Any
    after: Any

    def describe(self, *, show_pii: bool = False) -> str:
        """``application.paid: - -> 2018-02-27``, personal data masked unless ``show_pii``.

        >>> print(FieldChange("passport.number", "B1234567", "B7654321").describe())
        passport.number: B******67 -> B******21
        """
        before, after = self.before, self.after
        if not show_pii:
            before, after = mask(self.path, before), mask(self.path, after)
        return f"{self.path}: {_show(before)} -> {_show(after)}"


def records_text(n: int) -> str:
    """``1 record``, ``2 records``: how a change's size is said."""
    return f"{n} record{'s' * (n != 1)}"


def _show(value: Any) -> str:
    if value is None:
        return "-"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _flatten(data: Mapping[str, Any] | None, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in (data or {}).items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, path + ".")
        else:
            yield path, value


@frozen
class Change:
    """One record added, changed or removed by an audited change."""

    ref: Ref
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"

    def fields(self) -> tuple[FieldChange, ...]:
        """The values that differ, one per leaf of the JSON."""
        old = dict(_flatten(self.before))
        new = dict(_flatten(self.after))
        paths = list(old) + [p for p in new if p not in old]
        return tuple(
            FieldChange(p, old.get(p), new.get(p)) for p in paths if old.get(p) != new.get(p)
        )

    def describe(self, *, show_pii: bool = False) -> str:
        """One line: ``member 'J001' of group 'G1' changed: name: A -> B; ...``."""
        if self.kind != "changed":
            return f"{self.ref} {self.kind}"
        parts = [f.describe(show_pii=show_pii) for f in self.fields()]
        return f"{self.ref} changed: " + "; ".join(parts)


@frozen
class AuditEntry:
    """One committed change: a save, an import, a restore."""

    seq: int
    """Its sequence number: also the version of every record it wrote."""
    at: dt.datetime | None
    actor: str
    action: str
    changes: tuple[Change, ...]

    def describe(self, *, show_pii: bool = False, limit: int = 10) -> list[str]:
        """A heading line and up to ``limit`` lines of changes, for a terminal."""
        when = "?" if self.at is None else self.at.isoformat(timespec="seconds")
        size = records_text(len(self.changes))
        lines = [f"#{self.seq} {when} {self.actor}: {self.action} ({size})"]
        lines += ["  " + c.describe(show_pii=show_pii) for c in self.changes[:limit]]
        if len(self.changes) > limit:
            lines.append(f"  ... and {len(self.changes) - limit} more")
        return lines


def entry_from_log(entry: Mapping[str, Any]) -> AuditEntry:
    """An audit entry from a decoded log line (which this program wrote)."""
    at: dt.datetime | None
    try:
        at = dt.datetime.fromisoformat(entry["at"])
    except (KeyError, TypeError, ValueError):
        at = None
    changes = []
    for c in entry.get("changes") or ():
        try:
            ref = Ref(Kind(c["kind"]), tuple(c["key"]))
        except (KeyError, TypeError, ValueError):
            continue
        changes.append(Change(ref, c.get("before"), c.get("after")))
    return AuditEntry(
        seq=int(entry["seq"]),
        at=at,
        actor=str(entry.get("actor", "?")),
        action=str(entry.get("action", "")),
        changes=tuple(changes),
    )
