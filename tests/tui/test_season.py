"""A season from nothing: first run, groups, manifest import from the TUI, undo, tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from grouppass_tui.app import GrouppassApp
from grouppass_tui.data import StoreAgency
from grouppass_tui.demo import DEMO_AS_OF
from grouppass_tui.screens.dialogs import ConfirmScreen
from grouppass_tui.screens.group import GroupScreen
from grouppass_tui.screens.group_form import AgencyForm, GroupForm
from grouppass_tui.screens.groups import GroupsScreen
from grouppass_tui.screens.importer import ImportScreen
from grouppass_tui.screens.offices import OfficeForm
from grouppass_tui.screens.restore import RestoreScreen
from grouppass_tui.screens.welcome import WelcomeScreen
from grouppass_tui.settings import Settings
from grouppass_tui.widgets.form import Field
from grouppass_tui.widgets.members_table import MembersTable
from textual.pilot import Pilot
from textual.widgets import Button, Static
from tui_support import (
    GROUP,
    drive,
    fixed_clock,
    make_app,
    press,
    screen_text,
    settle,
    stored,
    type_into,
)

from grouppass.assess import deadline_of
from grouppass.model import Agency
from grouppass.results import Risk
from grouppass.store import Store

CLEAN = (
    "nama,no_hp,kantor,tgl_janji,tgl_rekam,tgl_bayar\n"
    "Siti Aminah Hasan,0819 1111 2222,MTR,26/02/2018,27/02/2018,01/03/2018\n"
    "Ahmad Fauzi Rahman,0819 3333 4444,MTR,,,\n"
)
BAD = (
    "nama,no_hp,kantor,tgl_bayar\n"
    "Siti Aminah Hasan,0819 1111 2222,MTR,01/03/2018\n"
    "Ahmad Fauzi Rahman,0819 3333 4444,XYZ,02/03/2018\n"
    "Nurul Huda Salim,0819 5555 6666,MTR,31/02/2018\n"
)


def new_app(db: Path) -> GrouppassApp:
    agency = StoreAgency(db, create=True, clock=fixed_clock, actor="organiser")
    return GrouppassApp(agency, as_of=DEMO_AS_OF, lang="en", poll_seconds=None, settings=Settings())


async def wait_screen(pilot: Pilot[Any], kind: type) -> None:
    for _ in range(200):
        if isinstance(pilot.app.screen, kind):
            return
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} never opened; on screen: {pilot.app.screen!r}")


def body_text(pilot: Pilot[Any]) -> str:
    return " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]


class TestFirstRun:
    """An empty database, through the welcome's steps, to a group with its figures."""

    def test_empty_database_to_a_checked_group(self, tmp_path: Path) -> None:
        db = tmp_path / "season" / "agency.json"
        manifest = tmp_path / "rombongan.csv"
        manifest.write_text(CLEAN, encoding="utf-8")

        async def body(pilot: Pilot[Any]) -> None:
            assert isinstance(pilot.app.screen, WelcomeScreen)
            await press(pilot, "enter")
            await wait_screen(pilot, AgencyForm)
            await type_into(pilot, "#input-name", "PT Amanah Lombok Wisata")
            await type_into(pilot, "#input-contact", "Hj. Siti Aminah")
            await type_into(pilot, "#input-phone", "0370 63")
            assert "Not a phone number" in body_text(pilot)
            await type_into(pilot, "#input-phone", "0370 634512")
            await press(pilot, "ctrl+s")
            await wait_screen(pilot, OfficeForm)
            form = pilot.app.screen
            assert form.focused is not None and form.focused.id == "input-code"  # first field
            assert form.query_one("#field-code", Field).error == "Required"
            assert "Required" not in body_text(pilot)  # not said before the field is touched
            await type_into(pilot, "#input-code", "MTR")
            await type_into(pilot, "#input-name", "Kantor Imigrasi Kelas I TPI Mataram")
            await press(pilot, "ctrl+s")
            await wait_screen(pilot, GroupForm)
            await type_into(pilot, "#input-name", "Umrah Ramadan 1439")
            await type_into(pilot, "#input-departure", "15/05/2018")
            assert "= Tuesday, 15 May 2018" in body_text(pilot)
            await press(pilot, "ctrl+s")
            await wait_screen(pilot, ImportScreen)
            await type_into(pilot, "#import-path", str(manifest))
            await press(pilot, "enter")
            await pilot.pause(0.2)
            await settle(pilot)
            assert "2 rows: 2 new, 0 updated, 0 unchanged. Ready" in body_text(pilot)
            await press(pilot, "ctrl+s")
            await wait_screen(pilot, GroupsScreen)
            await settle(pilot)

            scenario = stored(db)
            assert scenario.agency == Agency(
                "PT Amanah Lombok Wisata", "Hj. Siti Aminah", "0370 634512"
            )
            (office,) = scenario.offices
            assert office.code == "MTR" and office.timezone == "Asia/Makassar"
            (group,) = scenario.groups
            assert group.name == "Umrah Ramadan 1439" and group.office == "MTR"
            assert group.departure == dt.datetime(2018, 5, 15, 9, tzinfo=ZoneInfo("Asia/Makassar"))
            assert deadline_of(group) == dt.date(2018, 4, 24)  # 21 days of visa lead
            assert [m.name for m in group.members] == ["Siti Aminah Hasan", "Ahmad Fauzi Rahman"]
            figures = pilot.app.figures[group.id]  # type: ignore[attr-defined]
            assert {m.name for m in figures.members} == {"Siti Aminah Hasan", "Ahmad Fauzi Rahman"}
            await press(pilot, "enter")
            assert isinstance(pilot.app.screen, GroupScreen)
            text = body_text(pilot)
            # No dates yet: "not started", never just "on track".
            assert "Ahmad Fauzi Rahman MTR not started" in text
            await press(pilot, "m")  # the agency signs the notices
            message = pilot.app.screen.rows[0].message  # type: ignore[attr-defined]
            assert message.endswith("Kind regards,\nHj. Siti Aminah\nPT Amanah Lombok Wisata")
            assert "please contact us on 0370 634512." in message

        drive(new_app(db), body)


