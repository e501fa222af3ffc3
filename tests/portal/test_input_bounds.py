"""Every number and date a person or a client can type has a bound that fits its column.

Without one, a payment of NT$3,000,000,000 reached PostgreSQL's ``integer`` and answered
500, and a register month in year 1 reached year 0 in Python's ``datetime``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from portal import bounds

APPS = ("compliance", "inspections", "subsidies", "programs")
# The portal's own settings an administrator types; its other rows (audit log, outbox,
# tokens, scheduled runs) are written by the portal itself.
PORTAL_INPUTS = ("portal.CitySettings",)
# Counters kept for itself (the attempts of a rendering or a delivery), and the figures
# PostgreSQL's triggers keep (``*/models/figures.py``): no form, serializer or import
# writes them.
BOOKKEEPING = {("*", "attempts")}


COLUMN_MAX = {
    "SmallIntegerField": bounds.SMALLINT_MAX,
    "PositiveSmallIntegerField": bounds.SMALLINT_MAX,
    "IntegerField": bounds.INTEGER_MAX,
    "PositiveIntegerField": bounds.INTEGER_MAX,
    "BigIntegerField": bounds.BIGINT_MAX,
    "PositiveBigIntegerField": bounds.BIGINT_MAX,
}


def _fields(kind):
    for model in apps.get_models():
        typed = model._meta.app_label in APPS or model._meta.label in PORTAL_INPUTS
        if not typed or model._meta.proxy or model.__module__.endswith(".figures"):
            continue
        for field in model._meta.concrete_fields:
            if field.primary_key or isinstance(field, models.ForeignKey):
                continue
            if {(model._meta.label, field.name), ("*", field.name)} & BOOKKEEPING:
                continue
            if isinstance(field, kind) and not isinstance(field, models.DateTimeField):
                yield pytest.param(field, id=f"{model._meta.label}.{field.name}")


def _declared(field, validator_class):
    """Return the limits of ``validator_class`` the field declares (not Django's implied)."""
    return [v.limit_value for v in field._validators if isinstance(v, validator_class)]


@pytest.mark.parametrize(
    "field", list(_fields((models.IntegerField, models.DecimalField, models.FloatField)))
)
def test_each_numeric_field_declares_a_maximum_that_fits_its_column(field):
    limits = _declared(field, MaxValueValidator)

    assert limits, f"{field} has no maximum"
    if isinstance(field, models.DecimalField):
        column = bounds.decimal_max(field.max_digits, field.decimal_places)
    else:
        column = COLUMN_MAX[field.get_internal_type()]
    assert min(limits) <= column


@pytest.mark.parametrize("field", list(_fields(models.DateField)))
def test_each_date_field_is_kept_within_the_portal_dates(field):
    assert max(_declared(field, MinValueValidator)) >= bounds.EARLIEST_DATE
    assert min(_declared(field, MaxValueValidator)) <= bounds.LATEST_DATE


def test_the_decimal_column_bound_is_the_largest_value_it_holds():
    assert bounds.decimal_max(5, 2) == Decimal("999.99")
    assert bounds.decimal_max(14, 2) == Decimal("999999999999.99")


# --- The two inputs that answered 500 ---------------------------------------------------


@pytest.mark.django_db
def test_a_payment_beyond_any_amount_is_a_form_error_on_the_page(client, owner, premises):
    from tests.enforcement.builders import fined_violation

    _violation, fine = fined_violation(premises)
    client.force_login(owner)

    response = client.post(
        reverse("enforcement-payment-report", args=[fine.pk]),
        {"amount_ntd": "3000000000", "paid_on": str(fine.issued_on), "reference": "R-1"},
    )

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 2147483647." in response.content.decode()
    assert not fine.payments.exists()


@pytest.mark.django_db
def test_a_payment_beyond_any_amount_is_a_400_in_the_api(client, owner, premises):
    from tests.enforcement.builders import fined_violation

    _violation, fine = fined_violation(premises)
    client.force_login(owner)

    response = client.post(
        reverse("api:payment-list"),
        {
            "fine": fine.pk,
            "amount_ntd": 3_000_000_000,
            "paid_on": str(fine.issued_on),
            "reference": "R-1",
        },
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "amount_ntd" in response.json()["errors"]
    assert not fine.payments.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["0001-01", "1900-12", "2201-01", "9999-12"])
def test_a_register_month_outside_the_portal_dates_is_a_400(client, administrator, month):
    client.force_login(administrator)

    response = client.get(reverse("api:energy-register-list"), {"month": month})

    assert response.status_code == 400
    assert response.json()["errors"]["month"] == [str(bounds.DATE_RANGE_MESSAGE)]


@pytest.mark.django_db
def test_a_date_typed_far_in_the_future_is_a_form_error(client, owner, premises):
    from tests.enforcement.builders import fined_violation

    _violation, fine = fined_violation(premises)
    client.force_login(owner)

    response = client.post(
        reverse("enforcement-payment-report", args=[fine.pk]),
        {"amount_ntd": "1000", "paid_on": "9999-12-31", "reference": "R-2"},
    )

    assert response.status_code == 200
    assert str(bounds.DATE_RANGE_MESSAGE) in response.content.decode()
    assert datetime.date(9999, 12, 31) > bounds.LATEST_DATE


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["0000-01", "1900-06", "2201-01"])
def test_a_supplier_file_with_a_month_outside_the_portal_dates_is_reported_not_a_500(
    supplier, month
):
    from compliance.energy.services.uploads import import_energy_use_csv
    from compliance.models import MonthlyEnergyUse

    text = f"account,energy_type,month,quantity,unit,premises_id\nA-1,electricity,{month},1,kwh,\n"

    report = import_energy_use_csv(text, supplier)

    assert not report.committed
    assert [(error.line, error.column, error.message) for error in report.errors] == [
        (2, "month", str(bounds.DATE_RANGE_MESSAGE))
    ]
    assert not MonthlyEnergyUse.objects.exists()
