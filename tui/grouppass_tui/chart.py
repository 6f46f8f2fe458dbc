"""A small text chart: when the passport is likely in hand, against the deadline.

The forecast is a distribution, not a date (DESIGN.md), so the member screen
draws it: one column per day (or per few days when the range is long), bar
height the probability, a rule at the deadline, bars after it in the error
colour. Pure functions returning rich Text so the chart can be tested and
reused without a running app.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text

from grouppass_tui.dates import short_date
from grouppass_tui.i18n import t

__all__ = ["distribution_chart"]

_BLOCKS = " ▁▂▃▄▅▆▇█"


def _bins(
    distribution: Sequence[tuple[dt.date, float]], start: dt.date, days_per_bin: int, n: int
) -> list[float]:
    out = [0.0] * n
    for day, p in distribution:
        i = (day - start).days // days_per_bin
        out[min(max(i, 0), n - 1)] += p
    return out


def distribution_chart(
    distribution: Sequence[tuple[dt.date, float]],
    deadline: dt.date,
    *,
    width: int = 60,
    height: int = 4,
    theme: Mapping[str, str] | None = None,
) -> list[Text]:
    """Rows of a bar chart of ``distribution`` with the deadline marked.

    Returns ``height`` bar rows, an axis row and a label row. An empty
    distribution (already in hand) gives a single explanatory row.
    """
    if not distribution:
        return [Text(t("chart.none"), end="")]
    theme = theme or {}
    ok = Style(color=theme.get("success") or "green")
    late = Style(color=theme.get("error") or "red")
    rule = Style(color=theme.get("warning") or "yellow", bold=True)

    first = min(d for d, _ in distribution)
    last = max(d for d, _ in distribution)
    # Keep the deadline inside the picture even when every bar is far from it.
    start = min(first, deadline) - dt.timedelta(days=1)
    end = max(last, deadline) + dt.timedelta(days=1)
    span = (end - start).days + 1
    width = max(width, 12)
    days_per_bin = max(1, math.ceil(span / width))
    n = math.ceil(span / days_per_bin)
    bins = _bins(distribution, start, days_per_bin, n)
    top = max(bins) or 1.0
    deadline_col = (deadline - start).days // days_per_bin

    rows: list[Text] = []
    for level in range(height, 0, -1):
        row = Text(end="")
        for col, value in enumerate(bins):
            eighths = round(value / top * height * 8) - (level - 1) * 8
            block = _BLOCKS[min(max(eighths, 0), 8)]
            if col == deadline_col and block == " ":
                row.append("│", rule)
            else:
                # A bin holding the deadline counts as on time: deadline is end of day.
                row.append(block, ok if col <= deadline_col else late)
        rows.append(row)

    axis = Text("─" * n, end="")
    axis.stylize(rule, deadline_col, deadline_col + 1)
    rows.append(axis)

    ref = deadline.year
    left, right = short_date(start, ref), short_date(end, ref)
    mark = "↑ " + t("chart.deadline", date=short_date(deadline, ref))
    labels = [" "] * n
    # Deadline label first, then the two ends only where they do not collide with it.
    pos = min(max(deadline_col - 1, 0), max(n - len(mark), 0))
    _place(labels, pos, mark)
    if pos > len(left) + 1:
        _place(labels, 0, left)
    if pos + len(mark) + 1 < n - len(right):
        _place(labels, n - len(right), right)
    rows.append(Text("".join(labels).rstrip(), end=""))

    on_time = sum(p for d, p in distribution if d <= deadline)
    legend = Text(end="")
    legend.append("█ ", ok)
    legend.append(t("chart.on_time", p=f"{on_time:.0%}"))
    legend.append("   ")
    legend.append("█ ", late)
    legend.append(t("chart.after", p=f"{1 - on_time:.0%}"))
    rows.append(legend)
    return rows


def _place(cells: list[str], pos: int, text: str) -> None:
    for i, ch in enumerate(text):
        if 0 <= pos + i < len(cells):
            cells[pos + i] = ch
