"""Bounds of every number and date a person or a client can type.

An amount beyond its database column (NT$3,000,000,000 in an ``integer``) or a month in
year 1, whose twelve-month window reaches year 0, used to reach PostgreSQL or Python's
``datetime`` and answer 500. Each field now carries its bound: models through their
``validators`` (so model forms, the admin and model serializers inherit them), hand-written
forms, serializers and filters through the fields below, and each refusal reads as a
sentence in the user's language.

Dates run from 1911-01-01 (the first day of the Republic of China calendar, which the
documents print) to 2200-12-31: far beyond any deadline the law counts, and far enough
from ``date.max`` that adding a period to a date can never overflow.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EARLIEST_DATE = datetime.date(1911, 1, 1)
LATEST_DATE = datetime.date(2200, 12, 31)
EARLIEST_YEAR = EARLIEST_DATE.year
LATEST_YEAR = LATEST_DATE.year

# The largest value of each PostgreSQL integer column.
SMALLINT_MAX = 32_767
INTEGER_MAX = 2_147_483_647
BIGINT_MAX = 9_223_372_036_854_775_807
# Money in NT$ kept in a bigint: a trillion is beyond any city budget, and below 2**53 so
# that a JavaScript client reads it exactly.
NTD_MAX = 1_000_000_000_000
# A decimal a person types into a form or the API that is not kept in a column of its own
# (rule-book parameters, filters): the largest ``numeric(14, 2)`` holds.
DECIMAL_MAX = Decimal("999999999999.99")

DATE_RANGE_MESSAGE = _("Enter a date between 1911-01-01 and 2200-12-31.")


def date_validators() -> list:
    """Return the validators that keep a date between EARLIEST_DATE and LATEST_DATE."""
    return [
        MinValueValidator(EARLIEST_DATE, message=DATE_RANGE_MESSAGE),
        MaxValueValidator(LATEST_DATE, message=DATE_RANGE_MESSAGE),
    ]


def up_to(limit: int | Decimal) -> list:
    """Return the validator that keeps a number at most ``limit`` (Django's own message)."""
    return [MaxValueValidator(limit)]


def decimal_max(max_digits: int, decimal_places: int) -> Decimal:
    """Return the largest value a ``numeric(max_digits, decimal_places)`` column holds."""
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)


def within_dates(day: datetime.date | None) -> bool:
    """Return whether ``day`` is absent or within the portal's dates."""
    return day is None or EARLIEST_DATE <= day <= LATEST_DATE


class DateField(forms.DateField):
    """A form date within the portal's dates (the browser's picker is told so too)."""

    default_validators = date_validators()

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date":
            attrs.setdefault("min", EARLIEST_DATE.isoformat())
            attrs.setdefault("max", LATEST_DATE.isoformat())
        return attrs


class ApiDateField(serializers.DateField):
    """An API date within the portal's dates."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs["validators"] = [*kwargs.get("validators", ()), *date_validators()]
        super().__init__(**kwargs)


def ntd_field(**kwargs) -> serializers.IntegerField:
    """Return an API amount in whole NT$ that fits an integer column."""
    kwargs.setdefault("max_value", INTEGER_MAX)
    return serializers.IntegerField(**kwargs)


def year_filter_bounds() -> dict:
    """Return the keyword arguments that bound a year typed into a filter."""
    return {"min_value": EARLIEST_YEAR, "max_value": LATEST_YEAR}
