"""Builders for enforcement tests: a fined violation with its documents, payment, appeal."""

from __future__ import annotations

import datetime
import hashlib
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from compliance.choices import DocumentKind, DocumentStatus, ViolationStatus
from compliance.enforcement.services import notices, sweep
from compliance.models import (
    Appeal,
    AppealAttachment,
    AppealAttachmentKind,
    EnforcementDocument,
    EvidenceFile,
    Fine,
    FinePayment,
    RectificationEvidence,
)
from tests.deciding import decide_and_serve, official
from tests.factories import make_violation
from tests.uploads import PDF
from tests.verifying import verify_missed

FOUND = datetime.date(2026, 11, 2)
# Art. 5-5: 14 days to rectify.
DEADLINE = FOUND + datetime.timedelta(days=14)
FINED_ON = DEADLINE + datetime.timedelta(days=1)
_serial = itertools.count(900_001)


def fined_violation(premises, *, article: str = "5-5", on: datetime.date = FINED_ON):
    """Return (violation, fine): a violation whose first deadline is fined and served.

    Its non-rectification is verified by a re-inspection the day after the deadline; the
    sweep of ``on`` proposes the fine, an official approves it and it is served that day.
    """
    violation = make_violation(premises, article, found_on=FOUND)
    verify_missed(violation, min(on, violation.deadline + datetime.timedelta(days=1)))
    sweep.sweep(on)
    decide_and_serve(on)
    violation.refresh_from_db()
    return violation, Fine.objects.get(violation=violation, step=1)


def served_fine(
    premises,
    *,
    article: str = "5-5",
    step: int = 1,
    served_on: datetime.date = FINED_ON,
    decided_by=None,
    violation_status: str = ViolationStatus.FINED,
):
    """Return (violation, fine): a penalty decision issued and served, built with the ORM.

    No sweep and no approval run: the fine of ``step`` (the initial rule book's amount) is
    issued on ``served_on`` by ``decided_by`` (an official, made if not given), served that
    day by registered mail, so the appeal runs 30 days from the day after (APA Art. 48
    roll-over aside) and the new deadline 7 days; the violation is ``violation_status``.
    """
    from compliance import rules
    from compliance.choices import FineStatus, ServiceMethod

    violation = make_violation(premises, article, found_on=FOUND)
    schedule = list(rules.initial_parameters().penalty_schedule_for(violation.penalty_article))
    amount = schedule[min(step, len(schedule)) - 1]
    deadline = served_on + datetime.timedelta(days=7)
    fine = Fine.objects.create(
        violation=violation,
        step=step,
        penalty_article=violation.penalty_article,
        amount_ntd=amount,
        amount_due_ntd=amount,
        missed_deadline=violation.deadline,
        offence_on=violation.deadline + datetime.timedelta(days=1),
        proposed_on=served_on,
        issued_on=served_on,
        rectify_within_days=7,
        new_deadline=deadline,
        appeal_until=served_on + datetime.timedelta(days=30),
        served_on=served_on,
        service_method=ServiceMethod.REGISTERED_MAIL,
        rulebook_version=violation.rulebook_version,
        schedule=schedule,
        status=FineStatus.ISSUED,
        document_number=f"TPE-EC-P-{served_on:%Y}-{next(_serial):07d}",
        decided_by=decided_by or official(),
        decided_at=timezone.now(),
        actor_label="deadline-sweep",
    )
    violation.status = violation_status
    violation.fines_issued = step
    violation.deadline = deadline
    violation.save(update_fields=["status", "fines_issued", "deadline"])
    return violation, fine


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
    appeal = Appeal.objects.create(
        fine=fine,
        grounds="The thermostat was set.",
        filed_by=owner,
        received_on=FINED_ON,
        forward_by=FINED_ON + datetime.timedelta(days=20),
    )
    appeal_attachment = AppealAttachment(
        appeal=appeal,
        kind=AppealAttachmentKind.APPELLANT,
        original_name="grounds.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        uploaded_by=owner,
    )
    appeal_attachment.file.save("matrix-appeal.pdf", ContentFile(PDF), save=False)
    appeal_attachment.save()
    notice = ready_document(violation)
    decision = ready_document(violation, DocumentKind.PENALTY_DECISION, fine)
    return {
        "violation": violation.pk,
        "fine": fine.pk,
        "evidence": evidence.pk,
        "evidence_file": evidence_file.pk,
        "payment": payment.pk,
        "appeal": appeal.pk,
        "appeal_attachment": appeal_attachment.pk,
        "notice": notice.pk,
        "decision": decision.pk,
        "document": decision.pk,
        "decision_code": decision.verification_code,
    }


__all__ = [
    "EnforcementDocument",
    "fined_violation",
    "matrix_objects",
    "ready_document",
    "served_fine",
]
