"""Write a synthetic agency season as a grouppass/1 scenario file.

    python bench/make_agency.py 100000 -o bench/out/agency-100000.json --seed 0
    python bench/make_agency.py 100000 -o small.json --group-size 5 15 --offices 120 \\
        --systems 4 --disruptions 30 --stages walk-in

By default: about N travellers in groups of 10-45, 40 real-looking Indonesian
passport offices (WIB, WITA and WIT) on 2 systems, a dozen disruptions, and
every application stage. The shape options change the group sizes (5-60),
the number of offices (10-120: fewer are a subset of the 40, more are further
offices in the same regions and time zones), the systems (1-4), the mix of
stages (``default``, ``early``, ``late``, ``walk-in`` or explicit weights) and
the disruptions (0-30). Dates are relative to ``AS_OF`` (Monday 2 February
2026, the pre-Ramadan peak of the umrah season); assess the file
``--as-of AS_OF``.

Members of a group apply at the group's office in a few batches (a group goes
to the office together), so a group has a handful of distinct date
combinations; a few members apply at another office on their own. The output
is deterministic for a given N, seed and shape; with no shape option it is
byte for byte what it was before the options existed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

__all__ = [
    "AS_OF",
    "DEFAULT_SHAPE",
    "EXTRA_OFFICES",
    "MIXES",
    "OFFICES",
    "Mix",
    "Shape",
    "add_shape_arguments",
    "generate",
    "main",
    "shape_from_args",
    "shape_of",
    "stats",
    "write",
]

AS_OF = dt.date(2026, 2, 2)
"""The date the season is assessed on; every date in the file is relative to it."""

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
_OFFSET = {WIB: "+07:00", WITA: "+08:00", WIT: "+09:00"}

SIMKIM = "SIMKIM"
EPASPOR = "EPASPOR"
BIOMETRIK = "BIOMETRIK"
SIMPONI = "SIMPONI"
# In the order ``--systems N`` takes them: the first two are today's file.
SYSTEMS = [
    {"code": SIMKIM, "name": "Sistem Informasi Manajemen Keimigrasian"},
    {"code": EPASPOR, "name": "Sistem Personalisasi Paspor Elektronik"},
    {"code": BIOMETRIK, "name": "Sistem Biometrik (sidik jari dan wajah) pada perekaman"},
    {"code": SIMPONI, "name": "Sistem Informasi PNBP Online (pembayaran biaya paspor)"},
]

# code, name, time zone, size (L/M/S), e-passport (on the EPASPOR system), cluster
OFFICES: list[tuple[str, str, str, str, bool, str]] = [
    ("JKS", "Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan", WIB, "L", True, "jabo"),
    ("JKT", "Kantor Imigrasi Kelas I Non TPI Jakarta Timur", WIB, "L", True, "jabo"),
    ("JKU", "Kantor Imigrasi Kelas I TPI Jakarta Utara", WIB, "M", True, "jabo"),
    ("JKB", "Kantor Imigrasi Kelas I Non TPI Jakarta Barat", WIB, "M", True, "jabo"),
    ("JKP", "Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Pusat", WIB, "L", True, "jabo"),
    ("TNG", "Kantor Imigrasi Kelas I Non TPI Tangerang", WIB, "M", True, "jabo"),
    ("BKS", "Kantor Imigrasi Kelas II Non TPI Bekasi", WIB, "M", False, "jabo"),
    ("DPK", "Kantor Imigrasi Kelas II Non TPI Depok", WIB, "M", False, "jabo"),
    ("BGR", "Kantor Imigrasi Kelas I Non TPI Bogor", WIB, "M", True, "jabo"),
    ("BDG", "Kantor Imigrasi Kelas I TPI Bandung", WIB, "L", True, "jabar"),
    ("CRB", "Kantor Imigrasi Kelas II TPI Cirebon", WIB, "M", False, "jabar"),
    ("TSM", "Kantor Imigrasi Kelas II Non TPI Tasikmalaya", WIB, "S", False, "jabar"),
    ("SMG", "Kantor Imigrasi Kelas I TPI Semarang", WIB, "L", True, "jateng"),
    ("SKA", "Kantor Imigrasi Kelas I TPI Surakarta", WIB, "M", True, "jateng"),
    ("YGY", "Kantor Imigrasi Kelas I TPI Yogyakarta", WIB, "M", True, "jateng"),
    ("PTI", "Kantor Imigrasi Kelas II Non TPI Pati", WIB, "S", False, "jateng"),
    ("SBY", "Kantor Imigrasi Kelas I Khusus TPI Surabaya", WIB, "L", True, "jatim"),
    ("TPR", "Kantor Imigrasi Kelas I Khusus TPI Tanjung Perak", WIB, "L", True, "jatim"),
    ("SDA", "Unit Layanan Paspor Mal Pelayanan Publik Sidoarjo", WIB, "S", False, "jatim"),
    ("MLG", "Kantor Imigrasi Kelas I TPI Malang", WIB, "M", True, "jatim"),
    ("KDR", "Kantor Imigrasi Kelas II Non TPI Kediri", WIB, "S", False, "jatim"),
    ("JMB", "Kantor Imigrasi Kelas II Non TPI Jember", WIB, "S", False, "jatim"),
    ("BNA", "Kantor Imigrasi Kelas I TPI Banda Aceh", WIB, "M", True, "sumut"),
    ("MDN", "Kantor Imigrasi Kelas I Khusus TPI Medan", WIB, "L", True, "sumut"),
    ("PDG", "Kantor Imigrasi Kelas I TPI Padang", WIB, "M", True, "sumsel"),
    ("PKU", "Kantor Imigrasi Kelas I TPI Pekanbaru", WIB, "M", True, "sumsel"),
    ("PLG", "Kantor Imigrasi Kelas I TPI Palembang", WIB, "M", True, "sumsel"),
    ("BDL", "Kantor Imigrasi Kelas I TPI Bandar Lampung", WIB, "M", False, "sumsel"),
    ("PNK", "Kantor Imigrasi Kelas I TPI Pontianak", WIB, "M", True, "kalbar"),
    ("SBS", "Kantor Imigrasi Kelas II TPI Sambas", WIB, "S", False, "kalbar"),
    ("BPN", "Kantor Imigrasi Kelas I TPI Balikpapan", WITA, "M", True, "kaltim"),
    ("BJM", "Kantor Imigrasi Kelas I TPI Banjarmasin", WITA, "M", True, "kaltim"),
    ("DPS", "Kantor Imigrasi Kelas I TPI Denpasar", WITA, "M", True, "balinusa"),
    ("MTR", "Kantor Imigrasi Kelas I TPI Mataram", WITA, "M", True, "balinusa"),
    ("LTM", "Unit Layanan Paspor Lombok Timur", WITA, "S", False, "balinusa"),
    ("KPG", "Kantor Imigrasi Kelas I TPI Kupang", WITA, "S", False, "balinusa"),
    ("MKS", "Kantor Imigrasi Kelas I Khusus TPI Makassar", WITA, "L", True, "sulawesi"),
    ("MDO", "Kantor Imigrasi Kelas I TPI Manado", WITA, "M", True, "sulawesi"),
    ("AMB", "Kantor Imigrasi Kelas I TPI Ambon", WIT, "S", True, "timur"),
    ("JPR", "Kantor Imigrasi Kelas I TPI Jayapura", WIT, "S", True, "timur"),
]

# Further offices for ``--offices`` above 40, by region, in the same shape as
# OFFICES: towns with an immigration office or passport service unit; the
# names follow the real pattern, the figures drawn for them are made up (as
# they are for the 40).
EXTRA_OFFICES: list[tuple[str, str, str, str, bool, str]] = [
    ("SKH", "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta", WIB, "L", True, "jabo"),
    ("SRG", "Kantor Imigrasi Kelas I TPI Serang", WIB, "M", True, "jabo"),
    ("CLG", "Kantor Imigrasi Kelas II TPI Cilegon", WIB, "S", False, "jabo"),
    ("CKR", "Unit Layanan Paspor Cikarang", WIB, "S", False, "jabo"),
    ("TGS", "Unit Layanan Paspor Tangerang Selatan", WIB, "S", False, "jabo"),
    ("CBN", "Unit Layanan Paspor Cibinong", WIB, "S", False, "jabo"),
    ("SRP", "Unit Layanan Paspor Mal Pelayanan Publik Serpong", WIB, "S", False, "jabo"),
    ("KRW", "Kantor Imigrasi Kelas II Non TPI Karawang", WIB, "M", False, "jabar"),
    ("SKB", "Kantor Imigrasi Kelas II Non TPI Sukabumi", WIB, "S", False, "jabar"),
    ("GRT", "Unit Layanan Paspor Garut", WIB, "S", False, "jabar"),
    ("PWK", "Unit Layanan Paspor Purwakarta", WIB, "S", False, "jabar"),
    ("IDM", "Unit Layanan Paspor Indramayu", WIB, "S", False, "jabar"),
    ("CJR", "Unit Layanan Paspor Cianjur", WIB, "S", False, "jabar"),
    ("SMD", "Unit Layanan Paspor Sumedang", WIB, "S", False, "jabar"),
    ("CLP", "Kantor Imigrasi Kelas II TPI Cilacap", WIB, "M", False, "jateng"),
    ("PML", "Kantor Imigrasi Kelas II Non TPI Pemalang", WIB, "S", False, "jateng"),
    ("WNS", "Kantor Imigrasi Kelas II Non TPI Wonosobo", WIB, "S", False, "jateng"),
    ("PWT", "Unit Layanan Paspor Purwokerto", WIB, "S", False, "jateng"),
    ("KDS", "Unit Layanan Paspor Kudus", WIB, "S", False, "jateng"),
    ("MGL", "Unit Layanan Paspor Magelang", WIB, "S", False, "jateng"),
    ("TGL", "Unit Layanan Paspor Tegal", WIB, "S", False, "jateng"),
    ("MDU", "Kantor Imigrasi Kelas II Non TPI Madiun", WIB, "M", False, "jatim"),
    ("BLT", "Kantor Imigrasi Kelas II Non TPI Blitar", WIB, "S", False, "jatim"),
    ("PNR", "Kantor Imigrasi Kelas II Non TPI Ponorogo", WIB, "S", False, "jatim"),
    ("BWI", "Kantor Imigrasi Kelas II Non TPI Banyuwangi", WIB, "S", False, "jatim"),
    ("PMK", "Kantor Imigrasi Kelas II Non TPI Pamekasan", WIB, "S", False, "jatim"),
    ("BJN", "Unit Layanan Paspor Bojonegoro", WIB, "S", False, "jatim"),
    ("MJK", "Unit Layanan Paspor Mojokerto", WIB, "S", False, "jatim"),
    ("BLW", "Kantor Imigrasi Kelas I TPI Belawan", WIB, "M", True, "sumut"),
    ("LSM", "Kantor Imigrasi Kelas II TPI Lhokseumawe", WIB, "S", False, "sumut"),
    ("LGS", "Kantor Imigrasi Kelas II Non TPI Langsa", WIB, "S", False, "sumut"),
    ("MLB", "Kantor Imigrasi Kelas II Non TPI Meulaboh", WIB, "S", False, "sumut"),
    ("SBG", "Kantor Imigrasi Kelas II TPI Sabang", WIB, "S", False, "sumut"),
    ("PMS", "Kantor Imigrasi Kelas II TPI Pematangsiantar", WIB, "S", False, "sumut"),
    ("SBL", "Kantor Imigrasi Kelas II TPI Sibolga", WIB, "S", False, "sumut"),
    ("BTM", "Kantor Imigrasi Kelas I Khusus TPI Batam", WIB, "L", True, "sumsel"),
    ("TPG", "Kantor Imigrasi Kelas I TPI Tanjung Pinang", WIB, "M", True, "sumsel"),
    ("JBI", "Kantor Imigrasi Kelas I TPI Jambi", WIB, "M", True, "sumsel"),
    ("BKL", "Kantor Imigrasi Kelas I TPI Bengkulu", WIB, "M", False, "sumsel"),
    ("PGK", "Kantor Imigrasi Kelas I TPI Pangkal Pinang", WIB, "M", False, "sumsel"),
    ("DUM", "Kantor Imigrasi Kelas II TPI Dumai", WIB, "S", False, "sumsel"),
    ("BKT", "Kantor Imigrasi Kelas II Non TPI Bukittinggi", WIB, "S", False, "sumsel"),
    ("KTB", "Kantor Imigrasi Kelas II Non TPI Kotabumi", WIB, "S", False, "sumsel"),
    ("PKY", "Kantor Imigrasi Kelas I TPI Palangka Raya", WIB, "M", True, "kalbar"),
    ("SKW", "Kantor Imigrasi Kelas II TPI Singkawang", WIB, "S", False, "kalbar"),
    ("ETK", "Kantor Imigrasi Kelas II Non TPI Entikong", WIB, "S", False, "kalbar"),
    ("KTP", "Kantor Imigrasi Kelas II TPI Ketapang", WIB, "S", False, "kalbar"),
    ("PSB", "Kantor Imigrasi Kelas II Non TPI Putussibau", WIB, "S", False, "kalbar"),
    ("SGU", "Unit Layanan Paspor Sanggau", WIB, "S", False, "kalbar"),
    ("SPT", "Kantor Imigrasi Kelas II TPI Sampit", WIB, "S", False, "kalbar"),
    ("SMR", "Kantor Imigrasi Kelas I TPI Samarinda", WITA, "M", True, "kaltim"),
    ("TRK", "Kantor Imigrasi Kelas II TPI Tarakan", WITA, "S", False, "kaltim"),
    ("NNK", "Kantor Imigrasi Kelas II TPI Nunukan", WITA, "S", False, "kaltim"),
    ("KBR", "Kantor Imigrasi Kelas II TPI Kotabaru", WITA, "S", False, "kaltim"),
    ("BTL", "Kantor Imigrasi Kelas II Non TPI Batulicin", WITA, "S", False, "kaltim"),
    ("TRB", "Kantor Imigrasi Kelas II TPI Tanjung Redeb", WITA, "S", False, "kaltim"),
    ("BTN", "Unit Layanan Paspor Bontang", WITA, "S", False, "kaltim"),
    ("NGR", "Kantor Imigrasi Kelas I Khusus TPI Ngurah Rai", WITA, "L", True, "balinusa"),
    ("SGR", "Kantor Imigrasi Kelas II TPI Singaraja", WITA, "S", False, "balinusa"),
    ("SBW", "Kantor Imigrasi Kelas II Non TPI Sumbawa Besar", WITA, "S", False, "balinusa"),
    ("BIM", "Kantor Imigrasi Kelas II TPI Bima", WITA, "S", False, "balinusa"),
    ("MOF", "Kantor Imigrasi Kelas II TPI Maumere", WITA, "S", False, "balinusa"),
    ("LBJ", "Kantor Imigrasi Kelas II TPI Labuan Bajo", WITA, "S", False, "balinusa"),
    ("ABU", "Kantor Imigrasi Kelas II TPI Atambua", WITA, "S", False, "balinusa"),
    ("WGP", "Unit Layanan Paspor Waingapu", WITA, "S", False, "balinusa"),
    ("PLW", "Kantor Imigrasi Kelas I TPI Palu", WITA, "M", True, "sulawesi"),
    ("KDI", "Kantor Imigrasi Kelas I TPI Kendari", WITA, "M", True, "sulawesi"),
    ("GTO", "Kantor Imigrasi Kelas I TPI Gorontalo", WITA, "M", False, "sulawesi"),
    ("PRE", "Kantor Imigrasi Kelas II Non TPI Parepare", WITA, "S", False, "sulawesi"),
    ("BTG", "Kantor Imigrasi Kelas II TPI Bitung", WITA, "S", False, "sulawesi"),
    ("PLP", "Kantor Imigrasi Kelas II Non TPI Palopo", WITA, "S", False, "sulawesi"),
    ("MJU", "Kantor Imigrasi Kelas II Non TPI Mamuju", WITA, "S", False, "sulawesi"),
    ("BAU", "Kantor Imigrasi Kelas II TPI Baubau", WITA, "S", False, "sulawesi"),
    ("TTE", "Kantor Imigrasi Kelas I TPI Ternate", WIT, "S", True, "timur"),
    ("SOQ", "Kantor Imigrasi Kelas I TPI Sorong", WIT, "S", True, "timur"),
    ("MKW", "Kantor Imigrasi Kelas II TPI Manokwari", WIT, "S", False, "timur"),
    ("MKQ", "Kantor Imigrasi Kelas II TPI Merauke", WIT, "S", False, "timur"),
    ("BIK", "Kantor Imigrasi Kelas II TPI Biak", WIT, "S", False, "timur"),
    ("TIM", "Kantor Imigrasi Kelas II TPI Mimika", WIT, "S", False, "timur"),
    ("TUL", "Kantor Imigrasi Kelas II TPI Tual", WIT, "S", False, "timur"),
]

# clusters with no second office fall back to these neighbours (further away)
_NEIGHBOURS = {
    "jabo": "jabar",
    "jabar": "jabo",
    "jateng": "jatim",
    "jatim": "jateng",
    "sumut": "sumsel",
    "sumsel": "sumut",
    "kalbar": "sumsel",
    "kaltim": "sulawesi",
    "balinusa": "jatim",
    "sulawesi": "kaltim",
    "timur": "sulawesi",
}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_CAPACITY = {"L": (250, 400), "M": (120, 220), "S": (50, 90)}

_FIRST = _words(
    "Muhammad Ahmad Abdul Siti Nur Dewi Sri Agus Budi Rina Yusuf Fatimah Aisyah Hasan Husein "
    "Ridwan Rahmat Slamet Sutrisno Wahyu Eko Dwi Tri Rizki Fajar Putri Ayu Indah Lestari "
    "Nurul Lalu Baiq Andi Made Wayan Hendra Teguh Bambang Suharti Sumiati Jamilah Khadijah "
    "Zainab Umar"
)
_MIDDLE = _words(
    "Nur Abdul Rahman Hidayat Sari Wati Kurnia Amalia Fauzan Hakim Arif Saiful Ilham Yuli "
    "Rohmah Maulana Syarif Fitri Indra Permata Aulia Hamzah Zainal Ismail Yasin"
)
_LAST = _words(
    "Hidayat Saputra Wijaya Pratama Santoso Susanto Nasution Harahap Siregar Lubis Hasibuan "
    "Rahmawati Kusuma Setiawan Gunawan Hasan Rahman Ramli Mahmud Yusuf Syamsuddin Daeng Pohan "
    "Tanjung Ramadhan Hakim Sulaiman Zulkarnain Mahsun Amin Gani Fauzi Muslihin"
)

# mobile prefixes (Telkomsel, Indosat, XL, Tri, Smartfren)
_PHONE_PREFIX = ("811", "812", "813", "821", "822", "852", "853", "857", "877", "878", "896")

_PASSPORT_LETTERS = "BCEX"

# The shape of an application batch, each with a weight:
# booked / recorded (walk-in, unpaid) / paid (M-Paspor, not yet recorded) /
# recorded_and_paid / issued / collected.
_STAGES = ("booked", "recorded", "paid", "recorded_and_paid", "issued", "collected")

# Members are drawn from one uniform number: below 0.17 they hold a passport
# (valid, expiring or with a two-word name); the next ``Mix.not_started`` have
# not started; the rest apply.
_HOLDS_PASSPORT = 0.17


@dataclass(frozen=True)
class Mix:
    """How far along the applications are: weights of ``_STAGES`` by time to departure."""

    soon: tuple[float, ...]
    """Groups leaving within 25 days."""
    mid: tuple[float, ...]
    """Leaving in 25-59 days."""
    far: tuple[float, ...]
    """Leaving in 60 days or more."""
    not_started: float = 0.03
    """Share of all members with neither a passport nor an application."""
    mpaspor: float = 0.8
    """Share of applications paid when booking (M-Paspor); the rest pay after recording."""

    def weights(self, days_to_departure: int) -> tuple[float, ...]:
        """Groups that leave soon are further along; far-off ones have barely started."""
        if days_to_departure < 25:
            return self.soon
        if days_to_departure < 60:
            return self.mid
        return self.far


def _fixed(weights: tuple[float, ...], not_started: float, mpaspor: float = 0.8) -> Mix:
    return Mix(weights, weights, weights, not_started, mpaspor)


MIXES: dict[str, Mix] = {
    # today's file: further along the sooner the group leaves
    "default": Mix(
        soon=(2, 3, 3, 20, 25, 47), mid=(10, 8, 12, 30, 15, 25), far=(30, 12, 20, 25, 6, 7)
    ),
    # an agency early in its season: a third not started, most of the rest booked
    "early": _fixed((55, 8, 20, 10, 4, 3), not_started=0.33),
    # late in the season: mostly printed or collected, whenever the group leaves
    "late": _fixed((2, 2, 2, 10, 34, 50), not_started=0.01),
    # walk-in applicants: recorded and not yet paid, paying at the counter
    "walk-in": _fixed((8, 45, 4, 28, 8, 7), not_started=0.03, mpaspor=0.2),
}


def parse_mix(text: str) -> tuple[str, Mix]:
    """A named mix (``MIXES``) or weights ``booked=30,recorded=10,...[,not_started=5]``.

    Explicit weights hold at every time to departure; ``not_started`` weighs
    members who have not started against the stages among the 83% of members
    who hold no passport. Keys left out weigh 0. Raises ValueError.
    """
    if text in MIXES:
        return text, MIXES[text]
    if "=" not in text:
        raise ValueError(f"unknown mix {text!r}: one of {', '.join(MIXES)} or key=weight,...")
    keys = (*_STAGES, "not_started")
    found: dict[str, float] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in keys:
            raise ValueError(f"{part.strip()!r}: expected one of {', '.join(keys)} = a weight")
        if key in found:
            raise ValueError(f"{key!r} is given twice")
        try:
            weight = float(value)
        except ValueError:
            raise ValueError(f"{key}={value.strip()!r}: the weight must be a number") from None
        if not 0 <= weight < float("inf"):
            raise ValueError(f"{key}={value.strip()}: the weight must be 0 or more")
        found[key] = weight
    stages = tuple(found.get(k, 0.0) for k in _STAGES)
    if sum(stages) <= 0:
        raise ValueError("at least one stage needs a weight above 0")
    total = sum(stages) + found.get("not_started", 0.0)
    not_started = (1 - _HOLDS_PASSPORT) * found.get("not_started", 0.0) / total
    name = ",".join(f"{k}={found[k]:g}" for k in keys if k in found)
    return name, _fixed(stages, not_started)


@dataclass(frozen=True)
class Shape:
    """What kind of agency: the options of ``make_agency.py``; the defaults are today's file."""

    group_size: tuple[int, int] = (10, 45)
    offices: int = 40
    systems: int = 2
    stages: str = "default"
    """A name in MIXES or explicit weights (see :func:`parse_mix`)."""
    disruptions: int = 12
    mix: Mix = field(default=MIXES["default"], compare=False, repr=False)

    def tag(self) -> str:
        """A file-name part naming what differs from the default ('' for the default shape)."""
        parts = []
        if self.group_size != DEFAULT_SHAPE.group_size:
            parts.append(f"g{self.group_size[0]}-{self.group_size[1]}")
        if self.offices != DEFAULT_SHAPE.offices:
            parts.append(f"o{self.offices}")
        if self.systems != DEFAULT_SHAPE.systems:
            parts.append(f"y{self.systems}")
        if self.disruptions != DEFAULT_SHAPE.disruptions:
            parts.append(f"d{self.disruptions}")
        if self.stages != DEFAULT_SHAPE.stages:
            short = {"booked": "b", "recorded": "r", "paid": "p", "recorded_and_paid": "rp",
                     "issued": "i", "collected": "c", "not_started": "n"}  # fmt: skip
            tag = self.stages
            if "=" in tag:
                tag = "w" + "".join(
                    short[k] + v for k, v in (kv.split("=") for kv in tag.split(","))
                )
            parts.append(tag)
        return "".join("-" + p for p in parts)

    def describe(self) -> str:
        lo, hi = self.group_size
        return (
            f"groups of {lo}-{hi}, {self.offices} offices, {self.systems} systems, "
            f"{self.disruptions} disruptions, stages {self.stages}"
        )


