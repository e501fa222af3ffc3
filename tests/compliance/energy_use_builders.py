"""Builders of the energy-use register tests and of their permission-matrix rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from compliance.models import EnergyUseBatch, MonthlyEnergyUse, SupplierAccount
from portal.choices import Role


def make_use(
    supplier,
    premises,
    month: date,
    quantity,
    *,
    energy_type="electricity",
    unit="kwh",
    account_number: str | None = None,
) -> MonthlyEnergyUse:
    """Return one monthly figure of an account of ``supplier`` matched to ``premises``."""
    account, _created = SupplierAccount.objects.get_or_create(
        supplier=supplier,
        account_number=account_number or f"ACC-{premises.pk if premises else 0}",
        energy_type=energy_type,
        defaults={"premises": premises},
    )
    return MonthlyEnergyUse.objects.create(
        account=account, month=month, quantity=Decimal(quantity), unit=unit, uploaded_by=supplier
    )


def matrix_objects(premises) -> dict:
    """Return the objects of the register's permission-matrix rows.

    A monthly figure of an account matched to ``premises``, a pending upload and an
    unmatched account. They belong to the persona ``supplier`` (created before the
    matrix objects).
    """
    supplier = get_user_model().objects.get(role=Role.ENERGY_SUPPLIER, username="supplier1")
    use = make_use(supplier, premises, date(2026, 1, 1), "60000")
    unmatched = SupplierAccount.objects.create(
        supplier=supplier, account_number="UNMATCHED-1", energy_type="electricity"
    )
    batch = EnergyUseBatch.objects.create(
        supplier=supplier, content="account,energy_type,month,quantity,unit\n"
    )
    return {
        "energy_batch": batch.pk,
        "supplier_account": unmatched.pk,
        "matched_account": use.account_id,
        "monthly_use": use.pk,
    }
