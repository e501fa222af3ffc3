"""Horizontal (stacked) bar charts: one bar per row, its values stacked by series.

Drawn by ``templates/portal/charts/bar_chart.html`` with the table of the same
figures beside it. Numbers are written by the chart's ``number_text`` (plain, as a
template writes them, or grouped with thousands separators).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from portal.charts.scale import FONT_PX, Number, plain_number, scale_top, text_width

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 8
LEGEND_LINE = 20
AXIS_HEIGHT = 24
TOTAL_WIDTH = 52  # room for the total after the longest bar
MIN_LABEL_WIDTH = 48
MAX_LABEL_WIDTH = 230
# Colour classes of static/css/portal.css, one per series in turn.
SERIES_CSS = ("fill-ok", "fill-warn", "fill-none", "fill-bad")


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
    values: tuple[Number, ...]
    url: str = ""
    short_label: str = ""  # drawn in the chart when the label is long; the table has both
    css: str = ""  # the bar's own colour class, instead of its series' (one-series charts)

    @property
    def total(self) -> Number:
        return sum(self.values)


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    value: Number
    series: Series
    css: str
    value_text: str


@dataclass(frozen=True)
class Bar:
    row: Row
    label: str
    y: int
    text_y: int
    total_x: float
    segments: tuple[Segment, ...]
    total_text: str


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
    text: str


@dataclass(frozen=True)
class TableRow:
    """A row of the table beside the chart: its figures as written."""

    row: Row
    cells: tuple[str, ...]
    total_text: str


@dataclass(frozen=True)
class BarChart:
    """A horizontal (stacked) bar chart ready to draw, with its table's rows."""

    id: str
    title: str
    desc: str
    label_header: str
    unit: str
    series: tuple[Series, ...]
    rows: tuple[Row, ...]
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    ticks: tuple[Tick, ...]
    table: tuple[TableRow, ...]
    series_total_texts: tuple[str, ...]
    grand_total_text: str
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
    def series_totals(self) -> tuple[Number, ...]:
        return tuple(sum(row.values[i] for row in self.rows) for i in range(len(self.series)))

    @property
    def grand_total(self) -> Number:
        return sum(row.total for row in self.rows)


def _legend(series: tuple[Series, ...]) -> tuple[list[LegendItem], int]:
    """Return the legend's items, wrapped over lines, and the last line's index."""
    # One series needs no legend: each bar is labelled (and coloured) by itself.
    legend, x, line = [], 0.0, 0
    for item in series if len(series) > 1 else ():
        width = 18 + text_width(item.label) + 18
        if x and x + width > WIDTH:
            x, line = 0.0, line + 1
        legend.append(LegendItem(item, round(x, 1), round(x + 18, 1), 4 + line * LEGEND_LINE))
        x += width
    return legend, line


def bar_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    label_header: str,
    series: Sequence[Series],
    rows: Sequence[Row],
    unit: str = "",
    total_width: int = TOTAL_WIDTH,
    number_text: Callable[[Number], str] = plain_number,
) -> BarChart:
    """Lay out one horizontal bar per row, its values stacked in the series' order."""
    series = tuple(series)
    rows = tuple(rows)
    labels = [row.short_label or row.label for row in rows]
    label_width = int(
        min(MAX_LABEL_WIDTH, max([MIN_LABEL_WIDTH, *(text_width(text) + 12 for text in labels)]))
    )
    plot_width = WIDTH - label_width - total_width
    step, scale_max = scale_top(max([1, *(math.ceil(row.total) for row in rows)]))
    scale = plot_width / scale_max
    legend, line = _legend(series)
    plot_top = (line + 1) * LEGEND_LINE + 8 if legend else 8
    bars = []
    for index, (row, label) in enumerate(zip(rows, labels, strict=True)):
        y = plot_top + index * (BAR_HEIGHT + BAR_GAP) + BAR_GAP // 2
        x = float(label_width)
        segments = []
        for item, value in zip(series, row.values, strict=True):
            if value:
                width = round(float(value) * scale, 1)
                css = row.css or item.css
                segments.append(Segment(round(x, 1), width, value, item, css, number_text(value)))
                x += width
        bars.append(
            Bar(
                row=row,
                label=label,
                y=y,
                text_y=y + BAR_HEIGHT // 2 + FONT_PX // 3,
                total_x=round(x + 6, 1),
                segments=tuple(segments),
                total_text=number_text(row.total),
            )
        )
    plot_bottom = plot_top + len(rows) * (BAR_HEIGHT + BAR_GAP)
    ticks = tuple(
        Tick(value, round(label_width + value * scale, 1), number_text(value))
        for value in range(0, scale_max + 1, step)
    )
    table = tuple(
        TableRow(row, tuple(number_text(value) for value in row.values), number_text(row.total))
        for row in rows
    )
    totals = [sum(row.values[i] for row in rows) for i in range(len(series))]
    return BarChart(
        id=chart_id,
        title=title,
        desc=desc,
        label_header=label_header,
        unit=unit,
        series=series,
        rows=rows,
        bars=tuple(bars),
        legend=tuple(legend),
        ticks=ticks,
        table=table,
        series_total_texts=tuple(number_text(total) for total in totals),
        grand_total_text=number_text(sum(row.total for row in rows)),
        width=WIDTH,
        height=plot_bottom + AXIS_HEIGHT,
        label_width=label_width,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
    )
