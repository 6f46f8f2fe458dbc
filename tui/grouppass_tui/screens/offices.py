"""Offices: service times, capacity, alternatives — the list and the edit form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import available_timezones

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable

from grouppass import limits
from grouppass.model import Alternative, Office, Scenario, ThreePoint
from grouppass_tui.changes import SaveOffice
from grouppass_tui.dates import parse_date
from grouppass_tui.i18n import t
from grouppass_tui.screens.base import AppScreen
from grouppass_tui.screens.form_base import FormScreen
from grouppass_tui.widgets.footer import AppFooter
from grouppass_tui.widgets.form import ChoicesField, NumberField, TextField, ThreeField
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.table import KeyedTable, Row

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["OfficeForm", "OfficesScreen", "edit_office"]


def _days(tp: ThreePoint) -> str:
    if tp.low == tp.mode == tp.high:
        return f"{tp.mode:g}"
    return f"{tp.low:g}/{tp.mode:g}/{tp.high:g}"


class OfficesScreen(AppScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="offices.back", tooltip="Back"),
        Binding("e", "edit", "Edit", id="offices.edit", tooltip="Edit the office"),
        Binding("n", "add", "Add", id="offices.add", tooltip="Add an office"),
    ]

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield KeyedTable(id="offices")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(KeyedTable).focus()

    def relabel(self) -> None:
        self.query_one(AppHeader).place = t("offices.title")

    def redraw(self) -> None:
        columns = [
            ("code", t("col.code"), None),
            ("name", t("col.office_name"), None),
            ("tz", t("col.timezone"), None),
            ("booking", t("col.booking_days"), None),
            ("issue", t("col.issue_days"), None),
            ("collect", t("col.collect_days"), None),
            ("capacity", t("col.capacity"), None),
            ("alternatives", t("col.alternatives"), None),
        ]
        rows: list[Row] = [
            (
                o.code,
                [
                    o.code,
                    o.name,
                    o.timezone,
                    _days(o.booking_days),
                    _days(o.issue_days),
                    _days(o.collect_days),
                    f"{o.daily_capacity:g}",
                    ", ".join(f"{a.office} (+{a.travel_days})" for a in o.alternatives) or "–",
                ],
            )
            for o in self.gp.scenario.offices
        ]
        width = self.app.size.width
        self.query_one(KeyedTable).fill(columns, rows, flex="name", room=width - 2)

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        key = self.query_one(KeyedTable).current_key
        office = next((o for o in self.gp.scenario.offices if o.code == key), None)
        if office is not None:
            edit_office(self.gp, office)

    def action_add(self) -> None:
        edit_office(self.gp, None)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _check_zone(raw: str) -> str:
    # Checked against the list, not by opening it: ZoneInfo("Asia") (half typed) is a
    # directory and raises an OSError rather than a "not found".
    if raw not in _zones():
        raise ValueError(t("form.bad_timezone", zone=raw))
    return raw


def _parse_alternatives(raw: str, codes: set[str], own: str) -> tuple[Alternative, ...]:
    out = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        m = re.fullmatch(r"([A-Za-z0-9_-]+)\s*(?:[:+]\s*(\d+))?", part)
        if not m:
            raise ValueError(t("form.bad_alternative", text=part))
        code, days = m.group(1), int(m.group(2) or 0)
        if code not in codes or code == own:
            raise ValueError(t("form.unknown_office", code=code))
        out.append(Alternative(code, days))
    return tuple(out)


def _parse_closures(raw: str) -> tuple[dt.date, ...]:
    return tuple(parse_date(p) for p in filter(None, (p.strip() for p in raw.split(","))))


class OfficeForm(FormScreen[Office]):
    def __init__(
        self, scenario: Scenario, office: Office | None, initial: Office | None = None
    ) -> None:
        self.scenario = scenario
        self.office = office
        self.initial = initial or office
        self.reopened = initial is not None and initial != office
        self.title_text = (
            t("office_form.edit_title", code=office.code) if office else t("office_form.add_title")
        )
        super().__init__()

    def form_fields(self) -> Iterable[Widget]:
        o = self.initial
        codes = {x.code for x in self.scenario.offices}
        if self.office is None:

            def check_code(raw: str) -> str:
                if not re.fullmatch(r"[A-Za-z0-9_-]+", raw):
                    raise ValueError(t("form.bad_code"))
                if raw in codes:
                    raise ValueError(t("form.code_taken", code=raw))
                return raw

            yield TextField("code", t("field.code"), "", check=check_code, required=True)
        yield TextField("name", t("field.office_name"), o.name if o else "", required=True)
        yield TextField(
            "timezone",
            t("field.timezone"),
            o.timezone if o else "Asia/Makassar",
            check=_check_zone,
            required=True,
        )
        yield ChoicesField(
            "systems",
            t("field.systems"),
            [(f"{s.code} · {s.name}", s.code) for s in self.scenario.systems],
            o.systems if o else (),
        )
        # A new office starts from the usual Kanim times (FACTS.md): easier to adjust than to type.
        times: dict[str, ThreePoint] = {
            "booking": o.booking_days if o else ThreePoint(1, 2, 5),
            "issue": o.issue_days if o else ThreePoint(3, 3, 5),
            "collect": o.collect_days if o else ThreePoint(0, 1, 2),
        }
        for name, tp in times.items():
            yield ThreeField(name, t(f"field.{name}_days"), (tp.low, tp.mode, tp.high))
        yield NumberField(
            "capacity",
            t("field.daily_capacity"),
            o.daily_capacity if o else 100,
            minimum=limits.DAILY_CAPACITY.low,
            maximum=limits.DAILY_CAPACITY.high,
            required=True,
        )
        yield NumberField(
            "intake",
            t("field.daily_intake"),
            o.daily_intake if o else None,
            minimum=limits.DAILY_INTAKE.low,
            maximum=limits.DAILY_INTAKE.high,
        )
        own = self.office.code if self.office else ""
        yield TextField(
            "alternatives",
            t("field.alternatives"),
            ", ".join(f"{a.office}:{a.travel_days}" for a in o.alternatives) if o else "",
            check=lambda raw: _parse_alternatives(raw, codes, own),
            placeholder="LTM:1, MTR:0",
        )
        yield TextField(
            "closures",
            t("field.closures"),
            ", ".join(d.isoformat() for d in o.closures) if o else "",
            check=_parse_closures,
            placeholder="2018-06-11, 2018-06-12",
        )

    def build(self) -> Office:
        v: dict[str, Any] = {f.field_id: f.value for f in self.fields()}
        days = {f"{name}_days": ThreePoint(*v[name]) for name in ("booking", "issue", "collect")}
        code = self.office.code if self.office else v["code"]
        return Office(
            code=code,
            name=v["name"],
            timezone=v["timezone"],
            systems=v["systems"] or (),
            daily_capacity=v["capacity"],
            daily_intake=v["intake"],
            alternatives=v["alternatives"] or (),
            closures=v["closures"] or (),
            booking_days=days["booking_days"],
            issue_days=days["issue_days"],
            collect_days=days["collect_days"],
            # Not on the form yet: an edit keeps what the office had.
            express=self.office.express if self.office else True,
        )


def edit_office(
    app: GrouppassApp,
    office: Office | None,
    initial: Office | None = None,
    then: Callable[[Office | None], None] | None = None,
) -> None:
    def done(result: Office | None) -> None:
        if result is not None and result != office:
            app.save(SaveOffice(result, office, note="edit office" if office else "add office"))
        if then is not None:
            then(result)

    app.push_screen(OfficeForm(app.scenario, office, initial), done)
