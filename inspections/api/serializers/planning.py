"""Serializers of the planning API: inspections, their teams, batches and target criteria.

Reading serializers present; writing serializers only parse what a client may set and
hand it to :mod:`inspections.services.planning`, which validates and audits. Fields a
client may not set (status, batch, re-inspected violation, ids) are not declared on the
writing serializers, so a client that posts them is ignored, not obeyed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from compliance.choices import ComplianceOutcome, District, PremisesCategory
from compliance.models import Premises
from inspections.choices import InspectionPurpose
from inspections.models import Inspection, InspectionAssignment, InspectionBatch
from inspections.services.planning import (
    NEVER_INSPECTED,
    NOT_ASSESSED,
    NOT_INSPECTED_SINCE,
    active_inspectors,
)
from portal import bounds


class AssignmentSerializer(serializers.ModelSerializer):
    """An inspector on an inspection's team."""

    name = serializers.CharField(source="user.__str__", read_only=True)

    class Meta:
        model = InspectionAssignment
        fields = ["user", "name", "role"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    """A planned inspection with its premises and team."""

    premises_name = serializers.CharField(source="premises.name", read_only=True)
    district = serializers.CharField(source="premises.district", read_only=True)
    business = serializers.IntegerField(source="premises.business_id", read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "premises",
            "premises_name",
            "district",
            "business",
            "batch",
            "purpose",
            "violation",
            "referral",
            "scheduled_for",
            "status",
            "experts",
            "notes",
            "assignments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InspectorField(serializers.PrimaryKeyRelatedField):
    """The id of an active account with the inspector role."""

    default_error_messages = {
        "does_not_exist": _("No active inspector has the id {pk_value}."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"base_template": "input.html"})
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", active_inspectors())
        super().__init__(**kwargs)

    def get_queryset(self):
        return active_inspectors()


class InspectionCreateSerializer(serializers.Serializer):
    """A single inspection, e.g. after a complaint; the least loaded inspector leads
    unless ``lead`` is given."""

    premises = serializers.PrimaryKeyRelatedField(
        queryset=Premises.objects.all(), style={"base_template": "input.html"}
    )
    scheduled_for = bounds.ApiDateField()
    purpose = serializers.ChoiceField(
        choices=[
            (value, label)
            for value, label in InspectionPurpose.choices
            if value != InspectionPurpose.REINSPECTION
        ],
        default=InspectionPurpose.ROUTINE,
    )
    lead = InspectorField(required=False, allow_null=True)
    inspectors = InspectorField(many=True, required=False)
    experts = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class InspectionUpdateSerializer(serializers.Serializer):
    """What an administrator changes: the day (with a reason), the team, experts, notes."""

    scheduled_for = bounds.ApiDateField(required=False)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text=_("Why the day changes; required with a new scheduled_for."),
    )
    lead = InspectorField(required=False)
    inspectors = InspectorField(many=True, required=False)
    experts = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)

    def validate(self, attrs):
        day = attrs.get("scheduled_for")
        if (
            day is not None
            and day != self.instance.scheduled_for
            and not attrs.get("reason", "").strip()
        ):
            raise serializers.ValidationError(
                {"reason": [_("Give the reason for the new day; it is kept in the record.")]}
            )
        if "inspectors" in attrs and "lead" not in attrs:
            lead = self.instance.assignments.filter(role="lead").first()
            if lead is None:
                raise serializers.ValidationError({"lead": [_("Name the lead inspector as well.")]})
        return attrs


class CancelSerializer(serializers.Serializer):
    """Why an inspection is called off."""

    reason = serializers.CharField(max_length=1000)


class TargetCriteriaSerializer(serializers.Serializer):
    """The Art. 10-5 criteria and filters that select premises (all optional)."""

    published_criteria = serializers.BooleanField(
        default=False, help_text=_("Apply the targets announced in the rule book in force.")
    )
    industry_code = serializers.RegexField(
        r"^[0-9]{1,4}$",
        required=False,
        allow_blank=True,
        help_text=_("Industry classification code or its first digits."),
    )
    min_floor_area_m2 = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    district = serializers.ChoiceField(choices=District.choices, required=False, allow_blank=True)
    category = serializers.ChoiceField(
        choices=PremisesCategory.choices, required=False, allow_blank=True
    )
    last_inspection = serializers.ChoiceField(
        choices=[
            (NEVER_INSPECTED, _("Never inspected")),
            (NOT_INSPECTED_SINCE, _("Not inspected since inspected_before")),
        ],
        required=False,
        allow_blank=True,
    )
    inspected_before = bounds.ApiDateField(required=False, allow_null=True)
    compliance_status = serializers.ChoiceField(
        choices=[*ComplianceOutcome.choices, (NOT_ASSESSED, _("Not assessed"))],
        required=False,
        allow_blank=True,
    )
    exclude_open = serializers.BooleanField(
        default=True, help_text=_("Leave out premises that already have an open inspection.")
    )

    def validate(self, attrs):
        if attrs.get("last_inspection") == NOT_INSPECTED_SINCE and not attrs.get(
            "inspected_before"
        ):
            raise serializers.ValidationError({"inspected_before": [_("Give the day.")]})
        return attrs


class BatchCreateSerializer(serializers.Serializer):
    """Plan a batch: the premises the criteria select (or those listed), a day, inspectors."""

    title = serializers.CharField(max_length=200)
    scheduled_for = bounds.ApiDateField()
    criteria = TargetCriteriaSerializer(required=False)
    premises = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=bounds.INTEGER_MAX),
        required=False,
        allow_empty=False,
        help_text=_("Plan exactly these premises instead of all that the criteria select."),
    )
    inspectors = InspectorField(many=True, allow_empty=False)
    experts = serializers.CharField(required=False, allow_blank=True, default="")


class BatchSerializer(serializers.ModelSerializer):
    """A batch with its inspections."""

    inspections = InspectionSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionBatch
        fields = ["id", "title", "criteria", "created_by", "created_at", "inspections"]
        read_only_fields = fields


class BatchSummarySerializer(serializers.ModelSerializer):
    """A batch in a list: how many inspections it holds."""

    inspection_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InspectionBatch
        fields = ["id", "title", "criteria", "created_by", "created_at", "inspection_count"]
        read_only_fields = fields
