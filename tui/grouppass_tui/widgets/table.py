"""A DataTable filled whole from rows with keys, keeping the cursor on its row.

Every list in grouppass (groups, members, disruptions, offices) is redrawn
from fresh data after a save, a reload or new figures; this keeps the
organiser's place across those redraws and rebuilds the columns only when
they change (narrow layout, language, sort marker).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable

__all__ = ["Column", "KeyedTable", "Row"]

Column = tuple[str, Text | str, int | None]
"""(key, label, width or None to fit)."""

Row = tuple[str, Sequence[Any]]
"""(key, cells in column order)."""


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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            id=id,
            classes=classes,
            cursor_type="row",
            zebra_stripes=True,
            cursor_foreground_priority="renderable",
        )
        self._columns_sig: tuple[tuple[str, str, int | None], ...] = ()
        self._rows_sig: tuple[object, ...] = ()

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


def _cell_sig(cell: object) -> object:
    if isinstance(cell, Text):
        return (cell.plain, str(cell.style), tuple(cell.spans))
    return cell
