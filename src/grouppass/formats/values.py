"""Reading JSON values (strings, dates, numbers, codes) and collecting located problems.

This is the hot path of a 100,000-traveller file, so the readers avoid
closures and exceptions when the input is good, cache parsed dates per file,
and build a problem's path string only when there is a problem to report.
Every reader records what is wrong and returns a placeholder, so one pass
finds every problem; callers compare the problem count before and after to
know whether to build the model object.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import sys
from collections.abc import Mapping
from typing import Any

from grouppass.errors import LocatedProblem, ScenarioError
from grouppass.model import ThreePoint
from grouppass.text import unsafe_character
from grouppass.validate import InvalidRecord

__all__ = ["Ctx", "at", "describe", "number_out"]

_THREE_POINT_KEYS = frozenset({"low", "mode", "high"})
# dict first: decoded JSON is always a dict, and isinstance stops at the first
# match before the slower ABC check (which admits a TinyDB Document too).
_OBJECT = (dict, Mapping)
_MAX_FLOAT = sys.float_info.max


def at(path: str, key: str) -> str:
    """The path of ``key`` inside the object at ``path``."""
    return f"{path}.{key}" if path else key


def describe(value: object, *, secret: bool = False) -> str:
    """Say what a JSON value is, for "expected X, got Y" messages.

    ``secret`` leaves the value out, for personal data (passport numbers, NIK)
    that must not end up in logs.
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        if secret:
            return "a string"
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, int | float):
        if secret:
            return "a number"
        # repr of a many-thousand-digit int raises ValueError; no one needs its digits.
        if isinstance(value, int) and not -(10**30) < value < 10**30:
            return "a number (far too large)"
        return f"a number ({value!r})"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def number_out(value: float) -> int | float:
    """A float for the file, written as an integer when it is one (3, not 3.0)."""
    return int(value) if value.is_integer() else value


