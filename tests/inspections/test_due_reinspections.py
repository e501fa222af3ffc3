"""A missed deadline awaiting verification plans its re-inspection, once, on a working day."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from compliance import rules
from compliance.enforcement.services.opening import record_inspection
from compliance.models import CalendarDay, CalendarDayKind, Fine
from inspections.choices import InspectionPurpose, InspectionStatus
from inspections.models import Inspection
from inspections.receivers import plan_reinspection_after_fine
from inspections.services import planning
from inspections.tasks import schedule_due_reinspections
from tests.factories import make_violation

pytestmark = pytest.mark.django_db
FOUND = datetime.date(2026, 11, 2)
ONE_DAY = datetime.timedelta(days=1)


def plan(day: datetime.date) -> int:
    return schedule_due_reinspections(day.isoformat())


def planned_days(violation) -> list[datetime.date]:
    return list(
        Inspection.objects.filter(violation=violation)
        .order_by("scheduled_for")
        .values_list("scheduled_for", flat=True)
    )


@pytest.fixture
def violation(inspector, premises):
    result = record_inspection(
        premises,
        rules.InspectionFacts(inspected_on=FOUND, indoor_temperatures_c=(Decimal("24"),)),
        actor=inspector,
        source_reference="visit-x",
    )
    return next(v for v in result.violations if v.article == "5-5")


def test_the_job_is_on_the_nightly_schedule_after_the_sweep():
    entry = settings.CELERY_BEAT_SCHEDULE["inspections-due-reinspections"]
    assert entry["task"] == "inspections.tasks.schedule_due_reinspections"
    sweep = settings.CELERY_BEAT_SCHEDULE["compliance-deadline-sweep"]["schedule"]
    planning_at = entry["schedule"]
    assert (sweep.hour, sweep.minute) == ({0}, {10})
    assert (planning_at.hour, planning_at.minute) == ({0}, {20})


def test_a_missed_deadline_plans_one_reinspection_on_the_next_working_day(violation):
    deadline = violation.deadline  # Monday 2026-11-16
    assert plan(deadline - ONE_DAY) == 0
    assert plan(deadline) == 0  # the deadline's own day: nothing missed yet
    assert plan(deadline + ONE_DAY) == 1
    assert plan(deadline + ONE_DAY) == 0  # a re-run plans nothing
    assert plan(deadline + 2 * ONE_DAY) == 0
    (planned,) = Inspection.objects.filter(violation=violation)
    assert planned.purpose == InspectionPurpose.REINSPECTION
    assert planned.scheduled_for == datetime.date(2026, 11, 17)
    assert planned.premises_id == violation.premises_id


@pytest.mark.parametrize(
    ("deadline", "expected"),
    [
        # A Saturday: the Monday after.
        (datetime.date(2026, 11, 21), datetime.date(2026, 11, 23)),
        # Thursday before Constitution Day (Friday 12-25): the Monday after.
        (datetime.date(2026, 12, 24), datetime.date(2026, 12, 28)),
        # On the National Day holiday (Friday 10-09 observed, Saturday 10-10).
        (datetime.date(2026, 10, 9), datetime.date(2026, 10, 12)),
    ],
)
def test_the_reinspection_falls_on_the_first_working_day_after_the_deadline(
    premises, deadline, expected
):
    case = make_violation(premises, "5-5", deadline=deadline)
    assert plan(deadline + ONE_DAY) == 1
    assert planned_days(case) == [expected]


def test_a_day_off_the_city_declares_moves_the_reinspection(premises, administrator):
    deadline = datetime.date(2026, 11, 16)
    CalendarDay.objects.create(
        day=datetime.date(2026, 11, 17),
        kind=CalendarDayKind.REST_DAY,
        name_zh="颱風停班",
        name_en="Typhoon day off",
        reason="test",
        declared_by=administrator,
    )
    case = make_violation(premises, "5-5", deadline=deadline)
    plan(deadline + ONE_DAY)
    assert planned_days(case) == [datetime.date(2026, 11, 18)]


def test_a_missed_night_is_caught_up_from_the_day_the_job_runs(violation):
    late = violation.deadline + 3 * ONE_DAY  # Thursday 2026-11-19
    assert plan(late) == 1
    assert planned_days(violation) == [late]


def test_cases_already_verified_or_no_longer_running_get_none(premises):
    verified = make_violation(premises, "5-5", deadline=datetime.date(2026, 11, 16))
    verified.fine_due_on = datetime.date(2026, 11, 17)
    verified.save(update_fields=["fine_due_on"])
    rectified = make_violation(
        premises, "5-2", deadline=datetime.date(2026, 11, 16), status="rectified"
    )
    assert plan(datetime.date(2026, 11, 18)) == 0
    assert planned_days(verified) == planned_days(rectified) == []


def test_record_verifiable_duties_wait_two_working_days_for_the_records(premises):
    # Friday 2026-11-20: the records are checked the night after; the second working
    # day after the deadline is Tuesday 11-24.
    deadline = datetime.date(2026, 11, 20)
    logs = make_violation(premises, "5-3", deadline=deadline)
    boiler = make_violation(premises, "8-2", deadline=deadline)
    temperature = make_violation(premises, "5-5", deadline=deadline)

    assert plan(datetime.date(2026, 11, 21)) == 1  # Saturday: only the measured duty
    assert planned_days(temperature) == [datetime.date(2026, 11, 23)]
    assert plan(datetime.date(2026, 11, 23)) == 0  # Monday: the first working day after
    assert planned_days(logs) == planned_days(boiler) == []

    # Tuesday: still unverified (the records could not settle them): re-inspect.
    assert plan(datetime.date(2026, 11, 24)) == 2
    assert planned_days(logs) == planned_days(boiler) == [datetime.date(2026, 11, 24)]
    assert plan(datetime.date(2026, 11, 25)) == 0


def test_a_record_verifiable_case_the_records_settled_gets_no_reinspection(premises):
    deadline = datetime.date(2026, 11, 20)
    logs = make_violation(premises, "5-3", deadline=deadline)
    logs.fine_due_on = datetime.date(2026, 11, 21)  # verified from the records
    logs.save(update_fields=["fine_due_on"])
    assert plan(datetime.date(2026, 11, 26)) == 0
    assert planned_days(logs) == []


def test_a_reinspection_on_the_deadline_itself_does_not_count(premises):
    """Planned before this change, on the deadline: it cannot verify; one more after it."""
    deadline = datetime.date(2026, 11, 16)
    case = make_violation(premises, "5-5", deadline=deadline)
    planning.schedule_reinspection(case, deadline)
    assert plan(deadline + ONE_DAY) == 1
    assert planned_days(case) == [deadline, deadline + ONE_DAY]


def test_a_cancelled_reinspection_is_not_planned_again(premises, administrator):
    deadline = datetime.date(2026, 11, 16)
    case = make_violation(premises, "5-5", deadline=deadline)
    plan(deadline + ONE_DAY)
    Inspection.objects.filter(violation=case).update(status=InspectionStatus.CANCELLED)
    assert plan(deadline + 3 * ONE_DAY) == 0


def test_after_a_fine_the_reinspection_follows_the_new_deadline_once(premises):
    case = make_violation(premises, "5-5", deadline=datetime.date(2026, 11, 16))

    class FakeFine:  # the fields the receiver reads
        violation = case
        new_deadline = datetime.date(2026, 12, 5)  # a Saturday

    plan_reinspection_after_fine(sender=Fine, fine=FakeFine())
    plan_reinspection_after_fine(sender=Fine, fine=FakeFine())  # delivered twice
    assert planned_days(case) == [datetime.date(2026, 12, 7)]
    # The nightly job sees the re-inspection after the (new) deadline and plans nothing.
    case.deadline = FakeFine.new_deadline
    case.status = "fined"
    case.save(update_fields=["deadline", "status"])
    assert plan(datetime.date(2026, 12, 8)) == 0
