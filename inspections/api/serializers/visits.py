"""Serializers of visits: the visit with its readings nested, photos, completion.

Readings have no ids: a PUT or PATCH sends the complete list of each kind it names and
the service replaces that kind (kinds left out of a PATCH keep their rows), so sending
the same body twice leaves the same state. Field errors of rows come back under the
kind, one entry per submitted row: ``{"temperatures": [{}, {"temperature_c": [...]}]}``.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.articles import article_label
from compliance.choices import Article
from compliance.models import Equipment, Violation
from compliance.rulebook.explain import explain_finding
from inspections.models import (
    ArcadeReading,
    EquipmentCheck,
    IlluminanceReading,
    Inspection,
    InspectionReport,
    Photo,
    TemperatureReading,
    Visit,
)
from inspections.services.visits import READING_KINDS, VISIT_FIELDS


class TemperatureReadingSerializer(serializers.ModelSerializer):
    """Art. 5-5: a point measured with the air conditioning on (°C)."""

    class Meta:
        model = TemperatureReading
        fields = READING_KINDS["temperatures"].fields
        extra_kwargs = {"point": {"required": False, "allow_blank": True}}


class ArcadeReadingSerializer(serializers.ModelSerializer):
    """Art. 6-1: illuminance 18 cm above the arcade floor (lx)."""

    class Meta:
        model = ArcadeReading
        fields = READING_KINDS["arcade_readings"].fields
        extra_kwargs = {"point": {"required": False, "allow_blank": True}}


class IlluminanceReadingSerializer(serializers.ModelSerializer):
    """Art. 6-2: indoor illuminance of a space type (lx)."""

    class Meta:
        model = IlluminanceReading
        fields = READING_KINDS["illuminance_readings"].fields
        extra_kwargs = {"point": {"required": False, "allow_blank": True}}


class EquipmentCheckSerializer(serializers.ModelSerializer):
    """A declared item checked at the visit, for one article."""

    equipment = serializers.PrimaryKeyRelatedField(
        queryset=Equipment.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = EquipmentCheck
        fields = READING_KINDS["equipment_checks"].fields
        extra_kwargs = {"point": {"required": False, "allow_blank": True}}


class PhotoSerializer(serializers.ModelSerializer):
    """A photo's facts; ``url`` serves the bytes to those who may see the visit."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = (
            "id",
            "url",
            "caption",
            "article",
            "content_type",
            "width",
            "height",
            "size_bytes",
            "sha256",
            "uploaded_at",
        )
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, photo: Photo) -> str:
        path = reverse("photo-file", args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PhotoUploadSerializer(serializers.Serializer):
    """A photo upload (multipart): JPEG, PNG or WebP, checked by content."""

    file = serializers.FileField()
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True)
    article = serializers.ChoiceField(choices=Article.choices, required=False, allow_blank=True)


class VisitSerializer(serializers.ModelSerializer):
    """A visit with its readings nested (written through the visit service)."""

    inspection = serializers.PrimaryKeyRelatedField(read_only=True)
    premises = serializers.IntegerField(source="inspection.premises_id", read_only=True)
    temperatures = TemperatureReadingSerializer(many=True, required=False)
    arcade_readings = ArcadeReadingSerializer(many=True, required=False)
    illuminance_readings = IlluminanceReadingSerializer(many=True, required=False)
    equipment_checks = EquipmentCheckSerializer(many=True, required=False)
    photos = PhotoSerializer(many=True, read_only=True)
    completed_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Visit
        fields = (
            "id",
            "inspection",
            "premises",
            "client_key",
            *VISIT_FIELDS,
            "temperatures",
            "arcade_readings",
            "illuminance_readings",
            "equipment_checks",
            "photos",
            "completed_at",
            "completed_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("client_key", "completed_at", "created_at", "updated_at")

    def readings(self) -> dict[str, list[dict]]:
        """Return the kinds of readings the request sent, for the service."""
        return {
            name: [dict(row) for row in self.validated_data[name]]
            for name in READING_KINDS
            if name in self.validated_data
        }

    def visit_data(self) -> dict:
        return {
            name: self.validated_data[name] for name in VISIT_FIELDS if name in self.validated_data
        }


class VisitStartSerializer(serializers.Serializer):
    """Start (or find) the visit of an inspection; ``client_key`` is the device's key.

    The key may also be sent as the ``Idempotency-Key`` header.
    """

    inspection = serializers.PrimaryKeyRelatedField(queryset=Inspection.objects.none())
    client_key = serializers.UUIDField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["inspection"].queryset = Inspection.objects.visible_to(user)


class VisitCompleteSerializer(serializers.Serializer):
    """Optional: the language of the inspection report requested on completion."""

    language = serializers.ChoiceField(
        choices=[("zh-hant", "繁體中文"), ("en", "English")], required=False
    )


class ViolationOpenedSerializer(serializers.ModelSerializer):
    """A violation the completed visit opened, with its deadline (none for Art. 17)."""

    article_label = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    class Meta:
        model = Violation
        fields = (
            "id",
            "article",
            "article_label",
            "penalty_article",
            "subject",
            "message",
            "found_on",
            "deadline",
            "status",
        )
        read_only_fields = fields

    def get_article_label(self, violation: Violation) -> str:
        return article_label(violation.article)

    def get_message(self, violation: Violation) -> str:
        return explain_finding(violation.finding)


class InspectionReportSummarySerializer(serializers.ModelSerializer):
    """The report requested on completion: a long job with a status (Art. 10-4)."""

    class Meta:
        model = InspectionReport
        fields = ("id", "language", "document_number", "status")
        read_only_fields = fields


class VisitCompletionSerializer(serializers.Serializer):
    """The completed visit and the violations its findings opened."""

    visit = VisitSerializer(read_only=True)
    violations = ViolationOpenedSerializer(many=True, read_only=True)
    report = serializers.SerializerMethodField()

    @extend_schema_field(InspectionReportSummarySerializer(allow_null=True))
    def get_report(self, completion) -> dict | None:
        report = completion.report
        return InspectionReportSummarySerializer(report).data if report is not None else None
