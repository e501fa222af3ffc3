"""Recording a visit: idempotent start and save, completion opening what the rule book implies."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance.choices import EquipmentKind
from compliance.models import Violation
from inspections.choices import InspectionStatus
from inspections.models import TemperatureReading, Visit
from inspections.services.visit_rules import rule_breaches
from inspections.services.visits import (
    VisitInvalid,
    complete_visit,
    save_visit,
    start_visit,
)
from portal.models import AuditEntry
from tests.factories import make_equipment
from tests.inspections.visit_builders import (  # noqa: F401 (fixtures by name)
    VISIT_DAY,
    at,
    inspection_fixture,
    make_inspection,
    make_visit,
    unassigned_inspector_fixture,
    visit_fixture,
)

pytestmark = pytest.mark.django_db


def temperatures(*values: str) -> dict:
    return {"temperatures": [{"point": f"P{i}", "temperature_c": v} for i, v in enumerate(values)]}


# --- Starting -------------------------------------------------------------------------------


def test_starting_twice_with_the_same_key_returns_the_same_visit(inspector, inspection):
    key = uuid.uuid4()
    first, created = start_visit(inspector, inspection, key)
    again, created_again = start_visit(inspector, inspection, str(key))
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Visit.objects.filter(inspection=inspection).count() == 1
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.IN_PROGRESS


def test_another_key_for_an_inspection_with_a_visit_returns_that_visit(inspector, inspection):
    first, _ = start_visit(inspector, inspection, uuid.uuid4())
    other, created = start_visit(inspector, inspection, uuid.uuid4())
    assert other.pk == first.pk and created is False


def test_a_key_used_for_another_inspection_is_refused(inspector, inspection, premises):
    key = uuid.uuid4()
    start_visit(inspector, inspection, key)
    second = make_inspection(premises, lead=inspector)
    with pytest.raises(ValidationError) as caught:
        start_visit(inspector, second, key)
    assert "client_key" in caught.value.message_dict


def test_an_unassigned_inspector_cannot_start_a_visit(unassigned_inspector, inspection):
    with pytest.raises(PermissionDenied):
        start_visit(unassigned_inspector, inspection, uuid.uuid4())
    assert not Visit.objects.exists()


# --- Saving ---------------------------------------------------------------------------------


def test_saving_replaces_the_readings_and_the_same_payload_twice_changes_nothing(inspector, visit):
    save_visit(inspector, visit, {"badge_numbers": "A-1"}, temperatures("25.0", "26.0"))
    entries = AuditEntry.objects.filter(object_type="inspections.visit").count()
    save_visit(inspector, visit, {"badge_numbers": "A-1"}, temperatures("25.0", "26.0"))
    assert AuditEntry.objects.filter(object_type="inspections.visit").count() == entries
    assert [r.temperature_c for r in visit.temperatures.order_by("point")] == [
        Decimal("25.0"),
        Decimal("26.0"),
    ]
    save_visit(inspector, visit, {}, temperatures("27.5"))
    assert list(visit.temperatures.values_list("temperature_c", flat=True)) == [Decimal("27.5")]


def test_every_error_is_reported_at_once_and_nothing_is_saved(inspector, visit):
    save_visit(inspector, visit, {}, temperatures("25.0"))
    with pytest.raises(VisitInvalid) as caught:
        save_visit(
            inspector,
            visit,
            {"departed_at": at(9), "refused": True, "refusal_circumstances": ""},
            {
                "temperatures": [
                    {"point": "door", "temperature_c": "24.0"},
                    {"point": "desk", "temperature_c": "80"},
                    {"point": "back", "temperature_c": "x"},
                ],
                "illuminance_readings": [{"point": "a", "space_type": "office"}],
            },
        )
    errors = caught.value.errors
    assert set(errors) == {
        "departed_at",
        "refusal_circumstances",
        "temperatures",
        "illuminance_readings",
    }
    assert errors["temperatures"][0] == {}
    assert "temperature_c" in errors["temperatures"][1]
    assert "temperature_c" in errors["temperatures"][2]
    assert "illuminance_lux" in errors["illuminance_readings"][0]
    visit.refresh_from_db()
    assert visit.refused is False
    assert list(visit.temperatures.values_list("temperature_c", flat=True)) == [Decimal("25.0")]


def test_a_check_of_equipment_of_another_premises_is_refused(inspector, visit, other_premises):
    foreign = make_equipment(other_premises, EquipmentKind.ENTRANCE)
    row = {"equipment": foreign.pk, "article": "5-1", "result": "confirmed"}
    with pytest.raises(VisitInvalid) as caught:
        save_visit(inspector, visit, {}, {"equipment_checks": [row]})
    assert "equipment" in caught.value.errors["equipment_checks"][0]


def test_points_left_blank_are_numbered(inspector, visit):
    save_visit(inspector, visit, {}, {"temperatures": [{"temperature_c": "26"}] * 2})
    assert list(visit.temperatures.values_list("point", flat=True)) == ["T1", "T2"]


def test_an_unassigned_inspector_cannot_save(unassigned_inspector, visit):
    with pytest.raises(PermissionDenied):
        save_visit(unassigned_inspector, visit, {"notes": "x"}, {})


def test_the_values_breaking_the_rule_book_are_listed_before_completion(inspector, visit):
    save_visit(inspector, visit, {}, temperatures("25.0", "25.5"))
    (breach,) = rule_breaches(visit)
    assert breach.article == "5-5"
    assert "25.25" in breach.message


# --- Completing -----------------------------------------------------------------------------


def test_an_average_of_25_5_opens_a_5_5_violation_due_14_days_after_the_visit(inspector, visit):
    save_visit(inspector, visit, {}, temperatures("25.0", "26.0"))
    completion = complete_visit(inspector, visit)
    (violation,) = [v for v in completion.violations if v.article == "5-5"]
    assert violation.deadline == VISIT_DAY + datetime.timedelta(days=14)
    assert violation.penalty_article == "15"
    assert violation.source_reference == f"visit-{visit.pk}"
    visit.refresh_from_db()
    assert visit.completed_by == inspector and visit.completed_at is not None
    assert visit.inspection.status == InspectionStatus.COMPLETED


def test_exactly_26_degrees_opens_no_violation(inspector, visit):
    save_visit(inspector, visit, {}, temperatures("25.5", "26.5"))
    completion = complete_visit(inspector, visit)
    assert not [v for v in completion.violations if v.article == "5-5"]


def test_a_refusal_is_an_article_17_case_without_deadline(inspector, inspection):
    visit = make_visit(inspection, refused=True, refusal_circumstances="The manager locked us out.")
    completion = complete_visit(inspector, visit)
    (case,) = [v for v in completion.violations if v.article == "10-1"]
    assert case.penalty_article == "17"
    assert case.deadline is None
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.REFUSED


def test_completing_twice_opens_nothing_new(inspector, visit):
    save_visit(inspector, visit, {}, temperatures("24.0"))
    first = complete_visit(inspector, visit)
    completed_at = Visit.objects.get(pk=visit.pk).completed_at
    again = complete_visit(inspector, visit)
    assert again.newly_completed is False
    assert {v.pk for v in again.violations} == {v.pk for v in first.violations}
    assert Violation.objects.filter(source_reference=f"visit-{visit.pk}").count() == len(
        first.violations
    )
    assert Visit.objects.get(pk=visit.pk).completed_at == completed_at


def test_completion_needs_identification_and_times(inspector, inspection):
    visit = make_visit(inspection, ready=False)
    with pytest.raises(ValidationError) as caught:
        complete_visit(inspector, visit)
    assert set(caught.value.message_dict) == {"identification_shown", "arrived_at", "departed_at"}
    assert not Violation.objects.exists()


def test_only_the_assigned_inspectors_or_an_administrator_complete(
    inspector, unassigned_inspector, administrator, premises, make_user
):
    from portal.choices import Role

    colleague = make_user("inspector2", Role.INSPECTOR)
    inspection = make_inspection(premises, lead=inspector, others=[colleague])
    visit = make_visit(inspection)
    with pytest.raises(PermissionDenied):
        complete_visit(unassigned_inspector, visit)
    assert complete_visit(colleague, visit).newly_completed
    other = make_visit(make_inspection(premises, lead=inspector))
    assert complete_visit(administrator, other).newly_completed


def test_a_completed_visit_can_no_longer_be_changed(inspector, visit):
    complete_visit(inspector, visit)
    with pytest.raises(ValidationError):
        save_visit(inspector, visit, {"notes": "later"}, {})
    assert TemperatureReading.objects.count() == 0


def test_completion_asks_for_the_report_in_chinese(inspector, visit):
    completion = complete_visit(inspector, visit)
    assert completion.report is not None
    assert completion.report.language == "zh-hant"
    assert visit.reports.count() == 1
    complete_visit(inspector, visit)
    assert visit.reports.count() == 1
