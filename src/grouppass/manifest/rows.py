"""From a table's cells to checked values per column, row by row.

Each row gives an :class:`Incoming`: the columns the file has, each with its
value (None for an empty cell), or problems located as ``FILE:ROW: column``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from grouppass.dates import parse_date
from grouppass.errors import LocatedProblem
from grouppass.manifest._errors import ManifestError, problem
from grouppass.manifest.cells import cell_text, control_character
from grouppass.manifest.columns import DATE_FIELDS, FIELD_BY_HEADER, Field, normalise_header
from grouppass.manifest.read import Table
from grouppass.model import Office
from grouppass.pii import is_masked

__all__ = ["Columns", "Incoming", "parse_rows", "read_columns"]

_LIMITS = {
    Field.ID: 64,
    Field.NAME: 200,
    Field.PASSPORT_NAME: 200,
    Field.PHONE: 40,
    Field.OFFICE: 200,
}


@frozen
class Columns:
    """Which column of the file is which field, and what the file calls it."""

    index: dict[Field, int]
    header: dict[Field, str]
    ignored: tuple[str, ...]
    """Headers that are no manifest column grouppass knows (left alone)."""


@frozen
class Incoming:
    """One row's values, for the columns the file has (None: the cell is empty)."""

    row: int
    values: dict[Field, Any]


def read_columns(table: Table) -> Columns:
    """Map headers to fields; raises ManifestError if ``nama`` is missing or a field is doubled."""
    index: dict[Field, int] = {}
    header: dict[Field, str] = {}
    ignored: list[str] = []
    problems: list[LocatedProblem] = []
    for i, cell in enumerate(table.headers):
        text = cell_text(cell)
        if text is None:
            continue
        field = FIELD_BY_HEADER.get(normalise_header(text))
        shown = text if len(text) <= 40 else text[:37] + "..."
        if field is None:
            ignored.append(shown)
        elif field in index:
            message = f"the same column as {header[field]!r} (both are {field.value})"
            problems.append(problem(table.source, 1, shown, message))
        else:
            index[field], header[field] = i, shown
    if Field.NAME not in index:
        message = "no name column (nama or name); the header row is row 1"
        problems.append(problem(table.source, 1, "", message))
    if problems:
        raise ManifestError(problems)
    return Columns(index, header, tuple(ignored))


def _text(field: Field) -> Callable[[object], str | None]:
    limit = _LIMITS.get(field, 200)

    def parse(cell: object) -> str | None:
        text = cell_text(cell)
        if text is None:
            return None
        if len(text) > limit:
            raise ValueError(f"too long ({len(text)} characters; at most {limit})")
        bad = control_character(text)
        if bad is not None:
            raise ValueError(f"contains a control character ({bad})")
        return text

    return parse


def _passport(cell: object) -> str | None:
    text = cell_text(cell)
    if text is None:
        return None
    number = re.sub(r"[\s-]", "", text).upper()
    if is_masked(number) and len(number) <= 20:
        return number
    if not (number.isascii() and number.isalnum() and 5 <= len(number) <= 20):
        # The number itself stays out of the message: it is personal data.
        raise ValueError("not a passport number (letters and digits, e.g. B1234567)")
    return number


def _nik(cell: object) -> str | None:
    text = cell_text(cell)
    if text is None:
        return None
    nik = re.sub(r"[\s.-]", "", text)
    if is_masked(nik) and len(nik) <= 32:
        return nik
    if not (nik.isascii() and nik.isdigit() and len(nik) <= 32):
        raise ValueError("not a NIK (16 digits)")
    return nik


def _date(cell: object) -> Any:
    if isinstance(cell, str):
        text = cell_text(cell)
        return None if text is None else parse_date(text)
    return None if cell is None else parse_date(cell)


def _office(offices: Sequence[Office]) -> Callable[[object], str | None]:
    known: dict[str, str] = {}
    for o in offices:
        known[o.code.casefold()] = o.code
        known[" ".join(o.name.split()).casefold()] = o.code
    codes = ", ".join(o.code for o in offices) or "none yet"

    def parse(cell: object) -> str | None:
        text = _text(Field.OFFICE)(cell)
        if text is None:
            return None
        code = known.get(" ".join(text.split()).casefold())
        if code is None:
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise ValueError(f"unknown office {shown!r} (the database has: {codes})")
        return code

    return parse


def _parsers(offices: Sequence[Office]) -> dict[Field, Callable[[object], Any]]:
    out: dict[Field, Callable[[object], Any]] = {f: _text(f) for f in Field}
    out.update({f: _date for f in DATE_FIELDS})
    out[Field.PASSPORT] = _passport
    out[Field.NIK] = _nik
    out[Field.OFFICE] = _office(offices)
    return out


def parse_rows(
    table: Table, columns: Columns, offices: Sequence[Office]
) -> tuple[list[Incoming], list[LocatedProblem]]:
    """Every row's values; rows with a problem are left out and their problems returned."""
    parsers = _parsers(offices)
    good: list[Incoming] = []
    problems: list[LocatedProblem] = []
    for number, cells in table.rows:
        values: dict[Field, Any] = {}
        before = len(problems)
        for field, i in columns.index.items():
            cell = cells[i] if i < len(cells) else None
            try:
                values[field] = parsers[field](cell)
            except ValueError as exc:
                problems.append(problem(table.source, number, columns.header[field], str(exc)))
        if values.get(Field.NAME) is None and len(problems) == before:
            problems.append(problem(table.source, number, columns.header[Field.NAME], "empty"))
        if len(problems) == before:
            good.append(Incoming(number, values))
    return good, problems
