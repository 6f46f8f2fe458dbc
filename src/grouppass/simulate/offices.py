"""The offices of a simulated season: real places, their capacities and alternatives.

Offices come in clusters (a region, one time zone): the alternatives of an
office are the others of its cluster, a day away at most, and one office of a
neighbouring cluster two days away. Every office runs on the national system
``SIMKIM``; the larger ones also on ``EPASPOR`` (e-passport personalisation),
so an outage of one system hits every office and of the other only some.
"""

from __future__ import annotations

import datetime as dt
import random

from grouppass.model import Alternative, Office, System, ThreePoint

__all__ = ["EPASPOR", "PLACES", "SIMKIM", "SYSTEMS", "make_offices"]

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
SIMKIM, EPASPOR = "SIMKIM", "EPASPOR"
SYSTEMS = (
    System(SIMKIM, "Sistem Informasi Manajemen Keimigrasian"),
    System(EPASPOR, "Sistem Personalisasi Paspor Elektronik"),
)

# code, name, time zone, size (L/M/S), cluster
PLACES: tuple[tuple[str, str, str, str, str], ...] = (
    ("JKS", "Kantor Imigrasi Kelas I Khusus Non TPI Jakarta Selatan", WIB, "L", "jabo"),
    ("JKT", "Kantor Imigrasi Kelas I Non TPI Jakarta Timur", WIB, "L", "jabo"),
    ("TNG", "Kantor Imigrasi Kelas I Non TPI Tangerang", WIB, "M", "jabo"),
    ("BGR", "Kantor Imigrasi Kelas I Non TPI Bogor", WIB, "M", "jabo"),
    ("BDG", "Kantor Imigrasi Kelas I TPI Bandung", WIB, "L", "jabar"),
    ("CRB", "Kantor Imigrasi Kelas II TPI Cirebon", WIB, "M", "jabar"),
    ("SMG", "Kantor Imigrasi Kelas I TPI Semarang", WIB, "L", "jateng"),
    ("SKA", "Kantor Imigrasi Kelas I TPI Surakarta", WIB, "M", "jateng"),
    ("YGY", "Kantor Imigrasi Kelas I TPI Yogyakarta", WIB, "M", "jateng"),
    ("SBY", "Kantor Imigrasi Kelas I Khusus TPI Surabaya", WIB, "L", "jatim"),
    ("MLG", "Kantor Imigrasi Kelas I TPI Malang", WIB, "M", "jatim"),
    ("JBR", "Kantor Imigrasi Kelas II Non TPI Jember", WIB, "S", "jatim"),
    ("MDN", "Kantor Imigrasi Kelas I Khusus TPI Medan", WIB, "L", "sumut"),
    ("PMS", "Kantor Imigrasi Kelas II TPI Pematang Siantar", WIB, "S", "sumut"),
    ("BTM", "Kantor Imigrasi Kelas I Khusus TPI Batam", WIB, "L", "kepri"),
    ("TPI", "Kantor Imigrasi Kelas I TPI Tanjung Pinang", WIB, "M", "kepri"),
    ("KRM", "Kantor Imigrasi Kelas II TPI Tanjung Balai Karimun", WIB, "S", "kepri"),
    ("PTK", "Kantor Imigrasi Kelas I TPI Pontianak", WIB, "M", "kalbar"),
    ("SBS", "Kantor Imigrasi Kelas II TPI Sambas", WIB, "S", "kalbar"),
    ("MTR", "Kantor Imigrasi Kelas I TPI Mataram", WITA, "M", "ntb"),
    ("LTM", "Unit Layanan Paspor Lombok Timur", WITA, "S", "ntb"),
    ("DPS", "Kantor Imigrasi Kelas I Khusus TPI Ngurah Rai", WITA, "L", "bali"),
    ("SGR", "Kantor Imigrasi Kelas I TPI Denpasar", WITA, "M", "bali"),
    ("MKS", "Kantor Imigrasi Kelas I TPI Makassar", WITA, "L", "sulsel"),
    ("PRE", "Kantor Imigrasi Kelas II TPI Parepare", WITA, "S", "sulsel"),
    ("BJM", "Kantor Imigrasi Kelas I TPI Banjarmasin", WITA, "M", "kalsel"),
    ("BPN", "Kantor Imigrasi Kelas I TPI Balikpapan", WITA, "M", "kalsel"),
    ("DJJ", "Kantor Imigrasi Kelas I TPI Jayapura", WIT, "M", "papua"),
    ("MRK", "Kantor Imigrasi Kelas II TPI Merauke", WIT, "S", "papua"),
)

_CAPACITY = {"L": (250, 400), "M": (120, 250), "S": (50, 100)}


def _estimate(
    rng: random.Random, low: tuple[int, int], rise: tuple[int, int], top: int
) -> ThreePoint:
    lo = rng.randint(*low)
    mode = lo + rng.randint(*rise)
    return ThreePoint(lo, mode, max(mode, lo + top))


def make_offices(
    rng: random.Random, count: int, *, wide: bool = False, season_open: dt.date | None = None
) -> tuple[Office, ...]:
    """``count`` offices (whole clusters where possible), each with alternatives.

    Issuance estimates span at most five working days unless ``wide``; a
    ``season_open`` date adds a closure day or two around it at some offices.
    """
    clusters: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for place in PLACES:
        clusters.setdefault(place[4], []).append(place)
    order = list(clusters)
    rng.shuffle(order)
    chosen: list[tuple[str, str, str, str, str]] = []
    for name in order:
        if len(chosen) >= count:
            break
        chosen.extend(clusters[name])
    # Keep whole clusters unless that overshoots a lot: an office alone has no nearby escape.
    chosen = chosen[: max(count, 2)]
    by_cluster: dict[str, list[str]] = {}
    for code, _, _, _, cluster in chosen:
        by_cluster.setdefault(cluster, []).append(code)
    cluster_names = list(by_cluster)
    offices = []
    for code, name, zone, size, cluster in chosen:
        capacity = rng.randint(*_CAPACITY[size])
        # Offices run below capacity most days: the slack is what clears a backlog.
        intake = round(capacity * rng.uniform(0.55, 0.85))
        booking = _estimate(rng, (1, 2), (0, 1), rng.randint(2, 3))
        top = rng.randint(6, 9) if wide else rng.randint(2, 4)
        issue = _estimate(rng, (3, 3), (0, 1), top)
        collect = _estimate(rng, (0, 0), (0, 1), rng.randint(1, 2))
        nearby = [
            Alternative(other, travel_days=1 if code in ("MTR", "LTM") else rng.randint(0, 1))
            for other in by_cluster[cluster]
            if other != code
        ]
        others = [c for c in cluster_names if c != cluster]
        if others:
            far = by_cluster[rng.choice(others)][0]
            nearby.append(Alternative(far, travel_days=2))
        closures: tuple[dt.date, ...] = ()
        if season_open is not None and rng.random() < 0.3:
            closures = (season_open + dt.timedelta(days=rng.randint(0, 90)),)
        systems = (
            (SIMKIM, EPASPOR) if size == "L" or (size == "M" and rng.random() < 0.5) else (SIMKIM,)
        )
        offices.append(
            Office(
                code=code,
                name=name,
                timezone=zone,
                systems=systems,
                booking_days=booking,
                issue_days=issue,
                collect_days=collect,
                daily_capacity=float(capacity),
                daily_intake=float(intake),
                closures=closures,
                alternatives=tuple(nearby),
                express=True,
            )
        )
    return tuple(offices)
