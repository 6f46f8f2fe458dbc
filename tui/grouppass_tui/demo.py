"""``grouppass demo``: a fresh database from the bundled Mataram 2018 story.

March 2018: the national passport system is down for maintenance at Kanim
Mataram, and Muhammad Nashif's group must have passports before the visa
lead time runs out ahead of Ramadan. The demo opens on 15 March 2018, the
day the head of office said recovery was "maybe next week, not certain".
"""

from __future__ import annotations

import datetime as dt
from importlib.resources import as_file, files
from pathlib import Path

from grouppass.formats import load_scenario
from grouppass.store import Store

__all__ = ["DEMO_AS_OF", "make_demo_db"]

DEMO_AS_OF = dt.date(2018, 3, 15)
"""The day the demo's figures are for: inside the story, not today."""

# The story's own time for the audit trail's first entry, so the demo is the same every run.
_CREATED_AT = dt.datetime(2018, 3, 15, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def make_demo_db(tmpdir: Path) -> Path:
    """Create ``tmpdir/demo.grouppass.json`` from the bundled example; return its path."""
    example = files("grouppass") / "data" / "mataram-2018.json"
    with as_file(example) as path:
        scenario = load_scenario(path)
    db = Path(tmpdir) / "demo.grouppass.json"
    Store.create(db, scenario=scenario, at=_CREATED_AT, actor="grouppass demo")
    return db
