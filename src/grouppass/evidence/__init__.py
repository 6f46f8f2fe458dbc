"""What the forecast learns from: the reference class of real outages and the agency's records."""

from __future__ import annotations
