"""benchmark_city builds a tiny city, serves it with gunicorn and prints its table."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from compliance.management.commands.benchmark_city import MEASUREMENTS
from compliance.models import Business, Equipment, Premises, Violation, ViolationFigure
from tests.factories import ensure_rulebook

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# name, product min / median, p95, baseline min / median, p95, ratio
ROW = re.compile(
    r"^(?P<name>[A-Za-z][A-Za-z ,0-9]+?)\s+(?P<p_min>[\d.]+) /\s+(?P<p_med>[\d.]+)"
    r"\s+(?P<p_p95>[\d.]+)\s+(?P<b_min>[\d.]+) /\s+(?P<b_med>[\d.]+)"
    r"\s+(?P<b_p95>[\d.]+)\s+(?P<ratio>[\d.]+)$",
    re.MULTILINE,
)


def test_a_tiny_city_is_built_measured_beside_the_baselines_and_then_reused():
    if connection.vendor != "postgresql":
        pytest.skip("benchmark_city measures PostgreSQL.")
    ensure_rulebook()  # a transactional test's flush removed the migration's
    sizes = ["--businesses", "3", "--premises", "12", "--equipment", "30", "--violations", "50"]
    timing = ["--rounds", "1", "--requests", "2", "--workers", "1"]
    out = StringIO()

    call_command("benchmark_city", *sizes, *timing, stdout=out)

    output = out.getvalue()
    assert (Business.objects.count(), Premises.objects.count()) == (3, 12)
    assert (Equipment.objects.count(), Violation.objects.count()) == (30, 50)
    assert sum(ViolationFigure.objects.values_list("violations", flat=True)) == 50
    assert "gunicorn: 1 workers x 1 threads; 1 rounds of 2 requests each" in output
    rows = {match["name"]: match for match in ROW.finditer(output)}
    assert list(rows) == [name for name, _product, _baseline in MEASUREMENTS]
    for row in rows.values():
        assert float(row["p_min"]) <= float(row["p_med"])
        assert float(row["b_min"]) <= float(row["b_med"])
        # The medians are printed to 0.1 ms and the ratio to 0.01: the printed ratio must
        # lie between the ratios the printed medians' rounding allows.
        p_med, b_med = float(row["p_med"]), float(row["b_med"])
        lowest = (p_med - 0.05) / (b_med + 0.05) - 0.005
        highest = (p_med + 0.05) / max(b_med - 0.05, 0.001) + 0.005
        assert lowest <= float(row["ratio"]) <= highest
    assert "status APIs (premises, business): measured by benchmark_status_api" in output

    again = StringIO()
    call_command("benchmark_city", *sizes, *timing, stdout=again)
    assert again.getvalue().startswith("city reused: 3 businesses, 12 premises, 50 violations")
    assert Violation.objects.count() == 50

    with pytest.raises(CommandError, match="smaller city"):
        call_command("benchmark_city", "--premises", "13", *timing, stdout=StringIO())
