"""UI text in Bahasa Indonesia and English.

Messages live in two flat catalogues (``id.py``, ``en.py``) keyed by dotted
names; ``str.format`` fields fill in values. A test checks both catalogues
have the same keys and the same fields, and that every key the code uses
exists, so a missing translation fails the build rather than the organiser.

The current language is process-wide on purpose: one app runs per process,
and worker threads (notices, exports) read it without a handle on the app.

>>> set_language("en"); t("risk.late")
'late'
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from grouppass_tui.i18n import en as _en
from grouppass_tui.i18n import id as _id

__all__ = [
    "LANGUAGES",
    "default_language",
    "language",
    "plural",
    "plural_in",
    "set_language",
    "t",
    "t_in",
]

LANGUAGES: tuple[str, ...] = ("id", "en")
"""Supported languages, the default first."""

CATALOGUES: dict[str, Mapping[str, str]] = {"id": _id.MESSAGES, "en": _en.MESSAGES}

_current = "id"


def language() -> str:
    """The language UI text is currently shown in."""
    return _current


def set_language(lang: str) -> None:
    """Switch every later ``t()`` call to ``lang`` ("id" or "en")."""
    global _current
    if lang not in CATALOGUES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = lang


def default_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for, else Indonesian (the organisers' language).

    >>> default_language({"LANG": "en_GB.UTF-8"})
    'en'
    >>> default_language({"LANG": "C.UTF-8"})
    'id'
    """
    env = os.environ if environ is None else environ
    for var in ("GROUPPASS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        code = value.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in ("id", "in"):  # "in" is the pre-1989 ISO code some systems still use
            return "id"
        if code == "en":
            return "en"
        if var != "GROUPPASS_LANG" and code not in ("c", "posix"):
            # Any other real locale: the organiser reads neither, fall back to Indonesian.
            return "id"
    return "id"


def t(key: str, /, **fields: object) -> str:
    """The message ``key`` in the current language, with ``fields`` filled in."""
    return t_in(_current, key, **fields)


def t_in(lang: str, key: str, /, **fields: object) -> str:
    """The message ``key`` in ``lang``; falls back to English, then to the key itself."""
    text = CATALOGUES.get(lang, _en.MESSAGES).get(key)
    if text is None:
        text = _en.MESSAGES.get(key, key)
    return text.format(**fields) if fields else text


def plural(key: str, n: int, /, **fields: object) -> str:
    """``key`` for a count ``n``: ``key.one`` when n is 1 ("1 group"), else ``key``.

    Indonesian does not inflect ("1 grup", "3 grup"), so its ``.one`` says the same.
    """
    return plural_in(_current, key, n, **fields)


def plural_in(lang: str, key: str, n: int, /, **fields: object) -> str:
    chosen = f"{key}.one" if n == 1 and f"{key}.one" in _en.MESSAGES else key
    return t_in(lang, chosen, n=n, **fields)
