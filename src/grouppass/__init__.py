"""grouppass: will every pilgrim's passport be in hand before the group's deadline?

>>> import datetime as dt, grouppass
>>> scenario = grouppass.load_scenario("examples/mataram-2018.json")
>>> report = grouppass.assess(scenario, dt.date(2018, 3, 15))
>>> [(m.name, m.risk.value) for m in report.groups[0].members][:1]
[('Muhammad Nashif', 'at_risk')]
"""

from __future__ import annotations

from grouppass.assess import assess, deadline_of
from grouppass.errors import GrouppassError, LocatedProblem, ScenarioError
from grouppass.formats import dump_scenario, load_scenario, parse_scenario, scenario_to_dict
from grouppass.model import (
    Agency,
    Alternative,
    Application,
    BackgroundRate,
    Disruption,
    DisruptionKind,
    Group,
    Member,
    Office,
    Passport,
    Recovery,
    Rules,
    Scenario,
    Stage,
    Stops,
    System,
    ThreePoint,
    Title,
)
from grouppass.results import (
    Action,
    Advice,
    Assessment,
    GroupAssessment,
    MemberAssessment,
    Problem,
    ProblemCode,
    Risk,
)

__all__ = [
    "Action",
    "Advice",
    "Agency",
    "Alternative",
    "Application",
    "Assessment",
    "BackgroundRate",
    "Disruption",
    "DisruptionKind",
    "Group",
    "GroupAssessment",
    "GrouppassError",
    "LocatedProblem",
    "Member",
    "MemberAssessment",
    "Office",
    "Passport",
    "Problem",
    "ProblemCode",
    "Recovery",
    "Risk",
    "Rules",
    "Scenario",
    "ScenarioError",
    "Stage",
    "Stops",
    "System",
    "ThreePoint",
    "Title",
    "assess",
    "deadline_of",
    "dump_scenario",
    "load_scenario",
    "parse_scenario",
    "scenario_to_dict",
]
