"""Schema versions of the database file and the steps between them.

The file records the schema it was written with (``meta.schema``). Opening a
file with a newer schema than this code knows is refused; an older one is
brought up to date step by step by :data:`MIGRATIONS`, after a backup copy of
the old file (with its log replayed into it) is written beside it as
``<name>.backup-schema<N>.json``.

A migration works on decoded JSON (:class:`~grouppass.store._snapshot.Raw`),
never on model objects: the model in the code is the *new* one, and the
whole point is that the old records do not fit it yet.
"""

from __future__ import annotations

from collections.abc import Callable

from grouppass.store._errors import StoreError
from grouppass.store._snapshot import Raw

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "check_schema", "migrate"]

SCHEMA_VERSION = 2
"""The schema this code reads and writes.

1. The first: rules, systems, offices, disruptions, groups, members.
2. The ``agency`` record, and the optional fields the scenario format gained
   with it (forecasting settings in the rules, a disruption's kind and
   missing estimate, express service, seats, titles and notes). An older
   grouppass would refuse them as unknown, so it is told "newer grouppass".
"""

Migration = Callable[[Raw], None]


def _to_2(raw: Raw) -> None:
    """Nothing to rewrite: every schema-1 record is a valid schema-2 record."""


MIGRATIONS: dict[int, Migration] = {1: _to_2}
"""``MIGRATIONS[n]`` changes a schema-``n`` database in place into schema ``n + 1``."""


def check_schema(schema: int, where: str, current: int | None = None) -> None:
    """Refuse a file written by a newer grouppass."""
    current = SCHEMA_VERSION if current is None else current
    if schema > current:
        raise StoreError(
            f"{where} was written by a newer grouppass (database schema {schema}; this "
            f"version reads up to {current}); upgrade grouppass to open it. "
            "Nothing was changed."
        )


def migrate(raw: Raw, target: int | None = None) -> list[int]:
    """Bring ``raw`` up to ``target`` (default: :data:`SCHEMA_VERSION`); returns the steps run."""
    target = SCHEMA_VERSION if target is None else target
    steps: list[int] = []
    while raw.schema < target:
        step = MIGRATIONS.get(raw.schema)
        if step is None:
            raise StoreError(
                f"no migration from database schema {raw.schema}; "
                "this grouppass cannot open the file"
            )
        step(raw)
        steps.append(raw.schema)
        raw.schema += 1
    return steps
