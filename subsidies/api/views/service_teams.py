"""API of the Art. 13 service teams: teams, service requests, consultations.

Same permissions as the pages: everyone signed in reads the teams, administrators write
them; a business creates and reads its own requests; administrators assign a team; the
assigned team's experts (and administrators) record consultations, which the business
reads. Every change goes through :mod:`subsidies.services.service_teams`; a refusal of
the service is a 400 with field errors (portal.api.exceptions).
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from portal.api.permissions import RolePermission
from portal.api.viewsets import AuditedModelViewSet, ReadOnlyViewSet
from portal.permissions import can
from subsidies.api.serializers.service_teams import (
    AssignSerializer,
    CloseSerializer,
    ConsultationSerializer,
    ServiceRequestSerializer,
    ServiceTeamSerializer,
)
from subsidies.models import Consultation, ServiceRequest, ServiceTeam, TeamExpert
from subsidies.services import service_teams as services


class AdministratorsWrite(RolePermission):
    """Everyone signed in reads; only administrators write."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or can(
            request.user, "subsidies.manage_teams"
        )


class ServiceTeamViewSet(AuditedModelViewSet):
    """Art. 13 service teams: read by everyone signed in, written by administrators."""

    permission_classes = [AdministratorsWrite]
    queryset = ServiceTeam.objects.prefetch_related(
        Prefetch("experts", queryset=TeamExpert.objects.current())
    )
    serializer_class = ServiceTeamSerializer
    ordering_fields = ("id", "name")


class ServiceRequestViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Service requests: business users create (and withdraw) their own; administrators
    assign a team and close consulted requests."""

    permission_classes = [RolePermission]
    queryset = ServiceRequest.objects.select_related("business", "team")
    serializer_class = ServiceRequestSerializer
    ordering_fields = ("id", "requested_at")

    def create(self, request, *args, **kwargs):
        """Let business users (only) ask for help for their own businesses."""
        if not can(request.user, "subsidies.request_help"):
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
        if not can(request.user, "subsidies.assign_team"):
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
        if not can(request.user, "subsidies.close_request"):
            raise PermissionDenied
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        service_request = services.close(request.user, service_request, reason)
        return self.retrieve_response(service_request)

    def retrieve_response(self, service_request):
        instance = self.get_queryset().get(pk=service_request.pk)
        return Response(self.get_serializer(instance).data)


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
