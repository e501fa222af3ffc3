"""The award certificate (獎狀) of an application awarded in an Art. 14 reward call.

A long job with a status row (:mod:`portal.pdf.jobs`), like the approval letter:
PENDING → RENDERING → READY, or FAILED with the reason. Requested for every awarded
application when the awarded list is published; one per application and language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from subsidies.models.letters import LETTER_STATUSES
from subsidies.models.rewards import AwardPublication
from subsidies.models.schemes import Application


class AwardCertificateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the certificates of the applications ``user`` may see."""
        return self.filter(application__in=Application.objects.visible_to(user))


class AwardCertificate(models.Model):
    """The certificate an awarded business receives: its call, its rank, the date."""

    publication = models.ForeignKey(
        AwardPublication,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("award publication"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("application"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    certificate_number = models.CharField(_("certificate number"), max_length=40, unique=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=16, choices=LETTER_STATUSES, default="pending"
    )
    file = models.FileField(_("file"), upload_to="subsidies/certificates/%Y/", blank=True)
    sha256 = models.CharField(_("verification hash"), max_length=64, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    objects = AwardCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("award certificate")
        verbose_name_plural = _("award certificates")
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "language"],
                name="one_certificate_per_application_language",
            ),
        ]

    def __str__(self) -> str:
        return self.certificate_number
