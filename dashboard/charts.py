"""Geometry for the admin's small inline SVG charts. The templates draw; this works out where.

Coordinates are in a fixed viewBox (the SVG scales to its box with CSS), so the figures here
never depend on the screen. Nothing is fetched from outside the page: no script, no CDN."""

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 600
HEIGHT = 200
TOP = 10
BOTTOM = 170  # the baseline; week and day labels sit below it
LEFT = 44  # room for the axis figures ("100%")
RIGHT = 596
MAX_LABELS = 10  # more columns than this and their labels would overlap


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    label: str
    title: str  # what a pointer hovering the column is told
    x: float
    width: float
    centre: float
    top: float
    segments: list[Segment]
    show_label: bool  # crowded axes label every other column, always including the last


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    gridlines: list[Gridline]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    baseline: int = BOTTOM
    label_y: int = BOTTOM + 18


def nice_ceiling(value: int) -> int:
    """A round, even axis maximum at or above value (2, 4, 6, 8, 10, 20, 40, …), so the middle
    gridline is a whole number too."""
    ceiling = 1
    while True:
        for step in (2, 4, 6, 8, 10):
            if step * ceiling >= value:
                return step * ceiling
        ceiling *= 10


def column_chart(
    bars: Sequence[tuple[str, str, Sequence[tuple[str, str, int]]]], *, maximum: int | None = None, unit: str = ""
) -> ColumnChart:
    """Stacked columns. Each bar is (label, title, segments); each segment is (key, label, value),
    stacked bottom-up in the order given. `maximum` fixes the scale (100 for percentages);
    otherwise it is the tallest column, rounded up."""
    totals = [sum(value for _, _, value in segments) for _, _, segments in bars]
    top_value = maximum or nice_ceiling(max(totals, default=0) or 1)
    plot_height = BOTTOM - TOP
    slot = (RIGHT - LEFT) / max(len(bars), 1)
    width = slot * 0.7
    label_every = 1 if len(bars) <= MAX_LABELS else 2
    columns = []
    for index, (label, title, segments) in enumerate(bars):
        x = LEFT + index * slot + (slot - width) / 2
        y = float(BOTTOM)
        stacked = []
        for key, segment_label, value in segments:
            height = plot_height * value / top_value
            y -= height
            stacked.append(Segment(key=key, label=segment_label, value=value, y=round(y, 2), height=round(height, 2)))
        columns.append(
            Column(
                label=label,
                title=title,
                x=round(x, 2),
                width=round(width, 2),
                centre=round(x + width / 2, 2),
                top=round(y, 2),
                segments=stacked,
                show_label=(len(bars) - 1 - index) % label_every == 0,
            )
        )
    gridlines = [
        Gridline(y=round(BOTTOM - plot_height * fraction, 2), label=f"{round(top_value * fraction)}{unit}")
        for fraction in (0, 0.5, 1)
    ]
    return ColumnChart(columns=columns, gridlines=gridlines)


@dataclass(frozen=True)
class SparkPoint:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class AxisLabel:
    x: float
    y: float
    text: str
    anchor: str = "middle"  # SVG text-anchor: the latest week's label ends at the plot's edge


@dataclass(frozen=True)
class Sparkline:
    points: list[SparkPoint]
    paths: list[str]  # one polyline per run of consecutive known values; gaps stay gaps
    guides: list[float]  # a faint line at each level
    level_labels: list[AxisLabel]  # the y axis: each level's name at its line
    week_labels: list[AxisLabel]  # the x axis: the latest week and every third before it
    width: int
    height: int
    left: int
    right: int
    baseline: float


def sparkline(
    values: Sequence[tuple[str, int | None]],
    *,
    levels: int,
    level_names: Sequence[str] = (),
    week_names: Sequence[str] = (),
    width: int = 480,
    height: int = 150,
) -> Sparkline:
    """A line through values from 1 to `levels` (None where nothing was recorded), with the
    levels named up the left (`level_names`, lowest first) and the weeks along the bottom
    (`week_names`, one per value: the latest and every third before it are shown)."""
    pad, left = 6, (86 if level_names else 6)
    right, top, bottom = width - 12, pad, height - (22 if week_names else pad)
    step = (right - left) / max(len(values) - 1, 1)

    def level_y(value: int) -> float:
        return round(bottom - (bottom - top) * (value - 1) / max(levels - 1, 1), 2)

    def week_x(index: int) -> float:
        return round(left + index * step, 2)

    points, paths, run = [], [], []
    for index, (title, value) in enumerate(values):
        if value is None:
            if run:
                paths.append(" ".join(run))
            run = []
            continue
        x, y = week_x(index), level_y(value)
        points.append(SparkPoint(x=x, y=y, title=title))
        run.append(f"{x},{y}")
    if run:
        paths.append(" ".join(run))
    guides = [level_y(value) for value in range(1, levels + 1)]
    level_labels = [AxisLabel(x=left - 8, y=y, text=name) for y, name in zip(guides, level_names, strict=False)]
    shown = set(range(len(week_names) - 1, -1, -3))
    week_labels = [
        AxisLabel(x=week_x(i), y=height - 4, text=name, anchor="end" if i == len(week_names) - 1 else "middle")
        for i, name in enumerate(week_names)
        if i in shown
    ]
    return Sparkline(
        points=points,
        paths=paths,
        guides=guides,
        level_labels=level_labels,
        week_labels=week_labels,
        width=width,
        height=height,
        left=left,
        right=right,
        baseline=bottom,
    )
