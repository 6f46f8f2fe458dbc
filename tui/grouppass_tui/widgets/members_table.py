"""The members of one group: who is at risk, sortable by any column, filtered as you type.

One group at a time (45 rows at most in practice) keeps the table fast to
rebuild whole after every save; the sort and the filter are applied here,
on the app's figures, so no key press ever waits for the forecast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from attrs import frozen
from rich.text import Text
from textual.binding import Binding, BindingType

from grouppass.model import Group, Member, Stage
from grouppass.results import GroupAssessment, MemberAssessment, Risk, TodoCode
from grouppass_tui.dates import short_date
from grouppass_tui.display import percent, risk_text, risk_word, slack_text
from grouppass_tui.i18n import language, t
from grouppass_tui.widgets.table import Column, KeyedTable, Row

__all__ = [
    "COLUMNS",
    "MemberRow",
    "MembersTable",
    "flag_word",
    "flags_text",
    "member_flags",
    "member_stage",
]

_STAGE_ORDER = {s: i for i, s in enumerate(Stage)}


def member_stage(member: Member, figures: MemberAssessment | None, as_of: dt.date) -> Stage:
    """The stage as known at ``as_of`` (later dates are unknown in a replay)."""
    if figures is not None:
        return figures.stage
    if member.application is None:
        return Stage.NOT_STARTED
    return member.application.known_at(as_of).stage


def stage_word(member: Member, figures: MemberAssessment | None, as_of: dt.date) -> str:
    if figures is not None and figures.risk == Risk.READY and member.application is None:
        return t("stage.holds_passport")
    return t(f"stage.{member_stage(member, figures, as_of).value}")


def member_flags(figures: MemberAssessment | None) -> tuple[str, ...]:
    """What the row marks beside the risk: the library's problems with the member's papers
    (not started, passport expiring, name too short), then "no phone" when today's actions
    ask for one — so nobody reads "on track" for a pilgrim who has not applied."""
    if figures is None:
        return ()
    out = [p.code.value for p in figures.problems]
    if any(todo.code is TodoCode.PHONE for todo in figures.today):
        out.append(TodoCode.PHONE.value)
    return tuple(out)


@frozen
class MemberRow:
    """What one table row is made from."""

    member: Member
    figures: MemberAssessment | None

    @property
    def id(self) -> str:
        return self.member.id


_LATE = dt.date.max
_EARLY = dt.date.min


def _sort_keys(as_of: dt.date) -> Mapping[str, Callable[[MemberRow], Any]]:
    def fig(r: MemberRow, attr: str, default: Any) -> Any:
        value = getattr(r.figures, attr, None) if r.figures is not None else None
        return default if value is None else value

    return {
        "name": lambda r: r.member.name.casefold(),
        "office": lambda r: r.figures.office if r.figures and r.figures.office else "~",
        "stage": lambda r: _STAGE_ORDER[member_stage(r.member, r.figures, as_of)],
        "p50": lambda r: fig(r, "ready_p50", _EARLY),
        "p90": lambda r: fig(r, "ready_p90", _EARLY),
        "slack": lambda r: fig(r, "slack_days", 10**6),
        "p": lambda r: fig(r, "p_on_time", 2.0),
        "risk": lambda r: (
            -(r.figures.risk.severity if r.figures else 0),
            fig(r, "p_on_time", 2.0),
        ),
        "flags": lambda r: -len(member_flags(r.figures)),
        "follow_up": lambda r: r.member.follow_up or _LATE,
    }


COLUMNS: tuple[str, ...] = (
    "name",
    "office",
    "stage",
    "p50",
    "p90",
    "slack",
    "p",
    "risk",
    "flags",
    "follow_up",
)
"""Every sortable column, in display order; the narrow layout hides some."""

NARROW_HIDDEN = frozenset({"p50", "slack"})
"""What 80 columns cannot show; the office stays (as its code), the P90 date says the slack."""

NARROW_OFFICE = 4
"""Cells for the office code in the narrow layout (longer codes end in …)."""


class MembersTable(KeyedTable):
    """Members of the open group with their figures; ``sort_by`` and ``needle`` shape it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select_cursor",
            "Detail",
            id="group.detail",
            tooltip="Timeline, forecast chart and problems of the member",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sort_by: str = "risk"
        """The column the rows are sorted by; "risk" (worst first) by default."""
        self.sort_reverse: bool = False
        self.needle: str = ""
        """The filter text: matches name, office, stage and risk (either language's word)."""
        self.selected: set[str] = set()
        """Member ids marked with Space, for a switch of several at once."""
        self.narrow: bool = False
        self.shown: list[str] = []
        """Member ids in the order on screen (after filter and sort)."""
        self._rows: dict[str, tuple[tuple[object, ...], Row]] = {}
        """Each member's row as last built, with everything it was built from: a save
        changes one member, and building every row's cells again was a third of a redraw."""

    def visible_columns(self) -> list[str]:
        return [c for c in COLUMNS if not (self.narrow and c in NARROW_HIDDEN)]

    def sort_on(self, column: str) -> None:
        """Sort by ``column``; the same column again reverses the order."""
        if column == self.sort_by:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_by, self.sort_reverse = column, False

    def _matches(self, row: MemberRow, as_of: dt.date) -> bool:
        if not self.needle:
            return True
        needle = self.needle.casefold()
        hay = [row.member.name, stage_word(row.member, row.figures, as_of)]
        hay += [flag_word(f) for f in member_flags(row.figures)]
        if row.figures is not None:
            hay += [
                row.figures.office or "",
                risk_word(row.figures.risk),
                row.figures.risk.value,
                row.figures.risk.value.replace("_", " "),
            ]
        return any(needle in h.casefold() for h in hay)

    def show(
        self,
        group: Group,
        figures: GroupAssessment | None,
        as_of: dt.date,
        theme: dict[str, str],
        office_names: Mapping[str, str],
        room: int = 120,
        target: float = 0.9,
    ) -> None:
        by_id = {m.member_id: m for m in figures.members} if figures else {}
        rows = [MemberRow(m, by_id.get(m.id)) for m in group.members]
        rows = [r for r in rows if self._matches(r, as_of)]
        key = _sort_keys(as_of)[self.sort_by]
        # Ties keep the group's own order (stable sort), so a re-sort never shuffles them.
        rows.sort(key=key, reverse=self.sort_reverse)
        self.shown = [r.id for r in rows]
        self.selected &= {m.id for m in group.members}
        built = [self._row(r, as_of, theme, target) for r in rows]
        self._rows = {key: self._rows[key] for key, _ in built}  # this group's shown rows
        self.fill(self._columns(), built, flex="name", room=room)

    def _columns(self) -> list[Column]:
        labels = {
            "name": t("col.name"),
            "office": t("col.office"),
            "stage": t("col.stage"),
            "p50": t("col.p50"),
            "p90": t("col.p90"),
            "slack": t("col.slack"),
            "p": t("col.p"),
            "risk": t("col.risk"),
            "flags": "⚠" if self.narrow else t("col.flags"),
            "follow_up": "⚑" if self.narrow else t("col.follow_up"),
        }
        cols: list[Column] = [("sel", " ", 1)]
        for c in self.visible_columns():
            label = Text(labels[c], end="")
            if c == self.sort_by:
                label.append(" ▼" if not self.sort_reverse else " ▲", style="bold")
            cols.append((c, label, None))
        return cols

    def _row(self, row: MemberRow, as_of: dt.date, theme: dict[str, str], target: float) -> Row:
        """The member's row: the one built before if it was built from the same values."""
        m, f = row.member, row.figures
        made_of = (m, f, as_of, target, self.narrow, m.id in self.selected, language(), theme)
        kept = self._rows.get(m.id)
        if kept is not None and kept[0] == made_of:
            return kept[1]
        built = self._build_row(row, as_of, theme, target)
        self._rows[m.id] = (made_of, built)
        return built

    def _build_row(
        self, row: MemberRow, as_of: dt.date, theme: dict[str, str], target: float
    ) -> Row:
        m, f = row.member, row.figures
        year = as_of.year
        error = theme.get("error", "red")
        cells: dict[str, object] = {
            "sel": Text("■" if m.id in self.selected else " ", style="bold", end=""),
            # User text goes in as Text so "[" in a name is never read as markup.
            "name": Text(m.name, end="", no_wrap=True, overflow="ellipsis"),
            "office": _office_text(f, self.narrow),
            "stage": Text(stage_word(m, f, as_of), end=""),
        }
        if f is None:
            cells.update(p50="…", p90="…", slack="…", p="…", risk="…")
        else:
            cells["p50"] = short_date(f.ready_p50, year) if f.ready_p50 else "–"
            cells["p90"] = short_date(f.ready_p90, year) if f.ready_p90 else "–"
            cells["slack"] = slack_text(f.slack_days, theme)
            cells["p"] = Text(
                percent(f.p_on_time, target) if f.risk != Risk.READY else "–",
                justify="right",
                end="",
            )
            cells["risk"] = risk_text(f.risk, theme)
        cells["flags"] = flags_text(member_flags(f), theme, short=self.narrow)
        cells["follow_up"] = _follow_up_text(m, as_of, theme, error, flag_only=self.narrow)
        return (m.id, [cells[c] for c in ("sel", *self.visible_columns())])

    def toggle_selected(self, member_id: str) -> None:
        self.selected ^= {member_id}

    def select_all(self, ids: Iterable[str]) -> None:
        ids = set(ids)
        self.selected = set() if ids <= self.selected else ids