DEFAULT_SHAPE = Shape()


def _daystr(days: int, cache: dict[int, str]) -> str:
    s = cache.get(days)
    if s is None:
        s = cache[days] = (AS_OF + dt.timedelta(days=days)).isoformat()
    return s


def _weekday_back(days: int) -> int:
    """Move an AS_OF-relative day back to the previous weekday when it is a weekend."""
    wd = (AS_OF.weekday() + days) % 7
    if wd == 5:
        return days - 1
    if wd == 6:
        return days - 2
    return days


def _round_robin(
    offices: Sequence[tuple[str, str, str, str, bool, str]],
) -> list[tuple[str, str, str, str, bool, str]]:
    """``offices`` taken one region at a time, in turn, so any prefix spreads over regions."""
    by_cluster: dict[str, list[tuple[str, str, str, str, bool, str]]] = {}
    for o in offices:
        by_cluster.setdefault(o[5], []).append(o)
    queues = list(by_cluster.values())
    out = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


_SIZE_ORDER = {"L": 0, "M": 1, "S": 2}


def _chosen_offices(n: int) -> list[tuple[str, str, str, str, bool, str]]:
    """The ``n`` offices of the file: OFFICES itself for 40, a spread subset or superset else.

    Fewer than 40 keeps the biggest office of each region first (one region at a
    time), in OFFICES order; more adds EXTRA_OFFICES one region at a time.
    """
    if n == len(OFFICES):
        return list(OFFICES)
    if n < len(OFFICES):
        by_size = sorted(OFFICES, key=lambda o: _SIZE_ORDER[o[3]])  # stable: list order within
        keep = {o[0] for o in _round_robin(by_size)[:n]}
        return [o for o in OFFICES if o[0] in keep]
    return list(OFFICES) + _round_robin(EXTRA_OFFICES)[: n - len(OFFICES)]


