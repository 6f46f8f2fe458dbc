"""Every rule a record must pass, declared once, as (field, problem code, message).

The model's constructors call these (so no invalid record exists), the
scenario readers and the manifest import turn their findings into located
problems (``groups[0].members[3].follow_up: ...``), and the TUI's forms call
them to learn which field is wrong and why, in a code they can translate
instead of the English message. The same input gets the same verdict
everywhere (issue 11.1).

>>> from grouppass.model import Member, Office
>>> [f.code for f in findings(Member, id="m1", name="Siti",
...     contacted=dt.date(2018, 3, 12), follow_up=dt.date(2018, 3, 10))]
[<Code.ORDER: 'order'>]
>>> findings(Member, id="m1", name="Siti", contacted=dt.date(2018, 3, 12))
[]

One checker per record kind (``check_member(member)``, ``check_office(office)``,
...) takes a model object; :func:`findings` takes the fields of one that was not
built yet. Ranges come from :mod:`grouppass.limits`, text rules from
:mod:`grouppass.text`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import re
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from grouppass import limits
from grouppass.text import unsafe_character

if TYPE_CHECKING:
    from grouppass.model import (
        Agency,
        Alternative,
        Application,
        BackgroundRate,
        Disruption,
        Group,
        Member,
        Office,
        Passport,
        Recovery,
        Rules,
        System,
        ThreePoint,
    )

__all__ = [
    "STAGE_ORDER",
    "Code",
    "Finding",
    "InvalidRecord",
    "check_agency",
    "check_alternative",
    "check_application",
    "check_background_rate",
    "check_disruption",
    "check_group",
    "check_member",
    "check_office",
    "check_passport",
    "check_recovery",
    "check_rules",
    "check_system",
    "check_three_point",
    "findings",
    "raise_if_invalid",
    "tidy_nik",
    "tidy_passport_number",
    "timezone_problem",
]


class Code(enum.StrEnum):
    """What is wrong with a field. Stable: the TUI translates these, files may log them.

    ``Finding.params`` carries what a translated message needs; the keys are
    listed with each code.
    """

    REQUIRED = "required"
    """Empty or missing where a value is needed."""
    WRONG_TYPE = "wrong_type"
    """Not the kind of value the field holds; ``expected`` (e.g. ``"a string"``)."""
    TOO_LONG = "too_long"
    """``length``, ``limit`` (characters)."""
    CONTROL_CHARACTER = "control_character"
    """A control, format or bidirectional character; ``character`` (``"U+202E"``)."""
    OUT_OF_RANGE = "out_of_range"
    """``value``, ``low``, ``high``, ``unit`` (see :mod:`grouppass.limits`)."""
    ORDER = "order"
    """A date or number before (or after) one it depends on; ``value``, ``other`` (the
    other field's name), ``other_value``."""
    NEEDS = "needs"
    """A field that needs another one set first; ``needs`` (field names, ``"recorded, paid"``)."""
    TIMEZONE = "timezone"
    """Not an IANA time zone; ``value``."""
    NO_UTC_OFFSET = "no_utc_offset"
    """A departure without a UTC offset."""
    PASSPORT_NUMBER = "passport_number"
    """Not letters and digits, at most 20 of them (the value is personal data: not in params)."""
    NIK = "nik"
    """Not 16 digits (personal data: not in params)."""
    NO_TARGET = "no_target"
    """A disruption that names neither offices nor systems."""
    OWN_ALTERNATIVE = "own_alternative"
    """An office listed as its own alternative; ``value``."""
    DUPLICATE = "duplicate"
    """Listed twice; ``value``, ``first`` (where the first one is)."""
    UNKNOWN_OFFICE = "unknown_office"
    """``value``: an office code nobody declared."""
    UNKNOWN_SYSTEM = "unknown_system"
    """``value``: a system code nobody declared."""
    DATE_FORM = "date_form"
    """Typed or imported text that is no date form grouppass reads; ``text``."""
    DATE_MONTH = "date_month"
    """A month name nobody uses; ``month``."""
    DATE_NO_SUCH_DAY = "date_no_such_day"
    """A date form, but no such day (``31/02/2018``); ``text``."""
    DATE_NUMBER = "date_number"
    """A plain number in a date cell (a date cell that lost its format); ``value``."""


@frozen
class Finding:
    """One broken rule: the field (a path inside the record), a code, and a message.

    ``field`` is relative to the record checked: ``"follow_up"``,
    ``"recovery.low"``, ``"alternatives[1].office"``; ``""`` is the record
    as a whole. ``message`` is English and never holds a passport number or NIK.
    """

    field: str
    code: Code
    message: str
    params: Mapping[str, object] = attrs.field(factory=dict, eq=False, hash=False)


class InvalidRecord(ValueError):
    """A record that breaks its rules; ``findings`` lists every broken one.

    A ``ValueError``, so code written against the model's earlier errors
    still catches it.
    """

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        super().__init__(
            "; ".join(f"{f.field}: {f.message}" if f.field else f.message for f in self.findings)
        )


def raise_if_invalid(found: list[Finding]) -> None:
    """What the model's constructors call: raise :class:`InvalidRecord` if ``found``."""
    if found:
        raise InvalidRecord(found)


# -- the checks a field can need ---------------------------------------------------------------

_Out = list[Finding]


def _add(out: _Out, field: str, code: Code, message: str, **params: object) -> None:
    out.append(Finding(field, code, message, params))


def _wrong(out: _Out, field: str, expected: str) -> None:
    _add(out, field, Code.WRONG_TYPE, f"expected {expected}", expected=expected)


def _text(
    out: _Out,
    field: str,
    value: object,
    limit: int,
    *,
    required: bool = False,
    multiline: bool = False,
) -> None:
    if type(value) is not str:
        if value is None and required:
            _add(out, field, Code.REQUIRED, "required field is missing")
        else:
            _wrong(out, field, "a non-empty string" if required else "a string")
        return
    # The common case in two C calls: printable and short (and, if required, not blank).
    if len(value) <= limit and value.isprintable() and (not required or value.strip()):
        return
    if required and not value.strip():
        _add(out, field, Code.REQUIRED, "must not be empty")
    elif len(value) > limit:
        _add(
            out, field, Code.TOO_LONG,
            f"too long ({len(value)} characters; at most {limit})",
            length=len(value), limit=limit,
        )  # fmt: skip
    else:
        bad = unsafe_character(value, multiline=multiline)
        if bad is not None:
            _add(
                out, field, Code.CONTROL_CHARACTER,
                f"contains a control character ({bad})", character=bad,
            )  # fmt: skip


def _code(out: _Out, field: str, value: object) -> None:
    _text(out, field, value, limits.ID_LENGTH, required=True)


def _codes(out: _Out, field: str, values: Sequence[object], kind: str) -> None:
    seen: dict[object, int] = {}
    for i, code in enumerate(values):
        where = f"{field}[{i}]"
        _code(out, where, code)
        if isinstance(code, str):
            first = seen.setdefault(code, i)
            if first != i:
                _add(
                    out, where, Code.DUPLICATE, f"{kind} {code!r} is listed twice",
                    value=code, first=f"{field}[{first}]",
                )  # fmt: skip


def _in(out: _Out, field: str, value: object, limit: limits.Limit[Any], *, whole: bool) -> None:
    kind = type(value)
    if not (kind is int or (kind is float and not whole)):
        if whole and kind is float:
            _wrong(out, field, "a whole number")
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            _wrong(out, field, "a whole number" if whole else "a number")
            return
    if value in limit:
        return
    assert isinstance(value, int | float)
    if not math.isfinite(value):
        _wrong(out, field, "a finite number")
        return
    problem = limit.problem(value)
    assert problem is not None
    _add(
        out, field, Code.OUT_OF_RANGE, problem,
        value=value, low=limit.low, high=limit.high, unit=limit.unit,
    )  # fmt: skip


_DATE_LOW, _DATE_HIGH = limits.DATES.low, limits.DATES.high
_ID_LENGTH, _NAME_LENGTH, _PHONE_LENGTH = limits.ID_LENGTH, limits.NAME_LENGTH, limits.PHONE_LENGTH


def _date(out: _Out, field: str, value: object, *, required: bool = False) -> None:
    if value is None:
        if required:
            _add(out, field, Code.REQUIRED, "required field is missing")
        return
    # A date-time is a date to isinstance, but not a date to a stage or a closure.
    if type(value) is not dt.date and (
        not isinstance(value, dt.date) or isinstance(value, dt.datetime)
    ):
        _wrong(out, field, "a date")
        return
    assert isinstance(value, dt.date)
    if _DATE_LOW <= value <= _DATE_HIGH:
        return
    problem = limits.DATES.problem(value)
    assert problem is not None
    _add(
        out, field, Code.OUT_OF_RANGE, problem,
        value=value, low=_DATE_LOW, high=_DATE_HIGH, unit="",
    )  # fmt: skip


def _before(out: _Out, field: str, value: object, other: str, limit: object, message: str) -> None:
    _add(out, field, Code.ORDER, message, value=value, other=other, other_value=limit)


def _boolean(out: _Out, field: str, value: object) -> None:
    if value is not True and value is not False:
        _wrong(out, field, "true or false")


def _choice(out: _Out, field: str, value: object, kind: type[enum.Enum], *, optional: bool) -> None:
    if value is None and optional:
        return
    if not isinstance(value, kind):
        names = ", ".join(repr(m.value) for m in kind)
        _wrong(out, field, f"one of {names}")


@functools.cache
def _zones() -> frozenset[str]:
    # ZoneInfo also opens any file under the zoneinfo folders: "localtime" (this
    # machine's zone, another on the next machine), "right/..." (leap seconds, 27 s
    # off) and "Factory" (no offset at all). Only the named zones of the database.
    return frozenset(zoneinfo.available_timezones()) - {"localtime", "Factory"}


@functools.lru_cache(maxsize=1024)
def timezone_problem(name: str) -> str | None:
    """Why ``name`` is no IANA time zone, or None; the one check readers and forms share.

    >>> timezone_problem("Asia/Makassar"), timezone_problem("WITA")
    (None, "not an IANA time zone: 'WITA' (e.g. 'Asia/Makassar')")
    """
    if unsafe_character(name) is None and 0 < len(name) <= limits.ID_LENGTH and name in _zones():
        try:
            zoneinfo.ZoneInfo(name)
        # ZoneInfo raises ValueError for malformed keys, a KeyError subclass for
        # unknown ones and OSError for directories such as "Asia".
        except (ValueError, KeyError, OSError):
            pass
        else:
            return None
    shown = name if len(name) <= 40 else name[:37] + "..."
    return f"not an IANA time zone: {shown!r} (e.g. 'Asia/Makassar')"


def _timezone(out: _Out, field: str, value: object, *, required: bool) -> None:
    if value is None:
        if required:
            _add(out, field, Code.REQUIRED, "required field is missing")
        return
    if type(value) is not str:
        _wrong(out, field, "an IANA time zone name")
        return
    problem = timezone_problem(value)
    if problem is not None:
        _add(out, field, Code.TIMEZONE, problem, value=value)


# -- personal data and phone numbers --------------------------------------------------------

_MASK = "*"
_PASSPORT = re.compile(r"[A-Za-z0-9]{1,20}")
_MASKED_PASSPORT = re.compile(r"[A-Za-z0-9*]{1,20}")
_NIK = re.compile(r"[0-9]{16}")
_MASKED_NIK = re.compile(r"[0-9*]{1,16}")


def tidy_passport_number(text: str) -> str:
    """A passport number as typed (``b 1234-567``) in the form it is kept: ``B1234567``."""
    return re.sub(r"[\s-]", "", text).upper()


def tidy_nik(text: str) -> str:
    """A NIK as typed (``5271 0112.0468-0003``) in the form it is kept: digits only."""
    return re.sub(r"[\s.-]", "", text)


def _passport_number(out: _Out, field: str, value: object) -> None:
    if type(value) is not str:
        _wrong(out, field, "a non-empty string")
        return
    # A masked number (an export read back) stands for the one already saved;
    # the import decides whether there is one.
    pattern = _MASKED_PASSPORT if _MASK in value else _PASSPORT
    if not pattern.fullmatch(value):
        _add(
            out, field, Code.PASSPORT_NUMBER,
            "not a passport number (letters and digits, at most 20, e.g. B1234567)",
        )  # fmt: skip


def _nik(out: _Out, field: str, value: object) -> None:
    if type(value) is not str:
        _wrong(out, field, "a string")
        return
    pattern = _MASKED_NIK if _MASK in value else _NIK
    if not pattern.fullmatch(value):
        _add(out, field, Code.NIK, "not a NIK (16 digits)")


def _phone(out: _Out, field: str, value: object) -> None:
    # Loose on purpose: manifests hold "0819-1734-0215 (istri)" and the like; the
    # TUI's form suggests the usual form, the notices normalise with phonenumbers.
    _text(out, field, value, limits.PHONE_LENGTH)


# -- one checker per record kind -------------------------------------------------------------


def check_three_point(tp: ThreePoint) -> list[Finding]:
    """Working days: each of ``low``, ``mode``, ``high`` in range, and ``low <= mode <= high``."""
    out: _Out = []
    for name in ("low", "mode", "high"):
        _in(out, name, getattr(tp, name), limits.SERVICE_DAYS, whole=False)
    if out:
        return out
    low, mode, high = tp.low, tp.mode, tp.high
    if low > high:
        _before(out, "low", low, "high", high, f"low {_n(low)} is above high {_n(high)}")
    elif not low <= mode <= high:
        _before(
            out, "mode", mode, "low..high", (low, high),
            f"mode {_n(mode)} is outside low..high ({_n(low)}..{_n(high)})",
        )  # fmt: skip
    return out


def _n(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def check_recovery(r: Recovery) -> list[Finding]:
    """Dates in range and ``low <= mode <= high`` (``high`` may be open)."""
    out: _Out = []
    _date(out, "low", r.low, required=True)
    _date(out, "mode", r.mode, required=True)
    _date(out, "high", r.high)
    if out:
        return out
    low, mode, high = r.low, r.mode, r.high
    if high is not None and low > high:
        _before(out, "low", low, "high", high, f"low {low} is after high {high}")
    elif mode < low:
        _before(out, "mode", mode, "low", low, f"mode {mode} is before low {low}")
    elif high is not None and high < mode:
        _before(out, "high", high, "mode", mode, f"high {high} is before mode {mode}")
    return out


def check_system(s: System) -> list[Finding]:
    out: _Out = []
    _code(out, "code", s.code)
    _text(out, "name", s.name, limits.NAME_LENGTH)
    return out


def check_alternative(a: Alternative) -> list[Finding]:
    out: _Out = []
    _code(out, "office", a.office)
    _in(out, "travel_days", a.travel_days, limits.TRAVEL_DAYS, whole=True)
    if a.travel_cost is not None:
        _in(out, "travel_cost", a.travel_cost, limits.TRAVEL_COST, whole=True)
    return out


def check_office(o: Office) -> list[Finding]:
    Alternative, ThreePoint = _model.Alternative, _model.ThreePoint
    out: _Out = []
    _code(out, "code", o.code)
    _text(out, "name", o.name, limits.NAME_LENGTH)
    _timezone(out, "timezone", o.timezone, required=True)
    _codes(out, "systems", o.systems, "system")
    for name in ("booking_days", "issue_days", "collect_days"):
        if not isinstance(getattr(o, name), ThreePoint):
            _wrong(out, name, "working days")
    _in(out, "daily_capacity", o.daily_capacity, limits.DAILY_CAPACITY, whole=False)
    if o.daily_intake is not None:
        _in(out, "daily_intake", o.daily_intake, limits.DAILY_INTAKE, whole=False)
    for i, day in enumerate(o.closures):
        _date(out, f"closures[{i}]", day, required=True)
    seen: dict[str, int] = {}
    for i, alt in enumerate(o.alternatives):
        code = getattr(alt, "office", None)
        if not isinstance(alt, Alternative):
            _wrong(out, f"alternatives[{i}]", "an alternative office")
            continue
        if not isinstance(code, str):
            continue
        where = f"alternatives[{i}].office"
        if code == o.code:
            _add(
                out, where, Code.OWN_ALTERNATIVE,
                f"office {code!r} cannot be its own alternative", value=code,
            )  # fmt: skip
        first = seen.setdefault(code, i)
        if first != i:
            _add(
                out, where, Code.DUPLICATE,
                f"alternative {code!r} is listed twice (first at alternatives[{first}])",
                value=code, first=f"alternatives[{first}]",
            )  # fmt: skip
    _boolean(out, "express", o.express)
    return out


def check_disruption(d: Disruption) -> list[Finding]:
    out: _Out = []
    _code(out, "id", d.id)
    DisruptionKind, Recovery, Stops = _model.DisruptionKind, _model.Recovery, _model.Stops
    _codes(out, "offices", d.offices, "office")
    _codes(out, "systems", d.systems, "system")
    if not d.offices and not d.systems:
        _add(out, "", Code.NO_TARGET, "needs 'offices' or 'systems' (at least one code)")
    _choice(out, "stops", d.stops, Stops, optional=False)
    _in(out, "capacity_factor", d.capacity_factor, limits.CAPACITY_FACTOR, whole=False)
    _date(out, "start", d.start, required=True)
    start = d.start if isinstance(d.start, dt.date) else None
    r = d.recovery
    if r is not None and not isinstance(r, Recovery):
        _wrong(out, "recovery", "a recovery estimate")
    elif r is not None and start is not None and r.low < start:
        _before(
            out, "recovery.low", r.low, "start", start,
            f"low {r.low} is before the disruption's start {start}",
        )  # fmt: skip
    _date(out, "reported", d.reported)
    _date(out, "ended", d.ended)
    ended = d.ended
    if isinstance(ended, dt.date) and start is not None and ended < start:
        _before(out, "ended", ended, "start", start, f"ended {ended} is before start {start}")
    _text(out, "note", d.note, limits.NOTE_LENGTH, multiline=True)
    _choice(out, "kind", d.kind, DisruptionKind, optional=True)
    return out


def check_passport(p: Passport) -> list[Finding]:
    number, name, expires = p.number, p.name, p.expires
    if (
        type(number) is str
        and _PASSPORT.fullmatch(number) is not None
        and type(name) is str
        and 0 < len(name) <= _NAME_LENGTH
        and name.isprintable()
        and not name.isspace()
        and type(expires) is dt.date
        and _DATE_LOW <= expires <= _DATE_HIGH
    ):
        return []
    return _passport_rules(p)


def _passport_rules(p: Passport) -> list[Finding]:
    out: _Out = []
    _passport_number(out, "number", p.number)
    _text(out, "name", p.name, limits.NAME_LENGTH, required=True)
    _date(out, "expires", p.expires, required=True)
    return out


STAGE_ORDER: tuple[str, ...] = ("booked", "recorded", "paid", "issued", "collected")
"""The stage fields of an application, in the order they happen (``recorded`` and ``paid``
in either order)."""


def check_application(a: Application) -> list[Finding]:
    """The office, every stage date in range, and the stages in an order that can happen."""
    office, booked, recorded, paid, issued, collected = (
        a.office, a.booked, a.recorded, a.paid, a.issued, a.collected
    )  # fmt: skip
    # The common case as one yes/no (read 100,000 times a season); _application_rules
    # says what is wrong otherwise. A test checks the two agree.
    if (
        type(office) is str
        and 0 < len(office) <= _ID_LENGTH
        and office.isprintable()
        and not office.isspace()
        and (booked is None or (type(booked) is dt.date and _DATE_LOW <= booked <= _DATE_HIGH))
        and (
            recorded is None
            or (
                type(recorded) is dt.date
                and _DATE_LOW <= recorded <= _DATE_HIGH
                and (booked is None or booked <= recorded)
            )
        )
        and (paid is None or (type(paid) is dt.date and _DATE_LOW <= paid <= _DATE_HIGH))
        and issued is None
        and collected is None
        and (a.express is False or a.express is True)
    ):
        return []
    return _application_rules(a)


def _application_rules(a: Application) -> list[Finding]:
    out: _Out = []
    _code(out, "office", a.office)
    booked, recorded, paid, issued, collected = a.booked, a.recorded, a.paid, a.issued, a.collected
    for name, value in (
        ("booked", booked), ("recorded", recorded), ("paid", paid),
        ("issued", issued), ("collected", collected),
    ):  # fmt: skip
        if value is not None:
            _date(out, name, value)
    _boolean(out, "express", a.express)
    if out:
        return out
    service = None if recorded is None or paid is None else max(recorded, paid)
    if recorded is not None and booked is not None and recorded < booked:
        _before(
            out, "recorded", recorded, "booked", booked,
            f"recorded {recorded} is before booked {booked}",
        )  # fmt: skip
    elif issued is not None and service is not None and issued < service:
        _before(
            out, "issued", issued, "recorded/paid", service,
            f"issued {issued} is before recorded/paid {service}",
        )  # fmt: skip
    elif collected is not None and issued is not None and collected < issued:
        _before(
            out, "collected", collected, "issued", issued,
            f"collected {collected} is before issued {issued}",
        )  # fmt: skip
    elif issued is not None and service is None:
        _add(
            out, "issued", Code.NEEDS, "issued needs both recorded and paid dates",
            needs="recorded, paid",
        )  # fmt: skip
    elif collected is not None and issued is None:
        _add(out, "collected", Code.NEEDS, "collected needs an issued date", needs="issued")
    return out


def check_member(m: Member) -> list[Finding]:
    """Who the traveller is; the passport and application are checked as records of their own."""
    ident, name, phone, nik = m.id, m.name, m.phone, m.nik
    contacted, follow_up = m.contacted, m.follow_up
    passport, application = m.passport, m.application
    # The common case as one yes/no (read 100,000 times a season); _member_rules says
    # what is wrong otherwise. A test checks the two agree.
    if (
        type(ident) is str
        and 0 < len(ident) <= _ID_LENGTH
        and ident.isprintable()
        and not ident.isspace()
        and type(name) is str
        and 0 < len(name) <= _NAME_LENGTH
        and name.isprintable()
        and not name.isspace()
        and (
            phone is None
            or (type(phone) is str and len(phone) <= _PHONE_LENGTH and phone.isprintable())
        )
        and (nik is None or (type(nik) is str and _NIK.fullmatch(nik) is not None))
        and (passport is None or type(passport) is _model.Passport)
        and (application is None or type(application) is _model.Application)
        and (
            contacted is None
            or (type(contacted) is dt.date and _DATE_LOW <= contacted <= _DATE_HIGH)
        )
        and (
            follow_up is None
            or (
                type(follow_up) is dt.date
                and _DATE_LOW <= follow_up <= _DATE_HIGH
                and (contacted is None or contacted <= follow_up)
            )
        )
        and (m.title is None or type(m.title) is _model.Title)
        and m.notes == ""
    ):
        return []
    return _member_rules(m)


def _member_rules(m: Member) -> list[Finding]:
    Application, Passport, Title = _model.Application, _model.Passport, _model.Title
    out: _Out = []
    _code(out, "id", m.id)
    _text(out, "name", m.name, limits.NAME_LENGTH, required=True)
    if m.phone is not None:
        _phone(out, "phone", m.phone)
    if m.nik is not None:
        _nik(out, "nik", m.nik)
    if m.passport is not None and not isinstance(m.passport, Passport):
        _wrong(out, "passport", "a passport")
    if m.application is not None and not isinstance(m.application, Application):
        _wrong(out, "application", "an application")
    contacted, follow_up = m.contacted, m.follow_up
    if contacted is not None:
        _date(out, "contacted", contacted)
    if follow_up is not None:
        _date(out, "follow_up", follow_up)
        if (
            contacted is not None
            and type(contacted) is dt.date
            and type(follow_up) is dt.date
            and follow_up < contacted
        ):
            _before(
                out, "follow_up", follow_up, "contacted", contacted,
                f"follow_up {follow_up} is before contacted {contacted}",
            )  # fmt: skip
    _choice(out, "title", m.title, Title, optional=True)
    if m.notes:
        _text(out, "notes", m.notes, limits.NOTE_LENGTH, multiline=True)
    elif m.notes != "":
        _wrong(out, "notes", "a string")
    return out


def check_group(g: Group) -> list[Finding]:
    out: _Out = []
    _code(out, "id", g.id)
    _text(out, "name", g.name, limits.NAME_LENGTH)
    _code(out, "office", g.office)
    departure = g.departure
    if departure is None:
        _add(out, "departure", Code.REQUIRED, "required field is missing")
    elif not isinstance(departure, dt.datetime):
        _wrong(out, "departure", "a date-time such as '2018-05-16T09:00:00+08:00'")
    elif departure.tzinfo is None or departure.utcoffset() is None:
        _add(
            out, "departure", Code.NO_UTC_OFFSET,
            "needs a UTC offset, e.g. 2018-05-16T09:00:00+08:00",
        )  # fmt: skip
    else:
        _date(out, "departure", departure.date())
    _timezone(out, "timezone", g.timezone, required=False)
    _in(out, "visa_lead_days", g.visa_lead_days, limits.VISA_LEAD_DAYS, whole=True)
    if g.capacity is not None:
        _in(out, "capacity", g.capacity, limits.GROUP_CAPACITY, whole=True)
    members = g.members
    if len(members) > 1 and len({getattr(m, "id", None) for m in members}) != len(members):
        first: dict[str, int] = {}
        for i, m in enumerate(g.members):
            member_id = getattr(m, "id", None)
            if not isinstance(member_id, str):
                continue
            j = first.setdefault(member_id, i)
            if j != i:
                _add(
                    out, f"members[{i}].id", Code.DUPLICATE,
                    f"duplicate id {member_id!r} (first at members[{j}].id)",
                    value=member_id, first=f"members[{j}].id",
                )  # fmt: skip
    return out


def check_background_rate(b: BackgroundRate) -> list[Finding]:
    out: _Out = []
    _in(out, "office", b.office, limits.BACKGROUND_RATE, whole=False)
    _in(out, "system", b.system, limits.BACKGROUND_RATE, whole=False)
    return out


def check_rules(r: Rules) -> list[Finding]:
    out: _Out = []
    _in(out, "min_validity_months", r.min_validity_months, limits.MIN_VALIDITY_MONTHS, whole=True)
    _in(out, "min_name_words", r.min_name_words, limits.MIN_NAME_WORDS, whole=True)
    _in(out, "target_probability", r.target_probability, limits.TARGET_PROBABILITY, whole=False)
    for name in ("cuti_bersama_closes", "outside_view", "recovery_ramp"):
        _boolean(out, name, getattr(r, name))
    if r.service_tail is not None:
        _in(out, "service_tail", r.service_tail, limits.SERVICE_TAIL, whole=False)
    _in(out, "point_value", r.point_value, limits.POINT_VALUE, whole=True)
    return out


def check_agency(a: Agency) -> list[Finding]:
    out: _Out = []
    _text(out, "name", a.name, limits.NAME_LENGTH)
    _text(out, "contact", a.contact, limits.NAME_LENGTH)
    if a.phone:
        _phone(out, "phone", a.phone)
    elif a.phone != "":
        _wrong(out, "phone", "a string")
    return out


# -- records not built yet (forms) -----------------------------------------------------------

_CHECKERS: dict[str, Callable[[Any], list[Finding]]] = {
    "ThreePoint": check_three_point,
    "Recovery": check_recovery,
    "System": check_system,
    "Alternative": check_alternative,
    "Office": check_office,
    "Disruption": check_disruption,
    "Passport": check_passport,
    "Application": check_application,
    "Member": check_member,
    "Group": check_group,
    "BackgroundRate": check_background_rate,
    "Rules": check_rules,
    "Agency": check_agency,
}


def findings(kind: type[Any], /, **fields: object) -> list[Finding]:
    """Every rule ``kind(**fields)`` would break, without building it (for forms).

    Fields left out take the model's defaults. Nested records (a member's
    ``passport``) must be built already: they are checked when they are.

    >>> from grouppass.model import Office
    >>> [(f.field, f.code.value) for f in findings(Office, code="MTR", name="Mataram",
    ...     timezone="WITA", daily_capacity=0)]
    [('timezone', 'timezone'), ('daily_capacity', 'out_of_range')]
    """
    checker = _CHECKERS[kind.__name__]
    draft = object.__new__(kind)
    out: _Out = []
    for f in attrs.fields(kind):
        if f.name in fields:
            value = fields[f.name]
        elif f.default is attrs.NOTHING:
            value = None
        elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]
            value = f.default.factory()
        else:
            value = f.default
        if f.converter is not None and value is not None:
            try:
                value = f.converter(value)
            except (TypeError, ValueError):
                _wrong(out, f.name, "a number" if f.converter is float else "a list")
                continue
        object.__setattr__(draft, f.name, value)
    unknown = sorted(set(fields) - {f.name for f in attrs.fields(kind)})
    if unknown:
        raise TypeError(f"{kind.__name__} has no field {unknown[0]!r}")
    if out:
        return out
    return checker(draft)


# Last, so that grouppass.model (which imports this module first) can be imported
# from here: the checkers look its classes up when they run, never at import.
import grouppass.model as _model  # noqa: E402
