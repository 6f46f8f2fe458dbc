"""Manifests as hostile input: the formula guard, zip bombs and caps, titles and notes,
and scenario files that refer to what the database already has."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_manifest import write_csv, write_xlsx
from test_store import T0, agency

from grouppass import limits
from grouppass.formats import scenario_to_dict
from grouppass.manifest import ManifestError, export_group, import_file, read
from grouppass.manifest.cells import cell_text, needs_guard, safe_cell
from grouppass.model import Member, Title
from grouppass.store import Store

D = dt.date


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.create(tmp_path / "agency.json", scenario=agency(), clock=lambda: T0)


def problems(store: Store, path: Path) -> list[str]:
    with pytest.raises(ManifestError) as info:
        import_file(store, path, "G", at=T0)
    return [str(p) for p in info.value.problems]


# -- the formula guard (issue 10.8) ----------------------------------------------------------

BYPASSES = [
    " =1+1", "   =HYPERLINK(\"http://evil\")", "\u00a0=1+1", "\u200b=1+1", "\ufeff=1+1",
    "\u00a0\u200b\ufeff @SUM(A1)", "\uff1d1+1", "\uff0b62 819", "\uff20SUM(A1)", "\uff0d1",
    "\ufe62cmd", "\u2212 1", "x;=cmd|' /C calc'!A0", "Siti,=1+1", "a; \u00a0\uff1dx",
    "x\t=1", "x\n=1", "\t", "\rx", "=", "+", "-", "@",
]  # fmt: skip
HARMLESS = ["Siti Hajar", "0819-1734-0215", "Baiq; Siti", "a-b", "x, y", "e=mc2", "", "B1234567"]


@pytest.mark.parametrize("text", BYPASSES)
def test_every_known_bypass_is_guarded(text: str) -> None:
    assert needs_guard(text) and safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_plain_text_is_left_alone(text: str) -> None:
    assert not needs_guard(text) and safe_cell(text) == text


_INVISIBLE = st.sampled_from([" ", "\u00a0", "\u200b", "\ufeff", "\u2007", "\u3000", "\u202f"])
_FORMULA = st.sampled_from(["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212"])
_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ", max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    head=st.one_of(st.none(), _WORDS),
    invisible=st.lists(_INVISIBLE, max_size=4),
    formula=_FORMULA,
    tail=_WORDS,
    separator=st.sampled_from([";", ",", "\t"]),
)
def test_a_formula_in_any_part_is_guarded(
    head: str | None, invisible: list[str], formula: str, tail: str, separator: str
) -> None:
    """Built to hold a formula where a spreadsheet looks: the guard must find it."""
    text = ("" if head is None else head + separator) + "".join(invisible) + formula + tail
    assert safe_cell(text).startswith("'")
    assert cell_text(safe_cell(text)) == text.strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS.filter(lambda w: w[:1] != " "), min_size=1, max_size=4),
       st.sampled_from(["; ", ", ", ";"]))  # fmt: skip
def test_text_without_a_formula_is_not_guarded(parts: list[str], separator: str) -> None:
    text = separator.join(parts)
    assert not needs_guard(text)


def test_guarded_names_come_back_unchanged_from_csv_and_xlsx(store: Store, tmp_path: Path) -> None:
    # Cells are read stripped, and a note may not hold controls or format characters.
    names = [n for n in BYPASSES if n and n == n.strip() and not any(c in n for c in "\t\n\r")]
    names = [n for n in names if all(unicodedata.category(c) != "Cf" for c in n)]
    assert len(names) >= 12
    with store.transaction(at=T0) as tx:
        for i, name in enumerate(names):
            tx.save_member("G", Member(f"H{i}", "Jamaah " + name, notes=name), 0)
    before = store.group("G")
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"x.{fmt}"
        with open(path, "wb") as f:
            export_group(store.scenario(), "G", fmt, f)
        if fmt == "csv":
            data = path.read_bytes().decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(data, newline="")))
            # Every field quoted: a ";" inside one does not start a new cell in Excel.
            assert all(line.startswith('"') for line in data.splitlines() if line)
            cells = [c for row in rows for c in row]
        else:
            sheet = openpyxl.load_workbook(path).worksheets[0]
            cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert all(not needs_guard(c) or c.startswith("'") for c in cells)
        report = import_file(store, path, "G", at=T0)
        assert report.updated == () and len(report.unchanged) == len(before.members), fmt
    assert store.group("G") == before


# -- caps and zip bombs (issue 10.9) ---------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_it_is_parsed(store: Store, tmp_path: Path) -> None:
    sheet = b'<?xml version="1.0"?><worksheet>' + b" " * (8 << 20) + b"</worksheet>"
    path = _zip(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": sheet,
                                          "[Content_Types].xml": b"<Types/>"})  # fmt: skip
    assert path.stat().st_size < 100_000
    start = time.perf_counter()
    found = problems(store, path)
    assert time.perf_counter() - start < 2
    assert len(found) == 1 and "(a zip bomb?)" in found[0]
    assert "xl/worksheets/sheet1.xml" in found[0]


def test_an_archive_that_unpacks_too_big_is_refused(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [["nama"], ["Siti"]])
    monkeypatch.setattr(limits, "XLSX_MAX_BYTES", 1000)
    (found,) = problems(store, path)
    assert "too big for a manifest: it unpacks to" in found


def test_a_damaged_archive(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    (found,) = problems(store, path)
    assert "not a readable .xlsx workbook" in found


def test_memory_error_is_not_a_users_mistake(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [["nama"], ["Siti"]])

    def out_of_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(openpyxl, "load_workbook", out_of_memory)
    with pytest.raises(MemoryError):
        import_file(store, path, "G", at=T0)


def test_rows_are_capped(store: Store, tmp_path: Path) -> None:
    before = store.revision
    rows = [["nama"]] + [[f"Jamaah {i}"] for i in range(limits.MANIFEST_MAX_ROWS + 1)]
    (found,) = problems(store, write_csv(tmp_path / "m.csv", rows))
    assert f"more than {limits.MANIFEST_MAX_ROWS} rows" in found
    assert store.revision == before  # nothing written
    report = import_file(store, write_csv(tmp_path / "n.csv", rows[:-1]), "G", at=T0)
    assert len(report.added) == limits.MANIFEST_MAX_ROWS


def test_xlsx_rows_are_capped(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MANIFEST_MAX_ROWS", 5)
    rows = [["nama"]] + [[f"Jamaah {i}"] for i in range(6)]
    (found,) = problems(store, write_xlsx(tmp_path / "m.xlsx", rows))
    assert "more than 5 rows" in found
    # Five names and then empty rows, which do not count.
    blank: list[list[str | None]] = [[None]] * 50
    padded: list[Sequence[str | None]] = [*rows[:-1], *blank]
    assert import_file(store, write_xlsx(tmp_path / "n.xlsx", padded), "G", at=T0).added


def test_a_stray_cell_at_the_last_row_is_not_a_million_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ctrl+Down and a space: openpyxl fills the 1,048,573 rows between with empty
    # ones. They are dropped before any check: the rows checked are the three in use.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nama", "no_hp"])
    sheet.append(["Siti Aminah", "081234567890"])
    sheet["A1048576"] = " "
    sheet["XFD1048575"] = "x"  # past the columns read: never seen
    path = tmp_path / "stray.xlsx"
    book.save(path)
    checked: list[int] = []
    real_check = read._check_row

    def counting(source: str, number: int, cells: Sequence[object]) -> None:
        checked.append(number)
        real_check(source, number, cells)

    monkeypatch.setattr(read, "_check_row", counting)
    table = read.read_table(path)
    assert checked == [1, 2, 1048576]
    assert table.headers[:2] == ("nama", "no_hp")
    assert [(n, cells[:2]) for n, cells in table.rows] == [(2, ("Siti Aminah", "081234567890"))]


def test_long_cells_and_wide_sheets(store: Store, tmp_path: Path) -> None:
    long = "x" * (limits.MANIFEST_MAX_CELL + 1)
    (found,) = problems(store, write_csv(tmp_path / "a.csv", [["nama"], [long]]))
    assert f"at most {limits.MANIFEST_MAX_CELL}" in found
    (found,) = problems(store, write_xlsx(tmp_path / "a.xlsx", [["nama"], [long]]))
    assert f"a cell of {len(long)} characters in column 1" in found
    wide = [["nama", *(f"c{i}" for i in range(limits.MANIFEST_MAX_COLUMNS))], ["Siti"]]
    (found,) = problems(store, write_csv(tmp_path / "w.csv", wide))
    assert f"more than {limits.MANIFEST_MAX_COLUMNS} columns" in found


def test_a_csv_too_big(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "CSV_MAX_BYTES", 100)
    (found,) = problems(store, write_csv(tmp_path / "m.csv", [["nama"]] + [["Siti"]] * 30))
    assert "too big for a manifest" in found


# -- the same text rules as every other input ------------------------------------------------


def test_controls_and_bidi_overrides_are_refused(store: Store, tmp_path: Path) -> None:
    rows = [["nama", "keterangan"], ["Ali\u202eila", ""], ["Siti\u200b", ""],
            ["Baiq", "ok\x1b[2J"], ["Hasan", "baris satu\nbaris dua"]]  # fmt: skip
    found = problems(store, write_csv(tmp_path / "m.csv", rows))
    assert [f.split(": ", 1)[1] for f in found] == [
        "nama: contains a control character (U+202E)",
        "nama: contains a control character (U+200B)",
        "keterangan: contains a control character (U+001B)",
    ]


def test_follow_up_before_contacted_is_refused_as_everywhere(store: Store, tmp_path: Path) -> None:
    rows = [["nama", "tgl_dihubungi", "tgl_tindak_lanjut"], ["Siti", "12/03/2018", "10/03/2018"]]
    (found,) = problems(store, write_csv(tmp_path / "m.csv", rows))
    assert found.endswith(
        ":2: tgl_tindak_lanjut: follow_up 2018-03-10 is before contacted 2018-03-12"
    )


def test_dates_out_of_range(store: Store, tmp_path: Path) -> None:
    rows = [["nama", "tgl_bayar", "kantor"], ["Siti", "01/01/2101", "A"],
            ["Ani", "1 Jan 1900", "A"]]  # fmt: skip
    found = problems(store, write_csv(tmp_path / "m.csv", rows))
    assert [f.split(": ", 1)[1] for f in found] == [
        "tgl_bayar: must be between 1990-01-01 and 2100-12-31, got 2101-01-01",
        "tgl_bayar: must be between 1990-01-01 and 2100-12-31, got 1900-01-01",
    ]


def test_passport_rules_are_the_models(store: Store, tmp_path: Path) -> None:
    rows = [["nama", "no_paspor", "tgl_kadaluarsa_paspor"],
            ["Siti", "B 123-4567", "1 Jan 2030"], ["Ani", "B12/34", "1 Jan 2030"],
            ["Rina", "-", ""]]  # fmt: skip
    found = problems(store, write_csv(tmp_path / "m.csv", rows))
    assert [f.split(": ", 1)[1] for f in found] == [
        "no_paspor: not a passport number (letters and digits, at most 20, e.g. B1234567)"
    ]
    assert "B12/34" not in found[0]


# -- titles and notes (issue 9, items 3 and 5) -----------------------------------------------


def test_titles_from_sapaan_or_gender_and_notes(store: Store, tmp_path: Path) -> None:
    rows = [
        ["Nama", "Jenis Kelamin", "Keterangan"],
        ["Siti Hajar", "P", "kursi roda di bandara\nbawa obat"],
        ["Lalu Hasbi", "L", ""],
        ["Baiq Rohani", "", "-"],
    ]
    report = import_file(store, write_csv(tmp_path / "m.csv", rows), "G", at=T0)
    assert len(report.added) == 3
    siti, hasbi, baiq = (m for m in store.group("G").members if m.id in report.added)
    assert (siti.title, hasbi.title, baiq.title) == (Title.IBU, Title.BAPAK, None)
    assert siti.notes == "kursi roda di bandara\nbawa obat" and baiq.notes == "-"
    rows = [["nama", "sapaan"], ["Ani", "Bpk."], ["Ina", "Ny."], ["Uci", "Tuan Besar"]]
    found = problems(store, write_csv(tmp_path / "n.csv", rows))
    assert [f.split(": ", 1)[1] for f in found] == [
        "sapaan: not a title: 'Tuan Besar' (write Bapak or Ibu, or L or P)"
    ]


def test_titles_and_notes_are_exported_and_read_back(store: Store, tmp_path: Path) -> None:
    with store.transaction(at=T0) as tx:
        tx.save_member("G", Member("T1", "Siti", title=Title.IBU, notes="a, =b\nc"), 0)
    before = store.group("G")
    path = tmp_path / "x.csv"
    with open(path, "wb") as f:
        export_group(store.scenario(), "G", "csv", f)
    header = next(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert header[:3] == ["id", "nama", "sapaan"] and header[-1] == "keterangan"
    assert import_file(store, path, "G", at=T0).updated == ()
    assert store.group("G") == before


# -- scenario files and the database (issue 9.1) ---------------------------------------------


def _group_file(tmp_path: Path, store: Store, **group: object) -> Path:
    """The database's group G as a file that declares no office or system of its own."""
    data = scenario_to_dict(store.scenario())
    g = next(x for x in data["groups"] if x["id"] == "G")
    g.update(group)
    doc = {"format": "grouppass/1", "groups": [g]}
    path = tmp_path / "g.json"
    path.write_bytes(orjson.dumps(doc))
    return path


