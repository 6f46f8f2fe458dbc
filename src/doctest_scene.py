"""Where the docstring examples of src/grouppass run (``pytest --doctest-modules``).

The examples are written as a developer would type them in a checkout: paths
such as ``examples/mataram-2018.json`` are the project's, ``agency.json`` is
the Mataram example's database (``grouppass db init --from
examples/mataram-2018.json``) and ``store`` is that database, open. So that an
example can write without touching the checkout or the developer's own data,
each runs in a fresh temporary directory holding a copy of ``examples/`` and
that database, made at a fixed time (never the clock) by "siti".

This module is not part of the package (the wheel ships ``src/grouppass``
only); pyproject.toml loads it as a pytest plugin (``-p doctest_scene``),
rather than as a conftest.py beside the package, which would be a second
top-level module named ``conftest`` to pytest and mypy besides tests/'.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

# grouppass is imported only when an example needs the scene: pytest loads this
# plugin before any test, and a test may be about what importing grouppass does.
PACKAGE = Path(__file__).resolve().parent / "grouppass"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MADE_AT = dt.datetime(2018, 3, 15, 2, 0, tzinfo=dt.UTC)
"""When the scene's database was made, and the time of every change made through ``store``."""


@pytest.fixture(autouse=True)
def doctest_scene(request: pytest.FixtureRequest) -> None:
    """For an example in the package: a copy of examples/ and the Mataram database
    in the working directory. Other tests are left alone."""
    if PACKAGE not in Path(request.node.path).resolve().parents:
        return
    from grouppass import load_scenario
    from grouppass.store import Store

    tmp_path: Path = request.getfixturevalue("tmp_path")
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    doctest_namespace: dict[str, object] = request.getfixturevalue("doctest_namespace")
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    # A developer's own database must not be the one an example writes to.
    monkeypatch.delenv("GROUPPASS_DB", raising=False)
    store = Store.create(
        "agency.json",
        scenario=load_scenario("examples/mataram-2018.json"),
        clock=lambda: MADE_AT,
        actor="siti",
    )
    monkeypatch.setitem(doctest_namespace, "store", store)
