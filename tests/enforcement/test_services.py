"""What people do to violations and fines: evidence, payments, cancellation.

Appeals: tests/enforcement/test_appeals.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from compliance.choices import (
    EvidenceStatus,
    FineStatus,
    PaymentStatus,
    ViolationStatus,
)
from compliance.enforcement.services import sweep, violations
from compliance.models import EvidenceFile, Fine, ViolationEvent
from portal.models import AuditEntry
from tests.enforcement.builders import FINED_ON, FOUND, fined_violation
from tests.factories import make_violation
from tests.uploads import PDF, PNG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_and_today(settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = tmp_path
    # A week after the first fine: within its appeal period, before its new deadline.
    time_machine.move_to("2026-11-24 10:00 +0800")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def evidence_for(owner, violation, *files):
    return violations.submit_evidence(
        owner, violation, description="Thermostats set to 26 °C.", files=list(files)
    )


def events_of(violation):
    return list(ViolationEvent.objects.filter(violation=violation).order_by("at", "id"))


def audit_of(instance):
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    ).order_by("timestamp", "id")


# --- Evidence ------------------------------------------------------------------------


def test_evidence_files_are_typed_by_their_content_not_their_name(owner, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    evidence = evidence_for(
        owner,
        violation,
        upload("thermostat.jpg", PNG, "image/jpeg"),
        upload("receipt", PDF),
    )
    files = {item.original_name: item for item in EvidenceFile.objects.filter(evidence=evidence)}
    assert files["thermostat.jpg"].content_type == "image/png"
    assert files["thermostat.jpg"].file.name.endswith(".png")
    assert files["receipt"].content_type == "application/pdf"
    assert files["receipt"].file.read() == PDF
    assert evidence.status == EvidenceStatus.SUBMITTED
    entry = audit_of(evidence).get()
    assert entry.actor == owner


def test_a_file_that_is_not_an_image_or_pdf_is_refused_and_nothing_is_kept(owner, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    with pytest.raises(ValidationError) as refused:
        evidence_for(owner, violation, upload("photo.png", b"MZ\x90\x00 not a picture"))
    assert "photo.png is not a JPEG, PNG or PDF file." in refused.value.message_dict["files"]
    assert not violation.evidence.exists()


def test_more_files_than_allowed_are_refused(owner, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    files = [
        upload(f"p{n}.png", PNG + bytes([n])) for n in range(violations.MAX_EVIDENCE_FILES + 1)
    ]
    with pytest.raises(ValidationError) as refused:
        evidence_for(owner, violation, *files)
    assert "files" in refused.value.message_dict
    assert not violation.evidence.exists()


def test_another_business_cannot_submit_evidence(other_owner, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    with pytest.raises(PermissionDenied):
        evidence_for(other_owner, violation, upload("p.png", PNG))


def test_an_art_17_refusal_takes_no_evidence(owner, premises):
    violation = make_violation(premises, "10-1", found_on=FOUND)
    with pytest.raises(ValidationError):
        evidence_for(owner, violation, upload("p.png", PNG))


def test_accepting_evidence_rectifies_and_closes_a_violation_with_nothing_owed(
    owner, inspector, premises
):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    evidence = evidence_for(owner, violation, upload("p.png", PNG))
    violations.review_evidence(inspector, evidence, accept=True, reason="Photo shows 26 °C.")
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.CLOSED
    rectified, closed = events_of(violation)[-2:]
    assert (rectified.to_status, rectified.actor) == (ViolationStatus.RECTIFIED, inspector)
    assert "Photo shows 26 °C." in rectified.reason
    assert (closed.to_status, closed.actor) == (ViolationStatus.CLOSED, inspector)
    evidence.refresh_from_db()
    assert evidence.reviewed_by == inspector
    assert audit_of(evidence).last().reason == "Photo shows 26 °C."


def test_accepting_evidence_leaves_a_violation_rectified_while_a_fine_is_unpaid(
    owner, inspector, premises
):
    violation, fine = fined_violation(premises)
    evidence = evidence_for(owner, violation, upload("p.png", PNG))
    violations.review_evidence(inspector, evidence, accept=True, reason="Fixed.")
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.RECTIFIED
    assert Fine.objects.get(pk=fine.pk).status == FineStatus.ISSUED
    # No further fine once rectified, whatever the sweep finds later.
    sweep.sweep(violation.deadline + datetime.timedelta(days=1))
    assert Fine.objects.filter(violation=violation).count() == 1


def test_rejected_evidence_keeps_the_violation_open_and_may_be_sent_again(
    owner, inspector, premises
):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    evidence = evidence_for(owner, violation, upload("p.png", PNG))
    with pytest.raises(ValidationError):
        evidence_for(owner, violation, upload("q.png", PNG + b"q"))  # still under review
    violations.review_evidence(inspector, evidence, accept=False, reason="Photo is blurred.")
    evidence.refresh_from_db()
    assert (evidence.status, evidence.review_reason) == (
        EvidenceStatus.REJECTED,
        "Photo is blurred.",
    )
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.OPEN
    assert evidence_for(owner, violation, upload("q.png", PNG + b"q")).pk != evidence.pk


def test_a_review_needs_a_reviewer_and_a_reason(owner, inspector, premises):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    evidence = evidence_for(owner, violation, upload("p.png", PNG))
    with pytest.raises(PermissionDenied):
        violations.review_evidence(owner, evidence, accept=True, reason="Mine is fine.")
    with pytest.raises(ValidationError) as refused:
        violations.review_evidence(inspector, evidence, accept=True, reason="  ")
    assert "review_reason" in refused.value.message_dict
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.SUBMITTED


# --- Payments ------------------------------------------------------------------------


def report(owner, fine, amount=None, reference="RCPT-1", paid_on=FINED_ON):
    return violations.report_payment(
        owner,
        fine,
        amount_ntd=fine.amount_due_ntd if amount is None else amount,
        paid_on=paid_on,
        reference=reference,
    )


def test_a_confirmed_payment_pays_the_fine_and_closes_a_rectified_violation(
    owner, inspector, administrator, premises
):
    violation, fine = fined_violation(premises)
    evidence = evidence_for(owner, violation, upload("p.png", PNG))
    violations.review_evidence(inspector, evidence, accept=True, reason="Fixed.")
    payment = report(owner, fine)
    assert payment.status == PaymentStatus.REPORTED
    assert Fine.objects.get(pk=fine.pk).status == FineStatus.ISSUED
    violations.decide_payment(administrator, payment, confirm=True)
    fine.refresh_from_db()
    violation.refresh_from_db()
    assert fine.status == FineStatus.PAID
    assert violation.status == ViolationStatus.CLOSED
    closing = events_of(violation)[-1]
    assert (closing.to_status, closing.actor) == (ViolationStatus.CLOSED, administrator)
    assert audit_of(fine).last().actor == administrator


def test_a_partial_payment_leaves_the_fine_unpaid(owner, administrator, premises):
    _violation, fine = fined_violation(premises)
    payment = report(owner, fine, amount=fine.amount_due_ntd - 1)
    violations.decide_payment(administrator, payment, confirm=True)
    fine.refresh_from_db()
    assert fine.status == FineStatus.ISSUED


def test_a_payment_dated_in_the_future_or_before_the_fine_is_refused(owner, premises):
    _violation, fine = fined_violation(premises)
    for paid_on in (datetime.date(2026, 11, 25), FINED_ON - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            report(owner, fine, paid_on=paid_on)
        assert "paid_on" in refused.value.message_dict


def test_rejecting_a_payment_needs_a_reason_and_only_an_administrator_decides(
    owner, inspector, administrator, premises
):
    _violation, fine = fined_violation(premises)
    payment = report(owner, fine)
    with pytest.raises(PermissionDenied):
        violations.decide_payment(inspector, payment, confirm=True)
    with pytest.raises(ValidationError) as refused:
        violations.decide_payment(administrator, payment, confirm=False, reason="")
    assert "decision_reason" in refused.value.message_dict
    violations.decide_payment(administrator, payment, confirm=False, reason="No such transfer.")
    payment.refresh_from_db()
    assert (payment.status, payment.decided_by) == (PaymentStatus.REJECTED, administrator)
    assert audit_of(payment).last().reason == "No such transfer."


# --- Cancellation --------------------------------------------------------------------


def test_cancelling_needs_an_administrator_and_a_reason_and_is_recorded(
    inspector, administrator, premises
):
    violation = make_violation(premises, "5-5", found_on=FOUND)
    with pytest.raises(PermissionDenied):
        violations.cancel(inspector, violation, reason="Not mine to cancel.")
    with pytest.raises(ValidationError):
        violations.cancel(administrator, violation, reason=" ")
    violations.cancel(administrator, violation, reason="Found in error.")
    violation.refresh_from_db()
    assert violation.status == ViolationStatus.CANCELLED
    event = events_of(violation)[-1]
    assert (event.actor, event.actor_label, event.reason) == (
        administrator,
        administrator.username,
        "Found in error.",
    )
    assert audit_of(violation).last().reason == "Found in error."
