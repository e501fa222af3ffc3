"""Enforcement documents: rectification notices and penalty decisions, rendered as PDFs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import DocumentKind
from compliance.registry.querysets import RegistryQuerySet
from portal.models.documents import RenderedDocument

LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]


class DocumentQuerySet(RegistryQuerySet):
    business_path = "violation__premises__business"
    supplier_path = "violation__supplier"


class EnforcementDocument(RenderedDocument):
    """A notice (Art. 10-4) or a penalty decision (Arts. 15-18) in one language.

    A long job with a status row (:class:`portal.models.documents.RenderedDocument`):
    PENDING → RENDERING → READY, or FAILED with the reason.
    A notice belongs to a violation and the deadline it orders; a decision to one fine.
    The document number is allocated with the row and never changes.
    """

    kind = models.CharField(_("document"), max_length=16, choices=DocumentKind.choices)
    violation = models.ForeignKey(
        "compliance.Violation",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("violation"),
    )
    fine = models.ForeignKey(
        "compliance.Fine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("fine"),
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES)
    # The Chinese original and its English translation share the number (unique together
    # with the language).
    document_number = models.CharField(_("document number"), max_length=40)
    requested_at = models.DateTimeField(pgettext_lazy("when", "requested"), auto_now_add=True)

    storage_folder = "compliance/documents"
    render_topic = "enforcement.render_document"
    render_key = "document"
    render_related = ("violation__premises",)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enforcement document")
        verbose_name_plural = _("enforcement documents")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_number", "language"], name="one_document_number_per_language"
            ),
            models.UniqueConstraint(
                fields=["violation", "language"],
                condition=models.Q(kind="notice"),
                name="one_notice_per_violation_and_language",
            ),
            models.UniqueConstraint(
                fields=["fine", "language"],
                condition=models.Q(kind="decision"),
                name="one_decision_per_fine_and_language",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="notice", fine__isnull=True))
                | models.Q(kind="decision", fine__isnull=False),
                name="decision_has_fine",
            ),
        ]

    def __str__(self) -> str:
        return self.document_number

    @property
    def owner_business_id(self) -> int:
        return self.violation.premises.business_id

    @property
    def audit_business_id(self) -> int | None:
        return self.violation.owner_business_id
