"""Server-rendered SVG charts, shared by every app (no JavaScript, no external assets).

A chart is laid out here as plain numbers and strings and drawn by a template of
``templates/portal/charts/`` (bars: ``bar_chart.html``; monthly lines:
``line_chart.html``), which renders the same figures as a table beside the chart, for
screen readers and for anyone who prefers numbers; the ``<svg>`` is labelled by its
``<title>`` and ``<desc>``. Colours are CSS classes of ``static/css/portal.css`` (the
Content-Security-Policy forbids inline styles). The apps decide only which figures to
chart (e.g. ``compliance.rulebook.views.dashboard``, ``programs.charts``).
"""

from portal.charts.bars import SERIES_CSS, BarChart, Row, Series, bar_chart
from portal.charts.lines import MONTH_LABEL_SPACING, LineChart, month_label, monthly_line_chart
from portal.charts.scale import (
    format_quantity,
    grouped_number,
    nice_step,
    plain_number,
    text_width,
)

__all__ = [
    "MONTH_LABEL_SPACING",
    "SERIES_CSS",
    "BarChart",
    "LineChart",
    "Row",
    "Series",
    "bar_chart",
    "format_quantity",
    "grouped_number",
    "month_label",
    "monthly_line_chart",
    "nice_step",
    "plain_number",
    "text_width",
]
