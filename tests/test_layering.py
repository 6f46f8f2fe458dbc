"""The library stays headless: no Textual, no TUI, no clock outside the command line."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "grouppass"
MATARAM = ROOT / "examples" / "mataram-2018.json"

# Run in a fresh interpreter: this test process has imported Textual already.
PROBE = """
import json, sys
{body}
loaded = sorted({{m.split(".")[0] for m in sys.modules}} & {{"textual", "grouppass_tui"}})
print(json.dumps({{"loaded": loaded, "code": code}}))
"""


def _probe(body: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_importing_the_library_loads_no_textual() -> None:
    body = "import grouppass, grouppass.assess, grouppass.advice, grouppass.store\ncode = 0"
    assert _probe(body) == {"loaded": [], "code": 0}


def test_grouppass_check_loads_no_textual() -> None:
    body = (
        "import contextlib, io\n"
        "from grouppass.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['check', {str(MATARAM)!r}, '--as-of', '2018-03-15',"
        " '--samples', '100', '--format', 'text', '--fail-on', 'never'])\n"
    )
    result = _probe(body)
    # The probe really ran the check: Mataram on 15 March exits 0 with --fail-on never.
    assert result == {"loaded": [], "code": 0}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            found.add("<import_module>")
    return found


def test_no_library_module_imports_the_tui() -> None:
    banned = {"textual", "grouppass_tui", "<import_module>"}
    offenders = {str(p.relative_to(SRC)): sorted(_imports(p) & banned) for p in SRC.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def _clock_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            owner = node.func.value
            of_time = isinstance(owner, ast.Name) and owner.id == "time"
            if name in ("today", "now", "utcnow") or (
                of_time and name in ("time", "monotonic", "perf_counter", "time_ns")
            ):
                out.append(f"{path.name}:{node.lineno} {name}()")
    return out


def test_only_the_command_line_reads_the_clock() -> None:
    calls = [c for p in SRC.rglob("*.py") for c in _clock_calls(p)]
    assert calls, "the scan finds the command line's own clock reads"
    assert all(c.startswith("cli") for c in calls), calls
