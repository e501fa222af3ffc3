"""Serializers of the enforcement API: what the lists and details show, what actions take.

Everything an enforcement row holds is read-only here: violations, fines and documents
change only through the services (the sweep, the decisions), and the request bodies of
the actions are plain serializers whose values the services check. Money is whole NT$,
dates are Asia/Taipei.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from compliance.choices import (
    APPEAL_BODY_OUTCOMES,
    DEPARTMENT_OUTCOMES,
    AppealStatus,
    DocumentStatus,
)
from compliance.models import (
    Appeal,
    AppealAttachment,
    EnforcementDocument,
    EvidenceFile,
    Fine,
    FinePayment,
    RectificationEvidence,
    Statement,
    SweepRun,
    Verification,
    Violation,
    ViolationEvent,
)
from portal import bounds
from portal.actors import shown_actor
from portal.api.serializers import PlannedRepresentationMixin, VisibleRelatedField
from portal.pdf.verify import verification_url

# The pages that serve the files (built with the enforcement pages).
DOCUMENT_DOWNLOAD_URL = "enforcement-document-download"
EVIDENCE_FILE_URL = "enforcement-evidence-file"
APPEAL_FILE_URL = "enforcement-appeal-attachment"


def page_url(serializer: serializers.Serializer, name: str, pk: int) -> str | None:
    """Return the absolute URL of the page ``name`` for ``pk``; None while it does not exist."""
    try:
        url = reverse(name, args=[pk])
    except NoReverseMatch:
        return None
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


def today_of(serializer: serializers.Serializer):
    """Return the day a response counts from (one per request, Asia/Taipei)."""
    context = serializer.context
    if "today" not in context:
        context["today"] = timezone.localdate()
    return context["today"]


@extend_schema_field(OpenApiTypes.INT)
# --- Violations -------------------------------------------------------------------------


class ViolationEventSerializer(serializers.ModelSerializer):
    """One change of state: from, to, who (a person or a scheduled job), when and why."""

    class Meta:
        model = ViolationEvent
        fields = ["from_status", "to_status", "actor_label", "at", "reason"]
        read_only_fields = fields
        extra_kwargs = {
            "actor_label": {"help_text": _("Who made the change: a user name or a job.")}
        }


def viewer_of(serializer: serializers.Serializer):
    request = serializer.context.get("request")
    return request.user if request is not None else None


class StatementSerializer(serializers.ModelSerializer):
    """A statement of opinion the business submitted before a fine (APenA Art. 42)."""

    submitted_by = serializers.SerializerMethodField(
        help_text=_("Who submitted it (a person of the business side).")
    )

    class Meta:
        model = Statement
        fields = ["id", "violation", "verification", "text", "submitted_by", "submitted_at"]
        read_only_fields = fields

    def get_submitted_by(self, statement: Statement) -> str:
        user = statement.submitted_by
        return shown_actor(viewer_of(self), user, str(user) if user else "")


class VerificationSerializer(serializers.ModelSerializer):
    """Whether a missed deadline was met, as established after it (re-inspection, records)."""

    verified_by = serializers.SerializerMethodField(
        help_text=_(
            "Who established it: the Department (with the official's display name) or, "
            "for city staff, the recorded user name or job."
        )
    )
    statements = StatementSerializer(many=True, read_only=True)

    class Meta:
        model = Verification
        fields = [
            "id",
            "missed_deadline",
            "method",
            "result",
            "verified_on",
            "source_reference",
            "explanation",
            "finding",
            "statement_until",
            "fine_due_on",
            "verified_by",
            "statements",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "explanation": {"help_text": _("What was checked, in the City's language.")},
            "statement_until": {
                "help_text": _(
                    "The last day to state an opinion before the fine (APenA Art. 42); null "
                    "when none is given."
                )
            },
        }

    def get_verified_by(self, verification: Verification) -> str:
        return shown_actor(viewer_of(self), verification.verified_by, verification.actor_label)


class StatementSubmitSerializer(serializers.Serializer):
    """The business states its opinion on a verified case while the period is open."""

    # The service checks the text (required, at most MAX_STATEMENT_CHARS characters), so
    # that the page and the API refuse it with the same message.
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text=_("The statement of opinion (at most 5000 characters)."),
    )


class ViolationSerializer(PlannedRepresentationMixin, serializers.ModelSerializer):
    """A violation with its deadline; ``days_left`` counts from today in Taipei."""

    business = serializers.IntegerField(
        source="premises.business_id",
        read_only=True,
        allow_null=True,
        help_text=_("The business (id)."),
    )
    days_left = serializers.SerializerMethodField(
        help_text=_(
            "Days until the deadline (0: today is the last day, negative: overdue); "
            "null when no deadline runs."
        )
    )
    overdue = serializers.SerializerMethodField(
        help_text=_("Whether the deadline has passed and the sweep has not fined it yet.")
    )
    awaiting_verification = serializers.SerializerMethodField(
        help_text=_(
            "Whether the deadline has passed and it is not yet established (by a "
            "re-inspection or the portal's records) whether it was met; no fine before that."
        )
    )

    class Meta:
        model = Violation
        fields = [
            "id",
            "premises",
            "business",
            "supplier",
            "article",
            "penalty_article",
            "subject",
            "message_key",
            "status",
            "found_on",
            "deadline",
            "days_left",
            "overdue",
            "awaiting_verification",
            "fine_due_on",
            "fines_issued",
            "rulebook_version",
            "source_reference",
            "opened_at",
        ]
        read_only_fields = fields

    def get_days_left(self, violation: Violation) -> int | None:
        return violation.days_left(today_of(self))

    def get_overdue(self, violation: Violation) -> bool:
        return violation.is_overdue(today_of(self))

    def get_awaiting_verification(self, violation: Violation) -> bool:
        return violation.awaits_verification(today_of(self))


class ViolationDetailSerializer(ViolationSerializer):
    """A violation with what was found, the parameters used and every change of state."""

    events = ViolationEventSerializer(many=True, read_only=True)
    verifications = VerificationSerializer(many=True, read_only=True)

    class Meta(ViolationSerializer.Meta):
        fields = [
            *ViolationSerializer.Meta.fields,
            "finding",
            "parameters",
            "events",
            "verifications",
        ]
        read_only_fields = fields


class ViolationCancelSerializer(serializers.Serializer):
    """An administrator withdraws a violation (e.g. found in error)."""

    reason = serializers.CharField(max_length=2000, help_text=_("Why the violation is cancelled."))


# --- Documents --------------------------------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    """A rectification notice or penalty decision and where to download it once ready."""

    download = serializers.SerializerMethodField(
        help_text=_("Where to download the PDF once it is ready (null until then).")
    )
    verification = serializers.SerializerMethodField(
        help_text=_(
            "The public page that verifies the issued document (printed on it as a QR code "
            "with its verification code; null until it is ready)."
        )
    )

    class Meta:
        model = EnforcementDocument
        fields = [
            "id",
            "kind",
            "violation",
            "fine",
            "language",
            "document_number",
            "status",
            "sha256",
            "requested_at",
            "rendered_at",
            "download",
            "verification_code",
            "verification",
        ]
        read_only_fields = fields
        extra_kwargs = {"sha256": {"help_text": _("SHA-256 of the PDF file's bytes.")}}

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, document: EnforcementDocument) -> str | None:
        if document.status != DocumentStatus.READY:
            return None
        return page_url(self, DOCUMENT_DOWNLOAD_URL, document.pk)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_verification(self, document: EnforcementDocument) -> str | None:
        if document.status != DocumentStatus.READY:
            return None
        return verification_url(document.verification_code)


# --- Fines ------------------------------------------------------------------------------


class FineSerializer(serializers.ModelSerializer):
    """The nth fine of a violation: amount decided and due, deadlines, appeal period.

    ``issued_on`` is the day an official decided it; ``served_on`` the day it was served,
    from which ``appeal_until`` and ``new_deadline`` run (both empty until then).
    """

    premises = serializers.IntegerField(
        source="violation.premises_id",
        read_only=True,
        allow_null=True,
        help_text=_("The premises (id)."),
    )
    business = serializers.IntegerField(
        source="violation.premises.business_id",
        read_only=True,
        allow_null=True,
        help_text=_("The business (id)."),
    )
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Fine
        fields = [
            "id",
            "violation",
            "premises",
            "business",
            "step",
            "penalty_article",
            "amount_ntd",
            "amount_due_ntd",
            "status",
            "missed_deadline",
            "offence_on",
            "proposed_on",
            "issued_on",
            "decided_at",
            "rectify_within_days",
            "served_on",
            "service_method",
            "new_deadline",
            "appeal_until",
            "document_number",
            "rulebook_version",
            "schedule",
            "actor_label",
            "documents",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "amount_due_ntd": {"help_text": _("What is owed after an appeal (NT$).")},
            "schedule": {"help_text": _("The penalty schedule applied (NT$ by step).")},
        }


# --- Payments ---------------------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer):
    """A payment the business reported and its confirmation by an administrator."""

    business = serializers.IntegerField(
        source="fine.violation.premises.business_id",
        read_only=True,
        allow_null=True,
        help_text=_("The business (id)."),
    )

    class Meta:
        model = FinePayment
        fields = [
            "id",
            "fine",
            "business",
            "amount_ntd",
            "paid_on",
            "reference",
            "status",
            "reported_at",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class PaymentReportSerializer(serializers.Serializer):
    """A business reports that it paid one of its fines."""

    fine = VisibleRelatedField(queryset=Fine.objects.all(), help_text=_("The fine (id)."))
    amount_ntd = bounds.ntd_field(min_value=1, help_text=_("The amount paid in whole NT$."))
    paid_on = bounds.ApiDateField(help_text=_("The day it was paid."))
    reference = serializers.CharField(max_length=60, help_text=_("The receipt or transfer number."))


class PaymentDecisionSerializer(serializers.Serializer):
    """An administrator confirms a reported payment, or rejects it with a reason."""

    confirm = serializers.BooleanField(help_text=_("True confirms the payment, false rejects it."))
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Required when rejecting."),
    )


# --- Appeals ----------------------------------------------------------------------------


class AppealAttachmentSerializer(serializers.ModelSerializer):
    """A file of an appeal (the appellant's, the reply's, the appeal body's decision)."""

    download = serializers.SerializerMethodField(
        help_text=_("Where to download the file (for those who may see the fine).")
    )

    class Meta:
        model = AppealAttachment
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, item: AppealAttachment) -> str | None:
        return page_url(self, APPEAL_FILE_URL, item.pk)


