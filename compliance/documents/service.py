"""A document's life: requested, rendered by a worker, ready or failed, retried on request.

The row is requested with its number by :func:`compliance.services.notices.request_document`
(in the transaction of the act it documents, with an outbox message). The message's
handler calls :func:`render` on the "reports" queue. Exactly once comes from the
database, not from locks: :func:`claim` is a conditional UPDATE from PENDING or FAILED to
RENDERING that hits exactly one row, so of two workers given the same document only one
renders it, and rendering a READY document again does nothing. A rendering error marks
it FAILED with the reason; an administrator retries it (:func:`retry`, audited).
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.choices import DocumentStatus
from compliance.documents.gather import document_data
from compliance.models import EnforcementDocument
from compliance.services.notices import RENDER_TOPIC
from portal import audit, outbox
from portal.choices import AuditAction

logger = logging.getLogger(__name__)

# Errors worth another try (the database went away): raised again for the delivery job
# to retry; anything else is a FAILED document with its reason.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
CLAIMABLE = (DocumentStatus.PENDING, DocumentStatus.FAILED)


def may_download(user, document: EnforcementDocument) -> bool:
    """Return whether ``user`` may download ``document``: it is ready and they may see it."""
    if document.status != DocumentStatus.READY or not document.file:
        return False
    return EnforcementDocument.objects.visible_to(user).filter(pk=document.pk).exists()


def may_retry(user) -> bool:
    """Return whether ``user`` may have documents rendered again: administrators only."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_administrator
    )


def claim(document_id: int) -> bool:
    """Move a document from PENDING or FAILED to RENDERING; return whether this call did it."""
    return bool(
        EnforcementDocument.objects.filter(pk=document_id, status__in=CLAIMABLE).update(
            status=DocumentStatus.RENDERING, attempts=F("attempts") + 1
        )
    )


def render(document_id: int) -> str:
    """Render a document and store it; return its status afterwards.

    Does nothing (returns the current status) unless this call claims it, so running it
    twice, or on a READY document, leaves the same state as once.
    """
    if not claim(document_id):
        current = EnforcementDocument.objects.filter(pk=document_id).values_list(
            "status", flat=True
        )
        return current.first() or ""
    # WeasyPrint loads its libraries on import: only where documents render.
    from compliance.documents.render import render_pdf

    document = EnforcementDocument.objects.select_related("violation__premises").get(pk=document_id)
    try:
        pdf = render_pdf(document_data(document.pk))
    except TRANSIENT_ERRORS as exc:
        _fail(document, _reason(document, exc))
        raise
    except Exception as exc:
        logger.exception("Rendering enforcement document %s failed.", document.document_number)
        _fail(document, _reason(document, exc))
        return DocumentStatus.FAILED
    return _store(document, pdf)


def retry(actor, document: EnforcementDocument) -> EnforcementDocument:
    """Have a FAILED document rendered again (administrators; audited).

    A document still PENDING is queued again (harmless: only one worker claims it); a
    READY or RENDERING one is left as it is, since a decision once issued does not change.
    """
    if not may_retry(actor):
        raise PermissionDenied
    with transaction.atomic():
        current = EnforcementDocument.objects.select_for_update().get(pk=document.pk)
        if current.status not in CLAIMABLE:
            return current
        if current.status == DocumentStatus.FAILED:
            before = audit.snapshot(current, ["status", "error"])
            EnforcementDocument.objects.filter(pk=current.pk).update(
                status=DocumentStatus.PENDING, error=""
            )
            current.status, current.error = DocumentStatus.PENDING, ""
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=current,
                changes=audit.diff(before, audit.snapshot(current, ["status", "error"])),
                reason=_("Document rendered again on request"),
                business_id=_business_id(current),
            )
        outbox.add(RENDER_TOPIC, {"document": current.pk})
    return current


def _business_id(document: EnforcementDocument) -> int:
    return document.violation.premises.business_id


def _reason(document: EnforcementDocument, exc: BaseException) -> str:
    """Return what went wrong, in the document's language, for whoever retries it."""
    with translation.override(document.language):
        if isinstance(exc, TRANSIENT_ERRORS):
            return _("The database could not be reached while rendering; it is tried again.")
        detail = str(exc).strip() or type(exc).__name__
        return _("The PDF could not be rendered: %(detail)s") % {"detail": detail[:500]}


def _fail(document: EnforcementDocument, reason: str) -> None:
    with transaction.atomic():
        updated = EnforcementDocument.objects.filter(
            pk=document.pk, status=DocumentStatus.RENDERING
        ).update(status=DocumentStatus.FAILED, error=reason)
        if updated:
            document.error = reason
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                instance=document,
                changes={"status": [DocumentStatus.RENDERING, DocumentStatus.FAILED]},
                reason=reason,
                business_id=_business_id(document),
            )


def _store(document: EnforcementDocument, pdf: bytes) -> str:
    """Save the PDF under a random name and mark the document READY."""
    document.file.save(f"{secrets.token_hex(16)}.pdf", ContentFile(pdf), save=False)
    stored = document.file.name
    with transaction.atomic():
        updated = EnforcementDocument.objects.filter(
            pk=document.pk, status=DocumentStatus.RENDERING
        ).update(
            status=DocumentStatus.READY,
            file=stored,
            sha256=hashlib.sha256(pdf).hexdigest(),
            error="",
            rendered_at=timezone.now(),
        )
        if not updated:
            # Released meanwhile (someone else renders it now): keep theirs, drop ours.
            transaction.on_commit(lambda: document.file.storage.delete(stored))
            return EnforcementDocument.objects.values_list("status", flat=True).get(pk=document.pk)
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            instance=document,
            changes={"status": [DocumentStatus.RENDERING, DocumentStatus.READY]},
            business_id=_business_id(document),
        )
    return DocumentStatus.READY
