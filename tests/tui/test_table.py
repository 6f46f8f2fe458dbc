"""KeyedTable: a redraw of the same rows changes cells in place; it shows what a new fill shows."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from grouppass_tui.widgets.table import Column, KeyedTable, Row
from rich.padding import Padding
from rich.text import Text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

COLUMNS: list[Column] = [("name", "Name", 12), ("p", "P", 6), ("risk", "Risk", 10)]


def rows(order: list[str], p: dict[str, int]) -> list[Row]:
    return [
        (key, [Text(key), Text(f"{p[key]}%", justify="right"), "late" if p[key] < 50 else "ok"])
        for key in order
    ]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield KeyedTable(id="t")


Lines = list[list[object]]


def screen_lines(table: KeyedTable) -> Lines:
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


def rows_rendered(table: KeyedTable, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """From now on, the key of each row ``table`` renders a line of (None: the header)."""
    rendered: list[str | None] = []
    original = table._render_line_in_row

    def counted(row_key: Any, *args: Any, **kwargs: Any) -> Any:
        rendered.append(row_key.value)
        return original(row_key, *args, **kwargs)

    monkeypatch.setattr(table, "_render_line_in_row", counted)
    return rendered


async def filled(pilot: Pilot[None], shown: list[Row]) -> KeyedTable:
    """The app's table filled with ``shown`` under COLUMNS, once painted."""
    table = pilot.app.query_one(KeyedTable)
    table.fill(COLUMNS, shown)
    await pilot.pause()
    return table


def body_rows(rendered: list[str | None]) -> list[str]:
    """The rows rendered, without the header (DataTable's own, by its count of changes)."""
    return sorted({key for key in rendered if key is not None})


def test_a_change_of_one_row_renders_that_row_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a save one member's cells change: only that row's line is rendered again
    (DataTable renders every line on screen again), and the screen is a fresh fill's."""
    keys = [f"m{i:02}" for i in range(30)]
    before = {k: 40 + i for i, k in enumerate(keys)}
    after = dict(before, m05=55)  # the same order: one row's cells change in place

    async def run() -> tuple[list[str], list[str], Lines, Lines, Lines, Lines]:
        async with TableApp().run_test(size=(40, 20)) as pilot:
            table = await filled(pilot, rows(keys, before))
            screen_lines(table)
            rendered = rows_rendered(table, monkeypatch)
            table.fill(COLUMNS, rows(keys, after))
            await pilot.pause()  # the paint
            in_place = screen_lines(table)
            changed = body_rows(rendered)
            rendered.clear()
            table.move_cursor(row=10)  # the row it leaves and the row it comes to
            await pilot.pause()
            moved = screen_lines(table)
        async with TableApp().run_test(size=(40, 20)) as pilot:
            table = await filled(pilot, rows(keys, after))
            fresh = screen_lines(table)
            table.move_cursor(row=10)
            await pilot.pause()
            fresh_moved = screen_lines(table)
        return changed, body_rows(rendered), in_place, fresh, moved, fresh_moved

    changed, cursor, in_place, fresh, moved, fresh_moved = asyncio.run(run())
    assert changed == ["m05"]
    assert cursor == ["m00", "m10"]
    assert in_place == fresh and moved == fresh_moved


