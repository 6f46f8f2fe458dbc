"""Notices in words: the library's notice facts as a message an organiser would send.

What a notice says (stage, the disruption, dates, actions, what to bring,
who signs) is decided in :mod:`grouppass.notices`; this module only words it,
in Bahasa Indonesia or English, independently of the UI language (an
organiser may read the UI in English and write to pilgrims in Indonesian).

Dates are written by pendulum, already a dependency, which knows the
Indonesian day and month names ("Kamis, 15 Maret 2018"); babel would be a
second locale library for the same two languages. The P90 date reads "most
likely before" — never "at the latest", which it is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from grouppass.model import Group, Scenario, Stage, Title
from grouppass.notices import Bring, HoldUp, NoticeFacts, NoticeRow, notice_facts
from grouppass.results import GroupAssessment, Risk, Todo, TodoCode
from grouppass.wording import rupiah
from grouppass_tui.dates import long_date
from grouppass_tui.i18n import t_in

__all__ = ["group_notice_rows", "group_notices", "render_notice"]

OfficeName = Callable[[str], str]

BULLET = "• "
"""Not "- ": a line starting with a minus is a formula to a spreadsheet, so the CSV for
broadcast tools would have to guard the whole message with a ``'`` the pilgrim then reads."""


def _name(facts: NoticeFacts, lang: str) -> str:
    if facts.title is Title.BAPAK:
        return t_in(lang, "notice.title.bapak", name=facts.name)
    if facts.title is Title.IBU:
        return t_in(lang, "notice.title.ibu", name=facts.name)
    return facts.name


def _you(facts: NoticeFacts, lang: str) -> str:
    # Indonesian addresses by the title itself ("paspor Bapak"); without one, "Anda".
    if lang == "id" and facts.title is not None:
        return "Bapak" if facts.title is Title.BAPAK else "Ibu"
    return t_in(lang, "notice.you")


