"""Serializers of the Art. 14 schemes and applications."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.models import Business, Premises
from portal import bounds
from portal.api.serializers import EditableRelatedField
from subsidies.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
    Scheme,
    SchemeCategoryChoice,
)


@extend_schema_field(
    {"type": "string", "description": "One of: " + ", ".join(ApplicationStatus.values)}
)
class ApplicationStatusField(serializers.CharField):
    """An application's workflow state (values listed, no enum component to collide)."""


@extend_schema_field(
    {"type": "string", "description": "One of: " + ", ".join(SchemeCategoryChoice.values)}
)
class SchemeCategoryField(serializers.CharField):
    """One of the five Art. 14 categories (values listed, no enum component to collide)."""


class SchemeSerializer(serializers.ModelSerializer):
    title = serializers.CharField(
        read_only=True,
        help_text=_(
            "The title in the language of the request (Accept-Language), else the other one."
        ),
    )
    category = SchemeCategoryField(read_only=True)

    class Meta:
        model = Scheme
        fields = [
            "id",
            "code",
            "title",
            "title_zh_hant",
            "title_en",
            "category",
            "description",
            "opens_on",
            "closes_on",
            "budget_ntd",
            "committed_ntd",
            "support_rate_cap",
            "project_cap_ntd",
            "business_cap_ntd",
            "minimum_project_cost_ntd",
            "minimum_saving_percent",
            "eligible_items",
            "required_documents",
            "conditions",
            "published",
        ]


class ApplicationEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    to_status = ApplicationStatusField(read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["action", "from_status", "to_status", "actor", "at", "reason", "amount_ntd"]


class ApplicationSerializer(serializers.ModelSerializer):
    events = ApplicationEventSerializer(many=True, read_only=True)
    status = ApplicationStatusField(read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "scheme",
            "business",
            "premises",
            "violation",
            "items",
            "description",
            "eligible_cost_ntd",
            "expected_saving_percent",
            "status",
            "eligible_amount_ntd",
            "approved_amount_ntd",
            "verified_amount_ntd",
            "rejection_reasons",
            "submitted_at",
            "decided_at",
            "events",
        ]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    """A new application, submitted at once; repeat the key to retry safely."""

    idempotency_key = serializers.CharField(max_length=64, help_text=_("Any unique string."))
    scheme = serializers.PrimaryKeyRelatedField(queryset=Scheme.objects.all())
    business = EditableRelatedField(queryset=Business.objects.all())
    premises = EditableRelatedField(
        queryset=Premises.objects.all(), required=False, allow_null=True
    )
    items = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1)
    eligible_cost_ntd = serializers.IntegerField(min_value=1, max_value=bounds.NTD_MAX)
    expected_saving_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    documents = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        default=list,
        help_text=_(
            "Leave empty: a document counts only with its file, uploaded to "
            "/applications/{id}/documents/ of a draft; a kind named here without its file "
            "is refused."
        ),
    )
    submit = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_(
            "false: keep the application a draft, upload its documents to "
            "/applications/{id}/documents/, then POST /applications/{id}/submit/."
        ),
    )

    def validate_scheme(self, scheme):
        if not Scheme.objects.visible_to(self.context["request"].user).filter(pk=scheme.pk):
            raise serializers.ValidationError(_("No such scheme."))
        return scheme


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    """A document of an application; ``download`` (GET with the same token) serves its file
    as an attachment; the application's page links the same file for people."""

    download = serializers.SerializerMethodField()
    content_type = serializers.CharField(read_only=True)

    class Meta:
        model = ApplicationDocument
        fields = ["id", "kind", "original_name", "content_type", "uploaded_at", "download"]
        read_only_fields = fields

    def get_download(self, document: ApplicationDocument) -> str:
        path = reverse("api:application-document", args=[document.application_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class DocumentUploadSerializer(serializers.Serializer):
    """One document (multipart): a kind the scheme requires and its JPEG, PNG or PDF file."""

    kind = serializers.CharField(
        max_length=64, help_text=_("One of the scheme's required documents.")
    )
    file = serializers.FileField(
        allow_empty_file=False,
        help_text=_("A JPEG, PNG or PDF file; pictures are encoded again, active PDFs refused."),
    )

    def validate_kind(self, kind: str) -> str:
        required = self.context["application"].scheme.required_documents or []
        kind = kind.strip()
        if kind not in required:
            raise serializers.ValidationError(
                _("This scheme asks for these documents: %(kinds)s.")
                % {"kinds": ", ".join(required) or "-"}
            )
        return kind