class TestImport:
    """i: every bad row in the preview; nothing imported until the file is clean."""

    def test_bad_rows_then_fixed(self, demo_db: Path, tmp_path: Path) -> None:
        manifest = tmp_path / "tambahan.csv"
        manifest.write_text(BAD, encoding="utf-8")

        async def body(pilot: Pilot[Any]) -> None:
            before = Store.open(demo_db).revision
            await press(pilot, "i")
            assert isinstance(pilot.app.screen, ImportScreen)
            await type_into(pilot, "#import-path", str(manifest))
            await press(pilot, "enter")
            await pilot.pause(0.2)
            await settle(pilot)
            preview = str(pilot.app.screen.query_one("#import-body", Static).render())
            assert preview == (
                "3 rows: 1 new, 0 updated, 0 unchanged. Nothing can be imported until these "
                "are fixed in the file:\n"
                f"{manifest}:3: kantor: unknown office 'XYZ' (the database has: MTR, LTM)\n"
                f"{manifest}:4: tgl_bayar: not a date: '31/02/2018' "
                "(write 27/02/2018, 27 Februari 2018 or 2018-02-27)"
            )
            assert pilot.app.screen.query_one("#import", Button).disabled
            await press(pilot, "ctrl+s")  # refused: all or nothing
            assert isinstance(pilot.app.screen, ImportScreen)
            assert Store.open(demo_db).revision == before
            manifest.write_text(BAD.replace("XYZ", "LTM").replace("31/02", "28/02"), "utf-8")
            await press(pilot, "enter")  # read it again
            await pilot.pause(0.2)
            await settle(pilot)
            assert not pilot.app.screen.query_one("#import", Button).disabled
            await press(pilot, "ctrl+s")
            await wait_screen(pilot, GroupsScreen)
            await settle(pilot)
            group = stored(demo_db).group(GROUP)
            assert len(group.members) == 15 + 3
            assert group.member("J001").name == "Siti Aminah Hasan"

        drive(make_app(demo_db), body)


