"""Today's actions per member: what the organiser (or the pilgrim) does today.

From the member's stage, their passport's problems and the advice that
covers them, most urgent first. The advice decides where and how to apply;
without advice a member with nothing started applies at the group's office.

>>> from grouppass.results import Todo, TodoCode
>>> Todo(TodoCode.PAY).code.value
'pay'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from grouppass.model import Group, Member, Stage
from grouppass.results import Action, Advice, ProblemCode, Todo, TodoCode

__all__ = ["todos", "todos_by_member"]


def todos(
    member: Member,
    stage: Stage,
    office: str | None,
    group: Group,
    problems: Sequence[ProblemCode],
    advice: Sequence[Advice],
) -> tuple[Todo, ...]:
    """What to do today for ``member`` (at ``stage``, at ``office``)."""
    out: list[Todo] = []
    mine = [a for a in advice if member.id in a.members]
    app = member.application
    # An application that names an office but was not asked for by as_of (its dates,
    # if any, come later: a replay) is not started: it is applied for.
    planned = app is not None and stage is Stage.NOT_STARTED
    needs_new = planned or (app is None and (member.passport is None or bool(problems)))
    if ProblemCode.EXPIRES_TOO_SOON in problems and app is None:
        out.append(Todo(TodoCode.RENEW))
    if ProblemCode.NAME_TOO_SHORT in problems and app is None:
        out.append(Todo(TodoCode.NAME))
    steered = False
    for a in mine:
        if a.action is Action.START_AT and needs_new:
            out.append(Todo(TodoCode.APPLY, a.to_office))
            steered = True
        elif a.action is Action.EXPRESS:
            out.append(Todo(TodoCode.APPLY, a.to_office, express=True))
            steered = True
        elif a.action is Action.SWITCH_NOW:
            out.append(Todo(TodoCode.SWITCH, a.to_office))
            steered = True
        elif a.action is Action.SWITCH_BY:
            out.append(Todo(TodoCode.WAIT, a.office, a.switch_by))
        elif a.action is Action.LATER_GROUP:
            out.append(Todo(TodoCode.MOVE_GROUP, group=a.to_group))
        elif a.action is Action.ASK_URGENT:
            out.append(Todo(TodoCode.ASK_URGENT, a.office))
    if needs_new and not steered:
        out.append(Todo(TodoCode.APPLY, app.office if app is not None else group.office))
    if not steered and app is not None and not planned:
        if stage is Stage.BOOKED or (stage is Stage.PAID and app.recorded is None):
            out.append(Todo(TodoCode.ATTEND, office, app.booked))
        elif stage is Stage.RECORDED:
            out.append(Todo(TodoCode.PAY, office))
        elif stage is Stage.ISSUED:
            out.append(Todo(TodoCode.COLLECT, office))
    if not member.phone:
        out.append(Todo(TodoCode.PHONE))
    return tuple(out)


def todos_by_member(
    group: Group,
    stages: Mapping[str, tuple[Stage, str | None, Sequence[ProblemCode]]],
    advice: Sequence[Advice],
) -> dict[str, tuple[Todo, ...]]:
    """:func:`todos` for every member of ``group`` (``stages`` by member id)."""
    out = {}
    for m in group.members:
        stage, office, problems = stages[m.id]
        out[m.id] = todos(m, stage, office, group, problems, advice)
    return out
