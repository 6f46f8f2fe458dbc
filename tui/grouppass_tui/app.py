"""The organiser's app: state, workers and app-wide keys.

The app owns one immutable copy of the agency (a ``model.Scenario``) and the
latest figures per group (a :class:`~grouppass_tui.figures.FiguresCache`).
Screens read both and redraw when ``data_rev`` or ``figures_rev`` change;
they never compute or touch the disk themselves.

Every disk or forecast call runs in a thread worker that only posts a
message carrying its result (Harlequin's rule); the message's handler, on
the main thread, changes the app's state. So a slow disk or a
10,000-traveller assessment never freezes the screen, and no state is ever
written from two threads. Saves are serialised by a lock so the store sees
them in order; each carries the scenario it produces, worked out on the main
thread from the copy after every save queued before it.
"""

from __future__ import annotations

import datetime as dt
import threading
import webbrowser
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import ClassVar, Protocol, runtime_checkable

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from grouppass.assess import assess, deadline_of
from grouppass.backtest import TrackRecord, backtest
from grouppass.forecast import QueueMemo
from grouppass.model import Group, Scenario
from grouppass.results import Assessment, GroupAssessment, RecoveryOutlook
from grouppass.store import DamagedStoreError
from grouppass_tui import i18n, memory
from grouppass_tui.changes import (
    Change,
    RemoveGroup,
    SaveGroup,
    apply_change,
    group_of,
    touches_figures,
)
from grouppass_tui.data import Agency, ConflictError, NothingToUndo, StoreAgency
from grouppass_tui.figures import FiguresCache
from grouppass_tui.i18n import t
from grouppass_tui.localize import translate_bindings
from grouppass_tui.messages import (
    AgencyAssessed,
    Assessed,
    DataLoaded,
    Exported,
    ExternalChange,
    Imported,
    SaveConflict,
    Saved,
    SaveFailed,
    TrackRecorded,
    UndoDone,
)
from grouppass_tui.settings import Settings, load_settings, save_settings
from grouppass_tui.workers import thread_worker

__all__ = ["GrouppassApp", "HasGroup", "MayBeDirty", "run"]

FIRST_BATCH = 40
"""Groups assessed first on a whole-agency run (nearest departures), before all the rest."""

Opener = Callable[[str], object]
"""Opens a URL (a wa.me link) outside the terminal; tests inject a recorder."""


@runtime_checkable
class HasGroup(Protocol):
    """A screen about one group (its figures are needed first)."""

    group_id: str


