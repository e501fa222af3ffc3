"""Builders of the data order tests and of their permission-matrix rows."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from compliance.energy.services import data_orders
from portal.choices import Role
from tests.factories import ensure_rulebook

MAY, JULY = datetime.date(2026, 5, 1), datetime.date(2026, 7, 1)


def make_order(supplier, *, deadline: datetime.date | None = None, **changes):
    """Return an open order of May-July electricity data from ``supplier``, due in 30 days."""
    ensure_rulebook()
    administrator = get_user_model().objects.filter(role=Role.ADMINISTRATOR).first()
    if administrator is None:
        administrator = get_user_model().objects.create_user(
            "order-admin", role=Role.ADMINISTRATOR, password="x"
        )
    today = changes.pop("today", datetime.date(2026, 9, 1))
    values = {
        "supplier": supplier,
        "energy_type": "electricity",
        "period_from": MAY,
        "period_to": JULY,
        "deadline": deadline or today + datetime.timedelta(days=30),
        "today": today,
        **changes,
    }
    return data_orders.issue_order(administrator, **values)


def matrix_objects() -> dict:
    """An open data order to the persona ``supplier`` (created before the matrix objects)."""
    supplier = get_user_model().objects.get(role=Role.ENERGY_SUPPLIER, username="supplier1")
    return {"data_order": make_order(supplier).pk}
