"""Write a synthetic agency season as a grouppass/1 scenario file.

    python bench/make_agency.py 100000 -o bench/out/agency-100000.json --seed 0

About N travellers in groups of 10-45, 40 real-looking Indonesian passport
offices (WIB, WITA and WIT) on 2 systems, a dozen disruptions, and every
application stage. Dates are relative to ``AS_OF`` (Monday 2 February 2026,
the pre-Ramadan peak of the umrah season); assess the file ``--as-of AS_OF``.

Members of a group apply at the group's office in a few batches (a group goes
to the office together), so a group has a handful of distinct date
combinations; a few members apply at another office on their own. The output
is deterministic for a given N and seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

__all__ = ["AS_OF", "OFFICES", "generate", "main", "stats", "write"]

AS_OF = dt.date(2026, 2, 2)
"""The date the season is assessed on; every date in the file is relative to it."""

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
_OFFSET = {WIB: "+07:00", WITA: "+08:00", WIT: "+09:00"}

SIMKIM = "SIMKIM"
EPASPOR = "EPASPOR"
SYSTEMS = [
    {"code": SIMKIM, "name": "Sistem Informasi Manajemen Keimigrasian"},
    {"code": EPASPOR, "name": "Sistem Personalisasi Paspor Elektronik"},
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


def _offices(rng: random.Random) -> list[dict[str, Any]]:
    by_cluster: dict[str, list[str]] = {}
    for code, *_, cluster in OFFICES:
        by_cluster.setdefault(cluster, []).append(code)
    out = []
    for code, name, tz, size, epassport, cluster in OFFICES:
        lo, hi = _CAPACITY[size]
        capacity = rng.randrange(lo, hi + 1, 10)
        intake = round(capacity * rng.uniform(0.75, 0.95))
        near = [c for c in by_cluster[cluster] if c != code]
        rng.shuffle(near)
        far = list(by_cluster[_NEIGHBOURS[cluster]])
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
                "systems": [SIMKIM, EPASPOR] if epassport else [SIMKIM],
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


def _disruptions(rng: random.Random) -> list[dict[str, Any]]:
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
    codes = [o[0] for o in OFFICES]
    rng.shuffle(codes)
    out = []
    for i, (scope, stops, factor, start, (low, mode, high), reported, ended, note) in enumerate(
        templates
    ):
        low = max(low, start)
        entry: dict[str, Any] = {"id": f"D{i + 1:02d}"}
        if scope.startswith("system:"):
            entry["systems"] = [scope.removeprefix("system:")]
        else:
            entry["offices"] = [codes.pop()]
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
    return out


def _stage_weights(days_to_departure: int) -> tuple[int, ...]:
    """Groups that leave soon are further along; far-off ones have barely started."""
    if days_to_departure < 25:
        return (2, 3, 3, 20, 25, 47)
    if days_to_departure < 60:
        return (10, 8, 12, 30, 15, 25)
    return (30, 12, 20, 25, 6, 7)


def _dates(rng: random.Random, stage: str, cache: dict[int, str]) -> dict[str, str]:
    """Stage dates of one application at ``stage``, all on or before AS_OF."""
    mpaspor = rng.random() < 0.8  # pays when booking; walk-in pays after recording
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


def generate(n: int, seed: int = 0) -> dict[str, Any]:
    """A scenario document with about ``n`` travellers (whole groups of 10-45)."""
    rng = random.Random(seed)
    offices = _offices(rng)
    by_code = {o["code"]: o for o in offices}
    codes = list(by_code)
    weights = [o["daily_capacity"] for o in offices]
    cache: dict[int, str] = {}
    groups: list[dict[str, Any]] = []
    total = 0
    g = 0
    while total < n:
        g += 1
        size = min(rng.randint(10, 45), max(10, n - total))
        office = rng.choices(codes, weights)[0]
        alts = [a["office"] for a in by_code[office]["alternatives"]]
        tz = by_code[office]["timezone"]
        to_departure = rng.randint(5, 120)
        departure = AS_OF + dt.timedelta(days=to_departure)
        expires_soon = departure + dt.timedelta(days=rng.randint(20, 170))
        gid = f"G{g:05d}"
        stage_w = _stage_weights(to_departure)
        # a handful of batches: members who went to the office together
        batches = [
            _dates(rng, rng.choices(_STAGES, stage_w)[0], cache) for _ in range(rng.randint(1, 4))
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
            elif r < 0.20:  # not started
                apply = False
            if apply:
                if rng.random() < 0.05:  # applies at another office, alone
                    other = rng.choice(alts) if rng.random() < 0.7 else rng.choice(codes)
                    app = {"office": other, **_dates(rng, rng.choices(_STAGES, stage_w)[0], cache)}
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
        "systems": SYSTEMS,
        "offices": offices,
        "disruptions": _disruptions(rng),
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="about how many travellers")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stats", action="store_true", help="print counts to stderr")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    t0 = time.perf_counter()
    doc = generate(args.n, args.seed)
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
