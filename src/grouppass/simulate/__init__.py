"""Agency seasons with known outcomes, for calibration, policies and the track record.

The simulator draws one world trajectory (offices and their print queues,
every outage's true course, each member's own luck) and writes it as an
ordinary ``grouppass/1`` scenario with every stage dated, so one file can be
assessed at any ``as_of``; :class:`Season` knows what truly happened, and
what would have happened to a member who applied on any given day.

It never reads the clock: a world and a seed give the same season every time.

>>> import grouppass.simulate as sim
>>> season = sim.simulate_season(sim.PRESETS["realistic"], seed=7)
>>> scenario = season.scenario()              # what the agency's file says
>>> gid = season.season_groups[0]
>>> isinstance(season.group_on_time(gid), bool)
True
"""

from __future__ import annotations

from grouppass.simulate.applications import Luck, ServiceDays, Stages
from grouppass.simulate.params import (
    PRESETS,
    Agency,
    Duration,
    Durations,
    Estimates,
    Outages,
    Printing,
    Scripted,
    Service,
    World,
    preset,
    variant,
)
from grouppass.simulate.season import GroupPlan, Plan, Season, Traveller, simulate_season

__all__ = [
    "PRESETS",
    "Agency",
    "Duration",
    "Durations",
    "Estimates",
    "GroupPlan",
    "Luck",
    "Outages",
    "Plan",
    "Printing",
    "Scripted",
    "Season",
    "Service",
    "ServiceDays",
    "Stages",
    "Traveller",
    "World",
    "preset",
    "simulate_season",
    "variant",
]
