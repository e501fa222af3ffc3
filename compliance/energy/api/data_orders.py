"""API of the Art. 12-2 data orders: read by city staff and their supplier; made by administrators.

A supplier sees its own orders (others' are a 404); business users and programme officers
see none. Administrators issue an order (POST to the list), cancel an open one, or record
one fulfilled with the reason; the services' refusals are 400s naming the fields.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compliance.api.base import EnforcementViewSet, as_request_errors
from compliance.energy import permissions  # noqa: F401 (registers the rules named below)
from compliance.energy.models.energy_use import EnergyTypeChoice
from compliance.energy.services import data_orders
from compliance.models import DataOrder, DataOrderEvent, DataOrderStatus
from portal import bounds
from portal.choices import Role
from portal.models import User
from portal.permissions import can


class DataOrderEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataOrderEvent
        fields = ["from_status", "to_status", "actor_label", "at", "reason"]
        read_only_fields = fields


class DataOrderSerializer(serializers.ModelSerializer):
    """An order with the months still missing and its Art. 18 case (a violation id)."""

    number = serializers.CharField(read_only=True)
    missing_months = serializers.SerializerMethodField(
        help_text=_("The months (YYYY-MM) the supplier has not provided yet; empty once done.")
    )
    events = DataOrderEventSerializer(many=True, read_only=True)

    class Meta:
        model = DataOrder
        fields = [
            "id",
            "number",
            "supplier",
            "energy_type",
            "period_from",
            "period_to",
            "deadline",
            "instructions",
            "status",
            "missing_months",
            "violation",
            "rulebook_version",
            "ordered_by",
            "ordered_at",
            "fulfilled_at",
            "events",
        ]
        read_only_fields = fields

    def get_missing_months(self, order: DataOrder) -> list[str]:
        if order.status not in (DataOrderStatus.OPEN, DataOrderStatus.MISSED):
            return []
        return [f"{month:%Y-%m}" for month in data_orders.missing_months(order)]


class DataOrderCreateSerializer(serializers.Serializer):
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.ENERGY_SUPPLIER, is_active=True),
        help_text=_("The energy supplier (user id)."),
    )
    energy_type = serializers.ChoiceField(choices=EnergyTypeChoice.choices)
    period_from = bounds.ApiDateField(help_text=_("The first month (any day of it)."))
    period_to = bounds.ApiDateField(help_text=_("The last month (any day of it)."))
    deadline = bounds.ApiDateField()
    instructions = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class DataOrderFilterSet(django_filters.FilterSet):
    deadline = django_filters.DateFromToRangeFilter(label=_("deadline"))

    class Meta:
        model = DataOrder
        fields = ["status", "energy_type", "supplier", "deadline"]


class DataOrderViewSet(mixins.CreateModelMixin, EnforcementViewSet):
    """Art. 12-2 data orders to energy suppliers and their Art. 18 cases."""

    queryset = DataOrder.objects.select_related("supplier").prefetch_related("events")
    serializer_class = DataOrderSerializer
    filterset_class = DataOrderFilterSet
    ordering_fields = ("id", "deadline", "ordered_at")
    action_rules = {"cancel": "energy.cancel_data_order", "fulfil": "energy.fulfil_data_order"}
    create_serializer_class = DataOrderCreateSerializer

    def may_create(self, user) -> bool:
        return can(user, "energy.order_data")

    @extend_schema(request=DataOrderCreateSerializer, responses={201: DataOrderSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Order a supplier to provide the monthly use of some months by a deadline."""
        body = self._body(DataOrderCreateSerializer, request)
        try:
            order = data_orders.issue_order(request.user, **body)
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(order, code=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=DataOrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw an open order, with the reason."""
        order = self.get_object()
        body = self._body(ReasonSerializer, request)
        try:
            order = data_orders.cancel_order(request.user, order, reason=body["reason"])
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(order)

    @extend_schema(request=ReasonSerializer, responses=DataOrderSerializer)
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, pk: str | None = None) -> Response:
        """Record that the data arrived another way (its Art. 18 case is rectified)."""
        order = self.get_object()
        body = self._body(ReasonSerializer, request)
        try:
            order = data_orders.record_fulfilled(request.user, order, reason=body["reason"])
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(order)


ROUTES = (("data-orders", DataOrderViewSet, "data-order"),)
