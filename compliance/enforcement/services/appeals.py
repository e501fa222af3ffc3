"""Appeals (訴願) against penalty decisions, filed through the Department (AAA Arts. 14, 58, 93).

The appeal lies to the City Government (AAA Art. 4) but is filed through the Department,
which decided the fine:

* the business files it online with its grounds and files, within the appeal period
  that started when the decision was served (30 days, AAA Art. 14); it counts as filed
  on the day the Department received it (``received_on``), and is to be forwarded by
  ``forward_by`` (a City setting);
* the Department reviews it first (AAA Art. 58(2)): it may revoke or amend its own
  decision (reported to the appeal body), or it forwards the appeal with its reply
  (答辯書), copied to the appellant;
* staff record the appeal body's decision on a forwarded appeal with its document:
  dismissed (the fine stands), revoked in whole or in part (what is owed follows), or
  sent back for a new decision (the revoked decision gives its step to a new proposal an
  official decides again, ``proposals.repropose``);
* an appeal does not stop payment being due (AAA Art. 93) unless a suspension is
  recorded; it is lifted explicitly (AAA Art. 94).

Each function checks the state under ``select_for_update`` in one transaction, refuses
with a ``ValidationError`` naming the field, writes audit entries (who, before, after)
and queues its e-mail in the outbox.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.choices import (
    APPEAL_BODY_OUTCOMES,
    DEPARTMENT_OUTCOMES,
    AppealStatus,
    FineStatus,
)
from compliance.enforcement import permissions  # noqa: F401 (registers the rules asked below)
from compliance.enforcement.services import proposals
from compliance.enforcement.services.violations import (
    _settle_if_paid,
    close_if_settled,
    require_business_side,
)
from compliance.models import Appeal, AppealAttachment, AppealAttachmentKind, Fine
from compliance.rules import STATUTORY_FINE_RANGE_NTD
from portal import audit, outbox
from portal.choices import AuditAction
from portal.models import CitySettings
from portal.permissions import require
from portal.uploads import CheckedUpload, check_upload

MAX_APPEAL_FILES = 10
BODY_NUMBER_MAX_CHARS = 60
FILED_TOPIC = "enforcement.appeal_filed"
FORWARDED_TOPIC = "enforcement.appeal_forwarded"
DECIDED_TOPIC = "enforcement.appeal_decided"
# An appeal still pending: under the Department's review or with the appeal body.
PENDING = (AppealStatus.FILED, AppealStatus.FORWARDED)
FINE_FIELDS = ["status", "amount_due_ntd"]
REVIEW_FIELDS = ["status", "amended_amount_ntd", "reported_to_body_on", "decision_reason"]
FORWARD_FIELDS = ["status", "reply", "forwarded_on", "forwarded_by"]
BODY_FIELDS = [
    "status",
    "body_decision_number",
    "body_decided_on",
    "body_reason",
    "amended_amount_ntd",
]
SUSPENSION_FIELDS = ["payment_suspended_on", "suspension_reason"]


# --- Shared checks -----------------------------------------------------------------------


def _checked_files(files: Sequence, *, required: str | None = None) -> list[CheckedUpload]:
    """Return the uploads judged by content (JPEG, PNG, PDF), at most MAX_APPEAL_FILES.

    ``required``: the message when none is given (the file is needed).
    """
    if required and not files:
        raise ValidationError({"files": required})
    if len(files) > MAX_APPEAL_FILES:
        raise ValidationError(
            {"files": _("Attach at most %(count)d files.") % {"count": MAX_APPEAL_FILES}}
        )
    return [check_upload(upload, field="files") for upload in files]


def _attach(appeal: Appeal, checked: Sequence[CheckedUpload], *, kind: str, actor) -> int:
    """Store the checked uploads as ``kind`` attachments of ``appeal``; return how many.

    The same file twice is kept once. Stored under a name made from its hash; the name it
    came with is kept for display and download only.
    """
    seen: set[str] = set()
    for upload in checked:
        if upload.sha256 in seen:
            continue
        seen.add(upload.sha256)
        item = AppealAttachment(
            appeal=appeal,
            kind=kind,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=len(upload.data),
            sha256=upload.sha256,
            uploaded_by=actor,
        )
        item.file.save(upload.stored_name, upload.as_file(), save=False)
        item.save()
    return len(seen)


def _reason(text: str, field: str, message: str) -> str:
    """Return ``text`` stripped; refuse it empty under ``field``."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _check_remaining_amount(fine: Fine, amount: int | None) -> int:
    """Return ``amount`` if it is within the article's range and below the amount decided."""
    low, high = STATUTORY_FINE_RANGE_NTD[fine.penalty_article]
    if amount is None or not (low <= amount <= min(high, fine.amount_ntd - 1)):
        raise ValidationError(
            {
                "amended_amount_ntd": _(
                    "Enter an amount from NT$%(low)s up to less than the NT$%(amount)s "
                    "decided (Art. %(article)s allows NT$%(low)s-%(high)s)."
                )
                % {
                    "low": f"{low:,}",
                    "high": f"{high:,}",
                    "amount": f"{fine.amount_ntd:,}",
                    "article": fine.penalty_article,
                }
            }
        )
    return amount


