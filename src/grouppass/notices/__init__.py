"""Notices to pilgrims: what each should be told today, and how it reaches them.

* :func:`notice_facts` composes one member's notice as facts (stage, the
  disruption holding them up, the likely dates, what to do and bring, who
  signs); the TUI words them in Bahasa Indonesia or English;
* :func:`todays_actions` and :func:`member_flags`: what to do today per
  member, and the problems worth a mark in a list;
* :func:`holding`: which disruptions hold an office up on a day, as known then;
* :func:`whatsapp_link` and :func:`write_notices_csv`: sending them.
"""

from __future__ import annotations

from grouppass.notices.export import NOTICE_COLUMNS, NoticeRow, notices_csv, write_notices_csv
from grouppass.notices.facts import Bring, HoldUp, NoticeFacts, notice_facts
from grouppass.notices.holdups import holding, is_holding, known_active, shared_systems
from grouppass.notices.today import (
    Flag,
    TodayAction,
    Todo,
    member_flags,
    switch_advice,
    todays_actions,
)
from grouppass.notices.whatsapp import e164, whatsapp_link, whatsapp_number

__all__ = [
    "NOTICE_COLUMNS",
    "Bring",
    "Flag",
    "HoldUp",
    "NoticeFacts",
    "NoticeRow",
    "TodayAction",
    "Todo",
    "e164",
    "holding",
    "is_holding",
    "known_active",
    "member_flags",
    "notice_facts",
    "notices_csv",
    "shared_systems",
    "switch_advice",
    "todays_actions",
    "whatsapp_link",
    "whatsapp_number",
    "write_notices_csv",
]
