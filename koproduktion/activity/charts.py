"""The geometry of the funnel's charts, drawn as SVG by the templates (no JavaScript).

Numbers in, coordinates out; the templates add the words, and every figure is in a table too.
"""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import FunnelRow, StageFigure

LABEL_WIDTH = 150  # the stage's name left of its bar
BAR_AREA = 420
BAR_HEIGHT = 26
ROW_HEIGHT = 38
TOP = 10
COLUMN_WIDTH = 34
COLUMN_GAP = 12
PLOT_HEIGHT = 160


@dataclass(frozen=True)
class Bar:
    figure: StageFigure | FunnelRow
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
    axis_y: float = 0


def funnel_bars(row: FunnelRow) -> Chart:
    """One bar per stage, centred, as wide as its count against the first stage's."""
    widest = max([figure.count.value or 0 for figure in row.stages] + [1])
    bars = []
    for index, figure in enumerate(row.stages):
        y = TOP + index * ROW_HEIGHT
        width = round(BAR_AREA * (figure.count.value or 0) / widest, 1)
        x = round(LABEL_WIDTH + (BAR_AREA - width) / 2, 1)
        bars.append(
            Bar(
                figure=figure,
                x=x,
                y=y,
                width=width,
                height=BAR_HEIGHT,
                label_x=LABEL_WIDTH - 8,
                label_y=round(y + BAR_HEIGHT * 0.68, 1),
                value_x=LABEL_WIDTH + BAR_AREA + 8,
                value_y=round(y + BAR_HEIGHT * 0.68, 1),
            )
        )
    return Chart(
        width=LABEL_WIDTH + BAR_AREA + 110, height=TOP + len(bars) * ROW_HEIGHT + 4, bars=bars
    )


def month_columns(rows: list[FunnelRow]) -> Chart:
    """One column per month: how many people took part."""
    highest = max([row.participation.value or 0 for row in rows] + [1]) * 1.15
    axis_y = TOP + 14 + PLOT_HEIGHT
    bars = []
    for index, row in enumerate(rows):
        x = 10 + index * (COLUMN_WIDTH + COLUMN_GAP)
        height = round(PLOT_HEIGHT * (row.participation.value or 0) / highest, 1)
        bars.append(
            Bar(
                figure=row,
                x=x,
                y=round(axis_y - height, 1),
                width=COLUMN_WIDTH,
                height=height,
                label_x=x + COLUMN_WIDTH / 2,
                label_y=axis_y + 16,
                value_x=x + COLUMN_WIDTH / 2,
                value_y=round(axis_y - height - 5, 1),
            )
        )
    return Chart(
        width=20 + len(rows) * (COLUMN_WIDTH + COLUMN_GAP),
        height=axis_y + 26,
        bars=bars,
        axis_y=axis_y,
    )
