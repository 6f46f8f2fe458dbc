"""The pieces without a screen: catalogues, dates, the chart, notices, display helpers."""

from __future__ import annotations

import ast
import datetime as dt
import re
import string
from pathlib import Path

import pytest
from grouppass_tui import i18n
from grouppass_tui.chart import distribution_chart
from grouppass_tui.dates import hijri_date, long_date, parse_date, short_date
from grouppass_tui.display import mask, percent
from grouppass_tui.i18n import en, id

TUI = Path(__file__).parents[2] / "tui" / "grouppass_tui"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class TestCatalogues:
    """Both languages say everything, with the same {fields}."""

    def test_same_keys(self) -> None:
        assert set(id.MESSAGES) == set(en.MESSAGES)

    def test_same_fields(self) -> None:
        for key, text in en.MESSAGES.items():
            assert _fields(text) == _fields(id.MESSAGES[key]), key

    def test_every_literal_key_exists(self) -> None:
        used: set[str] = set()
        for path in TUI.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) in ("t", "t_in")
                    and node.args
                ):
                    arg = node.args[1] if node.func.id == "t_in" else node.args[0]  # type: ignore[attr-defined]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        used.add(arg.value)
        missing = sorted(k for k in used if k not in en.MESSAGES)
        assert not missing

    def test_every_binding_id_has_text(self) -> None:
        ids: set[str] = set()
        for path in TUI.rglob("*.py"):
            ids |= set(re.findall(r'id="([a-z_]+\.[a-z_0-9]+)"', path.read_text(encoding="utf-8")))
        ids |= {f"group.sort{n}" for n in range(1, 10)}
        for binding_id in ids:
            assert f"key.{binding_id}" in en.MESSAGES, binding_id
            assert f"tip.{binding_id}" in en.MESSAGES, binding_id

    @pytest.mark.parametrize(
        ("environ", "expected"),
        [
            ({"LANG": "en_US.UTF-8"}, "en"),
            ({"LANG": "id_ID.UTF-8"}, "id"),
            ({"LANG": "in_ID"}, "id"),
            ({"LANG": "fr_FR.UTF-8"}, "id"),
            ({"LANG": "C.UTF-8"}, "id"),
            ({}, "id"),
            ({"LC_ALL": "en_GB.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
            ({"GROUPPASS_LANG": "en", "LANG": "id_ID.UTF-8"}, "en"),
        ],
    )
    def test_default_language(self, environ: dict[str, str], expected: str) -> None:
        assert i18n.default_language(environ) == expected


class TestDates:
    """Dates read and written the organiser's way."""

    def test_long_dates(self) -> None:
        day = dt.date(2018, 3, 15)
        assert long_date(day, "id") == "Kamis, 15 Maret 2018"
        assert long_date(day, "en") == "Thursday, 15 March 2018"

    def test_short_date_drops_the_year_of_the_reference(self) -> None:
        assert short_date(dt.date(2018, 4, 24), 2018, "en") == "24 Apr"
        assert short_date(dt.date(2019, 4, 24), 2018, "en") == "24 Apr 19"

    def test_hijri_beside_departure(self) -> None:
        # Umm al-Qura puts 1 Ramadan 1439 on 16 May 2018; Indonesia's isbat on 17 May.
        assert hijri_date(dt.date(2018, 5, 16), "id") == "1 Ramadan 1439 H"
        assert hijri_date(dt.date(2018, 5, 17), "en") == "2 Ramadan 1439 AH"
        assert hijri_date(dt.date(1800, 1, 1), "en") is None

    @pytest.mark.parametrize(
        "text",
        [
            "2018-02-27",
            "27/02/2018",
            "27-02-2018",
            "27.02.2018",
            "27 Februari 2018",
            "27 february 2018",
            "27 Feb 2018",
            " 27  Peb  2018 ",
        ],
    )
    def test_parse_forms(self, text: str) -> None:
        assert parse_date(text) == dt.date(2018, 2, 27)

    @pytest.mark.parametrize(
        ("text", "words"),
        [
            ("31-02-2018", "No such day"),
            ("2018/02/27x", "Not a date"),
            ("27 Brumaire 2018", "Unknown month"),
            ("", "Enter a date"),
        ],
    )
    def test_parse_errors_say_what_is_wrong(self, text: str, words: str) -> None:
        i18n.set_language("en")
        with pytest.raises(ValueError, match=words):
            parse_date(text)


class TestChart:
    """The in-hand distribution against the deadline."""

    def test_marks_deadline_and_splits_probability(self) -> None:
        i18n.set_language("en")
        dist = [(dt.date(2018, 4, 1), 0.5), (dt.date(2018, 4, 20), 0.3), (dt.date(2018, 5, 2), 0.2)]
        rows = distribution_chart(dist, dt.date(2018, 4, 24), width=40, height=4)
        plain = [r.plain for r in rows]
        assert len(rows) == 4 + 3
        assert any("│" in line for line in plain[:4])
        assert "deadline 24 Apr" in plain[5]
        assert "by the deadline 80%" in plain[6] and "after it 20%" in plain[6]

    def test_nothing_to_draw_when_in_hand(self) -> None:
        i18n.set_language("id")
        rows = distribution_chart([], dt.date(2018, 4, 24))
        assert rows[0].plain.startswith("Tidak ada yang perlu diperkirakan")


class TestDisplay:
    def test_percent_never_claims_certainty_it_lacks(self) -> None:
        assert percent(0.004) == "<1%"
        assert percent(0.996) == ">99%"
        assert percent(1.0) == "100%"
        assert percent(0.424) == "42%"
        assert percent(None) == "–"

    def test_percent_beside_a_risk_word_never_contradicts_it(self) -> None:
        # 89.9% with a 90% target is at risk: the number must not say 90%.
        assert percent(0.899, 0.9) == "89%"
        assert percent(0.9, 0.9) == "90%"
        assert percent(0.4999, 0.9) == "49%"  # late below 50%

    def test_mask(self) -> None:
        assert mask("B1234567") == "B******67"
        assert mask("5271011204680003") == "52******03"
        assert mask(None) == "–"


class TestDocs:
    """docs/tui.md lists every key the app binds."""

    def test_every_bound_key_is_documented(self) -> None:
        from grouppass_tui.app import GrouppassApp
        from grouppass_tui.screens import (
            conflict,
            dialogs,
            disruptions,
            form_base,
            group,
            groups,
            help,
            importer,
            member,
            notices,
            offices,
            restore,
            switch,
            track,
            welcome,
        )
        from grouppass_tui.widgets.table import KeyedTable
        from textual.dom import DOMNode

        doc = (TUI.parents[1] / "docs" / "tui.md").read_text(encoding="utf-8")
        names = {
            "left_square_bracket": "[",
            "right_square_bracket": "]",
            "slash": "/",
            "question_mark": "?",
            "f1": "F1",
            "pageup": "PgUp",
            "pagedown": "PgDn",
            "up": "↑",
            "down": "↓",
            "escape": "esc",
            "space": "space",
            "home": "Home",
            "end": "End",
            "delete": "delete",
        }
        classes: list[type[DOMNode]] = [
            GrouppassApp,
            groups.GroupsScreen,
            group.GroupScreen,
            member.MemberScreen,
            form_base.FormScreen,
            dialogs.AsOfScreen,
            dialogs.ConfirmScreen,
            switch.SwitchScreen,
            conflict.ConflictScreen,
            notices.NoticesScreen,
            disruptions.DisruptionsScreen,
            offices.OfficesScreen,
            help.HelpScreen,
            importer.ImportScreen,
            restore.RestoreScreen,
            welcome.WelcomeScreen,
            track.TrackRecordScreen,
            KeyedTable,
        ]
        missing = []
        for cls in classes:
            assert cls._merged_bindings is not None
            for key, bindings in cls._merged_bindings.key_to_bindings.items():
                if not any(b.id for b in bindings):
                    continue  # Textual's own (copy, focus): not ours to document
                for one in key.split(","):
                    if one.isdigit() and "`1` … `9`" in doc:
                        continue
                    shown = names.get(one, one)
                    if f"`{shown}`" not in doc and f"{shown} " not in doc:
                        missing.append(f"{cls.__name__}: {one}")
        assert not missing
