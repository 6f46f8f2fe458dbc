"""Problems in a manifest, each as ``FILE:ROW: column: problem``."""

from __future__ import annotations

from collections.abc import Iterable

from grouppass.errors import LocatedProblem, ScenarioError

__all__ = ["ManifestError", "problem"]


def problem(source: str, row: int | None, column: str, message: str) -> LocatedProblem:
    """A located problem that prints as ``FILE:ROW: column: message``.

    >>> print(problem("m.csv", 7, "tgl_bayar", "not a date: '31/02/2018'"))
    m.csv:7: tgl_bayar: not a date: '31/02/2018'
    """
    where = source if row is None else f"{source}:{row}"
    return LocatedProblem(column, message, where)


class ManifestError(ScenarioError):
    """A manifest that cannot be imported (nothing was); ``problems`` lists them all."""

    def __init__(self, problems: Iterable[LocatedProblem]) -> None:
        super().__init__(problems)
