"""Horizontal bar charts drawn on the server as SVG: each bar's label above it, its length, its value as written.

Labels sit above their bars rather than beside them, so that a chart stays readable on a 360 px wide screen.
"""

from dataclasses import dataclass

WIDTH = 300  # SVG units; the chart scales to its box, so about one unit per pixel on a phone
PLOT_WIDTH = 230  # the longest bar, leaving room for its value
ROW_HEIGHT = 42
AXIS_ROOM = 20  # below the bars, for the target's label


@dataclass(frozen=True)
class Bar:
    label: str
    shown: str  # the value as the person's language writes it
    length: float
    y: int


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on the page: the ids of its title and description
    title: str
    description: str
    bars: list[Bar]
    target_x: float | None = None
    target_label: str = ""
    width: int = WIDTH

    @property
    def height(self) -> int:
        return ROW_HEIGHT * len(self.bars) + (AXIS_ROOM if self.target_x is not None else 4)


def bar_chart(
    key: str,
    title: str,
    description: str,
    values: list[tuple[str, float, str]],
    scale: float | None = None,
    target: float | None = None,
    target_label: str = "",
) -> BarChart:
    """Bars for (label, value, value as shown); the scale is the largest value unless given (100 for percentages)."""
    largest = scale or max((value for _, value, _ in values), default=0) or 1
    bars = [
        Bar(label, shown, PLOT_WIDTH * value / largest, ROW_HEIGHT * row)
        for row, (label, value, shown) in enumerate(values)
    ]
    target_x = PLOT_WIDTH * target / largest if target is not None else None
    return BarChart(key, title, description, bars, target_x, target_label)
