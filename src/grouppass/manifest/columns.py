"""Manifest columns: what agencies call them (Indonesian and English), and where they go.

Headers are matched loosely: case, spaces, dots and dashes do not matter, and
``tanggal``/``nomor`` are read as ``tgl``/``no``, so ``No. Paspor``,
``NO_PASPOR`` and ``nomor paspor`` are one column.

>>> normalise_header(" No. Paspor ")
'no_paspor'
>>> FIELD_BY_HEADER[normalise_header("Tanggal Bayar")]
<Field.PAID: 'tgl_bayar'>
"""

from __future__ import annotations

import enum
import re
import unicodedata

__all__ = [
    "DATE_FIELDS",
    "FIELD_BY_HEADER",
    "JSON_PATH",
    "Field",
    "normalise_header",
]


class Field(enum.StrEnum):
    """A manifest column; the value is the header grouppass writes on export."""

    ID = "id"
    NAME = "nama"
    TITLE = "sapaan"
    """Bapak or Ibu (also read from a gender column: L/P)."""
    PHONE = "no_hp"
    NIK = "nik"
    PASSPORT = "no_paspor"
    PASSPORT_NAME = "nama_paspor"
    PASSPORT_EXPIRES = "tgl_kadaluarsa_paspor"
    OFFICE = "kantor"
    BOOKED = "tgl_booking"
    RECORDED = "tgl_rekam"
    PAID = "tgl_bayar"
    ISSUED = "tgl_terbit"
    COLLECTED = "tgl_ambil"
    CONTACTED = "tgl_dihubungi"
    FOLLOW_UP = "tgl_tindak_lanjut"
    NOTES = "keterangan"


DATE_FIELDS = frozenset(
    {
        Field.PASSPORT_EXPIRES, Field.BOOKED, Field.RECORDED, Field.PAID, Field.ISSUED,
        Field.COLLECTED, Field.CONTACTED, Field.FOLLOW_UP,
    }
)  # fmt: skip

JSON_PATH: dict[Field, str] = {
    Field.ID: "id",
    Field.NAME: "name",
    Field.TITLE: "title",
    Field.PHONE: "phone",
    Field.NIK: "nik",
    Field.PASSPORT: "passport.number",
    Field.PASSPORT_NAME: "passport.name",
    Field.PASSPORT_EXPIRES: "passport.expires",
    Field.OFFICE: "application.office",
    Field.BOOKED: "application.booked",
    Field.RECORDED: "application.recorded",
    Field.PAID: "application.paid",
    Field.ISSUED: "application.issued",
    Field.COLLECTED: "application.collected",
    Field.CONTACTED: "contacted",
    Field.FOLLOW_UP: "follow_up",
    Field.NOTES: "notes",
}
"""Where each column's value sits in a member's JSON (scenario format)."""

_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.ID: ("member_id", "kode", "kode_jamaah", "id_jamaah"),
    Field.NAME: ("name", "nama_lengkap", "full_name", "nama_jamaah", "jamaah", "nama_peserta"),
    Field.TITLE: (
        "title", "panggilan", "jenis_kelamin", "jk", "l_p", "gender", "sex", "kelamin",
    ),
    Field.PHONE: (
        "phone", "hp", "no_telp", "no_telepon", "telepon", "telp", "phone_number", "mobile",
        "whatsapp", "no_wa", "wa",
    ),
    Field.NIK: ("no_ktp", "ktp", "no_nik", "national_id"),
    Field.PASSPORT: ("passport_number", "passport_no", "paspor", "passport", "no_passport"),
    Field.PASSPORT_NAME: ("passport_name", "nama_di_paspor", "name_on_passport"),
    Field.PASSPORT_EXPIRES: (
        "passport_expires", "passport_expiry", "passport_expiry_date", "tgl_habis_paspor",
        "masa_berlaku_paspor", "berlaku_sampai", "kadaluarsa", "tgl_kadaluarsa", "expires",
        "expiry_date", "tgl_expired_paspor", "tgl_expired",
    ),
    Field.OFFICE: ("office", "kanim", "kantor_imigrasi", "kantor_paspor", "office_code"),
    Field.BOOKED: ("tgl_janji", "booked", "booking", "appointment", "tgl_antrian", "tgl_daftar"),
    Field.RECORDED: ("recorded", "tgl_wawancara", "tgl_foto", "interview", "tgl_biometrik"),
    Field.PAID: ("paid", "payment", "tgl_pembayaran", "payment_date"),
    Field.ISSUED: ("issued", "tgl_cetak", "issue_date"),
    Field.COLLECTED: ("collected", "tgl_pengambilan", "tgl_diambil", "collection_date"),
    Field.CONTACTED: ("contacted", "tgl_kontak", "last_contacted"),
    Field.FOLLOW_UP: ("follow_up", "tindak_lanjut", "tgl_follow_up"),
    Field.NOTES: ("notes", "note", "ket", "catatan", "remarks", "keterangan_jamaah"),
}  # fmt: skip


def normalise_header(text: str) -> str:
    """The form headers are compared in."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^0-9a-z]+", "_", text).strip("_")
    text = re.sub(r"^tanggal_", "tgl_", text)
    text = re.sub(r"^nomor_", "no_", text)
    return text


FIELD_BY_HEADER: dict[str, Field] = {
    normalise_header(alias): field
    for field, aliases in _ALIASES.items()
    for alias in (field.value, *aliases)
}
"""Every header grouppass understands (normalised), and its column."""
