"""Groups and the agency: the forms that start a season, and the helpers that save them.

A group is its own fields (name, office, departure, time zone, visa lead,
seats); its members come from a manifest import or the member form. The
agency (name, contact, phone) signs every notice.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from attrs import evolve
from textual.widget import Widget

from grouppass.dates import parse_time
from grouppass.model import Agency, Group, Scenario
from grouppass.notices import e164
from grouppass_tui.changes import RemoveGroup, SaveAgency, SaveGroup
from grouppass_tui.dates import long_date
from grouppass_tui.i18n import plural, t
from grouppass_tui.screens.form_base import FormError, FormScreen
from grouppass_tui.widgets.form import DateField, NumberField, SelectField, TextField

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = [
    "ZONES",
    "AgencyForm",
    "GroupForm",
    "edit_agency",
    "edit_group",
    "new_group_id",
    "remove_group",
]

ZONES: tuple[tuple[str, str], ...] = (
    ("WIB", "Asia/Jakarta"),
    ("WITA", "Asia/Makassar"),
    ("WIT", "Asia/Jayapura"),
)
"""Indonesia's three time zones, as organisers name them."""

FAR_AHEAD = dt.timedelta(days=2 * 365)
"""A departure further than this from the figures' day is probably a typo (2081 for 2018)."""


def new_group_id(name: str, scenario: Scenario) -> str:
    """A readable id from the name ("umrah-ramadan-1439"), unique in the agency."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "group"
    taken = {g.id for g in scenario.groups}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _check_time(raw: str) -> dt.time:
    try:
        return parse_time(raw)
    except ValueError:
        raise ValueError(t("form.bad_time", text=raw)) from None


def _check_phone(raw: str) -> str:
    if e164(raw) is None:
        raise ValueError(t("form.phone_unreadable"))
    return raw


class GroupForm(FormScreen[Group]):
    """Add or edit a group's own fields."""

    def __init__(
        self,
        scenario: Scenario,
        group: Group | None,
        as_of: dt.date,
        initial: Group | None = None,
    ) -> None:
        self.scenario = scenario
        self.group = group
        """The group as stored (None when adding)."""
        self.initial = initial or group
        self.reopened = initial is not None and initial != group
        self.as_of = as_of
        self.title_text = (
            t("group_form.edit_title", name=group.name) if group else t("group_form.add_title")
        )
        super().__init__()

    def _warn_departure(self, day: dt.date) -> str | None:
        if day > self.as_of + FAR_AHEAD:
            return t("form.departure_far", date=long_date(self.as_of))
        if day < self.as_of:
            return t("form.departure_past", date=long_date(self.as_of))
        return None

    def form_fields(self) -> Iterable[Widget]:
        g = self.initial
        yield TextField("name", t("field.group_name"), g.name if g else "", required=True)
        offices = [(f"{o.code} · {o.name}", o.code) for o in self.scenario.offices]
        office = g.office if g else (offices[0][1] if offices else None)
        yield SelectField("office", t("field.group_office"), offices or [("–", None)], office)
        zone = g.timezone if g and g.timezone else self._zone_of(office)
        when = g.departure.astimezone(ZoneInfo(zone)) if g else None
        yield DateField(
            "departure",
            t("field.departure"),
            when.date() if when else None,
            required=True,
            warn=self._warn_departure,
        )
        yield TextField(
            "time",
            t("field.departure_time"),
            f"{when:%H:%M}" if when else "09:00",
            check=_check_time,
            required=True,
            placeholder="09:00",
        )
        yield SelectField(
            "timezone", t("field.timezone"), [(f"{n} · {z}", z) for n, z in ZONES], zone
        )
        yield NumberField(
            "visa_lead",
            t("field.visa_lead_days"),
            g.visa_lead_days if g else 21,
            minimum=0,
            maximum=180,
            integer=True,
            required=True,
        )
        yield NumberField(
            "capacity",
            t("field.group_capacity"),
            g.capacity if g and g.capacity else None,
            minimum=1,
            maximum=1000,
            integer=True,
        )

    def _zone_of(self, office: str | None) -> str:
        try:
            zone = self.scenario.office(office or "").timezone
        except KeyError:
            return "Asia/Makassar"
        return zone if zone in {z for _, z in ZONES} else "Asia/Makassar"

    def build(self) -> Group:
        v: dict[str, Any] = {f.field_id: f.value for f in self.fields()}
        if v["office"] is None:
            raise FormError(t("form.no_offices"), "office")
        zone = ZoneInfo(v["timezone"])
        departure = dt.datetime.combine(v["departure"], v["time"], tzinfo=zone)
        ident = self.group.id if self.group else new_group_id(v["name"], self.scenario)
        members = self.group.members if self.group else ()
        return Group(
            id=ident,
            name=v["name"],
            office=v["office"],
            departure=departure,
            visa_lead_days=int(v["visa_lead"]),
            members=members,
            timezone=v["timezone"],
            capacity=None if v["capacity"] is None else int(v["capacity"]),
        )


class AgencyForm(FormScreen[Agency]):
    """The agency's name, contact person and phone: they sign every notice."""

    def __init__(self, agency: Agency | None) -> None:
        self.agency = agency
        self.title_text = t("agency_form.title")
        super().__init__()

    def form_fields(self) -> Iterable[Widget]:
        a = self.agency
        yield TextField("name", t("field.agency_name"), a.name if a else "", required=True)
        yield TextField("contact", t("field.agency_contact"), a.contact if a else "")
        yield TextField(
            "phone",
            t("field.agency_phone"),
            a.phone if a else "",
            check=_check_phone,
            placeholder="0370 123456",
        )

    def build(self) -> Agency:
        v: dict[str, Any] = {f.field_id: f.value for f in self.fields()}
        return Agency(name=v["name"], contact=v["contact"] or "", phone=v["phone"] or "")


def edit_group(
    app: GrouppassApp,
    group: Group | None,
    initial: Group | None = None,
    then: Callable[[Group], None] | None = None,
) -> None:
    """Open the group form; save a new or changed group (``then`` gets it once queued)."""

    def done(result: Group | None) -> None:
        if result is None:
            return
        if group is None or evolve(result, members=()) != evolve(group, members=()):
            note = f"edit group {result.id}" if group else f"add group {result.id}"
            app.save(SaveGroup(evolve(result, members=()), group, note=note))
        if then is not None:
            then(result)

    app.push_screen(GroupForm(app.scenario, group, app.as_of, initial), done)


def remove_group(app: GrouppassApp, group: Group) -> None:
    """Ask, then remove the group and its members (the audit log keeps them)."""
    from grouppass_tui.screens.dialogs import ConfirmScreen

    def answered(yes: bool | None) -> None:
        if yes:
            app.save(RemoveGroup(group, note=f"remove group {group.id}"))

    app.push_screen(
        ConfirmScreen(
            t("remove_group.title"),
            t(
                "remove_group.body",
                name=group.name,
                members=plural("members.n", len(group.members)),
            ),
            yes=t("remove.yes"),
            no=t("dialog.cancel"),
            danger=True,
        ),
        answered,
    )


def edit_agency(app: GrouppassApp, then: Callable[[], None] | None = None) -> None:
    """Open the agency form and save what changed."""
    current = app.scenario.agency

    def done(result: Agency | None) -> None:
        if result is not None and result != current:
            app.save(SaveAgency(result, current, note="agency details"))
        if then is not None:
            then()

    app.push_screen(AgencyForm(current), done)
