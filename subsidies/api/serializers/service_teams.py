"""Serializers of the Art. 13 service teams, service requests and consultations."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.choices import Sector
from compliance.models import Business, Premises, Violation
from portal.api.serializers import EditableRelatedField, VisibleRelatedField
from subsidies.models import Consultation, ServiceRequest, ServiceTeam, TeamExpert

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
