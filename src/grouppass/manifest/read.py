"""Reading a manifest file into rows of cells: CSV (any common encoding and delimiter) or XLSX.

Nothing here knows what the columns mean; :mod:`.rows` does.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from attrs import frozen

from grouppass.manifest._errors import ManifestError, problem

__all__ = ["MAX_CELL", "Table", "read_table", "sniff_kind"]

MAX_CELL = 100_000
"""Longer cells make the file unreadable rather than a row bad: nobody types that much."""


@frozen
class Table:
    """A sheet: its header cells and its data rows, each with its row number (header = 1)."""

    source: str
    headers: tuple[object, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]


def sniff_kind(path: Path) -> str:
    """``"csv"``, ``"xlsx"`` or ``"json"``: by extension, else by the first bytes."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".json":
        return "json"
    if suffix in (".xls", ".ods"):
        raise ManifestError(
            [problem(str(path), None, "", f"{suffix} files are not read; save it as .xlsx or .csv")]
        )
    try:
        with open(path, "rb") as f:
            head = f.read(8).lstrip(codecs.BOM_UTF8)
    except OSError:
        return "csv"  # read_table reports the OSError
    if head.startswith(b"PK"):
        return "xlsx"
    if head.lstrip().startswith(b"{"):
        return "json"
    return "csv"


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise ManifestError([problem(str(path), None, "", message)]) from None


def _decode(data: bytes, source: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            # Excel's "CSV" on an Indonesian Windows writes the ANSI code page.
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    message = 'not text in a known encoding; save it as "CSV UTF-8"'
    raise ManifestError([problem(source, None, "", message)])


def _delimiter(text: str) -> str:
    """The separator that makes the most sense of the header row.

    Excel on an Indonesian Windows writes ``;``, elsewhere ``,``; some tools
    write tabs. The winner is the one under which most header cells are
    columns grouppass knows, then the one that gives the most cells.
    """
    from grouppass.manifest.columns import FIELD_BY_HEADER, normalise_header

    def score(delimiter: str) -> tuple[int, int]:
        reader = csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter)
        header = next(reader, [])
        known = sum(normalise_header(cell) in FIELD_BY_HEADER for cell in header)
        return known, len(header)

    return max((",", ";", "\t", "|"), key=score)


def _csv(path: Path) -> Table:
    source = str(path)
    text = _decode(_read_bytes(path), source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records: list[tuple[int, tuple[object, ...]]] = []
    csv.field_size_limit(MAX_CELL)
    try:
        for number, record in enumerate(reader, start=1):
            records.append((number, tuple(record)))
    except csv.Error as exc:
        # The only csv.Error left with the default dialect: a cell over MAX_CELL.
        message = f"unreadable CSV ({exc}); is it a manifest?"
        raise ManifestError([problem(source, len(records) + 1, "", message)]) from None
    return _table(source, records)


def _table(source: str, records: Sequence[tuple[int, tuple[object, ...]]]) -> Table:
    records = [(n, cells) for n, cells in records if any(_filled(c) for c in cells)]
    if not records:
        raise ManifestError([problem(source, None, "", "the file is empty: no header row")])
    (_, headers), *rows = records
    return Table(source, headers, tuple(rows))


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _xlsx_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, tuple[object, ...]]]:
    import openpyxl  # imported here: it is slow to import and only XLSX needs it

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            names = ", ".join(repr(n) for n in book.sheetnames)
            message = f"no sheet {sheet!r} (it has {names})"
            raise ManifestError([problem(str(path), None, "", message)])
        for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
            yield number, tuple(row)
    finally:
        book.close()


def _xlsx(path: Path, sheet: str | None) -> Table:
    source = str(path)
    try:
        records = list(_xlsx_rows(path, sheet))
    except ManifestError:
        raise
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise ManifestError([problem(source, None, "", message)]) from None
    # openpyxl fails on a damaged or foreign file with whatever its parser hits
    # (BadZipFile, KeyError, XML errors, ValueError...): all mean the same to the user.
    except Exception as exc:
        message = f"not a readable .xlsx workbook ({type(exc).__name__}); save it again from Excel"
        raise ManifestError([problem(source, None, "", message)]) from None
    return _table(source, records)


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """The manifest's header and rows; raises ManifestError for a file that cannot be read."""
    kind = sniff_kind(path)
    if kind == "xlsx":
        return _xlsx(path, sheet)
    if kind == "csv":
        return _csv(path)
    raise ManifestError([problem(str(path), None, "", "a scenario file, not a table")])
