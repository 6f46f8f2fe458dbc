"""Acting on the figures: switch office, time travel, language, notices."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from grouppass_tui.i18n import t_in
from grouppass_tui.screens.dialogs import AsOfScreen
from grouppass_tui.screens.switch import SwitchScreen
from grouppass_tui.settings import load_settings
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.members_table import MembersTable
from textual.pilot import Pilot
from textual.widgets import Button
from tui_support import (
    GROUP,
    content_text,
    drive,
    make_app,
    press,
    screen_text,
    stored,
    type_into,
)

from grouppass.model import Application
from grouppass.results import Action, Reason
from grouppass.store import Store
from grouppass.switch import RefusalCode
from grouppass.wording import advice_text, date_text, percent
from grouppass.wording.levers import advice_title, cost_text, option_text


def words(text: str) -> str:
    return " ".join(text.split())


class TestAdvicePanel:
    """The library's advice, in its words, with every lever it weighed (P and cost)."""

    def test_the_demo_advises_lombok_timur_with_every_lever(self, demo_db: Path) -> None:
        # 15 March 2018: printing stopped at Kanim Mataram alone; ULP Lombok Timur prints.
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            figures = pilot.app.figures[GROUP]  # type: ignore[attr-defined]
            names = {o.code: o.name for o in pilot.app.scenario.offices}  # type: ignore[attr-defined]
            mataram = [a for a in figures.advice if a.office == "MTR"]
            assert mataram and all(a.to_office == "LTM" for a in mataram)
            assert {a.action for a in mataram} <= {Action.SWITCH_NOW, Action.START_AT}
            text = words(screen_text(pilot.app))  # type: ignore[arg-type]
            for a in figures.advice:
                assert words(advice_text(a, "en", office_names=names)) in text
                assert advice_title(a, "en", office_names=names) in text
                if a.code is Reason.ON_TRACK:
                    continue  # on track: the headline says it, no levers to weigh
                for o in a.options if len(a.options) > 1 else ():
                    lever = option_text(o, a, "en")
                    assert f"{lever} group {percent(o.p_group)} {cost_text(o.cost, 'en')}" in text
            # The outage, with when the forecast expects printing back (P50, P90).
            (outlook,) = pilot.app.recoveries.values()  # type: ignore[attr-defined]
            assert outlook.disruption_id == "mataram-printing-2018-03"
            assert (
                "mataram-printing-2018-03: printing stopped at MTR since 5 Mar: expected back "
                f"around {date_text(outlook.p50, 'en')}, and most likely before "
                f"{date_text(outlook.p90, 'en')}"
            ) in text
            # Today's actions, from the library, with the members each is for.
            assert "• Start a new application at Unit Layanan Paspor Lombok Timur:" in text
            assert "• Collect the passport at Kantor Imigrasi Kelas I TPI Mataram:" in text

        drive(make_app(demo_db), body, size=(120, 200))

    def test_in_indonesian(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            text = words(screen_text(pilot.app))  # type: ignore[arg-type]
            assert "Pindah ke Unit Layanan Paspor Lombok Timur hari ini" in text
            assert "diperkirakan pulih sekitar" in text and "kemungkinan besar sebelum" in text
            assert "• Mulai pengajuan baru di Unit Layanan Paspor Lombok Timur:" in text
            # "At the latest" only for the deadline itself; a P90 date is not one.
            assert text.count("paling lambat") == 1
            assert "Paspor di tangan paling lambat Selasa, 24 April 2018" in text

        drive(make_app(demo_db, lang="id"), body, size=(120, 200))


class TestSwitch:
    """p applies the library's plan after a confirmation that lists what is lost."""

    def test_switch_one_member(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Nashif")
            await press(pilot, "enter", "p")
            dialog = pilot.app.screen
            assert isinstance(dialog, SwitchScreen) and not dialog.against
            text = content_text(dialog)
            assert "Muhammad Nashif" in text and "new application at LTM" in text
            assert "MTR · Booked 26 Feb, Recorded 27 Feb, Paid 1 Mar" in text
            # Paid on 1 March 2018: Rp 300,000 + Rp 55,000 biometrics (FACTS.md).
            assert "loses: the fee paid (Rp 355.000, 1 March 2018); the recording done on" in text
            assert "Lost in all: fees paid Rp 355.000; 1 recording." in text
            await press(pilot, "y")
            nashif = stored(demo_db).group(GROUP).member("nashif")
            assert nashif.application == Application(office="LTM")
            entry = Store.open(demo_db).audit(1)[0]
            assert entry.action == "tui: switch MTR -> LTM"
            figures = pilot.app.figures[GROUP]  # type: ignore[attr-defined]
            assert next(m for m in figures.members if m.member_id == "nashif").office == "LTM"

        drive(make_app(demo_db), body)

    def test_switch_everyone_marked_in_one_change(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
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
            refused = {r.member.id: r.code for r in dialog.switches.refused}
            assert refused == {
                "fitriani": RefusalCode.ADVICE_STAYS,  # at Lombok Timur, which prints
                "nurhayati": RefusalCode.PRINTED,
                "saenah": RefusalCode.PRINTED,
                "zaini": RefusalCode.READY,
                "karim": RefusalCode.READY,
                "fauzi": RefusalCode.READY,
                "nurul-aini": RefusalCode.READY,
            }
            # Nashif, Rohani (1 March) and Saleh (8 March) paid Rp 355.000 each in 2018.
            text = content_text(dialog)
            assert "Lost in all: fees paid Rp 1.065.000; 4 recordings; 1 appointment." in text
            await pilot.click("#booked")
            await press(pilot, "y")
            group = stored(demo_db).group(GROUP)
            for member_id in moving:
                app = group.member(member_id).application
                assert app == Application(office="LTM", booked=dt.date(2018, 3, 15))
            entries = Store.open(demo_db).audit(2)
            assert entries[0].action == "tui: switch MTR -> LTM"
            assert len(entries[0].changes) == len(moving)  # one audited change
            assert pilot.app.screen.query_one(MembersTable).selected == set()  # marks cleared

        drive(make_app(demo_db), body)

    def test_against_the_advice_is_refused_until_forced(self, demo_db: Path) -> None:
        # Fitriani is at Lombok Timur, which prints: the advice is to stay.
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Fitriani")
            await press(pilot, "enter", "p")
            assert not isinstance(pilot.app.screen, SwitchScreen)  # refused, and why:
            text = words(screen_text(pilot.app))  # type: ignore[arg-type]
            assert "Baiq Fitriani Muslihin: advised to stay at LTM" in text
            assert "Shift+P moves them anyway" in text
            await press(pilot, "P")
            dialog = pilot.app.screen
            assert isinstance(dialog, SwitchScreen) and dialog.has_class("-against")
            (plan,) = dialog.plans
            assert plan.against_advice and plan.to_office == "MTR"
            text = content_text(dialog)
            assert "Against the advice: grouppass does not advise moving Baiq Fitriani" in text
            assert "loses: the recording done on 13 March 2018" in text  # recorded, not paid
            assert "Lost in all: 1 recording." in text
            assert str(dialog.query_one("#apply", Button).label) == "Switch anyway"
            assert dialog.focused is not None and dialog.focused.id == "cancel"
            await press(pilot, "y")
            fitriani = stored(demo_db).group(GROUP).member("fitriani")
            assert fitriani.application == Application(office="MTR")
            entry = Store.open(demo_db).audit(1)[0]
            assert entry.action == "tui: switch LTM -> MTR against the advice"

        drive(make_app(demo_db), body)

    def test_no_advice_moves_only_when_forced(self, demo_db: Path) -> None:
        # 10 March: nobody knows of the outage yet; Rukiah is on track, nothing to decide.
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            await type_into(pilot, "#group-filter", "Rukiah")
            await press(pilot, "enter", "p")
            assert not isinstance(pilot.app.screen, SwitchScreen)
            assert "Rukiah Amin: no advice to switch" in words(screen_text(pilot.app))  # type: ignore[arg-type]
            await press(pilot, "P")
            dialog = pilot.app.screen
            assert isinstance(dialog, SwitchScreen) and dialog.against
            (plan,) = dialog.plans
            assert plan.advice is None and plan.to_office == "LTM"  # Mataram's alternative
            await press(pilot, "n")
            assert stored(demo_db) == Store.open(demo_db).scenario()

        drive(make_app(demo_db, as_of=dt.date(2018, 3, 10)), body)

    def test_cancel_changes_nothing(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter", "p")
            assert isinstance(pilot.app.screen, SwitchScreen)
            await press(pilot, "escape")
            assert not isinstance(pilot.app.screen, SwitchScreen)
            assert stored(demo_db) == Store.open(demo_db).scenario()
            assert not Store.open(demo_db).audit(5)[0].action.startswith("tui: switch")

        drive(make_app(demo_db), body)


class TestTimeTravel:
    """t sets the day; [ and ] step; the header always shows the day."""

    def test_pick_a_day(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
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
        async def body(pilot: Pilot[Any]) -> None:
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
        async def body(pilot: Pilot[Any]) -> None:
            app = pilot.app
            assert "Figures for Thursday, 15 March 2018" in screen_text(app)  # type: ignore[arg-type]
            await press(pilot, "L")
            text = screen_text(app)  # type: ignore[arg-type]
            assert "Data per Kamis, 15 Maret 2018" in text
            assert "Keluar" in text and "Bantuan" in text  # footer keys
            risk = app.figures[GROUP].risk  # type: ignore[attr-defined]
            assert t_in("id", f"risk.{risk.value}") in text  # risk words
            assert t_in("id", f"risk.{risk.value}") != t_in("en", f"risk.{risk.value}")
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
        async def body(pilot: Pilot[Any]) -> None:
            pilot.app.theme = "textual-light"
            await pilot.pause(0.3)
            assert load_settings().theme == "textual-light"

        drive(make_app(demo_db), body)
        from grouppass_tui.app import GrouppassApp
        from grouppass_tui.data import StoreAgency

        again = GrouppassApp(StoreAgency(demo_db), as_of=dt.date(2018, 3, 15), lang="en")
        assert again.theme == "textual-light"
