"""Today's message for each member: read it, copy it, send it by WhatsApp, export the group's.

The list on the left is the group (or the marked members); the right shows
the message of the member under the cursor. ``o`` opens WhatsApp on that
member's number with the message typed in (through the app's URL opener, so
tests never start a browser); ``x`` writes the group's notices as a CSV for
broadcast tools, ``w`` as a text file.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Select, TextArea

from grouppass.notices import NoticeRow, whatsapp_link, write_notices_csv
from grouppass_tui.i18n import LANGUAGES, language, t
from grouppass_tui.messages import Exported
from grouppass_tui.notices import group_notice_rows
from grouppass_tui.screens.base import AppScreen
from grouppass_tui.widgets.footer import AppFooter
from grouppass_tui.widgets.header import AppHeader
from grouppass_tui.widgets.table import KeyedTable, Row
from grouppass_tui.workers import thread_worker

__all__ = ["NoticesScreen", "export_path"]


def export_path(
    directory: Path, group_id: str, as_of: str, lang: str, suffix: str = ".txt"
) -> Path:
    """``notices-<group>-<as_of>-<lang>.txt`` (or ``.csv``) in ``directory``, never overwriting."""
    base = directory / f"notices-{group_id}-{as_of}-{lang}"
    path, n = base.with_suffix(suffix), 2
    while path.exists():
        path, n = Path(f"{base}-{n}{suffix}"), n + 1
    return path


def _as_text(rows: list[NoticeRow]) -> str:
    parts = [
        f"=== {r.name}" + (f" · {r.phone}" if r.phone else "") + f" ===\n{r.message}" for r in rows
    ]
    return "\n\n".join(parts) + "\n"


class NoticesScreen(AppScreen[None]):
    """The notices of the group (or of the marked members) in the chosen language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="notices.back", tooltip="Back to the group"),
        Binding(
            "o",
            "whatsapp",
            "WhatsApp",
            id="notices.whatsapp",
            tooltip="Open WhatsApp on this member's number with the message typed in",
        ),
        Binding(
            "c",
            "copy",
            "Copy",
            id="notices.copy",
            tooltip="Copy this member's message (or the selected text) to the clipboard",
        ),
        Binding(
            "x",
            "export_csv",
            "CSV",
            id="notices.export_csv",
            tooltip="Write every notice to a CSV (name, phone, message) for broadcast tools",
        ),
        Binding(
            "w",
            "export",
            "Text file",
            id="notices.export",
            tooltip="Write every notice to a text file in the current folder",
        ),
        Binding(
            "l",
            "other_language",
            "Language",
            id="notices.language",
            tooltip="Notices in the other language (the UI stays as it is)",
        ),
    ]

    DEFAULT_CSS = """
    NoticesScreen Select {
        width: 30;
        margin: 0 1;
    }
    NoticesScreen #notices-body {
        height: 1fr;
    }
    NoticesScreen #notices-members {
        width: 30%;
        max-width: 36;
        height: 1fr;
    }
    NoticesScreen TextArea {
        height: 1fr;
        width: 1fr;
    }
    """

    def __init__(
        self, group_id: str, member_ids: list[str] | None = None, export_dir: Path | None = None
    ) -> None:
        super().__init__()
        self.group_id = group_id
        self.member_ids = member_ids
        self.export_dir = export_dir
        """Where exports go; None means the current folder."""
        self.notice_lang = language()
        """The notices' language, chosen apart from the UI's."""
        self.rows: list[NoticeRow] = []
        """Every notice shown, in the list's order."""
        self._ids: list[str] = []

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Select(
            [(t(f"lang.{code}"), code) for code in LANGUAGES],
            value=self.notice_lang,
            allow_blank=False,
            id="notice-lang",
        )
        with Horizontal(id="notices-body"):
            yield KeyedTable(id="notices-members")
            yield TextArea("", read_only=True, id="notices-text", soft_wrap=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(KeyedTable).focus()

    def relabel(self) -> None:
        group = self._group_name()
        self.query_one(AppHeader).place = t("notices.title", group=group)

    def _group_name(self) -> str:
        try:
            return self.gp.scenario.group(self.group_id).name
        except KeyError:
            return self.group_id

    @property
    def text(self) -> str:
        """Every notice as one text (what ``w`` writes)."""
        return _as_text(self.rows)

    @property
    def current(self) -> NoticeRow | None:
        """The notice of the member under the cursor."""
        key = self.query_one(KeyedTable).current_key
        if key is None or key not in self._ids:
            return None
        return self.rows[self._ids.index(key)]

    def redraw(self) -> None:
        app = self.gp
        try:
            group = app.scenario.group(self.group_id)
        except KeyError:
            self.dismiss()
            return
        figures = app.figures.get(self.group_id)
        if figures is None:
            app.need_group(self.group_id, full=False)
            return
        wanted = None if self.member_ids is None else set(self.member_ids)
        shown = [m for m in group.members if wanted is None or m.id in wanted]
        known = {m.member_id for m in figures.members}
        shown = [m for m in shown if m.id in known]
        self.rows = group_notice_rows(
            app.scenario, group, figures, app.as_of, self.notice_lang, [m.id for m in shown]
        )
        self._ids = [m.id for m in shown]
        table = self.query_one(KeyedTable)
        rows: list[Row] = [(m.id, [m.name, "✆" if m.phone else "–"]) for m in shown]
        table.fill([("name", t("col.name"), None), ("phone", "", 1)], rows)
        self._show_current()

    def _show_current(self) -> None:
        row = self.current
        area = self.query_one(TextArea)
        text = row.message if row is not None else ""
        if area.text != text:
            area.load_text(text)

    @on(DataTable.RowHighlighted, "#notices-members")
    def _highlighted(self) -> None:
        self._show_current()

    @on(Select.Changed, "#notice-lang")
    def _lang_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.notice_lang:
            self.notice_lang = event.value
            self.redraw()

    def action_other_language(self) -> None:
        self.query_one("#notice-lang", Select).value = "en" if self.notice_lang == "id" else "id"

    def action_back(self) -> None:
        self.dismiss()

    def action_copy(self) -> None:
        area = self.query_one(TextArea)
        self.app.copy_to_clipboard(area.selected_text or area.text)
        self.app.notify(t("notices.copied"))

    def action_whatsapp(self) -> None:
        row = self.current
        if row is None:
            return
        link = whatsapp_link(row.phone, row.message)
        if link is None:
            self.app.notify(t("notices.no_phone", name=row.name), severity="warning")
            return
        self.gp.open_link(link)
        self.app.notify(t("notices.whatsapp_opened", name=row.name))

    def action_export(self) -> None:
        directory = self.export_dir or Path.cwd()
        self._export(directory, self.text, self.gp.as_of.isoformat(), self.notice_lang)

    def action_export_csv(self) -> None:
        directory = self.export_dir or Path.cwd()
        self._export_csv(directory, list(self.rows), self.gp.as_of.isoformat(), self.notice_lang)

    @thread_worker("export")
    def _export(self, directory: Path, text: str, as_of: str, lang: str) -> None:
        from grouppass._files import write_atomic

        path = export_path(directory, self.group_id, as_of, lang)
        write_atomic(path, text.encode("utf-8"))
        self.post_message(Exported(path))

    @thread_worker("export")
    def _export_csv(self, directory: Path, rows: list[NoticeRow], as_of: str, lang: str) -> None:
        path = export_path(directory, self.group_id, as_of, lang, ".csv")
        write_notices_csv(path, rows)
        self.post_message(Exported(path))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.app.notify(t("notices.exported", path=str(message.path)))
