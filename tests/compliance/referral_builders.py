"""Builders of the Art. 11 referral tests and of their permission-matrix rows."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from compliance.choices import EquipmentKind
from compliance.models import SupplierAccount, SupplierReferral
from portal.choices import Role


def make_referral(supplier, premises=None, **fields) -> SupplierReferral:
    """Return a submitted referral of ``supplier`` (about ``premises``, if given)."""
    values = {
        "customer_name": "好運餐廳",
        "address": "臺北市大安區復興南路一段100號",
        "equipment_kind": EquipmentKind.LIGHTING,
        "description": "Incandescent lamps in the dining room.",
        "seen_on": date(2026, 3, 2),
        "urged_on": date(2026, 3, 3),
        **fields,
    }
    return SupplierReferral.objects.create(supplier=supplier, premises=premises, **values)


def make_account(supplier, premises=None, number: str = "ACC-R-1") -> SupplierAccount:
    """Return a customer account of ``supplier`` (matched to ``premises``, if given)."""
    return SupplierAccount.objects.create(
        supplier=supplier, account_number=number, energy_type="electricity", premises=premises
    )


def matrix_objects(premises) -> dict:
    """The referral rows of the permission matrix: a submitted referral about ``premises``.

    It belongs to the persona ``supplier`` (created before the matrix objects).
    """
    supplier = get_user_model().objects.get(role=Role.ENERGY_SUPPLIER, username="supplier1")
    return {"referral": make_referral(supplier, premises).pk}
