"""What people do to violations and fines: rectify, cancel, evidence, payments.

Every change goes through :func:`transition`, which asks the pure table
(``compliance.rules.lifecycle``) whether it is allowed, locks the row, writes the
``ViolationEvent`` (who, when, why) and the audit entry, in one transaction. The deadline
sweep makes its own transitions in SQL (``compliance.enforcement.services.sweep``) with
the same table. Appeals are :mod:`compliance.enforcement.services.appeals`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.choices import (
    EvidenceStatus,
    FineStatus,
    PaymentStatus,
    ViolationStatus,
)
from compliance.enforcement import permissions  # noqa: F401 (registers the rules asked below)
from compliance.models import (
    EvidenceFile,
    Fine,
    FinePayment,
    RectificationEvidence,
    Violation,
    ViolationEvent,
)
from compliance.rules.lifecycle import Action, IllegalTransition, next_status
from portal import audit, bounds, outbox
from portal.audit import SYSTEM_ACTOR
from portal.choices import AuditAction
from portal.permissions import require
from portal.uploads import check_upload

MAX_EVIDENCE_FILES = 10
CLOSED_TOPIC = "enforcement.violation_closed"


def actor_and_label(actor) -> tuple[object | None, str]:
    """Return the user to record (None for a job) and the label to show for ``actor``."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor, actor.get_username()
    return None, SYSTEM_ACTOR


def require_business_side(actor, row) -> None:
    """Refuse ``actor`` unless they may see ``row`` and act for its business."""
    require(actor, "enforcement.act_for_business", row)


def transition_error(error: IllegalTransition) -> ValidationError:
    """Say in words why the table refused a change."""
    messages = {
        "fined_directly": _(
            "A refused inspection (Art. 17) has nothing to rectify; it closes once its fine "
            "is settled."
        ),
        "fines_outstanding": _("A fine of this violation is still unpaid."),
        "not_rectified": _("The violation is not rectified yet."),
    }
    return ValidationError(
        messages.get(
            error.why,
            _("A violation that is %(status)s cannot be changed that way.")
            % {"status": ViolationStatus(error.state.value).label},
        )
    )


def outstanding_fines(violation: Violation) -> int:
    return Fine.objects.filter(violation=violation).outstanding().count()


