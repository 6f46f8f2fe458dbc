"""Cells in and out: text from whatever a spreadsheet holds, and text no spreadsheet will run.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is a formula to Excel and LibreOffice (``=HYPERLINK(...)`` in a
traveller's name would run when an organiser opens the export). Spreadsheets
also skip leading spaces, no-break spaces, zero-width spaces and byte order
marks, read full-width ``＝`` as ``=``, and a spreadsheet whose list separator
is ``;`` (Indonesian Excel) splits ``x;=cmd|' /C calc'!A0`` into a cell that
starts with ``=``. :func:`needs_guard` sees through all of that (issue 10.8,
the OWASP CSV-injection advice); exports put a ``'`` in front of such text
(and quote every CSV field), imports take it off again.

>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("\\u00a0\\u200b\\uff1d1+1")
('\\'=HYPERLINK("http://x")', "'\\xa0\\u200b＝1+1")
>>> safe_cell("x;=cmd|' /C calc'!A0"), safe_cell("Siti; Baiq")
("'x;=cmd|' /C calc'!A0", 'Siti; Baiq')
>>> cell_text("'+6281917340215"), cell_text(5271011204680003.0), cell_text("  ")
('+6281917340215', '5271011204680003', None)
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

__all__ = ["FORMULA_START", "cell_text", "needs_guard", "safe_cell"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a cell may not start with (OWASP): the formula characters, a tab, a carriage return."""

_FORMULA = frozenset("=+-@\u2212")  # U+2212 MINUS SIGN: NFKC leaves it, some spreadsheets don't
_PARTS = re.compile(r"[;,\t\r\n]")
"""What splits one value into cells: the list separators (``,`` ``;``), tab and line breaks."""


def _lead_stripped(text: str) -> str:
    """``text`` without the leading characters a spreadsheet skips before a formula."""
    i = 0
    while i < len(text) and (text[i].isspace() or unicodedata.category(text[i]) in ("Cf", "Zs")):
        i += 1
    return text[i:]


def needs_guard(text: str) -> bool:
    """Would a spreadsheet run ``text``, or a part of it, as a formula?

    True when the text starts with a tab or carriage return, or when, after
    NFKC (full-width ``＝＋－＠`` become ``=+-@``) and with leading whitespace
    and format characters (no-break and zero-width spaces, the BOM) skipped,
    the text or any part after a ``;``, ``,``, tab or line break starts with a
    formula character.
    """
    if not text:
        return False
    if text[0] in "\t\r":
        return True
    # The common case: nothing to normalise and no formula character anywhere.
    if text.isascii() and not any(c in text for c in "=+-@"):
        return False
    normal = unicodedata.normalize("NFKC", text)
    return any(
        (part := _lead_stripped(piece)) and part[0] in _FORMULA for piece in _PARTS.split(normal)
    )


def safe_cell(text: str) -> str:
    """``text`` with a ``'`` in front if a spreadsheet would read it, or a part, as a formula."""
    return "'" + text if needs_guard(text) else text


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
    if len(text) > 1 and text[0] == "'" and needs_guard(text[1:]):
        text = text[1:].strip()
    return text or None
