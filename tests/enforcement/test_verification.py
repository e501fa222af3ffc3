"""A missed deadline is verified before anyone is fined (APenA Arts. 27, 42; issue 14).

The sweep fines only cases whose non-rectification was established: by a re-inspection,
or from the portal's records for the record-keeping duties. The result never depends on
whether the sweep or the verification ran first; a period to state an opinion delays the
fine; no fine after three years.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest

from compliance import rules
from compliance.choices import EquipmentKind, ViolationStatus
from compliance.enforcement.services import sweep
from compliance.models import BoilerMonthlyLog, Fine, Verification
from compliance.rulebook.bridge import parameters_of
from compliance.rulebook.services import versions as rulebook_services
from compliance.rules.periods import add_months
from portal.models import AuditEntry
from tests.deciding import decide_and_serve
from tests.factories import make_equipment, make_violation
from tests.verifying import verify_missed

pytestmark = pytest.mark.django_db
FOUND = datetime.date(2026, 11, 2)
DEADLINE = datetime.date(2026, 11, 16)  # 5-5: 14 days, a Monday


def after(days: int) -> datetime.date:
    return DEADLINE + datetime.timedelta(days=days)


@pytest.fixture
def violation(premises):
    return make_violation(premises, "5-5", found_on=FOUND)


def test_a_passed_deadline_waits_for_verification_and_is_not_fined(violation):
    for days in (1, 5, 30):
        assert sweep.sweep(after(days)).fines_issued == 0
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.OPEN
    assert violation.awaits_verification(after(1))
    assert not Fine.objects.exists()


@pytest.mark.parametrize("sweep_first", [True, False], ids=["sweep first", "re-inspection first"])
def test_persisting_is_fined_once_whichever_ran_first(violation, inspector, sweep_first):
    if sweep_first:
        sweep.sweep(after(2))
    row = verify_missed(violation, after(2), actor=inspector)
    sweep.sweep(after(2))
    sweep.sweep(after(3))
    (fine,) = Fine.objects.filter(violation=violation)
    assert (fine.step, fine.missed_deadline, fine.proposed_on) == (1, DEADLINE, after(2))
    decide_and_serve(after(3))
    assert (row.method, row.result, row.verified_by) == ("reinspection", "persisting", inspector)
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.FINED and violation.fine_due_on is None
    # Who verified, and that it was, is in the audit log.
    assert AuditEntry.objects.filter(
        object_type="compliance.verification", object_id=str(row.pk), actor=inspector
    ).exists()


@pytest.mark.parametrize("sweep_first", [True, False], ids=["sweep first", "re-inspection first"])
def test_fixed_after_the_deadline_is_rectified_without_a_fine_whichever_ran_first(
    violation, inspector, sweep_first
):
    if sweep_first:
        sweep.sweep(after(2))
    verify_missed(violation, after(2), result="rectified", actor=inspector)
    sweep.sweep(after(2))
    sweep.sweep(after(40))
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.CLOSED  # rectified, nothing owed
    assert not Fine.objects.exists()


def test_the_first_verification_of_a_deadline_decides_it(violation, inspector):
    first = verify_missed(violation, after(1), actor=inspector)
    again = verify_missed(violation, after(2), result="rectified", actor=inspector)
    assert again == first
    assert Verification.objects.count() == 1
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.OPEN and violation.fine_due_on == after(1)


def test_a_visit_on_or_before_the_deadline_verifies_nothing(violation, inspector):
    assert verify_missed(violation, DEADLINE, actor=inspector) is None
    assert verify_missed(violation, FOUND, actor=inspector) is None
    assert sweep.sweep(after(1)).fines_issued == 0


def publish_with_statement_period(administrator, article: str, days: int):
    draft = rulebook_services.create_draft(administrator)
    params = dataclasses.replace(
        parameters_of(draft), statement_periods=(rules.StatementPeriod(article, days),)
    )
    draft = rulebook_services.update_draft(
        administrator, draft, params=params, effective_from=datetime.date(2026, 11, 10)
    )
    return rulebook_services.publish(administrator, draft, reason="Art. 42 statements")


def test_a_statement_period_delays_the_fine_until_it_ends(
    violation, inspector, administrator, time_machine
):
    time_machine.move_to("2026-11-09 10:00 +0800")
    publish_with_statement_period(administrator, "5-5", 10)
    # Verified on Tuesday 11-17: ten days end on Friday 11-27; the fine is due from 11-28.
    row = verify_missed(violation, after(1), actor=inspector)
    assert row.statement_until == datetime.date(2026, 11, 27)
    assert row.fine_due_on == datetime.date(2026, 11, 28)
    for day in (after(1), datetime.date(2026, 11, 27)):
        assert sweep.sweep(day).fines_issued == 0
    run = sweep.sweep(datetime.date(2026, 11, 28))
    assert run.fines_issued == 1
    assert Fine.objects.get().offence_on == after(1)


def test_a_statement_period_ending_on_a_saturday_runs_to_monday(
    violation, inspector, administrator, time_machine
):
    time_machine.move_to("2026-11-09 10:00 +0800")
    publish_with_statement_period(administrator, "5-5", 11)
    row = verify_missed(violation, after(1), actor=inspector)
    assert row.statement_until == datetime.date(2026, 11, 30)  # 11-28 is a Saturday


def test_no_fine_for_a_deadline_missed_more_than_three_years_ago(premises, inspector):
    old = make_violation(premises, "5-5", found_on=datetime.date(2025, 1, 6))
    assert old.deadline == datetime.date(2025, 1, 20)
    verify_missed(old, datetime.date(2025, 1, 21), actor=inspector)
    # The offence was on 2025-01-21: the power to fine ends on 2028-01-20.
    assert sweep.sweep(datetime.date(2028, 1, 21)).fines_issued == 0
    assert sweep.sweep(datetime.date(2028, 1, 20)).fines_issued == 1


def boiler_with_missing_logs(premises):
    boiler = make_equipment(premises, EquipmentKind.BOILER, installed_on=datetime.date(2026, 1, 5))
    # 30 days to rectify; no log was ever kept.
    case = make_violation(premises, "8-2", found_on=datetime.date(2026, 10, 1), subject=boiler.tag)
    return boiler, case


def log_every_month(boiler, until: datetime.date) -> None:
    month = datetime.date(2025, 11, 1)
    while month <= until:
        BoilerMonthlyLog.objects.create(
            equipment=boiler,
            month=month,
            recorded_by="energy manager",
            air_volume_m3h=500,
            exhaust_temp_c=180,
            furnace_wall_temp_c=60,
            exhaust_co2_pct=Decimal("10.5"),
        )
        month = add_months(month, 1)


def test_missing_boiler_logs_are_verified_from_the_records_and_fined(premises):
    _boiler, case = boiler_with_missing_logs(premises)
    day = case.deadline + datetime.timedelta(days=1)
    run = sweep.sweep(day)
    assert run.fines_issued == 1
    row = Verification.objects.get(violation=case)
    assert (row.method, row.result, row.verified_on) == ("records", "persisting", day)
    assert row.finding["article"] == "8-2"
    assert row.explanation  # what it checked, in the City's language
    assert row.actor_label  # the job, named


def test_boiler_logs_kept_by_the_deadline_rectify_from_the_records(premises):
    boiler, case = boiler_with_missing_logs(premises)
    day = case.deadline + datetime.timedelta(days=1)
    log_every_month(boiler, day)
    assert sweep.sweep(day).fines_issued == 0
    case.refresh_from_db()
    assert case.status == ViolationStatus.CLOSED
    assert Verification.objects.get(violation=case).result == "rectified"
