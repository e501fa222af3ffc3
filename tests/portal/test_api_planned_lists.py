"""The list APIs' speed-ups change nothing a client sees (issue 18).

Rows represented from a plan made once per serializer class are the rows DRF's own
``Serializer.to_representation`` gives; a list request without filter parameters skips
building the filterset's form, and one with a bad or unknown parameter is still a 400.
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import django_filters
import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework import exceptions, serializers
from rest_framework.test import APIClient

from compliance.choices import EquipmentKind, ViolationStatus
from compliance.enforcement.api.serializers import ViolationDetailSerializer, ViolationSerializer
from compliance.models import Equipment, Premises, Violation
from compliance.registry.api.serializers import EquipmentSerializer, PremisesSerializer
from compliance.registry.filtersets import PremisesFilterSet
from portal.api.filters import FilterBackend, filters_nothing_unasked
from tests.factories import make_equipment, make_premises, make_violation

pytestmark = pytest.mark.django_db

LISTS = [
    ("api:premises-list", PremisesSerializer, Premises.objects.all()),
    ("api:equipment-list", EquipmentSerializer, Equipment.objects.select_related("premises")),
    ("api:violation-list", ViolationSerializer, Violation.objects.select_related("premises")),
]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def records(business, premises):
    """Rows with every kind of value set: times, decimals, dates, nulls, a foreign key."""
    make_premises(
        business,
        opens_at=time(9, 30),
        closes_at=time(21, 0),
        floor_area_m2=Decimal("1234.50"),
        has_arcade=True,
    )
    make_equipment(premises, EquipmentKind.CHILLER, installed_on=date(2020, 5, 1))
    make_equipment(premises, EquipmentKind.SIGNBOARD)
    make_violation(premises, "5-5", found_on=date(2026, 1, 5))  # overdue, awaiting
    make_violation(premises, "6-1", found_on=timezone.localdate())
    make_violation(premises, "5-5", status=ViolationStatus.CANCELLED)


def drf_rows(serializer_class, queryset, request) -> list[dict]:
    """The rows as DRF's own ``Serializer.to_representation`` writes them."""
    serializer = serializer_class(context={"request": request})
    return [
        serializers.ModelSerializer.to_representation(serializer, row)
        for row in queryset.order_by("-id")
    ]


@pytest.mark.parametrize("zone", ["Asia/Taipei", "UTC"])
@pytest.mark.parametrize(("url", "serializer_class", "queryset"), LISTS)
def test_planned_rows_are_drfs_rows(administrator, records, url, serializer_class, queryset, zone):
    with timezone.override(zone):
        response = api(administrator).get(reverse(url))
        expected = drf_rows(serializer_class, queryset, response.wsgi_request)

    assert serializer_class.representation_plan() is not None
    rows = response.json()["results"]
    assert [list(row) for row in rows] == [list(row) for row in expected]  # names, order
    assert rows == expected
    created = rows[-1].get("created_at") or rows[-1]["opened_at"]
    assert created.endswith("Z") == (zone == "UTC")


def test_a_serializer_with_nested_rows_keeps_drfs_path(administrator, premises):
    violation = make_violation(premises, "5-5")

    response = api(administrator).get(reverse("api:violation-detail", args=[violation.pk]))

    assert ViolationDetailSerializer.representation_plan() is None
    assert response.status_code == 200
    assert response.json()["events"][0]["to_status"] == ViolationStatus.OPEN


def test_a_list_without_filter_parameters_builds_no_filter_form(
    owner, business, other_business, monkeypatch
):
    mine = make_premises(business)
    make_premises(other_business)
    built = []
    original = django_filters.FilterSet.is_valid
    monkeypatch.setattr(
        django_filters.FilterSet,
        "is_valid",
        lambda self: built.append(type(self)) or original(self),
    )

    paged = api(owner).get(reverse("api:premises-list"), {"page_size": 10})
    filtered = api(owner).get(reverse("api:premises-list"), {"district": mine.district})

    assert [row["id"] for row in paged.json()["results"]] == [mine.pk]  # visibility kept
    assert [row["id"] for row in filtered.json()["results"]] == [mine.pk]
    assert built == [PremisesFilterSet]  # the filtered request only


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "castle"}, "kind"),
        ({"page_size": 10, "business": "x"}, "business"),
        ({"outcome": "bad"}, "outcome"),
    ],
)
def test_a_bad_or_unknown_filter_is_still_a_400(inspector, query, field):
    response = api(inspector).get(reverse("api:premises-list"), query)

    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("value", ["perhaps", "1", "yes", "TRUE"])
def test_a_yes_no_filter_with_another_value_than_true_or_false_is_a_400(owner, value):
    response = api(owner).get(reverse("api:violation-list"), {"overdue": value})

    assert response.status_code == 400
    assert response.json()["errors"]["overdue"] == ["This filter takes “true” or “false”."]


def test_a_yes_no_filter_still_filters_with_true_or_false(owner, premises):
    make_violation(premises, "5-5", found_on=date(2020, 1, 6))
    listed = {
        value: api(owner).get(reverse("api:violation-list"), {"overdue": value}).json()
        for value in ("true", "false", "", "unknown")
    }

    counts = [len(listed[value]["results"]) for value in ("true", "false", "", "unknown")]
    assert counts == [1, 0, 1, 1]  # empty and "unknown" (the filter form's "either"): all


class RequiredFilterSet(django_filters.FilterSet):
    district = django_filters.CharFilter(required=True)

    class Meta:
        model = Premises
        fields = ["district"]


class OwnQuerysetFilterSet(django_filters.FilterSet):
    class Meta:
        model = Premises
        fields = ["district"]

    @property
    def qs(self):
        return super().qs.filter(is_active=True)


def test_a_filterset_that_acts_without_parameters_is_always_run(premises):
    class View:
        action = "list"
        filterset_class = RequiredFilterSet

    request = type("Request", (), {"query_params": {}})()

    assert filters_nothing_unasked(PremisesFilterSet)
    assert not filters_nothing_unasked(RequiredFilterSet)
    assert not filters_nothing_unasked(OwnQuerysetFilterSet)
    with pytest.raises(exceptions.ValidationError):
        FilterBackend().filter_queryset(request, Premises.objects.all(), View())
