"""grouppass_tui: the organiser's terminal UI for grouppass.

The app is a thin layer over the library (:mod:`grouppass`) and its store:
every figure on screen comes from :func:`grouppass.assess.assess`, every
change goes through the store, and every call that touches the disk or the
forecast runs in a thread worker so the screen never freezes.

Start it with :func:`grouppass_tui.app.run`.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
