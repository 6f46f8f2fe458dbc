"""How the TUI declares its thread workers: one place for what they all share.

Store calls and assessments run in thread workers that post their results as
messages (the handlers change state). Each worker is in a named group, does
not take the app down when it fails (the failure is posted and shown), and
names itself: without a ``description``, Textual builds one from the repr of
the worker's arguments on the UI thread, and a scenario of 10,000 members
costs 100 ms of every save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from textual import work
from textual.worker import Worker

__all__ = ["thread_worker"]

P = ParamSpec("P")
R = TypeVar("R")


def thread_worker(
    group: str, *, exclusive: bool = False
) -> Callable[[Callable[P, R]], Callable[P, Worker[R]]]:
    """``@work`` for a thread worker in ``group`` (``exclusive``: a new one cancels the last)."""
    decorator: Callable[[Callable[P, R]], Callable[P, Worker[R]]] = work(
        thread=True, exclusive=exclusive, group=group, exit_on_error=False, description=group
    )
    return decorator