class AppealSerializer(serializers.ModelSerializer):
    """An appeal (訴願): received, reviewed or forwarded with the reply, and decided."""

    business = serializers.IntegerField(
        source="fine.violation.premises.business_id",
        read_only=True,
        allow_null=True,
        help_text=_("The business (id)."),
    )
    attachments = AppealAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "fine",
            "business",
            "grounds",
            "status",
            "filed_at",
            "received_on",
            "forward_by",
            "decided_at",
            "decision_reason",
            "amended_amount_ntd",
            "reported_to_body_on",
            "reply",
            "forwarded_on",
            "body_decision_number",
            "body_decided_on",
            "body_reason",
            "body_recorded_at",
            "payment_suspended_on",
            "suspension_reason",
            "attachments",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "received_on": {
                "help_text": _("The day the Department received it: it counts as filed then.")
            },
            "forward_by": {
                "help_text": _("The day by which it is to be forwarded to the appeal body.")
            },
            "decided_at": {"help_text": _("When the Department revoked or amended its decision.")},
            "amended_amount_ntd": {
                "help_text": _(
                    "What remains owed (NT$) after the Department amended its decision or the "
                    "appeal body revoked it in part."
                )
            },
            "payment_suspended_on": {
                "help_text": _(
                    "Since when payment is suspended (AAA Art. 93); null: the fine stays due."
                )
            },
        }


