"""The one chart module: bars and monthly lines, drawn with the table of their figures."""

from __future__ import annotations

import ast
import datetime
import re
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

import portal.charts
from portal.charts import (
    Row,
    Series,
    bar_chart,
    format_quantity,
    grouped_number,
    monthly_line_chart,
    plain_number,
)

DOMAIN_APPS = {"compliance", "inspections", "subsidies", "programs"}


def _chart(**changes):
    layout = {
        "title": "Premises by status",
        "desc": "One bar per status.",
        "label_header": "Status",
        "series": [Series("ok", "Compliant", "fill-ok"), Series("bad", "Not", "fill-bad")],
        "rows": [Row("Xinyi", (1200, 3), url="/x"), Row("Da'an", (0, 8))],
        **changes,
    }
    return bar_chart("chart-status", **layout)


def test_the_chart_module_imports_no_domain_app():
    for path in Path(portal.charts.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        modules = {
            name.split(".")[0]
            for node in ast.walk(tree)
            for name in (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
        }
        assert not modules & DOMAIN_APPS, path.name


def test_numbers_are_written_plain_or_grouped_as_the_chart_asks():
    plain, grouped = _chart(), _chart(number_text=grouped_number, total_width=84)
    assert [t.text for t in plain.ticks][-1] == "1500"
    assert [t.text for t in grouped.ticks][-1] == "1,500"
    assert plain.table[0].cells == ("1200", "3") and grouped.table[0].cells == ("1,200", "3")
    assert (plain.series_total_texts, plain.grand_total_text) == (("1200", "11"), "1211")
    assert (plain.series_totals, plain.grand_total) == ((1200, 11), 1211)
    assert grouped_number(Decimal("1000.50")) == "1,000.5" and plain_number(7) == "7"
    assert format_quantity(Decimal("40000.00")) == "40,000" and format_quantity(None) == ""


def test_a_bar_chart_is_labelled_and_has_the_table_of_its_figures():
    with translation.override("en"):
        html = render_to_string("portal/charts/bar_chart.html", {"chart": _chart()})
    assert 'aria-labelledby="chart-status-title chart-status-desc"' in html
    assert '<title id="chart-status-title">Premises by status</title>' in html
    assert '<desc id="chart-status-desc">One bar per status.</desc>' in html
    table = re.search(r'<table id="chart-status-table">.*?</table>', html, re.S)[0]
    assert '<a href="/x">Xinyi</a></th><td class="number">1200</td>' in table
    assert '<th scope="row">Total</th>' in table and '<td class="number">1211</td>' in table
    assert html.count('class="bar fill-ok" data-series="ok"') == 1  # Da'an has none
    assert "<script" not in html and "style=" not in html


def test_a_line_chart_takes_its_tables_headers_from_the_app():
    months = [datetime.date(2026, month, 1) for month in (1, 2, 3)]
    chart = monthly_line_chart(
        "chart-use",
        title="Use",
        desc="Monthly use.",
        unit="kWh",
        series_label="Use (kWh)",
        reference_label="Threshold",
        reference_header="Threshold (kWh)",
        reaches_header="Reaches it",
        months=months,
        values={months[0]: Decimal(10), months[2]: Decimal(30)},
        references=dict.fromkeys(months, Decimal(20)),
    )
    html = render_to_string("portal/charts/line_chart.html", {"chart": chart})
    assert (
        '<th scope="col" class="number">Threshold (kWh)</th><th scope="col">Reaches it</th>' in html
    )
    assert 'aria-labelledby="chart-use-title chart-use-desc"' in html
    assert len(chart.lines) == 0 and len(chart.points) == 2  # a month without a figure breaks it
    assert [row.label for row in chart.rows] == ["2026-03", "2026-02", "2026-01"]