def _office_text(f: MemberAssessment | None, narrow: bool) -> Text:
    if f is None:
        return Text("…", end="")
    code = f.office or "–"
    if narrow and len(code) > NARROW_OFFICE:
        code = code[: NARROW_OFFICE - 1] + "…"
    return Text(code, end="")


def flag_word(flag: str) -> str:
    """``belum daftar`` / ``not applied``: a flag as a short word."""
    return t(f"flag.{flag}")


def flags_text(flags: tuple[str, ...], theme: Mapping[str, str], *, short: bool = False) -> Text:
    """The member's problems in the warning colour; ``short``: one mark and how many."""
    if not flags:
        return Text("", end="")
    style = f"bold {theme.get('warning', 'yellow')}"
    if short:
        return Text("⚠" if len(flags) == 1 else f"⚠{len(flags)}", style=style, end="")
    # The worst first and how many more: the names keep their room (the detail lists all).
    more = f" +{len(flags) - 1}" if len(flags) > 1 else ""
    return Text(flag_word(flags[0]) + more, style=style, end="")


def _follow_up_text(
    m: Member, as_of: dt.date, theme: dict[str, str], error: str, *, flag_only: bool = False
) -> Text:
    """The follow-up date; overdue ones stand out (flag, bold, error colour)."""
    if flag_only:
        if m.follow_up is not None and m.follow_up <= as_of:
            colour = error if m.follow_up < as_of else theme.get("warning", "yellow")
            return Text("⚑", style=f"bold {colour}", end="")
        return Text("✓" if m.contacted else "", style="dim", end="")
    if m.follow_up is None:
        return Text(
            "✓ " + short_date(m.contacted, as_of.year) if m.contacted else "", end="", style="dim"
        )
    when = short_date(m.follow_up, as_of.year)
    if m.follow_up < as_of:
        return Text(f"⚑ {when}", style=f"bold reverse {error}", end="")
    if m.follow_up == as_of:
        return Text(f"⚑ {when}", style=f"bold {theme.get('warning', 'yellow')}", end="")
    return Text(f"  {when}", end="")
