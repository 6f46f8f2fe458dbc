"""The group's notices as a CSV for broadcast tools: one row per member (name, phone, message).

Written like every file grouppass makes that holds personal data: to a
temporary file, then renamed into place (never half-written), created 0600,
and with every cell passed through the manifest's formula guard, so a name
starting with ``=`` is never run by the spreadsheet that opens it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from attrs import frozen

from grouppass._files import write_atomic
from grouppass.manifest.export import write_table
from grouppass.notices.whatsapp import e164

__all__ = ["NOTICE_COLUMNS", "NoticeRow", "notices_csv", "write_notices_csv"]

NOTICE_COLUMNS = ("name", "phone", "message")


@frozen
class NoticeRow:
    name: str
    phone: str | None
    message: str


def notices_csv(rows: Iterable[NoticeRow]) -> bytes:
    """The CSV bytes (UTF-8 with BOM for Excel); phones in international form where possible."""
    out = io.BytesIO()
    table = ([r.name, e164(r.phone) or r.phone, r.message] for r in rows)
    write_table(NOTICE_COLUMNS, table, "csv", out)
    return out.getvalue()


def write_notices_csv(path: Path, rows: Iterable[NoticeRow]) -> Path:
    """Write the notices to ``path`` atomically (a new file is 0600); returns ``path``."""
    write_atomic(path, notices_csv(rows))
    return path
