"""Member forms (add/edit, record a stage, contact) and the helpers that open and save them.

Each helper opens a form, turns its result into a change carrying the
store version the organiser started from, and hands it to ``app.save``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
from attrs import evolve
from textual import on
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Select

from grouppass.model import STAGE_FIELDS, Application, Member, Passport, Scenario, Title
from grouppass.validate import InvalidRecord
from grouppass_tui.changes import (
    Change,
    RemoveGroup,
    RemoveMember,
    SaveAgency,
    SaveDisruption,
    SaveGroup,
    SaveMember,
    SaveOffice,
)
from grouppass_tui.dates import long_date
from grouppass_tui.i18n import t
from grouppass_tui.screens.form_base import FormError, FormScreen
from grouppass_tui.widgets.form import DateField, SelectField, TextField

if TYPE_CHECKING:
    from grouppass_tui.app import GrouppassApp

__all__ = [
    "ContactForm",
    "MemberForm",
    "StageForm",
    "edit_member",
    "mark_contact",
    "record_stage",
    "reopen_change",
]

R = TypeVar("R")

_STAGE_FIELDS = STAGE_FIELDS
_PASSPORT_FORM = re.compile(r"^[A-Z]\d{7}$")


def _check_phone(raw: str) -> str:
    if not re.fullmatch(r"[+\d][\d\s().-]*", raw):
        raise ValueError(t("form.phone_chars"))
    if len(re.sub(r"\D", "", raw)) < 8:
        raise ValueError(t("form.phone_short"))
    return raw


def _check_nik(raw: str) -> str:
    digits = raw.replace(" ", "")
    if not digits.isdigit() or len(digits) != 16:
        raise ValueError(t("form.nik"))
    return digits


def _warn_passport(raw: str) -> str | None:
    # Loose on purpose (FACTS.md): warn about an unusual form, never refuse it.
    return None if _PASSPORT_FORM.match(raw.upper()) else t("form.passport_form")


def new_member_id(name: str, scenario: Scenario) -> str:
    """A readable id from the name ("muhammad-nashif"), unique in the agency."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40] or "member"
    taken = {m.id for _, m in scenario.members()}
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