def _locked(appeal: Appeal) -> tuple[Appeal, Fine]:
    """Lock the appeal and its fine (in this order) and return both."""
    current = Appeal.objects.select_for_update().get(pk=appeal.pk)
    fine = Fine.objects.select_for_update().get(pk=current.fine_id)
    current.fine = fine
    return current, fine


def _record(actor, instance, before: dict, fields: list[str], *, reason: str, business_id: int):
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=instance,
        changes=audit.diff(before, audit.snapshot(instance, fields)),
        reason=reason,
        business_id=business_id,
    )


def _revoke(fine: Fine) -> None:
    """Nothing is owed for a revoked decision (whatever was paid is for the City to refund)."""
    fine.status = FineStatus.REVOKED
    fine.amount_due_ntd = 0
    fine.save(update_fields=FINE_FIELDS)


def _reduce(fine: Fine, amount: int) -> None:
    """What is owed becomes ``amount`` (the decided amount stays on record)."""
    fine.amount_due_ntd = amount
    fine.save(update_fields=FINE_FIELDS)


# --- The business files -------------------------------------------------------------------


def appealable(fine: Fine, today: datetime.date) -> None:
    """Refuse with the reason unless ``fine`` is a served decision within its appeal period."""
    if fine.status == FineStatus.REVOKED:
        raise ValidationError(_("This decision has been revoked: there is nothing to appeal."))
    if not fine.is_decision or fine.served_on is None or fine.appeal_until is None:
        raise ValidationError(
            _(
                "The decision has not been served yet: it can be appealed once it is served, "
                "within 30 days from the day after service."
            )
        )
    if today > fine.appeal_until:
        raise ValidationError(
            _("The appeal period ended on %(day)s.") % {"day": fine.appeal_until.isoformat()}
        )


def file_appeal(actor, fine: Fine, *, grounds: str, files: Sequence = ()) -> Appeal:
    """The business appeals a served decision within its period, once, with its files.

    It counts as filed on the day the Department receives it (today, Asia/Taipei; AAA
    Art. 14) and is to be forwarded within the City's number of days. A file that is not
    a JPEG, PNG or PDF saves nothing.
    """
    require_business_side(actor, fine)
    grounds = _reason(grounds, "grounds", _("State the grounds of the appeal."))
    checked = _checked_files(files)
    today = timezone.localdate()
    with transaction.atomic():
        current = Fine.objects.select_for_update().get(pk=fine.pk)
        appealable(current, today)
        if Appeal.objects.filter(fine=current).exists():
            raise ValidationError(_("This decision has been appealed already."))
        forward_days = CitySettings.current().appeal_forward_days
        appeal = Appeal(
            fine=current,
            grounds=grounds,
            filed_by=actor,
            received_on=today,
            forward_by=today + datetime.timedelta(days=forward_days),
        )
        appeal.full_clean(exclude=["fine"])
        appeal.save()
        attached = _attach(appeal, checked, kind=AppealAttachmentKind.APPELLANT, actor=actor)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            instance=appeal,
            changes={
                "grounds": [None, appeal.grounds],
                "received_on": [None, appeal.received_on.isoformat()],
                "forward_by": [None, appeal.forward_by.isoformat()],
                "files": [None, attached],
            },
            reason=_("Appeal filed"),
            business_id=current.violation.owner_business_id,
        )
        outbox.add(FILED_TOPIC, {"appeal": appeal.pk})
    return appeal


# --- The Department's own review (AAA Art. 58(2)) ----------------------------------------


