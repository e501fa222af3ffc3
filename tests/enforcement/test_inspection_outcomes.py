"""What later inspections do to a running violation: rectify it, or leave it running."""

import datetime
from decimal import Decimal

import pytest

from compliance import rules
from compliance.choices import FineStatus, ViolationStatus
from compliance.enforcement.services.opening import record_inspection
from compliance.models import Fine, Violation
from portal.models import OutboxMessage
from tests.deciding import approve_proposals

pytestmark = pytest.mark.django_db
FOUND = datetime.date(2026, 11, 2)


def visit(premises, inspector, reference, day, **values):
    return record_inspection(
        premises,
        rules.InspectionFacts(inspected_on=day, **values),
        actor=inspector,
        source_reference=reference,
    )


@pytest.fixture
def too_cold(premises, inspector):
    result = visit(premises, inspector, "visit-1", FOUND, indoor_temperatures_c=(Decimal("24"),))
    return next(v for v in result.violations if v.article == "5-5")


def test_a_reinspection_that_finds_it_fixed_rectifies_and_closes_it(too_cold, premises, inspector):
    later = FOUND + datetime.timedelta(days=14)
    visit(premises, inspector, "visit-2", later, indoor_temperatures_c=(Decimal("26.5"),))
    too_cold.refresh_from_db()
    assert too_cold.status == ViolationStatus.CLOSED
    rectified, closed = list(too_cold.events.order_by("at", "id"))[-2:]
    assert (rectified.to_status, rectified.actor) == (ViolationStatus.RECTIFIED, inspector)
    assert "visit-2" in rectified.reason
    assert closed.to_status == ViolationStatus.CLOSED


def test_a_reinspection_that_finds_it_still_wrong_opens_no_second_violation(
    too_cold, premises, inspector
):
    later = FOUND + datetime.timedelta(days=14)
    result = visit(premises, inspector, "visit-2", later, indoor_temperatures_c=(Decimal("25"),))
    assert not [v for v in result.violations if v.article == "5-5"]
    assert Violation.objects.filter(premises=premises, article="5-5").count() == 1
    too_cold.refresh_from_db()
    assert too_cold.status == ViolationStatus.OPEN
    assert too_cold.deadline == FOUND + datetime.timedelta(days=14)


def test_a_new_violation_writes_its_notice_follow_up(too_cold):
    assert OutboxMessage.objects.filter(
        topic="enforcement.violation_opened", payload={"violation": too_cold.pk}
    ).exists()


def test_a_refusal_is_proposed_at_once_at_the_first_step(premises, inspector):
    result = visit(premises, inspector, "visit-9", FOUND, refused=True)
    (case,) = [v for v in result.violations if v.article == "10-1"]
    (fine,) = Fine.objects.filter(violation=case)
    assert (fine.step, fine.amount_ntd, fine.penalty_article) == (1, 30_000, "17")
    assert (fine.offence_on, fine.proposed_on, fine.rectify_within_days) == (FOUND, FOUND, None)
    assert fine.issued_by == inspector
    # Proposed: an official decides it (never the inspector who found the refusal).
    assert fine.status == FineStatus.PROPOSED
    case.refresh_from_db()
    assert case.status == ViolationStatus.OPEN
    assert approve_proposals(FOUND) == 1
    case.refresh_from_db()
    assert case.status == ViolationStatus.FINED
    # Recording the same visit again fines nothing more.
    visit(premises, inspector, "visit-9", FOUND, refused=True)
    assert Fine.objects.filter(violation=case).count() == 1


def test_a_violation_is_not_rectified_by_the_visit_that_found_it(premises, inspector):
    from compliance.choices import EquipmentKind
    from tests.factories import make_equipment

    # A metered chiller without its monthly logs: Art. 5-3 finds the meter compliant
    # and the logs wrong, for the same subject in the same visit.
    make_equipment(
        premises,
        EquipmentKind.CHILLER,
        capacity_hp=Decimal("120"),
        has_separate_meter=True,
        installed_on=datetime.date(2020, 1, 1),
    )
    result = visit(premises, inspector, "visit-5", datetime.date(2027, 3, 1))
    opened = [v for v in result.violations if v.article == "5-3"]
    assert opened
    for violation in opened:
        violation.refresh_from_db()
        assert violation.status == ViolationStatus.OPEN
