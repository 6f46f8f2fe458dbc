"""Words for the levers an advice weighed, what a switch loses, and a disruption's recovery.

Short phrases beside :func:`grouppass.wording.advice_text`'s sentences, from
the same catalogues (``english.py``, ``indonesian.py``): a headline per
lever ("Switch to ULP Lombok Timur today"), the options an advice weighed
with the chosen one first, one loss of a switch with its day, and what the
forecast believes of a known disruption's recovery (P50 and P90, and why).

>>> from grouppass.results import Action, Advice, Option
>>> stay = Option(Action.STAY, None, None, 0.58, 0.58, 0, 58.0)
>>> now = Option(Action.SWITCH_NOW, "LTM", None, 0.98, 0.98, 2_020_000, 97.2)
>>> wait = Option(Action.SWITCH_BY, "LTM", dt.date(2018, 3, 16), 0.98, 0.98, 1_955_360, 97.3)
>>> a = Advice("MTR", ("nashif",), Action.SWITCH_NOW, "LTM", None, 0.58, 0.98, "",
...            options=(wait, now, stay))
>>> [o.action.value for o in chosen_first(a)]
['switch_now', 'switch_by', 'stay']
>>> option_text(wait, a, "id", office_names={"LTM": "ULP Lombok Timur"})
'Tunggu kabar sampai 16 Maret 2018, lalu pindah ke ULP Lombok Timur'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from grouppass.results import Action, Advice, Loss, Option, Reason, RecoveryOutlook
from grouppass.wording import date_text, english, indonesian, rupiah

__all__ = [
    "advice_title",
    "chosen_first",
    "chosen_option",
    "cost_text",
    "loss_text",
    "option_text",
    "recovery_text",
]

_CATALOGUES = {"en": english.TEXT, "id": indonesian.TEXT}

_STAYING = (Action.STAY, Action.NO_BETTER_OPTION)


def _text(lang: str, key: str, **facts: object) -> str:
    return _CATALOGUES.get(lang, english.TEXT)[key].format(**facts)


def _name(names: Mapping[str, str] | None, code: str | None) -> str:
    return (names or {}).get(code or "", code or "")


def _starting(advice: Advice) -> bool:
    """True for members with nothing to abandon: their 'stay' is applying at the office."""
    return advice.action is Action.START_AT or any(
        o.action is Action.START_AT for o in advice.options
    )


def _lever(
    action: Action,
    lang: str,
    *,
    office: str,
    to_office: str | None,
    switch_by: dt.date | None,
    to_group: str | None,
    starting: bool,
    office_names: Mapping[str, str] | None,
    group_names: Mapping[str, str] | None,
) -> str:
    facts = {
        "office": _name(office_names, office),
        # Express and urgent service are asked for where the members are, unless told.
        "to": _name(office_names, to_office or office),
        "date": date_text(switch_by, lang) if switch_by else "",
        "group": _name(group_names, to_group),
    }
    if action is Action.STAY:
        key = "lever.apply" if starting else "lever.stay"
    else:
        key = f"lever.{action.value}"
    return _text(lang, key, **facts)


def advice_title(
    advice: Advice,
    lang: str,
    *,
    office_names: Mapping[str, str] | None = None,
    group_names: Mapping[str, str] | None = None,
) -> str:
    """The advised lever as a headline: ``Switch to ULP Lombok Timur today``."""
    return _lever(
        advice.action,
        lang,
        office=advice.office,
        to_office=advice.to_office,
        switch_by=advice.switch_by,
        to_group=advice.to_group,
        starting=_starting(advice),
        office_names=office_names,
        group_names=group_names,
    )


def option_text(
    option: Option,
    advice: Advice,
    lang: str,
    *,
    office_names: Mapping[str, str] | None = None,
    group_names: Mapping[str, str] | None = None,
) -> str:
    """One lever ``advice`` weighed, as a headline (its P and cost are the caller's columns)."""
    return _lever(
        option.action,
        lang,
        office=advice.office,
        to_office=option.to_office,
        switch_by=option.switch_by,
        to_group=option.to_group,
        starting=_starting(advice),
        office_names=office_names,
        group_names=group_names,
    )


def chosen_option(advice: Advice) -> Option | None:
    """The option the advice chose, among those it weighed (None if it kept none)."""
    if advice.action in _STAYING or advice.code is Reason.START_HERE:
        wanted: tuple[Action, str | None] = (Action.STAY, None)
    else:
        wanted = (advice.action, advice.to_office)
    for o in advice.options:
        if (o.action, o.to_office) == wanted:
            return o
    for o in advice.options:  # an office the record does not repeat (express, a later group)
        if o.action is wanted[0]:
            return o
    return None


def chosen_first(advice: Advice) -> tuple[Option, ...]:
    """Every option weighed, the chosen one first, then the rest best first."""
    chosen = chosen_option(advice)
    rest = tuple(o for o in advice.options if o is not chosen)
    return rest if chosen is None else (chosen, *rest)


def cost_text(amount: int, lang: str) -> str:
    """``Rp 2.020.000``, or ``no cost`` / ``tanpa biaya``."""
    return rupiah(amount) if amount else _text(lang, "cost.none")


def loss_text(loss: Loss, lang: str) -> str:
    """One thing a switch throws away, with its amount and day."""
    day = date_text(loss.day, lang) if loss.day else ""
    if loss.code == "fee_paid":
        amount = rupiah(loss.amount or 0)
        return _text(lang, "loss.fee_paid_on" if day else "loss.fee_paid", amount=amount, date=day)
    if loss.code in ("recording", "appointment"):
        return _text(lang, f"loss.{loss.code}_on" if day else f"loss.{loss.code}", date=day)
    return loss.code


def recovery_text(outlook: RecoveryOutlook, lang: str, *, reasons: bool = True) -> str:
    """When the forecast expects a disruption over (P50, P90), and (``reasons``) what that
    stands on: the officials' word, how long similar outages lasted."""
    p50, p90 = date_text(outlook.p50, lang), date_text(outlook.p90, lang)
    if outlook.method == "ended" or not outlook.ongoing:
        return _text(lang, "recovery.ended", date=p50)
    if outlook.p50 == outlook.p90:
        text = _text(lang, "recovery.expected_same", p50=p50)
    else:
        text = _text(lang, "recovery.expected", p50=p50, p90=p90)
    if not reasons:
        return text
    basis = _text(
        lang,
        f"recovery.from.{outlook.method}",
        weight=f"{round(outlook.word_weight * 100)}%",
    )
    parts = [basis]
    if outlook.method in ("combined", "outside_view") and outlook.similar_known:
        parts.append(
            _text(
                lang,
                "recovery.similar",
                known=outlook.similar_known,
                longer=outlook.similar_longer,
                days=round(outlook.compared_days),
            )
        )
    if outlook.own_estimates:
        parts.append(_text(lang, "recovery.own_estimates", n=outlook.own_estimates))
    return f"{text} ({'; '.join(parts)})"
