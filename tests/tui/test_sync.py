"""Two terminals on one database: notice the other's changes, never lose an edit."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import attrs
from grouppass_tui.screens.conflict import ConflictScreen
from grouppass_tui.screens.forms import MemberForm
from grouppass_tui.widgets.form import Field
from textual.pilot import Pilot
from tui_support import GROUP, drive, fixed_clock, make_app, press, screen_text, stored, type_into

from grouppass.store import Ref, Store


def other_terminal_edits(db: Path, member_id: str, **changes: Any) -> None:
    """What a second grouppass (or a script) does: its own store, its own save."""
    store = Store.open(db, clock=fixed_clock, actor="colleague")
    member = store.member(GROUP, member_id)
    version = store.version_of(Ref.member(GROUP, member_id))
    store.save_member(GROUP, attrs.evolve(member, **changes), version)


async def wait_for(pilot: Pilot[Any], condition: object, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        if callable(condition) and condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


class TestExternalChanges:
    def test_notices_and_reloads_within_seconds(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            app = pilot.app
            await press(pilot, "enter")
            zainal = app.scenario.group(GROUP).member("zainal")  # type: ignore[attr-defined]
            recorded = attrs.evolve(zainal.application, recorded=dt.date(2018, 3, 15))
            other_terminal_edits(demo_db, "zainal", application=recorded)
            await wait_for(
                pilot,
                lambda: app.scenario.group(GROUP).member("zainal").application == recorded,  # type: ignore[attr-defined]
            )
            await wait_for(
                pilot,
                lambda: (
                    next(
                        m
                        for m in app.figures[GROUP].members  # type: ignore[attr-defined]
                        if m.member_id == "zainal"
                    ).stage.value
                    == "recorded"
                ),
            )
            await pilot.pause(0.1)
            assert "changed elsewhere" in screen_text(app)  # type: ignore[arg-type]

        drive(make_app(demo_db, poll=0.2), body)

    def test_a_save_that_meets_other_changes_reloads_them(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            app = pilot.app
            other_terminal_edits(demo_db, "nashif", phone="0811 222 333")  # no polling here
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Zainal")
            await pilot.press("enter", "e")
            await type_into(pilot, "#input-phone", "0819 1111 2222")
            await press(pilot, "ctrl+s")
            await wait_for(
                pilot,
                lambda: app.scenario.group(GROUP).member("nashif").phone == "0811 222 333",  # type: ignore[attr-defined]
            )
            assert app.scenario.group(GROUP).member("zainal").phone == "0819 1111 2222"  # type: ignore[attr-defined]

        drive(make_app(demo_db), body)


class TestConflict:
    """A save on a record someone else changed: show what changed, reload, keep the edit."""

    def test_reload_and_keep_my_edit(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            app = pilot.app
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Zainal")
            await pilot.press("enter", "e")
            await type_into(pilot, "#input-phone", "0819 1111 2222")
            other_terminal_edits(demo_db, "zainal", nik="5271010101010001")
            await press(pilot, "ctrl+s")
            dialog = app.screen
            assert isinstance(dialog, ConflictScreen)
            text = " ".join(screen_text(app).split())  # type: ignore[arg-type]
            assert "Someone else changed this record" in text
            # Field names in the UI language, not the record's JSON keys.
            # A NIK masked, as everywhere on screen (the whole number was shown).
            assert "NIK – 52******01 –" in text and "5271010101010001" not in text
            assert "Phone +6281915773046 +6281915773046 0819 1111 2222" in text
            # Nothing was written over the colleague's change.
            assert stored(demo_db).group(GROUP).member("zainal").phone == "+6281915773046"
            await press(pilot, "r")
            await wait_for(pilot, lambda: isinstance(app.screen, MemberForm))
            form = app.screen
            assert form.is_dirty  # type: ignore[attr-defined]
            assert form.query_one("#field-phone", Field).value == "0819 1111 2222"
            assert form.query_one("#field-nik", Field).value == "5271010101010001"
            await press(pilot, "ctrl+s")
            zainal = stored(demo_db).group(GROUP).member("zainal")
            assert (zainal.phone, zainal.nik) == ("0819 1111 2222", "5271010101010001")

        drive(make_app(demo_db), body)

    def test_reload_and_drop_my_edit(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            app = pilot.app
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Zainal")
            await pilot.press("enter", "e")
            await type_into(pilot, "#input-phone", "0819 1111 2222")
            other_terminal_edits(demo_db, "zainal", phone="0800")
            await press(pilot, "ctrl+s")
            assert isinstance(app.screen, ConflictScreen)
            await press(pilot, "d")
            await wait_for(
                pilot,
                lambda: app.scenario.group(GROUP).member("zainal").phone == "0800",  # type: ignore[attr-defined]
            )
            assert not isinstance(app.screen, MemberForm)

        drive(make_app(demo_db), body)
