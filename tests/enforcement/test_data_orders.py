"""Art. 12-2 data orders: fulfilled by uploads; a missed one is an Art. 18 case the sweep fines."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from compliance.choices import FineStatus, PaymentStatus, ViolationStatus
from compliance.energy.services import data_orders
from compliance.energy.services.uploads import import_energy_use_csv
from compliance.enforcement.services import sweep, violations
from compliance.models import DataOrder, DataOrderStatus, Fine, Violation
from compliance.rulebook.bridge import parameters_of
from compliance.rules import STATUTORY_FINE_RANGE_NTD
from portal import outbox
from portal.models import AuditEntry
from tests.compliance.energy_use_builders import make_use
from tests.deciding import decide_and_serve

pytestmark = pytest.mark.django_db
ORDERED_ON = datetime.date(2026, 9, 1)
DEADLINE = datetime.date(2026, 9, 30)
MAY, JUNE, JULY = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1), datetime.date(2026, 7, 1)


def sweep_night(day):
    """The night's sweep, then an official approves its proposals and they are served."""
    run = sweep.sweep(day)
    decide_and_serve(day)
    return run


def after(value: datetime.date, days: int = 1) -> datetime.date:
    return value + datetime.timedelta(days=days)


@pytest.fixture
def order(administrator, supplier):
    supplier.display_name = "臺北能源股份有限公司"
    supplier.save()
    return data_orders.issue_order(
        administrator,
        supplier=supplier,
        energy_type="electricity",
        period_from=MAY,
        period_to=JULY,
        deadline=DEADLINE,
        instructions="Every account of a customer in Taipei City.",
        today=ORDERED_ON,
    )


def deliver_all() -> int:
    """Deliver the outbox (a test's transaction never commits, so nothing wakes it)."""
    return outbox.deliver("celery") + outbox.deliver("reports")


def upload(supplier, premises, *months):
    lines = ["account,energy_type,month,quantity,unit,premises_id"]
    for month in months:
        lines.append(f"A-1,electricity,{month:%Y-%m},52000,kwh,{premises.pk}")
    report = import_energy_use_csv("\n".join(lines), supplier)
    assert report.ok, report.errors
    return report


def test_an_order_records_who_ordered_it_under_which_rule_book(order, administrator):
    assert order.status == DataOrderStatus.OPEN
    assert order.ordered_by == administrator
    assert order.rulebook_version.effective_from <= ORDERED_ON
    assert order.number.startswith("DO-")
    assert [(e.to_status, e.actor) for e in order.events.all()] == [
        (DataOrderStatus.OPEN, administrator)
    ]
    assert AuditEntry.objects.filter(object_type="compliance.dataorder", object_id=str(order.pk))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"deadline": ORDERED_ON}, "deadline"),
        ({"period_from": JULY, "period_to": MAY}, "period_to"),
        ({"period_to": datetime.date(2026, 10, 1)}, "period_to"),
    ],
    ids=["deadline-not-after-today", "months-reversed", "month-not-begun"],
)
def test_a_bad_order_is_refused_with_the_field_at_fault(administrator, supplier, changes, field):
    values = {
        "supplier": supplier,
        "energy_type": "electricity",
        "period_from": MAY,
        "period_to": JULY,
        "deadline": DEADLINE,
        "today": ORDERED_ON,
    }
    with pytest.raises(ValidationError) as error:
        data_orders.issue_order(administrator, **{**values, **changes})
    assert field in error.value.message_dict
    assert not DataOrder.objects.exists()


def test_only_an_administrator_orders_and_only_from_a_supplier(inspector, administrator, owner):
    with pytest.raises(PermissionDenied):
        data_orders.issue_order(
            inspector,
            supplier=owner,
            energy_type="electricity",
            period_from=MAY,
            period_to=MAY,
            deadline=DEADLINE,
            today=ORDERED_ON,
        )
    with pytest.raises(ValidationError) as error:
        data_orders.issue_order(
            administrator,
            supplier=owner,
            energy_type="electricity",
            period_from=MAY,
            period_to=MAY,
            deadline=DEADLINE,
            today=ORDERED_ON,
        )
    assert "supplier" in error.value.message_dict


