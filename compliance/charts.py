"""Geometry of server-rendered SVG bar charts (no JavaScript, no external assets).

A chart is computed here as plain numbers and strings and drawn by the template
``compliance/compliance_chart.html``, which also renders the same figures as a table
for screen readers and for anyone who prefers numbers. Colours come from CSS classes
in ``static/css/portal.css`` (the page's Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 8
LEGEND_LINE = 20
AXIS_HEIGHT = 24
TOTAL_WIDTH = 52
FONT_PX = 13
MIN_LABEL_WIDTH = 48
MAX_LABEL_WIDTH = 230


@dataclass(frozen=True)
class Series:
    """One kind of value in every bar, e.g. the non-compliant premises."""

    key: str
    label: str
    css: str


@dataclass(frozen=True)
class Row:
    """One bar: its label, a value per series (in the series' order) and an optional link."""

    label: str
    values: tuple[int, ...]
    url: str = ""
    short_label: str = ""  # drawn in the chart when the label is long; the table has both
    css: str = ""  # the bar's own colour class, instead of its series' (one-series charts)

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    value: int
    series: Series
    css: str


@dataclass(frozen=True)
class Bar:
    row: Row
    label: str
    y: int
    text_y: int
    total_x: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class LegendItem:
    series: Series
    x: float
    text_x: float
    y: int

    @property
    def text_y(self) -> int:
        return self.y + 11


@dataclass(frozen=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class BarChart:
    """A horizontal (stacked) bar chart ready to draw, with its table's rows."""

    id: str
    title: str
    desc: str
    label_header: str
    series: tuple[Series, ...]
    rows: tuple[Row, ...]
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    ticks: tuple[Tick, ...]
    width: int
    height: int
    label_width: int
    plot_top: int
    plot_bottom: int

    @property
    def stacked(self) -> bool:
        """Return whether bars are divided by series (a legend and totals then help)."""
        return len(self.series) > 1

    @property
    def bar_height(self) -> int:
        return BAR_HEIGHT

    @property
    def series_totals(self) -> tuple[int, ...]:
        return tuple(sum(row.values[i] for row in self.rows) for i in range(len(self.series)))

    @property
    def grand_total(self) -> int:
        return sum(row.total for row in self.rows)


def text_width(text: str, font_px: int = FONT_PX) -> float:
    """Estimate how wide ``text`` is drawn: CJK characters are about twice a Latin one."""
    wide = sum(1 for char in text if unicodedata.east_asian_width(char) in ("W", "F"))
    return (len(text) - wide) * font_px * 0.6 + wide * font_px * 1.05


def nice_step(maximum: int, ticks: int = 5) -> int:
    """Return a step of 1, 2 or 5 times a power of ten giving at most ``ticks`` intervals."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= step * factor * ticks:
                return step * factor
        step *= 10


def bar_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    label_header: str,
    series: Sequence[Series],
    rows: Sequence[Row],
) -> BarChart:
    """Lay out one horizontal bar per row, its values stacked in the series' order."""
    series = tuple(series)
    rows = tuple(rows)
    labels = [row.short_label or row.label for row in rows]
    label_width = int(
        min(MAX_LABEL_WIDTH, max([MIN_LABEL_WIDTH, *(text_width(text) + 12 for text in labels)]))
    )
    plot_width = WIDTH - label_width - TOTAL_WIDTH
    maximum = max([1, *(row.total for row in rows)])
    step = nice_step(maximum)
    scale_max = step * -(-maximum // step)
    scale = plot_width / scale_max
    # One series needs no legend: each bar is labelled (and coloured) by itself.
    legend, x, line = [], 0.0, 0
    for item in series if len(series) > 1 else ():
        width = 18 + text_width(item.label) + 18
        if x and x + width > WIDTH:
            x, line = 0.0, line + 1
        legend.append(LegendItem(item, round(x, 1), round(x + 18, 1), 4 + line * LEGEND_LINE))
        x += width
    plot_top = (line + 1) * LEGEND_LINE + 8 if legend else 8
    bars = []
    for index, (row, label) in enumerate(zip(rows, labels, strict=True)):
        y = plot_top + index * (BAR_HEIGHT + BAR_GAP) + BAR_GAP // 2
        x = float(label_width)
        segments = []
        for item, value in zip(series, row.values, strict=True):
            if value:
                width = round(value * scale, 1)
                segments.append(Segment(round(x, 1), width, value, item, row.css or item.css))
                x += width
        bars.append(
            Bar(
                row=row,
                label=label,
                y=y,
                text_y=y + BAR_HEIGHT // 2 + FONT_PX // 3,
                total_x=round(x + 6, 1),
                segments=tuple(segments),
            )
        )
    plot_bottom = plot_top + len(rows) * (BAR_HEIGHT + BAR_GAP)
    ticks = tuple(
        Tick(value, round(label_width + value * scale, 1))
        for value in range(0, scale_max + 1, step)
    )
    return BarChart(
        id=chart_id,
        title=title,
        desc=desc,
        label_header=label_header,
        series=series,
        rows=rows,
        bars=tuple(bars),
        legend=tuple(legend),
        ticks=ticks,
        width=WIDTH,
        height=plot_bottom + AXIS_HEIGHT,
        label_width=label_width,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
    )
