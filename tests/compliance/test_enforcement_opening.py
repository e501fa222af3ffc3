"""An inspection's findings open violations with deadlines, exactly once (Arts. 10-4, 17, 19)."""

import datetime
from decimal import Decimal

import pytest

from compliance import rules
from compliance.choices import AirBarrier, EquipmentKind, ViolationStatus
from compliance.enforcement.services.opening import record_inspection
from compliance.models import ArticleStatus, Violation, ViolationEvent
from tests.factories import make_equipment

pytestmark = pytest.mark.django_db
VISIT_DAY = datetime.date(2026, 11, 20)


def inspection(day=VISIT_DAY, **values):
    return rules.InspectionFacts(inspected_on=day, **values)


def test_a_temperature_below_the_floor_opens_a_violation_with_its_deadline(inspector, premises):
    result = record_inspection(
        premises,
        inspection(indoor_temperatures_c=(Decimal("25.0"), Decimal("25.6"))),
        actor=inspector,
        source_reference="visit-1",
    )
    (violation,) = [v for v in result.violations if v.article == "5-5"]
    assert violation.penalty_article == "15"
    assert violation.deadline == VISIT_DAY + datetime.timedelta(days=14)
    assert violation.rulebook_version == result.version
    assert violation.parameters["indoor_temperature_floor_c"] == "26"
    assert violation.finding["measured"] == "25.30"
    assert violation.status == ViolationStatus.OPEN
    event = ViolationEvent.objects.get(violation=violation)
    assert event.actor == inspector
    assert ArticleStatus.objects.get(premises=premises, article="5-5").outcome == "non_compliant"


def test_exactly_26_degrees_opens_nothing(inspector, premises):
    result = record_inspection(
        premises,
        inspection(indoor_temperatures_c=(Decimal("26.0"),)),
        actor=inspector,
        source_reference="visit-2",
    )
    assert not [v for v in result.violations if v.article == "5-5"]


def test_a_refusal_is_a_penalty_case_without_rectification_period(inspector, premises):
    result = record_inspection(
        premises, inspection(refused=True), actor=inspector, source_reference="visit-3"
    )
    (case,) = [v for v in result.violations if v.article == "10-1"]
    assert case.penalty_article == "17"
    assert case.deadline is None


def test_recording_the_same_visit_again_opens_nothing_new(inspector, premises):
    facts = inspection(indoor_temperatures_c=(Decimal("24"),), refused=False)
    first = record_inspection(premises, facts, actor=inspector, source_reference="visit-4")
    second = record_inspection(premises, facts, actor=inspector, source_reference="visit-4")
    assert {v.pk for v in first.violations} == {v.pk for v in second.violations}
    assert Violation.objects.filter(source_reference="visit-4").count() == len(first.violations)


def test_advisory_findings_open_no_violation(inspector, premises):
    result = record_inspection(
        premises,
        inspection(after_hours_equipment_on=True),
        actor=inspector,
        source_reference="visit-5",
    )
    assert not [v for v in result.violations if v.article == "9"]


@pytest.mark.parametrize(
    ("visit_day", "expected"),
    [
        (datetime.date(2025, 6, 30), 0),  # last day of the Art. 19 grace
        (datetime.date(2025, 7, 1), 1),  # the day after
    ],
)
def test_existing_equipment_is_in_grace_for_six_months(
    inspector, premises, visit_day, expected, time_machine
):
    time_machine.move_to("2024-12-01 10:00 +0800")  # declared before the effective date
    make_equipment(
        premises,
        EquipmentKind.ENTRANCE,
        tag="DOOR-9",
        air_barrier=AirBarrier.NONE,
    )
    time_machine.move_to(f"{visit_day.isoformat()} 12:00 +0800")
    result = record_inspection(
        premises, inspection(day=visit_day), actor=inspector, source_reference=f"v-{visit_day}"
    )
    assert len([v for v in result.violations if v.article == "5-1"]) == expected