def _far(cluster: str, by_cluster: dict[str, list[str]]) -> list[str]:
    """Offices of the nearest other region that has any (the neighbour, then its neighbour...)."""
    seen = {cluster}
    c = _NEIGHBOURS[cluster]
    while c not in seen:
        if by_cluster.get(c):
            return list(by_cluster[c])
        seen.add(c)
        c = _NEIGHBOURS[c]
    return [o for k, codes in by_cluster.items() if k != cluster for o in codes]


def _office_systems(size: str, epassport: bool, systems: int) -> list[str]:
    """Every office is on SIMKIM (and SIMPONI); e-passport offices on EPASPOR; L/M on BIOMETRIK."""
    out = [SIMKIM]
    if systems >= 2 and epassport:
        out.append(EPASPOR)
    if systems >= 3 and size in ("L", "M"):
        out.append(BIOMETRIK)
    if systems >= 4:
        out.append(SIMPONI)
    return out


def _offices(rng: random.Random, shape: Shape) -> list[dict[str, Any]]:
    chosen = _chosen_offices(shape.offices)
    by_cluster: dict[str, list[str]] = {}
    for code, *_, cluster in chosen:
        by_cluster.setdefault(cluster, []).append(code)
    out = []
    for code, name, tz, size, epassport, cluster in chosen:
        lo, hi = _CAPACITY[size]
        capacity = rng.randrange(lo, hi + 1, 10)
        intake = round(capacity * rng.uniform(0.75, 0.95))
        near = [c for c in by_cluster[cluster] if c != code]
        rng.shuffle(near)
        far = _far(cluster, by_cluster)
        rng.shuffle(far)
        wanted = rng.randint(1, 3)
        alternatives = [{"office": c, "travel_days": rng.choice((0, 1))} for c in near[:wanted]]
        for c in far[: wanted - len(alternatives)]:
            alternatives.append({"office": c, "travel_days": 2})
        busy = size == "L"
        closures = []
        if rng.random() < 0.15:
            closures.append(_daystr(_weekday_back(rng.randint(3, 40)), {}))
        out.append(
            {
                "code": code,
                "name": name,
                "timezone": tz,
                "systems": _office_systems(size, epassport, shape.systems),
                "booking_days": {"low": 1, "mode": 4 if busy else 2, "high": 10 if busy else 6},
                "issue_days": {"low": 3, "mode": 4, "high": 7},
                "collect_days": {"low": 0, "mode": 1, "high": 5},
                "daily_capacity": capacity,
                "daily_intake": intake,
                "closures": closures,
                "alternatives": alternatives,
            }
        )
    return out


