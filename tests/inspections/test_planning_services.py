"""Planning services: Art. 10-5 target selection, balanced batches, audited changes,
idempotent re-inspections."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance import rules
from compliance.choices import ComplianceOutcome, District, PremisesCategory
from compliance.enforcement.services.opening import record_inspection
from compliance.models import ComplianceAssessment, PremisesStatus
from inspections.choices import AssignmentRole, InspectionPurpose, InspectionStatus
from inspections.models import Inspection, InspectionAssignment, InspectionBatch, Visit
from inspections.services import planning
from inspections.services.planning import TargetCriteria
from portal.audit import history_of
from tests.factories import make_business, make_premises
from tests.inspections.planning_builders import make_inspection, make_inspector

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)  # a Wednesday


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-11-18 09:00 +0800", tick=False)


def selected(criteria: TargetCriteria) -> set[str]:
    return {premises.name for premises in planning.select_targets(criteria)}


# Target selection, one criterion at a time.


def test_industry_classification_selects_by_code_prefix():
    make_premises(make_business(industry_code="4711"), name="grocer")
    make_premises(make_business(industry_code="4719"), name="variety store")
    make_premises(make_business(industry_code="2511"), name="metal works")

    assert selected(TargetCriteria(industry_code="47")) == {"grocer", "variety store"}
    assert selected(TargetCriteria(industry_code="4711")) == {"grocer"}


def test_floor_area_selects_premises_reaching_the_minimum(business):
    make_premises(business, name="small", floor_area_m2=Decimal("499.99"))
    make_premises(business, name="exactly", floor_area_m2=Decimal("500"))
    make_premises(business, name="large", floor_area_m2=Decimal("3200"))

    assert selected(TargetCriteria(min_floor_area_m2=Decimal("500"))) == {"exactly", "large"}


def test_published_criteria_select_what_the_rule_book_announces(business):
    # The initial rule book: hotels, department stores, supermarkets, office buildings,
    # or at least 1000 m² (monthly electricity use is not recorded: not judged by it).
    make_premises(business, name="hotel", category=PremisesCategory.HOTEL)
    make_premises(business, name="big shop", floor_area_m2=Decimal("1000"))
    make_premises(business, name="small shop", floor_area_m2=Decimal("999"))

    assert selected(TargetCriteria(published_criteria=True)) == {"hotel", "big shop"}


def test_district_and_category_select_exactly(business):
    make_premises(business, name="xinyi shop", district=District.XINYI)
    make_premises(business, name="daan shop", district=District.DAAN)
    make_premises(
        business, name="daan hotel", district=District.DAAN, category=PremisesCategory.HOTEL
    )

    assert selected(TargetCriteria(district=District.DAAN)) == {"daan shop", "daan hotel"}
    assert selected(TargetCriteria(category=PremisesCategory.HOTEL)) == {"daan hotel"}


def test_last_inspection_never_or_not_since_a_day(business):
    long_ago = make_premises(business, name="long ago")
    recent = make_premises(business, name="recent")
    make_premises(business, name="never")
    make_inspection(long_ago, datetime.date(2025, 3, 1), status=InspectionStatus.COMPLETED)
    make_inspection(recent, datetime.date(2026, 1, 10), status=InspectionStatus.REFUSED)
    # A cancelled inspection never took place.
    make_inspection(long_ago, datetime.date(2026, 6, 1), status=InspectionStatus.CANCELLED)

    assert selected(TargetCriteria(last_inspection=planning.NEVER_INSPECTED)) == {"never"}
    assert selected(
        TargetCriteria(
            last_inspection=planning.NOT_INSPECTED_SINCE,
            inspected_before=datetime.date(2026, 1, 1),
        )
    ) == {"long ago", "never"}
    targets = {p.name: p.last_inspected_on for p in planning.select_targets(TargetCriteria())}
    assert targets == {
        "long ago": datetime.date(2025, 3, 1),
        "recent": datetime.date(2026, 1, 10),
        "never": None,
    }


def _status(premises, outcome: str) -> None:
    assessment = ComplianceAssessment.objects.create(
        premises=premises, as_of=TODAY, confirmed_on=TODAY, outcome=outcome
    )
    PremisesStatus.objects.create(
        premises=premises, assessment=assessment, outcome=outcome, as_of=TODAY
    )


def test_current_compliance_status_selects_by_outcome(business):
    _status(make_premises(business, name="bad"), ComplianceOutcome.NON_COMPLIANT)
    _status(make_premises(business, name="good"), ComplianceOutcome.COMPLIANT)
    make_premises(business, name="unassessed")

    assert selected(TargetCriteria(compliance_status=ComplianceOutcome.NON_COMPLIANT)) == {"bad"}
    assert selected(TargetCriteria(compliance_status=planning.NOT_ASSESSED)) == {"unassessed"}


def test_premises_already_planned_or_out_of_operation_are_left_out(business, inspector):
    planned = make_premises(business, name="planned")
    make_premises(business, name="closed", is_active=False)
    make_premises(business, name="free")
    make_inspection(planned, TODAY, lead=inspector)

    assert selected(TargetCriteria()) == {"free"}
    assert selected(TargetCriteria(exclude_open=False)) == {"planned", "free"}


def test_criteria_combine_and_survive_a_round_trip_through_json():
    criteria = TargetCriteria(
        industry_code="47",
        min_floor_area_m2=Decimal("500"),
        last_inspection=planning.NOT_INSPECTED_SINCE,
        inspected_before=datetime.date(2026, 1, 1),
    )
    assert TargetCriteria.from_dict(criteria.to_dict()) == criteria
    make_premises(make_business(industry_code="4711"), name="match", floor_area_m2=600)
    make_premises(make_business(industry_code="4711"), name="too small", floor_area_m2=100)
    make_premises(make_business(industry_code="5611"), name="other trade", floor_area_m2=600)

    assert selected(criteria) == {"match"}


# Batches and load balancing.


@pytest.fixture
def team():
    """Three inspectors, created in this order (ties go to the lower id)."""
    return [make_inspector(name) for name in ("ann", "bo", "chen")]


def test_batch_gives_each_inspection_to_the_least_loaded_inspector(administrator, business, team):
    ann, bo, chen = team
    existing = make_premises(business)
    for _ in range(2):
        make_inspection(existing, TODAY, lead=ann)
    make_inspection(existing, TODAY, lead=chen)
    # Finished or cancelled inspections are no load.
    make_inspection(existing, TODAY, lead=bo, status=InspectionStatus.COMPLETED)
    make_inspection(existing, TODAY, lead=bo, status=InspectionStatus.CANCELLED)
    targets = [make_premises(business) for _ in range(7)]

    batch = planning.create_batch(
        administrator,
        "Xinyi retail, November",
        [p.pk for p in targets],
        TODAY + datetime.timedelta(days=5),
        [chen.pk, ann.pk, bo.pk],
    )

    new = InspectionAssignment.objects.filter(inspection__batch=batch)
    per_inspector = {user.username: new.filter(user=user).count() for user in team}
    # Loads ann 2, bo 0, chen 1 → bo, bo, chen, ann, bo, chen, ann.
    assert per_inspector == {"ann": 2, "bo": 3, "chen": 2}
    assert planning.open_loads(u.pk for u in team) == {ann.pk: 4, bo.pk: 3, chen.pk: 3}
    assert batch.inspections.count() == 7
    assert set(batch.inspections.values_list("premises_id", flat=True)) == {p.pk for p in targets}
    assert not new.exclude(role=AssignmentRole.LEAD).exists()


def test_batch_is_audited_with_its_criteria_and_every_inspection(administrator, business, team):
    targets = [make_premises(business) for _ in range(3)]
    criteria = TargetCriteria(district=District.XINYI)

    batch = planning.create_batch(
        administrator,
        "Xinyi",
        [p.pk for p in targets],
        TODAY,
        [team[0].pk],
        experts="林教授 (NTUST)",
        criteria=criteria,
    )

    assert batch.criteria == {
        "district": "xinyi",
        "published_criteria": False,
        "exclude_open": True,
    }
    (entry,) = history_of(batch)
    assert entry.actor == administrator
    assert sorted(entry.changes["inspections"][1]) == sorted(
        batch.inspections.values_list("pk", flat=True)
    )
    for inspection in batch.inspections.all():
        (created,) = history_of(inspection)
        assert created.action == "create"
        assert created.business_id == business.pk
        assert inspection.experts == "林教授 (NTUST)"
        assert inspection.purpose == InspectionPurpose.ROUTINE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"premises_ids": []}, "premises"),
        ({"inspector_ids": []}, "inspectors"),
        ({"scheduled_for": TODAY - datetime.timedelta(days=1)}, "scheduled_for"),
    ],
)
def test_a_bad_batch_names_the_field_and_saves_nothing(
    administrator, business, team, change, field
):
    values = {
        "title": "Batch",
        "premises_ids": [make_premises(business).pk],
        "scheduled_for": TODAY,
        "inspector_ids": [team[0].pk],
    }
    values.update(change)

    with pytest.raises(ValidationError) as error:
        planning.create_batch(administrator, **values)

    assert field in error.value.message_dict
    assert not InspectionBatch.objects.exists() and not Inspection.objects.exists()


def test_only_active_inspectors_and_premises_in_operation_can_be_planned(
    administrator, owner, business, team
):
    closed = make_premises(business, is_active=False)
    with pytest.raises(ValidationError) as error:
        planning.create_batch(administrator, "B", [closed.pk], TODAY, [team[0].pk])
    assert "premises" in error.value.message_dict

    team[1].is_active = False
    team[1].save()
    for not_an_inspector in (owner, team[1]):
        with pytest.raises(ValidationError) as error:
            planning.create_batch(
                administrator, "B", [make_premises(business).pk], TODAY, [not_an_inspector.pk]
            )
        assert "inspectors" in error.value.message_dict
    assert not Inspection.objects.exists()


def test_only_administrators_plan(inspector, business):
    with pytest.raises(PermissionDenied):
        planning.create_batch(inspector, "B", [make_premises(business).pk], TODAY, [inspector.pk])


# Rescheduling, cancelling and reassigning: who, when, why.


def test_reschedule_records_who_when_and_why(administrator, premises, inspector):
    inspection = make_inspection(premises, TODAY, lead=inspector)

    planning.reschedule(
        administrator,
        inspection,
        datetime.date(2026, 11, 25),
        "The shop is closed for a fire drill.",
    )

    inspection.refresh_from_db()
    assert inspection.scheduled_for == datetime.date(2026, 11, 25)
    (entry,) = history_of(inspection)
    assert entry.actor == administrator
    assert entry.reason == "The shop is closed for a fire drill."
    assert entry.changes == {"scheduled_for": ["2026-11-18", "2026-11-25"]}
    assert entry.timestamp is not None


@pytest.mark.parametrize(
    ("day", "reason", "field"),
    [
        (datetime.date(2026, 11, 25), "  ", "reason"),
        (datetime.date(2026, 11, 17), "Earlier", "scheduled_for"),
        (TODAY, "Same day", "scheduled_for"),
    ],
)
def test_reschedule_refuses_without_reason_or_to_the_past(
    administrator, premises, inspector, day, reason, field
):
    inspection = make_inspection(premises, TODAY, lead=inspector)

    with pytest.raises(ValidationError) as error:
        planning.reschedule(administrator, inspection, day, reason)

    assert field in error.value.message_dict
    inspection.refresh_from_db()
    assert inspection.scheduled_for == TODAY
    assert not history_of(inspection).exists()


def test_cancel_records_the_reason_and_frees_the_inspector(administrator, premises, inspector):
    inspection = make_inspection(premises, TODAY, lead=inspector)

    planning.cancel(administrator, inspection, "The business has closed down.")

    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CANCELLED
    (entry,) = history_of(inspection)
    assert entry.reason == "The business has closed down."
    assert entry.changes == {"status": ["planned", "cancelled"]}
    assert planning.open_loads([inspector.pk]) == {inspector.pk: 0}


def test_a_completed_inspection_cannot_be_cancelled_or_rescheduled(administrator, premises):
    inspection = make_inspection(premises, TODAY, status=InspectionStatus.COMPLETED)

    with pytest.raises(ValidationError):
        planning.cancel(administrator, inspection, "Too late")
    with pytest.raises(ValidationError):
        planning.reschedule(administrator, inspection, TODAY + datetime.timedelta(1), "Late")
    with pytest.raises(ValidationError):
        planning.cancel(administrator, inspection, "")
    assert not history_of(inspection).exists()


def test_assign_replaces_the_team_audited(administrator, premises, team, owner):
    ann, bo, chen = team
    inspection = make_inspection(premises, TODAY, lead=ann)

    planning.assign(administrator, inspection, bo, [chen, bo], reason="Ann is on leave.")

    roles = dict(inspection.assignments.values_list("user__username", "role"))
    assert roles == {"bo": "lead", "chen": "inspector"}
    (entry,) = history_of(inspection)
    assert entry.changes == {"lead": [ann.pk, bo.pk], "inspectors": [[], [chen.pk]]}
    assert entry.reason == "Ann is on leave."
    with pytest.raises(ValidationError):
        planning.assign(administrator, inspection, owner)


# Re-inspections at a rectification deadline (used by the enforcement sweep).


@pytest.fixture
def violation(premises, inspector):
    """A violation found at a completed visit led and completed by ``inspector``."""
    inspection = make_inspection(
        premises, datetime.date(2026, 11, 10), lead=inspector, status=InspectionStatus.COMPLETED
    )
    visit = Visit.objects.create(inspection=inspection, completed_by=inspector)
    result = record_inspection(
        premises,
        rules.InspectionFacts(
            inspected_on=datetime.date(2026, 11, 10), indoor_temperatures_c=(Decimal("24.0"),)
        ),
        actor=inspector,
        source_reference=f"visit-{visit.pk}",
    )
    (found,) = [v for v in result.violations if v.article == "5-5"]
    return found


def test_scheduling_a_reinspection_twice_plans_it_once(violation, inspector):
    first = planning.schedule_reinspection(violation, violation.deadline)
    second = planning.schedule_reinspection(violation, violation.deadline)

    assert first.pk == second.pk
    reinspections = Inspection.objects.filter(violation=violation)
    assert reinspections.count() == 1
    (reinspection,) = reinspections
    assert reinspection.purpose == InspectionPurpose.REINSPECTION
    assert reinspection.premises_id == violation.premises_id
    assert reinspection.scheduled_for == violation.deadline
    assert list(reinspection.assignments.values_list("user", "role")) == [(inspector.pk, "lead")]
    assert len(history_of(reinspection)) == 1


def test_a_reinspection_goes_to_another_inspector_when_the_finder_has_left(
    violation, inspector, team
):
    inspector.is_active = False
    inspector.save()
    busy_ann, _bo, _chen = team
    make_inspection(violation.premises, TODAY, lead=busy_ann)

    reinspection = planning.schedule_reinspection(violation, violation.deadline)

    lead = reinspection.assignments.get(role="lead").user
    assert lead.username == "bo"  # the least loaded active inspector, lowest id first
