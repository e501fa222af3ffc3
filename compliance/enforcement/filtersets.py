"""Filters of the enforcement lists: the API and the CSV exports read the same parameters.

As in :mod:`compliance.registry.filtersets`, foreign keys are filtered by id with plain number
filters: an id the user may not see matches nothing (the lists start from
``visible_to(user)``), so a filter never tells whether another business's record exists.
Date ranges are ``<field>_after`` and ``<field>_before``, both inclusive.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.choices import District, ViolationArticle
from compliance.models import (
    Appeal,
    EnforcementDocument,
    Fine,
    FinePayment,
    RectificationEvidence,
    Violation,
)
from compliance.rules import STATUTORY_FINE_RANGE_NTD
from compliance.rules.lifecycle import ACTIVE_STATES

PENALTY_ARTICLES = [(article, article) for article in STATUTORY_FINE_RANGE_NTD]


def _district(path: str) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        field_name=f"{path}district", choices=District.choices, label=_("district")
    )


def _business(path: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=f"{path}business_id", label=_("business (id)"))


def _penalty_article(path: str = "") -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        field_name=f"{path}penalty_article",
        choices=PENALTY_ARTICLES,
        label=_("penalty article (15, 16, 17 or 18)"),
    )


class ViolationFilterSet(django_filters.FilterSet):
    """Filter violations by status, article, penalty article, place, dates and overdue."""

    article = django_filters.ChoiceFilter(choices=ViolationArticle.choices, label=_("article"))
    penalty_article = _penalty_article()
    district = _district("premises__")
    business = _business("premises__")
    premises = django_filters.NumberFilter(field_name="premises_id", label=_("premises (id)"))
    supplier = django_filters.NumberFilter(
        field_name="supplier_id", label=_("energy supplier of an Art. 18 case (user id)")
    )
    found_on = django_filters.DateFromToRangeFilter(label=_("found on"))
    deadline = django_filters.DateFromToRangeFilter(label=_("rectification deadline"))
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("overdue: true keeps the running deadlines that have passed, false the rest"),
    )

    class Meta:
        model = Violation
        fields = [
            "status",
            "article",
            "penalty_article",
            "district",
            "business",
            "premises",
            "supplier",
            "found_on",
            "deadline",
            "overdue",
        ]

    def filter_overdue(self, queryset, name: str, value: bool | None):
        today = timezone.localdate()
        if value is None:
            return queryset
        if value:
            return queryset.overdue(today)
        return queryset.exclude(status__in=list(ACTIVE_STATES), deadline__lt=today)


class FineFilterSet(django_filters.FilterSet):
    """Filter fines by status, penalty article, place, violation and the day issued."""

    penalty_article = _penalty_article()
    district = _district("violation__premises__")
    business = _business("violation__premises__")
    violation = django_filters.NumberFilter(field_name="violation_id", label=_("violation (id)"))
    issued_on = django_filters.DateFromToRangeFilter(label=_("issued on"))

    class Meta:
        model = Fine
        fields = ["status", "penalty_article", "district", "business", "violation", "issued_on"]


class DocumentFilterSet(django_filters.FilterSet):
    """Filter notices and decisions by kind, status, language, violation and fine."""

    violation = django_filters.NumberFilter(field_name="violation_id", label=_("violation (id)"))
    fine = django_filters.NumberFilter(field_name="fine_id", label=_("fine (id)"))

    class Meta:
        model = EnforcementDocument
        fields = ["kind", "status", "language", "violation", "fine"]


class PaymentFilterSet(django_filters.FilterSet):
    """Filter reported payments by status, fine, place and the day paid."""

    fine = django_filters.NumberFilter(field_name="fine_id", label=_("fine (id)"))
    district = _district("fine__violation__premises__")
    business = _business("fine__violation__premises__")
    paid_on = django_filters.DateFromToRangeFilter(label=_("paid on"))

    class Meta:
        model = FinePayment
        fields = ["status", "fine", "district", "business", "paid_on"]


class AppealFilterSet(django_filters.FilterSet):
    """Filter appeals by status, fine, penalty article and place."""

    fine = django_filters.NumberFilter(field_name="fine_id", label=_("fine (id)"))
    penalty_article = _penalty_article("fine__")
    district = _district("fine__violation__premises__")
    business = _business("fine__violation__premises__")

    class Meta:
        model = Appeal
        fields = ["status", "fine", "penalty_article", "district", "business"]


class EvidenceFilterSet(django_filters.FilterSet):
    """Filter rectification evidence by status and violation."""

    violation = django_filters.NumberFilter(field_name="violation_id", label=_("violation (id)"))
    business = _business("violation__premises__")

    class Meta:
        model = RectificationEvidence
        fields = ["status", "violation", "business"]
