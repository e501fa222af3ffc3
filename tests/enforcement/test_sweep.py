"""The deadline sweep on fixed dates: amounts by step, exemptions, schedules, re-runs."""

import dataclasses
import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from compliance.choices import ExemptionReason, FineStatus, ViolationStatus
from compliance.enforcement.services import proposals, sweep, sweep_runs, violations
from compliance.models import Exemption, Fine, SweepRun, Violation
from compliance.rulebook.bridge import parameters_of
from compliance.rulebook.services import versions as rulebook_services
from compliance.rules import PenaltySchedule
from portal.models import OutboxMessage
from tests.deciding import decide_and_serve
from tests.factories import make_violation
from tests.verifying import verify_missed

pytestmark = pytest.mark.django_db
FOUND = datetime.date(2026, 11, 2)
DEADLINE = datetime.date(2026, 11, 16)  # 5-5: 14 days


def day(value: datetime.date, days: int = 0) -> datetime.date:
    return value + datetime.timedelta(days=days)


@pytest.fixture
def violation(premises):
    return make_violation(premises, "5-5", found_on=FOUND)


def run(on: datetime.date, **kwargs) -> SweepRun:
    return sweep.sweep(on, **kwargs)


def verified_run(violation, on: datetime.date, **kwargs) -> SweepRun:
    """Re-inspect on ``on`` (the violation persists), run that night's sweep, then have an
    official approve its proposals and serve the decisions that day."""
    verify_missed(violation, on)
    result = run(on, **kwargs)
    decide_and_serve(on)
    return result


def fines_of(violation):
    return list(Fine.objects.filter(violation=violation).order_by("step"))


def test_nothing_is_fined_on_the_last_day_to_rectify(violation):
    assert run(DEADLINE).fines_issued == 0
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.OPEN


def test_missing_the_deadline_once_twice_three_times_gives_the_schedule_amounts(violation):
    # Passed but not yet verified: nothing.
    assert run(day(DEADLINE, 1)).fines_issued == 0
    first = verified_run(violation, day(DEADLINE, 1))
    assert first.fines_issued == 1
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.FINED
    # A new deadline counted from the day of the fine (14 days for Art. 5-5).
    assert violation.deadline == day(DEADLINE, 15)
    second_day = day(violation.deadline, 1)
    verified_run(violation, second_day)
    violation.refresh_from_db()
    verified_run(violation, day(violation.deadline, 1))
    violation.refresh_from_db()
    verified_run(violation, day(violation.deadline, 1))
    amounts = [fine.amount_ntd for fine in fines_of(violation)]
    # Art. 15 schedule (10,000 / 20,000 / 30,000), the last step repeating.
    assert amounts == [10_000, 20_000, 30_000, 30_000]
    fine = fines_of(violation)[1]
    assert fine.step == 2
    assert fine.missed_deadline == day(DEADLINE, 15)
    assert fine.offence_on == day(DEADLINE, 16)
    assert fine.issued_on == second_day
    assert fine.penalty_article == "15"
    assert fine.status == FineStatus.ISSUED
    assert fine.schedule == [10_000, 20_000, 30_000]
    assert fine.actor_label == sweep_runs.SWEEP_ACTOR
    assert fine.document_number == f"TPE-EC-P-2026-{fine.pk:07d}"
    # 30 days from Wednesday 2026-12-02 end on Friday 2027-01-01, New Year's Day: the
    # appeal period ends on the next working day (APA Art. 48).
    assert second_day == datetime.date(2026, 12, 2)
    assert fine.appeal_until == datetime.date(2027, 1, 4)


def test_a_rerun_the_same_night_issues_nothing(violation):
    on = day(DEADLINE, 1)
    assert verified_run(violation, on).fines_issued == 1
    assert run(on).fines_issued == 0
    assert len(fines_of(violation)) == 1


def test_a_missed_night_is_caught_up_at_the_amount_of_the_missed_day(violation):
    verify_missed(violation, day(DEADLINE, 1))
    assert run(day(DEADLINE, 5)).fines_issued == 1
    decide_and_serve(day(DEADLINE, 5))
    (fine,) = fines_of(violation)
    assert fine.offence_on == day(DEADLINE, 1)
    violation.refresh_from_db()
    # Saturday 11-21 + 14 days = Saturday 12-05: the next working day, Monday 12-07.
    assert violation.deadline == datetime.date(2026, 12, 7)


def test_a_rectified_violation_is_never_fined(violation, inspector):
    violations.rectify(violation, actor=inspector, reason="Thermostat set to 26 °C, seen.")
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.CLOSED  # rectified, nothing owed
    assert run(day(DEADLINE, 1)).fines_issued == 0
    assert fines_of(violation) == []


def test_an_exemption_granted_before_the_deadline_stops_the_fine(violation, administrator):
    exemption = Exemption.objects.create(
        premises=violation.premises,
        article="5-5",
        reason=ExemptionReason.OTHER,
        explanation="Medical needs",
        valid_from=FOUND,
        status="approved",
        decided_by=administrator,
        decided_at=timezone.make_aware(datetime.datetime(2026, 11, 10, 9)),
    )
    assert exemption.pk
    result = verified_run(violation, day(DEADLINE, 1))
    assert (result.fines_issued, result.violations_closed) == (0, 1)
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.CLOSED
    assert violation.events.last().actor_label == sweep_runs.SWEEP_ACTOR


