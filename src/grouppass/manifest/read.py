"""Reading a manifest file into rows of cells: CSV (any common encoding and delimiter) or XLSX.

Nothing here knows what the columns mean; :mod:`.rows` does. A file too big
to be one group's manifest is refused before it can eat the machine: a CSV
over :data:`~grouppass.limits.CSV_MAX_BYTES`, an XLSX whose archive would
unpack to more than :data:`~grouppass.limits.XLSX_MAX_BYTES` or that packs
anything more tightly than a spreadsheet does (a zip bomb), and any sheet
with more rows, columns or longer cells than :mod:`grouppass.limits` allows.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from attrs import frozen

from grouppass import limits
from grouppass.manifest._errors import ManifestError, problem

__all__ = ["Table", "read_table", "sniff_kind"]

_RATIO_FLOOR = 1 << 20
"""Archive members smaller than this (uncompressed) may pack as tightly as they like."""


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


def _fail(source: str, message: str, row: int | None = None) -> ManifestError:
    return ManifestError([problem(source, row, "", message)])


def _read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            # One byte past the cap tells a file over it from one at it, without reading all.
            data = f.read(limits.CSV_MAX_BYTES + 1)
    except OSError as exc:
        raise _fail(str(path), f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > limits.CSV_MAX_BYTES:
        mib = limits.CSV_MAX_BYTES // (1 << 20)
        raise _fail(str(path), f"too big for a manifest (over {mib} MiB); is it one group's list?")
    return data


def _too_many_rows(source: str) -> ManifestError:
    return _fail(
        source,
        f"more than {limits.MANIFEST_MAX_ROWS} rows: a manifest is one group's travellers; "
        "split the file",
    )


def _check_row(source: str, number: int, cells: Sequence[object]) -> None:
    if len(cells) > limits.MANIFEST_MAX_COLUMNS and any(
        _filled(c) for c in cells[limits.MANIFEST_MAX_COLUMNS :]
    ):
        message = f"more than {limits.MANIFEST_MAX_COLUMNS} columns; is it a manifest?"
        raise _fail(source, message, number)
    for i, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > limits.MANIFEST_MAX_CELL:
            message = (
                f"a cell of {len(cell)} characters in column {i + 1} "
                f"(at most {limits.MANIFEST_MAX_CELL}); is it a manifest?"
            )
            raise _fail(source, message, number)


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
        try:
            header = next(reader, [])
        except csv.Error:  # a cell over the limit under this separator: not this one
            return -1, 0
        known = sum(normalise_header(cell) in FIELD_BY_HEADER for cell in header)
        return known, len(header)

    return max((",", ";", "\t", "|"), key=score)


def _csv(path: Path) -> Table:
    source = str(path)
    text = _decode(_read_bytes(path), source)
    # The csv module refuses a field once it reaches the limit: one more allows the limit.
    csv.field_size_limit(limits.MANIFEST_MAX_CELL + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records: list[tuple[int, tuple[object, ...]]] = []
    filled = 0
    try:
        for number, record in enumerate(reader, start=1):
            _check_row(source, number, record)
            if any(_filled(c) for c in record):
                filled += 1
                if filled > limits.MANIFEST_MAX_ROWS + 1:  # + the header row
                    raise _too_many_rows(source)
            records.append((number, tuple(record[: limits.MANIFEST_MAX_COLUMNS])))
    except csv.Error as exc:
        # The only csv.Error left with the default dialect: a cell over the limit.
        message = (
            f"unreadable CSV ({exc}; cells hold at most {limits.MANIFEST_MAX_CELL} "
            "characters); is it a manifest?"
        )
        raise _fail(source, message, len(records) + 1) from None
    return _table(source, records)


def _table(source: str, records: Sequence[tuple[int, tuple[object, ...]]]) -> Table:
    records = [(n, cells) for n, cells in records if any(_filled(c) for c in cells)]
    if not records:
        raise ManifestError([problem(source, None, "", "the file is empty: no header row")])
    (_, headers), *rows = records
    return Table(source, headers, tuple(rows))


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _check_archive(path: Path) -> None:
    """Refuse a zip bomb before any XML is parsed: sizes from the archive's directory.

    The directory could lie about sizes; zipfile checks each member's size and
    CRC as it inflates it, and openpyxl reads members through zipfile, so a
    member larger than it claims fails rather than fills the memory.
    """
    source = str(path)
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except OSError as exc:
        raise _fail(source, f"cannot read the file: {exc.strerror or exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise _fail(source, "not a readable .xlsx workbook (not a zip archive); save it again "
                    "from Excel") from None  # fmt: skip
    if len(members) > 10_000:
        raise _fail(source, f"not a spreadsheet: the archive holds {len(members)} files")
    total = sum(m.file_size for m in members)
    if total > limits.XLSX_MAX_BYTES:
        mib = limits.XLSX_MAX_BYTES // (1 << 20)
        raise _fail(
            source,
            f"too big for a manifest: it unpacks to {total // (1 << 20)} MiB (at most {mib})",
        )
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > limits.XLSX_MAX_RATIO * max(
            m.compress_size, 1
        ):
            raise _fail(
                source,
                f"not a spreadsheet Excel wrote: {m.filename!r} packs "
                f"{m.file_size // max(m.compress_size, 1)} to 1 (a zip bomb?)",
            )


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
        # One column past the limit, to tell a sheet that uses it from one that stops there.
        rows = ws.iter_rows(max_col=limits.MANIFEST_MAX_COLUMNS + 1, values_only=True)
        filled = 0
        for number, row in enumerate(rows, start=1):
            # openpyxl fills every gap up to a stray cell (A1048576) or the sheet's
            # stated size with empty rows: a million of them took 50 s and 1.8 GB when
            # each was checked and kept. An empty row is told in C and dropped here,
            # as _table drops it anyway.
            if row.count(None) == len(row):
                continue
            _check_row(str(path), number, row)
            if any(_filled(c) for c in row):
                filled += 1
                if filled > limits.MANIFEST_MAX_ROWS + 1:  # + the header row
                    raise _too_many_rows(str(path))
            yield number, tuple(row[: limits.MANIFEST_MAX_COLUMNS])
    finally:
        book.close()


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the archive holds a formula (``<f>`` in its XML)."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with z.open(name) as f:
                tail = b""
                while chunk := f.read(1 << 20):
                    if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                        return True
                    tail = chunk[-3:]  # a tag split across two chunks
    return False


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = _LETTERS[rest] + letters
    return letters


def _unsaved_formulas(
    path: Path, sheet: str | None, records: Sequence[tuple[int, tuple[object, ...]]]
) -> list[str]:
    """Formula cells without a saved value, as ``B7``, when no formula cell has one.

    A workbook written by a program (a script, an export) keeps the formula and
    leaves its value to Excel to work out on the next save; read for values, such
    a cell is empty, and a name or phone made by a formula would vanish unseen.
    A spreadsheet that saved the file saved every value: a formula whose value
    is empty there (``=IF(...;"";...)``) is empty indeed, so only a workbook in
    which not one formula has a value is said to be uncalculated.
    """
    import openpyxl

    values = dict(records)
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = book.worksheets[0] if sheet is None else book[sheet]
        found: list[str] = []
        rows = ws.iter_rows(max_col=limits.MANIFEST_MAX_COLUMNS)
        for number, row in enumerate(rows, start=1):
            kept = values.get(number)
            for i, cell in enumerate(row):
                if getattr(cell, "data_type", None) != "f":
                    continue
                if kept is not None and i < len(kept) and kept[i] is not None:
                    return []  # calculated by a spreadsheet: its empty values are real
                found.append(f"{_column_letter(i + 1)}{number}")
        return found
    finally:
        book.close()


def _xlsx(path: Path, sheet: str | None) -> Table:
    source = str(path)
    _check_archive(path)
    try:
        records = list(_xlsx_rows(path, sheet))
        unsaved = _unsaved_formulas(path, sheet, records) if _has_formulas(path) else []
    except ManifestError:
        raise
    except (MemoryError, RecursionError):
        # Not the user's mistake, and nothing to say about their file: let it show.
        raise
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise ManifestError([problem(source, None, "", message)]) from None
    # openpyxl fails on a damaged or foreign file with whatever its parser hits
    # (BadZipFile, KeyError, XML errors, ValueError...): all mean the same to the user.
    except Exception as exc:
        message = f"not a readable .xlsx workbook ({type(exc).__name__}); save it again from Excel"
        raise ManifestError([problem(source, None, "", message)]) from None
    if unsaved:
        shown = ", ".join(unsaved[:10]) + (
            f" and {len(unsaved) - 10} more" if len(unsaved) > 10 else ""
        )
        message = (
            f"{len(unsaved)} formula cell{'s' * (len(unsaved) != 1)} without a saved value "
            f"({shown}): the file was written by a program, not saved by a spreadsheet; "
            "open it in Excel or LibreOffice and save it again"
        )
        raise ManifestError([problem(source, None, "", message)])
    return _table(source, records)


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """The manifest's header and rows; raises ManifestError for a file that cannot be read."""
    kind = sniff_kind(path)
    if kind == "xlsx":
        return _xlsx(path, sheet)
    if kind == "csv":
        if sheet is not None:  # asked for a sheet: the wrong file, not one to read anyway
            message = f"a CSV file has no sheets (sheet {sheet!r} was asked for)"
            raise ManifestError([problem(str(path), None, "", message)])
        return _csv(path)
    raise ManifestError([problem(str(path), None, "", "a scenario file, not a table")])