# The order in which ``--disruptions N`` below 12 keeps the templates: the ones
# that matter on the day (ongoing, open-ended, reported late) first.
_TEMPLATE_PRIORITY = (3, 1, 4, 5, 0, 8, 2, 10, 6, 11, 9, 7)

_EXTRA_NOTES = {
    "issuance": (
        "Printer fault; a technician is on the way.",
        "Personalisation machine out of ribbons; output reduced.",
        "Server fault at the office; printing held up.",
    ),
    "all": (
        "Power cut across the district; counters closed.",
        "Office closed for a staff event announced by the head of office.",
        "Network down; no counter can record or print.",
    ),
}


def _extra_disruption(
    rng: random.Random, systems: Sequence[str], office: Callable[[], str]
) -> dict[str, Any]:
    """One more disruption for ``--disruptions`` above 12, drawn in the templates' ranges."""

    def d(days: int) -> str:
        return _daystr(days, {})

    entry: dict[str, Any] = {}
    if rng.random() < 0.15:
        entry["systems"] = [rng.choice(list(systems))]
    else:
        entry["offices"] = [office()]
    stops = rng.choice(("issuance", "issuance", "all"))
    start = rng.randint(-30, 40)
    low = start + rng.randint(0, 3)
    mode = low + rng.randint(0, 6)
    high = None if rng.random() < 0.2 else mode + rng.randint(1, 12)
    # Announced ahead when it starts later; otherwise usually known the same day,
    # though some reach the agency late, even after AS_OF.
    ahead = start > 0
    reported = start - rng.randint(1, 14) if ahead else start + rng.choice((0, 0, 0, 1, 2, 5))
    entry.update(
        {
            "stops": stops,
            "capacity_factor": rng.choice((0.0, 0.0, 0.0, 0.4, 0.5)),
            "start": d(start),
            "recovery": {"low": d(low), "mode": d(mode), "high": None if high is None else d(high)},
            "reported": d(reported),
            "note": rng.choice(_EXTRA_NOTES[stops]),
        }
    )
    if high is not None and high < 0 and rng.random() < 0.7:
        entry["ended"] = d(max(start, min(mode, -1)))
    return entry