class Ctx:
    """Problems found so far, and what the whole file knows (office and system codes)."""

    __slots__ = ("_dates", "offices", "problems", "records", "source", "systems")

    def __init__(
        self,
        source: str | None = None,
        *,
        offices: frozenset[str] | None = None,
        systems: frozenset[str] | None = None,
    ) -> None:
        self.problems: list[LocatedProblem] = []
        self.source = source
        self.offices = offices
        """Office codes the file declares; None when converting a lone record (no check)."""
        self.systems = systems
        """System codes the file declares; None when converting a lone record (no check)."""
        # A season's members share a few hundred distinct dates: caching them per
        # file skips most fromisoformat calls without letting a hostile file grow
        # a process-wide cache.
        self._dates: dict[str, dt.date] = {}
        self.records: dict[tuple[object, ...], object] = {}
        """Frozen records already read, by their raw fields: a season repeats them."""

    def add(self, path: str, message: str) -> None:
        self.problems.append(LocatedProblem(path, message, self.source))

    def check(self) -> None:
        if self.problems:
            raise ScenarioError(self.problems)

    def wrong(self, path: str, expected: str, value: object, *, secret: bool = False) -> None:
        self.add(path, f"expected {expected}, got {describe(value, secret=secret)}")

    def missing(self, path: str) -> None:
        self.add(path, "required field is missing")

    # -- containers -------------------------------------------------------

    def obj(self, value: object, path: str, keys: frozenset[str]) -> Mapping[str, Any] | None:
        """``value`` as an object with only ``keys`` allowed, or None (problem recorded)."""
        if not isinstance(value, _OBJECT):
            self.wrong(path, "an object", value)
            return None
        if not keys.issuperset(value):
            for key in value:
                if key not in keys:
                    self._unknown(key, keys, path)
        return value

    def _unknown(self, key: object, keys: frozenset[str], path: str) -> None:
        if not isinstance(key, str):
            self.add(path, f"field names must be strings, got {key!r}")
            return
        close = difflib.get_close_matches(key, sorted(keys), n=1, cutoff=0.7)
        hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {sorted(keys)}"
        # The key becomes part of the path people read: a hostile one is shown quoted.
        shown = key if len(key) <= 40 and unsafe_character(key) is None else repr(key[:40])
        self.add(at(path, shown), f"unknown field{hint}")

    def items(self, d: Mapping[str, Any], key: str, path: str) -> list[Any] | tuple[Any, ...]:
        """The list at ``d[key]``; missing or null is an empty list."""
        value = d.get(key)
        if value is None:
            return ()
        if isinstance(value, list | tuple):
            return value
        self.wrong(at(path, key), "a list", value)
        return ()

    # -- strings ----------------------------------------------------------

    def text(self, d: Mapping[str, Any], key: str, path: str, *, secret: bool = False) -> str:
        """A required, non-blank string."""
        value = d.get(key)
        if isinstance(value, str) and value and not value.isspace():
            return value
        if value is None and key not in d:
            self.missing(at(path, key))
        else:
            self.wrong(at(path, key), "a non-empty string", value, secret=secret)
        return ""

    def string(self, d: Mapping[str, Any], key: str, path: str, default: str = "") -> str:
        """A string that may be empty; missing or null gives ``default``."""
        value = d.get(key)
        if isinstance(value, str):
            return value
        if value is not None:
            self.wrong(at(path, key), "a string", value)
        return default

    def opt_string(self, d: Mapping[str, Any], key: str, path: str) -> str | None:
        value = d.get(key)
        if value is None or isinstance(value, str):
            return value
        self.wrong(at(path, key), "a string", value, secret=True)
        return None

    def required_string(self, d: Mapping[str, Any], key: str, path: str) -> str:
        """A required string that may be empty (a display name)."""
        value = d.get(key)
        if isinstance(value, str):
            return value
        if value is None and key not in d:
            self.missing(at(path, key))
        else:
            self.wrong(at(path, key), "a string", value)
        return ""

    def codes(
        self,
        d: Mapping[str, Any],
        key: str,
        path: str,
        known: frozenset[str] | None,
        kind: str,
    ) -> tuple[str, ...]:
        """A list of codes, each checked against ``known`` when the file's codes are known."""
        values = self.items(d, key, path)
        seen: set[str] = set()
        for i, code in enumerate(values):
            if not isinstance(code, str) or not code or code.isspace():
                self.wrong(f"{at(path, key)}[{i}]", f"a {kind} code", code)
            elif code in seen:
                self.add(f"{at(path, key)}[{i}]", f"{kind} {code!r} is listed twice")
            else:
                seen.add(code)
                if known is not None and code not in known:
                    self.add(f"{at(path, key)}[{i}]", f"unknown {kind} {code!r}")
        return tuple(values)

    def choice(self, d: Mapping[str, Any], key: str, path: str, allowed: tuple[str, ...]) -> str:
        value = d.get(key)
        if value is None:
            return allowed[0]
        if value in allowed:
            return str(value)
        names = ", ".join(repr(a) for a in allowed)
        self.wrong(at(path, key), f"one of {names}", value)
        return allowed[0]

    def timezone(self, d: Mapping[str, Any], key: str, path: str, *, required: bool) -> str | None:
        """A time zone's name; whether it is one is the model's rule (grouppass.validate)."""
        value = d.get(key)
        if isinstance(value, str):
            return value
        if value is not None:
            self.wrong(at(path, key), "an IANA time zone name", value)
        elif required:
            self.missing(at(path, key))
        return None

    # -- dates ------------------------------------------------------------

    def date_value(self, value: object, path: str) -> dt.date | None:
        """``value`` as a strict YYYY-MM-DD date, or None (problem recorded)."""
        if type(value) is str:
            found = self._dates.get(value)
            if found is not None:
                return found
            try:
                parsed = dt.date.fromisoformat(value)
            except ValueError:
                parsed = None
            # fromisoformat also takes 20180216 and 2018-W07-5; the round trip
            # keeps the file to the one spelling people can read.
            if parsed is not None and parsed.isoformat() == value:
                self._dates[value] = parsed
                return parsed
            self.add(path, f"not a date: {value!r}")
            return None
        self.wrong(path, "a date (YYYY-MM-DD)", value)
        return None

    def date(self, d: Mapping[str, Any], key: str, path: str) -> dt.date | None:
        """A required date; None means a problem was recorded."""
        value = d.get(key)
        if value is None and key not in d:
            self.missing(at(path, key))
            return None
        return self.date_value(value, at(path, key))

    def opt_date(self, d: Mapping[str, Any], key: str, path: str) -> dt.date | None:
        value = d.get(key)
        if value is None:
            return None
        found = self._dates.get(value) if type(value) is str else None
        if found is not None:
            return found
        return self.date_value(value, at(path, key))

    def opt_dates(
        self, d: Mapping[str, Any], keys: tuple[str, ...], path: str
    ) -> list[dt.date | None]:
        """Several optional dates at once: one call per record instead of one per field."""
        cache = self._dates
        out: list[dt.date | None] = []
        for key in keys:
            value = d.get(key)
            if value is None:
                out.append(None)
                continue
            found = cache.get(value) if type(value) is str else None
            out.append(found if found is not None else self.date_value(value, at(path, key)))
        return out

    def dates(self, d: Mapping[str, Any], key: str, path: str) -> tuple[dt.date, ...]:
        out: list[dt.date] = []
        for i, value in enumerate(self.items(d, key, path)):
            parsed = self.date_value(value, f"{at(path, key)}[{i}]")
            if parsed is not None:
                out.append(parsed)
        return tuple(out)

    def departure(self, d: Mapping[str, Any], key: str, path: str) -> dt.datetime | None:
        """A date-time that must carry a UTC offset, e.g. 2018-05-16T09:00:00+08:00."""
        value = d.get(key)
        where = at(path, key)
        if value is None and key not in d:
            self.missing(where)
            return None
        if not isinstance(value, str):
            self.wrong(where, "a date-time such as '2018-05-16T09:00:00+08:00'", value)
            return None
        parsed: dt.datetime | None
        # Same strictness as dates: the date part must be YYYY-MM-DD, then T or a space.
        if len(value) >= 16 and value[4] == "-" and value[7] == "-" and value[10] in "Tt ":
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                parsed = None
        else:
            parsed = None
        if parsed is None:
            self.add(where, f"not a date-time: {value!r} (e.g. '2018-05-16T09:00:00+08:00')")
            return None
        if parsed.utcoffset() is None:
            self.add(
                where,
                f"{value!r} has no UTC offset; write it like '2018-05-16T09:00:00+08:00'",
            )
            return None
        return parsed

    # -- numbers ----------------------------------------------------------

    def number(self, d: Mapping[str, Any], key: str, path: str, default: float) -> float:
        """A finite number; missing or null gives ``default``."""
        value: Any = d.get(key)
        kind = type(value)
        if kind is float or kind is int:
            # A range check, not math.isfinite: a huge JSON integer would
            # overflow float() instead of being reported.
            if -_MAX_FLOAT <= value <= _MAX_FLOAT:
                return float(value)
        elif value is None:
            return default
        self.wrong(at(path, key), "a finite number", value)
        return default

    def opt_number(self, d: Mapping[str, Any], key: str, path: str) -> float | None:
        if d.get(key) is None:
            return None
        return self.number(d, key, path, 0.0)

    def integer(self, d: Mapping[str, Any], key: str, path: str, default: int) -> int:
        """A whole number (3 or 3.0); missing or null gives ``default``."""
        value: Any = d.get(key)
        kind = type(value)
        if kind is int:
            return int(value)
        if value is None:
            return default
        if kind is float and math.isfinite(value) and value.is_integer():
            return int(value)
        self.wrong(at(path, key), "a whole number", value)
        return default

    def boolean(self, d: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = d.get(key)
        if value is None:
            return default
        if value is True or value is False:
            return value
        self.wrong(at(path, key), "true or false", value)
        return default

    def three_point(
        self, d: Mapping[str, Any], key: str, path: str, default: ThreePoint
    ) -> ThreePoint:
        """Working days: a number, or ``{low, mode, high}``."""
        value = d.get(key)
        if value is None:
            return default
        where = at(path, key)
        kind = type(value)
        if kind is int or kind is float:
            if -_MAX_FLOAT <= value <= _MAX_FLOAT:
                try:
                    return ThreePoint.fixed(value)
                except InvalidRecord as exc:
                    # One number, one problem (not one for each of low, mode and high).
                    self.add(where, exc.findings[0].message)
                    return default
            self.wrong(where, "a number of working days", value)
            return default
        if not isinstance(value, Mapping):
            self.wrong(where, "a number of working days or {low, mode, high}", value)
            return default
        obj = self.obj(value, where, _THREE_POINT_KEYS)
        assert obj is not None
        before = len(self.problems)
        points: list[float] = []
        for name in ("low", "mode", "high"):
            if name not in obj or obj[name] is None:
                self.missing(at(where, name))
                continue
            points.append(self.number(obj, name, where, 0.0))
        if len(self.problems) != before:
            return default
        try:
            return ThreePoint(*points)
        except InvalidRecord as exc:
            for f in exc.findings:
                self.add(at(where, f.field), f.message)
        return default
