"""Builders for enforcement tests: a fined violation with its documents, payment, appeal."""

from __future__ import annotations

import datetime
import hashlib

from django.core.files.base import ContentFile

from compliance.choices import DocumentKind, DocumentStatus
from compliance.enforcement.services import notices, sweep
from compliance.models import (
    Appeal,
    EnforcementDocument,
    EvidenceFile,
    Fine,
    FinePayment,
    RectificationEvidence,
)
from tests.factories import make_violation
from tests.verifying import verify_missed

FOUND = datetime.date(2026, 11, 2)
# Art. 5-5: 14 days to rectify.
DEADLINE = FOUND + datetime.timedelta(days=14)
FINED_ON = DEADLINE + datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fined_violation(premises, *, article: str = "5-5", on: datetime.date = FINED_ON):
    """Return (violation, fine): a violation whose first deadline the sweep has fined.

    Its non-rectification is verified by a re-inspection the day after the deadline.
    """
    violation = make_violation(premises, article, found_on=FOUND)
    verify_missed(violation, min(on, violation.deadline + datetime.timedelta(days=1)))
    sweep.sweep(on)
    violation.refresh_from_db()
    return violation, Fine.objects.get(violation=violation, step=1)


def ready_document(violation, kind=DocumentKind.RECTIFICATION_NOTICE, fine=None):
    """Return a document row marked ready with a small PDF (no rendering)."""
    document = notices.request_document(kind, violation, fine=fine)
    document.file.save(f"{document.document_number}.pdf", ContentFile(PDF), save=False)
    document.status = DocumentStatus.READY
    document.sha256 = hashlib.sha256(PDF).hexdigest()
    document.save()
    return document


def matrix_objects(premises, owner) -> dict[str, int | str]:
    """The enforcement rows of the permission matrix, owned by ``premises``' business."""
    violation, fine = fined_violation(premises)
    evidence = RectificationEvidence.objects.create(
        violation=violation, description="Thermostat set to 26 °C.", submitted_by=owner
    )
    evidence_file = EvidenceFile(
        evidence=evidence,
        original_name="receipt.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    evidence_file.file.save("matrix-evidence.pdf", ContentFile(PDF), save=False)
    evidence_file.save()
    payment = FinePayment.objects.create(
        fine=fine,
        amount_ntd=fine.amount_ntd,
        paid_on=FINED_ON,
        reference="RCPT-MATRIX",
        reported_by=owner,
    )
    appeal = Appeal.objects.create(fine=fine, grounds="The thermostat was set.", filed_by=owner)
    notice = ready_document(violation)
    decision = ready_document(violation, DocumentKind.PENALTY_DECISION, fine)
    return {
        "violation": violation.pk,
        "fine": fine.pk,
        "evidence": evidence.pk,
        "evidence_file": evidence_file.pk,
        "payment": payment.pk,
        "appeal": appeal.pk,
        "notice": notice.pk,
        "decision": decision.pk,
        "document": decision.pk,
        "decision_code": decision.verification_code,
    }


__all__ = ["EnforcementDocument", "fined_violation", "matrix_objects", "ready_document"]
