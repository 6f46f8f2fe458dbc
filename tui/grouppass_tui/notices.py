"""The message each member should get today, as plain text to copy or export.

Status, the likely date, what to bring, and whether to switch office — in
Bahasa Indonesia or English, independently of the UI language (an organiser
may read the UI in English and write to pilgrims in Indonesian). Pure
functions: the screen calls them, a test can too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from grouppass.model import Group, Member, Stage
from grouppass.results import Action, Advice, GroupAssessment, MemberAssessment, ProblemCode, Risk
from grouppass_tui.dates import long_date
from grouppass_tui.i18n import t_in

__all__ = ["group_notices", "member_notice"]

KEMENAG_LETTER_FROM = dt.date(2018, 5, 31)
"""From this day an umrah passport needs a Kemenag recommendation letter (FACTS.md)."""

_DOCS_STAGES = (Stage.NOT_STARTED, Stage.BOOKED, Stage.PAID)


def _bring(stage: Stage, as_of: dt.date, lang: str) -> list[str]:
    items: list[str] = []
    if stage in _DOCS_STAGES:
        items.append(t_in(lang, "notice.bring.documents"))
        if as_of >= KEMENAG_LETTER_FROM:
            items.append(t_in(lang, "notice.bring.kemenag"))
    if stage == Stage.PAID:
        items.append(t_in(lang, "notice.bring.receipt"))
    if stage == Stage.RECORDED:
        # The 2018 fee (FACTS.md); later tariffs changed, so only quote it for then.
        key = "notice.bring.fee_2018" if as_of.year == 2018 else "notice.bring.fee"
        items.append(t_in(lang, key))
    if stage == Stage.RECORDED_AND_PAID:
        items.append(t_in(lang, "notice.bring.keep_receipt"))
    if stage == Stage.ISSUED:
        items.append(t_in(lang, "notice.bring.collect"))
    if stage == Stage.COLLECTED:
        items.append(t_in(lang, "notice.bring.to_agency"))
    return items


def _switch_advice(member_id: str, advice: Iterable[Advice]) -> Advice | None:
    for a in advice:
        if member_id in a.members and a.action in (Action.SWITCH_NOW, Action.SWITCH_BY):
            return a
    return None


def member_notice(
    member: Member,
    figures: MemberAssessment,
    group: Group,
    group_figures: GroupAssessment,
    as_of: dt.date,
    lang: str,
    office_name: Callable[[str], str] = str,
) -> str:
    """One member's message for ``as_of`` in ``lang``."""
    lines = [t_in(lang, "notice.greeting", name=member.name), ""]
    stage = Stage.COLLECTED if figures.risk == Risk.READY else figures.stage
    office = office_name(figures.office) if figures.office else ""
    lines.append(
        t_in(
            lang,
            "notice.status",
            day=long_date(as_of, lang),
            status=t_in(lang, f"notice.stage.{stage.value}", office=office),
        )
    )
    if figures.risk != Risk.READY and figures.ready_p50 is not None:
        p90 = figures.ready_p90 or figures.ready_p50
        lines.append(
            t_in(
                lang,
                "notice.likely",
                p50=long_date(figures.ready_p50, lang),
                p90=long_date(p90, lang),
            )
        )
    lines.append(
        t_in(
            lang,
            "notice.deadline",
            deadline=long_date(group_figures.deadline, lang),
            departure=long_date(group.departure.date(), lang),
        )
    )
    lines.append(t_in(lang, f"notice.risk.{figures.risk.value}"))
    switch = _switch_advice(member.id, group_figures.advice)
    if switch is not None and switch.to_office:
        to = office_name(switch.to_office)
        if switch.action == Action.SWITCH_NOW or switch.switch_by is None:
            lines.append(t_in(lang, "notice.switch_now", office=to))
        else:
            lines.append(
                t_in(lang, "notice.switch_by", office=to, date=long_date(switch.switch_by, lang))
            )
    todo = _bring(stage, as_of, lang)
    for problem in figures.problems:
        if problem.code == ProblemCode.NAME_TOO_SHORT:
            todo.append(t_in(lang, "notice.fix.name_too_short"))
        elif problem.code == ProblemCode.EXPIRES_TOO_SOON:
            todo.append(t_in(lang, "notice.fix.expires_too_soon"))
    if todo:
        lines += ["", t_in(lang, "notice.todo")]
        lines += [f"- {item}" for item in todo]
    lines += ["", t_in(lang, "notice.closing")]
    return "\n".join(lines)


def group_notices(
    group: Group,
    group_figures: GroupAssessment,
    as_of: dt.date,
    lang: str,
    office_name: Callable[[str], str] = str,
    member_ids: Iterable[str] | None = None,
) -> str:
    """Every member's notice (or those in ``member_ids``), separated for pasting one by one."""
    wanted = None if member_ids is None else set(member_ids)
    figures = {m.member_id: m for m in group_figures.members}
    parts = []
    for member in group.members:
        if (wanted is not None and member.id not in wanted) or member.id not in figures:
            continue
        header = f"=== {member.name}" + (f" · {member.phone}" if member.phone else "") + " ==="
        body = member_notice(
            member, figures[member.id], group, group_figures, as_of, lang, office_name
        )
        parts.append(f"{header}\n{body}")
    return "\n\n".join(parts) + "\n"
