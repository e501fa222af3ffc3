"""The job of a rendered document: queued after commit, rendered once, stored or failed.

Every rendered document (:class:`portal.models.documents.RenderedDocument`) goes the
same way. The service that requests it writes the row and, in the same transaction,
an outbox message (:func:`queue`; :func:`request` does both, once per document), so the
request and its rendering commit together; the message's handler, registered with
:func:`renders`, runs :func:`render` on the "reports" queue. :data:`RENDER_TASK`
delivers that queue one message per run under a rendering's time limits
(:data:`SOFT_TIME_LIMIT`, :data:`TIME_LIMIT`), so a stuck rendering never holds the
worker. :func:`render` claims the row (a conditional UPDATE: of two workers only one
renders), asks the document's producer for the PDF bytes and signs them where a
certificate is configured (:mod:`portal.pdf.signing`), then stores the file under a
random name with the SHA-256 of the stored (signed) bytes and marks the row READY, or
marks it FAILED with the reason in the row's language; each step is audited with the
document's business.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal import audit, outbox
from portal.choices import AuditAction, RenderStatus
from portal.models.documents import CLAIMABLE, RenderedDocument
from portal.pdf import signing

PENDING, RENDERING, READY, FAILED = RenderStatus.values
# Errors worth another try (the database went away): raised again for the job to retry.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
QUEUE = "reports"
# A rendering's time limits (seconds): the soft one marks the document FAILED with the
# reason, the hard one ends a rendering that ignores it (a stuck WeasyPrint).
SOFT_TIME_LIMIT = 60
TIME_LIMIT = 90
# The task delivering the queue's messages, one per run (named: tasks import this module).
RENDER_TASK = "portal.tasks.deliver_renders"

__all__ = [
    "CLAIMABLE",
    "RENDER_TASK",
    "SOFT_TIME_LIMIT",
    "TIME_LIMIT",
    "TRANSIENT_ERRORS",
    "queue",
    "render",
    "renders",
    "request",
]

logger = logging.getLogger(__name__)

outbox.delivered_by(QUEUE, RENDER_TASK)

Producer = Callable[[RenderedDocument], bytes]
Document = TypeVar("Document", bound=RenderedDocument)


def queue(document: RenderedDocument) -> None:
    """Have ``document`` rendered once the current transaction commits (an outbox message)."""
    outbox.add(document.render_topic, {document.render_key: document.pk})


def request(
    model: type[Document], lookup: Mapping[str, Any], defaults: Mapping[str, Any] | None = None
) -> Document:
    """Return the document of ``model`` that ``lookup`` names, creating and queueing it if new.

    ``lookup`` is what makes the document unique (a unique constraint of ``model``, e.g.
    its application and language); ``defaults`` are the other fields of a new one, a
    callable value being called only when the document is created. Asking again returns
    the same row; a document created meanwhile by a concurrent request (the constraint
    refuses the second row) is returned instead of a new one.
    """
    existing = model.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            values = {
                name: value() if callable(value) else value
                for name, value in (defaults or {}).items()
            }
            document = model.objects.create(**lookup, **values)
            queue(document)
    except IntegrityError:
        return model.objects.get(**lookup)
    return document


def renders(model: type[RenderedDocument]) -> Callable[[Producer], Producer]:
    """Register the decorated function as the producer of ``model``'s PDF bytes.

    Also registers the handler of ``model.render_topic``, which renders the document
    named by the message (if it still exists) on the "reports" queue.
    """

    def register(produce: Producer) -> Producer:
        def deliver(payload: dict) -> None:
            pk = payload[model.render_key]
            if model.objects.filter(pk=pk).exists():
                render(model, pk, produce)

        outbox.handler(model.render_topic, queue=QUEUE)(deliver)
        return produce

    return register


def render(model: type[RenderedDocument], pk: int, produce: Producer) -> str:
    """Render document ``pk`` of ``model`` and store it; return its status afterwards.

    Does nothing (returns the current status) unless this call claims it, so running it
    twice, or on a READY document, leaves the same state as once. The PDF is signed
    before it is stored (:func:`portal.pdf.signing.sign`). A rendering or signing error
    marks it FAILED with the reason; a transient database error does too and is raised
    again, for the task to retry.
    """
    if not model.claim(pk):
        return model.status_of(pk)
    document = model.objects.select_related(*model.render_related).get(pk=pk)
    try:
        pdf = signing.sign(produce(document))
    except TRANSIENT_ERRORS as exc:
        fail(document, exc)
        raise
    except SoftTimeLimitExceeded as exc:
        return fail(document, exc)
    except Exception as exc:
        logger.exception("Rendering %s %s failed.", model._meta.verbose_name, document)
        return fail(document, exc)
    return store(document, pdf)


def failure_reason(document: RenderedDocument, exc: BaseException) -> str:
    """Return what went wrong, in the document's language, for whoever retries it."""
    with translation.override(document.language):
        if isinstance(exc, SoftTimeLimitExceeded):
            return _("Rendering took too long and was stopped. Try again later.")
        if isinstance(exc, TRANSIENT_ERRORS):
            return _("The database could not be reached while rendering; it is tried again.")
        detail = str(exc).strip() or type(exc).__name__
        return _("The PDF could not be rendered: %(detail)s") % {"detail": detail[:500]}


def fail(document: RenderedDocument, exc: BaseException) -> str:
    """Mark a claimed document FAILED with the reason (unless released meanwhile)."""
    reason = failure_reason(document, exc)
    with transaction.atomic():
        if document.mark_failed(reason):
            audit.record(
                actor=None,
                action=AuditAction.UPDATE,
                instance=document,
                changes={"status": [RENDERING, FAILED]},
                reason=reason,
                business_id=document.audit_business_id,
            )
    return FAILED


def store(document: RenderedDocument, pdf: bytes) -> str:
    """Save the PDF under a random name and mark the document READY (or drop the file)."""
    previous = document.file.name
    document.file.save(document.new_file_name(), ContentFile(pdf), save=False)
    stored = document.file.name
    with transaction.atomic():
        if not document.mark_ready(stored, hashlib.sha256(pdf).hexdigest()):
            # Released meanwhile (someone else renders it now): keep theirs, drop ours.
            transaction.on_commit(lambda: document.file.storage.delete(stored))
            return type(document).status_of(document.pk)
        changes = {"status": [RENDERING, READY]}
        if previous:
            changes["file"] = [previous, stored]
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            instance=document,
            changes=changes,
            business_id=document.audit_business_id,
        )
        if previous and previous != stored:
            transaction.on_commit(lambda: document.file.storage.delete(previous))
    return READY
