"""The geometry of the response-time charts, drawn as SVG by the templates (no JavaScript).

Numbers in, coordinates out; the templates add the words (title, description, labels), and
every figure is in a table beside the chart as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .statistics import ResponseTimes


class Share(Protocol):
    """A row of a chart of shares: a department's response times, a charter's promise."""

    @property
    def label(self) -> str: ...

    @property
    def share_in_time(self) -> float | None: ...


LABEL_WIDTH = 250  # room for the department's name left of its bar
BAR_AREA = 400
BAR_HEIGHT = 22
ROW_HEIGHT = 34
COLUMN_WIDTH = 40
COLUMN_GAP = 14
PLOT_HEIGHT = 200
TOP = 20


@dataclass(frozen=True)
class Bar:
    row: ResponseTimes | Share
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    bars: list[Bar]
    axis_y: float = 0  # the base line of a column chart
    promise_y: float | None = None  # the promised days, as a line across the columns


def share_bars(rows: list[ResponseTimes] | list[Share]) -> Chart:
    """One horizontal bar per row: the share answered within the promised time (per
    department), or the share of cases in which a promise was kept (the charter)."""
    bars = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        width = BAR_AREA * (row.share_in_time or 0)
        bars.append(
            Bar(
                row=row,
                x=LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                label_x=LABEL_WIDTH - 8,
                label_y=y + BAR_HEIGHT * 0.7,
                value_x=LABEL_WIDTH + width + 6,
                value_y=y + BAR_HEIGHT * 0.7,
            )
        )
    return Chart(
        width=LABEL_WIDTH + BAR_AREA + 60, height=TOP + len(rows) * ROW_HEIGHT + 10, bars=bars
    )


def median_columns(rows: list[ResponseTimes], *, promised_days: int) -> Chart:
    """One column per month: the median days to the first official answer."""
    highest = max([promised_days, *(row.median_days or 0 for row in rows)]) * 1.15
    scale = PLOT_HEIGHT / highest
    axis_y = TOP + PLOT_HEIGHT
    bars = []
    for index, row in enumerate(rows):
        x = 10 + index * (COLUMN_WIDTH + COLUMN_GAP)
        height = (row.median_days or 0) * scale
        bars.append(
            Bar(
                row=row,
                x=x,
                y=round(axis_y - height, 1),
                width=COLUMN_WIDTH,
                height=round(height, 1),
                label_x=x + COLUMN_WIDTH / 2,
                label_y=axis_y + 16,
                value_x=x + COLUMN_WIDTH / 2,
                value_y=round(axis_y - height - 5, 1),
            )
        )
    return Chart(
        width=20 + len(rows) * (COLUMN_WIDTH + COLUMN_GAP),
        height=axis_y + 30,
        bars=bars,
        axis_y=axis_y,
        promise_y=round(axis_y - promised_days * scale, 1),
    )
