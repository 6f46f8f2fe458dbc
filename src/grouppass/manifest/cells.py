"""Cells in and out: text from whatever a spreadsheet holds, and text no spreadsheet will run.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel and LibreOffice (``=HYPERLINK(...)`` in a
traveller's name would run when an organiser opens the export). Exports put
a ``'`` in front of such text; imports take it off again.

>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> cell_text("'+6281917340215"), cell_text(5271011204680003.0), cell_text("  ")
('+6281917340215', '5271011204680003', None)
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata

__all__ = ["FORMULA_START", "cell_text", "control_character", "safe_cell"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` with a ``'`` in front if a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell_text(value: object) -> str | None:
    """A cell's value as stripped text; None when empty.

    Whole numbers lose the ``.0`` a spreadsheet gives them (a NIK or a phone
    number typed into a number cell); the guard ``'`` of an exported formula-like
    value is taken off.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e17:
            text = str(int(value))
        else:
            text = repr(value)
    elif isinstance(value, dt.datetime | dt.date | dt.time):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text or None


def control_character(text: str) -> str | None:
    """The first control or formatting character in ``text`` (as U+XXXX), if any.

    Formatting characters such as U+202E (right-to-left override) can make a
    name display as something else, so they are refused like control characters.
    """
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            return f"U+{ord(ch):04X}"
    return None
