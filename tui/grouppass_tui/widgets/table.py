"""A DataTable filled whole from rows with keys, keeping the cursor on its row.

Every list in grouppass (groups, members, disruptions, offices) is redrawn
from fresh data after a save, a reload or new figures; this keeps the
organiser's place across those redraws and rebuilds the columns only when
they change (narrow layout, language, sort marker).

A redraw after a save changes a few cells of the same rows: those cells are
replaced in place (the rows reordered if the sort moved them), and a cell is
rendered again only if its value is new. DataTable throws every rendered cell
away on any change; rendering the ~170 cells on screen again was most of the
time from new figures to the screen showing them.

A cell is rendered in two layers, as DataTable does it: its text laid out in
its width (the costly part: Rich's padding and text wrapping, ~0.1 ms a cell),
then the row's style (zebra stripe, cursor, hover) and the cell's place (the
mouse's meta) laid over it. The text is kept per cell while the cell holds
the same value, so a row that the sort moved, or that scrolls into view, only
takes the style again; and after each fill the text of every cell (up to
:data:`WARM_CELLS`) is laid out while the app is idle, so that the rows the
cursor follows a member to after a save (often never on screen yet) cost
~0.01 ms a cell. The result is DataTable's own, segment for segment
(``tests/tui/test_table.py``).

Whole lines are kept too, by their row and the row's place rather than by
DataTable's count of every change to the table: a cell changed in place, a new
height (the advice panel above growing by a line) or the cursor moving renders
again only the rows they touch (with a row cursor, the row it leaves and the
row it comes to), where DataTable renders every line on screen again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual._two_way_dict import TwoWayDict
from textual._types import SegmentLines
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey
from textual.widgets.data_table import Row as DataTableRow

__all__ = ["Column", "KeyedTable", "Row"]

Column = tuple[str, Text | str, int | None]
"""(key, label, width or None to fit)."""

Row = tuple[str, Sequence[Any]]
"""(key, cells in column order)."""


class Place(NamedTuple):
    """Where a cell is: its row and column, by key and by index on screen."""

    row_key: RowKey
    column_key: ColumnKey
    row: int
    column: int


WARM_CELLS = 2_000
"""A table of at most this many cells has every cell's text laid out ahead, when idle
(a group's members; not the agency's 400 groups)."""
WARM_STEP = 40
"""Cells laid out per idle step: a few milliseconds, so a key press is never kept waiting."""


class KeyedTable(DataTable[Any]):
    """DataTable with ``fill(columns, rows)`` that keeps the cursor row across redraws."""

    DEFAULT_CSS = """
    KeyedTable {
        height: 1fr;
    }
    """

    # DataTable hides its Enter binding; here Enter opens the row, so the footer shows it.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="table.open", tooltip="Open this row"),
        # DataTable's Home/End scroll sideways; in a list of rows they mean the first and last.
        Binding("home", "first_row", "First", show=False, id="table.first", tooltip="First row"),
        Binding("end", "last_row", "Last", show=False, id="table.last", tooltip="Last row"),
    ]

    _layout = 0
    """Bumped whenever DataTable throws its caches away (padding, stripes, styles...):
    part of the key of every rendered cell, line and row style kept here. A class
    default, as DataTable does so while it is made."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=True,
            cursor_foreground_priority="renderable",
        )
        self._columns_sig: tuple[tuple[str, str, int | None], ...] = ()
        self._rows_sig: tuple[tuple[str, tuple[object, ...]], ...] = ()
        self._cells: LRUCache[tuple[object, ...], tuple[object, SegmentLines]] = LRUCache(4096)
        """Rendered cells by their row and column and everything else that shapes them,
        kept while the cell holds the very same value."""
        self._texts: LRUCache[tuple[RowKey, ColumnKey, int], tuple[object, SegmentLines]]
        self._texts = LRUCache(8192)
        """Each cell's text laid out in its width, before the row's style: by its row,
        column and width, kept while the cell holds the very same value."""
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(1000)
        """Rendered lines of one-line rows, by their place and look and the row's own
        changes (see :meth:`_render_line`)."""
        self._row_changes: dict[RowKey, int] = {}
        """Per row, how many of its cells were changed (by ``update_cell``)."""
        self._kept_updates = 0
        """How many of DataTable's updates leave other rows' lines as they were: a cell
        changed in place (counted against its row), a new order of the same rows (a
        line's key holds its row's place), a new size (it holds the width)."""
        self._row_styles: LRUCache[tuple[str, Style, int], Style] = LRUCache(16)
        """The style of a row by its kind (header, fixed, odd, even, plain)."""
        self._warming = False

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0, animate=False, scroll=True)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False, scroll=True)

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key
        except Exception:  # the cursor can sit past the end for a moment after a clear
            return None
        return key.value

    def row_keys(self) -> list[str]:
        return [row.key.value or "" for row in self.ordered_rows]

    def fill(
        self,
        columns: Sequence[Column],
        rows: Sequence[Row],
        *,
        select: str | None = None,
        flex: str | None = None,
        room: int | None = None,
    ) -> None:
        """Show ``rows`` under ``columns``; the cursor stays on ``select`` or its current row.

        Widths are measured here rather than left to DataTable's lazy sizing, so
        ``flex`` (a names column) can take exactly what the others leave of
        ``room`` cells: the figures to its right never scroll off a narrow screen.
        """
        keep = select or self.current_key
        keep_index = self.cursor_row
        widths = self._measure(columns, rows)
        if flex is not None and room is not None and flex in widths:
            others = sum(w for k, w in widths.items() if k != flex)
            pads = 2 * self.cell_padding * len(widths)
            widths[flex] = max(min(room - others - pads, 48, widths[flex]), 10)
        sig = tuple((k, str(label), widths[k]) for k, label, _ in columns)
        rows_sig = tuple((key, tuple(_cell_sig(c) for c in cells)) for key, cells in rows)
        if sig == self._columns_sig and rows_sig == self._rows_sig:
            # Nothing to show that is not on screen: redrawing 45 rows costs ~20 ms of
            # rendering, and a save asks for two redraws (new data, new figures).
            if select is not None and select in self.row_keys():
                self.move_cursor(row=self.row_keys().index(select), animate=False)
            return
        if sig == self._columns_sig and self._replace_cells(columns, rows, rows_sig):
            self._rows_sig = rows_sig
            index = next((i for i, (key, _) in enumerate(rows) if key == keep), None)
            if index is not None and index != self.cursor_row:
                self.move_cursor(row=index, animate=False, scroll=True)
            self._warm_later()
            return
        self._rows_sig = rows_sig
        if sig != self._columns_sig:
            self.clear(columns=True)
            for key, label, _ in columns:
                text = label if isinstance(label, Text) else Text(label)
                self.add_column(text, key=key, width=widths[key])
            self._columns_sig = sig
        else:
            self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if not rows:
            return
        index = next((i for i, (key, _) in enumerate(rows) if key == keep), None)
        if index is None:
            index = min(keep_index, len(rows) - 1)
        self.move_cursor(row=index, animate=False, scroll=True)
        self._warm_later()

    def _replace_cells(
        self,
        columns: Sequence[Column],
        rows: Sequence[Row],
        rows_sig: tuple[tuple[str, tuple[object, ...]], ...],
    ) -> bool:
        """Show ``rows`` by changing only the cells that differ; False if the rows are not
        the ones on screen (then the table is filled again)."""
        old = dict(self._rows_sig)
        if len(old) != len(self._rows_sig) or len(rows) != len(old):
            return False
        if any(key not in old for key, _ in rows_sig):
            return False
        keys = [k for k, _, _ in columns]
        for (key, cells), (_, cell_sigs) in zip(rows, rows_sig, strict=True):
            before = old[key]
            if before == cell_sigs:
                continue
            for column, cell, was, now in zip(keys, cells, before, cell_sigs, strict=True):
                if was != now:
                    self.update_cell(key, column, cell)
        order = [key for key, _ in rows]
        if order != [key for key, _ in self._rows_sig]:
            # DataTable.sort, by the new order: no cell is built again.
            located = {row_key.value: row_key for row_key in self.rows}
            self._row_locations = TwoWayDict({located[k]: i for i, k in enumerate(order)})
            self._update_count += 1
            self._kept_updates += 1  # rows that kept their place keep their lines
            self.refresh()
        return True

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        if row_index < 0 or column_index < 0:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        value = self._data[row_key][column_key]
        place = Place(row_key, column_key, row_index, column_index)
        key = (
            row_key,
            column_key,
            row_index,
            column_index,
            base_style,
            width,
            cursor,
            hover,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self.rows[row_key].height,
            self._layout,
        )
        found = self._cells.get(key)
        if found is not None and found[0] is value:
            return found[1]
        if _one_line(self.rows[row_key]):
            lines = self._styled(value, place, base_style, width, cursor, hover)
        else:
            lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        self._cells[key] = (value, lines)  # the value kept: the cell may get another
        return lines

    def _styled(
        self,
        value: object,
        place: Place,
        base_style: Style,
        width: int,
        cursor: bool,
        hover: bool,
    ) -> SegmentLines:
        """A one-line cell as ``DataTable._render_cell`` renders it: the laid-out text
        with the same styles applied, in the same order (Textual's ``Styled``)."""
        component, post = self._get_styles_to_render_cell(
            False,
            False,
            place.row < self.fixed_rows or place.column < self.fixed_columns,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre = base_style + Style.from_meta({"row": place.row, "column": place.column})
        pre += component
        text = self._text(value, place, width)
        return [list(Segment.apply_style(line, pre, post)) for line in text]

    def _text(self, value: object, place: Place, width: int) -> SegmentLines:
        """The cell's text (``value``, at ``place``) laid out in ``width`` cells, padding
        included, unstyled."""
        found = self._kept_text(value, place, width)
        if found is not None:
            return found
        cell = self._get_row_renderables(place.row).cells[place.column]
        options = self.app.console_options.update_dimensions(width, 1).update(no_wrap=True)
        text = self.app.console.render_lines(Padding(cell, (0, self.cell_padding)), options)
        self._texts[(place.row_key, place.column_key, width)] = (value, text)
        return text

    def _kept_text(self, value: object, place: Place, width: int) -> SegmentLines | None:
        found = self._texts.get((place.row_key, place.column_key, width))
        return found[1] if found is not None and found[0] is value else None

    def _warm_later(self) -> None:
        """Lay out every cell's text ahead, a step at a time while the app is idle."""
        if not self._warming and 0 < self.row_count * len(self.columns) <= WARM_CELLS:
            self._warming = True
            self.call_after_refresh(self._warm)

    def _warm(self) -> None:
        self._warming = False
        if not self.is_attached:
            return
        left = WARM_STEP
        widths = [c.get_render_width(self) for c in self.ordered_columns]
        for row_index, row in enumerate(self.ordered_rows):
            if not _one_line(row):
                continue
            values = self._data[row.key]
            for column_index, column in enumerate(self.ordered_columns):
                value = values.get(column.key)
                place = Place(row.key, column.key, row_index, column_index)
                if self._kept_text(value, place, widths[column_index]) is not None:
                    continue
                self._text(value, place, widths[column_index])
                left -= 1
                if left == 0:
                    self._warm_later()
                    return

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._layout += 1  # a theme or CSS change: every colour may be another

    def _on_resize(self, _: events.Resize) -> None:
        # DataTable's own handler (called after this one: Textual calls each class's)
        # counts a resize as a change of everything. A line depends on the width alone,
        # which is in its key: the advice panel growing by a line must not renew them all.
        self._kept_updates += 1

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        # DataTable works the row's style out from the CSS of every ancestor, for every
        # line it renders; it is one of five kinds, kept until the styles change.
        kind = (
            "header"
            if row_index == -1
            else "fixed"
            if row_index < self.fixed_rows
            else ("odd" if row_index % 2 else "even")
            if self.zebra_stripes
            else "plain"
        )
        key = (kind, base_style, self._layout)
        found = self._row_styles.get(key)
        if found is None:
            found = super()._get_row_style(row_index, base_style)
            self._row_styles[key] = found
        return found

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._layout += 1

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: object,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        if not update_width:  # a new width moves every row's cells: not one row's change
            key = row_key if isinstance(row_key, RowKey) else RowKey(row_key)
            self._row_changes[key] = self._row_changes.get(key, 0) + 1
            self._kept_updates += 1

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A line of the table, kept while its row and everything around it are the same.

        DataTable keys its lines by a count of every change to the table and by the
        cursor's place, so a save that changes one member's cells (and moves the cursor
        to them, and the row in the sort) renders all ~35 rows on screen again (~15 ms).
        Here a line is kept by its row, the row's place and the row's own changes
        (``update_cell``, what a redraw after a save does), and, with a row cursor,
        whether the cursor and the mouse are on it; any other change (rows added or
        removed, columns, widths, styles) renews every line, as in DataTable.
        """
        try:
            row_key, offset = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        row = self.rows.get(row_key)
        if row is None or not _one_line(row):
            return super()._render_line(y, x1, x2, base_style)
        index = self._row_locations.get(row_key)
        cursor, hover = self.cursor_coordinate, self.hover_coordinate
        # With a row cursor a row's look depends on the cursor and the mouse only
        # through "on this row?" (DataTable's _should_highlight compares rows alone).
        here = (
            (cursor.row == index, hover.row == index)
            if self.cursor_type == "row"
            else (cursor, hover)
        )
        key = (
            row_key,
            index,
            offset,
            x1,
            x2,
            self.size.width,
            *here,
            base_style,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self._update_count - self._kept_updates,
            self._layout,
            self._row_changes.get(row_key, 0),
        )
        found = self._lines.get(key)
        if found is None:
            found = super()._render_line(y, x1, x2, base_style)
            self._lines[key] = found
        return found

    @staticmethod
    def _measure(columns: Sequence[Column], rows: Sequence[Row]) -> dict[str, int]:
        widths: dict[str, int] = {}
        for i, (key, label, fixed) in enumerate(columns):
            if fixed is not None:
                widths[key] = fixed
                continue
            width = cell_len(str(label))
            for _, cells in rows:
                if i < len(cells):
                    cell = cells[i]
                    text = cell.plain if isinstance(cell, Text) else str(cell)
                    width = max(width, max((cell_len(x) for x in text.split("\n")), default=0))
            widths[key] = width
        return widths


def _one_line(row: DataTableRow) -> bool:
    """Rows of one line take the two-layer rendering; others, DataTable's own."""
    return row.height == 1 and not row.auto_height


def _cell_sig(cell: object) -> object:
    if isinstance(cell, Text):
        return (cell.plain, str(cell.style), tuple(cell.spans))
    return cell
