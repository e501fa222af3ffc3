"""Filters of the Art. 12 energy-use API: the register, monthly figures, accounts, uploads.

Months are written ``YYYY-MM`` (a full date names its month too). Foreign keys are
filtered by id with plain number filters: an id the user may not see matches nothing,
so a filter never tells whether another business's record exists.
"""

from __future__ import annotations

import datetime
import re

import django_filters
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from compliance.choices import District
from compliance.energy.models.energy_use import EnergyTypeChoice, EnergyUseBatch
from compliance.models import MonthlyEnergyUse, Premises, SupplierAccount
from portal import bounds

_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def parse_month(text: str) -> datetime.date | None:
    """Return the first day of the month ``text`` names (``YYYY-MM`` or a date), or None."""
    match = _MONTH.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month), int(day or 1))
    except ValueError:
        return None
    return datetime.date(int(year), int(month), 1)


class MonthField(forms.Field):
    """A calendar month, given as ``YYYY-MM``; cleaned to its first day."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        month = parse_month(str(value))
        if month is None:
            raise forms.ValidationError(
                gettext("Enter the month as YYYY-MM, e.g. 2026-03."), code="invalid"
            )
        if not bounds.within_dates(month):
            # The register looks twelve months back: year 1 would reach year 0 (a 500).
            raise forms.ValidationError(bounds.DATE_RANGE_MESSAGE, code="out_of_range")
        return month


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthFilter(django_filters.Filter):
    """Filter by a month written ``YYYY-MM``."""

    field_class = MonthField


class IndustryFilter(django_filters.CharFilter):
    """Filter by the start of an industry code: 1 to 4 digits."""

    field_class = forms.RegexField


class RegisterFilterSet(django_filters.FilterSet):
    """Choose the register's month and narrow it by district, industry and energy type.

    ``month`` and ``energy_type`` do not filter premises: the view reads them to compute
    the register for that month and to keep only that energy type's entries.
    """

    month = MonthFilter(
        method="filter_nothing",
        label=_("month (YYYY-MM); the last complete month if absent"),
    )
    district = django_filters.ChoiceFilter(choices=District.choices, label=_("district"))
    industry = IndustryFilter(
        field_name="business__industry_code",
        lookup_expr="startswith",
        regex=r"^\d{1,4}$",
        max_length=4,
        error_messages={"invalid": _("Enter 1 to 4 digits of an industry code, e.g. 47.")},
        label=_("industry code starts with (1 to 4 digits)"),
    )
    energy_type = django_filters.ChoiceFilter(
        choices=EnergyTypeChoice.choices, method="filter_nothing", label=_("energy type")
    )

    class Meta:
        model = Premises
        fields = ["month", "district", "industry", "energy_type"]

    def filter_nothing(self, queryset, name: str, value):
        return queryset  # read by the view


class MonthRangeForm(forms.Form):
    """Refuse a range whose last month comes before its first."""

    def clean(self):
        data = super().clean()
        first, last = data.get("month_from"), data.get("month_to")
        if first and last and last < first:
            self.add_error("month_to", gettext("The last month comes before the first."))
        return data


class MonthlyEnergyUseFilterSet(django_filters.FilterSet):
    """Filter monthly figures by premises, account, energy type and a range of months."""

    premises = django_filters.NumberFilter(
        field_name="account__premises_id", label=_("premises (id)")
    )
    account = django_filters.NumberFilter(field_name="account_id", label=_("account (id)"))
    energy_type = django_filters.ChoiceFilter(
        field_name="account__energy_type", choices=EnergyTypeChoice.choices, label=_("energy type")
    )
    month_from = MonthFilter(field_name="month", lookup_expr="gte", label=_("from month (YYYY-MM)"))
    month_to = MonthFilter(field_name="month", lookup_expr="lte", label=_("to month (YYYY-MM)"))

    class Meta:
        model = MonthlyEnergyUse
        fields = ["premises", "account", "energy_type", "month_from", "month_to"]
        form = MonthRangeForm


class SupplierAccountFilterSet(django_filters.FilterSet):
    """Filter supplier accounts by supplier, energy type, premises and whether matched."""

    supplier = django_filters.NumberFilter(field_name="supplier_id", label=_("supplier (id)"))
    premises = django_filters.NumberFilter(field_name="premises_id", label=_("premises (id)"))
    matched = django_filters.BooleanFilter(
        field_name="premises", lookup_expr="isnull", exclude=True, label=_("matched to a premises")
    )

    class Meta:
        model = SupplierAccount
        fields = ["supplier", "account_number", "energy_type", "premises", "matched"]


class EnergyUseUploadFilterSet(django_filters.FilterSet):
    """Filter uploads by supplier (city staff see every supplier's)."""

    supplier = django_filters.NumberFilter(field_name="supplier_id", label=_("supplier (id)"))

    class Meta:
        model = EnergyUseBatch
        fields = ["supplier"]
