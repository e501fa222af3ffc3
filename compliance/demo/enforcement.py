"""Demo enforcement cases, made through the real services so the demo shows real acts.

For the demo logins' businesses: a too-cold shop whose deadline was missed (a fine
decided by the demo official and served, a payment awaiting confirmation), a violation
still within its deadline, one with evidence awaiting an inspector, and a refused
inspection (its fine proposed). The deadline sweep is run for each past day that
matters, as the nightly job would have; the official decides what the sweep proposed up
to two days ago and the decisions are served by registered mail the next day, so the
most recent proposals and decisions wait for the demo's users (the official approves,
staff record service, the business opens its decision).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from compliance import rules
from compliance.choices import FineStatus
from compliance.energy.services import data_orders
from compliance.enforcement.services import proposals, serving, sweep, violations
from compliance.enforcement.services.opening import record_inspection
from compliance.models import Fine, Premises, Violation
from portal.choices import Role


def _inspect(premises: Premises, day: datetime.date, inspector, reference: str, **values):
    return record_inspection(
        premises,
        rules.InspectionFacts(inspected_on=day, **values),
        actor=inspector,
        source_reference=reference,
    )


def _sweep_through(first: datetime.date, today: datetime.date, official) -> None:
    """Run the sweep for every day from ``first`` to ``today``, as beat would have.

    ``official`` decides each day's proposals that day until two days ago; decisions are
    served by registered mail the day after, up to two days ago.
    """
    settled = today - datetime.timedelta(days=2)
    day = first
    while day <= today:
        sweep.sweep(day)
        if official is not None and day <= settled:
            proposed = Fine.objects.filter(status=FineStatus.PROPOSED, proposed_on__lte=day)
            proposals.approve_many(official, list(proposed.values_list("pk", flat=True)), on=day)
            served_on = day + datetime.timedelta(days=1)
            if served_on <= settled:
                for fine in Fine.objects.filter(issued_on__lte=day).awaiting_service():
                    serving.record_service(
                        official, fine, served_on=served_on, method="registered_mail"
                    )
        day += datetime.timedelta(days=1)


def _month_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _order_data(supplier, admin, today: datetime.date, first_day: datetime.date) -> None:
    """Art. 12-2: an order the supplier missed (an Art. 18 case) and one still running."""
    data_orders.issue_order(
        admin,
        supplier=supplier,
        energy_type="natural_gas",
        period_from=_month_before(first_day, 3),
        period_to=_month_before(first_day, 1),
        deadline=first_day + datetime.timedelta(days=10),
        instructions="每一戶臺北市用戶之每月天然氣使用量。",
        today=first_day,
    )
    data_orders.issue_order(
        admin,
        supplier=supplier,
        energy_type="electricity",
        period_from=_month_before(today, 2),
        period_to=_month_before(today, 1),
        deadline=today + datetime.timedelta(days=20),
        instructions="月用電量達登記門檻之用戶。",
        today=today,
    )


def load(today: datetime.date, premises_by_business: list[list[Premises]]) -> int:
    """Open the demo cases for the first demo businesses; return how many violations.

    Does nothing when demo violations exist already (a second run adds nothing).
    """
    flat = [p for group in premises_by_business for p in group]
    if not flat or Violation.objects.filter(premises__in=flat).exists():
        return 0
    user_model = get_user_model()
    inspector = user_model.objects.filter(role=Role.INSPECTOR, is_active=True).first()
    admin = user_model.objects.filter(role=Role.ADMINISTRATOR, is_active=True).first()
    owner = user_model.objects.filter(memberships__business=flat[0].business_id).first()
    cold = Decimal("24.0")
    first_day = today - datetime.timedelta(days=40)
    main = flat[0]
    _inspect(main, first_day, inspector, "demo-visit-1", indoor_temperatures_c=(cold,))
    if len(flat) > 1:
        _inspect(
            flat[1],
            today - datetime.timedelta(days=5),
            inspector,
            "demo-visit-2",
            indoor_temperatures_c=(cold,),
        )
    if len(flat) > 2:
        result = _inspect(
            flat[2],
            today - datetime.timedelta(days=10),
            inspector,
            "demo-visit-3",
            indoor_temperatures_c=(cold,),
        )
        case = next((v for v in result.violations if v.article == "5-5"), None)
        if case is not None and owner is not None:
            violations.submit_evidence(
                owner,
                case,
                description="已將各區冷氣溫度設定調整為 26 °C，並張貼設定卡。",
            )
    last_group = premises_by_business[-1]
    if last_group:
        _inspect(
            last_group[0],
            today - datetime.timedelta(days=3),
            inspector,
            "demo-visit-4",
            refused=True,
        )
    supplier = user_model.objects.filter(role=Role.ENERGY_SUPPLIER, is_active=True).first()
    if supplier is not None and admin is not None:
        _order_data(supplier, admin, today, first_day)
    official = (
        user_model.objects.filter(role=Role.ADMINISTRATOR, is_active=True, job_title__gt="")
        .order_by("pk")
        .first()
    )
    _sweep_through(first_day, today, official)
    fine = (
        Fine.objects.filter(violation__premises=main, status=FineStatus.ISSUED)
        .order_by("step")
        .first()
    )
    if fine is not None and owner is not None and admin is not None:
        violations.report_payment(
            owner,
            fine,
            amount_ntd=fine.amount_ntd,
            paid_on=min(today, fine.issued_on + datetime.timedelta(days=7)),
            reference=f"DEMO-{fine.pk:06d}",
        )
    return Violation.objects.filter(premises__in=flat).count()
