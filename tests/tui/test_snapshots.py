"""SVG snapshots at 80x24 (narrow layout) and 120x40, on fixed data and a fixed day.

Update after a deliberate change with ``pytest tests/tui --snapshot-update`` and
look at the report. The group view at 120x40 is the README's screenshot:
tests/tui/__snapshots__/test_snapshots/TestGroupView.test_mataram_120x40.svg
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from textual.pilot import Pilot
from tui_support import AUDIT_TIME, example, make_app, settle, type_into

from grouppass.store import Store

Snap = Callable[..., bool]

NARROW = (80, 24)
WIDE = (120, 40)


def keys(*pressed: str) -> Callable[[Pilot[object]], object]:
    """A run_before that waits for the figures, presses keys, and waits again."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.fixture
def switch_db(tmp_path: Path) -> Path:
    """The story with an outage at Kanim Mataram only, so the advice is to switch."""
    import datetime as dt

    from grouppass.model import Disruption, Recovery

    outage = Disruption(
        id="mtr-only",
        start=dt.date(2018, 3, 5),
        recovery=Recovery(dt.date(2018, 4, 10), dt.date(2018, 4, 20), None),
        offices=("MTR",),
        reported=dt.date(2018, 3, 15),
        note="Printer at Kanim Mataram broken; ULP Lombok Timur still printing.",
    )
    db = tmp_path / "switch.json"
    scenario = attrs.evolve(example(), disruptions=(outage,))
    Store.create(db, scenario=scenario, at=AUDIT_TIME, actor="test")
    return db


class TestGroupsList:
    """The first screen: groups by urgency, with their counts per risk."""

    def test_agency_120x40(self, snap_compare: Snap, agency_db: Path) -> None:
        assert snap_compare(make_app(agency_db), terminal_size=WIDE, run_before=keys())

    def test_agency_80x24(self, snap_compare: Snap, agency_db: Path) -> None:
        assert snap_compare(make_app(agency_db), terminal_size=NARROW, run_before=keys())


class TestGroupView:
    """One group: members, figures, risk as word + glyph + colour, the advice."""

    def test_mataram_120x40(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(make_app(demo_db), terminal_size=WIDE, run_before=keys("enter"))

    def test_mataram_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(make_app(demo_db), terminal_size=NARROW, run_before=keys("enter"))

    def test_mataram_in_indonesian_120x40(self, snap_compare: Snap, demo_db: Path) -> None:
        app = make_app(demo_db, lang="id")
        assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter"))

    def test_switch_advised_120x40(self, snap_compare: Snap, switch_db: Path) -> None:
        assert snap_compare(make_app(switch_db), terminal_size=WIDE, run_before=keys("enter"))


class TestMemberView:
    """One member: timeline, the in-hand chart against the deadline, problems."""

    def test_nashif_120x40(self, snap_compare: Snap, demo_db: Path) -> None:
        async def run(pilot: Pilot[object]) -> None:
            await keys("enter")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#group-filter", "Nashif")
            await pilot.press("enter", "enter")
            await settle(pilot)

        assert snap_compare(make_app(demo_db), terminal_size=WIDE, run_before=run)

    def test_mariam_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        async def run(pilot: Pilot[object]) -> None:
            await keys("enter")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#group-filter", "Mariam")
            await pilot.press("enter", "enter")
            await settle(pilot)

        assert snap_compare(make_app(demo_db, lang="id"), terminal_size=NARROW, run_before=run)


class TestDialogs:
    """Forms and confirmations fit 80x24 with their buttons on screen."""

    def test_member_form_with_errors_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        async def run(pilot: Pilot[object]) -> None:
            await keys("enter", "n")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#input-name", "Siti Aminah")
            await type_into(pilot, "#input-nik", "5271")
            await type_into(pilot, "#input-recorded", "31-02-2018")

        assert snap_compare(make_app(demo_db), terminal_size=NARROW, run_before=run)

    def test_switch_confirmation_120x40(self, snap_compare: Snap, switch_db: Path) -> None:
        assert snap_compare(
            make_app(switch_db), terminal_size=WIDE, run_before=keys("enter", "ctrl+a", "p")
        )

    def test_help_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(
            make_app(demo_db), terminal_size=NARROW, run_before=keys("enter", "question_mark")
        )

    def test_disruptions_120x40(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(make_app(demo_db), terminal_size=WIDE, run_before=keys("D"))
