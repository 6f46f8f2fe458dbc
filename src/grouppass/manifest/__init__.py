"""Manifests in and out: the spreadsheets agencies keep, and the database.

* :func:`import_file` reads a CSV, XLSX or scenario file into one group, all
  or nothing (``skip_bad`` to leave bad rows out), updating rather than
  duplicating members on re-import;
* :func:`export_group` and :func:`export_report` write a group and its risk
  report back out, with personal data masked and no cell a spreadsheet would
  run as a formula.

docs/manifest.md lists the columns and the date forms read (:func:`grouppass.dates.parse_date`).
"""

from __future__ import annotations

from grouppass.manifest._errors import ManifestError
from grouppass.manifest.cells import safe_cell
from grouppass.manifest.columns import Field
from grouppass.manifest.export import (
    MANIFEST_COLUMNS,
    REPORT_COLUMNS,
    Format,
    export_group,
    export_report,
    group_scenario,
)
from grouppass.manifest.importer import ImportReport, import_file

__all__ = [
    "MANIFEST_COLUMNS",
    "REPORT_COLUMNS",
    "Field",
    "Format",
    "ImportReport",
    "ManifestError",
    "export_group",
    "export_report",
    "group_scenario",
    "import_file",
    "safe_cell",
]
