"""Disruptions of offices and systems: the list, and the form to record or edit one.

Recovery is three dates: earliest, most likely, latest; the latest may be
left empty for "unknown" ("maybe next week, not certain"), which the
forecast models as a long tail (docs/scenario-format.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import DataTable, Static

from grouppass.model import Disruption, Recovery, Scenario, Stops
from grouppass_tui.changes import SaveDisruption
from grouppass_tui.dates import short_date
from grouppass_tui.i18n import t
from grouppass_tui.screens.base import AppScreen
from grouppass_tui.screens.form_base import FormError, FormScreen
from grouppass_tui.widgets.footer import AppFooter
from grouppass_tui.widgets.form import ChoicesField, DateField, NumberField, SelectField, TextField
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.table import KeyedTable, Row

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["DisruptionForm", "DisruptionsScreen", "edit_disruption"]


def _targets(d: Disruption) -> str:
    return ", ".join([*d.offices, *d.systems])


def _recovery(d: Disruption, year: int) -> str:
    r = d.recovery
    if r is None:
        return "?"
    high = short_date(r.high, year) if r.high else "?"
    return f"{short_date(r.low, year)} – {short_date(r.mode, year)} – {high}"


class DisruptionsScreen(AppScreen[None]):
    """Every disruption on record; ones not yet known at ``as_of`` are marked."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="disruptions.back", tooltip="Back"),
        Binding("n", "add", "Add", id="disruptions.add", tooltip="Record a new disruption"),
        Binding(
            "e",
            "edit",
            "Edit",
            id="disruptions.edit",
            tooltip="Edit the disruption: recovery, what it stops, note, ended",
        ),
    ]

    DEFAULT_CSS = """
    DisruptionsScreen #disruptions-note {
        padding: 0 1;
        color: $text-muted;
        height: auto;
    }
    DisruptionsScreen #disruption-detail {
        height: auto;
        max-height: 8;
        padding: 0 1;
        border-top: solid $primary-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="disruptions-note")
        yield KeyedTable(id="disruptions")
        yield Static(id="disruption-detail")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(KeyedTable).focus()

    def relabel(self) -> None:
        self.query_one(AppHeader).place = t("disruptions.title")
        self.query_one("#disruptions-note", Static).update(t("disruptions.note"))

    def redraw(self) -> None:
        app = self.gp
        year = app.as_of.year
        columns = [
            ("id", t("col.id"), None),
            ("targets", t("col.targets"), None),
            ("stops", t("col.stops"), None),
            ("start", t("col.start"), None),
            ("recovery", t("col.recovery"), None),
            ("ended", t("col.ended"), None),
            ("note", t("col.note"), None),
        ]
        rows: list[Row] = []
        for d in app.scenario.disruptions:
            unknown = d.known_from > app.as_of
            style = "dim" if unknown else ""
            rows.append(
                (
                    d.id,
                    [
                        Text(d.id + (" *" if unknown else ""), style=style, end=""),
                        Text(_targets(d), end=""),
                        t(f"stops.{d.stops.value}"),
                        short_date(d.start, year),
                        _recovery(d, year),
                        short_date(d.ended, year) if d.ended else "–",
                        Text(d.note, end="", no_wrap=True, overflow="ellipsis"),
                    ],
                )
            )
        width = self.app.size.width
        self.query_one(KeyedTable).fill(columns, rows, flex="note", room=width - 2)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        # The note is where the organiser wrote what the office said, and when: in full here.
        d = self._current()
        detail = self.query_one("#disruption-detail", Static)
        if d is None:
            detail.update("")
            return
        text = Text(f"{d.id}: ", style="bold")
        text.append(
            t(
                "disruptions.detail",
                targets=_targets(d),
                stops=t(f"stops.{d.stops.value}"),
                capacity=f"{d.capacity_factor:.0%}",
            )
        )
        if d.note:
            text.append("\n" + d.note, style="italic")
        detail.update(text)

    def _current(self) -> Disruption | None:
        key = self.query_one(KeyedTable).current_key
        return next((d for d in self.gp.scenario.disruptions if d.id == key), None)

    def action_back(self) -> None:
        self.dismiss()

    def action_add(self) -> None:
        edit_disruption(self.gp, None)

    def action_edit(self) -> None:
        current = self._current()
        if current is not None:
            edit_disruption(self.gp, current)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_edit()


def new_disruption_id(start: dt.date, targets: tuple[str, ...], scenario: Scenario) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(targets).lower()).strip("-") or "disruption"
    base = f"{slug}-{start.isoformat()}"
    taken = {d.id for d in scenario.disruptions}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


class DisruptionForm(FormScreen[Disruption]):
    """Record or edit a disruption of offices and/or systems."""

    def __init__(
        self,
        scenario: Scenario,
        disruption: Disruption | None,
        as_of: dt.date,
        initial: Disruption | None = None,
    ) -> None:
        self.scenario = scenario
        self.disruption = disruption
        self.initial = initial or disruption
        self.reopened = initial is not None and initial != disruption
        self.as_of = as_of
        self.title_text = (
            t("disruption_form.edit_title", id=disruption.id)
            if disruption
            else t("disruption_form.add_title")
        )
        super().__init__()

    def form_fields(self) -> Iterable[Widget]:
        d = self.initial
        options = [
            (t("disruption_form.office", code=o.code, name=o.name), f"office:{o.code}")
            for o in self.scenario.offices
        ]
        options += [
            (t("disruption_form.system", code=s.code, name=s.name), f"system:{s.code}")
            for s in self.scenario.systems
        ]
        chosen = (
            ([f"office:{c}" for c in d.offices] + [f"system:{c}" for c in d.systems]) if d else []
        )
        yield ChoicesField("targets", t("field.targets"), options, chosen, required=True)
        yield SelectField(
            "stops",
            t("field.stops"),
            [(t(f"stops.{s.value}"), s) for s in Stops],
            d.stops if d else Stops.ISSUANCE,
        )
        yield NumberField(
            "capacity",
            t("field.capacity_left"),
            round(d.capacity_factor * 100) if d else 0,
            minimum=0,
            maximum=100,
            required=True,
        )
        yield DateField("start", t("field.start"), d.start if d else self.as_of, required=True)
        r = d.recovery if d else None
        yield DateField("low", t("field.recovery_low"), r.low if r else None, required=True)
        yield DateField("mode", t("field.recovery_mode"), r.mode if r else None, required=True)
        yield DateField("high", t("field.recovery_high"), r.high if r else None)
        yield Static(Text(t("disruption_form.high_hint"), style="dim"), classes="hint")
        yield DateField("reported", t("field.reported"), d.reported if d else self.as_of)
        yield DateField("ended", t("field.ended"), d.ended if d else None)
        yield TextField(
            "note",
            t("field.note"),
            d.note if d else "",
            placeholder=t("disruption_form.note_placeholder"),
        )

    def build(self) -> Disruption:
        v: dict[str, Any] = {f.field_id: f.value for f in self.fields()}
        targets: tuple[str, ...] = v["targets"] or ()
        start, low, mode, high = v["start"], v["low"], v["mode"], v["high"]
        if low < start:
            raise FormError(t("order.low_before_start"), "low")
        if mode < low:
            raise FormError(t("order.mode_before_low"), "mode")
        if high is not None and high < mode:
            raise FormError(t("order.high_before_mode"), "high")
        if v["ended"] is not None and v["ended"] < start:
            raise FormError(t("order.ended_before_start"), "ended")
        offices = tuple(x.split(":", 1)[1] for x in targets if x.startswith("office:"))
        systems = tuple(x.split(":", 1)[1] for x in targets if x.startswith("system:"))
        ident = (
            self.disruption.id
            if self.disruption
            else new_disruption_id(start, offices + systems, self.scenario)
        )
        return Disruption(
            id=ident,
            start=start,
            recovery=Recovery(low, mode, high),
            stops=v["stops"],
            offices=offices,
            systems=systems,
            capacity_factor=v["capacity"] / 100,
            reported=v["reported"],
            ended=v["ended"],
            note=v["note"] or "",
        )


def edit_disruption(
    app: GrouppassApp, disruption: Disruption | None, initial: Disruption | None = None
) -> None:
    def done(result: Disruption | None) -> None:
        if result is not None and result != disruption:
            note = "edit disruption" if disruption else "record disruption"
            app.save(SaveDisruption(result, disruption, note=note))

    app.push_screen(DisruptionForm(app.scenario, disruption, app.as_of, initial), done)
