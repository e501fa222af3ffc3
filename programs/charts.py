"""Server-rendered SVG bar charts of a programme's figures (no JavaScript, no assets).

The geometry is computed here from plain rows (labels and ``Decimal`` or ``int``
values) and drawn by ``templates/programs/_chart.html``, which renders the same figures
as a table for screen readers and for anyone who prefers numbers. The queries that
gather the rows live with the pages (:mod:`programs.views.figures`); colours are the
portal's CSS classes (the Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 8
LEGEND_LINE = 20
AXIS_HEIGHT = 24
TOTAL_WIDTH = 84
FONT_PX = 13
MIN_LABEL_WIDTH = 48
MAX_LABEL_WIDTH = 230
# Colour classes of static/css/portal.css, one per series in turn.
SERIES_CSS = ("fill-ok", "fill-warn", "fill-none", "fill-bad")

Number = int | Decimal


def format_number(value: Number) -> str:
    """Return ``value`` with the language's thousands separator and no trailing zeros."""
    places = 0
    if isinstance(value, Decimal):
        value = value.normalize()
        places = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Series:
    """One kind of value in every bar, e.g. the cities of programme year 1."""

    key: str
    label: str
    css: str


@dataclass(frozen=True)
class Row:
    """One bar: its label, a value per series (in the series' order) and an optional link."""

    label: str
    values: tuple[Number, ...]
    url: str = ""

    @property
    def total(self) -> Number:
        return sum(self.values)

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(format_number(value) for value in self.values)

    @property
    def total_text(self) -> str:
        return format_number(self.total)


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    value: Number
    series: Series

    @property
    def value_text(self) -> str:
        return format_number(self.value)


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

    @property
    def text(self) -> str:
        return format_number(self.value)


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
    def series_totals(self) -> tuple[str, ...]:
        return tuple(
            format_number(sum(row.values[i] for row in self.rows)) for i in range(len(self.series))
        )

    @property
    def grand_total(self) -> str:
        return format_number(sum(row.total for row in self.rows))


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
    unit: str = "",
) -> BarChart:
    """Lay out one horizontal bar per row, its values stacked in the series' order."""
    series = tuple(series)
    rows = tuple(rows)
    labels = [row.label for row in rows]
    label_width = int(
        min(MAX_LABEL_WIDTH, max([MIN_LABEL_WIDTH, *(text_width(text) + 12 for text in labels)]))
    )
    plot_width = WIDTH - label_width - TOTAL_WIDTH
    maximum = max([1, *(math.ceil(row.total) for row in rows)])
    step = nice_step(maximum)
    scale_max = step * -(-maximum // step)
    scale = plot_width / scale_max
    # One series needs no legend: each bar is labelled by itself.
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
                width = round(float(value) * scale, 1)
                segments.append(Segment(round(x, 1), width, value, item))
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
        unit=unit,
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


def cities_by_country(counts: Sequence[tuple[str, int, int]], *, url_for=None) -> BarChart | None:
    """Chart the cities per country, stacked by programme year.

    ``counts`` holds ``(country, programme year, number of cities)``; a country's bar
    links to ``url_for(country)`` when given (the list filtered to that country).
    """
    if not counts:
        return None
    years = sorted({year for _country, year, _count in counts})
    countries = sorted({country for country, _year, _count in counts})
    by_key = {(country, year): count for country, year, count in counts}
    series = [
        Series(str(year), _("Year %(year)s") % {"year": year}, SERIES_CSS[i % len(SERIES_CSS)])
        for i, year in enumerate(years)
    ]
    rows = [
        Row(
            country,
            tuple(by_key.get((country, year), 0) for year in years),
            url=url_for(country) if url_for else "",
        )
        for country in countries
    ]
    return bar_chart(
        "chart-cities",
        title=_("Cities by country and programme year"),
        desc=_("One bar per country; each programme year's cities are a segment of it."),
        label_header=_("Country"),
        series=series,
        rows=rows,
    )


def reductions_by_country(totals: Sequence[tuple[str, Decimal]]) -> BarChart | None:
    """Chart the expected reductions (tCO2 per year) of the projects in each country."""
    if not totals:
        return None
    label = _("Expected reduction (tCO2/yr)")
    return bar_chart(
        "chart-reductions",
        title=_("Expected reductions by country (tCO2/yr)"),
        desc=_(
            "One bar per country: the sum of its projects' expected reductions, "
            "in tonnes of CO2 per year, where the source gives a yearly figure."
        ),
        label_header=_("Country"),
        series=[Series("tco2", label, SERIES_CSS[0])],
        rows=[Row(country, (total,)) for country, total in totals],
        unit="tCO2/yr",
    )


def attendance_by_edition(editions: Sequence[tuple[str, int]]) -> BarChart | None:
    """Chart the participants of each edition of a programme's seminars."""
    if not editions:
        return None
    return bar_chart(
        "chart-attendance",
        title=_("Seminar attendance by edition"),
        desc=_("One bar per edition: the participants the source counts."),
        label_header=_("Edition"),
        series=[Series("participants", _("Participants"), SERIES_CSS[0])],
        rows=[Row(label, (participants,)) for label, participants in editions],
    )
