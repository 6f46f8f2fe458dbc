"""The command palette's "screenshot": an SVG of the screen in the download folder.

Textual writes it to the platform's download folder and fails when that
folder does not exist (a fresh account, a server). Here the folder is made
if it can be, else the screenshot goes to the current folder; the file is
written atomically and never replaces another.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from platformdirs import user_downloads_path

from grouppass._files import write_atomic

__all__ = ["save_screenshot", "screenshot_dir"]


def screenshot_dir(path: str | None = None) -> Path:
    """``path``, else the download folder (made if missing), else the current folder."""
    if path:
        directory = Path(path).expanduser()
        directory.mkdir(parents=True, exist_ok=True)
        return directory
    downloads = user_downloads_path()
    try:
        downloads.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.cwd()
    return downloads


def save_screenshot(svg: str, filename: str | None, path: str | None, title: str) -> Path:
    """Write ``svg`` and return where it went."""
    directory = screenshot_dir(path)
    # The TUI is the edge where the clock may be read: the name says when it was taken.
    name = filename or f"{title}_{dt.datetime.now():%Y-%m-%dT%H_%M_%S}.svg"
    target, n = directory / name, 2
    while target.exists():
        target, n = directory / f"{Path(name).stem}-{n}.svg", n + 1
    write_atomic(target, svg.encode("utf-8"))
    return target
