"""Editing members: add, edit, remove, record a stage, contact — validated as you type."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from grouppass_tui.changes import Change
from grouppass_tui.data import StoreAgency, Written
from grouppass_tui.demo import DEMO_AS_OF
from grouppass_tui.screens.dialogs import ConfirmScreen
from grouppass_tui.screens.forms import ContactForm, MemberForm, StageForm
from grouppass_tui.screens.group import GroupScreen
from grouppass_tui.widgets.form import Field
from grouppass_tui.widgets.members_table import MembersTable
from textual.pilot import Pilot
from textual.widgets import Button
from tui_support import (
    GROUP,
    drive,
    make_app,
    press,
    screen_text,
    settle,
    stored,
    type_into,
)

from grouppass.model import Stage
from grouppass.store import Store


async def open_member(pilot: Pilot[Any], name: str) -> None:
    """Open the demo group and put the cursor on ``name``."""
    if not isinstance(pilot.app.screen, GroupScreen):
        await press(pilot, "enter")
    await type_into(pilot, "#group-filter", name)
    await pilot.press("enter")


def field(pilot: Pilot[Any], field_id: str) -> Field[object]:
    return pilot.app.screen.query_one(f"#field-{field_id}", Field)


def save_button(pilot: Pilot[Any]) -> Button:
    return pilot.app.screen.query_one("#form-save", Button)


class TestAddMember:
    """A new member, with bad input first: each field says what is wrong, Save waits."""

    def test_bad_then_good_input(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter", "n")
            assert isinstance(pilot.app.screen, MemberForm)
            assert field(pilot, "name").error == "Required"
            assert save_button(pilot).disabled

            await type_into(pilot, "#input-name", "Siti Aminah binti Lalu Hasan")
            await type_into(pilot, "#input-phone", "08l9-123")
            assert field(pilot, "phone").error == "Digits, spaces, + and - only"
            await type_into(pilot, "#input-nik", "5271")
            assert field(pilot, "nik").error == "A NIK has 16 digits"
            await type_into(pilot, "#input-recorded", "31-02-2018")
            assert field(pilot, "recorded").error == "No such day: '31-02-2018'"
            assert save_button(pilot).disabled
            await pilot.press("ctrl+s")  # refused: still the form
            assert isinstance(pilot.app.screen, MemberForm)

            await type_into(pilot, "#input-phone", "0819 1234 5678")
            await type_into(pilot, "#input-nik", "5271015509720009")
            await type_into(pilot, "#input-recorded", "14/03/2018")
            assert "Wednesday, 14 March 2018" in screen_text(pilot.app)  # type: ignore[arg-type]
            # A stage out of order is caught across fields, in words.
            await type_into(pilot, "#input-issued", "13/03/2018")
            assert "Printed needs both recorded and paid" in screen_text(pilot.app)  # type: ignore[arg-type]
            assert save_button(pilot).disabled
            await type_into(pilot, "#input-issued", "")
            assert not save_button(pilot).disabled
            await press(pilot, "ctrl+s")

            assert isinstance(pilot.app.screen, GroupScreen)
            group = stored(demo_db).group(GROUP)
            added = group.member("siti-aminah-binti-lalu-hasan")
            assert added.phone == "0819 1234 5678"
            assert added.application is not None
            assert added.application.office == "MTR"
            assert added.application.recorded == dt.date(2018, 3, 14)
            table = pilot.app.screen.query_one(MembersTable)
            assert "siti-aminah-binti-lalu-hasan" in table.shown
            assert pilot.app.figures[GROUP].members
            assert any(m.member_id == added.id for m in pilot.app.figures[GROUP].members)

        drive(make_app(demo_db), body)

    def test_passport_number_form_warns_but_saves(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter", "n")
            await type_into(pilot, "#input-name", "Ahmad Zaki Mubarak")
            await type_into(pilot, "#input-passport_number", "X12")
            assert field(pilot, "passport_number").warning is not None
            assert field(pilot, "passport_number").error is None
            assert "needs its number, name and expiry" in screen_text(pilot.app)  # type: ignore[arg-type]
            await type_into(pilot, "#input-passport_name", "AHMAD ZAKI MUBARAK")
            await type_into(pilot, "#input-passport_expires", "1 Januari 2025")
            assert not save_button(pilot).disabled

        drive(make_app(demo_db), body)


class TestEditAndRemove:
    def test_edit_phone_is_saved_and_audited(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Zainal")
            await pilot.press("e")
            assert isinstance(pilot.app.screen, MemberForm)
            await type_into(pilot, "#input-phone", "+62 819 0000 1111")
            await press(pilot, "ctrl+s")
            assert stored(demo_db).group(GROUP).member("zainal").phone == "+62 819 0000 1111"
            entry = Store.open(demo_db).audit(1)[0]
            assert entry.action == "tui: edit member"
            assert entry.actor == "organiser"

        drive(make_app(demo_db), body)

    def test_remove_asks_first(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Zainal")
            await pilot.press("x")
            assert isinstance(pilot.app.screen, ConfirmScreen)
            await pilot.press("n")
            assert "zainal" in [m.id for m in stored(demo_db).group(GROUP).members]
            await pilot.press("x", "y")
            await press(pilot)
            assert "zainal" not in [m.id for m in stored(demo_db).group(GROUP).members]
            assert "zainal" not in pilot.app.screen.query_one(MembersTable).shown

        drive(make_app(demo_db), body)

    def test_escape_on_a_changed_form_asks(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Zainal")
            await pilot.press("e")
            await type_into(pilot, "#input-phone", "0819")
            await pilot.press("escape")
            assert isinstance(pilot.app.screen, ConfirmScreen)
            await pilot.press("n")  # keep editing
            assert isinstance(pilot.app.screen, MemberForm)
            await pilot.press("escape", "y")
            assert isinstance(pilot.app.screen, GroupScreen)
            assert stored(demo_db).group(GROUP).member("zainal").phone == "+6281915773046"

        drive(make_app(demo_db), body)


class TestRecordStage:
    """s: a stage with its date (default: the as-of day); the figures follow."""

    def test_record_recorded_defaults_to_as_of(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Zainal")  # booked on 14 March
            before = pilot.app.figures[GROUP]  # type: ignore[attr-defined]
            await pilot.press("s")
            form = pilot.app.screen
            assert isinstance(form, StageForm)
            assert field(pilot, "stage").value == "recorded"
            assert field(pilot, "date").value == dt.date(2018, 3, 15)
            await press(pilot, "ctrl+s")
            app = stored(demo_db).group(GROUP).member("zainal").application
            assert app is not None and app.recorded == dt.date(2018, 3, 15)
            after = pilot.app.figures[GROUP]  # type: ignore[attr-defined]
            assert after is not before
            zainal = next(m for m in after.members if m.member_id == "zainal")
            assert zainal.stage == Stage.RECORDED
            assert "recorded" in screen_text(pilot.app)  # type: ignore[arg-type]

        drive(make_app(demo_db), body)

    def test_the_form_stays_until_the_save_and_its_figures_have_landed(self, demo_db: Path) -> None:
        """The screen below repaints once, with the new figures (issue 11's 100 ms);
        while the save is on its way the form takes no second save."""
        gate = threading.Event()
        writes: list[int] = []

        class SlowDisk(StoreAgency):
            def apply(self, changes: Sequence[Change], seen: int) -> Written:
                writes.append(len(changes))
                assert gate.wait(10), "the test never opened the gate"
                return super().apply(changes, seen)

        app = make_app(demo_db, store=SlowDisk)

        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Zainal")
            before = app.figures[GROUP]
            await pilot.press("s")
            form = app.screen
            assert isinstance(form, StageForm)
            await pilot.press("ctrl+s")
            await pilot.pause(0.2)
            # On its way: the form is still up, the figures are the old ones.
            assert app.screen is form and app.saving and app.figures[GROUP] is before
            await pilot.press("ctrl+s")  # taken once only
            await pilot.pause(0.05)
            assert writes == [1]
            gate.set()
            await settle(pilot)
            assert isinstance(app.screen, GroupScreen) and writes == [1]
            assert app.figures[GROUP] is not before
            zainal = stored(demo_db).group(GROUP).member("zainal").application
            assert zainal is not None and zainal.recorded == DEMO_AS_OF

        drive(app, body)

    def test_stage_out_of_order_is_refused_and_in_the_future_warned(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Zainal")
            await pilot.press("s")
            await type_into(pilot, "#input-date", "2018-03-20")
            # After the figures' day: saved, with a warning that says why it will not count.
            warning = field(pilot, "date").warning
            assert warning == (
                "after Thursday, 15 March 2018, the day the figures are for: "
                "it will not count until then"
            )
            assert field(pilot, "date").error is None
            assert not save_button(pilot).disabled
            await type_into(pilot, "#input-date", "2018-02-31")
            assert field(pilot, "date").error == "No such day: '2018-02-31'"
            assert save_button(pilot).disabled
            await type_into(pilot, "#input-date", "2018-03-10")
            assert "Recorded cannot be before booked" in screen_text(pilot.app)  # type: ignore[arg-type]
            assert save_button(pilot).disabled

        drive(make_app(demo_db), body)


class TestContact:
    """Contact marking; overdue follow-ups stand out."""

    def test_contact_and_overdue_follow_up(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Nashif")
            await pilot.press("c")
            assert isinstance(pilot.app.screen, ContactForm)
            assert field(pilot, "contacted").value == dt.date(2018, 3, 15)
            await type_into(pilot, "#input-follow_up", "2018-03-10")
            assert "cannot be before the contact" in screen_text(pilot.app)  # type: ignore[arg-type]
            await type_into(pilot, "#input-follow_up", "2018-03-19")
            await press(pilot, "ctrl+s")
            nashif = stored(demo_db).group(GROUP).member("nashif")
            assert nashif.contacted == dt.date(2018, 3, 15)
            assert nashif.follow_up == dt.date(2018, 3, 19)
            assert "⚑" not in screen_text(pilot.app)  # type: ignore[arg-type]
            await press(pilot, "t")
            await type_into(pilot, "#input-as_of", "2018-03-22")
            await press(pilot, "ctrl+s")
            text = screen_text(pilot.app)  # type: ignore[arg-type]
            assert "⚑ 1 follow-up overdue" in text  # one, not "1 follow-ups"
            assert "⚑ 19 Mar" in text

        drive(make_app(demo_db), body)


class TestQuit:
    """Quit never loses an unsaved change."""

    def test_quit_with_an_open_changed_form_asks(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Zainal")
            await pilot.press("e")
            await type_into(pilot, "#input-phone", "0819")
            await pilot.press("ctrl+q")
            assert isinstance(pilot.app.screen, ConfirmScreen)
            await pilot.press("n")
            assert isinstance(pilot.app.screen, MemberForm)
            assert pilot.app.is_running

        drive(make_app(demo_db), body)

    def test_quit_without_changes_exits(self, demo_db: Path) -> None:
        app = make_app(demo_db)

        async def body(pilot: Pilot[Any]) -> None:
            await pilot.press("q")
            await pilot.pause()

        drive(app, body)
        assert app.return_code == 0


class TestHiddenScreens:
    def test_the_groups_list_under_an_open_group_redraws_when_it_comes_back(
        self, demo_db: Path, monkeypatch: Any
    ) -> None:
        # Textual counts the screen right under the top one as visible (is_current),
        # opaque or not; the groups list must not redraw its rows on every save made
        # in a group, and must show the saved figures once it is back on top.
        from grouppass_tui.screens.groups import GroupsScreen

        drawn: list[int] = []
        real = GroupsScreen.redraw

        def counted(self: GroupsScreen) -> None:
            drawn.append(self.gp.data_rev)
            real(self)

        monkeypatch.setattr(GroupsScreen, "redraw", counted)

        async def body(pilot: Pilot[Any]) -> None:
            await open_member(pilot, "Zainal")
            assert isinstance(pilot.app.screen, GroupScreen)
            drawn.clear()
            await pilot.press("e")
            await type_into(pilot, "#input-phone", "+62 819 0000 1111")
            await press(pilot, "ctrl+s")
            assert stored(demo_db).group(GROUP).member("zainal").phone == "+62 819 0000 1111"
            assert drawn == []  # hidden under the group: not redrawn
            saved_rev = pilot.app.data_rev  # type: ignore[attr-defined]
            for _ in range(3):  # the filter first, then the group: back to the groups list
                if isinstance(pilot.app.screen, GroupsScreen):
                    break
                await press(pilot, "escape")
            assert isinstance(pilot.app.screen, GroupsScreen)
            assert drawn and drawn[-1] == saved_rev

        drive(make_app(demo_db), body)
