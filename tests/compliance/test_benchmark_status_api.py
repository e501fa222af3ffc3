"""benchmark_status_api serves a few assessed premises with gunicorn and prints req/s."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from compliance.models import ComplianceAssessment
from tests.factories import ensure_rulebook

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# name, product req/s min / median, p95, baseline req/s min / median, p95, ratio
ROW = re.compile(
    r"^(?P<name>(premises|business) status API)\s+(?P<p_min>\d+) /\s+(?P<p_med>\d+)"
    r"\s+(?P<p_p95>[\d.]+)\s+(?P<b_min>\d+) /\s+(?P<b_med>\d+)\s+(?P<b_p95>[\d.]+)"
    r"\s+(?P<ratio>[\d.]+)$",
    re.MULTILINE,
)


def test_a_few_assessed_premises_are_measured_beside_the_baselines():
    if connection.vendor != "postgresql":
        pytest.skip("benchmark_status_api measures PostgreSQL.")
    ensure_rulebook()  # a transactional test's flush removed the migration's
    out = StringIO()
    options = ["--premises", "6", "--concurrency", "2", "--requests", "3", "--rounds", "2"]

    call_command("benchmark_status_api", *options, "--workers", "1", stdout=out)

    output = out.getvalue()
    assert "2 concurrent clients x 3 requests, 2 rounds" in output
    assert "6 premises of 2 businesses" in output
    assert ComplianceAssessment.objects.count() == 6
    rows = {match["name"]: match for match in ROW.finditer(output)}
    assert list(rows) == ["premises status API", "business status API"]
    for row in rows.values():
        assert int(row["p_min"]) <= int(row["p_med"])
        assert int(row["b_min"]) <= int(row["b_med"])
        assert float(row["ratio"]) > 0