def transition(violation: Violation, action: Action, *, actor, reason: str) -> Violation:
    """Apply ``action`` to ``violation`` if the table allows it; record who, when, why.

    Locks the violation; raises ValidationError (with the table's reason) otherwise.
    Call inside a transaction (it opens one if there is none).
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this change.")})
    with transaction.atomic():
        current = Violation.objects.select_for_update().get(pk=violation.pk)
        try:
            target = next_status(
                current.status,
                action,
                fined_directly=current.fined_directly,
                # Only closing depends on the fines: count them only then.
                outstanding_fines=outstanding_fines(current) if action == Action.CLOSE else 0,
            )
        except IllegalTransition as error:
            raise transition_error(error) from error
        user, label = actor_and_label(actor)
        before = audit.snapshot(current, ["status"])
        current.status = target
        current.save(update_fields=["status"])
        ViolationEvent.objects.create(
            violation=current,
            from_status=before["status"],
            to_status=target,
            actor=user,
            actor_label=label,
            reason=reason,
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            changes=audit.diff(before, audit.snapshot(current, ["status"])),
            reason=reason,
            business_id=current.owner_business_id,
        )
        if target == ViolationStatus.CLOSED:
            outbox.add(CLOSED_TOPIC, {"violation": current.pk})
    return current


def close_if_settled(violation: Violation, *, actor, reason: str) -> Violation:
    """Close a rectified (or directly fined) violation once no fine is outstanding."""
    violation.refresh_from_db(fields=["status"])
    try:
        next_status(
            violation.status,
            Action.CLOSE,
            fined_directly=violation.fined_directly,
            outstanding_fines=outstanding_fines(violation),
        )
    except IllegalTransition:
        return violation
    return transition(violation, Action.CLOSE, actor=actor, reason=reason)


def rectify(violation: Violation, *, actor, reason: str) -> Violation:
    """Record that a violation is rectified (no more fines); close it if nothing is owed."""
    with transaction.atomic():
        violation = transition(violation, Action.RECTIFY, actor=actor, reason=reason)
        return close_if_settled(
            violation, actor=actor, reason=_("Rectified and no fine outstanding.")
        )


def cancel(actor, violation: Violation, *, reason: str) -> Violation:
    """An administrator withdraws a violation (e.g. found in error), with the reason."""
    require(actor, "enforcement.cancel")
    return transition(violation, Action.CANCEL, actor=actor, reason=reason)


def rectify_found_compliant(premises, findings, *, actor, source_reference: str) -> list[int]:
    """Rectify the active violations an inspection found compliant again; return their ids.

    A re-inspection (or any later inspection) whose finding for the same article and
    subject is compliant shows the violation rectified (Art. 10-4).
    """
    from compliance import rules

    def key(finding):
        return (finding.article, finding.subject or "")

    # Fixed: every finding of that article and subject compliant, none wrong or unknown.
    fixed = {
        key(f) for f in findings if f.outcome == rules.Outcome.COMPLIANT and f.exemption is None
    } - {key(f) for f in findings if f.outcome != rules.Outcome.COMPLIANT}
    rectified = []
    running = (
        Violation.objects.active()
        .filter(premises=premises)
        .exclude(source_reference=source_reference)
        .order_by("pk")
    )
    for violation in running:
        if violation.fined_directly or (violation.article, violation.subject) not in fixed:
            continue
        rectify(
            violation,
            actor=actor,
            reason=_("Found compliant at %(source)s.") % {"source": source_reference},
        )
        rectified.append(violation.pk)
    return rectified


# --- Rectification evidence ----------------------------------------------------------


def submit_evidence(
    actor, violation: Violation, *, description: str, files: Sequence = ()
) -> RectificationEvidence:
    """A member of the business shows what it did to rectify an active violation."""
    require_business_side(actor, violation)
    errors = {}
    if not description.strip():
        errors["description"] = _("Say what was done to rectify the violation.")
    if len(files) > MAX_EVIDENCE_FILES:
        errors["files"] = _("Attach at most %(count)d files.") % {"count": MAX_EVIDENCE_FILES}
    if errors:
        raise ValidationError(errors)
    checked = [check_upload(upload) for upload in files]
    with transaction.atomic():
        current = Violation.objects.select_for_update().get(pk=violation.pk)
        if not current.is_active or current.fined_directly or current.concerns_supplier:
            raise ValidationError(_("This violation does not take rectification evidence."))
        if current.evidence.filter(status=EvidenceStatus.SUBMITTED).exists():
            raise ValidationError(
                _("Evidence submitted earlier is still being reviewed; wait for the decision.")
            )
        evidence = RectificationEvidence.objects.create(
            violation=current, description=description.strip(), submitted_by=actor
        )
        seen = set()
        for upload in checked:
            if upload.sha256 in seen:
                continue
            seen.add(upload.sha256)
            item = EvidenceFile(
                evidence=evidence,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=len(upload.data),
                sha256=upload.sha256,
            )
            item.file.save(upload.stored_name, upload.as_file(), save=False)
            item.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=evidence,
            changes={"description": [None, evidence.description], "files": [None, len(seen)]},
            reason=_("Rectification evidence submitted"),
            business_id=current.owner_business_id,
        )
        outbox.add("enforcement.evidence_submitted", {"evidence": evidence.pk})
    return evidence


def review_evidence(
    actor, evidence: RectificationEvidence, *, accept: bool, reason: str
) -> RectificationEvidence:
    """An inspector accepts evidence (the violation is rectified) or rejects it with a reason."""
    require(actor, "enforcement.review_evidence")
    if not reason.strip():
        raise ValidationError({"review_reason": _("Give the reason for the decision.")})
    with transaction.atomic():
        current = RectificationEvidence.objects.select_for_update().get(pk=evidence.pk)
        if current.status != EvidenceStatus.SUBMITTED:
            raise ValidationError(_("This evidence has been reviewed already."))
        current.status = EvidenceStatus.ACCEPTED if accept else EvidenceStatus.REJECTED
        current.reviewed_by = actor
        current.reviewed_at = timezone.now()
        current.review_reason = reason.strip()
        current.save()
        audit.record(
            actor=actor,
            action=AuditAction.APPROVE if accept else AuditAction.REJECT,
            instance=current,
            changes={"status": [EvidenceStatus.SUBMITTED, current.status]},
            reason=current.review_reason,
            business_id=current.violation.owner_business_id,
        )
        if accept:
            rectify(
                current.violation,
                actor=actor,
                reason=_("Rectification evidence accepted: %(reason)s")
                % {"reason": current.review_reason},
            )
        outbox.add("enforcement.evidence_reviewed", {"evidence": current.pk})
    return current


# --- Payments -------------------------------------------------------------------------


def report_payment(actor, fine: Fine, *, amount_ntd: int, paid_on, reference: str) -> FinePayment:
    """The business records that it paid a fine; an administrator confirms it later."""
    require_business_side(actor, fine)
    errors = {}
    if amount_ntd is None or amount_ntd < 1:
        errors["amount_ntd"] = _("Enter the amount paid in whole NT$.")
    elif amount_ntd > bounds.INTEGER_MAX:
        errors["amount_ntd"] = _("No fine is that large: check the amount paid.")
    if paid_on is None or paid_on > timezone.localdate():
        errors["paid_on"] = _("The payment date cannot be in the future.")
    elif paid_on < fine.issued_on:
        errors["paid_on"] = _("The payment date is before the fine was issued.")
    if not reference.strip():
        errors["reference"] = _("Enter the receipt or transfer number.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Fine.objects.select_for_update().get(pk=fine.pk)
        if current.status != FineStatus.ISSUED:
            raise ValidationError(_("This fine is not awaiting payment."))
        try:
            with transaction.atomic():
                payment = FinePayment.objects.create(
                    fine=current,
                    amount_ntd=amount_ntd,
                    paid_on=paid_on,
                    reference=reference.strip(),
                    reported_by=actor,
                )
        except IntegrityError:
            raise ValidationError(
                {"reference": _("A payment with this reference is already recorded.")}
            ) from None
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=payment,
            changes=audit.diff({}, audit.snapshot(payment, ["amount_ntd", "paid_on", "reference"])),
            reason=_("Payment reported"),
            business_id=current.violation.owner_business_id,
        )
    return payment


def confirmed_total(fine: Fine) -> int:
    return (
        fine.payments.filter(status=PaymentStatus.CONFIRMED).aggregate(total=Sum("amount_ntd"))[
            "total"
        ]
        or 0
    )


def _settle_if_paid(fine: Fine, actor) -> None:
    """Mark a fine paid once confirmed payments cover what is due; close what that settles."""
    if fine.status == FineStatus.ISSUED and confirmed_total(fine) >= fine.amount_due_ntd:
        before = audit.snapshot(fine, ["status"])
        fine.status = FineStatus.PAID
        fine.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=fine,
            changes=audit.diff(before, audit.snapshot(fine, ["status"])),
            reason=_("Paid in full"),
            business_id=fine.violation.owner_business_id,
        )
        close_if_settled(fine.violation, actor=actor, reason=_("Every fine is settled."))


def decide_payment(actor, payment: FinePayment, *, confirm: bool, reason: str = "") -> FinePayment:
    """An administrator confirms a reported payment (the fine is paid when covered) or not."""
    require(actor, "enforcement.decide_payment")
    if not confirm and not reason.strip():
        raise ValidationError({"decision_reason": _("Say why the payment is not confirmed.")})
    with transaction.atomic():
        current = FinePayment.objects.select_for_update().get(pk=payment.pk)
        if current.status != PaymentStatus.REPORTED:
            raise ValidationError(_("This payment has been decided already."))
        fine = Fine.objects.select_for_update().get(pk=current.fine_id)
        current.status = PaymentStatus.CONFIRMED if confirm else PaymentStatus.REJECTED
        current.record_decision(actor, reason.strip())
        current.save()
        audit.record(
            actor=actor,
            action=AuditAction.APPROVE if confirm else AuditAction.REJECT,
            instance=current,
            changes={"status": [PaymentStatus.REPORTED, current.status]},
            reason=current.decision_reason or _("Payment confirmed"),
            business_id=fine.violation.owner_business_id,
        )
        if confirm:
            _settle_if_paid(fine, actor)
    return current
