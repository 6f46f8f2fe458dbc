"""``grouppass export``: a group back out as CSV, XLSX or a scenario file, and the risk report.

Passport numbers and NIK are masked (``B******67``) unless ``show_pii`` is
set. No cell is written that a spreadsheet would run as a formula (see
:func:`~grouppass.manifest.cells.safe_cell`), and the CSV/XLSX columns are the
import's own headers, so an export can be edited and imported again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO, Literal

import orjson

from grouppass.formats import scenario_to_dict
from grouppass.manifest.cells import safe_cell
from grouppass.manifest.columns import Field
from grouppass.model import Member, Scenario
from grouppass.pii import mask_number
from grouppass.results import Assessment

__all__ = [
    "MANIFEST_COLUMNS",
    "REPORT_COLUMNS",
    "Format",
    "export_group",
    "export_report",
    "group_scenario",
    "member_row",
    "write_table",
]

Format = Literal["csv", "xlsx", "json"]
Cell = str | int | float | dt.date | None

MANIFEST_COLUMNS: tuple[Field, ...] = tuple(Field)
"""The columns of an exported manifest, in order (the import reads them all back)."""

REPORT_COLUMNS = (
    "grup", "batas_waktu", "id", "nama", "kantor", "tahap", "risiko", "peluang_tepat_waktu",
    "siap_p50", "siap_p90", "selisih_hari", "masalah",
)  # fmt: skip


def member_row(member: Member, *, show_pii: bool = False) -> list[Cell]:
    """A member as the cells of :data:`MANIFEST_COLUMNS`."""
    p, a = member.passport, member.application
    number = None if p is None else (p.number if show_pii else mask_number(p.number))
    nik = member.nik if member.nik is None or show_pii else mask_number(member.nik)
    return [
        member.id, member.name, None if member.title is None else member.title.value,
        member.phone, nik,
        number, None if p is None else p.name, None if p is None else p.expires,
        None if a is None else a.office,
        *((None,) * 5 if a is None else (a.booked, a.recorded, a.paid, a.issued, a.collected)),
        member.contacted, member.follow_up, member.notes or None,
    ]  # fmt: skip


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # XML cannot hold most control characters: openpyxl would refuse the whole file.
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_cell(value)
    return repr(value) if isinstance(value, float) else str(value)


def write_table(
    headers: Sequence[str], rows: Iterable[Sequence[Cell]], fmt: Format, out: BinaryIO,
    *, title: str = "manifest",
) -> None:  # fmt: skip
    """Write a table as CSV (UTF-8 with BOM, so Excel reads the names right) or XLSX."""
    if fmt == "csv":
        buf = io.StringIO(newline="")
        # Every field quoted: a spreadsheet whose list separator is ";" would otherwise
        # split "x;=cmd" into a cell that starts with "=" (see cells.needs_guard).
        writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
        writer.writerow([_csv_cell(h) for h in headers])
        writer.writerows([_csv_cell(c) for c in row] for row in rows)
        out.write(buf.getvalue().encode("utf-8-sig"))
        return
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_text(title)[:31].replace("/", "-") or "sheet")
    sheet.append([_text(h) for h in headers])
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            else:
                cells.append(_text(value) if isinstance(value, str) else value)
        sheet.append(cells)
    buf2 = io.BytesIO()
    book.save(buf2)
    out.write(buf2.getvalue())


def group_scenario(scenario: Scenario, group_id: str) -> Scenario:
    """The group with the offices, systems and disruptions it needs: a file that stands alone."""
    group = scenario.group(group_id)
    codes = {group.office} | {m.application.office for m in group.members if m.application}
    by_code = {o.code: o for o in scenario.offices}
    todo = list(codes)
    while todo:  # alternatives of alternatives: the advice may send members there
        office = by_code.get(todo.pop())
        for alt in office.alternatives if office else ():
            if alt.office not in codes:
                codes.add(alt.office)
                todo.append(alt.office)
    offices = tuple(o for o in scenario.offices if o.code in codes)
    systems = {s for o in offices for s in o.systems}
    return Scenario(
        rules=scenario.rules,
        agency=scenario.agency,
        systems=tuple(s for s in scenario.systems if s.code in systems),
        offices=offices,
        disruptions=tuple(d for d in scenario.disruptions if any(d.hits(o) for o in offices)),
        groups=(group,),
    )


def _mask_json(data: dict[str, Any]) -> None:
    for m in data["groups"][0]["members"]:
        if "nik" in m:
            m["nik"] = mask_number(m["nik"])
        if "passport" in m:
            m["passport"]["number"] = mask_number(m["passport"]["number"])


def export_group(
    scenario: Scenario, group_id: str, fmt: Format, out: BinaryIO, *, show_pii: bool = False
) -> None:
    """Write one group as a manifest (csv/xlsx) or a grouppass/1 scenario file (json)."""
    if fmt == "json":
        data = scenario_to_dict(group_scenario(scenario, group_id))
        if not show_pii:
            _mask_json(data)
        out.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
        return
    group = scenario.group(group_id)
    rows = (member_row(m, show_pii=show_pii) for m in group.members)
    write_table([f.value for f in MANIFEST_COLUMNS], rows, fmt, out, title=group.id)


def export_report(report: Assessment, group_id: str, fmt: Format, out: BinaryIO) -> None:
    """Write a group's assessment: one row per member (csv/xlsx) or grouppass-report/1 (json).

    The report holds names but no passport numbers or NIK.
    """
    from grouppass.formats import report_dict

    g = report.group(group_id)
    if fmt == "json":
        only = Assessment(
            report.as_of, report.target_probability, (g,), report.seed, report.samples
        )
        out.write(orjson.dumps(report_dict(only), option=orjson.OPT_INDENT_2) + b"\n")
        return
    rows = [
        [
            g.group_id,
            g.deadline,
            m.member_id,
            m.name,
            m.office,
            m.stage.value,
            m.risk.value,
            round(m.p_on_time, 3),
            m.ready_p50,
            m.ready_p90,
            m.slack_days,
            "; ".join(p.message for p in m.problems) or None,
        ]
        for m in g.members
    ]
    write_table(REPORT_COLUMNS, rows, fmt, out, title=f"risiko {g.group_id}")
