"""A rectification deadline arriving plans its re-inspection, once."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from compliance import rules
from compliance.enforcement.services.opening import record_inspection
from inspections.choices import InspectionPurpose
from inspections.models import Inspection
from inspections.tasks import schedule_due_reinspections

pytestmark = pytest.mark.django_db
FOUND = datetime.date(2026, 11, 2)


@pytest.fixture
def violation(inspector, premises):
    result = record_inspection(
        premises,
        rules.InspectionFacts(inspected_on=FOUND, indoor_temperatures_c=(Decimal("24"),)),
        actor=inspector,
        source_reference="visit-x",
    )
    return next(v for v in result.violations if v.article == "5-5")


def test_the_job_is_on_the_nightly_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["inspections-due-reinspections"]
    assert entry["task"] == "inspections.tasks.schedule_due_reinspections"


def test_a_deadline_arriving_plans_one_reinspection(violation):
    deadline = violation.deadline
    assert schedule_due_reinspections((deadline - datetime.timedelta(days=1)).isoformat()) == 0
    assert schedule_due_reinspections(deadline.isoformat()) == 1
    assert schedule_due_reinspections(deadline.isoformat()) == 0  # a re-run plans nothing
    assert schedule_due_reinspections((deadline + datetime.timedelta(days=1)).isoformat()) == 0
    (planned,) = Inspection.objects.filter(violation=violation)
    assert planned.purpose == InspectionPurpose.REINSPECTION
    assert planned.scheduled_for == deadline
    assert planned.premises_id == violation.premises_id


def test_a_missed_night_is_caught_up(violation):
    late = violation.deadline + datetime.timedelta(days=3)
    assert schedule_due_reinspections(late.isoformat()) == 1
    assert Inspection.objects.get(violation=violation).scheduled_for == late
