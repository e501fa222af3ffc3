"""API of Art. 11 referrals: suppliers file theirs, the City reads all and decides.

Visibility comes from ``SupplierReferral.objects.visible_to(user)`` (the base viewset):
a supplier its own referrals, administrators, inspectors and API clients all of them,
other roles none (an empty list; 404 on an id). Energy suppliers create referrals (400
with field errors when refused); administrators close one with a reason or name its
premises (403 for others who can see it). Making one an inspection target is
``POST referrals/{id}/target/`` in the inspections API (compliance never imports
inspections). Every change goes through :mod:`compliance.energy.services.referrals`.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from compliance.energy.services import referrals as services
from compliance.models import Premises, SupplierAccount, SupplierReferral
from compliance.registry.querysets import READ_ALL_ROLES
from portal.api.viewsets import ReadOnlyViewSet
from portal.choices import Role
from portal.permissions import can

# The services name the model's fields; the actions' bodies use shorter names.
REQUEST_FIELD_OF = {"decision_reason": "reason"}


class ReferralFilterSet(django_filters.FilterSet):
    """Filter referrals by status, supplier, equipment kind and premises."""

    supplier = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.filter(role=Role.ENERGY_SUPPLIER),
        label=_("energy supplier (id)"),
    )
    premises = django_filters.NumberFilter(field_name="premises_id", label=_("premises (id)"))
    unmatched = django_filters.BooleanFilter(
        field_name="premises", lookup_expr="isnull", label=_("without a premises")
    )

    class Meta:
        model = SupplierReferral
        fields = ["status", "supplier", "equipment_kind", "premises", "unmatched"]


class ReferralSerializer(serializers.ModelSerializer):
    """An Art. 11 referral as the City and its supplier read it."""

    supplier_name = serializers.CharField(source="supplier.username", read_only=True)
    account_number = serializers.CharField(
        source="account.account_number", read_only=True, default=None
    )
    business = serializers.IntegerField(source="premises.business_id", read_only=True, default=None)
    inspections = serializers.SerializerMethodField(
        help_text=_("The inspections planned for it (city staff only).")
    )

    class Meta:
        model = SupplierReferral
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "account",
            "account_number",
            "premises",
            "business",
            "customer_name",
            "address",
            "equipment_kind",
            "description",
            "seen_on",
            "urged_on",
            "status",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "inspections",
        ]
        read_only_fields = fields

    def get_inspections(self, referral: SupplierReferral) -> list[int]:
        user = getattr(self.context.get("request"), "user", None)
        if user is None or not (user.is_superuser or user.role in READ_ALL_ROLES):
            return []
        return sorted(inspection.pk for inspection in referral.inspections.all())


class OwnAccountField(serializers.PrimaryKeyRelatedField):
    """One of the requesting supplier's own customer accounts (another's is refused)."""

    default_error_messages = {"does_not_exist": _("Choose one of your own customer accounts.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"base_template": "input.html"})
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return SupplierAccount.objects.filter(supplier=getattr(request, "user", None))


class ReferralCreateSerializer(serializers.ModelSerializer):
    """What a supplier states when filing a referral."""

    account = OwnAccountField(
        required=False,
        allow_null=True,
        help_text=_("One of your customer accounts (id), if the customer is one."),
    )

    class Meta:
        model = SupplierReferral
        fields = [
            "account",
            "customer_name",
            "address",
            "equipment_kind",
            "description",
            "seen_on",
            "urged_on",
        ]


class ReferralCloseSerializer(serializers.Serializer):
    """An administrator's reason for closing a referral without an inspection."""

    reason = serializers.CharField(max_length=2000, help_text=_("Why the referral is closed."))


class ReferralPremisesSerializer(serializers.Serializer):
    """The registered premises a referral concerns, named by an administrator."""

    premises = serializers.PrimaryKeyRelatedField(
        queryset=Premises.objects.all(), style={"base_template": "input.html"}
    )


class ReferralPermission(permissions.BasePermission):
    """Signed-in users read what they see; suppliers file; writes on one are decided on it."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True  # an object's action: 404 when not visible, then 403
        return user.role == Role.ENERGY_SUPPLIER


def as_request_errors(error) -> serializers.ValidationError:
    """Return a service's refusal as a 400 naming the fields of the request body."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({"non_field_errors": error.messages})
    return serializers.ValidationError(
        {
            REQUEST_FIELD_OF.get(name, name): [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    )


class ReferralViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Art. 11 referrals: equipment below the standard a supplier saw at a customer."""

    permission_classes = [ReferralPermission]
    queryset = SupplierReferral.objects.select_related(
        "supplier", "account", "premises"
    ).prefetch_related("inspections")
    serializer_class = ReferralSerializer
    filterset_class = ReferralFilterSet
    ordering_fields = ("id", "submitted_at", "seen_on")

    def get_serializer_class(self):
        return ReferralCreateSerializer if self.action == "create" else ReferralSerializer

    def _respond(self, referral: SupplierReferral, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=referral.pk)
        return Response(
            ReferralSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        """File a referral (energy suppliers)."""
        serializer = ReferralCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        try:
            referral = services.file_referral(request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(referral, status.HTTP_201_CREATED)

    def _decidable(self) -> SupplierReferral:
        referral = self.get_object()  # 404 when the user may not see it
        if not can(self.request.user, "energy.decide_referral"):
            raise PermissionDenied(_("Only administrators decide on referrals."))
        return referral

    @extend_schema(request=ReferralCloseSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close a submitted referral without an inspection, with the reason (administrators)."""
        referral = self._decidable()
        body = ReferralCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            referral = services.close_referral(
                request.user, referral, body.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(referral)

    @extend_schema(request=ReferralPremisesSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def premises(self, request: Request, pk: str | None = None) -> Response:
        """Name the registered premises of a submitted referral (administrators)."""
        referral = self._decidable()
        body = ReferralPremisesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            referral = services.set_referral_premises(
                request.user, referral, body.validated_data["premises"]
            )
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(referral)