class TestGroups:
    """Groups added, edited and removed in the TUI; ctrl+z brings one back."""

    def test_edit_the_departure(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter", "g")
            assert isinstance(pilot.app.screen, GroupForm)
            await type_into(pilot, "#input-departure", "22/05/2018")
            await type_into(pilot, "#input-visa_lead", "14")
            await press(pilot, "ctrl+s")
            group = stored(demo_db).group(GROUP)
            assert group.departure == dt.datetime(2018, 5, 22, 9, tzinfo=ZoneInfo("Asia/Makassar"))
            assert deadline_of(group) == dt.date(2018, 5, 8)
            assert len(group.members) == 15  # a group's fields, its members untouched
            assert "Passports in hand by Tuesday, 8 May 2018" in body_text(pilot)
            assert pilot.app.figures[GROUP].deadline == dt.date(2018, 5, 8)  # type: ignore[attr-defined]

        drive(make_app(demo_db), body)

    def test_far_departure_warns_impossible_refused(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter", "g")
            field = pilot.app.screen.query_one("#field-departure", Field)
            await type_into(pilot, "#input-departure", "15/05/2081")
            assert field.error is None
            assert field.warning == (
                "more than two years after Thursday, 15 March 2018: check the year; "
                "the forecast does not reach that far"
            )
            await type_into(pilot, "#input-departure", "30/02/2018")
            assert field.error == "No such day: '30/02/2018'"
            assert pilot.app.screen.query_one("#form-save", Button).disabled

        drive(make_app(demo_db), body)

    def test_add_remove_and_undo(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "n")
            assert isinstance(pilot.app.screen, GroupForm)
            await type_into(pilot, "#input-name", "Umrah Syawal")
            await type_into(pilot, "#input-departure", "2018-07-01")
            await press(pilot, "ctrl+s")
            assert "umrah-syawal" in {g.id for g in stored(demo_db).groups}
            assert "2 groups · 15 travellers" in body_text(pilot)
            await press(pilot, "ctrl+z")  # undo the add
            await settle(pilot)
            assert [g.id for g in stored(demo_db).groups] == [GROUP]
            assert "1 group · 15 travellers" in body_text(pilot)  # one group, not "1 groups"
            await press(pilot, "x")
            assert isinstance(pilot.app.screen, ConfirmScreen)
            await press(pilot, "y")
            assert stored(demo_db).groups == ()
            await press(pilot, "ctrl+z")  # the group comes back with its 15 members
            await settle(pilot)
            assert len(stored(demo_db).group(GROUP).members) == 15
            entry = Store.open(demo_db).audit(1)[0]
            assert entry.action.startswith("undo #") and "remove group" in entry.action

        drive(make_app(demo_db), body)


class TestUndoAndBringBack:
    def test_removed_member_back_by_undo_or_from_the_list(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Zainal")
            await pilot.press("enter")
            await press(pilot, "x", "y")
            assert "zainal" not in {m.id for m in stored(demo_db).group(GROUP).members}
            await press(pilot, "ctrl+z")
            await settle(pilot)
            zainal = stored(demo_db).group(GROUP).member("zainal")
            assert zainal.application is not None  # as he was, dates and all
            await press(pilot, "x", "y")
            await press(pilot, "u")
            assert isinstance(pilot.app.screen, RestoreScreen)
            await pilot.pause(0.2)
            await settle(pilot)
            assert "Zainal Abidin" in body_text(pilot)
            await press(pilot, "enter")
            assert stored(demo_db).group(GROUP).member("zainal") == zainal
            assert Store.open(demo_db).audit(1)[0].action == "tui: restore member"

        drive(make_app(demo_db), body)

    def test_nothing_to_undo_is_said(self, tmp_path: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "escape")  # the welcome: later
            await press(pilot, "ctrl+z")
            assert "Nothing to undo" in body_text(pilot)

        drive(new_app(tmp_path / "empty.json"), body)


class TestTables:
    """Home/End go to the first/last row; Space marks and moves down (docs/tui.md)."""

    def test_home_end_space(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            table = pilot.app.screen.query_one(MembersTable)
            await press(pilot, "end")
            assert table.cursor_row == 14
            await press(pilot, "home")
            assert table.cursor_row == 0
            first = table.current_key
            await press(pilot, "space")
            assert table.selected == {first} and table.cursor_row == 1

        drive(make_app(demo_db), body)


class TestFlags:
    def test_problems_are_marked_beside_the_risk(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            figures = pilot.app.figures[GROUP]  # type: ignore[attr-defined]
            mariam = next(m for m in figures.members if m.member_id == "mariam")
            assert mariam.risk != Risk.READY
            await type_into(pilot, "#group-filter", "Mariam")
            text = body_text(pilot)
            assert "Mariam Abdul Gani" in text and "passport expires" in text
            await type_into(pilot, "#group-filter", "Rizki")  # no passport, no application
            assert "not applied" in body_text(pilot)

        drive(make_app(demo_db), body)