def _outcomes(values) -> list[tuple[str, str]]:
    return [(status.value, status.label) for status in AppealStatus if status.value in values]


def _amount(help_text) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=help_text,
        max_value=bounds.INTEGER_MAX,
    )


def _files(help_text) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text=help_text
    )


class AppealFilingSerializer(serializers.Serializer):
    """A business appeals one of its served penalty decisions within its period."""

    fine = VisibleRelatedField(queryset=Fine.objects.all(), help_text=_("The fine (id)."))
    grounds = serializers.CharField(
        max_length=10000, allow_blank=True, help_text=_("The grounds of the appeal.")
    )
    files = _files(_("Supporting files (JPEG, PNG or PDF; multipart only)."))


class AppealReviewSerializer(serializers.Serializer):
    """The Department revokes or amends its own decision on review (AAA Art. 58(2))."""

    outcome = serializers.ChoiceField(choices=_outcomes(DEPARTMENT_OUTCOMES))
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        help_text=_("The reasons for the decision, shown to the business."),
    )
    amended_amount_ntd = _amount(_("The new amount in whole NT$ (only with outcome dept_amended)."))


class AppealForwardSerializer(serializers.Serializer):
    """The Department forwards the appeal with its reply (答辯書), copied to the appellant."""

    reply = serializers.CharField(
        max_length=20000, allow_blank=True, help_text=_("The Department's reply.")
    )
    files = _files(_("The reply's files (JPEG, PNG or PDF; multipart only)."))