def _disruptions(rng: random.Random, shape: Shape, offices: Sequence[str]) -> list[dict[str, Any]]:
    def d(days: int | None) -> str | None:
        return None if days is None else _daystr(days, {})

    # (scope, stops, capacity_factor, start, (low, mode, high), reported, ended, note)
    templates: list[
        tuple[str, str, float, int, tuple[int, int, int | None], int | None, int | None, str]
    ] = [
        (
            "system:" + SIMKIM,
            "all",
            0.0,
            -40,
            (-38, -36, -30),
            -40,
            -35,
            "National data-centre outage; every counter closed, recovered with overtime.",
        ),
        (
            "system:" + EPASPOR,
            "issuance",
            0.0,
            -6,
            (2, 6, None),
            -5,
            None,
            "E-passport personalisation down; recording goes on, printing stopped.",
        ),
        (
            "system:" + EPASPOR,
            "all",
            0.0,
            30,
            (31, 31, 32),
            -3,
            None,
            "Planned one-day maintenance of the e-passport system.",
        ),
        (
            "office",
            "issuance",
            0.0,
            -3,
            (1, 3, 8),
            -2,
            None,
            "Power cut at the office; no printing, registration continues.",
        ),
        (
            "office",
            "all",
            0.0,
            -1,
            (2, 5, 14),
            -1,
            None,
            "Flooding around the office; all counters closed.",
        ),
        (
            "office",
            "issuance",
            0.4,
            -20,
            (0, 10, None),
            -18,
            None,
            "Local server fault; output down to about 40%.",
        ),
        ("office", "issuance", 0.0, 10, (12, 13, 15), -7, None, "Announced printer replacement."),
        ("office", "all", 0.0, 20, (22, 24, 30), -1, None, "Office moves to a new building."),
        (
            "office",
            "issuance",
            0.0,
            -2,
            (3, 7, 21),
            1,
            None,
            "Printing stopped; the news reached the agency late.",
        ),
        (
            "office",
            "issuance",
            0.0,
            -15,
            (-12, -10, -5),
            -14,
            -9,
            "Blank passport books ran out; resupplied.",
        ),
        ("office", "issuance", 0.5, -8, (-2, 4, 12), -7, None, "Half the printers out of service."),
        (
            "office",
            "issuance",
            0.0,
            -4,
            (4, 9, None),
            3,
            None,
            "Network link cut; no date given; reported late.",
        ),
    ]
    if shape.disruptions < len(templates):
        keep = set(_TEMPLATE_PRIORITY[: shape.disruptions])
        templates = [t for i, t in enumerate(templates) if i in keep]
    systems = [s["code"] for s in SYSTEMS[: shape.systems]]
    codes = list(offices)
    rng.shuffle(codes)

    def office() -> str:
        """A different office each time, until every one has had a disruption."""
        if not codes:
            codes.extend(offices)
            rng.shuffle(codes)
        return codes.pop()

    out = []
    for i, (scope, stops, factor, start, (low, mode, high), reported, ended, note) in enumerate(
        templates
    ):
        low = max(low, start)
        entry: dict[str, Any] = {"id": f"D{i + 1:02d}"}
        system = scope.removeprefix("system:") if scope.startswith("system:") else None
        if system in systems:
            entry["systems"] = [system]
        else:  # an office's, or a system the file does not have: one office's fault
            entry["offices"] = [office()]
        entry.update(
            {
                "stops": stops,
                "capacity_factor": factor,
                "start": d(start),
                "recovery": {"low": d(low), "mode": d(max(mode, low)), "high": d(high)},
                "reported": d(reported),
                "note": note,
            }
        )
        if ended is not None:
            entry["ended"] = d(ended)
        out.append(entry)
    while len(out) < shape.disruptions:
        out.append({"id": f"D{len(out) + 1:02d}", **_extra_disruption(rng, systems, office)})
    return out


