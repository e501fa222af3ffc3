"""Rectification evidence a business submits for a violation, reviewed by an inspector."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.choices import EvidenceStatus
from compliance.registry.querysets import RegistryQuerySet
from portal import bounds


class EvidenceQuerySet(RegistryQuerySet):
    business_path = "violation__premises__business"
    supplier_path = "violation__supplier"


class RectificationEvidence(models.Model):
    """What a business shows to prove a violation rectified: text, files, equipment changes.

    An inspector (or administrator) accepts it, which rectifies the violation, or rejects
    it with a reason; the business may then submit again.
    """

    violation = models.ForeignKey(
        "compliance.Violation",
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("violation"),
    )
    description = models.TextField(
        _("what was done"),
        help_text=_("e.g. which equipment was replaced or repaired, and when"),
    )
    status = models.CharField(
        pgettext_lazy("state of a record", "status"),
        max_length=16,
        choices=EvidenceStatus.choices,
        default=EvidenceStatus.SUBMITTED,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(pgettext_lazy("when", "submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_reason = models.TextField(_("reason for the review"), blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification evidence")
        verbose_name_plural = _("rectification evidence")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.violation} ({self.get_status_display()})"

    @property
    def owner_business_id(self) -> int:
        return self.violation.premises.business_id


class EvidenceFile(models.Model):
    """A photo or document attached to evidence, stored outside the web root."""

    evidence = models.ForeignKey(
        RectificationEvidence, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="compliance/evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(pgettext_lazy("kind of a thing", "type"), max_length=100)
    size = models.PositiveIntegerField(
        _("size (bytes)"), validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "sha256"], name="evidence_file_once")
        ]

    def __str__(self) -> str:
        return self.original_name
