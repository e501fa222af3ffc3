"""Filters of the registry lists (API and pages).

Foreign keys are filtered by id with plain number filters: they cost no query, and an id
the user may not see simply matches nothing, so a filter never tells whether a record of
another business exists.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Business,
    BusinessClaim,
    BusinessMembership,
    Equipment,
    Premises,
)


class BusinessFilterSet(django_filters.FilterSet):
    """Filter businesses by sector, industry classification and unified business number."""

    class Meta:
        model = Business
        fields = ["sector", "industry_code", "ubn"]


class PremisesFilterSet(django_filters.FilterSet):
    """Filter premises by district, kind, category, business and arcade (Art. 6-1)."""

    business = django_filters.NumberFilter(field_name="business_id", label=_("business (id)"))

    class Meta:
        model = Premises
        fields = ["district", "kind", "category", "business", "has_arcade"]


class EquipmentFilterSet(django_filters.FilterSet):
    """Filter equipment by kind, premises, business, district, lamp type and fuel."""

    premises = django_filters.NumberFilter(field_name="premises_id", label=_("premises (id)"))
    business = django_filters.NumberFilter(
        field_name="premises__business_id", label=_("business (id)")
    )
    district = django_filters.ChoiceFilter(
        field_name="premises__district",
        choices=Premises._meta.get_field("district").choices,
        label=_("district"),
    )

    class Meta:
        model = Equipment
        fields = ["kind", "premises", "business", "district", "lamp_type", "fuel"]


class MonthlyLogFilterSet(django_filters.FilterSet):
    """Filter monthly logs by equipment, premises, business and a range of months.

    ``month_after`` and ``month_before`` bound the range, both inclusive.
    """

    equipment = django_filters.NumberFilter(field_name="equipment_id", label=_("equipment (id)"))
    premises = django_filters.NumberFilter(
        field_name="equipment__premises_id", label=_("premises (id)")
    )
    business = django_filters.NumberFilter(
        field_name="equipment__premises__business_id", label=_("business (id)")
    )
    month = django_filters.DateFromToRangeFilter(label=_("month"))


class AcMonthlyLogFilterSet(MonthlyLogFilterSet):
    """Filter the Art. 5-3 air-conditioning logs."""

    class Meta:
        model = AcMonthlyLog
        fields = ["equipment", "premises", "business", "month"]


class BoilerMonthlyLogFilterSet(MonthlyLogFilterSet):
    """Filter the Art. 8-2 boiler logs."""

    class Meta:
        model = BoilerMonthlyLog
        fields = ["equipment", "premises", "business", "month"]


class MembershipFilterSet(django_filters.FilterSet):
    """Filter memberships by business and user."""

    business = django_filters.NumberFilter(field_name="business_id", label=_("business (id)"))
    user = django_filters.NumberFilter(field_name="user_id", label=_("user (id)"))

    class Meta:
        model = BusinessMembership
        fields = ["business", "user"]


class ClaimFilterSet(django_filters.FilterSet):
    """Filter claims by status and business."""

    business = django_filters.NumberFilter(field_name="business_id", label=_("business (id)"))

    class Meta:
        model = BusinessClaim
        fields = ["status", "business"]
