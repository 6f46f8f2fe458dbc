"""An agency season with known outcomes: the scenario file and the truth behind it.

:func:`simulate_season` draws one world trajectory (offices, their queues,
every outage's true course, each member's own luck) and the agency's groups
in it: a history of groups that already departed, then the season's groups.
:meth:`Season.scenario` writes it all as an ordinary ``grouppass/1``
scenario, every stage and every ``ended`` date included, so one file can be
assessed at any ``as_of`` (the forecast ignores what is dated later).

The truth answers "was this member in time?" for any ``as_of``: a member who
has applied by then is judged on their own application; one who has not is
judged as the forecast imagines them, applying at the end of ``as_of`` at
the office the file names, with their own luck, in the same world.

>>> from grouppass.simulate import PRESETS
>>> season = simulate_season(PRESETS["as-said"], seed=1)
>>> group = season.groups[season.season_groups[0]]
>>> season.group_on_time(group.id) in (True, False)
True
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import numpy as np
from attrs import define, frozen

from grouppass.calendar import DayGrid
from grouppass.model import (
    Agency,
    Application,
    BackgroundRate,
    Disruption,
    Group,
    Member,
    Office,
    Passport,
    Rules,
    Scenario,
)
from grouppass.simulate.applications import (
    Luck,
    ServiceDays,
    Stages,
    run,
    service_days,
    service_start,
)
from grouppass.simulate.offices import SYSTEMS, make_offices
from grouppass.simulate.outages import Window, draw_outages
from grouppass.simulate.params import World
from grouppass.simulate.printing import OfficeTimeline

__all__ = ["GroupPlan", "Plan", "Season", "Traveller", "simulate_season"]

_FIRST = ("Muhammad", "Ahmad", "Siti", "Nur", "Baiq", "Lalu", "Abdul", "Dewi", "Fatimah",
          "Hasan", "Aisyah", "Rahmat", "Yusuf", "Ibrahim", "Khadijah", "Zainab", "Umar",
          "Maryam", "Halimah", "Rizki", "Wahyu", "Putri", "Agus", "Sri")  # fmt: skip
_MIDDLE = ("Abdul", "Nur", "Rahman", "Hidayat", "Aminah", "Saleh", "Karim", "Hasanah",
           "Ilham", "Sholeh", "Fauzi", "Rohani", "Zaini", "Kurnia")  # fmt: skip
_LAST = ("bin Abdullah", "binti Ahmad", "Hamid", "Suryadi", "Wibowo", "Lestari", "Hakim",
         "Nasution", "Siregar", "Rahayu", "Saputra", "Wulandari")  # fmt: skip

DAY = dt.timedelta(days=1)


@frozen
class Plan:
    """One application: at ``office``, asked for on day index ``ask``."""

    office: str
    ask: int
    express: bool = False
    """Asked for express service (percepatan): printed the day it is served at full strength."""


@define
class Traveller:
    """A member of a group and every application they made (the last one counts)."""

    group: str
    id: str
    name: str
    luck: Luck
    passport: Passport | None
    plans: list[Plan]

    @property
    def plan(self) -> Plan | None:
        return self.plans[-1] if self.plans else None


@frozen
class GroupPlan:
    """A group of the agency, as the file will say it."""

    id: str
    name: str
    office: str
    departure: dt.datetime
    visa_lead_days: int
    deadline: dt.date
    history: bool
    """Departed before the season opens: its record is what the forecast learns from."""


def _scenario_to_dict() -> Callable[[Scenario], dict[str, Any]]:
    from grouppass.formats import scenario_to_dict

    return scenario_to_dict


class Season:
    """One simulated season: offices, outages, groups and the truth of every outcome.

    Mutable in one way only: :meth:`move` gives a member a new application
    (the policies benchmark plays switching rules on it). Everything else is
    fixed when the season is drawn.
    """

    def __init__(
        self,
        world: World,
        seed: int,
        season_open: dt.date,
        grid: DayGrid,
        rules: Rules,
        offices: tuple[Office, ...],
        outages: tuple[Disruption, ...],
        timelines: dict[str, OfficeTimeline],
        groups: dict[str, GroupPlan],
        travellers: dict[tuple[str, str], Traveller],
        target_office: str,
    ) -> None:
        self.world = world
        self.seed = seed
        self.season_open = season_open
        self.grid = grid
        self.rules = rules
        self.offices = {o.code: o for o in offices}
        self.outages = outages
        self.timelines = timelines
        self.groups = groups
        self.travellers = travellers
        self.target_office = target_office
        """The office the scripted outages of this world hit (the busiest one)."""
        self.season_groups: tuple[str, ...] = tuple(g for g, p in groups.items() if not p.history)
        self.history_groups: tuple[str, ...] = tuple(g for g, p in groups.items() if p.history)
        self._stages: dict[tuple[str, str], Stages] = {}
        self._scenario: Scenario | None = None
        self._days: dict[tuple[str, str, str], ServiceDays] = {}

    # -- the file ----------------------------------------------------------------------------

    def scenario(self) -> Scenario:
        """The season as a ``grouppass/1`` scenario: every fact, past and future, dated."""
        if self._scenario is None:
            self._scenario = self._build()
        return self._scenario

    def scenario_data(self) -> dict[str, Any]:
        """:meth:`scenario` as JSON-ready data (what ``grouppass check`` reads)."""
        return _scenario_to_dict()(self.scenario())

    def _build(self) -> Scenario:
        groups = []
        for plan in self.groups.values():
            members = []
            for (gid, _), t in self.travellers.items():
                if gid == plan.id:
                    members.append(self._member(t))
            groups.append(
                Group(
                    id=plan.id,
                    name=plan.name,
                    office=plan.office,
                    departure=plan.departure,
                    visa_lead_days=plan.visa_lead_days,
                    members=tuple(members),
                    timezone=self.offices[plan.office].timezone,
                )
            )
        systems = tuple(
            s for s in SYSTEMS if any(s.code in o.systems for o in self.offices.values())
        )
        return Scenario(
            rules=self.rules,
            agency=Agency(name="PT Simulasi Umrah Sejahtera", contact="Ibu Rahmawati"),
            systems=systems,
            offices=tuple(self.offices.values()),
            disruptions=self.outages,
            groups=tuple(groups),
        )

    def _member(self, t: Traveller) -> Member:
        app = None
        if t.plan is not None:
            s = self.stages(t.group, t.id)
            assert s is not None
            date = self.grid.date
            app = Application(
                office=t.plan.office,
                booked=date(s.booked),
                recorded=date(s.recorded),
                paid=date(s.paid),
                issued=date(s.issued),
                collected=date(s.collected),
                express=t.plan.express,
            )
        return Member(id=t.id, name=t.name, passport=t.passport, application=app)

    # -- the truth ---------------------------------------------------------------------------

    def deadline(self, group_id: str) -> dt.date:
        return self.groups[group_id].deadline

    def members(self, group_id: str) -> Iterator[Traveller]:
        for (gid, _), t in self.travellers.items():
            if gid == group_id:
                yield t

    def days_at(self, t: Traveller, office: str) -> ServiceDays:
        key = (t.group, t.id, office)
        found = self._days.get(key)
        if found is None:
            found = self._days[key] = service_days(t.luck, self.offices[office], self.world)
        return found

    def stages(self, group_id: str, member_id: str) -> Stages | None:
        """Every stage of the member's current application (None: holds a passport)."""
        key = (group_id, member_id)
        found = self._stages.get(key)
        if found is None:
            t = self.travellers[key]
            if t.plan is None:
                return None
            found = self._run(t, t.plan, None)
            self._stages[key] = found
        return found

    def _run(self, t: Traveller, plan: Plan, not_before: int | None) -> Stages:
        return run(
            self.timelines[plan.office],
            self.days_at(t, plan.office),
            plan.ask,
            prepaid=t.luck.prepaid,
            express=plan.express,
            not_before=not_before,
        )

    def started(self, group_id: str, member_id: str, day: dt.date) -> bool:
        """Has the member asked for their current application by the end of ``day``?"""
        plan = self.travellers[(group_id, member_id)].plan
        return plan is not None and plan.ask <= self.grid.index(day)

    def in_hand(
        self, group_id: str, member_id: str, as_of: dt.date | None = None
    ) -> dt.date | None:
        """The day the member's passport is in hand (None: they hold a valid one already).

        With ``as_of``, a member who has not applied by then is taken to ask
        at the end of ``as_of`` at the office their application names (the
        forecast's assumption), with their own luck, in this same world.
        """
        t = self.travellers[(group_id, member_id)]
        if t.plan is None:
            return None
        if as_of is not None and not self.started(group_id, member_id, as_of):
            day = self.grid.index(as_of)
            stages = self._run(t, Plan(t.plan.office, day, t.plan.express), day + 1)
        else:
            found = self.stages(group_id, member_id)
            assert found is not None
            stages = found
        return self.grid.date(stages.collected)

    def on_time(self, group_id: str, member_id: str, as_of: dt.date | None = None) -> bool:
        day = self.in_hand(group_id, member_id, as_of)
        return day is None or day <= self.deadline(group_id)

    def group_on_time(self, group_id: str, as_of: dt.date | None = None) -> bool:
        return all(self.on_time(group_id, t.id, as_of) for t in self.members(group_id))

    def outcome_if(
        self, group_id: str, member_id: str, office: str, ask: dt.date, *, express: bool = False
    ) -> dt.date:
        """The in-hand day of a new application asked for at the end of ``ask`` at ``office``.

        With the member's own luck; it does not join the queue (one application
        more changes nothing). What an oracle that knows the whole world sees.
        """
        t = self.travellers[(group_id, member_id)]
        day = self.grid.index(ask)
        return self.grid.date(self._run(t, Plan(office, day, express), day + 1).collected)

    # -- playing a policy ---------------------------------------------------------------------

    def move(
        self,
        group_id: str,
        member_id: str,
        office: str,
        ask: dt.date,
        decided: dt.date,
        *,
        express: bool = False,
    ) -> bool:
        """Send the member to ``office``, asking on ``ask``, as decided at the end of ``decided``.

        ``express``: the new application asks for express service.

        If they had already asked for their application by ``decided``, this
        is a switch: a new application from booking (the old one stays in its
        office's queue if it was paid and recorded by then). Otherwise their
        plan simply changes. Returns True for a switch.
        """
        key = (group_id, member_id)
        t = self.travellers[key]
        decided_day = self.grid.index(decided)
        switch = t.plan is not None and t.plan.ask <= decided_day
        if t.plan is not None:
            old = t.plan
            recorded, paid = service_start(
                self.timelines[old.office],
                self.days_at(t, old.office),
                old.ask,
                t.luck.prepaid,
                None,
            )
            if max(recorded, paid) > decided_day:
                # Never recorded and paid: it never reached the printer.
                self.timelines[old.office].add_member(max(recorded, paid), -1.0)
            if not switch:
                t.plans.pop()
        plan = Plan(office, self.grid.index(ask), express)
        t.plans.append(plan)
        self._join_queue(t, plan)
        if self.world.printing.members_in_queue:
            self._stages.clear()
        else:
            self._stages.pop(key, None)
        self._scenario = None
        return switch

    def ask_express(self, group_id: str, member_id: str, decided: dt.date) -> None:
        """The member asks for express service at their office, as decided at the end of
        ``decided``: the same application, not yet recorded, served the express way.

        Raises ``ValueError`` when it was recorded by then (too late to ask).
        """
        key = (group_id, member_id)
        t = self.travellers[key]
        if t.plan is None:
            raise ValueError(f"{member_id} has no application to ask express for")
        recorded, _ = service_start(
            self.timelines[t.plan.office],
            self.days_at(t, t.plan.office),
            t.plan.ask,
            t.luck.prepaid,
            None,
        )
        if recorded <= self.grid.index(decided):
            raise ValueError(f"{member_id}'s application was recorded already")
        # Same service day, so the office's queue is unchanged: only issuance differs.
        t.plans[-1] = attrs.evolve(t.plan, express=True)
        if self.world.printing.members_in_queue:
            self._stages.clear()
        else:
            self._stages.pop(key, None)
        self._scenario = None

    def _join_queue(self, t: Traveller, plan: Plan) -> None:
        line = self.timelines[plan.office]
        recorded, paid = service_start(
            line, self.days_at(t, plan.office), plan.ask, t.luck.prepaid, None
        )
        line.add_member(max(recorded, paid))


