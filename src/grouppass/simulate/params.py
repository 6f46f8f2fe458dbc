"""What a simulated world does: every effect the simulator has, with its strength.

A :class:`World` is a bundle of frozen parameter groups, one per effect
(officials' estimates, outages, service-time tails, printing after a
recovery, the agency's shape). :data:`PRESETS` holds the named worlds the
benchmarks use; :func:`variant` jitters a preset's effects per season, so a
forecast that does well is not tuned to one set of numbers.

>>> PRESETS["as-said"].printing.ramp_days
0
>>> sorted(PRESETS)[:3]
['as-said', 'long-tails', 'optimistic']
"""

from __future__ import annotations

import random

import attrs
from attrs import field, frozen

from grouppass.model import DisruptionKind

__all__ = [
    "PRESETS",
    "Agency",
    "Duration",
    "Durations",
    "Estimates",
    "Outages",
    "Printing",
    "Scripted",
    "Service",
    "World",
    "preset",
    "variant",
]


def _share(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name}: must be in [0, 1], got {value!r}")


def _non_negative(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value >= 0:
        raise ValueError(f"{attribute.name}: must be >= 0, got {value!r}")


@frozen
class Duration:
    """How long outages of one kind really last: a lognormal in calendar days.

    Heavy-tailed on purpose: most outages are short, a few run for months
    (Dabo Singkep 2017: 8+ weeks; FACTS.md's reference class).
    """

    median_days: float = field(validator=_non_negative)
    sigma: float = field(validator=_non_negative)
    ramp_scale: float = 1.0
    """How much longer than usual printing takes to come back to full after this kind."""
    cap_days: float = 240.0


@frozen
class Durations:
    """The true duration of outages, by kind (FACTS.md's reference class)."""

    local_fault: Duration = Duration(18.0, 0.75)
    """Parts come from Jakarta: weeks to months (Dabo Singkep, Karimun, Mataram)."""
    system_change: Duration = Duration(7.0, 0.7)
    """Maintenance and upgrades: days to weeks (biometrics Nov 2018, SIMKIM 2.0 Jun 2019)."""
    data_centre: Duration = Duration(6.0, 0.35, ramp_scale=2.0)
    """PDN 2024: printing again after about 6 days; clearing the backlog took longer."""

    def of(self, kind: DisruptionKind) -> Duration:
        duration: Duration = getattr(self, kind.value)
        return duration


@frozen
class Estimates:
    """What the officials say about a recovery, against what happens."""

    as_stated: bool = False
    """The truth is drawn from the stated estimate itself (the world the file describes)."""
    optimism: float = field(default=1.0, validator=_non_negative)
    """True duration / the stated most likely duration, median (1: unbiased; 2: twice as long)."""
    noise: float = field(default=0.3, validator=_non_negative)
    """Lognormal spread of that ratio from one outage to the next."""
    none_share: float = field(default=0.0, validator=_share)
    """Share of outages with no estimate at all ("belum bisa dipastikan"): ``recovery: null``."""
    open_high_share: float = field(default=0.3, validator=_share)
    """Share of estimates with no latest date (``high: null``)."""


@frozen
class Scripted:
    """An outage the season is built around (the policies benchmark's worlds)."""

    scope: str
    """``"office"``: the busiest office; ``"system"``: the system every office runs on."""
    kind: DisruptionKind
    start_day: int
    """Days after the season opens."""

    def __attrs_post_init__(self) -> None:
        if self.scope not in ("office", "system"):
            raise ValueError(f"scope must be 'office' or 'system', got {self.scope!r}")


@frozen
class Outages:
    """How often outages happen, and when the organiser learns of them."""

    office_rate: float = field(default=1.5, validator=_non_negative)
    """Outages per office per year (Poisson)."""
    system_rate: float = field(default=1.5, validator=_non_negative)
    """Outages per shared system per year (Poisson)."""
    announced_ahead: bool = False
    """Every outage is in the file from before the season opens, so none is a surprise."""
    report_lag: tuple[int, int] = (0, 4)
    """Days from start to ``reported``: uniform whole days in this range."""
    all_share: float = field(default=0.15, validator=_share)
    """Share that close every counter (``stops: all``) rather than printing only."""
    slowdown_share: float = field(default=0.15, validator=_share)
    """Share that only slow printing (capacity factor 0.3-0.6) rather than stop it."""
    durations: Durations = Durations()
    scripted: tuple[Scripted, ...] = ()


@frozen
class Service:
    """Members' own service times beyond the office's three-point estimates."""

    tail_share: float = field(default=0.0, validator=_share)
    """Share of applications whose issuance runs past the estimate's ``high``."""
    tail_days: float = field(default=4.0, validator=_non_negative)
    """Mean working days past ``high`` for those (exponential)."""
    booking_tail_share: float = field(default=0.0, validator=_share)
    """The same for booking to recording (a missed or moved appointment)."""
    pay_late_share: float = field(default=0.0, validator=_share)
    """Walk-in applicants who pay one or two working days after recording."""
    prepaid_share: float = field(default=0.7, validator=_share)
    """M-Paspor applicants, who pay when they book."""
    wide_estimates: bool = False
    """Offices state issuance estimates wider than five working days."""


@frozen
class Printing:
    """An office's print queue: background intake, and printing after a recovery."""

    intake_noise: bool = False
    """Background applications arrive as a Poisson count rather than exactly ``daily_intake``."""
    intake_scale: float = field(default=1.0, validator=_non_negative)
    """True background intake / the stated ``daily_intake``."""
    capacity_noise: float = field(default=0.0, validator=_non_negative)
    """Lognormal spread of a normal day's printing."""
    members_in_queue: bool = False
    """The agency's own applications join the queue on top of the background intake."""
    ramp_days: int = 0
    """Working days printing takes to come back to full after a recovery (0: at once)."""
    ramp_floor: float = field(default=0.3, validator=_share)
    """Capacity factor on the first day back."""
    ramp_noise: float = field(default=0.0, validator=_non_negative)
    """Lognormal spread of each ramp day's factor: printing is uneven."""
    overtime: float = field(default=1.0, validator=_non_negative)
    """Capacity factor once the ramp is over and a backlog remains (overtime, weekend work)."""
    express_share: float = field(default=0.0, validator=_share)
    """Members who ask for express service (same day, except while printing ramps up)."""


@frozen
class Agency:
    """The shape of the agency's season: offices, groups, members, history."""

    offices: tuple[int, int] = (4, 10)
    groups: tuple[int, int] = (10, 20)
    group_size: tuple[int, int] = (10, 40)
    departure_days: int = 5
    """Distinct departure days in the season (groups share them)."""
    span_days: int = 70
    """Days between the first and the last deadline."""
    first_deadline: int = 63
    """Days from the season's opening to the first deadline."""
    visa_lead_days: tuple[int, int] = (7, 21)
    apply_window: tuple[int, int] = (10, 80)
    """Members ask for an appointment between this many days before the deadline."""
    batches: tuple[int, int] = (1, 4)
    """A group goes to the office in this many batches."""
    elsewhere_share: float = field(default=0.05, validator=_share)
    """Members who apply at an alternative of the group's office on their own."""
    passport_share: float = field(default=0.05, validator=_share)
    """Members who already hold a valid passport."""
    history_days: int = 365
    """Days of history before the season opens (departed groups, ended outages)."""
    history_groups: tuple[int, int] = (6, 12)
    focus_share: float = field(default=0.0, validator=_share)
    """Share of groups at the busiest office (the one scripted outages hit)."""


@frozen
class World:
    """Every effect of a simulated world. Build one with ``attrs.evolve`` on a preset."""

    name: str
    description: str
    estimates: Estimates = Estimates()
    outages: Outages = Outages()
    service: Service = Service()
    printing: Printing = Printing()
    agency: Agency = Agency()
    file_says_all: bool = False
    """Write the rules that tell the forecast the file is the whole truth (no outside
    view, no tail, no unannounced outages, no ramp): the as-said world."""


_AS_SAID = World(
    name="as-said",
    description="the world behaves exactly as the file says",
    estimates=Estimates(as_stated=True, none_share=0.0),
    outages=Outages(announced_ahead=True, report_lag=(0, 0)),
    service=Service(),
    printing=Printing(),
    file_says_all=True,
)

_OPTIMISTIC = attrs.evolve(
    _AS_SAID,
    name="optimistic",
    description="officials' first estimates run 2x late; a quarter give none",
    estimates=Estimates(optimism=2.0, none_share=0.25),
    outages=Outages(announced_ahead=True, report_lag=(0, 0)),
    file_says_all=False,
)

_LONG_TAILS = attrs.evolve(
    _AS_SAID,
    name="long-tails",
    description="15% of applications run past the promised days (mean 5 more)",
    service=Service(tail_share=0.15, tail_days=5.0, booking_tail_share=0.05, pay_late_share=0.1),
    file_says_all=False,
)

_UNEVEN_RAMP = attrs.evolve(
    _AS_SAID,
    name="uneven-ramp",
    description="printing comes back over 10 working days, unevenly",
    printing=Printing(
        ramp_days=10, ramp_floor=0.25, ramp_noise=0.4, overtime=1.2, capacity_noise=0.08
    ),
    file_says_all=False,
)

_UNANNOUNCED = attrs.evolve(
    _AS_SAID,
    name="unannounced",
    description="outages nobody has announced yet, reported 0-4 days after they start",
    estimates=Estimates(as_stated=True),
    outages=Outages(announced_ahead=False, report_lag=(0, 4)),
    file_says_all=False,
)

_REALISTIC = World(
    name="realistic",
    description="all together: optimistic officials, tails, uneven ramp, surprises",
    estimates=Estimates(optimism=2.0, noise=0.4, none_share=0.3),
    outages=Outages(report_lag=(0, 4)),
    service=Service(tail_share=0.1, tail_days=4.0, booking_tail_share=0.05, pay_late_share=0.1),
    printing=Printing(
        intake_noise=True,
        intake_scale=1.03,
        capacity_noise=0.08,
        members_in_queue=True,
        ramp_days=8,
        ramp_floor=0.3,
        ramp_noise=0.35,
        overtime=1.3,
    ),
)

_REALISTIC_MILD = attrs.evolve(
    _REALISTIC,
    name="realistic-mild",
    description="all together, milder: officials 1.4x late, 6% tails, short ramp",
    estimates=Estimates(optimism=1.4, noise=0.3, none_share=0.15),
    outages=Outages(office_rate=1.0, system_rate=1.0, report_lag=(0, 2)),
    service=Service(tail_share=0.06, tail_days=3.0, pay_late_share=0.05),
    printing=attrs.evolve(_REALISTIC.printing, ramp_days=5, ramp_noise=0.25),
)

_REALISTIC_HARSH = attrs.evolve(
    _REALISTIC,
    name="realistic-harsh",
    description="all together, harsher: officials 3x late, 20% tails, wide estimates",
    estimates=Estimates(optimism=3.0, noise=0.5, none_share=0.4),
    outages=Outages(office_rate=2.0, system_rate=2.0, report_lag=(1, 6)),
    service=Service(
        tail_share=0.2,
        tail_days=6.0,
        booking_tail_share=0.1,
        pay_late_share=0.15,
        wide_estimates=True,
    ),
    printing=attrs.evolve(_REALISTIC.printing, ramp_days=12, ramp_noise=0.45, intake_scale=1.06),
)

PRESETS: dict[str, World] = {
    w.name: w
    for w in (
        _AS_SAID,
        _OPTIMISTIC,
        _LONG_TAILS,
        _UNEVEN_RAMP,
        _UNANNOUNCED,
        _REALISTIC,
        _REALISTIC_MILD,
        _REALISTIC_HARSH,
    )
}
"""The named worlds; ``as-said`` matches the forecast's assumptions, the rest do not."""


def preset(name: str) -> World:
    """A named world, or a ``KeyError`` listing the names there are."""
    try:
        return PRESETS[name]
    except KeyError:
        raise KeyError(f"no preset {name!r} (presets: {', '.join(PRESETS)})") from None


def variant(world: World, seed: int, spread: float = 0.35) -> World:
    """``world`` with each effect's strength scaled by a seeded factor in [1-spread, 1+spread].

    Effects that are off stay off, so the as-said world stays as said.

    >>> v = variant(PRESETS["as-said"], 3)
    >>> v.estimates.as_stated, v.printing.ramp_days, v.service.tail_share
    (True, 0, 0.0)
    """
    rng = random.Random(f"variant:{world.name}:{seed}")

    def scale(x: float, cap: float | None = None) -> float:
        out = x * rng.uniform(1 - spread, 1 + spread)
        return out if cap is None else min(out, cap)

    est = world.estimates
    if not est.as_stated:
        est = attrs.evolve(
            est,
            optimism=max(1.0, 1.0 + scale(est.optimism - 1.0)),
            noise=scale(est.noise),
            none_share=scale(est.none_share, 0.9),
        )
    out = world.outages
    out = attrs.evolve(out, office_rate=scale(out.office_rate), system_rate=scale(out.system_rate))
    svc = world.service
    svc = attrs.evolve(
        svc,
        tail_share=scale(svc.tail_share, 0.5),
        tail_days=scale(svc.tail_days),
        booking_tail_share=scale(svc.booking_tail_share, 0.5),
        pay_late_share=scale(svc.pay_late_share, 0.5),
    )
    pr = world.printing
    pr = attrs.evolve(
        pr,
        intake_scale=1.0 + scale(pr.intake_scale - 1.0),
        capacity_noise=scale(pr.capacity_noise),
        ramp_days=round(scale(pr.ramp_days)),
        ramp_noise=scale(pr.ramp_noise),
        overtime=1.0 + scale(pr.overtime - 1.0),
    )
    return attrs.evolve(world, estimates=est, outages=out, service=svc, printing=pr)
