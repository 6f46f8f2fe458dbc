"""docs/cli.md's JSON example is what `grouppass check` prints, cut down, not made up."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from grouppass import assess, load_scenario
from grouppass.formats import report_dict

ROOT = Path(__file__).resolve().parents[1]


def _documented() -> dict[str, Any]:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = text[text.index("### JSON (`grouppass-report/1`)") :]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    doc: dict[str, Any] = json.loads(block.group(1))
    return doc


def _contains(real: Any, shown: Any, where: str = "") -> list[str]:
    """Where ``shown`` is not a cut of ``real``: dict keys all present and equal, list
    items each found in the real list."""
    if isinstance(shown, dict):
        if not isinstance(real, dict):
            return [where]
        out = []
        if set(shown) != set(real):
            out.append(f"{where}: keys {sorted(set(shown) ^ set(real))}")
        for k, v in shown.items():
            if k in real:
                out += _contains(real[k], v, f"{where}.{k}")
        return out
    if isinstance(shown, list):
        if not isinstance(real, list):
            return [where]
        out = []
        for i, item in enumerate(shown):
            if not any(not _contains(r, item) for r in real):
                out.append(f"{where}[{i}] not in the real list")
        return out
    return [] if real == shown else [f"{where}: {shown!r} != {real!r}"]


def test_the_cli_docs_json_is_a_cut_of_the_real_report() -> None:
    doc = _documented()
    scenario = load_scenario(ROOT / "examples" / "mataram-2018.json")
    real = report_dict(assess(scenario, dt.date.fromisoformat(doc["as_of"]), distributions=False))
    assert _contains(real, doc) == []
