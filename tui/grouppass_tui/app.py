"""The organiser's app: state, workers and app-wide keys.

The app owns one immutable copy of the agency (a ``model.Scenario``) and the
latest figures per group. Screens read both and redraw when ``data_rev`` or
``figures_rev`` change; they never compute or touch the disk themselves.

Every disk or forecast call runs in a thread worker that only posts a
message back (Harlequin's rule), so a slow disk or a 10,000-traveller
assessment never freezes the screen. Saves are serialised by a lock so the
in-memory copy and the store move in step.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from grouppass.assess import assess
from grouppass.model import Scenario
from grouppass.results import GroupAssessment
from grouppass_tui import i18n
from grouppass_tui.changes import Change, apply_change, group_of
from grouppass_tui.data import Agency, ConflictError, StoreAgency
from grouppass_tui.i18n import t
from grouppass_tui.localize import translate_bindings
from grouppass_tui.messages import Assessed, DataLoaded, ExternalChange, SaveConflict, Saved
from grouppass_tui.settings import Settings, load_settings, save_settings

__all__ = ["GrouppassApp", "run"]

FIRST_BATCH = 40
"""Groups assessed first on a whole-agency run (nearest departures), before all the rest."""


class GrouppassApp(App[int]):
    """grouppass for organisers: who will not have a passport in time, and what to do today."""

    CSS_PATH = "app.tcss"
    TITLE = "grouppass"
    # Quit is ours (it checks for unsaved edits), so the built-in ctrl+q maps to it too.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit grouppass"),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            id="app.quit_now",
            tooltip="Quit grouppass",
        ),
        Binding(
            "f1,question_mark",
            "help",
            "Help",
            id="app.help",
            key_display="?",
            tooltip="Every key on this screen",
        ),
        Binding(
            "t",
            "time_travel",
            "Date",
            id="app.time_travel",
            tooltip="Change the day the figures are for (replay or look ahead)",
        ),
        Binding(
            "left_square_bracket",
            "day(-1)",
            "Day −1",
            show=False,
            id="app.day_back",
            tooltip="Figures for the day before",
        ),
        Binding(
            "right_square_bracket",
            "day(1)",
            "Day +1",
            show=False,
            id="app.day_forward",
            tooltip="Figures for the day after",
        ),
        Binding(
            "D",
            "disruptions",
            "Disruptions",
            show=False,
            id="app.disruptions",
            tooltip="Record and edit office and system disruptions",
        ),
        Binding(
            "O",
            "offices",
            "Offices",
            show=False,
            id="app.offices",
            tooltip="Edit offices: service times, capacity, alternatives",
        ),
        Binding(
            "L",
            "toggle_language",
            "Bahasa",
            show=False,
            id="app.language",
            tooltip="Switch between Bahasa Indonesia and English",
        ),
        Binding(
            "ctrl+r",
            "reload",
            "Reload",
            show=False,
            id="app.reload",
            tooltip="Read the database again",
        ),
    ]

    as_of: reactive[dt.date] = reactive(dt.date(2000, 1, 1), init=False)
    """The day every figure is for; facts dated after it are unknown (replay)."""
    lang: reactive[str] = reactive("id", init=False)
    """The UI language, "id" or "en"."""
    data_rev: reactive[int] = reactive(0, init=False)
    """Bumped whenever the agency data changes (a save here, or a reload)."""
    figures_rev: reactive[int] = reactive(0, init=False)
    """Bumped whenever figures arrive or are dropped."""
    loading: reactive[bool] = reactive(True, init=False)
    """True until the database has been read once."""

    def __init__(
        self,
        agency: Agency,
        *,
        as_of: dt.date,
        lang: str | None = None,
        demo: bool = False,
        poll_seconds: float | None = 2.0,
        samples: int | None = None,
        seed: int = 0,
        settings: Settings | None = None,
    ) -> None:
        self.settings = load_settings() if settings is None else settings
        chosen = lang or self.settings.lang or i18n.default_language()
        i18n.set_language(chosen)
        super().__init__()
        self.agency = agency
        self.demo = demo
        self.poll_seconds = poll_seconds
        self.samples = samples
        self.seed = seed
        self.scenario: Scenario = Scenario()
        """The agency as last read or saved; replaced whole, never mutated."""
        self.figures: dict[str, GroupAssessment] = {}
        """Latest figures per group id, for ``as_of``."""
        self._fig_rev: dict[str, int] = {}
        self._full: set[str] = set()
        self._pending: set[tuple[str, dt.date, int]] = set()
        self._lock = threading.Lock()
        self._revision: int = -1
        """The store revision the app's copy reflects."""
        self._data_counter = 0
        self._saving = 0
        self._quit_when_saved = False
        self._after_load: list[Callable[[], None]] = []
        self.set_reactive(GrouppassApp.as_of, as_of)
        self.set_reactive(GrouppassApp.lang, chosen)
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    # -- start -----------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        from grouppass_tui.screens.groups import GroupsScreen

        return GroupsScreen()

    def on_mount(self) -> None:
        translate_bindings(self)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._load("open")
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self._poll)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, reason: str) -> None:
        # Under the save lock: a load that finished after a save began would
        # otherwise put back a copy without that save in it.
        with self._lock:
            scenario, revision = self.agency.load()
            self.scenario = scenario
            self._revision = revision
            self._data_counter += 1
            data_rev = self._data_counter
        self.post_message(DataLoaded(data_rev, revision, reason=reason))

    @on(DataLoaded)
    def _loaded(self, message: DataLoaded) -> None:
        first = self.loading
        self.loading = False
        self.data_rev = max(self.data_rev, message.data_rev)
        if first and getattr(self.agency, "created", False):
            path = getattr(self.agency, "path", "")
            self.notify(t("notify.created", path=str(path)), timeout=8)
        if message.reason == "external":
            self.notify(t("notify.external_reload"), title=t("notify.reloaded"))
        elif message.reason == "reload":
            self.notify(t("notify.reloaded"))
        # After a reload keep the old figures on screen until the new ones arrive.
        self.refresh_figures(keep=not first)
        pending, self._after_load = self._after_load, []
        for callback in pending:
            callback()

    # -- figures ---------------------------------------------------------------

    def focus_group(self) -> str | None:
        """The group open on screen (its figures are needed first), if any."""
        for screen in reversed(self.screen_stack):
            group_id = getattr(screen, "group_id", None)
            if isinstance(group_id, str):
                return group_id
        return None

    def refresh_figures(self, *, keep: bool = False) -> None:
        """Re-assess: the open group first (fast), then the whole agency in the background."""
        if not keep:
            self.figures.clear()
            self._fig_rev.clear()
            self._full.clear()
            self.figures_rev += 1
        focus = self.focus_group()
        if focus is not None:
            self.need_group(focus, full=True, force=True)
        self._assess_all(self.as_of, self.data_rev, focus)

    def has_distributions(self, group_id: str) -> bool:
        """True when the group's figures carry the per-date distributions (for charts)."""
        return group_id in self._full and group_id in self.figures

    def need_group(self, group_id: str, *, full: bool = True, force: bool = False) -> None:
        """Ask for a group's figures now: on opening it, or for its charts."""
        have = self.has_distributions(group_id) if full else group_id in self.figures
        key = (group_id, self.as_of, self.data_rev)
        if (have and not force) or key in self._pending:
            return
        self._pending.add(key)
        self._assess_groups([group_id], self.as_of, self.data_rev)

    def _assess(
        self,
        scenario: Scenario,
        as_of: dt.date,
        ids: Sequence[str],
        *,
        distributions: bool = True,
    ) -> list[GroupAssessment]:
        samples = {} if self.samples is None else {"samples": self.samples}
        report = assess(
            scenario, as_of, groups=ids, seed=self.seed, distributions=distributions, **samples
        )
        return list(report.groups)

    @work(thread=True, group="assess-one", exit_on_error=False)
    def _assess_groups(self, ids: Sequence[str], as_of: dt.date, data_rev: int) -> None:
        scenario = self.scenario
        known = [g for g in ids if any(x.id == g for x in scenario.groups)]
        try:
            figures = self._assess(scenario, as_of, known) if known else []
        finally:
            self.call_from_thread(self._not_pending, [(g, as_of, data_rev) for g in ids])
        self.post_message(Assessed(as_of, data_rev, figures, full=True))

    def _not_pending(self, keys: Sequence[tuple[str, dt.date, int]]) -> None:
        self._pending.difference_update(keys)

    @work(thread=True, exclusive=True, group="assess-all", exit_on_error=False)
    def _assess_all(self, as_of: dt.date, data_rev: int, skip: str | None) -> None:
        worker = get_current_worker()
        scenario = self.scenario
        # Nearest departures first, so the top of the list fills at once; then the
        # rest in one call (one call over many groups costs far less than many calls).
        groups = sorted(scenario.groups, key=lambda g: g.departure)
        ids = [g.id for g in groups if g.id != skip]
        for batch in (ids[:FIRST_BATCH], ids[FIRST_BATCH:]):
            if worker.is_cancelled:
                return
            if batch:
                figures = self._assess(scenario, as_of, batch, distributions=False)
                self.post_message(Assessed(as_of, data_rev, figures, full=False))

    @on(Assessed)
    def _assessed(self, message: Assessed) -> None:
        self._take_figures(message.as_of, message.data_rev, message.groups, full=message.full)

    def _take_figures(
        self,
        as_of: dt.date,
        data_rev: int,
        groups: Iterable[GroupAssessment],
        *,
        full: bool = True,
        redraw: bool = True,
    ) -> bool:
        """Keep the newest figures per group; True if any changed (redrawn unless told not)."""
        if as_of != self.as_of:
            return False  # computed for a day the organiser has since left
        changed = False
        for figures in groups:
            gid = figures.group_id
            seen = self._fig_rev.get(gid, -1)
            # A slow whole-agency run must not overwrite figures a later save produced,
            # nor figures with charts by the same figures without them.
            if data_rev < seen or (data_rev == seen and not full and gid in self._full):
                continue
            self.figures[gid] = figures
            self._fig_rev[gid] = data_rev
            if full:
                self._full.add(gid)
            else:
                self._full.discard(gid)
            changed = True
        if changed and redraw:
            self.figures_rev += 1
        return changed

    def watch_as_of(self, as_of: dt.date) -> None:
        if not self.loading:
            self.refresh_figures()

    # -- saving ----------------------------------------------------------------

    @property
    def saving(self) -> bool:
        """True while a change is on its way to disk."""
        return self._saving > 0

    def save(self, *changes: Change) -> None:
        """Save ``changes`` in order (one worker), then re-assess the groups they touch."""
        self._saving += 1
        self._save(tuple(changes), self.as_of, self.focus_group())

    @work(thread=True, group="save", exit_on_error=False)
    def _save(self, changes: tuple[Change, ...], as_of: dt.date, focus: str | None) -> None:
        try:
            # One save at a time: the store and the app's copy must move in step.
            with self._lock:
                try:
                    written = self.agency.apply(changes, self._revision)
                except ConflictError as error:
                    self.post_message(SaveConflict(error.change, error.current, str(error)))
                    return
                scenario = self.scenario
                for change in changes:
                    scenario = apply_change(scenario, change)
                self.scenario = scenario
                if not written.others:
                    self._revision = written.revision
                self._data_counter += 1
                data_rev = self._data_counter
            touched = {g for c in changes if (g := group_of(c)) is not None}
            if focus is not None and len(touched) != 1:
                touched.add(focus)  # an office or disruption edit: the open group first
            ids = [g for g in touched if any(x.id == g for x in scenario.groups)]
            figures = self._assess(scenario, as_of, ids) if ids else []
            self.post_message(Saved(changes, scenario, written.revision, data_rev, as_of, figures))
            if written.others:
                self.post_message(ExternalChange(written.revision))
        finally:
            self.call_from_thread(self._save_finished)

    def _save_finished(self) -> None:
        self._saving -= 1
        if self._saving == 0 and self._quit_when_saved:
            self.exit(0)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        # Figures first, then one redraw for data and figures together: a redraw
        # costs a table render, and the edit budget is 200 ms.
        changed = self._take_figures(message.as_of, message.data_rev, message.figures, redraw=False)
        if message.data_rev > self.data_rev:
            self.data_rev = message.data_rev
        elif changed:
            self.figures_rev += 1
        if any(group_of(c) is None for c in message.changes):
            # Offices and disruptions reach every group at those offices.
            self._assess_all(self.as_of, message.data_rev, self.focus_group())
        self.notify(t("notify.saved"), timeout=2)

    @on(SaveConflict)
    def _conflict(self, message: SaveConflict) -> None:
        from grouppass_tui.screens.conflict import ConflictScreen

        def decided(reopen: bool | None) -> None:
            if reopen:
                self._after_load.append(lambda: self._reopen(message.change))
            self._load("reload")

        self.push_screen(ConflictScreen(message.change, message.current, message.message), decided)

    def _reopen(self, change: Change) -> None:
        """Open the organiser's edit again, on top of the freshly read record."""
        from grouppass_tui.screens.forms import reopen_change

        reopen_change(self, change)

    # -- other processes ---------------------------------------------------------

    def _poll(self) -> None:
        if not self.loading and not self.saving:
            self._check_revision()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _check_revision(self) -> None:
        revision = self.agency.revision()
        with self._lock:
            changed = revision != self._revision
        if changed:
            self.post_message(ExternalChange(revision))

    @on(ExternalChange)
    def _external(self, message: ExternalChange) -> None:
        self._load("external")

    # -- errors ----------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        from grouppass_tui.screens.dialogs import ErrorScreen

        error = event.worker.error
        if event.worker.group == "save":
            title = t("error.save")
        elif event.worker.group == "load":
            title = t("error.load")
            self.loading = False
        elif event.worker.group.startswith("assess"):
            title = t("error.assess")
        else:
            title = t("error.title")
        self.push_screen(ErrorScreen(title, f"{type(error).__name__}: {error}"))

    # -- app-wide actions ---------------------------------------------------------

    def action_help(self) -> None:
        from grouppass_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_time_travel(self) -> None:
        from grouppass_tui.screens.dialogs import AsOfScreen

        def chosen(day: dt.date | None) -> None:
            if day is not None:
                self.as_of = day

        self.push_screen(AsOfScreen(self.as_of), chosen)

    def action_day(self, days: int) -> None:
        self.as_of = self.as_of + dt.timedelta(days=days)

    def action_disruptions(self) -> None:
        from grouppass_tui.screens.disruptions import DisruptionsScreen

        if not isinstance(self.screen, DisruptionsScreen):
            self.push_screen(DisruptionsScreen())

    def action_offices(self) -> None:
        from grouppass_tui.screens.offices import OfficesScreen

        if not isinstance(self.screen, OfficesScreen):
            self.push_screen(OfficesScreen())

    def action_reload(self) -> None:
        self._load("reload")

    def action_toggle_language(self) -> None:
        self.set_language("en" if self.lang == "id" else "id")

    def set_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self.lang = lang
        translate_bindings(self)
        for screen in self.screen_stack:
            translate_bindings(screen)
        self.refresh_bindings()
        self._remember(self.settings.with_changes(lang=lang))

    def _theme_changed(self, _: object) -> None:
        self.figures_rev += 1  # risk colours come from the theme: redraw tables
        if self.theme != self.settings.theme:
            self._remember(self.settings.with_changes(theme=self.theme))

    @work(thread=True, group="settings", exit_on_error=False)
    def _remember(self, settings: Settings) -> None:
        self.settings = settings
        save_settings(settings)

    async def action_quit(self) -> None:
        """Quit, unless that would lose an edit: ask first, or wait for a save to land."""
        from grouppass_tui.screens.dialogs import ConfirmScreen

        dirty = [s for s in self.screen_stack if getattr(s, "is_dirty", False)]
        if dirty:

            def answered(discard: bool | None) -> None:
                if discard:
                    self._quit_after_saves()

            self.push_screen(
                ConfirmScreen(
                    t("quit.title"),
                    t("quit.unsaved"),
                    yes=t("quit.discard"),
                    no=t("quit.back"),
                    danger=True,
                ),
                answered,
            )
            return
        self._quit_after_saves()

    def _quit_after_saves(self) -> None:
        if self.saving:
            self._quit_when_saved = True
            self.notify(t("quit.waiting"))
            return
        self.exit(0)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from grouppass_tui.commands import commands_for

        yield from commands_for(self, screen)
        yield from super().get_system_commands(screen)


def run(
    db_path: Path, *, lang: str | None = None, as_of: dt.date | None = None, demo: bool = False
) -> int:
    """Open the organiser's TUI on the database at ``db_path``; the command's exit code.

    ``as_of`` defaults to today (read here, at the edge: the library never
    reads the clock); for the demo it is a day inside the 2018 story.
    """
    if as_of is None:
        if demo:
            from grouppass_tui.demo import DEMO_AS_OF

            as_of = DEMO_AS_OF
        else:
            as_of = dt.date.today()
    # `grouppass tui` on a fresh machine opens (and so creates) the default database.
    agency = StoreAgency(db_path, create=not demo)
    app = GrouppassApp(agency, as_of=as_of, lang=lang, demo=demo)
    app.run()
    # return_code is 1 when the app stopped on an unhandled error, 0 after a normal quit.
    return app.return_code or 0