def _dates(rng: random.Random, stage: str, cache: dict[int, str], mpaspor_share: float = 0.8
           ) -> dict[str, str]:  # fmt: skip
    """Stage dates of one application at ``stage``, all on or before AS_OF."""
    mpaspor = rng.random() < mpaspor_share  # pays when booking; walk-in pays after recording
    rec = rng.randint(1, 6)  # booked -> recorded
    pay = 0 if mpaspor else rec + rng.randint(0, 2)  # booked -> paid
    serv = max(rec, pay) if stage not in ("booked", "recorded", "paid") else 0
    issue = serv + rng.randint(3, 8)
    collect = issue + rng.randint(0, 6)
    if stage == "booked":
        span = 0
    elif stage == "recorded":
        span, pay = rec, 10_000  # not paid (walk-in)
    elif stage == "paid":
        span, pay, rec = 0, 0, 10_000  # M-Paspor, appointment still ahead
    elif stage == "recorded_and_paid":
        span = max(rec, pay)
    elif stage == "issued":
        span = issue
    else:
        span = collect
    booked = -span - rng.randint(0, 10)
    out = {"booked": _daystr(_weekday_back(booked), cache)}
    if stage == "booked":
        return out
    if rec < 10_000:
        out["recorded"] = _daystr(_weekday_back(booked + rec), cache)
    if pay < 10_000:
        out["paid"] = _daystr(_weekday_back(booked + pay), cache)
    if stage in ("issued", "collected"):
        out["issued"] = _daystr(_weekday_back(booked + issue), cache)
    if stage == "collected":
        out["collected"] = _daystr(_weekday_back(booked + collect), cache)
    return out