def test_a_new_height_renders_no_row_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A panel above growing by a few lines shrinks the table: its width, and so every
    line, is the same (DataTable counts a resize as a change of everything)."""
    keys = [f"m{i:02}" for i in range(30)]
    p = {k: 40 + i for i, k in enumerate(keys)}

    async def run() -> tuple[list[str], Lines, Lines]:
        async with TableApp().run_test(size=(40, 20)) as pilot:
            table = await filled(pilot, rows(keys, p))
            screen_lines(table)
            rendered = rows_rendered(table, monkeypatch)
            await pilot.resize_terminal(40, 14)
            await pilot.pause()
            assert table.size.height == 14
            shrunk = screen_lines(table)
        async with TableApp().run_test(size=(40, 14)) as pilot:
            table = await filled(pilot, rows(keys, p))
            fresh = screen_lines(table)
        return body_rows(rendered), shrunk, fresh

    rendered, shrunk, fresh = asyncio.run(run())
    assert rendered == []
    assert shrunk == fresh


def test_another_theme_renders_every_line_again() -> None:
    """Lines and row styles are kept until the styles change: after a change of theme
    the table shows what a table started in that theme shows."""
    keys = [f"m{i:02}" for i in range(30)]
    p = {k: 40 + i for i, k in enumerate(keys)}

    async def run() -> tuple[Lines, Lines, Lines]:
        async with TableApp().run_test(size=(40, 20)) as pilot:
            table = await filled(pilot, rows(keys, p))
            dark = screen_lines(table)
            pilot.app.theme = "textual-light"
            await pilot.pause()
            switched = screen_lines(table)
        app = TableApp()
        app.theme = "textual-light"
        async with app.run_test(size=(40, 20)) as pilot:
            table = await filled(pilot, rows(keys, p))
            light = screen_lines(table)
        return dark, switched, light

    dark, switched, light = asyncio.run(run())
    assert switched != dark
    assert switched == light


WIDE: list[Column] = [("name", "Name", 10), ("p", "P", 5), ("note", "Note", 8), ("n", "N", 4)]


def wide_rows(n: int) -> list[Row]:
    """Cells of every kind the app shows: styled spans, right-justified, too long for
    the column, wide characters, empty, plain strings, numbers."""
    out: list[Row] = []
    for i in range(n):
        name = Text(f"Pilgrim {i:02} Siti Nurhaliza")  # longer than 10: cut
        name.stylize("bold", 0, 7)
        p = Text(f"{(i * 37) % 100}%", justify="right", style="red" if i % 3 else "")
        note = ["", "集合 ✓", "ok", Text("late", style="reverse"), Text("hold", style="on blue")][
            i % 5
        ]
        out.append((f"r{i:02}", [name, p, note, i * 11]))
    return out


class PlainApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable(
            cursor_type="row", zebra_stripes=True, cursor_foreground_priority="renderable"
        )


@pytest.mark.parametrize("priority", ["renderable", "css"])
def test_cells_render_as_datatable_renders_them(priority: str) -> None:
    """Text laid out once and styled per row gives DataTable's own segments: every
    style, the zebra stripe, the cursor (its colours over the cell's, or under them)
    and the meta the mouse reads."""
    rows = wide_rows(40)

    def prefer(table: DataTable[Any]) -> None:
        table.cursor_foreground_priority = priority  # type: ignore[assignment]
        table.cursor_background_priority = priority  # type: ignore[assignment]

    async def run() -> tuple[list[list[list[object]]], list[list[list[object]]]]:
        ours: list[list[list[object]]] = []
        theirs: list[list[list[object]]] = []
        async with TableApp().run_test(size=(40, 12)) as pilot:
            table = pilot.app.query_one(KeyedTable)
            prefer(table)
            table.fill(WIDE, rows)
            for row in (0, 3, 30, 39):  # the cursor down to rows never on screen before
                table.move_cursor(row=row)
                await pilot.pause()
                ours.append(screen_lines(table))
        async with PlainApp().run_test(size=(40, 12)) as pilot:
            plain = pilot.app.query_one(DataTable)
            prefer(plain)
            for key, _, width in WIDE:
                plain.add_column(Text(key.title() if key != "p" else "P"), key=key, width=width)
            for key, cells in rows:
                plain.add_row(*cells, key=key)
            for row in (0, 3, 30, 39):
                plain.move_cursor(row=row)
                await pilot.pause()
                theirs.append(screen_lines(plain))  # type: ignore[arg-type]
        return ours, theirs

    ours, theirs = asyncio.run(run())
    assert len(ours) == 4 and ours == theirs


def test_rows_off_screen_are_laid_out_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a fill, while idle, every cell's text is laid out: a save that moves the
    cursor to rows never on screen then only styles them."""
    rows = wide_rows(40)
    laid_out: list[object] = []

    async def run() -> tuple[int, list[object]]:
        async with TableApp().run_test(size=(40, 12)) as pilot:
            table = pilot.app.query_one(KeyedTable)
            table.fill(WIDE, rows)
            for _ in range(40):  # idle steps of WARM_STEP cells
                await pilot.pause()
            kept = len(table._texts)
            render = table.app.console.render_lines

            def counted(*args: Any, **kwargs: Any) -> Any:
                laid_out.append(args[0])
                return render(*args, **kwargs)

            monkeypatch.setattr(table.app.console, "render_lines", counted)
            table.move_cursor(row=39)
            await pilot.pause()
            screen_lines(table)
            return kept, [x for x in laid_out if isinstance(x, Padding)]

    kept, padded = asyncio.run(run())
    assert kept == len(rows) * len(WIDE)
    assert padded == []  # no cell's text laid out again at the bottom
