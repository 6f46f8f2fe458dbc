"""Notices to pilgrims: what each should be told today, and how it reaches them.

* :func:`notice_facts` composes one member's notice as facts (stage, the
  disruption holding them up, the likely dates, the pilgrim's part of
  today's actions, what to bring, who signs) from the library's figures;
  the TUI words them in Bahasa Indonesia or English;
* :func:`whatsapp_link` and :func:`write_notices_csv`: sending them.
"""

from __future__ import annotations

from grouppass.notices.export import NOTICE_COLUMNS, NoticeRow, notices_csv, write_notices_csv
from grouppass.notices.facts import PILGRIM_TODOS, Bring, HoldUp, NoticeFacts, notice_facts
from grouppass.notices.whatsapp import e164, whatsapp_link, whatsapp_number

__all__ = [
    "NOTICE_COLUMNS",
    "PILGRIM_TODOS",
    "Bring",
    "HoldUp",
    "NoticeFacts",
    "NoticeRow",
    "e164",
    "notice_facts",
    "notices_csv",
    "whatsapp_link",
    "whatsapp_number",
    "write_notices_csv",
]
