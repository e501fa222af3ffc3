"""API of the Art. 13 service teams: teams, service requests, consultations.

Same permissions as the pages: everyone signed in reads the teams, administrators write
them; a business creates and reads its own requests; administrators assign a team; the
assigned team's experts (and administrators) record consultations, which the business
reads. Every change goes through :mod:`subsidies.services.service_teams`; a refusal of
the service is a 400 with field errors (portal.api.exceptions).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from compliance.choices import Sector
from compliance.models import Business, Premises, Violation
from portal.api.permissions import RolePermission
from portal.api.serializers import EditableRelatedField, VisibleRelatedField
from portal.api.viewsets import AuditedModelViewSet, ReadOnlyViewSet
from subsidies.api_rewards import register as register_rewards
from subsidies.api_schemes import register as register_schemes
from subsidies.models import Consultation, ServiceRequest, ServiceTeam, TeamExpert
from subsidies.services import service_teams as services

# The browsable API offers these as drop-downs (the other related fields are id boxes).
DROP_DOWN = {"base_template": "select.html"}


class TeamExpertSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamExpert
        fields = ["id", "name", "expertise", "organisation"]


@extend_schema_field({"type": "string", "enum": list(Sector.values)})
class IndustryField(serializers.ChoiceField):
    """The Art. 2 sector, described inline: the registry's SectorEnum names the same choices."""


class ServiceTeamSerializer(serializers.ModelSerializer):
    """A service team by industry; its experts are listed (edited on the pages)."""

    industry = IndustryField(choices=Sector.choices)
    experts = TeamExpertSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceTeam
        fields = ["id", "name", "industry", "description", "active", "experts"]


class AdministratorsWrite(RolePermission):
    """Everyone signed in reads; only administrators write."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or request.user.is_administrator


class ServiceTeamViewSet(AuditedModelViewSet):
    """Art. 13 service teams: read by everyone signed in, written by administrators."""

    permission_classes = [AdministratorsWrite]
    queryset = ServiceTeam.objects.prefetch_related(
        Prefetch("experts", queryset=TeamExpert.objects.current())
    )
    serializer_class = ServiceTeamSerializer
    ordering_fields = ("id", "name")


class ServiceRequestSerializer(serializers.ModelSerializer):
    """A business's request for a service team's help, optionally about a violation."""

    business = EditableRelatedField(queryset=Business.objects.all())
    premises = EditableRelatedField(
        queryset=Premises.objects.all(), required=False, allow_null=True
    )
    violation = VisibleRelatedField(
        queryset=Violation.objects.all(), required=False, allow_null=True, style=DROP_DOWN
    )

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "business",
            "premises",
            "violation",
            "topic",
            "description",
            "status",
            "team",
            "requested_at",
            "assigned_at",
            "assignment_reason",
            "closed_at",
            "close_reason",
            "withdrawn_at",
        ]
        read_only_fields = [
            "status",
            "team",
            "requested_at",
            "assigned_at",
            "assignment_reason",
            "closed_at",
            "close_reason",
            "withdrawn_at",
        ]


class AssignSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(
        queryset=ServiceTeam.objects.all(), help_text=_("The service team (id).")
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why the request is closed."))


class ServiceRequestViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Service requests: business users create (and withdraw) their own; administrators
    assign a team and close consulted requests."""

    permission_classes = [RolePermission]
    queryset = ServiceRequest.objects.select_related("business", "team")
    serializer_class = ServiceRequestSerializer
    ordering_fields = ("id", "requested_at")

    def create(self, request, *args, **kwargs):
        """Let business users (only) ask for help for their own businesses."""
        if not request.user.is_business_user:
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.request_help(
            self.request.user,
            data["business"],
            topic=data.get("topic", ""),
            description=data.get("description", ""),
            premises=data.get("premises"),
            violation=data.get("violation"),
        )

    @extend_schema(request=AssignSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign (or reassign) an active service team: administrators."""
        service_request = self.get_object()
        if not request.user.is_administrator:
            raise PermissionDenied
        body = AssignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service_request = services.assign_team(
            request.user,
            service_request,
            body.validated_data["team"],
            body.validated_data["reason"],
        )
        return self.retrieve_response(service_request)

    @extend_schema(request=None, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the request before its consultation: the requesting business."""
        service_request = self.get_object()  # 403 unless the business (or an administrator)
        service_request = services.withdraw(request.user, service_request)
        return self.retrieve_response(service_request)

    @extend_schema(request=CloseSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a consulted request, with the reason: administrators."""
        service_request = self.get_object()
        if not request.user.is_administrator:
            raise PermissionDenied
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        service_request = services.close(request.user, service_request, reason)
        return self.retrieve_response(service_request)

    def retrieve_response(self, service_request):
        instance = self.get_queryset().get(pk=service_request.pk)
        return Response(self.get_serializer(instance).data)


class ConsultationSerializer(serializers.ModelSerializer):
    """A consultation: findings and recommendations, visible to the business."""

    request = VisibleRelatedField(queryset=ServiceRequest.objects.all(), style=DROP_DOWN)
    experts = serializers.PrimaryKeyRelatedField(
        queryset=TeamExpert.objects.all(), many=True, required=False
    )

    class Meta:
        model = Consultation
        fields = [
            "id",
            "request",
            "held_on",
            "experts",
            "findings",
            "recommendations",
            "follow_up_due",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]


class ConsultationViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Consultations: read like their requests; the assigned team records them (POST)."""

    permission_classes = [RolePermission]
    queryset = Consultation.objects.prefetch_related(
        Prefetch("experts", queryset=TeamExpert.objects.only("id"))
    )
    serializer_class = ConsultationSerializer
    ordering_fields = ("id", "held_on")

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        service_request = data["request"]
        objects = ServiceRequest.objects.filter(pk=service_request.pk)
        if not objects.consultable_by(self.request.user).exists():
            raise PermissionDenied
        serializer.instance = services.record_consultation(
            self.request.user,
            service_request,
            held_on=data["held_on"],
            findings=data["findings"],
            recommendations=data["recommendations"],
            experts=data.get("experts", []),
            follow_up_due=data.get("follow_up_due"),
        )


router = DefaultRouter()
router.include_root_view = False
router.register("service-teams", ServiceTeamViewSet, basename="service-team")
router.register("service-requests", ServiceRequestViewSet, basename="service-request")
router.register("consultations", ConsultationViewSet, basename="consultation")
register_schemes(router)
register_rewards(router)

urlpatterns = router.urls
