"""Line charts of monthly figures, with a reference value per month as a step line.

Drawn by ``templates/portal/charts/line_chart.html`` with the table of the same figures
beside it. The months run left to right without gaps on the axis; a month without a
figure has no point and breaks the line. A reference value per month (e.g. the
register threshold in force that month) is drawn as a dashed step line; the table
says whether each month's figure reaches it.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from portal.charts.scale import format_quantity, scale_top, text_width

WIDTH = 640
HEIGHT = 280
LEGEND_HEIGHT = 26
AXIS_HEIGHT = 26
MARGIN = 12
TICK_FONT_PX = 11
MONTH_LABEL_SPACING = 58  # px between labelled months, so that "2026-03" labels never touch


def month_label(month: datetime.date) -> str:
    """Return a month as the axis and the table write it: 2026-03."""
    return f"{month:%Y-%m}"


@dataclass(frozen=True)
class Point:
    """One month's figure, placed on the chart."""

    month: datetime.date
    value: Decimal
    x: float
    y: float
    label: str  # "2026-03: 60,000 kWh"


@dataclass(frozen=True)
class Tick:
    """A labelled position on an axis."""

    position: float
    label: str


@dataclass(frozen=True)
class TableRow:
    """One month of the table beside the chart."""

    month: datetime.date
    value: Decimal | None
    reference: Decimal | None

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def value_text(self) -> str:
        return format_quantity(self.value)

    @property
    def reference_text(self) -> str:
        return format_quantity(self.reference)

    @property
    def reaches_reference(self) -> bool:
        return None not in (self.value, self.reference) and self.value >= self.reference


@dataclass(frozen=True)
class LineChart:
    """A line of monthly figures and its reference line, ready to draw, with its table."""

    id: str
    title: str
    desc: str
    unit: str
    series_label: str
    reference_label: str
    reference_header: str  # the table's column of the reference values
    reaches_header: str  # the table's column saying whether a month reaches it
    points: tuple[Point, ...]
    lines: tuple[str, ...]  # SVG polyline "x,y x,y" strings, one per run of months
    reference_lines: tuple[str, ...]
    month_ticks: tuple[Tick, ...]
    value_ticks: tuple[Tick, ...]
    rows: tuple[TableRow, ...]
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int

    @property
    def has_reference(self) -> bool:
        return bool(self.reference_lines)

    @property
    def legend_y(self) -> int:
        return LEGEND_HEIGHT // 2

    @property
    def legend_reference_x(self) -> float:
        """Return where the reference's legend entry starts (after the series' entry)."""
        return round(self.plot_left + 40 + text_width(self.series_label) + 24, 1)

    @property
    def month_tick_y(self) -> int:
        return self.plot_bottom + 18


def _polylines(runs: list[list[tuple[float, float]]]) -> tuple[str, ...]:
    return tuple(" ".join(f"{x},{y}" for x, y in run) for run in runs if len(run) > 1)


def monthly_line_chart(
    chart_id: str,
    *,
    title: str,
    desc: str,
    unit: str,
    series_label: str,
    reference_label: str,
    reference_header: str = "",
    reaches_header: str = "",
    months: Sequence[datetime.date],
    values: Mapping[datetime.date, Decimal],
    references: Mapping[datetime.date, Decimal | None],
) -> LineChart:
    """Lay out ``values`` over the consecutive ``months``, with ``references`` as a step line."""
    months = tuple(months)
    known = [*values.values(), *(r for r in references.values() if r is not None)]
    step, scale_max = scale_top(max([1, *(math.ceil(v) for v in known)]))
    value_ticks_text = [format_quantity(v) for v in range(0, scale_max + 1, step)]
    plot_left = MARGIN + int(max(text_width(t, TICK_FONT_PX) for t in value_ticks_text)) + 8
    plot_right = WIDTH - MARGIN
    plot_top = LEGEND_HEIGHT + 8
    plot_bottom = HEIGHT - AXIS_HEIGHT
    slot = (plot_right - plot_left) / max(1, len(months))

    def y_of(value) -> float:
        return round(plot_bottom - float(value) / scale_max * (plot_bottom - plot_top), 1)

    points, runs, reference_runs, rows = [], [[]], [[]], []
    for index, month in enumerate(months):
        x = round(plot_left + (index + 0.5) * slot, 1)
        value = values.get(month)
        reference = references.get(month)
        rows.append(TableRow(month, value, reference))
        if value is None:
            runs.append([])
        else:
            point = Point(
                month,
                value,
                x,
                y_of(value),
                f"{month_label(month)}: {format_quantity(value)} {unit}",
            )
            points.append(point)
            runs[-1].append((point.x, point.y))
        if reference is None:
            reference_runs.append([])
        else:
            left, right = round(x - slot / 2, 1), round(x + slot / 2, 1)
            reference_runs[-1] += [(left, y_of(reference)), (right, y_of(reference))]
    every = max(1, math.ceil(MONTH_LABEL_SPACING / slot))
    month_ticks = tuple(
        Tick(round(plot_left + (i + 0.5) * slot, 1), month_label(month))
        for i, month in enumerate(months)
        if i % every == 0
    )
    value_ticks = tuple(
        Tick(y_of(value), text)
        for value, text in zip(range(0, scale_max + 1, step), value_ticks_text, strict=True)
    )
    return LineChart(
        id=chart_id,
        title=title,
        desc=desc,
        unit=unit,
        series_label=series_label,
        reference_label=reference_label,
        reference_header=reference_header,
        reaches_header=reaches_header,
        points=tuple(points),
        lines=_polylines(runs),
        reference_lines=_polylines(reference_runs),
        month_ticks=month_ticks,
        value_ticks=value_ticks,
        rows=tuple(reversed(rows)),  # the table reads newest first
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
    )