def test_an_exemption_granted_after_the_deadline_does_not(violation, administrator):
    Exemption.objects.create(
        premises=violation.premises,
        article="5-5",
        reason=ExemptionReason.OTHER,
        explanation="Medical needs",
        valid_from=FOUND,
        status="approved",
        decided_by=administrator,
        decided_at=timezone.make_aware(datetime.datetime(2026, 11, 17, 9)),
    )
    verify_missed(violation, day(DEADLINE, 1))
    assert run(day(DEADLINE, 2)).fines_issued == 1


def publish_schedule(administrator, effective_from, amounts):
    draft = rulebook_services.create_draft(administrator)
    params = parameters_of(draft)
    schedules = tuple(
        PenaltySchedule("15", amounts) if s.penalty_article == "15" else s
        for s in params.penalty_schedules
    )
    params = dataclasses.replace(params, penalty_schedules=schedules)
    draft = rulebook_services.update_draft(
        administrator, draft, params=params, effective_from=effective_from
    )
    return rulebook_services.publish(administrator, draft, reason="New schedule")


def test_a_schedule_published_between_two_fines_changes_only_the_later_one(
    violation, administrator, time_machine
):
    time_machine.move_to("2026-11-17 01:00 +0800")
    verified_run(violation, day(DEADLINE, 1))
    violation.refresh_from_db()
    second_deadline = violation.deadline
    version = publish_schedule(administrator, day(DEADLINE, 5), (15_000, 25_000, 30_000))
    time_machine.move_to(f"{day(second_deadline, 1)} 01:00 +0800")
    verified_run(violation, day(second_deadline, 1))
    first, second = fines_of(violation)
    assert first.amount_ntd == 10_000
    assert first.rulebook_version != version
    assert second.amount_ntd == 25_000
    assert second.rulebook_version == version
    assert second.schedule == [15_000, 25_000, 30_000]


def test_a_refusal_is_fined_directly_and_only_once(premises):
    refusal = make_violation(premises, "10-1", found_on=FOUND)
    assert refusal.deadline is None
    assert run(FOUND).fines_issued == 1
    assert run(day(FOUND, 30)).fines_issued == 0
    (fine,) = fines_of(refusal)
    assert (fine.amount_ntd, fine.penalty_article, fine.rectify_within_days) == (30_000, "17", None)
    # Proposed: the case is fined only when an official approves it.
    assert fine.status == FineStatus.PROPOSED
    refusal.refresh_from_db()
    assert refusal.status == ViolationStatus.OPEN
    assert decide_and_serve(day(FOUND, 30)) == 1
    fine.refresh_from_db()
    refusal.refresh_from_db()
    assert refusal.status == ViolationStatus.FINED
    # Nothing to rectify: service starts the appeal period only.
    assert (fine.new_deadline, fine.appeal_until) == (None, datetime.date(2027, 1, 4))
    assert refusal.deadline is None


def test_a_proposal_writes_its_event_and_approval_its_follow_up_in_the_outbox(violation):
    verify_missed(violation, day(DEADLINE, 1))
    run(day(DEADLINE, 1))
    (fine,) = fines_of(violation)
    proposed = violation.events.last()
    assert (proposed.from_status, proposed.to_status) == ("open", "open")
    assert "10000" in proposed.reason and "proposed" in proposed.reason
    # No follow-up before a decision: nothing is sent about a proposal.
    assert not OutboxMessage.objects.filter(payload={"fine": fine.pk}).exists()
    violation.refresh_from_db()
    assert violation.deadline is None and violation.fines_issued == 1
    decide_and_serve(day(DEADLINE, 1))
    approved = violation.events.get(from_status="open", to_status="fined")
    assert "科長 王大明" in approved.reason
    served = violation.events.order_by("pk").last()
    assert "served" in served.reason and "appeal until" in served.reason
    assert OutboxMessage.objects.filter(
        topic=proposals.FINE_TOPIC, payload={"fine": fine.pk}
    ).exists()


def test_reminders_are_written_once_per_deadline_and_bucket(violation, settings):
    settings.ENFORCEMENT_REMINDER_DAYS = [7, 1]
    assert run(day(DEADLINE, -8)).reminders_queued == 0
    assert run(day(DEADLINE, -7)).reminders_queued == 1
    assert run(day(DEADLINE, -7)).reminders_queued == 0
    assert run(day(DEADLINE, -3)).reminders_queued == 0  # still in the 7-day bucket
    assert run(day(DEADLINE, -1)).reminders_queued == 1
    assert Violation.objects.get(pk=violation.pk).status == ViolationStatus.OPEN


def test_a_run_whose_process_died_is_marked_interrupted_by_the_next(violation):
    dead = SweepRun.objects.create(day=DEADLINE, actor_label=sweep_runs.SWEEP_ACTOR)
    run(day(DEADLINE, 1))
    dead.refresh_from_db()
    if connection.vendor == "postgresql":
        assert dead.status == "failed"
        assert dead.finished_at is not None
    else:  # no advisory locks on SQLite: nothing can tell, so nothing is claimed
        assert dead.status == "running"


@pytest.mark.django_db(transaction=True)
def test_a_run_still_going_is_not_marked_interrupted(premises):
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    going = SweepRun.objects.create(day=DEADLINE, actor_label=sweep_runs.SWEEP_ACTOR)
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        try:
            with sweep_runs.alive(going):
                held.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert held.wait(timeout=10)
        assert sweep_runs.mark_interrupted() == 0
        going.refresh_from_db()
        assert going.status == "running"
    finally:
        release.set()
        thread.join(timeout=30)
    assert sweep_runs.mark_interrupted() == 1
