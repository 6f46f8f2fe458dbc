"""Textual's own words in the UI language; the screenshot without a download folder;
the damaged-database dialog; Enter in a one-field dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from grouppass_tui import screenshot
from grouppass_tui.app import damaged_text
from grouppass_tui.screens.dialogs import AsOfScreen
from textual.command import CommandInput, CommandPalette
from textual.pilot import Pilot
from tui_support import drive, make_app, press, screen_text, type_into

from grouppass.errors import LocatedProblem
from grouppass.store import DamagedStoreError


def text_of(pilot: Pilot[Any]) -> str:
    return " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]


class TestPalette:
    def test_placeholder_commands_and_themes_in_indonesian(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "ctrl+p")
            palette = pilot.app.screen
            assert isinstance(palette, CommandPalette)
            assert palette.query_one(CommandInput).placeholder == "Cari perintah…"
            await pilot.press(*"tangkap")
            await pilot.pause(0.5)
            assert "Tangkapan layar" in text_of(pilot)  # Textual's own command, translated
            app = pilot.app
            names = [c.title for c in app.get_system_commands(app.screen_stack[0])]
            assert {"Tema", "Tombol", "Tangkapan layar", "Keluar"} <= set(names)
            assert not {"Theme", "Keys", "Screenshot", "Quit"} & set(names)
            await pilot.press(*"zzzq")
            await pilot.pause(0.8)  # Textual waits a moment before "no matches"
            assert "Tidak ada perintah dengan nama itu" in text_of(pilot)
            await press(pilot, "escape")
            pilot.app.search_themes()
            await pilot.pause(0.2)
            assert pilot.app.screen.query_one(CommandInput).placeholder == "Cari tema…"

        drive(make_app(demo_db, lang="id"), body)

    def test_ctrl_c_says_how_to_quit(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "ctrl+c")
            await pilot.pause(0.1)
            assert "Tekan q untuk keluar dari grouppass" in text_of(pilot)

        drive(make_app(demo_db, lang="id"), body)


class TestDayPicker:
    def test_enter_applies_a_one_field_dialog(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "t")
            assert isinstance(pilot.app.screen, AsOfScreen)
            await type_into(pilot, "#input-as_of", "20/03/2018")
            await press(pilot, "enter")
            assert not isinstance(pilot.app.screen, AsOfScreen)
            assert pilot.app.as_of == dt.date(2018, 3, 20)

        drive(make_app(demo_db), body)


class TestScreenshot:
    def test_download_folder_is_made_when_missing(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        downloads = tmp_path / "home" / "Downloads"
        monkeypatch.setattr(screenshot, "user_downloads_path", lambda: downloads)
        path = screenshot.save_screenshot("<svg/>", "shot.svg", None, "grouppass")
        assert path == downloads / "shot.svg" and path.read_text() == "<svg/>"
        again = screenshot.save_screenshot("<svg/>", "shot.svg", None, "grouppass")
        assert again == downloads / "shot-2.svg"  # never over another

    def test_current_folder_when_it_cannot_be_made(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        blocker = tmp_path / "file"
        blocker.write_text("not a folder")
        monkeypatch.setattr(screenshot, "user_downloads_path", lambda: blocker / "Downloads")
        assert screenshot.screenshot_dir() == Path.cwd()


class TestDamagedDatabase:
    def test_says_what_to_do_in_the_ui_language(self) -> None:
        from grouppass_tui import i18n

        i18n.set_language("id")
        error = DamagedStoreError(
            Path("agency.json"),
            [LocatedProblem("groups", "not a list", "agency.json")],
            Path("agency.backup-2018.json"),
        )
        assert damaged_text(error).splitlines()[:2] == [
            "grouppass tidak bisa membaca agency.json dan tidak menulis apa pun ke dalamnya.",
            "Cadangan baik terakhir: agency.backup-2018.json. Untuk kembali ke sana: "
            "grouppass db restore agency.backup-2018.json --db agency.json",
        ]
