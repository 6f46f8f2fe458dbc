"""Words for what the library decides: advice, problems and today's actions, in English
and Bahasa Indonesia, from their codes and facts (one renderer for the CLI, the TUI
and the notices).

>>> date_text(dt.date(2018, 3, 23), "id")
'23 Maret 2018'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from grouppass.display import percent
from grouppass.results import Advice, Problem, ProblemCode, Reason, Todo, TodoCode
from grouppass.wording import english, indonesian

__all__ = ["LANGUAGES", "advice_text", "date_text", "percent", "problem_text", "todo_text"]

LANGUAGES = ("en", "id")

_CATALOGUES = {"en": english.TEXT, "id": indonesian.TEXT}
_MONTHS = {"en": english.MONTHS, "id": indonesian.MONTHS}


def date_text(day: dt.date, lang: str) -> str:
    """``23 March 2018`` / ``23 Maret 2018``."""
    return f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def rupiah(amount: int) -> str:
    """``Rp 1.000.000`` (Indonesian digit grouping, as on every receipt)."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def _text(lang: str, key: str, **facts: object) -> str:
    catalogue = _CATALOGUES.get(lang, _CATALOGUES["en"])
    return catalogue[key].format(**facts)


def advice_text(
    advice: Advice,
    lang: str,
    *,
    office_names: Mapping[str, str] | None = None,
    group_names: Mapping[str, str] | None = None,
    target: float = 0.9,
) -> str:
    """The advice in words, with its numbers."""
    names = office_names or {}

    def name(code: str | None) -> str:
        return names.get(code or "", code or "")

    def p(value: float | None) -> str:
        return percent(value, target=target)

    facts: dict[str, object] = {
        "office": name(advice.office),
        "to": name(advice.to_office),
        "p_stay": p(advice.p_stay),
        "p_advised": p(advice.p_advised if advice.p_advised is not None else advice.p_stay),
        "p_now": p(advice.p_switch_now),
        "p_wait": p(advice.p_wait),
        "p_recovered": percent(advice.p_recovered),
        "target": percent(target),
        "systems": ", ".join(advice.systems),
        "date": date_text(advice.switch_by, lang) if advice.switch_by else "",
        "cost": rupiah(advice.cost),
        "group": (group_names or {}).get(advice.to_group or "", advice.to_group or ""),
        "n": len(advice.members),
    }
    text = _text(lang, f"advice.{advice.code.value}", **facts)
    if advice.losses and advice.code in (Reason.SWITCH_GAINS, Reason.WAITING_KEEPS):
        fees = sum(loss.amount or 0 for loss in advice.losses if loss.code == "fee_paid")
        parts = []
        if fees:
            parts.append(_text(lang, "loss.fee_paid", amount=rupiah(fees)))
        if any(loss.code == "recording" for loss in advice.losses):
            parts.append(_text(lang, "loss.recording"))
        elif any(loss.code == "appointment" for loss in advice.losses):
            parts.append(_text(lang, "loss.appointment"))
        if parts:
            text += " " + _text(lang, "loss.lead", what="; ".join(parts))
    return text


def problem_text(problem: Problem, lang: str) -> str:
    """A problem with the member's papers, in words."""
    if problem.code is ProblemCode.EXPIRES_TOO_SOON:
        assert problem.expires is not None and problem.needed is not None
        key = "problem.expires_applying" if problem.applying else "problem.expires"
        return _text(
            lang,
            key,
            expires=date_text(problem.expires, lang),
            needed=date_text(problem.needed, lang),
        )
    if problem.code is ProblemCode.NAME_TOO_SHORT:
        key = "problem.name_applying" if problem.applying else "problem.name"
        return _text(lang, key, words=problem.words, required=problem.required)
    return _text(lang, "problem.not_started")


def todo_text(
    todo: Todo,
    lang: str,
    *,
    office_names: Mapping[str, str] | None = None,
    group_names: Mapping[str, str] | None = None,
) -> str:
    """One thing to do today, in words."""
    names = office_names or {}
    office = names.get(todo.office or "", todo.office or "")
    key = f"todo.{todo.code.value}"
    if todo.code is TodoCode.APPLY and todo.express:
        key = "todo.apply_express"
    return _text(
        lang,
        key,
        office=office,
        date=date_text(todo.day, lang) if todo.day else "",
        group=(group_names or {}).get(todo.group or "", todo.group or ""),
    )
