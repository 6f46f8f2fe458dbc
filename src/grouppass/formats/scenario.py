"""The interchange file (JSON, ``"format": "grouppass/1"``) to and from the model.

Every problem in a file is reported, each with its place in the file::

    groups[0].members[3].application.paid: not a date: '31-02-2018'

The per-record readers (:mod:`.records`) and writers (:mod:`.unstructure`)
are what the store uses for its documents; :func:`parse_scenario` is built
from them plus the checks that need the whole file: unknown office or system
codes and duplicate ids. docs/scenario-format.md describes the format.

>>> s = parse_scenario({"format": "grouppass/1", "systems": [{"code": "SIMKIM"}]})
>>> s.systems[0].code
'SIMKIM'
>>> scenario_to_dict(s)["systems"]
[{'code': 'SIMKIM', 'name': ''}]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import orjson

from grouppass import limits
from grouppass._files import write_atomic
from grouppass._gc import gc_paused
from grouppass.errors import LocatedProblem, ScenarioError
from grouppass.formats.records import (
    TOP_KEYS,
    read_agency,
    read_disruption,
    read_group,
    read_office,
    read_rules,
    read_system,
    unique,
)
from grouppass.formats.unstructure import (
    unstructure_agency,
    unstructure_disruption,
    unstructure_group,
    unstructure_office,
    unstructure_rules,
    unstructure_system,
)
from grouppass.formats.values import Ctx
from grouppass.model import Rules, Scenario

__all__ = ["FORMAT", "dump_scenario", "load_scenario", "parse_scenario", "scenario_to_dict"]

FORMAT = "grouppass/1"
"""The value of ``format`` this module reads and writes."""

T = TypeVar("T")

_SECTIONS = ("systems", "offices", "disruptions", "groups")


# -- the whole file ----------------------------------------------------------


def _codes(raw: Sequence[Any], key: str) -> frozenset[str]:
    return frozenset(
        item[key] for item in raw if isinstance(item, Mapping) and isinstance(item.get(key), str)
    )


def _section(
    ctx: Ctx,
    raw: Sequence[Any],
    key: str,
    read: Callable[[Ctx, object, str], T | None],
    id_key: str,
) -> list[T]:
    out = [read(ctx, item, f"{key}[{i}]") for i, item in enumerate(raw)]
    unique(ctx, raw, id_key, key)
    return [x for x in out if x is not None]


def parse_scenario(
    data: object,
    source: str | None = None,
    *,
    offices: Iterable[str] = (),
    systems: Iterable[str] = (),
) -> Scenario:
    """A scenario from decoded JSON; raises ScenarioError listing every problem.

    ``source`` (usually the file name) is attached to each problem.
    ``offices`` and ``systems`` are codes known elsewhere (an agency database
    the file is imported into): the file may refer to them without declaring
    them. The scenario returned holds only what the file declares.

    >>> parse_scenario({"format": "grouppass/1", "groups": [{"id": "G1", "name": "Nashif",
    ...     "office": "MTR", "departure": "2018-05-16T09:00:00+08:00"}]}, "season.json")
    Traceback (most recent call last):
    grouppass.errors.ScenarioError: season.json: groups[0].office: unknown office 'MTR'
    """
    with gc_paused():
        return _parse(data, source, frozenset(offices), frozenset(systems))


def _parse(
    data: object, source: str | None, known_offices: frozenset[str], known_systems: frozenset[str]
) -> Scenario:
    ctx = Ctx(source)
    top = ctx.obj(data, "", TOP_KEYS)
    if top is None:
        ctx.check()
    assert top is not None
    fmt = top.get("format")
    if fmt is None:
        ctx.add("format", f'required field is missing; write "format": {FORMAT!r}')
    elif fmt != FORMAT:
        # Another version's fields would only bury this problem under noise.
        ctx.add("format", f"unsupported format {fmt!r}; this version reads {FORMAT!r}")
        ctx.check()
    rules = Rules() if top.get("rules") is None else read_rules(ctx, top["rules"], "rules")
    agency = None if top.get("agency") is None else read_agency(ctx, top["agency"], "agency")
    raw = {key: ctx.items(top, key, "") for key in _SECTIONS}
    # Codes come from the raw entries, so one bad field in an office does not
    # also turn every reference to it into an "unknown office".
    ctx.systems = _codes(raw["systems"], "code") | known_systems
    ctx.offices = _codes(raw["offices"], "code") | known_offices
    systems = _section(ctx, raw["systems"], "systems", read_system, "code")
    offices = _section(ctx, raw["offices"], "offices", read_office, "code")
    disruptions = _section(ctx, raw["disruptions"], "disruptions", read_disruption, "id")
    groups = _section(ctx, raw["groups"], "groups", read_group, "id")
    ctx.check()
    assert rules is not None
    return Scenario(
        rules=rules,
        agency=agency,
        systems=systems,
        offices=offices,
        disruptions=disruptions,
        groups=groups,
    )


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as JSON-ready data; ``parse_scenario`` reads it back equal."""
    with gc_paused():
        return _to_dict(scenario)


def _to_dict(scenario: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {"format": FORMAT}
    if scenario.agency is not None:
        out["agency"] = unstructure_agency(scenario.agency)
    return out | {
        "rules": unstructure_rules(scenario.rules),
        "systems": [unstructure_system(s) for s in scenario.systems],
        "offices": [unstructure_office(o) for o in scenario.offices],
        "disruptions": [unstructure_disruption(d) for d in scenario.disruptions],
        "groups": [unstructure_group(g) for g in scenario.groups],
    }


# -- files -------------------------------------------------------------------


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def _decode(data: bytes, name: str) -> object:
    if not data.strip():
        raise ScenarioError([LocatedProblem("", "the file is empty", name)])
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        error = exc
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        # orjson blames position 0 for bad UTF-8 anywhere; find the real byte.
        line, col = _line_col(data, bad.start)
        problem = f"not UTF-8 text: byte 0x{data[bad.start]:02x} at line {line}, column {col}"
    else:
        # orjson fills in json's lineno/colno (counted in characters, not bytes).
        problem = f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    raise ScenarioError([LocatedProblem("", problem, name)])


def load_scenario(
    path: str | os.PathLike[str],
    *,
    offices: Iterable[str] = (),
    systems: Iterable[str] = (),
) -> Scenario:
    """Read a scenario file; raises ScenarioError naming the file in every problem.

    ``offices`` and ``systems``: codes the file may use without declaring them
    (see :func:`parse_scenario`).
    """
    name = os.fspath(path)
    cap = limits.SCENARIO_MAX_BYTES
    try:
        with open(name, "rb") as f:
            # One byte past the cap tells a file over it from one at it; a file known
            # to be over it (or a device that never ends) is not read into memory whole.
            size = os.fstat(f.fileno()).st_size
            data = b"" if size > cap else f.read(cap + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ScenarioError([LocatedProblem("", f"cannot read the file: {reason}", name)]) from None
    if size > cap or len(data) > cap:
        mib = cap // (1 << 20)
        raise ScenarioError(
            [LocatedProblem("", f"too big for a scenario file (over {mib} MiB)", name)]
        )
    # Windows editors like to start UTF-8 files with a byte order mark; orjson refuses it.
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return parse_scenario(_decode(data, name), source=name, offices=offices, systems=systems)


def dump_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write the scenario to ``path`` atomically: readers see the old file or the new one.

    The file is readable by its owner only (0600), new or replaced, as it
    holds personal data (passport numbers, NIK).
    """
    data = orjson.dumps(
        scenario_to_dict(scenario), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
    )
    write_atomic(Path(os.path.abspath(os.fspath(path))), data)
