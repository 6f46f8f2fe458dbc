"""The agency database: durable, locked, versioned, audited.

>>> import datetime as dt
>>> from grouppass.store import Store, Ref, ConflictError
>>> now = lambda: dt.datetime(2018, 3, 15, tzinfo=dt.UTC)
>>> store = Store.open("agency.json", create=True, clock=now)  # doctest: +SKIP

Start at :class:`Store`; docs/database.md explains the files on disk, how
conflicts and backups work, and why the design is what it is.
"""

from __future__ import annotations

from grouppass.store._errors import (
    ConflictError,
    DamagedStoreError,
    IntegrityError,
    NotFoundError,
    StoreError,
)
from grouppass.store._records import Kind, Ref
from grouppass.store.audit import AuditEntry, Change, FieldChange
from grouppass.store.database import Clock, Store, default_actor
from grouppass.store.migrate import SCHEMA_VERSION
from grouppass.store.transaction import Transaction

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
    "NotFoundError",
    "Ref",
    "Store",
    "StoreError",
    "Transaction",
    "default_actor",
]
