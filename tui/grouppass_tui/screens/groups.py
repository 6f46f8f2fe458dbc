"""The first screen: every group, most urgent first.

Departure, deadline and days left come straight from the data, so the list
paints before any forecast runs; P(on time), risk and the counts fill in as
the whole-agency assessment reports back in batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import DataTable, Input, Static

from grouppass.assess import deadline_of
from grouppass.model import Group
from grouppass.results import GroupAssessment, Risk
from grouppass_tui.dates import medium_date, short_date
from grouppass_tui.display import GLYPHS, percent, risk_style, risk_text
from grouppass_tui.i18n import plural, t
from grouppass_tui.screens.base import AppScreen
from grouppass_tui.screens.track import summary_text
from grouppass_tui.widgets.filter_input import FilterInput
from grouppass_tui.widgets.footer import AppFooter
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.table import Column, KeyedTable, Row

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = ["GroupsScreen", "start_import", "urgency"]

NARROW = 100
"""Below this many columns the lists drop their less important columns."""


def urgency(
    group: Group, deadline: dt.date, figures: GroupAssessment | None, as_of: dt.date
) -> tuple[int, int, int, float, str]:
    """Sort key, most urgent first: worst risk, then nearest deadline, then lowest P.

    Groups whose deadline has passed go last: nothing can be done for them now.
    Until figures arrive a group counts as on track, so it sorts by deadline.
    """
    days = (deadline - as_of).days
    severity = figures.risk.severity if figures is not None else Risk.ON_TRACK.severity
    p = figures.p_on_time if figures is not None else 1.0
    return (1 if days < 0 else 0, -severity, days, p, group.name.casefold())


def counts_text(figures: GroupAssessment, theme: dict[str, str]) -> Text:
    counts = figures.counts()
    out = Text(end="")
    for risk in (Risk.LATE, Risk.AT_RISK, Risk.ON_TRACK, Risk.READY):
        if out:
            out.append(" ")
        n = counts[risk]
        out.append(f"{GLYPHS[risk]}{n}", style=risk_style(risk, theme) if n else "dim")
    return out


class GroupsScreen(AppScreen[None]):
    """Every group with departure, deadline, days left, group P(on time) and risk counts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_group", "Open", id="groups.open", tooltip="Open the group"),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="groups.filter",
            key_display="/",
            tooltip="Filter groups by name, id or office",
        ),
        Binding("n", "add_group", "New group", id="groups.add", tooltip="Add a group"),
        Binding(
            "e",
            "edit_group",
            "Edit",
            show=False,
            id="groups.edit",
            tooltip="Edit the group: name, office, departure, time zone, visa lead, seats",
        ),
        Binding(
            "x,delete",
            "remove_group",
            "Remove",
            show=False,
            id="groups.remove",
            tooltip="Remove the group and its members (asks first)",
        ),
        Binding(
            "i",
            "import_manifest",
            "Import",
            id="groups.import",
            tooltip="Import a manifest (CSV/XLSX) into a group",
        ),
        Binding(
            "r",
            "track_record",
            "Track record",
            show=False,
            id="groups.track",
            tooltip="How often grouppass's past forecasts came true (the backtest)",
        ),
        Binding(
            "a",
            "agency",
            "Agency",
            show=False,
            id="groups.agency",
            tooltip="The agency's name, contact and phone (they sign the notices)",
        ),
    ]

    DEFAULT_CSS = """
    GroupsScreen #groups-summary {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    GroupsScreen #groups-track {
        height: auto;
        max-height: 2;
        padding: 0 1;
        color: $text-muted;
    }
    """

    _drawn_width = 0

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="groups-summary")
        yield Static(id="groups-track")
        yield FilterInput(id="groups-filter")
        yield KeyedTable(id="groups-table")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#groups-table").focus()

    def relabel(self) -> None:
        self.query_one(AppHeader).place = t("groups.title")
        self.query_one(FilterInput).placeholder = t("groups.filter_placeholder")

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._drawn_width:
            self.redraw()

    @on(Input.Changed, "#groups-filter")
    def _filter_changed(self) -> None:
        self.redraw()

    def _columns(self, narrow: bool) -> list[Column]:
        cols: list[Column] = [("name", t("col.group"), None)]
        if not narrow:
            cols.append(("departure", t("col.departure"), None))
        cols += [
            ("deadline", t("col.deadline"), None),
            ("days", t("col.days_left"), None),
            ("p", t("col.p_group"), None),
            ("risk", t("col.risk"), None),
            ("counts", t("col.counts"), None),
        ]
        return cols

    def redraw(self) -> None:
        app = self.gp
        table = self.query_one("#groups-table", KeyedTable)
        summary = self.query_one("#groups-summary", Static)
        if app.loading:
            summary.update(t("groups.loading"))
            return
        as_of = app.as_of
        width = self._drawn_width = self.app.size.width
        narrow = width < NARROW
        theme = app.theme_variables
        target = app.scenario.rules.target_probability
        needle = self.query_one(FilterInput).value.strip().casefold()
        entries = []
        for group in app.scenario.groups:
            if needle and not (
                needle in group.name.casefold()
                or needle in group.id.casefold()
                or needle in group.office.casefold()
            ):
                continue
            deadline = deadline_of(group)
            figures = app.figures.get(group.id)
            entries.append((urgency(group, deadline, figures, as_of), group, deadline, figures))
        entries.sort(key=lambda e: e[0])
        rows: list[Row] = []
        year = as_of.year
        for _, group, deadline, figures in entries:
            days = (deadline - as_of).days
            cells: list[object] = [Text(group.name, end="", no_wrap=True, overflow="ellipsis")]
            if not narrow:
                cells.append(medium_date(group.departure.date()))
            days_style = "bold " + theme.get("error", "red") if 0 <= days <= 14 else ""
            cells += [
                short_date(deadline, year),
                Text(
                    t("groups.days", days=days) if days >= 0 else t("groups.past"),
                    style=days_style,
                    end="",
                    justify="right",
                ),
            ]
            if figures is None:
                cells += ["…", "…", ""]
            else:
                cells += [
                    Text(percent(figures.p_on_time, target), justify="right", end=""),
                    risk_text(figures.risk, theme),
                    counts_text(figures, theme),
                ]
            rows.append((group.id, cells))
        table.fill(self._columns(narrow), rows, flex="name", room=width - 2)
        self._update_summary(summary, entries)
        self._update_track()

    def _update_track(self) -> None:
        """The track record in one line (the table is ``r``); nothing until there is one."""
        app = self.gp
        line = self.query_one("#groups-track", Static)
        if app.track is None:
            line.update(Text(t("track.loading"), style="italic") if app.track_pending else "")
            line.display = app.track_pending
            return
        text = Text(t("track.line", summary=summary_text(app.track)), end="")
        text.append(" · " + t("track.key_hint"), style="dim")
        line.update(text)
        line.display = True

    def _update_summary(
        self,
        summary: Static,
        entries: Sequence[tuple[object, Group, dt.date, GroupAssessment | None]],
    ) -> None:
        app = self.gp
        n_groups = len(app.scenario.groups)
        travellers = sum(len(g.members) for g in app.scenario.groups)
        assessed = [f for *_, f in entries if f is not None]
        late = sum(1 for f in assessed if f.risk == Risk.LATE)
        at_risk = sum(1 for f in assessed if f.risk == Risk.AT_RISK)
        overdue = sum(
            1
            for g in app.scenario.groups
            for m in g.members
            if m.follow_up is not None and m.follow_up < app.as_of
        )
        if n_groups == 0:
            summary.update(Text(t("groups.empty", path=str(app.agency.path or "")), style="italic"))
            return
        text = Text(
            plural("groups.n", n_groups) + " · " + plural("travellers.n", travellers), end=""
        )
        theme = app.theme_variables
        if late:
            text.append(" · ")
            text.append(plural("groups.summary_late", late), style=risk_style(Risk.LATE, theme))
        if at_risk:
            text.append(" · ")
            text.append(
                plural("groups.summary_at_risk", at_risk), style=risk_style(Risk.AT_RISK, theme)
            )
        if overdue:
            text.append(" · ")
            text.append(
                plural("groups.summary_overdue", overdue),
                style="bold " + theme.get("error", "red"),
            )
        if len(app.figures) < n_groups:
            text.append(" · " + t("groups.computing", done=len(app.figures), total=n_groups))
        summary.update(text)

    def action_filter(self) -> None:
        self.query_one(FilterInput).focus()

    def action_open_group(self) -> None:
        key = self.query_one("#groups-table", KeyedTable).current_key
        if key is not None:
            self._open(key)

    @on(DataTable.RowSelected, "#groups-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open(event.row_key.value)

    def _open(self, group_id: str) -> None:
        from grouppass_tui.screens.group import GroupScreen

        self.app.push_screen(GroupScreen(group_id))

    def _current(self) -> Group | None:
        key = self.query_one("#groups-table", KeyedTable).current_key
        try:
            return self.gp.scenario.group(key) if key is not None else None
        except KeyError:
            return None

    def action_add_group(self) -> None:
        from grouppass_tui.screens.group_form import edit_group

        if not self.gp.scenario.offices:
            self.app.notify(t("groups.need_office"), severity="warning")
            return
        edit_group(self.gp, None)

    def action_edit_group(self) -> None:
        from grouppass_tui.screens.group_form import edit_group

        group = self._current()
        if group is not None:
            edit_group(self.gp, group)

    def action_remove_group(self) -> None:
        from grouppass_tui.screens.group_form import remove_group

        group = self._current()
        if group is not None:
            remove_group(self.gp, group)

    def action_import_manifest(self) -> None:
        group = self._current()
        start_import(self.gp, group.id if group else None)

    def action_track_record(self) -> None:
        from grouppass_tui.screens.track import TrackRecordScreen

        self.app.push_screen(TrackRecordScreen())

    def action_agency(self) -> None:
        from grouppass_tui.screens.group_form import edit_agency

        edit_agency(self.gp)


def start_import(app: GrouppassApp, group_id: str | None) -> None:
    """The import dialog; a new group is made first when the organiser chooses one."""
    from grouppass_tui.screens.group_form import edit_group
    from grouppass_tui.screens.importer import NEW_GROUP, ImportChoice, ImportScreen

    def chosen(choice: ImportChoice | None) -> None:
        if choice is None:
            return
        if choice.group_id != NEW_GROUP:
            app.import_manifest(choice.path, choice.group_id)
            return
        if not app.scenario.offices:
            app.notify(t("groups.need_office"), severity="warning")
            return
        edit_group(app, None, then=lambda g: app.import_manifest(choice.path, g.id))

    app.push_screen(ImportScreen(app.scenario, group_id), chosen)
