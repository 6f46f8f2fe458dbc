"""The track record: the agency's own history replayed, against what happened.

:func:`grouppass.backtest.backtest` does the replay (in the app's worker: on
a big agency it takes a while, and the organiser never waits for it); this
screen shows its reliability tables — for groups and for members, each bin
of what grouppass said against the share that came true, with counts — and
its scores against the organiser's rule of thumb. The groups screen shows
the same record as one line (:func:`summary_text`).
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from grouppass.backtest import Reliability, TrackRecord
from grouppass.wording import percent
from grouppass_tui.dates import long_date
from grouppass_tui.i18n import plural, t
from grouppass_tui.screens.base import AppScreen
from grouppass_tui.widgets.footer import AppFooter
from grouppass_tui.widgets.header import AppHeader

__all__ = ["TrackRecordScreen", "reliability_table", "summary_text"]


def summary_text(record: TrackRecord) -> str:
    """The record in one line, in the UI language: the library's headline
    (:attr:`TrackRecord.headline` chooses what it tells), in words."""
    h = record.headline
    target = percent(record.target_probability)
    every = plural("track.every", record.every_days)
    if h.kind == "sure":
        kind = t(f"track.kind.{h.scope}")
        return t("track.sure", target=target, hits=h.hits, calls=h.calls, kind=kind, every=every)
    if h.kind == "never_sure":
        return t("track.never_sure", target=target, hits=h.hits, calls=h.calls, every=every)
    return t("track.nothing", date=record.today.isoformat())


def _score(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def reliability_table(r: Reliability) -> RenderableType:
    """Each bin of predicted P with how many forecasts fell in it and how many came true."""
    if not r.forecasts:
        return Text(t("track.no_forecasts"), style="dim")
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2))
    table.add_column(t("track.col.said"), no_wrap=True)
    table.add_column(t("track.col.forecasts"), justify="right")
    table.add_column(t("track.col.mean"), justify="right")
    table.add_column(t("track.col.in_time"), justify="right")
    table.add_column(t("track.col.share"), justify="right")
    for b in r.bins:
        low, high = round(b.low * 100), round(b.high * 100)
        said = f"{low}–{high}%"
        if not b.forecasts:
            table.add_row(Text(said, style="dim"), Text("0", style="dim"), "", "", "")
            continue
        share = b.share
        table.add_row(
            said,
            str(b.forecasts),
            f"{round(b.mean_predicted * 100)}%",
            str(b.in_time),
            Text("–" if share is None else f"{round(share * 100)}%", style="bold"),
        )
    ece = "–" if r.ece is None else f"{r.ece * 100:.1f}"
    scores = Text(
        t(
            "track.scores",
            brier=_score(r.brier),
            naive=_score(r.naive_brier),
            ece=ece,
            on_track=r.on_track_calls,
            hits=r.on_track_hits,
        ),
        style="dim",
    )
    return RichGroup(table, scores)


class TrackRecordScreen(AppScreen[None]):
    """The backtest's tables for groups and members, for the figures' day."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="track.back", tooltip="Back to the groups"),
    ]

    DEFAULT_CSS = """
    TrackRecordScreen VerticalScroll {
        padding: 0 1;
    }
    TrackRecordScreen .section {
        margin-top: 1;
        text-style: bold;
        color: $accent;
    }
    """

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with VerticalScroll():
            yield Static(id="track-summary")
            yield Static(classes="section", id="track-groups-title")
            yield Static(id="track-groups")
            yield Static(classes="section", id="track-members-title")
            yield Static(id="track-members")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def relabel(self) -> None:
        self.query_one(AppHeader).place = t("track.title")
        self.query_one("#track-groups-title", Static).update(t("track.section.groups"))
        self.query_one("#track-members-title", Static).update(t("track.section.members"))

    def redraw(self) -> None:
        app = self.gp
        record = app.track
        summary = self.query_one("#track-summary", Static)
        groups = self.query_one("#track-groups", Static)
        members = self.query_one("#track-members", Static)
        if record is None:
            summary.update(Text(t("track.loading" if app.track_pending else "track.none")))
            groups.update("")
            members.update("")
            return
        intro = t(
            "track.intro",
            date=long_date(record.today),
            every=plural("track.every", record.every_days),
            days=plural("track.days", len(record.days)),
        )
        text = Text(summary_text(record) + "\n", style="bold")
        text.append(intro, style="dim")
        if app.track_pending:
            text.append("\n" + t("track.loading"), style="italic")
        summary.update(text)
        groups.update(reliability_table(record.groups))
        members.update(reliability_table(record.members))

    def action_back(self) -> None:
        self.dismiss()
