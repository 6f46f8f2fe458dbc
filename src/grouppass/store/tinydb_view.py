"""A read-only TinyDB over the agency database, for developers' ad-hoc queries.

The snapshot file is in TinyDB's JSON layout, but opening it with TinyDB
directly is a trap twice over: it misses the changes still only in the log,
and TinyDB's default mode writes the whole file back in place, unlocked, on
the first ``insert`` (the database is then damaged). :meth:`Store.tinydb`
gives the same layout from everything the store has loaded, in memory, and
refuses every write::

    >>> from tinydb import Query
    >>> from grouppass.store import Store
    >>> db = Store.open("agency.json").tinydb()
    >>> Doc = Query()
    >>> [d["data"]["name"] for d in db.table("members").search(
    ...     Doc.data.application.office == "MTR")]  # doctest: +ELLIPSIS
    ['Muhammad Nashif', 'Baiq Siti Rohani', ...]

Tables are ``meta``, ``rules``, ``systems``, ``offices``, ``disruptions``,
``groups`` and ``members``; each document is ``{"version": ..., "data": ...}``
(members also have ``"group"``), ``data`` being the record as a scenario file
writes it.
"""

from __future__ import annotations

from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from grouppass.store._errors import StoreError

__all__ = ["ReadOnlyError", "view"]


class ReadOnlyError(StoreError):
    """A write through the TinyDB view: change the database through the Store instead."""

    def __init__(self) -> None:
        super().__init__(
            "this TinyDB view of the agency database is read-only; "
            "change records through grouppass.store.Store"
        )


class _Storage(Storage):
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def read(self) -> dict[str, Any]:
        # A new top level each time: TinyDB's drop_table edits what read() returned.
        return dict(self._data)

    def write(self, data: dict[str, Any]) -> None:
        raise ReadOnlyError


class _Table(Table):
    def _update_table(self, updater: Any) -> None:
        # Every TinyDB write (insert, update, upsert, remove, truncate) comes here,
        # before it touches a document: refuse before anything changes.
        raise ReadOnlyError


class _View(TinyDB):
    table_class = _Table


def view(data: dict[str, Any]) -> TinyDB:
    """A read-only TinyDB over ``data`` (a decoded snapshot)."""
    return _View(data, storage=_Storage)
