"""Fixtures for the TUI tests: a fresh database per test, no clock, no developer settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from grouppass_tui import i18n
from grouppass_tui.demo import make_demo_db
from textual.widgets import Input, TextArea
from tui_support import AUDIT_TIME, agency_scenario

from grouppass.store import Store


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Hide the developer's own settings and locale; stop cursors blinking in snapshots."""
    monkeypatch.setenv("GROUPPASS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("GROUPPASS_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None, raising=False)
    monkeypatch.chdir(tmp_path)
    yield
    i18n.set_language("id")


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A fresh copy of the bundled Mataram 2018 example."""
    return make_demo_db(tmp_path / "db")


@pytest.fixture
def agency_db(tmp_path: Path) -> Path:
    """The demo group plus one leaving soon and one leaving in autumn."""
    db = tmp_path / "agency" / "agency.json"
    Store.create(db, scenario=agency_scenario(), at=AUDIT_TIME, actor="test")
    return db
