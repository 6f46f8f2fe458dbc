"""Personal data (passport numbers, NIK): masked wherever it is shown or exported.

One rule for every number, on screen, in exports and in the audit trail: at
most four characters are shown (fewer for short numbers, none for the
shortest), always with the same six stars, so the mask does not give the
length away either (issue 10.12).

>>> mask_number("B1234567"), mask_number("5201011234560001"), mask_number("B12345")
('B******67', '52******01', 'B******5')
>>> mask_number("X1"), mask_number("  B1234567 ")
('******', 'B******67')
"""

from __future__ import annotations

import re

__all__ = [
    "MASK",
    "SECRET_FIELDS",
    "is_masked",
    "mask",
    "mask_number",
    "redact",
    "shown_characters",
]

MASK = "*"
_STARS = MASK * 6

SECRET_FIELDS = frozenset({"passport.number", "nik"})
"""Paths, in a member's JSON, of the values that are personal data."""


def shown_characters(length: int) -> int:
    """How many characters of a number that long stay visible: below half, at most four.

    >>> [shown_characters(n) for n in (2, 3, 4, 5, 6, 8, 10, 16, 40)]
    [0, 0, 1, 1, 2, 3, 4, 4, 4]
    """
    return max(0, min(4, (length - 2) // 2))


def mask_number(value: str) -> str:
    """``value`` with all but its first and last few characters replaced by six stars.

    Enough to tell a group's passports (or NIKs) apart at a glance, never
    enough to use one: the first one or two and the last one or two
    characters, by :func:`shown_characters`.
    """
    value = value.strip()
    shown = shown_characters(len(value))
    head = shown // 2
    tail = shown - head
    return value[:head] + _STARS + (value[len(value) - tail :] if tail else "")


def mask(path: str, value: object) -> object:
    """``value`` masked if ``path`` (e.g. ``passport.number``) names personal data."""
    if not isinstance(value, str):
        return value
    if (
        path == "nik"
        or path.endswith(".nik")
        or path == "passport.number"
        or path.endswith(".passport.number")
    ):
        return mask_number(value)
    return value


def is_masked(value: str) -> bool:
    """Does ``value`` look like a masked number (so it must not replace the real one)?"""
    return MASK in value


# What a NIK (16 digits) or an Indonesian passport number (one or two letters and
# 6-8 digits, A1234567 / XB123456) looks like inside a message, on its own. Not an
# escape a message shows a control character as (\U0001f600), nor the example a
# message gives of the form ("e.g. B1234567").
_LOOKS_SECRET = re.compile(
    r"(?<![0-9A-Za-z\\])(?<!e\.g\. )(?:[0-9]{16}|[A-Za-z]{1,2}[0-9]{6,8})(?![0-9A-Za-z])"
)


def redact(text: str) -> str:
    r"""``text`` with anything that looks like a NIK or a passport number masked.

    Messages quote the cell or value they refuse ("not a date: '3201234567890123'"),
    and a NIK typed into the wrong column is still a NIK: every located problem
    passes through here (:class:`grouppass.errors.LocatedProblem`).

    >>> redact("Tgl Bayar: not a date: '3201234567890123'; office 'X9876548'; id J001")
    "Tgl Bayar: not a date: '32******23'; office 'X******48'; id J001"
    >>> redact("not a passport number (e.g. B1234567): 'B12/34'; not a date: '\\U00011530'")
    "not a passport number (e.g. B1234567): 'B12/34'; not a date: '\\U00011530'"
    """
    if not any(c.isdigit() for c in text):
        return text
    return _LOOKS_SECRET.sub(lambda m: mask_number(m.group()), text)
