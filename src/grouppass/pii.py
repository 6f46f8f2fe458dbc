"""Personal data (passport numbers, NIK): masked wherever it is shown or exported.

>>> mask_passport("B1234567")
'B12****67'
>>> mask_nik("5201011234560001")
'5201**********01'
"""

from __future__ import annotations

__all__ = ["MASK", "SECRET_FIELDS", "is_masked", "mask", "mask_nik", "mask_passport"]

MASK = "*"

SECRET_FIELDS = frozenset({"passport.number", "nik"})
"""Paths, in a member's JSON, of the values that are personal data."""


def _mask(value: str, head: int, tail: int, hidden: int) -> str:
    # A fixed number of stars: the mask does not give the length away either.
    value = value.strip()
    if len(value) <= head + tail:
        return MASK * hidden
    return value[:head] + MASK * hidden + value[len(value) - tail :]


def mask_passport(number: str) -> str:
    """Keep the first three and last two characters: enough to tell passports apart."""
    return _mask(number, 3, 2, 4)


def mask_nik(nik: str) -> str:
    """Keep the region code (first four digits) and the last two."""
    return _mask(nik, 4, 2, 10)


def mask(path: str, value: object) -> object:
    """``value`` masked if ``path`` (e.g. ``passport.number``) names personal data."""
    if not isinstance(value, str):
        return value
    if path == "nik" or path.endswith(".nik"):
        return mask_nik(value)
    if path == "passport.number" or path.endswith(".passport.number"):
        return mask_passport(value)
    return value


def is_masked(value: str) -> bool:
    """Does ``value`` look like a masked number (so it must not replace the real one)?"""
    return MASK in value
