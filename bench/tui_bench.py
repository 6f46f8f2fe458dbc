"""The organiser's TUI on a big agency: how long the organiser waits.

    .venv/bin/python bench/tui_bench.py                     # 10,000 travellers, 400 groups
    .venv/bin/python bench/tui_bench.py --repeat 9          # more rounds per figure

Targets (issue 4, "Speed"), with a database of 10,000 travellers in 400 groups:

* first screen painted in under 1.5 s from the command (``grouppass-tui``,
  started in a real terminal under tmux and timed until the groups list is on
  screen; tmux is required for this figure);
* opening a group of 45 and painting its table: under 150 ms;
* recording a stage until the new figures are on screen: under 200 ms (the
  app assesses only the open group on an edit, not the whole agency); issue
  11 asks for under 100 ms, and that is the target checked.

The last two run the real app headless (``App.run_test``) at 120x40 and time
from the key press to the end of the first paint that began with the result
in the widgets; each is the median of ``--repeat`` rounds. Also reported: how
long the whole agency's figures take to arrive after start-up (they fill the
list in the background).

The agency comes from ``make_agency.py`` (10,000 travellers, seed 0); its
biggest groups are split until there are 400, keeping at least one group of
45. Exit code 0 when every target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).parent))

from make_agency import AS_OF, generate

from grouppass.formats import parse_scenario
from grouppass.model import Group, Scenario
from grouppass.store import Store

TARGETS = {"first_paint": 1.5, "open_group": 0.150, "record_stage": 0.100}
CLOCK_AT = dt.datetime(2026, 2, 2, 1, 0, tzinfo=dt.UTC)


def agency(travellers: int, groups: int, seed: int) -> Scenario:
    """``travellers`` in exactly ``groups`` groups, at least one of 45 members."""
    scenario = parse_scenario(generate(travellers, seed=seed))
    out = list(scenario.groups)
    keep = next(g.id for g in out if len(g.members) == 45)
    while len(out) < groups:
        out.sort(key=lambda g: (g.id == keep, -len(g.members)))
        big = out.pop(0)
        half = len(big.members) // 2
        out += [
            attrs.evolve(big, members=big.members[:half]),
            attrs.evolve(big, id=f"{big.id}-b", name=f"{big.name} (b)", members=big.members[half:]),
        ]
    return attrs.evolve(scenario, groups=tuple(out[:groups]))


def first_paint(db: Path, tmp: Path, repeat: int) -> tuple[float, float] | None:
    """Median seconds from starting ``grouppass-tui`` to the list on screen, and to all figures."""
    tmux = shutil.which("tmux")
    command = Path(sys.executable).with_name("grouppass-tui")
    if tmux is None or not command.exists():
        return None
    paints, fulls = [], []
    for _ in range(repeat):
        name = f"grouppass-bench-{uuid.uuid4().hex[:8]}"
        env = f"GROUPPASS_CONFIG_DIR={shlex.quote(str(tmp / 'config'))} LANG=C.UTF-8"
        argv = [str(command), "--db", str(db), "--as-of", AS_OF.isoformat(), "--lang", "en"]
        shell = f"env {env} {shlex.join(argv)}"
        start = time.perf_counter()
        subprocess.run(
            [tmux, "new-session", "-d", "-s", name, "-x", "120", "-y", "40", shell],
            check=True, env={**os.environ, "TMUX": ""},
        )  # fmt: skip
        paint = full = None
        try:
            while time.perf_counter() - start < 30:
                screen = subprocess.run(
                    [tmux, "capture-pane", "-p", "-t", name], capture_output=True, text=True
                ).stdout
                now = time.perf_counter() - start
                # Painted: the summary and the first rows of the list are on screen.
                if paint is None and re.search(r"\b\d[\d,.]* groups\b", screen) and " d " in screen:
                    paint = now
                if paint is not None and "computing" not in screen and "…" not in screen:
                    full = now
                    break
                time.sleep(0.005)
        finally:
            subprocess.run([tmux, "kill-session", "-t", name], capture_output=True)
        if paint is None or full is None:
            raise RuntimeError("grouppass-tui never showed the groups list")
        paints.append(paint)
        fulls.append(full)
    return statistics.median(paints), statistics.median(fulls)


class PaintClock:
    """Notes when each screen update reaches the terminal (headless: the compositor ran).

    The app is timed without Pilot's helpers: ``pilot.press`` and
    ``pilot.pause`` wait for the process to go idle and force extra repaints,
    which would measure the harness rather than the app.
    """

    def __init__(self) -> None:
        from textual.screen import Screen

        self.last = 0.0
        self._done: Callable[[], bool] | None = None
        self._shown: float | None = None
        original = Screen._compositor_refresh
        clock = self

        def refresh(screen: Screen[object]) -> None:
            # Asked before the paint: a paint that begins with the result in the widgets
            # is the one that shows it.
            showing = clock._done is not None and clock._shown is None and clock._done()
            original(screen)
            clock.last = time.perf_counter()
            if showing:
                clock._shown = clock.last

        Screen._compositor_refresh = refresh  # type: ignore[method-assign]

    async def until_painted(self, done: Callable[[], bool], since: float) -> float:
        """Seconds from ``since`` to the end of the first paint that began with ``done()``
        true. Asked at each paint, not by polling: a poll that comes after the paint
        would wait for the next one (the toast's, 100-200 ms later) and count it."""
        self._done, self._shown = done, None
        try:
            while self._shown is None:
                await asyncio.sleep(0.0005)
            return self._shown - since
        finally:
            self._done = None


async def _in_app(db: Path, group_id: str, repeat: int) -> dict[str, float]:
    from grouppass_tui.app import GrouppassApp
    from grouppass_tui.data import StoreAgency
    from grouppass_tui.screens.forms import StageForm
    from grouppass_tui.screens.group import GroupScreen
    from grouppass_tui.settings import Settings
    from grouppass_tui.widgets.members_table import MembersTable
    from textual import events

    paint = PaintClock()
    app = GrouppassApp(
        StoreAgency(db, clock=lambda: CLOCK_AT, actor="bench"),
        as_of=AS_OF, lang="en", poll_seconds=None, settings=Settings(),
    )  # fmt: skip

    def key(name: str, character: str | None = None) -> None:
        app.post_message(events.Key(name, character))

    out: dict[str, list[float]] = {"open_group": [], "record_stage": [], "all_figures": []}
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        out["all_figures"].append(await paint.until_painted(
            lambda: not app.loading and len(app.figures) == len(app.scenario.groups), start
        ))  # fmt: skip

        def group_drawn() -> bool:
            screen = app.screen
            if not isinstance(screen, GroupScreen) or group_id not in app.figures:
                return False
            tables = screen.query(MembersTable)
            return bool(tables) and tables.first().row_count == 45

        for _ in range(repeat):
            await pilot.pause(0.2)  # let the groups list settle between rounds
            table = app.screen.query_one("#groups-table")
            table.move_cursor(row=table.row_keys().index(group_id))  # type: ignore[attr-defined]
            await pilot.pause(0.05)
            t0 = time.perf_counter()
            key("enter", "\r")
            out["open_group"].append(await paint.until_painted(group_drawn, t0))

            # Record a stage for a member who can take one.
            members = app.screen.query_one(MembersTable)
            group = app.scenario.group(group_id)
            row = next(
                i for i, m in enumerate(members.shown)
                if (group.member(m).application or attrs_none).collected is None
            )  # fmt: skip
            members.move_cursor(row=row)
            await pilot.pause(0.05)
            key("s", "s")
            while not isinstance(app.screen, StageForm):
                await asyncio.sleep(0.001)
            await pilot.pause(0.1)
            before = app.figures[group_id]
            t0 = time.perf_counter()
            key("ctrl+s")

            def refigured(before: object = before) -> bool:
                return app.figures.get(group_id) is not before and isinstance(
                    app.screen, GroupScreen
                )

            out["record_stage"].append(await paint.until_painted(refigured, t0))
            await pilot.pause(0.05)
            key("escape")
            while isinstance(app.screen, GroupScreen):
                await asyncio.sleep(0.001)
    return {k: statistics.median(v) for k, v in out.items()}


class _NoApplication:
    collected = None


attrs_none = _NoApplication()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--travellers", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-first-paint", action="store_true", help="skip the tmux figure (in-app figures only)"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="grouppass-tui-bench-") as tmpdir:
        tmp = Path(tmpdir)
        t0 = time.perf_counter()
        scenario = agency(args.travellers, args.groups, args.seed)
        db = tmp / "agency.json"
        Store.create(db, scenario=scenario, at=CLOCK_AT, actor="bench")
        big: Group = next(g for g in scenario.groups if len(g.members) == 45)
        travellers = sum(len(g.members) for g in scenario.groups)
        print(
            f"database: {travellers} travellers in {len(scenario.groups)} groups "
            f"(built in {time.perf_counter() - t0:.1f} s); group of 45: {big.id}"
        )

        results: dict[str, float] = {}
        paint = None if args.no_first_paint else first_paint(db, tmp, args.repeat)
        if paint is None:
            print("first screen: skipped (--no-first-paint, or no tmux or grouppass command)")
        else:
            results["first_paint"] = paint[0]
            print(f"whole agency's figures on screen (from the command): {paint[1]:.2f} s")
        in_app = asyncio.run(_in_app(db, big.id, args.repeat))
        results |= {k: in_app[k] for k in ("open_group", "record_stage")}
        print(f"whole agency's figures after start-up (in-process): {in_app['all_figures']:.2f} s")

    failed = False
    labels = {
        "first_paint": "first screen painted, from the command",
        "open_group": "open a group of 45, table painted",
        "record_stage": "record a stage, new figures on screen",
    }
    for key, label in labels.items():
        if key not in results:
            continue
        value, target = results[key], TARGETS[key]
        ok = value <= target
        failed |= not ok
        print(
            f"{label:<42} {value * 1000:7.0f} ms  target {target * 1000:5.0f} ms  "
            f"{'PASS' if ok else 'FAIL'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
