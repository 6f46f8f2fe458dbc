"""Property tests: hostile manifests never give a traceback, and never half an import.

Whatever the file holds (wrong types, huge cells, formula strings, control
characters, byte order marks, 10,000-character names, nothing at all),
``import_file`` either imports every row or raises a located GrouppassError
and leaves the database exactly as it was.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import openpyxl
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from test_store import T0, agency

from grouppass.errors import GrouppassError
from grouppass.manifest import ImportReport, export_group, import_file
from grouppass.model import Member
from grouppass.store import Store
from grouppass.text import unsafe_character

PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADERS = [
    "nama", "Name", "No. Paspor", "passport_number", "tgl_kadaluarsa_paspor", "no_hp", "phone",
    "NIK", "kantor", "office", "tgl_booking", "tgl_janji", "tgl_rekam", "tgl_bayar", "paid",
    "tgl_terbit", "tgl_ambil", "id", "Keterangan", "", "\ufeffnama",
]  # fmt: skip

hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "=HYPERLINK(\"http://evil.example\",\"klik\")", "+6281917340215", "-2+3", "@SUM(A1)",
            "\t=1", "\r", "\x00", "\ufeff", "\u202eevil", "'=1+1", "B1234567", "B12****67",
            "27/02/2018", "27 Februari 2018", "2018-02-27", "31/02/2018", "MTR", "A", "Office B",
            "Muhammad Nashif", "5271011204680003", "   ", "NaN", "inf", "1e308",
        ]
    ),
    # 10,000-character cells (Hypothesis cannot draw text that long itself).
    st.builds(
        lambda piece, n: (piece * n)[:10_000],
        st.sampled_from(["Siti Aminah ", "a", "=A1+", "\u00e9", "x\x07"]),
        st.integers(min_value=5_000, max_value=10_000),
    ),
)  # fmt: skip

cells = st.one_of(
    st.none(),
    hostile_text,
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2200, 1, 1)),
)

names = st.sampled_from(
    ["Muhammad Nashif", "Baiq Siti Rohani", "Lalu Ahmad Zaini", "Inaq Saenah", "Zainal Abidin"]
)
# Mostly a name column first and a name in it, so that many rows get far into
# the import (and some all the way) instead of all failing on the header.
tables = st.tuples(
    st.builds(
        lambda first, rest: [first, *rest],
        st.one_of(*[st.sampled_from(["nama", "Name", "NAMA LENGKAP"])] * 4, hostile_text),
        st.lists(st.sampled_from(HEADERS) | hostile_text, max_size=7),
    ),
    st.lists(
        st.builds(lambda first, rest: [first, *rest], names | cells, st.lists(cells, max_size=8)),
        max_size=6,
    ),
)


@contextlib.contextmanager
def fresh_store() -> Iterator[tuple[Store, Path]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        yield Store.create(folder / "agency.json", scenario=agency(), clock=lambda: T0), folder


def _filled(row: Sequence[object]) -> bool:
    return any(c is not None and not (isinstance(c, str) and not c.strip()) for c in row)


def check_all_or_nothing(store: Store, path: Path, rows: int | None, skip_bad: bool) -> None:
    """Import ``path``; either all ``rows`` (if known) land, or nothing changes."""
    before, revision = store.scenario(), store.revision
    try:
        report = import_file(store, path, "G", skip_bad=skip_bad, at=T0)
    except GrouppassError as exc:
        assert str(exc)
        assert store.scenario() == before and store.revision == revision
        assert Store.open(store.path).scenario() == before
        return
    assert isinstance(report, ImportReport)
    done = len(report.added) + len(report.updated) + len(report.unchanged)
    if rows is not None:
        assert done + len(report.skipped_rows) == rows
        if not skip_bad:
            assert not report.skipped
    assert Store.open(store.path).scenario() == store.scenario()


def _csv_bytes(
    header: list[object], rows: list[list[object]], encoding: str, delimiter: str
) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


@PROPS
@given(
    tables,
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_hostile_csv(
    table: tuple[list[object], list[list[object]]], encoding: str, delimiter: str, skip_bad: bool
) -> None:
    header, rows = table
    with fresh_store() as (store, folder):
        path = folder / "m.csv"
        path.write_bytes(_csv_bytes(header, rows, encoding, delimiter))
        # A cell re-encoded with errors="replace" may not survive as written: count nothing then.
        check_all_or_nothing(store, path, None, skip_bad)


def _xlsx_cell(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # an XLSX cannot hold them at all
    if isinstance(value, float) and value != value:
        return None
    return value


@PROPS
@given(tables, st.booleans())
def test_hostile_xlsx(table: tuple[list[object], list[list[object]]], skip_bad: bool) -> None:
    header, rows = table
    with fresh_store() as (store, folder):
        path = folder / "m.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [header, *rows]:
            sheet.append([_xlsx_cell(c) for c in row])
        book.save(path)
        check_all_or_nothing(store, path, None, skip_bad)


@PROPS
@given(tables)
def test_a_clean_table_imports_every_row_or_reports_each_bad_one(
    table: tuple[list[object], list[list[object]]],
) -> None:
    """With plain UTF-8 the row count is known: imported + skipped = rows with content."""
    header, rows = table
    header = ["nama", *header]
    with fresh_store() as (store, folder):
        path = folder / "m.csv"
        path.write_bytes(_csv_bytes(header, rows, "utf-8", ","))
        text_rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))[1:]
        check_all_or_nothing(store, path, sum(map(_filled, text_rows)), skip_bad=True)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=20,
)


json_members = st.lists(
    st.fixed_dictionaries(
        {"id": hostile_text | st.sampled_from(["M1", "M2", "N1"]), "name": names | hostile_text},
        optional={
            "phone": hostile_text | json_values,
            "nik": hostile_text,
            "passport": st.fixed_dictionaries(
                {"number": hostile_text, "name": hostile_text, "expires": hostile_text}
            ),
            "application": st.fixed_dictionaries(
                {"office": st.sampled_from(["A", "B", "Z"])},
                optional={"paid": hostile_text, "recorded": hostile_text},
            ),
        },
    ),
    max_size=5,
)


@PROPS
@given(json_values | json_members, st.booleans())
def test_hostile_json(value: object, wrap: bool) -> None:
    if wrap:  # a scenario file with hostile members
        group = {
            "id": "G", "name": "Rombongan", "office": "A",
            "departure": "2018-05-15T09:00:00+07:00", "members": value,
        }  # fmt: skip
        office = {"code": "A", "name": "Office A", "timezone": "Asia/Jakarta"}
        value = {"format": "grouppass/1", "offices": [office], "groups": [group]}
    with fresh_store() as (store, folder):
        path = folder / "s.json"
        path.write_bytes(orjson.dumps(value))
        check_all_or_nothing(store, path, None, skip_bad=False)


@PROPS
@given(st.binary(max_size=300), st.sampled_from(["m.csv", "m.xlsx", "m.json", "manifest"]))
def test_random_bytes(data: bytes, name: str) -> None:
    with fresh_store() as (store, folder):
        path = folder / name
        path.write_bytes(data)
        check_all_or_nothing(store, path, None, skip_bad=True)


@PROPS
@given(
    st.lists(
        hostile_text.filter(lambda s: bool(s.strip()) and unsafe_character(s) is None),
        min_size=1,
        max_size=5,
    )
)
def test_export_never_writes_a_formula(names: list[str]) -> None:
    with fresh_store() as (store, _):
        with store.transaction(at=T0) as tx:
            for i, name in enumerate(names):
                name = name[:200]
                tx.save_member("G", Member(f"P{i}", name, phone=name[:40]), 0)
        scenario = store.scenario()
    out = io.BytesIO()
    export_group(scenario, "G", "csv", out, show_pii=True)
    for row in csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"), newline="")):
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row)
    out = io.BytesIO()
    export_group(scenario, "G", "xlsx", out, show_pii=True)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))
