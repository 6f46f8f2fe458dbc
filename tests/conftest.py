"""Fixtures shared by the library tests; the builders live in gp_builders.py."""

from __future__ import annotations

import pytest
from gp_builders import make_office

from grouppass.model import Office


@pytest.fixture
def office_a() -> Office:
    return make_office("A")
