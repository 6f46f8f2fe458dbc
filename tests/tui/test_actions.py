"""Acting on the figures: switch office, time travel, language, notices."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from grouppass_tui.screens.dialogs import AsOfScreen
from grouppass_tui.screens.switch import SwitchScreen
from grouppass_tui.settings import load_settings
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.members_table import MembersTable
from textual.pilot import Pilot
from tui_support import (
    AUDIT_TIME,
    GROUP,
    drive,
    example,
    make_app,
    press,
    screen_text,
    stored,
    type_into,
)

from grouppass.model import Application, Disruption, Recovery
from grouppass.results import Action
from grouppass.store import Store


@pytest.fixture
def switch_db(tmp_path: Path) -> Path:
    """The story with the outage at Kanim Mataram only: ULP Lombok Timur still prints."""
    outage = Disruption(
        id="mtr-only",
        start=dt.date(2018, 3, 5),
        recovery=Recovery(dt.date(2018, 4, 10), dt.date(2018, 4, 20), None),
        offices=("MTR",),
        reported=dt.date(2018, 3, 15),
    )
    scenario = attrs.evolve(example(), disruptions=(outage,))
    db = tmp_path / "switch" / "agency.json"
    Store.create(db, scenario=scenario, at=AUDIT_TIME, actor="test")
    return db


class TestSwitch:
    """p applies the advised switch after a confirmation that shows what changes."""

    def test_advice_panel_says_switch_by(self, switch_db: Path) -> None:
        async def body(pilot: Pilot[object]) -> None:
            await press(pilot, "enter")
            advice = pilot.app.figures[GROUP].advice  # type: ignore[attr-defined]
            assert any(a.action == Action.SWITCH_BY and a.to_office == "LTM" for a in advice)
            text = " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]
            assert "Switch to Unit Layanan Paspor Lombok Timur by Monday, 9 April 2018" in text

        drive(make_app(switch_db), body)

    def test_switch_one_member(self, switch_db: Path) -> None:
        async def body(pilot: Pilot[object]) -> None:
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Nashif")
            await press(pilot, "enter", "p")
            dialog = pilot.app.screen
            assert isinstance(dialog, SwitchScreen)
            text = " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]
            assert "Muhammad Nashif" in text and "new application at LTM" in text
            assert "MTR · Booked 26 Feb, Recorded 27 Feb, Paid 1 Mar" in text
            await press(pilot, "y")
            nashif = stored(switch_db).group(GROUP).member("nashif")
            assert nashif.application == Application(office="LTM")
            entry = Store.open(switch_db).audit(1)[0]
            assert entry.action == "tui: switch MTR -> LTM"
            figures = pilot.app.figures[GROUP]  # type: ignore[attr-defined]
            assert next(m for m in figures.members if m.member_id == "nashif").office == "LTM"

        drive(make_app(switch_db), body)

    def test_switch_everyone_marked_in_one_change(self, switch_db: Path) -> None:
        async def body(pilot: Pilot[object]) -> None:
            await press(pilot, "enter", "ctrl+a", "p")
            dialog = pilot.app.screen
            assert isinstance(dialog, SwitchScreen)
            moving = {p.member.id for p in dialog.plans}
            assert moving == {
                "nashif",
                "rohani",
                "saleh",
                "rukiah",
                "zainal",
                "sahnun",
                "mariam",
                "rizki",
            }
            skipped = {m.id for m, _ in dialog.skipped}
            assert {"nurhayati", "saenah"} <= skipped  # already printed
            await pilot.click("#booked")
            await press(pilot, "y")
            group = stored(switch_db).group(GROUP)
            for member_id in moving:
                app = group.member(member_id).application
                assert app == Application(office="LTM", booked=dt.date(2018, 3, 15))
            entries = Store.open(switch_db).audit(2)
            assert entries[0].action == "tui: switch MTR -> LTM"
            assert len(entries[0].changes) == len(moving)  # one audited change
            assert pilot.app.screen.query_one(MembersTable).selected == set()  # marks cleared

        drive(make_app(switch_db), body)

    def test_switch_against_the_advice_is_refused_or_warned(self, demo_db: Path) -> None:
        # The demo: both offices run on SIMKIM, so the advice for Mataram is not to switch.
        async def body(pilot: Pilot[object]) -> None:
            from grouppass_tui.screens.switch import SwitchPlan

            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Rukiah")
            await press(pilot, "enter", "p")
            assert not isinstance(pilot.app.screen, SwitchScreen)  # refused, and why:
            assert "advised to stay at MTR" in " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]
            # A move no advice names (the organiser's own choice) is warned in red.
            rukiah = stored(demo_db).group(GROUP).member("rukiah")
            plan = SwitchPlan(rukiah, "MTR", "LTM", None)
            await pilot.app.push_screen(SwitchScreen([plan], [], dt.date(2018, 3, 15), {}))
            await pilot.pause(0.1)
            dialog = pilot.app.screen
            assert isinstance(dialog, SwitchScreen) and dialog.has_class("-unadvised")
            text = " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]
            assert "grouppass does not advise this switch" in text
            assert "Switch anyway" in text
            assert "loses: recording of 7 Mar" in text
            assert dialog.focused is not None and dialog.focused.id == "cancel"

        drive(make_app(demo_db), body)

    def test_cancel_changes_nothing(self, switch_db: Path) -> None:
        async def body(pilot: Pilot[object]) -> None:
            await press(pilot, "enter", "p", "escape")
            assert not isinstance(pilot.app.screen, SwitchScreen)
            assert stored(switch_db) == Store.open(switch_db).scenario()
            assert Store.open(switch_db).audit(5)[0].action != "tui: switch MTR -> LTM"

        drive(make_app(switch_db), body)


class TestTimeTravel:
    """t sets the day; [ and ] step; the header always shows the day."""

    def test_pick_a_day(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[object]) -> None:
            app = pilot.app
            before = app.figures[GROUP].p_on_time  # type: ignore[attr-defined]
            await pilot.press("t")
            assert isinstance(app.screen, AsOfScreen)
            await pilot.press("pagedown")  # +7 days
            await press(pilot, "ctrl+s")
            assert app.as_of == dt.date(2018, 3, 22)  # type: ignore[attr-defined]
            assert "Figures for Thursday, 22 March 2018" in screen_text(app)  # type: ignore[arg-type]
            assert app.figures[GROUP].p_on_time != before  # type: ignore[attr-defined]
            await press(pilot, "right_square_bracket")
            assert app.as_of == dt.date(2018, 3, 23)  # type: ignore[attr-defined]
            await press(pilot, "left_square_bracket", "left_square_bracket")
            assert app.as_of == dt.date(2018, 3, 21)  # type: ignore[attr-defined]
            assert app.query_one(AppHeader).as_of == dt.date(2018, 3, 21)

        drive(make_app(demo_db), body)

    def test_replay_forgets_later_facts(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[object]) -> None:
            await press(pilot, "enter")
            table = pilot.app.screen.query_one(MembersTable)
            # On 26 February Nashif had only booked; recording came on the 27th.
            figures = pilot.app.figures[GROUP]  # type: ignore[attr-defined]
            nashif = next(m for m in figures.members if m.member_id == "nashif")
            assert nashif.stage.value == "booked"
            assert "nashif" in table.shown

        drive(make_app(demo_db, as_of=dt.date(2018, 2, 26)), body)


class TestLanguage:
    """All text in Bahasa Indonesia or English; the choice is remembered."""

    def test_switch_language_and_remember(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[object]) -> None:
            app = pilot.app
            assert "Figures for Thursday, 15 March 2018" in screen_text(app)  # type: ignore[arg-type]
            await press(pilot, "L")
            text = screen_text(app)  # type: ignore[arg-type]
            assert "Data per Kamis, 15 Maret 2018" in text
            assert "Keluar" in text and "Bantuan" in text  # footer keys
            assert "aman" in text  # risk words
            await pilot.pause(0.2)
            assert load_settings().lang == "id"

        drive(make_app(demo_db, lang="en"), body)

    def test_default_from_settings_then_locale(
        self, demo_db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from grouppass_tui.settings import config_dir

        monkeypatch.setenv("LANG", "en_AU.UTF-8")
        assert make_app(demo_db, lang=None).lang == "en"
        config_dir().mkdir(parents=True, exist_ok=True)
        (config_dir() / "tui.json").write_text(json.dumps({"lang": "id"}))
        from grouppass_tui.app import GrouppassApp
        from grouppass_tui.data import StoreAgency

        assert GrouppassApp(StoreAgency(demo_db), as_of=dt.date(2018, 3, 15)).lang == "id"
        assert make_app(demo_db, lang="en").lang == "en"  # --lang wins


class TestTheme:
    """Themes come from the palette; the choice is remembered like the language."""

    def test_theme_is_remembered(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[object]) -> None:
            pilot.app.theme = "textual-light"
            await pilot.pause(0.3)
            assert load_settings().theme == "textual-light"

        drive(make_app(demo_db), body)
        from grouppass_tui.app import GrouppassApp
        from grouppass_tui.data import StoreAgency

        again = GrouppassApp(StoreAgency(demo_db), as_of=dt.date(2018, 3, 15), lang="en")
        assert again.theme == "textual-light"
