"""The inspection report (Art. 10-4 報告書): a PDF rendered by a worker."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspections.choices import ReportStatus
from inspections.querysets import ReportQuerySet
from portal.models.documents import RenderedDocument, render_status_field


class InspectionReport(RenderedDocument):
    """The report of one visit in one language: a long job with a status row.

    PENDING → RENDERING → READY, or FAILED with the reason (and retried on request).
    ``sha256`` is the verification hash printed with the document number.
    """

    visit = models.ForeignKey("inspections.Visit", on_delete=models.PROTECT, related_name="reports")
    language = models.CharField(
        _("language"), max_length=10, choices=[("zh-hant", "繁體中文"), ("en", "English")]
    )
    document_number = models.CharField(_("document number"), max_length=40, unique=True)
    # The report's page words the statuses its own way (ReportStatus: same values).
    status = render_status_field(ReportStatus.choices)
    requested_at = models.DateTimeField(pgettext_lazy("when", "requested"), auto_now_add=True)

    storage_folder = "inspections/reports"
    render_topic = "inspections.render_report"
    render_key = "report"
    render_related = ("visit__inspection__premises",)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection report")
        verbose_name_plural = _("inspection reports")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "language"], name="one_report_per_language")
        ]

    def __str__(self) -> str:
        return self.document_number

    @property
    def audit_business_id(self) -> int:
        return self.visit.inspection.premises.business_id
