"""The in-hand date distribution of one member, drawn to the widget's width."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget

from grouppass.results import MemberAssessment
from grouppass_tui.chart import distribution_chart
from grouppass_tui.i18n import t

__all__ = ["DistributionChart"]


class DistributionChart(Widget):
    """Bars of P(in hand on that day) with the deadline marked; redrawn on resize."""

    DEFAULT_CSS = """
    DistributionChart {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._figures: MemberAssessment | None = None
        self._deadline: dt.date | None = None

    def show(self, figures: MemberAssessment | None, deadline: dt.date | None) -> None:
        self._figures, self._deadline = figures, deadline
        self.refresh(layout=True)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        if self._figures is None or not self._figures.distribution:
            return 1
        return 4 + 3

    def render(self) -> RenderResult:
        if self._figures is None or self._deadline is None:
            return Text(t("chart.waiting"), style="dim")
        rows = distribution_chart(
            self._figures.distribution,
            self._deadline,
            width=max(self.size.width - 2, 12),
            height=4,
            theme=self.app.theme_variables,
        )
        return Text("\n").join(rows)
