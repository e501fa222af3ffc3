"""benchmark_approvals times bulk approval and shows each decision issued exactly once."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from compliance.models import Fine, SweepRun, Violation, ViolationEvent
from portal.models import AuditEntry, OutboxMessage, User
from tests.factories import ensure_rulebook, make_violation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("benchmark_approvals measures the PostgreSQL approval.")
    ensure_rulebook()  # a transactional test's flush removed the migration's


def figures(output: str) -> dict[str, float]:
    return {
        name: float(value.replace(",", ""))
        for name, value in re.findall(r"^([a-z/ -]+): ([\d,.]+)\s*$", output, re.MULTILINE)
    }


def run(*args: str) -> str:
    out = StringIO()
    call_command("benchmark_approvals", *args, stdout=out)
    return out.getvalue()


def test_one_official_and_then_two_at_once_issue_each_decision_once(postgresql):
    users, entries = User.objects.count(), AuditEntry.objects.count()

    output = run("--proposals", "300", "--violations", "420", "--premises", "40", "--chunk", "50")

    numbers = figures(output)
    assert (numbers["violations"], numbers["proposals"]) == (420, 300)
    # One official, one filtered list: the id query and the approval, timed together.
    assert numbers["decisions approved"] == 300
    seconds = numbers["seconds"]
    assert abs(numbers["id query seconds"] + numbers["approve seconds"] - seconds) <= 0.011
    assert abs(numbers["decisions/s"] * seconds - 300) <= numbers["decisions/s"] * 0.005 + 1
    # The ratios of the same minute (each time printed rounded to 0.01 s).
    for baseline, ratio in (
        ("baseline seconds", "ratio to baseline"),
        ("bare update seconds", "ratio to bare update"),
    ):
        base = numbers[baseline]
        assert numbers[ratio] > 0
        if base >= 0.05:
            low, high = (seconds - 0.005) / (base + 0.005), (seconds + 0.005) / (base - 0.005)
            assert low - 0.005 <= numbers[ratio] <= high + 0.005
    target = r"^target \(idle machine\): 100,000 in [\d.]+ s at this rate (<=|>) 30 s$"
    assert re.search(target, output, re.MULTILINE)
    # Each decision issued once: one number, one approval audit entry, event, outbox row.
    for name in ("issued", "exactly once", "numbers", "audit entries", "events", "outbox rows"):
        assert numbers[name] == 300, name
        assert numbers[f"concurrent {name}"] == 300, name
    # Two officials at the same moment, the same ids: what one approved the other left.
    assert numbers["first official approved"] + numbers["second official approved"] == 300
    assert numbers["left to the other official"] == 300
    # Everything seeded is gone again: the city, its proposals and decisions, the officials.
    assert "scratch data deleted" in output
    assert not Violation.objects.exists()
    assert not Fine.objects.exists()
    assert not ViolationEvent.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not SweepRun.objects.exists()
    assert AuditEntry.objects.count() == entries
    assert User.objects.count() == users


def test_keep_leaves_the_decisions_of_the_two_officials(postgresql):
    output = run("--proposals", "60", "--premises", "10", "--chunk", "7", "--keep")

    assert "scratch data kept" in output
    fines = Fine.objects.all()
    assert fines.count() == 60
    assert set(fines.values_list("status", flat=True)) == {"issued"}
    deciders = set(fines.values_list("decided_by__job_title", "decided_by__display_name"))
    assert deciders <= {("科長", "效能測試一"), ("科長", "效能測試二")}
    assert OutboxMessage.objects.count() == 60


def test_refuses_a_database_that_holds_violations(postgresql, premises):
    make_violation(premises, "5-5")

    with pytest.raises(CommandError, match="scratch database"):
        run("--proposals", "10")

    assert Violation.objects.count() == 1
    assert not Fine.objects.exists()


def test_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")

    with pytest.raises(CommandError, match="needs PostgreSQL"):
        run("--proposals", "10")
