"""A premises' monthly energy use over time: a chart per energy type, the threshold line."""

from __future__ import annotations

import dataclasses
import itertools
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import RuleBookVersion
from compliance.rules import initial_parameters, params_to_dict
from compliance.rules.params import EnergyUseThreshold
from portal.charts import MONTH_LABEL_SPACING, monthly_line_chart
from tests.compliance.energy_use_builders import make_use

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _page(client, user, premises) -> str:
    client.force_login(user)
    response = client.get(reverse("premises-energy-use", args=[premises.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", html, re.S)]


def _title(svg: ET.Element) -> str:
    return svg.find(f"{SVG}title").text


def _points(svg: ET.Element) -> dict[str, float]:
    """Return each drawn month and the height of its point."""
    return {
        circle.get("data-month"): float(circle.get("cy"))
        for circle in svg.iter(f"{SVG}circle")
        if circle.get("class") == "chart-use-point"
    }


def _threshold_heights(svg: ET.Element) -> set[float]:
    heights = set()
    for line in svg.iter(f"{SVG}polyline"):
        if line.get("class") == "chart-threshold":
            heights |= {float(pair.split(",")[1]) for pair in line.get("points").split()}
    return heights


def _table_rows(html: str, chart_id: str) -> dict[str, list[str]]:
    table = re.search(rf'<table id="{chart_id}-table">.*?</table>', html, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S):
        month, rest = row.split("</th>", 1)
        rows[month] = [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", rest, re.S)]
    return rows


def test_the_chart_has_a_point_per_month_and_the_threshold_line(client, owner, supplier, premises):
    figures = {1: "30000", 2: "50000", 3: "65000", 5: "20000", 6: "40000"}  # nothing in April
    for month, quantity in figures.items():
        make_use(supplier, premises, date(2026, month, 1), quantity)

    [chart] = _charts(_page(client, owner, premises))

    points = _points(chart)
    assert set(points) == {"2026-01", "2026-02", "2026-03", "2026-05", "2026-06"}
    [threshold] = _threshold_heights(chart)  # one threshold in force: a level line
    assert points["2026-02"] == threshold  # 50,000 kWh: exactly the threshold
    assert points["2026-03"] < threshold < points["2026-01"]  # above it, below it
    # April has no figure: the line is broken there, not drawn through it.
    lines = [line for line in chart.iter(f"{SVG}polyline") if line.get("class") == "chart-use-line"]
    assert [len(line.get("points").split()) for line in lines] == [3, 2]
    assert "kWh" in _title(chart)


def test_each_energy_type_has_its_own_chart_in_its_unit(client, owner, supplier, premises):
    make_use(supplier, premises, date(2026, 1, 1), "1000")
    make_use(
        supplier,
        premises,
        date(2026, 2, 1),
        "12.5",
        energy_type="natural_gas",
        unit="m3",
        account_number="GAS-1",
    )

    charts = _charts(_page(client, owner, premises))

    assert [_title(chart) for chart in charts] == [
        "Electricity use (kWh) by month",
        "Natural gas use (m³) by month",
    ]
    assert set(_points(charts[0])) == {"2026-01"}  # the shared axis runs January-February
    assert set(_points(charts[1])) == {"2026-02"}


def test_the_accounts_of_a_premises_are_summed_in_the_chart_and_its_table(
    client, owner, supplier, premises
):
    make_use(supplier, premises, date(2026, 3, 1), "30000", account_number="M1")
    make_use(supplier, premises, date(2026, 3, 1), "20000.5", account_number="M2")

    html = _page(client, owner, premises)

    rows = _table_rows(html, "energy-use-electricity-kwh")
    assert rows == {"2026-03": ["50,000.50", "50,000", "yes"]}
    assert "2026-03: 50,000.50 kWh" in html  # the point's tooltip


def test_the_threshold_line_follows_the_rule_book_version_in_force_each_month(
    client, owner, supplier, premises
):
    lower = dataclasses.replace(
        initial_parameters(),
        energy_use_thresholds=(EnergyUseThreshold("electricity", Decimal("40000"), "kwh"),),
    )
    RuleBookVersion.objects.create(
        title="lower threshold from April",
        status="published",
        published_at=timezone.now(),
        effective_from=date(2026, 4, 1),
        parameters=params_to_dict(lower),
    )
    for month in (2, 3, 4, 5):
        make_use(supplier, premises, date(2026, month, 1), "45000")

    html = _page(client, owner, premises)

    [chart] = _charts(html)
    assert len(_threshold_heights(chart)) == 2  # a step where the new version took effect
    rows = _table_rows(html, "energy-use-electricity-kwh")
    assert rows["2026-03"] == ["45,000", "50,000", "no"]
    assert rows["2026-04"] == ["45,000", "40,000", "yes"]
    assert "Register threshold: 40,000 kWh a month" in html  # the latest month's, in the legend


def test_a_premises_without_figures_says_there_is_no_data(client, owner, premises):
    html = _page(client, owner, premises)

    assert "<svg" not in html
    assert "No supplier has reported use for this premises." in html


def test_the_page_takes_the_same_queries_for_one_month_or_two_years(
    client, owner, supplier, premises, django_assert_num_queries
):
    client.force_login(owner)
    url = reverse("premises-energy-use", args=[premises.pk])
    make_use(supplier, premises, date(2024, 1, 1), "1")
    client.get(url)  # the published parameters are cached once read
    # session, user, premises, monthly figures, published rule book
    with django_assert_num_queries(5):
        client.get(url)
    for index in range(1, 30):
        month = date(2024 + index // 12, index % 12 + 1, 1)
        make_use(supplier, premises, month, "60000")
        make_use(supplier, premises, month, "1", energy_type="lpg", unit="kg", account_number="L")

    with django_assert_num_queries(5):
        html = client.get(url).content.decode()

    electricity, lpg = _charts(html)
    assert len(_points(electricity)) == len(_points(lpg)) == 24  # the last two years


def test_the_premises_page_links_to_its_energy_use(client, owner, premises):
    client.force_login(owner)

    html = client.get(reverse("premises-detail", args=[premises.pk])).content.decode()

    assert reverse("premises-energy-use", args=[premises.pk]) in html


def test_month_labels_keep_apart_on_a_long_axis():
    months = [date(2024 + i // 12, i % 12 + 1, 1) for i in range(24)]

    chart = monthly_line_chart(
        "c",
        title="t",
        desc="d",
        unit="kWh",
        series_label="Use",
        reference_label="Threshold",
        months=months,
        values={month: Decimal(100) for month in months},
        references={},
    )

    positions = [tick.position for tick in chart.month_ticks]
    assert positions[0] == chart.points[0].x and chart.month_ticks[0].label == "2024-01"
    assert min(b - a for a, b in itertools.pairwise(positions)) >= MONTH_LABEL_SPACING
    assert len(chart.points) == 24 and not chart.has_reference