def test_an_upload_covering_every_month_fulfils_the_order(order, supplier, premises):
    upload(supplier, premises, MAY, JUNE)
    order.refresh_from_db()
    assert order.status == DataOrderStatus.OPEN
    assert data_orders.missing_months(order) == [JULY]
    upload(supplier, premises, JULY)
    order.refresh_from_db()
    assert order.status == DataOrderStatus.FULFILLED
    assert order.fulfilled_at is not None
    assert order.events.last().actor == supplier


def test_another_suppliers_data_or_another_energy_type_does_not_fulfil_it(
    order, supplier, premises, make_user
):
    other = make_user("supplier2", "energy_supplier")
    for month in (MAY, JUNE, JULY):
        make_use(other, premises, month, 1000)
        make_use(supplier, premises, month, 10, energy_type="natural_gas", unit="m3")
    assert data_orders.missing_months(order) == [MAY, JUNE, JULY]


def test_a_missed_order_becomes_an_art_18_case_fined_by_the_sweep(order, supplier, premises):
    assert sweep.sweep(DEADLINE).fines_issued == 0  # the last day to provide the data
    assert not Violation.objects.exists()

    run = sweep_night(after(DEADLINE))

    order.refresh_from_db()
    assert order.status == DataOrderStatus.MISSED
    case = order.violation
    assert case.supplier == supplier and case.premises is None
    assert (case.article, case.penalty_article) == ("12", "18")
    assert case.found_on == after(DEADLINE)
    assert case.finding["measured"] == "2026-05, 2026-06, 2026-07"
    assert case.rulebook_version_id == order.rulebook_version_id
    assert run.fines_issued == 1
    # The missing months, read from the portal's records, verified the missed deadline.
    verification = case.verifications.get()
    assert (verification.method, verification.result) == ("records", "persisting")
    assert verification.missed_deadline == DEADLINE
    assert "2026-05, 2026-06, 2026-07" in verification.explanation
    fine = Fine.objects.get(violation=case)
    schedule = parameters_of(case.rulebook_version).penalty_schedules
    amounts = next(row.amounts_ntd for row in schedule if row.penalty_article == "18")
    assert fine.amount_ntd == amounts[0]
    assert fine.schedule == list(amounts)
    low, high = STATUTORY_FINE_RANGE_NTD["18"]
    assert low <= fine.amount_ntd <= high
    assert (fine.step, fine.penalty_article, fine.missed_deadline) == (1, "18", DEADLINE)
    assert fine.sweep == run
    # A new deadline: the rule book's period for article 12 (30 days) from the day of the fine.
    case.refresh_from_db()
    assert case.status == ViolationStatus.FINED
    # 30 days from the fine on 10-01 end on Saturday 10-31: APA Art. 48 moves it to Monday.
    assert case.deadline == datetime.date(2026, 11, 2)
    # The supplier sees its case and is told by e-mail.
    assert Violation.objects.visible_to(supplier).get() == case
    deliver_all()
    assert any(supplier.email in message.to for message in mail.outbox)


def test_the_case_is_fined_again_for_every_further_missed_deadline_never_twice(order, supplier):
    sweep_night(after(DEADLINE))
    sweep_night(after(DEADLINE))  # the same night again: nothing more
    case = Violation.objects.get()
    assert case.fines.count() == 1
    case.refresh_from_db()
    sweep_night(after(case.deadline))
    case.refresh_from_db()
    sweep_night(after(case.deadline))
    amounts = list(case.fines.order_by("step").values_list("amount_ntd", flat=True))
    assert amounts == [30_000, 40_000, 50_000]
    assert DataOrder.objects.get().violation == case  # one case per order, never a second