@runtime_checkable
class MayBeDirty(Protocol):
    """A screen that may hold an edit not yet saved."""

    @property
    def is_dirty(self) -> bool: ...


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
            "ctrl+z",
            "undo",
            "Undo",
            show=False,
            id="app.undo",
            tooltip="Undo the last change saved (it is in the audit log either way)",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            priority=True,
            id="app.palette",
            tooltip="Every command, by name",
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
        opener: Opener | None = None,
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
        self.opener: Opener = opener or webbrowser.open
        self.scenario: Scenario = Scenario()
        """The agency as last read or saved; replaced whole, never mutated."""
        self._head: Scenario = self.scenario
        """``scenario`` with every save still on its way applied: what the next save builds on."""
        self.cache = FiguresCache()
        """Latest figures per group id, for ``as_of``."""
        self.queues = QueueMemo()
        """Office queues kept between assessments: a save reassesses its group in a
        fraction of the time (the same figures, without rebuilding every office)."""
        self._lock = threading.Lock()
        self._figures = ThreadPoolExecutor(1, thread_name_prefix="figures")
        """Where a save's new figures are worked out, beside its store write."""
        self._revision: int = -1
        """The store revision the app's copy reflects."""
        self._data_counter = 0
        self._saving = 0
        self._quit_when_saved = False
        self._after_load: list[Callable[[], None]] = []
        self._after_saves: list[Callable[[], None]] = []
        self.track: TrackRecord | None = None
        """The agency's history replayed up to ``as_of`` (None until it is worked out)."""
        self._track_key: tuple[dt.date, int] | None = None
        """(as_of, data_rev) of the replay asked for last."""
        self._track_done: tuple[dt.date, int] | None = None
        """(as_of, data_rev) of ``track``."""
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

    @thread_worker("load", exclusive=True)
    def _load(self, reason: str) -> None:
        with self._lock:  # not while a save is on its way to the store
            scenario, revision = self.agency.load()
        self.post_message(DataLoaded(scenario, revision, reason=reason))

    @on(DataLoaded)
    def _loaded(self, message: DataLoaded) -> None:
        first = self.loading
        self.loading = False
        if message.revision < self._revision or (self.saving and not first):
            # Read before a save landed: the save's copy is newer (a poll reloads if not).
            return
        self.scenario = self._head = message.scenario
        self._revision = message.revision
        self._data_counter += 1
        self.data_rev = self._data_counter
        if first and self.agency.created:
            self.notify(t("notify.created", path=str(self.agency.path or "")), timeout=8)
        if first and not self.demo:
            self._welcome()
        if message.reason == "external":
            self.notify(t("notify.external_reload"), title=t("notify.reloaded"))
        elif message.reason == "reload":
            self.notify(t("notify.reloaded"))
        # After a reload keep the old figures on screen until the new ones arrive,
        # but not those of groups that are gone (removed, or an undone add).
        if self.cache.retain(g.id for g in message.scenario.groups):
            self.figures_rev += 1
        self.refresh_figures(keep=not first)
        pending, self._after_load = self._after_load, []
        for callback in pending:
            callback()
        memory.settle()  # the agency just read stays: no collector pass scans it again

    def on_unmount(self) -> None:
        self._figures.shutdown(wait=False, cancel_futures=True)
        memory.release()

    def _welcome(self) -> None:
        from grouppass_tui.screens.welcome import WelcomeScreen, first_steps, is_empty

        if is_empty(self):

            def answered(start: bool | None) -> None:
                if start:
                    first_steps(self)

            self.push_screen(WelcomeScreen(), answered)

    # -- figures ---------------------------------------------------------------

    @property
    def figures(self) -> dict[str, GroupAssessment]:
        """Latest figures per group id, for ``as_of`` (read only: the cache owns them)."""
        return self.cache.groups

    @property
    def recoveries(self) -> dict[str, RecoveryOutlook]:
        """What the forecast believes of each known disruption's recovery, by id."""
        return self.cache.recoveries

    def focus_group(self) -> str | None:
        """The group open on screen (its figures are needed first), if any."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, HasGroup):
                return screen.group_id
        return None

    def refresh_figures(self, *, keep: bool = False) -> None:
        """Re-assess: the open group first (fast), then the whole agency in the background."""
        if not keep:
            self.cache.clear()
            self.figures_rev += 1
        focus = self.focus_group()
        if focus is not None:
            self.need_group(focus, full=True, force=True)
        self._assess_all(self.scenario, self.as_of, self.data_rev, focus)

    def has_distributions(self, group_id: str) -> bool:
        """True when the group's figures carry the per-date distributions (for charts)."""
        return self.cache.has_distributions(group_id)

    def need_group(self, group_id: str, *, full: bool = True, force: bool = False) -> None:
        """Ask for a group's figures now: on opening it, or for its charts."""
        have = self.has_distributions(group_id) if full else group_id in self.figures
        key = (group_id, self.as_of, self.data_rev)
        if (have and not force) or self.cache.is_pending(key):
            return
        self.cache.pending(key)
        self._assess_groups(self.scenario, [group_id], self.as_of, self.data_rev)

    def _assess(
        self,
        scenario: Scenario,
        as_of: dt.date,
        ids: Sequence[str],
        *,
        distributions: bool = True,
    ) -> Assessment:
        samples = {} if self.samples is None else {"samples": self.samples}
        return assess(
            scenario,
            as_of,
            groups=ids,
            seed=self.seed,
            distributions=distributions,
            memo=self.queues,
            # A group reassessed alone after a save gets the figures the whole
            # agency's pass gave it, from the same kept queues.
            as_in_agency=True,
            **samples,
        )

    @thread_worker("assess-one")
    def _assess_groups(
        self, scenario: Scenario, ids: Sequence[str], as_of: dt.date, data_rev: int
    ) -> None:
        known = [g for g in ids if any(x.id == g for x in scenario.groups)]
        keys = tuple((g, as_of, data_rev) for g in ids)
        try:
            report = self._assess(scenario, as_of, known) if known else None
        except BaseException:
            self.post_message(Assessed(as_of, data_rev, [], full=True, done=keys))
            raise
        groups, recoveries = (report.groups, report.recoveries) if report else ((), ())
        self.post_message(
            Assessed(as_of, data_rev, groups, full=True, done=keys, recoveries=recoveries)
        )

    @thread_worker("assess-all", exclusive=True)
    def _assess_all(
        self, scenario: Scenario, as_of: dt.date, data_rev: int, skip: str | None
    ) -> None:
        worker = get_current_worker()
        # Nearest departures first, so the top of the list fills at once; then the
        # rest in one call (one call over many groups costs far less than many calls).
        groups = sorted(scenario.groups, key=lambda g: g.departure)
        ids = [g.id for g in groups if g.id != skip]
        for batch in (ids[:FIRST_BATCH], ids[FIRST_BATCH:]):
            if worker.is_cancelled:
                return
            if batch:
                report = self._assess(scenario, as_of, batch, distributions=False)
                self.post_message(
                    Assessed(
                        as_of, data_rev, report.groups, full=False, recoveries=report.recoveries
                    )
                )
        if not worker.is_cancelled:
            self.post_message(AgencyAssessed(as_of, data_rev))

    @on(Assessed)
    def _assessed(self, message: Assessed) -> None:
        self.cache.arrived(message.done)
        if message.as_of == self.as_of and message.groups:
            self.cache.take_recoveries(message.data_rev, message.recoveries)
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
        changed = self.cache.take(data_rev, groups, full=full)
        if changed and redraw:
            self.figures_rev += 1
        return changed

    def watch_as_of(self, as_of: dt.date) -> None:
        if not self.loading:
            self.refresh_figures()

    # -- the track record ------------------------------------------------------------

    @property
    def track_pending(self) -> bool:
        """True while the track record for the figures' day and data is on its way."""
        return self._track_key is not None and self._track_key != self._track_done

    @on(AgencyAssessed)
    def _agency_assessed(self, message: AgencyAssessed) -> None:
        # After the figures, never before them: the replay assesses every past day again.
        self.refresh_track_record()
        memory.settle()  # the whole agency's figures stay until the data or the day change

    def refresh_track_record(self) -> None:
        """Replay the agency's history up to ``as_of`` in a worker (the UI never waits)."""
        key = (self.as_of, self.data_rev)
        if key == self._track_key:
            return
        if self.track is not None and self.track.today != self.as_of:
            self.track = None  # a record for another day must not show as this day's
        self._track_key = key
        self.figures_rev += 1
        self._track_record(self.scenario, self.as_of, self.data_rev)

    @thread_worker("track", exclusive=True)
    def _track_record(self, scenario: Scenario, as_of: dt.date, data_rev: int) -> None:
        samples = {} if self.samples is None else {"samples": self.samples}
        record = backtest(scenario, as_of, seed=self.seed, **samples)
        self.post_message(TrackRecorded(as_of, data_rev, record))

    @on(TrackRecorded)
    def _track_recorded(self, message: TrackRecorded) -> None:
        if (message.as_of, message.data_rev) != self._track_key:
            return  # replayed for a day or data the organiser has since left
        self.track = message.record
        self._track_done = self._track_key
        self.figures_rev += 1
        memory.settle()

    # -- saving ----------------------------------------------------------------

    @property
    def saving(self) -> bool:
        """True while a change is on its way to disk."""
        return self._saving > 0

    def save(self, *changes: Change) -> None:
        """Save ``changes`` in order (one worker), then re-assess the groups they touch."""
        self._saving += 1
        after = self._head
        for change in changes:
            after = apply_change(after, change)
        self._head = after
        self._data_counter += 1
        focus = self.focus_group()
        touched = {g for c in changes if (g := group_of(c)) is not None}
        if focus is not None and len(touched) != 1 and any(touches_figures(c) for c in changes):
            touched.add(focus)  # an office or disruption edit: the open group first
        ids = [g for g in touched if any(x.id == g for x in after.groups)]
        # The new figures are worked out while the store makes the change durable (the
        # write waits on the disk, not the interpreter): they are shown only once it
        # has landed, and thrown away if it does not. Started here, on a thread kept for
        # it, not from the save worker: that one's thread starts behind the repaint of
        # the screen the form leaves.
        figures = self._figures.submit(self._assess, after, self.as_of, ids) if ids else None
        self._save(tuple(changes), after, self._data_counter, self.as_of, figures)

    @thread_worker("save")
    def _save(
        self,
        changes: tuple[Change, ...],
        scenario: Scenario,
        data_rev: int,
        as_of: dt.date,
        figures: Future[Assessment] | None,
    ) -> None:
        try:
            # One save at a time: the store must see them in the order they were made.
            with self._lock:
                written = self.agency.apply(changes, self._revision)
        except ConflictError as error:
            self.post_message(SaveConflict(error.change, error.current, str(error)))
            return
        except BaseException as error:
            self.post_message(SaveFailed(error))
            raise
        report = figures.result() if figures is not None else None
        groups, recoveries = (report.groups, report.recoveries) if report else ((), ())
        self.post_message(
            Saved(changes, scenario, written.revision, data_rev, as_of, groups, recoveries)
        )
        if written.others:
            self.post_message(ExternalChange(written.revision))

    def _save_finished(self) -> None:
        self._saving -= 1
        if self._saving == 0:
            self._head = self.scenario
            if self._quit_when_saved:
                self.exit(0)
            waiting, self._after_saves = self._after_saves, []
            for callback in waiting:
                callback()

    def when_saved(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once every save on its way has landed (at once if none is)."""
        if self.saving:
            self._after_saves.append(callback)
        else:
            callback()

    # -- importing a manifest -----------------------------------------------------

    def import_manifest(self, path: Path, group_id: str) -> None:
        """Import ``path`` into the group, after any save on its way (a group just made)."""

        def start() -> None:
            self._import(path, group_id)

        self.when_saved(start)

    @thread_worker("import")
    def _import(self, path: Path, group_id: str) -> None:
        from grouppass.manifest import ManifestError

        try:
            with self._lock:
                report = self.agency.import_manifest(path, group_id)
        except ManifestError as error:
            self.post_message(Imported(None, error.problems))
            return
        self.post_message(Imported(report, ()))

    @on(Imported)
    def _imported(self, message: Imported) -> None:
        from grouppass.manifest import ImportReport
        from grouppass_tui.screens.dialogs import ErrorScreen

        report = message.report
        if not isinstance(report, ImportReport):
            lines = "\n".join(str(p) for p in message.problems)
            self.push_screen(ErrorScreen(t("import.failed"), lines))
            return
        self.notify(
            t(
                "import.done",
                group=report.group_id,
                added=len(report.added),
                updated=len(report.updated),
                unchanged=len(report.unchanged),
            ),
            timeout=6,
        )
        self._load("import")

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        # Figures first, then one redraw for data and figures together: a redraw
        # costs a table render, and the edit budget is 200 ms.
        self.scenario = message.scenario
        self._revision = max(self._revision, message.revision)
        self.cache.retain(g.id for g in message.scenario.groups)
        if message.as_of == self.as_of and message.figures:
            self.cache.take_recoveries(message.data_rev, message.recoveries)
        changed = self._take_figures(message.as_of, message.data_rev, message.figures, redraw=False)
        if message.data_rev > self.data_rev:
            self.data_rev = message.data_rev
        elif changed:
            self.figures_rev += 1
        self._save_finished()
        if any(group_of(c) is None and touches_figures(c) for c in message.changes):
            # Offices and disruptions reach every group at those offices (and the track
            # record follows the whole-agency pass).
            self._assess_all(self.scenario, self.as_of, message.data_rev, self.focus_group())
        elif any(self._in_history(c) for c in message.changes):
            self.refresh_track_record()
        # After the new figures are painted: the toast is a layout of its own.
        self.call_after_refresh(self.notify, t("notify.saved"), timeout=2)

    def _in_history(self, change: Change) -> bool:
        """Does ``change`` touch a group the track record scores (its deadline has passed)?"""
        groups: list[Group] = []
        if isinstance(change, RemoveGroup | SaveGroup) and change.base is not None:
            groups.append(change.base)
        group_id = group_of(change)
        groups += [g for g in self.scenario.groups if g.id == group_id]
        return any(deadline_of(g) <= self.as_of for g in groups)

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        # The error dialog comes from the worker's state; here the copy goes back to disk's.
        self._head = self.scenario
        self._save_finished()
        self._load("reload")

    @on(SaveConflict)
    def _conflict(self, message: SaveConflict) -> None:
        from grouppass_tui.screens.conflict import ConflictScreen

        self._head = self.scenario  # the refused change is not in the store
        self._save_finished()

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
            self._check_revision(self._revision)

    @thread_worker("poll", exclusive=True)
    def _check_revision(self, seen: int) -> None:
        revision = self.agency.revision()
        if revision != seen:
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
        if isinstance(error, DamagedStoreError):
            self.loading = False
            self.push_screen(ErrorScreen(t("error.damaged_title"), damaged_text(error)))
            return
        if event.worker.group == "track":
            self._track_key = self._track_done  # not pending any more; the error says why
            self.figures_rev += 1
            title = t("error.track")
        elif event.worker.group == "save":
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

    def action_undo(self) -> None:
        """Undo the newest change in the database (after saves in flight have landed)."""
        if self.saving:
            self.notify(t("undo.wait"), severity="warning")
            return
        self._undo()

    @thread_worker("undo", exclusive=True)
    def _undo(self) -> None:
        with self._lock:
            try:
                undone = self.agency.undo()
            except NothingToUndo as error:
                self.post_message(UndoDone(None, str(error)))
                return
        self.post_message(UndoDone(undone.action, ""))

    @on(UndoDone)
    def _undone(self, message: UndoDone) -> None:
        if message.action is None:
            self.notify(t("undo.nothing", why=message.why), severity="warning")
            return
        self.notify(t("undo.done", action=message.action))
        self._load("undo")

    def open_link(self, url: str) -> None:
        """Open ``url`` outside the terminal (WhatsApp); the opener is injectable for tests."""
        self.opener(url)

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

    def _remember(self, settings: Settings) -> None:
        self.settings = settings
        self._write_settings(settings)

    @thread_worker("settings")
    def _write_settings(self, settings: Settings) -> None:
        save_settings(settings)

    async def action_quit(self) -> None:
        """Quit, unless that would lose an edit: ask first, or wait for a save to land."""
        from grouppass_tui.screens.dialogs import ConfirmScreen

        dirty = [s for s in self.screen_stack if isinstance(s, MayBeDirty) and s.is_dirty]
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
        from grouppass_tui.commands import commands_for, textual_commands

        yield from commands_for(self, screen)
        # Textual's own (theme, keys, screenshot...), in the UI language.
        yield from textual_commands(self, screen)

    # -- Textual's own words, in the UI language ----------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            from grouppass_tui.commands import Palette

            self.push_screen(Palette(placeholder=t("palette.placeholder"), id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from grouppass_tui.commands import Palette

        self.push_screen(Palette(providers=[ThemeProvider], placeholder=t("palette.themes")))

    def action_help_quit(self) -> None:
        # ctrl+c copies in a text box; elsewhere say how to quit, in the organiser's words.
        self.notify(t("quit.how"), title=t("quit.title"))

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save an SVG of the screen, making the download folder if it does not exist yet."""
        self._save_screenshot(self.export_screenshot(), filename, path)
        return None

    @thread_worker("screenshot")
    def _save_screenshot(self, svg: str, filename: str | None, path: str | None) -> None:
        from grouppass_tui.screenshot import save_screenshot

        self.post_message(Exported(save_screenshot(svg, filename, path, self.title)))

    @on(Exported)
    def _screenshot_saved(self, message: Exported) -> None:
        self.notify(t("screenshot.saved", path=str(message.path)), title=t("screenshot.title"))


def damaged_text(error: DamagedStoreError) -> str:
    """The damaged-database dialog in the UI language; the located problems as the store says."""
    lines = [t("error.damaged_body", path=str(error.path))]
    plan = error.plan
    if plan is not None and plan.source is not None:
        lines.append(t("error.damaged_repair", path=str(error.path)))
        if plan.lost:
            lines.append(t("error.damaged_lost", n=plan.lost))
    if error.backup is not None:
        lines.append(t("error.damaged_backup", backup=str(error.backup), path=str(error.path)))
    elif plan is None or plan.source is None:
        lines.append(t("error.damaged_no_backup"))
    lines.append("")
    lines += [str(p) for p in error.problems[:10]]
    if len(error.problems) > 10:
        lines.append(t("error.damaged_more", n=len(error.problems) - 10))
    return "\n".join(lines)


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
