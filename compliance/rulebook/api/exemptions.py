"""API of individual exemptions: businesses request them, administrators decide and revoke.

Visibility comes from ``Exemption.objects.visible_to(user)`` (the base viewset): a
business sees its own businesses' exemptions, city staff and API clients all of them.
A request may name only a premises (and equipment) the user may edit; its status and
decision are read-only and ignored when posted. Deciding and revoking are actions for
administrators: 403 for others who can see the exemption, 404 for those who cannot.
Every change goes through :mod:`compliance.rulebook.services.exemptions` (audited).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from compliance.api.base import RegistrySerializer
from compliance.choices import District
from compliance.models import Equipment, Exemption, Premises
from compliance.rulebook.services import exemptions as services
from portal import bounds
from portal.api.permissions import EditablePermission
from portal.api.serializers import EditableRelatedField
from portal.api.viewsets import ReadOnlyViewSet
from portal.permissions import can


class ExemptionFilterSet(django_filters.FilterSet):
    """Filter exemptions by status, article, premises, business and district."""

    premises = django_filters.NumberFilter(field_name="premises_id", label=_("premises (id)"))
    business = django_filters.NumberFilter(
        field_name="premises__business_id", label=_("business (id)")
    )
    district = django_filters.ChoiceFilter(
        field_name="premises__district", choices=District.choices, label=_("district")
    )

    class Meta:
        model = Exemption
        fields = ["status", "article", "premises", "business", "district"]


DECISION_FIELDS = (
    "status",
    "requested_by",
    "requested_at",
    "decided_by",
    "decided_at",
    "decision_reason",
    "revoked_on",
    "revoked_by",
    "revocation_reason",
)


class ExemptionSerializer(RegistrySerializer):
    """An individual exemption from one article, for a premises or one item of it.

    ``equipment`` left empty (or null) exempts the whole premises. Status, decision and
    revocation are set by administrators' actions only.
    """

    premises = EditableRelatedField(queryset=Premises.objects.all())
    equipment = EditableRelatedField(
        queryset=Equipment.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Leave empty to exempt the whole premises."),
    )
    business = serializers.IntegerField(
        source="premises.business_id", read_only=True, help_text=_("The business (id).")
    )

    class Meta:
        model = Exemption
        fields = [
            "id",
            "premises",
            "business",
            "equipment",
            "article",
            "reason",
            "explanation",
            "evidence",
            "valid_from",
            "valid_until",
            *DECISION_FIELDS,
        ]
        read_only_fields = ["id", *DECISION_FIELDS]

    def validate(self, attrs):
        # The requester is whoever asks (the model requires one); never taken from the body.
        attrs["requested_by"] = self.context["request"].user
        return super().validate(attrs)


class ExemptionDecisionSerializer(serializers.Serializer):
    """An administrator's decision on a requested exemption."""

    approve = serializers.BooleanField(help_text=_("True approves the request, false refuses it."))
    reason = serializers.CharField(
        max_length=2000, help_text=_("The reason for the decision, shown to the business.")
    )


class ExemptionRevocationSerializer(serializers.Serializer):
    """An administrator's revocation of an approved exemption."""

    reason = serializers.CharField(max_length=2000, help_text=_("The reason for the revocation."))
    on = bounds.ApiDateField(
        required=False,
        help_text=_("The day from which the exemption no longer applies (default: today)."),
    )


# The services name the model's fields; the actions' bodies use shorter names.
REQUEST_FIELD_OF = {"decision_reason": "reason", "revocation_reason": "reason", "revoked_on": "on"}


def as_request_errors(error: DjangoValidationError) -> serializers.ValidationError:
    """Return a service's refusal as a 400 naming the fields of the request body."""
    if not hasattr(error, "error_dict"):
        return serializers.ValidationError({"non_field_errors": error.messages})
    return serializers.ValidationError(
        {
            REQUEST_FIELD_OF.get(name, name): [m for e in errors for m in e.messages]
            for name, errors in error.error_dict.items()
        }
    )


class ExemptionViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Individual exemptions (e.g. Art. 8-1 gas supply insufficient).

    Business users and administrators request them; administrators decide and revoke.
    """

    permission_classes = [EditablePermission]
    queryset = Exemption.objects.select_related("premises")
    serializer_class = ExemptionSerializer
    filterset_class = ExemptionFilterSet
    ordering_fields = ("id", "requested_at", "valid_from")

    def may_create(self, user) -> bool:
        """Return whether ``user`` may request an exemption: business users, administrators."""
        return can(user, "rulebook.request_exemption")

    def perform_create(self, serializer) -> None:
        instance = Exemption(**serializer.validated_data)
        try:
            serializer.instance = services.request_exemption(self.request.user, instance)
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc

    def _respond(self, exemption: Exemption) -> Response:
        exemption = self.get_queryset().get(pk=exemption.pk)
        return Response(ExemptionSerializer(exemption, context=self.get_serializer_context()).data)

    @extend_schema(request=ExemptionDecisionSerializer, responses=ExemptionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        """Approve (the premises is then assessed with it) or refuse a requested exemption."""
        exemption = self.get_object()
        decision = ExemptionDecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            exemption = services.decide_exemption(
                request.user,
                exemption,
                approve=decision.validated_data["approve"],
                reason=decision.validated_data["reason"],
            )
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(exemption)

    @extend_schema(request=ExemptionRevocationSerializer, responses=ExemptionSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """Revoke an approved exemption: it stops applying on ``on`` (default today)."""
        exemption = self.get_object()
        revocation = ExemptionRevocationSerializer(data=request.data)
        revocation.is_valid(raise_exception=True)
        try:
            exemption = services.revoke_exemption(
                request.user,
                exemption,
                reason=revocation.validated_data["reason"],
                on=revocation.validated_data.get("on"),
            )
        except DjangoValidationError as exc:
            raise as_request_errors(exc) from exc
        return self._respond(exemption)