def review_appeal(
    actor,
    appeal: Appeal,
    *,
    outcome: str,
    reason: str,
    amended_amount_ntd: int | None = None,
) -> Appeal:
    """The Department revokes or amends its own decision on review, reported to the appeal body.

    Revoked: nothing is owed and the case closes if nothing else is (a rectified one).
    Amended: a lower amount within the article's statutory range becomes what is owed,
    settled at once if payments already cover it.
    """
    require(actor, "enforcement.decide_appeal")
    if outcome not in DEPARTMENT_OUTCOMES:
        raise ValidationError(
            {"outcome": _("Choose to revoke or to amend the decision (or forward the appeal).")}
        )
    reason = _reason(reason, "decision_reason", _("Give the reasons for the decision."))
    with transaction.atomic():
        current, fine = _locked(appeal)
        if current.status != AppealStatus.FILED:
            raise ValidationError(
                _("The Department's review of this appeal is over (%(status)s).")
                % {"status": current.get_status_display()}
            )
        amount = None
        if outcome == AppealStatus.DEPARTMENT_AMENDED:
            amount = _check_remaining_amount(fine, amended_amount_ntd)
        business_id = fine.violation.owner_business_id
        before = audit.snapshot(current, REVIEW_FIELDS)
        fine_before = audit.snapshot(fine, FINE_FIELDS)
        current.status = outcome
        current.amended_amount_ntd = amount
        current.reported_to_body_on = timezone.localdate()
        fields = current.record_decision(actor, reason)
        current.save(update_fields=[*REVIEW_FIELDS, *fields])
        _record(actor, current, before, REVIEW_FIELDS, reason=reason, business_id=business_id)
        if amount is None:
            _revoke(fine)
        else:
            _reduce(fine, amount)
        _record(
            actor,
            fine,
            fine_before,
            FINE_FIELDS,
            reason=_("Appeal reviewed by the Department: %(outcome)s")
            % {"outcome": current.get_status_display()},
            business_id=business_id,
        )
        if amount is None:
            close_if_settled(fine.violation, actor=actor, reason=_("Every fine is settled."))
        else:
            _settle_if_paid(fine, actor)
        outbox.add(DECIDED_TOPIC, {"appeal": current.pk})
    return current


def forward_appeal(actor, appeal: Appeal, *, reply: str, files: Sequence = ()) -> Appeal:
    """The Department forwards the appeal with its reply (答辯書) to the appeal body.

    The reply (and its files) is copied to the appellant: e-mailed and shown on the case.
    """
    require(actor, "enforcement.decide_appeal")
    reply = _reason(reply, "reply", _("Write the Department's reply (答辯書) to the appeal."))
    checked = _checked_files(files)
    with transaction.atomic():
        current, fine = _locked(appeal)
        if current.status != AppealStatus.FILED:
            raise ValidationError(
                _(
                    "Only an appeal under the Department's review is forwarded (this one is "
                    "%(status)s)."
                )
                % {"status": current.get_status_display()}
            )
        before = audit.snapshot(current, FORWARD_FIELDS)
        current.status = AppealStatus.FORWARDED
        current.reply = reply
        current.forwarded_on = timezone.localdate()
        current.forwarded_by = actor
        current.save(update_fields=FORWARD_FIELDS)
        attached = _attach(current, checked, kind=AppealAttachmentKind.REPLY, actor=actor)
        changes = audit.diff(before, audit.snapshot(current, FORWARD_FIELDS))
        if attached:
            changes["reply_files"] = [None, attached]
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            changes=changes,
            reason=_("Appeal forwarded to the appeal body with the Department's reply"),
            business_id=fine.violation.owner_business_id,
        )
        outbox.add(FORWARDED_TOPIC, {"appeal": current.pk})
    return current


# --- The appeal body's decision -------------------------------------------------------------


