"""Enforcement documents: a rectification notice per violation, a penalty decision per fine.

A document is a long job with a status row (``EnforcementDocument``): requested with its
number in the transaction that causes it (through the outbox), rendered by a worker on
the "reports" queue after a conditional UPDATE from PENDING/FAILED to RENDERING that hits
exactly one row, so two workers never both render it.
"""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from compliance.choices import DocumentKind
from compliance.models import EnforcementDocument, Fine, Violation
from portal.pdf import jobs, numbers

DEFAULT_LANGUAGE = "zh-hant"
NOTICE_KIND = "N"  # after the City's prefix: TPE-EC-N-2026-0000123
RENDER_TOPIC = EnforcementDocument.render_topic


def document_number(document: EnforcementDocument) -> str:
    """A decision carries its fine's number; a notice its own, e.g. TPE-EC-N-2026-0000123.

    A notice's number begins with the City's prefix in force when it is allocated. The
    English copy is a translation of the same document: it carries the same number (and
    says it is a translation); the Chinese original prevails.
    """
    if document.kind == DocumentKind.PENALTY_DECISION:
        return document.fine.document_number
    copies = EnforcementDocument.objects.filter(
        kind=document.kind, violation_id=document.violation_id
    )
    original = numbers.original_number(document.language, copies, "document_number")
    year = document.violation.found_on.year
    return original or numbers.new_number(NOTICE_KIND, year, document.violation_id)


def request_document(
    kind: str, violation: Violation, *, fine: Fine | None = None, language: str = DEFAULT_LANGUAGE
) -> EnforcementDocument:
    """Return the document of ``kind`` for the violation (or fine), creating it if new.

    Idempotent: the unique constraints keep one notice per violation and one decision per
    fine and language; the rendering is queued through the outbox in the same transaction.
    """
    lookup = {"kind": kind, "violation": violation, "language": language}
    if kind == DocumentKind.PENALTY_DECISION:
        lookup["fine"] = fine
    existing = EnforcementDocument.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            document = EnforcementDocument(
                **lookup, document_number=f"pending-{secrets.token_hex(16)}"
            )
            document.document_number = document_number(document)
            document.save()
            jobs.queue(document)
    except IntegrityError:
        return EnforcementDocument.objects.get(**lookup)
    return document
