"""WhatsApp links for a notice: ``https://wa.me/<number>?text=...``.

Numbers are read the way Indonesians write them (``0819 1734 0215``,
``+62 819-1734-0215``, ``62819...``) with Google's ``phonenumbers`` library,
the region being Indonesia unless the number says otherwise, and written in
the international form wa.me wants: digits only, country code first.

>>> whatsapp_number("0819 1734 0215")
'6281917340215'
>>> whatsapp_link("0819-1734-0215", "Assalamu'alaikum")
'https://wa.me/6281917340215?text=Assalamu%27alaikum'
>>> whatsapp_number("12") is None
True
"""

from __future__ import annotations

from urllib.parse import quote

import phonenumbers

__all__ = ["e164", "whatsapp_link", "whatsapp_number"]

REGION = "ID"
"""Numbers without a country code are Indonesian."""


def e164(phone: str | None) -> str | None:
    """``+6281917340215``: the number in international form; None when it is not a number."""
    if not phone or not phone.strip():
        return None
    try:
        parsed = phonenumbers.parse(phone, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):  # the numbering plan of its country
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_number(phone: str | None) -> str | None:
    """The number as wa.me wants it (digits, country code first); None when there is none."""
    number = e164(phone)
    return None if number is None else number.lstrip("+")


def whatsapp_link(phone: str | None, text: str) -> str | None:
    """A link that opens WhatsApp on ``phone`` with ``text`` typed in; None without a number."""
    number = whatsapp_number(phone)
    if number is None:
        return None
    return f"https://wa.me/{number}?text={quote(text, safe='')}"
