"""The organiser's own settings (language, theme), kept between runs.

A small JSON file in the platform's config directory (XDG on Linux, via
platformdirs); ``GROUPPASS_CONFIG_DIR`` moves it, which tests use to keep
the developer's own settings out of snapshots. A damaged file is ignored,
never fatal: these are preferences, not data.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from attrs import asdict, evolve, frozen
from platformdirs import user_config_dir

__all__ = ["Settings", "config_dir", "load_settings", "save_settings"]


@frozen
class Settings:
    lang: str | None = None
    """"id" or "en"; None follows the locale."""
    theme: str | None = None
    """A Textual theme name; None keeps the default."""

    def with_changes(self, **changes: str | None) -> Settings:
        return evolve(self, **changes)


def config_dir() -> Path:
    override = os.environ.get("GROUPPASS_CONFIG_DIR")
    return Path(override) if override else Path(user_config_dir("grouppass"))


def _path() -> Path:
    return config_dir() / "tui.json"


def load_settings() -> Settings:
    try:
        raw = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(raw, dict):
        return Settings()
    lang = raw.get("lang")
    theme = raw.get("theme")
    return Settings(
        lang=lang if lang in ("id", "en") else None,
        theme=theme if isinstance(theme, str) else None,
    )


def save_settings(settings: Settings) -> None:
    """Write the settings atomically; failures are the caller's to report."""
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
    os.replace(tmp, path)
