"""Serializers of the Art. 10-4 report API: the status row, and the requests for it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inspections.choices import ReportStatus
from inspections.models import InspectionReport, Visit
from inspections.services.reports import DEFAULT_LANGUAGE
from portal.api.serializers import VisibleRelatedField

# The model's own choices, so the API schema has one language enum.
LANGUAGE_CHOICES = InspectionReport._meta.get_field("language").choices


class InspectionReportSerializer(serializers.ModelSerializer):
    """A report's status row: pending, rendering, ready (with a download URL) or failed.

    ``sha256`` is the hash of the PDF file itself (check a downloaded file against it);
    the verification hash printed in the PDF is the hash of the report's data.
    """

    download_url = serializers.SerializerMethodField(
        help_text=_("Where to fetch the PDF once the report is ready (null until then).")
    )

    class Meta:
        model = InspectionReport
        fields = [
            "id",
            "visit",
            "language",
            "document_number",
            "status",
            "error",
            "attempts",
            "sha256",
            "requested_at",
            "rendered_at",
            "download_url",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "sha256": {"help_text": _("SHA-256 of the PDF file's bytes.")},
            "error": {"help_text": _("Why the last rendering failed (empty otherwise).")},
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, report: InspectionReport) -> str | None:
        if report.status != ReportStatus.READY:
            return None
        url = reverse("api:inspection-report-download", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ReportLanguageSerializer(serializers.Serializer):
    """Which language the report is written in."""

    language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        default=DEFAULT_LANGUAGE,
        help_text=_("zh-hant (Traditional Chinese, the default) or en (English)."),
    )


class ReportRequestSerializer(ReportLanguageSerializer):
    """Ask for the report of a completed visit."""

    # A visit the requesting user may see (any other id reads as not existing).
    visit = VisibleRelatedField(
        queryset=Visit.objects.select_related("inspection"),
        help_text=_("The completed visit (id)."),
    )


class ReportRetrySerializer(serializers.Serializer):
    """Render a failed report again; ``force`` (administrators) renders a ready one again."""

    force = serializers.BooleanField(
        default=False,
        help_text=_("Administrators only: render again even if the report is ready."),
    )