def _rules(world: World) -> Rules:
    if world.file_says_all:
        return Rules(
            outside_view=False,
            service_tail=0.0,
            background_outages=BackgroundRate(0.0, 0.0),
            recovery_ramp=False,
        )
    return Rules()


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_MIDDLE)} {rng.choice(_LAST)}"


def _season_open(seed: int) -> dt.date:
    first = dt.date(2022, 1, 3)  # a Monday; cuti bersama is known through 2027
    return first + dt.timedelta(weeks=random.Random(f"open:{seed}").randrange(0, 180))


def simulate_season(world: World, seed: int) -> Season:
    """Draw one season of ``world``; the same world and seed give the same season.

    The geography and the agency's groups depend on ``seed`` only, so two
    worlds with one seed differ only in what their effects do.
    """
    agency = world.agency
    shape = random.Random(f"agency:{seed}")
    season_open = _season_open(seed)
    offices = make_offices(
        shape,
        shape.randint(*agency.offices),
        wide=world.service.wide_estimates,
        season_open=season_open,
    )
    codes = [o.code for o in offices]
    weights = [o.daily_capacity for o in offices]
    with_alternatives = [o for o in offices if o.alternatives]
    target = shape.choices(with_alternatives, [o.daily_capacity for o in with_alternatives])[0]
    lead = shape.randint(*agency.visa_lead_days)
    deadlines = sorted(
        season_open + (agency.first_deadline + shape.randint(0, agency.span_days)) * DAY
        for _ in range(agency.departure_days)
    )
    history_start = season_open - agency.history_days * DAY
    last_deadline = deadlines[-1]
    origin = history_start - (agency.apply_window[1] + 30) * DAY
    grid = DayGrid(origin, (last_deadline - origin).days + 400)
    rules = _rules(world)

    window = Window(history_start, last_deadline, season_open)
    outages = draw_outages(
        np.random.default_rng([seed, 1]), world, offices, window, target_office=target.code
    )
    timelines = {
        o.code: OfficeTimeline(
            o,
            rules,
            grid,
            [d for d in outages if d.hits(o)],
            world,
            np.random.default_rng([seed, 3, i]),
        )
        for i, o in enumerate(offices)
    }

    plans: dict[str, GroupPlan] = {}
    n_history = shape.randint(*agency.history_groups)
    n_season = shape.randint(*agency.groups)
    for k in range(n_history + n_season):
        history = k < n_history
        if history:
            deadline = history_start + shape.randint(60, agency.history_days - 14) * DAY
        else:
            deadline = shape.choice(deadlines)
        office = target if shape.random() < agency.focus_share else None
        code = office.code if office is not None else shape.choices(codes, weights)[0]
        zone = ZoneInfo(next(o.timezone for o in offices if o.code == code))
        departure = dt.datetime.combine(deadline + lead * DAY, dt.time(9), tzinfo=zone)
        prefix = "h" if history else "g"
        gid = f"{prefix}{k + 1:02d}-{code.lower()}-{departure:%Y%m%d}"
        plans[gid] = GroupPlan(
            id=gid,
            name=f"Umrah {departure:%d %b %Y} — rombongan {k + 1}",
            office=code,
            departure=departure,
            visa_lead_days=lead,
            deadline=deadline,
            history=history,
        )
    plans = dict(sorted(plans.items(), key=lambda kv: (kv[1].deadline, kv[0])))

    luck_rng = np.random.default_rng([seed, 2])
    travellers: dict[tuple[str, str], Traveller] = {}
    by_code = {o.code: o for o in offices}
    for plan in plans.values():
        size = shape.randint(*agency.group_size)
        batches = [
            plan.deadline - shape.randint(*agency.apply_window) * DAY
            for _ in range(shape.randint(*agency.batches))
        ]
        for j in range(size):
            mid = f"m{j + 1:02d}"
            name = _name(shape)
            luck = Luck.draw(luck_rng, world)
            if shape.random() < agency.passport_share:
                expires = plan.deadline + shape.randint(400, 3000) * DAY
                passport = Passport(f"C{shape.randrange(10**7):07d}", name, expires)
                travellers[(plan.id, mid)] = Traveller(plan.id, mid, name, luck, passport, [])
                continue
            office_code = plan.office
            alternatives = by_code[plan.office].alternatives
            if alternatives and shape.random() < agency.elsewhere_share:
                office_code = shape.choice(alternatives).office
            ask = grid.index(shape.choice(batches))
            travellers[(plan.id, mid)] = Traveller(
                plan.id, mid, name, luck, None, [Plan(office_code, ask, luck.express)]
            )
    season = Season(
        world,
        seed,
        season_open,
        grid,
        rules,
        offices,
        outages,
        timelines,
        plans,
        travellers,
        target.code,
    )
    for t in travellers.values():
        if t.plan is not None:
            season._join_queue(t, t.plan)
    return season
