"""Agency-wide records: disruptions and offices; the figures follow every change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from grouppass_tui.screens.disruptions import DisruptionForm, DisruptionsScreen
from grouppass_tui.screens.offices import OfficeForm, OfficesScreen
from grouppass_tui.widgets.form import Field
from textual.pilot import Pilot
from textual.widgets import SelectionList
from tui_support import GROUP, drive, make_app, press, screen_text, stored, type_into

from grouppass.model import Stops
from grouppass.results import Risk


class TestDisruptions:
    """Record a disruption, see the risk change; edit one; replay hides later reports."""

    def test_record_a_long_outage_and_the_group_turns_late(self, demo_db: Path) -> None:
        # 10 March: nobody has reported Mataram's outage yet, and the group is on track.
        async def body(pilot: Pilot[Any]) -> None:
            app = pilot.app
            assert app.figures[GROUP].risk == Risk.ON_TRACK  # type: ignore[attr-defined]
            await press(pilot, "enter")  # from the open group: its figures come first
            await pilot.press("D")
            assert isinstance(app.screen, DisruptionsScreen)
            await pilot.press("n")
            assert isinstance(app.screen, DisruptionForm)
            form = app.screen
            assert form.query_one("#field-targets", Field).error == "Choose at least one"
            targets = form.query_one(SelectionList)
            targets.focus()
            await pilot.press("down", "down", "space")  # offices MTR, LTM, then system SIMKIM
            await pilot.pause()
            assert form.query_one("#field-targets", Field).value == ("system:SIMKIM",)
            await type_into(pilot, "#input-capacity", "0")
            await type_into(pilot, "#input-low", "2018-04-10")
            await type_into(pilot, "#input-mode", "2018-03-30")
            assert "cannot be before the earliest" in screen_text(app)  # type: ignore[arg-type]
            await type_into(pilot, "#input-mode", "2018-05-02")
            await type_into(pilot, "#input-note", "Server down again, announced 08:00 WITA")
            await press(pilot, "ctrl+s")
            assert isinstance(app.screen, DisruptionsScreen)
            saved = [d for d in stored(demo_db).disruptions if d.id.startswith("simkim-2018-03-10")]
            assert len(saved) == 1
            assert saved[0].recovery is not None
            assert saved[0].recovery.high is None  # left empty: unknown
            assert saved[0].stops == Stops.ISSUANCE
            assert saved[0].reported == dt.date(2018, 3, 10)
            # The national system stops printing everywhere until May at the earliest
            # guess (10 April), past the deadline of 24 April: late, whichever office.
            assert app.figures[GROUP].risk == Risk.LATE  # type: ignore[attr-defined]
            await pilot.press("escape")
            assert "late" in screen_text(app)  # type: ignore[arg-type]

        drive(make_app(demo_db, as_of=dt.date(2018, 3, 10)), body)

    def test_edit_the_reported_outage(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await pilot.press("D")
            await pilot.press("e")
            form = pilot.app.screen
            assert isinstance(form, DisruptionForm)
            assert form.query_one("#field-mode", Field).value == dt.date(2018, 3, 23)
            await type_into(pilot, "#input-ended", "2018-03-01")
            assert "cannot end before it started" in screen_text(pilot.app)  # type: ignore[arg-type]
            await type_into(pilot, "#input-ended", "2018-03-20")
            await press(pilot, "ctrl+s")
            (d,) = stored(demo_db).disruptions
            assert d.ended == dt.date(2018, 3, 20)

        drive(make_app(demo_db), body)

    def test_reports_after_the_day_are_marked_unknown(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await pilot.press("D")
            text = screen_text(pilot.app)  # type: ignore[arg-type]
            assert "mataram-printing-2018-03 *" in text  # reported 15 March, day is 10 March

        drive(make_app(demo_db, as_of=dt.date(2018, 3, 10)), body)


class TestOffices:
    def test_edit_capacity_and_alternatives(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await pilot.press("O")
            assert isinstance(pilot.app.screen, OfficesScreen)
            await pilot.press("e")
            form = pilot.app.screen
            assert isinstance(form, OfficeForm)
            await type_into(pilot, "#input-capacity", "0")
            assert form.query_one("#field-capacity", Field).error == "At least 1"
            await type_into(pilot, "#input-capacity", "120")
            await type_into(pilot, "#input-alternatives", "XYZ:1")
            assert "Unknown office 'XYZ'" in screen_text(pilot.app)  # type: ignore[arg-type]
            await type_into(pilot, "#input-alternatives", "LTM:2")
            await type_into(pilot, "#input-timezone", "Asia/Mataram")
            assert "Unknown time zone" in screen_text(pilot.app)  # type: ignore[arg-type]
            await type_into(pilot, "#input-timezone", "Asia/Makassar")
            await type_into(pilot, "#input-issue_mode", "9")
            assert "Least ≤ likely ≤ most" in screen_text(pilot.app)  # type: ignore[arg-type]
            await type_into(pilot, "#input-issue_mode", "4")
            await press(pilot, "ctrl+s")
            office = stored(demo_db).office("MTR")
            assert office.daily_capacity == 120
            assert office.alternatives[0].travel_days == 2
            assert office.issue_days.mode == 4

        drive(make_app(demo_db), body)
