"""Moving around: the groups list, a group's members, one member, help and the palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from grouppass_tui.screens.group import GroupScreen
from grouppass_tui.screens.groups import GroupsScreen
from grouppass_tui.screens.help import HelpScreen
from grouppass_tui.screens.member import MemberScreen
from grouppass_tui.widgets.footer import AppFooter
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.members_table import MembersTable
from grouppass_tui.widgets.table import KeyedTable
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey
from tui_support import GROUP, drive, make_app, press, screen_text, type_into

from grouppass.results import Risk


def _rows(pilot: Pilot[Any], selector: str) -> list[str]:
    return pilot.app.screen.query_one(selector, KeyedTable).row_keys()


class TestGroupsView:
    """Every group, most urgent first, filtered as you type."""

    def test_sorted_by_urgency(self, agency_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            app = pilot.app
            rows = _rows(pilot, "#groups-table")
            assert rows[0] == "soon"  # leaves in April: late
            assert app.figures["soon"].risk == Risk.LATE  # type: ignore[attr-defined]
            assert rows[-1] == "autumn"
            summary = str(app.screen.query_one("#groups-summary").render())
            assert "3 groups · 45 travellers" in summary
            assert "late" in summary

        drive(make_app(agency_db), body)

    def test_filter_by_typing(self, agency_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await pilot.press("slash")
            await pilot.press(*"safar")
            assert _rows(pilot, "#groups-table") == ["autumn"]
            await pilot.press("escape")  # clears and returns to the list
            assert len(_rows(pilot, "#groups-table")) == 3
            assert pilot.app.focused is pilot.app.screen.query_one("#groups-table")

        drive(make_app(agency_db), body)

    def test_open_group_and_back(self, agency_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            screen = pilot.app.screen
            assert isinstance(screen, GroupScreen) and screen.group_id == "soon"
            assert screen.query_one(AppHeader).place == "Umrah Rajab — Rombongan Cepat"
            await pilot.press("escape")
            assert isinstance(pilot.app.screen, GroupsScreen)

        drive(make_app(agency_db), body)

    def test_mouse_opens_a_group(self, agency_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            table = pilot.app.screen.query_one("#groups-table", KeyedTable)
            await pilot.click(table, offset=(5, 3))  # header row, then the 3rd group
            await pilot.click(table, offset=(5, 3))
            await pilot.pause()
            assert isinstance(pilot.app.screen, GroupScreen)

        drive(make_app(agency_db), body)


class TestGroupView:
    """The members table: sort by any column, filter, mark, open one."""

    def test_worst_first_then_sort_by_number_keys(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            table = pilot.app.screen.query_one(MembersTable)
            figures = pilot.app.figures[GROUP]  # type: ignore[attr-defined]
            by_id = {m.member_id: m for m in figures.members}
            severities = [by_id[k].risk.severity for k in table.shown]
            assert severities == sorted(severities, reverse=True)
            await pilot.press("1")  # name
            names = [pilot.app.scenario.group(GROUP).member(k).name for k in table.shown]  # type: ignore[attr-defined]
            assert names == sorted(names, key=str.casefold)
            await pilot.press("1")  # again: reversed
            names = [pilot.app.scenario.group(GROUP).member(k).name for k in table.shown]  # type: ignore[attr-defined]
            assert names == sorted(names, key=str.casefold, reverse=True)
            await pilot.press("4")  # P50 at 120 columns
            assert table.sort_by == "p50"
            p50 = [by_id[k].ready_p50 for k in table.shown if by_id[k].ready_p50]
            assert p50 == sorted(p50)

        drive(make_app(demo_db), body)

    def test_click_header_sorts(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            table = pilot.app.screen.query_one(MembersTable)
            x = 0
            for column in table.ordered_columns:  # where the Office header starts
                if column.key.value == "office":
                    break
                x += column.get_render_width(table)
            await pilot.click(table, offset=(x + 2, 0))
            await pilot.pause()
            assert table.sort_by == "office"

        drive(make_app(demo_db), body)

    def test_filter_by_name_office_and_risk(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            table = pilot.app.screen.query_one(MembersTable)
            await pilot.press("slash", *"baiq")
            assert sorted(table.shown) == ["fitriani", "nurhayati", "rohani"]
            await type_into(pilot, "#group-filter", "LTM")
            assert table.shown == ["fitriani"]
            await type_into(pilot, "#group-filter", "ready")
            assert len(table.shown) == 4
            await pilot.press("escape")
            assert len(table.shown) == 15

        drive(make_app(demo_db), body)

    def test_mark_with_space(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            table = pilot.app.screen.query_one(MembersTable)
            first = table.current_key
            await pilot.press("space")
            assert table.selected == {first}
            assert table.current_key != first  # moved on, ready for the next
            await pilot.press("ctrl+a")
            assert len(table.selected) == 15
            await pilot.press("ctrl+a")
            assert table.selected == set()

        drive(make_app(demo_db), body)

    def test_a_redraw_builds_only_the_rows_that_change(
        self, demo_db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        built: list[str] = []
        original = MembersTable._build_row

        def counted(self: MembersTable, row: Any, *args: Any) -> Any:
            built.append(row.id)
            return original(self, row, *args)

        monkeypatch.setattr(MembersTable, "_build_row", counted)

        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            table = pilot.app.screen.query_one(MembersTable)
            assert sorted(built) == sorted(table.shown)  # the first draw builds every row
            first = table.current_key
            assert first is not None
            built.clear()
            await press(pilot, "space")  # marks one member: that row shows ■
            assert built == [first]
            assert str(table.get_cell(first, "sel")) == "■"
            built.clear()
            await press(pilot, "L")  # another language: every row's words
            assert sorted(built) == sorted(table.shown)

        drive(make_app(demo_db), body)

    def test_member_detail(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            await pilot.press("slash", *"nashif", "enter")
            await press(pilot, "enter")
            screen = pilot.app.screen
            assert isinstance(screen, MemberScreen) and screen.member_id == "nashif"
            timeline = str(screen.query_one("#timeline").render())
            assert "Tuesday, 27 February 2018" in timeline  # recorded
            chart = screen.query_one("#chart")
            assert chart.size.height == 7
            await pilot.press("escape")
            assert isinstance(pilot.app.screen, GroupScreen)

        drive(make_app(demo_db), body)

    def test_problems_with_what_to_do(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            await pilot.press("slash", *"mariam", "enter")
            await press(pilot, "enter")
            problems = str(pilot.app.screen.query_one("#problems").render())
            # Departure 15 May 2018 + six months of validity (FACTS.md): 15 November 2018.
            assert (
                "The passport expires on 30 September 2018; it must be valid until at least "
                "15 November 2018: apply for a new one."
            ) in problems

        drive(make_app(demo_db), body)


class TestHelpAndPalette:
    """F1 / ? lists every key; ctrl+p carries the main actions."""

    def test_help_lists_keys_of_the_screen(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            await pilot.press("question_mark")
            help_screen = pilot.app.screen
            assert isinstance(help_screen, HelpScreen)
            text = " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]
            for words in (
                "Record a stage",
                "Switch the marked members",
                "Every key on this screen",
            ):
                assert words in text
            await pilot.press("escape")
            await pilot.press("f1")
            assert isinstance(pilot.app.screen, HelpScreen)

        drive(make_app(demo_db), body)

    def test_the_footer_is_rebuilt_only_when_its_keys_change(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            def keys() -> list[FooterKey]:
                return list(pilot.app.screen.query_one(AppFooter).query(FooterKey))

            await press(pilot, "enter")
            shown = keys()
            assert "Stage" in [k.description for k in shown]
            # Back from a screen on top: the same keys, so the very same widgets.
            await pilot.press("question_mark")
            assert isinstance(pilot.app.screen, HelpScreen)
            await press(pilot, "escape")
            assert isinstance(pilot.app.screen, GroupScreen)
            assert keys() == shown and all(a is b for a, b in zip(keys(), shown, strict=True))
            # Another language: other words, so other keys.
            await press(pilot, "L")
            again = keys()
            assert not any(a is b for a, b in zip(again, shown, strict=False))
            assert "Stage" not in [k.description for k in again]
            assert "Tahap" in [k.description for k in again]

        drive(make_app(demo_db), body)

    def test_palette_has_main_actions(self, demo_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            app = pilot.app
            titles = [c.title for c in app.get_system_commands(app.screen)]
            for title in (
                "Stage",
                "Switch",
                "Switch anyway",
                "Notices",
                "Day",
                "Offices",
                "Bahasa",
            ):
                assert title in titles

            await press(pilot, "escape")
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Track record" in titles and "Disruptions" in titles

        drive(make_app(demo_db), body)

    def test_every_binding_has_id_and_tooltip(self, demo_db: Path) -> None:
        from grouppass_tui.screens.help import bindings_of

        async def body(pilot: Pilot[Any]) -> None:
            await press(pilot, "enter")
            for node in (pilot.app, pilot.app.screen):
                for binding in bindings_of(node):
                    assert binding.id and binding.tooltip

        drive(make_app(demo_db), body)


class TestEmptyDatabase:
    """`grouppass tui` on a fresh machine: a new database, and a hint what to do."""

    def test_creates_and_explains(self, tmp_path: Path) -> None:
        from grouppass_tui.app import GrouppassApp
        from grouppass_tui.data import StoreAgency
        from grouppass_tui.demo import DEMO_AS_OF
        from grouppass_tui.settings import Settings

        db = tmp_path / "new" / "agency.json"
        agency = StoreAgency(db, create=True)
        app = GrouppassApp(
            agency, as_of=DEMO_AS_OF, lang="en", poll_seconds=None, settings=Settings()
        )

        async def body(pilot: Pilot[Any]) -> None:
            from grouppass_tui.screens.welcome import WelcomeScreen

            assert isinstance(pilot.app.screen, WelcomeScreen)  # the first steps are offered
            text = " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]
            assert "The database is empty. A season starts in four steps" in text
            assert "Created a new, empty database" in text
            await press(pilot, "escape")  # later: the list says what to press
            text = " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]
            assert "No groups yet: n a new group, i its manifest, a the agency, O offices." in text
            assert db.exists()

        drive(app, body)
