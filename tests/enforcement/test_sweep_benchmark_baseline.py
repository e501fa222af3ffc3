"""benchmark_sweep compares the sweep with the hand-written statement it replaced."""

from __future__ import annotations

import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from compliance import rules
from compliance.enforcement.services import proposals, sweep
from compliance.management.commands import _sweep_baseline, benchmark_sweep
from compliance.models import Fine, SweepRun, Violation, ViolationEvent
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
        "benchmark_sweep", "--violations", "600", "--verified", "150", "--rounds", "2", stdout=out
    )

    output = out.getvalue()
    numbers = figures(output)
    assert numbers["fines proposed"] == 150
    # The ratio of the medians (each printed rounded to 0.01 s).
    sweep, baseline = numbers["seconds"], numbers["baseline seconds"]
    low, high = (sweep - 0.005) / (baseline + 0.005), (sweep + 0.005) / (baseline - 0.005)
    assert low - 0.005 <= numbers["ratio to baseline"] <= high + 0.005
    # Two rounds, alternating who goes first, ending with the sweep (whose rows stay).
    assert "baseline runs (s, in order): " in output
    assert len(re.search(r"^sweep runs \(s, in order\): (.*)$", output, re.M)[1].split(",")) == 2
    assert numbers["re-run fines proposed"] == 0
    # Everything either wrote is gone again, audit entries included.
    assert not Violation.objects.exists()
    assert not Fine.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert not SweepRun.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_without_the_baseline_only_the_sweep_is_timed():
    out = StringIO()

    call_command(
        "benchmark_sweep", "--violations", "200", "--verified", "20", "--no-baseline", stdout=out
    )

    numbers = figures(out.getvalue())
    assert numbers["fines proposed"] == 20
    assert "baseline seconds" not in numbers
    assert "ratio to baseline" not in numbers


def written(day) -> dict:
    """What a run wrote per violation: its proposal, event, audit entry and new state."""
    fines = {
        f.violation_id: f
        for f in Fine.objects.filter(proposed_on=day).select_related("violation").order_by("pk")
    }
    events = {e.violation_id: e for e in ViolationEvent.objects.order_by("pk")}
    audits = {a.object_id: a for a in AuditEntry.objects.filter(object_type="compliance.fine")}
    # A proposal queues nothing: the follow-ups wait for an official's approval.
    assert not OutboxMessage.objects.filter(topic=proposals.FINE_TOPIC).exists()
    rows = {}
    for violation_id, fine in fines.items():
        entry = audits[str(fine.pk)]
        event = events[violation_id]
        violation = fine.violation
        assert entry.object_repr == f"#{fine.pk}"
        rows[violation_id] = (
            (fine.step, fine.penalty_article, fine.amount_ntd, fine.amount_due_ntd),
            (fine.missed_deadline, fine.offence_on, fine.rectify_within_days),
            (fine.issued_on, fine.document_number, fine.new_deadline, fine.appeal_until),
            (
                fine.rulebook_version_id,
                tuple(fine.schedule),
                fine.status,
                fine.sweep_id is not None,
            ),
            (violation.status, violation.fines_issued, violation.deadline, violation.fine_due_on),
            (event.from_status, event.to_status, event.reason),
            (
                entry.action,
                {k: v for k, v in entry.changes.items() if not k.startswith("sweep")},
                entry.reason,
                entry.business_id,
            ),
        )
    return rows


def test_the_baseline_writes_what_the_sweep_writes_and_only_for_verified_cases():
    """Same proposals, states, events and audit entries (no outbox row), from fine_due_on alone."""
    command = benchmark_sweep.Command(stdout=StringIO())
    day = timezone.localdate()
    scratch = command.create_scratch(day, 840, 120, 360, 30)
    verified = set(Violation.objects.filter(fine_due_on__lte=day).values_list("pk", flat=True))
    assert len(verified) == 120
    articles = dict(Violation.objects.values_list("pk", "article"))
    assert Violation.objects.filter(fine_due_on__isnull=True, deadline__lt=day).count() == 360
    try:
        base = _sweep_baseline.run(day, chunk=50, workers=2)
        by_baseline = written(day)
        command.reset_scratch(day, scratch)
        assert not Fine.objects.exists()
        assert (
            set(Violation.objects.filter(fine_due_on__lte=day).values_list("pk", flat=True))
            == verified
        )
        run = sweep.sweep(day, chunk=50, workers=2, deliver=False)
        by_sweep = written(day)
        scratch["runs"] += [base.pk, run.pk]
    finally:
        command.delete_scratch(scratch)

    assert base.fines_issued == run.fines_issued == 120
    assert set(by_sweep) == verified
    assert by_baseline == by_sweep
    # Proposed, not issued: no number, no dates until an official decides and it is
    # served; the days to rectify are the rule book's for the article; the case keeps
    # its state and counts the fine, its deadline cleared.
    periods = {p.article: p.days for p in rules.initial_parameters().rectification_periods}
    for violation_id, row in by_sweep.items():
        assert row[1][2] == periods[articles[violation_id]]
        assert row[2] == (None, None, None, None)
        assert row[3][2] == "proposed"
        assert row[4] == ("open", 1, None, None)
        assert row[5][:2] == ("open", "open")
        step, article, amount, _ = row[0]
        decided = SimpleNamespace(step=step, amount_ntd=amount, penalty_article=article)
        assert row[5][2] == row[6][2] == sweep.fine_reason(decided, row[1][0])
