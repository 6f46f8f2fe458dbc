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


def test_the_streamed_report_is_the_whole_document_byte_for_byte() -> None:
    """``check --format json`` writes the report a group at a time (write_json); the
    pieces must join to what one orjson.dumps of the whole document gives, even where
    a group's name spells the text the head is cut at."""
    import io

    import orjson
    from gp_builders import D, make_group, make_office, make_scenario, paid_member

    from grouppass.formats import render_json, write_json

    tricky = '"groups":[ {"x": 1}'
    scenario = make_scenario(
        [make_office("A")],
        [
            make_group([paid_member("a1", paid=D(2018, 3, 1))], id="G1", name=tricky),
            make_group([paid_member("b1", paid=D(2018, 3, 2))], id="G2"),
            make_group([paid_member("c1", paid=D(2018, 3, 5))], id="G3"),
        ],
    )
    report = assess(scenario, D(2018, 3, 5), samples=50)
    whole = orjson.dumps(report_dict(report))
    out = io.BytesIO()
    write_json(report, out)
    assert out.getvalue() == whole
    assert render_json(report) == whole
    assert [g["name"] for g in json.loads(whole)["groups"]] == [
        tricky,
        "Rombongan Uji",
        "Rombongan Uji",
    ]
    # And an empty season: the groups list is [] and the tail follows it.
    empty = assess(make_scenario([make_office("A")]), D(2018, 3, 5), samples=50)
    out = io.BytesIO()
    write_json(empty, out)
    assert out.getvalue() == orjson.dumps(report_dict(empty))
    assert json.loads(out.getvalue())["groups"] == []
