"""Today's message for each member, to copy into WhatsApp/SMS or export as a text file."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Select, TextArea

from grouppass_tui.i18n import LANGUAGES, language, t
from grouppass_tui.notices import group_notices
from grouppass_tui.screens.base import AppScreen
from grouppass_tui.widgets.header import AppHeader

__all__ = ["NoticesScreen", "export_path"]


def export_path(directory: Path, group_id: str, as_of: str, lang: str) -> Path:
    """``notices-<group>-<as_of>-<lang>.txt`` in ``directory`` (never overwriting)."""
    base = directory / f"notices-{group_id}-{as_of}-{lang}"
    path, n = base.with_suffix(".txt"), 2
    while path.exists():
        path, n = Path(f"{base}-{n}.txt"), n + 1
    return path


class NoticesScreen(AppScreen[None]):
    """The notices of the group (or of the selected members) in the chosen language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="notices.back", tooltip="Back to the group"),
        Binding(
            "c",
            "copy",
            "Copy",
            id="notices.copy",
            tooltip="Copy the notices (or the selected text) to the clipboard",
        ),
        Binding(
            "w",
            "export",
            "Export",
            id="notices.export",
            tooltip="Write the notices to a text file in the current folder",
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
        width: 40;
        margin: 0 1;
    }
    NoticesScreen TextArea {
        height: 1fr;
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

    def compose(self) -> ComposeResult:
        yield AppHeader()
        yield Select(
            [(t(f"lang.{code}"), code) for code in LANGUAGES],
            value=self.notice_lang,
            allow_blank=False,
            id="notice-lang",
        )
        yield TextArea("", read_only=True, id="notices-text", soft_wrap=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

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
        return self.query_one(TextArea).text

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
        names = {o.code: o.name for o in app.scenario.offices}
        text = group_notices(
            group,
            figures,
            app.as_of,
            self.notice_lang,
            lambda code: names.get(code, code),
            self.member_ids,
        )
        area = self.query_one(TextArea)
        if area.text != text:
            area.load_text(text)

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

    def action_export(self) -> None:
        directory = self.export_dir or Path.cwd()
        self._export(directory, self.text, self.gp.as_of.isoformat(), self.notice_lang)

    @work(thread=True, group="export", exit_on_error=False)
    def _export(self, directory: Path, text: str, as_of: str, lang: str) -> None:
        path = export_path(directory, self.group_id, as_of, lang)
        path.write_text(text, encoding="utf-8")
        self.app.call_from_thread(self.app.notify, t("notices.exported", path=str(path)))