def _joined(items: Sequence[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t_in(lang, 'notice.and')} " + items[-1]


def _holdup(h: HoldUp, lang: str, office: OfficeName, as_of: dt.date) -> str:
    ahead = h.start > as_of  # announced before it starts (planned maintenance)
    fields = {
        "start": long_date(h.start, lang),
        "stops": t_in(lang, f"notice.holdup.stops.{h.stops.value}"),
        "office": office(h.office),
        "systems": _joined(list(h.systems), lang),
        "state": (
            t_in(lang, "notice.holdup.will_stop" if ahead else "notice.holdup.stopped")
            if h.capacity_factor <= 0
            else t_in(
                lang,
                "notice.holdup.will_slow" if ahead else "notice.holdup.slowed",
                share=f"{h.capacity_factor:.0%}",
            )
        ),
    }
    key = "notice.holdup.system" if h.systems else "notice.holdup.office"
    text = t_in(lang, key + "_ahead" if ahead else key, **fields)
    if h.likely_recovery is None:
        return text + " " + t_in(lang, "notice.holdup.no_estimate")
    if h.likely_recovery < as_of:
        key = "notice.holdup.overdue"
    else:
        key = "notice.holdup.recovery" if h.certain else "notice.holdup.recovery_uncertain"
    return text + " " + t_in(lang, key, date=long_date(h.likely_recovery, lang))


def _action(a: Todo, facts: NoticeFacts, lang: str, office: OfficeName, you: str) -> str:
    """One of the library's actions for today, in words for the pilgrim ("Bapak", "you")."""
    fields: dict[str, object] = {
        "office": office(a.office) if a.office else "",
        "date": long_date(a.day, lang) if a.day else "",
        "you": you,
        "current": office(facts.office) if facts.office else "",
        "to": office(facts.switch_to) if facts.switch_to else "",
    }
    code = a.code
    if code is TodoCode.ATTEND:
        if facts.stage is Stage.PAID:
            return t_in(lang, "notice.todo.record", **fields)
        if a.day is not None and a.day >= facts.as_of:
            return t_in(lang, "notice.todo.attend_on", **fields)
        return t_in(lang, "notice.todo.attend", **fields)
    if code is TodoCode.PAY and facts.fee is not None:
        return t_in(lang, "notice.todo.pay_amount", fee=rupiah(facts.fee))
    if code is TodoCode.APPLY and a.express:
        return t_in(lang, "notice.todo.apply_express", **fields)
    if code is TodoCode.WAIT and not facts.switch_to:
        return t_in(lang, "notice.todo.wait_news", **fields)
    return t_in(lang, f"notice.todo.{code.value}", **fields)


def render_notice(facts: NoticeFacts, lang: str, office: OfficeName = str) -> str:
    """One member's message in ``lang`` ("id" or "en")."""
    you = _you(facts, lang)
    you_cap = you[:1].upper() + you[1:]
    name = office(facts.office) if facts.office else ""
    lines = [t_in(lang, "notice.salam"), "", t_in(lang, "notice.dear", name=_name(facts, lang)), ""]
    para = [t_in(lang, "notice.intro", you=you, day=long_date(facts.as_of, lang))]
    if facts.holds_passport:
        para.append(t_in(lang, "notice.stage.holds_passport", you_cap=you_cap))
    elif facts.appointment is not None:
        date = long_date(facts.appointment, lang)
        para.append(t_in(lang, "notice.stage.booked_on", office=name, date=date))
    else:
        key = f"notice.stage.{facts.stage.value}"
        para.append(t_in(lang, key, office=name, you=you, you_cap=you_cap))
    lines.append(" ".join(para))
    for h in facts.holdups:
        lines += ["", _holdup(h, lang, office, facts.as_of)]
    departure = long_date(facts.departure, lang)
    if facts.risk is Risk.READY:
        lines += ["", t_in(lang, "notice.risk.ready", departure=departure)]
    elif facts.moving:
        # The dates and the risk are for staying; the actions below say where to go instead.
        deadline = long_date(facts.deadline, lang)
        lines += ["", t_in(lang, "notice.deadline", deadline=deadline, departure=departure)]
    else:
        para = []
        if facts.p50 is not None:
            p50 = long_date(facts.p50, lang)
            if facts.p90 is None or facts.p90 == facts.p50:
                para.append(t_in(lang, "notice.likely_same", you=you, p50=p50))
            else:
                p90 = long_date(facts.p90, lang)
                para.append(t_in(lang, "notice.likely", you=you, p50=p50, p90=p90))
        deadline = long_date(facts.deadline, lang)
        para.append(t_in(lang, "notice.deadline", deadline=deadline, departure=departure))
        para.append(t_in(lang, f"notice.risk.{facts.risk.value}"))
        switching = any(a.code in (TodoCode.SWITCH, TodoCode.WAIT) for a in facts.actions)
        if facts.risk is Risk.LATE and not switching:
            # No advice to point at: say what the agency does, never "see the advice".
            para.append(t_in(lang, "notice.risk.late_working", you=you))
        lines += ["", " ".join(para)]
    todo = [_action(a, facts, lang, office, you) for a in facts.actions]
    if facts.hand_in:
        todo.append(t_in(lang, "notice.todo.hand_in"))
    if facts.waiting:
        todo.append(t_in(lang, "notice.todo.waiting"))
    if todo:
        lines += ["", t_in(lang, "notice.todo", you=you)]
        lines += [f"{BULLET}{line}" for line in todo]
    bring = [b for b in facts.bring if b is not Bring.KEEP_RECEIPT]
    if bring:
        lines += ["", t_in(lang, "notice.bring")]
        lines += [f"{BULLET}{t_in(lang, f'notice.bring.{b.value}')}" for b in bring]
    if Bring.KEEP_RECEIPT in facts.bring:
        lines += ["", t_in(lang, "notice.keep_receipt")]
    agency = facts.agency
    phone = agency.phone if agency is not None else ""
    lines += [
        "",
        t_in(lang, "notice.questions_phone", phone=phone)
        if phone
        else t_in(lang, "notice.questions"),
        "",
        t_in(lang, "notice.wassalam"),
        "",
        t_in(lang, "notice.regards"),
    ]
    if agency is None:
        lines.append(t_in(lang, "notice.organiser"))
    else:
        if agency.contact:
            lines.append(agency.contact)
        lines.append(agency.name)
    return "\n".join(lines)


def _facts(
    scenario: Scenario,
    group: Group,
    figures: GroupAssessment,
    as_of: dt.date,
    member_ids: Iterable[str] | None,
) -> list[NoticeFacts]:
    wanted = None if member_ids is None else set(member_ids)
    by_id = {m.member_id: m for m in figures.members}
    return [
        notice_facts(scenario, group, member, by_id[member.id], figures, as_of)
        for member in group.members
        if member.id in by_id and (wanted is None or member.id in wanted)
    ]


def _office_namer(scenario: Scenario) -> OfficeName:
    names = {o.code: o.name or o.code for o in scenario.offices}
    return lambda code: names.get(code, code)


def group_notices(
    scenario: Scenario,
    group: Group,
    figures: GroupAssessment,
    as_of: dt.date,
    lang: str,
    member_ids: Iterable[str] | None = None,
) -> str:
    """Every member's notice (or those in ``member_ids``), separated for pasting one by one."""
    office = _office_namer(scenario)
    parts = []
    for facts in _facts(scenario, group, figures, as_of, member_ids):
        header = f"=== {facts.name}" + (f" · {facts.phone}" if facts.phone else "") + " ==="
        parts.append(f"{header}\n{render_notice(facts, lang, office)}")
    return "\n\n".join(parts) + "\n"


def group_notice_rows(
    scenario: Scenario,
    group: Group,
    figures: GroupAssessment,
    as_of: dt.date,
    lang: str,
    member_ids: Iterable[str] | None = None,
) -> list[NoticeRow]:
    """(name, phone, message) per member, for the CSV export and WhatsApp."""
    office = _office_namer(scenario)
    return [
        NoticeRow(f.name, f.phone, render_notice(f, lang, office))
        for f in _facts(scenario, group, figures, as_of, member_ids)
    ]
