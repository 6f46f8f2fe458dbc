"""The ranges and caps the docs list are the ones grouppass.limits declares."""

from __future__ import annotations

import re
from pathlib import Path

from grouppass import limits

DOCS = Path(__file__).resolve().parents[1] / "docs"


def table(path: Path, heading: str) -> dict[str, str]:
    """The first two columns of the table under ``heading``: {first: second}."""
    text = path.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", section.split("\n\n#", 1)[0], re.M)
    return {a.strip("`"): b for a, b in rows if not set(a) <= set("-: ")}


def test_scenario_format_lists_every_range() -> None:
    found = table(DOCS / "scenario-format.md", "### Ranges")
    found.pop("Field")
    expected = {name: limit.describe() for name, limit in limits.NUMBERS.items()}
    expected["every date"] = limits.DATES.describe()
    assert found == expected
    text = (DOCS / "scenario-format.md").read_text(encoding="utf-8")
    assert f"at most {limits.SCENARIO_MAX_BYTES >> 20} MiB" in text


def test_cli_lists_its_ranges() -> None:
    found = table(DOCS / "cli.md", "### Ranges")
    assert found["--as-of"].startswith(limits.DATES.describe())
    assert found["--seed"].startswith(limits.SEED.describe())
    assert found["--samples"] == limits.SAMPLES.describe()


def test_manifest_lists_its_caps() -> None:
    found = table(DOCS / "manifest.md", "### Size caps")
    assert found["rows with something in them"].startswith(f"{limits.MANIFEST_MAX_ROWS:,} ")
    assert found["columns"] == str(limits.MANIFEST_MAX_COLUMNS)
    assert found["characters in one cell"] == f"{limits.MANIFEST_MAX_CELL:,}"
    assert found["a CSV file"] == f"{limits.CSV_MAX_BYTES >> 20} MiB"
    assert found["an XLSX, unpacked"].startswith(f"{limits.XLSX_MAX_BYTES >> 20} MiB")
    assert found["an XLSX member packed tighter than"].startswith(f"{limits.XLSX_MAX_RATIO} to 1")
