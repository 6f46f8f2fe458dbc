"""The agency database: durable, locked, versioned, audited.

>>> import datetime as dt
>>> from grouppass.store import Store, Ref, ConflictError
>>> now = lambda: dt.datetime(2018, 3, 15, tzinfo=dt.UTC)
>>> store = Store.open("agency.json", create=True, clock=now)

Start at :class:`Store`; docs/database.md explains the files on disk, how
conflicts and backups work, and why the design is what it is.
"""

from __future__ import annotations

from grouppass.store._errors import (
    ConflictError,
    DamagedStoreError,
    IntegrityError,
    LogBehindError,
    NotFoundError,
    NothingToUndoError,
    StoreError,
    UndoConflictError,
    WouldLoseChangesError,
)
from grouppass.store._records import Kind, Ref
from grouppass.store._warnings import StoreWarning, WarningHook, WarningKind
from grouppass.store.audit import AuditEntry, Change, FieldChange
from grouppass.store.database import Clock, Store, default_actor
from grouppass.store.files import refuse_output
from grouppass.store.migrate import SCHEMA_VERSION
from grouppass.store.transaction import Transaction
from grouppass.store.undo import Undone

__all__ = [
    "SCHEMA_VERSION",
    "AuditEntry",
    "Change",
    "Clock",
    "ConflictError",
    "DamagedStoreError",
    "FieldChange",
    "IntegrityError",
    "Kind",
    "LogBehindError",
    "NotFoundError",
    "NothingToUndoError",
    "Ref",
    "Store",
    "StoreError",
    "StoreWarning",
    "Transaction",
    "UndoConflictError",
    "Undone",
    "WarningHook",
    "WarningKind",
    "WouldLoseChangesError",
    "default_actor",
    "refuse_output",
]