def _name(rng: random.Random) -> str:
    words = rng.choice((2, 3, 3, 3, 4))
    if words == 2:
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    if words == 3:
        return f"{rng.choice(_FIRST)} {rng.choice(_MIDDLE)} {rng.choice(_LAST)}"
    return f"{rng.choice(_FIRST)} {rng.choice(_MIDDLE)} {rng.choice(_MIDDLE)} {rng.choice(_LAST)}"


def _passport_number(rng: random.Random) -> str:
    return f"{rng.choice(_PASSPORT_LETTERS)}{rng.randrange(10**7):07d}"


def generate(n: int, seed: int = 0, shape: Shape = DEFAULT_SHAPE) -> dict[str, Any]:
    """A scenario document with about ``n`` travellers (whole groups, 10-45 by default)."""
    rng = random.Random(seed)
    mix = shape.mix
    lo, hi = shape.group_size
    offices = _offices(rng, shape)
    by_code = {o["code"]: o for o in offices}
    codes = list(by_code)
    weights = [o["daily_capacity"] for o in offices]
    not_started_below = _HOLDS_PASSPORT + mix.not_started  # 0.2 by default
    cache: dict[int, str] = {}
    groups: list[dict[str, Any]] = []
    total = 0
    g = 0
    while total < n:
        g += 1
        size = min(rng.randint(lo, hi), max(lo, n - total))
        office = rng.choices(codes, weights)[0]
        alts = [a["office"] for a in by_code[office]["alternatives"]]
        tz = by_code[office]["timezone"]
        to_departure = rng.randint(5, 120)
        departure = AS_OF + dt.timedelta(days=to_departure)
        expires_soon = departure + dt.timedelta(days=rng.randint(20, 170))
        gid = f"G{g:05d}"
        stage_w = mix.weights(to_departure)
        # a handful of batches: members who went to the office together
        batches = [
            _dates(rng, rng.choices(_STAGES, stage_w)[0], cache, mix.mpaspor)
            for _ in range(rng.randint(1, 4))
        ]
        batch_w = [rng.randint(1, 6) for _ in batches]
        members = []
        for j in range(size):
            name = _name(rng)
            m: dict[str, Any] = {"id": f"{gid}-{j + 1:02d}", "name": name}
            if rng.random() < 0.85:
                m["phone"] = f"+62{rng.choice(_PHONE_PREFIX)}{rng.randrange(10**8):08d}"
            if rng.random() < 0.3:
                m["nik"] = f"{rng.randrange(11, 95)}{rng.randrange(10**14):014d}"
            r = rng.random()
            apply = True
            if r < 0.10:  # holds a passport that passes the rules: ready
                m["passport"] = {
                    "number": _passport_number(rng),
                    "name": name.upper() if name.count(" ") >= 2 else f"{name.upper()} BIN AHMAD",
                    "expires": (departure + dt.timedelta(days=rng.randint(200, 3000))).isoformat(),
                }
                apply = False
            elif r < 0.14:  # passport expires too soon
                m["passport"] = {
                    "number": _passport_number(rng),
                    "name": name.upper(),
                    "expires": expires_soon.isoformat(),
                }
                apply = rng.random() < 0.5
            elif r < 0.17:  # two-word name on the passport
                short = " ".join(name.upper().split()[::2][:2])
                m["passport"] = {
                    "number": _passport_number(rng),
                    "name": short if short.count(" ") == 1 else f"{short} HASAN",
                    "expires": (departure + dt.timedelta(days=rng.randint(400, 1500))).isoformat(),
                }
                apply = rng.random() < 0.5
            elif r < not_started_below:  # not started
                apply = False
            if apply:
                if rng.random() < 0.05:  # applies at another office, alone
                    other = rng.choice(alts) if rng.random() < 0.7 else rng.choice(codes)
                    stage = rng.choices(_STAGES, stage_w)[0]
                    app = {"office": other, **_dates(rng, stage, cache, mix.mpaspor)}
                else:
                    app = {"office": office, **rng.choices(batches, batch_w)[0]}
                m["application"] = app
            members.append(m)
        hour = rng.choice((1, 6, 9, 13, 16, 20, 23))
        group: dict[str, Any] = {
            "id": gid,
            "name": f"Umrah {departure:%d %b %Y} — Rombongan {g} ({office})",
            "office": office,
            "departure": f"{departure.isoformat()}T{hour:02d}:{rng.choice((0, 30)):02d}:00"
            f"{_OFFSET[tz]}",
            "visa_lead_days": rng.choice((2, 3, 5, 7, 10, 14)),
            "members": members,
        }
        if rng.random() < 0.5:
            group["timezone"] = tz
        groups.append(group)
        total += size
    return {
        "format": "grouppass/1",
        "rules": {"min_validity_months": 6, "min_name_words": 3, "target_probability": 0.9},
        "systems": SYSTEMS[: shape.systems],
        "offices": offices,
        "disruptions": _disruptions(rng, shape, codes),
        "groups": groups,
    }


