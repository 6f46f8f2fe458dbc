"""Helpers for the TUI tests (a module of its own: tests/conftest.py is also "conftest").

Tests drive the real app with ``App.run_test()`` and Pilot. There is no
pytest-asyncio in the dev dependencies, so :func:`drive` runs each Pilot
session in its own event loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import attrs
from grouppass_tui.app import GrouppassApp
from grouppass_tui.data import StoreAgency
from grouppass_tui.demo import DEMO_AS_OF
from grouppass_tui.settings import Settings
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerState

from grouppass.formats import load_scenario
from grouppass.model import Group, Scenario
from grouppass.store import Store

GROUP = "nashif-ramadan-1439"
"""The demo's one group: Muhammad Nashif and companions, Mataram, March 2018."""

AUDIT_TIME = dt.datetime(2018, 3, 15, 2, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    """The audit trail's time of a change: fixed, so no test reads the real clock."""
    return AUDIT_TIME


def example() -> Scenario:
    """The bundled Mataram 2018 scenario."""
    with as_file(files("grouppass") / "data" / "mataram-2018.json") as path:
        return load_scenario(path)


def later_group(base: Group, group_id: str, name: str, departure: str) -> Group:
    """The demo group again under another id and departure (ids of members made unique)."""
    members = [attrs.evolve(m, id=f"{group_id}-{m.id}") for m in base.members]
    return attrs.evolve(
        base,
        id=group_id,
        name=name,
        departure=dt.datetime.fromisoformat(departure),
        members=members,
    )


def make_app(
    db: Path,
    *,
    lang: str | None = "en",
    as_of: dt.date = DEMO_AS_OF,
    poll: float | None = None,
    demo: bool = True,
    store: type[StoreAgency] = StoreAgency,
) -> GrouppassApp:
    return GrouppassApp(
        store(db, clock=fixed_clock, actor="organiser"),
        as_of=as_of,
        lang=lang,
        demo=demo,
        poll_seconds=poll,
        settings=Settings(),
    )


def busy(app: GrouppassApp) -> bool:
    """Still reading, assessing, saving or replaying the track record (a worker on its way)."""
    working = (WorkerState.PENDING, WorkerState.RUNNING)
    return (
        app.loading
        or app.track_pending
        or any(w.state in working and w.group != "poll" for w in app.workers)
    )


async def settle(pilot: Pilot[Any], *, timeout: float = 10.0) -> None:
    """Wait until the app has read the database and every running worker has reported."""
    app = pilot.app
    assert isinstance(app, GrouppassApp)
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while loop.time() < end:
        await pilot.pause(0.02)
        _no_errors(app)
        if not busy(app) and len(app.figures) == len(app.scenario.groups):
            await pilot.pause()
            if not busy(app):
                return
    workers = [(w.group, w.state.name, str(w.error)) for w in app.workers]
    raise AssertionError(
        f"the app did not settle: loading={app.loading} figures={sorted(app.figures)} "
        f"groups={len(app.scenario.groups)} workers={workers}"
    )


def _no_errors(app: GrouppassApp) -> None:
    """A worker failure shows an error dialog; in a test it is a failure, said plainly."""
    from grouppass_tui.screens.dialogs import ErrorScreen

    for screen in app.screen_stack:
        if isinstance(screen, ErrorScreen):
            raise AssertionError(f"error dialog: {screen._title}: {screen._detail}")


def drive(
    app: GrouppassApp,
    body: Callable[[Pilot[Any]], Awaitable[None]],
    *,
    size: tuple[int, int] = (120, 40),
) -> None:
    """Run ``body`` against ``app`` in a headless terminal of ``size``."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await settle(pilot)
            await body(pilot)

    asyncio.run(main())


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys, then wait for what they started (saves, assessments) to finish."""
    await pilot.press(*keys)
    await settle(pilot)


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Replace the text of the input ``selector``, the last character typed as a key.

    Pilot waits for the app to go idle after every key (~40 ms); typing whole
    names key by key would make the suite slow without testing anything more:
    validation runs on every change of the value either way.
    """
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    await pilot.pause()  # focus selects the text (select_on_focus): set it after that
    widget.value = text[:-1]
    widget.cursor_position = len(widget.value)
    await pilot.pause()
    if text:
        await pilot.press(text[-1])
    await pilot.pause()


def stored(db: Path) -> Scenario:
    """What is on disk now, read by a second store (another process's view)."""
    return Store.open(db).scenario()


def agency_scenario() -> Scenario:
    """Three groups: the demo's, one leaving in three weeks (late) and one in autumn (fine)."""
    scenario = example()
    base = scenario.groups[0]
    soon = later_group(base, "soon", "Umrah Rajab — Rombongan Cepat", "2018-04-10T09:00:00+08:00")
    autumn = later_group(
        base, "autumn", "Umrah Safar — Rombongan Santai", "2018-11-10T09:00:00+08:00"
    )
    return attrs.evolve(scenario, groups=(base, soon, autumn))


def screen_text(app: GrouppassApp) -> str:
    """What a person would read on the terminal now (modal screens over their background)."""
    import io

    from rich.console import Console

    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console = Console(width=app.size.width, record=True, file=io.StringIO(), color_system=None)
    console.print(update, end="")
    return console.export_text()


def content_text(screen: object, width: int = 300) -> str:
    """Every Static's content on ``screen`` as plain words, laid out so wide that nothing
    wraps: for text a dialog's border would cut in a screen capture."""
    import io

    from rich.console import Console
    from textual.screen import Screen
    from textual.widgets import Static

    assert isinstance(screen, Screen)
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    for widget in screen.query(Static):
        console.print(widget.content)
    return " ".join(console.export_text().split())
