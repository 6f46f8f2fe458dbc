"""KeyedTable: a redraw of the same rows changes cells in place; it shows what a new fill shows."""

from __future__ import annotations

import asyncio

from grouppass_tui.widgets.table import Column, KeyedTable, Row
from rich.text import Text
from textual.app import App, ComposeResult

COLUMNS: list[Column] = [("name", "Name", 12), ("p", "P", 6), ("risk", "Risk", 10)]


def rows(order: list[str], p: dict[str, int]) -> list[Row]:
    return [
        (key, [Text(key), Text(f"{p[key]}%", justify="right"), "late" if p[key] < 50 else "ok"])
        for key in order
    ]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield KeyedTable(id="t")


def screen_lines(table: KeyedTable) -> list[list[object]]:
    """Every line the table renders, segment by segment (text, style and its meta)."""
    return [list(table.render_line(y)) for y in range(table.size.height)]


def test_a_redraw_in_place_shows_what_a_fresh_fill_shows() -> None:
    keys = [f"m{i:02}" for i in range(30)]
    before = {k: 40 + i for i, k in enumerate(keys)}
    after = dict(before, m03=97, m10=12, m20=61)  # m03 and m10 move; m20 only changes
    order = sorted(keys, key=lambda k: after[k])

    async def run() -> tuple[list[list[object]], list[list[object]], list[str], str | None]:
        edited, fresh = TableApp(), TableApp()
        async with edited.run_test(size=(40, 20)) as pilot:
            table = edited.query_one(KeyedTable)
            table.fill(COLUMNS, rows(keys, before))
            table.move_cursor(row=keys.index("m03"))
            await pilot.pause()
            shown = screen_lines(table)  # renders (and keeps) every cell on screen
            kept = table.get_cell("m00", "name")
            table.fill(COLUMNS, rows(order, after))
            assert table.get_cell("m00", "name") is kept  # in place: the same cell object
            await pilot.pause()
            in_place = screen_lines(table)
            assert in_place != shown
            got_keys, cursor = table.row_keys(), table.current_key
            assert [table.get_row(k) for k in order] == [cells for _, cells in rows(order, after)]
        async with fresh.run_test(size=(40, 20)) as pilot:
            table = fresh.query_one(KeyedTable)
            table.fill(COLUMNS, rows(order, after), select="m03")
            await pilot.pause()
            expected = screen_lines(table)
        return in_place, expected, got_keys, cursor

    in_place, expected, got_keys, cursor = asyncio.run(run())
    assert got_keys == order
    assert cursor == "m03"  # the organiser's row, wherever the sort moved it
    assert in_place == expected