def _stage_of(a: dict[str, Any]) -> str:
    if "collected" in a:
        return "collected"
    if "issued" in a:
        return "issued"
    if "recorded" in a and "paid" in a:
        return "recorded_and_paid"
    for s in ("recorded", "paid"):
        if s in a:
            return s
    return "booked"


def stats(doc: dict[str, Any]) -> dict[str, int]:
    """Counts that matter to a forecaster: travellers, groups, distinct application dates."""
    combos: set[tuple[Any, ...]] = set()
    per_group = 0
    travellers = 0
    stages: dict[str, int] = {}
    for g in doc["groups"]:
        seen: set[tuple[Any, ...]] = set()
        for m in g["members"]:
            travellers += 1
            a = m.get("application")
            if a is None:
                key = "passport" if "passport" in m else "not_started"
            else:
                t = (
                    a["office"],
                    a.get("booked"),
                    a.get("recorded"),
                    a.get("paid"),
                    a.get("issued"),
                    a.get("collected"),
                )
                combos.add(t)
                seen.add(t)
                key = _stage_of(a)
            stages[key] = stages.get(key, 0) + 1
        per_group += len(seen)
    return {
        "travellers": travellers,
        "groups": len(doc["groups"]),
        "offices": len(doc["offices"]),
        "disruptions": len(doc["disruptions"]),
        "distinct_application_dates": len(combos),
        "sum_distinct_per_group": per_group,
        **{f"stage_{k}": v for k, v in sorted(stages.items())},
    }


def write(doc: dict[str, Any], path: Path) -> int:
    """Write ``doc`` to ``path`` (atomically); return its size in bytes."""
    data = orjson.dumps(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return len(data)


def add_shape_arguments(parser: argparse.ArgumentParser) -> None:
    """The shape options, shared by this script and bench/check.py."""
    parser.add_argument(
        "--group-size", nargs=2, type=int, metavar=("MIN", "MAX"),
        default=DEFAULT_SHAPE.group_size, help="members per group, 5-60 (default 10 45)",
    )  # fmt: skip
    parser.add_argument(
        "--offices", type=int, default=DEFAULT_SHAPE.offices, help="offices, 10-120 (default 40)"
    )
    parser.add_argument(
        "--systems", type=int, default=DEFAULT_SHAPE.systems, help="systems, 1-4 (default 2)"
    )
    parser.add_argument(
        "--stages", default=DEFAULT_SHAPE.stages,
        help=f"stage mix: one of {', '.join(MIXES)} or booked=W,recorded=W,...,not_started=W",
    )  # fmt: skip
    parser.add_argument(
        "--disruptions", type=int, default=DEFAULT_SHAPE.disruptions,
        help="disruptions, 0-30 (default 12)",
    )  # fmt: skip


def shape_from_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Shape:
    """The Shape the options name; a value out of its range is a usage error (exit 2)."""
    lo, hi = args.group_size
    if not 5 <= lo <= hi <= 60:
        parser.error(f"--group-size {lo} {hi}: need 5 <= MIN <= MAX <= 60")
    if not 10 <= args.offices <= min(120, len(OFFICES) + len(EXTRA_OFFICES)):
        parser.error(f"--offices {args.offices}: need 10-120")
    if not 1 <= args.systems <= len(SYSTEMS):
        parser.error(f"--systems {args.systems}: need 1-{len(SYSTEMS)}")
    if not 0 <= args.disruptions <= 30:
        parser.error(f"--disruptions {args.disruptions}: need 0-30")
    try:
        name, mix = parse_mix(args.stages)
    except ValueError as e:
        parser.error(f"--stages: {e}")
    return Shape((lo, hi), args.offices, args.systems, name, args.disruptions, mix)


def shape_of(options: Sequence[str]) -> Shape:
    """The Shape that shape options name (``["--offices", "120"]``); SystemExit(2) if bad."""
    parser = argparse.ArgumentParser(prog="make_agency.py")
    add_shape_arguments(parser)
    return shape_from_args(parser, parser.parse_args(list(options)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="about how many travellers")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stats", action="store_true", help="print counts to stderr")
    add_shape_arguments(parser)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    shape = shape_from_args(parser, args)
    t0 = time.perf_counter()
    doc = generate(args.n, args.seed, shape)
    if args.output is None:
        sys.stdout.buffer.write(orjson.dumps(doc))
        size = -1
    else:
        size = write(doc, args.output)
    took = time.perf_counter() - t0
    if args.stats or args.output is not None:
        s = stats(doc)
        where = args.output if args.output is not None else "stdout"
        print(
            f"wrote {where}: {s['travellers']} travellers in {s['groups']} groups, "
            f"{s['distinct_application_dates']} distinct (office, dates), "
            + (f"{size / 1e6:.1f} MB, " if size >= 0 else "")
            + f"{took:.2f} s (as_of {AS_OF})",
            file=sys.stderr,
        )
        if args.stats:
            for k, v in s.items():
                print(f"  {k}: {v}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
