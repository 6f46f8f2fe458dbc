"""The agency database against TinyDB's default JSONStorage, side by side, on the same data.

    .venv/bin/python bench/store_bench.py                  # the issue's sizes
    .venv/bin/python bench/store_bench.py --small 2000 --large 20000 --rows 1000   # quicker

Targets (issue 3, "Speed"):

* saving one edited member in a database of 10,000 travellers, durable (on
  disk before the call returns): under 25 ms, and at least 5x faster than
  TinyDB's default JSONStorage doing the same update;
* opening a 100,000-traveller database and loading every group: under 1.5 s;
* importing a 5,000-row XLSX manifest: under 5 s.

Both stores hold the same documents: the TinyDB file *is* a grouppass
snapshot (same tables, same documents), updated through TinyDB's own API, so
the difference is the storage strategy alone: TinyDB reads and rewrites the
whole file for every update, grouppass appends one fsync'd line to its log.
The opening figure is measured in a fresh interpreter, after the imports.
Results also go to ``bench/out/store-bench.json``. Exit code 0 when every
target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import openpyxl
from tinydb import TinyDB

sys.path.insert(0, str(Path(__file__).parent))
from make_agency import generate

from grouppass.formats import parse_scenario
from grouppass.manifest import MANIFEST_COLUMNS, import_file
from grouppass.manifest.export import member_row
from grouppass.model import Group, Scenario
from grouppass.store import Ref, Store

T0 = dt.datetime(2026, 2, 2, 1, 0, tzinfo=dt.UTC)
OUT = Path(__file__).parent / "out"


def clock() -> dt.datetime:
    return T0


def scenario_of(n: int) -> Scenario:
    return parse_scenario(generate(n, seed=0), source=f"agency-{n}")


def build(path: Path, scenario: Scenario) -> None:
    # backup_every=None: the one-a-day backup is not what is being measured.
    Store.create(path, scenario=scenario, clock=clock, backup_every=None)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def summary(times: Sequence[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": ms(statistics.median(ordered)),
        "p95_ms": ms(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]),
        "max_ms": ms(ordered[-1]),
        "n": len(ordered),
    }


# -- 1. saving one edited member -----------------------------------------------------------------


def bench_save(folder: Path, scenario: Scenario, saves: int) -> dict[str, Any]:
    ours = folder / "save-ours.json"
    build(ours, scenario)
    tiny_path = folder / "save-tinydb.json"
    shutil.copyfile(ours, tiny_path)  # the same documents, as TinyDB reads them
    rng = random.Random(1)
    picks = [(g.id, rng.choice(g.members).id) for g in rng.choices(scenario.groups, k=saves)]

    store = Store.open(ours, clock=clock, backup_every=None)
    mine: list[float] = []
    for i, (group_id, member_id) in enumerate(picks):
        m = store.member(group_id, member_id)
        edited = attrs.evolve(m, phone=f"08{i:010d}")
        start = time.perf_counter()
        store.save_member(group_id, edited, store.version_of(Ref.member(group_id, member_id)))
        mine.append(time.perf_counter() - start)

    # Every few thousand saves one also rewrites the snapshot: what that costs.
    start = time.perf_counter()
    store.compact()
    rewrite = time.perf_counter() - start

    # TinyDB: find the document once (not timed), then time the update itself.
    theirs: list[float] = []
    with TinyDB(tiny_path) as tiny:
        members = tiny.table("members")
        ids = {(d["group"], d["data"]["id"]): d.doc_id for d in members.all()}
        for i, (group_id, member_id) in enumerate(picks[: max(10, saves // 5)]):
            doc_id = ids[(group_id, member_id)]
            data = dict(members.get(doc_id=doc_id)["data"])  # type: ignore[index]
            data["phone"] = f"08{i:010d}"
            start = time.perf_counter()
            members.update({"data": data, "version": 10**6 + i}, doc_ids=[doc_id])
            theirs.append(time.perf_counter() - start)
    a, b = summary(mine), summary(theirs)
    return {
        "travellers": sum(len(g.members) for g in scenario.groups),
        "file_mb": round(ours.stat().st_size / 2**20, 1),
        "grouppass": a,
        "tinydb_default_jsonstorage": b,
        "speedup_median": round(b["median_ms"] / a["median_ms"], 1),
        "grouppass_snapshot_rewrite_ms": ms(rewrite),
    }


# -- 2. opening a big database and loading every group -----------------------------------------

_OPEN_OURS = """
import sys, time
from grouppass.store import Store
start = time.perf_counter()
store = Store.open(sys.argv[1])
groups = store.groups()
elapsed = time.perf_counter() - start
print(elapsed, sum(len(g.members) for g in groups))
"""

_OPEN_TINY = """
import sys, time
import attrs
from tinydb import TinyDB
from grouppass.formats import structure_group, structure_member
start = time.perf_counter()
with TinyDB(sys.argv[1], access_mode="r") as db:
    heads = db.table("groups").all()
    docs = db.table("members").all()
raw = time.perf_counter() - start
by_group = {}
for d in docs:
    by_group.setdefault(d["group"], []).append(structure_member(d["data"]))
groups = [attrs.evolve(structure_group(h["data"]), members=by_group.get(h["data"]["id"], ()))
          for h in heads]
