"""Reading and writing grouppass's own files: the scenario (``grouppass/1``) and the report.

* :mod:`.values` reads JSON values (dates, numbers, codes) with located problems;
* :mod:`.records` turns JSON objects into model records (``structure_office``...),
  :mod:`.unstructure` the reverse (``unstructure_office``...); the store keeps
  its documents in the same shape;
* :mod:`.scenario` reads and writes a whole scenario file;
* :mod:`.report` writes an assessment as ``grouppass-report/1`` JSON.

docs/scenario-format.md describes the scenario file, docs/cli.md the report.
"""

from __future__ import annotations

from grouppass.formats.records import (
    structure_agency,
    structure_disruption,
    structure_group,
    structure_member,
    structure_office,
    structure_rules,
    structure_system,
)
from grouppass.formats.report import REPORT_FORMAT, render_json, report_dict, write_json
from grouppass.formats.scenario import (
    FORMAT,
    dump_scenario,
    load_scenario,
    parse_scenario,
    scenario_to_dict,
)
from grouppass.formats.unstructure import (
    unstructure_agency,
    unstructure_disruption,
    unstructure_group,
    unstructure_member,
    unstructure_office,
    unstructure_rules,
    unstructure_system,
)

__all__ = [
    "FORMAT",
    "REPORT_FORMAT",
    "dump_scenario",
    "load_scenario",
    "parse_scenario",
    "render_json",
    "report_dict",
    "scenario_to_dict",
    "structure_agency",
    "structure_disruption",
    "structure_group",
    "structure_member",
    "structure_office",
    "structure_rules",
    "structure_system",
    "unstructure_agency",
    "unstructure_disruption",
    "unstructure_group",
    "unstructure_member",
    "unstructure_office",
    "unstructure_rules",
    "unstructure_system",
    "write_json",
]
