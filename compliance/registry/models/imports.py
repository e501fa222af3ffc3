"""Uploaded CSV files kept on the server between an import's dry run and its commit."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import bounds

# How long an uploaded file waits for its confirmation before it must be uploaded again.
IMPORT_BATCH_TTL = timedelta(hours=2)


class ImportBatchQuerySet(models.QuerySet):
    """A batch belongs to the user who uploaded it; nobody else ever reaches it."""

    def pending_for(self, user):
        """Return ``user``'s uploads that still wait for confirmation and have not expired."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            user=user,
            committed_at__isnull=True,
            created_at__gte=timezone.now() - IMPORT_BATCH_TTL,
        )


class ImportBatch(models.Model):
    """A CSV file of equipment (Arts. 5-8) uploaded for import, waiting for confirmation.

    The dry run reads the stored content; the confirmation commits that same content,
    never a copy sent back by the browser. The random id is the only handle on it and
    it is bound to the uploader.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content = models.TextField(_("content"))
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    committed_at = models.DateTimeField(pgettext_lazy("when", "imported"), null=True, blank=True)
    created_count = models.PositiveIntegerField(
        pgettext_lazy("when", "created"), default=0, validators=bounds.up_to(bounds.INTEGER_MAX)
    )
    updated_count = models.PositiveIntegerField(
        pgettext_lazy("when", "updated"), default=0, validators=bounds.up_to(bounds.INTEGER_MAX)
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.filename or self.pk} ({self.created_at:%Y-%m-%d %H:%M})"
