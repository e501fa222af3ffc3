"""The approval letter of an Art. 14 application: a PDF rendered by a worker.

A long job with a status row (:mod:`portal.pdf.jobs`): PENDING → RENDERING → READY, or
FAILED with the reason. One letter per application and language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from subsidies.models.schemes import Application

LETTER_STATUSES = [
    ("pending", _("Waiting to be rendered")),
    ("rendering", _("Rendering")),
    ("ready", _("Ready")),
    ("failed", _("Failed")),
]


class ApprovalLetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the letters of the applications ``user`` may see."""
        return self.filter(application__in=Application.objects.visible_to(user))


class ApprovalLetter(models.Model):
    """The letter telling a business its application is approved, with the amount."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="letters",
        verbose_name=_("application"),
    )
    letter_number = models.CharField(_("letter number"), max_length=40, unique=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=16, choices=LETTER_STATUSES, default="pending"
    )
    file = models.FileField(_("file"), upload_to="subsidies/letters/%Y/", blank=True)
    sha256 = models.CharField(_("verification hash"), max_length=64, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    objects = ApprovalLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval letter")
        verbose_name_plural = _("approval letters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "language"], name="one_letter_per_application_language"
            ),
        ]

    def __str__(self) -> str:
        return self.letter_number
