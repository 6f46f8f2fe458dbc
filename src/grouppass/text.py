"""Text a user gives grouppass: what is refused, and how it is shown on a terminal.

Control characters and bidirectional overrides in a name can clear the
screen, retitle the terminal or make ``ALI`` display as ``ILA`` (issue 10.7).
Every text field of every input is checked with :func:`unsafe_character`;
anything shown on a terminal goes through :func:`visible` as a second line
of defence (data written by an older version, a message quoting a file).

>>> unsafe_character("Baiq Siti Rohani"), unsafe_character("Ali\\u202eila")
(None, 'U+202E')
>>> visible("\\x1b]0;pwned\\x07Siti")
'\\\\x1b]0;pwned\\\\x07Siti'
"""

from __future__ import annotations

import unicodedata

__all__ = ["length_problem", "text_problem", "unsafe_character", "visible"]

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Controls (C0, C1, DEL), format characters (bidi overrides U+202A-202E and
U+2066-2069, zero-width characters, the BOM), surrogates, private use,
unassigned code points, and the line and paragraph separators."""


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character ``text`` may not hold, as ``U+XXXX``; None when it is clean.

    ``multiline`` allows line feeds (a note typed over two lines; Alt+Enter in
    a spreadsheet cell) and nothing else of the control characters.
    """
    # isprintable() is one C loop and true for nearly every name: the slow
    # per-character look-up runs only for text with a space other than " ".
    if text.isprintable():
        return None
    for ch in text:
        if ch == "\n" and multiline:
            continue
        if unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return f"U+{ord(ch):04X}"
    return None


def length_problem(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return f"too long ({len(text)} characters; at most {limit})"
    return None


def text_problem(text: str, limit: int, *, multiline: bool = False) -> str | None:
    """Why ``text`` is refused (too long, or an unsafe character), or None.

    >>> text_problem("Siti\\x1b[2J", 200)
    'contains a control character (U+001B)'
    """
    problem = length_problem(text, limit)
    if problem is not None:
        return problem
    bad = unsafe_character(text, multiline=multiline)
    if bad is not None:
        return f"contains a control character ({bad})"
    return None


def visible(text: str) -> str:
    """``text`` with every character a terminal would act on shown as an escape instead.

    Line feeds stay (multi-line notes); everything :func:`unsafe_character`
    refuses, and tabs, become ``\\x1b``-style escapes, so nothing can move
    the cursor, change colours or reverse the text.
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == "\n" or (ch.isprintable() or unicodedata.category(ch) == "Zs"):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)
