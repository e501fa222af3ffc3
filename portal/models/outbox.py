"""The transactional outbox: follow-up work written with the change that causes it."""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One follow-up action (send an email, render a PDF, plan a visit) still to deliver.

    Written in the same transaction as the legal act that causes it (a fine, a notice),
    so the act and its follow-ups are committed together or not at all; a delivery job
    then performs it and marks it delivered (``portal.outbox``). Celery may lose or
    duplicate the job that delivers; the row stays until it is delivered.
    """

    topic = models.CharField(_("topic"), max_length=60)
    payload = models.JSONField(_("payload"), default=dict)
    # Set where the same follow-up could be written twice (e.g. a reminder per deadline).
    dedupe_key = models.CharField(  # noqa: DJ001 - NULL stays out of the partial unique index
        _("deduplication key"), max_length=120, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())
    available_at = models.DateTimeField(_("due"), db_default=Now())
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, db_default=0)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="", db_default="")
    # The X-Request-ID of the request (or task) that wrote it: its delivery logs under it.
    request_id = models.CharField(
        _("request id"), max_length=64, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="outbox_dedupe_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["available_at", "id"],
                condition=models.Q(delivered_at__isnull=True),
                name="outbox_undelivered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"
