"""The award certificate (獎狀) of an application awarded in an Art. 14 reward call.

A long job with a status row (:class:`portal.models.documents.RenderedDocument`), like
the approval letter: PENDING → RENDERING → READY, or FAILED with the reason. Requested
for every awarded application when the awarded list is published; one per application
and language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds
from portal.models.documents import RenderedDocument
from subsidies.models.rewards import AwardPublication
from subsidies.models.schemes import Application


class AwardCertificateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Return the certificates of the applications ``user`` may see."""
        return self.filter(application__in=Application.objects.visible_to(user))


class AwardCertificate(RenderedDocument):
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
    rank = models.PositiveSmallIntegerField(_("rank"), validators=bounds.up_to(bounds.SMALLINT_MAX))
    # The English copy is a translation: it carries the Chinese original's number.
    certificate_number = models.CharField(_("certificate number"), max_length=40)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(pgettext_lazy("when", "requested"), auto_now_add=True)

    storage_folder = "subsidies/certificates"
    render_topic = "subsidies.render_award_certificate"
    render_key = "certificate"
    render_related = ("application",)

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
            models.UniqueConstraint(
                fields=["certificate_number", "language"],
                name="one_certificate_number_per_language",
            ),
        ]

    def __str__(self) -> str:
        return self.certificate_number

    @property
    def audit_business_id(self) -> int:
        return self.application.business_id