class AppealBodyDecisionSerializer(serializers.Serializer):
    """Staff record the appeal body's decision on a forwarded appeal, with its document."""

    outcome = serializers.ChoiceField(choices=_outcomes(APPEAL_BODY_OUTCOMES))
    decided_on = bounds.ApiDateField(
        required=False, allow_null=True, default=None, help_text=_("The day it was decided.")
    )
    number = serializers.CharField(
        max_length=60, allow_blank=True, help_text=_("The appeal body's decision number.")
    )
    reason = serializers.CharField(
        max_length=5000, allow_blank=True, help_text=_("A summary of the appeal body's reasons.")
    )
    amended_amount_ntd = _amount(
        _("What remains owed in whole NT$ (only with outcome revoked_in_part).")
    )
    files = _files(_("The decision document: a PDF or a scan (required; multipart)."))


class AppealSuspensionSerializer(serializers.Serializer):
    """Staff record a suspension of payment (AAA Art. 93) or lift it (Art. 94)."""

    suspend = serializers.BooleanField(help_text=_("True suspends payment, false lifts it."))
    reason = serializers.CharField(
        max_length=2000, allow_blank=True, help_text=_("Why, shown to the business.")
    )


# --- Evidence ---------------------------------------------------------------------------


class EvidenceFileSerializer(serializers.ModelSerializer):
    """A file attached to evidence: its metadata, and the page that serves it."""

    download = serializers.SerializerMethodField(
        help_text=_("Where to download the file (for those who may see the violation).")
    )

    class Meta:
        model = EvidenceFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "download"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download(self, item: EvidenceFile) -> str | None:
        return page_url(self, EVIDENCE_FILE_URL, item.pk)


class EvidenceSerializer(serializers.ModelSerializer):
    """Rectification evidence a business submitted and how it was reviewed."""

    business = serializers.IntegerField(
        source="violation.premises.business_id",
        read_only=True,
        allow_null=True,
        help_text=_("The business (id)."),
    )
    files = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = RectificationEvidence
        fields = [
            "id",
            "violation",
            "business",
            "description",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_reason",
            "files",
        ]
        read_only_fields = fields


class EvidenceReviewSerializer(serializers.Serializer):
    """An inspector accepts evidence (the violation is rectified) or rejects it."""

    accept = serializers.BooleanField(help_text=_("True accepts the evidence, false rejects it."))
    reason = serializers.CharField(
        max_length=2000, help_text=_("The reason for the decision, shown to the business.")
    )


# --- Sweep runs -------------------------------------------------------------------------


class SweepRunSerializer(serializers.ModelSerializer):
    """One run of the deadline sweep: the day judged, who started it, what it did."""

    class Meta:
        model = SweepRun
        fields = [
            "id",
            "day",
            "actor_label",
            "status",
            "started_at",
            "finished_at",
            "fines_issued",
            "violations_closed",
            "reminders_queued",
            "error",
        ]
        read_only_fields = fields


class SweepQueuedSerializer(serializers.Serializer):
    """A sweep queued for a day; its run appears in the list once a worker starts it."""

    day = bounds.ApiDateField()
    queued = serializers.BooleanField()
