"""API endpoints of the registry: declarations over the base viewsets.

Visibility comes from ``visible_to(user)`` (base viewset), write rights from
``editable_by(user)`` (:mod:`compliance.api.permissions`), validation from the models,
and every write from :mod:`compliance.services`, which validates again inside the
transaction and writes exactly one audit entry per change.
"""

from __future__ import annotations

from django.db.models import Model, ProtectedError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compliance import services
from compliance.models import (
    AcMonthlyLog,
    BoilerMonthlyLog,
    Business,
    BusinessClaim,
    BusinessMembership,
    Equipment,
    Premises,
)
from compliance.registry.api.serializers import (
    AcMonthlyLogSerializer,
    BoilerMonthlyLogSerializer,
    BusinessSerializer,
    ClaimDecisionSerializer,
    ClaimSerializer,
    EquipmentSerializer,
    MembershipSerializer,
    PremisesSerializer,
)
from compliance.registry.filtersets import (
    AcMonthlyLogFilterSet,
    BoilerMonthlyLogFilterSet,
    BusinessFilterSet,
    ClaimFilterSet,
    EquipmentFilterSet,
    MembershipFilterSet,
    PremisesFilterSet,
)
from portal.api.permissions import EditablePermission
from portal.api.viewsets import AuditedModelViewSet, ReadOnlyViewSet, columns_but
from portal.permissions import can

TIMESTAMP_ORDERING = ("id", "created_at", "updated_at")


class RegistryViewSet(AuditedModelViewSet):
    """A read-write registry endpoint whose writes go through the audited services."""

    permission_classes = [EditablePermission]

    def save_new(self, instance: Model) -> Model:
        """Save a new record through the service layer; return it."""
        return services.save_record(self.request.user, instance)

    def perform_create(self, serializer) -> None:
        instance = serializer.Meta.model(**serializer.validated_data)
        serializer.instance = self.save_new(instance)

    def perform_update(self, serializer) -> None:
        instance = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(instance, name, value)
        serializer.instance = services.save_record(self.request.user, instance)

    def perform_destroy(self, instance: Model) -> None:
        try:
            services.delete_record(self.request.user, instance)
        except ProtectedError as exc:
            related = sorted({str(obj._meta.verbose_name_plural) for obj in exc.protected_objects})
            raise serializers.ValidationError(
                _(
                    "This %(object)s cannot be deleted while it has %(related)s; "
                    "delete or move those first."
                )
                % {"object": instance._meta.verbose_name, "related": ", ".join(related)},
                code="protected",
            ) from exc


class BusinessViewSet(RegistryViewSet):
    """Regulated businesses (Art. 2). A business user who registers one acts for it."""

    queryset = Business.objects.all()
    serializer_class = BusinessSerializer
    filterset_class = BusinessFilterSet
    ordering_fields = (*TIMESTAMP_ORDERING, "ubn", "name_zh")

    def save_new(self, instance: Model) -> Model:
        return services.register_business(self.request.user, instance)


class PremisesViewSet(RegistryViewSet):
    """Premises of the businesses (Arts. 5, 6, 9, 10)."""

    queryset = Premises.objects.all()
    serializer_class = PremisesSerializer
    filterset_class = PremisesFilterSet
    ordering_fields = (*TIMESTAMP_ORDERING, "name")


class EquipmentViewSet(RegistryViewSet):
    """Declared energy equipment (Arts. 5-1 to 8-2)."""

    queryset = Equipment.objects.select_related("premises")
    serializer_class = EquipmentSerializer
    list_deferred = columns_but("premises", Premises, "business")  # a row shows its business
    filterset_class = EquipmentFilterSet
    ordering_fields = (*TIMESTAMP_ORDERING, "tag")


class AcMonthlyLogViewSet(RegistryViewSet):
    """Monthly air-conditioning records of chillers (Art. 5-3)."""

    queryset = AcMonthlyLog.objects.all()
    serializer_class = AcMonthlyLogSerializer
    filterset_class = AcMonthlyLogFilterSet
    ordering_fields = (*TIMESTAMP_ORDERING, "month")


class BoilerMonthlyLogViewSet(RegistryViewSet):
    """Monthly combustion checks of boilers (Art. 8-2)."""

    queryset = BoilerMonthlyLog.objects.all()
    serializer_class = BoilerMonthlyLogSerializer
    filterset_class = BoilerMonthlyLogFilterSet
    ordering_fields = (*TIMESTAMP_ORDERING, "month")


class MembershipViewSet(ReadOnlyViewSet):
    """Who acts for which business (read-only)."""

    permission_classes = [EditablePermission]
    queryset = BusinessMembership.objects.select_related("user")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet
    ordering_fields = ("id", "created_at")


class ClaimViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Claims to act for a registered business; administrators decide them."""

    permission_classes = [EditablePermission]
    queryset = BusinessClaim.objects.all()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilterSet
    ordering_fields = ("id", "created_at")

    def may_create(self, user) -> bool:
        """Return whether ``user`` may claim a business: business users only."""
        return can(user, "registry.claim_business")

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.request_claim(
            self.request.user, data["business"], data["evidence"]
        )

    @extend_schema(request=ClaimDecisionSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Approve (the claimant then acts for the business) or reject a pending claim."""
        claim = self.get_object()
        decision = ClaimDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        claim = services.decide_claim(
            request.user,
            claim,
            approve=decision.validated_data["approve"],
            reason=decision.validated_data["reason"],
        )
        return Response(ClaimSerializer(claim, context=self.get_serializer_context()).data)
