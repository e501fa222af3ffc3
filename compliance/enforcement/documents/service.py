"""A document's life: requested, rendered by a worker, ready or failed, retried on request.

The row is requested with its number by
:func:`compliance.enforcement.services.notices.request_document`
(in the transaction of the act it documents, with an outbox message). The message's
handler (registered here, :func:`portal.pdf.jobs.renders`) calls :func:`render` on the
"reports" queue. Exactly once comes from the database, not from locks: :func:`claim` is a
conditional UPDATE from PENDING or FAILED to RENDERING that hits exactly one row, so of
two workers given the same document only one renders it, and rendering a READY document
again does nothing. A rendering error marks
it FAILED with the reason; an administrator retries it (:func:`retry`, audited).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from compliance.choices import DocumentStatus
from compliance.enforcement import permissions  # noqa: F401 (registers the rules asked below)
from compliance.enforcement.documents.gather import document_data
from compliance.models import EnforcementDocument
from portal import audit
from portal.choices import AuditAction
from portal.pdf import jobs
from portal.permissions import require


def may_download(user, document: EnforcementDocument) -> bool:
    """Return whether ``user`` may download ``document``: it is ready and they may see it."""
    if document.status != DocumentStatus.READY or not document.file:
        return False
    return EnforcementDocument.objects.visible_to(user).filter(pk=document.pk).exists()


def claim(document_id: int) -> bool:
    """Move a document from PENDING or FAILED to RENDERING; return whether this call did it."""
    return EnforcementDocument.claim(document_id)


@jobs.renders(EnforcementDocument)
def pdf_of(document: EnforcementDocument) -> bytes:
    """Return the document's PDF (its data gathered, then laid out by WeasyPrint)."""
    # WeasyPrint loads its libraries on import: only where documents render.
    from compliance.enforcement.documents.render import render_pdf

    return render_pdf(document_data(document.pk))


def render(document_id: int) -> str:
    """Render a document and store it; return its status afterwards.

    Does nothing (returns the current status) unless this call claims it, so running it
    twice, or on a READY document, leaves the same state as once.
    """
    return jobs.render(EnforcementDocument, document_id, pdf_of)


def retry(actor, document: EnforcementDocument) -> EnforcementDocument:
    """Have a FAILED document rendered again (administrators; audited).

    A document still PENDING is queued again (harmless: only one worker claims it); a
    READY or RENDERING one is left as it is, since a decision once issued does not change.
    """
    require(actor, "enforcement.retry_document")
    with transaction.atomic():
        current = EnforcementDocument.objects.select_for_update().get(pk=document.pk)
        if current.status not in jobs.CLAIMABLE:
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
                business_id=current.audit_business_id,
            )
        jobs.queue(current)
    return current