class MemberForm(FormScreen[Member]):
    """Add or edit a member: who they are, their passport and their application."""

    SAVES_AT_ONCE = True  # edit_member: _save_member

    def __init__(
        self,
        scenario: Scenario,
        group_id: str,
        member: Member | None,
        initial: Member | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        self.scenario = scenario
        self.group_id = group_id
        self.member = member
        """The member as stored (None when adding)."""
        self.as_of = as_of or dt.date.max
        self.initial = initial or member
        self.reopened = initial is not None and initial != member
        """What the fields start with: the stored member, or an edit being re-opened."""
        self.title_text = t("member_form.edit_title") if member else t("member_form.add_title")
        super().__init__()

    def form_fields(self) -> Iterable[Widget]:
        m = self.initial
        passport = m.passport if m else None
        app = m.application if m else None
        yield TextField("name", t("field.name"), m.name if m else "", required=True)
        yield SelectField(
            "title",
            t("field.title"),
            [(t("title.none"), None), (t("title.bapak"), Title.BAPAK), (t("title.ibu"), Title.IBU)],
            m.title if m else None,
        )
        yield TextField(
            "phone",
            t("field.phone"),
            (m.phone or "") if m else "",
            check=_check_phone,
            placeholder="+62…",
        )
        yield TextField("nik", t("field.nik"), (m.nik or "") if m else "", check=_check_nik)
        yield TextField(
            "passport_number",
            t("field.passport_number"),
            passport.number if passport else "",
            check=lambda s: s.upper(),
            warn=_warn_passport,
        )
        yield TextField(
            "passport_name", t("field.passport_name"), passport.name if passport else ""
        )
        yield DateField(
            "passport_expires", t("field.passport_expires"), passport.expires if passport else None
        )
        offices = [(t("field.no_application"), None)] + [
            (f"{o.code} · {o.name}", o.code) for o in self.scenario.offices
        ]
        yield SelectField(
            "office",
            t("field.application_office"),
            offices,
            # A new member usually applies at the group's office; an existing one
            # without an application keeps "none" until the organiser says otherwise.
            app.office if app else (None if m else self.scenario.group(self.group_id).office),
        )
        for name in _STAGE_FIELDS:
            yield DateField(
                name,
                t(f"timeline.{name}"),
                getattr(app, name) if app else None,
                warn=self._after_as_of(name),
            )
        yield DateField("contacted", t("field.contacted"), m.contacted if m else None)
        yield DateField("follow_up", t("field.follow_up"), m.follow_up if m else None)
        yield TextField("notes", t("field.notes"), m.notes if m else "")

    def _after_as_of(self, stage: str) -> Callable[[dt.date], str | None]:
        return lambda day: stage_date_warning(stage, day, self.as_of)

    def build(self) -> Member:
        values: dict[str, Any] = {f.field_id: f.value for f in self.fields()}
        number, pname, expires = (
            values["passport_number"],
            values["passport_name"],
            values["passport_expires"],
        )
        passport = None
        if number or pname or expires:
            for key, value in (
                ("passport_number", number),
                ("passport_name", pname),
                ("passport_expires", expires),
            ):
                if not value:
                    raise FormError(t("form.passport_incomplete"), key)
            passport = Passport(number=number, name=pname, expires=expires)
        dates = {name: values[name] for name in _STAGE_FIELDS}
        application = None
        if values["office"] is None:
            if any(dates.values()):
                raise FormError(t("form.dates_need_office"), "office")
        else:
            try:
                application = Application(office=values["office"], **dates)
            except ValueError as error:
                raise _application_error(error) from None
        if (
            values["follow_up"]
            and values["contacted"]
            and values["follow_up"] < values["contacted"]
        ):
            raise FormError(t("form.follow_up_before_contact"), "follow_up")
        member_id = self.member.id if self.member else new_member_id(values["name"], self.scenario)
        return Member(
            id=member_id,
            name=values["name"],
            phone=values["phone"],
            nik=values["nik"],
            passport=passport,
            application=application,
            contacted=values["contacted"],
            follow_up=values["follow_up"],
            title=values["title"],
            notes=values["notes"] or "",
        )


def stage_date_warning(stage: str, day: dt.date, as_of: dt.date) -> str | None:
    """Why a stage dated after the figures' day does not count yet (an appointment may be ahead)."""
    if stage == "booked" or day <= as_of:
        return None
    return t("form.after_as_of_warning", date=long_date(as_of))


def _application_error(error: ValueError) -> FormError:
    """A model order error ("issued 2018-03-01 is before ...") in the UI language.

    The model decides what is out of order and names the field in its findings
    (grouppass.validate), which is all the UI needs to say it in words it can translate.
    """
    findings = error.findings if isinstance(error, InvalidRecord) else ()
    field = next((f.field for f in findings if f.field in _STAGE_FIELDS), None)
    return FormError(t(f"order.{field}") if field else str(error), field)


class StageForm(FormScreen[Member]):
    """Record that a stage happened (or an appointment was booked) on a date."""

    SAVES_AT_ONCE = True  # record_stage: _save_member

    def __init__(
        self,
        scenario: Scenario,
        group_id: str,
        member: Member,
        as_of: dt.date,
        initial: Member | None = None,
    ) -> None:
        self.scenario = scenario
        self.group_id = group_id
        self.member = member
        self.as_of = as_of
        self.title_text = t("stage_form.title", name=member.name)
        super().__init__()

    def _next_stage(self) -> str:
        app = self.member.application
        if app is None:
            return "booked"
        for name in _STAGE_FIELDS:
            if getattr(app, name) is None:
                return name
        return "collected"

    def form_fields(self) -> Iterable[Widget]:
        stages = [(t(f"timeline.{s}"), s) for s in _STAGE_FIELDS]
        yield SelectField("stage", t("field.stage"), stages, self._next_stage())
        yield DateField(
            "date",
            t("field.date"),
            self.as_of,
            required=True,
            warn=lambda day: stage_date_warning(self._stage(), day, self.as_of),
        )
        if self.member.application is None:
            group = self.scenario.group(self.group_id)
            offices = [(f"{o.code} · {o.name}", o.code) for o in self.scenario.offices]
            yield SelectField("office", t("field.application_office"), offices, group.office)

    def _stage(self) -> str:
        try:
            stage = self.field("stage").value
        except NoMatches:  # asked while the form is still being put together
            return self._next_stage()
        return stage if isinstance(stage, str) else self._next_stage()

    @on(Select.Changed, "#input-stage")
    def _stage_changed(self) -> None:
        date = self.field("date")
        if isinstance(date, DateField):
            date.validate_now()  # "recorded" after the day warns; "booked" ahead does not

    def build(self) -> Member:
        stage = self.field("stage").value
        day = self.field("date").value
        assert isinstance(stage, str) and isinstance(day, dt.date)
        app = self.member.application
        if app is None:
            office = self.field("office").value
            assert isinstance(office, str)
            app = Application(office=office)
        try:
            new = evolve(app, **{stage: day})  # type: ignore[arg-type]
        except ValueError as error:
            raise FormError(str(_application_error(error)), "date") from None
        return evolve(self.member, application=new)


class ContactForm(FormScreen[Member]):
    """When the member was told their status, and when to call again."""

    SAVES_AT_ONCE = True  # mark_contact: _save_member

    def __init__(self, member: Member, as_of: dt.date, initial: Member | None = None) -> None:
        self.member = member
        self.as_of = as_of
        self.initial = initial or member
        self.reopened = initial is not None and initial != member
        self.title_text = t("contact_form.title", name=member.name)
        super().__init__()

    def form_fields(self) -> Iterable[Widget]:
        contacted = self.initial.contacted
        if self.initial is self.member:
            contacted = self.as_of  # opening it is usually to say "I just called"
        yield DateField("contacted", t("field.contacted"), contacted)
        yield DateField("follow_up", t("field.follow_up"), self.initial.follow_up)

    def build(self) -> Member:
        contacted: Any = self.field("contacted").value
        follow_up: Any = self.field("follow_up").value
        if (
            isinstance(contacted, dt.date)
            and isinstance(follow_up, dt.date)
            and follow_up < contacted
        ):
            raise FormError(t("form.follow_up_before_contact"), "follow_up")
        return evolve(self.member, contacted=contacted, follow_up=follow_up)


def _save_member(
    app: GrouppassApp, group_id: str, base: Member | None, note: str, member: Member | None
) -> None:
    if member is not None and member != base:
        app.save(SaveMember(group_id, member, base, note=note))


def edit_member(
    app: GrouppassApp, group_id: str, member: Member | None, initial: Member | None = None
) -> None:
    app.push_screen(
        MemberForm(app.scenario, group_id, member, initial, app.as_of),
        lambda result: _save_member(
            app, group_id, member, "edit member" if member else "add member", result
        ),
    )


def record_stage(app: GrouppassApp, group_id: str, member: Member) -> None:
    def done(result: Member | None) -> None:
        stage = ""
        if result is not None and result.application is not None:
            stage = result.application.stage.value
        _save_member(app, group_id, member, f"record stage {stage}".strip(), result)

    app.push_screen(StageForm(app.scenario, group_id, member, app.as_of), done)


def mark_contact(
    app: GrouppassApp, group_id: str, member: Member, initial: Member | None = None
) -> None:
    app.push_screen(
        ContactForm(member, app.as_of, initial),
        lambda result: _save_member(app, group_id, member, "contact", result),
    )


def merge(base: R | None, after: R, current: R | None) -> R:
    """The organiser's edit replayed on the fresh record, field by field.

    Fields the organiser changed (``after`` differs from ``base``) take their
    value; every other field keeps what is stored now, so re-saving the
    re-opened form does not undo the other person's change to another field.
    """
    if base is None or current is None:
        return after
    fields = attrs.fields(cast("type[attrs.AttrsInstance]", type(after)))
    changed = {
        f.name: getattr(after, f.name)
        for f in fields
        if getattr(after, f.name) != getattr(base, f.name)
    }
    evolve_any: Any = attrs.evolve  # generic over the three record types; typed by R
    return cast(R, evolve_any(current, **changed))


def reopen_change(app: GrouppassApp, change: Change) -> None:
    """After a conflict and a reload: the organiser's edit again, on the fresh record."""
    from grouppass_tui.screens.disruptions import edit_disruption
    from grouppass_tui.screens.group_form import edit_agency, edit_group
    from grouppass_tui.screens.offices import edit_office

    scenario = app.scenario
    match change:
        case SaveMember(group_id=gid, after=after, base=base):
            try:
                group = scenario.group(gid)
            except KeyError:
                app.notify(t("conflict.group_gone"), severity="error")
                return
            current = next((m for m in group.members if m.id == after.id), None)
            edit_member(app, gid, current, initial=merge(base, after, current))
        case RemoveMember(base=base):
            app.notify(t("conflict.remove_again", name=base.name), severity="warning")
        case SaveOffice(after=after, base=base):
            office = next((o for o in scenario.offices if o.code == after.code), None)
            edit_office(app, office, initial=merge(base, after, office))
        case SaveDisruption(after=after, base=base):
            found = next((d for d in scenario.disruptions if d.id == after.id), None)
            edit_disruption(app, found, initial=merge(base, after, found))
        case SaveGroup(after=after, base=base):
            found_group = next((g for g in scenario.groups if g.id == after.id), None)
            edit_group(app, found_group, initial=merge(base, after, found_group))
        case SaveAgency():
            edit_agency(app)  # three fields: the fresh record, to type again
        case RemoveGroup(base=base):
            app.notify(t("conflict.remove_again", name=base.name), severity="warning")
