"""SVG snapshots at 80x24 (narrow layout) and 120x40, on fixed data and a fixed day.

Update after a deliberate change with ``pytest tests/tui --snapshot-update`` and
look at the report. The group view at 120x40 is the README's screenshot:
tests/tui/__snapshots__/test_snapshots/TestGroupView.test_mataram_120x40.svg
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from grouppass_tui.app import GrouppassApp
from textual.pilot import Pilot
from tui_support import AUDIT_TIME, example, make_app, settle, type_into

from grouppass.store import Store

Snap = Callable[..., bool]

NARROW = (80, 24)
WIDE = (120, 40)


def keys(*pressed: str) -> Callable[[Pilot[Any]], object]:
    """A run_before that waits for the figures, presses keys, and waits again."""

    async def run(pilot: Pilot[Any]) -> None:
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
        async def run(pilot: Pilot[Any]) -> None:
            await keys("enter")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#group-filter", "Nashif")
            await pilot.press("enter", "enter")
            await settle(pilot)

        assert snap_compare(make_app(demo_db), terminal_size=WIDE, run_before=run)

    def test_mariam_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await keys("enter")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#group-filter", "Mariam")
            await pilot.press("enter", "enter")
            await settle(pilot)

        assert snap_compare(make_app(demo_db, lang="id"), terminal_size=NARROW, run_before=run)


class TestDialogs:
    """Forms and confirmations fit 80x24 with their buttons on screen."""

    def test_member_form_with_errors_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await keys("enter", "n")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#input-name", "Siti Aminah")
            await type_into(pilot, "#input-nik", "5271")
            await type_into(pilot, "#input-recorded", "31-02-2018")

        assert snap_compare(make_app(demo_db), terminal_size=NARROW, run_before=run)

    def test_switch_confirmation_120x40(self, snap_compare: Snap, switch_db: Path) -> None:
        assert snap_compare(
            make_app(switch_db), terminal_size=WIDE, run_before=keys("enter", "ctrl+a", "p")
        )

    def test_switch_against_the_advice_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await keys("enter")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#group-filter", "Fitriani")
            await pilot.press("enter", "P")
            await settle(pilot)

        assert snap_compare(make_app(demo_db), terminal_size=NARROW, run_before=run)

    def test_help_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(
            make_app(demo_db), terminal_size=NARROW, run_before=keys("enter", "question_mark")
        )

    def test_disruptions_120x40(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(make_app(demo_db), terminal_size=WIDE, run_before=keys("D"))


def new_app(db: Path, lang: str = "en") -> GrouppassApp:
    from grouppass_tui.data import StoreAgency
    from grouppass_tui.demo import DEMO_AS_OF
    from grouppass_tui.settings import Settings
    from tui_support import fixed_clock

    agency = StoreAgency(db, create=True, clock=fixed_clock, actor="organiser")
    return GrouppassApp(agency, as_of=DEMO_AS_OF, lang=lang, poll_seconds=None, settings=Settings())


BAD_MANIFEST = (
    "nama,no_hp,kantor,tgl_bayar\n"
    "Siti Aminah Hasan,0819 1111 2222,MTR,01/03/2018\n"
    "Ahmad Fauzi Rahman,0819 3333 4444,XYZ,02/03/2018\n"
    "Nurul Huda Salim,0819 5555 6666,MTR,31/02/2018\n"
)


class TestFirstRun:
    """An empty database: the welcome, and the forms that start a season."""

    def test_welcome_80x24(self, snap_compare: Snap, tmp_path: Path) -> None:
        assert snap_compare(new_app(Path("new.json")), terminal_size=NARROW)

    def test_welcome_in_indonesian_120x40(self, snap_compare: Snap, tmp_path: Path) -> None:
        app = new_app(Path("new.json"), lang="id")
        assert snap_compare(app, terminal_size=WIDE, run_before=keys())

    def test_office_form_three_points_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(make_app(demo_db), terminal_size=NARROW, run_before=keys("O", "n"))

    def test_group_form_120x40(self, snap_compare: Snap, demo_db: Path) -> None:
        async def run(pilot: Pilot[Any]) -> None:
            await keys("n")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#input-name", "Umrah Syawal")
            await type_into(pilot, "#input-departure", "15/05/2081")  # a typo: warned

        assert snap_compare(make_app(demo_db), terminal_size=WIDE, run_before=run)


class TestImport:
    """The import preview lists every bad row and waits for a clean file."""

    def _run(self, path: Path) -> Callable[[Pilot[Any]], object]:
        async def run(pilot: Pilot[Any]) -> None:
            await keys("i")(pilot)  # type: ignore[misc]
            await type_into(pilot, "#import-path", str(path))
            await pilot.press("enter")
            await pilot.pause(0.3)
            await settle(pilot)

        return run

    def test_bad_rows_80x24(self, snap_compare: Snap, demo_db: Path, tmp_path: Path) -> None:
        path = tmp_path / "m.csv"
        path.write_text(BAD_MANIFEST, encoding="utf-8")
        # A fixed name: the snapshot shows the path.
        fixed = Path("m.csv")
        assert snap_compare(make_app(demo_db), terminal_size=NARROW, run_before=self._run(fixed))

    def test_bad_rows_120x40(self, snap_compare: Snap, demo_db: Path, tmp_path: Path) -> None:
        (tmp_path / "m.csv").write_text(BAD_MANIFEST, encoding="utf-8")
        app = make_app(demo_db)
        assert snap_compare(app, terminal_size=WIDE, run_before=self._run(Path("m.csv")))


class TestNotices:
    """The notices screen: the members, and the message of the one under the cursor."""

    def test_notices_in_indonesian_120x40(self, snap_compare: Snap, demo_db: Path) -> None:
        app = make_app(demo_db, lang="id")
        assert snap_compare(app, terminal_size=WIDE, run_before=keys("enter", "m"))

    def test_notices_80x24(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(make_app(demo_db), terminal_size=NARROW, run_before=keys("enter", "m"))


class TestSmallTerminal:
    """60x20: nothing breaks, help stays on screen."""

    def test_group_60x20(self, snap_compare: Snap, demo_db: Path) -> None:
        assert snap_compare(make_app(demo_db), terminal_size=(60, 20), run_before=keys("enter"))


@pytest.fixture
def history_db(tmp_path: Path) -> Path:
    """The demo and a group that left in February with every outcome on record."""
    from test_track_record import with_history

    db = tmp_path / "history.json"
    Store.create(db, scenario=with_history(), at=AUDIT_TIME, actor="test")
    return db


class TestTrackRecord:
    """The track record: a line on the groups screen, the tables on their own screen."""

    def test_groups_with_the_record_80x24(self, snap_compare: Snap, history_db: Path) -> None:
        assert snap_compare(
            make_app(history_db, lang="id"), terminal_size=NARROW, run_before=keys()
        )

    def test_table_120x40(self, snap_compare: Snap, history_db: Path) -> None:
        assert snap_compare(make_app(history_db), terminal_size=WIDE, run_before=keys("r"))