def test_a_file_may_use_the_databases_offices(store: Store, tmp_path: Path) -> None:
    path = _group_file(tmp_path, store)
    report = import_file(store, path, "G", at=T0)
    assert report.lines()[0].endswith("0 added, 0 updated, 3 unchanged")
    assert report.group_changes == () and report.records_added == ()


def test_a_moved_departure_is_reported(store: Store, tmp_path: Path) -> None:
    path = _group_file(tmp_path, store, departure="2018-05-20T09:00:00+07:00", visa_lead_days=14)
    report = import_file(store, path, "G", at=T0)
    assert report.group_changes == (
        "departure: 2018-05-15T09:00:00+07:00 -> 2018-05-20T09:00:00+07:00",
        "visa_lead_days: 0 -> 14",
    )
    assert "group G changed: departure: 2018-05-15T09:00:00+07:00 -> " in "\n".join(report.lines())
    assert store.group("G").departure == dt.datetime.fromisoformat("2018-05-20T09:00:00+07:00")


def test_an_office_neither_file_nor_database_has(store: Store, tmp_path: Path) -> None:
    path = _group_file(tmp_path, store, office="MTR")
    with pytest.raises(Exception) as info:
        import_file(store, path, "G", at=T0)
    assert "groups[0].office: unknown office 'MTR'" in str(info.value)