print(time.perf_counter() - start, sum(len(g.members) for g in groups), raw)
"""


def _fresh(code: str, path: Path, repeat: int) -> list[list[float]]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append([float(x) for x in out])
    return runs


def bench_open(folder: Path, scenario: Scenario, repeat: int, log_saves: int) -> dict[str, Any]:
    path = folder / "open-ours.json"
    start = time.perf_counter()
    build(path, scenario)
    built = time.perf_counter() - start
    ours = _fresh(_OPEN_OURS, path, repeat)
    theirs = _fresh(_OPEN_TINY, path, repeat)  # the compacted snapshot is a TinyDB file
    # The everyday case: changes since the last snapshot rewrite are replayed from the log.
    store = Store.open(path, clock=clock, backup_every=None, compact_after=2**40)
    rng = random.Random(2)
    for i in range(log_saves):
        g = rng.choice(scenario.groups)
        m = store.member(g.id, rng.choice(g.members).id)
        store.save_member(
            g.id, attrs.evolve(m, phone=f"08{i:010d}"), store.version_of(Ref.member(g.id, m.id))
        )
    with_log = _fresh(_OPEN_OURS, path, repeat)
    return {
        "travellers": int(ours[0][1]),
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "build_s": round(built, 2),
        "grouppass_s": round(min(r[0] for r in ours), 3),
        f"grouppass_with_{log_saves}_logged_changes_s": round(min(r[0] for r in with_log), 3),
        "tinydb_default_jsonstorage_s": round(min(r[0] for r in theirs), 3),
        "tinydb_read_only_s": round(min(r[2] for r in theirs), 3),
    }


# -- 3. importing a 5,000-row XLSX manifest -----------------------------------------------------


def _manifest(path: Path, scenario: Scenario, rows: int) -> list[Any]:
    members = [m for g in scenario.groups for m in g.members][:rows]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("jamaah")
    sheet.append([f.value for f in MANIFEST_COLUMNS][1:])  # no id column: match by passport/name
    for m in members:
        sheet.append(member_row(m, show_pii=True)[1:])
    book.save(path)
    return members


def bench_import(folder: Path, scenario: Scenario, rows: int) -> dict[str, Any]:
    xlsx = folder / "manifest.xlsx"
    members = _manifest(xlsx, scenario, rows)
    base = scenario.groups[0]
    empty = Group("besar", "Rombongan besar", base.office, base.departure)
    path = folder / "import-ours.json"
    build(path, attrs.evolve(scenario, groups=(empty,)))
    store = Store.open(path, clock=clock, backup_every=None)
    start = time.perf_counter()
    report = import_file(store, xlsx, "besar")
    first = time.perf_counter() - start
    start = time.perf_counter()
    again = import_file(store, xlsx, "besar")
    second = time.perf_counter() - start
    assert len(report.added) == len(members) and len(again.unchanged) == len(members)

    # TinyDB: read the same sheet and insert the rows as documents, nothing checked.
    tiny_path = folder / "import-tinydb.json"
    start = time.perf_counter()
    book = openpyxl.load_workbook(xlsx, read_only=True, data_only=True)
    values = list(book.worksheets[0].iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    docs = [
        {"group": "besar", "data": dict(zip(header, map(str, row), strict=False))}
        for row in values[1:]
    ]
    with TinyDB(tiny_path) as tiny:
        tiny.table("members").insert_multiple(docs)
    tiny_s = time.perf_counter() - start
    return {
        "rows": len(members),
        "grouppass_first_import_s": round(first, 2),
        "grouppass_reimport_unchanged_s": round(second, 2),
        "tinydb_read_and_insert_unchecked_s": round(tiny_s, 2),
    }


def _check(results: dict[str, Any]) -> list[tuple[str, bool]]:
    save, opened, imported = results["save"], results["open"], results["import"]
    return [
        ("save one member: median under 25 ms", save["grouppass"]["median_ms"] < 25),
        ("save one member: at least 5x faster than TinyDB", save["speedup_median"] >= 5),
        ("open and load every group: under 1.5 s", opened["grouppass_s"] < 1.5),
        ("import the XLSX manifest: under 5 s", imported["grouppass_first_import_s"] < 5),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000, help="travellers for the save test")
    parser.add_argument("--large", type=int, default=100_000, help="travellers for the open test")
    parser.add_argument("--rows", type=int, default=5_000, help="rows of the XLSX manifest")
    parser.add_argument("--saves", type=int, default=100, help="member saves to time")
    parser.add_argument("--repeat", type=int, default=3, help="fresh-interpreter opens (best of)")
    parser.add_argument("--log-saves", type=int, default=1000, help="changes left in the log")
    parser.add_argument("--dir", type=Path, help="work directory (default: a temporary one)")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {}
    steps: list[tuple[str, Callable[[Path], dict[str, Any]]]] = [
        ("save", lambda d: bench_save(d, scenario_of(args.small), args.saves)),
        ("open", lambda d: bench_open(d, scenario_of(args.large), args.repeat, args.log_saves)),
        ("import", lambda d: bench_import(d, scenario_of(max(args.rows, args.small)), args.rows)),
    ]
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for name, step in steps:
            start = time.perf_counter()
            results[name] = step(Path(tmp))
            print(f"{name} ({time.perf_counter() - start:.0f} s):", json.dumps(results[name]))
    checks = _check(results)
    for text, ok in checks:
        print(("PASS " if ok else "FAIL ") + text)
    OUT.mkdir(exist_ok=True)
    (OUT / "store-bench.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
