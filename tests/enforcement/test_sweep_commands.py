"""The operators' sweep_deadlines command and the benchmark_sweep command (small numbers)."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from compliance.choices import ViolationStatus
from compliance.models import Business, Fine, Premises, SweepRun, Violation, ViolationEvent
from portal.models import OutboxMessage
from tests.factories import ensure_rulebook, make_violation
from tests.verifying import verify_missed

FOUND = datetime.date(2026, 11, 2)
DEADLINE = datetime.date(2026, 11, 16)  # Art. 5-5: 14 days


@pytest.fixture
def postgresql():
    """Skip where the benchmark cannot run: it measures the PostgreSQL sweep."""
    if connection.vendor != "postgresql":
        pytest.skip("benchmark_sweep measures the PostgreSQL sweep.")


def run_command(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def figures(output: str) -> dict[str, float]:
    """Return the ``name: number`` lines of a command's output."""
    return {
        name: float(value.replace(",", ""))
        for name, value in re.findall(r"^([a-z/ -]+): ([\d,.]+)\s*$", output, re.MULTILINE)
    }


@pytest.mark.django_db
def test_sweep_deadlines_proposes_the_day_given_once_and_prints_the_figures(premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    verify_missed(violation)

    first = run_command("sweep_deadlines", "--day", "2026-11-17")
    again = run_command("sweep_deadlines", "--day", "2026-11-17")

    assert figures(first)["fines proposed"] == 1
    assert figures(again)["fines proposed"] == 0
    assert "day judged: 2026-11-17" in first
    run = SweepRun.objects.order_by("pk").first()
    assert f"sweep run: {run.pk} (finished)" in first
    assert "fines issued" not in first  # it proposes: an official decides
    fine = Fine.objects.get(violation=violation)
    assert (fine.status, fine.proposed_on, fine.issued_on) == (
        "proposed",
        datetime.date(2026, 11, 17),
        None,
    )


@pytest.mark.django_db
def test_sweep_deadlines_judges_today_in_taipei_by_default(premises, time_machine):
    time_machine.move_to("2026-11-17 00:30 +0800")  # still the 16th in UTC
    verify_missed(make_violation(premises, "5-5", found_on=FOUND))

    output = run_command("sweep_deadlines")

    assert "day judged: 2026-11-17" in output
    assert figures(output)["fines proposed"] == 1


@pytest.mark.django_db
def test_sweep_deadlines_refuses_a_day_that_is_not_a_date():
    with pytest.raises(CommandError, match="not a date"):
        call_command("sweep_deadlines", "--day", "17/11/2026")
    assert not SweepRun.objects.exists()


@pytest.mark.django_db
def test_sweep_deadlines_refuses_a_day_after_today(premises, time_machine):
    time_machine.move_to("2026-11-17 10:00 +0800")
    verify_missed(make_violation(premises, "5-5", found_on=FOUND))

    with pytest.raises(CommandError, match="after today"):
        call_command("sweep_deadlines", "--day", "2026-11-18")

    assert not SweepRun.objects.exists()
    assert not Fine.objects.exists()
    assert figures(run_command("sweep_deadlines", "--day", "2026-11-17"))["fines proposed"] == 1


@pytest.mark.django_db(transaction=True)
def test_benchmark_sweep_prints_consistent_figures_and_leaves_nothing_behind(postgresql):
    ensure_rulebook()  # a transactional test's flush removed the migration's
    businesses, premises = Business.objects.count(), Premises.objects.count()

    output = run_command("benchmark_sweep", "--violations", "2000", "--verified", "200")

    numbers = figures(output)
    assert numbers["violations"] == 2000
    assert numbers["verified"] == 200
    assert numbers["awaiting verification"] + numbers["running"] == 1800
    assert numbers["build seconds"] > 0
    assert numbers["fines proposed"] == 200
    assert numbers["re-run fines proposed"] == 0
    rate, seconds = numbers["fines/s"], numbers["seconds"]
    assert seconds > 0
    assert abs(rate * seconds - 200) <= rate * 0.005 + 1  # seconds are rounded to 0.01
    # Four rows a proposal: the fine, the violation, its event, its audit entry.
    assert numbers["rows written/s"] == pytest.approx(rate * 4, abs=4)
    assert "scratch data deleted" in output
    assert not Violation.objects.exists()
    assert not Fine.objects.exists()
    assert not ViolationEvent.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not SweepRun.objects.exists()
    assert (Business.objects.count(), Premises.objects.count()) == (businesses, premises)


@pytest.mark.django_db(transaction=True)
def test_benchmark_sweep_all_verified_keeps_the_data_when_asked(postgresql):
    ensure_rulebook()

    output = run_command("benchmark_sweep", "--violations", "300", "--all-verified", "--keep")

    assert figures(output)["verified"] == 300
    assert figures(output)["fines proposed"] == 300
    # Proposals: the violations keep their state and count the fine; none is issued.
    assert Violation.objects.filter(status=ViolationStatus.OPEN, fines_issued=1).count() == 300
    assert Fine.objects.filter(status="proposed").count() == 300


@pytest.mark.django_db
def test_benchmark_sweep_refuses_a_database_that_holds_violations(postgresql, premises):
    make_violation(premises, "5-5", found_on=FOUND)

    with pytest.raises(CommandError, match="scratch database"):
        call_command("benchmark_sweep", "--violations", "10", "--overdue", "1")

    assert Violation.objects.count() == 1
    assert not Fine.objects.exists()


@pytest.mark.django_db
def test_benchmark_sweep_refuses_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")

    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("benchmark_sweep", "--violations", "10", "--overdue", "1")