def test_a_hostile_header_is_named_harmlessly(store: Store, tmp_path: Path) -> None:
    rows = [["nama", "kantor\x1b[2J"], ["Siti", "x"]]
    lines = import_file(store, write_csv(tmp_path / "m.csv", rows), "G", at=T0).lines()
    assert lines[1] == "columns ignored: 'kantor\\x1b[2J'"
    rows = [["nama", "Nama\u202e"], ["Siti", "x"]]
    (found,) = problems(store, write_csv(tmp_path / "n.csv", rows))
    assert "\u202e" not in found and "Nama\\u202e" in found


def test_a_sheet_asked_of_a_csv_is_refused(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "m.csv", [["nama"], ["Siti Aminah"]])
    with pytest.raises(ManifestError) as raised:
        import_file(store, path, "G", at=T0, sheet="Rombongan 2")
    (found,) = raised.value.problems
    assert found.message == "a CSV file has no sheets (sheet 'Rombongan 2' was asked for)"
    assert found.source == str(path)
    assert store.group("G").members == agency().group("G").members  # nothing imported


def _formula_book(path: Path, *, saved: dict[str, str] | None = None) -> Path:
    """A sheet whose name (A2) and phone (B3) are formulas; ``saved``: values a spreadsheet
    would have saved for them (openpyxl writes none: it is a program, not Excel)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nama", "no_hp", "depan", "belakang"])
    sheet.append(['=C2&" "&D2', "081234567890", "Siti", "Aminah"])
    sheet.append(["Baiq Nurul Hidayah", '=IF(C3="","",C3)', "", ""])
    book.save(path)
    if saved:
        with zipfile.ZipFile(path) as z:
            members = {n: z.read(n) for n in z.namelist()}
        xml = members["xl/worksheets/sheet1.xml"].decode()
        for ref, value in saved.items():
            xml, n = re.subn(
                rf'<c r="{ref}"><f>(.*?)</f><v\s*/>',
                rf'<c r="{ref}" t="str"><f>\1</f><v>{value}</v>',
                xml,
            )
            assert n == 1, ref
        members["xl/worksheets/sheet1.xml"] = xml.encode()
        with zipfile.ZipFile(path, "w") as z:
            for name, data in members.items():
                z.writestr(name, data)
    return path


def test_formulas_a_program_wrote_without_values_are_refused(store: Store, tmp_path: Path) -> None:
    # Read for values, A2 and B3 are empty: the name would be "missing", the phone lost.
    (found,) = problems(store, _formula_book(tmp_path / "script.xlsx"))
    assert found == (
        f"{tmp_path / 'script.xlsx'}: 2 formula cells without a saved value (A2, B3): the file "
        "was written by a program, not saved by a spreadsheet; open it in Excel or LibreOffice "
        "and save it again"
    )


def test_formulas_a_spreadsheet_saved_are_read_as_their_values(
    store: Store, tmp_path: Path
) -> None:
    # Excel saved "Siti Aminah" for A2 and an empty text for B3 (its IF gave ""): both real.
    path = _formula_book(tmp_path / "excel.xlsx", saved={"A2": "Siti Aminah", "B3": ""})
    table = read.read_table(path)
    assert [cells[:2] for _, cells in table.rows] == [
        ("Siti Aminah", "081234567890"),
        ("Baiq Nurul Hidayah", None),
    ]
