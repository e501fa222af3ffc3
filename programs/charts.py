"""Which figures of a programme are charted: cities, expected reductions, attendance.

The rows come from the page's queries (:mod:`programs.views.figures`); the geometry,
the drawing and the table beside each chart are :mod:`portal.charts`. Numbers are
written with thousands separators.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.charts import SERIES_CSS, BarChart, Row, Series, bar_chart, grouped_number

# Room for a grouped total such as "150,128" after the longest bar.
TOTAL_WIDTH = 84


def _bar_chart(chart_id: str, **layout) -> BarChart:
    return bar_chart(chart_id, total_width=TOTAL_WIDTH, number_text=grouped_number, **layout)


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
    return _bar_chart(
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
    return _bar_chart(
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
    return _bar_chart(
        "chart-attendance",
        title=_("Seminar attendance by edition"),
        desc=_("One bar per edition: the participants the source counts."),
        label_header=_("Edition"),
        series=[Series("participants", _("Participants"), SERIES_CSS[0])],
        rows=[Row(label, (participants,)) for label, participants in editions],
    )