def test_data_arriving_late_rectifies_the_case_which_closes_once_the_fine_is_paid(
    order, supplier, premises, administrator
):
    sweep_night(after(DEADLINE))
    case = Violation.objects.get()
    upload(supplier, premises, MAY, JUNE, JULY)
    order.refresh_from_db()
    case.refresh_from_db()
    assert order.status == DataOrderStatus.FULFILLED
    assert case.status == ViolationStatus.RECTIFIED
    # No further fine once rectified.
    assert sweep_night(after(case.deadline)).fines_issued == 0
    fine = case.fines.get()
    payment = violations.report_payment(
        supplier, fine, amount_ntd=fine.amount_due_ntd, paid_on=after(DEADLINE, 3), reference="X1"
    )
    violations.decide_payment(administrator, payment, confirm=True)
    payment.refresh_from_db()
    fine.refresh_from_db()
    case.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert fine.status == FineStatus.PAID
    assert case.status == ViolationStatus.CLOSED


def test_data_uploaded_before_the_sweep_runs_fulfils_instead_of_fining(order, supplier, premises):
    for month in (MAY, JUNE, JULY):
        make_use(supplier, premises, month, 52000, account_number="A-9")
    # The upload skipped the check (made directly here): the sweep checks again.
    run = sweep_night(after(DEADLINE))
    order.refresh_from_db()
    assert order.status == DataOrderStatus.FULFILLED
    assert run.fines_issued == 0 and not Violation.objects.exists()


def test_a_cancelled_order_is_never_fined(order, administrator):
    with pytest.raises(ValidationError):
        data_orders.cancel_order(administrator, order, reason=" ")
    data_orders.cancel_order(administrator, order, reason="Issued to the wrong supplier.")
    assert sweep_night(after(DEADLINE, 40)).fines_issued == 0
    order.refresh_from_db()
    assert order.status == DataOrderStatus.CANCELLED
    with pytest.raises(ValidationError):
        data_orders.cancel_order(administrator, order, reason="again")


def test_an_administrator_records_data_provided_another_way(order, administrator, supplier):
    sweep_night(after(DEADLINE))
    with pytest.raises(PermissionDenied):
        data_orders.record_fulfilled(supplier, order, reason="sent on paper")
    data_orders.record_fulfilled(administrator, order, reason="Delivered on disc on 3 Oct.")
    order.refresh_from_db()
    assert order.status == DataOrderStatus.FULFILLED
    assert order.violation.status == ViolationStatus.RECTIFIED
    assert order.events.last().reason == "Delivered on disc on 3 Oct."


def test_the_penalty_decision_names_the_supplier(order, supplier, settings, tmp_path):
    from compliance.enforcement.documents.gather import document_data
    from compliance.models import EnforcementDocument

    sweep_night(after(DEADLINE))
    deliver_all()
    document = EnforcementDocument.objects.get(fine__violation__supplier=supplier)
    data = document_data(document.pk)
    assert data["business"]["name_zh"] == "臺北能源股份有限公司"
    assert data["premises"] is None
    assert "中華民國115年5月" in data["violation"]["finding"]
    assert "2026-05" not in data["violation"]["finding"]


def test_nobody_else_sees_the_suppliers_case(order, supplier, owner, make_user, inspector):
    sweep_night(after(DEADLINE))
    other = make_user("supplier2", "energy_supplier")
    assert not Violation.objects.visible_to(other).exists()
    assert not Violation.objects.visible_to(owner).exists()
    assert not Fine.objects.visible_to(other).exists()
    assert Fine.objects.visible_to(supplier).count() == 1
    assert Violation.objects.visible_to(inspector).count() == 1


def test_the_demos_orm_writes_fine_the_case_the_same(order, supplier):
    """SQLite (``make demo``) writes the engine's decisions with the ORM: the same fine."""
    from compliance.enforcement.services import sweep_runs

    day = after(DEADLINE)
    run = sweep_runs.start_run(day)
    assert data_orders.open_missed_cases(day, run=run) == 1
    assert data_orders.open_missed_cases(day, run=run) == 0
    outcome = sweep.fine_missed_deadlines(run, set_based_writes=False)
    decide_and_serve(day)
    case = Violation.objects.get()
    fine = case.fines.get()
    assert outcome.fines == 1
    assert (fine.step, fine.penalty_article, fine.amount_ntd) == (1, "18", 30_000)
    assert case.status == ViolationStatus.FINED
    # 30 days from the fine on 10-01 end on Saturday 10-31: APA Art. 48 moves it to Monday.
    assert case.deadline == datetime.date(2026, 11, 2)
