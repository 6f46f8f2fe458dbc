"""One group: its members' figures, the advice, and every edit the organiser makes."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.events import Resize
from textual.widgets import DataTable, Input, Static

from grouppass.assess import deadline_of
from grouppass.model import Group, Member
from grouppass.results import GroupAssessment
from grouppass_tui.changes import RemoveMember
from grouppass_tui.dates import hijri_date, long_date
from grouppass_tui.display import percent, risk_text
from grouppass_tui.i18n import plural, t
from grouppass_tui.screens.base import AppScreen
from grouppass_tui.screens.groups import NARROW, counts_text
from grouppass_tui.widgets.advice_panel import AdvicePanel, renderable_sig
from grouppass_tui.widgets.filter_input import FilterInput
from grouppass_tui.widgets.footer import AppFooter
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.members_table import MembersTable

__all__ = ["GroupScreen"]


def _sort_binding(n: int) -> Binding:
    return Binding(
        str(n),
        f"sort({n})",
        f"Sort {n}",
        show=False,
        id=f"group.sort{n}",
        tooltip=f"Sort by column {n}; again to reverse",
    )


class GroupScreen(AppScreen[None]):
    """The members table, the group's standing and what to do, for one group."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="group.back", tooltip="Back to all groups"),
        Binding(
            "enter",
            "detail",
            "Detail",
            id="group.detail",
            tooltip="Timeline, forecast chart and problems of the member",
        ),
        Binding(
            "s",
            "record_stage",
            "Stage",
            id="group.stage",
            tooltip="Record a stage (booked, recorded, paid, issued, collected) with its date",
        ),
        Binding(
            "p",
            "switch",
            "Switch",
            id="group.switch",
            tooltip="Switch the selected members (or this one) to the advised office",
        ),
        Binding(
            "P",
            "switch(True)",
            "Switch anyway",
            show=False,
            id="group.force_switch",
            tooltip="Switch members the advice says should stay, after a loud warning",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            id="group.filter",
            key_display="/",
            tooltip="Filter by name, office, stage or risk",
        ),
        Binding(
            "m",
            "notices",
            "Notices",
            id="group.notices",
            tooltip="Messages for each member: status, likely date, what to bring",
        ),
        Binding(
            "space",
            "toggle_select",
            "Select",
            show=False,
            id="group.select",
            tooltip="Mark or unmark the member (for a switch of several)",
        ),
        Binding(
            "ctrl+a",
            "select_all",
            "Select all",
            show=False,
            id="group.select_all",
            tooltip="Mark every member shown, or unmark them all",
        ),
        Binding(
            "n",
            "add_member",
            "Add",
            show=False,
            id="group.add",
            tooltip="Add a member to the group",
        ),
        Binding(
            "e",
            "edit_member",
            "Edit",
            show=False,
            id="group.edit",
            tooltip="Edit the member: name, phone, passport, application dates",
        ),
        Binding(
            "x,delete",
            "remove_member",
            "Remove",
            show=False,
            id="group.remove",
            tooltip="Remove the member from the group (asks first)",
        ),
        Binding(
            "c",
            "contact",
            "Contacted",
            show=False,
            id="group.contact",
            tooltip="Mark the member contacted and set a follow-up date",
        ),
        Binding(
            "u",
            "restore_member",
            "Bring back",
            show=False,
            id="group.restore",
            tooltip="Bring back a member removed from this group",
        ),
        Binding(
            "g",
            "edit_group",
            "Group",
            show=False,
            id="group.edit_group",
            tooltip="Edit the group: name, office, departure, time zone, visa lead, seats",
        ),
        Binding(
            "i",
            "import_manifest",
            "Import",
            show=False,
            id="group.import",
            tooltip="Import a manifest (CSV/XLSX) into this group",
        ),
        *(_sort_binding(n) for n in range(1, 10)),
    ]

    DEFAULT_CSS = """
    GroupScreen #group-summary {
        height: auto;
        padding: 0 1;
    }
    GroupScreen MembersTable {
        height: 1fr;
        min-height: 5;
    }
    GroupScreen.-narrow AdvicePanel {
        max-height: 30%;
    }
    """

    def __init__(self, group_id: str) -> None:
        super().__init__()
        self.group_id = group_id
        """The group shown; the app assesses it first."""
        self._drawn_width = 0
        self._summary_sig: object | None = None
        self._summary_text: Text | None = None

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Static(id="group-summary")
        yield FilterInput(id="group-filter")
        yield MembersTable(id="members")
        yield AdvicePanel(id="advice")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(MembersTable).focus()
        self.gp.need_group(self.group_id, full=False)

    def relabel(self) -> None:
        self.query_one(FilterInput).placeholder = t("group.filter_placeholder")

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._drawn_width:
            self.redraw()

    # -- data --------------------------------------------------------------------

    @property
    def group(self) -> Group | None:
        try:
            return self.gp.scenario.group(self.group_id)
        except KeyError:
            return None

    @property
    def figures(self) -> GroupAssessment | None:
        return self.gp.figures.get(self.group_id)

    def office_names(self) -> dict[str, str]:
        return {o.code: o.name for o in self.gp.scenario.offices}

    def redraw(self) -> None:
        app = self.gp
        group = self.group
        if group is None:
            if not app.loading:
                # Removed by another process: nothing left to show here.
                self.app.notify(t("group.gone"), severity="warning")
                self.dismiss()
            return
        figures = self.figures
        if figures is None:
            app.need_group(self.group_id, full=False)
        theme = app.theme_variables
        # The terminal's width, not this screen's: on mount the screen has no size yet,
        # and a first draw at the wrong width would cost a second full table render.
        width = self._drawn_width = self.app.size.width
        narrow = width < NARROW + 10  # nine columns need ~110 cells before names get cut
        if self.has_class("-narrow") != narrow:
            self.set_class(narrow, "-narrow")
        self.query_one(MembersTable).narrow = narrow
        self.query_one(AppHeader).place = group.name
        summary = self._summary(group, figures)
        sig = renderable_sig(summary)
        if sig != self._summary_sig:
            # Digits changed only (a percent): the same size, no layout of the screen.
            shape = renderable_sig(summary, shape=True)
            layout = shape != renderable_sig(self._summary_text, shape=True)
            self._summary_sig, self._summary_text = sig, summary
            self.query_one("#group-summary", Static).update(summary, layout=layout)
        self.query_one(MembersTable).show(
            group,
            figures,
            app.as_of,
            theme,
            self.office_names(),
            room=width - 2,
            target=app.scenario.rules.target_probability,
        )
        self.query_one(AdvicePanel).show(
            app.scenario,
            group,
            figures,
            app.as_of,
            app.scenario.rules.target_probability,
            theme,
            app.recoveries,
            narrow=narrow,
        )

    def _summary(self, group: Group, figures: GroupAssessment | None) -> Text:
        app = self.gp
        theme = app.theme_variables
        departure = group.departure.date()
        deadline = deadline_of(group)
        days = (deadline - app.as_of).days
        narrow = self.app.size.width < NARROW
        text = Text(end="")
        text.append(t("group.departure") + " ", style="dim")
        text.append(long_date(departure), style="bold")
        hijri = hijri_date(departure)
        if hijri:
            text.append(f" · {hijri} ")
            text.append(
                t("group.hijri_note_short" if narrow else "group.hijri_note"), style="dim italic"
            )
        text.append("\n")
        text.append(t("group.deadline_short" if narrow else "group.deadline") + " ", style="dim")
        text.append(long_date(deadline), style="bold")
        when = (
            plural("group.days_left", days, days=days)
            if days >= 0
            else plural("group.days_past", -days, days=-days)
        )
        text.append(
            " " + t("group.deadline_detail", when=when, lead=plural("days.n", group.visa_lead_days))
        )
        if figures is not None:
            text.append("\n")
            text.append(t("group.p_all") + " ", style="dim")
            target = app.scenario.rules.target_probability
            text.append(percent(figures.p_on_time, target) + " ", style="bold")
            text.append_text(risk_text(figures.risk, theme))
            text.append("  ")
            text.append_text(counts_text(figures, theme))
        overdue = sum(1 for m in group.members if m.follow_up and m.follow_up < app.as_of)
        if overdue:
            text.append("  ")
            text.append(
                plural("group.overdue", overdue), style="bold reverse " + theme.get("error", "red")
            )
        return text

    # -- the member under the cursor -----------------------------------------------

    def current_member(self) -> Member | None:
        group = self.group
        key = self.query_one(MembersTable).current_key
        if group is None or key is None:
            return None
        try:
            return group.member(key)
        except KeyError:
            return None

    def _need_member(self) -> Member | None:
        member = self.current_member()
        if member is None:
            self.app.notify(t("group.no_member"), severity="warning")
        return member

    # -- actions -------------------------------------------------------------------

    def action_back(self) -> None:
        # First Escape clears a filter (the organiser may not see it is on); the next goes back.
        box = self.query_one(FilterInput)
        if box.value:
            box.value = ""
            return
        self.dismiss()

    def action_filter(self) -> None:
        self.query_one(FilterInput).focus()

    @on(Input.Changed, "#group-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_one(MembersTable).needle = event.value.strip()
        self.redraw()

    def action_sort(self, n: int) -> None:
        table = self.query_one(MembersTable)
        columns = table.visible_columns()
        if 1 <= n <= len(columns):
            table.sort_on(columns[n - 1])
            self.redraw()

    @on(DataTable.HeaderSelected, "#members")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        column = event.column_key.value
        table = self.query_one(MembersTable)
        if column and column in table.visible_columns():
            table.sort_on(column)
            self.redraw()

    @on(DataTable.RowSelected, "#members")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_detail()

    def action_detail(self) -> None:
        from grouppass_tui.screens.member import MemberScreen

        member = self._need_member()
        if member is not None:
            self.app.push_screen(MemberScreen(self.group_id, member.id))

    def action_toggle_select(self) -> None:
        member = self._need_member()
        if member is not None:
            table = self.query_one(MembersTable)
            table.toggle_selected(member.id)
            self.redraw()
            table.action_cursor_down()

    def action_select_all(self) -> None:
        table = self.query_one(MembersTable)
        table.select_all(table.shown)
        self.redraw()

    def action_record_stage(self) -> None:
        from grouppass_tui.screens.forms import record_stage

        member = self._need_member()
        if member is not None:
            record_stage(self.gp, self.group_id, member)

    def action_add_member(self) -> None:
        from grouppass_tui.screens.forms import edit_member

        edit_member(self.gp, self.group_id, None)

    def action_edit_member(self) -> None:
        from grouppass_tui.screens.forms import edit_member

        member = self._need_member()
        if member is not None:
            edit_member(self.gp, self.group_id, member)

    def action_contact(self) -> None:
        from grouppass_tui.screens.forms import mark_contact

        member = self._need_member()
        if member is not None:
            mark_contact(self.gp, self.group_id, member)

    def action_remove_member(self) -> None:
        from grouppass_tui.screens.dialogs import ConfirmScreen

        member = self._need_member()
        if member is None:
            return
        app = self.gp

        def answered(yes: bool | None) -> None:
            if yes:
                app.save(RemoveMember(self.group_id, member, note="remove member"))

        app.push_screen(
            ConfirmScreen(
                t("remove.title"),
                t("remove.body", name=member.name),
                yes=t("remove.yes"),
                no=t("dialog.cancel"),
                danger=True,
            ),
            answered,
        )

    def action_switch(self, force: bool = False) -> None:
        from grouppass_tui.screens.switch import start_switch

        table = self.query_one(MembersTable)
        group = self.group
        if group is None:
            return
        ids = [i for i in table.shown if i in table.selected] or (
            [table.current_key] if table.current_key else []
        )
        members = [group.member(i) for i in ids]
        start_switch(
            self.gp,
            self.group_id,
            members,
            self.figures,
            applied=table.selected.clear,
            force=force,
        )

    def action_notices(self) -> None:
        from grouppass_tui.screens.notices import NoticesScreen

        if self.figures is None:
            self.app.notify(t("group.wait_figures"), severity="warning")
            return
        table = self.query_one(MembersTable)
        chosen = [i for i in table.shown if i in table.selected] or None
        self.app.push_screen(NoticesScreen(self.group_id, chosen))

    def action_restore_member(self) -> None:
        from grouppass_tui.screens.restore import RestoreScreen

        self.app.push_screen(RestoreScreen(self.group_id))

    def action_edit_group(self) -> None:
        from grouppass_tui.screens.group_form import edit_group

        group = self.group
        if group is not None:
            edit_group(self.gp, group)

    def action_import_manifest(self) -> None:
        from grouppass_tui.screens.groups import start_import

        start_import(self.gp, self.group_id)
