"""Manifest import and export: columns, dates, located problems, re-import, masking, formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import attrs
import openpyxl
import orjson
import pytest
from test_store import T0, agency

from grouppass.assess import assess
from grouppass.dates import parse_date
from grouppass.formats import dump_scenario, load_scenario
from grouppass.manifest import (
    ManifestError,
    export_group,
    export_report,
    import_file,
)
from grouppass.manifest.export import write_table
from grouppass.model import Application, Member, Passport
from grouppass.store import Ref, Store

D = dt.date
HEADER = ["Nama", "No. HP", "No. Paspor", "Tgl Kadaluarsa Paspor", "Kantor", "Tgl Bayar"]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.create(tmp_path / "agency.json", scenario=agency(), clock=lambda: T0)


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], title: str = "Sheet") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def imported(store: Store, path: Path, **kw: object) -> list[str]:
    report = import_file(store, path, "G", at=T0, **kw)  # type: ignore[arg-type]
    return report.lines()


class TestDates:
    @pytest.mark.parametrize(
        "text",
        [
            "2018-02-27", "27/02/2018", "27-02-2018", "27.02.2018", "27 Februari 2018",
            "27 Feb 2018", "27 February 2018", "27-Feb-2018", "Selasa, 27 Februari 2018",
            " 27/2/2018 ", "2018-02-27 00:00:00",
        ],
    )  # fmt: skip
    def test_forms_organisers_write(self, text: str) -> None:
        assert parse_date(text) == D(2018, 2, 27)

    @pytest.mark.parametrize(
        "text", ["31/02/2018", "02/27/2018", "27/02/18", "kemarin", "27 Foo 2018"]
    )
    def test_what_is_not_a_date(self, text: str) -> None:
        with pytest.raises(ValueError, match="not a date"):
            parse_date(text)

    def test_a_number_in_a_date_column_is_explained(self) -> None:
        with pytest.raises(ValueError, match="format the column as dates"):
            parse_date(43158)

    @pytest.mark.parametrize(
        ("cell", "said"),
        [(dt.time(10, 0), "10:00:00"), (dt.timedelta(hours=36), "1 day, 12:00:00")],
    )
    def test_a_time_in_a_date_column_is_explained(self, cell: object, said: str) -> None:
        # A cell formatted as a time: said as a time, not as Python's datetime.time(10, 0).
        with pytest.raises(ValueError) as raised:
            parse_date(cell)
        assert str(raised.value) == (
            f"a time, not a date: {said} (format the column as dates or as text)"
        )

    def test_cells_that_are_already_dates(self) -> None:
        assert parse_date(dt.datetime(2018, 2, 27, 0, 0)) == D(2018, 2, 27)


class TestImport:
    def test_indonesian_headers_and_day_first_dates(self, store: Store, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                [*HEADER, "Keterangan", "No."],
                ["Siti Hajar Nashif", "0819-1734-0217", "", "", "B", "15/03/2018", "baru", "1"],
                ["Lalu Muhammad Hasbi", "0878", "b 447 1902", "11 Mei 2022", "", "", "", "2"],
            ],
        )
        lines = imported(store, path)
        assert lines[0].endswith("2 added, 0 updated, 0 unchanged")
        assert "columns ignored: 'No.'" in lines
        siti, hasbi = store.group("G").members[3:]
        assert (siti.notes, hasbi.notes) == ("baru", "")
        assert siti.application == Application("B", paid=D(2018, 3, 15))
        assert hasbi.passport == Passport("B4471902", "Lalu Muhammad Hasbi", D(2022, 5, 11))
        assert hasbi.application is None

    def test_english_headers_semicolons_and_a_bom(self, store: Store, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                ["name", "phone", "office", "paid"],
                ["Zainal Abidin", "0819", "Office B", "2018-03-14"],
            ],
            delimiter=";",
            encoding="utf-8-sig",
        )
        imported(store, path)
        assert store.group("G").members[-1].application == Application("B", paid=D(2018, 3, 14))

    @pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
    def test_windows_encodings(self, store: Store, tmp_path: Path, encoding: str) -> None:
        rows = [["nama", "no_hp"], ["Zaïnal Abidin", "0819"]]
        imported(store, write_csv(tmp_path / "m.csv", rows, encoding=encoding))
        assert store.group("G").members[-1].name == "Zaïnal Abidin"

    def test_every_bad_row_is_located_and_nothing_is_imported(
        self, store: Store, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                HEADER,
                ["Good One", "", "", "", "", ""],
                ["", "0819", "", "", "", ""],
                ["Bad Date", "", "", "", "", "31/02/2018"],
                ["Bad Office", "", "", "", "Kanim Bulan", ""],
                ["No Expiry", "", "B1234567", "", "", ""],
                ["Bad\x07Name", "", "", "", "", ""],
            ],
        )
        revision = store.revision
        with pytest.raises(ManifestError) as err:
            imported(store, path)
        assert [str(p) for p in err.value.problems] == [
            f"{path}:3: Nama: empty",
            f"{path}:4: Tgl Bayar: not a date: '31/02/2018' "
            "(write 27/02/2018, 27 Februari 2018 or 2018-02-27)",
            f"{path}:5: Kantor: unknown office 'Kanim Bulan' (the database has: A, B)",
            f"{path}:6: Tgl Kadaluarsa Paspor: needed with the passport number",
            f"{path}:7: Nama: contains a control character (U+0007)",
        ]
        assert store.revision == revision and len(store.group("G").members) == 3

    def test_a_nik_or_passport_in_the_wrong_column_is_masked_in_the_problem(
        self, store: Store, tmp_path: Path
    ) -> None:
        # Columns shifted by one: the NIK landed under the payment date and a
        # passport number under the expiry date. The problem names row and
        # column but shows neither number whole.
        path = write_csv(
            tmp_path / "m.csv",
            [
                HEADER,
                ["Shifted One", "", "", "", "", "3201234567890123"],
                ["Shifted Two", "", "C7654321", "C7654321", "", ""],
            ],
        )
        with pytest.raises(ManifestError) as err:
            imported(store, path)
        said = "\n".join(str(p) for p in err.value.problems)
        assert "3201234567890123" not in said and "C7654321" not in said
        assert f"{path}:2: Tgl Bayar: not a date: '32******23'" in said
        assert f"{path}:3: Tgl Kadaluarsa Paspor: not a date: 'C******21'" in said  # 3 of 8 shown

    def test_an_ignored_column_named_by_a_nik_is_masked(self, store: Store, tmp_path: Path) -> None:
        # A sheet whose header row was lost to a paste: a traveller's NIK sits
        # where a column name should be, and the report names it masked.
        path = write_csv(
            tmp_path / "m.csv", [["Nama", "3201234567890123"], ["Good One", "3201234567890123"]]
        )
        lines = imported(store, path)
        assert "columns ignored: '32******23'" in lines
        assert not any("3201234567890123" in line for line in lines)

    def test_skip_bad_imports_the_rest_and_says_what_was_skipped(
        self, store: Store, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [HEADER, ["Good One", "1", "", "", "", ""], ["Bad", "2", "", "", "", "kemarin"]],
        )
        report = import_file(store, path, "G", skip_bad=True, at=T0)
        assert report.added and report.skipped_rows == (3,)
        assert [str(p) for p in report.skipped] == [
            f"{path}:3: Tgl Bayar: not a date: 'kemarin' "
            "(write 27/02/2018, 27 Februari 2018 or 2018-02-27)"
        ]
        assert [m.name for m in store.group("G").members][-1] == "Good One"

    def test_stage_dates_out_of_order_point_at_the_column(
        self, store: Store, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                ["nama", "tgl_bayar", "tgl_rekam", "tgl_terbit"],
                ["X Y Z", "05/03/2018", "05/03/2018", "01/03/2018"],
            ],
        )
        with pytest.raises(
            ManifestError, match=r"m.csv:2: tgl_terbit: issued 2018-03-01 is before"
        ):
            imported(store, path)

    def test_file_problems(self, store: Store, tmp_path: Path) -> None:
        empty = tmp_path / "empty.csv"
        empty.write_bytes(b"")
        with pytest.raises(ManifestError, match="empty: no header row"):
            imported(store, empty)
        with pytest.raises(ManifestError, match="no name column"):
            imported(store, write_csv(tmp_path / "n.csv", [["phone"], ["1"]]))
        with pytest.raises(ManifestError, match="both are no_hp"):
            imported(
                store, write_csv(tmp_path / "d.csv", [["nama", "hp", "phone"], ["a", "1", "2"]])
            )
        with pytest.raises(ManifestError, match=r"not a readable \.xlsx"):
            bad = tmp_path / "bad.xlsx"
            bad.write_bytes(b"PK\x03\x04 not really")
            imported(store, bad)
        with pytest.raises(ManifestError, match="no group 'nope'"):
            import_file(store, write_csv(tmp_path / "g.csv", [["nama"], ["a"]]), "nope", at=T0)


class TestReimport:
    def test_the_same_file_twice_changes_nothing_the_second_time(
        self, store: Store, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                HEADER,
                ["Rukiah Amin", "", "B2607714", "19/07/2020", "", ""],
                ["Inaq Saenah", "", "", "", "", ""],
            ],
        )
        imported(store, path)
        revision = store.revision
        assert imported(store, path)[0].endswith("0 added, 0 updated, 2 unchanged")
        assert store.revision == revision

    def test_matching_by_passport_then_name_and_phone(self, store: Store, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                ["nama", "no_hp", "no_paspor", "tgl_kadaluarsa_paspor"],
                ["Lalu A. Zaini", "", "B1234567", "10/01/2019"],  # M3 by passport: renamed
                ["baiq  siti ROHANI", "+62 819", "", ""],  # M2 has no phone: not a match
            ],
        )
        m2 = store.member("G", "M2")
        store.save_member(
            "G", attrs.evolve(m2, phone="0819"), store.version_of(Ref.member("G", "M2"))
        )
        lines = imported(store, path)
        assert lines[0].endswith("0 added, 2 updated, 0 unchanged")
        assert store.member("G", "M3").name == "Lalu A. Zaini"
        assert store.member("G", "M2").phone == "0819"  # the same number, kept as written

    def test_absent_columns_keep_values_and_empty_cells_clear_them(
        self, store: Store, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "m.csv", [["nama", "nik", "no_hp"], ["Lalu Ahmad Zaini", "", ""]]
        )
        imported(store, path)
        m3 = store.member("G", "M3")
        assert m3.nik is None and m3.passport is not None and m3.application is not None

    def test_two_rows_for_one_traveller(self, store: Store, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                ["nama", "no_paspor", "tgl_kadaluarsa_paspor"],
                ["A B C", "B1234567", "10/01/2019"],
                ["D E F", "B1234567", "10/01/2019"],
            ],
        )
        with pytest.raises(ManifestError, match=r"m.csv:3: no_paspor: the same traveller as row 2"):
            imported(store, path)

    def test_a_new_id_with_someone_elses_passport_is_refused(
        self, store: Store, tmp_path: Path
    ) -> None:
        # J009 is not in the group; B1234567 is M3's. Matching by the passport
        # would rename M3 to "Orang Lain" (the id said someone else).
        path = write_csv(
            tmp_path / "m.csv",
            [
                ["id", "nama", "no_paspor", "tgl_kadaluarsa_paspor"],
                ["J009", "Orang Lain Sekali", "B1234567", "10/01/2019"],
            ],
        )
        revision = store.revision
        said = (
            r"m.csv:2: no_paspor: the passport number of M3 \(Lalu Ahmad Zaini\), but id J009"
            r" is not M3: correct the number, or give id M3 to update them"
        )
        with pytest.raises(ManifestError, match=said):
            imported(store, path)
        assert store.revision == revision
        assert store.member("G", "M3").name == "Lalu Ahmad Zaini"

    def test_a_known_id_with_someone_elses_passport_is_refused(
        self, store: Store, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                ["id", "nama", "no_paspor", "tgl_kadaluarsa_paspor"],
                ["M1", "Muhammad Nashif bin Abdullah", "b1234567", "10/01/2019"],
            ],
        )
        with pytest.raises(ManifestError, match=r"m.csv:2: no_paspor: the passport number of M3"):
            imported(store, path)
        assert store.member("G", "M1").passport is None

    def test_a_row_with_its_own_id_and_passport_updates_it(
        self, store: Store, tmp_path: Path
    ) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                ["id", "nama", "no_paspor", "tgl_kadaluarsa_paspor"],
                ["M3", "Lalu A. Zaini", "B1234567", "10/01/2019"],
            ],
        )
        assert imported(store, path)[0].endswith("0 added, 1 updated, 0 unchanged")
        assert store.member("G", "M3").name == "Lalu A. Zaini"

    def test_a_new_id_is_someone_new_even_with_a_members_name(
        self, store: Store, tmp_path: Path
    ) -> None:
        # Without ids the row would be M2 (same name, neither has a phone).
        path = write_csv(tmp_path / "m.csv", [["id", "nama"], ["J010", "Baiq Siti Rohani"]])
        assert imported(store, path)[0].endswith("1 added, 0 updated, 0 unchanged")
        assert store.member("G", "J010").name == "Baiq Siti Rohani"
        assert store.member("G", "M2").name == "Baiq Siti Rohani"

    def test_namesakes_without_a_phone_are_two_people(self, store: Store, tmp_path: Path) -> None:
        path = write_csv(tmp_path / "m.csv", [["nama"], ["Muhammad Saleh"], ["Muhammad Saleh"]])
        assert imported(store, path)[0].endswith("2 added, 0 updated, 0 unchanged")
        assert imported(store, path)[0].endswith("0 added, 0 updated, 2 unchanged")

    def test_an_export_imports_back_unchanged(self, store: Store, tmp_path: Path) -> None:
        for fmt in ("csv", "xlsx"):
            path = tmp_path / f"export.{fmt}"
            with open(path, "wb") as f:
                export_group(store.scenario(), "G", fmt, f)  # masked
            assert imported(store, path)[0].endswith("0 added, 0 updated, 3 unchanged"), fmt

    def test_a_masked_number_for_someone_new_is_refused(self, store: Store, tmp_path: Path) -> None:
        path = write_csv(
            tmp_path / "m.csv",
            [
                ["nama", "no_paspor", "tgl_kadaluarsa_paspor"],
                ["Orang Baru Sekali", "B98****21", "10/01/2019"],
            ],
        )
        with pytest.raises(ManifestError, match="masked; give the full passport number"):
            imported(store, path)


class TestXlsx:
    def test_date_cells_numeric_nik_and_a_named_sheet(self, store: Store, tmp_path: Path) -> None:
        path = write_xlsx(
            tmp_path / "m.xlsx",
            [
                ["nama", "nik", "tgl_bayar", "kantor"],
                ["Siti Hajar", 5271014406990001, dt.datetime(2018, 3, 15), "a"],
            ],
            title="Jamaah",
        )
        imported(store, path, sheet="Jamaah")
        m = store.group("G").members[-1]
        assert (m.nik, m.application) == ("5271014406990001", Application("A", paid=D(2018, 3, 15)))
        with pytest.raises(ManifestError, match="no sheet 'Lain'"):
            imported(store, path, sheet="Lain")


class TestScenarioImport:
    def test_a_scenario_file_brings_what_the_database_lacks(
        self, store: Store, tmp_path: Path
    ) -> None:
        scenario = agency()
        group = attrs.evolve(scenario.groups[0], id="G2", name="Rombongan Dua")
        extra = attrs.evolve(scenario.offices[1], code="C", name="Office C", alternatives=())
        path = tmp_path / "s.json"
        dump_scenario(
            attrs.evolve(scenario, offices=(*scenario.offices, extra), groups=(group,)), path
        )
        report = import_file(store, path, "G2", at=T0)
        assert report.records_added == ("office 'C'", "group 'G2'")
        assert store.group("G2").members == scenario.groups[0].members
        again = import_file(store, path, "G2", at=T0)
        assert (len(again.added), len(again.unchanged)) == (0, 3)
        with pytest.raises(ManifestError, match="no group 'G9' in the file"):
            import_file(store, path, "G9", at=T0)


class TestExport:
    def test_csv_masks_personal_data_unless_asked(self, store: Store) -> None:
        out = io.BytesIO()
        export_group(store.scenario(), "G", "csv", out)
        text = out.getvalue().decode("utf-8-sig")
        assert "B******67" in text and "52******03" in text
        assert "B1234567" not in text and "5271011204680003" not in text
        out = io.BytesIO()
        export_group(store.scenario(), "G", "csv", out, show_pii=True)
        assert "B1234567" in out.getvalue().decode("utf-8-sig")

    def test_no_cell_runs_as_a_formula(self, store: Store, tmp_path: Path) -> None:
        hostile = ['=HYPERLINK("http://evil","klik")', "+62819", "-1+1", "@SUM(A1)"]
        with store.transaction(at=T0) as tx:
            for i, name in enumerate(hostile):
                tx.save_member("G", Member(f"H{i}", name, phone=name), 0)
        out = io.BytesIO()
        export_group(store.scenario(), "G", "csv", out, show_pii=True)
        for row in csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        path = tmp_path / "x.xlsx"
        with open(path, "wb") as f:
            export_group(store.scenario(), "G", "xlsx", f, show_pii=True)
        sheet = openpyxl.load_workbook(path).worksheets[0]
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))

    def test_the_formula_guard_comes_off_on_import(self, store: Store, tmp_path: Path) -> None:
        names = ['=HYPERLINK("http://evil","klik")', "+62 Budi", "-Budi-", "@budi"]
        with store.transaction(at=T0) as tx:
            for i, name in enumerate(names):
                tx.save_member("G", Member(f"H{i}", name, phone=f"+62819{i}"), 0)
        for fmt in ("csv", "xlsx"):
            path = tmp_path / f"x.{fmt}"
            with open(path, "wb") as f:
                export_group(store.scenario(), "G", fmt, f)
            assert imported(store, path)[0].endswith("0 added, 0 updated, 7 unchanged"), fmt

    def test_control_characters_do_not_break_an_xlsx(self) -> None:
        """No member can hold one (the model refuses it), but a table written from other
        data still opens: the XLSX writer replaces what XML cannot hold."""
        with pytest.raises(ValueError, match="control character"):
            Member("C1", "Nama\x00Aneh\x1b")
        out = io.BytesIO()
        write_table(["nama"], [["Nama\x00Aneh\x1b"]], "xlsx", out)
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
        assert sheet["A2"].value == "Nama\ufffdAneh\ufffd"

    def test_json_is_a_scenario_file_that_stands_alone(self, store: Store, tmp_path: Path) -> None:
        path = tmp_path / "g.json"
        with open(path, "wb") as f:
            export_group(store.scenario(), "G", "json", f, show_pii=True)
        assert load_scenario(path) == store.scenario()
        with open(path, "wb") as f:
            export_group(store.scenario(), "G", "json", f)
        assert load_scenario(path).groups[0].member("M3").passport.number == "B******67"  # type: ignore[union-attr]

    def test_the_risk_report(self, store: Store) -> None:
        report = assess(store.scenario(), D(2018, 3, 15), samples=200)
        out = io.BytesIO()
        export_report(report, "G", "csv", out)
        rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
        assert rows[0][:4] == ["grup", "batas_waktu", "id", "nama"] and len(rows) == 4
        out = io.BytesIO()
        export_report(report, "G", "json", out)
        assert orjson.loads(out.getvalue())["format"] == "grouppass-report/1"