def record_appeal_decision(
    actor,
    appeal: Appeal,
    *,
    outcome: str,
    decided_on: datetime.date | None,
    number: str,
    reason: str,
    amended_amount_ntd: int | None = None,
    files: Sequence = (),
) -> Appeal:
    """Staff record the appeal body's decision on a forwarded appeal, with its document.

    Dismissed: the fine stands (and stays due). Revoked: nothing is owed, the case closes
    if nothing else is. Revoked in part: the remaining amount (within the article's range,
    below the amount decided) is owed, settled if payments cover it. Sent back: the
    decision is revoked and a new proposal of the same step awaits an official.
    """
    require(actor, "enforcement.record_appeal_decision")
    errors = {}
    if outcome not in APPEAL_BODY_OUTCOMES:
        errors["outcome"] = _("Choose what the appeal body decided.")
    number = (number or "").strip()
    if not number:
        errors["number"] = _("Enter the number of the appeal body's decision.")
    elif len(number) > BODY_NUMBER_MAX_CHARS:
        errors["number"] = _("At most %(count)d characters.") % {"count": BODY_NUMBER_MAX_CHARS}
    today = timezone.localdate()
    if decided_on is None:
        errors["decided_on"] = _("Enter the date of the appeal body's decision.")
    elif decided_on > today:
        errors["decided_on"] = _("The date of the decision cannot be in the future.")
    if not (reason or "").strip():
        errors["reason"] = _("Summarise the appeal body's reasons.")
    if errors:
        raise ValidationError(errors)
    checked = _checked_files(
        files, required=_("Attach the appeal body's decision (a PDF or a scan of it).")
    )
    with transaction.atomic():
        current, fine = _locked(appeal)
        if current.status != AppealStatus.FORWARDED:
            raise ValidationError(
                _(
                    "The appeal body's decision is recorded for an appeal forwarded to it "
                    "(this one is %(status)s)."
                )
                % {"status": current.get_status_display()}
            )
        if decided_on < current.received_on:
            raise ValidationError(
                {
                    "decided_on": _(
                        "The decision cannot be before the appeal was received (%(day)s)."
                    )
                    % {"day": current.received_on.isoformat()}
                }
            )
        amount = None
        if outcome == AppealStatus.REVOKED_IN_PART:
            amount = _check_remaining_amount(fine, amended_amount_ntd)
        business_id = fine.violation.owner_business_id
        before = audit.snapshot(current, BODY_FIELDS)
        fine_before = audit.snapshot(fine, FINE_FIELDS)
        current.status = outcome
        current.body_decision_number = number
        current.body_decided_on = decided_on
        current.body_reason = reason.strip()
        current.amended_amount_ntd = amount
        current.body_recorded_by = actor
        current.body_recorded_at = timezone.now()
        current.save(update_fields=[*BODY_FIELDS, "body_recorded_by", "body_recorded_at"])
        attached = _attach(current, checked, kind=AppealAttachmentKind.BODY_DECISION, actor=actor)
        changes = audit.diff(before, audit.snapshot(current, BODY_FIELDS))
        changes["decision_files"] = [None, attached]
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=current,
            changes=changes,
            reason=_("The appeal body's decision %(number)s recorded: %(outcome)s")
            % {"number": number, "outcome": current.get_status_display()},
            business_id=business_id,
        )
        fine_reason = _("Appeal decided by the appeal body (%(number)s): %(outcome)s") % {
            "number": number,
            "outcome": current.get_status_display(),
        }
        # Dismissed: the decision stands as it is (and stays due).
        if outcome == AppealStatus.REVOKED_IN_PART:
            _reduce(fine, amount)
        elif outcome in (AppealStatus.REVOKED, AppealStatus.SENT_BACK):
            _revoke(fine)
        if outcome != AppealStatus.DISMISSED:
            _record(
                actor, fine, fine_before, FINE_FIELDS, reason=fine_reason, business_id=business_id
            )
        if outcome == AppealStatus.REVOKED_IN_PART:
            _settle_if_paid(fine, actor)
        elif outcome == AppealStatus.REVOKED:
            close_if_settled(fine.violation, actor=actor, reason=_("Every fine is settled."))
        elif outcome == AppealStatus.SENT_BACK:
            # A new decision follows: the step goes to a new proposal an official decides.
            proposals.repropose(fine, actor=actor, reason=fine_reason)
        outbox.add(DECIDED_TOPIC, {"appeal": current.pk})
    return current


# --- Suspension of payment (AAA Arts. 93-94) ------------------------------------------------


def record_suspension(actor, appeal: Appeal, *, reason: str) -> Appeal:
    """Record that payment of the appealed fine is suspended while the appeal is pending.

    Without it the fine stays due whatever the appeal (AAA Art. 93).
    """
    require(actor, "enforcement.suspend_payment")
    reason = _reason(reason, "reason", _("Say why payment is suspended (AAA Art. 93)."))
    with transaction.atomic():
        current, fine = _locked(appeal)
        if current.status not in PENDING:
            raise ValidationError(
                _("Payment is suspended only while the appeal is pending (this one is %(status)s).")
                % {"status": current.get_status_display()}
            )
        if current.payment_suspended:
            raise ValidationError(_("Payment of this fine is suspended already."))
        if fine.status != FineStatus.ISSUED:
            raise ValidationError(_("Nothing is due for this fine: there is nothing to suspend."))
        before = audit.snapshot(current, SUSPENSION_FIELDS)
        current.payment_suspended_on = timezone.localdate()
        current.suspension_reason = reason
        current.save(update_fields=SUSPENSION_FIELDS)
        _record(
            actor,
            current,
            before,
            SUSPENSION_FIELDS,
            reason=_("Payment suspended: %(reason)s") % {"reason": reason},
            business_id=fine.violation.owner_business_id,
        )
    return current


def lift_suspension(actor, appeal: Appeal, *, reason: str) -> Appeal:
    """Lift a recorded suspension (AAA Art. 94): the fine is due again."""
    require(actor, "enforcement.suspend_payment")
    reason = _reason(reason, "reason", _("Say why the suspension is lifted."))
    with transaction.atomic():
        current, fine = _locked(appeal)
        if not current.payment_suspended:
            raise ValidationError(_("Payment of this fine is not suspended."))
        before = audit.snapshot(current, SUSPENSION_FIELDS)
        current.payment_suspended_on = None
        current.suspension_reason = ""
        current.save(update_fields=SUSPENSION_FIELDS)
        _record(
            actor,
            current,
            before,
            SUSPENSION_FIELDS,
            reason=_("Suspension of payment lifted: %(reason)s") % {"reason": reason},
            business_id=fine.violation.owner_business_id,
        )
    return current
