"""From a table's cells to checked values per column, row by row.

Each row gives an :class:`Incoming`: the columns the file has, each with its
value (None for an empty cell), or problems located as ``FILE:ROW: column``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from grouppass import limits
from grouppass.dates import parse_date
from grouppass.errors import LocatedProblem
from grouppass.manifest._errors import ManifestError, problem
from grouppass.manifest.cells import cell_text
from grouppass.manifest.columns import DATE_FIELDS, FIELD_BY_HEADER, Field, normalise_header
from grouppass.manifest.read import Table
from grouppass.model import Office, Title
from grouppass.text import text_problem, visible
from grouppass.validate import tidy_nik, tidy_passport_number

__all__ = ["Columns", "Incoming", "parse_rows", "read_columns"]

_LIMITS = {
    Field.ID: limits.ID_LENGTH,
    Field.NAME: limits.NAME_LENGTH,
    Field.PASSPORT_NAME: limits.NAME_LENGTH,
    Field.PHONE: limits.PHONE_LENGTH,
    Field.OFFICE: limits.NAME_LENGTH,
    Field.NOTES: limits.NOTE_LENGTH,
}
_MULTILINE = frozenset({Field.NOTES})
_NONE = frozenset({"-", "--", "—", "–"})
"""What organisers write in a number column for "none": the cell is read as empty."""

_TITLES: dict[str, Title] = {
    **dict.fromkeys(
        ("bapak", "bpk", "bp", "pak", "tuan", "tn", "sdr", "saudara", "mr", "l", "lk",
         "laki", "laki-laki", "laki laki", "pria", "male", "m"),
        Title.BAPAK,
    ),
    **dict.fromkeys(
        ("ibu", "bu", "ny", "nyonya", "nona", "nn", "sdri", "saudari", "mrs", "ms", "miss",
         "p", "pr", "perempuan", "wanita", "female", "f"),
        Title.IBU,
    ),
}  # fmt: skip
"""Sapaan and gender as manifests write them (``Bpk.``, ``Ibu``, ``L``/``P``, ``Ny.``)."""


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
        short = text if len(text) <= 40 else text[:37] + "..."
        # Headers name the column in every message: a hostile one is shown harmless
        # (ignored ones are listed quoted, which does the same).
        shown = visible(short)
        if field is None:
            ignored.append(short)
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
    limit = _LIMITS.get(field, limits.NAME_LENGTH)
    multiline = field in _MULTILINE

    def parse(cell: object) -> str | None:
        text = cell_text(cell)
        if text is None:
            return None
        # The same check as every other text input (grouppass.text), with the column named.
        problem = text_problem(text, limit, multiline=multiline)
        if problem is not None:
            raise ValueError(problem)
        return text

    return parse


def _title(cell: object) -> Title | None:
    text = cell_text(cell)
    if text is None:
        return None
    title = _TITLES.get(" ".join(text.casefold().rstrip(".").split()))
    if title is None:
        shown = text if len(text) <= 20 else text[:17] + "..."
        raise ValueError(f"not a title: {shown!r} (write Bapak or Ibu, or L or P)")
    return title


def _number(cell: object) -> str | None:
    text = cell_text(cell)
    return None if text is None or text in _NONE else text


# Passport numbers and NIK are tidied here and judged by the model's own rule
# (grouppass.validate), whose message never holds the number itself.


def _passport(cell: object) -> str | None:
    text = _number(cell)
    return None if text is None else tidy_passport_number(text)


def _nik(cell: object) -> str | None:
    text = _number(cell)
    return None if text is None else tidy_nik(text)


def _phone(cell: object) -> str | None:
    text = _number(cell)
    return None if text is None else _text(Field.PHONE)(text)


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
    out[Field.PHONE] = _phone
    out[Field.TITLE] = _title
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
