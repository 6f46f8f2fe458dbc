"""The track record: one line on the groups screen, a table of its own, never in the way.

The replay itself is :func:`grouppass.backtest.backtest` (tested with the
library); here the agency has a group that left in February with every
outcome on record, and the TUI must show what the library's replay found,
in the organiser's language, without the screen ever waiting for it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from pathlib import Path
from typing import Any

import attrs
import pytest
from grouppass_tui import app as app_module
from grouppass_tui.demo import DEMO_AS_OF
from grouppass_tui.i18n import set_language
from grouppass_tui.screens.group import GroupScreen
from grouppass_tui.screens.track import TrackRecordScreen, summary_text
from textual.pilot import Pilot
from tui_support import AUDIT_TIME, content_text, drive, example, make_app, press, screen_text

from grouppass.backtest import Reliability, ReliabilityBin, TrackRecord, backtest
from grouppass.model import Application, Group, Member, Scenario
from grouppass.store import Store

DEPARTED = dt.datetime(2018, 2, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def with_history() -> Scenario:
    """The demo and a group that left on 20 February 2018 (deadline 30 January): four
    passports collected in January, one on 6 February — too late."""

    def member(i: int, collected: dt.date) -> Member:
        app = Application(
            "MTR",
            booked=dt.date(2018, 1, 2),
            recorded=dt.date(2018, 1, 3),
            paid=dt.date(2018, 1, 3),
            issued=collected - dt.timedelta(days=2),
            collected=collected,
        )
        return Member(f"past-{i}", f"Jamaah Rajab {i}", phone="0819 1734 0215", application=app)

    members = [member(i, dt.date(2018, 1, 10)) for i in range(4)]
    members.append(member(4, dt.date(2018, 2, 6)))
    past = Group("rajab", "Umrah Rajab 1439", "MTR", DEPARTED, 21, members)
    scenario = example()
    return attrs.evolve(scenario, groups=(*scenario.groups, past))


@pytest.fixture
def history_db(tmp_path: Path) -> Path:
    db = tmp_path / "history" / "agency.json"
    Store.create(db, scenario=with_history(), at=AUDIT_TIME, actor="test")
    return db


class TestTrackRecord:
    def test_one_line_on_the_groups_screen_and_the_table(self, history_db: Path) -> None:
        expected = backtest(with_history(), DEMO_AS_OF)
        assert expected.groups.forecasts  # the departed group was scored on past days

        async def body(pilot: Pilot[Any]) -> None:
            record = pilot.app.track  # type: ignore[attr-defined]
            assert record == expected  # the same replay: same data, day and seed
            text = " ".join(screen_text(pilot.app).split())  # type: ignore[arg-type]
            assert f"Track record: {expected.summary} · r: the table" in text
            await press(pilot, "r")
            screen = pilot.app.screen
            assert isinstance(screen, TrackRecordScreen)
            table = content_text(screen)
            for kind in (expected.groups, expected.members):
                for b in kind.bins:
                    if b.forecasts:
                        low, high = round(b.low * 100), round(b.high * 100)
                        share = round(b.in_time / b.forecasts * 100)
                        row = f"{low}–{high}% {b.forecasts} {round(b.mean_predicted * 100)}%"
                        assert f"{row} {b.in_time} {share}%" in table
            assert f"{len(expected.days)} replay days scored" in table
            await press(pilot, "escape")
            assert not isinstance(pilot.app.screen, TrackRecordScreen)

        drive(make_app(history_db), body)

    def test_the_screen_never_waits_for_the_replay(
        self, history_db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        release = threading.Event()
        calls: list[dt.date] = []
        real = app_module.backtest  # type: ignore[attr-defined]

        def slow(scenario: Scenario, today: dt.date, **kw: object) -> TrackRecord:
            calls.append(today)
            release.wait(20)  # the replay of a big agency: long
            return real(scenario, today, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(app_module, "backtest", slow)
        app = make_app(history_db)

        async def main() -> None:
            async with app.run_test(size=(120, 40)) as pilot:
                for _ in range(500):
                    await pilot.pause(0.02)
                    if calls and len(app.figures) == 2:
                        break
                assert calls == [DEMO_AS_OF]  # started after the figures, in a worker
                assert app.track is None and app.track_pending
                assert "Replaying the agency's history…" in screen_text(app)
                await pilot.press("enter")  # the organiser goes on working meanwhile
                await pilot.pause(0.1)
                assert isinstance(app.screen, GroupScreen)
                release.set()
                for _ in range(500):
                    await pilot.pause(0.02)
                    if app.track is not None:
                        break
                assert app.track is not None and not app.track_pending

        asyncio.run(main())

    def test_a_new_day_replays_again(self, history_db: Path) -> None:
        async def body(pilot: Pilot[Any]) -> None:
            assert pilot.app.track.today == DEMO_AS_OF  # type: ignore[attr-defined]
            await press(pilot, "right_square_bracket")
            assert pilot.app.track.today == DEMO_AS_OF + dt.timedelta(days=1)  # type: ignore[attr-defined]

        drive(make_app(history_db), body)


def reliability(sure: int, hits: int, forecasts: int, in_time: int) -> Reliability:
    bins = tuple(ReliabilityBin(k / 10, (k + 1) / 10, 0, 0.0, 0) for k in range(10))
    return Reliability(forecasts, in_time, bins, None, None, 0, 0, sure, hits, 0.9)


def record(groups: Reliability, members: Reliability) -> TrackRecord:
    return TrackRecord(dt.date(2018, 6, 30), 7, (), members, groups, 0.9, 0, 500)


class TestSummaryWords:
    """The line in both languages; in English word for word the library's summary."""

    @pytest.mark.parametrize(
        ("groups", "members", "english"),
        [
            (
                reliability(50, 47, 60, 50),
                reliability(0, 0, 0, 0),
                "when grouppass said 90% or more, 47 of 50 were in time "
                "(groups, replayed every 7 days)",
            ),
            (
                reliability(0, 0, 3, 1),
                reliability(8, 7, 20, 15),
                "when grouppass said 90% or more, 7 of 8 were in time "
                "(members, replayed every 7 days)",
            ),
            (
                reliability(0, 0, 0, 0),
                reliability(0, 0, 20, 15),
                "grouppass never said 90% or more; 15 of 20 member forecasts came true "
                "(replayed every 7 days)",
            ),
            (
                reliability(0, 0, 0, 0),
                reliability(0, 0, 0, 0),
                "nothing to score yet: no group with a deadline by 2018-06-30 has its "
                "outcomes recorded",
            ),
        ],
    )
    def test_each_case(self, groups: Reliability, members: Reliability, english: str) -> None:
        r = record(groups, members)
        assert r.summary == english  # the library's own words...
        set_language("en")
        assert summary_text(r) == english  # ...are the TUI's in English
        set_language("id")
        assert summary_text(r) != english  # in Indonesian its own words

    def test_indonesian(self) -> None:
        set_language("id")
        r = record(reliability(50, 47, 60, 50), reliability(0, 0, 0, 0))
        assert summary_text(r) == (
            "saat grouppass menyebut 90% atau lebih, 47 dari 50 tepat waktu "
            "(grup, diputar ulang tiap 7 hari)"
        )
