"""benchmark_sweep compares the sweep with the hand-written statement it replaced."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from compliance.models import Fine, SweepRun, Violation
from portal.models import AuditEntry, OutboxMessage
from tests.factories import ensure_rulebook

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("benchmark_sweep measures the PostgreSQL sweep.")
    ensure_rulebook()  # a transactional test's flush removed the migration's


def figures(output: str) -> dict[str, float]:
    return {
        name: float(value.replace(",", ""))
        for name, value in re.findall(r"^([a-z/ -]+): ([\d,.]+)\s*$", output, re.MULTILINE)
    }


def test_the_baseline_and_the_sweep_run_in_turns_and_the_ratio_is_printed():
    out = StringIO()
    entries = AuditEntry.objects.count()

    call_command(
        "benchmark_sweep", "--violations", "600", "--overdue", "150", "--rounds", "2", stdout=out
    )

    output = out.getvalue()
    numbers = figures(output)
    assert numbers["fines issued"] == 150
    # The ratio of the medians (each printed rounded to 0.01 s).
    sweep, baseline = numbers["seconds"], numbers["baseline seconds"]
    low, high = (sweep - 0.005) / (baseline + 0.005), (sweep + 0.005) / (baseline - 0.005)
    assert low - 0.005 <= numbers["ratio to baseline"] <= high + 0.005
    # Two rounds, alternating who goes first, ending with the sweep (whose rows stay).
    assert "baseline runs (s, in order): " in output
    assert len(re.search(r"^sweep runs \(s, in order\): (.*)$", output, re.M)[1].split(",")) == 2
    assert numbers["re-run fines issued"] == 0
    # Everything either wrote is gone again, audit entries included.
    assert not Violation.objects.exists()
    assert not Fine.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not SweepRun.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_without_the_baseline_only_the_sweep_is_timed():
    out = StringIO()

    call_command(
        "benchmark_sweep", "--violations", "200", "--overdue", "20", "--no-baseline", stdout=out
    )

    numbers = figures(out.getvalue())
    assert numbers["fines issued"] == 20
    assert "baseline seconds" not in numbers
    assert "ratio to baseline" not in numbers
