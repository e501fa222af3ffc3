"""The status row of a rendered PDF: claimed once, then ready with its file or failed.

Inspection reports and enforcement documents are long jobs (design.md): a row PENDING →
RENDERING → READY, or FAILED with the reason, retried on request. Exactly once comes
from the database: :meth:`RenderJob.claim` is a conditional UPDATE from PENDING/FAILED
to RENDERING that hits one row, and storing or failing is a conditional UPDATE from
RENDERING, so a row released meanwhile (an administrator forced a new rendering) keeps
the newer outcome. Each model keeps ``status``, ``file``, ``sha256``, ``error``,
``attempts``, ``rendered_at`` and ``language``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import audit
from portal.choices import AuditAction

PENDING, RENDERING, READY, FAILED = "pending", "rendering", "ready", "failed"
CLAIMABLE = (PENDING, FAILED)
# Errors worth another try (the database went away): raised again for the job to retry.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class RenderJob:
    """The claim / fail / store steps of one model's PDFs, audited with its business."""

    def __init__(self, model: type[models.Model], business_id_of: Callable[[object], int]):
        self.model = model
        self.business_id_of = business_id_of

    def claim(self, pk: int) -> bool:
        """Move a row from PENDING or FAILED to RENDERING; return whether this call did it."""
        return bool(
            self.model.objects.filter(pk=pk, status__in=CLAIMABLE).update(
                status=RENDERING, attempts=F("attempts") + 1
            )
        )

    def status_of(self, pk: int) -> str:
        return self.model.objects.filter(pk=pk).values_list("status", flat=True).first() or ""

    @staticmethod
    def reason(row, exc: BaseException) -> str:
        """Return what went wrong, in the row's language, for whoever retries it."""
        with translation.override(row.language):
            if isinstance(exc, SoftTimeLimitExceeded):
                return _("Rendering took too long and was stopped. Try again later.")
            if isinstance(exc, TRANSIENT_ERRORS):
                return _("The database could not be reached while rendering; it is tried again.")
            detail = str(exc).strip() or type(exc).__name__
            return _("The PDF could not be rendered: %(detail)s") % {"detail": detail[:500]}

    def fail(self, row, exc: BaseException) -> str:
        """Mark a claimed row FAILED with the reason (unless released meanwhile)."""
        reason = self.reason(row, exc)
        with transaction.atomic():
            updated = self.model.objects.filter(pk=row.pk, status=RENDERING).update(
                status=FAILED, error=reason
            )
            if updated:
                row.error = reason
                audit.record(
                    actor=None,
                    action=AuditAction.UPDATE,
                    instance=row,
                    changes={"status": [RENDERING, FAILED]},
                    reason=reason,
                    business_id=self.business_id_of(row),
                )
        return FAILED

    def store(self, row, pdf: bytes) -> str:
        """Save the PDF under a random name and mark the row READY (or drop the file)."""
        previous = row.file.name
        row.file.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
        stored = row.file.name
        with transaction.atomic():
            updated = self.model.objects.filter(pk=row.pk, status=RENDERING).update(
                status=READY,
                file=stored,
                sha256=hashlib.sha256(pdf).hexdigest(),
                error="",
                rendered_at=timezone.now(),
            )
            if not updated:
                # Released meanwhile (someone else renders it now): keep theirs, drop ours.
                transaction.on_commit(lambda: row.file.storage.delete(stored))
                return self.status_of(row.pk)
            changes = {"status": [RENDERING, READY]}
            if previous:
                changes["file"] = [previous, stored]
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                instance=row,
                changes=changes,
                business_id=self.business_id_of(row),
            )
            if previous and previous != stored:
                transaction.on_commit(lambda: row.file.storage.delete(previous))
        return READY
