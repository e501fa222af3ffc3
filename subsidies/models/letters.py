"""The approval letter of an Art. 14 application: a PDF rendered by a worker.

A long job with a status row (:class:`portal.models.documents.RenderedDocument`):
PENDING → RENDERING → READY, or FAILED with the reason. One letter per application and
language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models.documents import RenderedDocument
from subsidies.models.schemes import Application


class ApprovalLetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the letters of the applications ``user`` may see."""
        return self.filter(application__in=Application.objects.visible_to(user))


class ApprovalLetter(RenderedDocument):
    """The letter telling a business its application is approved, with the amount."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="letters",
        verbose_name=_("application"),
    )
    # The English copy is a translation: it carries the Chinese original's number.
    letter_number = models.CharField(_("letter number"), max_length=40)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(pgettext_lazy("when", "requested"), auto_now_add=True)

    storage_folder = "subsidies/letters"
    render_topic = "subsidies.render_approval_letter"
    render_key = "letter"
    render_related = ("application",)

    objects = ApprovalLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval letter")
        verbose_name_plural = _("approval letters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "language"], name="one_letter_per_application_language"
            ),
            models.UniqueConstraint(
                fields=["letter_number", "language"], name="one_letter_number_per_language"
            ),
        ]

    def __str__(self) -> str:
        return self.letter_number

    @property
    def audit_business_id(self) -> int:
        return self.application.business_id
