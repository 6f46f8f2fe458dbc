"""Matching incoming travellers to a group's members, and the members that result.

Re-importing a manifest updates rather than duplicates: a row is the member
with the same ``id`` (when the row has one), else the same passport number,
else the same name and phone number. A row whose id is new is someone new, and
a passport number is one traveller's: a row that gives another member's number
is refused rather than read as either of them. Columns the file does not have
leave the member's values alone; an empty cell in a column it has clears the value.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
from attrs import frozen

from grouppass.errors import LocatedProblem, ScenarioError
from grouppass.formats import structure_member, unstructure_member
from grouppass.manifest._errors import problem
from grouppass.manifest.columns import JSON_PATH, Field
from grouppass.manifest.rows import Columns, Incoming
from grouppass.model import Group, Member
from grouppass.pii import is_masked, mask_number

__all__ = ["Matcher", "Planned", "plan_members", "plan_rows"]

_PASSPORT = {
    Field.PASSPORT: "number",
    Field.PASSPORT_NAME: "name",
    Field.PASSPORT_EXPIRES: "expires",
}
_APPLICATION = {
    Field.OFFICE: "office",
    Field.BOOKED: "booked",
    Field.RECORDED: "recorded",
    Field.PAID: "paid",
    Field.ISSUED: "issued",
    Field.COLLECTED: "collected",
}
_TOP = {
    Field.PHONE: "phone",
    Field.TITLE: "title",
    Field.CONTACTED: "contacted",
    Field.FOLLOW_UP: "follow_up",
    Field.NOTES: "notes",
}
_FIELD_BY_PATH = {path: field for field, path in JSON_PATH.items()}


@frozen
class Planned:
    """A member to save, from one row (or one member of a scenario file)."""

    row: int | None
    member: Member
    existing: Member | None


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def phone_key(phone: str) -> str:
    """Digits only, with +62/62 read as the 0 Indonesians write: 0812... = +62 812..."""
    digits = re.sub(r"\D", "", phone)
    return "0" + digits[2:] if digits.startswith("62") else digits


class Matcher:
    """Finds the member a row stands for, and remembers which row claimed whom."""

    def __init__(self, members: Iterable[Member]) -> None:
        self._by_id: dict[str, Member] = {}
        self._by_passport: dict[str, Member] = {}
        self._by_name_phone: dict[tuple[str, str], list[Member]] = {}
        self.claimed: dict[str, int | None] = {}
        """Member id -> the row that matched or added it."""
        for m in members:
            self.add(m)

    def add(self, m: Member) -> None:
        self._by_id[m.id] = m
        if m.passport is not None:
            self._by_passport.setdefault(m.passport.number.upper(), m)
        key = (name_key(m.name), phone_key(m.phone or ""))
        self._by_name_phone.setdefault(key, []).append(m)

    def taken(self, member_id: str) -> bool:
        return member_id in self._by_id

    def holder(self, passport: str | None) -> Member | None:
        """The member who has this passport number, if any (a masked one is nobody's)."""
        if not passport or is_masked(passport):
            return None
        return self._by_passport.get(passport.upper())

    def find(
        self,
        member_id: str | None,
        passport: str | None,
        name: str | None,
        phone: str | None,
        *,
        id_decides: bool = True,
    ) -> tuple[Member | None, str]:
        """The member and how it was matched ("id", "passport", "name and phone").

        A manifest row's id is what the file says the row is (``id_decides``): a new
        one is a new traveller, never someone else matched by a name they may share.
        A scenario file's members all have ids, from whichever system wrote it, so
        there a new id still falls back to the passport number and the name.
        """
        if member_id and member_id in self._by_id:
            return self._by_id[member_id], "id"
        if member_id and id_decides:
            return None, ""
        if passport and not is_masked(passport) and passport.upper() in self._by_passport:
            return self._by_passport[passport.upper()], "passport number"
        if not name:
            return None, ""
        phone = phone_key(phone or "")
        found = self._by_name_phone.get((name_key(name), phone), [])
        if phone:
            return (found[0], "name and phone") if found else (None, "")
        # No phone on either side: matched by name alone (many elderly pilgrims
        # have none). Two such people may share a name, so rows pair with them
        # in order, and a row left over is someone new.
        for m in found:
            if m.id not in self.claimed:
                return m, "name"
        return None, ""


class _Ids:
    """New member ids for rows without one: J001, J002... (J for jamaah), never a taken one."""

    def __init__(self, matcher: Matcher) -> None:
        self._matcher = matcher
        self._n = 0

    def new(self) -> str:
        while True:
            self._n += 1
            candidate = f"J{self._n:03d}"
            if not self._matcher.taken(candidate):
                return candidate


def _set(d: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        d.pop(key, None)
    elif isinstance(value, enum.Enum):
        d[key] = value.value
    else:
        d[key] = value.isoformat() if hasattr(value, "isoformat") else value


def _merge(
    base: dict[str, Any], values: dict[Field, Any], existing: Member | None, group: Group
) -> list[tuple[Field, str]]:
    """Write the row's values into ``base`` (a member's JSON); returns (field, problem) pairs."""
    problems: list[tuple[Field, str]] = []
    if values.get(Field.NAME) is not None:
        base["name"] = values[Field.NAME]
    for field, key in _TOP.items():
        if field in values:
            _set(base, key, values[field])
    old_phone, new_phone = existing.phone if existing else None, values.get(Field.PHONE)
    if old_phone and new_phone and phone_key(old_phone) == phone_key(new_phone):
        base["phone"] = old_phone  # the same number written another way is no change
    if Field.NIK in values:
        nik = values[Field.NIK]
        if nik is not None and is_masked(nik):
            if not (existing and existing.nik and mask_number(existing.nik) == nik):
                problems.append((Field.NIK, "masked; give the full NIK (export with --show-pii)"))
        else:
            _set(base, "nik", nik)
    if any(f in values for f in _PASSPORT):
        p = dict(base.get("passport") or {})
        for field, key in _PASSPORT.items():
            if field in values:
                _set(p, key, values[field])
        number = values.get(Field.PASSPORT)
        if number is not None and is_masked(number):
            old = existing.passport if existing else None
            if old is not None and mask_number(old.number) == number:
                p["number"] = old.number
            else:
                message = "masked; give the full passport number (export with --show-pii)"
                problems.append((Field.PASSPORT, message))
        if not p:
            base.pop("passport", None)
        else:
            p.setdefault("name", base.get("name"))
            if "number" not in p:
                problems.append((Field.PASSPORT, "needed: the passport has other details"))
            if "expires" not in p:
                problems.append((Field.PASSPORT_EXPIRES, "needed with the passport number"))
            base["passport"] = p
    if any(f in values for f in _APPLICATION):
        a = dict(base.get("application") or {})
        for field, key in _APPLICATION.items():
            if field in values:
                _set(a, key, values[field])
        if not a:
            base.pop("application", None)
        else:
            a.setdefault("office", group.office)
            base["application"] = a
    return problems


def _column(columns: Columns | None, field: Field) -> str:
    if columns is not None and field in columns.header:
        return columns.header[field]
    return field.value


def _field_of(path: str) -> Field | None:
    """The column a problem at ``path`` in a member's JSON belongs to."""
    if path in _FIELD_BY_PATH:
        return _FIELD_BY_PATH[path]
    return {"passport": Field.PASSPORT, "application": Field.OFFICE}.get(path.split(".", 1)[0])


def _has(member: Member | None, holder: Member) -> bool:
    """Does ``member`` already have ``holder``'s passport number (two kept with one)?"""
    mine, theirs = member.passport if member else None, holder.passport
    return mine is not None and theirs is not None and mine.number.upper() == theirs.number.upper()


def plan_rows(
    incoming: Sequence[Incoming], columns: Columns, group: Group, source: str
) -> tuple[list[Planned], list[LocatedProblem]]:
    """The member each good row becomes; rows that still have a problem are left out."""
    matcher = Matcher(group.members)
    ids = _Ids(matcher)
    plans: list[Planned] = []
    problems: list[LocatedProblem] = []
    for row in incoming:
        v = row.values
        existing, how = matcher.find(
            v.get(Field.ID), v.get(Field.PASSPORT), v.get(Field.NAME), v.get(Field.PHONE)
        )
        if existing is not None and existing.id in matcher.claimed:
            first = matcher.claimed[existing.id]
            message = f"the same traveller as row {first} (same {how})"
            field = {"id": Field.ID, "passport number": Field.PASSPORT}.get(how, Field.NAME)
            problems.append(problem(source, row.row, _column(columns, field), message))
            continue
        holder = matcher.holder(v.get(Field.PASSPORT))
        if holder is not None and holder is not existing and not _has(existing, holder):
            # A typo in a passport or id column must not rewrite another
            # traveller, nor give two travellers one passport.
            said = f"id {v[Field.ID]}" if v.get(Field.ID) else "this row"
            message = (
                f"the passport number of {holder.id} ({holder.name}), but {said} is not"
                f" {holder.id}: correct the number, or give id {holder.id} to update them"
            )
            problems.append(problem(source, row.row, _column(columns, Field.PASSPORT), message))
            continue
        if existing is not None:
            base = unstructure_member(existing)
        else:
            base = {"id": v.get(Field.ID) or ids.new()}
        found: list[tuple[Field | None, str]] = list(_merge(base, v, existing, group))
        member: Member | None = None
        if not found:
            try:
                member = structure_member(base)
            except ScenarioError as exc:
                found = [(_field_of(p.path), p.message) for p in exc.problems]
        if member is None:
            problems.extend(
                problem(source, row.row, _column(columns, f) if f else "", m) for f, m in found
            )
            continue
        matcher.claimed[member.id] = row.row
        if existing is None:
            matcher.add(member)
        plans.append(Planned(row.row, member, existing))
    return plans, problems


def plan_members(
    members: Sequence[Member], group: Group, source: str
) -> tuple[list[Planned], list[LocatedProblem]]:
    """The same matching for the members of a scenario file: each replaces its match whole."""
    matcher = Matcher(group.members)
    plans: list[Planned] = []
    problems: list[LocatedProblem] = []
    for i, incoming in enumerate(members):
        where = f"members[{i}]"
        passport = incoming.passport
        number = passport.number if passport else None
        existing, how = matcher.find(
            incoming.id, number, incoming.name, incoming.phone, id_decides=False
        )
        if existing is not None and existing.id in matcher.claimed:
            message = f"the same traveller as members[{matcher.claimed[existing.id]}] ({how})"
            problems.append(problem(source, None, where, message))
            continue
        member = incoming if existing is None else attrs.evolve(incoming, id=existing.id)
        if passport is not None and is_masked(passport.number):
            old = existing.passport if existing else None
            if old is None or mask_number(old.number) != passport.number:
                message = "masked; give the full passport number"
                problems.append(problem(source, None, f"{where}.passport.number", message))
                continue
            member = attrs.evolve(member, passport=attrs.evolve(passport, number=old.number))
        if member.nik is not None and is_masked(member.nik):
            if not (existing and existing.nik and mask_number(existing.nik) == member.nik):
                problems.append(problem(source, None, f"{where}.nik", "masked; give the full NIK"))
                continue
            member = attrs.evolve(member, nik=existing.nik)
        matcher.claimed[member.id] = i
        if existing is None:
            matcher.add(member)
        plans.append(Planned(None, member, existing))
    return plans, problems
